package schemas

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/schemas/policy"
)

// The JSON Schema dialect veil reads: draft 2020-12, restricted to the
// keywords below. Anything else is refused rather than silently ignored, so
// a typo ("propeties") or a keyword veil does not enforce ("pattern") is
// reported instead of weakening the checks a schema appears to make.
const draft202012 = "https://json-schema.org/draft/2020-12/schema"

// annotations are keywords that carry no validation and are accepted
// anywhere a schema is.
var annotations = map[string]bool{
	"title": true, "description": true, "$comment": true, "examples": true,
	"default": true, "deprecated": true, "readOnly": true, "writeOnly": true,
}

// rootOnly are keywords accepted only at the top of a file.
var rootOnly = map[string]bool{"$schema": true, "$id": true, "$defs": true, keyMatch: true}

const (
	keyPII   = "x-pii"
	keyMatch = "x-veil-match"
	// maxErrors bounds how many problems one Load reports.
	maxErrors = 50
	// maxRefDepth bounds nested $ref expansion; maxNodes bounds a compiled
	// schema's size (expansion copies $ref targets per use).
	maxRefDepth = 32
	maxNodes    = 100_000
	// maxRequired is the most required members one object may list.
	maxRequired = 64
)

// srcFile is one parsed schema file.
type srcFile struct {
	name    string
	id      string
	root    *jvalue
	library bool // only shared definitions: no schema at the top level
	builtin bool // embedded, not the user's
}

type compiler struct {
	files map[string]*srcFile // by $id
	errs  []error
	nodes int // nodes built for the schema being expanded
	// fields numbers every node of the registry (Field.Index).
	fields int
}

func (c *compiler) fail(f *srcFile, ptr string, format string, args ...any) {
	if len(c.errs) == maxErrors {
		c.errs = append(c.errs, errors.New("schemas: too many problems, stopping"))
	}
	if len(c.errs) > maxErrors {
		return
	}
	c.errs = append(c.errs, &SchemaError{File: f.name, Pointer: ptr, Err: fmt.Errorf(format, args...)})
}

// header reads the top-level keywords every file has: $id and $schema.
func (c *compiler) header(f *srcFile) bool {
	r := f.root
	if r.kind != jObject {
		c.fail(f, "", "a schema file holds a JSON object, not %s", r.kind)
		return false
	}
	id := r.get("$id")
	switch {
	case id == nil:
		c.fail(f, "", "$id is required (schemas are laid over one another by $id)")
		return false
	case id.kind != jString || strings.TrimSpace(id.str) == "":
		c.fail(f, "/$id", "$id must be a non-empty string")
		return false
	case strings.ContainsAny(id.str, "# \t\n"):
		c.fail(f, "/$id", "$id must be an absolute URI without a fragment or spaces")
		return false
	}
	f.id = id.str
	if s := r.get("$schema"); s != nil && (s.kind != jString || s.str != draft202012) {
		c.fail(f, "/$schema", "$schema must be %q (veil reads a subset of draft 2020-12)", draft202012)
	}
	f.library = r.get("type") == nil && r.get("properties") == nil && r.get(keyMatch) == nil
	return true
}

// validate checks a whole file: its top level, every schema in it and
// every $defs entry, without following $ref beyond checking that its target
// exists.
func (c *compiler) validate(f *srcFile) {
	r := f.root
	if defs := r.get("$defs"); defs != nil {
		if defs.kind != jObject {
			c.fail(f, defs.ptr, "$defs must be an object of named schemas")
		} else {
			for _, m := range defs.members {
				c.build(f, m.val, "", false, nil)
			}
		}
	}
	if f.library {
		for _, m := range r.members {
			switch {
			case m.key == "$schema", m.key == "$id", m.key == "$defs", annotations[m.key], isExtension(m.key):
			default:
				c.fail(f, m.val.ptr, "keyword %q needs a schema at the top level (a file without type, properties or x-veil-match only holds $defs)", m.key)
			}
		}
		return
	}
	if t := r.get("type"); t == nil || t.kind != jString || t.str != "object" {
		c.fail(f, "/type", `an event schema has "type": "object" at the top level`)
	}
	if m := r.get(keyMatch); m != nil {
		c.checkMatchSyntax(f, m)
	}
	if ex := r.get("examples"); ex != nil {
		if ex.kind != jArray {
			c.fail(f, ex.ptr, "examples must be an array of example events")
		} else {
			for _, e := range ex.elems {
				if e.kind != jObject {
					c.fail(f, e.ptr, "an example event is a JSON object, not %s", e.kind)
				}
			}
		}
	}
	c.build(f, r, "", false, nil)
}

