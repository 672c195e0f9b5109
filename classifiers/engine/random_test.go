package engine

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

// patternGen builds random patterns from a byte string, over constructs
// both engines know and the ones only regexp2 has, with literals and texts
// drawn from one palette so that matches happen.
type patternGen struct {
	seed []byte
	i    int
}

func (p *patternGen) next(n int) int {
	if p.i >= len(p.seed) {
		return 0
	}
	b := int(p.seed[p.i])
	p.i++
	return b % n
}

var (
	palette  = []string{"a", "b", "k", "K", "s", "1", "2", "-", ".", " ", "@", "é", "ß", "\u212a", "\u017f", "σ", "\n", "_"}
	atoms    = []string{`\d`, `\w`, `\s`, `\S`, `\W`, `.`, `[a-c]`, `[^a]`, `[0-9a-f]`, `\pL`, `[[:alpha:]]`, `(?i:k)`, `(?i:s)`, `(?i:é)`, `[ \-]`, `\p{Greek}`, `[^\s]`}
	asserts  = []string{`\b`, `\B`, `^`, `$`, `(?m:^)`, `(?m:$)`, `\A`, `\z`}
	r2Only   = []string{`(?=a)`, `(?!b)`, `(?<=a)`, `(?<!\d)`, `(?<=\s)`, `\Z`, `(?>ab|a)`}
	quantity = []string{`*`, `+`, `?`, `{1,3}`, `{2}`, `*?`, `+?`, `{0,2}`}
)

// pattern returns a pattern; with backtracking it may use regexp2-only
// constructs.
func (p *patternGen) pattern(depth int, backtracking bool) string {
	var b strings.Builder
	for n := 1 + p.next(4); n > 0; n-- {
		var atom string
		switch k := p.next(10); {
		case k < 4:
			atom = regexp.QuoteMeta(palette[p.next(len(palette))])
		case k < 6:
			atom = atoms[p.next(len(atoms))]
		case k < 7:
			atom = asserts[p.next(len(asserts))]
		case k < 8 && backtracking:
			atom = r2Only[p.next(len(r2Only))]
		case depth < 2:
			open := []string{"(", "(?:", "(?i:"}[p.next(3)]
			atom = open + p.pattern(depth+1, backtracking)
			if p.next(3) == 0 {
				atom += "|" + p.pattern(depth+1, backtracking)
			}
			atom += ")"
		default:
			atom = "x"
		}
		b.WriteString(atom)
		if atom[0] != '\\' || len(atom) > 2 && atom[1] != 'b' && atom[1] != 'B' {
			if p.next(3) == 0 {
				b.WriteString(quantity[p.next(len(quantity))])
			}
		}
	}
	return b.String()
}

func (p *patternGen) text() string {
	var b strings.Builder
	for n := p.next(24); n > 0; n-- {
		b.WriteString(palette[p.next(len(palette))])
	}
	return b.String()
}

func allIndex(re2 *regexp2.Regexp, s string) ([][]int, error) {
	var out [][]int
	m, err := re2.FindStringMatch(s)
	for ; err == nil && m != nil; m, err = re2.FindNextMatch(m) {
		i, n := m.ByteRange()
		out = append(out, []int{i, i + n})
	}
	return out, err
}

// checkGoAgrees asserts that when goRoute accepts a pattern, Go's regexp
// finds what regexp2 finds (where the engine relies on it: everywhere but
// word boundaries next to non-ASCII text).
func checkGoAgrees(t *testing.T, pattern, text string) {
	re2, err := regexp2.Compile(pattern, regexp2.RE2)
	if err != nil {
		return
	}
	goRE, tree := goRoute(pattern)
	if goRE == nil {
		return
	}
	if wordSensitive(tree) && hasHigh(text) {
		return
	}
	if s, err := analyzeGo(tree, nil); err != nil || s.minLen == 0 {
		return // rules never match empty; the engines iterate empty matches differently
	}
	want, err := allIndex(re2, text)
	if err != nil {
		return
	}
	got := goRE.FindAllStringIndex(text, -1)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("pattern %q on %q: Go %v, regexp2 %v", pattern, text, got, want)
	}
}

