package sanitize

import (
	"github.com/veilstream/veil/classifiers/validate"
)

// valueShape is what a string value is, judged by its whole form alone,
// for the shapes that analytics events carry in bulk and whose content
// scan would only confirm what the shape already says.
type valueShape uint8

const (
	shapeOther valueShape = iota
	// shapeUUID is a canonical UUID (8-4-4-4-12 hex digits): a random
	// identifier, which no rule finds anything in.
	shapeUUID
	// shapeTimestamp is an RFC 3339 date-time ("2025-03-03T08:00:03.453Z"),
	// which no rule finds anything in.
	shapeTimestamp
	// shapeEmail is an email address and nothing else, that the email
	// validator accepts: the scan's single finding would be the value.
	shapeEmail
)

// shapeOf returns the shape of a string value. It allocates nothing and
// reads the value at most twice.
func shapeOf(s []byte) valueShape {
	switch {
	case len(s) == 36 && validate.UUID(str(s)):
		return shapeUUID
	case len(s) >= 20 && len(s) <= 35 && isTimestamp(s):
		return shapeTimestamp
	case len(s) >= 6 && len(s) <= 254 && isPlainEmail(s):
		return shapeEmail
	}
	return shapeOther
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isTimestamp accepts YYYY-MM-DDTHH:MM:SS, optional fraction, then Z or a
// ±HH:MM offset (RFC 3339 with a 'T' or 't').
func isTimestamp(s []byte) bool {
	const layout = "dddd-dd-ddTdd:dd:dd"
	if len(s) < len(layout)+1 {
		return false
	}
	for i := 0; i < len(layout); i++ {
		switch l, c := layout[i], s[i]; l {
		case 'd':
			if !isDigit(c) {
				return false
			}
		case 'T':
			if c != 'T' && c != 't' {
				return false
			}
		default:
			if c != l {
				return false
			}
		}
	}
	i := len(layout)
	if s[i] == '.' {
		i++
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == j || i-j > 9 {
			return false
		}
	}
	switch rest := s[i:]; {
	case len(rest) == 1:
		return rest[0] == 'Z' || rest[0] == 'z'
	case len(rest) == 6:
		return (rest[0] == '+' || rest[0] == '-') && isDigit(rest[1]) && isDigit(rest[2]) && rest[3] == ':' && isDigit(rest[4]) && isDigit(rest[5])
	}
	return false
}

// isPlainEmail accepts local@domain where the local part is letters,
// digits and . _ % + - and the domain letters, digits, '.' and '-' (ASCII
// only: anything else goes to the scan), and the email validator agrees.
func isPlainEmail(s []byte) bool {
	at := -1
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', isDigit(c), c == '.', c == '-':
		case c == '_' || c == '%' || c == '+':
			if at >= 0 {
				return false // not in a domain
			}
		case c == '@':
			if at >= 0 {
				return false
			}
			at = i
		default:
			return false
		}
	}
	if at < 1 || at > 64 || at >= len(s)-4 {
		return false
	}
	return validate.Email(str(s))
}
