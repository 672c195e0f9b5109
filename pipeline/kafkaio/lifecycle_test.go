package kafkaio_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

// TestSecondProcessorTakesOver: a processor joining the group mid-stream gets
// partitions, and together they leave nothing missing and, with commits on
// revocation, nothing duplicated.
func TestSecondProcessorTakesOver(t *testing.T) {
	addr := startCluster(t, topicSpec{"in", 4}, topicSpec{"clean-src", 4}, topicSpec{"clean-key", 3}, topicSpec{"dlq", 4})
	produce(t, addr, "in", 0, 4000, 60, 0)
	c := baseConfig(addr, "g-rebalance", []string{"in"}, twoOutputs...)
	c.Consumer.BatchRecords = 50
	c.Producer.BatchTimeout = 5 * time.Millisecond
	ha, hb := &countingHooks{}, &countingHooks{}
	a := start(t, c, stream.Config{}, append(withDropEmail(), kafkaio.WithHooks(ha))...)
	waitFor(t, 30*time.Second, "the first processor to start", func() bool {
		return countRecords(t, addr, "clean-src") > 0
	})
	b := start(t, c, stream.Config{}, append(withDropEmail(), kafkaio.WithHooks(hb))...)
	produce(t, addr, "in", 4000, 4000, 60, 0)
	waitFor(t, 30*time.Second, "the second processor to get partitions and work", func() bool {
		hb.mu.Lock()
		defer hb.mu.Unlock()
		return len(hb.assigned) > 0 && hb.processed > 0
	})
	produce(t, addr, "in", 8000, 2000, 60, 0)
	waitFor(t, 60*time.Second, "all 10000 events on both outputs", func() bool {
		return countRecords(t, addr, "clean-src") >= 10000 && countRecords(t, addr, "clean-key") >= 10000
	})
	time.Sleep(200 * time.Millisecond)
	if err, _ := b.stop(t, 20*time.Second); err != nil {
		t.Fatalf("second processor: %v", err)
	}
	if err, _ := a.stop(t, 20*time.Second); err != nil {
		t.Fatalf("first processor: %v", err)
	}
	t.Logf("first processor: %d events; second: %d events, partitions %v", ha.processed, hb.processed, hb.assigned)
	inputs := inputRecords(t, addr, "in")
	for _, topic := range []string{"clean-src", "clean-key"} {
		recs := readTopic(t, addr, topic)
		cov := coverage(recs)
		dups := 0
		for _, in := range inputs {
			switch n := cov[in]; {
			case n == 0:
				t.Fatalf("%s: input %v missing", topic, in)
			case n > 1:
				dups += n - 1
			}
		}
		// A graceful handover commits before revocation: no duplicate. A
		// member fenced by a heartbeat starved of CPU re-delivers at most
		// one batch per partition; the source-partitioned output resumes
		// past even those.
		ha.mu.Lock()
		hb.mu.Lock()
		lost := ha.commitErrs + hb.commitErrs
		hb.mu.Unlock()
		ha.mu.Unlock()
		if topic == "clean-src" && dups > 0 || dups > lost*c.Consumer.BatchRecords {
			t.Errorf("%s: %d duplicates after a rebalance with %d commits refused", topic, dups, lost)
		}
		t.Logf("%s: %d duplicates, %d commits refused", topic, dups, lost)
		checkOrderPerKey(t, topic, recs)
	}
}

