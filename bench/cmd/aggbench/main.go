// Command aggbench measures the aggregate output (package
// pipeline/aggregate) on one core (GOMAXPROCS=1): events/s of the
// aggregator alone, with contribution bounds, and with the extraction of
// each event from its raw and sanitized JSON; the heap per million live
// cohorts (runtime.ReadMemStats after a GC, divided); and the time to close
// a window of a million cohorts (rollup and record building). The Go
// benchmarks in bench/aggregate_test.go measure the same things.
//
//	go run ./bench/cmd/aggbench [-cohorts 1000000] [-runs 3]
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/veilstream/veil/pipeline/aggregate"
)

func main() {
	cohorts := flag.Int("cohorts", 1_000_000, "live cohorts for the memory figure")
	runs := flag.Int("runs", 3, "runs per throughput figure (the median is printed)")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	if err := run(*cohorts, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "aggbench:", err)
		os.Exit(1)
	}
}

func config(bounds bool) aggregate.Config {
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

var t0 = time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)

func events(n int) []aggregate.Event {
	r := rand.New(rand.NewPCG(1, 2))
	types := []string{"page", "track", "screen", "identify"}
	countries := []string{"US", "FR", "DE", "GB", "ES", "IT", "NL", "BR", "IN", "JP"}
	oses := []string{"iOS", "Android", "Windows", "Mac OS", "Linux"}
	evs := make([]aggregate.Event, n)
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

func addBench(bounds bool) func(b *testing.B) {
	evs := events(1 << 16)
	return func(b *testing.B) {
		a, err := aggregate.New(config(bounds))
		if err != nil {
			b.Fatal(err)
		}
		var recs []aggregate.Record
		for i := 0; i < b.N; i++ {
			e := evs[i&(len(evs)-1)]
			e.Time = e.Time.Add(time.Duration(i>>16) * 6553600 * time.Microsecond)
			if err := a.Add(e); err != nil {
				b.Fatal(err)
			}
			if i&1023 == 0 {
				recs = a.Drain(recs[:0])
			}
		}
	}
}

func extractBench(b *testing.B) {
	c := config(false)
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
	for i := 0; i < b.N; i++ {
		e, err := x.Extract(raw, san, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Add(e); err != nil {
			b.Fatal(err)
		}
	}
}

// liveCohorts opens n one-contributor cohorts in one window and returns the
// heap in use per cohort and the time Flush takes to close the window.
func liveCohorts(n int, bounds bool) (float64, time.Duration, error) {
	a, err := aggregate.New(config(bounds))
	if err != nil {
		return 0, 0, err
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e := aggregate.Event{Time: t0, Dims: make([][]byte, 5), Metrics: []float64{math.NaN()}}
	var buf []byte
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
	took := time.Since(start)
	runtime.KeepAlive(recs)
	return float64(after.HeapInuse-before.HeapInuse) / float64(n), took, nil
}

func median(b func(*testing.B), runs int) (float64, float64, float64) {
	var rates []float64
	for range runs {
		r := testing.Benchmark(b)
		rates = append(rates, float64(r.N)/r.T.Seconds())
	}
	slices.Sort(rates)
	return rates[len(rates)/2], rates[0], rates[len(rates)-1]
}

func run(cohorts, runs int) error {
	fmt.Printf("aggregate output, GOMAXPROCS=1, %s/%s, %s\n", runtime.GOOS, runtime.GOARCH, runtime.Version())
	for _, c := range []struct {
		name string
		b    func(*testing.B)
	}{
		{"aggregator (1m windows, 5 dims, 1 metric)", addBench(false)},
		{"aggregator with contribution bounds", addBench(true)},
		{"extract from JSON + aggregator", extractBench},
	} {
		m, lo, hi := median(c.b, runs)
		fmt.Printf("%-44s %10.0f events/s per core (runs %0.f..%0.f)\n", c.name, m, lo, hi)
	}
	for _, bounds := range []bool{false, true} {
		per, took, err := liveCohorts(cohorts, bounds)
		if err != nil {
			return err
		}
		fmt.Printf("live cohorts (bounds=%v): %.0f B/cohort, %.0f MiB per million; closing %d cohorts took %s\n",
			bounds, per, per*1e6/(1<<20), cohorts, took.Round(time.Millisecond))
	}
	return nil
}
