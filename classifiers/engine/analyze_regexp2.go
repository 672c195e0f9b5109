package engine

import (
	"math"
	"unicode"
	"unicode/utf8"

	r2syntax "github.com/dlclark/regexp2/v2/syntax"
)

// analyzeRegexp2 summarizes a pattern from regexp2's own parse tree: the
// route for patterns Go's regexp/syntax does not accept (lookarounds,
// backreferences, atomic groups, conditionals, ...). It is deliberately
// coarse where regexp2's representation is opaque (large or negated
// classes count as containing every non-ASCII rune), never optimistic.
func analyzeRegexp2(pattern string, extra *byteSet) (summary, error) {
	tree, err := r2syntax.Parse(pattern, r2syntax.ParseOptions{RegexOptions: r2syntax.RE2})
	if err != nil {
		return summary{}, err
	}
	a := r2analyzer{extra: extra}
	a.collectCaptures(tree.Root)
	return a.node(tree.Root), nil
}

type r2analyzer struct {
	// captures summarizes the union of every capture group, which bounds
	// what any backreference can consume.
	captures    summary
	hasCaptures bool
	// extra is the extra count class (see leaf), or nil.
	extra *byteSet
}

func (a *r2analyzer) collectCaptures(n *r2syntax.RegexNode) {
	if n == nil {
		return
	}
	if n.T == r2syntax.NtCapture && len(n.Children) > 0 {
		s := a.node(n.Children[0])
		if !a.hasCaptures {
			a.captures, a.hasCaptures = s, true
		} else {
			a.captures.alpha.union(s.alpha)
			a.captures.maxRunes = max(a.captures.maxRunes, s.maxRunes)
		}
	}
	for _, c := range n.Children {
		a.collectCaptures(c)
	}
}

func foldCase(n *r2syntax.RegexNode) bool { return n.Options&r2syntax.IgnoreCase != 0 }

func loopBounds(n *r2syntax.RegexNode) (int, int) {
	hi := n.N
	if hi == math.MaxInt32 || hi < 0 {
		hi = inf
	}
	return n.M, hi
}

