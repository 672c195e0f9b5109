package jsonwalk

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// The scanners below validate one token starting at s[i] and return the offset
// just past it, or, when msg is not empty, the offset of the error.

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// stringStops returns, for eight string bytes loaded little-endian, a mask
// whose lowest set bit is the high bit of the first byte that a string scan
// must look at: '"', '\\', a control character, or a non-ASCII byte. It is
// zero when none of the eight bytes is one of those. Bits above the lowest may
// be spurious (a flagged byte borrows from the next), so only the lowest is
// used. x-0x20 sets the high bit of bytes below 0x20, x that of non-ASCII
// bytes, and q-1 and b-1 that of bytes equal to '"' and '\\' (or non-ASCII).
func stringStops(x uint64) uint64 {
	q := x ^ (lsb * '"')
	b := x ^ (lsb * '\\')
	return ((x - lsb*0x20) | x | (q - lsb) | (b - lsb)) & msb
}

// scanString validates the string whose opening quote is s[i]. It returns the
// offset after the closing quote and whether the string contains escapes.
func scanString(s []byte, i int) (end int, escaped bool, msg string) {
	n := len(s)
	i++
	for {
		// Skip eight plain bytes at a time; stop exactly at the first byte that
		// needs a look.
		for i+8 <= n {
			m := stringStops(binary.LittleEndian.Uint64(s[i:]))
			if m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= n {
			return n, escaped, msgEOF
		}
		c := s[i]
		switch {
		case c == '"':
			return i + 1, escaped, ""
		case c == '\\':
			escaped = true
			if i+1 >= n {
				return n, escaped, msgEOF
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for k := i + 2; k < i+6; k++ {
					if k >= n {
						return n, escaped, msgEOF
					}
					if hexVal(s[k]) < 0 {
						return k, escaped, invalid(s[k], ctxUnicode)
					}
				}
				i += 6
			default:
				return i + 1, escaped, invalid(s[i+1], ctxEscape)
			}
		case c < 0x20:
			return i, escaped, invalid(c, ctxString)
		case c < utf8.RuneSelf:
			i++ // plain byte in the last few bytes of the input
		default:
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size <= 1 {
				if !utf8.FullRune(s[i:]) {
					return n, escaped, msgEOF
				}
				return i, escaped, msgBadUTF8
			}
			i += size
		}
	}
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// hex4 decodes four hex digits already validated by scanString.
func hex4(s []byte) rune {
	return hexVal(s[0])<<12 | hexVal(s[1])<<8 | hexVal(s[2])<<4 | hexVal(s[3])
}

// unescape appends the decoded content of a string already validated by
// scanString (without its quotes) to dst. An unpaired surrogate escape decodes
// as U+FFFD.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		j := bytes.IndexByte(s[i:], '\\')
		if j < 0 {
			return append(dst, s[i:]...)
		}
		j += i
		dst = append(dst, s[i:j]...)
		i = j + 2
		switch s[j+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(s[j+2:])
			i = j + 6
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if r < 0xdc00 && i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2 = hex4(s[i+2:])
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, s[j+1])
		}
	}
	return dst
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber validates the number starting at s[i] ('-' or a digit).
func scanNumber(s []byte, i int) (end int, msg string) {
	n := len(s)
	if s[i] == '-' {
		i++
		if i == n {
			return n, msgEOF
		}
	}
	switch c := s[i]; {
	case c == '0':
		i++
		if i < n && isDigit(s[i]) {
			return i, invalid(s[i], ctxLeadZero)
		}
	case isDigit(c):
		i++
		for i < n && isDigit(s[i]) {
			i++
		}
	default:
		return i, invalid(c, ctxNumber)
	}
	if i < n && s[i] == '.' {
		i++
		if i == n {
			return n, msgEOF
		}
		if !isDigit(s[i]) {
			return i, invalid(s[i], ctxFraction)
		}
		for i < n && isDigit(s[i]) {
			i++
		}
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == n {
			return n, msgEOF
		}
		if !isDigit(s[i]) {
			return i, invalid(s[i], ctxExponent)
		}
		for i < n && isDigit(s[i]) {
			i++
		}
	}
	return i, ""
}

// scanLiteral validates the literal lit (true, false or null) at s[i].
func scanLiteral(s []byte, i int, lit string) (end int, msg string) {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(s) {
			return len(s), msgEOF
		}
		if s[i+k] != lit[k] {
			return i + k, invalid(s[i+k], ctxLiteral)
		}
	}
	return i + len(lit), ""
}

// skipWS returns the offset of the first non-whitespace byte at or after i.
func skipWS(s []byte, i int) int {
	for i < len(s) {
		c := s[i]
		if c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
			break
		}
		i++
	}
	return i
}
