package policy

import "github.com/veilstream/veil/classifiers"

// Field kinds are entity types that no content detector reports but that a
// schema may tag a field with, so that the policy can pick a generalizer for
// values whose category alone does not say how to coarsen them (a user agent
// is device data, but unlike the OS name it must be generalized). They are
// accepted wherever an entity type is, in policy files and by ActionFor.
const (
	// UserAgent is an HTTP User-Agent header (category device).
	UserAgent classifiers.EntityType = "USER_AGENT"
	// Age is a person's age in years (category demographics).
	Age classifiers.EntityType = "AGE"
	// Timestamp is an event or page-view time (category navigation).
	Timestamp classifiers.EntityType = "TIMESTAMP"
	// Region is a country or first-level subdivision such as "US-CA"
	// (category coarse_location).
	Region classifiers.EntityType = "REGION"
)

// FieldKinds lists the schema-only field kinds in a stable order.
var FieldKinds = []classifiers.EntityType{UserAgent, Age, Timestamp, Region}

// KindCategory returns the category an entity type or field kind belongs to:
// classifiers.CategoryOf for taxonomy types, and the category documented on
// each field kind. It returns classifiers.Unknown for anything else.
func KindCategory(t classifiers.EntityType) classifiers.Category {
	switch t {
	case UserAgent:
		return classifiers.Device
	case Age:
		return classifiers.Demographics
	case Timestamp:
		return classifiers.Navigation
	case Region:
		return classifiers.CoarseLocation
	}
	return classifiers.CategoryOf(t)
}

// ValidKind reports whether t is a taxonomy entity type or a field kind.
func ValidKind(t classifiers.EntityType) bool {
	if t.Valid() {
		return true
	}
	for _, k := range FieldKinds {
		if k == t {
			return true
		}
	}
	return false
}

// allKinds returns the taxonomy entity types followed by the field kinds.
func allKinds() []classifiers.EntityType {
	out := make([]classifiers.EntityType, 0, len(classifiers.EntityTypes)+len(FieldKinds))
	out = append(out, classifiers.EntityTypes...)
	return append(out, FieldKinds...)
}
