package jsonwalk

import (
	"fmt"
	"strings"
)

// Kind is the JSON type of a [Value]. The zero Kind is not a valid kind.
type Kind uint8

// The kinds of JSON values.
const (
	String Kind = iota + 1
	Number
	True
	False
	Null
	Object
	Array
)

var kindNames = [...]string{"invalid", "string", "number", "true", "false", "null", "object", "array"}

// String returns the lower-case name of the kind, such as "string".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return kindNames[0]
}

// Value is the object member value or array element being visited. It is
// owned by the Rewriter and valid only during the callback.
type Value struct {
	// Kind is the value's JSON type.
	Kind Kind
	// Raw holds the exact input bytes of a scalar: the quoted, still escaped
	// string, or the number or literal as written (callers may parse numbers
	// from it). It aliases the input. Nil for Object and Array: the callback
	// sees a container before its contents are scanned.
	Raw []byte
	// Str is the decoded content of a String, without quotes and escapes;
	// unpaired surrogate escapes read as U+FFFD. It aliases Raw when the
	// string has no escapes and reused scratch memory otherwise, so it is
	// valid only during the callback. Nil for other kinds.
	Str []byte
}

// Decision tells the Rewriter what to do with the value a callback was shown.
type Decision uint8

const (
	// Keep copies a scalar through, or descends into a container so that its
	// members are visited in turn. The zero Decision.
	Keep Decision = iota
	// Drop removes the member or array element, with its whole subtree.
	Drop
	// Replace writes the replacement bytes the callback returned instead of
	// the value (for a container, instead of its whole subtree, which is then
	// not visited). The replacement must be exactly one JSON value; Rewrite
	// checks that and fails with ErrBadReplacement otherwise. Use AppendString
	// to build string replacements.
	Replace
)

// Func is the callback of Rewrite and Walk. It is called for every object
// member and array element, in input order: for scalars with the value, for
// containers before their contents, so that it can drop or replace a whole
// subtree. It is not called for the top-level object, nor for anything inside
// a dropped or replaced container. The replacement is read only when the
// Decision is Replace, and is copied before fn is called again.
//
// p and v, and all memory they reference apart from v.Raw, are reused: a
// callback that keeps any of it must copy it.
type Func func(p *Path, v *Value) (Decision, []byte)

// DefaultMaxDepth is the nesting limit used when Rewriter.MaxDepth is 0. The
// top-level object is at depth 1.
const DefaultMaxDepth = 128

// Rewriter walks and rewrites JSON events. Its zero value is ready to use, and
// it keeps its scratch memory across calls, so reusing one Rewriter (per
// goroutine; it is not safe for concurrent use) makes rewriting allocation
// free. A callback must not call Rewrite or Walk on the Rewriter that calls it.
type Rewriter struct {
	// MaxDepth bounds nesting: the top-level object is at depth 1, each
	// nested object or array one deeper. Zero or less means DefaultMaxDepth.
	MaxDepth int
	// MaxBytes bounds the length of the input. Zero or less means no limit.
	MaxBytes int

	main  walker // state of the walk in progress
	check walker // validates replacements during a rewrite
	busy  bool
}

// walker holds the reusable state of one walk.
type walker struct {
	path    Path
	val     Value
	scratch []byte
}

// Rewrite walks src, which must hold exactly one JSON object (surrounding
// whitespace allowed), calls fn for every member and element (see [Func]), and
// appends the rewritten event to dst in compact form. A nil fn keeps
// everything, so Rewrite(dst, src, nil) validates and compacts. dst must not
// overlap src.
//
// On error the returned slice is dst truncated to its original length, and the
// error is a *SyntaxError, a *LimitError, or wraps ErrBadReplacement,
// ErrBadDecision or ErrReentrant.
func (r *Rewriter) Rewrite(dst, src []byte, fn Func) ([]byte, error) {
	if err := r.enter(src); err != nil {
		return dst, err
	}
	defer r.leave()
	return r.main.run(dst, src, fn, true, true, r.maxDepth(), &r.check)
}

// Walk validates src like Rewrite and calls fn for the same members and
// elements, without writing anything. Drop and Replace on a container skip
// its subtree; on a scalar they have no effect. A nil fn only validates.
func (r *Rewriter) Walk(src []byte, fn Func) error {
	if err := r.enter(src); err != nil {
		return err
	}
	defer r.leave()
	_, err := r.main.run(nil, src, fn, false, true, r.maxDepth(), nil)
	return err
}

func (r *Rewriter) enter(src []byte) error {
	if r.busy {
		return ErrReentrant
	}
	if r.MaxBytes > 0 && len(src) > r.MaxBytes {
		return &LimitError{Err: ErrTooLarge, Limit: r.MaxBytes, Offset: int64(len(src))}
	}
	r.busy = true
	return nil
}

func (r *Rewriter) leave() {
	r.busy = false
	// Do not keep the caller's memory reachable between calls.
	r.main.val = Value{}
}

