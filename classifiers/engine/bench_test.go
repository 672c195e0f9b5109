package engine

import (
	"testing"

	"github.com/veilstream/veil/classifiers"
)

// benchCorpus is the realistic mixed corpus (see realisticValue): short
// analytics values and conversation turns, piiPct percent of whose
// sentences carry personal data.
func benchCorpus(piiPct int) (values []string, size int64) {
	g := newGen(42)
	g.entityPct = piiPct
	for size < 256<<10 {
		v := g.realisticValue()
		values = append(values, v)
		size += int64(len(v))
	}
	return values, size
}

// adversarialCorpus is the equivalence test's generator output: every
// entity type in odd adjacencies, dense digits, punctuation and non-ASCII
// text; a worst case for the prefilter.
func adversarialCorpus() (values []string, size int64) {
	g := newGen(42)
	g.entityPct = 3
	for size < 256<<10 {
		v := g.value()
		values = append(values, v)
		size += int64(len(v))
	}
	return values, size
}

type scanner interface {
	Scan(string, []classifiers.Finding) ([]classifiers.Finding, error)
}

// benchScan scans the whole corpus once per op; allocs/op and B/op are
// therefore per corpus, and the custom metric allocs/value divides them.
func benchScan(b *testing.B, s scanner, values []string, size int64) {
	var dst []classifiers.Finding
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, v := range values {
			var err error
			if dst, err = s.Scan(v, dst[:0]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
}

// The ratio between BenchmarkScan and BenchmarkNaive (same corpus, same
// run) is the speedup of the prefiltered engine; TestEngineEqualsNaive
// proves that both find the same.
func BenchmarkScan(b *testing.B) {
	rs := loadTestRules(b)
	e, n := compileBoth(b, rs)
	eGo, _ := compileBoth(b, rs, WithRE2Screen(true))
	for _, mix := range []struct {
		name string
		pct  int
	}{{"realistic10", 10}, {"realistic30", 30}, {"adversarial", -1}} {
		values, size := benchCorpus(mix.pct)
		if mix.pct < 0 {
			values, size = adversarialCorpus()
		}
		b.Run(mix.name+"/engine", func(b *testing.B) { benchScan(b, e, values, size) })
		b.Run(mix.name+"/engine-re2screen", func(b *testing.B) { benchScan(b, eGo, values, size) })
		b.Run(mix.name+"/naive", func(b *testing.B) { benchScan(b, n, values, size) })
	}
}
