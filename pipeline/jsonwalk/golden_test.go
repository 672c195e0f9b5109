package jsonwalk

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/events")

// goldenPolicy stands in for veil's sanitizer: it drops, generalizes and
// replaces members the way a policy would, by key, path and content.
func goldenPolicy() Func {
	var path, out []byte
	return func(p *Path, v *Value) (Decision, []byte) {
		path = p.AppendTo(path[:0])
		key := string(p.Last().Key)
		switch {
		case key == "firstName" || key == "lastName" || key == "phone" || key == "password" ||
			key == "userId" || key == "anonymousId" || key == "cookies" || key == "transcript" ||
			key == "text" || key == "city" || string(path) == "context.traits.name":
			return Drop, nil
		case string(path) == "traits.company":
			return Replace, []byte(`"[employer]"`)
		case string(path) == "properties.nested":
			return Replace, []byte(`{"elided":true}`)
		case key == "ip" && v.Kind == String:
			if dot := bytes.LastIndexByte(v.Str, '.'); dot >= 0 {
				out = append(AppendString(out[:0], v.Str[:dot+1])[:dot+2], '0', '"')
				return Replace, out
			}
			return Replace, []byte(`null`)
		case key == "postalCode" && v.Kind == String:
			return Replace, AppendString(out[:0], v.Str[:min(2, len(v.Str))])
		case key == "age" && v.Kind == Number:
			age, err := strconv.Atoi(string(v.Raw))
			if err != nil {
				return Drop, nil
			}
			out = strconv.AppendInt(append(out[:0], '"'), int64(age/10*10), 10)
			out = strconv.AppendInt(append(out, '-'), int64(age/10*10+9), 10)
			return Replace, append(out, '"')
		case v.Kind == String && bytes.IndexByte(v.Str, '@') >= 0:
			return Replace, []byte(`"[email]"`)
		}
		return Keep, nil
	}
}

func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	var r Rewriter
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.Rewrite(nil, src, goldenPolicy())
			if err != nil {
				t.Fatalf("Rewrite: %v", err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(in, ".json") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s:\ngot  %s\nwant %s", golden, got, want)
			}
		})
	}
}
