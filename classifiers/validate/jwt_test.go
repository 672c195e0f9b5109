package validate

import (
	"encoding/base64"
	"testing"
)

// seg base64url-encodes a JSON text without padding, as a JWT segment.
func seg(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }

func TestJWT(t *testing.T) {
	payload := seg(`{"sub":"1234567890","name":"John Doe","iat":1516239022}`)
	sig := "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	check(t, "JWT", JWT, []struct {
		in   string
		want bool
		why  string
	}{
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", true, "RFC 7519-style HS256 example"},
		{seg(`{"alg":"none"}`) + "." + payload + ".", true, "unsecured token, empty signature"},
		{seg(` {"typ":"JWT", "alg":"RS256"}`) + "." + payload + "." + sig, true, "white space and member order"},
		{seg(`{"typ":"JWT"}`) + "." + payload + "." + sig, false, "header without alg"},
		{seg(`{"alg":""}`) + "." + payload + "." + sig, false, "empty alg"},
		{seg(`{"alg":5}`) + "." + payload + "." + sig, false, "alg not a string"},
		{seg(`["alg"]`) + "." + payload + "." + sig, false, "header is an array"},
		{seg(`{"alg":"HS256"}`) + "." + seg(`"claims"`) + "." + sig, false, "payload is a string"},
		{seg(`{"alg":"HS256"}`) + "." + seg(`{"sub":`) + "." + sig, false, "payload truncated JSON"},
		{seg(`{"alg":"HS256"}`) + "." + payload, false, "two segments"},
		{seg(`{"alg":"HS256"}`) + "." + payload + "." + sig + "." + sig, false, "four segments"},
		{seg(`{"alg":"HS256"}`) + "==." + payload + "." + sig, false, "padding"},
		{seg(`{"alg":"HS256"}`) + "." + payload + ".sig+nature", false, "standard base64 in signature"},
		{"." + payload + "." + sig, false, "empty header"},
		{"a.b.c", false, "too short"},
	})
}
