package natsio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/natsio"
	"github.com/veilstream/veil/pipeline/stream"
)

// The Kafka side of the integration tests: an in-process Kafka-protocol
// broker (kfake) on 127.0.0.1, the kafka-go consumer-group source of package
// kafkaio, and the stream processing loop writing to a NATS sink.

const inputPartitions = 4

// startKafka starts kfake with the input, a Kafka clean topic and the
// dead-letter topic, and returns its address.
func startKafka(t testing.TB) string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.Ports(0), kfake.GroupMinSessionTimeout(100*time.Millisecond),
		kfake.SeedTopics(inputPartitions, "in", "clean", "dlq"))
	if err != nil {
		t.Fatalf("starting kfake: %v", err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()[0]
}

// produce writes n events (keys cycling over 50 users) to topic "in"; every
// badEvery-th is not JSON.
func produce(t testing.TB, addr string, n, badEvery int) {
	t.Helper()
	w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: "in", Balancer: &kafka.Murmur2Balancer{},
		BatchTimeout: time.Millisecond, BatchSize: 500, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	msgs := make([]kafka.Message, 0, 500)
	for i := range n {
		v := fmt.Appendf(nil, `{"user":%d,"seq":%d,"email":"user%d@example.com","page":"/pricing"}`, i%50, i, i%50)
		if badEvery > 0 && i%badEvery == badEvery-1 {
			v = []byte("not json " + strconv.Itoa(i))
		}
		msgs = append(msgs, kafka.Message{Key: []byte("user-" + strconv.Itoa(i%50)), Value: v,
			Headers: []kafka.Header{{Key: "producer", Value: []byte("test")}}})
		if len(msgs) == cap(msgs) || i == n-1 {
			if err := w.WriteMessages(context.Background(), msgs...); err != nil {
				t.Fatalf("producing: %v", err)
			}
			msgs = msgs[:0]
		}
	}
}

// inputRecords lists every input record's partition and offset, and whether
// it is JSON.
func inputRecords(t testing.TB, addr string) map[string]bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	recs, err := kafkalocal.ReadTopic(ctx, nil, addr, "in")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range recs {
		out["in/"+strconv.Itoa(r.Partition)+"@"+strconv.FormatInt(r.Offset, 10)] = json.Valid(r.Value)
	}
	return out
}

// kafkaCount is the number of records in a Kafka topic.
func kafkaCount(t testing.TB, addr, topic string) int64 {
	t.Helper()
	var n int64
	for p := range inputPartitions {
		conn, err := kafka.DialLeader(context.Background(), "tcp", addr, topic, p)
		if err != nil {
			t.Fatal(err)
		}
		first, last, err := conn.ReadOffsets()
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		n += last - first
	}
	return n
}

// dropEmail is the test Transform: it removes "email" from a JSON object and
// rejects anything else. A simple stand-in for the sanitizer.
var dropEmail = stream.TransformFunc(func(dst []byte, rec *stream.Record) ([]byte, stream.Meta, error) {
	var m map[string]any
	if err := json.Unmarshal(rec.Value, &m); err != nil || m == nil {
		return dst, stream.Meta{}, &stream.Reject{Reason: "malformed: not a JSON object"}
	}
	delete(m, "email")
	b, err := json.Marshal(m)
	if err != nil {
		return dst, stream.Meta{}, err
	}
	return append(dst, b...), stream.Meta{Actions: []byte("email:EMAIL_ADDRESS:drop")}, nil
})

