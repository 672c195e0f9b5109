package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/stream"
)

func testConfig(addr string) *Config {
	return &Config{
		Kafka: kafkaio.Config{
			Brokers: []string{addr},
			GroupID: "veil-test",
			Inputs:  []string{"events.raw"},
			Outputs: []kafkaio.OutputConfig{
				{Name: "analytics", Topic: "events.analytics"},
				{Name: "security", Topic: "events.security"},
			},
			DeadLetter: kafkaio.OutputConfig{Topic: "events.dlq"},
		},
		Outputs: []OutputConfig{
			{Name: "analytics", Purpose: "product_improvement"},
			{Name: "security", Purpose: "security"},
		},
		CustomerKeys: []string{"workspace_id"},
	}
}

// TestEndToEnd produces labelled events and malformed ones to a real
// Kafka-protocol broker over TCP, runs the processor with the default
// policy, and checks every output: every valid event comes out once on each
// clean output with lineage and action headers, malformed events only in
// the dead-letter topic, and the analytics output leaks no labelled
// personal value and no conversation text.
func TestEndToEnd(t *testing.T) {
	cl, err := kafkalocal.Start(
		kafkalocal.Topic{Name: "events.raw", Partitions: 4},
		kafkalocal.Topic{Name: "events.analytics", Partitions: 4},
		kafkalocal.Topic{Name: "events.security", Partitions: 4},
		kafkalocal.Topic{Name: "events.dlq", Partitions: 4},
	)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	const n, bad = 600, 12
	g := corpus.New(99)
	recs := make([]corpus.Record, n)
	var msgs []kafkalocal.Message
	for i := range recs {
		recs[i] = g.Next()
		msgs = append(msgs, kafkalocal.Message{Key: []byte(fmt.Sprintf("user-%d", i%37)), Value: recs[i].Event})
		if i%(n/bad) == 0 {
			msgs = append(msgs, kafkalocal.Message{Key: []byte("x"), Value: []byte(`{"email":"leak@example.com", truncated`)})
		}
	}
	p := cl.NewProducer("events.raw")
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	p.Close()

	cfg := testConfig(cl.Addr)
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
	waitCount(t, ctx, cl, "events.analytics", n)
	waitCount(t, ctx, cl, "events.security", n)
	waitCount(t, ctx, cl, "events.dlq", bad)
	stop()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	r.Close()

	dlq, err := cl.ReadAll(ctx, "events.dlq")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dlq {
		if !strings.HasPrefix(d.Headers[stream.HeaderDLQReason], "malformed") {
			t.Errorf("dead letter reason %q", d.Headers[stream.HeaderDLQReason])
		}
	}
	for _, topic := range []string{"events.analytics", "events.security"} {
		out, err := cl.ReadAll(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != n {
			t.Errorf("%s: %d records, want %d", topic, len(out), n)
		}
		seen := map[string]bool{}
		for _, o := range out {
			id := fmt.Sprintf("%d/%d", o.SourcePartition, o.SourceOffset)
			if seen[id] {
				t.Errorf("%s: duplicate of source %s", topic, id)
			}
			seen[id] = true
			if o.Headers[stream.HeaderPolicyVersion] != r.PolicyVersion() || o.SourceTopic != "events.raw" {
				t.Errorf("%s: lineage headers %v", topic, o.Headers)
			}
			if strings.Contains(string(o.Value), "leak@example.com") {
				t.Errorf("%s: a malformed event reached a clean output", topic)
			}
			if !json.Valid(o.Value) {
				t.Errorf("%s: invalid JSON out", topic)
			}
		}
	}
	analytics, _ := cl.ReadAll(ctx, "events.analytics")
	var (
		tagged int
		judged corpus.Judgement
	)
	for _, o := range analytics {
		if o.Headers[stream.HeaderActions] != "" {
			tagged++
		}
		if strings.HasPrefix(string(o.Key), "user-") {
			t.Errorf("raw record key %q reached the analytics output", o.Key)
		}
	}
	// Join each output record to its labelled input through its lineage.
	byValue := map[string]int{}
	for i, rec := range recs {
		byValue[string(rec.Event)] = i
	}
	raw, err := cl.ReadAll(ctx, "events.raw")
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[[2]int64]int{}
	for _, rr := range raw {
		if i, ok := byValue[string(rr.Value)]; ok {
			bySource[[2]int64{int64(rr.Partition), rr.Offset}] = i
		}
	}
	for _, o := range analytics {
		i, ok := bySource[[2]int64{int64(o.SourcePartition), o.SourceOffset}]
		if !ok {
			t.Errorf("output record names source %d/%d, which holds no valid event", o.SourcePartition, o.SourceOffset)
			continue
		}
		rec := recs[i]
		j, err := rec.Judge(o.Value)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range j.Leaks {
			t.Logf("leak %s %s %q", rec.ID, l.Path, l.Value)
		}
		judged.Add(j)
		out := strings.ToLower(string(o.Value))
		if rec.Kind == "conversation.message" {
			var ev struct {
				Message struct{ Text string } `json:"message"`
			}
			json.Unmarshal(rec.Event, &ev)
			if len(ev.Message.Text) > 20 && strings.Contains(out, strings.ToLower(ev.Message.Text[:20])) {
				t.Errorf("conversation text of %s reached the analytics output", rec.ID)
			}
		}
	}
	if rate := judged.LeakRate(); rate >= 0.001 {
		t.Errorf("analytics output leaks %d of %d personal values (%.4f)", judged.Leaked, judged.PII, rate)
	}
	if rate := judged.KeepRate(); rate < 0.97 {
		t.Errorf("analytics output keeps %d of %d values analytics needs (%.3f)", judged.Kept, judged.Keep, rate)
	}
	if tagged < n/2 {
		t.Errorf("only %d of %d analytics records carry the actions header", tagged, n)
	}
}

func waitCount(t *testing.T, ctx context.Context, cl *kafkalocal.Cluster, topic string, want int64) {
	t.Helper()
	for {
		n, err := cl.Count(ctx, topic)
		if err == nil && n >= want {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %d records, want %d: %v", topic, n, want, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown key", "kafka: {brokers: [a:1]}\nbogus: 1\n", "field bogus not found"},
		{"missing purpose", "kafka: {brokers: [a:1], group_id: g, inputs: [in], outputs: [{name: a, topic: a}], dead_letter: {topic: d}}\n", `kafka output "a" has no entry`},
		{"bad purpose", "kafka: {brokers: [a:1], group_id: g, inputs: [in], outputs: [{name: a, topic: a}], dead_letter: {topic: d}}\noutputs: [{name: a, purpose: fun}]\n", "outputs[0].purpose"},
		{"tag-only analytics", "kafka: {brokers: [a:1], group_id: g, inputs: [in], outputs: [{name: a, topic: a}], dead_letter: {topic: d}}\noutputs: [{name: a, purpose: product_improvement, tag_only: true}]\n", "outputs[0].tag_only"},
		{"unknown output", "kafka: {brokers: [a:1], group_id: g, inputs: [in], outputs: [{name: a, topic: a}], dead_letter: {topic: d}}\noutputs: [{name: a, purpose: security}, {name: b, purpose: security}]\n", `outputs[1].name: "b" is not an output`},
		{"negative reload interval", "kafka: {brokers: [a:1], group_id: g, inputs: [in], outputs: [{name: a, topic: a}], dead_letter: {topic: d}}\noutputs: [{name: a, purpose: security}]\nreload: {interval: -1s}\n", "reload.interval"},
		{"reload interval too short", "kafka: {brokers: [a:1], group_id: g, inputs: [in], outputs: [{name: a, topic: a}], dead_letter: {topic: d}}\noutputs: [{name: a, purpose: security}]\nreload: {interval: 1ms}\n", "reload.interval: 1ms is shorter"},
		{"bad rotation", "kafka: {brokers: [a:1], group_id: g, inputs: [in], outputs: [{name: a, topic: a}], dead_letter: {topic: d}}\noutputs: [{name: a, purpose: security}]\nkeys: {rotation: hourly}\n", "keys.rotation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig("veil.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to say %q", err, tc.want)
			}
		})
	}
	good := "kafka: {brokers: [a:1], group_id: g, inputs: [in], outputs: [{name: a, topic: a}], dead_letter: {topic: d}}\noutputs: [{name: a, purpose: product_improvement}]\n"
	if _, err := ParseConfig("veil.yaml", []byte(good)); err != nil {
		t.Errorf("good config refused: %v", err)
	}
}