func isExtension(key string) bool {
	return strings.HasPrefix(key, "x-") && key != keyPII && key != keyMatch
}

// checkMatchSyntax checks the form of x-veil-match: one top-level key and
// one string value or a list of them.
func (c *compiler) checkMatchSyntax(f *srcFile, m *jvalue) {
	if m.kind != jObject || len(m.members) != 1 {
		c.fail(f, m.ptr, `x-veil-match names one top-level key and the value(s) that select the schema, e.g. {"type": "page"}`)
		return
	}
	key, v := m.members[0].key, m.members[0].val
	if key == "" {
		c.fail(f, m.ptr, "x-veil-match key must not be empty")
	}
	switch v.kind {
	case jString:
	case jArray:
		if len(v.elems) == 0 {
			c.fail(f, v.ptr, "x-veil-match values must not be empty")
		}
		seen := map[string]bool{}
		for _, e := range v.elems {
			if e.kind != jString {
				c.fail(f, e.ptr, "x-veil-match values are strings, not %s", e.kind)
			} else if seen[e.str] {
				c.fail(f, e.ptr, "x-veil-match value %q is listed twice", e.str)
			}
			seen[e.str] = true
		}
	default:
		c.fail(f, v.ptr, "x-veil-match value is a string or an array of strings, not %s", v.kind)
	}
}

// matchOf returns the discriminator key and values of a validated file.
func matchOf(f *srcFile) (string, []string) {
	m := f.root.get(keyMatch)
	if m == nil {
		return "", nil
	}
	key, v := m.members[0].key, m.members[0].val
	if v.kind == jString {
		return key, []string{v.str}
	}
	vals := make([]string, len(v.elems))
	for i, e := range v.elems {
		vals[i] = e.str
	}
	return key, vals
}

