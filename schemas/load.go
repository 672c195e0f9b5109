package schemas

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// builtinFS holds the schemas veil ships: the statement's event families and
// the Segment / RudderStack spec calls.
//
//go:embed events/*.json
var builtinFS embed.FS

const builtinDir = "events"

// defaultOrder is the precedence of the built-in schemas' discriminators:
// Segment's "type" names the call (a track call may carry an "event" named
// like a platform event), then the platform's "event_type" and "event".
var defaultOrder = []string{"type", "event_type", "event"}

// Option configures Default and Load.
type Option func(*options)

type options struct {
	order     []string
	noBuiltin bool
}

// WithDiscriminatorOrder sets the precedence of discriminator keys (see
// Registry.Discriminators). The default is "type", "event_type", "event":
// Segment's "type" names the call, and a track call may carry an "event"
// named like a platform event. Keys in use that the list leaves out come
// after it, sorted.
func WithDiscriminatorOrder(keys ...string) Option {
	return func(o *options) { o.order = append([]string(nil), keys...) }
}

// WithoutBuiltin makes Load use the user's schemas alone, without the
// embedded ones underneath.
func WithoutBuiltin() Option { return func(o *options) { o.noBuiltin = true } }

// Default returns a registry of the embedded schemas.
func Default(opts ...Option) (*Registry, error) { return load(nil, "", opts) }

// Load returns a registry of the schemas in the *.json files of directory
// dir of fsys (not its subdirectories), laid over the embedded ones: a user
// schema with the $id of an embedded one replaces it, and every other user
// schema is added. Every problem found is reported, joined, as
// *SchemaError values naming the file and a JSON pointer into it.
func Load(fsys fs.FS, dir string, opts ...Option) (*Registry, error) {
	if fsys == nil {
		return nil, errors.New("schemas: Load needs a file system")
	}
	return load(fsys, dir, opts)
}

func load(fsys fs.FS, dir string, opts []Option) (*Registry, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.order == nil {
		o.order = defaultOrder
	}
	c := &compiler{files: map[string]*srcFile{}}
	var layers [][]*srcFile
	if !o.noBuiltin {
		fl, err := c.readDir(builtinFS, builtinDir)
		if err != nil {
			return nil, err
		}
		for _, f := range fl {
			f.builtin = true
		}
		layers = append(layers, fl)
	}
	if fsys != nil {
		fl, err := c.readDir(fsys, dir)
		if err != nil {
			return nil, err
		}
		layers = append(layers, fl)
	}
	for _, layer := range layers {
		seen := map[string]*srcFile{}
		for _, f := range layer {
			if prev := seen[f.id]; prev != nil {
				c.fail(f, "/$id", "$id %q is also the $id of %s", f.id, prev.name)
				continue
			}
			seen[f.id] = f
			c.files[f.id] = f // a later layer replaces an earlier one
		}
	}
	files := make([]*srcFile, 0, len(c.files))
	for _, f := range c.files {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].id < files[j].id })
	for _, f := range files {
		c.validate(f)
	}
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}

	r := &Registry{byID: map[string]*Schema{}}
	for _, f := range files {
		if f.library {
			continue
		}
		c.nodes = 0
		root := c.build(f, f.root, "", true, nil)
		if root == nil {
			continue
		}
		s := &Schema{id: f.id, file: f.name, root: root}
		if t := f.root.get("title"); t != nil && t.kind == jString {
			s.title = t.str
		}
		s.matchKey, s.matchVal = matchOf(f)
		s.required = collectRequired(root, nil)
		if ex := f.root.get("examples"); ex != nil {
			for _, e := range ex.elems {
				s.examples = append(s.examples, appendJSON(nil, e))
			}
		}
		r.schemas = append(r.schemas, s)
		r.byID[s.id] = s
	}
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	r.fields = c.fields
	c.selectors(r, o.order)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	c.examples(r)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return r, nil
}

