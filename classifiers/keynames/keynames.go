package keynames

import (
	"sync"

	"github.com/veilstream/veil/classifiers"
)

// Shape tells what a field's value usually looks like, so that a sanitizer
// can choose an action (keep, pseudonymize, scan as free text, generalize).
type Shape uint8

// The value shapes.
const (
	// ShapeUnknown is the zero Shape: nothing is known about the value.
	ShapeUnknown Shape = iota
	// ShapeScalar is a short value: a word, a number, a code, a flag.
	ShapeScalar
	// ShapeIdentifier is an opaque identifier (uuid, hash, database id).
	ShapeIdentifier
	// ShapeFreeText is text written by a person; scan it with the content
	// classifiers rather than dropping or keeping it whole.
	ShapeFreeText
	// ShapeUserAgent is an HTTP User-Agent string, which a generalizer can
	// reduce to browser, OS and device family.
	ShapeUserAgent
	// ShapeURL is a URL, a path or a query string.
	ShapeURL
	// ShapeTimestamp is a date, a time or a duration.
	ShapeTimestamp
)

var shapeNames = [...]string{"unknown", "scalar", "identifier", "free_text", "user_agent", "url", "timestamp"}

// String returns the shape's lower-case name.
func (s Shape) String() string {
	if int(s) < len(shapeNames) {
		return shapeNames[s]
	}
	return "unknown"
}

// Class is what a field name says about the field's value.
type Class struct {
	// Category is the taxonomy category of the value.
	Category classifiers.Category
	// Type is the entity type when the field names one (EMAIL_ADDRESS,
	// PERSON, DATE_OF_BIRTH, …); it may be empty.
	Type classifiers.EntityType
	// Shape is the usual shape of the value.
	Shape Shape
}

// Personal reports whether the class is personal data, that is any category
// other than non_personal (and the empty class).
func (c Class) Personal() bool {
	return c.Category != "" && c.Category != classifiers.NonPersonal
}

// String returns "category/TYPE/shape", for logs and test output.
func (c Class) String() string {
	return string(c.Category) + "/" + string(c.Type) + "/" + c.Shape.String()
}

// Classify returns the class of the value held by a field named key, and
// false when the name says nothing known. It does not allocate.
func Classify(key []byte) (Class, bool) {
	return classify(nil, key)
}

// ClassifyString is Classify for a string key.
func ClassifyString(key string) (Class, bool) {
	return classify("", key)
}

// ClassifyPath classifies key as a field of the object held under parent.
// parent is the enclosing object's key or a dotted path to it
// ("properties.user", "items[0]"); only its last non-numeric segment is
// used. An empty parent is the same as Classify. It does not allocate.
func ClassifyPath(parent, key []byte) (Class, bool) {
	return classify(parent, key)
}

// ClassifyPathString is ClassifyPath for string arguments.
func ClassifyPathString(parent, key string) (Class, bool) {
	return classify(parent, key)
}

// Limits of the normalized form. Longer keys are not classified.
const (
	maxKey    = 128
	maxTokens = 24
)

// normKey is a key in normalized form: lowercase folded words concatenated
// without separators ("fullName" → "fullname"), with the word offsets.
type normKey struct {
	buf  [maxKey]byte
	n    int              // length of the normalized form
	tok  [maxTokens]uint8 // start offset of each word in buf
	nt   int              // number of words
	sn   int              // length without trailing digits
	snt  int              // words without trailing all-digit words
	full bool             // set when the key did not fit
}

// tokStart returns the offset of word i, or sn for i == snt.
func (k *normKey) tokStart(i int) int {
	if i >= k.snt {
		return k.sn
	}
	return int(k.tok[i])
}

type group uint8

// tables holds the lookup maps, built once on first use.
type tables struct {
	exact  map[string]Class // normalized key → class
	groups map[string]group // normalized parent → group
	rules  map[string]Class // group byte + normalized key → class
	deflt  []Class          // group → class for keys unknown to the table
	strong []suffixRule     // suffixes recognized inside one-word keys
}

type suffixRule struct {
	suffix string
	class  Class
}

var (
	tablesOnce sync.Once
	tbl        *tables
)

