package telemetry

import (
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

var (
	events0 = stream.TopicPartition{Topic: "events", Partition: 0}
	events1 = stream.TopicPartition{Topic: "events", Partition: 1}
	clicks0 = stream.TopicPartition{Topic: "clicks", Partition: 0}
)

// feed drives every hook the way a run of the processor would.
func feed(tel *Telemetry) {
	h := tel.StreamHooks()
	h.Assigned(events0, 0)
	h.Assigned(events1, 100)
	h.Assigned(clicks0, 0)
	h.Fetched(events0, 10, 1000, 42)
	h.Fetched(events1, 5, 500, 7)
	h.Processed(events0, &stream.BatchStats{
		In: 10, DeadLettered: 3, Latency: 20 * time.Millisecond,
		Outputs: []stream.OutputStats{
			{Name: "analytics", Out: 7, Skipped: 1, Rejected: 2},
			{Name: "security", Out: 8},
		},
	})
	h.Committed(events0, 10, nil)
	h.Released(events0, 10)
	h.Processed(events1, &stream.BatchStats{
		In: 5, Latency: 300 * time.Millisecond,
		Outputs: []stream.OutputStats{
			{Name: "analytics", Out: 5},
			{Name: "security", Out: 5},
		},
	})
	h.Committed(events1, 105, errors.New("commit refused: rebalance in progress"))
	h.Revoked(clicks0)

	e := tel.EngineHooks()
	e.OnTimeout("phone_de")
	e.OnTimeout("phone_de")
	e.OnTimeout("email")

	tel.ObserveApplied("analytics", []sanitize.Applied{
		{Path: []byte("context.traits.email"), Type: classifiers.EmailAddress, Category: classifiers.Contact, Action: policy.Drop},
		{Path: []byte("context.traits.name"), Type: classifiers.Person, Category: classifiers.Identity, Action: policy.Hash},
		{Path: []byte("properties.blob"), Category: classifiers.Unknown, Action: policy.Drop},
		{Path: []byte("properties.contact"), Type: classifiers.EmailAddress, Category: classifiers.Contact, Action: policy.Drop},
	})
	tel.ObserveApplied("security", nil)

	tel.ObserveConfigReload(nil)
	tel.ObserveConfigReload(errors.New("policy: unknown action"))
}

func TestMetricsScrape(t *testing.T) {
	tel := newTest(t)
	feed(tel)
	fams := scrape(t, tel)

	type L = map[string]string
	cases := []struct {
		name   string
		labels L
		want   float64
	}{
		{"veil_events_in_total", L{"topic": "events"}, 15},
		{"veil_events_out_total", L{"output": "analytics"}, 12},
		{"veil_events_out_total", L{"output": "security"}, 13},
		{"veil_events_skipped_total", L{"output": "analytics"}, 1},
		{"veil_events_dead_lettered_total", L{"output": "analytics", "reason": "rejected"}, 2},
		{"veil_events_dead_lettered_total", L{"reason": "too_large"}, 1},
		{"veil_events_in_flight", L{"topic": "events"}, 5},
		{"veil_consumer_lag", L{"topic": "events", "partition": "0"}, 42},
		{"veil_consumer_lag", L{"topic": "events", "partition": "1"}, 7},
		{"veil_commits_total", L{"topic": "events", "result": "ok"}, 1},
		{"veil_commits_total", L{"topic": "events", "result": "error"}, 1},
		{"veil_classify_timeouts_total", L{"rule": "phone_de"}, 2},
		{"veil_classify_timeouts_total", L{"rule": "email"}, 1},
		{"veil_config_reloads_total", L{"result": "ok"}, 1},
		{"veil_config_reloads_total", L{"result": "refused"}, 1},
		{"veil_partitions_assigned", L{"topic": "events"}, 2},
		{"veil_partitions_assigned", L{"topic": "clicks"}, 0},
		{"veil_findings_total", L{"output": "analytics", "entity_type": "EMAIL_ADDRESS"}, 2},
		{"veil_findings_total", L{"output": "analytics", "entity_type": "PERSON"}, 1},
		{"veil_findings_total", L{"output": "analytics", "entity_type": "none"}, 1},
		{"veil_actions_total", L{"output": "analytics", "category": "contact", "action": "drop"}, 2},
		{"veil_actions_total", L{"output": "analytics", "category": "identity", "action": "hash"}, 1},
		{"veil_actions_total", L{"output": "analytics", "category": "unknown", "action": "drop"}, 1},
	}
	for _, c := range cases {
		if got := value(t, fams, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}

	// Only what happened is exported: no zero series for the pre-built
	// entity types, no lag for a partition never fetched.
	if n := len(fams["veil_findings_total"].GetMetric()); n != 3 {
		t.Errorf("veil_findings_total has %d series, want 3:\n%s", n, describe(fams, "veil_findings_total"))
	}
	if n := len(fams["veil_actions_total"].GetMetric()); n != 3 {
		t.Errorf("veil_actions_total has %d series, want 3:\n%s", n, describe(fams, "veil_actions_total"))
	}
	if _, ok := series(fams, "veil_consumer_lag", L{"topic": "clicks", "partition": "0"}); ok {
		t.Error("veil_consumer_lag reported for clicks/0, which was never fetched and is revoked")
	}

	// The histogram: seconds, per topic, in the buckets the latencies fall in.
	h, ok := series(fams, "veil_batch_duration_seconds", L{"topic": "events"})
	if !ok || h.Histogram == nil {
		t.Fatalf("veil_batch_duration_seconds{topic=events}: missing or not a histogram:\n%s", describe(fams, "veil_batch_duration_seconds"))
	}
	if got := h.GetHistogram().GetSampleCount(); got != 2 {
		t.Errorf("batch duration count = %d, want 2", got)
	}
	if got := h.GetHistogram().GetSampleSum(); math.Abs(got-0.32) > 1e-9 {
		t.Errorf("batch duration sum = %v, want 0.32", got)
	}
	wantCum := map[float64]uint64{0.01: 0, 0.025: 1, 0.25: 1, 0.5: 2, 10: 2}
	seen := 0
	for _, b := range h.GetHistogram().GetBucket() {
		if want, ok := wantCum[b.GetUpperBound()]; ok {
			seen++
			if b.GetCumulativeCount() != want {
				t.Errorf("bucket le=%v: %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), want)
			}
		}
	}
	if seen != len(wantCum) {
		t.Errorf("found %d of the %d expected bucket bounds", seen, len(wantCum))
	}

	// The resource is exported as target_info.
	if _, ok := fams["target_info"]; !ok {
		t.Error("no target_info family")
	} else if v := labelsOf(fams["target_info"].GetMetric()[0])["service_name"]; v != "veil-test" {
		t.Errorf("target_info service_name = %q, want veil-test", v)
	}
	// Go runtime and process collectors sit beside veil's metrics.
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("no go_goroutines family")
	}
}

// No attribute value ever comes from an event: paths in Applied entries are
// not exported.
func TestMetricsCarryNoPaths(t *testing.T) {
	tel := newTest(t)
	feed(tel)
	_, body := get(t, tel.Handler(), "/metrics")
	for _, p := range []string{"context.traits.email", "context_traits_email", "properties.blob"} {
		if strings.Contains(strings.ToLower(body), strings.ToLower(p)) {
			t.Errorf("/metrics mentions the path %q", p)
		}
	}
}

func TestLagSeriesEndsWithClaim(t *testing.T) {
	tel := newTest(t)
	h := tel.StreamHooks()
	h.Assigned(events0, 0)
	h.Fetched(events0, 3, 30, 12)
	h.Fetched(events0, 3, 30, 9) // the last fetch wins
	fams := scrape(t, tel)
	if got := value(t, fams, "veil_consumer_lag", map[string]string{"topic": "events", "partition": "0"}); got != 9 {
		t.Errorf("lag = %v, want 9", got)
	}
	h.Revoked(events0)
	h.Fetched(events0, 3, 30, 5) // a fetch racing the end of the claim
	fams = scrape(t, tel)
	if _, ok := series(fams, "veil_consumer_lag", map[string]string{"topic": "events", "partition": "0"}); ok {
		t.Errorf("lag still reported after the claim ended:\n%s", describe(fams, "veil_consumer_lag"))
	}
	if got := value(t, fams, "veil_partitions_assigned", map[string]string{"topic": "events"}); got != 0 {
		t.Errorf("partitions assigned = %v, want 0", got)
	}
}

// Attribute values past MaxAttributeValues fold into OverflowValue, so the
// series count stays bounded.
func TestAttributeCardinalityBounded(t *testing.T) {
	tel := newTest(t)
	e := tel.EngineHooks()
	const extra = 40
	for i := range MaxAttributeValues + extra {
		e.OnTimeout("rule_" + strconv.Itoa(i))
	}
	e.OnTimeout("rule_0") // a known one still counts under its name
	types := make([]sanitize.Applied, 0, MaxAttributeValues+extra)
	for i := range MaxAttributeValues + extra {
		types = append(types, sanitize.Applied{Type: classifiers.EntityType("CUSTOM_" + strconv.Itoa(i)), Category: classifiers.Unknown, Action: policy.Drop})
	}
	tel.ObserveApplied("out", types)

	fams := scrape(t, tel)
	if n := len(fams["veil_classify_timeouts_total"].GetMetric()); n != MaxAttributeValues+1 {
		t.Errorf("timeouts: %d series, want %d", n, MaxAttributeValues+1)
	}
	if got := value(t, fams, "veil_classify_timeouts_total", map[string]string{"rule": OverflowValue}); got != extra {
		t.Errorf("timeouts{rule=%s} = %v, want %d", OverflowValue, got, extra)
	}
	if got := value(t, fams, "veil_classify_timeouts_total", map[string]string{"rule": "rule_0"}); got != 2 {
		t.Errorf("timeouts{rule=rule_0} = %v, want 2", got)
	}
	// Entity types outside the taxonomy have MaxAttributeValues slots; the
	// remainder overflows.
	free := MaxAttributeValues
	if got := value(t, fams, "veil_findings_total", map[string]string{"output": "out", "entity_type": OverflowValue}); got != float64(MaxAttributeValues+extra-free) {
		t.Errorf("findings{entity_type=%s} = %v, want %d", OverflowValue, got, MaxAttributeValues+extra-free)
	}
	if n := len(fams["veil_findings_total"].GetMetric()); n != free+1 {
		t.Errorf("findings: %d series, want %d", n, free+1)
	}
}

// Hooks from many goroutines, new attribute values appearing meanwhile and
// scrapes in between: every count arrives.
func TestConcurrentHooks(t *testing.T) {
	tel := newTest(t)
	const workers, rounds = 8, 200
	done := make(chan struct{})
	go func() {
		defer close(done)
		h := tel.Handler()
		for range 5 {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			if rec.Code != http.StatusOK {
				t.Errorf("GET /metrics during the run: %d", rec.Code)
			}
		}
	}()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			h := tel.StreamHooks()
			tp := stream.TopicPartition{Topic: "t" + strconv.Itoa(w%3), Partition: int32(w)}
			h.Assigned(tp, 0)
			out := "out" + strconv.Itoa(w%2)
			for i := range rounds {
				h.Fetched(tp, 2, 20, int64(i))
				h.Processed(tp, &stream.BatchStats{In: 2, Latency: time.Millisecond,
					Outputs: []stream.OutputStats{{Name: out, Out: 2}}})
				h.Committed(tp, int64(2*i+2), nil)
				h.Released(tp, 2)
				tel.ObserveApplied(out, applied)
				tel.EngineHooks().OnTimeout("r" + strconv.Itoa(i%5))
			}
		})
	}
	wg.Wait()
	<-done
	fams := scrape(t, tel)
	total := 0.0
	for _, o := range []string{"out0", "out1"} {
		total += value(t, fams, "veil_events_out_total", map[string]string{"output": o})
	}
	if total != workers*rounds*2 {
		t.Errorf("events out = %v, want %d", total, workers*rounds*2)
	}
	emails := 0.0
	for _, o := range []string{"out0", "out1"} {
		emails += value(t, fams, "veil_findings_total", map[string]string{"output": o, "entity_type": "EMAIL_ADDRESS"})
	}
	if emails != workers*rounds {
		t.Errorf("email findings = %v, want %d", emails, workers*rounds)
	}
	if got := value(t, fams, "veil_classify_timeouts_total", map[string]string{"rule": "r0"}); got != workers*rounds/5 {
		t.Errorf("timeouts{r0} = %v, want %d", got, workers*rounds/5)
	}
}

