package engine

import (
	"strings"
	"testing"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

// TestConjunctionAffixCore pins the window checks derived beyond a single
// literal set: every required literal set of a match gating the rule, the
// exact fold orbit of a case-insensitive non-ASCII rune, the literals
// where a part's suffix meets the next part's prefix, and the core
// stretch. For each pattern it also checks, on texts that match and texts
// that the checks reject, that the engine finds what the naive loop finds.
func TestConjunctionAffixCore(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		desc    []string // substrings of the prefilter description
		texts   []string
	}{
		{
			pattern: `(\b\d{2}\.\d{2}\.(?:19|20)\d{2}\b)[^.!?\n]{0,25}?\b(?i:geboren|né|born)`,
			desc:    []string{`"né" (any case)`, `"nÉ" (any case)`, `"19" or "20"`},
			texts: []string{
				"Ich bin am 07.05.1953 geboren.", "07.05.1953 NÉ à Lyon", "07.05.1953 Né", "07.05.1953 nÉ",
				"07.05.1953 ne", "07.05.1953 was the day", "born 07.05.1953", "07.05.1853 born", "07.05.1953 \u212aborn",
			},
		},
		{
			pattern: `\b(?:[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?\.)+(?:com|net|org|info|co)\b`,
			desc:    []string{`windows around ".net" or ".org" or ".info" or ".co"`}, // ".co" covers ".com"
			texts:   []string{"see example.com now", "a.b.net", "AppleWebKit/605.1.15", "3.12.1", "io.acmebot.app", "x.co.uk", "x.coo", "x.info."},
		},
		{
			pattern: `(?:\b[0-9A-Fa-f]{1,12}-)*\b(?:0[1-9]\d{8,10}|[2-9]\d{9})\b`,
			desc:    []string{"a stretch of [0-9] of 10 bytes, 10 digits"},
			texts: []string{
				"call 0612345678", "164e7041-2f9d-423f-92e9-cf5c5024f60c", "abc-4155552671", "2025-03-03T08:00:03.453Z",
				"ab12-cd-0612345678x", "1740988828985", "ab-12345678901",
			},
		},
		{
			pattern: `(?i)ab(?:cd|ef)gh[^x]{0,3}?ij`,
			desc:    []string{`requires one of "ij"`},
			texts:   []string{"ABCDGHij", "abefgh ij", "abcdgh", "abcdghxij", "zz ij"},
		},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			rs := []rules.Rule{{ID: "t", Type: classifiers.URL, Pattern: tc.pattern, Score: 0.5}}
			e, n := compileBoth(t, rs)
			desc := e.Rules()[0].Prefilter
			for _, d := range tc.desc {
				if !strings.Contains(desc, d) {
					t.Errorf("description %q lacks %q", desc, d)
				}
			}
			found := false
			for _, text := range tc.texts {
				found = len(assertSame(t, []*Engine{e}, n, text)) > 0 || found
			}
			if !found {
				t.Errorf("no text matches: the test shows nothing")
			}
		})
	}
}

// TestAffixSets checks the prefix and suffix sets of small patterns
// against their languages.
func TestAffixSets(t *testing.T) {
	for _, tc := range []struct {
		pattern  string
		pre, suf string // litSet.String; "" for none
	}{
		{`ab\d+cd`, `"ab"`, `"cd"`},
		{`(?:x|yz)\w+`, `"x" or "yz"`, ""},
		{`\w+(?:\.|-)`, "", `"-" or "."`},
		{`a?b+`, `"b" or "ab"`, `"b"`},
		{`(?i)é\d+`, `"É" or "é"`, ""},
		{`(?i)x\d+é`, `"x" (any case)`, `"É" or "é"`},
	} {
		re, tree := goRoute(tc.pattern)
		if re == nil {
			t.Fatalf("%s: not routable", tc.pattern)
		}
		s, err := analyzeGo(tree, nil)
		if err != nil {
			t.Fatal(err)
		}
		str := func(ls litSet) string {
			if ls == nil {
				return ""
			}
			return ls.String()
		}
		if got := str(s.affix(false)); got != tc.pre {
			t.Errorf("%s: prefix set %s, want %s", tc.pattern, got, tc.pre)
		}
		if got := str(s.affix(true)); got != tc.suf {
			t.Errorf("%s: suffix set %s, want %s", tc.pattern, got, tc.suf)
		}
	}
}

// FuzzCoreIn compares coreIn with a direct search for a qualifying
// stretch.
func FuzzCoreIn(f *testing.F) {
	f.Add("164e7041-2f9d-423f-92e9-cf5c5024f60c")
	f.Add("call 0612345678 now")
	r := compileOne(f, `(?:\b[0-9A-Fa-f]{1,12}-)*\b(?:0[1-9]\d{8,10}|[2-9]\d{9})\b`)
	if !r.hasCore {
		f.Fatal("no core")
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		for i := 0; i < len(s) && !want; i++ {
			for j := i; j <= len(s) && !want; j++ {
				if j-i < r.coreMin {
					continue
				}
				var c [2]int
				ok := true
				for k := i; k < j; k++ {
					v := r.coreBytes[s[k]]
					ok = ok && v != 0
					c[0] += int(v >> 1 & 1)
					c[1] += int(v >> 2 & 1)
				}
				want = ok && c[0] >= r.coreCounts[0] && c[1] >= r.coreCounts[1]
			}
		}
		if got := r.coreIn(s); got != want {
			t.Fatalf("coreIn(%q) = %v, want %v", s, got, want)
		}
	})
}
