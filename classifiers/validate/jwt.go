package validate

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// maxJWT bounds the token length JWT decodes; longer candidates fail
// rather than cost unbounded work.
const maxJWT = 16 << 10

// jwtStackSegment is the longest decoded header or payload JWT checks in a
// buffer on the stack; tokens with a longer segment take the slower path
// over encoding/base64 and encoding/json, which allocates.
const jwtStackSegment = 3 << 10

// JWT reports whether s is a JSON Web Token in compact serialization: three
// base64url segments (unpadded, as RFC 7515 requires) joined by dots, the
// first two decoding to JSON objects and the header having a non-empty
// string "alg" member. The signature segment may be empty (an unsecured
// "alg": "none" token still carries its claims). JWE tokens, which have
// five segments, fail.
//
// The header member name is matched as encoding/json matches it to a
// struct field: after unescaping, without regard to case ("ALG"), the last
// of duplicate members deciding.
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
	if base64.RawURLEncoding.DecodedLen(len(h)) > jwtStackSegment || base64.RawURLEncoding.DecodedLen(len(p)) > jwtStackSegment {
		return jwtDecoded(h, p)
	}
	var buf [jwtStackSegment]byte
	n, ok := decodeBase64URL(buf[:], h)
	if !ok {
		return false
	}
	if obj, alg := jsonObjectAlg(buf[:n]); !obj || !alg {
		return false
	}
	n, ok = decodeBase64URL(buf[:], p)
	if !ok {
		return false
	}
	obj, _ := jsonObjectAlg(buf[:n])
	return obj
}

// jwtDecoded is JWT's check of the header h and payload p, base64url
// segments, over encoding/base64 and encoding/json, for segments too long
// for JWT's stack buffer.
func jwtDecoded(h, p string) bool {
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

// base64URLValue returns the 6-bit value of a base64url character; the
// caller has checked s with isBase64URL.
func base64URLValue(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A'
	case c >= 'a' && c <= 'z':
		return c - 'a' + 26
	case c >= '0' && c <= '9':
		return c - '0' + 52
	case c == '-':
		return 62
	}
	return 63
}

// decodeBase64URL decodes s, unpadded base64url already checked with
// isBase64URL, into dst as base64.RawURLEncoding does: a length of 1 mod 4
// fails, and the unused low bits of a final partial group are ignored. It
// returns the number of bytes written; dst must hold
// base64.RawURLEncoding.DecodedLen(len(s)) bytes.
func decodeBase64URL(dst []byte, s string) (int, bool) {
	if len(s)%4 == 1 {
		return 0, false
	}
	n := 0
	i := 0
	for ; i+4 <= len(s); i += 4 {
		v := uint32(base64URLValue(s[i]))<<18 | uint32(base64URLValue(s[i+1]))<<12 |
			uint32(base64URLValue(s[i+2]))<<6 | uint32(base64URLValue(s[i+3]))
		dst[n], dst[n+1], dst[n+2] = byte(v>>16), byte(v>>8), byte(v)
		n += 3
	}
	switch len(s) - i {
	case 2:
		v := uint32(base64URLValue(s[i]))<<18 | uint32(base64URLValue(s[i+1]))<<12
		dst[n] = byte(v >> 16)
		n++
	case 3:
		v := uint32(base64URLValue(s[i]))<<18 | uint32(base64URLValue(s[i+1]))<<12 | uint32(base64URLValue(s[i+2]))<<6
		dst[n], dst[n+1] = byte(v>>16), byte(v>>8)
		n += 2
	}
	return n, true
}

// jsonSkipSpace returns the index of the first byte at or after i in b that
// is not JSON white space.
func jsonSkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// isHexByte reports whether c is a hexadecimal digit.
func isHexByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// jsonString scans the JSON string starting at b[i], the opening quote. It
// returns the index after the closing quote, whether the string is well
// formed, and whether its unescaped content is "alg" in any case, as
// encoding/json folds member names (no character outside ASCII folds to
// a, l or g).
func jsonString(b []byte, i int) (next int, ok, isAlg bool) {
	var name [3]byte
	n := 0 // unescaped bytes seen; more than 3, or non-ASCII, cannot be "alg"
	ascii := true
	for i++; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			return i + 1, true, ascii && n == 3 && name[0]|0x20 == 'a' && name[1]|0x20 == 'l' && name[2]|0x20 == 'g'
		case c < 0x20:
			return i, false, false
		case c == '\\':
			if i+1 >= len(b) {
				return i, false, false
			}
			i++
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				c = b[i]
				if c != '"' && c != '\\' && c != '/' {
					c = 0 // a control character: cannot be part of "alg"
				}
			case 'u':
				if i+4 >= len(b) || !isHexByte(b[i+1]) || !isHexByte(b[i+2]) || !isHexByte(b[i+3]) || !isHexByte(b[i+4]) {
					return i, false, false
				}
				if b[i+1] != '0' || b[i+2] != '0' || b[i+3] > '7' {
					ascii = false
				}
				c = hexVal(b[i+3])<<4 | hexVal(b[i+4])
				i += 4
			default:
				return i, false, false
			}
		}
		if c >= 0x80 {
			ascii = false
		}
		if n < len(name) {
			name[n] = c
		}
		n++
	}
	return i, false, false
}

