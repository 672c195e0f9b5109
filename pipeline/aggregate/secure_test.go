package aggregate

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/veilstream/veil/pipeline/internal/testpki"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/stream"
)

// readTopic reads every record of topic with the configuration's own
// dialer (TLS and SASL), last value per key.
func readTopic(t *testing.T, c *kafkaio.Config, topic string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d, err := c.Dialer()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := kafkalocal.ReadTopic(ctx, d, c.Brokers[0], topic)
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]string{}
	for _, r := range recs { // partition by partition, in offset order
		last[string(r.Key)] = string(r.Value)
	}
	return last
}

// TestProcessorOverTLSAndSASLFlushOnStop runs both stages against a broker
// that requires TLS and SCRAM-SHA-256 (the checkpoint reader included),
// stops the processor while stage 1 is still behind, and checks that with
// WithFlushOnStop the stop first consumes everything and then publishes
// every window, the last ones included: the aggregate topic then equals an
// in-memory run flushed at the end.
func TestProcessorOverTLSAndSASLFlushOnStop(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both stages on kfake")
	}
	serverTLS, ca := testpki.ServerTLS(t)
	topics := kfake.SeedTopics(1, "in", "ckpt", "dlq")
	cl, err := kfake.NewCluster(kfake.Ports(0), kfake.TLS(serverTLS), kfake.EnableSASL(),
		kfake.Superuser(kafkaio.SASLScramSHA256, "veil", "agg pass"),
		kfake.GroupMinSessionTimeout(100*time.Millisecond), topics, kfake.SeedTopics(3, "repart"), kfake.SeedTopics(2, "agg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	t.Setenv("VEIL_TEST_AGG_PASSWORD", "agg pass")
	c := crashConfig(cl.ListenAddrs()[0], "g-secure", "")
	c.Kafka.TLS = kafkaio.TLSConfig{Enabled: true, CAFile: ca}
	c.Kafka.SASL = kafkaio.SASLConfig{Mechanism: kafkaio.SASLScramSHA256, Username: "veil", PasswordEnv: "VEIL_TEST_AGG_PASSWORD"}
	if err := c.Validate(); err != nil {
		t.Fatalf("TLS and SASL refused: %v", err)
	}

	msgs, _ := crashEvents()
	msgs = msgs[:len(msgs)-len(crashTypes)] // no sentinel: the last windows stay open until the flush
	pc := c.Kafka
	in, err := kafkaio.NewSink(&pc, kafkaio.OutputConfig{Topic: "in", Partitioning: kafkaio.PartitionSource})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var recs []stream.OutRecord
	for _, m := range msgs {
		recs = append(recs, stream.OutRecord{Value: m.Value, Source: stream.TopicPartition{Topic: "gen"}})
	}
	if err := in.Write(ctx, recs); err != nil {
		t.Fatalf("producing over TLS+SCRAM: %v", err)
	}
	in.Close()

	want := expected(t, msgs, true) // the in-memory run, flushed at the end

	p, err := NewProcessor(c, identitySanitizer, WithFlushOnStop(), WithShutdownGrace(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(rctx) }()
	// Stop as soon as the first window is out: stage 1 is still reading.
	for len(readTopic(t, &c.Kafka, "agg")) == 0 {
		select {
		case err := <-done:
			t.Fatalf("Run: %v", err)
		case <-ctx.Done():
			t.Fatal("nothing published")
		case <-time.After(20 * time.Millisecond):
		}
	}
	stop()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	p.Close()
	got := readTopic(t, &c.Kafka, "agg")
	diff := 0
	for k, v := range want {
		if got[k] != v {
			diff++
		}
	}
	if diff > 0 || len(got) != len(want) {
		t.Fatalf("after the flush on stop: %d keys published, %d of the %d expected differ", len(got), diff, len(want))
	}
}