func getTables() *tables {
	tablesOnce.Do(func() { tbl = buildTables() })
	return tbl
}

func classify[T ~string | ~[]byte](parent, key T) (Class, bool) {
	t := getTables()
	// A flattened path ("context.traits.name", "user/email") is its last
	// segment under the rest, when that segment has letters.
	head := key[:0]
	if i := lastPathSep(key); i > 0 && i < len(key)-1 {
		var tail normKey
		normalize(&tail, key[i+1:])
		if tail.snt > 0 {
			head, key = key[:i], key[i+1:]
		}
	}
	var k normKey
	normalize(&k, key)
	if k.full || k.n == 0 {
		return Class{}, false
	}
	var scratch [maxKey + 1]byte

	// 1. rules of the enclosing object, unless the key is a reserved
	// property ("$name", "$email" in Mixpanel, PostHog and Heap), which
	// means the same under any parent: "$name" is the person's name
	// even among an event's properties.
	g, hasGroup := parentGroup(t, head)
	if !hasGroup {
		g, hasGroup = parentGroup(t, parent)
	}
	if hasGroup && key[0] != '$' {
		if c, ok := lookupRule(t, &scratch, g, k.buf[:k.n]); ok {
			return c, true
		}
		if k.sn != k.n && k.sn > 0 {
			if c, ok := lookupRule(t, &scratch, g, k.buf[:k.sn]); ok {
				return c, true
			}
		}
	}
	// 2. the whole key; 3. without trailing digits.
	if c, ok := t.exact[string(k.buf[:k.n])]; ok {
		return c, true
	}
	if k.sn != k.n && k.sn > 0 {
		if c, ok := t.exact[string(k.buf[:k.sn])]; ok {
			return c, true
		}
	}
	// 4. trailing words, longest first; the words before them may name an
	// object with rules of its own (event_name, device_id).
	for i := 1; i < k.snt; i++ {
		start := k.tokStart(i)
		suffix := k.buf[start:k.sn]
		if qg, ok := lookupGroup(t, &k, i); ok {
			if c, ok := lookupRule(t, &scratch, qg, suffix); ok {
				return c, true
			}
		}
		if c, ok := t.exact[string(suffix)]; ok {
			return c, true
		}
	}
	// 4b. French order, generic word first: nom_produit, numéro_commande,
	// id_client.
	if k.snt >= 2 {
		if gw, ok := frontGeneric[string(k.buf[:k.tokStart(1)])]; ok {
			j := 1
			for j < k.snt-1 && linkWords[string(k.buf[k.tokStart(j):k.tokStart(j+1)])] {
				j++
			}
			qg, ok := t.groups[string(k.buf[k.tokStart(j):k.sn])]
			if !ok {
				qg, ok = t.groups[string(k.buf[k.tokStart(k.snt-1):k.sn])]
			}
			if ok {
				if c, ok := lookupRule(t, &scratch, qg, gw); ok {
					return c, true
				}
			}
			if c, ok := t.exact[gw]; ok {
				return c, true
			}
		}
	}
	// 4c. keys that start with a telling word: password_confirmation,
	// email_primary.
	if k.snt >= 2 {
		if c, ok := strongPrefixes[string(k.buf[:k.tokStart(1)])]; ok {
			return c, true
		}
	}
	if k.snt == 1 {
		w := k.buf[:k.sn]
		// 4d. compounds ending in a generic word: produktname, eventid,
		// kundennummer.
		for _, cg := range compoundGeneric {
			if len(w) <= len(cg.suffix) || string(w[len(w)-len(cg.suffix):]) != cg.suffix {
				continue
			}
			head := w[:len(w)-len(cg.suffix)]
			if qg, ok := compoundGroup(t, head); ok {
				if c, ok := lookupRule(t, &scratch, qg, cg.word); ok {
					return c, true
				}
			}
		}
		// 4e. strong suffixes inside one-word keys (useremail).
		for _, r := range t.strong {
			if len(w) > len(r.suffix) && string(w[len(w)-len(r.suffix):]) == r.suffix {
				return r.class, true
			}
		}
	}
	// 4f. a time or duration key with its unit last (createdAtMs,
	// sent_at_millis, session_duration_sec): the key without the unit,
	// when that names a time.
	if k.snt >= 2 && timeUnits[string(k.buf[k.tokStart(k.snt-1):k.sn])] {
		end := k.tokStart(k.snt - 1)
		for end > 0 && k.buf[end-1] == '_' {
			end--
		}
		if c, ok := classify(parent, T(k.buf[:end])); ok && c.Shape == ShapeTimestamp {
			return c, true
		}
	}
	// 5. the enclosing object's own class.
	if hasGroup {
		if d := t.deflt[g]; d.Category != "" {
			return d, true
		}
	}
	return Class{}, false
}

