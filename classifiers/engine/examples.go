package engine

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

// ExampleFailure is a rule example that did not behave as written, or a
// rule that does not compile. File and Line point at the example (at the
// rule for a compile error).
type ExampleFailure struct {
	File   string
	Line   int
	RuleID string
	// Message says what went wrong, e.g. `want "4111 1111 1111 1111",
	// found "1111 1111"`.
	Message string
}

// String returns "file:line: rule id: message".
func (f ExampleFailure) String() string {
	return f.File + ":" + strconv.Itoa(f.Line) + ": rule " + f.RuleID + ": " + f.Message
}

// TestExamples checks every rule's examples, for `veil rules test`: each
// rule is compiled alone (with opts, less any detectors), every match
// example must yield a finding of the rule (covering exactly Want when
// set) and every no_match example none. Validators, context words and the
// minimum score apply as in a full scan. Disabled rules are skipped. The
// failures come in rule order, then example order.
func TestExamples(rs []rules.Rule, opts ...Option) []ExampleFailure {
	cfg := newConfig(opts)
	cfg.detectors = nil
	var out []ExampleFailure
	for _, r := range rs {
		if r.Disabled {
			continue
		}
		fail := func(line int, format string, args ...any) {
			out = append(out, ExampleFailure{File: r.Source.File, Line: line, RuleID: r.ID, Message: fmt.Sprintf(format, args...)})
		}
		e, err := compile([]rules.Rule{r}, cfg)
		if err != nil {
			var re *rules.Error
			if errors.As(err, &re) {
				err = re.Err // the failure already says where and which rule
			}
			fail(r.Source.Line, "%v", err)
			continue
		}
		if len(r.Examples.Match) == 0 {
			fail(r.Source.Line, "no match examples: a rule nobody can test is refused")
		}
		for _, ex := range r.Examples.Match {
			found, err := e.Scan(ex.Text, nil)
			if err != nil {
				fail(ex.Line, "scanning %q: %v", ex.Text, err)
				continue
			}
			var texts []string
			ok := false
			for _, f := range found {
				if f.Rule != r.ID {
					continue
				}
				t := ex.Text[f.Start:f.End]
				texts = append(texts, t)
				ok = ok || ex.Want == "" || t == ex.Want
			}
			switch {
			case len(texts) == 0:
				fail(ex.Line, "match example %q: no finding", ex.Text)
			case !ok:
				fail(ex.Line, "match example %q: want %q, found %s", ex.Text, ex.Want, quoteAll(texts))
			}
		}
		for _, ex := range r.Examples.NoMatch {
			found, err := e.Scan(ex.Text, nil)
			if err != nil {
				fail(ex.Line, "scanning %q: %v", ex.Text, err)
				continue
			}
			if texts := ruleTexts(ex.Text, found, r.ID); len(texts) > 0 {
				fail(ex.Line, "no_match example %q: found %s", ex.Text, quoteAll(texts))
			}
		}
	}
	return out
}

func ruleTexts(text string, fs []classifiers.Finding, id string) []string {
	var out []string
	for _, f := range fs {
		if f.Rule == id {
			out = append(out, text[f.Start:f.End])
		}
	}
	return out
}

func quoteAll(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += strconv.Quote(s)
	}
	return out
}
