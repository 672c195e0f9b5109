package telemetry

import (
	"slices"
	"testing"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/schemas/policy"
)

// The switch-based indexes agree with the order arrays, and the arrays
// cover what the taxonomy and the policy define: a type, category or action
// added there without being added here fails this test (it would still be
// counted, through the slower cache).
func TestIndexesMatchTaxonomy(t *testing.T) {
	for i, ty := range typeOrder {
		if got := typeIndex(ty); got != i {
			t.Errorf("typeIndex(%q) = %d, want %d", ty, got, i)
		}
	}
	for i, c := range categoryOrder {
		if got := categoryIndex(c); got != i {
			t.Errorf("categoryIndex(%q) = %d, want %d", c, got, i)
		}
	}
	for i, a := range actionOrder {
		if got := actionIndex(a); got != i {
			t.Errorf("actionIndex(%q) = %d, want %d", a, got, i)
		}
	}
	wantTypes := append(append(append([]classifiers.EntityType{}, classifiers.EntityTypes...), policy.FieldKinds...),
		sanitize.Unclassifiable, sanitize.LinkingID)
	for _, ty := range wantTypes {
		if !slices.Contains(typeOrder[:], ty) {
			t.Errorf("entity type %q has no pre-built slot", ty)
		}
	}
	for _, c := range classifiers.Categories {
		if categoryIndex(c) < 0 {
			t.Errorf("category %q has no pre-built slot", c)
		}
	}
	for _, a := range policy.ActionKinds {
		if actionIndex(a) < 0 {
			t.Errorf("action %q has no pre-built slot", a)
		}
	}
	for _, s := range []string{"x", "EMAIL", "identity ", "DROP"} {
		if typeIndex(classifiers.EntityType(s)) >= 0 || categoryIndex(classifiers.Category(s)) >= 0 || actionIndex(policy.ActionKind(s)) >= 0 {
			t.Errorf("%q indexed as a known value", s)
		}
	}
}

// Categories and actions outside the taxonomy are counted too, through the
// cache.
func TestUnknownCategoryAndActionCounted(t *testing.T) {
	tel := newTest(t)
	tel.ObserveApplied("out", []sanitize.Applied{
		{Type: classifiers.EmailAddress, Category: "custom_cat", Action: "tokenize"},
		{Type: classifiers.EmailAddress, Category: "custom_cat", Action: "tokenize"},
	})
	fams := scrape(t, tel)
	if got := value(t, fams, "veil_actions_total", map[string]string{"output": "out", "category": "custom_cat", "action": "tokenize"}); got != 2 {
		t.Errorf("actions{custom_cat, tokenize} = %v, want 2", got)
	}
}
