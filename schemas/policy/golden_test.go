package policy

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilstream/veil/classifiers"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// renderTable lists every purpose × category × kind cell of p's table, one
// per line, in a stable order.
func renderTable(p *Policy) string {
	var b strings.Builder
	b.WriteString("# purpose\tcategory\tentity\taction\n")
	kinds := append([]classifiers.EntityType{""}, allKinds()...)
	kinds = append(kinds, "(unrecognized)")
	for _, purpose := range Purposes {
		for _, c := range classifiers.Categories {
			for _, k := range kinds {
				a, err := p.ActionFor(purpose, c, k)
				res := a.String()
				if err != nil {
					res = "error: " + err.Error()
				}
				name := string(k)
				if name == "" {
					name = "-"
				}
				b.WriteString(string(purpose) + "\t" + string(c) + "\t" + name + "\t" + res + "\n")
			}
		}
	}
	return b.String()
}

// TestDefaultTableGolden pins the whole table of the default policy, so that
// a change to default.yaml or to the resolution rules shows up in review.
// Regenerate with: go test ./schemas/policy -run TestDefaultTableGolden -update
func TestDefaultTableGolden(t *testing.T) {
	got := renderTable(Default())
	path := filepath.Join("testdata", "default_table.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("default table differs from %s at line %d:\n got: %s\nwant: %s\n(run with -update if the change is intended)", path, i+1, g, w)
			}
		}
	}
}
