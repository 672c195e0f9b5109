package jsonwalk

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// encodingJSONString is encoding/json's encoding of s without HTML escaping.
func encodingJSONString(t testing.TB, s []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(string(s)); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func TestAppendString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `""`},
		{"plain", `"plain"`},
		{`q"b\s/`, `"q\"b\\s/"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x1f\x7f", `"\u0000\u0001\u001f` + "\x7f" + `"`},
		{"<a&b>", `"<a&b>"`},
		{"Zoë 🙂 名前", `"Zoë 🙂 名前"`},
		{"line\u2028para\u2029", `"line\u2028para\u2029"`},
		{"bad\xffbyte", `"bad\ufffdbyte"`},
		{"\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`}, // UTF-8 encoded surrogate
		{"cut\xe2\x82", `"cut\ufffd\ufffd"`},
		{"\uFFFD", "\"\uFFFD\""},
	}
	for _, tt := range tests {
		got := AppendString([]byte("x="), []byte(tt.in))
		if string(got) != "x="+tt.want {
			t.Errorf("AppendString(%q) = %s, want %s", tt.in, got[2:], tt.want)
		}
		if want := encodingJSONString(t, []byte(tt.in)); !bytes.Equal(got[2:], want) {
			t.Errorf("AppendString(%q) = %s, encoding/json gives %s", tt.in, got[2:], want)
		}
	}
}

// TestAppendStringRandom compares with encoding/json on random bytes and
// checks that the result is a valid string that the rewriter decodes back.
func TestAppendStringRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Z", " ", "\"", "\\", "/", "\n", "\x00", "\x1f", "\x7f", "é", "🙂", "\u2028", "\xff", "\xc3", "\xed\xa0\x80", "<", "&"}
	var r Rewriter
	for range 5000 {
		var s []byte
		for range rng.IntN(12) {
			s = append(s, alphabet[rng.IntN(len(alphabet))]...)
		}
		got := AppendString(nil, s)
		if want := encodingJSONString(t, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, encoding/json gives %s", s, got, want)
		}
		if !utf8.Valid(got) {
			t.Fatalf("AppendString(%q) produced invalid UTF-8", s)
		}
		doc := append(append([]byte(`{"k":`), got...), '}')
		var decoded []byte
		err := r.Walk(doc, func(p *Path, v *Value) (Decision, []byte) {
			decoded = append(decoded[:0], v.Str...)
			return Keep, nil
		})
		if err != nil {
			t.Fatalf("AppendString(%q) = %s, rejected: %v", s, got, err)
		}
		if want := []byte(string([]rune(string(s)))); !bytes.Equal(decoded, want) {
			t.Fatalf("round trip of %q gave %q, want %q", s, decoded, want)
		}
	}
}

func BenchmarkAppendString(b *testing.B) {
	s := []byte(`Hi, I was charged twice – card ending 4242. "Can" you help?` + "\n")
	dst := make([]byte, 0, 2*len(s))
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendString(dst[:0], s)
	}
}
