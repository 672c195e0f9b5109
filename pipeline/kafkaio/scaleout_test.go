package kafkaio_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

const (
	envScaleBroker = "VEIL_TEST_SCALEOUT_BROKER"
	envScaleGroup  = "VEIL_TEST_SCALEOUT_GROUP"
	// memberLine starts every line the child processor reports a hook
	// call with on its standard output.
	memberLine = "veil-scaleout-member "
)

const (
	scalePartitions = 12
	scaleBatch      = 50
	// childCommitPause is how long the child holds each batch written and
	// not yet committed, a window for the kill to land in.
	childCommitPause = 300 * time.Millisecond
)

// scaleConfig is the config of every member of the scale-out group: short
// sessions (2.5s) so the group notices a killed member quickly, small
// batches so each member commits often.
func scaleConfig(addr, group string) kafkaio.Config {
	c := baseConfig(addr, group, []string{"in"}, crashOutputs...)
	c.Consumer.BatchRecords = scaleBatch
	c.Consumer.MaxInFlightBatches = 4
	c.Producer.BatchTimeout = 5 * time.Millisecond
	return c
}

// member is what one processor of the group did, as its hooks saw it: the
// partitions it holds now, every partition it ever held, the events it
// processed and the commits the group refused it, per partition. In the
// child process it also reports each call as a line on out, which the test
// applies to a member of its own.
type member struct {
	stream.NopHooks
	name string
	out  io.Writer
	// pause is how long Processed blocks, between the outputs'
	// acknowledgement of a batch and its commit.
	pause time.Duration
	// batches, when set, receives (without blocking) every processed batch.
	batches chan processedBatch

	mu        sync.Mutex
	held      map[int32]bool
	everHeld  map[int32]bool
	processed int
	refused   map[int32]int
}

func newMember(name string, out io.Writer) *member {
	return &member{name: name, out: out, held: map[int32]bool{}, everHeld: map[int32]bool{}, refused: map[int32]int{}}
}

func (m *member) Assigned(tp stream.TopicPartition, _ int64) {
	m.apply("assigned", tp.Partition, 0, time.Now())
}

func (m *member) Revoked(tp stream.TopicPartition) { m.apply("revoked", tp.Partition, 0, time.Now()) }

// Processed is called once every output has acknowledged a batch, before
// its commit: a member with a pause holds the batch written and uncommitted
// that long.
func (m *member) Processed(tp stream.TopicPartition, s *stream.BatchStats) {
	m.apply("processed", tp.Partition, s.In, time.Now())
	time.Sleep(m.pause)
}

func (m *member) Committed(tp stream.TopicPartition, _ int64, err error) {
	if err != nil {
		m.apply("refused", tp.Partition, 0, time.Now())
	}
}

// apply records one hook call and, in the child, reports it with the time
// it happened. The report is written before the call returns, so a member
// killed later has reported everything it did.
func (m *member) apply(kind string, part int32, n int, at time.Time) {
	m.mu.Lock()
	switch kind {
	case "assigned":
		m.held[part] = true
		m.everHeld[part] = true
	case "revoked":
		delete(m.held, part)
	case "processed":
		m.processed += n
	case "refused":
		m.refused[part]++
	}
	m.mu.Unlock()
	if m.out != nil {
		fmt.Fprintf(m.out, "%s%s %d %d %d\n", memberLine, kind, part, n, at.UnixNano())
	}
	if kind == "processed" && m.batches != nil {
		select {
		case m.batches <- processedBatch{part, n, at}:
		default:
		}
	}
}

// follow applies the lines the child reports on r until r ends; other
// lines are copied to stderr.
func (m *member) follow(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), memberLine)
		if !ok {
			fmt.Fprintln(os.Stderr, sc.Text())
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			continue
		}
		part, err1 := strconv.Atoi(f[1])
		n, err2 := strconv.Atoi(f[2])
		at, err3 := strconv.ParseInt(f[3], 10, 64)
		if err1 == nil && err2 == nil && err3 == nil {
			m.apply(f[0], int32(part), n, time.Unix(0, at))
		}
	}
}

// processedBatch is a batch every output acknowledged.
type processedBatch struct {
	part int32
	n    int
	at   time.Time
}

type memberState struct {
	held, everHeld []int32
	processed      int
	refused        map[int32]int
}

func (m *member) state() memberState {
	m.mu.Lock()
	defer m.mu.Unlock()
	held, ever := slices.Sorted(maps.Keys(m.held)), slices.Sorted(maps.Keys(m.everHeld))
	return memberState{held: held, everHeld: ever, processed: m.processed, refused: maps.Clone(m.refused)}
}

// feeder produces events to a topic in small chunks until stopped, so that
// records keep arriving while members join, die and take over.
type feeder struct {
	produced atomic.Int64
	stop     chan struct{}
	done     chan error
}

