package engine

import (
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

type countHooks struct{ n atomic.Int64 }

func (h *countHooks) OnTimeout(string) { h.n.Add(1) }

// TestTimeoutFailsClosed runs a catastrophically backtracking rule (the
// lookahead keeps it on regexp2) on a long input: the value is
// unclassifiable, the error names the rule but not the text, and the hook
// counted it. A well-behaved value still scans.
func TestTimeoutFailsClosed(t *testing.T) {
	rs := []rules.Rule{
		{ID: "bad.nested", Type: classifiers.Secret, Pattern: `(?=a)(a+)+$`, Score: 0.9, Source: rules.Source{File: "bad.yaml", Line: 3}},
		{ID: "ok.email", Type: classifiers.EmailAddress, Pattern: `\w+@\w+\.com`, Score: 0.9},
	}
	text := "secret " + strings.Repeat("a", 40) + "!"
	for _, naive := range []bool{false, true} {
		h := &countHooks{}
		opts := []Option{WithMatchTimeout(20 * time.Millisecond), WithHooks(h)}
		var s scanner
		var err error
		if naive {
			s, err = NewNaive(rs, opts...)
		} else {
			s, err = Compile(rs, opts...)
		}
		if err != nil {
			t.Fatal(err)
		}
		dst := []classifiers.Finding{{Rule: "kept"}}
		got, err := s.Scan(text, dst)
		if !errors.Is(err, ErrUnclassifiable) {
			t.Fatalf("naive=%v: error %v, want ErrUnclassifiable", naive, err)
		}
		var ue *UnclassifiableError
		if !errors.As(err, &ue) || ue.RuleID != "bad.nested" || ue.Source != "bad.yaml:3" {
			t.Errorf("naive=%v: error %#v does not name the rule", naive, err)
		}
		if strings.Contains(err.Error(), "aaaa") {
			t.Errorf("naive=%v: error %q quotes the scanned text", naive, err)
		}
		if len(got) != 1 || got[0].Rule != "kept" {
			t.Errorf("naive=%v: dst changed on error: %v", naive, got)
		}
		if h.n.Load() != 1 {
			t.Errorf("naive=%v: hook counted %d timeouts, want 1", naive, h.n.Load())
		}
		if got, err := s.Scan("mail me at jo@example.com", nil); err != nil || len(got) != 1 {
			t.Errorf("naive=%v: ordinary value: %v %v", naive, got, err)
		}
	}
}

// TestOverlapResolution checks the documented order: score, then length,
// then priority, then start, then rule id; accepted findings come out
// sorted by start and never overlap.
func TestOverlapResolution(t *testing.T) {
	type c struct {
		id         string
		start, end int
		score      float64
		prio       int
	}
	for _, tc := range []struct {
		name  string
		cands []c
		want  string // accepted ids, by start
	}{
		{"higher score wins", []c{{"a", 0, 10, 0.5, 0}, {"b", 5, 8, 0.9, 0}}, "b"},
		{"equal score: longer wins", []c{{"a", 0, 10, 0.8, 0}, {"b", 5, 20, 0.8, 0}}, "b"},
		{"equal score and length: priority", []c{{"a", 0, 10, 0.8, 1}, {"b", 5, 15, 0.8, 2}}, "b"},
		{"then earlier start", []c{{"b", 5, 15, 0.8, 0}, {"a", 0, 10, 0.8, 0}}, "a"},
		{"then rule id", []c{{"z", 0, 10, 0.8, 0}, {"m", 0, 10, 0.8, 0}}, "m"},
		{"adjacent spans both kept", []c{{"a", 0, 5, 0.8, 0}, {"b", 5, 9, 0.8, 0}}, "a,b"},
		{"chain keeps both ends", []c{{"a", 0, 6, 0.9, 0}, {"b", 5, 12, 0.8, 0}, {"c", 11, 15, 0.7, 0}}, "a,c"},
		{"nested loser dropped", []c{{"outer", 0, 20, 0.6, 0}, {"inner", 5, 8, 0.5, 0}, {"after", 20, 25, 0.1, 0}}, "outer,after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &post{minScore: 0}
			sc := newScratch(1)
			for _, x := range tc.cands {
				sc.cands = append(sc.cands, cand{start: x.start, end: x.end, score: x.score, priority: x.prio, rule: -1, typ: classifiers.URL, id: x.id})
			}
			var ids []string
			for _, f := range p.finish(strings.Repeat("x", 30), sc, nil) {
				ids = append(ids, f.Rule)
			}
			if got := strings.Join(ids, ","); got != tc.want {
				t.Errorf("accepted %s, want %s", got, tc.want)
			}
		})
	}
}

