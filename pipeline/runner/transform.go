package runner

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

// Transform adapts a Sanitizer to the processing loop for one output. The
// runner makes one per output and claimed partition.
//
// It implements stream.BatchStarter: at the start of each batch it takes
// the runner's current generation (rules, schemas and policy) and, when a
// reload installed a new one, builds a new sanitizer for it, so that its
// caches never outlive the rules and policy they were filled under. Every
// event of a batch is processed with the generation the batch started with,
// whose version the batch's records carry.
type Transform struct {
	// gens is the runner's current generation; nil for a Transform fixed to
	// san and pp.
	gens *atomic.Pointer[generation]
	out  int         // index of the output in each generation
	gen  *generation // the generation san and pp were made for

	san       *sanitize.Sanitizer
	pp        policy.PurposePolicy
	analytics bool
	origins   map[string]policy.Origin
	pseud     *actions.Pseudonymizer
	customer  string
	observe   func([]sanitize.Applied)

	tags []byte
	key  []byte
}

var _ stream.BatchStarter = (*Transform)(nil)

// BeginBatch implements stream.BatchStarter: it switches to the runner's
// current generation if a reload changed it, and returns its version.
func (t *Transform) BeginBatch() (string, error) {
	if t.gens == nil {
		return "", nil
	}
	g := t.gens.Load()
	if g != t.gen {
		if err := t.use(g); err != nil {
			return "", err
		}
	}
	return g.version, nil
}

// use makes the Transform apply generation g.
func (t *Transform) use(g *generation) error {
	o := &g.outputs[t.out]
	s, err := sanitize.New(o.scfg)
	if err != nil {
		// compile made a sanitizer of the same configuration: unreachable
		// unless sanitize.New stops being deterministic.
		return fmt.Errorf("runner: configuration %s: %w", g.version, err)
	}
	t.san, t.pp, t.gen = s, o.pp, g
	return nil
}

// Transform implements stream.Transform.
func (t *Transform) Transform(dst []byte, rec *stream.Record) ([]byte, stream.Meta, error) {
	var meta stream.Meta
	if len(t.pp.AllowedOrigins) > 0 && !t.pp.AcceptsOrigin(t.origins[rec.Topic]) {
		// Not an origin this purpose may see (marketing: website only).
		meta.Skip = true
		return dst, meta, nil
	}
	out, err := t.san.Sanitize(dst, rec.Value)
	if err != nil {
		// jsonwalk's errors name positions only, never content.
		return dst, meta, &stream.Reject{Reason: "malformed: " + err.Error()}
	}
	applied := t.san.Applied()
	if t.observe != nil {
		t.observe(applied)
	}
	t.tags = appendTags(t.tags[:0], applied)
	meta.Actions = t.tags
	if t.analytics && rec.Key != nil {
		// Keys are often user ids: on analytics outputs they become daily
		// pseudonyms, which keep a day's events together and link nothing
		// across days; without a key ring the key is dropped.
		meta.SetKey = true
		meta.Key = nil
		if t.pseud != nil {
			if k, err := t.pseud.Append(t.key[:0], t.customer, rec.Key, keyTime(rec.Time)); err == nil {
				t.key = k
				meta.Key = k
			}
		}
	}
	return out, meta, nil
}

func keyTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

// appendTags writes the actions header: "path=TYPE:action" entries joined
// by ',' (the category stands in for the type when none is known).
func appendTags(dst []byte, applied []sanitize.Applied) []byte {
	for i, a := range applied {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, a.Path...)
		dst = append(dst, '=')
		if a.Type != "" {
			dst = append(dst, a.Type...)
		} else {
			dst = append(dst, a.Category...)
		}
		dst = append(dst, ':')
		dst = append(dst, a.Action...)
	}
	return dst
}
