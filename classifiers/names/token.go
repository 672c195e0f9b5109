package names

import (
	"unicode"
	"unicode/utf8"
)

// maxTokenBytes bounds the lowercase copy of a token; longer tokens are
// never names.
const maxTokenBytes = 64

// Separator flags describe the characters between two tokens.
const (
	sepNewline uint16 = 1 << iota // a line break
	sepBlank                      // an empty line
	sepComma                      // ,
	sepStop                       // . ! ? …
	sepColon                      // : ;
	sepDash                       // — – or a free-standing hyphen
	sepQuote                      // quotes, brackets
	sepOther                      // any other symbol (@ # / & …)
	sepStart                      // the token starts the text
)

// Token kinds.
const (
	kindCap    uint8 = 1 << iota // first letter upper, not all upper
	kindUpper                    // all letters upper (ALL-CAPS), 2+ letters
	kindLower                    // all letters lower
	kindDigit                    // contains a digit
	kindSingle                   // exactly one letter
	kindHyphen                   // contains an inner hyphen
)

// token is one word of the text: letters, marks and digits, with inner
// hyphens and apostrophes (Jean-Pierre, O'Brien, m'appelle).
type token struct {
	start, end int
	// stemEnd excludes a possessive suffix ('s, ’s) from the name part.
	stemEnd int
	sep     uint16 // separators before the token
	kind    uint8
	// spaced says that whitespace (or the start of the text) precedes
	// the token: "Orange.Fr" glues Fr to the word before it.
	spaced bool
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

func isJoiner(r rune) bool {
	return r == '-' || r == '\'' || r == '’' || r == '‐' || r == 'ʼ'
}

// nextToken scans text from pos and returns the next token and the
// position after it; ok is false at the end of the text.
func nextToken(text string, pos int) (t token, next int, ok bool) {
	var sep uint16
	spaced := pos == 0
	if pos == 0 {
		sep = sepStart
	}
	newlines := 0
	i := pos
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') {
				break
			}
			switch c {
			case '\n':
				spaced = true
				newlines++
				sep |= sepNewline
				if newlines > 1 {
					sep |= sepBlank
				}
			case ' ', '\t', '\r', '\f', '\v':
				spaced = true
			case ',':
				sep |= sepComma
			case '.', '!', '?':
				sep |= sepStop
			case ':', ';':
				sep |= sepColon
			case '-':
				sep |= sepDash
			case '"', '\'', '(', ')', '[', ']', '{', '}', '<', '>', '`':
				sep |= sepQuote
			default:
				sep |= sepOther
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			break
		}
		switch {
		case r == '—' || r == '–' || r == '‒' || r == '―':
			sep |= sepDash
		case r == '…' || r == '。' || r == '¡' || r == '¿':
			sep |= sepStop
		case r == '«' || r == '»' || r == '“' || r == '”' || r == '„' || r == '‘' || r == '’' || r == '‹' || r == '›':
			sep |= sepQuote
		case r == '\u2028' || r == '\u2029' || r == '\u0085':
			newlines++
			sep |= sepNewline
			spaced = true
		case unicode.IsSpace(r):
			spaced = true
		default:
			sep |= sepOther
		}
		i += size
	}
	if i >= len(text) {
		return token{}, len(text), false
	}
	t.start = i
	t.sep = sep
	t.spaced = spaced
	letters, uppers, lowers := 0, 0, 0
	firstUpper := false
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf && (('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')) {
			if letters == 0 {
				firstUpper = c <= 'Z'
			}
			letters++
			if c <= 'Z' {
				uppers++
			} else {
				lowers++
			}
			i++
			continue
		}
		if '0' <= c && c <= '9' {
			t.kind |= kindDigit
			i++
			continue
		}
		r, size := rune(c), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if isWordRune(r) {
			switch {
			case unicode.IsDigit(r):
				t.kind |= kindDigit
			case unicode.IsLetter(r):
				if letters == 0 {
					firstUpper = unicode.IsUpper(r) || unicode.IsTitle(r)
				}
				letters++
				if unicode.IsUpper(r) || unicode.IsTitle(r) {
					uppers++
				} else if unicode.IsLower(r) {
					lowers++
				}
			}
			i += size
			continue
		}
		if isJoiner(r) && i+size < len(text) {
			nr, _ := utf8.DecodeRuneInString(text[i+size:])
			if unicode.IsLetter(nr) && letters > 0 {
				if r != '\'' && r != '’' && r != 'ʼ' {
					t.kind |= kindHyphen
				}
				i += size
				continue
			}
		}
		break
	}
	t.end = i
	t.stemEnd = i
	// Possessive 's / ’s is not part of the name.
	if n := len(text[t.start:i]); n > 3 {
		tail := text[t.start:i]
		switch {
		case hasSuffixFold(tail, "'s"):
			t.stemEnd = i - 2
		case hasSuffixFold(tail, "’s"):
			t.stemEnd = i - len("’s")
		}
	}
	switch {
	case letters == 1:
		t.kind |= kindSingle
		if firstUpper {
			t.kind |= kindCap
		} else {
			t.kind |= kindLower
		}
	case letters > 1 && uppers == letters:
		t.kind |= kindUpper
	case firstUpper && lowers > 0:
		t.kind |= kindCap
	case uppers == 0 && lowers > 0:
		t.kind |= kindLower
	case firstUpper:
		t.kind |= kindCap
	}
	return t, i, true
}

func hasSuffixFold(s, suffix string) bool {
	if len(s) < len(suffix) {
		return false
	}
	tail := s[len(s)-len(suffix):]
	for i := 0; i < len(suffix); i++ {
		c := tail[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != suffix[i] {
			return false
		}
	}
	return true
}

// lowerInto writes the lowercase form of s into dst, with typographic
// apostrophes written as ', and returns the length, or -1 when dst is too
// small.
func lowerInto(dst []byte, s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if n >= len(dst) {
				return -1
			}
			dst[n] = c
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '’' || r == 'ʼ' {
			r = '\''
		} else if r == '‐' {
			r = '-'
		} else {
			r = unicode.ToLower(r)
		}
		if n+utf8.RuneLen(r) > len(dst) {
			return -1
		}
		n += utf8.EncodeRune(dst[n:], r)
	}
	return n
}
