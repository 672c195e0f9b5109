package kafkaio_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/veilstream/veil/pipeline/internal/testpki"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// trusting returns a client tls.Config trusting the CA in caFile.
func trusting(t *testing.T, caFile string) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", caFile)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

// tlsEnds returns the end offsets of topic's partitions, read over TLS.
func tlsEnds(t *testing.T, addr string, tc *tls.Config, topic string) map[int]int64 {
	t.Helper()
	return topicEndsVia(t, &kafka.Dialer{TLS: tc, Timeout: 10 * time.Second}, addr, topic)
}

func tlsCount(t *testing.T, addr string, tc *tls.Config, topic string) int64 {
	return sumEnds(tlsEnds(t, addr, tc, topic))
}

// TestTLSRefusesUnverifiedBroker runs a broker that speaks only TLS with a
// certificate from a CA made here. A processor trusting that CA processes
// every event. One trusting another CA, only the system roots, or that CA
// under a name the certificate does not hold refuses the broker: its sink
// and its read-back fail with a certificate error, and its processor claims
// nothing, writes nothing, commits nothing and logs why.
func TestTLSRefusesUnverifiedBroker(t *testing.T) {
	serverTLS, caFile := testpki.ServerTLS(t)
	_, otherCAFile := testpki.ServerTLS(t) // a CA that did not sign the broker's certificate
	cl, err := kfake.NewCluster(kfake.Ports(0), kfake.TLS(serverTLS),
		kfake.GroupMinSessionTimeout(100*time.Millisecond),
		kfake.SeedTopics(2, "in", "clean-src", "clean-key", "dlq"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	addr := cl.ListenAddrs()[0]
	reader := trusting(t, caFile)

	good := baseConfig(addr, "g-tls-good", []string{"in"}, twoOutputs...)
	good.TLS = kafkaio.TLSConfig{Enabled: true, CAFile: caFile}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	// The input, produced by a Sink trusting the right CA.
	const events = 100
	var recs []stream.OutRecord
	for i := range events {
		recs = append(recs, stream.OutRecord{
			Key:    []byte("user-" + strconv.Itoa(i%7)),
			Value:  []byte(`{"user":` + strconv.Itoa(i%7) + `,"email":"a@example.com","page":"/pricing"}`),
			Source: stream.TopicPartition{Topic: "gen", Partition: int32(i % 2)},
		})
	}
	in, err := kafkaio.NewSink(&good, kafkaio.OutputConfig{Topic: "in", Partitioning: kafkaio.PartitionSource})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := in.Write(ctx, recs); err != nil {
		t.Fatalf("producing over TLS with the right CA: %v", err)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if n := tlsCount(t, addr, reader, "in"); n != events {
		t.Fatalf("the input holds %d events, want %d", n, events)
	}

	refused := []struct {
		name string
		tls  kafkaio.TLSConfig
		// want are substrings of the refusal: the x509 verification error.
		want []string
	}{
		{"another CA", kafkaio.TLSConfig{Enabled: true, CAFile: otherCAFile},
			[]string{"x509", "certificate signed by unknown authority"}},
		{"system roots", kafkaio.TLSConfig{Enabled: true},
			[]string{"x509", "certificate signed by unknown authority"}},
		{"name not in the certificate", kafkaio.TLSConfig{Enabled: true, CAFile: caFile, ServerName: "not-the-broker"},
			[]string{"x509", "not not-the-broker"}},
	}
	for i, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			c := baseConfig(addr, "g-tls-refused-"+strconv.Itoa(i), []string{"in"}, twoOutputs...)
			c.TLS = tt.tls
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			checkRefusal := func(what string, err error) {
				t.Helper()
				if err == nil {
					t.Fatalf("%s: the broker was accepted", what)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Fatalf("%s: %v, want an error saying %q", what, err, w)
					}
				}
			}

			// The sink's read-back and its writes refuse the broker.
			s, err := kafkaio.NewSink(&c, twoOutputs[0])
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
			defer wcancel()
			_, _, err = s.Written(wctx, stream.TopicPartition{Topic: "in", Partition: 0}, 0)
			checkRefusal("Written", err)
			checkRefusal("Write", s.Write(wctx, recs[:10]))

			// The processor claims nothing and says why.
			logs := &syncBuffer{}
			hooks := &countingHooks{}
			p, err := kafkaio.NewProcessor(c, stream.Config{}, append(withDropEmail(),
				kafkaio.WithHooks(hooks),
				kafkaio.WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))...)
			if err != nil {
				t.Fatal(err)
			}
			rctx, rcancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- p.Run(rctx) }()
			// veil's own warning (not only kafka-go's debug line) carries the
			// verification error, and the refusal repeats on retry.
			waitFor(t, 30*time.Second, "the processor to warn of the refusal twice", func() bool {
				return len(refusals(logs.String(), tt.want)) >= 2
			})
			rcancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run after cancel: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the processor did not stop within 20s")
			}
			if err := p.Close(); err != nil {
				t.Errorf("closing the processor: %v", err)
			}
			hooks.mu.Lock()
			assigned, fetched, processed := len(hooks.assigned), hooks.fetched, hooks.processed
			hooks.mu.Unlock()
			if assigned != 0 || fetched != 0 || processed != 0 {
				t.Errorf("a processor refusing the broker claimed %d partitions, fetched %d and processed %d events", assigned, fetched, processed)
			}
			for _, topic := range []string{"clean-src", "clean-key", "dlq"} {
				if n := tlsCount(t, addr, reader, topic); n != 0 {
					t.Errorf("%s holds %d records written by a processor that refused the broker", topic, n)
				}
			}
			cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
			defer ccancel()
			cli := &kafka.Client{Addr: kafka.TCP(addr), Transport: &kafka.Transport{TLS: reader}}
			resp, err := cli.OffsetFetch(cctx, &kafka.OffsetFetchRequest{GroupID: c.GroupID, Topics: map[string][]int{"in": {0, 1}}})
			if err != nil {
				t.Fatalf("fetching committed offsets: %v", err)
			}
			for _, po := range resp.Topics["in"] {
				if po.CommittedOffset >= 0 {
					t.Errorf("group %s committed in/%d at %d", c.GroupID, po.Partition, po.CommittedOffset)
				}
			}
			t.Logf("refused: %s", refusals(logs.String(), tt.want)[0])
		})
	}

	// The same input and outputs with the right CA: every event is
	// processed, so the refusals above are the certificate's doing.
	r := start(t, good, stream.Config{}, withDropEmail()...)
	waitFor(t, 30*time.Second, "every event on both outputs", func() bool {
		return tlsCount(t, addr, reader, "clean-src") >= events && tlsCount(t, addr, reader, "clean-key") >= events
	})
	if err, _ := r.stop(t, 20*time.Second); err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, topic := range []string{"clean-src", "clean-key"} {
		if n := tlsCount(t, addr, reader, topic); n != events {
			t.Errorf("%s holds %d records, want %d", topic, n, events)
		}
	}
}

