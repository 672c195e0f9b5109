package aggregate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/kafkalocal"
)

const (
	envAggBroker = "VEIL_TEST_AGG_BROKER"
	envAggGroup  = "VEIL_TEST_AGG_GROUP"
)

var crashTypes = []string{"page", "track", "screen"}

// crashEvents returns the input of the crash test: events over 12 one-minute
// windows, up to 15s out of order (within the 20s lateness, so none is late
// and the result does not depend on how partitions interleave, but enough
// that a window's stragglers follow the next window's first records: a
// restart that did not restore the watermark would republish those windows
// in part, and this test fails without the checkpoint), from 40 people, then
// one far-future event per type so that every real window closes.
func crashEvents() (msgs []kafkalocal.Message, idents []string) {
	r := rand.New(rand.NewPCG(4, 2))
	base := t0.UnixMilli()
	countries := []string{"FR", "DE", "US"}
	paths := []string{"/", "/a", "/b", "/c"}
	for i := range 40 {
		idents = append(idents, fmt.Sprintf("person-%02d-%08x", i, r.Uint32()))
	}
	for i := range 3600 {
		at := base + int64(i)*200 - int64(r.IntN(15000))
		who := idents[r.IntN(len(idents))]
		msgs = append(msgs, kafkalocal.Message{Value: fmt.Appendf(nil, `{"type":%q,"anonymousId":%q,"ts":%d,"geo":{"country":%q},"page":{"path":%q},"duration_s":%d}`,
			crashTypes[r.IntN(3)], who, at, countries[r.IntN(3)], paths[r.IntN(4)], r.IntN(600))})
	}
	for _, ty := range crashTypes {
		msgs = append(msgs, kafkalocal.Message{Value: fmt.Appendf(nil, `{"type":%q,"anonymousId":"sentinel","ts":%d}`, ty, base+3600_000)})
	}
	return msgs, idents
}

func crashConfig(addr, group, suffix string) ProcessorConfig {
	lo, hi := 0.0, 600.0
	return ProcessorConfig{
		Kafka: kafkaio.Config{
			Brokers:    []string{addr},
			GroupID:    group,
			Inputs:     []string{"in"},
			DeadLetter: kafkaio.OutputConfig{Topic: "dlq" + suffix},
			Consumer: kafkaio.ConsumerConfig{
				BatchRecords:      40,
				FetchMaxWait:      50 * time.Millisecond,
				SessionTimeout:    2500 * time.Millisecond,
				HeartbeatInterval: 200 * time.Millisecond,
				RebalanceTimeout:  10 * time.Second,
			},
		},
		RepartitionTopic: "repart" + suffix,
		AggregateTopic:   "agg" + suffix,
		CheckpointTopic:  "ckpt" + suffix,
		PartitionBy:      []string{"event_type"},
		Aggregate: Config{
			Window: time.Minute, AllowedLateness: 20 * time.Second, K: 2,
			Dimensions: []Dimension{
				{Name: "event_type", Paths: []string{"type"}},
				{Name: "country", Paths: []string{"geo.country"}},
				{Name: "page_path", Paths: []string{"page.path"}},
			},
			Rollup:  []string{"page_path", "country"},
			Metrics: []Metric{{Name: "duration", Paths: []string{"duration_s"}, Lower: &lo, Upper: &hi, Histogram: []float64{60, 300}}},
		},
	}
}

func identity(dst, raw []byte) ([]byte, error) { return append(dst, raw...), nil }

func identitySanitizer() (SanitizeFunc, error) { return identity, nil }

// TestHelperAggregateProcessor is not a test: TestAggregateCrashAndRestart
// runs the test binary again with only this function, as a processor it
// can SIGKILL.
func TestHelperAggregateProcessor(t *testing.T) {
	addr := os.Getenv(envAggBroker)
	if addr == "" {
		t.Skip("helper process for TestAggregateCrashAndRestart")
	}
	c := crashConfig(addr, os.Getenv(envAggGroup), "")
	c.Kafka.Producer.BatchTimeout = 15 * time.Millisecond // slow, so it is killed mid-stream
	p, err := NewProcessor(c, identitySanitizer)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = p.Run(ctx)
}

