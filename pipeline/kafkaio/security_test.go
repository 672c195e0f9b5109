package kafkaio_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/veilstream/veil/pipeline/internal/testpki"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

// TestTLSAndSCRAM runs the pipeline against a broker that requires TLS and
// SASL SCRAM-SHA-256, with the CA and the password taken from files.
func TestTLSAndSCRAM(t *testing.T) {
	serverTLS, caFile := testpki.ServerTLS(t)
	cl, err := kfake.NewCluster(kfake.Ports(0), kfake.TLS(serverTLS), kfake.EnableSASL(),
		kfake.Superuser(kafkaio.SASLScramSHA256, "veil", "correct horse"),
		kfake.GroupMinSessionTimeout(100*time.Millisecond),
		kfake.SeedTopics(2, "in", "clean-src", "clean-key", "dlq"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	addr := cl.ListenAddrs()[0]
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := baseConfig(addr, "g-secure", []string{"in"}, twoOutputs...)
	c.TLS = kafkaio.TLSConfig{Enabled: true, CAFile: caFile}
	c.SASL = kafkaio.SASLConfig{Mechanism: kafkaio.SASLScramSHA256, Username: "veil", PasswordFile: pwFile}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}

	// Produce the input with a Sink of the same config: it must get through
	// TLS and SCRAM too.
	in, err := kafkaio.NewSink(&c, kafkaio.OutputConfig{Topic: "in", Partitioning: kafkaio.PartitionSource})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []stream.OutRecord
	for i := range 200 {
		recs = append(recs, stream.OutRecord{
			Key:    []byte("user-" + strconv.Itoa(i%9)),
			Value:  []byte(`{"user":` + strconv.Itoa(i%9) + `,"email":"a@example.com"}`),
			Source: stream.TopicPartition{Topic: "gen", Partition: int32(i % 2)},
		})
	}
	if err := in.Write(ctx, recs); err != nil {
		t.Fatalf("producing over TLS+SCRAM: %v", err)
	}
	in.Close()

	r := start(t, c, stream.Config{}, withDropEmail()...)
	out, err := kafkaio.NewSink(&c, twoOutputs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	held := func() int {
		n := 0
		for p := range int32(2) {
			offs, ok, err := out.Written(ctx, stream.TopicPartition{Topic: "in", Partition: p}, 0)
			if err != nil || !ok {
				t.Fatalf("reading clean-src back: %v %v", ok, err)
			}
			n += len(offs)
		}
		return n
	}
	waitFor(t, 30*time.Second, "200 events on clean-src", func() bool { return held() >= 200 })
	if err, _ := r.stop(t, 20*time.Second); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := held(); n != 200 {
		t.Fatalf("clean-src holds %d events from the input, want 200", n)
	}

	// A wrong password is refused by the broker, not silently ignored.
	bad := c
	t.Setenv("VEIL_TEST_WRONG_PASSWORD", "wrong")
	bad.SASL = kafkaio.SASLConfig{Mechanism: kafkaio.SASLScramSHA256, Username: "veil", PasswordEnv: "VEIL_TEST_WRONG_PASSWORD"}
	s, err := kafkaio.NewSink(&bad, kafkaio.OutputConfig{Topic: "in", Partitioning: kafkaio.PartitionSource})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if _, _, err := s.Written(wctx, stream.TopicPartition{Topic: "in", Partition: 0}, 0); err == nil {
		t.Fatal("a wrong SCRAM password was accepted")
	}
}

// TestExportedDialerAndTransport checks that the Dialer and Transport other
// packages get from a Config reach a broker requiring TLS and SCRAM, and
// that they carry the configured credentials (a wrong password, or no TLS,
// is refused).
func TestExportedDialerAndTransport(t *testing.T) {
	serverTLS, caFile := testpki.ServerTLS(t)
	cl, err := kfake.NewCluster(kfake.Ports(0), kfake.TLS(serverTLS), kfake.EnableSASL(),
		kfake.Superuser(kafkaio.SASLScramSHA512, "veil", "s3cret pass"),
		kfake.SeedTopics(3, "in", "out", "dlq"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	addr := cl.ListenAddrs()[0]
	t.Setenv("VEIL_TEST_SASL_PASSWORD", "s3cret pass")
	t.Setenv("VEIL_TEST_SASL_WRONG", "not it")
	cfg := func(tlsOn bool, env string) kafkaio.Config {
		c := baseConfig(addr, "g", []string{"in"}, kafkaio.OutputConfig{Topic: "out"})
		if tlsOn {
			c.TLS = kafkaio.TLSConfig{Enabled: true, CAFile: caFile}
		}
		c.SASL = kafkaio.SASLConfig{Mechanism: kafkaio.SASLScramSHA512, Username: "veil", PasswordEnv: env}
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name string
		c    kafkaio.Config
		ok   bool
	}{
		{"tls and the right password", cfg(true, "VEIL_TEST_SASL_PASSWORD"), true},
		{"tls and a wrong password", cfg(true, "VEIL_TEST_SASL_WRONG"), false},
		{"no tls", cfg(false, "VEIL_TEST_SASL_PASSWORD"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			d, err := tc.c.Dialer()
			if err != nil {
				t.Fatal(err)
			}
			parts, err := d.LookupPartitions(ctx, "tcp", addr, "in")
			if tc.ok && (err != nil || len(parts) != 3) {
				t.Errorf("Dialer: %d partitions of in, %v; want 3", len(parts), err)
			}
			if !tc.ok && err == nil {
				t.Error("Dialer: connected")
			}
			tr, err := tc.c.Transport()
			if err != nil {
				t.Fatal(err)
			}
			defer tr.CloseIdleConnections()
			client := &kafka.Client{Addr: kafka.TCP(addr), Transport: tr, Timeout: 3 * time.Second}
			meta, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{"out"}})
			if tc.ok && (err != nil || len(meta.Topics) != 1 || len(meta.Topics[0].Partitions) != 3) {
				t.Errorf("Transport: metadata %+v, %v; want out with 3 partitions", meta, err)
			}
			if !tc.ok && err == nil && len(meta.Topics) > 0 && meta.Topics[0].Error == nil {
				t.Error("Transport: metadata read")
			}
		})
	}
}
