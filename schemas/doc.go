// Package schemas holds veil's event schemas: JSON Schema files that say,
// for every member of an event, what data category it is (and, where known,
// what entity type), so that the policy in package schemas/policy can act on
// it without guessing from names or content.
//
// # Schema files
//
// A schema file is JSON Schema draft 2020-12 restricted to the keywords veil
// enforces: type, properties, required, additionalProperties (a boolean or a
// schema), items, enum, const, format (an annotation), $ref into $defs (of
// the same file or of another by $id), and annotations (title, description,
// $comment, examples, default, deprecated). Other keywords are refused, so
// that a schema cannot appear to check more than it does. Two extensions
// carry what veil needs:
//
//   - "x-pii": {"category": "contact", "type": "EMAIL_ADDRESS"} on every leaf
//     (a member with no properties, items or additionalProperties schema) and
//     optionally on containers. The category is one of classifiers.Categories;
//     the type, optional, is a taxonomy entity type or one of the policy's
//     field kinds (USER_AGENT, AGE, TIMESTAMP, REGION). Non-personal members
//     say so: {"category": "non_personal"}, or navigation, device or
//     coarse_location as the statement classes them.
//   - "x-veil-match": {"type": "page"} or {"event": ["message.received",
//     "message.sent"]} at the top level: the top-level key whose string value
//     selects the schema, and the value(s). The key must be a top-level
//     property allowing strings, and no two schemas may claim the same key
//     and value. A file with only $defs and no schema is a library that
//     others reference.
//
// Every file has an $id; user schemas are laid over the embedded ones by
// $id (Load). Each event schema lists realistic example events under
// "examples"; Load checks that its discriminator selects them and that they
// are valid, and rejects anything malformed with *SchemaError values naming
// the file and a JSON pointer.
//
// The embedded schemas cover the statement's event families (end-user
// analytics, Conversation Data and bot content, accounts, visitor forms and
// visitor analytics, API usage) and the Segment / RudderStack spec calls
// page, track, identify and screen; events/README.md lists them.
//
// # Lookups on the hot path
//
// Schemas are compiled into a tree of nodes keyed by property name, with
// array elements and additionalProperties members as wildcards; $ref
// targets are copied at each use so every node knows its own normalized
// path ("products[].price"). Registry.Select, Schema.Field, FieldAt,
// CheckValue and AdditionalAllowed walk that tree without allocating. A
// Registry and its Schemas are immutable after loading and safe for
// concurrent use.
//
// A caller that walks events with jsonwalk (the sanitizer) selects the
// schema first (Validator.Select, or Registry.Select on the top-level
// members it already read) and then calls Checker.Visit for each member:
// one map lookup per member returns the Field and any violation (wrong JSON
// type, a value outside the enum, a member additionalProperties forbids,
// required members missing), and Checker.Finish reports what is still
// missing at the end. Violations are *ViolationError values that wrap
// ErrViolation and name schema paths only, never the event's keys or
// values. Validator does both passes for callers that hold whole events.
package schemas