// timeUnits are the words a time or duration key may end with.
var timeUnits = map[string]bool{
	"ms": true, "msec": true, "msecs": true, "millis": true, "milliseconds": true,
	"us": true, "micros": true, "ns": true, "nanos": true,
	"sec": true, "secs": true, "seconds": true, "mins": true, "minutes": true,
	"epoch": true, "unix": true, "utc": true, "iso": true,
}

// lookupRule looks up the rule of group g for the normalized key w.
func lookupRule[T ~string | ~[]byte](t *tables, scratch *[maxKey + 1]byte, g group, w T) (Class, bool) {
	scratch[0] = byte(g)
	n := copy(scratch[1:], w)
	c, ok := t.rules[string(scratch[:1+n])]
	return c, ok
}

// lookupGroup finds the group named by the words of k before word i: all of
// them, else the last one.
func lookupGroup(t *tables, k *normKey, i int) (group, bool) {
	if g, ok := t.groups[string(k.buf[:k.tokStart(i)])]; ok {
		return g, true
	}
	if i > 1 {
		if g, ok := t.groups[string(k.buf[k.tokStart(i-1):k.tokStart(i)])]; ok {
			return g, true
		}
	}
	return 0, false
}

// parentGroup finds the group of the last non-numeric segment of parent.
func parentGroup[T ~string | ~[]byte](t *tables, parent T) (group, bool) {
	end := len(parent)
	for end > 0 {
		// skip a trailing index: "items[0]", "items.0", "items/0"
		for end > 0 && (parent[end-1] == ']' || parent[end-1] >= '0' && parent[end-1] <= '9') {
			end--
		}
		if end > 0 && parent[end-1] == '[' {
			end--
			continue
		}
		start := end
		for start > 0 && parent[start-1] != '.' && parent[start-1] != '/' && parent[start-1] != '[' {
			start--
		}
		if start == end {
			end--
			continue
		}
		// a segment that was all digits has been skipped above; what is
		// left is a name.
		var k normKey
		normalize(&k, parent[start:end])
		if k.full || k.sn == 0 {
			return 0, false
		}
		if g, ok := t.groups[string(k.buf[:k.sn])]; ok {
			return g, true
		}
		if k.snt > 1 {
			if g, ok := t.groups[string(k.buf[k.tokStart(k.snt-1):k.sn])]; ok {
				return g, true
			}
		}
		return 0, false
	}
	return 0, false
}

// compoundGeneric lists generic words that end one-word compounds, with the
// rule word they stand for.
var compoundGeneric = []struct{ suffix, word string }{
	{"name", "name"}, {"nummer", "number"}, {"number", "number"}, {"nr", "number"},
	{"id", "id"}, {"titel", "title"}, {"title", "title"}, {"typ", "type"}, {"type", "type"},
	{"datum", "date"},
}

// compoundGroup finds the group named by the head of a compound, allowing
// for the German linking letters (Kunde-n-name, Geräte-name, Produkt-s-).
func compoundGroup(t *tables, head []byte) (group, bool) {
	if g, ok := t.groups[string(head)]; ok {
		return g, true
	}
	for _, link := range [...]string{"n", "en", "s", "es", "e"} {
		if len(head) > len(link)+2 && string(head[len(head)-len(link):]) == link {
			if g, ok := t.groups[string(head[:len(head)-len(link)])]; ok {
				return g, true
			}
		}
	}
	return 0, false
}

// lastPathSep returns the index of the last '.' or '/' in key, or -1.
func lastPathSep[T ~string | ~[]byte](key T) int {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '.' || key[i] == '/' {
			return i
		}
	}
	return -1
}
