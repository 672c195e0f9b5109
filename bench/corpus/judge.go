package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Judgement is how one sanitized event fares against its record's labels,
// by the rules of the conformance scorer's redact mode.
type Judgement struct {
	// PII and Leaked count the labelled personal values and those still
	// findable anywhere in the output: verbatim, folded, or as their
	// digits (6+ contiguous, or 9+ once a string's separators are removed).
	PII, Leaked int
	// Keep and Kept count the values analytics needs and those still at
	// their path (a string containing the value; an equal number).
	Keep, Kept int
	// Leaks lists the personal values found.
	Leaks []PIIValue
}

// Judge scores out, the sanitized form of r's event.
func (r Record) Judge(out []byte) (Judgement, error) {
	d := json.NewDecoder(bytes.NewReader(out))
	d.UseNumber()
	var ev any
	if err := d.Decode(&ev); err != nil {
		return Judgement{}, fmt.Errorf("%s: sanitized event is not JSON: %w", r.ID, err)
	}
	var h haystack
	collect(ev, &h)
	j := Judgement{PII: len(r.PII), Keep: len(r.Keep)}
	for _, p := range r.PII {
		if h.findable(p.Value) {
			j.Leaked++
			j.Leaks = append(j.Leaks, p)
		}
	}
	for _, k := range r.Keep {
		if keptAt(ev, k) {
			j.Kept++
		}
	}
	return j, nil
}

// Add accumulates o into j.
func (j *Judgement) Add(o Judgement) {
	j.PII += o.PII
	j.Leaked += o.Leaked
	j.Keep += o.Keep
	j.Kept += o.Kept
	j.Leaks = append(j.Leaks, o.Leaks...)
}

// LeakRate and KeepRate are the scorer's two figures.
func (j Judgement) LeakRate() float64 { return ratio(j.Leaked, j.PII, 0) }

// KeepRate is the share of keep values found at their path.
func (j Judgement) KeepRate() float64 { return ratio(j.Kept, j.Keep, 1) }

func ratio(a, b int, empty float64) float64 {
	if b == 0 {
		return empty
	}
	return float64(a) / float64(b)
}

// collect adds every string, number and object key of v to h, as the
// scorer searches them.
func collect(v any, h *haystack) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			h.add(k)
			collect(e, h)
		}
	case []any:
		for _, e := range x {
			collect(e, h)
		}
	case string:
		h.add(x)
	case json.Number:
		h.add(x.String())
	}
}

// keptAt reports whether ev holds k's value at k's path.
func keptAt(ev any, k KeepValue) bool {
	got, ok := walk(ev, k.Path)
	if !ok {
		return false
	}
	switch want := k.Value.(type) {
	case string:
		s, ok := got.(string)
		return ok && strings.Contains(s, want)
	default:
		n, ok := got.(json.Number)
		if !ok {
			return false
		}
		g, err1 := n.Float64()
		w, err2 := strconv.ParseFloat(fmt.Sprint(want), 64)
		return err1 == nil && err2 == nil && g == w
	}
}

var pathToken = regexp.MustCompile(`[^.\[\]]+|\[\d+\]`)

// walk follows a scorer path (the same tokenisation as score.py's get_path).
func walk(v any, path string) (any, bool) {
	for _, tok := range pathToken.FindAllString(path, -1) {
		if strings.HasPrefix(tok, "[") {
			i, _ := strconv.Atoi(tok[1 : len(tok)-1])
			a, ok := v.([]any)
			if !ok || i >= len(a) {
				return nil, false
			}
			v = a[i]
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return v, true
}
