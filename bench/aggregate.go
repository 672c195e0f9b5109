package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/veilstream/veil/pipeline/aggregate"
	"github.com/veilstream/veil/pipeline/sanitize"
)

// AggregateConfig is the aggregation the aggregate figures measure:
// one-minute windows, four dimensions plus the derived hour, one metric
// with a histogram, and optionally contribution bounds (what differential
// privacy needs).
func AggregateConfig(bounds bool) aggregate.Config {
	c := aggregate.Config{Window: time.Minute, AllowedLateness: 10 * time.Second, K: 10}
	for _, n := range []string{"event_type", "country", "device_os", "page_path", "hour"} {
		d, _ := aggregate.StandardDimension(n)
		c.Dimensions = append(c.Dimensions, d)
	}
	c.Metrics = []aggregate.Metric{{Name: "session_duration", Paths: []string{"session.duration_s"}, Histogram: []float64{10, 60, 300, 1800}}}
	if bounds {
		c.Bounds = aggregate.Bounds{MaxEventsPerCohort: 50, MaxCohortsPerWindow: 8}
	}
	return c
}

// AggregateSample is one analytics event as it arrives (Raw) and as the
// sanitizer publishes it (Sanitized): the input of the extract-and-add
// figures.
var AggregateSample = struct{ Raw, Sanitized []byte }{
	Raw:       []byte(`{"type":"page","anonymousId":"2c39531a-c9f5-4078-97c7-308fea667b1d","timestamp":"2025-03-03T08:00:10.846Z","context":{"ip":"81.2.69.142","locale":"en-GB","userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15","os":{"name":"Mac OS"},"location":{"country":"GB"},"page":{"path":"/pricing","title":"Pricing"}},"session":{"duration_s":312},"properties":{"path":"/pricing"}}`),
	Sanitized: []byte(`{"type":"page","timestamp":"2025-03-03T08:00:10.846Z","context":{"ip":"81.2.69.0/24","locale":"en-GB","userAgent":"Safari 17","os":{"name":"Mac OS"},"location":{"country":"GB"},"page":{"path":"/pricing","title":"Pricing"}},"session":{"duration_s":312},"properties":{"path":"/pricing"}}`),
}

// AggregateEvents makes n extracted events over about 2000 cohorts and
// 20000 contributors, at 10000 events per second of event time, for
// measuring the aggregator alone.
func AggregateEvents(n int) []aggregate.Event {
	r := rand.New(rand.NewPCG(1, 2))
	types := []string{"page", "track", "screen", "identify"}
	countries := []string{"US", "FR", "DE", "GB", "ES", "IT", "NL", "BR", "IN", "JP"}
	oses := []string{"iOS", "Android", "Windows", "Mac OS", "Linux"}
	evs := make([]aggregate.Event, n)
	t0 := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	for i := range evs {
		evs[i] = aggregate.Event{
			Time:        t0.Add(time.Duration(i) * 100 * time.Microsecond),
			Dims:        [][]byte{[]byte(types[r.IntN(4)]), []byte(countries[r.IntN(10)]), []byte(oses[r.IntN(5)]), fmt.Appendf(nil, "/p%d", r.IntN(10)), nil},
			Contributor: fmt.Appendf(nil, "anon-%08d", r.IntN(20000)),
			Metrics:     []float64{float64(r.IntN(3600))},
		}
	}
	return evs
}

// LiveCohorts opens n one-contributor cohorts in one window of an
// aggregator of AggregateConfig(bounds) and returns the heap in use per
// cohort (runtime.MemStats after a GC, divided) and how long closing the
// window took (rollup and record building). Dimension values are 4 to 12
// bytes.
func LiveCohorts(n int, bounds bool) (bytesPerCohort float64, closing time.Duration, err error) {
	a, err := aggregate.New(AggregateConfig(bounds))
	if err != nil {
		return 0, 0, err
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	e := aggregate.Event{Time: t0, Dims: make([][]byte, 5), Metrics: []float64{math.NaN()}}
	buf := make([]byte, 0, 64)
	for i := range n {
		buf = fmt.Appendf(buf[:0], "/page/%d", i)
		e.Dims[0], e.Dims[1], e.Dims[2], e.Dims[3] = []byte("page"), []byte("FR"), []byte("iOS"), buf
		e.Contributor = fmt.Appendf(e.Contributor[:0], "anon-%d", i)
		if err := a.Add(e); err != nil {
			return 0, 0, err
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	start := time.Now()
	a.Flush()
	recs := a.Drain(nil)
	closing = time.Since(start)
	runtime.KeepAlive(recs)
	return float64(after.HeapInuse-before.HeapInuse) / float64(n), closing, nil
}

// AggregateCorpus is a corpus prepared for the aggregate output: each
// event with its sanitized form for the output's purpose.
type AggregateCorpus struct {
	Raw, Sanitized [][]byte
}

// NewAggregateCorpus sanitizes every event with s (events s rejects are
// left out).
func NewAggregateCorpus(events [][]byte, s *sanitize.Sanitizer) *AggregateCorpus {
	c := &AggregateCorpus{}
	for _, ev := range events {
		out, err := s.Sanitize(nil, ev)
		if err != nil {
			continue
		}
		c.Raw = append(c.Raw, ev)
		c.Sanitized = append(c.Sanitized, out)
	}
	return c
}

// AggregatePass runs the corpus once through a fresh Extractor and
// Aggregator of cfg, flushing at the end as a window close would, and
// returns how many events were counted (events without a contributor, or
// late, are not) and the records published.
func (c *AggregateCorpus) AggregatePass(cfg aggregate.Config) (counted, records int, err error) {
	x, err := aggregate.NewExtractor(cfg)
	if err != nil {
		return 0, 0, err
	}
	a, err := aggregate.New(cfg)
	if err != nil {
		return 0, 0, err
	}
	var recs []aggregate.Record
	for i, raw := range c.Raw {
		e, err := x.Extract(raw, c.Sanitized[i], time.Time{})
		if err != nil {
			continue
		}
		if a.Add(e) == nil {
			counted++
		}
		if i&1023 == 0 {
			recs = a.Drain(recs[:0])
			records += len(recs)
		}
	}
	a.Flush()
	recs = a.Drain(recs[:0])
	return counted, records + len(recs), a.Err()
}
