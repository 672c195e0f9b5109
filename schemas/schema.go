package schemas

import (
	"bytes"
	"encoding/json"
	"unsafe"

	"github.com/veilstream/veil/pipeline/jsonwalk"
)

// Registry holds compiled event schemas and selects one for an event by a
// top-level discriminator member. A Registry and its Schemas are immutable
// once loaded and safe for concurrent use.
type Registry struct {
	schemas []*Schema          // selectable and library schemas, sorted by $id
	byID    map[string]*Schema // every compiled schema
	discs   [][]byte           // discriminator keys, in precedence order
	// selectors[i] maps a value of discriminator discs[i] to its schema.
	selectors []map[string]*Schema
	fields    int // Field.Index bound
}

// Fields returns a bound on the Field.Index of the registry's fields: every
// index is in [0, Fields()).
func (r *Registry) Fields() int { return r.fields }

// Schema is one compiled event schema. It is immutable and safe for
// concurrent use; its lookups do not allocate.
type Schema struct {
	id       string
	title    string
	file     string
	matchKey string
	matchVal []string
	root     *node
	required []string
	examples []json.RawMessage
}

// ID returns the schema's $id.
func (s *Schema) ID() string { return s.id }

// Title returns the schema's title, or "" when it has none.
func (s *Schema) Title() string { return s.title }

// File returns the name of the file the schema was loaded from.
func (s *Schema) File() string { return s.file }

// Match returns the discriminator key and the values that select the
// schema, or "" and nil for a schema that no discriminator selects.
func (s *Schema) Match() (key string, values []string) { return s.matchKey, s.matchVal }

// Examples returns the example events of the schema file, compacted. The
// slices are shared: do not modify them.
func (s *Schema) Examples() []json.RawMessage { return s.examples }

// Required returns the schema paths of every required member, in the
// normalized dotted form ("context.library.name", "products[].price"). A
// required member is missing only when the object that should hold it is
// present; Checker reports that during a walk. The slice is shared: do not
// modify it.
func (s *Schema) Required() []string { return s.required }

// Schemas returns every schema of the registry, sorted by $id. Library
// files (holding only shared definitions) are not schemas. The slice is
// shared: do not modify it.
func (r *Registry) Schemas() []*Schema { return r.schemas }

// ByID returns the schema whose $id is id.
func (r *Registry) ByID(id string) (*Schema, bool) {
	s, ok := r.byID[id]
	return s, ok
}

// Discriminators returns the top-level keys whose string value selects a
// schema, in precedence order: when an event carries several of them with
// values that select different schemas, the first key's schema applies
// (a Segment track call named "form_submitted" is a track call). The slice
// is shared: do not modify it.
func (r *Registry) Discriminators() [][]byte { return r.discs }

// Select returns the schema that discriminator key with the (decoded) string
// value selects. It does not allocate.
func (r *Registry) Select(key, value []byte) (*Schema, bool) {
	for i, k := range r.discs {
		if bytes.Equal(k, key) {
			s, ok := r.selectors[i][string(value)]
			return s, ok
		}
	}
	return nil, false
}

// selectRank is Select that also returns the key's precedence (lower wins).
func (r *Registry) selectRank(key, value []byte) (*Schema, int) {
	for i, k := range r.discs {
		if bytes.Equal(k, key) {
			if s, ok := r.selectors[i][string(value)]; ok {
				return s, i
			}
			return nil, -1
		}
	}
	return nil, -1
}

// Field returns what the schema says about the member at path, given in
// jsonwalk's dotted form with array indices ("context.traits.email",
// "products[3].price"; "[]" is accepted for any index). It reports false
// for a member the schema does not name. It does not allocate.
//
// Keys that contain '.' or '[' cannot be told apart from nested members in
// the dotted form; FieldAt, which reads a jsonwalk.Path, has no such
// ambiguity.
func (s *Schema) Field(path []byte) (Field, bool) {
	n, st := s.lookup(path)
	if st != found {
		return Field{}, false
	}
	return n.field, true
}

