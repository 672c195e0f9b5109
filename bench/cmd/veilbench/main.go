// Command veilbench measures veil's classifier core and `veil redact`
// against their baselines in the same run, on a generated mixed corpus of
// analytics, usage and conversation events with the full built-in pack,
// and prints MB/s per core (GOMAXPROCS=1 unless -procs says otherwise):
//
//	redact      `veil redact` end to end vs an encoding/json map round trip
//	scan        the engine vs the naive loop (every rule with regexp2 over
//	            every string value), after checking identical findings
//
// Each figure is the median of -runs runs with the spread (min–max); each
// ratio is the median of the per-run ratios, so that both sides of a ratio
// share the machine's noise.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/veilstream/veil/bench"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "veilbench:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("veilbench", flag.ContinueOnError)
	n := fs.Int("n", 1000, "events in the redact corpus")
	naiveN := fs.Int("naive-n", 200, "events whose values the scan comparison uses (the naive loop is slow)")
	runs := fs.Int("runs", 5, "runs per figure")
	seed := fs.Uint64("seed", 1, "corpus seed")
	warmN := fs.Int("warm", 3000, "events of another seed each steady-state sanitizer processes, untimed, before the measured corpus")
	procs := fs.Int("procs", 1, "GOMAXPROCS")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *naiveN < 1 || *runs < 1 || *procs < 1 || *warmN < 0 {
		return fmt.Errorf("-n, -naive-n, -runs and -procs must be positive, -warm not negative")
	}
	runtime.GOMAXPROCS(*procs)

	s, err := bench.NewSetup(time.Minute)
	if err != nil {
		return err
	}
	big, err := bench.NewCorpus(*n, *seed)
	if err != nil {
		return err
	}
	small, err := bench.NewCorpus(*naiveN, *seed+1)
	if err != nil {
		return err
	}
	warm, err := bench.NewCorpus(max(*warmN, 1), *seed+2)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "veilbench: GOMAXPROCS=%d, %d rules, %d runs\n", *procs, s.Rules, *runs)
	fmt.Fprintf(w, "redact corpus: %d events, %.2f MB (mean %d B/event)\n", len(big.Events), mb(big.EventBytes), big.EventBytes/len(big.Events))
	fmt.Fprintf(w, "scan corpus:   %d string values from %d events, %.2f MB\n", len(small.Values), len(small.Events), mb(small.ValueBytes))
	fmt.Fprintf(w, "steady state:  each run's sanitizer first redacts %d events of another seed (untimed), as a running processor has; cold start: a fresh sanitizer\n", *warmN)

	diffs, first, err := small.Diff(s.Engine.Scan, s.Naive.Scan)
	if err != nil {
		return err
	}
	if diffs > 0 {
		return fmt.Errorf("engine and naive loop differ on %d values; first: %s", diffs, first)
	}
	findings, _ := small.ScanAll(s.Engine.Scan)
	fmt.Fprintf(w, "identical findings: yes (%d findings on %d values)\n\n", findings, len(small.Values))

	var mapR, redR, coldR, naiveR, scanR, redRatio, coldRatio, scanRatio []float64
	for i := 0; i < *runs; i++ {
		m, err1 := rate(big.EventBytes, func() error { return big.MapRoundTrip() })
		cold, err := s.NewSanitizer()
		if err != nil {
			return err
		}
		c, err5 := rate(big.EventBytes, func() error { return big.Redact(cold, io.Discard) })
		san, err := s.NewSanitizer()
		if err != nil {
			return err
		}
		if *warmN > 0 {
			if err := warm.Redact(san, io.Discard); err != nil {
				return err
			}
		}
		r, err2 := rate(big.EventBytes, func() error { return big.Redact(san, io.Discard) })
		nv, err3 := rate(small.ValueBytes, func() error { _, err := small.ScanAll(s.Naive.Scan); return err })
		sc, err4 := rate(small.ValueBytes, func() error { _, err := small.ScanAll(s.Engine.Scan); return err })
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			return err
		}
		mapR, redR, coldR, naiveR, scanR = append(mapR, m), append(redR, r), append(coldR, c), append(naiveR, nv), append(scanR, sc)
		redRatio, coldRatio, scanRatio = append(redRatio, r/m), append(coldRatio, c/m), append(scanRatio, sc/nv)
	}
	fmt.Fprintf(w, "%-30s %10s %18s\n", "", "MB/s", "spread (min–max)")
	row := func(name string, xs []float64) {
		lo, med, hi := stats(xs)
		fmt.Fprintf(w, "%-30s %10.1f %8.1f – %-8.1f\n", name, med, lo, hi)
	}
	row("encoding/json map round trip", mapR)
	row("veil redact, steady state", redR)
	row("veil redact, cold start", coldR)
	row("naive loop (regexp2, all rules)", naiveR)
	row("engine scan", scanR)
	fmt.Fprintln(w)
	lo, med, hi := stats(redRatio)
	fmt.Fprintf(w, "redact / map round trip:  %.1fx (spread %.1f–%.1f; target ≥ 5x), steady state\n", med, lo, hi)
	lo, med, hi = stats(coldRatio)
	fmt.Fprintf(w, "                          %.1fx (spread %.1f–%.1f), cold start\n", med, lo, hi)
	lo, med, hi = stats(scanRatio)
	fmt.Fprintf(w, "scan / naive loop:        %.1fx (spread %.1f–%.1f; target ≥ 50x)\n", med, lo, hi)

	allocs := testing.AllocsPerRun(3, func() { small.ScanAll(s.Engine.Scan) })
	fmt.Fprintf(w, "scan allocations: %.3f per value (%.0f per pass over %d values, %d findings)\n", allocs/float64(len(small.Values)), allocs, len(small.Values), findings)
	return nil
}

// rate runs f once and returns the throughput over bytes in MB/s.
func rate(bytes int, f func() error) (float64, error) {
	start := time.Now()
	if err := f(); err != nil {
		return 0, err
	}
	return mb(bytes) / time.Since(start).Seconds(), nil
}

func mb(n int) float64 { return float64(n) / 1e6 }

func stats(xs []float64) (lo, med, hi float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[0], s[len(s)/2], s[len(s)-1]
}
