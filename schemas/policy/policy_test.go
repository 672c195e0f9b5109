package policy

import (
	"errors"
	"testing"

	"github.com/veilstream/veil/classifiers"
)

func TestDefaultIsValid(t *testing.T) {
	p := Default()
	if p == nil {
		t.Fatal("Default() = nil")
	}
	if p.Source() != DefaultName {
		t.Errorf("Source() = %q, want %q", p.Source(), DefaultName)
	}
	for _, purpose := range Purposes {
		if _, ok := p.Purpose(purpose); !ok {
			t.Errorf("default policy does not configure %s", purpose)
		}
	}
	// Parsing the exported copy gives the same table.
	q, err := Parse("copy.yaml", DefaultYAML())
	if err != nil {
		t.Fatalf("Parse(DefaultYAML()) = %v", err)
	}
	if got, want := renderTable(q), renderTable(p); got != want {
		t.Error("re-parsed default policy differs from Default()")
	}
	checkInvariants(t, p)
}

func TestActionFor(t *testing.T) {
	ipPrefix := Action{Kind: Generalize, Generalize: GeneralizeIPPrefix, IPv4Bits: 24, IPv6Bits: 48}
	drop := Action{Kind: Drop}
	keep := Action{Kind: Keep}
	p := Default()
	tests := []struct {
		purpose Purpose
		cat     classifiers.Category
		typ     classifiers.EntityType
		want    Action
	}{
		// product_improvement keeps navigation and device data…
		{ProductImprovement, classifiers.Navigation, "", keep},
		{ProductImprovement, classifiers.Device, "", keep},
		{ProductImprovement, classifiers.CoarseLocation, "", keep},
		{ProductImprovement, classifiers.CoarseLocation, Region, keep},
		{ProductImprovement, classifiers.NonPersonal, "", keep},
		{ProductImprovement, classifiers.Navigation, Timestamp, keep},
		// …generalizes IPs, postal codes, ages, user agents and URLs…
		{ProductImprovement, classifiers.NetworkIdentifier, classifiers.IPAddress, ipPrefix},
		{ProductImprovement, classifiers.PreciseLocation, classifiers.PostalCode, Action{Kind: Generalize, Generalize: GeneralizePostalPrefix}},
		{ProductImprovement, classifiers.Demographics, Age, Action{Kind: Generalize, Generalize: GeneralizeAgeBand}},
		{ProductImprovement, classifiers.Device, UserAgent, Action{Kind: Generalize, Generalize: GeneralizeUserAgent}},
		{ProductImprovement, classifiers.Navigation, classifiers.URL, Action{Kind: Generalize, Generalize: GeneralizeURL}},
		// …and drops the rest.
		{ProductImprovement, classifiers.NetworkIdentifier, classifiers.MACAddress, drop},
		{ProductImprovement, classifiers.NetworkIdentifier, "", drop},
		{ProductImprovement, classifiers.PreciseLocation, "", drop}, // a city
		{ProductImprovement, classifiers.PreciseLocation, classifiers.GeoCoordinate, drop},
		{ProductImprovement, classifiers.Demographics, classifiers.DateOfBirth, drop},
		{ProductImprovement, classifiers.Demographics, "", drop},
		{ProductImprovement, classifiers.Identity, classifiers.Person, drop},
		{ProductImprovement, classifiers.Contact, classifiers.EmailAddress, drop},
		{ProductImprovement, classifiers.Conversation, "", drop},
		{ProductImprovement, classifiers.BotContent, "", drop},
		{ProductImprovement, classifiers.Financial, classifiers.CreditCard, drop},
		{ProductImprovement, classifiers.GovernmentID, classifiers.USSSN, drop},
		{ProductImprovement, classifiers.Pseudonymous, "", drop},
		{ProductImprovement, classifiers.Credentials, classifiers.Secret, drop},
		{ProductImprovement, classifiers.Unknown, "", drop},
		// Fail-closed corners: bad category, unknown entity type, and an
		// entity tagged with the wrong category.
		{ProductImprovement, "no_such_category", "", drop},
		{ProductImprovement, classifiers.Navigation, "NOT_A_TYPE", drop},
		{ProductImprovement, classifiers.Navigation, classifiers.EmailAddress, drop},
		{ProductImprovement, classifiers.Navigation, classifiers.IPAddress, drop},
		{ProductImprovement, classifiers.Unknown, classifiers.IPAddress, drop},
		{Service, classifiers.Navigation, "NOT_A_TYPE", Action{Kind: Redact}},
		{Service, classifiers.Unknown, "", Action{Kind: Redact}},
		// Credentials and secrets are dropped everywhere, whatever the category says.
		{Service, classifiers.Credentials, "", drop},
		{Service, classifiers.Navigation, classifiers.Secret, drop},
		{Service, classifiers.Conversation, classifiers.Secret, drop},
		// Other purposes.
		{Service, classifiers.Contact, classifiers.EmailAddress, keep},
		{Service, classifiers.Conversation, "", keep},
		{Service, classifiers.Financial, classifiers.CreditCard, Action{Kind: Mask, MaskKeep: 4}},
		{Security, classifiers.NetworkIdentifier, classifiers.IPAddress, Action{Kind: Hash, Rotation: RotateDay}},
		{Security, classifiers.Pseudonymous, "", Action{Kind: Hash, Rotation: RotateWeek}},
		{Security, classifiers.Identity, "", drop},
		{Security, classifiers.Device, UserAgent, keep},
		{Marketing, classifiers.Demographics, "", keep},
		{Marketing, classifiers.Demographics, Age, Action{Kind: Generalize, Generalize: GeneralizeAgeBand}},
		{Marketing, classifiers.Contact, "", drop},
		{Marketing, classifiers.NetworkIdentifier, classifiers.IPAddress, ipPrefix},
	}
	for _, tc := range tests {
		got, err := p.ActionFor(tc.purpose, tc.cat, tc.typ)
		if err != nil {
			t.Errorf("ActionFor(%s, %s, %q) error %v", tc.purpose, tc.cat, tc.typ, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ActionFor(%s, %s, %q) = %v, want %v", tc.purpose, tc.cat, tc.typ, got, tc.want)
		}
	}
}

func TestActionForErrors(t *testing.T) {
	var unvalidated Policy
	if _, err := unvalidated.ActionFor(ProductImprovement, classifiers.Navigation, ""); !errors.Is(err, ErrNotValidated) {
		t.Errorf("unvalidated policy: error %v, want ErrNotValidated", err)
	}
	if _, err := Default().ActionFor("training", classifiers.Navigation, ""); !errors.Is(err, ErrUnknownPurpose) {
		t.Errorf("unknown purpose: error %v, want ErrUnknownPurpose", err)
	}
	p, err := Parse("one.yaml", []byte("version: \"1\"\npurposes:\n  service:\n    default: drop\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ActionFor(Marketing, classifiers.Navigation, ""); !errors.Is(err, ErrPurposeNotConfigured) {
		t.Errorf("unconfigured purpose: error %v, want ErrPurposeNotConfigured", err)
	}
	// A category without a rule gets the purpose's default.
	if a, err := p.ActionFor(Service, classifiers.Navigation, ""); err != nil || a.Kind != Drop {
		t.Errorf("unlisted category: %v, %v; want drop", a, err)
	}
}

func TestValidateInCode(t *testing.T) {
	p := &Policy{
		Version: Version,
		Purposes: map[Purpose]PurposePolicy{
			ProductImprovement: {
				Default:    Action{Kind: Drop},
				Categories: map[classifiers.Category]Action{classifiers.Navigation: {Kind: Keep}},
			},
		},
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if a, _ := p.ActionFor(ProductImprovement, classifiers.Navigation, ""); a.Kind != Keep {
		t.Errorf("navigation = %v, want keep", a)
	}
	// Breaking it afterwards and re-validating fails and clears the table,
	// so a policy that failed validation can never answer.
	pp := p.Purposes[ProductImprovement]
	pp.Categories[classifiers.Identity] = Action{Kind: Keep}
	err := p.Validate()
	var pe *Error
	if !errors.As(err, &pe) || pe.Key != "purposes.product_improvement.categories.identity" || pe.File != "" {
		t.Fatalf("Validate() = %v, want *Error for identity without file", err)
	}
	if _, err := p.ActionFor(ProductImprovement, classifiers.Navigation, ""); !errors.Is(err, ErrNotValidated) {
		t.Errorf("after failed Validate: %v, want ErrNotValidated", err)
	}
}

func TestAcceptsOrigin(t *testing.T) {
	p := Default()
	m, _ := p.Purpose(Marketing)
	if !m.AcceptsOrigin(OriginWebsite) || m.AcceptsOrigin("service") || m.AcceptsOrigin("") {
		t.Errorf("marketing AcceptsOrigin: website=%v service=%v empty=%v", m.AcceptsOrigin(OriginWebsite), m.AcceptsOrigin("service"), m.AcceptsOrigin(""))
	}
	s, _ := p.Purpose(Service)
	if !s.AcceptsOrigin("service") {
		t.Error("service purpose without allowed_origins must accept every origin")
	}
}

func TestStricter(t *testing.T) {
	tests := []struct{ a, b, want Action }{
		{Action{Kind: Keep}, Action{Kind: Drop}, Action{Kind: Drop}},
		{Action{Kind: Redact}, Action{Kind: Hash, Rotation: RotateDay}, Action{Kind: Redact}},
		{Action{Kind: Hash, Rotation: RotateMonth}, Action{Kind: Hash, Rotation: RotateDay}, Action{Kind: Hash, Rotation: RotateDay}},
		{Action{Kind: Mask, MaskKeep: 4}, Action{Kind: Mask, MaskKeep: 2}, Action{Kind: Mask, MaskKeep: 2}},
		{Action{Kind: Generalize, Generalize: GeneralizeURL}, Action{Kind: Generalize, Generalize: GeneralizeIPPrefix}, Action{Kind: Drop}},
		{Action{Kind: Scrub}, Action{Kind: Generalize, Generalize: GeneralizeURL}, Action{Kind: Generalize, Generalize: GeneralizeURL}},
	}
	for _, tc := range tests {
		if got := stricter(tc.a, tc.b); got != tc.want {
			t.Errorf("stricter(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := stricter(tc.b, tc.a); got != tc.want {
			t.Errorf("stricter(%v, %v) = %v, want %v", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestActionForDoesNotAllocate(t *testing.T) {
	p := Default()
	allocs := testing.AllocsPerRun(1000, func() {
		_, _ = p.ActionFor(ProductImprovement, classifiers.NetworkIdentifier, classifiers.IPAddress)
		_, _ = p.ActionFor(Marketing, classifiers.Navigation, "")
		_, _ = p.ActionFor(Service, classifiers.Navigation, "SOMETHING_NEW")
		_, _ = p.ActionFor("nope", classifiers.Navigation, "")
	})
	if allocs != 0 {
		t.Errorf("ActionFor allocates %v times per run, want 0", allocs)
	}
}

func BenchmarkActionFor(b *testing.B) {
	p := Default()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = p.ActionFor(ProductImprovement, classifiers.NetworkIdentifier, classifiers.IPAddress)
	}
}

func BenchmarkActionForNoEntity(b *testing.B) {
	p := Default()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = p.ActionFor(ProductImprovement, classifiers.Navigation, "")
	}
}
