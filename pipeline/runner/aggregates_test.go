package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/pipeline/aggregate"
	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
)

func trafficAggregate() AggregateConfig {
	lo, hi := 0.0, 7200.0
	return AggregateConfig{
		Name: "traffic", Purpose: "product_improvement",
		RepartitionTopic: "traffic.repartition", AggregateTopic: "traffic.aggregates",
		CheckpointTopic: "traffic.checkpoints", DeadLetterTopic: "traffic.dlq",
		FlushOnStop: true,
		Config: aggregate.Config{
			Window: time.Minute, AllowedLateness: time.Hour, K: 3,
			Dimensions: []aggregate.Dimension{{Name: "event_type"}, {Name: "country"}, {Name: "device_os"}},
			Metrics:    []aggregate.Metric{{Name: "session_duration", Paths: []string{"session.duration_s"}, Lower: &lo, Upper: &hi}},
		},
	}
}

// TestAggregateOutput runs the per-event outputs and an aggregate output
// side by side on a Kafka-protocol broker over TCP: the aggregate topic
// ends up with exactly the records an in-memory aggregator computes from
// the same events sanitized for the aggregate's purpose (flushed on stop),
// no labelled personal value of the input reaches it, and the per-event
// outputs are what they are without it: every event once, each record the
// sanitizer's output for its source event. A configuration with the
// aggregate output alone runs too, with the same aggregates.
func TestAggregateOutput(t *testing.T) {
	t.Run("beside per-event outputs", func(t *testing.T) { aggregateOutput(t, true) })
	t.Run("alone", func(t *testing.T) { aggregateOutput(t, false) })
}

