package engine

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

func compileOne(t testing.TB, pattern string) *engineRule {
	t.Helper()
	e, err := Compile([]rules.Rule{{ID: "t", Type: classifiers.URL, Pattern: pattern, Score: 0.5}})
	if err != nil {
		t.Fatalf("%s: %v", pattern, err)
	}
	return &e.rules[0]
}

// TestPrefilterAnalysis pins what the analysis derives for representative
// patterns: the alphabet, the trigger, the minimum length, the anchor and
// required literals, the counts and the margins.
func TestPrefilterAnalysis(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		re2     bool   // analysed from Go's tree
		alpha   string // byteSet.String of the alphabet
		trig    string // of the trigger; "" for none
		minLen  int
		anchor  anchor
		lits    string // anchor literals, or the first gate
		counts  string // substring of the description
		margins [2]int
		whole   bool
	}{
		{pattern: `a@b`, re2: true, alpha: "[@ab]", trig: "[@]", minLen: 3, anchor: anchorLiteral, lits: `"a@b"`},
		{pattern: `\b\d{3}-\d{2}-\d{4}\b`, re2: true, alpha: `[\-0-9]`, trig: `[\-]`, minLen: 11, counts: "9 digits", margins: [2]int{1, 1}},
		{pattern: `[a-c]x|y[d-f]`, re2: true, alpha: "[a-fxy]", trig: "[xy]", minLen: 2, anchor: anchorLiteral, lits: `"ax" or "bx" or "cx" or "yd" or "ye" or "yf"`},
		{pattern: `[a-c]+x|y[d-f]+`, re2: true, alpha: "[a-fxy]", trig: "[xy]", minLen: 2, anchor: anchorTrigger},
		{pattern: `é+`, re2: true, alpha: `[\x80-\xff]`, trig: `[\xc3]`, minLen: 2, anchor: anchorLiteral, lits: `"é"`},
		{pattern: `[а-я]{2}`, re2: true, alpha: `[\x80-\xff]`, trig: `[\xd0\xd1]`, minLen: 4},
		{pattern: `(?i)kelvin`, re2: true, alpha: `[EIKLNVeiklnv\x80-\xff]`, trig: `[Kk\xe2]`, minLen: 6, anchor: anchorLiteral, lits: `"kelvin" (any case)`},
		{pattern: `(?i)p(?:ass(?:word|code)|in)`, re2: true, minLen: 3, anchor: anchorLiteral, lits: `"password" (any case) or "passcode" (any case) or "pin" (any case)`},
		{pattern: `(?:foo)?bar\d`, re2: true, minLen: 4, anchor: anchorLiteral, lits: `"bar0" or "bar1" or "bar2" or "bar3" or "bar4" or "bar5" or "bar6" or "bar7" or "bar8" or "bar9"`},
		{pattern: `(?:foo)?bar\w`, re2: true, minLen: 4, anchor: anchorLiteral, lits: `"bar"`},
		{pattern: `x[^\n]`, re2: true, alpha: `[\x00-\x09\x0b-\xff]`, minLen: 2, anchor: anchorTrigger, trig: "[x]"},
		{pattern: `^\+?\d{10}$`, re2: true, alpha: `[+0-9]`, trig: "[0-9]", minLen: 10, counts: "10 digits", margins: [2]int{1, 1}},
		{pattern: `\w{32,}`, re2: true, alpha: `[0-9A-Z_a-z]`, minLen: 32, anchor: anchorAll},
		{pattern: `(?<=\$)\d+`, alpha: "[0-9]", trig: "[0-9]", minLen: 1, margins: [2]int{1, 0}},
		{pattern: `(?<=password: )\S+`, minLen: 1, anchor: anchorLead, lits: `"password: "`, margins: [2]int{10, 0}},
		{pattern: `(?<!\d)0[1-9]\d{8}(?!\d)`, alpha: "[0-9]", trig: "[0]", minLen: 10, counts: "10 digits", margins: [2]int{1, 1}},
		{pattern: `(?<=a\s*)b`, minLen: 1, whole: true},
		{pattern: `\Gabc`, minLen: 3, whole: true},
		{pattern: `abc\Z`, minLen: 3, anchor: anchorLiteral, lits: `"abc"`, margins: [2]int{1, 2}},
		{pattern: `(\d)-\1`, alpha: `[\-0-9]`, trig: `[\-]`, minLen: 2},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			r := compileOne(t, tc.pattern)
			alpha, trig := r.byteSets()
			desc := r.describe().Prefilter
			if r.re2Syntax != tc.re2 {
				t.Errorf("analysed from Go's tree: %v, want %v", r.re2Syntax, tc.re2)
			}
			if tc.alpha != "" && alpha.String() != tc.alpha {
				t.Errorf("alphabet %s, want %s", alpha, tc.alpha)
			}
			if tc.trig != "" && trig.String() != tc.trig {
				t.Errorf("trigger %s, want %s (%s)", trig, tc.trig, desc)
			}
			if r.minLen != tc.minLen {
				t.Errorf("min length %d, want %d", r.minLen, tc.minLen)
			}
			if tc.whole != (r.mode == modeWhole) {
				t.Fatalf("whole-value mode %v, want %v (%s)", r.mode == modeWhole, tc.whole, desc)
			}
			if !tc.whole && r.anchor != tc.anchor {
				t.Errorf("anchor %d, want %d (%s)", r.anchor, tc.anchor, desc)
			}
			lits := ""
			if r.anchorLits != nil {
				lits = r.anchorLits.String()
			} else if len(r.gates) > 0 {
				lits = r.gates[0].String()
			}
			if tc.lits != "" && lits != tc.lits {
				t.Errorf("literals %s, want %s", lits, tc.lits)
			}
			if !strings.Contains(desc, tc.counts) {
				t.Errorf("description %q lacks %q", desc, tc.counts)
			}
			if !tc.whole && [2]int{r.behind, r.ahead} != tc.margins {
				t.Errorf("margins %d/%d, want %v", r.behind, r.ahead, tc.margins)
			}
		})
	}
}

