package sanitize

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/schemas/policy"
)

// FuzzSanitize: no panic; output is valid JSON whenever the input is
// accepted; nothing is written on error; and a value held by a top-level
// field whose name says identity, contact, credentials, conversation or
// government id never reaches the analytics output verbatim.
func FuzzSanitize(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.in.jsonl")
	for _, fn := range files {
		data, _ := os.ReadFile(fn)
		for _, line := range bytes.Split(data, []byte("\n")) {
			f.Add(line)
		}
	}
	f.Add([]byte(`{"email":"jane@example.com","x":[1,{"password":"p4ssw0rd!"}]}`))
	f.Add([]byte(`{"fields":[{"name":"phone","value":"+44 7700 900123"}]}`))
	s := newTestSanitizer(f, policy.ProductImprovement, nil)
	forbidden := map[classifiers.Category]bool{
		classifiers.Identity: true, classifiers.Contact: true, classifiers.Credentials: true,
		classifiers.Conversation: true, classifiers.GovernmentID: true,
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := s.Sanitize([]byte("x"), in)
		if err != nil {
			if string(out) != "x" {
				t.Fatalf("output written on error: %q", out)
			}
			return
		}
		out = out[1:]
		if !json.Valid(out) {
			t.Fatalf("invalid JSON out for %q: %q", in, out)
		}
		var top map[string]any
		if json.Unmarshal(in, &top) != nil {
			return
		}
		for k, v := range top {
			str, ok := v.(string)
			if !ok || len(str) < 6 || bytes.Count(in, []byte(str)) != 1 {
				continue
			}
			// No finding's text survives (a finding the output could
			// legitimately keep is a URL, generalized in place).
			fs, err := scanner(t).Scan(str, nil)
			if err == nil {
				for _, fd := range fs {
					txt := str[fd.Start:fd.End]
					if fd.Type == classifiers.URL || len(txt) < 6 || bytes.Count(in, []byte(txt)) != 1 {
						continue
					}
					enc, _ := json.Marshal(txt)
					if bytes.Contains(out, enc[1:len(enc)-1]) {
						t.Fatalf("%s finding %q of %q reached the output: %s", fd.Type, txt, k, out)
					}
				}
			}
			if kc, known := KeyNames(nil, []byte(k)); known && forbidden[kc.Category] {
				enc, _ := json.Marshal(str)
				if bytes.Contains(out, enc[1:len(enc)-1]) {
					t.Fatalf("%s value of %q reached the output: %s", kc.Category, k, out)
				}
			}
		}
	})
}
