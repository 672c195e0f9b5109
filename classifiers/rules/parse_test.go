package rules

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/veilstream/veil/classifiers"
)

const goodFile = `rules:
  - id: acme.customer
    type: PERSON
    description: ACME customer numbers
    pattern: '\bACME-\d{8}\b'
    validators: [luhn]
    score: 0.6
    priority: 3
    locales: [en, fr]
    context:
      words: [customer, client]
      window: 40
      boost: 0.3
      deny: [test]
    examples:
      match:
        - "customer ACME-12345678 called"
        - text: "id ACME-00000000."
          want: "ACME-00000000"
      no_match: ["ACME-1234"]
  - id: acme.off
    disabled: true
`

func TestParseGood(t *testing.T) {
	rs, err := Parse("acme.yaml", []byte(goodFile), WithValidators(func(n string) bool { return n == "luhn" }))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("got %d rules, want 2", len(rs))
	}
	r := rs[0]
	if r.ID != "acme.customer" || r.Type != classifiers.Person || r.Score != 0.6 || r.Priority != 3 {
		t.Errorf("rule fields: %+v", r)
	}
	if r.Context.Window != 40 || r.Context.Boost != 0.3 || len(r.Context.Words) != 2 || r.Context.Deny[0] != "test" {
		t.Errorf("context: %+v", r.Context)
	}
	if len(r.Examples.Match) != 2 || r.Examples.Match[1].Want != "ACME-00000000" || r.Examples.Match[1].Line != 18 {
		t.Errorf("examples: %+v", r.Examples)
	}
	if r.Source.Line != 2 || r.Source.File != "acme.yaml" {
		t.Errorf("source: %v", r.Source)
	}
	if !rs[1].Disabled {
		t.Errorf("second rule should be disabled")
	}
}

func TestParseErrors(t *testing.T) {
	base := "rules:\n  - id: x.y\n    type: EMAIL_ADDRESS\n    pattern: 'a@b'\n    score: 0.5\n    examples: {match: [a@b]}\n"
	for _, tc := range []struct {
		name, file, want string
		line             int
	}{
		{"not yaml", "rules: [", "not valid YAML", 1},
		{"top level", "rule: []", `unknown top-level key "rule"`, 1},
		{"not a list", "rules: {}", "must be a list", 1},
		{"unknown key", base + "    colour: red\n", `unknown key "colour"`, 7},
		{"bad type", strings.Replace(base, "EMAIL_ADDRESS", "EMAIL", 1), "unknown entity type", 3},
		{"bad pattern", strings.Replace(base, "'a@b'", "'a(b'", 1), "pattern does not compile", 2},
		{"bad score", strings.Replace(base, "0.5", "1.5", 1), "score 1.5", 2},
		{"no examples", strings.Replace(base, "    examples: {match: [a@b]}\n", "", 1), "examples.match", 2},
		{"unknown validator", base + "    validators: [nope]\n", `unknown validator "nope"`, 2},
		{"bad id", strings.Replace(base, "x.y", "X Y", 1), "id \"X Y\"", 2},
		{"dup id", base + strings.TrimPrefix(base, "rules:\n"), "duplicate rule id", 7},
		{"bad group", base + "    group: 2\n", "group 2", 2},
		{"required without words", base + "    context: {required: true}\n", "context.required", 2},
		{"want not in text", strings.Replace(base, "{match: [a@b]}", "{match: [{text: a@b, want: zz}]}", 1), "want is not part", 6},
		{"score not a number", strings.Replace(base, "0.5", "high", 1), "score", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tc.file), WithValidators(func(string) bool { return false }))
			if err == nil {
				t.Fatal("want an error")
			}
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not *Error", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if re.Source.Line != tc.line || re.Source.File != "f.yaml" {
				t.Errorf("error at %v, want f.yaml:%d (%v)", re.Source, tc.line, err)
			}
		})
	}
}

func TestLoadDirAndMerge(t *testing.T) {
	rule := func(id string) string {
		return "  - id: " + id + "\n    type: URL\n    pattern: 'x'\n    score: 0.5\n    examples: {match: [x]}\n"
	}
	fsys := fstest.MapFS{
		"r/b.yaml":   {Data: []byte("rules:\n" + rule("b.one"))},
		"r/a.yml":    {Data: []byte("rules:\n" + rule("a.one") + rule("a.two"))},
		"r/note.txt": {Data: []byte("ignored")},
	}
	rs, err := LoadDir(fsys, "r")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	if got := strings.Join(ids, ","); got != "a.one,a.two,b.one" {
		t.Errorf("load order %s", got)
	}

	fsys["r/c.yaml"] = &fstest.MapFile{Data: []byte("rules:\n" + rule("a.one"))}
	if _, err := LoadDir(fsys, "r"); err == nil || !strings.Contains(err.Error(), "r/c.yaml:2") {
		t.Errorf("duplicate across files: %v", err)
	}

	overlay := []Rule{{ID: "a.two", Disabled: true}, {ID: "b.one", Type: classifiers.Secret}, {ID: "z.new", Type: classifiers.URL}}
	merged, err := Merge(rs, overlay)
	if err != nil {
		t.Fatal(err)
	}
	ids = ids[:0]
	for _, r := range merged {
		ids = append(ids, r.ID+":"+string(r.Type))
	}
	if got := strings.Join(ids, ","); got != "a.one:URL,b.one:SECRET,z.new:URL" {
		t.Errorf("merged %s", got)
	}
	if _, err := Merge(rs, []Rule{{ID: "nope", Disabled: true}}); err == nil {
		t.Error("disabling an unknown id must fail")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(goodFile))
	f.Add([]byte("rules: [{id: a}]"))
	f.Add([]byte("rules:\n  - id: a\n    type: URL\n    pattern: '(?<=x)y'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := Parse("fuzz.yaml", data)
		if err != nil {
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not *Error", err)
			}
			if rs != nil {
				t.Fatal("rules returned with an error: a file must never be half-loaded")
			}
			return
		}
		for _, r := range rs {
			if r.ID == "" || (!r.Disabled && (r.Pattern == "" || !r.Type.Valid())) {
				t.Fatalf("accepted an incomplete rule %+v", r)
			}
		}
	})
}