// newProcessor builds Kafka source → {NATS output, Kafka output} with a
// Kafka dead-letter topic. kafkaio.NewProcessor makes Kafka outputs only, so
// the processor is assembled from kafkaio's Source and Sink and stream.New.
func newProcessor(t testing.TB, addr, group string, nc natsio.Config) *stream.Processor {
	t.Helper()
	kc := kafkaio.Config{
		Brokers:    []string{addr},
		GroupID:    group,
		Inputs:     []string{"in"},
		Outputs:    []kafkaio.OutputConfig{{Name: "kafka-clean", Topic: "clean"}},
		DeadLetter: kafkaio.OutputConfig{Topic: "dlq"},
		Consumer: kafkaio.ConsumerConfig{
			BatchRecords:       50,
			MaxInFlightBatches: 4,
			FetchMaxWait:       50 * time.Millisecond,
			SessionTimeout:     2500 * time.Millisecond,
			HeartbeatInterval:  200 * time.Millisecond,
			RebalanceTimeout:   10 * time.Second,
		},
	}
	if err := kc.Validate(); err != nil {
		t.Fatal(err)
	}
	src, err := kafkaio.NewSource(&kc, nil, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	kclean, err := kafkaio.NewSink(&kc, kc.Outputs[0])
	if err != nil {
		t.Fatal(err)
	}
	dlq, err := kafkaio.NewSink(&kc, kc.DeadLetter)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ns, err := natsio.NewSink(ctx, nc, natsio.WithLogger(testLogger()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := stream.New(src, []stream.Output{
		{Name: "nats-clean", Sink: ns, NewTransform: stream.Shared(dropEmail), PolicyVersion: "test-1"},
		{Name: "kafka-clean", Sink: kclean, NewTransform: stream.Shared(dropEmail), PolicyVersion: "test-1"},
	}, dlq, stream.Config{}, stream.WithLogger(testLogger()))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// running is a processor running in a goroutine.
type running struct {
	p      *stream.Processor
	cancel context.CancelFunc
	done   chan error
}

func run(p *stream.Processor) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{p: p, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- p.Run(ctx) }()
	return r
}

func (r *running) stop(t testing.TB) {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := r.p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("processor did not stop within 30s")
	}
}

// checkExactlyOnce compares the stream with the input: every JSON event
// exactly once, without its email, with its lineage and in input order per
// partition; no malformed event.
func checkExactlyOnce(t testing.TB, natsURL string, inputs map[string]bool) {
	t.Helper()
	got := readStream(t, natsURL, "CLEAN")
	seen := map[string]int{}
	last := map[int32]int64{}
	for _, m := range got {
		id := "in/" + strconv.Itoa(int(m.part)) + "@" + strconv.FormatInt(m.offset, 10)
		good, ok := inputs[id]
		switch {
		case m.topic != "in" || !ok:
			t.Fatalf("message with lineage %s/%d@%d matches no input record", m.topic, m.part, m.offset)
		case !good:
			t.Fatalf("malformed input %s reached the NATS output", id)
		case strings.Contains(m.data, "@example.com"):
			t.Fatalf("%s: email reached the NATS output: %s", id, m.data)
		case m.subject != "veil.clean.in."+strconv.Itoa(int(m.part)):
			t.Fatalf("%s on subject %s", id, m.subject)
		}
		seen[id]++
		if prev, ok := last[m.part]; ok && m.offset <= prev && seen[id] == 1 {
			t.Fatalf("partition %d: offset %d stored after %d", m.part, m.offset, prev)
		}
		last[m.part] = m.offset
	}
	missing, dups := 0, 0
	for id, good := range inputs {
		switch n := seen[id]; {
		case good && n == 0:
			missing++
		case n > 1:
			dups += n - 1
		}
	}
	if missing > 0 || dups > 0 {
		t.Fatalf("NATS output: %d events missing, %d duplicates (of %d messages)", missing, dups, len(got))
	}
}

func goodCount(inputs map[string]bool) (good, bad int) {
	for _, ok := range inputs {
		if ok {
			good++
		} else {
			bad++
		}
	}
	return good, bad
}

// TestKafkaToJetStream runs the whole pipeline: events produced to Kafka,
// before and while the processor runs, arrive in JetStream exactly once,
// sanitized, on their partition's subject; malformed ones go to the Kafka
// dead-letter topic only.
func TestKafkaToJetStream(t *testing.T) {
	addr := startKafka(t)
	srv := startServer(t)
	produce(t, addr, 2000, 40)

	r := run(newProcessor(t, addr, "g-nats", baseConfig(srv.ClientURL())))
	waitFor(t, 60*time.Second, "the first 1950 events in JetStream", func() bool {
		return streamMsgs(t, srv.ClientURL(), "CLEAN") >= 1950
	})
	produce(t, addr, 1000, 0) // while running
	waitFor(t, 60*time.Second, "all 2950 events in JetStream and 50 dead letters", func() bool {
		return streamMsgs(t, srv.ClientURL(), "CLEAN") >= 2950 && kafkaCount(t, addr, "dlq") >= 50
	})
	time.Sleep(200 * time.Millisecond) // let a straggling duplicate, if any, land
	r.stop(t)

	inputs := inputRecords(t, addr)
	good, bad := goodCount(inputs)
	if good != 2950 || bad != 50 {
		t.Fatalf("input has %d good and %d malformed events, want 2950 and 50", good, bad)
	}
	checkExactlyOnce(t, srv.ClientURL(), inputs)
	if n := kafkaCount(t, addr, "dlq"); n != 50 {
		t.Errorf("dead-letter topic holds %d records, want 50", n)
	}
	if n := kafkaCount(t, addr, "clean"); n != 2950 {
		t.Errorf("the Kafka output next to the NATS one holds %d records, want 2950", n)
	}
}

const (
	envCrashKafka = "VEIL_TEST_NATS_CRASH_KAFKA"
	envCrashNATS  = "VEIL_TEST_NATS_CRASH_NATS"
)

// crashNATSConfig has a duplicate window far shorter than the restart takes:
// only the read-back of Written can keep the restarted processor from
// writing duplicates.
func crashNATSConfig(url string) natsio.Config {
	c := baseConfig(url)
	c.CreateStream.DuplicateWindow = 100 * time.Millisecond
	return c
}

// TestHelperNATSCrashProcessor is not a test: TestKafkaToJetStreamCrash runs
// the test binary again with only this function, as a processor it can
// SIGKILL.
func TestHelperNATSCrashProcessor(t *testing.T) {
	addr, url := os.Getenv(envCrashKafka), os.Getenv(envCrashNATS)
	if addr == "" || url == "" {
		t.Skip("helper process for TestKafkaToJetStreamCrash")
	}
	p := newProcessor(t, addr, "g-nats-crash", crashNATSConfig(url))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = p.Run(ctx)
}

// TestKafkaToJetStreamCrash kills a processor (SIGKILL of a separate
// process: nothing is closed or drained) while it writes to JetStream, waits
// past the stream's duplicate window and restarts one in the same group:
// JetStream ends up with every event exactly once.
func TestKafkaToJetStreamCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	const total = 12000
	addr := startKafka(t)
	srv := startServer(t)
	url := srv.ClientURL()
	produce(t, addr, total, 40)

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperNATSCrashProcessor$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashKafka+"="+addr, envCrashNATS+"="+url)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the child processor: %v", err)
	}
	waitFor(t, 60*time.Second, "the child to be mid-stream", func() bool {
		return streamMsgs(t, url, "CLEAN") >= total/5
	})
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("killing the child: %v", err)
	}
	_ = cmd.Wait()
	atKill := streamMsgs(t, url, "CLEAN")
	good := total * 39 / 40
	if atKill >= uint64(good) {
		t.Fatalf("the child finished (%d events out) before it was killed; the test proves nothing", atKill)
	}
	t.Logf("killed the child with %d of %d events in JetStream", atKill, good)
	time.Sleep(300 * time.Millisecond) // past the 100ms duplicate window

	r := run(newProcessor(t, addr, "g-nats-crash", crashNATSConfig(url)))
	waitFor(t, 90*time.Second, "the restarted processor to finish", func() bool {
		return streamMsgs(t, url, "CLEAN") >= uint64(good) && kafkaCount(t, addr, "dlq") >= total/40
	})
	time.Sleep(300 * time.Millisecond)
	r.stop(t)
	checkExactlyOnce(t, url, inputRecords(t, addr))
}