// expected runs the same events through one in-memory aggregator; flush
// also closes the windows the events left open.
func expected(t *testing.T, msgs []kafkalocal.Message, flush bool) map[string]string {
	c := crashConfig("127.0.0.1:1", "g", "")
	x, err := NewExtractor(c.Aggregate)
	if err != nil {
		t.Fatal(err)
	}
	a := mustNew(t, c.Aggregate, withoutOther())
	for _, m := range msgs {
		e, err := x.Extract(m.Value, m.Value, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Add(e); err != nil {
			t.Fatalf("%v (the input must have no late event)", err)
		}
	}
	if flush {
		a.Flush()
	}
	want := map[string]string{}
	for _, r := range a.Drain(nil) {
		want[string(r.AppendKey(nil))] = string(r.AppendJSON(nil))
	}
	return want
}

func published(t *testing.T, cl *kafkalocal.Cluster, topic string) (map[string]string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	recs, err := cl.ReadAll(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]string{}
	for _, r := range recs {
		last[string(r.Key)] = string(r.Value)
	}
	return last, len(recs)
}

func waitEqual(t *testing.T, cl *kafkalocal.Cluster, topic string, want map[string]string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		got, _ := published(t, cl, topic)
		if len(got) == len(want) {
			diff := 0
			for k, v := range want {
				if got[k] != v {
					diff++
				}
			}
			if diff == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d of %d records differ from a run without a crash", topic, diff, len(want))
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("%s: %d keys published, want %d", topic, len(got), len(want))
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// TestAggregateCrashAndRestart produces events spanning 12 windows, runs the
// processor in a child process, SIGKILLs it mid-stream (no graceful close of
// anything) once some windows are published, restarts one in the same
// groups, and checks that the final aggregates (last value per key of the
// compacted topic) equal those of an uninterrupted run and of an in-memory
// run, and that no identifier reached the aggregate topic.
func TestAggregateCrashAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	topics := []kafkalocal.Topic{{Name: "in", Partitions: 1}}
	for _, s := range []string{"", "-clean"} {
		topics = append(topics, kafkalocal.Topic{Name: "repart" + s, Partitions: 3}, kafkalocal.Topic{Name: "agg" + s, Partitions: 2},
			kafkalocal.Topic{Name: "ckpt" + s, Partitions: 1}, kafkalocal.Topic{Name: "dlq" + s, Partitions: 1})
	}
	cl, err := kafkalocal.Start(topics...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	msgs, idents := crashEvents()
	prod := cl.NewProducer("in")
	ctx := context.Background()
	for chunk := range slices.Chunk(msgs, 500) {
		if err := prod.Write(ctx, chunk...); err != nil {
			t.Fatal(err)
		}
	}
	prod.Close()
	want := expected(t, msgs, false)
	t.Logf("%d events, %d records expected", len(msgs), len(want))

	// The uninterrupted run.
	runUntilEqual(t, cl, crashConfig(cl.Addr, "g-clean", "-clean"), "agg-clean", want)

	// The crashed run.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAggregateProcessor$", "-test.count=1")
	cmd.Env = append(os.Environ(), envAggBroker+"="+cl.Addr, envAggGroup+"=g-crash")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, n := published(t, cl, "agg"); n >= len(want)/4 {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("the child published nothing in time")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	atKill, _ := published(t, cl, "agg")
	if len(atKill) >= len(want) {
		t.Fatalf("the child published everything (%d keys) before it was killed; the test proves nothing", len(atKill))
	}
	t.Logf("killed the child with %d of %d keys published", len(atKill), len(want))

	runUntilEqual(t, cl, crashConfig(cl.Addr, "g-crash", ""), "agg", want)

	rctx2, cancel2 := context.WithTimeout(ctx, 20*time.Second)
	defer cancel2()
	all, err := cl.ReadAll(rctx2, "agg")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		for _, id := range idents {
			if bytes.Contains(r.Value, []byte(id)) || bytes.Contains(r.Key, []byte(id)) {
				t.Fatalf("identifier %q published", id)
			}
		}
	}
}

// TestRepartitionCopiesCountedOnce replays what stage 1 writes after a
// crash: the repartition topic of a clean run, with a run of each
// partition's records written a second time right after it (the batch a
// restarted stage 1 writes again, from its last commit). Stage 2 must count
// every input event once: the aggregates equal the clean run's.
func TestRepartitionCopiesCountedOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a broker")
	}
	topics := []kafkalocal.Topic{{Name: "in", Partitions: 1}, {Name: "in-empty", Partitions: 1}}
	for _, s := range []string{"-clean", "-dup"} {
		topics = append(topics, kafkalocal.Topic{Name: "repart" + s, Partitions: 3}, kafkalocal.Topic{Name: "agg" + s, Partitions: 2},
			kafkalocal.Topic{Name: "ckpt" + s, Partitions: 1}, kafkalocal.Topic{Name: "dlq" + s, Partitions: 1})
	}
	cl, err := kafkalocal.Start(topics...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	msgs, _ := crashEvents()
	prod := cl.NewProducer("in")
	for chunk := range slices.Chunk(msgs, 500) {
		if err := prod.Write(ctx, chunk...); err != nil {
			t.Fatal(err)
		}
	}
	prod.Close()
	want := expected(t, msgs, false)

	runUntilEqual(t, cl, crashConfig(cl.Addr, "g-clean", "-clean"), "agg-clean", want)

	// Stage 1's output, each partition with a replayed run in its middle.
	recs, err := cl.ReadAll(ctx, "repart-clean")
	if err != nil {
		t.Fatal(err)
	}
	byPart := map[int][]kafka.Message{}
	for _, r := range recs {
		var hs []kafka.Header
		for k, v := range r.Headers {
			hs = append(hs, kafka.Header{Key: k, Value: []byte(v)})
		}
		byPart[r.Partition] = append(byPart[r.Partition], kafka.Message{Key: r.Key, Value: r.Value, Headers: hs})
	}
	copies := 0
	for part, ms := range byPart {
		i0, i1 := len(ms)/3, 2*len(ms)/3
		replayed := slices.Concat(ms[:i1], ms[i0:i1], ms[i1:])
		copies += i1 - i0
		conn, err := kafka.DialLeader(ctx, "tcp", cl.Addr, "repart-dup", part)
		if err != nil {
			t.Fatal(err)
		}
		for chunk := range slices.Chunk(replayed, 200) {
			if _, err := conn.WriteMessages(chunk...); err != nil {
				t.Fatal(err)
			}
		}
		conn.Close()
	}
	if copies < 100 {
		t.Fatalf("only %d copies written: the test would prove little", copies)
	}
	t.Logf("%d repartition records, %d of them written twice", len(recs), copies)

	c := crashConfig(cl.Addr, "g-dup", "-dup")
	c.Kafka.Inputs = []string{"in-empty"} // stage 2 reads the prepared topic alone
	runUntilEqual(t, cl, c, "agg-dup", want)
}

// runUntilEqual runs a processor with c until the last value of every key
// of aggTopic equals want (waitEqual), then stops and closes it.
func runUntilEqual(t *testing.T, cl *kafkalocal.Cluster, c ProcessorConfig, aggTopic string, want map[string]string) {
	t.Helper()
	p, err := NewProcessor(c, identitySanitizer)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	waitEqual(t, cl, aggTopic, want)
	stop()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("%s run: %v", c.Kafka.GroupID, err)
	}
	p.Close()
}
