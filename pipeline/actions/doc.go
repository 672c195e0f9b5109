// Package actions holds the value transformations a policy action applies:
// generalizers (IP prefixes, postal prefixes, time buckets, age bands, URLs,
// user agents, countries), masking, redaction markers, scrubbing of findings
// in free text, and keyed pseudonyms with per-customer keys that can be
// destroyed (crypto-shredding).
//
// Every transformation is a pure function that appends its result to a dst
// slice and, when its input may not parse, reports success as a bool. On
// false the caller must fail closed (drop or redact the value); dst is then
// returned unchanged. None of them retains its string arguments after
// returning, so a caller holding a []byte may pass it through a zero-copy
// string conversion (unsafe.String) without risk. With a dst of sufficient
// capacity they do not allocate.
package actions