// TestGracefulShutdownCommitsWithinGrace: cancelling Run mid-backlog returns
// within the grace period, and the committed offsets say exactly what the
// outputs hold: a restart neither skips nor repeats anything.
func TestGracefulShutdownCommitsWithinGrace(t *testing.T) {
	addr := startCluster(t, topicSpec{"in", 3}, topicSpec{"clean-src", 3}, topicSpec{"clean-key", 3}, topicSpec{"dlq", 3})
	produce(t, addr, "in", 0, 15000, 80, 0)
	c := baseConfig(addr, "g-graceful", []string{"in"}, twoOutputs...)
	c.Consumer.BatchRecords = 50
	c.Producer.BatchTimeout = 5 * time.Millisecond
	const grace = 5 * time.Second
	r := start(t, c, stream.Config{ShutdownGrace: grace}, withDropEmail()...)
	waitFor(t, 30*time.Second, "processing to be under way", func() bool {
		return countRecords(t, addr, "clean-src") >= 1500
	})
	err, took := r.stop(t, 2*grace)
	if err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
	if took > grace {
		t.Fatalf("Run took %s to return, grace is %s", took, grace)
	}
	t.Logf("stopped in %s", took)

	committed := committedOffsets(t, addr, "g-graceful", "in", 3)
	src := readTopic(t, addr, "clean-src")
	cov := coverage(src)
	var total int64
	for p, off := range committed {
		for o := int64(0); o < off; o++ {
			if n := cov[lineage{"in", int32(p), o}]; n != 1 {
				t.Fatalf("offset %d of partition %d committed but on clean-src %d times", o, p, n)
			}
		}
		total += off
	}
	if int64(len(src)) != total {
		t.Fatalf("clean-src holds %d records, commits cover %d: written but uncommitted work", len(src), total)
	}
	if n := countRecords(t, addr, "clean-key"); n != total {
		t.Fatalf("clean-key holds %d records, commits cover %d", n, total)
	}
	if total >= 15000 {
		t.Fatalf("everything was processed before the shutdown; the test proves nothing")
	}
	// A restart carries on from the commits: no gap, no duplicate.
	h2 := &countingHooks{}
	r2 := start(t, c, stream.Config{}, append(withDropEmail(), kafkaio.WithHooks(h2))...)
	waitFor(t, 60*time.Second, "the restart to finish", func() bool {
		return countRecords(t, addr, "clean-src") >= 15000 && countRecords(t, addr, "clean-key") >= 15000
	})
	time.Sleep(200 * time.Millisecond)
	if err, _ := r2.stop(t, 20*time.Second); err != nil {
		t.Fatalf("restarted Run: %v", err)
	}
	// clean-src is exact (resume rule); clean-key may repeat one batch for
	// each commit the group refused (a member fenced under CPU starvation).
	if n := countRecords(t, addr, "clean-src"); n != 15000 {
		t.Errorf("clean-src: %d records after restart, want 15000", n)
	}
	if n, lost := countRecords(t, addr, "clean-key"), int64(h2.commitErrs); n < 15000 || n > 15000+lost*int64(c.Consumer.BatchRecords) {
		t.Errorf("clean-key: %d records after restart with %d commits refused, want 15000", n, lost)
	}
}

// TestShutdownGraceIsBounded: when writes cannot finish within the grace
// period, Run abandons them uncommitted and returns ErrGraceExceeded on time.
func TestShutdownGraceIsBounded(t *testing.T) {
	addr := startCluster(t, topicSpec{"in", 2}, topicSpec{"clean-src", 2}, topicSpec{"clean-key", 2}, topicSpec{"dlq", 2})
	produce(t, addr, "in", 0, 2000, 10, 0)
	c := baseConfig(addr, "g-grace", []string{"in"}, twoOutputs...)
	c.Producer.BatchTimeout = time.Second // every write waits a second
	c.Consumer.BatchRecords = 20
	const grace = 300 * time.Millisecond
	hooks := &countingHooks{fetchedCh: make(chan struct{}, 1)}
	r := start(t, c, stream.Config{ShutdownGrace: grace}, append(withDropEmail(), kafkaio.WithHooks(hooks))...)
	// Stop shortly after a batch is fetched: its writes have started and
	// wait a second, past the grace period, even on a loaded machine.
	select {
	case <-hooks.fetchedCh:
	case <-time.After(30 * time.Second):
		t.Fatal("no batch fetched within 30s")
	}
	time.Sleep(300 * time.Millisecond)
	err, took := r.stop(t, 10*time.Second)
	if !errors.Is(err, stream.ErrGraceExceeded) {
		t.Fatalf("Run returned %v, want ErrGraceExceeded", err)
	}
	if took > grace+700*time.Millisecond {
		t.Fatalf("Run took %s to return, grace is %s", took, grace)
	}
	t.Logf("returned %v after %s", err, took)
}

