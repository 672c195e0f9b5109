package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/veilstream/veil/pipeline/aggregate"
)

// aggConfig is the aggregation the benchmarks measure: one-minute windows,
// four dimensions plus the derived hour, a metric with a histogram.
func aggConfig(bounds bool) aggregate.Config {
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

// aggEvents makes n events over about 2000 cohorts and 20000 contributors,
// at 10000 events per second of event time.
func aggEvents(n int) []aggregate.Event {
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

func benchAdd(b *testing.B, bounds bool) {
	a, err := aggregate.New(aggConfig(bounds))
	if err != nil {
		b.Fatal(err)
	}
	evs := aggEvents(1 << 16)
	var recs []aggregate.Record
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		e := evs[i&(len(evs)-1)]
		// Keep event time moving forward past the pre-generated range.
		e.Time = e.Time.Add(time.Duration(i>>16) * 6553600 * time.Microsecond)
		if err := a.Add(e); err != nil {
			b.Fatal(err)
		}
		if i&1023 == 0 {
			recs = a.Drain(recs[:0])
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkAggregateAdd is the aggregator alone, per event (window close
// and publication included as windows pass). Run with -cpu 1 for events/s
// per core.
func BenchmarkAggregateAdd(b *testing.B) { benchAdd(b, false) }

// BenchmarkAggregateAddBounded adds contribution bounding (the per-window
// contributor table differential privacy needs).
func BenchmarkAggregateAddBounded(b *testing.B) { benchAdd(b, true) }

// BenchmarkAggregateExtractAdd includes reading the event from JSON (raw
// and sanitized).
func BenchmarkAggregateExtractAdd(b *testing.B) {
	c := aggConfig(false)
	x, err := aggregate.NewExtractor(c)
	if err != nil {
		b.Fatal(err)
	}
	a, err := aggregate.New(c)
	if err != nil {
		b.Fatal(err)
	}
	raw := []byte(`{"type":"page","anonymousId":"2c39531a-c9f5-4078-97c7-308fea667b1d","timestamp":"2025-03-03T08:00:10.846Z","context":{"ip":"81.2.69.142","locale":"en-GB","userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15","os":{"name":"Mac OS"},"location":{"country":"GB"},"page":{"path":"/pricing","title":"Pricing"}},"session":{"duration_s":312},"properties":{"path":"/pricing"}}`)
	san := []byte(`{"type":"page","timestamp":"2025-03-03T08:00:10.846Z","context":{"ip":"81.2.69.0/24","locale":"en-GB","userAgent":"Safari 17","os":{"name":"Mac OS"},"location":{"country":"GB"},"page":{"path":"/pricing","title":"Pricing"}},"session":{"duration_s":312},"properties":{"path":"/pricing"}}`)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		e, err := x.Extract(raw, san, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Add(e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// liveCohortBytes returns the heap in use per live cohort with n cohorts of
// one contributor each open in one window.
func liveCohortBytes(n int, bounds bool) float64 {
	a, err := aggregate.New(aggConfig(bounds))
	if err != nil {
		panic(err)
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
			panic(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(a)
	return float64(after.HeapInuse-before.HeapInuse) / float64(n)
}

// BenchmarkAggregateLiveCohorts reports the heap per live cohort and per
// million live cohorts (one contributor each, one metric with a
// histogram, dimension values of 4 to 12 bytes).
func BenchmarkAggregateLiveCohorts(b *testing.B) {
	for _, bounds := range []bool{false, true} {
		b.Run(fmt.Sprintf("bounds=%v", bounds), func(b *testing.B) {
			var per float64
			for range b.N {
				per = liveCohortBytes(1_000_000, bounds)
			}
			b.ReportMetric(per, "B/cohort")
			b.ReportMetric(per*1e6/(1<<20), "MiB/1M-cohorts")
		})
	}
}
