package aggregate

import (
	"bytes"
	"fmt"
	"math"
	"testing"
	"time"
)

// dpWindowRecords runs the same events (three windows, cohorts well above
// the selection threshold and some below it) through a fresh aggregator
// under differential privacy and returns its published records as JSON.
func dpWindowRecords(t *testing.T, rnd uint64, opts ...Option) [][]byte {
	t.Helper()
	lo, hi := 0.0, 600.0
	c := testConfig(func(c *Config) {
		c.K = 2
		c.Metrics[0].Lower, c.Metrics[0].Upper = &lo, &hi
		c.Bounds = Bounds{MaxEventsPerCohort: 3, MaxCohortsPerWindow: 2}
		c.Privacy = &Privacy{Epsilon: 20, Delta: 1e-3}
	})
	a, err := New(c, append([]Option{WithRand(seeded(rnd))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	for w := range 3 {
		for i := range 400 {
			at := time.Duration(w)*time.Minute + time.Duration(i)*100*time.Millisecond
			e := ev(at, fmt.Sprintf("person-%d", i%150), "page", []string{"FR", "DE", "US"}[i%3], []string{"/a", "/b"}[i%2])
			e.Metrics[0] = float64(i % 500)
			if err := a.Add(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	a.Flush()
	var out [][]byte
	for _, r := range a.Drain(nil) {
		out = append(out, r.AppendJSON(nil))
	}
	if len(out) == 0 {
		t.Fatal("no record published")
	}
	return out
}

func sameRecords(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestNoiseReplayIsDeterministic: under a fixed noise key, a window
// published again (the replay after a crash: another process, other window
// hashing keys) carries the very same noisy values, so the compacted topic
// never holds two independent draws of one cohort. Without a shared key,
// or under another key, the draws differ.
func TestNoiseReplayIsDeterministic(t *testing.T) {
	key := bytes.Repeat([]byte{0x5a}, MinNoiseKeySize)
	first := dpWindowRecords(t, 1, WithNoiseKey(key))
	replay := dpWindowRecords(t, 2, WithNoiseKey(key)) // other window keys, same noise key
	if !sameRecords(first, replay) {
		t.Fatalf("a replay under the same noise key published other records:\n%s\nvs\n%s", bytes.Join(first, []byte("\n")), bytes.Join(replay, []byte("\n")))
	}
	other := dpWindowRecords(t, 1, WithNoiseKey(bytes.Repeat([]byte{0x77}, MinNoiseKeySize)))
	if sameRecords(first, other) {
		t.Error("another noise key drew the same noise on every record")
	}
	inMemory := dpWindowRecords(t, 3) // random in-memory key, drawn from the seeded source
	if sameRecords(first, inMemory) {
		t.Error("an aggregator without a noise key drew the keyed noise")
	}
	for _, r := range first {
		if !bytes.Contains(r, []byte(`"mechanism":"two_sided_geometric"`)) {
			t.Fatalf("record without noise: %s", r)
		}
	}
}

// TestNoiseKeyedDistribution: noise drawn from the keyed streams (one
// fresh stream per group) still follows the configured two-sided geometric
// distribution.
func TestNoiseKeyedDistribution(t *testing.T) {
	c := testConfig(nil)
	n, err := newNoiseSource(bytes.Repeat([]byte{1}, MinNoiseKeySize), &c)
	if err != nil {
		t.Fatal(err)
	}
	g, err := newGeometric(3, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	draws := make([]int64, 100_000)
	for i := range draws {
		draws[i] = g.sample(n.forGroup(int64(i), int64(i)+60e9, i%3, "cohort"))
	}
	stat, df := chiSquare(draws, g.alpha(), 20)
	if crit := chiSquareCritical(df); stat > crit {
		t.Errorf("chi-square %.1f over the 1e-6 critical value %.1f", stat, crit)
	}
	var sum float64
	for _, d := range draws {
		sum += float64(d)
	}
	if mean := sum / float64(len(draws)); math.Abs(mean) > 0.1 {
		t.Errorf("mean %.3f, want about 0", mean)
	}
}

func TestNoiseKeyTooShort(t *testing.T) {
	c := testConfig(func(c *Config) {
		lo, hi := 0.0, 1.0
		c.Metrics[0].Lower, c.Metrics[0].Upper = &lo, &hi
		c.Bounds = Bounds{MaxEventsPerCohort: 1, MaxCohortsPerWindow: 1}
		c.Privacy = &Privacy{Epsilon: 1, Delta: 1e-6}
	})
	if _, err := New(c, WithNoiseKey([]byte("short"))); err == nil {
		t.Fatal("a 5-byte noise key was accepted")
	}
}
