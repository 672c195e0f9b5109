package runner

import (
	"time"

	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

// Transform adapts a Sanitizer to the processing loop for one output.
type Transform struct {
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
