package jsonwalk_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/veilstream/veil/pipeline/jsonwalk"
)

// A sanitizer keeps one Rewriter and its buffers per goroutine and decides
// per member, by dotted path and by content.
func ExampleRewriter_Rewrite() {
	event := []byte(`{
		"event": "Signed Up",
		"context": {"ip": "203.0.113.42", "traits": {"email": "ada@example.org", "plan": "pro"}},
		"properties": {"note": "call me at ada@example.org", "tags": ["a", "b"]}
	}`)

	var (
		rw          jsonwalk.Rewriter
		dst         []byte
		path        []byte
		prefix      []byte
		replacement []byte
	)
	redacted := []byte(`"[redacted]"`)
	sanitize := func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
		path = p.AppendTo(path[:0])
		switch string(path) { // no allocation: the conversion is only compared
		case "context.traits.email":
			return jsonwalk.Drop, nil
		case "context.ip":
			// Keep the /24 prefix.
			if dot := bytes.LastIndexByte(v.Str, '.'); dot >= 0 {
				prefix = append(append(prefix[:0], v.Str[:dot+1]...), '0')
				replacement = jsonwalk.AppendString(replacement[:0], prefix)
				return jsonwalk.Replace, replacement
			}
			return jsonwalk.Drop, nil
		}
		if v.Kind == jsonwalk.String && bytes.IndexByte(v.Str, '@') >= 0 {
			return jsonwalk.Replace, redacted
		}
		return jsonwalk.Keep, nil
	}

	dst, err := rw.Rewrite(dst[:0], event, sanitize)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n", dst)

	// Malformed input: an error that never quotes the input, and no output.
	dst, err = rw.Rewrite(dst[:0], []byte(`{"email": "ada@example.org" "x": 1}`), sanitize)
	var se *jsonwalk.SyntaxError
	fmt.Println(len(dst), errors.As(err, &se), err)
	// Output:
	// {"event":"Signed Up","context":{"ip":"203.0.113.0","traits":{"plan":"pro"}},"properties":{"note":"[redacted]","tags":["a","b"]}}
	// 0 true jsonwalk: line 1, column 29 (byte 28): invalid quotation mark after object member
}

func ExamplePath_AppendTo() {
	var rw jsonwalk.Rewriter
	_ = rw.Walk([]byte(`{"items":[{"name":"x"}],"a.b":1}`), func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
		fmt.Printf("%s %v\n", p.AppendTo(nil), v.Kind)
		return jsonwalk.Keep, nil
	})
	// Output:
	// items array
	// items[0] object
	// items[0].name string
	// a.b number
}
