package aggregate

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSipHashVector(t *testing.T) {
	// The reference vector of the SipHash paper: key 00..0f, message 00..0e.
	var kb [16]byte
	for i := range kb {
		kb[i] = byte(i)
	}
	k := hashKey{binary.LittleEndian.Uint64(kb[:8]), binary.LittleEndian.Uint64(kb[8:])}
	msg := make([]byte, 15)
	for i := range msg {
		msg[i] = byte(i)
	}
	if got, want := k.sum64(msg), uint64(0xa129ca6149be45e5); got != want {
		t.Fatalf("SipHash-2-4 = %#x, want %#x", got, want)
	}
	if k.sum64(nil) != 0x726fdb47dd0e0e31 {
		t.Fatalf("SipHash-2-4 of the empty message = %#x", k.sum64(nil))
	}
}

func TestHLLError(t *testing.T) {
	cases := []struct {
		p int
		n int
	}{
		{14, 100_000},
		{14, 1_000_000},
		{12, 1_000},
		{12, 50},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("p%d/n%d", c.p, c.n), func(t *testing.T) {
			if testing.Short() && c.n > 100_000 {
				t.Skip("long")
			}
			// Theoretical relative standard error 1.04/sqrt(m); five of
			// them, with fixed keys so the test is deterministic.
			bound := 5 * 1.04 / math.Sqrt(float64(int(1)<<c.p))
			for seed := range uint64(3) {
				k := hashKey{seed*7919 + 1, seed*104729 + 3}
				s := newHLL(c.p)
				var buf [8]byte
				for i := range c.n {
					binary.LittleEndian.PutUint64(buf[:], uint64(i))
					s.add(k.sum64(buf[:]))
				}
				est := s.estimate()
				if rel := math.Abs(est-float64(c.n)) / float64(c.n); rel > bound {
					t.Errorf("seed %d: estimate %.0f of %d, relative error %.4f over %.4f", seed, est, c.n, rel, bound)
				}
			}
		})
	}
}

func TestHLLMergeIsUnion(t *testing.T) {
	k := hashKey{1, 2}
	a, b, u := newHLL(12), newHLL(12), newHLL(12)
	var buf [8]byte
	for i := range 30000 {
		binary.LittleEndian.PutUint64(buf[:], uint64(i))
		h := k.sum64(buf[:])
		if i < 20000 {
			a.add(h)
		}
		if i >= 10000 {
			b.add(h)
		}
		u.add(h)
	}
	a.merge(b)
	if !slices.Equal(a.regs, u.regs) {
		t.Fatal("merged registers differ from the union's")
	}
}

func TestContribSetExactThenSketch(t *testing.T) {
	sp := &setParams{limit: 100, precision: 12}
	var s contribSet
	k := hashKey{3, 4}
	var buf [8]byte
	for round := range 2 { // the second round adds duplicates only
		for i := range 100 {
			binary.LittleEndian.PutUint64(buf[:], uint64(i))
			added := s.add(k.sum64(buf[:]), sp)
			if added == (round == 1) {
				t.Fatalf("round %d, %d: add reported new=%v", round, i, added)
			}
		}
	}
	if n, exact := s.count(sp); n != 100 || !exact {
		t.Fatalf("count = %d exact=%v, want 100 exact", n, exact)
	}
	binary.LittleEndian.PutUint64(buf[:], 1000)
	s.add(k.sum64(buf[:]), sp)
	if n, exact := s.count(sp); exact || n < 101 {
		t.Fatalf("past the limit: count = %d exact=%v, want an estimate >= 101", n, exact)
	}
	var o contribSet
	o.add(k.sum64([]byte("x")), sp)
	o.add(k.sum64([]byte("y")), sp)
	o.merge(&s, sp)
	if n, exact := o.count(sp); exact || n < 101 {
		t.Fatalf("merged into a sketch: count = %d exact=%v", n, exact)
	}
	s.zero()
	if s.hll != nil || s.tab != nil || s.n != 0 {
		t.Fatal("zero left state")
	}
}

// seeded returns a deterministic byte source.
func seeded(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return rand.NewChaCha8(s)
}

func testConfig(mod func(*Config)) Config {
	c := Config{
		Window:          time.Minute,
		AllowedLateness: 10 * time.Second,
		K:               3,
		Dimensions: []Dimension{
			{Name: "event_type", Paths: []string{"type"}},
			{Name: "country", Paths: []string{"geo.country"}},
			{Name: "page_path", Paths: []string{"page.path"}},
		},
		Metrics: []Metric{{Name: "duration", Paths: []string{"duration_s"}, Histogram: []float64{10, 60, 600}}},
	}
	if mod != nil {
		mod(&c)
	}
	return c
}

