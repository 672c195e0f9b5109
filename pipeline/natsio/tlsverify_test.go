package natsio_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/veilstream/veil/pipeline/natsio"
)

// leaf is a certificate issued by a testCA, with its PEM files.
type leaf struct {
	cert     tls.Certificate
	certFile string
	keyFile  string
}

// issue signs a certificate for 127.0.0.1 and localhost, valid from
// notBefore to notAfter for usage, and writes it and its key to PEM files.
func (ca *testCA) issue(t testing.TB, name string, usage x509.ExtKeyUsage, notBefore, notAfter time.Time) leaf {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	l := leaf{
		cert:     tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		certFile: filepath.Join(dir, "cert.pem"),
		keyFile:  filepath.Join(dir, "key.pem"),
	}
	if err := os.WriteFile(l.certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(l.keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return l
}

// tlsServer runs a JetStream server that speaks only TLS, with cert.
func tlsServer(t *testing.T, cert tls.Certificate, tweaks ...func(*server.Options)) *server.Server {
	t.Helper()
	return startServer(t, append([]func(*server.Options){func(o *server.Options) {
		o.TLS = true
		o.TLSTimeout = 5
		o.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}}, tweaks...)...)
}

// streamExists reports whether the server holds the stream, asked over a
// connection made with opts.
func streamExists(t *testing.T, url, name string, opts ...nats.Option) bool {
	t.Helper()
	js, err := jetstream.New(testConn(t, url, opts...))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = js.Stream(ctx, name)
	switch {
	case err == nil:
		return true
	case errors.Is(err, jetstream.ErrStreamNotFound):
		return false
	}
	t.Fatalf("stream %s: %v", name, err)
	return false
}

// TestTLSRefusesExpiredCertificate: with one client configuration trusting
// a CA, the sink writes to a server whose certificate that CA issued, and
// refuses a server whose certificate the same CA issued but which has
// expired; it creates no stream and writes nothing there.
func TestTLSRefusesExpiredCertificate(t *testing.T) {
	ca := newCA(t, "veil test CA")
	now := time.Now()
	valid := ca.issue(t, "valid server", x509.ExtKeyUsageServerAuth, now.Add(-time.Hour), now.Add(time.Hour))
	expired := ca.issue(t, "expired server", x509.ExtKeyUsageServerAuth, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	tlsOn := natsio.TLSConfig{Enabled: true, CAFile: ca.file}

	good := tlsServer(t, valid.cert)
	c := baseConfig(good.ClientURL())
	c.TLS = tlsOn
	writeAndCount(t, c, good.ClientURL(), nats.RootCAs(ca.file))

	bad := tlsServer(t, expired.cert)
	c = baseConfig(bad.ClientURL())
	c.TLS = tlsOn
	err := newSinkErr(t, c)
	if !strings.Contains(err.Error(), "x509") || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("expired server certificate: %v, want an x509 expiry error", err)
	}
	t.Logf("expired server certificate refused: %v", err)
	// Look without verifying: the refused sink created nothing.
	if streamExists(t, bad.ClientURL(), c.Stream, nats.Secure(&tls.Config{InsecureSkipVerify: true})) { //nolint:gosec // the test's own look at the refused server
		t.Fatalf("stream %s exists on the server the sink refused", c.Stream)
	}
}

// TestMutualTLS runs a server that verifies client certificates against a
// CA made here: a sink presenting a certificate from that CA (tls.cert_file
// and tls.key_file) writes; one presenting none, or one from another CA of
// the same name, is refused and writes nothing.
func TestMutualTLS(t *testing.T) {
	ca := newCA(t, "veil test CA")
	now := time.Now()
	serverCert := ca.issue(t, "nats test server", x509.ExtKeyUsageServerAuth, now.Add(-time.Hour), now.Add(time.Hour))
	client := ca.issue(t, "veil", x509.ExtKeyUsageClientAuth, now.Add(-time.Hour), now.Add(time.Hour))
	// An impostor CA with the trusted CA's name: the client offers its
	// certificate (the issuer matches what the server asks for by name) and
	// the server's verification has to catch it.
	impostor := newCA(t, "veil test CA").issue(t, "veil", x509.ExtKeyUsageClientAuth, now.Add(-time.Hour), now.Add(time.Hour))
	clientCAs := x509.NewCertPool()
	clientCAs.AddCert(ca.cert)
	srv := tlsServer(t, serverCert.cert, func(o *server.Options) {
		o.TLSVerify = true
		o.TLSConfig.ClientAuth = tls.RequireAndVerifyClientCert
		o.TLSConfig.ClientCAs = clientCAs
	})
	url := srv.ClientURL()
	reader := []nats.Option{nats.RootCAs(ca.file), nats.ClientCert(client.certFile, client.keyFile)}

	c := baseConfig(url)
	c.TLS = natsio.TLSConfig{Enabled: true, CAFile: ca.file, CertFile: client.certFile, KeyFile: client.keyFile}
	writeAndCount(t, c, url, reader...)

	refused := []struct {
		name string
		tls  natsio.TLSConfig
	}{
		{"no client certificate", natsio.TLSConfig{Enabled: true, CAFile: ca.file}},
		{"client certificate from an impostor CA", natsio.TLSConfig{Enabled: true, CAFile: ca.file, CertFile: impostor.certFile, KeyFile: impostor.keyFile}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			bad := baseConfig(url)
			bad.TLS = tt.tls
			err := newSinkErr(t, bad)
			// The error points at the client certificate, not at the
			// settings that verify the server.
			if !strings.Contains(err.Error(), "refused this client's TLS certificate") || !strings.Contains(err.Error(), "tls.cert_file") ||
				strings.Contains(err.Error(), "tls.ca_file") {
				t.Fatalf("%v, want the server's refusal of the client certificate", err)
			}
			t.Logf("refused: %v", err)
			if n := streamMsgs(t, url, c.Stream, reader...); n != 10 {
				t.Fatalf("the stream holds %d messages after a refused sink, want the 10 written before", n)
			}
		})
	}
}
