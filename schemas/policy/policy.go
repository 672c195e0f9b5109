package policy

import (
	"errors"
	"strconv"
	"strings"

	"github.com/veilstream/veil/classifiers"
)

// Version is the policy file format version this package reads.
const Version = "1"

// Policy maps data category × purpose to an action. Build one with Parse or
// Default (or in code followed by Validate); do not modify it after
// Validate, which precomputes the table ActionFor reads. A validated Policy
// is safe for concurrent use.
type Policy struct {
	// Version is the file format version; it must be Version.
	Version string
	// Purposes holds the rules per purpose. An output whose purpose is not
	// configured gets no data (ActionFor returns ErrPurposeNotConfigured).
	Purposes map[Purpose]PurposePolicy

	src   source // where each key was written, for error messages
	table *table // built by Validate
}

// PurposePolicy is the set of rules for one purpose.
type PurposePolicy struct {
	// Categories maps a data category to its action. A category that is
	// not listed gets Default. The unknown category is not listed here: it
	// always gets Default.
	Categories map[classifiers.Category]Action
	// Entities overrides the category action for values of one entity type
	// or field kind (IP_ADDRESS generalized while MAC_ADDRESS, in the same
	// network_identifier category, is dropped).
	Entities map[classifiers.EntityType]Action
	// Default is the action for values that could not be classified and for
	// categories without a rule. It must be drop or redact (fail-closed).
	Default Action
	// Strict asks the pipeline to pass only fields the event schema names;
	// every other field is dropped instead of classified.
	Strict bool
	// AllowedOrigins, when not empty, restricts the purpose to events of
	// these origins; the pipeline drops other events before any action. A
	// marketing purpose must list website origins only.
	AllowedOrigins []Origin
}

// ShortestRotation returns the shortest key rotation that any Hash action of
// the purpose asks for, and false when the purpose has no Hash action with
// a rotation. Pseudonyms must not outlive it: a key ring whose keys last
// longer would let them link a person's events across periods the policy
// keeps apart.
func (pp *PurposePolicy) ShortestRotation() (Rotation, bool) {
	var best Rotation
	consider := func(a Action) {
		if a.Kind == Hash && a.Rotation.days() > 0 && (best == "" || a.Rotation.days() < best.days()) {
			best = a.Rotation
		}
	}
	for _, a := range pp.Categories {
		consider(a)
	}
	for _, a := range pp.Entities {
		consider(a)
	}
	consider(pp.Default)
	return best, best != ""
}

// AcceptsOrigin reports whether the purpose takes events of origin o. A
// purpose without AllowedOrigins takes every origin.
func (pp *PurposePolicy) AcceptsOrigin(o Origin) bool {
	if len(pp.AllowedOrigins) == 0 {
		return true
	}
	for _, a := range pp.AllowedOrigins {
		if a == o {
			return true
		}
	}
	return false
}

// Errors ActionFor returns. They are sentinels so that the lookup does not
// allocate.
var (
	// ErrNotValidated means the policy's table was never built: call
	// Validate (Parse and Default do) before ActionFor.
	ErrNotValidated = errors.New("policy: not validated")
	// ErrUnknownPurpose means the purpose is not one of Purposes.
	ErrUnknownPurpose = errors.New("policy: unknown purpose")
	// ErrPurposeNotConfigured means the policy has no rules for the
	// purpose; the output must not receive any data.
	ErrPurposeNotConfigured = errors.New("policy: purpose not configured")
)

// ActionFor returns the action an output of purpose applies to a value of
// category cat, found (or tagged) as entity type or field kind t; t may be
// empty. It does not allocate.
//
// An invalid category is treated as classifiers.Unknown and an
// unrecognized t as a value that must also satisfy the purpose's Default,
// both fail-closed. When t belongs to another category than cat (a schema
// tagged an email field as navigation), the stricter of the two categories'
// actions applies.
func (p *Policy) ActionFor(purpose Purpose, cat classifiers.Category, t classifiers.EntityType) (Action, error) {
	tb := p.table
	if tb == nil {
		return Action{}, ErrNotValidated
	}
	pi, ok := purposeIndex(purpose)
	if !ok {
		return Action{}, ErrUnknownPurpose
	}
	if !tb.configured[pi] {
		return Action{}, ErrPurposeNotConfigured
	}
	ci, ok := tb.category[cat]
	if !ok {
		ci = tb.unknownCat
	}
	ki := kindNone
	if t != "" {
		if k, ok := tb.kind[t]; ok {
			ki = k
		} else {
			ki = kindUnrecognized
		}
	}
	return tb.actions[tb.cell[(pi*tb.ncat+ci)*tb.nkind+ki]], nil
}

// Purpose returns the rules for purpose and whether the policy configures
// it.
func (p *Policy) Purpose(purpose Purpose) (PurposePolicy, bool) {
	pp, ok := p.Purposes[purpose]
	return pp, ok
}

// Source returns the name the policy was parsed from ("" when built in
// code).
func (p *Policy) Source() string { return p.src.name }

// Error is a problem with a policy, located at a file, line and key when the
// policy was parsed from a file.
type Error struct {
	File string // the name given to Parse; empty for a policy built in code
	Line int    // 1-based; 0 when unknown
	Key  string // dotted path of the key, e.g. "purposes.marketing.categories.contact"
	Err  error
}

// Error renders the problem as "file:line: key: message", leaving out the
// parts that are unknown.
func (e *Error) Error() string {
	var b []byte
	if e.File != "" {
		b = append(b, e.File...)
		if e.Line > 0 {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(e.Line), 10)
		}
		b = append(b, ": "...)
	}
	if e.Key != "" {
		b = append(b, e.Key...)
		b = append(b, ": "...)
	}
	b = append(b, e.Err.Error()...)
	return string(b)
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }

// source records where keys were written.
type source struct {
	name  string
	lines map[string]int
}

// errAt wraps err with the location of key.
// A key that was not written (a missing one) is located at its closest
// written parent.
func (s *source) errAt(key string, err error) *Error {
	line := 0
	for k := key; k != ""; {
		if l, ok := s.lines[k]; ok {
			line = l
			break
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return &Error{File: s.name, Line: line, Key: key, Err: err}
}

// set records that key was written at line.
func (s *source) set(key string, line int) {
	if s.lines == nil {
		s.lines = make(map[string]int)
	}
	s.lines[key] = line
}
