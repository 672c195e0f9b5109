package sanitize

import (
	"bytes"
	"strings"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/jsonwalk"
)

// Name/value pairs: many event shapes carry form fields and custom
// attributes as [{"name": "email", "value": "…"}]. The name member, when it
// comes before the value, classifies the value as its key would.

var (
	pairNameKeys = []string{"name", "key", "field", "field_name", "fieldName", "attribute",
		"attribute_name", "attributeName", "property", "property_name", "label", "param", "trait", "question_id",
		"type", "entity", "entity_type", "slot", "slot_name"}
	pairValueKeys = []string{"value", "val", "values", "answer", "field_value", "fieldValue", "attribute_value", "attributeValue"}
)

func inList(key []byte, list []string) bool {
	for _, k := range list {
		if string(key) == k {
			return true
		}
	}
	return false
}

func isPairNameKey(key []byte) bool { return inList(key, pairNameKeys) }

// rememberPair notes a name member's value for its siblings.
func (s *Sanitizer) rememberPair(p *jsonwalk.Path, name []byte) {
	s.pairName = append(s.pairName[:0], name...)
	s.pairDepth = p.Len()
	s.pairParent = s.pairParent[:0]
	s.pairIndex = -1
	if p.Len() >= 2 {
		seg := p.At(p.Len() - 2)
		if seg.IsIndex {
			s.pairIndex = seg.Index
		} else {
			s.pairParent = append(s.pairParent, seg.Key...)
		}
	}
}

// typedValueKeys hold a pair's value inside a value object typed by its
// key, as in GA4's event_params: {"key": "email", "value":
// {"string_value": "…"}}.
var typedValueKeys = []string{"string_value", "int_value", "float_value", "double_value", "bool_value",
	"stringValue", "intValue", "floatValue", "doubleValue", "boolValue", "value"}

// pairedName returns the name a sibling name member gave the value at p:
// the value member itself, a typed member of a value object, or an
// element of a value array.
func (s *Sanitizer) pairedName(p *jsonwalk.Path, key []byte) ([]byte, bool) {
	n := p.Len()
	if s.pairDepth < 2 {
		return nil, false
	}
	switch {
	case n == s.pairDepth && inList(key, pairValueKeys):
	case n == s.pairDepth+1:
		outer, last := p.At(n-2), p.At(n-1)
		if outer.IsIndex || !inList(outer.Key, pairValueKeys) || (!last.IsIndex && !inList(key, typedValueKeys)) {
			return nil, false
		}
	default:
		return nil, false
	}
	seg := p.At(s.pairDepth - 2)
	if seg.IsIndex != (s.pairIndex >= 0) || (seg.IsIndex && seg.Index != s.pairIndex) ||
		(!seg.IsIndex && !bytes.Equal(seg.Key, s.pairParent)) {
		return nil, false
	}
	return s.pairName, len(s.pairName) > 0
}

// digitEntity reports whether t is written with many digits.
func digitEntity(t classifiers.EntityType) bool {
	switch t {
	case classifiers.PhoneNumber, classifiers.CreditCard, classifiers.IBANCode,
		classifiers.USSSN, classifiers.CASIN:
		return true
	}
	return false
}

// looksLikeURL reports whether s is a URL or an absolute path: no white
// space, and a scheme, a "www." host or a leading slash.
func looksLikeURL(s []byte) bool {
	if len(s) < 2 || bytes.ContainsAny(s, " \t\r\n") {
		return false
	}
	switch {
	case s[0] == '/':
		return true
	case bytes.HasPrefix(s, []byte("http://")), bytes.HasPrefix(s, []byte("https://")),
		bytes.HasPrefix(s, []byte("www.")):
		return true
	}
	return false
}

// isAgeBand reports whether s is already an age band such as "25-34" or
// "65+" (at least four years wide).
func isAgeBand(s string) bool {
	lo, i := leadingInt(s)
	if i == 0 || lo > 130 {
		return false
	}
	rest := s[i:]
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	if rest == "+" {
		return true
	}
	switch {
	case len(rest) > 0 && rest[0] == '-':
		rest = rest[1:]
	case len(rest) >= 3 && rest[:3] == "\u2013":
		rest = rest[3:]
	default:
		return false
	}
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	hi, j := leadingInt(rest)
	return j > 0 && j == len(rest) && hi >= lo+3 && hi <= 130
}

func leadingInt(s string) (int, int) {
	n, i := 0, 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, i
}

// isCountryKey reports whether key names a country (not a region).
func isCountryKey(key []byte) bool {
	switch strings.ToLower(string(key)) {
	case "country", "country_code", "countrycode", "country_iso", "pays", "code_pays", "land", "countryname", "country_name":
		return true
	}
	return false
}

// plainToken reports whether a value of a field whose name the policy keeps
// (a country, an OS version, an event name, a locale) is a plain token that
// no content classifier needs to see: short, one word, no '@', fewer than
// five digits, no capitalized word after the first character (a name would
// need one). Anything else is scanned as usual. Unknown fields are always
// scanned.
func plainToken(s []byte) bool {
	if len(s) > 40 {
		return false
	}
	digits := 0
	prevSep := false
	for _, c := range s {
		switch tokenClass[c] {
		case tokDigit:
			digits++
		case tokReject:
			return false
		case tokUpper:
			if prevSep {
				return false
			}
		}
		prevSep = tokenClass[c] == tokSep
	}
	return digits < 5
}

// Byte classes of plainToken.
const (
	tokPlain = iota
	tokDigit
	tokReject // '@', white space, non-ASCII
	tokUpper
	tokSep // isSep
)

var tokenClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch b := byte(c); {
		case b >= '0' && b <= '9':
			t[c] = tokDigit
		case b == '@', b == ' ', b == '\t', b == '\n', b >= 0x80:
			t[c] = tokReject
		case b >= 'A' && b <= 'Z':
			t[c] = tokUpper
		case isSep(b):
			t[c] = tokSep
		}
	}
	return t
}()

func isSep(c byte) bool {
	return c == '.' || c == '-' || c == '_' || c == '/' || c == ':' || c == ','
}

// plainKey reports whether a key is a plain lower-case field name that no
// content classifier could find anything in: ASCII letters, digits (fewer
// than five), '_', '-', '.', with no capital letter. Other keys are
// scanned, since a key can carry personal data.
func plainKey(k []byte) bool {
	if len(k) > 64 {
		return false
	}
	digits := 0
	for _, c := range k {
		switch {
		case c >= 'a' && c <= 'z', c == '_', c == '-', c == '.':
		case c >= '0' && c <= '9':
			digits++
		default:
			return false
		}
	}
	return digits < 5
}

// idToken reports whether s looks like a random identifier: at most 64
// letters, digits, '-', '_' and '.', no '@'.
func idToken(s []byte) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
