package engine

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/veilstream/veil/classifiers"
)

func formatFindings(text string, fs []classifiers.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s [%d,%d) %.2f %q\n", f.Rule, f.Type, f.Start, f.End, f.Score, text[f.Start:f.End])
	}
	return b.String()
}

// runeBoundaries marks the offsets where decoding text rune by rune (an
// invalid byte being one rune, as both engines decode) starts a rune.
func runeBoundaries(text string) []bool {
	b := make([]bool, len(text)+1)
	for i := 0; i < len(text); {
		b[i] = true
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	b[len(text)] = true
	return b
}

// checkInvariants asserts what every result must satisfy.
func checkInvariants(t *testing.T, text string, fs []classifiers.Finding) {
	t.Helper()
	bounds := runeBoundaries(text)
	for i, f := range fs {
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			t.Fatalf("finding %d out of bounds or empty: %+v (len %d)", i, f, len(text))
		}
		if !bounds[f.Start] || !bounds[f.End] {
			t.Fatalf("finding %d not on rune boundaries: %+v in %q", i, f, text)
		}
		if !f.Type.Valid() || f.Rule == "" || f.Score <= 0 || f.Score > 1 {
			t.Fatalf("finding %d malformed: %+v", i, f)
		}
		if i > 0 {
			p := fs[i-1]
			if p.Start > f.Start || (p.Start == f.Start && p.End > f.End) {
				t.Fatalf("findings not sorted: %+v before %+v", p, f)
			}
			if p.End > f.Start {
				t.Fatalf("findings overlap: %+v and %+v", p, f)
			}
		}
	}
}

func assertSame(t *testing.T, es []*Engine, n *Naive, text string) []classifiers.Finding {
	t.Helper()
	want, err2 := n.Scan(text, nil)
	for _, e := range es {
		got, err1 := e.Scan(text, nil)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("errors differ on %q: engine %v, naive %v", text, err1, err2)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("engine and naive differ on %q\nengine:\n%snaive:\n%s", text, formatFindings(text, got), formatFindings(text, want))
		}
	}
	checkInvariants(t, text, want)
	return want
}

// engines compiles the rules with and without the RE2 screen, and the
// naive loop.
func engines(t testing.TB) ([]*Engine, *Naive) {
	rs := loadTestRules(t)
	e, n := compileBoth(t, rs)
	screened, _ := compileBoth(t, rs, WithRE2Screen(true))
	return []*Engine{e, screened}, n
}

// TestEngineEqualsNaive proves on a generated corpus that the prefiltered
// engine finds exactly what running every rule over every value finds.
func TestEngineEqualsNaive(t *testing.T) {
	rs := loadTestRules(t)
	e, n := engines(t)
	g := newGen(1)
	values := 4000
	if testing.Short() {
		values = 800
	}
	perRule := map[string]int{}
	total := 0
	for range values {
		text := g.value()
		for _, f := range assertSame(t, e, n, text) {
			perRule[f.Rule]++
			total++
		}
	}
	// The comparison is only worth something if the corpus exercises every
	// rule: each must have produced findings.
	for _, r := range rs {
		if perRule[r.ID] == 0 {
			t.Errorf("rule %s found nothing in the corpus: the generator does not exercise it", r.ID)
		}
	}
	t.Logf("%d values, %d findings, per rule %v", values, total, perRule)
}

// TestEngineEqualsNaiveEdges covers adjacency, value edges and encodings
// that random generation reaches rarely.
func TestEngineEqualsNaiveEdges(t *testing.T) {
	e, n := engines(t)
	for _, text := range []string{
		"", "a", "@", "1", "é", "\xff", "\xe2\x82\xac", "\xe2\x82",
		"é123-45-6789é", "x123-45-6789", "123-45-6789", "123-45-6789\n",
		"éjane@example.comé", "日本jane@example.com日本", "Kjane@example.com",
		"+14155552671", "+14155552671\n", " +14155552671", "\n+14155552671",
		"my name is Zoë", "xmy name is Zoë", "my name is Zoëé", "password:x", "password:\n\nx",
		"Müllerstraße 12a", "éMüllerstraße 12aé", "ßMüllerstraße 12", "Müllerstraße 12ß",
		"0612345678", "10612345678", "06123456789", "06 12 34 56 78 9",
		"212.555.0199", "212-555.0199", "212.555.0199.212.555.0199",
		"SSN 123-45-6789 and 987-65-4321 and 123-45-6789",
		"4111 1111 1111 1111 1111 1111 1111 1111", "4111111111111111",
		"192.168.1.1.1.1", "version 10.0.0.1", "10.0.0.1 release",
		strings.Repeat("a", 40), strings.Repeat("ab1_", 30) + " token",
		"born 1984-07-12 and 1984-07-12", "Date of Birth:1984-07-12", "date of birthday 1984-07-12",
		"NÉ LE 12/07/1984", "GEBOREN 12/07/1984", "\u212aey abcdefghijklmnopqrstuvwxyz0123456",
	} {
		assertSame(t, e, n, text)
	}
}

var (
	fuzzOnce    sync.Once
	fuzzEngines []*Engine
	fuzzNaive   *Naive
)

// FuzzEngineEqualsNaive asserts on arbitrary input that the engine equals
// the naive loop and that its findings are in bounds, non-empty, on UTF-8
// boundaries, sorted and non-overlapping.
func FuzzEngineEqualsNaive(f *testing.F) {
	g := newGen(7)
	for range 40 {
		f.Add(g.value())
	}
	for _, s := range []string{"", "\xff\xfe", "é1é", "my name is Zoë", "password: x", "a@b.cd", "+123456789012"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fuzzOnce.Do(func() {
			fuzzEngines, fuzzNaive = engines(t)
		})
		assertSame(t, fuzzEngines, fuzzNaive, text)
	})
}
