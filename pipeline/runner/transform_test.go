package runner

import (
	"strings"
	"testing"

	"github.com/veilstream/veil/classifiers/pack"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

func newTransform(t *testing.T, purpose policy.Purpose) *Transform {
	t.Helper()
	eng, _, err := pack.Load(pack.Config{})
	if err != nil {
		t.Fatal(err)
	}
	pol := policy.Default()
	reg, err := LoadSchemas("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sanitize.New(sanitize.Config{Purpose: purpose, Policy: pol, Scanner: eng, Keys: sanitize.KeyNames, Schemas: reg})
	if err != nil {
		t.Fatal(err)
	}
	kr, _ := actions.NewMemoryKeyring(actions.RotateDay)
	pp, _ := pol.Purpose(purpose)
	return &Transform{san: s, pp: pp, analytics: purpose.Analytics(), pseud: actions.NewPseudonymizer(kr), customer: "k",
		origins: map[string]policy.Origin{"website.raw": policy.OriginWebsite, "events.raw": "service"}}
}

func TestTransformOriginsKeysAndTags(t *testing.T) {
	ev := []byte(`{"event":"page","email":"ana@example.com","counts":{"bob@example.org":1},"context":{"ip":"203.0.113.5"}}`)
	page := []byte(`{"type":"page","name":"Pricing","properties":{"path":"/pricing"}}`)
	m := newTransform(t, policy.Marketing)
	_, meta, err := m.Transform(nil, &stream.Record{Topic: "events.raw", Value: ev})
	if err != nil || !meta.Skip {
		t.Errorf("marketing output took a service event: skip=%v err=%v", meta.Skip, err)
	}
	_, meta, err = m.Transform(nil, &stream.Record{Topic: "website.raw", Value: page})
	if err != nil || meta.Skip {
		t.Errorf("marketing output skipped a website event: %v", err)
	}

	a := newTransform(t, policy.ProductImprovement)
	out, meta, err := a.Transform(nil, &stream.Record{Topic: "events.raw", Key: []byte("user-42"), Value: ev})
	if err != nil {
		t.Fatal(err)
	}
	if !meta.SetKey || strings.Contains(string(meta.Key), "user-42") || !strings.HasPrefix(string(meta.Key), actions.PseudonymPrefix) {
		t.Errorf("record key on analytics: set=%v key=%q", meta.SetKey, meta.Key)
	}
	tags := string(meta.Actions)
	if tags != "email=EMAIL_ADDRESS:drop,counts.*=EMAIL_ADDRESS:drop,context.ip=IP_ADDRESS:generalize" {
		t.Errorf("tags %q", tags)
	}
	if strings.Contains(tags+string(out), "example") {
		t.Errorf("a value reached the tags or the output: %s / %s", tags, out)
	}
	_, _, err = a.Transform(nil, &stream.Record{Topic: "events.raw", Value: []byte(`{"email":`)})
	if r, ok := stream.AsReject(err); !ok || !strings.HasPrefix(r.Reason, "malformed") {
		t.Errorf("malformed event: %v", err)
	}
}
