package sanitize

import (
	"errors"
	"fmt"
	"time"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

// Scanner finds personal data in a value; *engine.Engine implements it.
// Scan appends findings, sorted and non-overlapping, to dst; an error means
// the value could not be classified and must be handled fail-closed.
type Scanner interface {
	Scan(text string, dst []classifiers.Finding) ([]classifiers.Finding, error)
}

// KeyClass is what a field name says about its value.
type KeyClass struct {
	// Category is the data category of the value.
	Category classifiers.Category
	// Type is the entity type or policy field kind the name implies
	// (EMAIL_ADDRESS, IP_ADDRESS, USER_AGENT, AGE, TIMESTAMP, …), or empty
	// when the name implies only the category.
	Type classifiers.EntityType
	// Opaque marks values whose content need not be scanned when kept:
	// timestamps, counts, durations, sizes.
	Opaque bool
	// Identifier marks random, non-personal identifiers (message, event,
	// request ids): kept without a content scan when they look like one.
	Identifier bool
}

// KeyClassifier classifies a member by its key and the key of the object
// that holds it (empty at the top level). It reports false for names it
// does not know. It must not retain its arguments.
type KeyClassifier func(parent, key []byte) (KeyClass, bool)

// Config says what a Sanitizer does.
type Config struct {
	// Purpose is the purpose of the output this Sanitizer serves.
	Purpose policy.Purpose
	// Policy maps categories to actions per purpose; it must be validated.
	Policy *policy.Policy
	// Scanner classifies content.
	Scanner Scanner
	// Keys classifies field names; nil classifies by content alone.
	Keys KeyClassifier
	// Schemas, when set, select a schema per event by its discriminator
	// (type, event_type, event); a member the schema tags is classified by
	// its x-pii annotation before any other way. Nil classifies without
	// schemas.
	Schemas *schemas.Registry
	// RejectViolations makes a schema violation (wrong type, value outside
	// the enum, member not allowed, required member missing) an error, so
	// that the pipeline dead-letters the event; when false, schemas only
	// classify. Under a strict purpose an event that no schema selects is
	// always an error.
	RejectViolations bool
	// Pseudonyms makes keyed pseudonyms for hash actions. Nil makes hash
	// actions fail closed (the value is redacted).
	Pseudonyms *actions.Pseudonymizer
	// CustomerKeys are top-level keys whose string value names the customer
	// an event belongs to, whose keys pseudonymize it (first present wins).
	// Events without one use DefaultCustomer.
	CustomerKeys []string
	// DefaultCustomer is the customer of events that name none.
	DefaultCustomer string
	// RejectUnclassifiable makes a value that could not be classified (a
	// rule hit its match timeout) an error, so that the pipeline
	// dead-letters the event with the reason; when false the value is
	// redacted whole (fail closed) and the event goes on.
	RejectUnclassifiable bool
	// TagOnly classifies and records what would be done but changes nothing
	// (discovery on restricted topics).
	TagOnly bool
	// DiscardApplied keeps no record of what was done (Applied returns
	// nothing), for callers that want the sanitized events alone, as `veil
	// redact` does; it cannot go with TagOnly, whose output is the record.
	DiscardApplied bool
	// MaxDepth bounds nesting (0: jsonwalk's default); MaxBytes bounds the
	// event size (0: unlimited). Events over them are rejected.
	MaxDepth int
	MaxBytes int
	// Now returns the time used for age bands and key periods; nil means
	// time.Now.
	Now func() time.Time
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.Policy == nil {
		return errors.New("sanitize: policy is required")
	}
	if _, ok := c.Policy.Purpose(c.Purpose); !ok {
		return fmt.Errorf("sanitize: purpose %q is not configured in policy %s", c.Purpose, c.Policy.Source())
	}
	if _, err := c.Policy.ActionFor(c.Purpose, classifiers.Unknown, ""); err != nil {
		return fmt.Errorf("sanitize: policy %s: %w", c.Policy.Source(), err)
	}
	if c.Scanner == nil {
		return errors.New("sanitize: scanner is required")
	}
	if pp, _ := c.Policy.Purpose(c.Purpose); pp.Strict && c.Schemas == nil {
		return fmt.Errorf("sanitize: purpose %q is strict (only schema-named fields pass) but no schemas are configured", c.Purpose)
	}
	if c.TagOnly && c.DiscardApplied {
		return errors.New("sanitize: tag-only mode needs the record of what would be done; DiscardApplied discards it")
	}
	if c.MaxDepth < 0 || c.MaxBytes < 0 {
		return errors.New("sanitize: limits must not be negative")
	}
	return nil
}
