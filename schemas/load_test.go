package schemas_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/schemas"
)

// userSchema is a small valid schema; the error cases below each break it
// in one way.
const userSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:acme:order",
  "x-veil-match": {"event": "order.shipped"},
  "type": "object",
  "required": ["event"],
  "properties": {
    "event": {"type": "string", "x-pii": {"category": "non_personal"}},
    "buyer": {"type": "object", "properties": {
      "email": {"type": "string", "x-pii": {"category": "contact", "type": "EMAIL_ADDRESS"}}
    }}
  },
  "examples": [{"event": "order.shipped", "buyer": {"email": "ada@example.org"}}]
}`

func TestLoadOverlay(t *testing.T) {
	page := `{
  "$id": "urn:veil:schema:segment.page",
  "x-veil-match": {"type": "page"},
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "type": {"type": "string", "x-pii": {"category": "non_personal"}},
    "url": {"type": "string", "x-pii": {"category": "navigation", "type": "URL"}}
  },
  "examples": [{"type": "page", "url": "https://example.org/"}]
}`
	fsys := fstest.MapFS{
		"conf/schemas/order.json": {Data: []byte(userSchema)},
		"conf/schemas/page.json":  {Data: []byte(page)},
		"conf/schemas/README.md":  {Data: []byte("not a schema")},
		"conf/schemas/sub/x.json": {Data: []byte("not read: subdirectories are not walked")},
	}
	r, err := schemas.Load(fsys, "conf/schemas")
	if err != nil {
		t.Fatal(err)
	}
	s, ok := r.Select([]byte("event"), []byte("order.shipped"))
	if !ok || s.ID() != "urn:acme:order" || s.File() != "conf/schemas/order.json" {
		t.Fatalf("user schema not selected: %v", s)
	}
	if f, ok := s.Field([]byte("buyer.email")); !ok || f.Category != classifiers.Contact {
		t.Errorf("buyer.email: %+v", f)
	}
	// The user's page schema replaces the embedded one ...
	p, _ := r.Select([]byte("type"), []byte("page"))
	if p.File() != "conf/schemas/page.json" || p.AdditionalAllowed(nil) {
		t.Errorf("page schema from %s", p.File())
	}
	if _, ok := p.Field([]byte("context.ip")); ok {
		t.Error("replaced schema still names context.ip")
	}
	// ... and the rest stay.
	if _, ok := r.Select([]byte("type"), []byte("track")); !ok {
		t.Error("embedded track schema lost")
	}
	if len(r.Schemas()) != len(registry(t).Schemas())+1 {
		t.Errorf("%d schemas", len(r.Schemas()))
	}
}

func TestLoadOptions(t *testing.T) {
	fsys := fstest.MapFS{"order.json": {Data: []byte(userSchema)}}
	r, err := schemas.Load(fsys, ".", schemas.WithoutBuiltin())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Schemas()) != 1 || len(r.Discriminators()) != 1 {
		t.Errorf("WithoutBuiltin: %d schemas", len(r.Schemas()))
	}
	r, err = schemas.Load(fsys, "", schemas.WithDiscriminatorOrder("event", "type"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range r.Discriminators() {
		got = append(got, string(d))
	}
	if strings.Join(got, ",") != "event,type,event_type" {
		t.Errorf("order %v", got)
	}
	v := r.NewValidator()
	if s, _, _ := v.Select([]byte(`{"type":"track","event":"message.sent"}`)); s == nil || s.ID() != "urn:veil:schema:conversation.message" {
		t.Errorf("event first: selected %v", s)
	}
	if _, err := schemas.Load(fsys, "missing"); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing directory: %v", err)
	}
	if _, err := schemas.Load(nil, "."); err == nil {
		t.Error("nil file system accepted")
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		file    string // the schema text; "" uses userSchema
		edit    [2]string
		extra   string // a second user file, x.json
		pointer string
		msg     string
	}{
		{name: "invalid JSON", edit: [2]string{`"type": "object",`, `"type": "object"`}, msg: "invalid JSON at line 6"},
		{name: "trailing data", file: userSchema + " {}", msg: "after the top-level value"},
		{name: "not an object", file: `[1]`, pointer: "", msg: "holds a JSON object"},
		{name: "duplicate key", edit: [2]string{`"type": "object",`, `"type": "object", "type": "object",`}, pointer: "", msg: `duplicate key "type"`},
		{name: "no $id", edit: [2]string{`"$id": "urn:acme:order",`, ``}, msg: "$id is required"},
		{name: "fragment $id", edit: [2]string{`urn:acme:order"`, `urn:acme:order#x"`}, pointer: "/$id", msg: "without a fragment"},
		{name: "wrong draft", edit: [2]string{`2020-12/schema`, `2019-09/schema`}, pointer: "/$schema", msg: "2020-12"},
		{name: "missing x-pii", edit: [2]string{`"event": {"type": "string", "x-pii": {"category": "non_personal"}}`, `"event": {"type": "string"}`}, pointer: "/properties/event", msg: "x-pii is required"},
		{name: "bad category", edit: [2]string{`"category": "contact"`, `"category": "contacts"`}, pointer: "/properties/buyer/properties/email/x-pii/category", msg: `unknown data category "contacts"`},
		{name: "bad type", edit: [2]string{`"EMAIL_ADDRESS"`, `"EMAIL"`}, pointer: "/properties/buyer/properties/email/x-pii/type", msg: `unknown entity type or field kind "EMAIL"`},
		{name: "field kind accepted", edit: [2]string{`"EMAIL_ADDRESS"`, `"USER_AGENT"`}},
		{name: "x-pii extra key", edit: [2]string{`"category": "contact",`, `"category": "contact", "score": 1,`}, pointer: "/properties/buyer/properties/email/x-pii/score", msg: "category and type only"},
		{name: "x-pii without category", edit: [2]string{`{"category": "contact", "type": "EMAIL_ADDRESS"}`, `{"type": "EMAIL_ADDRESS"}`}, pointer: "/properties/buyer/properties/email/x-pii", msg: "needs a category"},
		{name: "unsupported keyword", edit: [2]string{`"type": "string", "x-pii": {"category": "contact"`, `"type": "string", "pattern": "@", "x-pii": {"category": "contact"`}, pointer: "/properties/buyer/properties/email/pattern", msg: `keyword "pattern" is not supported`},
		{name: "typo keyword", edit: [2]string{`"buyer": {"type": "object", "properties"`, `"buyer": {"type": "object", "propertes"`}, pointer: "/properties/buyer/propertes", msg: "not supported"},
		{name: "extension ignored", edit: [2]string{`"type": "object",`, `"type": "object", "x-owner": "data-team",`}},
		{name: "no type", edit: [2]string{`"buyer": {"type": "object", `, `"buyer": {`}, pointer: "/properties/buyer", msg: `"type" is required`},
		{name: "unknown type", edit: [2]string{`"event": {"type": "string"`, `"event": {"type": "text"`}, pointer: "/properties/event/type", msg: `unknown type "text"`},
		{name: "properties on a string", edit: [2]string{`"buyer": {"type": "object"`, `"buyer": {"type": "string"`}, pointer: "/properties/buyer/properties", msg: `properties need "object"`},
		{name: "array without items", edit: [2]string{`"buyer": {"type": "object", "properties": {`, `"tags": {"type": "array", "x-pii": {"category": "non_personal"}}, "buyer": {"type": "object", "properties": {`}, pointer: "/properties/tags", msg: "needs items"},
		{name: "dotted name", edit: [2]string{`"email": {`, `"e.mail": {`}, pointer: "/properties/buyer/properties/e.mail", msg: "cannot be addressed"},
		{name: "required undeclared", edit: [2]string{`"required": ["event"]`, `"required": ["event", "id"]`}, pointer: "/required/1", msg: `"id" is not declared`},
		{name: "required twice", edit: [2]string{`"required": ["event"]`, `"required": ["event", "event"]`}, pointer: "/required/1", msg: "listed twice"},
		{name: "enum of wrong type", edit: [2]string{`"event": {"type": "string",`, `"event": {"type": "string", "enum": ["order.shipped", 3],`}, pointer: "/properties/event/enum/1", msg: "not allowed by the schema's type"},
		{name: "enum and const", edit: [2]string{`"event": {"type": "string",`, `"event": {"type": "string", "enum": ["order.shipped"], "const": "order.shipped",`}, pointer: "/properties/event/const", msg: "not both"},
		{name: "nested $id", edit: [2]string{`"buyer": {"type": "object",`, `"buyer": {"$id": "urn:x", "type": "object",`}, pointer: "/properties/buyer/$id", msg: "only allowed at the top level"},
		{name: "match not a property", edit: [2]string{`{"event": "order.shipped"}`, `{"kind": "order.shipped"}`}, pointer: "/x-veil-match", msg: `discriminator "kind" is not a top-level property`},
		{name: "match on a number", edit: [2]string{`"event": {"type": "string"`, `"event": {"type": "integer"`}, pointer: "/x-veil-match", msg: "must allow strings"},
		{name: "match outside enum", edit: [2]string{`"event": {"type": "string",`, `"event": {"type": "string", "enum": ["order.created"],`}, pointer: "/x-veil-match", msg: "not in the property's enum"},
		{name: "match two keys", edit: [2]string{`{"event": "order.shipped"}`, `{"event": "order.shipped", "type": "x"}`}, pointer: "/x-veil-match", msg: "names one top-level key"},
		{name: "match value twice", edit: [2]string{`{"event": "order.shipped"}`, `{"event": ["order.shipped", "order.shipped"]}`}, pointer: "/x-veil-match/event/1", msg: "listed twice"},
		{name: "match taken", edit: [2]string{`{"event": "order.shipped"}`, `{"event": ["order.shipped", "message.sent"]}`}, pointer: "/x-veil-match", msg: "already selects urn:veil:schema:conversation.message"},
		{name: "same $id twice", extra: userSchema, pointer: "/$id", msg: "also the $id of"},
		{name: "example not selected", edit: [2]string{`"examples": [{"event": "order.shipped",`, `"examples": [{"event": "order.created",`}, pointer: "/examples/0", msg: "no schema selects the example"},
		{name: "example invalid", edit: [2]string{`{"email": "ada@example.org"}`, `{"email": 42}`}, pointer: "/examples/0", msg: "buyer.email: wrong JSON type"},
		{name: "example missing required", file: strings.Replace(strings.Replace(userSchema, `"required": ["event"]`, `"required": ["event", "buyer"]`, 1), `, "buyer": {"email": "ada@example.org"}`, ``, 1), pointer: "/examples/0", msg: "buyer: required member missing"},
		{name: "ref missing", edit: [2]string{`"buyer": {"type": "object", "properties": {`, `"ctx": {"$ref": "urn:veil:schema:segment.common#/$defs/nope"}, "buyer": {"type": "object", "properties": {`}, pointer: "/properties/ctx/$ref", msg: "does not exist"},
		{name: "ref unknown file", edit: [2]string{`"buyer": {"type": "object", "properties": {`, `"ctx": {"$ref": "urn:nope#/$defs/x"}, "buyer": {"type": "object", "properties": {`}, pointer: "/properties/ctx/$ref", msg: "not loaded"},
		{name: "ref not into $defs", edit: [2]string{`"buyer": {"type": "object", "properties": {`, `"ctx": {"$ref": "#/properties/event"}, "buyer": {"type": "object", "properties": {`}, pointer: "/properties/ctx/$ref", msg: "must point into $defs"},
		{name: "ref with siblings", edit: [2]string{`"buyer": {"type": "object", "properties": {`, `"ctx": {"$ref": "urn:veil:schema:segment.common#/$defs/context", "type": "object"}, "buyer": {"type": "object", "properties": {`}, pointer: "/properties/ctx/type", msg: "beside $ref"},
		{name: "ref to other file", edit: [2]string{`"buyer": {"type": "object", "properties": {`, `"ctx": {"$ref": "urn:veil:schema:segment.common#/$defs/context"}, "buyer": {"type": "object", "properties": {`}},
		{name: "circular ref", file: strings.Replace(userSchema, `"buyer": {"type": "object", "properties": {`, `"node": {"$ref": "#/$defs/node"}, "buyer": {"type": "object", "properties": {`, 1) + "\n",
			extra: "", pointer: "", msg: ""}, // completed below
		{name: "library with a stray keyword", file: `{"$id": "urn:acme:lib", "$defs": {}, "required": ["x"]}`, pointer: "/required", msg: "needs a schema at the top level"},
		{name: "bad $defs entry", file: `{"$id": "urn:acme:lib", "$defs": {"a": {"type": "string"}}}`, pointer: "/$defs/a", msg: "x-pii is required"},
		{name: "top level not an object schema", edit: [2]string{`"type": "object",`, `"type": "array", "items": {"type": "string", "x-pii": {"category": "non_personal"}},`}, pointer: "/type", msg: `"type": "object"`},
	} {
		if tc.name == "circular ref" {
			tc.file = strings.Replace(tc.file, `"examples"`, `"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}}, "examples"`, 1)
			tc.pointer, tc.msg = "/$defs/node/properties/next/$ref", "circular $ref"
		}
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = userSchema
				if tc.edit[0] != "" {
					if !strings.Contains(file, tc.edit[0]) {
						t.Fatalf("edit %q does not apply", tc.edit[0])
					}
					file = strings.Replace(file, tc.edit[0], tc.edit[1], 1)
				}
			}
			fsys := fstest.MapFS{"user/order.json": {Data: []byte(file)}}
			if tc.extra != "" {
				fsys["user/x.json"] = &fstest.MapFile{Data: []byte(tc.extra)}
			}
			r, err := schemas.Load(fsys, "user")
			if tc.msg == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if r == nil {
					t.Fatal("nil registry")
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.msg)
			}
			var found bool
			for _, e := range flatten(err) {
				var se *schemas.SchemaError
				if !errors.As(e, &se) {
					t.Errorf("error %v is not a *SchemaError", e)
					continue
				}
				if strings.HasPrefix(se.File, "user/") && se.Pointer == tc.pointer && strings.Contains(se.Error(), tc.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("error\n%v\nwant user/…#%s: …%s…", err, tc.pointer, tc.msg)
			}
		})
	}
}

// flatten unwraps errors.Join.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func TestLoadReportsManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"$id": "urn:acme:many", "x-veil-match": {"event": "many"}, "type": "object", "properties": {"event": {"type": "string", "x-pii": {"category": "non_personal"}}`)
	for i := 0; i < 80; i++ {
		b.WriteString(`, "f` + strings.Repeat("x", i) + `": {"type": "string"}`)
	}
	b.WriteString(`}}`)
	_, err := schemas.Load(fstest.MapFS{"m.json": {Data: []byte(b.String())}}, ".", schemas.WithoutBuiltin())
	errs := flatten(err)
	if len(errs) != 51 || !strings.Contains(errs[50].Error(), "too many problems") {
		t.Errorf("%d errors, last %v", len(errs), errs[len(errs)-1])
	}
}

func TestEmbeddedFilesAreTheRegistry(t *testing.T) {
	// Every embedded file loads on its own terms: Load over an empty
	// directory is Default.
	r, err := schemas.Load(fstest.MapFS{"empty": {Mode: fs.ModeDir}}, "empty")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Schemas()) != len(registry(t).Schemas()) {
		t.Errorf("%d schemas, Default has %d", len(r.Schemas()), len(registry(t).Schemas()))
	}
}