// TestContextWords covers context matching: case-insensitive whole words
// under simple folding, multi-word phrases, the window, required and deny.
func TestContextWords(t *testing.T) {
	spec := compileContext(rules.Context{Words: []string{"date of birth", "DOB", "né le", "kunde"}, Window: 20, Boost: 0.4, Deny: []string{"example"}})
	req := compileContext(rules.Context{Words: []string{"zip"}, Required: true, Boost: 0.3})
	for _, tc := range []struct {
		name   string
		spec   *contextSpec
		text   string
		target string // the span
		score  float64
		keep   bool
	}{
		{"phrase before", &spec, "Date Of Birth: 1984-07-12", "1984-07-12", 0.7, true},
		{"word after", &spec, "1984-07-12 (dob)", "1984-07-12", 0.7, true},
		{"not a whole word", &spec, "xdob 1984-07-12", "1984-07-12", 0.3, true},
		{"unicode folding", &spec, "NÉ LE 12/07/1984", "12/07/1984", 0.7, true},
		{"kelvin folds to k", &spec, "\u212aunde 12/07/1984", "12/07/1984", 0.7, true},
		{"outside the window", &spec, "dob" + strings.Repeat(" ", 30) + "1984-07-12", "1984-07-12", 0.3, true},
		{"deny wins", &spec, "dob example 1984-07-12", "1984-07-12", 0, false},
		{"required present", &req, "ZIP: 94103", "94103", 0.6, true},
		{"required absent", &req, "order 94103", "94103", 0, false},
		{"window cut inside a rune", &spec, strings.Repeat("é", 12) + " dob 1984-07-12", "1984-07-12", 0.7, true},
		{"letter before is no boundary", &spec, strings.Repeat("é", 12) + "dob 1984-07-12", "1984-07-12", 0.3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := strings.Index(tc.text, tc.target)
			score, keep := tc.spec.apply(tc.text, i, i+len(tc.target), 0.3)
			if keep != tc.keep || keep && (score < tc.score-1e-9 || score > tc.score+1e-9) {
				t.Errorf("score %v keep %v, want %v %v", score, keep, tc.score, tc.keep)
			}
		})
	}
}

// TestCompileErrors checks that compile errors name the rule and where it
// was defined.
func TestCompileErrors(t *testing.T) {
	base := rules.Rule{ID: "x.rule", Type: classifiers.URL, Pattern: `abc`, Score: 0.5, Source: rules.Source{File: "x.yaml", Line: 4}}
	for _, tc := range []struct {
		name string
		edit func(*rules.Rule)
		opts []Option
		want string
	}{
		{"bad pattern", func(r *rules.Rule) { r.Pattern = `a(` }, nil, "pattern does not compile"},
		{"empty match", func(r *rules.Rule) { r.Pattern = `a?` }, nil, "empty string"},
		{"no validators configured", func(r *rules.Rule) { r.Validators = []string{"luhn"} }, nil, "no validators configured"},
		{"unknown validator", func(r *rules.Rule) { r.Validators = []string{"nope"} }, []Option{WithValidators(testLookup)}, `unknown validator "nope"`},
		{"missing group", func(r *rules.Rule) { r.Group = 2 }, nil, "group 2"},
		{"bad score", func(r *rules.Rule) { r.Score = 0 }, nil, "score 0"},
		{"bad type", func(r *rules.Rule) { r.Type = "NAME" }, nil, "unknown entity type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			tc.edit(&r)
			_, err := Compile([]rules.Rule{r}, tc.opts...)
			var re *rules.Error
			if !errors.As(err, &re) || re.RuleID != "x.rule" || re.Source.String() != "x.yaml:4" || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want a *rules.Error at x.yaml:4 for x.rule containing %q", err, tc.want)
			}
		})
	}
	if _, err := Compile([]rules.Rule{base, base}); err == nil || !strings.Contains(err.Error(), "duplicate rule id") {
		t.Errorf("duplicate ids: %v", err)
	}
	if _, err := Compile(nil, WithMinScore(2)); err == nil {
		t.Error("a minimum score of 2 must be refused")
	}
}

// TestRulesInfo checks what `veil rules list` shows.
func TestRulesInfo(t *testing.T) {
	e, _ := compileBoth(t, loadTestRules(t))
	infos := e.Rules()
	byID := map[string]RuleInfo{}
	for _, ri := range infos {
		byID[ri.ID] = ri
	}
	if ri := byID["t.email"]; !ri.RE2 || ri.Engine != EngineRegexp2 || !strings.Contains(ri.Prefilter, "trigger [@]") || ri.Source != "testdata/rules.yaml:7" {
		t.Errorf("t.email: %+v", ri)
	}
	if ri := byID["t.ssn"]; ri.RE2 {
		t.Errorf("t.ssn uses lookaheads and cannot be RE2: %+v", ri)
	}
	if ri := byID["t.secret.password"]; !strings.HasPrefix(ri.Prefilter, "whole value") {
		t.Errorf("t.secret.password: %+v", ri)
	}
	screened, _ := compileBoth(t, loadTestRules(t), WithRE2Screen(true))
	for _, ri := range screened.Rules() {
		if ri.RE2 != (ri.Engine == EngineRE2Screen) {
			t.Errorf("%s: RE2 %v with engine %s", ri.ID, ri.RE2, ri.Engine)
		}
	}
}

// TestExamplesPass runs the test pack's own examples.
func TestExamplesPass(t *testing.T) {
	for _, f := range TestExamples(loadTestRules(t), WithValidators(testLookup)) {
		t.Error(f)
	}
}

// TestExamplesReportPositions checks that failing examples are reported
// at their file and line.
func TestExamplesReportPositions(t *testing.T) {
	data, err := os.ReadFile("testdata/failing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Parse("testdata/failing.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range TestExamples(rs) {
		got = append(got, f.String())
	}
	want := []string{
		`testdata/failing.yaml:8: rule f.digits: match example "no digits here": no finding`,
		`testdata/failing.yaml:8: rule f.digits: match example "order 12345": want "1234", found "12345"`,
		`testdata/failing.yaml:10: rule f.digits: no_match example "call 555": found "555"`,
		`testdata/failing.yaml:11: rule f.empty: pattern can match the empty string (every rule must consume at least one character)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