func (a *r2analyzer) node(n *r2syntax.RegexNode) summary {
	switch n.T {
	case r2syntax.NtOne:
		return leaf(oneRune(n.Ch, foldCase(n)), a.extra)
	case r2syntax.NtNotone:
		return a.notOne(n)
	case r2syntax.NtSet:
		return leaf(a.set(n), a.extra)
	case r2syntax.NtMulti:
		parts := make([]summary, len(n.Str))
		for i, r := range n.Str {
			parts[i] = leaf(oneRune(r, foldCase(n)), a.extra)
		}
		s := concat(parts...)
		l := literalLits(n.Str, foldCase(n))
		s.lits, s.mlits = betterLits(s.lits, l), betterLits(s.mlits, l)
		s.req = addReq(s.req, s.mlits)
		return s
	case r2syntax.NtOneloop, r2syntax.NtOnelazy, r2syntax.NtOneloopatomic:
		lo, hi := loopBounds(n)
		return repeat(leaf(oneRune(n.Ch, foldCase(n)), a.extra), lo, hi)
	case r2syntax.NtNotoneloop, r2syntax.NtNotonelazy, r2syntax.NtNotoneloopatomic:
		lo, hi := loopBounds(n)
		return repeat(a.notOne(n), lo, hi)
	case r2syntax.NtSetloop, r2syntax.NtSetlazy, r2syntax.NtSetloopatomic:
		lo, hi := loopBounds(n)
		return repeat(leaf(a.set(n), a.extra), lo, hi)
	case r2syntax.NtRef:
		if !a.hasCaptures {
			return zeroWidth()
		}
		s := summary{alpha: a.captures.alpha, maxRunes: a.captures.maxRunes}
		if foldCase(n) {
			s.alpha = foldClosure(s.alpha)
		}
		return s
	case r2syntax.NtBol, r2syntax.NtEol, r2syntax.NtBoundary, r2syntax.NtNonboundary,
		r2syntax.NtECMABoundary, r2syntax.NtNonECMABoundary, r2syntax.NtBeginning, r2syntax.NtEnd:
		return assertion(1, 1)
	case r2syntax.NtEndZ:
		// \Z also matches before a final newline: it looks two runes ahead.
		return assertion(1, 2)
	case r2syntax.NtStart:
		// \G anchors to where the search starts: windows would move it.
		return summary{whole: true}
	case r2syntax.NtNothing:
		return never()
	case r2syntax.NtEmpty, r2syntax.NtUpdateBumpalong, r2syntax.NtResetCapture:
		return zeroWidth()
	case r2syntax.NtAlternate:
		return alternate(a.children(n.Children)...)
	case r2syntax.NtConcatenate:
		s := concat(a.children(n.Children)...)
		l := a.literalRuns(n)
		s.lits, s.mlits = betterLits(s.lits, l), betterLits(s.mlits, l)
		s.req = addReq(s.req, s.mlits)
		return s
	case r2syntax.NtLoop, r2syntax.NtLazyloop:
		lo, hi := loopBounds(n)
		return repeat(concat(a.children(n.Children)...), lo, hi)
	case r2syntax.NtCapture, r2syntax.NtGroup, r2syntax.NtAtomic:
		return concat(a.children(n.Children)...)
	case r2syntax.NtPosLook, r2syntax.NtNegLook:
		return look(concat(a.children(n.Children)...), n.Options&r2syntax.RightToLeft != 0, n.T == r2syntax.NtPosLook)
	case r2syntax.NtBackRefCond:
		branches := a.children(n.Children)
		if len(branches) < 2 {
			branches = append(branches, zeroWidth())
		}
		return alternate(branches...)
	case r2syntax.NtExprCond:
		if len(n.Children) == 0 {
			return zeroWidth()
		}
		// The condition is a zero-width lookahead (or lookbehind in a
		// right-to-left context) evaluated at the current position.
		cond := a.node(n.Children[0])
		l := look(cond, n.Options&r2syntax.RightToLeft != 0, false)
		l2 := look(cond, n.Options&r2syntax.RightToLeft == 0, false)
		branches := a.children(n.Children[1:])
		if len(branches) < 2 {
			branches = append(branches, zeroWidth())
		}
		return concat(l, l2, alternate(branches...))
	}
	// Anything else (grapheme clusters, future node types): assume the
	// worst about what it consumes and examines.
	return summary{alpha: fullSet(), minLen: 0, maxRunes: inf, behind: inf, ahead: inf}
}

func (a *r2analyzer) children(ns []*r2syntax.RegexNode) []summary {
	out := make([]summary, len(ns))
	for i, c := range ns {
		out[i] = a.node(c)
	}
	return out
}

// notOne is any rune but n.Ch.
func (a *r2analyzer) notOne(n *r2syntax.RegexNode) summary {
	var alpha byteSet
	for b := 0; b < utf8.RuneSelf; b++ {
		if rune(b) != n.Ch || foldCase(n) {
			alpha.add(byte(b))
		}
	}
	alpha.addHigh()
	return runeSet(alpha, alpha, 1)
}

// set is one rune of n.Set. ASCII membership is probed exactly (closed
// under simple case folding when the node ignores case); any possibility
// of a non-ASCII member adds every byte >= 0x80.
func (a *r2analyzer) set(n *r2syntax.RegexNode) summary {
	cs := n.Set
	if cs == nil {
		return runeSet(fullSet(), fullSet(), 1)
	}
	var alpha byteSet
	for b := 0; b < utf8.RuneSelf; b++ {
		if cs.Contains(rune(b)) {
			alpha.add(byte(b))
		}
	}
	high := true
	if !cs.IsNegated() && !cs.IsAnything() {
		if chars := cs.GetSetChars(256); chars != nil {
			high = false
			for _, r := range chars {
				if r >= utf8.RuneSelf {
					high = true
				}
			}
		}
	}
	if foldCase(n) {
		// A case-insensitive set also matches the fold variants of its
		// members; the ASCII letters k and s fold to non-ASCII runes.
		for b := 0; b < utf8.RuneSelf; b++ {
			for f := unicode.SimpleFold(rune(b)); f != rune(b); f = unicode.SimpleFold(f) {
				if f >= utf8.RuneSelf {
					if alpha.has(byte(b)) || cs.Contains(f) {
						high = true
						alpha.add(byte(b))
					}
				} else if cs.Contains(f) {
					alpha.add(byte(b))
				}
			}
		}
	}
	if high {
		alpha.addHigh()
	}
	if alpha.empty() {
		return never()
	}
	out := runeSet(alpha, alpha, 1)
	out.counts = setCounts(alpha, high)
	return out
}

