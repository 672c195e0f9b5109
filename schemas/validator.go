package schemas

import (
	"fmt"

	"github.com/veilstream/veil/pipeline/jsonwalk"
)

// Validator selects the schema of whole events and checks events against
// it, for callers that do not walk events themselves (tests, `veil`
// commands, a dead-letter check before the sanitizer). It reuses its
// buffers: no allocation per valid event. It is not safe for concurrent
// use; keep one per goroutine.
type Validator struct {
	r   *Registry
	rw  jsonwalk.Rewriter
	chk Checker

	best     *Schema
	bestRank int
	err      error

	selectFn jsonwalk.Func
	checkFn  jsonwalk.Func
}

// NewValidator returns a Validator over the registry's schemas.
func (r *Registry) NewValidator() *Validator {
	v := &Validator{r: r}
	v.selectFn = v.selectVisit
	v.checkFn = v.checkVisit
	return v
}

// SetLimits bounds the nesting depth and size of the events the Validator
// reads (0: jsonwalk's defaults).
func (v *Validator) SetLimits(maxDepth, maxBytes int) {
	v.rw.MaxDepth, v.rw.MaxBytes = maxDepth, maxBytes
}

// Select returns the schema that the event's top-level discriminators
// select, following Registry.Discriminators' precedence. It reports false
// when none does, and an error when the event is not a valid JSON object.
func (v *Validator) Select(event []byte) (*Schema, bool, error) {
	v.best, v.bestRank = nil, len(v.r.discs)
	if err := v.rw.Walk(event, v.selectFn); err != nil {
		return nil, false, fmt.Errorf("event: %w", err)
	}
	return v.best, v.best != nil, nil
}

func (v *Validator) selectVisit(p *jsonwalk.Path, val *jsonwalk.Value) (jsonwalk.Decision, []byte) {
	if val.Kind == jsonwalk.Object || val.Kind == jsonwalk.Array {
		return jsonwalk.Drop, nil // only top-level members select: do not descend
	}
	if val.Kind == jsonwalk.String && p.Len() == 1 {
		if s, rank := v.r.selectRank(p.Last().Key, val.Str); s != nil && rank < v.bestRank {
			v.best, v.bestRank = s, rank
		}
	}
	return jsonwalk.Keep, nil
}

// Validate selects the event's schema and checks the event against it. It
// returns the schema (nil when none is selected, which is not an error
// here) and the first problem: malformed JSON, or a *ViolationError.
func (v *Validator) Validate(event []byte) (*Schema, error) {
	s, ok, err := v.Select(event)
	if err != nil || !ok {
		return nil, err
	}
	return s, v.ValidateAs(s, event)
}

// ValidateAs checks the event against schema s.
func (v *Validator) ValidateAs(s *Schema, event []byte) error {
	v.chk.Reset(s)
	v.err = nil
	if err := v.rw.Walk(event, v.checkFn); err != nil {
		return fmt.Errorf("event: %w", err)
	}
	if v.err != nil {
		return v.err
	}
	return v.chk.Finish()
}

func (v *Validator) checkVisit(p *jsonwalk.Path, val *jsonwalk.Value) (jsonwalk.Decision, []byte) {
	if _, _, err := v.chk.Visit(p, val); err != nil && v.err == nil {
		v.err = err
	}
	return jsonwalk.Keep, nil
}
