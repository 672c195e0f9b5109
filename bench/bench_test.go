package bench

import (
	"io"
	"sync"
	"testing"
	"time"

	"github.com/veilstream/veil/classifiers"
)

var (
	once   sync.Once
	setup  *Setup
	corp   *Corpus
	small  *Corpus
	setErr error
)

func prepare(b testing.TB) (*Setup, *Corpus, *Corpus) {
	b.Helper()
	once.Do(func() {
		if setup, setErr = NewSetup(time.Minute); setErr != nil { // no spurious timeouts on a loaded machine
			return
		}
		if corp, setErr = NewCorpus(1000, 1); setErr != nil {
			return
		}
		small, setErr = NewCorpus(100, 2)
	})
	if setErr != nil {
		b.Fatal(setErr)
	}
	return setup, corp, small
}

// BenchmarkMapRoundTrip is the baseline of BenchmarkRedact.
func BenchmarkMapRoundTrip(b *testing.B) {
	_, c, _ := prepare(b)
	b.SetBytes(int64(c.EventBytes))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.MapRoundTrip(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRedact is `veil redact` end to end on the mixed corpus.
func BenchmarkRedact(b *testing.B) {
	s, c, _ := prepare(b)
	b.SetBytes(int64(c.EventBytes))
	b.ReportAllocs()
	for b.Loop() {
		san, err := s.NewSanitizer()
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Redact(san, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNaive is the baseline of BenchmarkScan: every rule with regexp2
// over every string value (on a smaller corpus: it is slow).
func BenchmarkNaive(b *testing.B) {
	s, _, c := prepare(b)
	b.SetBytes(int64(c.ValueBytes))
	for b.Loop() {
		if _, err := c.ScanAll(s.Naive.Scan); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan is the classifier core over the values BenchmarkNaive scans.
func BenchmarkScan(b *testing.B) {
	s, _, c := prepare(b)
	b.SetBytes(int64(c.ValueBytes))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ScanAll(s.Engine.Scan); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(testing.AllocsPerRun(1, func() { c.ScanAll(s.Engine.Scan) }))/float64(len(c.Values)), "allocs/value")
}

// BenchmarkScanValue scans one value of the corpus per op, findings and
// all, with a reused findings buffer as the sanitizer keeps one: its
// allocs/op is the scan path's allocations per value (0).
func BenchmarkScanValue(b *testing.B) {
	s, _, c := prepare(b)
	var fs []classifiers.Finding
	for _, v := range c.Values { // warm the engine's pools and the buffer
		fs, _ = s.Engine.Scan(v, fs[:0])
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var err error
		if fs, err = s.Engine.Scan(c.Values[i%len(c.Values)], fs[:0]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkScanCleanValue scans values without findings: the scan path
// must not allocate (allocs/op 0).
func BenchmarkScanCleanValue(b *testing.B) {
	s, c, _ := prepare(b)
	var clean []string
	var fs []classifiers.Finding
	for _, v := range c.Values {
		fs, _ = s.Engine.Scan(v, fs[:0])
		if len(fs) == 0 {
			clean = append(clean, v)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		fs, _ = s.Engine.Scan(clean[i%len(clean)], fs[:0])
		i++
	}
}

// TestEngineMatchesNaiveOnCorpus checks the precondition of comparing the
// two: identical findings on every value of the benchmark corpus.
func TestEngineMatchesNaiveOnCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs the naive loop")
	}
	s, err := NewSetup(time.Minute) // a timeout would make a value unclassifiable on one side only
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCorpus(150, 3)
	if err != nil {
		t.Fatal(err)
	}
	diffs, first, err := c.Diff(s.Engine.Scan, s.Naive.Scan)
	if err != nil {
		t.Fatal(err)
	}
	if diffs > 0 {
		t.Fatalf("%d of %d values differ; first: %s", diffs, len(c.Values), first)
	}
}