// refusals returns the warnings in the text log s that hold every one of
// want.
func refusals(s string, want []string) []string {
	var out []string
	for l := range strings.Lines(s) {
		ok := strings.Contains(l, "level=WARN")
		for _, w := range want {
			ok = ok && strings.Contains(l, w)
		}
		if ok {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// TestMutualTLSKafka runs a broker that requires a client certificate it
// trusts: a sink presenting one (tls.cert_file and tls.key_file) writes and
// reads back; one presenting none, or an untrusted one of the same name, is
// refused.
func TestMutualTLSKafka(t *testing.T) {
	serverTLS, caFile := testpki.ServerTLS(t)
	clientCA := testpki.NewCA(t, "veil clients")
	client := clientCA.Client(t, "veil")
	clientCert, certFile, keyFile := clientCA.Cert, client.CertFile, client.KeyFile
	other := testpki.NewCA(t, "veil clients").Client(t, "veil") // same names, another CA
	otherCert, otherKey := other.CertFile, other.KeyFile
	clientCAs := x509.NewCertPool()
	clientCAs.AddCert(clientCert)
	serverTLS.ClientAuth = tls.RequireAndVerifyClientCert
	serverTLS.ClientCAs = clientCAs
	cl, err := kfake.NewCluster(kfake.Ports(0), kfake.TLS(serverTLS), kfake.SeedTopics(2, "clean-src"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	addr := cl.ListenAddrs()[0]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	recs := []stream.OutRecord{{Key: []byte("k"), Value: []byte(`{"page":"/"}`), Source: stream.TopicPartition{Topic: "in", Partition: 1},
		Headers: []stream.Header{{Key: stream.HeaderSourceTopic, Value: []byte("in")}, {Key: stream.HeaderSourcePartition, Value: []byte("1")}, {Key: stream.HeaderSourceOffset, Value: []byte("0")}}}}

	sink := func(tc kafkaio.TLSConfig) *kafkaio.Sink {
		t.Helper()
		c := baseConfig(addr, "g-mtls", []string{"in"}, twoOutputs[0])
		c.TLS = tc
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		s, err := kafkaio.NewSink(&c, twoOutputs[0])
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	good := sink(kafkaio.TLSConfig{Enabled: true, CAFile: caFile, CertFile: certFile, KeyFile: keyFile})
	if err := good.Write(ctx, recs); err != nil {
		t.Fatalf("Write with a trusted client certificate: %v", err)
	}
	offs, ok, err := good.Written(ctx, stream.TopicPartition{Topic: "in", Partition: 1}, 0)
	if err != nil || !ok || len(offs) != 1 || offs[0] != 0 {
		t.Fatalf("Written with a trusted client certificate = %v %v %v, want [0] true nil", offs, ok, err)
	}

	for _, tt := range []struct {
		name string
		tls  kafkaio.TLSConfig
	}{
		{"no client certificate", kafkaio.TLSConfig{Enabled: true, CAFile: caFile}},
		{"untrusted client certificate", kafkaio.TLSConfig{Enabled: true, CAFile: caFile, CertFile: otherCert, KeyFile: otherKey}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := sink(tt.tls)
			wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
			defer wcancel()
			_, _, err := s.Written(wctx, stream.TopicPartition{Topic: "in", Partition: 1}, 0)
			if err == nil {
				t.Fatal("Written: the broker accepted the client")
			}
			t.Logf("Written refused: %v", err)
			err = s.Write(wctx, recs)
			if err == nil {
				t.Fatal("Write: the broker accepted the client")
			}
			t.Logf("Write refused: %v", err)
		})
	}
	// Nothing more than the trusted sink's record reached the topic.
	offs, _, err = good.Written(ctx, stream.TopicPartition{Topic: "in", Partition: 1}, 0)
	if err != nil || len(offs) != 1 {
		t.Fatalf("the topic holds source offsets %v (%v), want only [0]", offs, err)
	}
}
