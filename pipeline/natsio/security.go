package natsio

import (
	"crypto/tls"
	"fmt"
	"os"

	"github.com/nats-io/nats.go"

	"github.com/veilstream/veil/pipeline/credentials"
)

// build returns the tls.Config, or nil when TLS is not configured (a tls://
// URL then still gets TLS with the system roots from nats.go).
func (t *TLSConfig) build() (*tls.Config, error) {
	if !t.Enabled {
		return nil, nil
	}
	tc, err := credentials.ClientTLS(credentials.TLSFiles{CAFile: t.CAFile, CertFile: t.CertFile, KeyFile: t.KeyFile,
		ServerName: t.ServerName, InsecureSkipVerify: t.InsecureSkipVerifyDangerous})
	if err != nil {
		return nil, fmt.Errorf("nats config: %w", err)
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
	v, err := credentials.Secret(fileKey, file, envKey, env)
	if err != nil {
		return "", fmt.Errorf("nats config: %w", err)
	}
	return v, nil
}
