package rules

import (
	"fmt"
	"strings"

	"github.com/veilstream/veil/classifiers"
)

// Rule is one content classifier.
type Rule struct {
	// ID names the rule uniquely across the loaded packs, e.g. "email.basic".
	ID string
	// Type is the entity type a match of this rule reports.
	Type classifiers.EntityType
	// Description says in a sentence what the rule finds.
	Description string
	// Pattern is a regular expression in github.com/dlclark/regexp2 syntax.
	// The engine runs it on Go's RE2 engine when it uses no backtracking
	// feature, on regexp2 otherwise.
	Pattern string
	// Validators name functions of package validate that every match must
	// pass, in order.
	Validators []string
	// Score is the confidence of a match that passed its validators, before
	// context, in (0, 1].
	Score float64
	// Context lists words whose presence near a match changes its score.
	Context Context
	// Group selects the capture group that forms the finding's span; 0 (the
	// default) is the whole match.
	Group int
	// Priority breaks ties between overlapping findings of equal score and
	// length: the higher wins.
	Priority int
	// Locales the rule is written for (BCP 47 language tags such as "en",
	// "fr", "de"); empty means every locale.
	Locales []string
	// Examples are texts the rule must and must not match; `veil rules test`
	// checks them.
	Examples Examples
	// Disabled removes a rule of the same id from the packs loaded before
	// this one.
	Disabled bool
	// Source says where the rule was defined.
	Source Source
}

// Context describes words that, found near a match, raise its score, and
// words that rule a match out.
type Context struct {
	// Words raise the score by Boost when one of them occurs within Window
	// bytes before or after the match (case-insensitive, whole words).
	Words []string
	// Window is the distance in bytes searched on each side; 0 means 64.
	Window int
	// Boost is added to the score, capped at 1, when a word is found.
	Boost float64
	// Required drops a match that has none of Words near it.
	Required bool
	// Deny drops a match that has one of these words near it (for example
	// "version" before a dotted quad).
	Deny []string
}

// Examples are texts a rule must and must not find something in.
type Examples struct {
	// Match texts must yield at least one finding of the rule.
	Match []Example
	// NoMatch texts must yield no finding of the rule.
	NoMatch []Example
}

// Example is one example text and where it was written.
type Example struct {
	Text string
	// Want, when set, is the exact text the finding must cover.
	Want string
	Line int
}

// Source is a position in a rule file.
type Source struct {
	File string
	Line int
}

// String returns "file:line".
func (s Source) String() string {
	if s.File == "" {
		return fmt.Sprintf("line %d", s.Line)
	}
	return fmt.Sprintf("%s:%d", s.File, s.Line)
}

// DefaultWindow is the context window used when a rule leaves it zero.
const DefaultWindow = 64

// EffectiveWindow returns the context window in bytes.
func (c Context) EffectiveWindow() int {
	if c.Window <= 0 {
		return DefaultWindow
	}
	return c.Window
}

// Error is a rule file problem with its position.
type Error struct {
	Source Source
	// RuleID is the id of the rule at fault, when known.
	RuleID string
	Err    error
}

// Error implements error as "file:line: rule ID: reason".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Source.String())
	b.WriteString(": ")
	if e.RuleID != "" {
		b.WriteString("rule ")
		b.WriteString(e.RuleID)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying reason.
func (e *Error) Unwrap() error { return e.Err }