// FieldAt is Field for the member a jsonwalk callback is visiting. It does
// not allocate.
func (s *Schema) FieldAt(p *jsonwalk.Path) (Field, bool) {
	n, st := s.lookupAt(p)
	if st != found {
		return Field{}, false
	}
	return n.field, true
}

// CheckValue reports whether the value v at path is one the schema allows:
// of an allowed JSON type, in the enum if there is one, and, for a member
// the schema does not name, inside an object that accepts such members. The
// error is a *ViolationError that names the schema path, never the value
// or the event's key. It does not allocate when the value is allowed.
func (s *Schema) CheckValue(path []byte, v *jsonwalk.Value) error {
	n, st := s.lookup(path)
	return s.checkLooked(n, st, v)
}

// CheckValueAt is CheckValue for the member a jsonwalk callback is visiting.
func (s *Schema) CheckValueAt(p *jsonwalk.Path, v *jsonwalk.Value) error {
	n, st := s.lookupAt(p)
	return s.checkLooked(n, st, v)
}

func (s *Schema) checkLooked(n *node, st status, v *jsonwalk.Value) error {
	switch st {
	case found:
		return n.check(v, s.id)
	case forbidden:
		return &ViolationError{Schema: s.id, Path: n.field.Path, Reason: ReasonAdditional}
	}
	return nil // malformed paths and members inside open objects
}

// AdditionalAllowed reports whether the object at path accepts members its
// schema does not name (additionalProperties absent, true or a schema). The
// empty path is the event itself. Inside a member the schema does not name,
// anything is allowed. It does not allocate.
func (s *Schema) AdditionalAllowed(path []byte) bool {
	if len(path) == 0 {
		return s.root.open
	}
	n, st := s.lookup(path)
	switch st {
	case found:
		return n.open
	case forbidden, malformed:
		return false
	}
	return true
}

// status is the outcome of a path lookup.
type status uint8

const (
	found     status = iota // the schema names the member: n is its node
	open                    // not named, inside an object that accepts it
	forbidden               // not named, and its object refuses it: n is that object
	malformed               // the path is not in the dotted form
)

// lookup walks the dotted path from the root.
func (s *Schema) lookup(path []byte) (*node, status) {
	n := s.root
	i := 0
	if len(path) == 0 {
		return nil, malformed
	}
	for i < len(path) {
		// a key
		j := i
		for j < len(path) && path[j] != '.' && path[j] != '[' {
			j++
		}
		if j == i {
			return nil, malformed
		}
		c, ok := n.child(path[i:j])
		if c == nil {
			if ok {
				return nil, open
			}
			return n, forbidden
		}
		n = c
		i = j
		// indices
		for i < len(path) && path[i] == '[' {
			k := i + 1
			for k < len(path) && path[k] >= '0' && path[k] <= '9' {
				k++
			}
			if k >= len(path) || path[k] != ']' {
				return nil, malformed
			}
			if n.items == nil {
				return n, forbidden
			}
			n = n.items
			i = k + 1
		}
		if i < len(path) {
			if path[i] != '.' || i+1 == len(path) {
				return nil, malformed
			}
			i++
		}
	}
	return n, found
}

// lookupAt walks a jsonwalk path from the root.
func (s *Schema) lookupAt(p *jsonwalk.Path) (*node, status) {
	n := s.root
	if p.Len() == 0 {
		return nil, malformed
	}
	for i := 0; i < p.Len(); i++ {
		seg := p.At(i)
		if seg.IsIndex {
			if n.items == nil {
				return n, forbidden
			}
			n = n.items
			continue
		}
		c, ok := n.child(seg.Key)
		if c == nil {
			if ok {
				return nil, open
			}
			return n, forbidden
		}
		n = c
	}
	return n, found
}

// str views b as a string without copying; the callee must not retain it.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
