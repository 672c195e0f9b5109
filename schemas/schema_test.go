package schemas_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

var (
	defaultOnce sync.Once
	defaultReg  *schemas.Registry
	defaultErr  error
)

// registry returns the embedded registry, loaded once for the package.
func registry(t testing.TB) *schemas.Registry {
	t.Helper()
	defaultOnce.Do(func() { defaultReg, defaultErr = schemas.Default() })
	if defaultErr != nil {
		t.Fatalf("Default: %v", defaultErr)
	}
	return defaultReg
}

func schema(t testing.TB, id string) *schemas.Schema {
	t.Helper()
	s, ok := registry(t).ByID("urn:veil:schema:" + id)
	if !ok {
		t.Fatalf("no schema %s", id)
	}
	return s
}

func TestDefaultSchemasAndDiscriminators(t *testing.T) {
	r := registry(t)
	want := map[string]string{
		"analytics.page_view":      "event_type=page_view",
		"analytics.session":        "type=session_start,session_end",
		"segment.page":             "type=page",
		"segment.track":            "type=track",
		"segment.identify":         "type=identify",
		"segment.screen":           "type=screen",
		"conversation.message":     "event=message.received,message.sent",
		"conversation.lifecycle":   "event=conversation.started,conversation.ended",
		"content.document":         "event=knowledge_base.document_uploaded,knowledge_base.document_updated",
		"content.prompt":           "event=bot.prompt_updated",
		"content.utterances":       "event=training.utterances_added",
		"content.website":          "event=bot.website_added",
		"account.signup":           "event=user.signed_up",
		"account.login":            "event=user.logged_in,user.login_failed,user.logged_out,user.password_reset_requested",
		"account.password_changed": "event=user.password_changed",
		"form.submission":          "event=form_submitted",
		"visitor.profile":          "event=visitor_profile_updated",
		"usage.api_request":        "event=api.request",
		"usage.daily":              "event=usage.daily",
	}
	got := map[string]string{}
	for _, s := range r.Schemas() {
		k, vs := s.Match()
		got[strings.TrimPrefix(s.ID(), "urn:veil:schema:")] = k + "=" + strings.Join(vs, ",")
		if s.Title() == "" || len(s.Examples()) == 0 {
			t.Errorf("%s: title %q, %d examples", s.ID(), s.Title(), len(s.Examples()))
		}
	}
	for id, m := range want {
		if got[id] != m {
			t.Errorf("%s: match %q, want %q", id, got[id], m)
		}
	}
	if len(got) != len(want) {
		t.Errorf("schemas %v, want %d", got, len(want))
	}
	var discs []string
	for _, d := range r.Discriminators() {
		discs = append(discs, string(d))
	}
	if strings.Join(discs, ",") != "type,event_type,event" {
		t.Errorf("Discriminators() = %v", discs)
	}
	if _, ok := r.ByID("urn:veil:schema:segment.common"); ok {
		t.Error("a library file is not a schema")
	}
}

func TestSelect(t *testing.T) {
	r := registry(t)
	for _, tc := range []struct {
		key, value string
		want       string // schema id suffix, "" for none
	}{
		{"type", "page", "segment.page"},
		{"type", "track", "segment.track"},
		{"type", "identify", "segment.identify"},
		{"type", "screen", "segment.screen"},
		{"type", "session_end", "analytics.session"},
		{"type", "session_start", "analytics.session"},
		{"event_type", "page_view", "analytics.page_view"},
		{"event", "message.received", "conversation.message"},
		{"event", "message.sent", "conversation.message"},
		{"event", "conversation.ended", "conversation.lifecycle"},
		{"event", "user.password_changed", "account.password_changed"},
		{"event", "form_submitted", "form.submission"},
		{"event", "visitor_profile_updated", "visitor.profile"},
		{"type", "Page", ""},           // values are case-sensitive
		{"type", "group", ""},          // not covered
		{"event", "page", ""},          // a value under another key
		{"event_type", "page", ""},     //
		{"kind", "page", ""},           // not a discriminator
		{"", "", ""},                   //
		{"event", "order.shipped", ""}, // a customer's own event
	} {
		s, ok := r.Select([]byte(tc.key), []byte(tc.value))
		switch {
		case tc.want == "" && ok:
			t.Errorf("Select(%q, %q) = %s, want none", tc.key, tc.value, s.ID())
		case tc.want != "" && (!ok || s.ID() != "urn:veil:schema:"+tc.want):
			t.Errorf("Select(%q, %q) = %v %v, want %s", tc.key, tc.value, s, ok, tc.want)
		}
	}
}

