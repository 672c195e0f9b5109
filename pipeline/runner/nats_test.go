package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/natsio"
)

// TestKafkaToNATS runs the pipeline from a Kafka-protocol broker to Kafka
// outputs and a NATS JetStream output (in-process nats-server, real TCP),
// and to the NATS output alone: every event arrives sanitized on the NATS
// subject.
func TestKafkaToNATS(t *testing.T) {
	t.Run("with kafka outputs", func(t *testing.T) { kafkaToNATS(t, false) })
	t.Run("nats only", func(t *testing.T) { kafkaToNATS(t, true) })
}

func kafkaToNATS(t *testing.T, natsOnly bool) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	defer ns.Shutdown()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	cl, err := kafkalocal.Start(
		kafkalocal.Topic{Name: "events.raw", Partitions: 2},
		kafkalocal.Topic{Name: "events.analytics", Partitions: 2},
		kafkalocal.Topic{Name: "events.security", Partitions: 2},
		kafkalocal.Topic{Name: "events.dlq", Partitions: 2},
	)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	const n = 300
	g := corpus.New(5)
	var msgs []kafkalocal.Message
	for i := 0; i < n; i++ {
		msgs = append(msgs, kafkalocal.Message{Value: g.Next().Event})
	}
	p := cl.NewProducer("events.raw")
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	p.Close()

	cfg := testConfig(cl.Addr)
	if natsOnly {
		cfg.Kafka.Outputs, cfg.Outputs = nil, nil
	}
	cfg.Outputs = append(cfg.Outputs, OutputConfig{Name: "analytics-nats", Purpose: "product_improvement", NATS: &natsio.Config{
		URLs: []string{ns.ClientURL()}, Stream: "CLEAN", Subject: "veil.analytics.{topic}.{partition}",
		CreateStream: natsio.CreateStreamConfig{Enabled: true, Subjects: []string{"veil.analytics.>"}, Storage: "memory"},
	}})
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()

	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	var got int
	for got < n {
		st, err := js.Stream(ctx, "CLEAN")
		if err == nil {
			info, _ := st.Info(ctx)
			got = int(info.State.Msgs)
		}
		select {
		case err := <-done:
			t.Fatalf("runner stopped: %v", err)
		case <-ctx.Done():
			t.Fatalf("%d of %d events on NATS", got, n)
		case <-time.After(50 * time.Millisecond):
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	r.Close()
	cons, err := js.OrderedConsumer(ctx, "CLEAN", jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(n, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for m := range batch.Messages() {
		count++
		if strings.Contains(string(m.Data()), "@") && strings.Contains(string(m.Data()), ".com\"") {
			t.Errorf("an email-like value reached NATS: %.200s", m.Data())
		}
		if m.Headers().Get("veil-policy-version") != r.PolicyVersion() {
			t.Errorf("headers %v", m.Headers())
		}
	}
	if count != n {
		t.Errorf("read %d messages, want %d", count, n)
	}
}
