package sanitize

import (
	"encoding/base64"
	"slices"
	"unicode/utf8"

	"github.com/veilstream/veil/classifiers"
)

// Values written in base64 hide their content from the scan: a recipient's
// address in a tracking field ("ZXJpYy5tYXJ0aW5AZXhhbXBsZS5jb20="), a JSON
// payload passed along encoded. A string that decodes as base64 to
// readable text is scanned again in its decoded form, and what is found
// there is reported for the whole value, which is then acted on whole.
// Random identifiers and tokens, which are also written in the base64
// alphabet, decode to bytes that are not text and are left alone.

const (
	// minEncodedLen is the shortest value decoded: 12 characters hold 9
	// bytes, as short as an e-mail address gets ("ab@cd.fr").
	minEncodedLen = 12
	// maxEncodedLen bounds the work and the buffer per value.
	maxEncodedLen = 8192
)

// The four base64 encodings, strict: encoders write the unused bits of the
// last character as zeros, and a string that has them set encodes nothing.
var (
	paddedStd = base64.StdEncoding.Strict()
	rawStd    = base64.RawStdEncoding.Strict()
	paddedURL = base64.URLEncoding.Strict()
	rawURL    = base64.RawURLEncoding.Strict()
)

// Classes of the bytes of a base64 value.
const (
	b64None   = iota // not in any alphabet
	b64Common        // A-Z, a-z, 0-9
	b64Std           // '+' and '/'
	b64URL           // '-' and '_'
	b64Pad           // '='
)

var b64Class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch b := byte(c); {
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9':
			t[c] = b64Common
		case b == '+', b == '/':
			t[c] = b64Std
		case b == '-', b == '_':
			t[c] = b64URL
		case b == '=':
			t[c] = b64Pad
		}
	}
	return t
}()

// hexClass marks hex digits and '-'.
var hexClass = func() (t [256]bool) {
	for _, c := range []byte("0123456789abcdefABCDEF-") {
		t[c] = true
	}
	return t
}()

// decodeText appends to dst the text that s encodes in base64 (standard
// or URL alphabet, with its padding or none) and reports whether s is such
// an encoding of readable text: valid UTF-8 without control characters
// other than tab and line breaks, at least half of it printable ASCII.
// Hex digits and dashes alone (UUIDs, hashes, hex ids) are taken for what
// they look like.
func decodeText(dst, s []byte) ([]byte, bool) {
	if len(s) < minEncodedLen || len(s) > maxEncodedLen {
		return dst, false
	}
	// Only the characters of one alphabet, '=' only as padding (the
	// decoder would skip line breaks).
	hex, url, std := true, false, false
	for i, c := range s {
		switch b64Class[c] {
		case b64None:
			return dst, false
		case b64Std:
			std = true
		case b64URL:
			url = true
		case b64Pad:
			if i < len(s)-2 {
				return dst, false
			}
		}
		hex = hex && hexClass[c]
	}
	if hex || std && url {
		return dst, false
	}
	// The first eight characters first: random identifiers rarely decode
	// to six bytes that read as text, and most stop here.
	head := rawStd
	if url {
		head = rawURL
	}
	var lead [6]byte
	if _, err := head.Decode(lead[:], s[:8]); err != nil || !textLead(&lead) {
		return dst, false
	}
	padded := s[len(s)-1] == '='
	enc := rawStd
	switch {
	case url && padded:
		enc = paddedURL
	case url:
		enc = rawURL
	case padded:
		enc = paddedStd
	}
	start, size := len(dst), enc.DecodedLen(len(s))
	dst = slices.Grow(dst, size)
	n, err := enc.Decode(dst[start:start+size], s)
	if err != nil || n == 0 {
		return dst[:start], false
	}
	text := dst[start : start+n]
	ascii := 0
	for _, b := range text {
		switch {
		case b == '\t' || b == '\n' || b == '\r' || (b >= 0x20 && b < 0x7f):
			ascii++
		case b < 0x20 || b == 0x7f:
			return dst[:start], false
		}
	}
	if ascii*2 < n || !utf8.Valid(text) {
		return dst[:start], false
	}
	return dst[:start+n], true
}

// textLead reports whether the first bytes of a decoded value can begin
// readable text: no control character other than tab and line breaks, and
// valid UTF-8 but for a character the six bytes cut off.
func textLead(b *[6]byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	n := len(b)
	for k := n - 1; k >= 0 && k >= n-3; k-- {
		if utf8.RuneStart(b[k]) {
			if !utf8.FullRune(b[k:]) {
				n = k // a character the cut leaves incomplete
			}
			break
		}
	}
	return utf8.Valid(b[:n])
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
