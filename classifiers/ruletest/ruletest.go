// Package ruletest checks rules against their own examples, as
// `veil rules test` does: every `match` example must yield a finding of
// the rule (covering exactly `want` when given) and no `no_match` example
// may yield one. Each rule is compiled on its own, so that a failure points
// at the rule and its file and line, not at an interaction with others.
package ruletest

import (
	"fmt"
	"strings"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/rules"
)

// Failure is one example that does not behave as its rule says.
type Failure struct {
	// Source is the example's file and line.
	Source rules.Source
	// Rule is the rule's id.
	Rule string
	// Message says what went wrong.
	Message string
}

// String formats the failure as "file:line: rule ID: message".
func (f Failure) String() string {
	return fmt.Sprintf("%s: rule %s: %s", f.Source, f.Rule, f.Message)
}

// Check runs every enabled rule over its examples. opts are the engine
// options (validators at least); detectors should be left out, since a
// rule's examples test the rule alone.
func Check(rs []rules.Rule, opts ...engine.Option) []Failure {
	var out []Failure
	for _, r := range rs {
		if r.Disabled {
			continue
		}
		fail := func(line int, format string, args ...any) {
			out = append(out, Failure{Source: rules.Source{File: r.Source.File, Line: line}, Rule: r.ID, Message: fmt.Sprintf(format, args...)})
		}
		eng, err := engine.Compile([]rules.Rule{r}, opts...)
		if err != nil {
			fail(r.Source.Line, "does not compile: %v", err)
			continue
		}
		var fs []classifiers.Finding
		for _, ex := range r.Examples.Match {
			fs, err = eng.Scan(ex.Text, fs[:0])
			if err != nil {
				fail(ex.Line, "scanning %q: %v", ex.Text, err)
				continue
			}
			own := ownFindings(fs, r.ID)
			switch {
			case len(own) == 0:
				fail(ex.Line, "should match %q but found nothing", ex.Text)
			case ex.Want != "" && !covers(own, ex.Text, ex.Want):
				fail(ex.Line, "in %q should find exactly %q, found %s", ex.Text, ex.Want, spans(own, ex.Text))
			}
		}
		for _, ex := range r.Examples.NoMatch {
			fs, err = eng.Scan(ex.Text, fs[:0])
			if err != nil {
				fail(ex.Line, "scanning %q: %v", ex.Text, err)
				continue
			}
			if own := ownFindings(fs, r.ID); len(own) > 0 {
				fail(ex.Line, "should not match %q but found %s", ex.Text, spans(own, ex.Text))
			}
		}
	}
	return out
}

func ownFindings(fs []classifiers.Finding, id string) []classifiers.Finding {
	var own []classifiers.Finding
	for _, f := range fs {
		if f.Rule == id {
			own = append(own, f)
		}
	}
	return own
}

func covers(fs []classifiers.Finding, text, want string) bool {
	for _, f := range fs {
		if text[f.Start:f.End] == want {
			return true
		}
	}
	return false
}

func spans(fs []classifiers.Finding, text string) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, fmt.Sprintf("%q (score %.2f)", text[f.Start:f.End], f.Score))
	}
	return strings.Join(parts, ", ")
}
