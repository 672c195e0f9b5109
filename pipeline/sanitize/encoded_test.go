package sanitize

import (
	"bytes"
	"encoding/base64"
	"testing"
	"unicode/utf8"
)

func TestDecodeText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" means not base64 text
	}{
		{"ZXJpYy5tYXJ0aW5AZXhhbXBsZS5jb20=", "eric.martin@example.com"},
		{base64.RawStdEncoding.EncodeToString([]byte("jane@example.org")), "jane@example.org"},
		{base64.RawURLEncoding.EncodeToString([]byte(`{"email":"a@b.fr"}?>`)), `{"email":"a@b.fr"}?>`},
		{base64.URLEncoding.EncodeToString([]byte("Grüße aus Köln, Jürgen")), "Grüße aus Köln, Jürgen"},
		{base64.StdEncoding.EncodeToString([]byte("line one\nline two\t!")), "line one\nline two\t!"},
		// Identifiers in the base64 alphabet decode to bytes that are not text.
		{"bf3D7QO8SGlzzfFsAyqRvbMLhGJ9LVMt", ""},
		{"c928f0d6378d1207", ""},
		{"d43875fa-5c77-4395-9bda-1c543244fd37", ""},
		{"req_rILalvQM2IoDeIR77aYh1oV9", ""},
		{base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), ""},
		// Not base64: too short, bad padding, other characters.
		{"YWJjZA==", ""},
		{"ZXJpYy5tYXJ0aW5AZXhhbXBsZS5jb20", "eric.martin@example.com"}, // unpadded
		{"ZXJpYy5tYXJ0aW5A=ZXhhbXBsZS5jb20=", ""},
		{"ZXJpYy5tYXJ0aW5AZXhhbXBsZS5jb2===", ""},
		{"ZXJpYy5tYXJ0aW5AZXhhbXBsZS5jb20A=", ""},
		{"ZXJpYy5tYXJ0aW5A\r\nZXhhbXBsZS5jb20=", ""}, // encoding/base64 would skip the line break
		{"hello world, plain text", ""},
		{"ZXJpYy5tYXJ0aW5A+XhhbXBsZS_jb20=", ""},
	} {
		got, ok := decodeText([]byte("keep"), []byte(tc.in))
		if !bytes.HasPrefix(got, []byte("keep")) {
			t.Fatalf("%q: dst prefix lost: %q", tc.in, got)
		}
		if ok != (tc.want != "") || string(got[4:]) != tc.want {
			t.Errorf("decodeText(%q) = %q, %v; want %q", tc.in, got[4:], ok, tc.want)
		}
	}
}

// FuzzDecodeText checks that whatever decodeText accepts is valid UTF-8
// that one of the four base64 encodings turns back into the input, and
// that a rejected input leaves dst as it was.
func FuzzDecodeText(f *testing.F) {
	for _, s := range []string{"ZXJpYy5tYXJ0aW5AZXhhbXBsZS5jb20=", "bf3D7QO8SGlzzfFsAyqRvbMLhGJ9LVMt", "Q2FsbCBtZSBvbiArNDQgMjAgNzk0NiAwOTU4", "a-b_c-d_e-f_g-h_", "===="} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, ok := decodeText([]byte("x"), in)
		if !ok {
			if string(got) != "x" {
				t.Fatalf("rejected input changed dst: %q", got)
			}
			return
		}
		text := got[1:]
		if !utf8.Valid(text) {
			t.Fatalf("decodeText(%q) accepted invalid UTF-8 %q", in, text)
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if enc.EncodeToString(text) == string(in) {
				return
			}
		}
		t.Fatalf("decodeText(%q) = %q, which no base64 encoding turns back into the input", in, text)
	})
}