// build checks the schema v and, when expand is set, compiles it into a
// node at the normalized path. Without expand, $ref is checked but not
// followed and the result is only good for its errors. refs is the chain of
// $ref targets being expanded, for cycle detection.
func (c *compiler) build(f *srcFile, v *jvalue, path string, expand bool, refs []string) *node {
	if v.kind != jObject {
		c.fail(f, v.ptr, "a schema here is a JSON object, not %s", v.kind)
		return nil
	}
	if ref := v.get("$ref"); ref != nil {
		return c.buildRef(f, v, ref, path, expand, refs)
	}
	if expand {
		c.nodes++
		if c.nodes > maxNodes {
			if c.nodes == maxNodes+1 {
				c.fail(f, v.ptr, "schema expands to more than %d members ($ref copies its target at each use)", maxNodes)
			}
			return nil
		}
	}
	n := &node{reqBit: -1}
	n.field.Path = path
	n.field.Index = c.fields
	c.fields++
	var typ, props, additional, items, req, enum, konst, format, pii *jvalue
	for _, m := range v.members {
		switch k := m.key; {
		case k == "type":
			typ = m.val
		case k == "properties":
			props = m.val
		case k == "additionalProperties":
			additional = m.val
		case k == "items":
			items = m.val
		case k == "required":
			req = m.val
		case k == "enum":
			enum = m.val
		case k == "const":
			konst = m.val
		case k == "format":
			format = m.val
		case k == keyPII:
			pii = m.val
		case rootOnly[k]:
			if v.ptr != "" {
				c.fail(f, m.val.ptr, "%s is only allowed at the top level of a file", k)
			}
		case annotations[k], isExtension(k):
		default:
			c.fail(f, m.val.ptr, "keyword %q is not supported (veil reads type, properties, required, additionalProperties, items, enum, const, format, $ref, $defs and annotations of JSON Schema 2020-12)", k)
		}
	}

	// type
	switch {
	case typ == nil:
		c.fail(f, v.ptr, `"type" is required`)
	case typ.kind == jString:
		t, ok := parseTypeName(typ.str)
		if !ok {
			c.fail(f, typ.ptr, "unknown type %q", typ.str)
		}
		n.field.JSONType = t
	case typ.kind == jArray && len(typ.elems) > 0:
		for _, e := range typ.elems {
			t, ok := parseTypeName(e.str)
			switch {
			case e.kind != jString || !ok:
				c.fail(f, e.ptr, "unknown type %s", describe(e))
			case n.field.JSONType&t != 0:
				c.fail(f, e.ptr, "type %q is listed twice", e.str)
			}
			n.field.JSONType |= t
		}
	default:
		c.fail(f, typ.ptr, "type is a type name or a non-empty array of them")
	}
	jt := n.field.JSONType
	if jt&TypeInteger != 0 && jt&TypeNumber != 0 {
		n.field.JSONType &^= TypeInteger // number already allows integers
	}

	// object keywords
	n.open = jt&TypeObject != 0
	if props != nil {
		if jt&TypeObject == 0 && typ != nil {
			c.fail(f, props.ptr, `properties need "object" among the types`)
		}
		if props.kind != jObject {
			c.fail(f, props.ptr, "properties must be an object of named schemas")
		} else {
			n.props = make(map[string]*node, len(props.members))
			for _, m := range props.members {
				if !validName(m.key) {
					c.fail(f, m.val.ptr, `property name %q cannot be addressed in dotted paths (it is empty, "*", or holds '.', '[' or ']')`, m.key)
					continue
				}
				if cn := c.build(f, m.val, joinPath(path, m.key), expand, refs); cn != nil {
					if _, dup := n.props[m.key]; !dup {
						n.list = append(n.list, prop{m.key, cn})
					}
					n.props[m.key] = cn
				}
			}
			if len(n.list) > maxListedProps {
				n.index = make(map[string]int32, len(n.list))
				for i, pr := range n.list {
					n.index[pr.name] = int32(i)
				}
			}
		}
	}
	if additional != nil {
		if jt&TypeObject == 0 && typ != nil {
			c.fail(f, additional.ptr, `additionalProperties needs "object" among the types`)
		}
		switch additional.kind {
		case jBool:
			n.open = n.open && additional.b
		case jObject:
			n.additional = c.build(f, additional, joinPath(path, "*"), expand, refs)
		default:
			c.fail(f, additional.ptr, "additionalProperties is a boolean or a schema, not %s", additional.kind)
		}
	}
	if req != nil {
		if jt&TypeObject == 0 && typ != nil {
			c.fail(f, req.ptr, `required needs "object" among the types`)
		}
		c.required(f, n, req, props)
	}

	// array keywords
	switch {
	case items != nil:
		if jt&TypeArray == 0 && typ != nil {
			c.fail(f, items.ptr, `items needs "array" among the types`)
		}
		n.items = c.build(f, items, path+"[]", expand, refs)
	case jt&TypeArray != 0:
		c.fail(f, v.ptr, "an array needs items (the schema of its elements)")
	}

	// values
	if enum != nil && konst != nil {
		c.fail(f, konst.ptr, "use enum or const, not both")
	}
	if enum != nil {
		if enum.kind != jArray || len(enum.elems) == 0 {
			c.fail(f, enum.ptr, "enum must be a non-empty array")
		} else {
			for _, e := range enum.elems {
				n.field.Enum = append(n.field.Enum, c.literal(f, e, n.field.JSONType))
			}
		}
	}
	if konst != nil {
		n.field.Enum = []Literal{c.literal(f, konst, n.field.JSONType)}
	}
	if format != nil {
		if format.kind != jString {
			c.fail(f, format.ptr, "format must be a string")
		}
		n.field.Format = format.str
	}

	// personal-data tag
	leaf := props == nil && items == nil && (additional == nil || additional.kind != jObject)
	switch {
	case pii != nil:
		n.field.Category, n.field.Type = c.pii(f, pii)
	case leaf && v.ptr == "":
		c.fail(f, v.ptr, "an event schema declares properties")
	case leaf:
		c.fail(f, v.ptr, `x-pii is required on every leaf: {"category": "...", "type": "..."} (type optional)`)
	}
	return n
}

