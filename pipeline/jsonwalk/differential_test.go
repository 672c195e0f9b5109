package jsonwalk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The differential tests compare the rewriter with encoding/json, which is
// the reference for everything but two documented differences: jsonwalk
// rejects invalid UTF-8 (encoding/json.Valid accepts it inside strings) and
// requires the top-level value to be an object. Unpaired surrogate escapes
// are accepted by both and decode to U+FFFD in both.

// wantValid is the oracle: whether the Rewriter must accept in.
func wantValid(in []byte, maxDepth int) bool {
	if !json.Valid(in) || !utf8.Valid(in) {
		return false
	}
	if i := skipWS(in, 0); i == len(in) || in[i] != '{' {
		return false
	}
	return nestingDepth(in) <= maxDepth
}

// nestingDepth returns the deepest container nesting of valid JSON in.
func nestingDepth(in []byte) int {
	dec := json.NewDecoder(bytes.NewReader(in))
	depth, deepest := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return deepest
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			deepest = max(deepest, depth)
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

func compactJSON(t testing.TB, in []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, in); err != nil {
		t.Fatalf("json.Compact: %v", err)
	}
	return b.Bytes()
}

func decodeJSON(t testing.TB, in []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json cannot decode %q: %v", in, err)
	}
	return v
}

// node is a document rebuilt from what the callback was shown.
type node struct {
	kind   Kind
	keys   []string // object member order
	fields map[string]*node
	elems  []*node
	scalar any
}

// rebuild walks in and reconstructs it from the paths and values the
// callback receives, in encoding/json's any form (numbers as json.Number).
func rebuild(t testing.TB, r *Rewriter, in []byte) (any, error) {
	t.Helper()
	root := &node{kind: Object, fields: map[string]*node{}}
	err := r.Walk(in, func(p *Path, v *Value) (Decision, []byte) {
		parent := root
		for i := 0; i < p.Len()-1; i++ {
			if s := p.At(i); s.IsIndex {
				parent = parent.elems[s.Index]
			} else {
				parent = parent.fields[string(s.Key)]
			}
		}
		n := &node{kind: v.Kind}
		switch v.Kind {
		case Object:
			n.fields = map[string]*node{}
		case String:
			n.scalar = string(v.Str)
		case Number:
			n.scalar = json.Number(v.Raw)
		case True, False:
			n.scalar = v.Kind == True
		}
		if s := p.Last(); s.IsIndex {
			if s.Index != len(parent.elems) {
				t.Errorf("index %d visited after %d elements", s.Index, len(parent.elems))
			}
			parent.elems = append(parent.elems, n)
		} else {
			k := string(s.Key)
			if _, dup := parent.fields[k]; !dup {
				parent.keys = append(parent.keys, k)
			}
			parent.fields[k] = n // the last duplicate wins, as in encoding/json
		}
		return Keep, nil
	})
	return root.value(), err
}

func (n *node) value() any {
	switch n.kind {
	case Object:
		m := make(map[string]any, len(n.fields))
		for k, f := range n.fields {
			m[k] = f.value()
		}
		return m
	case Array:
		a := make([]any, len(n.elems))
		for i, e := range n.elems {
			a[i] = e.value()
		}
		return a
	}
	return n.scalar
}

// gen writes random valid JSON text with varied whitespace, escapes,
// non-ASCII text, surrogates (paired and not) and number forms.
type gen struct {
	rng *rand.Rand
	b   []byte
}

func (g *gen) ws() {
	if g.rng.IntN(4) == 0 {
		g.b = append(g.b, " \t\n\r  "[:1+g.rng.IntN(6)]...)
	}
}

var genPieces = []string{
	"a", "b", "z", "A", " ", "0", "9", ".", "@", "<", "&", "é", "ß", "名", "🙂", "\u2028", "\x7f", "\ufffd",
	`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u0000`, `\u001f`, `\u00e9`, `\u20AC`, `\ud83d\ude00`,
	`\ud800`, `\udfff`, `\ud800\u0041`, `\udc00\ud800`, `\uD834\uDD1E`,
}