// hexVal returns the value of the hexadecimal digit c.
func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// jsonNumber scans the JSON number starting at b[i] and returns the index
// after it and whether it is well formed.
func jsonNumber(b []byte, i int) (int, bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return i, false
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return i, false
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	return i, true
}

// jsonObjectAlg reports whether b, of at most jwtStackSegment bytes, is one
// JSON object (RFC 8259, with white space around it; strings are not
// checked for valid UTF-8, as encoding/json does not), and whether the
// object's last member named "alg" (see jsonString) has a non-empty string
// value. It works without allocating, keeping the kind of each open
// container in a bit stack.
func jsonObjectAlg(b []byte) (object, alg bool) {
	var inObject [jwtStackSegment/64 + 1]uint64 // bit d: container at depth d is an object
	depth := 0
	i := jsonSkipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false, false
	}
	algValue := false // the value about to be read is a top-level "alg"
	for {
		// A value starts at b[i].
		i = jsonSkipSpace(b, i)
		if i >= len(b) {
			return false, false
		}
		if algValue {
			alg = b[i] == '"' && i+1 < len(b) && b[i+1] != '"'
			algValue = false
		}
		ok := true
		switch c := b[i]; {
		case c == '{' || c == '[':
			if depth/64 >= len(inObject) {
				return false, false
			}
			if c == '{' {
				inObject[depth/64] |= 1 << (depth % 64)
			} else {
				inObject[depth/64] &^= 1 << (depth % 64)
			}
			depth++
			i = jsonSkipSpace(b, i+1)
			if i < len(b) && (c == '{' && b[i] == '}' || c == '[' && b[i] == ']') {
				depth--
				i++
				break
			}
			if c == '[' {
				continue // the first element
			}
			// The first member's name.
			var isAlg bool
			if i, ok, isAlg = jsonMemberName(b, i); !ok {
				return false, false
			}
			algValue = isAlg && depth == 1
			continue
		case c == '"':
			i, ok, _ = jsonString(b, i)
		case c == '-' || isDigit(c):
			i, ok = jsonNumber(b, i)
		case c == 't':
			ok = jsonLiteral(b, i, "true")
			i += 4
		case c == 'f':
			ok = jsonLiteral(b, i, "false")
			i += 5
		case c == 'n':
			ok = jsonLiteral(b, i, "null")
			i += 4
		default:
			ok = false
		}
		if !ok {
			return false, false
		}
		// After a value: close containers or move to the next element.
		for {
			if depth == 0 {
				return jsonSkipSpace(b, i) == len(b), alg
			}
			i = jsonSkipSpace(b, i)
			if i >= len(b) {
				return false, false
			}
			obj := inObject[(depth-1)/64]&(1<<((depth-1)%64)) != 0
			if b[i] == '}' && obj || b[i] == ']' && !obj {
				depth--
				i++
				continue
			}
			if b[i] != ',' {
				return false, false
			}
			i++
			if obj {
				var isAlg bool
				if i, ok, isAlg = jsonMemberName(b, jsonSkipSpace(b, i)); !ok {
					return false, false
				}
				algValue = isAlg && depth == 1
			}
			break
		}
	}
}

// jsonMemberName scans an object member's name at b[i] and the colon after
// it, returning the index after the colon, whether both are well formed,
// and whether the name is "alg" (see jsonString).
func jsonMemberName(b []byte, i int) (next int, ok, isAlg bool) {
	if i >= len(b) || b[i] != '"' {
		return i, false, false
	}
	i, ok, isAlg = jsonString(b, i)
	if !ok {
		return i, false, false
	}
	i = jsonSkipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return i, false, false
	}
	return i + 1, true, isAlg
}

// jsonLiteral reports whether b holds lit at i.
func jsonLiteral(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}
