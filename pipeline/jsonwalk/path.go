package jsonwalk

import "strconv"

// Segment is one step of a [Path]: an object key or an array index.
type Segment struct {
	// Key is the decoded (unescaped) object key. It aliases the Rewriter's
	// scratch memory and is valid only during the callback. Nil for indices.
	Key []byte
	// Index is the element's position in the input array (not in the output:
	// dropping an element does not renumber the ones after it).
	Index int
	// IsIndex reports whether the segment is an array index.
	IsIndex bool
}

// Path is the location of the member or element being visited, from the
// top-level object down. The top-level object itself has the empty path. A
// Path is owned by the Rewriter and valid only during the callback.
type Path struct {
	frames []frame // frames[0] is the root; frames[i+1] holds segment i
	keys   []byte  // decoded escaped keys of the open objects, as a stack
	src    []byte  // the input, where unescaped keys are read
}

// frame is one open container (or the root) on the walk's explicit stack.
type frame struct {
	keyFrom, keyTo int // current key: in Path.keys if keyEscaped, else in Path.src
	index          int // current element index (arrays)
	kind           frameKind
	keyEscaped     bool
	wrote          bool // a member was written to dst, so the next needs a comma
}

// key returns the current key of object frame f.
func (p *Path) key(f *frame) []byte {
	if f.keyEscaped {
		return p.keys[f.keyFrom:f.keyTo:f.keyTo]
	}
	return p.src[f.keyFrom:f.keyTo:f.keyTo]
}

type frameKind uint8

const (
	frameRoot frameKind = iota
	frameObject
	frameArray
)

// Len returns the number of segments.
func (p *Path) Len() int { return max(len(p.frames)-1, 0) }

// At returns segment i, 0 <= i < Len(); At(0) is the key in the top-level
// object.
func (p *Path) At(i int) Segment {
	f := &p.frames[i+1]
	if f.kind == frameArray {
		return Segment{Index: f.index, IsIndex: true}
	}
	return Segment{Key: p.key(f)}
}

// Last returns the last segment: the key or index of the member being
// visited. Len must be at least 1, which it always is inside a callback.
func (p *Path) Last() Segment { return p.At(p.Len() - 1) }

// AppendTo appends the dotted form of the path to dst and returns it: keys
// joined by '.', array indices as [i], for example "context.traits.email" or
// "items[2].name". This is the path syntax of veil's conformance scorer. Keys
// are written decoded and unquoted, so a key that itself contains '.' or '['
// makes the form ambiguous.
func (p *Path) AppendTo(dst []byte) []byte {
	for i := 1; i < len(p.frames); i++ {
		f := &p.frames[i]
		if f.kind == frameArray {
			dst = append(dst, '[')
			dst = strconv.AppendInt(dst, int64(f.index), 10)
			dst = append(dst, ']')
			continue
		}
		if i > 1 {
			dst = append(dst, '.')
		}
		dst = append(dst, p.key(f)...)
	}
	return dst
}

// String returns the dotted form of the path (see AppendTo). It allocates:
// use it for errors and tags, not per value.
func (p *Path) String() string { return string(p.AppendTo(nil)) }
