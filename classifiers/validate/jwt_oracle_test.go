package validate

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// JWT decodes and scans its segments itself, without allocating; these
// tests hold it to the implementation over encoding/base64 and
// encoding/json it replaced.

// jwtOracle is JWT as it was written over encoding/base64 and encoding/json.
func jwtOracle(s string) bool {
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

func checkJWTOracle(t *testing.T, s string) {
	t.Helper()
	if got, want := JWT(s), jwtOracle(s); got != want {
		t.Errorf("JWT(%q) = %v, encoding/json says %v", s, got, want)
	}
}

// jsonPieces are fragments of JSON, well formed and not, that jwtJSON
// glues into headers and payloads.
var jsonPieces = []string{
	`"alg"`, `"ALG"`, `"Alg"`, `"\u0061lg"`, `"al\u0067"`, `"\u00e1lg"`, `"alg "`, `"al"`, `"algo"`, `"typ"`, `"kid"`,
	`"HS256"`, `""`, `"none"`, `"\""`, `"\\"`, `"\/"`, `"\b"`, `"\x"`, `"\u12"`, `"\ud800"`, `"é"`, "\"\x01\"", "\"\xff\"",
	`0`, `-0`, `01`, `1.5`, `1.`, `.5`, `-`, `1e5`, `1E+5`, `1e`, `-12.5e-3`, `true`, `false`, `null`, `nul`, `tru`,
	`{`, `}`, `[`, `]`, `:`, `,`, ` `, "\n", "\t", `{}`, `[]`, `{"a":1}`, `[1,2]`, `{"alg":"x"}`, `x`,
}

// jwtJSON returns a JSON text near the grammar of a JWT header: mostly a
// well-formed object with members drawn from jsonPieces, sometimes with a
// piece dropped, doubled or replaced.
func jwtJSON(rng *rand.Rand) string {
	var b strings.Builder
	if rng.IntN(8) == 0 {
		b.WriteString(" ")
	}
	b.WriteString("{")
	members := rng.IntN(4)
	for m := 0; m < members; m++ {
		if m > 0 {
			b.WriteString(",")
		}
		switch rng.IntN(3) {
		case 0:
			b.WriteString(`"alg"`)
		case 1:
			b.WriteString(jsonPieces[rng.IntN(11)])
		default:
			b.WriteString(jsonPieces[rng.IntN(len(jsonPieces))])
		}
		b.WriteString(":")
		if rng.IntN(4) == 0 {
			b.WriteString(" ")
		}
		switch rng.IntN(4) {
		case 0:
			b.WriteString(`"HS256"`)
		case 1:
			b.WriteString(`{"alg":"x","n":[1,{"b":null}]}`)
		default:
			b.WriteString(jsonPieces[rng.IntN(len(jsonPieces))])
		}
	}
	b.WriteString("}")
	s := b.String()
	switch rng.IntN(6) {
	case 0: // drop a byte
		if len(s) > 0 {
			i := rng.IntN(len(s))
			s = s[:i] + s[i+1:]
		}
	case 1: // insert a piece
		i := rng.IntN(len(s) + 1)
		s = s[:i] + jsonPieces[rng.IntN(len(jsonPieces))] + s[i:]
	case 2: // deep nesting inside one member
		d := 1 + rng.IntN(40)
		s = `{"alg":"RS256","x":` + strings.Repeat("[", d) + strings.Repeat("]", d-rng.IntN(2)) + "}"
	}
	return s
}

// jwtCandidates generates JWT-like strings: tokens from jwtJSON headers and
// payloads, some over JWT's stack buffer, then mutated by a character
// inserted, deleted or replaced in the base64 text, plus random runs over
// the base64url alphabet and dots.
func jwtCandidates(rng *rand.Rand, n int) []string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/="
	var out []string
	for len(out) < n {
		h, p := jwtJSON(rng), jwtJSON(rng)
		if rng.IntN(2) == 0 && strings.HasPrefix(h, "{") && len(h) > 2 { // an alg member first
			h = `{"alg":"ES256",` + h[1:]
		}
		if rng.IntN(2) == 0 {
			p = `{"sub":"1234567890","iat":1516239022}`
		}
		if rng.IntN(50) == 0 { // a payload longer than the stack buffer
			p = `{"pad":"` + strings.Repeat("x", jwtStackSegment-10+rng.IntN(20)) + `"}`
		}
		sig := seg(jwtJSON(rng))
		tok := seg(h) + "." + seg(p) + "." + sig[:rng.IntN(min(8, len(sig)+1))]
		out = append(out, tok)
		m := []byte(tok)
		switch i := rng.IntN(len(m)); rng.IntN(4) {
		case 0:
			m[i] = alpha[rng.IntN(len(alpha))]
		case 1:
			m = append(m[:i], m[i+1:]...)
		case 2:
			m = append(m[:i], append([]byte{alpha[rng.IntN(len(alpha))]}, m[i:]...)...)
		default:
			m = append(m, '=')
		}
		out = append(out, string(m))
		r := make([]byte, 10+rng.IntN(60))
		for i := range r {
			r[i] = alpha[rng.IntN(len(alpha))]
		}
		out = append(out, "eyJ"+string(r))
	}
	return out
}

func TestJWTMatchesEncodingJSON(t *testing.T) {
	n := 60000
	if raceEnabled || testing.Short() {
		n = 6000
	}
	rng := rand.New(rand.NewPCG(7, 11))
	accepted := 0
	for _, s := range jwtCandidates(rng, n) {
		checkJWTOracle(t, s)
		if jwtOracle(s) {
			accepted++
		}
	}
	// The generator must reach both answers in numbers, or the comparison
	// says little.
	if accepted < n/25 || accepted > n/2 {
		t.Errorf("%d of about %d candidates are JWTs; the generator is off balance", accepted, n)
	}
	for _, s := range benchInputs {
		checkJWTOracle(t, s.pass)
		checkJWTOracle(t, s.fail)
	}
}

// TestJWTNameFold holds jsonString's premise that no character outside
// ASCII is in the fold set of a, l or g, which encoding/json uses to match
// member names to struct fields.
func TestJWTNameFold(t *testing.T) {
	for _, c := range "alg" {
		for r := unicode.SimpleFold(c); r != c; r = unicode.SimpleFold(r) {
			if r >= 0x80 {
				t.Errorf("%q folds to %q", c, r)
			}
		}
	}
}

func FuzzJWTMatchesEncodingJSON(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, s := range jwtCandidates(rng, 20) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkJWTOracle(t, s)
		// The same text as a header and as a payload.
		checkJWTOracle(t, seg(s)+"."+seg(`{}`)+".")
		checkJWTOracle(t, seg(`{"alg":"HS256"}`)+"."+seg(s)+".")
	})
}