func TestSelectPrecedence(t *testing.T) {
	v := registry(t).NewValidator()
	for _, tc := range []struct {
		event string
		want  string
	}{
		// A track call named like a platform event is a track call.
		{`{"event":"form_submitted","type":"track"}`, "segment.track"},
		{`{"type":"track","event":"message.received"}`, "segment.track"},
		// Only top-level members select; an unknown "type" does not hide "event".
		{`{"type":"custom","event":"message.sent"}`, "conversation.message"},
		{`{"context":{"type":"page"},"event":"usage.daily"}`, "usage.daily"},
		{`{"properties":{"type":"page"}}`, ""},
		{`{"type":["page"]}`, ""},
		{`{"type":"pa\u0067e"}`, "segment.page"}, // decoded value
	} {
		s, ok, err := v.Select([]byte(tc.event))
		if err != nil {
			t.Fatalf("%s: %v", tc.event, err)
		}
		got := ""
		if ok {
			got = strings.TrimPrefix(s.ID(), "urn:veil:schema:")
		}
		if got != tc.want {
			t.Errorf("Select(%s) = %q, want %q", tc.event, got, tc.want)
		}
	}
	if _, _, err := v.Select([]byte(`{"type":"page"`)); err == nil {
		t.Error("truncated event: no error")
	}
}

