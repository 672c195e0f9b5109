package jsonwalk

import (
	"bytes"
	"errors"
	"strconv"
)

// ErrTooDeep is wrapped by the [*LimitError] returned when the input nests
// deeper than [Rewriter.MaxDepth].
var ErrTooDeep = errors.New("jsonwalk: nesting too deep")

// ErrTooLarge is wrapped by the [*LimitError] returned when the input is longer
// than [Rewriter.MaxBytes].
var ErrTooLarge = errors.New("jsonwalk: input too large")

// ErrBadReplacement is wrapped by the error Rewrite returns when a callback
// asks for [Replace] with bytes that are not exactly one valid JSON value. It
// signals a bug in the callback, not bad input.
var ErrBadReplacement = errors.New("jsonwalk: replacement is not one valid JSON value")

// ErrBadDecision is returned when a callback returns a [Decision] other than
// Keep, Drop or Replace.
var ErrBadDecision = errors.New("jsonwalk: callback returned an unknown Decision")

// ErrReentrant is returned when a callback calls Rewrite or Walk on the
// Rewriter that is calling it.
var ErrReentrant = errors.New("jsonwalk: Rewriter used from inside its own callback")

// SyntaxError reports input that is not valid JSON, or not a JSON object.
//
// Its message is built from a fixed vocabulary and the position only; it never
// contains bytes of the input.
type SyntaxError struct {
	// Offset is the 0-based byte offset in the input where the error was found.
	Offset int64
	// Line is the 1-based line of Offset; lines end at '\n'.
	Line int
	// Column is the 1-based byte column of Offset within its line.
	Column int
	// Msg describes the error, for example "invalid letter after object key".
	Msg string
}

// Error returns a message like
// "jsonwalk: line 3, column 17 (byte 120): invalid letter after object key".
func (e *SyntaxError) Error() string {
	return string(appendPosition([]byte("jsonwalk: "), e.Line, e.Column, e.Offset)) + ": " + e.Msg
}

// LimitError reports input that exceeds a limit of the [Rewriter]. It wraps
// [ErrTooDeep] or [ErrTooLarge], for use with errors.Is.
type LimitError struct {
	// Err is ErrTooDeep or ErrTooLarge.
	Err error
	// Limit is the limit in force: a depth for ErrTooDeep, bytes for ErrTooLarge.
	Limit int
	// Offset is the 0-based byte offset of the container that went too deep,
	// or the input length for ErrTooLarge.
	Offset int64
	// Line and Column locate Offset (1-based) for ErrTooDeep; they are 0 for
	// ErrTooLarge.
	Line, Column int
}

// Error describes the limit and where it was exceeded, never the input.
func (e *LimitError) Error() string {
	if e.Err == ErrTooLarge {
		return "jsonwalk: input of " + strconv.FormatInt(e.Offset, 10) +
			" bytes exceeds the limit of " + strconv.Itoa(e.Limit) + " bytes"
	}
	return string(appendPosition([]byte("jsonwalk: "), e.Line, e.Column, e.Offset)) +
		": nesting exceeds the depth limit of " + strconv.Itoa(e.Limit)
}

// Unwrap returns Err.
func (e *LimitError) Unwrap() error { return e.Err }

func appendPosition(b []byte, line, col int, off int64) []byte {
	b = append(b, "line "...)
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, ", column "...)
	b = strconv.AppendInt(b, int64(col), 10)
	b = append(b, " (byte "...)
	b = strconv.AppendInt(b, off, 10)
	return append(b, ')')
}

// position returns the 1-based line and byte column of offset off in src.
func position(src []byte, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	head := src[:off]
	line = 1 + bytes.Count(head, []byte{'\n'})
	col = off - bytes.LastIndexByte(head, '\n')
	return line, col
}

func newSyntaxError(src []byte, off int, msg string) *SyntaxError {
	line, col := position(src, off)
	return &SyntaxError{Offset: int64(off), Line: line, Column: col, Msg: msg}
}

// Messages. Every SyntaxError.Msg is one of the fixed messages below or
// "invalid " + describe(c) + " " + one of the contexts below; the fuzz test
// checks that closed vocabulary.
const (
	msgEOF       = "unexpected end of input"
	msgNotObject = "not a JSON object"
	msgBadUTF8   = "invalid UTF-8 in string"
)

// Contexts of "invalid <character class> <context>" messages.
const (
	ctxValue     = "looking for beginning of value"
	ctxKey       = "looking for beginning of object key string"
	ctxAfterKey  = "after object key"
	ctxAfterMem  = "after object member"
	ctxAfterElem = "after array element"
	ctxAfterTop  = "after top-level value"
	ctxString    = "in string"
	ctxEscape    = "in string escape"
	ctxUnicode   = "in unicode escape"
	ctxNumber    = "in number"
	ctxLeadZero  = "after leading zero in number"
	ctxFraction  = "after decimal point in number"
	ctxExponent  = "in exponent of number"
	ctxLiteral   = "in literal"
)

// invalid builds the message for an unexpected byte c in context ctx. The byte
// itself is never echoed unless it is JSON punctuation.
func invalid(c byte, ctx string) string {
	return "invalid " + describe(c) + " " + ctx
}

// describe names the class of byte c without revealing it, except for the
// structural characters of JSON, which carry no content.
func describe(c byte) string {
	switch {
	case c == '"':
		return "quotation mark"
	case c == '{':
		return "character '{'"
	case c == '}':
		return "character '}'"
	case c == '[':
		return "character '['"
	case c == ']':
		return "character ']'"
	case c == ':':
		return "character ':'"
	case c == ',':
		return "character ','"
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		return "whitespace"
	case c < 0x20 || c == 0x7f:
		return "control character"
	case c >= 0x80:
		return "non-ASCII byte"
	case c >= '0' && c <= '9':
		return "digit"
	case (c|0x20) >= 'a' && (c|0x20) <= 'z':
		return "letter"
	default:
		return "punctuation"
	}
}