func (g *gen) str(long bool) {
	g.b = append(g.b, '"')
	n := g.rng.IntN(6)
	if long {
		n = g.rng.IntN(40)
	}
	for range n {
		if g.rng.IntN(3) == 0 {
			g.b = append(g.b, genPieces[g.rng.IntN(len(genPieces))]...)
		} else {
			g.b = append(g.b, "abcdefghijklmnopqrstuvwxyz-_ 0123456789"[g.rng.IntN(39)])
		}
	}
	g.b = append(g.b, '"')
}

func (g *gen) number() {
	if g.rng.IntN(3) == 0 {
		g.b = append(g.b, '-')
	}
	if g.rng.IntN(3) == 0 {
		g.b = append(g.b, '0')
	} else {
		g.b = strconv.AppendUint(g.b, g.rng.Uint64N(1<<uint(1+g.rng.IntN(63))), 10)
	}
	if g.rng.IntN(3) == 0 {
		g.b = append(g.b, '.')
		g.b = strconv.AppendUint(g.b, g.rng.Uint64N(100000), 10)
	}
	if g.rng.IntN(4) == 0 {
		g.b = append(g.b, "eE"[g.rng.IntN(2)])
		if s := g.rng.IntN(3); s > 0 {
			g.b = append(g.b, "+-"[s-1])
		}
		g.b = strconv.AppendUint(g.b, g.rng.Uint64N(300), 10)
	}
}

func (g *gen) value(depth int) {
	g.ws()
	k := g.rng.IntN(10)
	if depth <= 0 && k >= 7 {
		k = g.rng.IntN(7)
	}
	switch k {
	case 0, 1:
		g.str(true)
	case 2, 3:
		g.number()
	case 4:
		g.b = append(g.b, "true"...)
	case 5:
		g.b = append(g.b, "false"...)
	case 6:
		g.b = append(g.b, "null"...)
	case 7, 8:
		g.object(depth - 1)
	case 9:
		g.b = append(g.b, '[')
		for i := range g.rng.IntN(5) {
			if i > 0 {
				g.b = append(g.b, ',')
			}
			g.value(depth - 1)
		}
		g.ws()
		g.b = append(g.b, ']')
	}
	g.ws()
}

func (g *gen) object(depth int) {
	g.b = append(g.b, '{')
	seen := map[string]bool{}
	for i := range g.rng.IntN(6) {
		mark := len(g.b)
		if i > 0 {
			g.b = append(g.b, ',')
		}
		g.ws()
		keyAt := len(g.b)
		g.str(false)
		if seen[string(g.b[keyAt:])] {
			g.b = g.b[:mark] // no duplicate keys here; they have their own test
			continue
		}
		seen[string(g.b[keyAt:])] = true
		g.ws()
		g.b = append(g.b, ':')
		g.value(depth)
	}
	g.ws()
	g.b = append(g.b, '}')
}

// doc returns a random valid JSON object.
func (g *gen) doc() []byte {
	g.b = g.b[:0]
	g.ws()
	g.object(1 + g.rng.IntN(6))
	g.ws()
	return bytes.Clone(g.b)
}

func TestDifferentialValid(t *testing.T) {
	g := &gen{rng: rand.New(rand.NewPCG(7, 11))}
	var r Rewriter
	for n := range 3000 {
		in := g.doc()
		if !json.Valid(in) {
			t.Fatalf("generator produced invalid JSON: %q", in)
		}
		out, err := r.Rewrite(nil, in, keepAll)
		if err != nil {
			t.Fatalf("doc %d %q: %v", n, in, err)
		}
		if want := compactJSON(t, in); !bytes.Equal(out, want) {
			t.Fatalf("doc %d %q:\ngot  %s\nwant %s", n, in, out, want)
		}
		got, err := rebuild(t, &r, in)
		if err != nil {
			t.Fatal(err)
		}
		if want := decodeJSON(t, in); !reflect.DeepEqual(got, want) {
			t.Fatalf("doc %d %q: callbacks rebuild\n%#v\nencoding/json decodes\n%#v", n, in, got, want)
		}
	}
}

