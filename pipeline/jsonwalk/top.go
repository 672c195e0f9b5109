package jsonwalk

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// TopLevelStrings calls fn, in order, with the key and value of every member
// of the top-level object src whose value is a string, as Walk would show
// them at depth one, without tokenizing the rest of the event: nested
// containers are skipped by their brackets, strings inside them by their
// quotes. It is the fast way to read an event's type or tenant before
// walking it.
//
// TopLevelStrings does not validate src. It returns false when it cannot
// answer exactly what Walk would: src is not an object it can read this
// way, or a top-level key or string value holds an escape. The caller then
// walks src instead; fn may have been called for some members by then.
// When src is valid JSON and TopLevelStrings returns true, fn saw exactly
// the members Walk would have shown (a test holds it to that).
func TopLevelStrings(src []byte, fn func(key, val []byte)) bool {
	i := skipWS(src, 0)
	if i >= len(src) || src[i] != '{' {
		return false
	}
	i = skipWS(src, i+1)
	if i < len(src) && src[i] == '}' {
		return true
	}
	for i < len(src) {
		if src[i] != '"' {
			return false
		}
		kEnd, esc := plainStringEnd(src, i)
		if kEnd < 0 || esc {
			return false
		}
		key := src[i+1 : kEnd-1]
		i = skipWS(src, kEnd)
		if i >= len(src) || src[i] != ':' {
			return false
		}
		i = skipWS(src, i+1)
		if i >= len(src) {
			return false
		}
		switch c := src[i]; c {
		case '"':
			end, esc := plainStringEnd(src, i)
			if end < 0 || esc {
				return false
			}
			fn(key, src[i+1:end-1])
			i = end
		case '{', '[':
			if i = skipContainer(src, i); i < 0 {
				return false
			}
		default:
			for i < len(src) && src[i] != ',' && src[i] != '}' && !isSpace(src[i]) {
				i++
			}
		}
		i = skipWS(src, i)
		if i >= len(src) {
			return false
		}
		switch src[i] {
		case ',':
			i = skipWS(src, i+1)
		case '}':
			return true
		default:
			return false
		}
	}
	return false
}

// plainStringEnd returns the offset after the closing quote of the string
// whose opening quote is src[i], and whether it holds an escape; -1 when
// it is not closed.
func plainStringEnd(src []byte, i int) (end int, escaped bool) {
	j := i + 1
	for {
		q := bytes.IndexByte(src[j:], '"')
		if q < 0 {
			return -1, escaped
		}
		q += j
		if bytes.IndexByte(src[j:q], '\\') < 0 {
			return q + 1, escaped
		}
		escaped = true
		// The quote is escaped when an odd run of backslashes precedes it.
		n := 0
		for k := q - 1; k > i && src[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return q + 1, escaped
		}
		j = q + 1
	}
}

// skipContainer returns the offset after the object or array that opens at
// src[i], matching brackets outside strings; -1 when it is not closed.
func skipContainer(src []byte, i int) int {
	depth := 0
	for i < len(src) {
		switch src[i] {
		case '"':
			if i = skipStringBody(src, i+1); i < 0 {
				return -1
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return -1
}

// skipStringBody returns the offset after the closing quote of a string
// whose content starts at src[i]; -1 when it is not closed. It skips eight
// bytes at a time that hold neither a quote nor a backslash.
func skipStringBody(src []byte, i int) int {
	for {
		for i+8 <= len(src) {
			x := binary.LittleEndian.Uint64(src[i:])
			q, b := x^(lsb*'"'), x^(lsb*'\\')
			// A zero byte in q or b marks a quote or a backslash; the
			// lowest flagged byte is exact.
			if m := ((q-lsb)&^q | (b-lsb)&^b) & msb; m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(src) {
			return -1
		}
		switch src[i] {
		case '"':
			return i + 1
		case '\\':
			i += 2
		default:
			i++
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
