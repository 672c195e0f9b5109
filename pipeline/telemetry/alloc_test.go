package telemetry

import (
	"errors"
	"testing"
	"time"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

// applied is a typical event's worth of sanitizer actions, including a type
// no pre-built slot knows (it is cached on first use).
var applied = []sanitize.Applied{
	{Path: []byte("context.ip"), Type: classifiers.IPAddress, Category: classifiers.NetworkIdentifier, Action: policy.Generalize},
	{Path: []byte("context.traits.email"), Type: classifiers.EmailAddress, Category: classifiers.Contact, Action: policy.Drop},
	{Path: []byte("userId"), Type: sanitize.LinkingID, Category: classifiers.Pseudonymous, Action: policy.Hash},
	{Path: []byte("properties.note"), Type: classifiers.Person, Category: classifiers.Identity, Action: policy.Scrub},
	{Path: []byte("context.userAgent"), Type: policy.UserAgent, Category: classifiers.Device, Action: policy.Generalize},
	{Path: []byte("properties.x"), Category: classifiers.Unknown, Action: policy.Drop},
	{Path: []byte("properties.badge"), Type: "CUSTOM_BADGE_ID", Category: classifiers.Identity, Action: policy.Redact},
}

func TestObserveAppliedDoesNotAllocate(t *testing.T) {
	tel := newTest(t)
	tel.ObserveApplied("analytics", applied) // warm-up: the output and CUSTOM_BADGE_ID are new
	if n := testing.AllocsPerRun(1000, func() { tel.ObserveApplied("analytics", applied) }); n != 0 {
		t.Errorf("ObserveApplied: %v allocations per call, want 0", n)
	}
	fams := scrape(t, tel)
	want := map[string]string{"output": "analytics", "entity_type": "CUSTOM_BADGE_ID"}
	if got := value(t, fams, "veil_findings_total", want); got != 1002 { // 1 warm-up + 1 AllocsPerRun warm-up + 1000
		t.Errorf("findings%v = %v, want 1002", want, got)
	}
}

// The per-batch hooks do not allocate either once a partition and its
// outputs are known (tracing off).
func TestStreamHooksDoNotAllocate(t *testing.T) {
	tel := newTest(t)
	h := tel.StreamHooks()
	e := tel.EngineHooks()
	stats := &stream.BatchStats{In: 100, DeadLettered: 2, Latency: 3 * time.Millisecond,
		Outputs: []stream.OutputStats{{Name: "analytics", Out: 97, Skipped: 1, Rejected: 1}, {Name: "security", Out: 98}}}
	errCommit := errors.New("commit failed")
	h.Assigned(events0, 0)
	batch := func() {
		h.Fetched(events0, 100, 100_000, 5)
		h.Processed(events0, stats)
		h.Committed(events0, 100, nil)
		h.Committed(events0, 100, errCommit)
		h.Released(events0, 100)
		e.OnTimeout("phone_de")
	}
	batch()
	if n := testing.AllocsPerRun(200, batch); n != 0 {
		t.Errorf("stream and engine hooks: %v allocations per batch, want 0", n)
	}
}

func BenchmarkObserveApplied(b *testing.B) {
	tel, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer tel.Shutdown(b.Context())
	tel.ObserveApplied("analytics", applied)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tel.ObserveApplied("analytics", applied)
		}
	})
}

func BenchmarkStreamHooksPerBatch(b *testing.B) {
	tel, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer tel.Shutdown(b.Context())
	h := tel.StreamHooks()
	stats := &stream.BatchStats{In: 100, Latency: 3 * time.Millisecond,
		Outputs: []stream.OutputStats{{Name: "analytics", Out: 100}, {Name: "security", Out: 100}}}
	h.Assigned(events0, 0)
	b.ReportAllocs()
	for b.Loop() {
		h.Fetched(events0, 100, 100_000, 5)
		h.Processed(events0, stats)
		h.Committed(events0, 100, nil)
		h.Released(events0, 100)
	}
}
