package jsonwalk

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"testing"
)

// FuzzRewrite checks, for any input: no panic; acceptance exactly when
// encoding/json (plus the documented differences) says the input is a valid
// object; keep-all output equal to encoding/json.Compact; output valid JSON
// under arbitrary drops and replacements; dst untouched on error; error text
// from the fixed vocabulary only.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1}`, ` {"a" : [1, 2, {"b": null}], "c": "x\u00e9\ud800"} `,
		`{"a":01}`, `{"a":"\q"}`, `[1]`, `{"a":1}}`, `{"a":{"b":[true,false]}}`,
		"{\"a\":\"\xff\"}", `{"a":-0.5e+3,"b":1E2}`, `{"a":"` + "long string with \\n and \\t" + `"}`,
		string(benchEvent()),
	} {
		f.Add([]byte(s))
	}
	var r Rewriter
	repl := map[int][]byte{0: []byte(`null`), 1: []byte(`"[redacted]"`), 2: []byte(`{"k":[1,2]}`), 3: []byte(`[]`)}
	f.Fuzz(func(t *testing.T, in []byte) {
		valid := wantValid(in, DefaultMaxDepth)
		dst := []byte("dst")
		out, err := r.Rewrite(dst, in, keepAll)
		if (err == nil) != valid {
			t.Fatalf("Rewrite err = %v, encoding/json oracle says valid = %v", err, valid)
		}
		if werr := r.Walk(in, keepAll); (werr == nil) != (err == nil) {
			t.Fatalf("Walk err = %v, Rewrite err = %v", werr, err)
		}
		if err != nil {
			checkErrorText(t, err)
			if string(out) != "dst" {
				t.Fatalf("dst = %q after error", out)
			}
			return
		}
		if want := append([]byte("dst"), compactJSON(t, in)...); !bytes.Equal(out, want) {
			t.Fatalf("keep-all output\n%s\nwant\n%s", out, want)
		}
		if !bytes.Equal(decodeAny(t, out[3:]), decodeAny(t, in)) {
			t.Fatalf("keep-all output decodes differently")
		}

		// Drop or replace members chosen by a hash of their path.
		var path []byte
		out, err = r.Rewrite(nil, in, func(p *Path, v *Value) (Decision, []byte) {
			path = p.AppendTo(path[:0])
			h := fnv.New32a()
			h.Write(path)
			switch x := int(h.Sum32() % 16); {
			case x < 3:
				return Drop, nil
			case x < 7:
				return Replace, repl[x-3]
			}
			return Keep, nil
		})
		if err != nil {
			t.Fatalf("rewrite with decisions: %v", err)
		}
		if !json.Valid(out) || out[0] != '{' {
			t.Fatalf("rewrite with decisions produced invalid JSON %q", out)
		}
	})
}

// decodeAny returns the canonical re-encoding of a JSON document.
func decodeAny(t *testing.T, in []byte) []byte {
	t.Helper()
	b, err := json.Marshal(decodeJSON(t, in))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
