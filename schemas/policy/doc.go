// Package policy is the privacy statement as code: a Policy maps each data
// category (and, optionally, each entity type) to the Action that an output
// of a given Purpose applies to values of that category.
//
// A policy is read from YAML with Parse (errors name the file, line and key)
// or taken from the embedded default with Default. Validate checks the
// policy against the statement's invariants, which hold whatever a file
// says:
//
//   - credentials, and values found to be a SECRET, are dropped on every
//     purpose;
//   - on analytics purposes (product_improvement, marketing) identity,
//     contact, conversation, bot_content, government_id, financial and
//     credentials are never kept, and conversation and bot_content are
//     never scrubbed either (scrubbing keeps the text around the findings);
//   - on analytics purposes precise_location and network_identifier are
//     only generalized, dropped, redacted or hashed;
//   - on analytics purposes a linking_identifier is dropped, redacted or
//     hashed with a key that rotates at least daily, and every hash rotates
//     at least daily (no pseudonym links a person across days);
//   - the unknown category (values that could not be classified) is only
//     dropped or redacted: the Default action is fail-closed;
//   - a generalizer is only applied to the categories it understands (an IP
//     prefix to network identifiers, a postal prefix to precise locations, …);
//   - a marketing purpose names its allowed event origins, and they are
//     website origins only.
//
// Validate also precomputes the purpose × category × entity type table that
// ActionFor reads, so that the per-value lookup does not allocate.
package policy
