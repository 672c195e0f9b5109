package actions

import (
	"unicode"
	"unicode/utf8"

	"github.com/veilstream/veil/classifiers"
)

// MaxMaskKeep is the most trailing characters Mask keeps. With at most four
// kept, no six digits of the original survive contiguously.
const MaxMaskKeep = 4

// Mask appends s with every letter and digit replaced by '*' except the
// last keepLast of them (clamped to 0..MaxMaskKeep). Separators and
// punctuation stay in place, so "4111 1111 1111 1111" masks to
// "**** **** **** 1111" and the format of the value remains readable; the
// length of the value is preserved, one '*' per masked character.
func Mask(dst []byte, s string, keepLast int) []byte {
	keepLast = min(max(keepLast, 0), MaxMaskKeep)
	total := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			total++
		}
	}
	seen := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			seen++
			if seen > total-keepLast {
				dst = append(dst, s[i:i+size]...)
			} else {
				dst = append(dst, '*')
			}
		} else if r == utf8.RuneError && size == 1 {
			dst = append(dst, '*') // invalid byte: never copied through
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// Marker appends the marker that replaces a redacted value or a scrubbed
// finding of type t: "[EMAIL_ADDRESS]". A t that is not a plausible type
// name (upper-case letters, digits and '_') gives "[REDACTED]".
func Marker(dst []byte, t classifiers.EntityType) []byte {
	ok := len(t) > 0 && len(t) <= 64
	for i := 0; ok && i < len(t); i++ {
		c := t[i]
		ok = (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_'
	}
	dst = append(dst, '[')
	if ok {
		dst = append(dst, t...)
	} else {
		dst = append(dst, "REDACTED"...)
	}
	return append(dst, ']')
}

// Scrub appends text with the span of every finding replaced by its Marker.
// Findings are expected sorted by Start and not overlapping, as detectors
// report them; when they are not, Scrub still replaces every byte any
// finding covers (overlapping spans merge into one marker, named after the
// first). Spans are clamped to the text and widened to whole UTF-8
// characters, so no partial character of a finding survives.
func Scrub(dst []byte, text string, findings []classifiers.Finding) []byte {
	if sortedDisjoint(text, findings) {
		pos := 0
		for i := range findings {
			s, e := clampSpan(text, findings[i].Start, findings[i].End)
			if s >= e {
				continue
			}
			dst = append(dst, text[pos:s]...)
			dst = Marker(dst, findings[i].Type)
			pos = e
		}
		return append(dst, text[pos:]...)
	}
	pos := 0
	for {
		// the next finding ending after pos, with the smallest start
		best := -1
		bs, be := 0, 0
		for i := range findings {
			s, e := clampSpan(text, findings[i].Start, findings[i].End)
			if e <= pos || s >= e {
				continue
			}
			s = max(s, pos)
			if best < 0 || s < bs {
				best, bs, be = i, s, e
			}
		}
		if best < 0 {
			return append(dst, text[pos:]...)
		}
		// merge everything that overlaps the span
		for grown := true; grown; {
			grown = false
			for i := range findings {
				s, e := clampSpan(text, findings[i].Start, findings[i].End)
				if s < be && e > be {
					be, grown = e, true
				}
			}
		}
		dst = append(dst, text[pos:bs]...)
		dst = Marker(dst, findings[best].Type)
		pos = be
	}
}

// sortedDisjoint reports whether the clamped spans of findings are in
// order and do not overlap.
func sortedDisjoint(text string, findings []classifiers.Finding) bool {
	pos := 0
	for i := range findings {
		s, e := clampSpan(text, findings[i].Start, findings[i].End)
		if s >= e {
			continue
		}
		if s < pos {
			return false
		}
		pos = e
	}
	return true
}

// clampSpan limits [s, e) to text and widens it to rune boundaries.
func clampSpan(text string, s, e int) (int, int) {
	s = min(max(s, 0), len(text))
	e = min(max(e, 0), len(text))
	for s > 0 && s < len(text) && !utf8.RuneStart(text[s]) {
		s--
	}
	for e < len(text) && !utf8.RuneStart(text[e]) {
		e++
	}
	return s, e
}

// Country appends the ISO 3166-1 alpha-2 country of v, which is a country
// code ("us") or an ISO 3166-2 subdivision code ("US-CA", "gb-eng"),
// upper-cased. It reports false, leaving dst unchanged, for anything else.
func Country(dst []byte, v string) ([]byte, bool) {
	if len(v) < 2 || !isLetter(v[0]) || !isLetter(v[1]) {
		return dst, false
	}
	if len(v) > 2 {
		if v[2] != '-' || len(v) < 4 || len(v) > 6 {
			return dst, false
		}
		for i := 3; i < len(v); i++ {
			if !isLetter(v[i]) && !isDigit(v[i]) {
				return dst, false
			}
		}
	}
	return append(dst, upper(v[0]), upper(v[1])), true
}
