package kafkaio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

// topicSpec is a topic to seed the fake cluster with.
type topicSpec struct {
	name       string
	partitions int32
}

// startCluster starts an in-process Kafka-protocol broker on 127.0.0.1 with
// the given topics and returns its address.
func startCluster(t testing.TB, topics ...topicSpec) string {
	t.Helper()
	opts := []kfake.Opt{kfake.Ports(0), kfake.GroupMinSessionTimeout(100 * time.Millisecond)}
	for _, tp := range topics {
		opts = append(opts, kfake.SeedTopics(tp.partitions, tp.name))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatalf("starting kfake: %v", err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()[0]
}

// event is what the tests produce: key user-<User>, a JSON object with an
// email the test transform drops.
type event struct {
	User  int    `json:"user"`
	Seq   int    `json:"seq"`
	Email string `json:"email,omitempty"`
	Page  string `json:"page"`
}

// produce writes n events to topic with keys cycling over users, starting at
// sequence number from. Every badEvery-th event (0: none) is not JSON.
func produce(t testing.TB, addr, topic string, from, n, users, badEvery int) {
	t.Helper()
	w := &kafka.Writer{
		Addr:         kafka.TCP(addr),
		Topic:        topic,
		Balancer:     &kafka.Murmur2Balancer{},
		BatchTimeout: time.Millisecond,
		BatchSize:    500,
		RequiredAcks: kafka.RequireAll,
	}
	defer w.Close()
	msgs := make([]kafka.Message, 0, 500)
	flush := func() {
		if err := w.WriteMessages(context.Background(), msgs...); err != nil {
			t.Fatalf("producing to %s: %v", topic, err)
		}
		msgs = msgs[:0]
	}
	for i := from; i < from+n; i++ {
		u := i % users
		var v []byte
		if badEvery > 0 && i%badEvery == badEvery-1 {
			v = []byte("not json " + strconv.Itoa(i))
		} else {
			v, _ = json.Marshal(event{User: u, Seq: i, Email: fmt.Sprintf("user%d@example.com", u), Page: "/pricing"})
		}
		msgs = append(msgs, kafka.Message{Key: []byte("user-" + strconv.Itoa(u)), Value: v,
			Headers: []kafka.Header{{Key: "producer", Value: []byte("test")}}})
		if len(msgs) == cap(msgs) {
			flush()
		}
	}
	if len(msgs) > 0 {
		flush()
	}
}

// dropEmail is the test Transform: it parses the event with encoding/json,
// removes "email", and rejects anything that is not a JSON object. It is a
// simple stand-in for the sanitizer, not a fake of Kafka.
type dropEmail struct{}

func (dropEmail) Transform(dst []byte, rec *stream.Record) ([]byte, stream.Meta, error) {
	var m map[string]any
	if err := json.Unmarshal(rec.Value, &m); err != nil || m == nil {
		return dst, stream.Meta{}, &stream.Reject{Reason: "malformed: not a JSON object"}
	}
	var meta stream.Meta
	if _, ok := m["email"]; ok {
		delete(m, "email")
		meta.Actions = []byte("email:EMAIL_ADDRESS:drop")
	}
	b, err := json.Marshal(m)
	if err != nil {
		return dst, meta, err
	}
	return append(dst, b...), meta, nil
}

// lineage identifies an input record.
type lineage struct {
	topic     string
	partition int32
	offset    int64
}

// outRec is one record read back from an output or dead-letter topic.
type outRec struct {
	partition int
	offset    int64
	key       string
	value     []byte
	headers   map[string]string
	src       lineage
}

// readTopic reads every record of every partition of topic.
func readTopic(t testing.TB, addr, topic string) []outRec {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	parts, err := (&kafka.Dialer{}).LookupPartitions(ctx, "tcp", addr, topic)
	if err != nil {
		t.Fatalf("looking up %s: %v", topic, err)
	}
	var out []outRec
	for _, p := range parts {
		conn, err := kafka.DialLeader(ctx, "tcp", addr, topic, p.ID)
		if err != nil {
			t.Fatalf("dialing %s/%d: %v", topic, p.ID, err)
		}
		first, last, err := conn.ReadOffsets()
		if err != nil {
			t.Fatalf("offsets of %s/%d: %v", topic, p.ID, err)
		}
		if _, err := conn.Seek(first, kafka.SeekAbsolute); err != nil && first != last {
			t.Fatalf("seek %s/%d: %v", topic, p.ID, err)
		}
		for next := first; next < last; {
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			b := conn.ReadBatchWith(kafka.ReadBatchConfig{MinBytes: 1, MaxBytes: 1 << 20, MaxWait: 100 * time.Millisecond})
			for {
				m, err := b.ReadMessage()
				if err != nil {
					break
				}
				next = m.Offset + 1
				r := outRec{partition: p.ID, offset: m.Offset, key: string(m.Key), value: m.Value, headers: map[string]string{}}
				for _, h := range m.Headers {
					r.headers[h.Key] = string(h.Value)
				}
				r.src.topic = r.headers[stream.HeaderSourceTopic]
				sp, _ := strconv.Atoi(r.headers[stream.HeaderSourcePartition])
				r.src.partition = int32(sp)
				r.src.offset, _ = strconv.ParseInt(r.headers[stream.HeaderSourceOffset], 10, 64)
				out = append(out, r)
			}
			if err := b.Close(); err != nil {
				t.Fatalf("reading %s/%d: %v", topic, p.ID, err)
			}
		}
		conn.Close()
	}
	return out
}

// topicEnds returns the end offset of every partition of topic.
func topicEnds(t testing.TB, addr, topic string) map[int]int64 {
	t.Helper()
	return topicEndsVia(t, &kafka.Dialer{}, addr, topic)
}

// topicEndsVia is topicEnds through d (TLS, SASL).
func topicEndsVia(t testing.TB, d *kafka.Dialer, addr, topic string) map[int]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	parts, err := d.LookupPartitions(ctx, "tcp", addr, topic)
	if err != nil {
		t.Fatalf("looking up %s: %v", topic, err)
	}
	ends := map[int]int64{}
	for _, p := range parts {
		conn, err := d.DialLeader(ctx, "tcp", addr, topic, p.ID)
		if err != nil {
			t.Fatalf("dialing %s/%d: %v", topic, p.ID, err)
		}
		_, last, err := conn.ReadOffsets()
		conn.Close()
		if err != nil {
			t.Fatalf("offsets of %s/%d: %v", topic, p.ID, err)
		}
		ends[p.ID] = last
	}
	return ends
}

// countRecords is the number of records in topic.
func countRecords(t testing.TB, addr, topic string) int64 {
	return sumEnds(topicEnds(t, addr, topic))
}

// sumEnds is the number of records below the end offsets ends.
func sumEnds(ends map[int]int64) int64 {
	var n int64
	for _, e := range ends {
		n += e
	}
	return n
}

// waitFor polls cond every 50ms until it holds or d passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// baseConfig is a Kafka config for tests: fast group membership, small
// batches so tests see many of them.
func baseConfig(addr, group string, inputs []string, outputs ...kafkaio.OutputConfig) kafkaio.Config {
	return kafkaio.Config{
		Brokers:    []string{addr},
		GroupID:    group,
		Inputs:     inputs,
		Outputs:    outputs,
		DeadLetter: kafkaio.OutputConfig{Topic: "dlq"},
		Consumer: kafkaio.ConsumerConfig{
			BatchRecords:      100,
			FetchMaxWait:      50 * time.Millisecond,
			SessionTimeout:    2500 * time.Millisecond,
			HeartbeatInterval: 200 * time.Millisecond,
			RebalanceTimeout:  10 * time.Second,
		},
	}
}

// running is a processor running in a goroutine.
type running struct {
	p      *stream.Processor
	cancel context.CancelFunc
	done   chan error
}

func start(t testing.TB, c kafkaio.Config, sc stream.Config, opts ...kafkaio.Option) *running {
	t.Helper()
	if testing.Verbose() {
		opts = append(opts, kafkaio.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	p, err := kafkaio.NewProcessor(c, sc, opts...)
	if err != nil {
		t.Fatalf("NewProcessor: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{p: p, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- p.Run(ctx) }()
	return r
}

// stop cancels the processor and waits for Run, failing after d.
func (r *running) stop(t testing.TB, d time.Duration) (error, time.Duration) {
	t.Helper()
	begin := time.Now()
	r.cancel()
	select {
	case err := <-r.done:
		took := time.Since(begin)
		if cerr := r.p.Close(); cerr != nil {
			t.Errorf("closing processor: %v", cerr)
		}
		return err, took
	case <-time.After(d):
		t.Fatalf("processor did not stop within %s", d)
		return nil, 0
	}
}

// countingHooks records in-flight batches and totals.
type countingHooks struct {
	stream.NopHooks
	mu          sync.Mutex
	inFlight    int
	maxInFlight int
	fetched     int
	processed   int
	dead        int
	committed   int
	commitErrs  int
	assigned    map[string]int
	// fetchedCh, when set, receives (without blocking) on every fetch.
	fetchedCh chan struct{}
}

func (h *countingHooks) Fetched(tp stream.TopicPartition, n, bytes int, lag int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.inFlight++
	h.fetched += n
	h.maxInFlight = max(h.maxInFlight, h.inFlight)
	if h.fetchedCh != nil {
		select {
		case h.fetchedCh <- struct{}{}:
		default:
		}
	}
}

func (h *countingHooks) Released(stream.TopicPartition, int) {
	h.mu.Lock()
	h.inFlight--
	h.mu.Unlock()
}

func (h *countingHooks) Processed(_ stream.TopicPartition, s *stream.BatchStats) {
	h.mu.Lock()
	h.processed += s.In
	h.dead += s.DeadLettered
	h.mu.Unlock()
}

func (h *countingHooks) Committed(_ stream.TopicPartition, _ int64, err error) {
	h.mu.Lock()
	if err != nil {
		h.commitErrs++
	} else {
		h.committed++
	}
	h.mu.Unlock()
}

func (h *countingHooks) Assigned(tp stream.TopicPartition, _ int64) {
	h.mu.Lock()
	if h.assigned == nil {
		h.assigned = map[string]int{}
	}
	h.assigned[tp.String()]++
	h.mu.Unlock()
}

func (h *countingHooks) snapshot() (inFlight, maxInFlight, processed int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.inFlight, h.maxInFlight, h.processed
}

// inputRecords lists the lineage of every record in the input topics.
func inputRecords(t testing.TB, addr string, topics ...string) []lineage {
	var all []lineage
	for _, topic := range topics {
		for p, end := range topicEnds(t, addr, topic) {
			for o := int64(0); o < end; o++ {
				all = append(all, lineage{topic, int32(p), o})
			}
		}
	}
	return all
}

// coverage counts, for one output, how often each input record appears.
func coverage(recs []outRec) map[lineage]int {
	m := map[lineage]int{}
	for _, r := range recs {
		m[r.src]++
	}
	return m
}

// checkOrderPerKey checks that, within each output partition, records of one
// key from one input partition appear in input order.
func checkOrderPerKey(t testing.TB, name string, recs []outRec) {
	t.Helper()
	type k struct {
		part int
		src  string
		key  string
	}
	last := map[k]int64{}
	seen := map[lineage]bool{}
	sorted := slices.Clone(recs)
	slices.SortStableFunc(sorted, func(a, b outRec) int {
		if a.partition != b.partition {
			return a.partition - b.partition
		}
		return int(a.offset - b.offset)
	})
	for _, r := range sorted {
		if seen[r.src] {
			continue // a re-delivered duplicate, counted elsewhere
		}
		seen[r.src] = true
		kk := k{r.partition, r.src.topic + "/" + strconv.Itoa(int(r.src.partition)), r.key}
		if prev, ok := last[kk]; ok && r.src.offset <= prev {
			t.Errorf("%s: key %s from %s out of order in partition %d: offset %d after %d", name, r.key, kk.src, r.partition, r.src.offset, prev)
			return
		}
		last[kk] = r.src.offset
	}
}

// produceRaw writes values as they are to partition-balanced topic.
func produceRaw(t testing.TB, addr, topic string, values ...[]byte) {
	t.Helper()
	w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: topic, BatchTimeout: time.Millisecond, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	msgs := make([]kafka.Message, len(values))
	for i, v := range values {
		msgs[i] = kafka.Message{Value: v}
	}
	if err := w.WriteMessages(context.Background(), msgs...); err != nil {
		t.Fatalf("producing to %s: %v", topic, err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
