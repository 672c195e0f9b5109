package aggregate

import (
	"math"
	"testing"
	"time"
)

// FuzzExtract feeds arbitrary bytes as raw and sanitized events: Extract
// must not panic, and what it returns must be usable by Add.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(`{"type":"page","anonymousId":"a","ts":1740988800000,"geo":{"country":"FR"},"page":{"path":"/"},"duration_s":3}`))
	f.Add([]byte(`{"type":"page","context":{"ip":"1.2.3.4","userAgent":"x"},"timestamp":"2025-03-03T08:00:00.5+01:00"}`))
	f.Add([]byte(`{"ts":"2025-13-03T08:00:00Z","anonymousId":"a"}`))
	f.Add([]byte(`{"ts":1e400,"anonymousId":"a"}`))
	cfg := testConfig(nil)
	x, err := NewExtractor(cfg)
	if err != nil {
		f.Fatal(err)
	}
	a, err := New(cfg, WithRand(seeded(1)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := x.Extract(b, b, time.Unix(0, 0))
		if err != nil {
			return
		}
		if len(e.Contributor) == 0 {
			t.Fatal("no contributor and no error")
		}
		_ = a.Add(e)
		a.Drain(nil)
	})
}

// FuzzProjection checks that decoding never panics and that what encodes
// decodes to the same event.
func FuzzProjection(f *testing.F) {
	e := ev(3*time.Second, "who", "page", "", "/x")
	e.Metrics[0] = 12.5
	f.Add(appendProjection(nil, &e))
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		got := Event{Dims: make([][]byte, 3), Metrics: make([]float64, 1)}
		if decodeProjection(b, &got) != nil {
			return
		}
		again := appendProjection(nil, &got)
		back := Event{Dims: make([][]byte, 3), Metrics: make([]float64, 1)}
		if err := decodeProjection(again, &back); err != nil {
			t.Fatal(err)
		}
		if !back.Time.Equal(got.Time) || string(back.Contributor) != string(got.Contributor) {
			t.Fatal("round trip changed the event")
		}
		for i := range got.Dims {
			if (got.Dims[i] == nil) != (back.Dims[i] == nil) || string(got.Dims[i]) != string(back.Dims[i]) {
				t.Fatal("round trip changed a dimension")
			}
		}
		if m, n := got.Metrics[0], back.Metrics[0]; m != n && !(math.IsNaN(m) && math.IsNaN(n)) {
			t.Fatal("round trip changed a metric")
		}
	})
}

func TestParseRFC3339(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2025-03-03T08:00:00Z", t0, true},
		{"2025-03-03T09:30:00.25+01:30", t0.Add(250 * time.Millisecond), true},
		{"2025-03-03t08:00:00z", t0, true},
		{"2025-03-03T08:00:00", time.Time{}, false},
		{"2025-03-03T08:00:00.Z", time.Time{}, false},
		{"2025-03-03T25:00:00Z", time.Time{}, false},
		{"2025-03-03T08:00:00Zjunk", time.Time{}, false},
	}
	for _, c := range cases {
		got, ok := parseRFC3339([]byte(c.in))
		if ok != c.ok || ok && !got.Equal(c.want) {
			t.Errorf("%s: %s %v, want %s %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestNoAllocs checks the per-event path: Extract, and Add of an event of
// an existing cohort and contributor.
func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	cfg := testConfig(nil)
	x, _ := NewExtractor(cfg)
	a := mustNew(t, cfg)
	raw := []byte(`{"type":"page","anonymousId":"a-1","ts":1740988800000,"context":{"ip":"1.2.3.4"},"geo":{"country":"FR"},"page":{"path":"/p"},"duration_s":30}`)
	san := []byte(`{"type":"page","ts":1740988800000,"geo":{"country":"FR"},"page":{"path":"/p"},"duration_s":30.5}`)
	e, err := x.Extract(raw, san, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Add(e); err != nil {
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(200, func() {
		e, err := x.Extract(raw, san, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Add(e); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Fatalf("%.1f allocations per event", n)
	}
	bounded := mustNew(t, testConfig(func(c *Config) { c.Bounds = Bounds{MaxEventsPerCohort: 1 << 30, MaxCohortsPerWindow: 4} }))
	_ = bounded.Add(e)
	if n := testing.AllocsPerRun(200, func() { _ = bounded.Add(e) }); n != 0 {
		t.Fatalf("bounded: %.1f allocations per event", n)
	}
}
