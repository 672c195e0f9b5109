package aggregate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden aggregates testdata/golden_events.jsonl (pairs of a raw event
// and its sanitized form) and compares the published records, one JSON
// line each, with testdata/golden_records.jsonl.
func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/golden_events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lo, hi := 0.0, 3600.0
	cfg := Config{
		Window: time.Minute, AllowedLateness: 5 * time.Second, K: 3,
		Dimensions: []Dimension{
			{Name: "event_type", Paths: []string{"type"}},
			{Name: "country", Paths: []string{"geo.country"}},
			{Name: "page_path", Paths: []string{"page.path"}},
		},
		Rollup:  []string{"page_path", "country"},
		Metrics: []Metric{{Name: "session_duration", Paths: []string{"duration_s"}, Lower: &lo, Upper: &hi, Histogram: []float64{10, 60, 600}}},
	}
	x, err := NewExtractor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := mustNew(t, cfg)
	var recs []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var pair struct{ Raw, Sanitized json.RawMessage }
		if err := json.Unmarshal(sc.Bytes(), &pair); err != nil {
			t.Fatal(err)
		}
		e, err := x.Extract(pair.Raw, pair.Sanitized, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Add(e); err != nil && !errors.Is(err, ErrLate) {
			t.Fatal(err)
		}
		recs = a.Drain(recs)
	}
	a.Flush()
	recs = a.Drain(recs)
	var got []byte
	for i := range recs {
		got = recs[i].AppendJSON(got)
		got = append(got, '\n')
	}
	const golden = "testdata/golden_records.jsonl"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("records differ from %s (run with -update after checking):\n%s", golden, got)
	}
}