func (r *Rewriter) maxDepth() int {
	if r.MaxDepth > 0 {
		return r.MaxDepth
	}
	return DefaultMaxDepth
}

// run is the single-pass state machine behind Rewrite and Walk. It keeps an
// explicit stack of open containers in w.path.frames; frames[0] is a root
// pseudo-container that holds the one top-level value. When emit is false
// nothing is written; when objectOnly is true the top-level value must be an
// object; a non-nil check validates replacements.
func (w *walker) run(dst, src []byte, fn Func, emit, objectOnly bool, maxDepth int, check *walker) ([]byte, error) {
	n := len(src)
	frames := append(w.path.frames[:0], frame{kind: frameRoot, index: -1})
	keys := w.path.keys[:0]
	w.path.src = src
	out := writer{dst: dst, src: src}
	// skipAt is the index in frames of the dropped or replaced container
	// being skipped over (validated, neither visited nor written), 0 if none.
	skipAt := 0
	afterValue := false // else right after an opening bracket (or at the start)
	i := 0
	// Input offsets of the current member's separators and key, for output.
	commaAt, keyFrom, keyTo, colonAt := 0, 0, 0, 0

	for {
		i = skipWS(src, i)
		top := &frames[len(frames)-1]

		// Where a member may start: close the container, or step over the
		// comma that separates members.
		if top.kind == frameRoot {
			if afterValue {
				if i < n {
					return w.fail(dst, src, frames, keys, i, invalid(src[i], ctxAfterTop))
				}
				w.release(frames, keys)
				return out.flush(), nil
			}
		} else {
			if i == n {
				return w.fail(dst, src, frames, keys, i, msgEOF)
			}
			c := src[i]
			if (c == '}' && top.kind == frameObject) || (c == ']' && top.kind == frameArray) {
				last := len(frames) - 1
				if skipAt == 0 {
					if emit {
						out.copy(i, i+1)
					}
				} else if skipAt == last {
					skipAt = 0
				}
				if top.keyEscaped {
					keys = keys[:top.keyFrom]
				}
				frames = frames[:last]
				i++
				afterValue = true
				continue
			}
			if afterValue {
				if c != ',' {
					if top.kind == frameObject {
						return w.fail(dst, src, frames, keys, i, invalid(c, ctxAfterMem))
					}
					return w.fail(dst, src, frames, keys, i, invalid(c, ctxAfterElem))
				}
				commaAt = i
				i = skipWS(src, i+1)
			}
		}

		// The member's key, if in an object.
		active := skipAt == 0
		call := active && fn != nil && top.kind != frameRoot
		switch top.kind {
		case frameObject:
			if i == n {
				return w.fail(dst, src, frames, keys, i, msgEOF)
			}
			if src[i] != '"' {
				return w.fail(dst, src, frames, keys, i, invalid(src[i], ctxKey))
			}
			end, escaped, msg := scanString(src, i)
			if msg != "" {
				return w.fail(dst, src, frames, keys, end, msg)
			}
			if call {
				// Unescaped keys alias the input; escaped ones are decoded
				// onto the keys stack.
				if top.keyEscaped {
					keys = keys[:top.keyFrom]
				}
				top.keyEscaped = escaped
				if escaped {
					top.keyFrom = len(keys)
					keys = unescape(keys, src[i+1:end-1])
					top.keyTo = len(keys)
				} else {
					top.keyFrom, top.keyTo = i+1, end-1
				}
			}
			keyFrom, keyTo = i, end
			i = skipWS(src, end)
			if i == n {
				return w.fail(dst, src, frames, keys, i, msgEOF)
			}
			if src[i] != ':' {
				return w.fail(dst, src, frames, keys, i, invalid(src[i], ctxAfterKey))
			}
			colonAt = i
			i = skipWS(src, i+1)
		case frameArray:
			top.index++
		}

		// The value.
		if i == n {
			return w.fail(dst, src, frames, keys, i, msgEOF)
		}
		c := src[i]
		if objectOnly && top.kind == frameRoot && c != '{' {
			switch c {
			case '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n':
				return w.fail(dst, src, frames, keys, i, msgNotObject)
			}
			return w.fail(dst, src, frames, keys, i, invalid(c, ctxValue))
		}

		var (
			kind     Kind
			end      int
			escaped  bool
			msg      string
			decision Decision
			repl     []byte
		)
		switch {
		case c == '{' || c == '[':
			if len(frames) > maxDepth {
				line, col := position(src, i)
				w.release(frames, keys)
				return dst, &LimitError{Err: ErrTooDeep, Limit: maxDepth, Offset: int64(i), Line: line, Column: col}
			}
			fk := frameObject
			kind = Object
			if c == '[' {
				fk, kind = frameArray, Array
			}
			if call {
				w.val.Kind, w.val.Raw, w.val.Str = kind, nil, nil
				w.path.frames, w.path.keys = frames, keys
				decision, repl = fn(&w.path, &w.val)
			}
			switch decision {
			case Keep:
				if active && emit {
					out.head(top, commaAt, keyFrom, keyTo, colonAt)
					out.copy(i, i+1)
				}
			case Drop:
				skipAt = len(frames)
			case Replace:
				if emit {
					if err := checkReplacement(check, repl, maxDepth, i); err != nil {
						w.release(frames, keys)
						return dst, err
					}
					out.head(top, commaAt, keyFrom, keyTo, colonAt)
					out.write(repl)
				}
				skipAt = len(frames)
			default:
				w.release(frames, keys)
				return dst, ErrBadDecision
			}
			// Push without a frame literal, which would be built on the stack
			// and block-copied (see the note on w.val below). top is stale
			// after this.
			if len(frames) < cap(frames) {
				frames = frames[:len(frames)+1]
			} else {
				frames = append(frames, frame{})
			}
			f := &frames[len(frames)-1]
			f.kind, f.index, f.keyEscaped, f.wrote = fk, -1, false, false
			i++
			afterValue = false
			continue
		case c == '"':
			kind = String
			end, escaped, msg = scanString(src, i)
		case c == '-' || isDigit(c):
			kind = Number
			end, msg = scanNumber(src, i)
		case c == 't':
			kind = True
			end, msg = scanLiteral(src, i, "true")
		case c == 'f':
			kind = False
			end, msg = scanLiteral(src, i, "false")
		case c == 'n':
			kind = Null
			end, msg = scanLiteral(src, i, "null")
		default:
			return w.fail(dst, src, frames, keys, i, invalid(c, ctxValue))
		}
		if msg != "" {
			return w.fail(dst, src, frames, keys, end, msg)
		}
		if call {
			raw := src[i:end]
			var str []byte
			if kind == String {
				str = raw[1 : len(raw)-1]
				if escaped {
					w.scratch = unescape(w.scratch[:0], str)
					str = w.scratch
				}
			}
			// Field by field: a composite literal here is built on the stack
			// and block-copied, which stalls on store forwarding.
			w.val.Kind, w.val.Raw, w.val.Str = kind, raw, str
			w.path.frames, w.path.keys = frames, keys
			decision, repl = fn(&w.path, &w.val)
		}
		if active && emit {
			switch decision {
			case Keep:
				out.head(top, commaAt, keyFrom, keyTo, colonAt)
				out.copy(i, end)
			case Drop:
			case Replace:
				if err := checkReplacement(check, repl, maxDepth, i); err != nil {
					w.release(frames, keys)
					return dst, err
				}
				out.head(top, commaAt, keyFrom, keyTo, colonAt)
				out.write(repl)
			}
		}
		if decision > Replace {
			w.release(frames, keys)
			return dst, ErrBadDecision
		}
		i = end
		afterValue = true
	}
}

