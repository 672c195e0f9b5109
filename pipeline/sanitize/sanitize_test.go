package sanitize

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/pack"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

var update = flag.Bool("update", false, "rewrite golden files")

var (
	engOnce sync.Once
	engScan Scanner
	engErr  error
)

// scanner is the real classifier: the built-in pack with validators and
// name dictionaries.
func scanner(t testing.TB) Scanner {
	t.Helper()
	engOnce.Do(func() {
		e, _, err := pack.Load(pack.Config{})
		engScan, engErr = e, err
	})
	if engErr != nil {
		t.Fatal(engErr)
	}
	return engScan
}

func newTestSanitizer(t testing.TB, purpose policy.Purpose, mod func(*Config)) *Sanitizer {
	t.Helper()
	kr, err := actions.NewMemoryKeyring(actions.RotateDay)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Purpose:    purpose,
		Policy:     policy.Default(),
		Scanner:    scanner(t),
		Keys:       KeyNames,
		Pseudonyms: actions.NewPseudonymizer(kr),
		Now:        func() time.Time { return time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC) },
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSanitizeFields(t *testing.T) {
	s := newTestSanitizer(t, policy.ProductImprovement, nil)
	for _, tc := range []struct {
		name, in string
		want     map[string]any // path → expected value; nil means absent
	}{
		{"identity and contact dropped", `{"event":"signup","full_name":"Jane Doe","email":"jane@example.com","plan":"pro"}`,
			map[string]any{"event": "signup", "full_name": nil, "email": nil, "plan": "pro"}},
		{"ip generalized", `{"context":{"ip":"203.0.113.77"}}`, map[string]any{"context.ip": "203.0.113.0/24"}},
		{"postal generalized", `{"geo":{"country":"US","postal_code":"94107","city":"San Francisco"}}`,
			map[string]any{"geo.country": "US", "geo.postal_code": "941", "geo.city": nil}},
		{"url path slug naming a person", `{"page":{"url":"https://example.com/team/jane-doe","path":"/u/Maria_Garcia-1985/settings","referrer":"https://example.com/docs/getting-started"}}`,
			map[string]any{"page.url": "https://example.com/team/:id", "page.path": "/u/:id/settings", "page.referrer": "https://example.com/docs/getting-started"}},
		{"url query stripped", `{"page":{"url":"https://example.com/pricing?email=jane%40example.com"}}`,
			map[string]any{"page.url": "https://example.com/pricing"}},
		{"conversation dropped, counts kept", `{"message":{"text":"hi, I am Jane Doe","length":17}}`,
			map[string]any{"message.text": nil, "message.length": 17.0}},
		{"unknown free text scrubbed", `{"zz_blob":"write to jane@example.com today"}`,
			map[string]any{"zz_blob": "write to [EMAIL_ADDRESS] today"}},
		{"unknown whole value by content", `{"zz_contact":"jane@example.com","zz_a1":"198.51.100.23"}`,
			map[string]any{"zz_contact": nil, "zz_a1": "198.51.100.0/24"}},
		{"unknown random id dropped", `{"zz_ref":"c7981962-0648-43f0-8d83-2049d488aa2d","zz_state":"open"}`,
			map[string]any{"zz_ref": nil, "zz_state": "open"}},
		{"number holding a card", `{"zz_n":4111111111111111,"count":12}`, map[string]any{"zz_n": nil, "count": 12.0}},
		{"key carrying an email", `{"counts":{"jane@example.com":3,"web":4}}`,
			map[string]any{"counts.jane@example.com": nil, "counts.web": 4.0}},
		{"secrets dropped", `{"password":"hunter2hunter2","headers":{"authorization":"Bearer abc"}}`,
			map[string]any{"password": nil, "headers.authorization": nil}},
		{"name/value pairs", `{"fields":[{"name":"email","value":"jane@example.com"},{"name":"plan","value":"pro"}]}`,
			map[string]any{"fields[0].value": nil, "fields[1].value": "pro"}},
		{"typed pair values (GA4 event_params)", `{"event_params":[{"key":"first_name","value":{"string_value":"Anna"}},{"key":"page_location","value":{"string_value":"https://shop.example.com/a?ref=x"}},{"key":"engagement_time_msec","value":{"int_value":1234}}]}`,
			map[string]any{"event_params[0].value.string_value": nil, "event_params[1].value.string_value": "https://shop.example.com/a", "event_params[2].value.int_value": 1234.0}},
		{"pair names that are field names kept", `{"user_properties":[{"key":"customer_email","value":{"string_value":"ana@example.es"}},{"key":"plan","value":{"string_value":"pro"}}],"fields":[{"name":"phone","value":"+33 6 12 34 56 78"}],"people":[{"name":"Jane Doe"}]}`,
			map[string]any{"user_properties[0].key": "customer_email", "user_properties[0].value.string_value": nil, "user_properties[1].key": "plan", "user_properties[1].value.string_value": "pro", "fields[0].name": "phone", "fields[0].value": nil, "people[0].name": nil}},
		{"pair value arrays", `{"attrs":[{"name":"emails","value":["a@example.com","b@example.com"]},{"name":"tags","value":["x"]}]}`,
			map[string]any{"attrs[0].value[0]": nil, "attrs[1].value[0]": "x"}},
		{"reserved $ properties", `{"properties":{"$name":"Bob Stone","$email":"bob@example.com","plan":"pro"}}`,
			map[string]any{"properties.$name": nil, "properties.$email": nil, "properties.plan": "pro"}},
		{"age banded", `{"traits":{"age":37}}`, map[string]any{"traits.age": "35-44"}},
		{"base64 hiding a phone number", `{"event":"Q2FsbCBtZSBvbiArNDQgMjAgNzk0NiAwOTU4","kind":"cGhvbmU6ICs0NCAyMCA3OTQ2IDA5NTg="}`,
			map[string]any{"event": nil, "kind": nil}},
		{"base64 text without personal data kept", `{"event":"cHJpY2luZyBwYWdlIHZpc2l0ZWQ="}`,
			map[string]any{"event": "cHJpY2luZyBwYWdlIHZpc2l0ZWQ="}},
		{"user agent generalized", `{"context":{"userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.110 Safari/537.36"}}`,
			map[string]any{"context.userAgent": "Chrome 120 / Windows"}},
		{"kept navigation", `{"type":"page","timestamp":"2025-03-03T08:00:00Z","properties":{"path":"/pricing","duration_ms":1200}}`,
			map[string]any{"type": "page", "timestamp": "2025-03-03T08:00:00Z", "properties.path": "/pricing", "properties.duration_ms": 1200.0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := s.Sanitize(nil, []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			for path, want := range tc.want {
				v, ok := lookup(got, path)
				if want == nil {
					if ok {
						t.Errorf("%s = %v, want it removed (out %s)", path, v, out)
					}
					continue
				}
				if !ok || v != want {
					t.Errorf("%s = %v (present %v), want %v (out %s)", path, v, ok, want, out)
				}
			}
		})
	}
}

// lookup follows a dotted path with [i] indices; keys may contain '@'.
func lookup(v any, path string) (any, bool) {
	for _, part := range splitPath(path) {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[part]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func splitPath(p string) []string {
	var out []string
	for _, seg := range strings.Split(strings.ReplaceAll(p, "[", ".["), ".") {
		if seg == "" {
			continue
		}
		out = append(out, strings.Trim(seg, "[]"))
	}
	// "counts.jane@example.com" splits at the dot in the domain: join back
	// segments after a segment containing '@'.
	for i := 0; i < len(out); i++ {
		if strings.Contains(out[i], "@") && i+1 < len(out) {
			out[i] = strings.Join(out[i:], ".")
			out = out[:i+1]
		}
	}
	return out
}

func TestMalformedEvents(t *testing.T) {
	s := newTestSanitizer(t, policy.ProductImprovement, func(c *Config) { c.MaxDepth = 8; c.MaxBytes = 1 << 10 })
	for _, tc := range []struct{ name, in, want string }{
		{"not json", `hello jane@example.com`, "line 1"},
		{"not an object", `["jane@example.com"]`, "not a JSON object"},
		{"truncated", `{"email":"jane@exa`, "line 1"},
		{"invalid utf-8", "{\"n\":\"\xff\xfe\"}", "UTF-8"},
		{"too deep", strings.Repeat(`{"a":`, 10) + "1" + strings.Repeat("}", 10), "depth"},
		{"too large", `{"a":"` + strings.Repeat("x", 2000) + `"}`, "exceeds the limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := []byte("prefix")
			out, err := s.Sanitize(dst, []byte(tc.in))
			if err == nil {
				t.Fatalf("accepted %q as %s", tc.in, out)
			}
			if string(out) != "prefix" {
				t.Errorf("dst changed on error: %q", out)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "jane") {
				t.Errorf("error echoes the input: %v", err)
			}
		})
	}
	var le *jsonwalk.LimitError
	_, err := s.Sanitize(nil, []byte(strings.Repeat(`{"a":`, 10)+"1"+strings.Repeat("}", 10)))
	if !errors.As(err, &le) || !errors.Is(err, jsonwalk.ErrTooDeep) {
		t.Errorf("too deep: %v is not a *jsonwalk.LimitError wrapping ErrTooDeep", err)
	}
}

func TestTagOnlyChangesNothing(t *testing.T) {
	s := newTestSanitizer(t, policy.ProductImprovement, func(c *Config) { c.TagOnly = true })
	in := `{"email":"jane@example.com","context":{"ip":"203.0.113.77"},"plan":"pro","counts":{"bob@example.org":2}}`
	out, err := s.Sanitize(nil, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("tag-only changed the event: %s", out)
	}
	var got []string
	for _, a := range s.Applied() {
		got = append(got, string(a.Path)+":"+string(a.Type)+":"+string(a.Action))
	}
	if want := "email:EMAIL_ADDRESS:drop context.ip:IP_ADDRESS:generalize counts.*:EMAIL_ADDRESS:drop"; strings.Join(got, " ") != want {
		t.Errorf("applied = %v, want %s", got, want)
	}
}

func TestHashRotatesAndShreds(t *testing.T) {
	kr, err := actions.NewMemoryKeyring(actions.RotateDay)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	now := day
	s := newTestSanitizer(t, policy.Security, func(c *Config) {
		c.Pseudonyms = actions.NewPseudonymizer(kr)
		c.CustomerKeys = []string{"workspace_id"}
		c.Now = func() time.Time { return now }
	})
	ev := []byte(`{"workspace_id":"ws1","context":{"ip":"203.0.113.77"}}`)
	get := func() string {
		out, err := s.Sanitize(nil, ev)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(out, &m)
		v, _ := lookup(m, "context.ip")
		s, _ := v.(string)
		return s
	}
	a, b := get(), get()
	if !strings.HasPrefix(a, actions.PseudonymPrefix) || a != b {
		t.Fatalf("same day pseudonyms %q, %q: want equal p1. pseudonyms", a, b)
	}
	now = day.Add(24 * time.Hour)
	if c := get(); c == a || c == "" {
		t.Errorf("next day pseudonym %q equals the first day's %q", c, a)
	}
	kr.Destroy("ws1")
	if d := get(); d != "" {
		t.Errorf("after crypto-shredding the value came out as %q, want it dropped", d)
	}
}

// TestGolden sanitizes the events in testdata/*.in.jsonl and compares with
// the .golden files (go test -update rewrites them).
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.in.jsonl")
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	s := newTestSanitizer(t, policy.ProductImprovement, nil)
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		for _, line := range bytes.Split(bytes.TrimSpace(in), []byte("\n")) {
			out, err := s.Sanitize(nil, line)
			if err != nil {
				got.WriteString("error: " + err.Error() + "\n")
				continue
			}
			got.Write(out)
			got.WriteByte('\n')
		}
		golden := strings.TrimSuffix(f, ".in.jsonl") + ".golden"
		if *update {
			os.WriteFile(golden, got.Bytes(), 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s differs from %s:\n%s", f, golden, got.String())
		}
	}
}

func TestSchemas(t *testing.T) {
	reg, err := schemas.Default()
	if err != nil {
		t.Fatal(err)
	}
	strict := newTestSanitizer(t, policy.Marketing, func(c *Config) { c.Schemas = reg; c.RejectViolations = true })
	out, err := strict.Sanitize(nil, []byte(`{"type":"page","name":"Pricing","properties":{"path":"/pricing"},"zz_custom":"kept?"}`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "zz_custom") || !strings.Contains(string(out), `"path":"/pricing"`) {
		t.Errorf("strict purpose: %s", out)
	}
	if _, err := strict.Sanitize(nil, []byte(`{"type":"no-such-call","x":1}`)); err == nil || !strings.Contains(err.Error(), "no schema selects") {
		t.Errorf("unknown event type under a strict purpose: %v", err)
	}
	if _, err := strict.Sanitize(nil, []byte(`{"type":"page","context":{"locale":42}}`)); err == nil || !strings.HasPrefix(err.Error(), "schema:") {
		t.Errorf("schema violation: %v", err)
	}
	lenient := newTestSanitizer(t, policy.ProductImprovement, func(c *Config) { c.Schemas = reg })
	if _, err := lenient.Sanitize(nil, []byte(`{"type":"page","context":{"locale":42}}`)); err != nil {
		t.Errorf("violations must only classify when not rejected: %v", err)
	}
	if _, err := New(Config{Purpose: policy.Marketing, Policy: policy.Default(), Scanner: scanner(t)}); err == nil {
		t.Error("a strict purpose without schemas must be refused")
	}
}

// slowScanner fails every scan the way a timed-out rule does.
type slowScanner struct{}

func (slowScanner) Scan(string, []classifiers.Finding) ([]classifiers.Finding, error) {
	return nil, errors.New("engine: rule x.slow (rules.yaml:3): match timeout: value unclassifiable")
}

func TestUnclassifiable(t *testing.T) {
	ev := []byte(`{"zz_blob":"some text","plan":"pro"}`)
	s := newTestSanitizer(t, policy.ProductImprovement, func(c *Config) { c.Scanner = slowScanner{} })
	out, err := s.Sanitize(nil, ev)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "some text") || !strings.Contains(string(out), `"plan":"pro"`) {
		t.Errorf("fail closed: %s", out)
	}
	r := newTestSanitizer(t, policy.ProductImprovement, func(c *Config) { c.Scanner = slowScanner{}; c.RejectUnclassifiable = true })
	if _, err := r.Sanitize(nil, ev); err == nil || !strings.HasPrefix(err.Error(), "unclassifiable: zz_blob: ") || strings.Contains(err.Error(), "some text") {
		t.Errorf("reject: %v", err)
	}
}

// TestDiscardApplied checks that discarding the record of actions changes
// no output, and that tag-only mode refuses it.
func TestDiscardApplied(t *testing.T) {
	keep := newTestSanitizer(t, policy.ProductImprovement, nil)
	discard := newTestSanitizer(t, policy.ProductImprovement, func(c *Config) { c.DiscardApplied = true })
	in, err := os.ReadFile("testdata/segment.in.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	in = append(in, []byte(`{"counts":{"jane@example.com":3},"zz_blob":"write to jane@example.com"}`+"\n")...)
	for i, line := range bytes.Split(bytes.TrimSpace(in), []byte("\n")) {
		a, errA := keep.Sanitize(nil, line)
		b, errB := discard.Sanitize(nil, line)
		if !bytes.Equal(a, b) || (errA == nil) != (errB == nil) {
			t.Fatalf("line %d: %s (%v) with the record, %s (%v) without", i+1, a, errA, b, errB)
		}
		if len(keep.Applied()) == 0 {
			t.Fatalf("line %d: nothing applied, the test needs events that are acted on", i+1)
		}
		if n := len(discard.Applied()); n != 0 {
			t.Fatalf("line %d: %d actions recorded with DiscardApplied", i+1, n)
		}
	}
	cfg := Config{Purpose: policy.ProductImprovement, Policy: policy.Default(), Scanner: scanner(t), TagOnly: true, DiscardApplied: true}
	if err := cfg.Validate(); err == nil {
		t.Fatal("Validate accepted TagOnly with DiscardApplied")
	}
}
