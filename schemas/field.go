package schemas

import (
	"math"
	"strconv"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/schemas/policy"
)

// TypeSet is a set of JSON Schema types, as a field's "type" keyword lists
// them.
type TypeSet uint8

// The JSON Schema types. Integer is a number with no fractional part.
const (
	TypeString TypeSet = 1 << iota
	TypeNumber
	TypeInteger
	TypeBoolean
	TypeObject
	TypeArray
	TypeNull
)

var typeNames = [...]struct {
	t    TypeSet
	name string
}{
	{TypeString, "string"}, {TypeNumber, "number"}, {TypeInteger, "integer"},
	{TypeBoolean, "boolean"}, {TypeObject, "object"}, {TypeArray, "array"}, {TypeNull, "null"},
}

// parseTypeName returns the type called name.
func parseTypeName(name string) (TypeSet, bool) {
	for _, tn := range typeNames {
		if tn.name == name {
			return tn.t, true
		}
	}
	return 0, false
}

// String lists the set's types joined by "|", such as "string|null".
func (t TypeSet) String() string { return string(t.appendTo(nil)) }

func (t TypeSet) appendTo(b []byte) []byte {
	first := true
	for _, tn := range typeNames {
		if t&tn.t != 0 {
			if !first {
				b = append(b, '|')
			}
			b = append(b, tn.name...)
			first = false
		}
	}
	if first {
		b = append(b, "none"...)
	}
	return b
}

// Allows reports whether a value of JSON kind k, written as raw (needed for
// numbers only, to tell integers), is of one of the set's types. It does not
// allocate.
func (t TypeSet) Allows(k jsonwalk.Kind, raw []byte) bool {
	switch k {
	case jsonwalk.String:
		return t&TypeString != 0
	case jsonwalk.Number:
		if t&TypeNumber != 0 {
			return true
		}
		return t&TypeInteger != 0 && isInteger(raw)
	case jsonwalk.True, jsonwalk.False:
		return t&TypeBoolean != 0
	case jsonwalk.Null:
		return t&TypeNull != 0
	case jsonwalk.Object:
		return t&TypeObject != 0
	case jsonwalk.Array:
		return t&TypeArray != 0
	}
	return false
}

// isInteger reports whether a JSON number has no fractional part, as JSON
// Schema counts integers: 3, -0, 1.0 and 1e3 are integers, 1.5 is not.
func isInteger(raw []byte) bool {
	frac := false
	for _, c := range raw {
		if c == '.' || c == 'e' || c == 'E' {
			frac = true
			break
		}
	}
	if !frac {
		return len(raw) > 0
	}
	f, err := strconv.ParseFloat(str(raw), 64)
	return err == nil && f == math.Trunc(f) && !math.IsInf(f, 0)
}

// Literal is one value of an "enum" or "const" keyword: a string, number,
// boolean or null.
type Literal struct {
	// Type is the literal's JSON type: TypeString, TypeNumber, TypeBoolean
	// or TypeNull.
	Type TypeSet
	// Str is a string literal's content.
	Str string
	// Num is a number literal's value.
	Num float64
	// Bool is a boolean literal's value.
	Bool bool
}

// matches reports whether the event value v equals the literal.
func (l *Literal) matches(v *jsonwalk.Value) bool {
	switch l.Type {
	case TypeString:
		return v.Kind == jsonwalk.String && string(v.Str) == l.Str
	case TypeNumber:
		if v.Kind != jsonwalk.Number {
			return false
		}
		f, err := strconv.ParseFloat(str(v.Raw), 64)
		return err == nil && f == l.Num
	case TypeBoolean:
		return (v.Kind == jsonwalk.True && l.Bool) || (v.Kind == jsonwalk.False && !l.Bool)
	case TypeNull:
		return v.Kind == jsonwalk.Null
	}
	return false
}

// Field is what a schema says about one member of an event.
type Field struct {
	// Category is the data category from the member's x-pii annotation.
	// It is empty only for a container (object or array) that the schema
	// does not tag: such a container is named by the schema, and its
	// members carry their own tags.
	Category classifiers.Category
	// Type is the entity type or policy field kind from x-pii (EMAIL_ADDRESS,
	// USER_AGENT, AGE, …), or empty when the annotation names only the
	// category.
	Type classifiers.EntityType
	// JSONType is the set of JSON types the schema allows.
	JSONType TypeSet
	// Enum lists the values the schema allows ("enum" or "const"), or is
	// nil when any value of the allowed types is.
	Enum []Literal
	// Format is the "format" annotation ("date-time", "uri", …), not
	// enforced.
	Format string
	// Path is the member's schema path in the normalized dotted form:
	// "context.page.url", "products[].price", "integrations.*".
	Path string
	// Index numbers the field within its Registry, from 0 up to
	// Registry.Fields, so that callers can keep per-field state in a slice
	// instead of a map.
	Index int
}