// release keeps the stacks' memory for the next walk and forgets the input.
func (w *walker) release(frames []frame, keys []byte) {
	w.path.frames, w.path.keys, w.path.src = frames[:0], keys[:0], nil
}

// fail releases the stacks and returns dst, untouched, with a SyntaxError.
func (w *walker) fail(dst, src []byte, frames []frame, keys []byte, off int, msg string) ([]byte, error) {
	w.release(frames, keys)
	return dst, newSyntaxError(src, off, msg)
}

// writer builds the output. Everything it writes but replacements is a range
// of the input; it defers copying ranges while each starts where the last one
// ended, so unchanged stretches of compact input cost one copy.
type writer struct {
	dst      []byte
	src      []byte
	from, to int // src[from:to] is still to be appended to dst
}

// copy writes src[a:b].
func (o *writer) copy(a, b int) {
	if a != o.to {
		o.dst = append(o.dst, o.src[o.from:o.to]...)
		o.from = a
	}
	o.to = b
}

// write writes b, which is not from the input.
func (o *writer) write(b []byte) {
	o.flush()
	o.dst = append(o.dst, b...)
}

// flush appends the pending range and returns the output.
func (o *writer) flush() []byte {
	o.dst = append(o.dst, o.src[o.from:o.to]...)
	o.from, o.to = 0, 0
	return o.dst
}

// head writes what precedes a member's value in frame f: the comma when a
// member was already written, and in an object the key and colon, all as
// they are in the input.
func (o *writer) head(f *frame, commaAt, keyFrom, keyTo, colonAt int) {
	if f.wrote {
		o.copy(commaAt, commaAt+1)
	}
	f.wrote = true
	if f.kind == frameObject {
		o.copy(keyFrom, keyTo)
		o.copy(colonAt, colonAt+1)
	}
}

// checkReplacement reports whether repl is exactly one JSON value (of any
// kind, surrounding whitespace allowed), using the scratch walker w.
func checkReplacement(w *walker, repl []byte, maxDepth, at int) error {
	if _, err := w.run(nil, repl, nil, false, false, maxDepth, nil); err != nil {
		return fmt.Errorf("%w: for the value at byte %d: %s", ErrBadReplacement, at, strings.TrimPrefix(err.Error(), "jsonwalk: "))
	}
	return nil
}
