// Package corpus generates realistic, labelled events and texts for
// measuring veil: how much personal data survives redaction, how much of
// what analytics needs is kept, and how fast the classifier and the pipeline
// run.
//
// A Generator is seeded (math/rand/v2 PCG) and deterministic: the same seed,
// options and calls give the same bytes. Next returns a Record, one event of
// one of fifteen families (end-user analytics, Segment/RudderStack page,
// track, identify and screen calls, visitor profiles, conversation messages,
// bot content uploads, API usage, accounts, website forms and events whose
// shape no schema knows) with every personal value it holds listed with its
// type and path, and the non-personal values analytics needs listed with
// theirs. Text returns a free text in one of six languages with its entities
// marked by UTF-8 byte offsets.
//
// Records and texts are written as JSON Lines in the formats the conformance
// scorer (shared/conformance/score.py) reads: WriteRecords for `redact`,
// WriteTexts for `detect`. The names, streets and sentences the generator
// draws from are test data written for it; see README.md.
package corpus