// TestSlowOutputBoundsInFlight: with an output that takes 50ms per write and
// a large backlog, fetched-but-uncommitted batches never exceed
// consumer.max_in_flight_batches.
func TestSlowOutputBoundsInFlight(t *testing.T) {
	addr := startCluster(t, topicSpec{"in", 6}, topicSpec{"clean-src", 6}, topicSpec{"clean-key", 6}, topicSpec{"dlq", 6})
	produce(t, addr, "in", 0, 20000, 100, 0)
	c := baseConfig(addr, "g-slow", []string{"in"}, twoOutputs...)
	c.Producer.BatchTimeout = 50 * time.Millisecond
	c.Consumer.BatchRecords = 40
	c.Consumer.MaxInFlightBatches = 2
	hooks := &countingHooks{}
	r := start(t, c, stream.Config{}, append(withDropEmail(), kafkaio.WithHooks(hooks))...)
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		in, maxIn, _ := hooks.snapshot()
		if in > 2 || maxIn > 2 {
			t.Fatalf("%d batches in flight (max %d), limit 2", in, maxIn)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err, _ := r.stop(t, 20*time.Second); err != nil {
		t.Fatalf("Run: %v", err)
	}
	// Both counts from one moment, after the stop: what was fetched and
	// never processed is what was in flight when it stopped.
	hooks.mu.Lock()
	fetched, processed, maxIn := hooks.fetched, hooks.processed, hooks.maxInFlight
	hooks.mu.Unlock()
	t.Logf("in 2s: %d events processed, %d fetched, max %d batches in flight", processed, fetched, maxIn)
	if processed == 0 || maxIn == 0 {
		t.Fatalf("nothing processed; the test proves nothing")
	}
	if fetched-processed > 2*40 {
		t.Errorf("%d events fetched beyond those processed, more than 2 batches of 40", fetched-processed)
	}
	if fetched >= 20000 {
		t.Errorf("the whole backlog was fetched: nothing held fetching back")
	}
}

// TestPassthrough: outputs without a Transform copy keys and values as they
// are and say so in the policy header.
func TestPassthrough(t *testing.T) {
	addr := startCluster(t, topicSpec{"in", 2}, topicSpec{"clean-src", 2}, topicSpec{"clean-key", 2}, topicSpec{"dlq", 2})
	produce(t, addr, "in", 0, 500, 7, 5) // malformed events pass through too
	c := baseConfig(addr, "g-pass", []string{"in"}, twoOutputs...)
	c.Producer.Compression = kafkaio.CompressionZstd
	r := start(t, c, stream.Config{})
	waitFor(t, 30*time.Second, "500 events on both outputs", func() bool {
		return countRecords(t, addr, "clean-src") >= 500 && countRecords(t, addr, "clean-key") >= 500
	})
	if err, _ := r.stop(t, 20*time.Second); err != nil {
		t.Fatalf("Run: %v", err)
	}
	in := map[lineage][]byte{}
	for _, rec := range readTopic(t, addr, "in") {
		in[lineage{"in", int32(rec.partition), rec.offset}] = rec.value
	}
	for _, topic := range []string{"clean-src", "clean-key"} {
		for _, rec := range readTopic(t, addr, topic) {
			if !bytes.Equal(rec.value, in[rec.src]) {
				t.Fatalf("%s: value %q differs from input %q", topic, rec.value, in[rec.src])
			}
			if rec.headers[stream.HeaderPolicyVersion] != stream.PassthroughVersion {
				t.Fatalf("%s: policy header %q", topic, rec.headers[stream.HeaderPolicyVersion])
			}
		}
	}
}

// committedOffsets reads the group's committed offsets of topic.
func committedOffsets(t testing.TB, addr, group, topic string, partitions int) map[int]int64 {
	t.Helper()
	parts := make([]int, partitions)
	for i := range parts {
		parts[i] = i
	}
	cl := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	resp, err := cl.OffsetFetch(context.Background(), &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
	if err != nil {
		t.Fatalf("fetching committed offsets: %v", err)
	}
	out := map[int]int64{}
	for _, p := range resp.Topics[topic] {
		if p.Error != nil {
			t.Fatalf("committed offset of %s/%d: %v", topic, p.Partition, p.Error)
		}
		out[p.Partition] = max(p.CommittedOffset, 0)
	}
	return out
}