// TestConfigVersionGauge checks the reload gauges: nothing before the first
// report, then exactly one active version (a reload replaces the series of
// the previous version) and the refused flag as last reported.
func TestConfigVersionGauge(t *testing.T) {
	tel := newTest(t)
	fams := scrape(t, tel)
	if _, ok := fams["veil_config_active"]; ok {
		t.Errorf("veil_config_active before any version was set:\n%s", describe(fams, "veil_config_active"))
	}
	type L = map[string]string
	steps := []struct {
		version string
		refused bool
	}{
		{"file@aaaa", false},
		{"file@aaaa", true}, // new files refused: the old version stays
		{"file@bbbb+rules@cccc", false},
	}
	for _, s := range steps {
		tel.SetConfigVersion(s.version, s.refused)
		fams := scrape(t, tel)
		if got := value(t, fams, "veil_config_active", L{"version": s.version}); got != 1 {
			t.Errorf("veil_config_active{version=%q} = %v, want 1", s.version, got)
		}
		if n := len(fams["veil_config_active"].GetMetric()); n != 1 {
			t.Errorf("veil_config_active has %d series, want 1:\n%s", n, describe(fams, "veil_config_active"))
		}
		want := 0.0
		if s.refused {
			want = 1
		}
		if got := value(t, fams, "veil_config_refused", L{}); got != want {
			t.Errorf("after %+v: veil_config_refused = %v, want %v", s, got, want)
		}
	}
}
