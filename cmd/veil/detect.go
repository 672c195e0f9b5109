package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/pack"
)

// runDetect implements `veil detect`: JSON Lines {"id", "text"} on stdin,
// one {"id", "findings": [{"type", "start", "end", "score"}]} per line on
// stdout, same order, UTF-8 byte offsets with end exclusive. A line that is
// not such an object yields {"id": null, "error": "..."} in its place so
// that output lines stay aligned with input lines, and the command exits 1.
func runDetect(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("detect", std.err)
	var cfg pack.Config
	fs.StringVar(&cfg.RulesDir, "rules", "", "directory of user rule files laid over the built-in pack")
	fs.Float64Var(&cfg.MinScore, "min-score", 0, "lowest score reported (0: the engine's default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: detect reads stdin", fs.Arg(0))
	}
	eng, _, err := pack.Load(cfg)
	if err != nil {
		return err
	}
	return detectStream(ctx, std.in, std.out, std.err, eng.Scan)
}

// scanFunc is the engine's Scan.
type scanFunc func(text string, dst []classifiers.Finding) ([]classifiers.Finding, error)

func detectStream(ctx context.Context, in io.Reader, out, errw io.Writer, scan scanFunc) error {
	var (
		findings  []classifiers.Finding
		buf       []byte
		bad, seen int
	)
	err := eachLine(ctx, in, out, func(n int, line []byte, w *bufio.Writer) error {
		seen = n
		var rec struct {
			ID   json.RawMessage `json:"id"`
			Text *string         `json:"text"`
		}
		buf = buf[:0]
		if err := json.Unmarshal(line, &rec); err != nil || rec.Text == nil {
			reason := "not a JSON object with a string \"text\""
			if err != nil {
				reason = "not valid JSON: " + jsonErrorReason(err)
			}
			fmt.Fprintf(errw, "veil detect: stdin line %d: %s\n", n, reason)
			bad++
			buf = append(buf, `{"id":null,"error":`...)
			buf = strconv.AppendQuote(buf, fmt.Sprintf("line %d: %s", n, reason))
			buf = append(buf, "}\n"...)
			_, err := w.Write(buf)
			return err
		}
		var err error
		findings, err = scan(*rec.Text, findings[:0])
		buf = append(buf, `{"id":`...)
		if len(rec.ID) == 0 {
			buf = append(buf, "null"...)
		} else {
			buf = append(buf, rec.ID...)
		}
		buf = appendFindings(buf, findings)
		if err != nil {
			buf = append(buf, `,"error":`...)
			buf = strconv.AppendQuote(buf, err.Error())
			fmt.Fprintf(errw, "veil detect: stdin line %d: %v\n", n, err)
			bad++
		}
		buf = append(buf, "}\n"...)
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if bad > 0 {
		fmt.Fprintf(errw, "veil detect: %d of %d lines could not be classified\n", bad, seen)
		return exitError{code: 1}
	}
	return nil
}

func appendFindings(buf []byte, fs []classifiers.Finding) []byte {
	buf = append(buf, `,"findings":[`...)
	for i, f := range fs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"type":"`...)
		buf = append(buf, f.Type...)
		buf = append(buf, `","start":`...)
		buf = strconv.AppendInt(buf, int64(f.Start), 10)
		buf = append(buf, `,"end":`...)
		buf = strconv.AppendInt(buf, int64(f.End), 10)
		buf = append(buf, `,"score":`...)
		buf = strconv.AppendFloat(buf, f.Score, 'f', 3, 64)
		buf = append(buf, '}')
	}
	return append(buf, ']')
}

// jsonErrorReason describes a decoding error without quoting input bytes.
func jsonErrorReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q has the wrong type (%s)", te.Field, te.Value)
	}
	return "malformed"
}