func TestField(t *testing.T) {
	type want struct {
		cat  classifiers.Category
		typ  classifiers.EntityType
		json schemas.TypeSet
		path string
	}
	for _, tc := range []struct {
		schema, path string
		ok           bool
		want         want
	}{
		{"segment.page", "context.traits.email", true, want{classifiers.Contact, classifiers.EmailAddress, schemas.TypeString, "context.traits.email"}},
		{"segment.page", "context.ip", true, want{classifiers.NetworkIdentifier, classifiers.IPAddress, schemas.TypeString, "context.ip"}},
		{"segment.page", "context.userAgent", true, want{classifiers.Device, policy.UserAgent, schemas.TypeString, "context.userAgent"}},
		{"segment.page", "userId", true, want{classifiers.Pseudonymous, "", schemas.TypeString | schemas.TypeNull, "userId"}},
		{"segment.page", "timestamp", true, want{classifiers.Navigation, policy.Timestamp, schemas.TypeString, "timestamp"}},
		{"segment.page", "properties.url", true, want{classifiers.Navigation, classifiers.URL, schemas.TypeString, "properties.url"}},
		{"segment.page", "properties.keywords[12]", true, want{classifiers.Navigation, "", schemas.TypeString, "properties.keywords[]"}},
		{"segment.page", "properties.keywords[]", true, want{classifiers.Navigation, "", schemas.TypeString, "properties.keywords[]"}},
		{"segment.page", "context.location.latitude", true, want{classifiers.PreciseLocation, classifiers.GeoCoordinate, schemas.TypeNumber, "context.location.latitude"}},
		{"segment.page", "context.userAgentData.brands[0].brand", true, want{classifiers.Device, "", schemas.TypeString, "context.userAgentData.brands[].brand"}},
		{"segment.page", "integrations.Mixpanel", true, want{classifiers.NonPersonal, "", schemas.TypeBoolean | schemas.TypeObject, "integrations.*"}},
		{"segment.page", "context", true, want{"", "", schemas.TypeObject, "context"}},
		{"segment.identify", "traits.address.postalCode", true, want{classifiers.PreciseLocation, classifiers.PostalCode, schemas.TypeString | schemas.TypeInteger, "traits.address.postalCode"}},
		{"segment.identify", "traits.age", true, want{classifiers.Demographics, policy.Age, schemas.TypeInteger, "traits.age"}},
		{"segment.identify", "writeKey", true, want{classifiers.Credentials, classifiers.Secret, schemas.TypeString, "writeKey"}},
		{"segment.track", "properties.products[2].price", true, want{classifiers.NonPersonal, "", schemas.TypeNumber, "properties.products[].price"}},
		{"analytics.session", "session.pages_viewed[4]", true, want{classifiers.Navigation, classifiers.URL, schemas.TypeString, "session.pages_viewed[]"}},
		{"analytics.session", "session.pages_viewed", true, want{"", "", schemas.TypeArray, "session.pages_viewed"}},
		{"form.submission", "fields.email", true, want{classifiers.Contact, classifiers.EmailAddress, schemas.TypeString, "fields.email"}},
		{"form.submission", "fields[3].value", true, want{classifiers.Contact, "", schemas.TypeString | schemas.TypeNumber | schemas.TypeBoolean | schemas.TypeNull, "fields[].value"}},
		{"form.submission", "fields[3].name", true, want{classifiers.NonPersonal, "", schemas.TypeString, "fields[].name"}},
		{"conversation.message", "message", true, want{classifiers.Conversation, "", schemas.TypeObject, "message"}},
		{"conversation.message", "nlu.entities[0].value", true, want{classifiers.Conversation, "", schemas.TypeString, "nlu.entities[].value"}},
		{"usage.api_request", "request.headers.x-api-key", true, want{classifiers.Credentials, classifiers.Secret, schemas.TypeString, "request.headers.x-api-key"}},
		{"usage.daily", "channels.telegram", true, want{classifiers.NonPersonal, "", schemas.TypeInteger, "channels.*"}},
		{"visitor.profile", "demographics.interests[0]", true, want{classifiers.Demographics, "", schemas.TypeString, "demographics.interests[]"}},

		// not named by the schema
		{"segment.page", "properties.custom", false, want{}},       // open object
		{"segment.track", "properties.a.b.c", false, want{}},       // inside an unnamed member
		{"segment.page", "nope", false, want{}},                    // open event
		{"segment.page", "context.ip.v4", false, want{}},           // below a scalar
		{"segment.page", "context[0]", false, want{}},              // index into an object
		{"segment.page", "context.traits.email[0]", false, want{}}, // index into a scalar
		{"usage.daily", "channels.web.x", false, want{}},           // below an additionalProperties scalar
		// malformed paths
		{"segment.page", "", false, want{}},
		{"segment.page", ".context", false, want{}},
		{"segment.page", "context.", false, want{}},
		{"segment.page", "context..ip", false, want{}},
		{"segment.page", "properties.keywords[", false, want{}},
		{"segment.page", "properties.keywords[x]", false, want{}},
		{"segment.page", "properties.keywords[1]x", false, want{}},
		{"segment.page", "properties.keywords]", false, want{}},
		{"segment.page", "[0]", false, want{}},
	} {
		s := schema(t, tc.schema)
		f, ok := s.Field([]byte(tc.path))
		if ok != tc.ok {
			t.Errorf("%s Field(%q) ok = %v, want %v", tc.schema, tc.path, ok, tc.ok)
			continue
		}
		got := want{f.Category, f.Type, f.JSONType, f.Path}
		if got != tc.want {
			t.Errorf("%s Field(%q) = %+v, want %+v", tc.schema, tc.path, got, tc.want)
		}
	}
}

