package ruletest

import (
	"strings"
	"testing"

	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/rules"
)

func TestCheck(t *testing.T) {
	file := `rules:
  - id: t.order
    type: SECRET
    pattern: '\bORD-\d{6}\b'
    score: 0.8
    examples:
      match:
        - "order ORD-123456 shipped"
        - text: "ORD-654321."
          want: "ORD-65432"
        - "no order here"
      no_match:
        - "ORD-12345"
        - "see ORD-999999"
`
	rs, err := rules.Parse("t.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	fails := Check(rs, engine.WithMinScore(0.1))
	var got []string
	for _, f := range fails {
		got = append(got, f.String())
	}
	want := []string{
		`t.yaml:9: rule t.order: in "ORD-654321." should find exactly "ORD-65432", found "ORD-654321" (score 0.80)`,
		`t.yaml:11: rule t.order: should match "no order here" but found nothing`,
		`t.yaml:14: rule t.order: should not match "see ORD-999999" but found "ORD-999999" (score 0.80)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
