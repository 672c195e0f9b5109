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
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/veilstream/veil/bench"
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

func addBench(bounds bool) func(b *testing.B) {
	evs := bench.AggregateEvents(1 << 16)
	return func(b *testing.B) {
		a, err := aggregate.New(bench.AggregateConfig(bounds))
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
	c := bench.AggregateConfig(false)
	x, err := aggregate.NewExtractor(c)
	if err != nil {
		b.Fatal(err)
	}
	a, err := aggregate.New(c)
	if err != nil {
		b.Fatal(err)
	}
	raw := bench.AggregateSample.Raw
	san := bench.AggregateSample.Sanitized
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
		per, took, err := bench.LiveCohorts(cohorts, bounds)
		if err != nil {
			return err
		}
		fmt.Printf("live cohorts (bounds=%v): %.0f B/cohort, %.0f MiB per million; closing %d cohorts took %s\n",
			bounds, per, per*1e6/(1<<20), cohorts, took.Round(time.Millisecond))
	}
	return nil
}
