package builtin

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/validate"
)

var update = flag.Bool("update", false, "rewrite testdata/findings.golden from the current rules")

// TestGolden runs the whole pack (without the names detector) over
// testdata/texts.txt, one text per line with `\n` standing for a line
// break, and compares every finding (rule, type, span, score) with
// testdata/findings.golden. It catches what per-rule examples cannot: one
// rule's change taking findings away from another through overlap
// resolution, and false positives on ordinary text (the file mixes
// personal data in six languages with prose, analytics values, versions,
// dates and amounts that must stay unreported).
func TestGolden(t *testing.T) {
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.Compile(rs, engine.WithValidators(validate.Lookup))
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.ReadFile("testdata/texts.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(in))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.ReplaceAll(sc.Text(), `\n`, "\n")
		fs, err := e.Scan(text, nil)
		if err != nil {
			t.Fatalf("texts.txt:%d: %v", n, err)
		}
		for _, f := range fs {
			fmt.Fprintf(&out, "%d\t%s\t%s\t%s\t%.2f\n", n, f.Rule, f.Type, strconv.Quote(text[f.Start:f.End]), f.Score)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/findings.golden"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("findings differ from %s (line\trule\ttype\ttext\tscore); if the change is deliberate, run go test -update and review the diff:\n%s",
			golden, lineDiff(string(want), out.String()))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(got, "\n") {
		count[l]--
	}
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if count[l] > 0 {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if count[l] < 0 {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
