package natsio_test

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/veilstream/veil/pipeline/internal/testpki"
	"github.com/veilstream/veil/pipeline/natsio"
	"github.com/veilstream/veil/pipeline/stream"
)

// writeAndCount writes ten records through a sink of c and checks the
// stream holds them, read over a connection with readOpts.
func writeAndCount(t *testing.T, c natsio.Config, url string, readOpts ...nats.Option) {
	t.Helper()
	s := newSink(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Write(ctx, records(stream.TopicPartition{Topic: "in", Partition: 0}, 0, 10)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if n := streamMsgs(t, url, c.Stream, readOpts...); n != 10 {
		t.Fatalf("stream holds %d messages, want 10", n)
	}
}

// newSinkErr is NewSink expected to fail.
func newSinkErr(t *testing.T, c natsio.Config) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := natsio.NewSink(ctx, c)
	if err == nil {
		_ = s.Close()
		t.Fatal("NewSink succeeded, want an error")
	}
	return err
}

// TestTLS runs a server that requires TLS with a certificate from a CA made
// here: a client trusting that CA writes; a client trusting another CA, or
// only the system roots, refuses the server.
func TestTLS(t *testing.T) {
	ca := testpki.NewCA(t, "veil test CA")
	srv := startServer(t, func(o *server.Options) {
		o.TLS = true
		o.TLSTimeout = 5
		o.TLSConfig = &tls.Config{Certificates: []tls.Certificate{ca.Server(t).TLS}, MinVersion: tls.VersionTLS12}
	})
	url := srv.ClientURL()

	c := baseConfig(url)
	c.TLS = natsio.TLSConfig{Enabled: true, CAFile: ca.File}
	writeAndCount(t, c, url, nats.RootCAs(ca.File))

	// The same with a tls:// URL and a server name the certificate holds.
	c2 := c
	c2.URLs = []string{strings.Replace(url, "nats://127.0.0.1", "tls://localhost", 1)}
	c2.TLS.ServerName = "localhost"
	c2.CreateStream.Enabled = false
	if _, err := natsio.NewSink(context.Background(), c2); err != nil {
		t.Fatalf("tls:// URL with server_name localhost: %v", err)
	}

	other := testpki.NewCA(t, "someone else's CA")
	c3 := baseConfig(url)
	c3.TLS = natsio.TLSConfig{Enabled: true, CAFile: other.File}
	err := newSinkErr(t, c3)
	if !strings.Contains(err.Error(), "TLS handshake failed") || !strings.Contains(err.Error(), "x509") {
		t.Fatalf("untrusted server: %v, want a TLS verification error", err)
	}
	t.Logf("untrusted server refused: %v", err)

	c4 := baseConfig(url) // no TLS settings: the server asks for TLS, the system roots do not know it
	if err := newSinkErr(t, c4); !strings.Contains(err.Error(), "x509") {
		t.Fatalf("server unknown to the system roots: %v", err)
	}

	c5 := baseConfig(url)
	c5.TLS = natsio.TLSConfig{Enabled: true, CAFile: ca.File, ServerName: "not-the-server"}
	if err := newSinkErr(t, c5); !strings.Contains(err.Error(), "not-the-server") {
		t.Fatalf("wrong server name: %v", err)
	}
}

// TestUserPassword authenticates with a password from a file and from the
// environment; a wrong password fails with an error that says the server
// refused the credentials and shows neither password.
func TestUserPassword(t *testing.T) {
	srv := startServer(t, func(o *server.Options) {
		o.Users = []*server.User{{Username: "veil", Password: "correct horse"}}
	})
	url := srv.ClientURL()
	reader := nats.UserInfo("veil", "correct horse")

	c := baseConfig(url)
	c.Auth = natsio.AuthConfig{Username: "veil", PasswordFile: writeFile(t, "pw", "correct horse\n")}
	writeAndCount(t, c, url, reader)

	t.Setenv("VEIL_TEST_NATS_PASSWORD", "correct horse")
	c.Auth = natsio.AuthConfig{Username: "veil", PasswordEnv: "VEIL_TEST_NATS_PASSWORD"}
	c.CreateStream.Enabled = false
	newSink(t, c)

	c.Auth = natsio.AuthConfig{Username: "veil", PasswordFile: writeFile(t, "wrong", "battery staple\n")}
	err := newSinkErr(t, c)
	if !errors.Is(err, nats.ErrAuthorization) || !strings.Contains(err.Error(), "refused the credentials") {
		t.Fatalf("wrong password: %v, want an authorization error", err)
	}
	if strings.Contains(err.Error(), "battery") || strings.Contains(err.Error(), "horse") {
		t.Fatalf("the error shows a password: %v", err)
	}
	t.Logf("wrong password: %v", err)

	c.Auth = natsio.AuthConfig{}
	if err := newSinkErr(t, c); !errors.Is(err, nats.ErrAuthorization) {
		t.Fatalf("no credentials: %v, want an authorization error", err)
	}
}

// TestTokenAndNKey authenticates with a token from the environment and with
// an nkey seed file.
func TestTokenAndNKey(t *testing.T) {
	t.Run("token", func(t *testing.T) {
		srv := startServer(t, func(o *server.Options) { o.Authorization = "s3cret-token" })
		t.Setenv("VEIL_TEST_NATS_TOKEN", "s3cret-token")
		c := baseConfig(srv.ClientURL())
		c.Auth = natsio.AuthConfig{TokenEnv: "VEIL_TEST_NATS_TOKEN"}
		writeAndCount(t, c, srv.ClientURL(), nats.Token("s3cret-token"))
		c.Auth = natsio.AuthConfig{TokenFile: writeFile(t, "tok", "wrong-token\n")}
		if err := newSinkErr(t, c); !errors.Is(err, nats.ErrAuthorization) || strings.Contains(err.Error(), "wrong-token") {
			t.Fatalf("wrong token: %v", err)
		}
	})
	t.Run("nkey", func(t *testing.T) {
		kp, err := nkeys.CreateUser()
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := kp.PublicKey()
		seed, _ := kp.Seed()
		srv := startServer(t, func(o *server.Options) { o.Nkeys = []*server.NkeyUser{{Nkey: pub}} })
		seedFile := writeFile(t, "user.nk", string(seed)+"\n")
		c := baseConfig(srv.ClientURL())
		c.Auth = natsio.AuthConfig{NKeySeedFile: seedFile}
		readOpt, err := nats.NkeyOptionFromSeed(seedFile)
		if err != nil {
			t.Fatal(err)
		}
		writeAndCount(t, c, srv.ClientURL(), readOpt)

		other, _ := nkeys.CreateUser()
		otherSeed, _ := other.Seed()
		c.Auth = natsio.AuthConfig{NKeySeedFile: writeFile(t, "other.nk", string(otherSeed))}
		if err := newSinkErr(t, c); !errors.Is(err, nats.ErrAuthorization) || strings.Contains(err.Error(), string(otherSeed)) {
			t.Fatalf("unknown nkey: %v", err)
		}
	})
}
