package natsio_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/veilstream/veil/pipeline/internal/testpki"
	"github.com/veilstream/veil/pipeline/natsio"
)

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
	ca := testpki.NewCA(t, "veil test CA")
	now := time.Now()
	valid := ca.Issue(t, "valid server", x509.ExtKeyUsageServerAuth, now.Add(-time.Hour), now.Add(time.Hour))
	expired := ca.Issue(t, "expired server", x509.ExtKeyUsageServerAuth, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	tlsOn := natsio.TLSConfig{Enabled: true, CAFile: ca.File}

	good := tlsServer(t, valid.TLS)
	c := baseConfig(good.ClientURL())
	c.TLS = tlsOn
	writeAndCount(t, c, good.ClientURL(), nats.RootCAs(ca.File))

	bad := tlsServer(t, expired.TLS)
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
	ca := testpki.NewCA(t, "veil test CA")
	now := time.Now()
	serverCert := ca.Issue(t, "nats test server", x509.ExtKeyUsageServerAuth, now.Add(-time.Hour), now.Add(time.Hour))
	client := ca.Issue(t, "veil", x509.ExtKeyUsageClientAuth, now.Add(-time.Hour), now.Add(time.Hour))
	// An impostor CA with the trusted CA's name: the client offers its
	// certificate (the issuer matches what the server asks for by name) and
	// the server's verification has to catch it.
	impostor := testpki.NewCA(t, "veil test CA").Issue(t, "veil", x509.ExtKeyUsageClientAuth, now.Add(-time.Hour), now.Add(time.Hour))
	clientCAs := x509.NewCertPool()
	clientCAs.AddCert(ca.Cert)
	srv := tlsServer(t, serverCert.TLS, func(o *server.Options) {
		o.TLSVerify = true
		o.TLSConfig.ClientAuth = tls.RequireAndVerifyClientCert
		o.TLSConfig.ClientCAs = clientCAs
	})
	url := srv.ClientURL()
	reader := []nats.Option{nats.RootCAs(ca.File), nats.ClientCert(client.CertFile, client.KeyFile)}

	c := baseConfig(url)
	c.TLS = natsio.TLSConfig{Enabled: true, CAFile: ca.File, CertFile: client.CertFile, KeyFile: client.KeyFile}
	writeAndCount(t, c, url, reader...)

	refused := []struct {
		name string
		tls  natsio.TLSConfig
	}{
		{"no client certificate", natsio.TLSConfig{Enabled: true, CAFile: ca.File}},
		{"client certificate from an impostor CA", natsio.TLSConfig{Enabled: true, CAFile: ca.File, CertFile: impostor.CertFile, KeyFile: impostor.KeyFile}},
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
