package schemas_test

import (
	"strings"
	"testing"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/schemas/policy"
)

// covered maps the corpus's event kinds to the schema that covers them.
var covered = map[string]string{
	corpus.KindPageView:    "analytics.page_view",
	corpus.KindSession:     "analytics.session",
	corpus.KindSegmentPage: "segment.page",
	corpus.KindTrack:       "segment.track",
	corpus.KindIdentify:    "segment.identify",
	corpus.KindScreen:      "segment.screen",
	corpus.KindVisitor:     "visitor.profile",
	corpus.KindMessage:     "conversation.message",
	corpus.KindContent:     "content.",
	corpus.KindAPIRequest:  "usage.api_request",
	corpus.KindUsageRollup: "usage.daily",
	corpus.KindSignup:      "account.signup",
	corpus.KindLogin:       "account.login",
	corpus.KindForm:        "form.submission",
}

// TestCorpus runs the platform's event generator: every event of a covered
// family is selected by its schema and valid under it; every personal value
// the generator labels sits in a field the schema tags as personal (or in a
// URL, whose query and identifying segments the URL generalizer removes);
// and the default analytics policy acts on every labelled field and keeps
// every field whose value analytics needs.
func TestCorpus(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 300
	}
	r := registry(t)
	v := r.NewValidator()
	pol := policy.Default()
	g := corpus.New(11)
	perKind := map[string]int{}
	for i := 0; i < n; i++ {
		rec := g.Next()
		prefix, ok := covered[rec.Kind]
		if !ok {
			if s, _, _ := v.Select(rec.Event); s != nil {
				t.Errorf("%s %s: a shape no schema covers was selected by %s", rec.ID, rec.Kind, s.ID())
			}
			continue
		}
		perKind[rec.Kind]++
		s, err := v.Validate(rec.Event)
		if s == nil || !strings.HasPrefix(s.ID(), "urn:veil:schema:"+prefix) {
			t.Errorf("%s %s: selected %v", rec.ID, rec.Kind, s)
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v\n%s", rec.ID, rec.Kind, err, rec.Event)
		}
		for _, pv := range rec.PII {
			f, ok := s.Field([]byte(pv.Path))
			if !ok {
				t.Errorf("%s %s: labelled %s at %s: no field", rec.ID, rec.Kind, pv.Type, pv.Path)
				continue
			}
			url := f.Category == classifiers.Navigation && f.Type == classifiers.URL
			if !f.Personal() && !url {
				t.Errorf("%s %s: labelled %s at %s: field %s tagged %s", rec.ID, rec.Kind, pv.Type, pv.Path, f.Path, f.Category)
			}
			a, err := pol.ActionFor(policy.ProductImprovement, f.Category, f.Type)
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind == policy.Keep {
				t.Errorf("%s %s: labelled %s at %s: kept by the default analytics policy", rec.ID, rec.Kind, pv.Type, pv.Path)
			}
		}
		for _, kv := range rec.Keep {
			f, ok := s.Field([]byte(kv.Path))
			if !ok {
				t.Errorf("%s %s: kept value at %s: no field", rec.ID, rec.Kind, kv.Path)
				continue
			}
			a, _ := pol.ActionFor(policy.ProductImprovement, f.Category, f.Type)
			if a.Kind != policy.Keep && a.Kind != policy.Generalize {
				t.Errorf("%s %s: kept value at %s: field %s (%s %s) gets %s", rec.ID, rec.Kind, kv.Path, f.Path, f.Category, f.Type, a.Kind)
			}
		}
	}
	for kind := range covered {
		if perKind[kind] == 0 {
			t.Errorf("no %s events drawn", kind)
		}
	}
}
