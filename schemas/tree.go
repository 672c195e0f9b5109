package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// A schema file is read into a small ordered tree rather than into
// map[string]any: member order is kept (so errors come out in file order),
// duplicate keys are caught (encoding/json silently keeps the last one, which
// would hide a second "x-pii"), and every value knows its JSON pointer.

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

var jkindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k jkind) String() string { return jkindNames[k] }

// jvalue is one value of a parsed schema file.
type jvalue struct {
	kind    jkind
	str     string // string content, or a number as written
	b       bool
	elems   []*jvalue
	members []jmember
	ptr     string // JSON pointer of the value within its file ("" is the root)
}

type jmember struct {
	key string
	val *jvalue
}

// get returns the member named key of an object, or nil.
func (v *jvalue) get(key string) *jvalue {
	for i := range v.members {
		if v.members[i].key == key {
			return v.members[i].val
		}
	}
	return nil
}

// maxTreeDepth bounds the nesting of a schema file; real schemas stay far
// below it, and the bound keeps the recursive reader safe on hostile input.
const maxTreeDepth = 128

// parseTree reads one JSON document into a tree. Errors give the byte
// offset and line of the problem, never the file's content.
func parseTree(data []byte) (*jvalue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := treeParser{dec: dec, data: data}
	v, err := p.value("", 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, p.at(dec.InputOffset(), "unexpected data after the top-level value")
	}
	return v, nil
}

type treeParser struct {
	dec  *json.Decoder
	data []byte
}

func (p *treeParser) at(off int64, msg string) error {
	line := 1 + bytes.Count(p.data[:min(int(off), len(p.data))], []byte{'\n'})
	return fmt.Errorf("invalid JSON at line %d (byte %d): %s", line, off, msg)
}

func (p *treeParser) wrap(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return p.at(se.Offset, se.Error())
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.at(int64(len(p.data)), "unexpected end of input")
	}
	return p.at(p.dec.InputOffset(), err.Error())
}

func (p *treeParser) value(ptr string, depth int) (*jvalue, error) {
	if depth > maxTreeDepth {
		return nil, p.at(p.dec.InputOffset(), fmt.Sprintf("nested deeper than %d levels", maxTreeDepth))
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.wrap(err)
	}
	v := &jvalue{ptr: ptr}
	switch t := tok.(type) {
	case nil:
		v.kind = jNull
	case bool:
		v.kind, v.b = jBool, t
	case json.Number:
		v.kind, v.str = jNumber, string(t)
	case string:
		v.kind, v.str = jString, t
	case json.Delim:
		switch t {
		case '[':
			v.kind = jArray
			for i := 0; p.dec.More(); i++ {
				e, err := p.value(ptr+"/"+itoa(i), depth+1)
				if err != nil {
					return nil, err
				}
				v.elems = append(v.elems, e)
			}
		case '{':
			v.kind = jObject
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.wrap(err)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, p.at(p.dec.InputOffset(), "object key is not a string")
				}
				if v.get(key) != nil {
					return nil, &SchemaError{Pointer: ptr, Err: fmt.Errorf("duplicate key %q", key)}
				}
				e, err := p.value(ptr+"/"+escapePointer(key), depth+1)
				if err != nil {
					return nil, err
				}
				v.members = append(v.members, jmember{key: key, val: e})
			}
		default:
			return nil, p.at(p.dec.InputOffset(), "unexpected "+string(t))
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, p.wrap(err)
		}
	default:
		return nil, p.at(p.dec.InputOffset(), "unexpected token")
	}
	return v, nil
}

// escapePointer escapes a key as a JSON pointer reference token (RFC 6901).
func escapePointer(key string) string {
	if !strings.ContainsAny(key, "~/") {
		return key
	}
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

// unescapePointer undoes escapePointer.
func unescapePointer(tok string) string {
	if !strings.Contains(tok, "~") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}
