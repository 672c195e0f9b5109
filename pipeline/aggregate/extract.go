package aggregate

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/veilstream/veil/pipeline/jsonwalk"
)

// Extractor turns one event into an aggregator Event: the event time and
// the contributor from the raw event, the dimension and metric values from
// the sanitized event (the output's own, already generalized form). It walks
// each event once with jsonwalk, descending only into objects on a
// configured path, and does not allocate once its buffers have grown. It is
// not safe for concurrent use: keep one per goroutine.
type Extractor struct {
	cfg    Config
	raw    trie
	san    trie
	rw     jsonwalk.Rewriter
	rawSt  walkState
	sanSt  walkState
	dims   [][]byte
	mets   []float64
	contr  []byte
	rawFn  jsonwalk.Func
	sanFn  jsonwalk.Func
	nDims  int
	hasDer []bool
}

// Fields of the raw walk.
const (
	fTime = iota
	fID
	fIP
	fUA
	fCustomer
	nRawFields
)

type trie struct{ root *trieNode }

type trieNode struct {
	children map[string]*trieNode
	targets  []target
}

type target struct{ field, rank int }

func (t *trie) add(path string, field, rank int) {
	if t.root == nil {
		t.root = &trieNode{}
	}
	n := t.root
	for seg := range strings.SplitSeq(path, ".") {
		if n.children == nil {
			n.children = map[string]*trieNode{}
		}
		c := n.children[seg]
		if c == nil {
			c = &trieNode{}
			n.children[seg] = c
		}
		n = c
	}
	n.targets = append(n.targets, target{field, rank})
}

// walkState is one walk's findings: per field the best-ranked value found,
// as a span of arena.
type walkState struct {
	t     *trie
	nodes []*trieNode
	slots []valSlot
	arena []byte
}

type valSlot struct {
	rank     int // -1: not found
	from, to int
	kind     jsonwalk.Kind
}

func (s *walkState) reset() {
	s.arena = s.arena[:0]
	for i := range s.slots {
		s.slots[i].rank = -1
	}
	s.nodes = append(s.nodes[:0], s.t.root)
}

func (s *walkState) value(f int) ([]byte, jsonwalk.Kind, bool) {
	v := &s.slots[f]
	if v.rank < 0 {
		return nil, 0, false
	}
	return s.arena[v.from:v.to:v.to], v.kind, true
}

// NewExtractor validates cfg and returns an Extractor for it.
func NewExtractor(cfg Config) (*Extractor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	x := &Extractor{cfg: cfg, nDims: len(cfg.Dimensions)}
	for i, p := range cfg.TimePaths {
		x.raw.add(p, fTime, i)
	}
	cc := cfg.Contributor
	for i, p := range cc.IDPaths {
		x.raw.add(p, fID, i)
	}
	for i, p := range cc.IPPaths {
		x.raw.add(p, fIP, i)
	}
	for i, p := range cc.UserAgentPaths {
		x.raw.add(p, fUA, i)
	}
	for i, p := range cc.CustomerPaths {
		x.raw.add(p, fCustomer, i)
	}
	for i, d := range cfg.Dimensions {
		for j, p := range d.Paths {
			x.san.add(p, i, j)
		}
		x.hasDer = append(x.hasDer, d.Derive != "")
	}
	for i, m := range cfg.Metrics {
		for j, p := range m.Paths {
			x.san.add(p, x.nDims+i, j)
		}
	}
	if x.san.root == nil {
		x.san.root = &trieNode{}
	}
	x.rawSt = walkState{t: &x.raw, slots: make([]valSlot, nRawFields)}
	x.sanSt = walkState{t: &x.san, slots: make([]valSlot, x.nDims+len(cfg.Metrics))}
	x.dims = make([][]byte, x.nDims)
	x.mets = make([]float64, len(cfg.Metrics))
	x.rawFn = func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) { return x.visit(&x.rawSt, p, v) }
	x.sanFn = func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) { return x.visit(&x.sanSt, p, v) }
	return x, nil
}

func (x *Extractor) visit(s *walkState, p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
	d := p.Len()
	seg := p.Last()
	if seg.IsIndex || d > len(s.nodes) {
		return jsonwalk.Drop, nil
	}
	parent := s.nodes[d-1]
	if parent == nil {
		return jsonwalk.Drop, nil
	}
	n := parent.children[string(seg.Key)]
	if n == nil {
		return jsonwalk.Drop, nil
	}
	switch v.Kind {
	case jsonwalk.Object:
		if n.children == nil {
			return jsonwalk.Drop, nil
		}
		s.nodes = append(s.nodes[:d], n)
		return jsonwalk.Keep, nil
	case jsonwalk.Array, jsonwalk.Null:
		return jsonwalk.Drop, nil
	}
	for _, tg := range n.targets {
		sl := &s.slots[tg.field]
		if sl.rank >= 0 && sl.rank <= tg.rank {
			continue
		}
		b := v.Raw
		if v.Kind == jsonwalk.String {
			b = v.Str
		}
		from := len(s.arena)
		s.arena = append(s.arena, b...)
		*sl = valSlot{rank: tg.rank, from: from, to: len(s.arena), kind: v.Kind}
	}
	return jsonwalk.Keep, nil
}

