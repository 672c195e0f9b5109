package schemas_test

import (
	"testing"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/schemas/policy"
)

// Every example of every embedded schema is selected by its schema, is
// valid under it, and names only tagged members: each leaf (scalar, or
// empty container) of an example has a Field with a category.
func TestExamples(t *testing.T) {
	r := registry(t)
	v := r.NewValidator()
	var rw jsonwalk.Rewriter
	for _, s := range r.Schemas() {
		if len(s.Examples()) == 0 {
			t.Errorf("%s has no examples", s.ID())
		}
		for i, ex := range s.Examples() {
			got, err := v.Validate(ex)
			if got != s || err != nil {
				t.Errorf("%s example %d: selected %v, %v", s.ID(), i, got, err)
				continue
			}
			var (
				buf      []byte
				children []int // members seen under each open container, by depth
			)
			leaf := func(path []byte) {
				f, ok := s.Field(path)
				if !ok || !f.Tagged() {
					t.Errorf("%s example %d: leaf %s has no tagged field (%v %+v)", s.ID(), i, path, ok, f)
				}
			}
			var containers [][]byte
			err = rw.Walk(ex, func(p *jsonwalk.Path, val *jsonwalk.Value) (jsonwalk.Decision, []byte) {
				d := p.Len()
				for len(children) > d-1 { // containers closed: an empty one is a leaf
					if children[len(children)-1] == 0 {
						leaf(containers[len(containers)-1])
					}
					children, containers = children[:len(children)-1], containers[:len(containers)-1]
				}
				if d > 1 {
					children[d-2]++
				}
				buf = p.AppendTo(buf[:0])
				if val.Kind == jsonwalk.Object || val.Kind == jsonwalk.Array {
					children = append(children, 0)
					containers = append(containers, append([]byte(nil), buf...))
					return jsonwalk.Keep, nil
				}
				leaf(buf)
				return jsonwalk.Keep, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i := len(children) - 1; i >= 0; i-- {
				if children[i] == 0 {
					leaf(containers[i])
				}
			}
		}
	}
}

// The embedded schemas tag each field with a type of its own category, so
// that the policy applies the type's rule and not the stricter of two.
func TestEmbeddedTagsAreConsistent(t *testing.T) {
	r := registry(t)
	var rw jsonwalk.Rewriter
	for _, s := range r.Schemas() {
		seen := map[string]bool{}
		var buf []byte
		for _, ex := range s.Examples() {
			_ = rw.Walk(ex, func(p *jsonwalk.Path, _ *jsonwalk.Value) (jsonwalk.Decision, []byte) {
				buf = p.AppendTo(buf[:0])
				f, ok := s.Field(buf)
				if !ok || seen[f.Path] {
					return jsonwalk.Keep, nil
				}
				seen[f.Path] = true
				if f.Type != "" && policy.KindCategory(f.Type) != f.Category {
					t.Errorf("%s %s: type %s belongs to %s, tagged %s", s.ID(), f.Path, f.Type, policy.KindCategory(f.Type), f.Category)
				}
				if f.Category == classifiers.Unknown {
					t.Errorf("%s %s: tagged unknown", s.ID(), f.Path)
				}
				return jsonwalk.Keep, nil
			})
		}
	}
}

// The statement's promises, read off the schemas through the default
// policy: on the analytics output no field tagged as a direct identifier,
// contact, conversation, bot content or credential is kept.
func TestEmbeddedSchemasUnderDefaultPolicy(t *testing.T) {
	pol := policy.Default()
	r := registry(t)
	var rw jsonwalk.Rewriter
	never := map[classifiers.Category]bool{
		classifiers.Identity: true, classifiers.Contact: true, classifiers.Conversation: true,
		classifiers.BotContent: true, classifiers.Credentials: true, classifiers.GovernmentID: true,
		classifiers.Financial: true, classifiers.Pseudonymous: true,
	}
	for _, s := range r.Schemas() {
		var buf []byte
		for _, ex := range s.Examples() {
			_ = rw.Walk(ex, func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
				buf = p.AppendTo(buf[:0])
				f, ok := s.Field(buf)
				if !ok || !f.Tagged() || v.Kind == jsonwalk.Object || v.Kind == jsonwalk.Array {
					return jsonwalk.Keep, nil
				}
				a, err := pol.ActionFor(policy.ProductImprovement, f.Category, f.Type)
				if err != nil {
					t.Fatal(err)
				}
				if never[f.Category] && a.Kind == policy.Keep {
					t.Errorf("%s %s (%s): kept on product_improvement", s.ID(), f.Path, f.Category)
				}
				return jsonwalk.Keep, nil
			})
		}
	}
}
