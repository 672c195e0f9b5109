package schemas

import (
	"errors"
	"strconv"
)

// SchemaError is a problem with a schema file, located by the file's name
// and a JSON pointer (RFC 6901) into it.
type SchemaError struct {
	// File is the file's name as loaded ("events/analytics.page_view.json"
	// for an embedded schema, the path under the user directory otherwise).
	File string
	// Pointer locates the problem in the file: "" is the whole document,
	// "/properties/page/x-pii" a member.
	Pointer string
	// Err says what is wrong.
	Err error
}

// Error renders the problem as "file#pointer: message".
func (e *SchemaError) Error() string {
	b := make([]byte, 0, len(e.File)+len(e.Pointer)+64)
	b = append(b, "schemas: "...)
	if e.File != "" {
		b = append(b, e.File...)
	}
	b = append(b, '#')
	b = append(b, e.Pointer...)
	b = append(b, ": "...)
	b = append(b, e.Err.Error()...)
	return string(b)
}

// Unwrap returns the underlying problem.
func (e *SchemaError) Unwrap() error { return e.Err }

// ErrViolation is wrapped by every error that reports an event breaking its
// schema, so callers can route such events to a dead-letter topic with
// errors.Is.
var ErrViolation = errors.New("schema violation")

// ViolationError reports an event that breaks its schema. It names the
// schema and the member by its schema path ("context.page.url",
// "products[].price"), never by the event's own keys or values, which may
// be personal data.
type ViolationError struct {
	// Schema is the $id of the schema the event was checked against.
	Schema string
	// Path is the schema path of the member, in the normalized dotted form
	// ("[]" for any array index, "*" for a member an additionalProperties
	// schema covers). For a member the schema does not allow, it is the
	// path of the object holding it.
	Path string
	// Reason says what is wrong, from a fixed vocabulary.
	Reason Reason
	// Got is the JSON type the event had, for ReasonType.
	Got string
	// Want lists the JSON types the schema allows, for ReasonType.
	Want TypeSet
}

// Reason is what a ViolationError is about.
type Reason uint8

// The reasons an event breaks its schema.
const (
	// ReasonType: the member has a JSON type the schema does not allow.
	ReasonType Reason = iota + 1
	// ReasonEnum: the member's value is not one the schema lists.
	ReasonEnum
	// ReasonAdditional: the object holds a member its schema does not name
	// and additionalProperties is false.
	ReasonAdditional
	// ReasonRequired: a required member is missing.
	ReasonRequired
)

var reasonText = [...]string{
	"",
	"wrong JSON type",
	"value not allowed by enum",
	"member not allowed (additionalProperties is false)",
	"required member missing",
}

// String describes the reason.
func (r Reason) String() string {
	if int(r) < len(reasonText) {
		return reasonText[r]
	}
	return "unknown reason"
}

// Error renders the violation as "schema <id>: <path>: <reason>".
func (e *ViolationError) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "schema "...)
	b = append(b, e.Schema...)
	b = append(b, ": "...)
	if e.Path == "" {
		b = append(b, "(event)"...)
	} else {
		b = append(b, e.Path...)
	}
	b = append(b, ": "...)
	b = append(b, e.Reason.String()...)
	if e.Reason == ReasonType {
		b = append(b, " ("...)
		b = append(b, e.Got...)
		b = append(b, ", want "...)
		b = e.Want.appendTo(b)
		b = append(b, ')')
	}
	return string(b)
}

// Unwrap returns ErrViolation.
func (e *ViolationError) Unwrap() error { return ErrViolation }

func itoa(i int) string { return strconv.Itoa(i) }
