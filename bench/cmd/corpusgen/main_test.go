package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	for _, c := range []struct {
		kind string
		keys []string
	}{
		{"mixed", []string{"id", "kind", "event", "pii_values", "keep_values"}},
		{"analytics", []string{"id", "kind", "event", "pii_values", "keep_values"}},
		{"conversation", []string{"id", "kind", "event", "pii_values", "keep_values"}},
		{"text", []string{"id", "text", "entities", "locale"}},
	} {
		var out, errb bytes.Buffer
		if err := run([]string{"-n", "25", "-seed", "3", "-kind", c.kind}, &out, &errb); err != nil {
			t.Fatalf("%s: %v (%s)", c.kind, err, errb.String())
		}
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 1<<20)
		lines := 0
		for sc.Scan() {
			lines++
			var m map[string]json.RawMessage
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("%s line %d: %v", c.kind, lines, err)
			}
			for _, k := range c.keys {
				if _, ok := m[k]; !ok {
					t.Errorf("%s line %d: no %q", c.kind, lines, k)
				}
			}
		}
		if lines != 25 {
			t.Errorf("%s: %d lines, want 25", c.kind, lines)
		}
	}
}

func TestRunWritesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	var out, errb bytes.Buffer
	if err := run([]string{"-n", "10", "-o", path}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 10 || out.Len() != 0 {
		t.Errorf("file has %d lines and stdout %d bytes, want 10 and 0", n, out.Len())
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-kind", "everything"},
		{"-n", "-1"},
		{"-kind", "text", "-locales", "en,xx"},
		{"extra"},
		{"-o", filepath.Join(t.TempDir(), "missing", "dir", "f.jsonl")},
	} {
		var out, errb bytes.Buffer
		if err := run(args, &out, &errb); err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
	}
}
