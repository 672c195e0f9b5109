// Package testpki makes throwaway certificate authorities and certificates
// for the tests of TLS connections to in-process brokers (kfake,
// nats-server). Keys are P-256, certificates name 127.0.0.1 and localhost,
// and PEM files land in the test's temporary directory. It is imported by
// tests only.
package testpki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a certificate authority made for one test.
type CA struct {
	// Cert and Key sign the certificates Issue makes.
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
	// File is the CA certificate as a PEM file, for a ca_file setting.
	File string
}

// NewCA makes a CA named name, valid from an hour ago to an hour from now.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          serial(t),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &CA{Cert: cert, Key: key, File: writePEM(t, "ca.pem", "CERTIFICATE", der)}
}

// Leaf is a certificate a CA issued, with its key, in memory and as PEM
// files.
type Leaf struct {
	TLS      tls.Certificate
	CertFile string
	KeyFile  string
}

// Issue signs a certificate named name for 127.0.0.1 and localhost, valid
// from notBefore to notAfter for usage (server or client authentication).
func (ca *CA) Issue(t testing.TB, name string, usage x509.ExtKeyUsage, notBefore, notAfter time.Time) Leaf {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: serial(t),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return Leaf{
		TLS:      tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		CertFile: writePEM(t, "cert.pem", "CERTIFICATE", der),
		KeyFile:  writePEM(t, "key.pem", "PRIVATE KEY", keyDER),
	}
}

// Server issues a server certificate valid from an hour ago to an hour from
// now.
func (ca *CA) Server(t testing.TB) Leaf {
	t.Helper()
	now := time.Now()
	return ca.Issue(t, "test server", x509.ExtKeyUsageServerAuth, now.Add(-time.Hour), now.Add(time.Hour))
}

// Client issues a client certificate named name, valid from an hour ago to
// an hour from now.
func (ca *CA) Client(t testing.TB, name string) Leaf {
	t.Helper()
	now := time.Now()
	return ca.Issue(t, name, x509.ExtKeyUsageClientAuth, now.Add(-time.Hour), now.Add(time.Hour))
}

// ServerTLS returns a server TLS configuration for 127.0.0.1 under a new
// CA, and the CA's PEM file for the client to trust.
func ServerTLS(t testing.TB) (*tls.Config, string) {
	t.Helper()
	ca := NewCA(t, "veil test CA")
	return &tls.Config{Certificates: []tls.Certificate{ca.Server(t).TLS}, MinVersion: tls.VersionTLS12}, ca.File
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func serial(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func writePEM(t testing.TB, name, typ string, der []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
