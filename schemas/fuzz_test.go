package schemas_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/veilstream/veil/schemas"
)

// FuzzLoad loads a mutated schema file beside the embedded platform
// library (without the other embedded schemas, and from small seeds, to
// keep each run short: the fuzzer minimizes every new input by running it
// thousands of times; -fuzzminimizetime=1s shortens that further). Load
// must not panic, every problem it reports must name a file, and a registry
// it returns must validate its own examples.
func FuzzLoad(f *testing.F) {
	lib, err := os.ReadFile(filepath.Join("events", "platform.common.json"))
	if err != nil {
		f.Fatal(err)
	}
	daily, err := os.ReadFile(filepath.Join("events", "usage.daily.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(daily)
	f.Add([]byte(userSchema))
	f.Add([]byte(strictSchema))
	f.Add([]byte(`{"$id":"urn:x","x-veil-match":{"e":["x","y"]},"type":"object","required":["e"],"properties":{"e":{"type":"string","enum":["x","y"],"x-pii":{"category":"non_personal"}},"c":{"$ref":"urn:veil:schema:platform.common#/$defs/actor"},"n":{"type":["integer","null"],"x-pii":{"category":"demographics","type":"AGE"}}},"examples":[{"e":"x","c":{"email":"a@example.org"},"n":3}]}`))
	f.Add([]byte(`{"$id":"urn:x","$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"x-veil-match":{"e":"x"},"type":"object","properties":{"e":{"$ref":"#/$defs/a"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"user/f.json": {Data: data}, "user/lib.json": {Data: lib}}
		r, err := schemas.Load(fsys, "user", schemas.WithoutBuiltin())
		if err != nil {
			for _, e := range flatten(err) {
				var se *schemas.SchemaError
				if errors.As(e, &se) {
					if se.File == "" {
						t.Fatalf("error names no file: %v", se)
					}
					continue
				}
				if !strings.Contains(e.Error(), "too many problems") {
					t.Fatalf("error is not a *SchemaError: %v", e)
				}
			}
			return
		}
		v := r.NewValidator()
		for _, s := range r.Schemas() {
			for _, ex := range s.Examples() {
				if _, err := v.Validate(ex); err != nil {
					t.Fatalf("%s: its own example fails after Load: %v", s.ID(), err)
				}
			}
		}
	})
}

// FuzzField looks up arbitrary paths: no panic, and a field's own path
// finds the field again.
func FuzzField(f *testing.F) {
	for _, p := range []string{"context.traits.email", "properties.products[3].price", "integrations.x", "fields[0].value", "a..b", "[", "x[1][2].y", "channels.*"} {
		f.Add(p)
	}
	r := registry(f)
	f.Fuzz(func(t *testing.T, path string) {
		for _, s := range r.Schemas() {
			fd, ok := s.Field([]byte(path))
			_ = s.AdditionalAllowed([]byte(path))
			_ = s.CheckValue([]byte(path), value(`"x"`))
			if !ok {
				continue
			}
			again, ok := s.Field([]byte(fd.Path))
			if !ok || again.Path != fd.Path || again.Category != fd.Category {
				t.Fatalf("%s: Field(%q) = %q, but Field(%q) = %v %q", s.ID(), path, fd.Path, fd.Path, ok, again.Path)
			}
		}
	})
}

// FuzzValidate checks arbitrary events: no panic, and a violation names a
// path of the schema, never something taken from the event.
func FuzzValidate(f *testing.F) {
	r := registry(f)
	for _, s := range r.Schemas() {
		for _, ex := range s.Examples() {
			f.Add([]byte(ex))
		}
	}
	f.Add([]byte(`{"type":"page","context":{"ip":{"jane@example.org":1}}}`))
	f.Add([]byte(`{"event":"form_submitted","fields":"x"}`))
	v := r.NewValidator()
	f.Fuzz(func(t *testing.T, event []byte) {
		s, err := v.Validate(event)
		var ve *schemas.ViolationError
		if !errors.As(err, &ve) {
			return
		}
		if s == nil || ve.Schema != s.ID() {
			t.Fatalf("violation of %q from schema %v", ve.Schema, s)
		}
		if ve.Path == "" || slices.Contains(s.Required(), ve.Path) {
			return
		}
		if _, ok := s.Field([]byte(ve.Path)); !ok {
			t.Fatalf("violation path %q is not a path of %s", ve.Path, s.ID())
		}
	})
}
