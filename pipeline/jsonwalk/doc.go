// Package jsonwalk is a zero-copy, single-pass JSON tokenizer and rewriter for
// veil's per-event hot path.
//
// A [Rewriter] walks one JSON event (a single top-level object), calls a [Func]
// for every object member and array element with its [Path] and [Value], and
// appends the rewritten event to a caller-owned dst buffer. Members the
// callback keeps are copied through byte for byte; members it drops disappear
// with their commas fixed up; members it replaces get the replacement bytes.
// With dst and the Rewriter reused, a rewrite makes no allocation.
//
// # Output form
//
// The output is compact: insignificant whitespace of the input is removed and
// nothing else changes. Keys, strings and numbers are copied verbatim, escapes
// included (a kept "\u0040" stays "\u0040"), and member order is preserved.
// With a callback that keeps everything, Rewrite produces exactly what
// encoding/json.Compact produces for the same valid input.
//
// # Validation
//
// The whole input is validated strictly against RFC 8259, also inside
// subtrees the callback drops or replaces:
//
//   - exactly one top-level value, and it must be an object ("not a JSON
//     object" otherwise); whitespace around it is allowed, anything else after
//     it is an error;
//   - strings must be valid UTF-8 and contain no control characters; escapes
//     must be one of \" \\ \/ \b \f \n \r \t \uXXXX;
//   - numbers follow the JSON grammar (no leading zeros, no '+', no NaN or
//     Infinity, digits required after '.' and in exponents);
//   - truncated input and trailing garbage are errors.
//
// Two choices differ from what some decoders do, and both are deliberate:
//
//   - Unpaired UTF-16 surrogate escapes (such as "\ud800" without a low
//     surrogate after it) are accepted, as RFC 8259's grammar allows. In the
//     decoded forms handed to the callback ([Value].Str and [Segment].Key) each
//     one reads as U+FFFD, the same as encoding/json decodes them; the raw
//     escape is copied through unchanged when the value is kept.
//   - Invalid UTF-8 is rejected anywhere, including inside strings, where
//     encoding/json.Valid accepts it.
//
// Duplicate keys are accepted: each occurrence is reported to the callback
// and, when kept, written out. A policy that drops a key therefore drops every
// occurrence of it.
//
// # Limits and errors
//
// [Rewriter.MaxDepth] bounds nesting (default [DefaultMaxDepth]) and
// [Rewriter.MaxBytes] bounds the input size (default unlimited). The walk uses
// an explicit stack, so deep input never grows the goroutine stack.
//
// Malformed input yields a [*SyntaxError]; exceeded limits yield a
// [*LimitError] that wraps [ErrTooDeep] or [ErrTooLarge]. Error messages are
// built from a fixed vocabulary and positions only: they never contain bytes of
// the input, which is personal data. On any error Rewrite returns dst truncated
// to its original length, so no partial event can be forwarded.
//
// The callback may already have run for members before the point where an
// error is found: a caller must act on what it saw only when Rewrite or Walk
// returns a nil error.
//
// # Notes for callers
//
//   - Classify [Value].Str, not Raw: Raw is the string as written, escapes and
//     quotes included, and Str is what a consumer decodes. Numbers are only in
//     Raw, as written; personal data can be a number (a phone number, a card
//     number), so classify Raw too.
//   - Match policy paths on [Path.AppendTo] (decoded keys) or [Path.At]; a key
//     written as "e\u006dail" reads as "email". Keys themselves are copied to
//     the output as written, and a key can carry personal data: classify
//     [Segment].Key of unknown members, and drop the member to remove its key.
//   - An array index in a Path is the element's position in the input; the
//     output does not renumber after a dropped element.
//   - Containers are shown before their contents (Raw is nil for them).
//     Dropping or replacing a container is the cheap way to remove a subtree:
//     its contents are still validated but not visited.
//   - A Rewriter, its Path and Value are reused and not safe for concurrent
//     use: keep one Rewriter per goroutine, and copy anything the callback
//     needs to keep.
package jsonwalk
