package jsonwalk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// keepAll visits everything and keeps it, so that tests pay the callback.
func keepAll(*Path, *Value) (Decision, []byte) { return Keep, nil }

// byPath returns a callback that applies the decision named for a dotted path
// in rules ("drop", or any other string, which is the replacement).
func byPath(rules map[string]string) Func {
	var buf []byte
	return func(p *Path, v *Value) (Decision, []byte) {
		buf = p.AppendTo(buf[:0])
		rule, ok := rules[string(buf)]
		switch {
		case !ok:
			return Keep, nil
		case rule == "drop":
			return Drop, nil
		default:
			return Replace, []byte(rule)
		}
	}
}

func TestRewriteKeepAllCompacts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty object", `{}`, `{}`},
		{"whitespace everywhere", " \t\r\n{ \"a\" :\n1 ,\t\"b\" : [ ] , \"c\":{ } }\n ", `{"a":1,"b":[],"c":{}}`},
		{"all scalar kinds", `{"s":"x","n":-0.5e+10,"t":true,"f":false,"z":null}`, `{"s":"x","n":-0.5e+10,"t":true,"f":false,"z":null}`},
		{"numbers verbatim", `{"a":[0,-0,1.0,1E5,1e-5,123456789012345678901234567890,0.000]}`, `{"a":[0,-0,1.0,1E5,1e-5,123456789012345678901234567890,0.000]}`},
		{"escapes copied verbatim", `{"k\u0041":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}`, `{"k\u0041":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}`},
		{"utf-8 kept", `{"名前":"Zoë 🙂"}`, `{"名前":"Zoë 🙂"}`},
		{"lone surrogate accepted", `{"a":"\ud800x"}`, `{"a":"\ud800x"}`},
		{"nested arrays", `{"a":[[],[[1]],[{}]]}`, `{"a":[[],[[1]],[{}]]}`},
		{"duplicate keys kept", `{"a":1,"a":2}`, `{"a":1,"a":2}`},
		{"html characters untouched", `{"h":"<a href='x'>&amp;</a>"}`, `{"h":"<a href='x'>&amp;</a>"}`},
		{"long string over SWAR path", `{"s":"` + strings.Repeat("abcdefgh", 20) + `\n` + strings.Repeat("é", 9) + `"}`, `{"s":"` + strings.Repeat("abcdefgh", 20) + `\n` + strings.Repeat("é", 9) + `"}`},
	}
	var r Rewriter
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, fn := range []Func{nil, keepAll} {
				got, err := r.Rewrite([]byte("prefix:"), []byte(tt.in), fn)
				if err != nil {
					t.Fatalf("Rewrite: %v", err)
				}
				if want := "prefix:" + tt.want; string(got) != want {
					t.Errorf("got  %s\nwant %s", got, want)
				}
			}
			if err := r.Walk([]byte(tt.in), keepAll); err != nil {
				t.Errorf("Walk: %v", err)
			}
		})
	}
}

