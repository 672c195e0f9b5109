package corpus

import (
	"strconv"
	"unicode/utf8"
)

// The generator builds each event as a small tree of ordered objects, records
// every label with the path it is placed at while building, and serialises
// the tree once. Key order is the order of the calls, so output bytes depend
// only on the random stream.

type object struct {
	keys []string
	vals []any // string, number, bool, nil, *object, *array
}

type array struct{ vals []any }

// number is a JSON number written exactly as given.
type number string

func (o *object) set(k string, v any) {
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

func appendValue(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, v)
	case string:
		return appendString(dst, v)
	case number:
		return append(dst, v...)
	case *object:
		dst = append(dst, '{')
		for i, k := range v.keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, k)
			dst = append(dst, ':')
			dst = appendValue(dst, v.vals[i])
		}
		return append(dst, '}')
	case *array:
		dst = append(dst, '[')
		for i, e := range v.vals {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendValue(dst, e)
		}
		return append(dst, ']')
	}
	return append(dst, "null"...) // not reached: only this file builds trees
}

// appendString writes s as a JSON string. Non-ASCII text stays UTF-8; control
// characters, quotes, backslashes and the two JavaScript line separators are
// escaped.
func appendString(dst []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, '\\', 'u', '2', '0', '2', hexd[r&0xf])
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// span is a personal value inside a string: its type and its text.
type span struct {
	typ, val string
}

// event collects one event's tree and labels.
type event struct {
	root *object
	pii  []PIIValue
	keep []KeepValue
}

func newEvent() *event { return &event{root: &object{}} }

func (e *event) addPII(typ, val, path string) {
	for _, p := range e.pii {
		if p.Type == typ && p.Value == val && p.Path == path {
			return
		}
	}
	e.pii = append(e.pii, PIIValue{Type: typ, Value: val, Path: path})
}

// obj is a position in the tree: an object and the scorer path that leads to it.
type obj struct {
	e    *event
	o    *object
	path string
}

func (n obj) at(k string) string {
	if n.path == "" {
		return k
	}
	return n.path + "." + k
}

func (n obj) str(k, v string) obj           { n.o.set(k, v); return n }
func (n obj) int(k string, v int64) obj     { n.o.set(k, number(strconv.FormatInt(v, 10))); return n }
func (n obj) float(k string, v float64) obj { n.o.set(k, number(fmtFloat(v))); return n }
func (n obj) bool(k string, v bool) obj     { n.o.set(k, v); return n }
func (n obj) null(k string) obj             { n.o.set(k, nil); return n }

// pii sets k to a personal value and labels it.
func (n obj) pii(k, typ, v string) obj {
	n.o.set(k, v)
	n.e.addPII(typ, v, n.at(k))
	return n
}

// piiNum sets k to a personal value written as a JSON number (digits only).
func (n obj) piiNum(k, typ, digits string) obj {
	n.o.set(k, number(digits))
	n.e.addPII(typ, digits, n.at(k))
	return n
}

// piiKey adds a member whose key is itself a personal value; the label's path
// is the object holding it.
func (n obj) piiKey(typ, key string, v any) obj {
	n.o.set(key, v)
	n.e.addPII(typ, key, n.path)
	return n
}

// text sets k to a string holding personal values (free text, a URL with a
// query, a list of addresses) and labels each of them.
func (n obj) text(k, s string, spans ...span) obj {
	n.o.set(k, s)
	for _, sp := range spans {
		n.e.addPII(sp.typ, sp.val, n.at(k))
	}
	return n
}

// keep sets k to a string that analytics keeps.
func (n obj) keep(k, v string) obj {
	n.o.set(k, v)
	n.e.keep = append(n.e.keep, KeepValue{Path: n.at(k), Value: v})
	return n
}

// keepIn sets k to s and marks part (a substring of s, such as a URL's path)
// as what analytics keeps; the spans inside s are labelled as personal.
func (n obj) keepIn(k, s, part string, spans ...span) obj {
	n.text(k, s, spans...)
	n.e.keep = append(n.e.keep, KeepValue{Path: n.at(k), Value: part})
	return n
}

func (n obj) keepInt(k string, v int64) obj {
	n.int(k, v)
	n.e.keep = append(n.e.keep, KeepValue{Path: n.at(k), Value: v})
	return n
}

func (n obj) keepFloat(k string, v float64) obj {
	n.float(k, v)
	n.e.keep = append(n.e.keep, KeepValue{Path: n.at(k), Value: v})
	return n
}

func (n obj) child(k string) obj {
	c := &object{}
	n.o.set(k, c)
	return obj{e: n.e, o: c, path: n.at(k)}
}

func (n obj) list(k string) list {
	a := &array{}
	n.o.set(k, a)
	return list{e: n.e, a: a, path: n.at(k)}
}

// list is a position in the tree that is an array.
type list struct {
	e    *event
	a    *array
	path string
}

func (l list) next() string { return l.path + "[" + strconv.Itoa(len(l.a.vals)) + "]" }

func (l list) child() obj {
	p := l.next()
	c := &object{}
	l.a.vals = append(l.a.vals, c)
	return obj{e: l.e, o: c, path: p}
}

func (l list) str(v string) list { l.a.vals = append(l.a.vals, v); return l }

func (l list) pii(typ, v string) list {
	l.e.addPII(typ, v, l.next())
	l.a.vals = append(l.a.vals, v)
	return l
}

func (l list) keep(v string) list {
	l.e.keep = append(l.e.keep, KeepValue{Path: l.next(), Value: v})
	l.a.vals = append(l.a.vals, v)
	return l
}

func (l list) keepIn(s, part string, spans ...span) list {
	p := l.next()
	for _, sp := range spans {
		l.e.addPII(sp.typ, sp.val, p)
	}
	l.e.keep = append(l.e.keep, KeepValue{Path: p, Value: part})
	l.a.vals = append(l.a.vals, s)
	return l
}

// fmtFloat writes v in the shortest form that reads back as v, which is also
// what Python's json module prints, so a scorer comparing numbers or looking
// for their text sees the same digits.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
