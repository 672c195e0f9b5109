package policy

import (
	"errors"
	"strings"
	"testing"
)

// policyDoc wraps purpose rules into a policy file. body is indented under
// the purpose; the line holding the marker "#<-" is where the error must
// point.
func policyDoc(purpose, body string) string {
	return "version: \"1\"\npurposes:\n  " + purpose + ":\n" + body
}

// lineOf returns the 1-based line of the first line containing "#<-".
func lineOf(doc string) int {
	for i, l := range strings.Split(doc, "\n") {
		if strings.Contains(l, "#<-") {
			return i + 1
		}
	}
	return 0
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		key     string // the key the error names
		message string // a substring of the error
	}{
		// Credentials and secrets: dropped on every purpose.
		{"credentials kept for service", policyDoc("service", "    default: drop\n    categories:\n      credentials: keep #<-\n"),
			"purposes.service.categories.credentials", "credentials must be dropped on every purpose"},
		{"secret redacted for security", policyDoc("security", "    default: drop\n    entities:\n      SECRET: redact #<-\n"),
			"purposes.security.entities.SECRET", "credentials must be dropped"},
		{"credentials hashed for product_improvement", policyDoc("product_improvement", "    default: drop\n    categories:\n      credentials: {action: hash, rotation: day} #<-\n"),
			"purposes.product_improvement.categories.credentials", "credentials must be dropped"},
		// Never kept on analytics purposes.
		{"identity kept", policyDoc("product_improvement", "    default: drop\n    categories:\n      identity: keep #<-\n"),
			"purposes.product_improvement.categories.identity", "identity is never kept on analytics purpose product_improvement"},
		{"contact kept for marketing", policyDoc("marketing", "    allowed_origins: [website]\n    default: drop\n    categories:\n      contact: keep #<-\n"),
			"purposes.marketing.categories.contact", "contact is never kept"},
		{"email kept", policyDoc("product_improvement", "    default: drop\n    entities:\n      EMAIL_ADDRESS: keep #<-\n"),
			"purposes.product_improvement.entities.EMAIL_ADDRESS", "contact is never kept"},
		{"person kept", policyDoc("marketing", "    allowed_origins: [website]\n    default: drop\n    entities:\n      PERSON: keep #<-\n"),
			"purposes.marketing.entities.PERSON", "identity is never kept"},
		{"conversation kept", policyDoc("product_improvement", "    default: drop\n    categories:\n      conversation: keep #<-\n"),
			"purposes.product_improvement.categories.conversation", "conversation text never reaches analytics"},
		{"conversation scrubbed", policyDoc("product_improvement", "    default: drop\n    categories:\n      conversation: scrub #<-\n"),
			"purposes.product_improvement.categories.conversation", "conversation text never reaches analytics"},
		{"bot content kept", policyDoc("marketing", "    allowed_origins: [website]\n    default: drop\n    categories:\n      bot_content: keep #<-\n"),
			"purposes.marketing.categories.bot_content", "bot_content text never reaches analytics"},
		{"government id kept", policyDoc("product_improvement", "    default: drop\n    categories:\n      government_id: keep #<-\n"),
			"purposes.product_improvement.categories.government_id", "government_id is never kept"},
		{"ssn kept", policyDoc("product_improvement", "    default: drop\n    entities:\n      US_SSN: keep #<-\n"),
			"purposes.product_improvement.entities.US_SSN", "government_id is never kept"},
		{"financial kept", policyDoc("product_improvement", "    default: drop\n    categories:\n      financial: keep #<-\n"),
			"purposes.product_improvement.categories.financial", "financial is never kept"},
		{"card kept", policyDoc("marketing", "    allowed_origins: [website]\n    default: drop\n    entities:\n      CREDIT_CARD: keep #<-\n"),
			"purposes.marketing.entities.CREDIT_CARD", "financial is never kept"},
		// Locations and network identifiers on analytics.
		{"city kept", policyDoc("product_improvement", "    default: drop\n    categories:\n      precise_location: keep #<-\n"),
			"purposes.product_improvement.categories.precise_location", "may only be generalized, dropped, redacted or hashed"},
		{"ip kept", policyDoc("product_improvement", "    default: drop\n    entities:\n      IP_ADDRESS: keep #<-\n"),
			"purposes.product_improvement.entities.IP_ADDRESS", "no raw IP"},
		{"network id masked", policyDoc("marketing", "    allowed_origins: [website]\n    default: drop\n    categories:\n      network_identifier: {action: mask, keep_last: 2} #<-\n"),
			"purposes.marketing.categories.network_identifier", "may only be generalized"},
		// Linking identifiers on analytics.
		{"linking id kept", policyDoc("product_improvement", "    default: drop\n    categories:\n      linking_identifier: keep #<-\n"),
			"purposes.product_improvement.categories.linking_identifier", "no pseudonym that links a person across days"},
		{"linking id hashed weekly", policyDoc("product_improvement", "    default: drop\n    categories:\n      linking_identifier: #<-\n        action: hash\n        rotation: week\n"),
			"purposes.product_improvement.categories.linking_identifier", "must rotate daily"},
		{"email hashed monthly on marketing", policyDoc("marketing", "    allowed_origins: [website]\n    default: drop\n    categories:\n      contact: {action: hash, rotation: month} #<-\n"),
			"purposes.marketing.categories.contact", "must rotate daily"},
		// Unknown values: fail-closed default.
		{"default keep", policyDoc("service", "    default: keep #<-\n"),
			"purposes.service.default", "must be dropped or redacted"},
		{"default scrub", policyDoc("security", "    default: scrub #<-\n"),
			"purposes.security.default", "must be dropped or redacted"},
		{"default missing", policyDoc("service", "    strict: true #<-\n"),
			"purposes.service.default", "every purpose names its default action"},
		{"unknown category rule", policyDoc("service", "    default: drop\n    categories:\n      unknown: redact #<-\n"),
			"purposes.service.categories.unknown", "always gets the purpose's default"},
		// Marketing origins.
		{"marketing without origins", "version: \"1\"\npurposes:\n  marketing: #<-\n    default: drop\n",
			"purposes.marketing.allowed_origins", "marketing must list its allowed origins"},
		{"marketing with service origin", policyDoc("marketing", "    allowed_origins: [website, service] #<-\n    default: drop\n"),
			"purposes.marketing.allowed_origins", `marketing accepts "website" events only, not "service"`},
		// Generalizers only where they apply, parameters within limits.
		{"url generalizer on identity", policyDoc("service", "    default: drop\n    categories:\n      identity: {action: generalize, generalizer: url} #<-\n"),
			"purposes.service.categories.identity", "generalizer url does not apply to category identity"},
		{"ip prefix too long", policyDoc("service", "    default: drop\n    entities:\n      IP_ADDRESS: {action: generalize, generalizer: ip_prefix, ipv4_bits: 32} #<-\n"),
			"purposes.service.entities.IP_ADDRESS", "ipv4_bits 32 out of range 0..24"},
		{"ipv6 prefix too long", policyDoc("service", "    default: drop\n    entities:\n      IP_ADDRESS: {action: generalize, generalizer: ip_prefix, ipv6_bits: 128} #<-\n"),
			"purposes.service.entities.IP_ADDRESS", "ipv6_bits 128 out of range 0..64"},
		{"mask keeps too much", policyDoc("service", "    default: drop\n    categories:\n      financial: {action: mask, keep_last: 6} #<-\n"),
			"purposes.service.categories.financial", "keep_last 6 out of range 0..4"},
		{"hash without rotation", policyDoc("service", "    default: drop\n    categories:\n      contact: hash #<-\n"),
			"purposes.service.categories.contact", "hash needs rotation"},
		{"rotation on drop", policyDoc("service", "    default: drop\n    categories:\n      contact: {action: drop, rotation: day} #<-\n"),
			"purposes.service.categories.contact", "rotation only applies to hash"},
		{"time bucket without unit", policyDoc("service", "    default: drop\n    entities:\n      TIMESTAMP: {action: generalize, generalizer: time_bucket} #<-\n"),
			"purposes.service.entities.TIMESTAMP", "time_bucket needs unit"},
		{"unknown action kind", policyDoc("service", "    default: drop\n    categories:\n      contact: shred #<-\n"),
			"purposes.service.categories.contact", `unknown action kind "shred"`},
		// File format.
		{"unknown category", policyDoc("service", "    default: drop\n    categories:\n      biometrics: drop #<-\n"),
			"purposes.service.categories.biometrics", "unknown data category"},
		{"unknown entity type", policyDoc("service", "    default: drop\n    entities:\n      FINGERPRINT: drop #<-\n"),
			"purposes.service.entities.FINGERPRINT", "unknown entity type or field kind"},
		{"unknown purpose", "version: \"1\"\npurposes:\n  training: #<-\n    default: drop\n",
			"purposes.training", "unknown purpose"},
		{"unknown purpose key", policyDoc("service", "    default: drop\n    defualt: redact #<-\n"),
			"purposes.service.defualt", "unknown key"},
		{"unknown action key", policyDoc("service", "    default: drop\n    categories:\n      contact: {action: hash, rotaton: day} #<-\n"),
			"purposes.service.categories.contact.rotaton", "unknown action key"},
		{"duplicate key", policyDoc("service", "    default: drop\n    categories:\n      contact: drop\n      contact: keep #<-\n"),
			"purposes.service.categories.contact", "key defined twice"},
		{"wrong version", "version: \"2\" #<-\npurposes:\n  service:\n    default: drop\n",
			"version", "unsupported policy version"},
		{"strict not bool", policyDoc("service", "    default: drop\n    strict: yes #<-\n"),
			"purposes.service.strict", "expected true or false"},
		{"bits not int", policyDoc("service", "    default: drop\n    entities:\n      IP_ADDRESS: {action: generalize, generalizer: ip_prefix, ipv4_bits: many} #<-\n"),
			"purposes.service.entities.IP_ADDRESS.ipv4_bits", "expected an integer"},
		{"action is a list", policyDoc("service", "    default: drop\n    categories:\n      contact: [drop] #<-\n"),
			"purposes.service.categories.contact", "expected an action"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tc.doc))
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", tc.doc)
			}
			want := lineOf(tc.doc)
			var found bool
			for _, e := range flatten(err) {
				var pe *Error
				if !errors.As(e, &pe) {
					t.Errorf("error %v is not a *Error", e)
					continue
				}
				if pe.Key == tc.key && pe.Line == want && pe.File == "p.yaml" && strings.Contains(pe.Error(), tc.message) {
					found = true
				}
			}
			if !found {
				t.Errorf("no error at p.yaml:%d key %s containing %q; got:\n%v", want, tc.key, tc.message, err)
			}
			prefix := "p.yaml:" + itoa(want) + ": " + tc.key + ": "
			if !strings.Contains(err.Error(), prefix) {
				t.Errorf("error text lacks %q:\n%v", prefix, err)
			}
		})
	}
}