// checkEngineEqualsNaive compiles pattern as a single rule and compares
// the engine (with and without the RE2 screen) with the naive loop on
// each text.
func checkEngineEqualsNaive(t *testing.T, pattern string, texts ...string) {
	rs := []rules.Rule{{ID: "r", Type: classifiers.URL, Pattern: pattern, Score: 0.5}}
	opts := []Option{WithMatchTimeout(time.Second), WithMinScore(0)}
	n, err := NewNaive(rs, opts...)
	if err != nil {
		return // not a valid rule
	}
	for _, screen := range []bool{false, true} {
		e, err := Compile(rs, append(opts, WithRE2Screen(screen))...)
		if err != nil {
			if strings.Contains(err.Error(), "empty string") {
				return
			}
			t.Fatalf("pattern %q: %v", pattern, err)
		}
		for _, text := range texts {
			compareOne(t, e, n, pattern, text, screen)
		}
	}
}

func compareOne(t *testing.T, e *Engine, n *Naive, pattern, text string, screen bool) {
	{
		got, err1 := e.Scan(text, nil)
		want, err2 := n.Scan(text, nil)
		if err1 != nil || err2 != nil {
			return // a runaway random pattern: both sides bail out at some point
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pattern %q (%s) on %q, screen %v:\nengine %v\nnaive  %v", pattern, e.Rules()[0].Prefilter, text, screen, got, want)
		}
		checkInvariants(t, text, got)
	}
}

// TestGoRegexp2Agree pins goRoute's decisions on the constructs both
// parsers accept with different meanings, and checks agreement on texts
// that exercise folding, word boundaries and invalid UTF-8.
func TestGoRegexp2Agree(t *testing.T) {
	for _, tc := range []struct {
		pattern  string
		routable bool
	}{
		{`\b\d+\b`, true},
		{`(?i)kelvin`, true},
		{`a\12`, false},           // octal in Go, backreference in regexp2
		{`[a-z-[aeiou]]+`, false}, // subtraction in regexp2
		{`(?U)a+`, false},         // ungreedy in Go only
		{`\Q-[\E`, true},          // quoted, not a subtraction
		{`(?<=a)b`, false},        // Go cannot parse
		{`a{2}{3}`, false},        // Go cannot parse
		{`x{1001}`, false},        // beyond Go's repeat limit
		{`[[:alpha:]]+\s\pL`, true},
	} {
		re, _ := goRoute(tc.pattern)
		if (re != nil) != tc.routable {
			t.Errorf("%s: routed to Go %v, want %v", tc.pattern, re != nil, tc.routable)
		}
	}
	texts := []string{"", "aK\u212ak ſs S", "é123 x_1", "\xff\xfe a.b", "1\n2\n", "σς Σ", "a-b-c", "ab ab"}
	for _, p := range []string{`(?i)k+`, `(?i)[a-z]+`, `(?i)s\b`, `\w+`, `\W+`, `(?m)^\d$`, `.`, `\x{FFFD}`, `(?i)σ+`, `[^a]`, `\s+`, `\S+\b`, `(?s).+`, `a|ab|abc`, `(a|ab)(c|bcd)?`} {
		for _, s := range texts {
			checkGoAgrees(t, p, s)
		}
	}
}

// TestRandomRules runs random patterns over random texts: Go and regexp2
// agree where the engine relies on it, and a single-rule engine equals the
// naive loop (which checks the soundness of every prefilter the analysis
// derives).
func TestRandomRules(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 300
	}
	g := newGen(11)
	for range n {
		seed := make([]byte, 48)
		for i := range seed {
			seed[i] = byte(g.r.IntN(256))
		}
		p := &patternGen{seed: seed}
		pattern := p.pattern(0, g.r.IntN(2) == 0)
		texts := []string{p.text(), p.text(), p.text(), p.text()}
		for _, text := range texts {
			checkGoAgrees(t, pattern, text)
		}
		checkEngineEqualsNaive(t, pattern, texts...)
	}
}

// FuzzRandomRule is TestRandomRules under the fuzzer.
func FuzzRandomRule(f *testing.F) {
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08"), "a-b 12 K é")
	f.Add([]byte("\x09\x05\x00\x07\x03\x02\x01"), "ſs\u212ak 1.2")
	f.Fuzz(func(t *testing.T, seed []byte, text string) {
		p := &patternGen{seed: seed}
		pattern := p.pattern(0, len(seed) > 0 && seed[0]&1 == 1)
		checkGoAgrees(t, pattern, text)
		checkEngineEqualsNaive(t, pattern, text, p.text()+text)
	})
}