// required reads the required list of object node n.
func (c *compiler) required(f *srcFile, n *node, req, props *jvalue) {
	if req.kind != jArray {
		c.fail(f, req.ptr, "required must be an array of property names")
		return
	}
	if len(req.elems) > maxRequired {
		c.fail(f, req.ptr, "at most %d required members per object are supported", maxRequired)
		return
	}
	seen := map[string]bool{}
	for _, e := range req.elems {
		if e.kind != jString {
			c.fail(f, e.ptr, "required lists property names (strings), not %s", e.kind)
			continue
		}
		if seen[e.str] {
			c.fail(f, e.ptr, "%q is listed twice", e.str)
			continue
		}
		seen[e.str] = true
		if props == nil || props.get(e.str) == nil {
			c.fail(f, e.ptr, "required member %q is not declared in properties", e.str)
			continue
		}
		cn := n.props[e.str]
		if cn == nil {
			continue // its schema had errors
		}
		cn.reqBit = int8(len(n.required))
		n.reqMask |= 1 << uint(len(n.required))
		n.required = append(n.required, e.str)
	}
}

// literal reads one enum or const value, which must be of the node's types.
func (c *compiler) literal(f *srcFile, e *jvalue, jt TypeSet) Literal {
	var l Literal
	switch e.kind {
	case jString:
		l = Literal{Type: TypeString, Str: e.str}
	case jNumber:
		x, err := strconv.ParseFloat(e.str, 64)
		if err != nil {
			c.fail(f, e.ptr, "number %s is out of range", e.str)
		}
		l = Literal{Type: TypeNumber, Num: x}
		if jt&TypeNumber == 0 && jt&TypeInteger != 0 && !isInteger([]byte(e.str)) {
			c.fail(f, e.ptr, "enum value %s is not an integer", e.str)
			return l
		}
	case jBool:
		l = Literal{Type: TypeBoolean, Bool: e.b}
	case jNull:
		l = Literal{Type: TypeNull}
	default:
		c.fail(f, e.ptr, "enum and const values are strings, numbers, booleans or null, not %s", e.kind)
		return l
	}
	want := l.Type
	if want == TypeNumber {
		want = TypeNumber | TypeInteger
	}
	if jt != 0 && jt&want == 0 {
		c.fail(f, e.ptr, "enum value of type %s is not allowed by the schema's type %s", e.kind, jt)
	}
	return l
}