func TestFieldEnumAndOpaque(t *testing.T) {
	s := schema(t, "conversation.message")
	f, ok := s.Field([]byte("direction"))
	if !ok || len(f.Enum) != 2 || f.Enum[0].Str != "inbound" || !f.Opaque() {
		t.Errorf("direction: %+v", f)
	}
	f, _ = s.Field([]byte("timestamp"))
	if !f.Opaque() || f.Format != "date-time" {
		t.Errorf("timestamp: %+v opaque=%v", f, f.Opaque())
	}
	f, _ = s.Field([]byte("message.text"))
	if f.Opaque() || !f.Personal() || !f.Tagged() {
		t.Errorf("message.text: %+v", f)
	}
	f, _ = s.Field([]byte("metrics.turn"))
	if !f.Opaque() || f.Personal() {
		t.Errorf("metrics.turn: %+v", f)
	}
	f, _ = s.Field([]byte("nlu"))
	if f.Tagged() || f.Personal() {
		t.Errorf("nlu (untagged container): %+v", f)
	}
}

// value builds a jsonwalk value as a callback would see it.
func value(raw string) *jsonwalk.Value {
	v := &jsonwalk.Value{Raw: []byte(raw)}
	switch {
	case raw == "true":
		v.Kind = jsonwalk.True
	case raw == "false":
		v.Kind = jsonwalk.False
	case raw == "null":
		v.Kind = jsonwalk.Null
	case raw == "{":
		v.Kind, v.Raw = jsonwalk.Object, nil
	case raw == "[":
		v.Kind, v.Raw = jsonwalk.Array, nil
	case strings.HasPrefix(raw, `"`):
		v.Kind, v.Str = jsonwalk.String, []byte(strings.Trim(raw, `"`))
	default:
		v.Kind = jsonwalk.Number
	}
	return v
}

func TestCheckValue(t *testing.T) {
	for _, tc := range []struct {
		schema, path, raw string
		reason            schemas.Reason // 0: allowed
		errPath           string
	}{
		{"segment.page", "type", `"page"`, 0, ""},
		{"segment.page", "type", `"track"`, schemas.ReasonEnum, "type"},
		{"segment.page", "type", `3`, schemas.ReasonType, "type"},
		{"segment.page", "userId", `null`, 0, ""},
		{"segment.page", "userId", `42`, schemas.ReasonType, "userId"},
		{"segment.page", "context", `"x"`, schemas.ReasonType, "context"},
		{"segment.page", "context", `{`, 0, ""},
		{"segment.page", "context.screen.width", `1512`, 0, ""},
		{"segment.page", "context.screen.density", `2.625`, 0, ""},
		{"segment.page", "context.active", `"yes"`, schemas.ReasonType, "context.active"},
		{"segment.page", "context.active", `false`, 0, ""},
		{"segment.page", "properties.keywords", `[`, 0, ""},
		{"segment.page", "properties.keywords", `{`, schemas.ReasonType, "properties.keywords"},
		{"segment.page", "properties.keywords[0]", `"x"`, 0, ""},
		{"segment.page", "properties.whatever", `{`, 0, ""}, // open object
		{"segment.identify", "traits.age", `34`, 0, ""},
		{"segment.identify", "traits.age", `34.0`, 0, ""}, // an integer in JSON Schema
		{"segment.identify", "traits.age", `3.4e1`, 0, ""},
		{"segment.identify", "traits.age", `34.5`, schemas.ReasonType, "traits.age"},
		{"segment.identify", "traits.age", `"34"`, schemas.ReasonType, "traits.age"},
		{"analytics.session", "type", `"session_end"`, 0, ""},
		{"analytics.session", "type", `"session_middle"`, schemas.ReasonEnum, "type"},
		{"conversation.message", "direction", `"sideways"`, schemas.ReasonEnum, "direction"},
		{"conversation.message", "sender.type", `"end_user"`, 0, ""},
		{"usage.daily", "channels.web", `12`, 0, ""},
		{"usage.daily", "channels.web", `"12"`, schemas.ReasonType, "channels.*"},
		{"form.submission", "fields", `[`, 0, ""},
		{"form.submission", "fields", `{`, 0, ""},
		{"form.submission", "fields", `"x"`, schemas.ReasonType, "fields"},
		{"form.submission", "fields[0].value", `true`, 0, ""},
		{"form.submission", "fields[0].value", `{`, schemas.ReasonType, "fields[].value"},
		{"segment.page", "context.ip.v4", `"x"`, schemas.ReasonAdditional, "context.ip"},
		{"segment.page", "", `"x"`, 0, ""}, // malformed path: nothing to check
	} {
		s := schema(t, tc.schema)
		err := s.CheckValue([]byte(tc.path), value(tc.raw))
		if tc.reason == 0 {
			if err != nil {
				t.Errorf("%s CheckValue(%s, %s) = %v", tc.schema, tc.path, tc.raw, err)
			}
			continue
		}
		var ve *schemas.ViolationError
		if !errors.As(err, &ve) || ve.Reason != tc.reason || ve.Path != tc.errPath || !errors.Is(err, schemas.ErrViolation) {
			t.Errorf("%s CheckValue(%s, %s) = %v, want %v at %s", tc.schema, tc.path, tc.raw, err, tc.reason, tc.errPath)
			continue
		}
		if strings.Contains(err.Error(), strings.Trim(tc.raw, `"`)) && len(strings.Trim(tc.raw, `"`)) > 3 {
			t.Errorf("error %q quotes the value", err)
		}
	}
}