func aggregateOutput(t *testing.T, perEvent bool) {
	cl, err := kafkalocal.Start(
		kafkalocal.Topic{Name: "events.raw", Partitions: 4},
		kafkalocal.Topic{Name: "events.analytics", Partitions: 4},
		kafkalocal.Topic{Name: "events.security", Partitions: 4},
		kafkalocal.Topic{Name: "events.dlq", Partitions: 4},
		kafkalocal.Topic{Name: "traffic.repartition", Partitions: 3},
		kafkalocal.Topic{Name: "traffic.aggregates", Partitions: 2},
		kafkalocal.Topic{Name: "traffic.checkpoints", Partitions: 1},
		kafkalocal.Topic{Name: "traffic.dlq", Partitions: 4},
	)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	cfg := testConfig(cl.Addr)
	if !perEvent {
		cfg.Kafka.Outputs, cfg.Outputs = nil, nil
	}
	cfg.Aggregates = []AggregateConfig{trafficAggregate()}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	// Events whose time is in the event (not the record's timestamp, which
	// the in-memory run cannot know), and malformed ones.
	x, err := aggregate.NewExtractor(cfg.Aggregates[0].Config)
	if err != nil {
		t.Fatal(err)
	}
	const n, bad = 500, 5
	g := corpus.New(17)
	var recs []corpus.Record
	var msgs []kafkalocal.Message
	for len(recs) < n {
		rec := g.Next()
		if e, err := x.Extract(rec.Event, rec.Event, time.Time{}); err != nil || e.Time.IsZero() {
			continue
		}
		recs = append(recs, rec)
		msgs = append(msgs, kafkalocal.Message{Key: []byte(fmt.Sprintf("user-%d", len(recs)%37)), Value: rec.Event})
		if len(recs)%(n/bad) == 0 {
			msgs = append(msgs, kafkalocal.Message{Value: []byte(`{"email":"leak@example.com", truncated`)})
		}
	}
	p := cl.NewProducer("events.raw")
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	p.Close()

	joins := &joinRecorder{}
	r, err := New(cfg, WithHooks(joins))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()
	wait := func(topic string, want int64) {
		t.Helper()
		for {
			c, err := cl.Count(ctx, topic)
			if err == nil && c >= want {
				return
			}
			select {
			case err := <-done:
				t.Fatalf("run stopped: %v", err)
			case <-ctx.Done():
				rp, _ := cl.Count(context.Background(), "traffic.repartition")
				t.Fatalf("%s: %d records, want %d (repartition topic: %d)", topic, c, want, rp)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	if perEvent {
		wait("events.analytics", n)
		wait("events.security", n)
		wait("events.dlq", bad)
	} else {
		wait("traffic.dlq", bad)
	}
	// The aggregate output may still be behind: flush_on_stop catches up,
	// then publishes every window (the allowed lateness of an hour keeps
	// them all open until then, whatever the order of the partitions).
	stop()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	gen := r.gens.Load()
	r.Close()

	// The in-memory run over the same events, sanitized for the purpose.
	san, err := sanitize.New(gen.outputs[len(cfg.Outputs)].scfg)
	if err != nil {
		t.Fatal(err)
	}
	a, err := aggregate.New(cfg.Aggregates[0].Config)
	if err != nil {
		t.Fatal(err)
	}
	var buf []byte
	for _, rec := range recs {
		if buf, err = san.Sanitize(buf[:0], rec.Event); err != nil {
			t.Fatal(err)
		}
		e, err := x.Extract(rec.Event, buf, time.Time{})
		if err != nil {
			continue // no contributor: skipped by stage 1 too
		}
		if err := a.Add(e); err != nil {
			t.Fatalf("in-memory run: %v", err)
		}
	}
	a.Flush()
	want := map[string]string{}
	for _, rc := range a.Drain(nil) {
		want[string(rc.AppendKey(nil))] = string(rc.AppendJSON(nil))
	}
	out, err := cl.ReadAll(ctx, "traffic.aggregates")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, o := range out {
		got[string(o.Key)] = string(o.Value)
	}
	diff := 0
	for k, v := range want {
		if got[k] != v {
			diff++
			if diff < 3 {
				t.Logf("key %s\n got %s\nwant %s", k, got[k], v)
			}
		}
	}
	if diff > 0 || len(got) != len(want) || len(want) == 0 {
		t.Fatalf("aggregate topic: %d keys, %d of the %d expected differ", len(got), diff, len(want))
	}
	t.Logf("%d events, %d aggregate records", n, len(want))
	for _, o := range out {
		for _, rec := range recs {
			for _, pii := range rec.PII {
				if s := fmt.Sprint(pii.Value); len(s) >= 6 && strings.Contains(string(o.Value), s) {
					t.Fatalf("personal value %q of %s on the aggregate topic", s, rec.ID)
				}
			}
		}
	}
	if d, _ := cl.Count(ctx, "traffic.dlq"); d != bad {
		t.Errorf("the aggregate's dead-letter topic holds %d events, want %d", d, bad)
	}
	if !perEvent {
		// Readiness follows the aggregate's consumer groups then.
		if joins.n.Load() == 0 {
			t.Error("no consumer-group join reached the hooks")
		}
		for _, topic := range []string{"events.analytics", "events.security", "events.dlq"} {
			if c, _ := cl.Count(ctx, topic); c != 0 {
				t.Errorf("%s holds %d records with no per-event output configured", topic, c)
			}
		}
		return
	}

	// The per-event outputs: each event once, each record exactly what the
	// output's sanitizer makes of its source event.
	raw, err := cl.ReadAll(ctx, "events.raw")
	if err != nil {
		t.Fatal(err)
	}
	rawAt := map[[2]int64][]byte{}
	for _, rr := range raw {
		rawAt[[2]int64{int64(rr.Partition), rr.Offset}] = rr.Value
	}
	for i, topic := range []string{"events.analytics", "events.security"} {
		s, err := sanitize.New(gen.outputs[i].scfg)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := cl.ReadAll(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != n {
			t.Errorf("%s: %d records, want %d", topic, len(recs), n)
		}
		for _, o := range recs {
			want, err := s.Sanitize(nil, rawAt[[2]int64{int64(o.SourcePartition), o.SourceOffset}])
			if err != nil || string(want) != string(o.Value) {
				t.Fatalf("%s: record of %d/%d is not its sanitized source event (%v)", topic, o.SourcePartition, o.SourceOffset, err)
			}
		}
	}
	if d, _ := cl.Count(ctx, "events.dlq"); d != bad {
		t.Errorf("events.dlq holds %d events, want %d (the aggregate's rejects go to its own topic)", d, bad)
	}
}

func TestAggregateConfigErrors(t *testing.T) {
	keys := t.TempDir()
	for _, tc := range []struct {
		name string
		mod  func(c *Config)
		want string
	}{
		{"security purpose", func(c *Config) { c.Aggregates[0].Purpose = "security" }, "aggregates[0].purpose: security is not an analytics purpose"},
		{"unknown purpose", func(c *Config) { c.Aggregates[0].Purpose = "sales" }, "aggregates[0].purpose: unknown purpose"},
		{"bad name", func(c *Config) { c.Aggregates[0].Name = "a b" }, "aggregates[0].name"},
		{"name of an output", func(c *Config) { c.Aggregates[0].Name = "analytics" }, `aggregates[0].name: "analytics" is also the name of an output`},
		{"topic of an output", func(c *Config) { c.Aggregates[0].AggregateTopic = "events.analytics" }, `aggregates[0].aggregate_topic: "events.analytics" is also written by kafka.outputs[0]`},
		{"twice the same topic", func(c *Config) {
			b := trafficAggregate()
			b.Name = "other"
			c.Aggregates = append(c.Aggregates, b)
		}, `aggregates[1].repartition_topic: "traffic.repartition" is also written by aggregates[0].repartition_topic`},
		{"no window", func(c *Config) { c.Aggregates[0].Window = 0 }, "aggregates[0] (traffic): aggregate processor: aggregate config: window"},
		{"unknown dimension", func(c *Config) {
			c.Aggregates[0].Dimensions = append(c.Aggregates[0].Dimensions, aggregate.Dimension{Name: "shoe_size"})
		}, "dimensions[3].paths: at least one path is required"},
		{"no checkpoint topic", func(c *Config) { c.Aggregates[0].CheckpointTopic = "" }, "checkpoint_topic: required"},
		{"dp without the noise key", func(c *Config) {
			c.Keys.Dir = keys
			c.Aggregates[0].Bounds = aggregate.Bounds{MaxEventsPerCohort: 5, MaxCohortsPerWindow: 4}
			c.Aggregates[0].Privacy = &aggregate.Privacy{Epsilon: 1, Delta: 1e-6}
		}, "aggregates[0].differential_privacy: keys.dir: the noise key of aggregate outputs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig("127.0.0.1:9092")
			c.Aggregates = []AggregateConfig{trafficAggregate()}
			tc.mod(c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	c := testConfig("127.0.0.1:9092")
	c.Aggregates = []AggregateConfig{trafficAggregate()}
	c.Keys.Dir = keys
	c.Aggregates[0].Bounds = aggregate.Bounds{MaxEventsPerCohort: 5, MaxCohortsPerWindow: 4}
	c.Aggregates[0].Privacy = &aggregate.Privacy{Epsilon: 1, Delta: 1e-6}
	if err := os.WriteFile(filepath.Join(keys, NoiseKeyFile), []byte(strings.Repeat("k", 40)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("with the noise key: %v", err)
	}
	if c.Aggregates[0].Dimensions[1].Paths == nil {
		t.Error("the standard dimension country did not get its default paths")
	}
}

// TestExampleConfigAggregate parses the annotated example with its
// aggregate entry uncommented.
func TestExampleConfigAggregate(t *testing.T) {
	data, err := os.ReadFile("testdata/veil.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	in := false
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "# aggregates:") {
			in = true
		}
		if in && strings.HasPrefix(l, "#") {
			l = strings.TrimPrefix(strings.TrimPrefix(l, "#"), " ")
		} else if in && l == "" {
			in = false
		}
		lines = append(lines, l)
	}
	c, err := ParseConfig("veil.yaml (aggregates uncommented)", []byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Aggregates) != 1 || c.Aggregates[0].Window != 5*time.Minute || c.Aggregates[0].K != 10 || len(c.Aggregates[0].Dimensions) != 4 {
		t.Fatalf("aggregates parsed as %+v", c.Aggregates)
	}
}

// joinRecorder counts consumer-group joins (kafkaio.GroupHooks).
type joinRecorder struct {
	stream.NopHooks
	n atomic.Int64
}

func (j *joinRecorder) GroupJoined(string, int)       { j.n.Add(1) }
func (j *joinRecorder) GroupJoinFailed(string, error) {}
