package validate

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// maxJWT bounds the token length JWT decodes; longer candidates fail
// rather than cost unbounded work.
const maxJWT = 16 << 10

// JWT reports whether s is a JSON Web Token in compact serialization: three
// base64url segments (unpadded, as RFC 7515 requires) joined by dots, the
// first two decoding to JSON objects and the header having a non-empty
// string "alg" member. The signature segment may be empty (an unsecured
// "alg": "none" token still carries its claims). JWE tokens, which have
// five segments, fail.
func JWT(s string) bool {
	if len(s) < 10 || len(s) > maxJWT {
		return false
	}
	h, rest, ok := strings.Cut(s, ".")
	if !ok {
		return false
	}
	p, sig, ok := strings.Cut(rest, ".")
	if !ok || strings.IndexByte(sig, '.') >= 0 || !isBase64URL(h) || !isBase64URL(p) || (sig != "" && !isBase64URL(sig)) {
		return false
	}
	hdr, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil || !isJSONObject(hdr) {
		return false
	}
	var header struct {
		Alg json.RawMessage `json:"alg"`
	}
	if json.Unmarshal(hdr, &header) != nil {
		return false
	}
	var alg string
	if json.Unmarshal(header.Alg, &alg) != nil || alg == "" {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	return err == nil && isJSONObject(payload) && json.Valid(payload)
}

// isBase64URL reports whether s is non-empty and made only of the base64url
// alphabet (no padding).
func isBase64URL(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && !isLetter(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// isJSONObject reports whether b starts, after white space, with '{'; it
// does not check the rest (json.Valid or json.Unmarshal does).
func isJSONObject(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}
