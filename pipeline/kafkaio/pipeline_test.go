package kafkaio_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

var twoOutputs = []kafkaio.OutputConfig{
	{Name: "by-source", Topic: "clean-src", Partitioning: kafkaio.PartitionSource},
	{Name: "by-key", Topic: "clean-key", Partitioning: kafkaio.PartitionKey},
}

func withDropEmail() []kafkaio.Option {
	return []kafkaio.Option{
		kafkaio.WithTransform("by-source", stream.Shared(dropEmail{}), "test-1"),
		kafkaio.WithTransform("by-key", stream.Shared(dropEmail{}), "test-1"),
	}
}

// TestEveryEventReachesEveryOutput: each event of two input topics comes out
// exactly once on each of two outputs, transformed, with lineage headers, in
// order per key.
func TestEveryEventReachesEveryOutput(t *testing.T) {
	addr := startCluster(t, topicSpec{"in-a", 3}, topicSpec{"in-b", 2}, topicSpec{"clean-src", 3}, topicSpec{"clean-key", 4}, topicSpec{"dlq", 3})
	produce(t, addr, "in-a", 0, 2000, 50, 0)
	produce(t, addr, "in-b", 0, 1000, 30, 0)
	hooks := &countingHooks{}
	c := baseConfig(addr, "g-every", []string{"in-a", "in-b"}, twoOutputs...)
	r := start(t, c, stream.Config{}, append(withDropEmail(), kafkaio.WithHooks(hooks))...)
	waitFor(t, 30*time.Second, "both outputs to hold 3000 records", func() bool {
		return countRecords(t, addr, "clean-src") >= 3000 && countRecords(t, addr, "clean-key") >= 3000
	})
	// Records produced while running are processed too.
	produce(t, addr, "in-a", 2000, 300, 50, 0)
	waitFor(t, 30*time.Second, "the late records", func() bool {
		return countRecords(t, addr, "clean-src") >= 3300 && countRecords(t, addr, "clean-key") >= 3300
	})
	if err, _ := r.stop(t, 20*time.Second); err != nil {
		t.Fatalf("Run: %v", err)
	}

	inputs := inputRecords(t, addr, "in-a", "in-b")
	if len(inputs) != 3300 {
		t.Fatalf("inputs hold %d records, want 3300", len(inputs))
	}
	for _, topic := range []string{"clean-src", "clean-key"} {
		recs := readTopic(t, addr, topic)
		cov := coverage(recs)
		for _, in := range inputs {
			if n := cov[in]; n != 1 {
				t.Fatalf("%s: input %v appears %d times, want 1", topic, in, n)
			}
		}
		if len(recs) != len(inputs) {
			t.Errorf("%s: %d records, want %d", topic, len(recs), len(inputs))
		}
		for _, rec := range recs {
			if rec.headers[stream.HeaderPolicyVersion] != "test-1" || rec.headers[stream.HeaderActions] != "email:EMAIL_ADDRESS:drop" {
				t.Fatalf("%s: headers %v lack the policy version or actions", topic, rec.headers)
			}
			if _, ok := rec.headers["producer"]; ok {
				t.Fatalf("%s: input header forwarded to a clean output", topic)
			}
			var e event
			if err := json.Unmarshal(rec.value, &e); err != nil || e.Email != "" || e.Page != "/pricing" {
				t.Fatalf("%s: value %s not transformed (err %v)", topic, rec.value, err)
			}
			if rec.key != "user-"+itoa(e.User) {
				t.Fatalf("%s: key %q for user %d", topic, rec.key, e.User)
			}
			if topic == "clean-src" && int32(rec.partition) != rec.src.partition {
				t.Fatalf("clean-src: record from partition %d written to %d", rec.src.partition, rec.partition)
			}
		}
		checkOrderPerKey(t, topic, recs)
	}
	if n := countRecords(t, addr, "dlq"); n != 0 {
		t.Errorf("dead-letter topic holds %d records, want 0", n)
	}
	if hooks.processed < 3300 || hooks.committed == 0 {
		t.Errorf("hooks saw %d processed events and %d commits", hooks.processed, hooks.committed)
	}
}

// TestMalformedEventsAreDeadLettered: events the transform rejects go to the
// dead-letter topic, unchanged, with reason and lineage headers, and to no
// output; so do events over the size limit.
func TestMalformedEventsAreDeadLettered(t *testing.T) {
	addr := startCluster(t, topicSpec{"in", 3}, topicSpec{"clean-src", 3}, topicSpec{"clean-key", 2}, topicSpec{"dlq", 3})
	produce(t, addr, "in", 0, 1400, 40, 7) // every 7th is not JSON: 200 bad
	big := strings.Repeat("x", 5000)
	produceRaw(t, addr, "in", []byte(`{"user":1,"seq":-1,"page":"`+big+`"}`))
	c := baseConfig(addr, "g-dlq", []string{"in"}, twoOutputs...)
	r := start(t, c, stream.Config{MaxEventBytes: 4096}, withDropEmail()...)
	waitFor(t, 30*time.Second, "all 1401 events handled", func() bool {
		return countRecords(t, addr, "clean-src") >= 1200 && countRecords(t, addr, "clean-key") >= 1200 && countRecords(t, addr, "dlq") >= 201
	})
	if err, _ := r.stop(t, 20*time.Second); err != nil {
		t.Fatalf("Run: %v", err)
	}
	dead := readTopic(t, addr, "dlq")
	if len(dead) != 201 {
		t.Fatalf("dead-letter topic holds %d records, want 201", len(dead))
	}
	deadSet := map[lineage]bool{}
	reasons := map[string]int{}
	for _, d := range dead {
		deadSet[d.src] = true
		reasons[d.headers[stream.HeaderDLQReason]]++
		if d.src.topic != "in" || d.headers[stream.HeaderSourceOffset] == "" {
			t.Fatalf("dead letter without lineage: %v", d.headers)
		}
		if strings.HasPrefix(string(d.value), "not json") {
			if d.headers["producer"] != "test" {
				t.Fatalf("dead letter lost the input's headers: %v", d.headers)
			}
			if d.headers[stream.HeaderDLQOutput] == "" {
				t.Fatalf("rejection without the rejecting output: %v", d.headers)
			}
		} else if len(d.value) < 5000 {
			t.Fatalf("unexpected dead letter %q", d.value)
		}
	}
	if reasons["malformed: not a JSON object"] != 200 || reasons["too-large: event exceeds max_event_bytes"] != 1 {
		t.Errorf("reasons %v", reasons)
	}
	for _, topic := range []string{"clean-src", "clean-key"} {
		recs := readTopic(t, addr, topic)
		if len(recs) != 1200 {
			t.Errorf("%s: %d records, want 1200", topic, len(recs))
		}
		for _, rec := range recs {
			if deadSet[rec.src] {
				t.Fatalf("%s: dead-lettered record %v also on a clean output", topic, rec.src)
			}
			if !json.Valid(rec.value) {
				t.Fatalf("%s: malformed value %q forwarded", topic, rec.value)
			}
		}
	}
}
