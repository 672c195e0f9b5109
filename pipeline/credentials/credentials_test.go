package credentials

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecret(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	os.WriteFile(file, []byte("s3cret\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	t.Setenv("VEIL_TEST_PW", "fromenv")
	for _, tc := range []struct {
		name, file, env, want, err string
	}{
		{"file", file, "", "s3cret", ""},
		{"file wins", file, "VEIL_TEST_PW", "s3cret", ""},
		{"env", "", "VEIL_TEST_PW", "fromenv", ""},
		{"missing file", filepath.Join(dir, "nope"), "", "", "x.password_file: open"},
		{"empty file", empty, "", "", "is empty"},
		{"unset env", "", "VEIL_TEST_UNSET", "", "environment variable VEIL_TEST_UNSET is unset"},
		{"none", "", "", "", "x.password_file or x.password_env is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Secret("x.password_file", tc.file, "x.password_env", tc.env)
			if tc.err == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %q, %v", got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
		})
	}
	if _, err := Secret("a", "", "b", ""); !errors.Is(err, ErrNoSecret) {
		t.Errorf("%v is not ErrNoSecret", err)
	}
}

func TestClientTLS(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "ca.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)
	if _, err := ClientTLS(TLSFiles{CAFile: bad}); err == nil || !strings.Contains(err.Error(), "tls.ca_file") {
		t.Errorf("bad CA: %v", err)
	}
	if _, err := ClientTLS(TLSFiles{CertFile: filepath.Join(dir, "c.pem")}); err == nil || !strings.Contains(err.Error(), "tls.cert_file/tls.key_file") {
		t.Errorf("missing cert: %v", err)
	}
	tc, err := ClientTLS(TLSFiles{ServerName: "kafka.internal"})
	if err != nil || tc.ServerName != "kafka.internal" || tc.MinVersion == 0 || tc.RootCAs != nil {
		t.Errorf("system roots: %+v, %v", tc, err)
	}
}