// Tagged reports whether the field carries an x-pii annotation.
func (f *Field) Tagged() bool { return f.Category != "" }

// Opaque reports whether a string value of the field need not be scanned
// for personal data when the policy keeps it: its values are closed (an
// enum, once the value passed CheckValue or Checker.Visit), it is a time,
// or it cannot be a string at all. Free text under a non-personal tag (a
// page title) is not opaque: it can still carry an email address.
func (f *Field) Opaque() bool {
	return len(f.Enum) > 0 || f.Type == policy.Timestamp || f.JSONType&TypeString == 0
}

// Personal reports whether the field's category is personal data that the
// statement restricts: anything but non-personal, navigation, device and
// coarse location data, and untagged containers.
func (f *Field) Personal() bool {
	switch f.Category {
	case "", classifiers.NonPersonal, classifiers.Navigation, classifiers.Device, classifiers.CoarseLocation:
		return false
	}
	return true
}

// node is one compiled schema position. Nodes are expanded per position
// ($ref targets are copied, not shared), so each knows its own path.
type node struct {
	field Field
	// props maps the names of the properties an object declares; list
	// holds them in declaration order, and index maps a name to its place
	// in list when they are too many to scan.
	props map[string]*node
	list  []prop
	index map[string]int32
	// additional is the schema of members props does not name, when
	// additionalProperties is a schema.
	additional *node
	// open reports whether members props does not name are allowed
	// (additionalProperties true, absent, or a schema).
	open bool
	// items is the schema of array elements.
	items *node
	// required lists the required property names; reqBit is this node's
	// bit in its parent's required mask, or -1.
	required []string
	reqMask  uint64
	reqBit   int8
}

// prop is one named property of an object node.
type prop struct {
	name string
	n    *node
}

// maxListedProps is the most properties an object node looks up by a
// linear scan rather than its map.
const maxListedProps = 12

// child returns the node of member key of object node n, and whether the
// member is allowed at all. A nil node with ok true is a member the schema
// does not name inside an open object.
func (n *node) child(key []byte) (c *node, ok bool) {
	c, _, ok = n.childAt(key, -1)
	return c, ok
}

// childAt is child with a hint: the place in n.list where key is expected
// (events of one kind list their members in the same order, so the member
// after the last one found is usually next). It also returns the member's
// place, or -1 for a member n does not declare.
func (n *node) childAt(key []byte, hint int) (c *node, at int, ok bool) {
	if hint >= 0 && hint < len(n.list) {
		if e := &n.list[hint]; len(e.name) == len(key) && e.name == string(key) {
			return e.n, hint, true
		}
	}
	if n.index != nil {
		if i, found := n.index[string(key)]; found {
			return n.list[i].n, int(i), true
		}
	} else {
		for i := range n.list {
			if len(n.list[i].name) == len(key) && n.list[i].name == string(key) {
				return n.list[i].n, i, true
			}
		}
	}
	if n.additional != nil {
		return n.additional, -1, true
	}
	return nil, -1, n.open
}

// check validates a scalar or container value against the node's type and
// enum.
func (n *node) check(v *jsonwalk.Value, schemaID string) error {
	if !n.field.JSONType.Allows(v.Kind, v.Raw) {
		return &ViolationError{Schema: schemaID, Path: n.field.Path, Reason: ReasonType, Got: jsonTypeName(v), Want: n.field.JSONType}
	}
	if len(n.field.Enum) > 0 {
		for i := range n.field.Enum {
			if n.field.Enum[i].matches(v) {
				return nil
			}
		}
		return &ViolationError{Schema: schemaID, Path: n.field.Path, Reason: ReasonEnum}
	}
	return nil
}

func jsonTypeName(v *jsonwalk.Value) string {
	switch v.Kind {
	case jsonwalk.True, jsonwalk.False:
		return "boolean"
	case jsonwalk.Number:
		if isInteger(v.Raw) {
			return "integer"
		}
	}
	return v.Kind.String()
}