// readDir parses the *.json files of dir.
func (c *compiler) readDir(fsys fs.FS, dir string) ([]*srcFile, error) {
	if dir == "" {
		dir = "."
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("schemas: reading schema directory %s: %w", dir, err)
	}
	var out []*srcFile
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			c.errs = append(c.errs, &SchemaError{File: name, Err: err})
			continue
		}
		f := &srcFile{name: name}
		root, err := parseTree(data)
		if err != nil {
			var se *SchemaError
			if errors.As(err, &se) {
				se.File = name
				c.errs = append(c.errs, se)
			} else {
				c.errs = append(c.errs, &SchemaError{File: name, Err: err})
			}
			continue
		}
		f.root = root
		if c.header(f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// selectors checks each schema's discriminator against its own top-level
// property and against the other schemas, and builds the lookup tables.
func (c *compiler) selectors(r *Registry, order []string) {
	owner := map[string]map[string]*Schema{}
	for _, s := range r.schemas {
		if s.matchKey == "" {
			continue
		}
		f := c.files[s.id]
		prop := s.root.props[s.matchKey]
		if prop == nil {
			c.fail(f, "/"+keyMatch, "discriminator %q is not a top-level property of the schema", s.matchKey)
			continue
		}
		if prop.field.JSONType&TypeString == 0 {
			c.fail(f, "/"+keyMatch, "discriminator %q must allow strings (type is %s)", s.matchKey, prop.field.JSONType)
			continue
		}
		for _, v := range s.matchVal {
			if len(prop.field.Enum) > 0 && !enumHasString(prop.field.Enum, v) {
				c.fail(f, "/"+keyMatch, "value %q of discriminator %q is not in the property's enum", v, s.matchKey)
			}
			m := owner[s.matchKey]
			if m == nil {
				m = map[string]*Schema{}
				owner[s.matchKey] = m
			}
			if prev := m[v]; prev != nil {
				// Blame the user's file when an embedded schema is involved.
				blame, other := s, prev
				if c.files[s.id].builtin && !c.files[prev.id].builtin {
					blame, other = prev, s
				}
				c.fail(c.files[blame.id], "/"+keyMatch, "%s=%q already selects %s (%s)", s.matchKey, v, other.id, other.file)
				continue
			}
			m[v] = s
		}
	}
	var keys []string
	for _, k := range order {
		if owner[k] != nil && !contains(keys, k) {
			keys = append(keys, k)
		}
	}
	var rest []string
	for k := range owner {
		if !contains(keys, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	keys = append(keys, rest...)
	for _, k := range keys {
		r.discs = append(r.discs, []byte(k))
		r.selectors = append(r.selectors, owner[k])
	}
}

// examples checks that every example event is selected by its schema and
// valid under it.
func (c *compiler) examples(r *Registry) {
	v := r.NewValidator()
	for _, s := range r.schemas {
		f := c.files[s.id]
		for i, ex := range s.examples {
			ptr := "/examples/" + itoa(i)
			if s.matchKey != "" {
				got, err := v.Validate(ex)
				switch {
				case got != s && got != nil:
					c.fail(f, ptr, "the example is selected by %s, not by this schema", got.id)
				case got == nil && err == nil:
					c.fail(f, ptr, "no schema selects the example (x-veil-match %s)", s.matchKey)
				case err != nil:
					c.fail(f, ptr, "%w", err)
				}
				continue
			}
			if err := v.ValidateAs(s, ex); err != nil {
				c.fail(f, ptr, "%w", err)
			}
		}
	}
}

func enumHasString(enum []Literal, s string) bool {
	for _, l := range enum {
		if l.Type == TypeString && l.Str == s {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// appendJSON writes a parsed value back as compact JSON.
func appendJSON(dst []byte, v *jvalue) []byte {
	switch v.kind {
	case jNull:
		return append(dst, "null"...)
	case jBool:
		if v.b {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case jNumber:
		return append(dst, v.str...)
	case jString:
		b, _ := json.Marshal(v.str)
		return append(dst, b...)
	case jArray:
		dst = append(dst, '[')
		for i, e := range v.elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, e)
		}
		return append(dst, ']')
	}
	dst = append(dst, '{')
	for i, m := range v.members {
		if i > 0 {
			dst = append(dst, ',')
		}
		b, _ := json.Marshal(m.key)
		dst = append(dst, b...)
		dst = append(dst, ':')
		dst = appendJSON(dst, m.val)
	}
	return append(dst, '}')
}