func TestRewriteDecisions(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		rules map[string]string
		want  string
	}{
		{"drop first member", `{"a":1,"b":2,"c":3}`, map[string]string{"a": "drop"}, `{"b":2,"c":3}`},
		{"drop middle member", `{"a":1,"b":2,"c":3}`, map[string]string{"b": "drop"}, `{"a":1,"c":3}`},
		{"drop last member", `{"a":1,"b":2,"c":3}`, map[string]string{"c": "drop"}, `{"a":1,"b":2}`},
		{"drop all members", `{"a":1,"b":2}`, map[string]string{"a": "drop", "b": "drop"}, `{}`},
		{"drop first and last", `{"a":1,"b":2,"c":3}`, map[string]string{"a": "drop", "c": "drop"}, `{"b":2}`},
		{"drop array elements", `{"a":[1,2,3,4]}`, map[string]string{"a[0]": "drop", "a[2]": "drop"}, `{"a":[2,4]}`},
		{"drop all elements", `{"a":[1,2]}`, map[string]string{"a[0]": "drop", "a[1]": "drop"}, `{"a":[]}`},
		{"drop last element", `{"a":[1,2]}`, map[string]string{"a[1]": "drop"}, `{"a":[1]}`},
		{"drop object subtree", `{"a":{"b":{"c":[1,{"d":2}]}},"e":1}`, map[string]string{"a": "drop"}, `{"e":1}`},
		{"drop array subtree", `{"e":1,"a":[{"b":[]},[2]]}`, map[string]string{"a": "drop"}, `{"e":1}`},
		{"drop nested member", `{"ctx":{"traits":{"email":"x@y.z","plan":"pro"}}}`, map[string]string{"ctx.traits.email": "drop"}, `{"ctx":{"traits":{"plan":"pro"}}}`},
		{"drop element member", `{"items":[{"id":1,"name":"n"},{"id":2,"name":"m"}]}`, map[string]string{"items[1].name": "drop"}, `{"items":[{"id":1,"name":"n"},{"id":2}]}`},
		{"replace scalar", `{"ip":"192.0.2.1","n":1}`, map[string]string{"ip": `"192.0.2.0"`}, `{"ip":"192.0.2.0","n":1}`},
		{"replace object with string", `{"a":{"b":1},"c":2}`, map[string]string{"a": `"[redacted]"`}, `{"a":"[redacted]","c":2}`},
		{"replace array with object", `{"a":[1,[2]],"c":2}`, map[string]string{"a": `{"count":2}`}, `{"a":{"count":2},"c":2}`},
		{"replace element", `{"a":[1,2,3]}`, map[string]string{"a[1]": `null`}, `{"a":[1,null,3]}`},
		{"replace after dropped first", `{"a":1,"b":{"x":1}}`, map[string]string{"a": "drop", "b": `0`}, `{"b":0}`},
		{"replacement with whitespace", `{"a":1}`, map[string]string{"a": ` [ 1 ] `}, `{"a": [ 1 ] }`},
		{"escaped key matched decoded", `{"e\u006dail":"x","n":1}`, map[string]string{"email": "drop"}, `{"n":1}`},
		{"duplicate keys all dropped", `{"a":1,"b":2,"a":3}`, map[string]string{"a": "drop"}, `{"b":2}`},
		{"dropped subtree not visited", `{"a":{"b":1},"b":2}`, map[string]string{"a": "drop", "a.b": `"never"`}, `{"b":2}`},
		{"whitespace with drops", "{ \"a\" : 1 ,\n \"b\" : [ 1 , 2 ] }", map[string]string{"b[0]": "drop"}, `{"a":1,"b":[2]}`},
	}
	var r Rewriter
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Rewrite(nil, []byte(tt.in), byPath(tt.rules))
			if err != nil {
				t.Fatalf("Rewrite: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestVisits checks what the callback sees: order, paths, kinds, raw and
// decoded values.
func TestVisits(t *testing.T) {
	in := `{"a":{"b\"c":[1,"x\ty",{"d":null}]},"e":"\ud83d\ude00\ud800\udc00\ud800","":true,"f.g":[[false]]}`
	want := []string{
		`a object "" ""`,
		`a.b"c array "" ""`,
		`a.b"c[0] number "1" ""`,
		`a.b"c[1] string "\"x\\ty\"" "x\ty"`,
		`a.b"c[2] object "" ""`,
		`a.b"c[2].d null "null" ""`,
		`e string "\"\\ud83d\\ude00\\ud800\\udc00\\ud800\"" "😀𐀀�"`,
		` true "true" ""`,
		`f.g array "" ""`,
		`f.g[0] array "" ""`,
		`f.g[0][0] false "false" ""`,
	}
	var got []string
	var r Rewriter
	err := r.Walk([]byte(in), func(p *Path, v *Value) (Decision, []byte) {
		got = append(got, fmt.Sprintf("%s %v %q %q", p, v.Kind, v.Raw, v.Str))
		return Keep, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("visits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPathSegments(t *testing.T) {
	var r Rewriter
	var seen bool
	err := r.Walk([]byte(`{"x":[{"y":1}]}`), func(p *Path, v *Value) (Decision, []byte) {
		if v.Kind != Number {
			return Keep, nil
		}
		seen = true
		if p.Len() != 3 {
			t.Fatalf("Len = %d, want 3", p.Len())
		}
		if s := p.At(0); string(s.Key) != "x" || s.IsIndex {
			t.Errorf("At(0) = %+v", s)
		}
		if s := p.At(1); !s.IsIndex || s.Index != 0 || s.Key != nil {
			t.Errorf("At(1) = %+v", s)
		}
		if s := p.Last(); string(s.Key) != "y" {
			t.Errorf("Last() = %+v", s)
		}
		if got := string(p.AppendTo([]byte("p="))); got != "p=x[0].y" {
			t.Errorf("AppendTo = %q", got)
		}
		return Keep, nil
	})
	if err != nil || !seen {
		t.Fatalf("err=%v seen=%v", err, seen)
	}
	var empty Path
	if empty.Len() != 0 || empty.String() != "" {
		t.Errorf("zero Path: Len %d String %q", empty.Len(), empty.String())
	}
}

func TestWalkSkips(t *testing.T) {
	var r Rewriter
	var paths []string
	err := r.Walk([]byte(`{"a":{"b":1},"c":[2],"d":{"e":3}}`), func(p *Path, v *Value) (Decision, []byte) {
		paths = append(paths, p.String())
		switch p.String() {
		case "a":
			return Drop, nil
		case "c":
			return Replace, nil // no replacement needed in Walk
		}
		return Keep, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(paths, " "); got != "a c d d.e" {
		t.Errorf("visited %q", got)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		off  int64
		line int
		col  int
		msg  string
	}{
		{"empty", ``, 0, 1, 1, msgEOF},
		{"only whitespace", " \n ", 3, 2, 2, msgEOF},
		{"array top", `[1]`, 0, 1, 1, msgNotObject},
		{"string top", ` "a"`, 1, 1, 2, msgNotObject},
		{"number top", `12`, 0, 1, 1, msgNotObject},
		{"literal top", `null`, 0, 1, 1, msgNotObject},
		{"garbage top", `x`, 0, 1, 1, "invalid letter looking for beginning of value"},
		{"two objects", `{}{}`, 2, 1, 3, "invalid character '{' after top-level value"},
		{"trailing garbage", "{}\n x", 4, 2, 2, "invalid letter after top-level value"},
		{"trailing comma object", `{"a":1,}`, 7, 1, 8, "invalid character '}' looking for beginning of object key string"},
		{"trailing comma array", `{"a":[1,]}`, 8, 1, 9, "invalid character ']' looking for beginning of value"},
		{"leading comma", `{,"a":1}`, 1, 1, 2, "invalid character ',' looking for beginning of object key string"},
		{"missing colon", `{"a" 1}`, 5, 1, 6, "invalid digit after object key"},
		{"missing comma", `{"a":1 "b":2}`, 7, 1, 8, "invalid quotation mark after object member"},
		{"missing comma array", `{"a":[1 2]}`, 8, 1, 9, "invalid digit after array element"},
		{"unquoted key", `{a:1}`, 1, 1, 2, "invalid letter looking for beginning of object key string"},
		{"single quotes", `{'a':1}`, 1, 1, 2, "invalid punctuation looking for beginning of object key string"},
		{"mismatched close", `{"a":[1}`, 7, 1, 8, "invalid character '}' after array element"},
		{"truncated object", `{"a":1`, 6, 1, 7, msgEOF},
		{"truncated after key", `{"a"`, 4, 1, 5, msgEOF},
		{"truncated after colon", `{"a":`, 5, 1, 6, msgEOF},
		{"truncated string", `{"a":"xy`, 8, 1, 9, msgEOF},
		{"truncated long string", `{"a":"` + strings.Repeat("x", 20), 26, 1, 27, msgEOF},
		{"truncated escape", `{"a":"\`, 7, 1, 8, msgEOF},
		{"truncated unicode escape", `{"a":"\u12`, 10, 1, 11, msgEOF},
		{"truncated literal", `{"a":tr`, 7, 1, 8, msgEOF},
		{"truncated utf-8", "{\"a\":\"\xe2\x82", 8, 1, 9, msgEOF},
		{"bad literal", `{"a":trux}`, 8, 1, 9, "invalid letter in literal"},
		{"capital literal", `{"a":True}`, 5, 1, 6, "invalid letter looking for beginning of value"},
		{"NaN", `{"a":NaN}`, 5, 1, 6, "invalid letter looking for beginning of value"},
		{"plus number", `{"a":+1}`, 5, 1, 6, "invalid punctuation looking for beginning of value"},
		{"leading zero", `{"a":012}`, 6, 1, 7, "invalid digit after leading zero in number"},
		{"negative leading zero", `{"a":-01}`, 7, 1, 8, "invalid digit after leading zero in number"},
		{"lone minus", `{"a":-}`, 6, 1, 7, "invalid character '}' in number"},
		{"minus letter", `{"a":-x}`, 6, 1, 7, "invalid letter in number"},
		{"dot without digits", `{"a":1.}`, 7, 1, 8, "invalid character '}' after decimal point in number"},
		{"leading dot", `{"a":.5}`, 5, 1, 6, "invalid punctuation looking for beginning of value"},
		{"exponent without digits", `{"a":1e}`, 7, 1, 8, "invalid character '}' in exponent of number"},
		{"exponent sign only", `{"a":1e+}`, 8, 1, 9, "invalid character '}' in exponent of number"},
		{"hex number", `{"a":0x1}`, 6, 1, 7, "invalid letter after object member"},
		{"infinity", `{"a":-Infinity}`, 6, 1, 7, "invalid letter in number"},
		{"control char in string", "{\"a\":\"x\ny\"}", 7, 1, 8, "invalid whitespace in string"},
		{"NUL in string", "{\"a\":\"\x00\"}", 6, 1, 7, "invalid control character in string"},
		{"tab in key", "{\"a\tb\":1}", 3, 1, 4, "invalid whitespace in string"},
		{"bad escape", `{"a":"\x"}`, 7, 1, 8, "invalid letter in string escape"},
		{"escaped quote char", `{"a":"\'"}`, 7, 1, 8, "invalid punctuation in string escape"},
		{"bad unicode escape", `{"a":"\u12g4"}`, 10, 1, 11, "invalid letter in unicode escape"},
		{"invalid utf-8 in value", "{\"a\":\"ok\xff\"}", 8, 1, 9, msgBadUTF8},
		{"invalid utf-8 in key", "{\"\xc3\x28\":1}", 2, 1, 3, msgBadUTF8},
		{"utf-8 surrogate", "{\"a\":\"\xed\xa0\x80\"}", 6, 1, 7, msgBadUTF8},
		{"overlong utf-8", "{\"a\":\"\xc0\xaf\"}", 6, 1, 7, msgBadUTF8},
		{"invalid utf-8 in long string", "{\"a\":\"abcdefghijkl\xffabcdefgh\"}", 18, 1, 19, msgBadUTF8},
		{"non-ascii outside string", "{\"a\":\xc3\xa9}", 5, 1, 6, "invalid non-ASCII byte looking for beginning of value"},
		{"BOM", "\xef\xbb\xbf{}", 0, 1, 1, "invalid non-ASCII byte looking for beginning of value"},
		{"vertical tab whitespace", "{\v}", 1, 1, 2, "invalid control character looking for beginning of object key string"},
		{"error in dropped subtree", `{"drop":{"x":[1,2,}]}}`, 18, 1, 19, "invalid character '}' looking for beginning of value"},
		{"multi-line position", "{\n  \"a\": 1,\n  \"b\": x\n}", 19, 3, 8, "invalid letter looking for beginning of value"},
	}
	var r Rewriter
	drop := byPath(map[string]string{"drop": "drop"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("keep")
			got, err := r.Rewrite(dst, []byte(tt.in), drop)
			if string(got) != "keep" {
				t.Errorf("dst = %q, want it truncated to its original content", got)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SyntaxError", err)
			}
			if se.Offset != tt.off || se.Line != tt.line || se.Column != tt.col || se.Msg != tt.msg {
				t.Errorf("got  off %d line %d col %d %q\nwant off %d line %d col %d %q",
					se.Offset, se.Line, se.Column, se.Msg, tt.off, tt.line, tt.col, tt.msg)
			}
			want := fmt.Sprintf("jsonwalk: line %d, column %d (byte %d): %s", tt.line, tt.col, tt.off, tt.msg)
			if err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
			if werr := r.Walk([]byte(tt.in), nil); werr == nil || werr.Error() != err.Error() {
				t.Errorf("Walk error %v differs from Rewrite error %v", werr, err)
			}
		})
	}
}

func TestErrorsNeverEchoInput(t *testing.T) {
	secret := "jane.doe@example.com"
	inputs := []string{
		`{"email":"` + secret + `" x}`,
		`{"email":` + secret + `}`,
		`{"` + secret + `":1,}`,
		"{\"email\":\"" + secret + "\xff\"}",
		`{"email":"` + secret + `\q"}`,
		`["` + secret + `"]`,
		`{"a":1}` + secret,
	}
	var r Rewriter
	for _, in := range inputs {
		_, err := r.Rewrite(nil, []byte(in), keepAll)
		if err == nil {
			t.Fatalf("no error for %q", in)
		}
		for k := 0; k+3 <= len(secret); k++ {
			if w := secret[k : k+3]; strings.Contains(err.Error(), w) && !strings.Contains("jsonwalk: line column byte invalid", w) {
				t.Errorf("error %q contains %q from the input", err, w)
			}
		}
	}
}

func TestLimits(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(`{"a":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}`)
	}
	t.Run("default depth", func(t *testing.T) {
		var r Rewriter
		if _, err := r.Rewrite(nil, deep(DefaultMaxDepth), nil); err != nil {
			t.Fatalf("depth %d: %v", DefaultMaxDepth, err)
		}
		dst := []byte("x")
		got, err := r.Rewrite(dst, deep(DefaultMaxDepth+1), nil)
		var le *LimitError
		if !errors.Is(err, ErrTooDeep) || !errors.As(err, &le) || string(got) != "x" {
			t.Fatalf("err = %v, dst %q", err, got)
		}
		if le.Limit != DefaultMaxDepth || le.Offset != int64(5+DefaultMaxDepth-1) || le.Line != 1 || le.Column != int(le.Offset)+1 {
			t.Errorf("LimitError = %+v", le)
		}
		want := fmt.Sprintf("jsonwalk: line 1, column %d (byte %d): nesting exceeds the depth limit of %d", le.Column, le.Offset, DefaultMaxDepth)
		if err.Error() != want {
			t.Errorf("Error() = %q, want %q", err, want)
		}
	})
	t.Run("custom depth", func(t *testing.T) {
		r := Rewriter{MaxDepth: 2}
		if err := r.Walk([]byte(`{"a":{}}`), nil); err != nil {
			t.Fatal(err)
		}
		if err := r.Walk([]byte(`{"a":{"b":[]}}`), nil); !errors.Is(err, ErrTooDeep) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("very deep input, explicit stack", func(t *testing.T) {
		r := Rewriter{MaxDepth: 1 << 30}
		const n = 1_000_000
		in := deep(n)
		out, err := r.Rewrite(nil, in, keepAll)
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("err = %v, output equal: %v", err, bytes.Equal(out, in))
		}
		// Unterminated, too: the error comes back, no stack overflow.
		if err := r.Walk(in[:n], nil); err == nil {
			t.Fatal("truncated deep input accepted")
		}
	})
	t.Run("max bytes", func(t *testing.T) {
		r := Rewriter{MaxBytes: 8}
		if _, err := r.Rewrite(nil, []byte(`{"a":12}`), nil); err != nil {
			t.Fatal(err)
		}
		got, err := r.Rewrite([]byte("x"), []byte(`{"a":123}`), nil)
		var le *LimitError
		if !errors.Is(err, ErrTooLarge) || !errors.As(err, &le) || le.Limit != 8 || le.Offset != 9 || string(got) != "x" {
			t.Fatalf("err = %v, dst %q", err, got)
		}
		if want := "jsonwalk: input of 9 bytes exceeds the limit of 8 bytes"; err.Error() != want {
			t.Errorf("Error() = %q", err)
		}
		if err := r.Walk([]byte(`{"a":123}`), nil); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Walk err = %v", err)
		}
	})
}

func TestCallbackMisuse(t *testing.T) {
	var r Rewriter
	in := []byte(`{"a":{"b":1},"c":2}`)
	tests := []struct {
		name string
		fn   Func
		want error
	}{
		{"empty replacement", byPath(map[string]string{"c": ""}), ErrBadReplacement},
		{"two values", byPath(map[string]string{"c": `1 2`}), ErrBadReplacement},
		{"unquoted text", byPath(map[string]string{"a.b": `redacted`}), ErrBadReplacement},
		{"unterminated container", byPath(map[string]string{"a": `{"x":1`}), ErrBadReplacement},
		{"too deep replacement", byPath(map[string]string{"c": strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1)}), ErrBadReplacement},
		{"unknown decision on scalar", func(p *Path, v *Value) (Decision, []byte) { return Decision(7), nil }, ErrBadDecision},
		{"unknown decision on container", func(p *Path, v *Value) (Decision, []byte) { return Replace + 1, nil }, ErrBadDecision},
		{"reentrant", func(p *Path, v *Value) (Decision, []byte) {
			_, err := r.Rewrite(nil, in, nil)
			if !errors.Is(err, ErrReentrant) {
				t.Errorf("nested Rewrite err = %v", err)
			}
			if err := r.Walk(in, nil); !errors.Is(err, ErrReentrant) {
				t.Errorf("nested Walk err = %v", err)
			}
			return Keep, nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Rewrite([]byte("x"), in, tt.fn)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == ErrBadReplacement && !strings.HasPrefix(err.Error(), ErrBadReplacement.Error()+": for the value at byte ") {
				t.Errorf("error text %q", err)
			}
			if tt.want != nil && string(got) != "x" {
				t.Errorf("dst = %q after error", got)
			}
			// The Rewriter is still usable afterwards.
			if out, err := r.Rewrite(nil, in, nil); err != nil || !bytes.Equal(out, in) {
				t.Errorf("after misuse: %s, %v", out, err)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{String: "string", Number: "number", True: "true", False: "false", Null: "null", Object: "object", Array: "array", 0: "invalid", 200: "invalid"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestRewriteDoesNotAllocate(t *testing.T) {
	in := benchEvent()
	var r Rewriter
	var path []byte
	ip := []byte(`"192.0.2.0"`)
	fn := func(p *Path, v *Value) (Decision, []byte) {
		path = p.AppendTo(path[:0])
		if v.Kind == String && bytes.IndexByte(v.Str, '@') >= 0 {
			return Drop, nil
		}
		if string(path) == "context.ip" {
			return Replace, ip
		}
		return Keep, nil
	}
	dst := make([]byte, 0, 2*len(in))
	dst, _ = r.Rewrite(dst[:0], in, fn) // warm up the scratch buffers
	for name, run := range map[string]func(){
		"Rewrite": func() { dst, _ = r.Rewrite(dst[:0], in, fn) },
		"Walk":    func() { _ = r.Walk(in, fn) },
	} {
		if allocs := testing.AllocsPerRun(100, run); allocs != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, allocs)
		}
	}
}

// TestStringStops checks the SWAR scan against a byte-by-byte one.
func TestStringStops(t *testing.T) {
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80 }
	interesting := []byte{0, 1, 0x1f, 0x20, 0x21, '"', 0x23, '[', '\\', ']', 'a', 0x7e, 0x7f, 0x80, 0x81, 0xa2, 0xdc, 0xff}
	rng := rand.New(rand.NewPCG(9, 9))
	var buf [8]byte
	for range 200000 {
		for k := range buf {
			if rng.IntN(3) == 0 {
				buf[k] = byte(rng.IntN(256))
			} else if rng.IntN(2) == 0 {
				buf[k] = interesting[rng.IntN(len(interesting))]
			} else {
				buf[k] = 'a' + byte(rng.IntN(26))
			}
		}
		want := 8
		for k, c := range buf {
			if special(c) {
				want = k
				break
			}
		}
		m := stringStops(binary.LittleEndian.Uint64(buf[:]))
		got := 8
		if m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if got != want {
			t.Fatalf("%q: first stop at %d, want %d", buf, got, want)
		}
	}
}