func TestDuplicateKeysMatchEncodingJSON(t *testing.T) {
	in := []byte(`{"a":{"x":1},"b":[1],"a":{"y":"2"},"b":null}`)
	var r Rewriter
	got, err := rebuild(t, &r, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := decodeJSON(t, in); !reflect.DeepEqual(got, want) {
		t.Errorf("rebuild %#v, encoding/json %#v", got, want)
	}
}

var mutationBytes = []byte("{}[],:\"\\ \t\n0123456789-+.eEatrufnlsx/u\x00\x1f\x7f\xff\xc3\xa9\xed")

// mutate damages a valid document in one of several ways.
func mutate(rng *rand.Rand, in []byte) []byte {
	out := bytes.Clone(in)
	pos := rng.IntN(len(out) + 1)
	c := mutationBytes[rng.IntN(len(mutationBytes))]
	switch rng.IntN(5) {
	case 0: // truncate
		return out[:pos]
	case 1: // insert
		return append(out[:pos], append([]byte{c}, in[pos:]...)...)
	case 2: // delete
		if pos < len(out) {
			return append(out[:pos], in[pos+1:]...)
		}
		return out
	case 3: // overwrite
		if pos < len(out) {
			out[pos] = c
		}
		return out
	default: // append
		return append(out, c)
	}
}

func TestDifferentialMutated(t *testing.T) {
	g := &gen{rng: rand.New(rand.NewPCG(3, 5))}
	var r Rewriter
	accepted, rejected := 0, 0
	for range 20000 {
		in := g.doc()
		for range 1 + g.rng.IntN(2) {
			in = mutate(g.rng, in)
		}
		want := wantValid(in, DefaultMaxDepth)
		dst := []byte("dst")
		out, err := r.Rewrite(dst, in, keepAll)
		if (err == nil) != want {
			t.Fatalf("%q: Rewrite err = %v, encoding/json oracle says valid = %v", in, err, want)
		}
		if err != nil {
			rejected++
			checkErrorText(t, err)
			if string(out) != "dst" {
				t.Fatalf("%q: dst = %q after error", in, out)
			}
			continue
		}
		accepted++
		if want := append([]byte("dst"), compactJSON(t, in)...); !bytes.Equal(out, want) {
			t.Fatalf("%q:\ngot  %s\nwant %s", in, out, want)
		}
	}
	if accepted < 1000 || rejected < 1000 {
		t.Errorf("mutations not varied enough: %d accepted, %d rejected", accepted, rejected)
	}
}

// errorContexts lists every context of "invalid <class> <context>" messages.
var errorContexts = []string{
	ctxValue, ctxKey, ctxAfterKey, ctxAfterMem, ctxAfterElem, ctxAfterTop, ctxString, ctxEscape,
	ctxUnicode, ctxNumber, ctxLeadZero, ctxFraction, ctxExponent, ctxLiteral,
}

// vocabulary is the closed set of SyntaxError messages.
var vocabulary = func() map[string]bool {
	v := map[string]bool{msgEOF: true, msgNotObject: true, msgBadUTF8: true}
	for c := range 256 {
		for _, ctx := range errorContexts {
			v[invalid(byte(c), ctx)] = true
		}
	}
	return v
}()

// checkErrorText fails unless err's text is built from the fixed vocabulary
// and positions only, so that it cannot carry input bytes.
func checkErrorText(t testing.TB, err error) {
	t.Helper()
	text := err.Error()
	for i := 0; i < len(text); i++ {
		if text[i] < 0x20 || text[i] >= 0x7f {
			t.Fatalf("error text %q is not printable ASCII", text)
		}
	}
	switch e := err.(type) {
	case *SyntaxError:
		if !vocabulary[e.Msg] {
			t.Fatalf("message %q is outside the vocabulary", e.Msg)
		}
		if want := fmt.Sprintf("jsonwalk: line %d, column %d (byte %d): %s", e.Line, e.Column, e.Offset, e.Msg); text != want {
			t.Fatalf("error text %q, want %q", text, want)
		}
	case *LimitError:
		if !strings.HasPrefix(text, "jsonwalk: ") || !strings.Contains(text, " limit of ") {
			t.Fatalf("limit error text %q", text)
		}
	default:
		t.Fatalf("error %T %q is neither *SyntaxError nor *LimitError", err, text)
	}
}
