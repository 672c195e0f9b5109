package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// maxLine bounds one JSON Lines record read from stdin.
const maxLine = 64 << 20

// lineReader yields the lines of a JSON Lines stream with their numbers,
// without the newline (and without a trailing '\r').
type lineReader struct {
	r    *bufio.Reader
	n    int
	long []byte
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 1<<20)}
}

// next returns the next line, valid until the following call, or io.EOF.
func (l *lineReader) next() ([]byte, error) {
	l.long = l.long[:0]
	for {
		chunk, err := l.r.ReadSlice('\n')
		switch {
		case err == nil:
			l.n++
			line := chunk
			if len(l.long) > 0 {
				l.long = append(l.long, chunk...)
				line = l.long
			}
			return trimEOL(line), nil
		case errors.Is(err, bufio.ErrBufferFull):
			l.long = append(l.long, chunk...)
			if len(l.long) > maxLine {
				l.n++
				return nil, fmt.Errorf("line %d: longer than %d bytes", l.n, maxLine)
			}
		case errors.Is(err, io.EOF):
			if len(chunk) == 0 && len(l.long) == 0 {
				return nil, io.EOF
			}
			l.n++
			l.long = append(l.long, chunk...)
			return trimEOL(l.long), nil
		default:
			return nil, fmt.Errorf("reading line %d: %w", l.n+1, err)
		}
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// eachLine calls fn for every non-blank line of in with its number, giving
// it a buffered writer onto out, until in ends, fn fails or ctx is done.
// The line is valid only during the call.
func eachLine(ctx context.Context, in io.Reader, out io.Writer, fn func(n int, line []byte, w *bufio.Writer) error) error {
	lr := newLineReader(in)
	w := bufio.NewWriterSize(out, 1<<16)
	for {
		if err := ctx.Err(); err != nil {
			w.Flush()
			return err
		}
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil && len(bytes.TrimSpace(line)) > 0 {
			err = fn(lr.n, line, w)
		}
		if err != nil {
			w.Flush()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}
