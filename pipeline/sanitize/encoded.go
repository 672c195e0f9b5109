package sanitize

import (
	"unicode/utf8"

	"github.com/veilstream/veil/classifiers"
)

// Values written in base64 hide their content from the scan: a recipient's
// address in a tracking field ("ZXJpYy5tYXJ0aW5AZXhhbXBsZS5jb20="), a JSON
// payload passed along encoded. A string that decodes as base64 to
// readable text is scanned again in its decoded form, and what is found
// there is reported for the whole value, which is then acted on whole.
// Random identifiers and tokens, which are also written in the base64
// alphabet, decode to bytes that are not text and are left alone, most of
// them after a few bytes.

const (
	// minEncodedLen is the shortest value decoded: 12 characters hold 9
	// bytes, as short as an e-mail address gets ("ab@cd.fr").
	minEncodedLen = 12
	// maxEncodedLen bounds the work and the buffer per value.
	maxEncodedLen = 8192
)

// hexClass marks hex digits and '-'.
var hexClass = func() (t [256]uint8) {
	for _, c := range []byte("0123456789abcdefABCDEF-") {
		t[c] = 1
	}
	return t
}()

// base64 alphabets: the value of each character, or -1.
var stdAlphabet, urlAlphabet = alphabet('+', '/'), alphabet('-', '_')

func alphabet(c62, c63 byte) (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for i := 0; i < len(letters); i++ {
		t[letters[i]] = int8(i)
	}
	t[c62], t[c63] = 62, 63
	return t
}

// decodeText appends to dst the text that s encodes in base64 (standard
// or URL alphabet, padded or not) and reports whether s is such an
// encoding of readable text: valid UTF-8 without control characters other
// than tab and line breaks, at least half of it printable ASCII.
// It gives up at the first byte that rules text out.
func decodeText(dst, s []byte) ([]byte, bool) {
	n := len(s)
	if n < minEncodedLen || n > maxEncodedLen {
		return dst, false
	}
	for n > len(s)-2 && s[n-1] == '=' {
		n--
	}
	if n%4 == 1 || (n < len(s) && (len(s)%4 != 0 || n%4 == 0)) {
		return dst, false // no base64 length, or padding where none fits
	}
	// Hex digits and dashes alone (UUIDs, hashes, hex ids) are taken for
	// what they look like; so is the URL alphabet once '-' or '_' occurs.
	tab, hex := &stdAlphabet, true
	for _, c := range s[:n] {
		if c == '-' || c == '_' {
			tab = &urlAlphabet
		}
		if hex && hexClass[c] == 0 {
			hex = false
		}
	}
	if hex {
		return dst, false
	}
	start := len(dst)
	ascii := 0
	var acc uint32
	bits := 0
	for _, c := range s[:n] {
		v := tab[c]
		if v < 0 {
			return dst[:start], false
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			b := byte(acc >> uint(bits))
			switch {
			case b == '\t' || b == '\n' || b == '\r' || (b >= 0x20 && b < 0x7f):
				ascii++
			case b < 0x20 || b == 0x7f:
				return dst[:start], false
			}
			dst = append(dst, b)
		}
	}
	text := dst[start:]
	if len(text) == 0 || ascii*2 < len(text) || !utf8.Valid(text) {
		return dst[:start], false
	}
	return dst, true
}

// encodedFindings scans the decoded form of a base64 value; when it holds
// personal data, it returns one finding over the whole value, of the type
// and score of the decoded text's best finding. An unclassifiable decoded
// text makes the value unclassifiable.
func (s *Sanitizer) encodedFindings(text []byte, dst []classifiers.Finding) ([]classifiers.Finding, error) {
	dec, ok := decodeText(s.decoded[:0], text)
	s.decoded = dec
	if !ok {
		return dst, nil
	}
	fs, err := s.cfg.Scanner.Scan(str(dec), s.decScan[:0])
	s.decScan = fs
	if err != nil || len(fs) == 0 {
		return dst, err
	}
	best := fs[0]
	for _, f := range fs[1:] {
		if f.Score > best.Score {
			best = f
		}
	}
	return append(dst, classifiers.Finding{Type: best.Type, Start: 0, End: len(text), Score: best.Score, Rule: best.Rule}), nil
}

// minEncodedToken is the shortest token encodedText decodes: 16 characters
// hold 12 bytes, a short phone number or e-mail address.
const minEncodedToken = 16

// encodedText reports whether a value that looks like a plain token or an
// identifier, and so would be kept unscanned, is base64 that decodes to
// text, which the scan must see.
func (s *Sanitizer) encodedText(v []byte) bool {
	if len(v) < minEncodedToken {
		return false
	}
	dec, ok := decodeText(s.decoded[:0], v)
	s.decoded = dec
	return ok
}
