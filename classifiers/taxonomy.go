package classifiers

import "fmt"

// EntityType names a kind of personal data found in a value. The names are
// Presidio-compatible where Presidio has the type.
type EntityType string

// The entity types of the taxonomy.
const (
	EmailAddress  EntityType = "EMAIL_ADDRESS"
	PhoneNumber   EntityType = "PHONE_NUMBER"
	IPAddress     EntityType = "IP_ADDRESS"
	CreditCard    EntityType = "CREDIT_CARD"
	IBANCode      EntityType = "IBAN_CODE"
	USSSN         EntityType = "US_SSN"
	CASIN         EntityType = "CA_SIN"
	UKNINO        EntityType = "UK_NINO"
	PostalCode    EntityType = "POSTAL_CODE"
	Person        EntityType = "PERSON"
	StreetAddress EntityType = "STREET_ADDRESS"
	GeoCoordinate EntityType = "GEO_COORDINATE"
	MACAddress    EntityType = "MAC_ADDRESS"
	URL           EntityType = "URL"
	Crypto        EntityType = "CRYPTO"
	Secret        EntityType = "SECRET"
	DateOfBirth   EntityType = "DATE_OF_BIRTH"
)

// EntityTypes lists every entity type of the taxonomy in a stable order.
var EntityTypes = []EntityType{
	EmailAddress, PhoneNumber, IPAddress, CreditCard, IBANCode, USSSN, CASIN,
	UKNINO, PostalCode, Person, StreetAddress, GeoCoordinate, MACAddress, URL,
	Crypto, Secret, DateOfBirth,
}

// Valid reports whether t is one of the taxonomy's entity types.
func (t EntityType) Valid() bool {
	for _, e := range EntityTypes {
		if e == t {
			return true
		}
	}
	return false
}

// ParseEntityType returns the entity type named s, or an error naming s.
func ParseEntityType(s string) (EntityType, error) {
	t := EntityType(s)
	if !t.Valid() {
		return "", fmt.Errorf("unknown entity type %q (see taxonomy: %v)", s, EntityTypes)
	}
	return t, nil
}

// Category is a coarse class of data that a policy maps to an action per
// purpose. Schemas tag fields with a category; content findings map to one
// through CategoryOf.
type Category string

// The data categories of the taxonomy, plus NonPersonal for values that
// classify as carrying no personal data and Unknown for values that could
// not be classified (which policies treat fail-closed).
const (
	Identity          Category = "identity"
	Contact           Category = "contact"
	NetworkIdentifier Category = "network_identifier"
	PreciseLocation   Category = "precise_location"
	CoarseLocation    Category = "coarse_location"
	Device            Category = "device"
	Navigation        Category = "navigation"
	Conversation      Category = "conversation"
	BotContent        Category = "bot_content"
	Credentials       Category = "credentials"
	Demographics      Category = "demographics"
	Financial         Category = "financial"
	GovernmentID      Category = "government_id"
	// Pseudonymous covers identifiers that link one person's events
	// (user, anonymous, session and device ids) without naming the person.
	Pseudonymous Category = "linking_identifier"
	NonPersonal  Category = "non_personal"
	Unknown      Category = "unknown"
)

// Categories lists every category in a stable order.
var Categories = []Category{
	Identity, Contact, NetworkIdentifier, PreciseLocation, CoarseLocation,
	Device, Navigation, Conversation, BotContent, Credentials, Demographics,
	Financial, GovernmentID, Pseudonymous, NonPersonal, Unknown,
}

// Valid reports whether c is one of the known categories.
func (c Category) Valid() bool {
	for _, e := range Categories {
		if e == c {
			return true
		}
	}
	return false
}

// ParseCategory returns the category named s, or an error naming s.
func ParseCategory(s string) (Category, error) {
	c := Category(s)
	if !c.Valid() {
		return "", fmt.Errorf("unknown data category %q (known: %v)", s, Categories)
	}
	return c, nil
}

// CategoryOf maps an entity type found in content to the data category the
// policy acts on.
func CategoryOf(t EntityType) Category {
	switch t {
	case Person:
		return Identity
	case EmailAddress, PhoneNumber, StreetAddress:
		return Contact
	case IPAddress, MACAddress:
		return NetworkIdentifier
	case PostalCode, GeoCoordinate:
		return PreciseLocation
	case CreditCard, IBANCode, Crypto:
		return Financial
	case USSSN, CASIN, UKNINO:
		return GovernmentID
	case Secret:
		return Credentials
	case DateOfBirth:
		return Demographics
	case URL:
		return Navigation
	}
	return Unknown
}

// Finding is one span of a value that a detector classified as an entity.
// Start and End are UTF-8 byte offsets into the value, End exclusive.
type Finding struct {
	Type  EntityType
	Start int
	End   int
	Score float64
	// Rule is the id of the rule (or detector) that produced the finding.
	Rule string
}