// Extract reads the event time and contributor from raw, and the dimension
// and metric values from sanitized, which must be raw's sanitized form for
// the aggregate output's purpose (dimension values are published, so they
// must never come from the raw event). recordTime is the event time when
// raw names none. The returned Event's slices point into the Extractor and
// are valid until the next call.
//
// The contributor is the first of Contributor.IDPaths present (with the
// customer, when there is one); without one, the IP address with the user
// agent and the customer; without an IP address, Extract fails with
// ErrNoContributor. Malformed JSON and unreadable times fail too.
func (x *Extractor) Extract(raw, sanitized []byte, recordTime time.Time) (Event, error) {
	x.rawSt.reset()
	if err := x.rw.Walk(raw, x.rawFn); err != nil {
		return Event{}, fmt.Errorf("aggregate: raw event: %w", err)
	}
	x.sanSt.reset()
	if err := x.rw.Walk(sanitized, x.sanFn); err != nil {
		return Event{}, fmt.Errorf("aggregate: sanitized event: %w", err)
	}
	ev := Event{Time: recordTime, Dims: x.dims, Metrics: x.mets}
	if b, kind, ok := x.rawSt.value(fTime); ok {
		t, ok := parseTime(b, kind)
		if !ok {
			return Event{}, fmt.Errorf("aggregate: event time at one of time_paths is neither RFC 3339 nor a Unix epoch number")
		}
		ev.Time = t
	}
	cust, _, _ := x.rawSt.value(fCustomer)
	x.contr = x.contr[:0]
	if id, _, ok := x.rawSt.value(fID); ok && len(id) > 0 {
		x.contr = append(x.contr, 'i', 0)
		x.contr = append(x.contr, cust...)
		x.contr = append(x.contr, 0)
		x.contr = append(x.contr, id...)
	} else if ip, _, ok := x.rawSt.value(fIP); ok && len(ip) > 0 {
		ua, _, _ := x.rawSt.value(fUA)
		x.contr = append(x.contr, 'n', 0)
		x.contr = append(x.contr, cust...)
		x.contr = append(x.contr, 0)
		x.contr = append(x.contr, ip...)
		x.contr = append(x.contr, 0)
		x.contr = append(x.contr, ua...)
	} else {
		return Event{}, ErrNoContributor
	}
	ev.Contributor = x.contr
	for i := range x.dims {
		x.dims[i] = nil
		if b, _, ok := x.sanSt.value(i); ok && !x.hasDer[i] {
			x.dims[i] = b
		}
	}
	for i := range x.mets {
		x.mets[i] = math.NaN()
		if b, kind, ok := x.sanSt.value(x.nDims + i); ok && (kind == jsonwalk.Number || kind == jsonwalk.String) {
			if f, err := strconv.ParseFloat(string(b), 64); err == nil && finite(f) {
				x.mets[i] = f
			}
		}
	}
	return ev, nil
}

// parseTime reads an RFC 3339 string or a Unix epoch number (seconds;
// milliseconds above 1e11, microseconds above 1e14, nanoseconds above 1e17).
func parseTime(b []byte, kind jsonwalk.Kind) (time.Time, bool) {
	switch kind {
	case jsonwalk.String:
		return parseRFC3339(b)
	case jsonwalk.Number:
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || !finite(f) || f < 0 {
			return time.Time{}, false
		}
		switch {
		case f > 1e17:
			return time.Unix(0, int64(f)).UTC(), true
		case f > 1e14:
			return time.UnixMicro(int64(f)).UTC(), true
		case f > 1e11:
			return time.UnixMilli(int64(f)).UTC(), true
		}
		sec := math.Floor(f)
		return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC(), true
	}
	return time.Time{}, false
}

// parseRFC3339 parses "2006-01-02T15:04:05[.frac](Z|±hh:mm)" without
// allocating.
func parseRFC3339(b []byte) (time.Time, bool) {
	num := func(i, n int) (int, bool) {
		if i+n > len(b) {
			return 0, false
		}
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	s, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, false
	}
	i := 19
	ns := 0
	if i < len(b) && b[i] == '.' {
		i++
		digits := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if digits < 9 {
				ns = ns*10 + int(b[i]-'0')
				digits++
			}
			i++
		}
		if digits == 0 {
			return time.Time{}, false
		}
		for ; digits < 9; digits++ {
			ns *= 10
		}
	}
	if i >= len(b) {
		return time.Time{}, false
	}
	off := 0
	switch b[i] {
	case 'Z', 'z':
		i++
	case '+', '-':
		oh, ok1 := num(i+1, 2)
		om, ok2 := num(i+4, 2)
		if !ok1 || !ok2 || i+3 >= len(b) || b[i+3] != ':' || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off = (oh*60 + om) * 60
		if b[i] == '-' {
			off = -off
		}
		i += 6
	default:
		return time.Time{}, false
	}
	if i != len(b) {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	return t.Add(-time.Duration(off) * time.Second), true
}
