package schemas_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/schemas"
)

// strictSchema closes the event and one object, and requires members at
// the top, in an object and in array elements.
const strictSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:test:strict",
  "x-veil-match": {"kind": "strict"},
  "type": "object",
  "additionalProperties": false,
  "required": ["kind", "name"],
  "properties": {
    "kind": {"type": "string", "x-pii": {"category": "non_personal"}},
    "name": {"type": "string", "x-pii": {"category": "identity", "type": "PERSON"}},
    "meta": {"type": "object", "x-pii": {"category": "non_personal"}},
    "closed": {"type": "object", "additionalProperties": false, "properties": {
      "a": {"type": "integer", "x-pii": {"category": "non_personal"}}
    }},
    "counts": {"type": "object", "additionalProperties": {"type": "integer", "x-pii": {"category": "non_personal"}}},
    "items": {"type": "array", "items": {"type": "object", "required": ["sku"], "properties": {
      "sku": {"type": "string", "x-pii": {"category": "non_personal"}},
      "qty": {"type": "integer", "x-pii": {"category": "non_personal"}}
    }}}
  },
  "examples": [{"kind": "strict", "name": "Ada Lovelace", "items": [{"sku": "A-1", "qty": 2}]}]
}`

func strictRegistry(t testing.TB) *schemas.Registry {
	t.Helper()
	fsys := fstest.MapFS{"s/strict.json": {Data: []byte(strictSchema)}}
	r, err := schemas.Load(fsys, "s", schemas.WithoutBuiltin())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

func TestValidatorViolations(t *testing.T) {
	r := strictRegistry(t)
	v := r.NewValidator()
	for _, tc := range []struct {
		event  string
		reason schemas.Reason // 0: valid
		path   string
	}{
		{`{"kind":"strict","name":"Ada"}`, 0, ""},
		{`{"name":"Ada","kind":"strict","meta":{"x":{"y":[1,"secret"]}}}`, 0, ""},
		{`{"kind":"strict","name":"Ada","items":[{"sku":"A"},{"sku":"B","qty":1}]}`, 0, ""},
		{`{"kind":"strict","name":"Ada","counts":{"a":1,"b":2}}`, 0, ""},
		{`{"kind":"strict"}`, schemas.ReasonRequired, "name"},
		{`{"kind":"strict","name":"Ada","items":[{"qty":1}]}`, schemas.ReasonRequired, "items[].sku"},
		{`{"kind":"strict","name":"Ada","items":[{"sku":"A"},{"qty":1},{"sku":"C"}]}`, schemas.ReasonRequired, "items[].sku"},
		{`{"kind":"strict","name":"Ada","items":[{"sku":"A"}],"x":1}`, schemas.ReasonAdditional, ""},
		{`{"kind":"strict","name":"Ada","jane@example.org":1}`, schemas.ReasonAdditional, ""},
		{`{"kind":"strict","name":"Ada","closed":{"a":1,"b":2}}`, schemas.ReasonAdditional, "closed"},
		{`{"kind":"strict","name":"Ada","closed":{"a":1.5}}`, schemas.ReasonType, "closed.a"},
		{`{"kind":"strict","name":"Ada","counts":{"a":"x"}}`, schemas.ReasonType, "counts.*"},
		{`{"kind":"strict","name":["Ada"]}`, schemas.ReasonType, "name"},
		// a mismatched container is reported once, not once per member
		{`{"kind":"strict","name":"Ada","closed":[{"b":1}]}`, schemas.ReasonType, "closed"},
		{`{"kind":"strict","name":"Ada","items":{"sku":"A"}}`, schemas.ReasonType, "items"},
		// required members are per object instance, even with duplicates
		{`{"kind":"strict","kind":"strict","name":"Ada"}`, 0, ""},
	} {
		s, ok, err := v.Select([]byte(tc.event))
		if err != nil || !ok {
			t.Fatalf("%s: Select %v %v", tc.event, ok, err)
		}
		err = v.ValidateAs(s, []byte(tc.event))
		if tc.reason == 0 {
			if err != nil {
				t.Errorf("%s: %v", tc.event, err)
			}
			continue
		}
		var ve *schemas.ViolationError
		if !errors.As(err, &ve) || ve.Reason != tc.reason || ve.Path != tc.path {
			t.Errorf("%s: %v, want %v at %q", tc.event, err, tc.reason, tc.path)
			continue
		}
		for _, secret := range []string{"jane", "example.org", "Ada"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: error %q names the event's content", tc.event, err)
			}
		}
	}
}

func TestValidatorMalformedAndUnknown(t *testing.T) {
	v := registry(t).NewValidator()
	if s, err := v.Validate([]byte(`{"event":"order.shipped","id":1}`)); s != nil || err != nil {
		t.Errorf("unknown event: %v %v", s, err)
	}
	for _, ev := range []string{`{"type":"page"`, `[1]`, `{"type":"page"} x`, "{\"type\":\"p\xffge\"}"} {
		if _, err := v.Validate([]byte(ev)); err == nil || errors.Is(err, schemas.ErrViolation) {
			t.Errorf("%q: %v, want a syntax error", ev, err)
		}
	}
	v.SetLimits(3, 0)
	if _, err := v.Validate([]byte(`{"type":"page","context":{"page":{"x":{}}}}`)); err == nil {
		t.Error("depth limit not applied")
	}
}

// TestCheckerWithRewrite drives a Checker from a rewriting callback that
// drops one container, as the sanitizer does with secrets.
func TestCheckerSkip(t *testing.T) {
	r := strictRegistry(t)
	s, _ := r.ByID("urn:test:strict")
	var (
		chk schemas.Checker
		rw  jsonwalk.Rewriter
	)
	event := []byte(`{"kind":"strict","name":"Ada","items":[{"qty":1}],"closed":{"b":2}}`)
	var errs []error
	chk.Reset(s)
	out, err := rw.Rewrite(nil, event, func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
		_, _, verr := chk.Visit(p, v)
		if verr != nil {
			errs = append(errs, verr)
		}
		if p.Len() == 1 && string(p.Last().Key) == "items" || string(p.Last().Key) == "closed" {
			chk.Skip()
			return jsonwalk.Drop, nil
		}
		return jsonwalk.Keep, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ferr := chk.Finish(); ferr != nil {
		errs = append(errs, ferr)
	}
	if len(errs) != 0 {
		t.Errorf("skipped containers reported: %v (output %s)", errs, out)
	}

	// Without Skip the same walk reports both.
	errs = errs[:0]
	chk.Reset(s)
	_ = rw.Walk(event, func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
		if _, _, verr := chk.Visit(p, v); verr != nil {
			errs = append(errs, verr)
		}
		return jsonwalk.Keep, nil
	})
	if ferr := chk.Finish(); ferr != nil {
		errs = append(errs, ferr)
	}
	if len(errs) != 2 {
		t.Errorf("got %v, want the missing sku and the extra member", errs)
	}
}

func TestCheckerFields(t *testing.T) {
	s := schema(t, "segment.identify")
	var (
		chk schemas.Checker
		rw  jsonwalk.Rewriter
		buf []byte
	)
	for _, ex := range s.Examples() {
		chk.Reset(s)
		err := rw.Walk(ex, func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
			f, ok, verr := chk.Visit(p, v)
			if verr != nil {
				t.Errorf("%s: %v", p, verr)
			}
			buf = p.AppendTo(buf[:0])
			want, wok := s.Field(buf)
			if ok != wok || ok && (f.Path != want.Path || f.Category != want.Category || f.Type != want.Type) {
				t.Errorf("%s: Visit %v %+v, Field %v %+v", buf, ok, f, wok, want)
			}
			return jsonwalk.Keep, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := chk.Finish(); err != nil {
			t.Error(err)
		}
	}
	// A Checker that was never reset checks nothing.
	var idle schemas.Checker
	if _, ok, err := idle.Visit(&jsonwalk.Path{}, value(`1`)); ok || err != nil {
		t.Errorf("idle Visit: %v %v", ok, err)
	}
	if err := idle.Finish(); err != nil {
		t.Error(err)
	}
}
