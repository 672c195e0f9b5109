package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/pipeline/sanitize"
)

// Corpus is a generated, mixed stream of events prepared for measuring.
type Corpus struct {
	// Events are the raw events, one JSON object each.
	Events [][]byte
	// Lines is Events as JSON Lines, the input of `veil redact`.
	Lines []byte
	// Values are the string values of every event (and numbers long enough
	// to hold a phone or card number), the input of the scan benchmarks.
	Values []string
	// EventBytes and ValueBytes are the sizes of Events and Values.
	EventBytes, ValueBytes int

	findings []classifiers.Finding // ScanAll's buffer
}

// NewCorpus generates n mixed events from seed.
func NewCorpus(n int, seed uint64) (*Corpus, error) {
	g := corpus.New(seed, corpus.WithMix(corpus.MixMixed))
	c := &Corpus{}
	var rw jsonwalk.Rewriter
	for i := 0; i < n; i++ {
		ev := []byte(g.Next().Event)
		c.Events = append(c.Events, ev)
		c.EventBytes += len(ev)
		c.Lines = append(append(c.Lines, ev...), '\n')
		err := rw.Walk(ev, func(_ *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
			switch v.Kind {
			case jsonwalk.String:
				c.Values = append(c.Values, string(v.Str))
				c.ValueBytes += len(v.Str)
			case jsonwalk.Number:
				if len(v.Raw) >= 7 {
					c.Values = append(c.Values, string(v.Raw))
					c.ValueBytes += len(v.Raw)
				}
			}
			return jsonwalk.Keep, nil
		})
		if err != nil {
			return nil, fmt.Errorf("generated event %d: %w", i, err)
		}
	}
	return c, nil
}

// MapRoundTrip is the baseline for redact: every event through
// encoding/json into map[string]any and back.
func (c *Corpus) MapRoundTrip() error {
	for _, ev := range c.Events {
		var v any
		if err := json.Unmarshal(ev, &v); err != nil {
			return err
		}
		if _, err := json.Marshal(v); err != nil {
			return err
		}
	}
	return nil
}

// Redact runs the corpus through s the way `veil redact` does: JSON Lines
// in, one sanitized event per line out through a buffered writer.
func (c *Corpus) Redact(s *sanitize.Sanitizer, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var out []byte
	rest := c.Lines
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		line := rest[:i]
		rest = rest[i+1:]
		var err error
		if out, err = s.Sanitize(out[:0], line); err != nil {
			return err
		}
		out = append(out, '\n')
		bw.Write(out)
	}
	return bw.Flush()
}

// ScanFunc is the signature of Engine.Scan and Naive.Scan.
type ScanFunc func(text string, dst []classifiers.Finding) ([]classifiers.Finding, error)

// ScanAll runs scan over every value and returns the number of findings.
// The findings buffer is the Corpus's own, reused from pass to pass as a
// caller such as the sanitizer reuses its own, so that a pass measures
// the scanner's allocations and not the buffer's growth; ScanAll is
// therefore not safe for concurrent use.
func (c *Corpus) ScanAll(scan ScanFunc) (int, error) {
	var (
		err error
		n   int
	)
	for _, v := range c.Values {
		if c.findings, err = scan(v, c.findings[:0]); err != nil {
			return n, err
		}
		n += len(c.findings)
	}
	return n, nil
}

// Diff compares the findings of two scanners over every value and returns
// how many values differ and a description of the first difference.
func (c *Corpus) Diff(a, b ScanFunc) (int, string, error) {
	var fa, fb []classifiers.Finding
	diffs := 0
	first := ""
	for i, v := range c.Values {
		var err error
		if fa, err = a(v, fa[:0]); err != nil {
			return diffs, first, fmt.Errorf("value %d: %w", i, err)
		}
		if fb, err = b(v, fb[:0]); err != nil {
			return diffs, first, fmt.Errorf("value %d: %w", i, err)
		}
		if !sameFindings(fa, fb) {
			diffs++
			if first == "" {
				first = fmt.Sprintf("value %d: %v vs %v", i, fa, fb)
			}
		}
	}
	return diffs, first, nil
}

func sameFindings(a, b []classifiers.Finding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