// foldClosure adds to s the bytes of the case variants of its ASCII
// letters; the variants of k and s include non-ASCII runes.
func foldClosure(s byteSet) byteSet {
	out := s
	for b := 0; b < utf8.RuneSelf; b++ {
		if !s.has(byte(b)) {
			continue
		}
		for f := unicode.SimpleFold(rune(b)); f != rune(b); f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				out.add(byte(f))
			} else {
				out.addHigh()
			}
		}
	}
	if s[2]|s[3] != 0 {
		// Non-ASCII runes can fold to ASCII ones (the Kelvin sign to k).
		for _, c := range "kKsS" {
			out.add(byte(c))
		}
	}
	return out
}

// literalRuns returns the most selective literal formed by consecutive
// children of a concatenation that each match one fixed rune (or one ASCII
// letter in either case): regexp2 splits a case-insensitive word into one
// node per letter. Zero-width children do not interrupt a run. Children of
// a right-to-left concatenation (lookbehind content) are stored in
// reverse, and are read back in text order.
func (a *r2analyzer) literalRuns(n *r2syntax.RegexNode) litSet {
	kids := n.Children
	if n.Options&r2syntax.RightToLeft != 0 {
		kids = make([]*r2syntax.RegexNode, len(n.Children))
		for i, c := range n.Children {
			kids[len(kids)-1-i] = c
		}
	}
	var best litSet
	var run []byte
	fold := false
	flush := func() {
		if len(run) > 0 {
			best = betterLits(best, litSet{{s: string(run), fold: fold}})
		}
		run, fold = run[:0], false
	}
	// add appends one rune; folded reports a case-insensitive letter.
	add := func(r rune, folded bool) bool {
		if r == utf8.RuneError || folded && !foldSafe(r) {
			return false
		}
		if folded {
			r = unicode.ToLower(r)
			fold = true
		}
		run = utf8.AppendRune(run, r)
		return true
	}
	for _, c := range kids {
		ok := true
		switch c.T {
		case r2syntax.NtOne:
			ok = add(c.Ch, foldCase(c))
		case r2syntax.NtMulti:
			for _, r := range c.Str {
				if ok = add(r, foldCase(c)); !ok {
					break
				}
			}
		case r2syntax.NtSet:
			ok = false
			if c.Set != nil && !c.Set.IsNegated() && !foldCase(c) {
				switch chars := c.Set.GetSetChars(4); {
				case len(chars) == 1:
					ok = add(chars[0], false)
				case isFoldOrbit(chars):
					ok = add(chars[0], true)
				}
			}
		case r2syntax.NtBol, r2syntax.NtEol, r2syntax.NtBoundary, r2syntax.NtNonboundary,
			r2syntax.NtECMABoundary, r2syntax.NtNonECMABoundary, r2syntax.NtBeginning,
			r2syntax.NtEnd, r2syntax.NtEndZ, r2syntax.NtEmpty:
			continue
		default:
			ok = false
		}
		if !ok {
			flush()
		}
	}
	flush()
	return best
}

// isFoldOrbit reports whether chars are exactly the simple case folding
// orbit of an ASCII letter, such as [Ee] or [Kk\u212a]: what regexp2 makes
// of a case-insensitive letter.
func isFoldOrbit(chars []rune) bool {
	if len(chars) < 2 || chars[0] >= utf8.RuneSelf || !unicode.IsLetter(chars[0]) {
		return false
	}
	var orbit []rune
	r := chars[0]
	for f := unicode.SimpleFold(r); ; f = unicode.SimpleFold(f) {
		orbit = append(orbit, f)
		if f == r {
			break
		}
	}
	if len(orbit) != len(chars) {
		return false
	}
	for _, c := range chars {
		found := false
		for _, o := range orbit {
			found = found || o == c
		}
		if !found {
			return false
		}
	}
	return true
}
