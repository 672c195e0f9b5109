package aggregate

import (
	"slices"
)

// window is the state of one open window: its cohorts, their counts and
// contributor sets, and, when contributions are bounded, which cohorts each
// contributor added to. Its hashing key is random, lives only here and is
// zeroed when the window closes.
type window struct {
	start, end int64 // Unix nanoseconds, end exclusive
	key        hashKey

	index   map[string]int32 // encoded cohort key -> index in cohorts
	cohorts []cohort
	vals    []float64 // per cohort: (sum, n) per metric
	hist    []uint64  // per cohort: every metric's buckets

	// With bounds: contributor hash -> index in contribs; each contributor
	// has maxCohorts slots of (cohort index + 1, events) in slots.
	contribIdx map[uint64]int32
	slots      []slot

	events             int64
	droppedOverEvents  int64
	droppedOverCohorts int64
}

// cohort is one combination of dimension values in a window.
type cohort struct {
	key      string // encoded dimension values (see appendCohortKey)
	count    int64
	distinct int64      // with bounds: exact distinct contributors
	set      contribSet // without bounds
}

// slot is one cohort a bounded contributor added to.
type slot struct {
	cohort int32 // index + 1; 0 = free
	events uint32
}

// Encoding of a dimension value in cohort and group keys: one byte of
// state, then for a present value its length as a uvarint and its bytes.
const (
	dimAbsent  = 0 // the event had no value
	dimDropped = 1 // rolled up
	dimPresent = 2
)

// appendCohortKey appends the key of the cohort with values dims (nil =
// absent).
func appendCohortKey(dst []byte, dims [][]byte) []byte {
	for _, d := range dims {
		if d == nil {
			dst = append(dst, dimAbsent)
			continue
		}
		dst = append(dst, dimPresent)
		dst = appendUvarint(dst, uint64(len(d)))
		dst = append(dst, d...)
	}
	return dst
}

func appendUvarint(dst []byte, x uint64) []byte {
	for x >= 0x80 {
		dst = append(dst, byte(x)|0x80)
		x >>= 7
	}
	return append(dst, byte(x))
}

// decodeCohortKey splits a key into its values; a dropped or absent value
// is reported by state.
func decodeCohortKey(key string, n int, dst []keyPart) []keyPart {
	dst = dst[:0]
	i := 0
	for range n {
		st := key[i]
		i++
		if st != dimPresent {
			dst = append(dst, keyPart{state: st})
			continue
		}
		var l uint64
		for s := uint(0); ; s += 7 {
			b := key[i]
			i++
			l |= uint64(b&0x7f) << s
			if b < 0x80 {
				break
			}
		}
		dst = append(dst, keyPart{state: st, value: key[i : i+int(l)]})
		i += int(l)
	}
	return dst
}

type keyPart struct {
	state byte
	value string
}

// groupKey appends the key of parts with the dimensions in drop rolled up.
func groupKey(dst []byte, parts []keyPart, drop []bool) []byte {
	for i, p := range parts {
		switch {
		case drop[i]:
			dst = append(dst, dimDropped)
		case p.state == dimPresent:
			dst = append(dst, dimPresent)
			dst = appendUvarint(dst, uint64(len(p.value)))
			dst = append(dst, p.value...)
		default:
			dst = append(dst, p.state)
		}
	}
	return dst
}

// cohortFor returns the index of the cohort with key, creating it.
func (w *window) cohortFor(key []byte, a *Aggregator) int32 {
	if i, ok := w.index[string(key)]; ok {
		return i
	}
	i := int32(len(w.cohorts))
	w.cohorts = append(w.cohorts, cohort{key: string(key)})
	w.index[w.cohorts[i].key] = i
	w.vals = append(w.vals, a.zeroVals...)
	w.hist = append(w.hist, a.zeroHist...)
	return i
}

// bound applies the contribution bounds for contributor h adding to cohort
// c and reports whether the event is kept. newInCohort is true when it is
// the contributor's first event in c.
func (w *window) bound(h uint64, c int32, b Bounds, m int) (keep, newInCohort bool) {
	ci, ok := w.contribIdx[h]
	if !ok {
		ci = int32(len(w.slots) / m)
		w.contribIdx[h] = ci
		w.slots = append(w.slots, make([]slot, m)...)
	}
	ss := w.slots[int(ci)*m : int(ci+1)*m]
	for i := range ss {
		s := &ss[i]
		if s.cohort == c+1 {
			if b.MaxEventsPerCohort > 0 && s.events >= uint32(b.MaxEventsPerCohort) {
				w.droppedOverEvents++
				return false, false
			}
			s.events++
			return true, false
		}
		if s.cohort == 0 {
			s.cohort, s.events = c+1, 1
			return true, true
		}
	}
	w.droppedOverCohorts++
	return false, false
}

// zero erases the key and every contributor hash and sketch of the window.
func (w *window) zero() {
	w.key.zero()
	for i := range w.cohorts {
		w.cohorts[i].set.zero()
	}
	clear(w.contribIdx)
	clear(w.slots)
	clear(w.index)
	w.cohorts, w.slots, w.vals, w.hist = nil, nil, nil, nil
}

// sortWindows keeps windows ordered by start.
func sortWindows(ws []*window) {
	slices.SortFunc(ws, func(a, b *window) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
}
