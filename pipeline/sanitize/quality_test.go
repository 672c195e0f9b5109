package sanitize

import (
	"fmt"
	"testing"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

// TestRedactionQuality measures the default product_improvement policy on
// generated, labelled events of every family (a seed no rule was tuned on):
// under 0.1% of personal values may survive — verbatim, case- and
// width-folded, or as their digits — and at least 97% of the values
// analytics needs must stay at their path. corpus.Record.Judge follows the
// conformance scorer's rules.
func TestRedactionQuality(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 300
	}
	reg, err := schemas.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, withSchemas := range []bool{false, true} {
		t.Run(fmt.Sprintf("schemas=%v", withSchemas), func(t *testing.T) {
			var mod func(*Config)
			if withSchemas {
				mod = func(c *Config) { c.Schemas = reg }
			}
			redactionQuality(t, newTestSanitizer(t, policy.ProductImprovement, mod), n)
		})
	}
}

func redactionQuality(t *testing.T, s *Sanitizer, n int) {
	g := corpus.New(20261129)
	var total corpus.Judgement
	for i := 0; i < n; i++ {
		r := g.Next()
		out, err := s.Sanitize(nil, r.Event)
		if err != nil {
			t.Fatalf("event %s: %v", r.ID, err)
		}
		j, err := r.Judge(out)
		if err != nil {
			t.Fatal(err)
		}
		total.Add(j)
	}
	t.Logf("%d events: %d personal values, %d leaked (%.4f); %d keep values, %d kept (%.3f)",
		n, total.PII, total.Leaked, total.LeakRate(), total.Keep, total.Kept, total.KeepRate())
	if total.LeakRate() >= 0.001 {
		var ex []string
		for _, l := range total.Leaks[:min(10, len(total.Leaks))] {
			ex = append(ex, fmt.Sprintf("%s %s: %q", l.Type, l.Path, l.Value))
		}
		t.Errorf("leak rate %.4f ≥ 0.001; e.g. %v", total.LeakRate(), ex)
	}
	if total.KeepRate() < 0.97 {
		t.Errorf("keep rate %.3f < 0.97", total.KeepRate())
	}
}