// TestEmptyMatchRejected checks that a rule that can match the empty
// string does not compile, and that the error names the rule's source.
func TestEmptyMatchRejected(t *testing.T) {
	for _, p := range []string{`a*`, `\b`, `(?:x|)`, `(?=a)`, `x?y?`, `(a?)\1`} {
		_, err := Compile([]rules.Rule{{ID: "r.empty", Type: classifiers.URL, Pattern: p, Score: 0.5, Source: rules.Source{File: "f.yaml", Line: 7}}})
		if err == nil || !strings.Contains(err.Error(), "f.yaml:7: rule r.empty:") || !strings.Contains(err.Error(), "empty string") {
			t.Errorf("%s: error %v", p, err)
		}
	}
}

// TestFoldOrbits checks the fact literal matching relies on: the only
// non-ASCII runes that simple case folding equates with ASCII letters are
// the Kelvin sign and the long s.
func TestFoldOrbits(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf && r != '\u212a' && r != '\u017f' {
				t.Fatalf("%U folds to ASCII %q", r, f)
			}
		}
	}
}

// TestIndexFold compares indexFold with a brute force over
// strings.EqualFold on texts mixing the Kelvin sign and the long s.
func TestIndexFold(t *testing.T) {
	g := newGen(3)
	for range 3000 {
		text := g.from("kKsSaAeE x\u212a\u017fé", g.r.IntN(20))
		lower := g.from("ksae x", 1+g.r.IntN(4))
		want := -1
		for i := 0; i <= len(text) && want < 0; i++ {
			for j := i; j <= len(text); j++ {
				if strings.EqualFold(text[i:j], lower) {
					want = i
					break
				}
			}
		}
		if got := indexFold(text, lower); got != want {
			t.Fatalf("indexFold(%q, %q) = %d, want %d", text, lower, got, want)
		}
	}
}