func TestExampleConfig(t *testing.T) {
	c, err := LoadConfig("testdata/veil.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Outputs) != 3 || c.Origins["website.raw"] != "website" || c.Kafka.Producer.Compression != "zstd" || c.Reload.Interval != 30*time.Second {
		t.Errorf("parsed %+v", c)
	}
}

// TestKeyRotationNotLongerThanPolicy refuses a key ring whose keys outlive
// the rotation a purpose's hash actions ask for, and accepts one as short.
func TestKeyRotationNotLongerThanPolicy(t *testing.T) {
	for _, tc := range []struct {
		rotation string
		ok       bool
	}{
		{"", true}, {"day", true}, {"week", false}, {"month", false},
	} {
		cfg := testConfig("127.0.0.1:1") // never dialled: Run is not called
		cfg.Keys.Rotation = tc.rotation
		r, err := New(cfg)
		if tc.ok != (err == nil) {
			t.Errorf("keys.rotation %q: error %v, want ok=%v", tc.rotation, err, tc.ok)
		}
		if err == nil {
			r.Close()
		} else if !strings.Contains(err.Error(), "keys.rotation is "+tc.rotation) || !strings.Contains(err.Error(), "every day") {
			t.Errorf("keys.rotation %q: error %q does not say what and why", tc.rotation, err)
		}
	}
}

// TestPruneKeys: without keys.dir the key rings live in memory, and the
// runner destroys each period's keys once the period is over.
func TestPruneKeys(t *testing.T) {
	r, err := New(testConfig("127.0.0.1:1")) // never dialled
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.memKeys) == 0 {
		t.Fatal("no in-memory key ring without keys.dir")
	}
	day1 := time.Date(2026, 3, 3, 23, 0, 0, 0, time.UTC)
	for _, kr := range r.memKeys {
		if _, _, err := kr.Key("acme", day1); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // one pass, then return
	r.pruneKeys(ctx, time.Hour, func() time.Time { return day1.Add(2 * time.Hour) })
	for _, kr := range r.memKeys {
		if _, _, err := kr.Key("acme", day1); !errors.Is(err, actions.ErrKeyExpired) {
			t.Errorf("%v: yesterday's key after pruning: %v, want ErrKeyExpired", kr, err)
		}
	}
}

// TestNoOutputs refuses a configuration without any per-event output.
func TestNoOutputs(t *testing.T) {
	cfg := testConfig("127.0.0.1:1")
	cfg.Kafka.Outputs, cfg.Outputs = nil, nil
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "outputs: at least one output is required") {
		t.Errorf("Validate without outputs: %v", err)
	}
}
