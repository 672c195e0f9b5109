package policy

import "fmt"

// Purpose names what an output is used for. The statement allows different
// handling of the same data per purpose, so every output declares one.
type Purpose string

// The purposes a policy can configure.
const (
	// ProductImprovement is usage analytics for improving the product.
	ProductImprovement Purpose = "product_improvement"
	// Security is abuse, fraud and intrusion detection.
	Security Purpose = "security"
	// Marketing is marketing analytics; it accepts website-origin events
	// only (see PurposePolicy.AllowedOrigins).
	Marketing Purpose = "marketing"
	// Service is providing the service itself to the customer.
	Service Purpose = "service"
)

// Purposes lists every purpose in a stable order.
var Purposes = []Purpose{ProductImprovement, Security, Marketing, Service}

// purposeIndex returns the position of p in Purposes without allocating.
func purposeIndex(p Purpose) (int, bool) {
	switch p {
	case ProductImprovement:
		return 0, true
	case Security:
		return 1, true
	case Marketing:
		return 2, true
	case Service:
		return 3, true
	}
	return 0, false
}

const numPurposes = 4

// Valid reports whether p is one of the known purposes.
func (p Purpose) Valid() bool {
	_, ok := purposeIndex(p)
	return ok
}

// Analytics reports whether p is an analytics purpose, on which the
// statement promises that no person is identifiable or linkable across
// days: product_improvement and marketing.
func (p Purpose) Analytics() bool {
	return p == ProductImprovement || p == Marketing
}

// ParsePurpose returns the purpose named s, or an error naming s.
func ParsePurpose(s string) (Purpose, error) {
	p := Purpose(s)
	if !p.Valid() {
		return "", fmt.Errorf("unknown purpose %q (known: %v)", s, Purposes)
	}
	return p, nil
}

// Origin names where an event comes from, as the pipeline records it
// (a header or a field of the event envelope).
type Origin string

// OriginWebsite is the origin of events collected on a customer's website
// (visitor analytics and forms). It is the only origin a marketing purpose
// may accept: the statement says service data, conversation data included,
// is not used for personalized marketing.
const OriginWebsite Origin = "website"
