package engine

import (
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// litIndex finds the occurrences of the literals of every rule in one
// pass over a value, rather than one search per literal: rules' anchors
// and gates together can hold dozens of literals (street words in several
// languages, top-level domains). A position is a candidate when the two
// bytes there can start one of the literals (pair, a 64K-bit table); the
// literals that can start with those two bytes (group) are then compared.
type litIndex struct {
	pair [256][4]uint64
	// below[b0][w] counts the bits of pair[b0] in the words before w, so
	// that the group of (b0, b1) is groups[b0][below[b0][b1>>6] + the
	// bits of pair[b0][b1>>6] below b1].
	below   [256][4]uint8
	groups  [256][][]int32
	entries []litEntry
	// sets is the number of literal sets; each rule's anchor and gates
	// are sets, and an entry says which set it belongs to.
	sets int
}

type litEntry struct {
	lit
	set int32
}

// add registers the literals of one set and returns the set's number.
// Every literal must be at least two bytes long.
func (x *litIndex) add(ls litSet) int {
	k := x.sets
	x.sets++
	for _, l := range ls {
		e := int32(len(x.entries))
		x.entries = append(x.entries, litEntry{lit: l, set: int32(k)})
		for _, pre := range l.prefixes() {
			b0, b1 := pre[0], pre[1]
			if !x.has(b0, b1) {
				// Insert an empty group at the pair's rank.
				x.pair[b0][b1>>6] |= 1 << (b1 & 63)
				x.groups[b0] = slices.Insert(x.groups[b0], x.group(b0, b1), nil)
				for w := 1; w < 4; w++ {
					x.below[b0][w] = x.below[b0][w-1] + uint8(bits.OnesCount64(x.pair[b0][w-1]))
				}
			}
			g := &x.groups[b0][x.group(b0, b1)]
			if !slices.Contains(*g, e) {
				*g = append(*g, e)
			}
		}
	}
	return k
}

// has reports whether a literal can start with b0 b1.
func (x *litIndex) has(b0, b1 byte) bool {
	return x.pair[b0][b1>>6]&(1<<(b1&63)) != 0
}

// group returns the index in groups[b0] of the pair b0 b1.
func (x *litIndex) group(b0, b1 byte) int {
	return int(x.below[b0][b1>>6]) + bits.OnesCount64(x.pair[b0][b1>>6]&(1<<(b1&63)-1))
}

// forms returns the byte sequences a text can hold where the literal has
// the byte c: c itself, its other ASCII case when folded, and the Kelvin
// sign or the long s for a folded k or s.
func forms(c byte, fold bool) []string {
	out := []string{string([]byte{c})}
	if !fold {
		return out
	}
	switch {
	case 'a' <= c && c <= 'z':
		out = append(out, string([]byte{c - 'a' + 'A'}))
	case 'A' <= c && c <= 'Z':
		out = append(out, string([]byte{c - 'A' + 'a'}))
	}
	switch c {
	case 'k', 'K':
		out = append(out, kelvin)
	case 's', 'S':
		out = append(out, longS)
	}
	return out
}

// prefixes returns the first two bytes of every form the literal can take
// in a text.
func (l lit) prefixes() []string {
	var out []string
	for _, f0 := range forms(l.s[0], l.fold) {
		if len(f0) >= 2 {
			out = append(out, f0[:2])
			continue
		}
		for _, f1 := range forms(l.s[1], l.fold) {
			out = append(out, f0+f1[:1])
		}
	}
	return out
}

// matchAt reports whether the literal occurs at text[i:].
func (l *lit) matchAt(text string) bool {
	if l.fold {
		return foldPrefixLen(text, l.s)
	}
	return strings.HasPrefix(text, l.s)
}

// scan records, for each set, whether one of its literals occurs in text
// (hit) and where (occ, increasing, without duplicates).
func (x *litIndex) scan(text string, occ [][]int, hit []bool) {
	for k := range occ {
		occ[k] = occ[k][:0]
	}
	clear(hit)
	for i := 0; i+1 < len(text); i++ {
		b0, b1 := text[i], text[i+1]
		if !x.has(b0, b1) {
			continue
		}
		for _, ei := range x.groups[b0][x.group(b0, b1)] {
			e := &x.entries[ei]
			if !e.matchAt(text[i:]) {
				continue
			}
			hit[e.set] = true
			if o := occ[e.set]; len(o) == 0 || o[len(o)-1] != i {
				occ[e.set] = append(o, i)
			}
		}
	}
}

// usableInIndex reports whether every literal is at least two bytes
// long, as litIndex needs.
func usableInIndex(ls litSet) bool {
	for _, l := range ls {
		if len(l.s) < 2 || !utf8.ValidString(l.s) {
			return false
		}
	}
	return len(ls) > 0
}
