package sanitize

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

// TestFastFieldMatchesSlowPath sanitizes generated events of every family
// with the built-in schemas, once with schema fields decided by fastField
// and once by classifySlow alone, for every purpose: outputs, errors and
// applied actions must be identical.
func TestFastFieldMatchesSlowPath(t *testing.T) {
	reg, err := schemas.Default()
	if err != nil {
		t.Fatal(err)
	}
	n := 800
	if testing.Short() {
		n = 200
	}
	for _, purpose := range []policy.Purpose{policy.ProductImprovement, policy.Security, policy.Marketing, policy.Service} {
		kr, err := actions.NewMemoryKeyring(actions.RotateDay)
		if err != nil {
			t.Fatal(err)
		}
		pseud := actions.NewPseudonymizer(kr) // one key ring: the same pseudonyms
		mod := func(c *Config) { c.Schemas = reg; c.Pseudonyms = pseud }
		fast := newTestSanitizer(t, purpose, mod)
		slow := newTestSanitizer(t, purpose, mod)
		slow.slowOnly = true
		g := corpus.New(31337)
		fastUsed := 0
		for i := 0; i < n; i++ {
			r := g.Next()
			a, errA := fast.Sanitize(nil, r.Event)
			b, errB := slow.Sanitize(nil, r.Event)
			if fmt.Sprint(errA) != fmt.Sprint(errB) || !bytes.Equal(a, b) {
				t.Fatalf("%s %s: fast path gave %s (%v), slow path %s (%v)", purpose, r.ID, a, errA, b, errB)
			}
			if fmt.Sprint(appliedStrings(fast.Applied())) != fmt.Sprint(appliedStrings(slow.Applied())) {
				t.Fatalf("%s %s: applied %v vs %v", purpose, r.ID, appliedStrings(fast.Applied()), appliedStrings(slow.Applied()))
			}
		}
		for i := range fast.plans {
			if fast.plans[i].fast {
				fastUsed++
			}
		}
		if fastUsed < 20 {
			t.Errorf("%s: only %d schema fields took the fast path: the test would prove little", purpose, fastUsed)
		}
	}
}

func appliedStrings(as []Applied) []string {
	var out []string
	for _, a := range as {
		out = append(out, fmt.Sprintf("%s %s %s %s", a.Path, a.Type, a.Category, a.Action))
	}
	return out
}
