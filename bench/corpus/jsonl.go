package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteRecords draws n events from g and writes them to w as JSON Lines, one
// Record per line (the scorer's `redact` data format).
func WriteRecords(w io.Writer, g *Generator, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := 0; i < n; i++ {
		rec := g.Next()
		if err := enc.Encode(&rec); err != nil {
			return fmt.Errorf("corpus: write record %s: %w", rec.ID, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("corpus: flush records: %w", err)
	}
	return nil
}

// WriteTexts draws n labelled texts from g and writes them to w as JSON
// Lines (the scorer's `detect` data format).
func WriteTexts(w io.Writer, g *Generator, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := 0; i < n; i++ {
		tc := g.Text()
		if err := enc.Encode(&tc); err != nil {
			return fmt.Errorf("corpus: write text %s: %w", tc.ID, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("corpus: flush texts: %w", err)
	}
	return nil
}
