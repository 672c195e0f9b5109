package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/veilstream/veil/pipeline/aggregate"
)

func benchAdd(b *testing.B, bounds bool) {
	a, err := aggregate.New(AggregateConfig(bounds))
	if err != nil {
		b.Fatal(err)
	}
	evs := AggregateEvents(1 << 16)
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
	c := AggregateConfig(false)
	x, err := aggregate.NewExtractor(c)
	if err != nil {
		b.Fatal(err)
	}
	a, err := aggregate.New(c)
	if err != nil {
		b.Fatal(err)
	}
	raw := AggregateSample.Raw
	san := AggregateSample.Sanitized
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

// BenchmarkAggregateLiveCohorts reports the heap per live cohort and per
// million live cohorts (one contributor each, one metric with a
// histogram, dimension values of 4 to 12 bytes).
func BenchmarkAggregateLiveCohorts(b *testing.B) {
	for _, bounds := range []bool{false, true} {
		b.Run(fmt.Sprintf("bounds=%v", bounds), func(b *testing.B) {
			var per float64
			for range b.N {
				var err error
				if per, _, err = LiveCohorts(1_000_000, bounds); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(per, "B/cohort")
			b.ReportMetric(per*1e6/(1<<20), "MiB/1M-cohorts")
		})
	}
}

// BenchmarkAggregateCorpus is extraction and aggregation of the generated
// corpus (every event family) as the aggregate output sees it: each raw
// event with its product_improvement sanitized form, one pass per
// iteration with a fresh aggregator, flushed at the end. Run with -cpu 1
// for events/s per core; bench/cmd/pipebench prints the same figure.
func BenchmarkAggregateCorpus(b *testing.B) {
	s, err := NewSetup(0)
	if err != nil {
		b.Fatal(err)
	}
	c, err := NewCorpus(5000, 7)
	if err != nil {
		b.Fatal(err)
	}
	san, err := s.NewSanitizer()
	if err != nil {
		b.Fatal(err)
	}
	ac := NewAggregateCorpus(c.Events, san)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, _, err := ac.AggregatePass(AggregateConfig(false)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(ac.Raw))/time.Since(start).Seconds(), "events/s")
}