func startFeeder(addr, topic string, chunk int, pause time.Duration) *feeder {
	f := &feeder{stop: make(chan struct{}), done: make(chan error, 1)}
	w := &kafka.Writer{
		Addr:         kafka.TCP(addr),
		Topic:        topic,
		Balancer:     &kafka.Murmur2Balancer{},
		BatchTimeout: time.Millisecond,
		BatchSize:    chunk,
		RequiredAcks: kafka.RequireAll,
	}
	go func() {
		defer w.Close()
		msgs := make([]kafka.Message, chunk)
		for seq := 0; ; {
			for i := range msgs {
				u := seq % 240 // many keys: every partition gets records
				v, _ := json.Marshal(event{User: u, Seq: seq, Email: fmt.Sprintf("user%d@example.com", u), Page: "/pricing"})
				msgs[i] = kafka.Message{Key: []byte("user-" + strconv.Itoa(u)), Value: v}
				seq++
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			err := w.WriteMessages(ctx, msgs...)
			cancel()
			if err != nil {
				f.done <- fmt.Errorf("producing to %s after %d records: %w", topic, f.produced.Load(), err)
				return
			}
			f.produced.Add(int64(chunk))
			select {
			case <-f.stop:
				f.done <- nil
				return
			case <-time.After(pause):
			}
		}
	}()
	return f
}

// finish stops the feeder and returns how many records it produced.
func (f *feeder) finish(t testing.TB) int64 {
	t.Helper()
	close(f.stop)
	select {
	case err := <-f.done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the feeder did not stop within 60s")
	}
	return f.produced.Load()
}

// TestHelperScaleOutProcessor is not a test: TestScaleOutSurvivesKilledMember
// runs the test binary again with only this function, as a group member it
// can SIGKILL. It reports its hook calls on standard output.
func TestHelperScaleOutProcessor(t *testing.T) {
	addr := os.Getenv(envScaleBroker)
	if addr == "" {
		t.Skip("helper process for TestScaleOutSurvivesKilledMember")
	}
	m := newMember("child", os.Stdout)
	m.pause = childCommitPause
	p, err := kafkaio.NewProcessor(scaleConfig(addr, os.Getenv(envScaleGroup)), stream.Config{},
		append(withDropEmail(), kafkaio.WithHooks(m))...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_ = p.Run(ctx)
}

// TestScaleOutSurvivesKilledMember: three processors in one consumer group
// (two in this process, one a child process) share an input topic of twelve
// partitions, each holding and processing some of them at the same time.
// Events keep arriving while the child is SIGKILLed (no close, no commit,
// no leaving the group); once its session times out the two others take its
// partitions. In the end the group has committed every input record and
// every one is on both outputs: none on the source-partitioned output twice
// (resume rule), and on the key-partitioned output at most one batch again
// per partition the killed member held, plus one per commit the group
// refused (a member fenced by a heartbeat starved of CPU), as
// TestCrashAndRestart and TestSecondProcessorTakesOver bound them.
func TestScaleOutSurvivesKilledMember(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	const group = "g-scaleout"
	addr := startCluster(t, topicSpec{"in", scalePartitions}, topicSpec{"clean-src", scalePartitions},
		topicSpec{"clean-key", 5}, topicSpec{"dlq", scalePartitions})
	feed := startFeeder(addr, "in", 60, 40*time.Millisecond)
	fed := false
	t.Cleanup(func() {
		if !fed {
			close(feed.stop)
			<-feed.done
		}
	})

	child := newMember("child", nil)
	child.batches = make(chan processedBatch, 1)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperScaleOutProcessor$", "-test.count=1")
	cmd.Env = append(os.Environ(), envScaleBroker+"="+addr, envScaleGroup+"="+group)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the child processor: %v", err)
	}
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		child.follow(stdout)
	}()
	killed := false
	kill := func() {
		if killed {
			return
		}
		killed = true
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-followed // the pipe ends when the child is gone: every report is in
		_ = cmd.Wait()
	}
	t.Cleanup(kill)

	c := scaleConfig(addr, group)
	a, b := newMember("a", nil), newMember("b", nil)
	ra := start(t, c, stream.Config{}, append(withDropEmail(), kafkaio.WithHooks(a))...)
	rb := start(t, c, stream.Config{}, append(withDropEmail(), kafkaio.WithHooks(b))...)
	t.Cleanup(ra.cancel)
	t.Cleanup(rb.cancel)
	members := []*member{a, b, child}

	// All three hold partitions at one moment, then each processes events
	// past that moment: the load is shared three ways.
	var shared []memberState
	waitFor(t, 60*time.Second, "all three members to hold partitions at once", func() bool {
		shared = shared[:0]
		for _, m := range members {
			s := m.state()
			if len(s.held) == 0 {
				return false
			}
			shared = append(shared, s)
		}
		return true
	})
	for i, m := range members {
		t.Logf("member %s holds %v", m.name, shared[i].held)
	}
	waitFor(t, 60*time.Second, "all three members to process events while sharing the group", func() bool {
		for i, m := range members {
			if m.state().processed <= shared[i].processed {
				return false
			}
		}
		return child.state().processed >= shared[2].processed+2*scaleBatch
	})

	// Kill the child right after it reports a batch acknowledged by both
	// outputs: it then waits childCommitPause before committing, so a kill
	// within that pause leaves the batch written and uncommitted.
	select {
	case <-child.batches: // a stale one
	default:
	}
	var victim processedBatch
	select {
	case victim = <-child.batches:
	case <-time.After(30 * time.Second):
		t.Fatal("the child processed no batch within 30s")
	}
	kill()
	inWindow := time.Since(victim.at) < childCommitPause
	atKill := child.state()
	producedAtKill := feed.produced.Load()
	if len(atKill.held) == 0 {
		// It held partitions a moment ago; a rebalance may be under way.
		t.Logf("the child held no partition when it was killed (ever held %v)", atKill.everHeld)
	}
	t.Logf("killed the child holding %v, having processed %d events, %s after its batch of %d from partition %d was acknowledged (within the commit pause: %v); %d events produced so far",
		atKill.held, atKill.processed, time.Since(victim.at).Round(time.Millisecond), victim.n, victim.part, inWindow, producedAtKill)

	// The survivors take every partition, the child's included, and work on.
	waitFor(t, 60*time.Second, "the two survivors to hold all twelve partitions", func() bool {
		sa, sb := a.state(), b.state()
		return len(sa.held)+len(sb.held) >= scalePartitions &&
			len(slices.Compact(slices.Sorted(slices.Values(append(sa.held, sb.held...))))) == scalePartitions
	})
	// Events go on arriving after the takeover, then the feeder stops.
	waitFor(t, 60*time.Second, "more events produced after the takeover", func() bool {
		return feed.produced.Load() >= producedAtKill+1200
	})
	fed = true
	total := feed.finish(t)

	// Done means committed: the group commits a batch only once every
	// output has acknowledged it.
	waitFor(t, 60*time.Second, "the group to commit every input record", func() bool {
		ends := topicEnds(t, addr, "in")
		committed := committedOffsets(t, addr, group, "in", scalePartitions)
		var sum int64
		for p, end := range ends {
			if committed[p] != end {
				return false
			}
			sum += end
		}
		return sum == total
	})
	for _, r := range []*running{rb, ra} {
		if err, _ := r.stop(t, 20*time.Second); err != nil {
			t.Fatalf("survivor Run: %v", err)
		}
	}

	inputs := inputRecords(t, addr, "in")
	if int64(len(inputs)) != total {
		t.Fatalf("the input holds %d records, the feeder produced %d", len(inputs), total)
	}
	if total <= producedAtKill {
		t.Fatal("nothing was produced after the kill; the test proves nothing")
	}
	// Commits refused to any member, per input partition, and the
	// partitions the child held when it died.
	refused := map[int32]int{}
	for _, m := range members {
		for p, n := range m.state().refused {
			refused[p] += n
		}
	}
	for _, topic := range []string{"clean-src", "clean-key"} {
		recs := readTopic(t, addr, topic)
		cov := coverage(recs)
		dups := map[int32]int{}
		for _, in := range inputs {
			n := cov[in]
			if n == 0 {
				t.Fatalf("%s: input %v missing after the kill", topic, in)
			}
			dups[in.partition] += n - 1
		}
		for p, d := range dups {
			allowed := 0
			if topic == "clean-key" {
				if slices.Contains(atKill.held, p) {
					allowed++
				}
				allowed = (allowed + refused[p]) * scaleBatch
			}
			if d > allowed {
				t.Errorf("%s: %d duplicates from input partition %d, want at most %d (child held it at the kill: %v, commits refused: %d)",
					topic, d, p, allowed, slices.Contains(atKill.held, p), refused[p])
			}
		}
		// The batch the child was killed holding was on both outputs and
		// not committed: its partition's next owner processed it again. The
		// key-partitioned output holds it twice; the source-partitioned one
		// resumed past it (checked above: no duplicate at all).
		if topic == "clean-key" && inWindow && dups[victim.part] < victim.n {
			t.Errorf("clean-key: %d duplicates from input partition %d, but the child was killed holding a written, uncommitted batch of %d from it",
				dups[victim.part], victim.part, victim.n)
		}
		t.Logf("%s: %d records for %d inputs; duplicates per input partition %v", topic, len(recs), len(inputs), dups)
		checkOrderPerKey(t, topic, recs)
	}
	if n := countRecords(t, addr, "dlq"); n != 0 {
		t.Errorf("dead-letter topic holds %d records, want 0", n)
	}
	for _, m := range members {
		s := m.state()
		t.Logf("member %s: processed %d events, ever held %v, commits refused %v", m.name, s.processed, s.everHeld, s.refused)
	}
}