// pii reads an x-pii annotation.
func (c *compiler) pii(f *srcFile, v *jvalue) (classifiers.Category, classifiers.EntityType) {
	if v.kind != jObject {
		c.fail(f, v.ptr, `x-pii is an object: {"category": "...", "type": "..."}`)
		return "", ""
	}
	var (
		cat classifiers.Category
		typ classifiers.EntityType
	)
	for _, m := range v.members {
		switch m.key {
		case "category":
			if m.val.kind != jString {
				c.fail(f, m.val.ptr, "category must be a string")
				continue
			}
			x, err := classifiers.ParseCategory(m.val.str)
			if err != nil {
				c.fail(f, m.val.ptr, "%w", err)
				continue
			}
			cat = x
		case "type":
			if m.val.kind != jString {
				c.fail(f, m.val.ptr, "type must be a string")
				continue
			}
			t := classifiers.EntityType(m.val.str)
			if !policy.ValidKind(t) {
				c.fail(f, m.val.ptr, "unknown entity type or field kind %q (taxonomy types: %v; field kinds: %v)", m.val.str, classifiers.EntityTypes, policy.FieldKinds)
				continue
			}
			typ = t
		default:
			c.fail(f, m.val.ptr, "x-pii has category and type only, not %q", m.key)
		}
	}
	if cat == "" && v.get("category") == nil {
		c.fail(f, v.ptr, "x-pii needs a category")
	}
	return cat, typ
}

// buildRef checks, and with expand follows, a $ref.
func (c *compiler) buildRef(f *srcFile, v, ref *jvalue, path string, expand bool, refs []string) *node {
	for _, m := range v.members {
		if m.key != "$ref" && !annotations[m.key] && !isExtension(m.key) {
			c.fail(f, m.val.ptr, "keyword %q beside $ref is not supported (put it in the referenced schema)", m.key)
		}
	}
	if ref.kind != jString {
		c.fail(f, ref.ptr, "$ref must be a string")
		return nil
	}
	tf, target, key := c.resolve(f, ref)
	if target == nil {
		return nil
	}
	if !expand {
		return nil
	}
	for _, r := range refs {
		if r == key {
			c.fail(f, ref.ptr, "circular $ref to %s (recursive schemas are not supported)", key)
			return nil
		}
	}
	if len(refs) >= maxRefDepth {
		c.fail(f, ref.ptr, "$ref nested more than %d deep", maxRefDepth)
		return nil
	}
	return c.build(tf, target, path, true, append(refs[:len(refs):len(refs)], key))
}

// resolve finds the schema a $ref names: "#/$defs/name" in the same file or
// "<$id>#/$defs/name" in another. It returns the file, the value and a key
// identifying the target.
func (c *compiler) resolve(f *srcFile, ref *jvalue) (*srcFile, *jvalue, string) {
	base, frag, ok := strings.Cut(ref.str, "#")
	if !ok || !strings.HasPrefix(frag, "/$defs/") {
		c.fail(f, ref.ptr, `$ref must point into $defs: "#/$defs/name" or "<$id>#/$defs/name"`)
		return nil, nil, ""
	}
	tf := f
	if base != "" {
		tf = c.files[base]
		if tf == nil {
			c.fail(f, ref.ptr, "$ref names schema %q, which is not loaded", base)
			return nil, nil, ""
		}
	}
	v := tf.root
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = unescapePointer(tok)
		var next *jvalue
		switch v.kind {
		case jObject:
			next = v.get(tok)
		case jArray:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(v.elems) {
				next = v.elems[i]
			}
		}
		if next == nil {
			c.fail(f, ref.ptr, "$ref target %s#%s does not exist", tf.id, frag)
			return nil, nil, ""
		}
		v = next
	}
	return tf, v, tf.id + "#" + frag
}

// validName reports whether a property name can be addressed in the dotted
// path form.
func validName(k string) bool {
	return k != "" && k != "*" && !strings.ContainsAny(k, ".[]")
}

func describe(v *jvalue) string {
	if v.kind == jString {
		return strconv.Quote(v.str)
	}
	return v.kind.String()
}

// collectRequired lists the normalized paths of every required member
// under n.
func collectRequired(n *node, dst []string) []string {
	if n == nil {
		return dst
	}
	for _, name := range n.required {
		dst = append(dst, joinPath(n.field.Path, name))
	}
	names := make([]string, 0, len(n.props))
	for k := range n.props {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		dst = collectRequired(n.props[k], dst)
	}
	dst = collectRequired(n.additional, dst)
	return collectRequired(n.items, dst)
}
