package natsio

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"

	"github.com/nats-io/nats.go"
)

// build returns the tls.Config, or nil when TLS is not configured (a tls://
// URL then still gets TLS with the system roots from nats.go).
func (t *TLSConfig) build() (*tls.Config, error) {
	if !t.Enabled {
		return nil, nil
	}
	tc := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         t.ServerName,
		InsecureSkipVerify: t.InsecureSkipVerifyDangerous, //nolint:gosec // explicitly named opt-in for tests
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("nats config: tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("nats config: tls.ca_file: %s holds no PEM certificate", t.CAFile)
		}
		tc.RootCAs = pool
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("nats config: tls.cert_file/tls.key_file: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// options returns the nats.go options that authenticate the connection. The
// secret is read here and kept only inside a callback (not in the
// connection's exported Options, where user and password options would put
// it).
func (a *AuthConfig) options() ([]nats.Option, error) {
	switch a.Method() {
	case AuthPassword:
		pw, err := readSecret("auth.password_file", a.PasswordFile, "auth.password_env", a.PasswordEnv)
		if err != nil {
			return nil, err
		}
		user := a.Username
		return []nats.Option{nats.UserInfoHandler(func() (string, string) { return user, pw })}, nil
	case AuthToken:
		tok, err := readSecret("auth.token_file", a.TokenFile, "auth.token_env", a.TokenEnv)
		if err != nil {
			return nil, err
		}
		return []nats.Option{nats.TokenHandler(func() string { return tok })}, nil
	case AuthCreds:
		if _, err := os.Stat(a.CredsFile); err != nil {
			return nil, fmt.Errorf("nats config: auth.creds_file: %w", err)
		}
		return []nats.Option{nats.UserCredentials(a.CredsFile)}, nil
	case AuthNKey:
		opt, err := nats.NkeyOptionFromSeed(a.NKeySeedFile)
		if err != nil {
			// nats.go's message names the file and the problem, not the seed.
			return nil, fmt.Errorf("nats config: auth.nkey_seed_file: %w", err)
		}
		return []nats.Option{opt}, nil
	}
	return nil, nil
}

// readSecret reads a secret from a file (trailing newline dropped) or an
// environment variable; it is never part of an error.
func readSecret(fileKey, file, envKey, env string) (string, error) {
	var s string
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("nats config: %s: %w", fileKey, err)
		}
		s = strings.TrimRight(string(b), "\r\n")
		if s == "" {
			return "", fmt.Errorf("nats config: %s: %s is empty", fileKey, file)
		}
	case env != "":
		s = os.Getenv(env)
		if s == "" {
			return "", fmt.Errorf("nats config: %s: environment variable %s is unset or empty", envKey, env)
		}
	default:
		return "", fmt.Errorf("nats config: %s or %s is required", fileKey, envKey)
	}
	return s, nil
}
