// Package credentials reads what connections authenticate with — client TLS
// material and secrets — from mounted files (Kubernetes Secrets) or the
// environment, so that no secret ever sits in a configuration file or a log.
// Errors name the configuration key at fault, never the secret.
package credentials

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
)

// TLSFiles names the files of a client TLS configuration.
type TLSFiles struct {
	// CAFile holds the PEM certificates that verify the server; empty
	// means the system roots.
	CAFile string
	// CertFile and KeyFile hold the client certificate and key (mutual
	// TLS); both or neither.
	CertFile, KeyFile string
	// ServerName overrides the name verified in the server's certificate.
	ServerName string
	// InsecureSkipVerify turns verification off: for tests only.
	InsecureSkipVerify bool
}

// ClientTLS builds a client tls.Config (TLS 1.2 at least) from the files.
// Errors name the key: tls.ca_file, tls.cert_file/tls.key_file.
func ClientTLS(f TLSFiles) (*tls.Config, error) {
	tc := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         f.ServerName,
		InsecureSkipVerify: f.InsecureSkipVerify, //nolint:gosec // explicitly named opt-in for tests
	}
	if f.CAFile != "" {
		pem, err := os.ReadFile(f.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls.ca_file: %s holds no PEM certificate", f.CAFile)
		}
		tc.RootCAs = pool
	}
	if f.CertFile != "" || f.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(f.CertFile, f.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("tls.cert_file/tls.key_file: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// ErrNoSecret is returned by Secret when neither source is configured.
var ErrNoSecret = errors.New("no secret configured")

// Secret reads a secret from file (trailing newlines removed) or, when file
// is empty, from the environment variable env. fileKey and envKey are the
// configuration keys, for errors. An empty secret is an error.
func Secret(fileKey, file, envKey, env string) (string, error) {
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s: %w", fileKey, err)
		}
		s := strings.TrimRight(string(b), "\r\n")
		if s == "" {
			return "", fmt.Errorf("%s: %s is empty", fileKey, file)
		}
		return s, nil
	case env != "":
		s := os.Getenv(env)
		if s == "" {
			return "", fmt.Errorf("%s: environment variable %s is unset or empty", envKey, env)
		}
		return s, nil
	}
	return "", fmt.Errorf("%s or %s is required: %w", fileKey, envKey, ErrNoSecret)
}