var t0 = time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)

func ev(at time.Duration, who string, dims ...string) Event {
	e := Event{Time: t0.Add(at), Contributor: []byte(who), Metrics: []float64{math.NaN()}}
	for _, d := range dims {
		if d == "" {
			e.Dims = append(e.Dims, nil)
		} else {
			e.Dims = append(e.Dims, []byte(d))
		}
	}
	return e
}

func mustNew(t testing.TB, c Config, opts ...Option) *Aggregator {
	t.Helper()
	a, err := New(c, append([]Option{WithRand(seeded(1))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type statsHook struct {
	closed []WindowStats
	late   int
}

func (h *statsHook) OnWindowClosed(s WindowStats)     { h.closed = append(h.closed, s) }
func (h *statsHook) OnLateEvent(time.Time, time.Time) { h.late++ }

func TestRollupUnionsContributors(t *testing.T) {
	h := &statsHook{}
	a := mustNew(t, testConfig(nil), WithHooks(h))
	// Cohort (page, FR, /a) has 3 contributors: published as such. The
	// cohorts (page, FR, /b) and (page, FR, /c) have 2 each, and the same
	// two: rolled up over page_path they make 2 distinct contributors, not
	// 4, so they go on to (page, *, *) with (page, DE, /x)'s third.
	for _, e := range []Event{
		ev(0, "u1", "page", "FR", "/a"), ev(1, "u2", "page", "FR", "/a"), ev(2, "u3", "page", "FR", "/a"),
		ev(3, "u4", "page", "FR", "/b"), ev(4, "u5", "page", "FR", "/b"),
		ev(5, "u4", "page", "FR", "/c"), ev(6, "u5", "page", "FR", "/c"), ev(6, "u5", "page", "FR", "/c"),
		ev(7, "u6", "page", "DE", "/x"),
		ev(8, "u9", "track", "", ""),
	} {
		if err := a.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	a.Flush()
	recs := a.Drain(nil)
	got := map[string]int64{}
	for _, r := range recs {
		got[string(r.AppendKey(nil))] = r.Contributors*1000 + r.Count
	}
	want := map[string]int64{
		`{"start":"2025-03-03T08:00:00Z","end":"2025-03-03T08:01:00Z","dimensions":{"event_type":"page","country":"FR","page_path":"/a"},"rolled_up":[]}`: 3003,
		`{"start":"2025-03-03T08:00:00Z","end":"2025-03-03T08:01:00Z","dimensions":{"event_type":"page"},"rolled_up":["page_path","country"]}`:            3006,
	}
	if len(got) != len(want) {
		t.Fatalf("records %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: contributors*1000+count = %d, want %d", k, got[k], v)
		}
	}
	if len(h.closed) != 1 || h.closed[0].SuppressedEvents != 1 || h.closed[0].Events != 10 {
		t.Fatalf("stats %+v", h.closed)
	}
}

func TestLateEvents(t *testing.T) {
	h := &statsHook{}
	a := mustNew(t, testConfig(func(c *Config) {
		c.K = 1
		c.AllowedLateness = 20 * time.Second
	}), WithHooks(h))
	add := func(at time.Duration) error { return a.Add(ev(at, "u", "page", "FR", "/")) }
	for _, at := range []time.Duration{30 * time.Second, 75 * time.Second, 59 * time.Second} {
		// After 75s the watermark is 08:00:55: the first window is open.
		if err := add(at); err != nil {
			t.Fatalf("%s: %v", at, err)
		}
	}
	if a.OpenWindows() != 2 || len(a.Drain(nil)) != 0 {
		t.Fatalf("%d open windows, want 2 and nothing closed", a.OpenWindows())
	}
	if err := add(81 * time.Second); err != nil { // watermark 08:01:01 closes [08:00, 08:01)
		t.Fatal(err)
	}
	if err := add(50 * time.Second); !errors.Is(err, ErrLate) {
		t.Fatalf("late event: %v", err)
	}
	recs := a.Drain(nil)
	if len(recs) != 1 || recs[0].Count != 2 || h.late != 1 || a.OpenWindows() != 1 {
		t.Fatalf("records %+v, late %d", recs, h.late)
	}
	if got := a.Watermark(); !got.Equal(t0.Add(61 * time.Second)) {
		t.Fatalf("watermark %s", got)
	}
}

func TestBoundingFlood(t *testing.T) {
	const bound = 3
	base := func() Config {
		return testConfig(func(c *Config) {
			c.K = 2
			c.Bounds = Bounds{MaxEventsPerCohort: bound, MaxCohortsPerWindow: 2}
		})
	}
	counts := func(flood int) (map[string]int64, WindowStats) {
		h := &statsHook{}
		a := mustNew(t, base(), WithHooks(h))
		for i := range 5 {
			if err := a.Add(ev(time.Duration(i)*time.Second, fmt.Sprintf("u%d", i), "page", "FR", "/a")); err != nil {
				t.Fatal(err)
			}
		}
		for i := range flood {
			if err := a.Add(ev(time.Duration(i%50)*time.Second, "flooder", "page", "FR", "/a")); err != nil {
				t.Fatal(err)
			}
		}
		// The flooder also spreads over cohorts: only its first two count.
		for i, p := range []string{"/b", "/c", "/d"} {
			if err := a.Add(ev(time.Duration(i)*time.Second, "flooder", "page", "FR", p)); err != nil {
				t.Fatal(err)
			}
		}
		a.Flush()
		out := map[string]int64{}
		for _, r := range a.Drain(nil) {
			out[string(r.AppendKey(nil))] = r.Count
		}
		return out, h.closed[0]
	}
	without, _ := counts(0)
	with, st := counts(10_000)
	key := `{"start":"2025-03-03T08:00:00Z","end":"2025-03-03T08:01:00Z","dimensions":{"event_type":"page","country":"FR","page_path":"/a"},"rolled_up":[]}`
	if d := with[key] - without[key]; d < 0 || d > bound {
		t.Fatalf("a flooding contributor changed the cohort's count by %d, bound %d", d, bound)
	}
	if st.DroppedOverEvents != 10_000-bound || st.DroppedOverCohorts != 2 {
		t.Fatalf("dropped %d over events and %d over cohorts, want %d and 2", st.DroppedOverEvents, st.DroppedOverCohorts, 10_000-bound)
	}
}

func TestRecordJSONEscapes(t *testing.T) {
	r := Record{Start: t0, End: t0.Add(time.Minute), Dimensions: []DimensionValue{{Name: "p", Value: "a\"b</", Present: true}, {Name: "q"}},
		Metrics: []MetricValue{{Name: "m"}}, K: 5, Privacy: PrivacyInfo{Mechanism: MechanismNone}}
	b := r.AppendJSON(nil)
	var got struct {
		Dimensions map[string]*string `json:"dimensions"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if got.Dimensions["p"] == nil || *got.Dimensions["p"] != "a\"b</" || got.Dimensions["q"] != nil || !bytes.Contains(b, []byte(`"mean":null`)) {
		t.Fatalf("%s", b)
	}
}

func TestConfigValidate(t *testing.T) {
	one := 1.0
	cases := []struct {
		name string
		mod  func(*Config)
		want string // substring of the error; "" = valid
	}{
		{"valid", nil, ""},
		{"window short", func(c *Config) { c.Window = time.Second }, "window"},
		{"window uneven", func(c *Config) { c.Window = 7 * time.Minute }, "divide a day"},
		{"lateness", func(c *Config) { c.AllowedLateness = -1 }, "allowed_lateness"},
		{"k", func(c *Config) { c.K = -2 }, "k:"},
		{"no dims", func(c *Config) { c.Dimensions = nil }, "dimensions"},
		{"dup name", func(c *Config) { c.Dimensions[1].Name = "event_type" }, "also the name"},
		{"rollup unknown", func(c *Config) { c.Rollup = []string{"city"} }, "not a dimension"},
		{"derive", func(c *Config) { c.Dimensions[0] = Dimension{Name: "h", Derive: "minute"} }, "derive"},
		{"bad path", func(c *Config) { c.Dimensions[0].Paths = []string{"a..b"} }, "dotted path"},
		{"hist order", func(c *Config) { c.Metrics[0].Histogram = []float64{3, 2} }, "histogram"},
		{"lower alone", func(c *Config) { c.Metrics[0].Lower = &one }, "go together"},
		{"bounds alone", func(c *Config) { c.Bounds.MaxEventsPerCohort = 2 }, "go together"},
		{"dp needs bounds", func(c *Config) { c.Privacy = &Privacy{Epsilon: 1, Delta: 1e-6} }, "required with differential_privacy"},
		{"dp epsilon", func(c *Config) {
			c.Privacy = &Privacy{Epsilon: 0, Delta: 1e-6}
			c.Bounds = Bounds{1, 1}
		}, "epsilon"},
		{"exact below k", func(c *Config) { c.ExactLimit = 2 }, "exact_limit"},
		{"precision", func(c *Config) { c.Precision = 30 }, "sketch_precision"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(c.mod)
			err := cfg.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}