func TestAdditionalAllowed(t *testing.T) {
	r := strictRegistry(t)
	s, _ := r.ByID("urn:test:strict")
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"", false},             // the event: additionalProperties false
		{"meta", true},          // object without additionalProperties
		{"closed", false},       // additionalProperties false
		{"counts", true},        // additionalProperties schema
		{"meta.anything", true}, // inside an unnamed member: anything goes
		{"closed.extra", false}, // not allowed in the first place
		{"name", false},         // a string accepts no members
		{"..", false},           // malformed
	} {
		if got := s.AdditionalAllowed([]byte(tc.path)); got != tc.want {
			t.Errorf("AdditionalAllowed(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
	d := schema(t, "segment.page")
	if !d.AdditionalAllowed(nil) || !d.AdditionalAllowed([]byte("properties")) {
		t.Error("Segment calls accept members their schema does not name")
	}
}

func TestFieldAtMatchesField(t *testing.T) {
	r := registry(t)
	var rw jsonwalk.Rewriter
	for _, s := range r.Schemas() {
		for _, ex := range s.Examples() {
			var buf []byte
			err := rw.Walk(ex, func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
				buf = p.AppendTo(buf[:0])
				f1, ok1 := s.Field(buf)
				f2, ok2 := s.FieldAt(p)
				if ok1 != ok2 || f1.Path != f2.Path || f1.Category != f2.Category {
					t.Errorf("%s %s: Field %v %+v, FieldAt %v %+v", s.ID(), buf, ok1, f1, ok2, f2)
				}
				e1 := s.CheckValue(buf, v)
				e2 := s.CheckValueAt(p, v)
				if (e1 == nil) != (e2 == nil) {
					t.Errorf("%s %s: CheckValue %v, CheckValueAt %v", s.ID(), buf, e1, e2)
				}
				return jsonwalk.Keep, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestRequiredPaths(t *testing.T) {
	got := strings.Join(schema(t, "analytics.session").Required(), ",")
	if got != "type,session,session.id" {
		t.Errorf("Required() = %s", got)
	}
	r := strictRegistry(t)
	s, _ := r.ByID("urn:test:strict")
	if got := strings.Join(s.Required(), ","); got != "kind,name,items[].sku" {
		t.Errorf("Required() = %s", got)
	}
}

// A Registry and its Schemas are shared by goroutines; Validators and
// Checkers are not (one each). Run with -race.
func TestConcurrentUse(t *testing.T) {
	r := registry(t)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := r.NewValidator()
			for i := 0; i < 20; i++ {
				for _, s := range r.Schemas() {
					for _, ex := range s.Examples() {
						if got, err := v.Validate(ex); got != s || err != nil {
							t.Errorf("%s: %v %v", s.ID(), got, err)
							return
						}
					}
					s.Field([]byte("context.traits.email"))
					r.Select([]byte("type"), []byte("page"))
				}
			}
		}()
	}
	wg.Wait()
}
