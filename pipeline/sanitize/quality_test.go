package sanitize

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/schemas/policy"
)

// TestRedactionQuality measures the default product_improvement policy on
// generated, labelled events of every family (a seed no rule was tuned on):
// under 0.1% of personal values may survive — verbatim, case- and
// width-folded, or as their digits — and at least 97% of the values
// analytics needs must stay at their path. The judgement follows the
// conformance scorer's.
func TestRedactionQuality(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 300
	}
	s := newTestSanitizer(t, policy.ProductImprovement, nil)
	g := corpus.New(20261129)
	var pii, leaked, keep, kept int
	var examples []string
	for i := 0; i < n; i++ {
		r := g.Next()
		out, err := s.Sanitize(nil, r.Event)
		if err != nil {
			t.Fatalf("event %s: %v", r.ID, err)
		}
		var ev any
		if err := json.Unmarshal(out, &ev); err != nil {
			t.Fatalf("event %s: output not JSON: %v", r.ID, err)
		}
		hay := strings.Join(scalars(ev, nil), "\x00")
		h := fold(hay)
		for _, p := range r.PII {
			pii++
			val := fmt.Sprint(p.Value)
			if leaks(val, hay, h) {
				leaked++
				if len(examples) < 10 {
					examples = append(examples, fmt.Sprintf("%s %s %s: %q", r.ID, p.Type, p.Path, val))
				}
			}
		}
		for _, k := range r.Keep {
			keep++
			got, ok := lookup(ev, k.Path)
			if !ok {
				continue
			}
			switch w := k.Value.(type) {
			case string:
				if gs, isStr := got.(string); isStr && strings.Contains(gs, w) {
					kept++
				}
			default:
				if gf, isNum := got.(float64); isNum && fmt.Sprint(gf) == fmt.Sprint(toFloat(w)) {
					kept++
				}
			}
		}
	}
	leakRate := float64(leaked) / float64(pii)
	keepRate := float64(kept) / float64(keep)
	t.Logf("%d events: %d personal values, %d leaked (%.4f); %d keep values, %d kept (%.3f)", n, pii, leaked, leakRate, keep, kept, keepRate)
	if leakRate >= 0.001 {
		t.Errorf("leak rate %.4f ≥ 0.001; e.g. %s", leakRate, strings.Join(examples, "; "))
	}
	if keepRate < 0.97 {
		t.Errorf("keep rate %.3f < 0.97", keepRate)
	}
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case float64:
		return n
	case int:
		return float64(n)
	}
	return 0
}

func scalars(v any, out []string) []string {
	switch c := v.(type) {
	case map[string]any:
		for k, e := range c {
			out = append(out, k)
			out = scalars(e, out)
		}
	case []any:
		for _, e := range c {
			out = scalars(e, out)
		}
	case string:
		out = append(out, c)
	case float64:
		b, _ := json.Marshal(c)
		out = append(out, string(b))
	}
	return out
}

var spaces = regexp.MustCompile(`\s+`)

func fold(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	s = strings.NewReplacer("\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2212", "-").Replace(s)
	return spaces.ReplaceAllString(s, " ")
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// leaks mirrors the scorer: verbatim, folded, 6+ contiguous digits, or 9+
// digits once the output's separators are removed.
func leaks(val, hay, hayFolded string) bool {
	if strings.Contains(hay, val) {
		return true
	}
	nv := fold(val)
	if nv != "" && strings.Contains(hayFolded, nv) {
		return true
	}
	d := onlyDigits(nv)
	if len(d) >= 6 {
		for _, part := range strings.Split(hayFolded, "\x00") {
			if strings.Contains(part, d) {
				return true
			}
		}
	}
	if len(d) >= 9 {
		for _, part := range strings.Split(hayFolded, "\x00") {
			if strings.Contains(onlyDigits(part), d) {
				return true
			}
		}
	}
	return false
}