func TestParseInvalidYAML(t *testing.T) {
	_, err := Parse("broken.yaml", []byte("version: \"1\"\npurposes: [\n"))
	var pe *Error
	if !errors.As(err, &pe) || pe.File != "broken.yaml" || !strings.Contains(err.Error(), "line") {
		t.Fatalf("Parse(broken) = %v, want *Error naming the file and line", err)
	}
	if _, err := Parse("empty.yaml", nil); err == nil || !strings.Contains(err.Error(), "empty.yaml") {
		t.Fatalf("Parse(empty) = %v, want an error naming the file", err)
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	doc := policyDoc("product_improvement", "    default: keep\n    categories:\n      identity: keep\n      contact: keep\n")
	_, err := Parse("p.yaml", []byte(doc))
	if n := len(flatten(err)); n != 3 {
		t.Errorf("got %d errors, want 3:\n%v", n, err)
	}
}

func TestParseDefaults(t *testing.T) {
	doc := policyDoc("service", "    default: drop\n    entities:\n      IP_ADDRESS: {action: generalize, generalizer: ip_prefix}\n")
	p, err := Parse("p.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	a := p.Purposes[Service].Entities["IP_ADDRESS"]
	if a.IPv4Bits != DefaultIPv4Bits || a.IPv6Bits != DefaultIPv6Bits {
		t.Errorf("ip_prefix without lengths = %v, want /%d and /%d", a, DefaultIPv4Bits, DefaultIPv6Bits)
	}
}

// flatten unpacks errors.Join trees.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
