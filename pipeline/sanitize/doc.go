// Package sanitize turns one raw event into the event an output of a given
// purpose may see.
//
// A Sanitizer walks the event once with a jsonwalk.Rewriter. For every
// member it decides a data category and, where it can, an entity type:
//
//  1. by field name, through a key classifier (English, French, German
//     field names, with the parent key as context: traits.name is a person,
//     page.name is not);
//  2. by content, through the classifier engine, for values of unknown
//     fields, for strings of fields the policy keeps (a page title can carry
//     an email address), and for numbers long enough to be phone or card
//     numbers; keys of unknown members are scanned too, since a key can
//     carry personal data; a value written in base64 that decodes to text
//     is scanned in its decoded form, and acted on whole when that holds
//     personal data;
//  3. by shape, for values of unknown fields that look like random
//     identifiers (UUIDs, long hex or base64 tokens), which would link a
//     person's events: they classify as linking identifiers.
//
// It then applies the action the policy allows for that category on the
// output's purpose: keep, drop, redact, mask, keyed hash, generalize or
// scrub. Whatever cannot be classified is handled fail-closed: a value whose
// scan timed out is redacted whole, a value a generalizer cannot parse is
// redacted, and the policy's default for unknown values is drop or redact.
//
// Every change is recorded as an Applied entry (path, entity type or
// category, action) so that outputs can tag records with what was done,
// never with the values. In tag-only mode the Sanitizer records what it
// would do and changes nothing.
package sanitize
