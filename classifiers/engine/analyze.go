package engine

import (
	"cmp"
	"fmt"
	"math"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// inf stands for an unbounded length or margin.
const inf = math.MaxInt32

// summary is what the prefilter knows about the matches of a (sub)pattern.
// Every field is a sound over- or under-approximation, so that skipping the
// text the summary rules out can never lose a match:
//
//   - alpha holds every byte that can occur inside a match (over);
//   - minLen is a lower bound on a match's length in bytes (under);
//   - maxRunes is an upper bound on a match's length in runes (over), inf
//     when unbounded; it sizes lookarounds;
//   - when hasTrig, every match contains at least one byte of trig;
//   - behind and ahead bound, in runes, how far before a match's start and
//     after its end the pattern's assertions (\b, ^, $, lookarounds) look;
//   - whole reports a construct that depends on where the search starts
//     (\G), so the rule cannot run on windows.
type summary struct {
	alpha    byteSet
	trig     byteSet
	hasTrig  bool
	trigCost float64
	// bounds[0][b] and bounds[1][b] are lower bounds on the bytes of the
	// match before and after any occurrence of byte b in a match (inf:
	// b never occurs); nil when no byte occurs.
	bounds *byteBounds
	// vtrig is a trigger for the value rather than the match: one of its
	// bytes occurs in every value the pattern matches in, in the match or
	// in what a positive lookaround examines.
	vtrig         byteSet
	hasVTrig      bool
	vtrigCost     float64
	minLen        int
	maxRunes      int
	behind, ahead int
	whole         bool
	// lits, when not nil, holds strings one of which occurs in every
	// value the pattern matches in (in the match or, for a positive
	// lookaround, near it); mlits, strings one of which occurs inside
	// every match.
	lits, mlits litSet
	// req holds up to maxReq literal sets usable as gates, each of which
	// has one string inside every match: a conjunction (a date and, later
	// in the match, a keyword), most selective first.
	req []litSet
	// core, when hasCore, describes a part of every match that says
	// more than the whole: its bytes are all in core.alpha, it is at
	// least core.minLen bytes long and holds core.counts (a phone
	// number's digits and separators, without the optional hex prefix
	// that widens the match's alphabet).
	core    coreSpec
	hasCore bool
	// pre and suf, when not nil, hold strings one of which every match
	// starts (pre) or ends (suf) with; leaves with an exact language use
	// it instead (see affix).
	pre, suf litSet
	// exact, when hasExact, is every string the pattern can match (a
	// finite language; "" for a zero-width pattern), as literals.
	exact    litSet
	hasExact bool
	// leadLits, when not nil, holds strings one of which occurs in the
	// leadWidth runes before every match (a leading lookbehind's content).
	leadLits  litSet
	leadWidth int
	// counts[c] is a lower bound on the number of bytes of countClass c
	// in a match (under).
	counts [numCountClasses]int
}

// countClasses are the byte classes whose occurrences in a match the
// prefilter can count: a run of text with fewer of them than every match
// needs cannot hold a match (a card number needs 13 digits, an IPv6
// address two colons).
var countClasses = func() (cs [numCountClasses]countClass) {
	set := func(chars string) (s byteSet) {
		for i := 0; i < len(chars); i++ {
			s.add(chars[i])
		}
		return s
	}
	var digit, upper, lower byteSet
	digit.addRange('0', '9')
	upper.addRange('A', 'Z')
	lower.addRange('a', 'z')
	letter := upper
	letter.union(lower)
	cs = [numCountClasses]countClass{
		{"digits", digit}, {"upper-case letters", upper}, {"lower-case letters", lower},
		{"letters", letter}, {"'.'", set(".")}, {"'-'", set("-")}, {"':'", set(":")},
		{"'/'", set("/")}, {"','", set(",")}, {"'+'", set("+")}, {"'@'", set("@")},
		{"'_'", set("_")}, {"'='", set("=")}, {"spaces", set(" ")},
		{"trigger bytes", byteSet{}}, // extraCount: the rule's own trigger
	}
	return cs
}()

// numCountClasses counts the fixed classes and, last, extraCount: a class
// given to the analysis, the rule's trigger bytes (a MAC address holds five
// of [-:], though neither '-' nor ':' alone).
const (
	numCountClasses = 15
	extraCount      = numCountClasses - 1
)

type countClass struct {
	name string
	set  byteSet
}

// setCounts returns the counts of one rune out of a set whose ASCII
// members are ascii and that has non-ASCII members when high: a class
// counts 1 when every member is in it.
func setCounts(ascii byteSet, high bool) (c [numCountClasses]int) {
	if high || ascii.empty() {
		return c
	}
	for k, cc := range countClasses {
		if k == extraCount {
			continue // set by leaf()
		}
		in := true
		for b := 0; b < utf8.RuneSelf && in; b++ {
			in = !ascii.has(byte(b)) || cc.set.has(byte(b))
		}
		if in {
			c[k] = 1
		}
	}
	return c
}

func satAdd(a, b int) int {
	if a >= inf-b {
		return inf
	}
	return a + b
}

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= inf/b {
		return inf
	}
	return a * b
}

// byteBounds holds, per byte value, how many bytes of a match at least
// come before ([0]) and after ([1]) an occurrence of it.
type byteBounds [2][256]int32

func newBounds() *byteBounds {
	b := new(byteBounds)
	for i := range b[0] {
		b[0][i], b[1][i] = inf, inf
	}
	return b
}

// trigBounds returns the least bounds over the bytes of t.
func (s *summary) trigBounds(t byteSet) (before, after int) {
	before, after = inf, inf
	if s.bounds == nil {
		return before, after
	}
	for b := 0; b < 256; b++ {
		if t.has(byte(b)) {
			before = min(before, int(s.bounds[0][b]))
			after = min(after, int(s.bounds[1][b]))
		}
	}
	return before, after
}

func sat32(n int) int32 {
	if n >= inf {
		return inf
	}
	return int32(n)
}

// zeroWidth is the summary of an empty match.
func zeroWidth() summary { return summary{hasExact: true, exact: litSet{{}}} }

// never is the summary of a pattern that cannot match.
func never() summary { return summary{minLen: inf} }

// assertion is the summary of a zero-width test that looks at b runes
// before and a runes after its position.
func assertion(b, a int) summary {
	return summary{behind: b, ahead: a, hasExact: true, exact: litSet{{}}}
}

func withTrig(s summary, t byteSet) summary {
	s.trig, s.hasTrig, s.trigCost = t, true, t.cost()
	s.vtrig, s.hasVTrig, s.vtrigCost = s.trig, true, s.trigCost
	return s
}

// runeSet is the summary of one rune out of a set: alpha are the bytes of
// their encodings, trig their lead bytes, min the shortest encoding.
func runeSet(alpha, trig byteSet, min int) summary {
	s := withTrig(summary{alpha: alpha, minLen: min, maxRunes: 1}, trig)
	s.bounds = newBounds()
	for b := 0; b < 256; b++ {
		if alpha.has(byte(b)) {
			s.bounds[0][b], s.bounds[1][b] = 0, 0
		}
	}
	return s
}

// oneRune is the summary of a literal rune, case-folded when fold is set
// (Unicode simple folding, as both engines do).
func oneRune(r rune, fold bool) summary {
	var alpha, trig byteSet
	min := inf
	addRune := func(r rune) {
		switch {
		case r < utf8.RuneSelf:
			alpha.add(byte(r))
			trig.add(byte(r))
			min = 1
		case r == utf8.RuneError:
			// Invalid bytes decode to U+FFFD one byte at a time.
			alpha.addHigh()
			trig.addHigh()
			min = 1
		default:
			var buf [utf8.UTFMax]byte
			n := utf8.EncodeRune(buf[:], r)
			alpha.addHigh()
			trig.add(buf[0])
			if n < min {
				min = n
			}
		}
	}
	addRune(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			addRune(f)
		}
	}
	s := runeSet(alpha, trig, min)
	s.lits = literalLits([]rune{r}, fold)
	s.mlits = s.lits
	s.counts = setCounts(alpha, alpha.has(0x80))
	switch {
	case r == utf8.RuneError:
	case !fold || foldSafe(r):
		l := lit{s: string(r), fold: fold}
		if fold {
			l.s = strings.ToLower(l.s)
		}
		s.exact, s.hasExact = litSet{l}, true
	default:
		// A case-insensitive non-ASCII rune: each member of its folding
		// orbit, non-ASCII ones compared exactly, ASCII ones folded.
		var ls litSet
		f := r
		for {
			l := lit{s: string(f)}
			if f < utf8.RuneSelf {
				l = lit{s: strings.ToLower(l.s), fold: true}
			}
			if !slices.Contains(ls, l) {
				ls = append(ls, l)
			}
			if f = unicode.SimpleFold(f); f == r {
				break
			}
		}
		s.exact, s.hasExact = ls, true
	}
	return s
}

// runeRanges is the summary of one rune out of the union of inclusive
// ranges lo[i]..hi[i].
func runeRanges(pairs []rune) summary {
	var alpha, trig byteSet
	min := inf
	for i := 0; i+1 < len(pairs); i += 2 {
		lo, hi := pairs[i], pairs[i+1]
		if lo < utf8.RuneSelf {
			top := hi
			if top >= utf8.RuneSelf {
				top = utf8.RuneSelf - 1
			}
			alpha.addRange(byte(lo), byte(top))
			trig.addRange(byte(lo), byte(top))
			min = 1
		}
		if hi < utf8.RuneSelf {
			continue
		}
		alpha.addHigh()
		if lo < utf8.RuneSelf {
			lo = utf8.RuneSelf
		}
		if lo <= utf8.RuneError && utf8.RuneError <= hi || hi > unicode.MaxRune {
			trig.addHigh()
			min = 1
			continue
		}
		// The lead byte of an encoding grows with the rune, so the lead
		// bytes of lo..hi are those between the lead bytes of lo and hi.
		trig.addRange(leadByte(lo), leadByte(hi))
		if n := runeLen(lo); n < min {
			min = n
		}
	}
	if min == inf {
		return never()
	}
	s := runeSet(alpha, trig, min)
	s.counts = setCounts(alpha, alpha.has(0x80))
	s.exact, s.hasExact = smallClass(pairs)
	return s
}

// smallClass returns the members of a class of at most maxClassLits runes
// as literals (an ASCII letter in both cases as one folded literal).
func smallClass(pairs []rune) (litSet, bool) {
	const maxClassLits = 10
	var rs []rune
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1]-pairs[i] >= maxClassLits {
			return nil, false
		}
		for r := pairs[i]; r <= pairs[i+1]; r++ {
			if r == utf8.RuneError || len(rs) == maxClassLits {
				return nil, false
			}
			rs = append(rs, r)
		}
	}
	if len(rs) == 2 && rs[0] < utf8.RuneSelf && rs[1] < utf8.RuneSelf && rs[0] != rs[1] &&
		unicode.ToLower(rs[0]) == unicode.ToLower(rs[1]) && unicode.IsLetter(rs[0]) {
		return litSet{{s: string(unicode.ToLower(rs[0])), fold: true}}, true
	}
	out := make(litSet, len(rs))
	for i, r := range rs {
		out[i] = lit{s: string(r)}
	}
	return out, len(out) > 0
}

func leadByte(r rune) byte {
	if r >= 0xD800 && r <= 0xDFFF {
		r = 0xE000 - 1 // surrogates never occur; use a neighbour's lead
	}
	var buf [utf8.UTFMax]byte
	utf8.EncodeRune(buf[:], r)
	return buf[0]
}

func runeLen(r rune) int {
	if n := utf8.RuneLen(r); n > 0 {
		return n
	}
	return 3
}

func concat(parts ...summary) summary {
	out := zeroWidth()
	if len(parts) > 0 {
		out.leadLits, out.leadWidth = parts[0].leadLits, parts[0].leadWidth
	}
	for _, p := range parts {
		out.alpha.union(p.alpha)
		out.minLen = satAdd(out.minLen, p.minLen)
		out.maxRunes = satAdd(out.maxRunes, p.maxRunes)
		out.behind = max(out.behind, p.behind)
		out.ahead = max(out.ahead, p.ahead)
		out.whole = out.whole || p.whole
		if p.hasTrig && (!out.hasTrig || p.trigCost < out.trigCost) {
			out.trig, out.hasTrig, out.trigCost = p.trig, true, p.trigCost
		}
		if p.hasVTrig && (!out.hasVTrig || p.vtrigCost < out.vtrigCost) {
			out.vtrig, out.hasVTrig, out.vtrigCost = p.vtrig, true, p.vtrigCost
		}
		out.lits = betterLits(out.lits, p.lits)
		out.mlits = betterLits(out.mlits, p.mlits)
		for k := range out.counts {
			out.counts[k] = satAdd(out.counts[k], p.counts[k])
		}
	}
	out.exact, out.hasExact, out.mlits = concatExact(parts, out.mlits)
	out.lits = betterLits(out.lits, out.mlits)
	for _, p := range parts {
		out.req = addReq(out.req, p.req...)
	}
	out.core, out.hasCore = concatCore(parts)
	out.pre, out.suf = concatAffix(parts, false), concatAffix(parts, true)
	// Where a part without a finite language meets the next, what ends
	// the one followed by what starts the other is in every match (a
	// domain's "." and its top-level domain).
	for i := 1; i < len(parts); i++ {
		if parts[i-1].hasExact && parts[i].hasExact {
			continue
		}
		l, r := concatAffix(parts[:i], true), concatAffix(parts[i:], false)
		if l == nil || r == nil {
			continue
		}
		if in := crossLitsN(l, r, maxAffix); in != nil {
			in = in.minimize()
			out.mlits = betterLits(out.mlits, in)
			out.lits = betterLits(out.lits, out.mlits)
			out.req = addReq(out.req, in)
		}
	}
	out.req = addReq(out.req, out.mlits)
	// An occurrence in part i has the parts before it (at least their
	// minimum lengths) before it, and those after it after it.
	before := 0
	for i, p := range parts {
		if p.bounds != nil {
			if out.bounds == nil {
				out.bounds = newBounds()
			}
			after := 0
			for _, q := range parts[i+1:] {
				after = satAdd(after, q.minLen)
			}
			for b := 0; b < 256; b++ {
				if p.bounds[0][b] < inf {
					out.bounds[0][b] = min(out.bounds[0][b], sat32(satAdd(before, int(p.bounds[0][b]))))
					out.bounds[1][b] = min(out.bounds[1][b], sat32(satAdd(after, int(p.bounds[1][b]))))
				}
			}
		}
		before = satAdd(before, p.minLen)
	}
	return out
}

func alternate(parts ...summary) summary {
	if len(parts) == 0 {
		return never()
	}
	out := summary{minLen: inf, hasTrig: true, hasVTrig: true}
	for k := range out.counts {
		out.counts[k] = inf
	}
	var lits, mlits []litSet
	for _, p := range parts {
		if p.minLen == inf && p.alpha.empty() && !p.whole {
			continue // a branch that cannot match adds nothing
		}
		lits = append(lits, p.lits)
		mlits = append(mlits, p.mlits)
		if p.bounds != nil {
			if out.bounds == nil {
				out.bounds = newBounds()
			}
			for b := 0; b < 256; b++ {
				out.bounds[0][b] = min(out.bounds[0][b], p.bounds[0][b])
				out.bounds[1][b] = min(out.bounds[1][b], p.bounds[1][b])
			}
		}
		for k := range out.counts {
			out.counts[k] = min(out.counts[k], p.counts[k])
		}
		out.alpha.union(p.alpha)
		out.minLen = min(out.minLen, p.minLen)
		out.maxRunes = max(out.maxRunes, p.maxRunes)
		out.behind = max(out.behind, p.behind)
		out.ahead = max(out.ahead, p.ahead)
		out.whole = out.whole || p.whole
		if out.hasTrig && p.hasTrig {
			out.trig.union(p.trig)
		} else {
			out.hasTrig = false
		}
		if out.hasVTrig && p.hasVTrig {
			out.vtrig.union(p.vtrig)
		} else {
			out.hasVTrig = false
		}
	}
	if out.minLen == inf {
		return never()
	}
	if out.hasTrig {
		out.trigCost = out.trig.cost()
	} else {
		out.trig = byteSet{}
	}
	if out.hasVTrig {
		out.vtrigCost = out.vtrig.cost()
	} else {
		out.vtrig = byteSet{}
	}
	out.lits = alternateLits(lits)
	out.mlits = alternateLits(mlits)
	out.hasExact = true
	for _, p := range parts {
		if p.minLen == inf && p.alpha.empty() && !p.whole {
			continue
		}
		if !p.hasExact {
			out.hasExact, out.exact = false, nil
			break
		}
		out.exact = append(out.exact, p.exact...)
	}
	if out.hasExact {
		out.exact = out.exact.minimizeExact()
		if len(out.exact) > maxExact {
			out.hasExact, out.exact = false, nil
		}
	}
	if nonEmpty(out.exact) {
		out.mlits = betterLits(out.mlits, out.exact.minimize())
		out.lits = betterLits(out.lits, out.mlits)
	}
	out.req = addReq(nil, out.mlits)
	out.pre, out.suf = alternateAffix(parts, false), alternateAffix(parts, true)
	first := true
	for _, p := range parts {
		if p.minLen == inf && p.alpha.empty() && !p.whole {
			continue
		}
		if first {
			out.core, first = p.bestCore(), false
			continue
		}
		out.core = out.core.join(p.bestCore())
	}
	out.hasCore = !first
	return out
}

// repeat is the summary of lo to hi (inf: unbounded) repetitions of s.
func repeat(s summary, lo, hi int) summary {
	if hi == 0 {
		return zeroWidth()
	}
	out := s
	out.minLen = satMul(s.minLen, lo)
	for k := range out.counts {
		out.counts[k] = satMul(s.counts[k], lo)
	}
	if s.minLen == inf && lo == 0 {
		return zeroWidth()
	}
	if hi == inf {
		if s.maxRunes > 0 {
			out.maxRunes = inf
		}
	} else {
		out.maxRunes = satMul(s.maxRunes, hi)
	}
	if lo == 0 {
		out.hasCore, out.pre, out.suf = false, nil, nil
		out.hasTrig, out.trig, out.trigCost = false, byteSet{}, 0
		out.hasVTrig, out.vtrig, out.vtrigCost = false, byteSet{}, 0
		out.lits, out.mlits, out.req = nil, nil, nil
	}
	if lo != 1 || hi != 1 {
		out.leadLits = nil
		switch {
		case !s.hasExact:
		case hi == 1: // lo == 0
			out.exact = append(litSet{{}}, s.exact...)
		case lo == hi && lo <= 3:
			e := litSet{{}}
			for range lo {
				e = crossLits(e, s.exact)
			}
			out.exact = e
		default:
			out.hasExact, out.exact = false, nil
		}
		if out.hasExact && (out.exact == nil || len(out.exact) > maxExact) {
			out.hasExact, out.exact = false, nil
		}
	}
	return out
}

// look is the summary of a lookaround whose content is c: it consumes
// nothing, and the text it examines bounds the margins a window needs. A
// positive lookaround's literals must be in the value.
func look(c summary, behind, positive bool) summary {
	var out summary
	switch {
	case c.maxRunes == inf:
		out = summary{behind: inf, ahead: inf}
	case behind:
		out = summary{behind: satAdd(c.maxRunes, c.behind), ahead: c.ahead}
	default:
		out = summary{behind: c.behind, ahead: satAdd(c.maxRunes, c.ahead)}
	}
	out.whole = c.whole
	out.exact, out.hasExact = litSet{{}}, true
	if positive {
		out.vtrig, out.hasVTrig, out.vtrigCost = c.vtrig, c.hasVTrig, c.vtrigCost
		out.lits = c.lits
		if behind && c.mlits != nil {
			out.leadLits, out.leadWidth = c.mlits, c.maxRunes
		}
	}
	return out
}

// leaf counts, in a summary of one rune, the extra count class (when
// given): 1 when every rune the summary matches is one byte of extra.
func leaf(s summary, extra *byteSet) summary {
	if extra == nil || s.alpha.has(0x80) || s.alpha.empty() {
		return s
	}
	in := s.alpha
	in.minus(*extra)
	if in.empty() {
		s.counts[extraCount] = 1
	}
	return s
}

// analyzeGo summarizes a pattern parsed by Go's regexp/syntax with the
// flags regexp.Compile uses, counting the bytes of extra when not nil.
func analyzeGo(re *syntax.Regexp, extra *byteSet) (summary, error) {
	switch re.Op {
	case syntax.OpNoMatch:
		return never(), nil
	case syntax.OpEmptyMatch:
		return zeroWidth(), nil
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		parts := make([]summary, len(re.Rune))
		for i, r := range re.Rune {
			parts[i] = leaf(oneRune(r, fold), extra)
		}
		s := concat(parts...)
		l := literalLits(re.Rune, fold)
		s.lits, s.mlits = betterLits(s.lits, l), betterLits(s.mlits, l)
		s.req = addReq(s.req, s.mlits)
		return s, nil // concat has crossed the runes' exact sets
	case syntax.OpCharClass:
		// The parser has already added the case variants of a (?i) class.
		return leaf(runeRanges(re.Rune), extra), nil
	case syntax.OpAnyCharNotNL:
		return runeRanges([]rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune}), nil
	case syntax.OpAnyChar:
		return runeRanges([]rune{0, unicode.MaxRune}), nil
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return assertion(1, 1), nil
	case syntax.OpCapture:
		return analyzeGo(re.Sub[0], extra)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		s, err := analyzeGo(re.Sub[0], extra)
		if err != nil {
			return s, err
		}
		lo, hi := 0, inf
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 {
				hi = inf
			}
		}
		return repeat(s, lo, hi), nil
	case syntax.OpConcat, syntax.OpAlternate:
		parts := make([]summary, len(re.Sub))
		for i, sub := range re.Sub {
			var err error
			if parts[i], err = analyzeGo(sub, extra); err != nil {
				return summary{}, err
			}
		}
		if re.Op == syntax.OpConcat {
			return concat(parts...), nil
		}
		return alternate(parts...), nil
	}
	return summary{}, fmt.Errorf("unexpected syntax op %v", re.Op)
}

// lit is a string that must occur in the value for the pattern to match;
// fold marks ASCII case-insensitive comparison (the string is lowercase).
type lit struct {
	s    string
	fold bool
}

// litSet is a disjunction: one of its strings occurs in every value the
// pattern matches in. A nil set means nothing is known.
type litSet []lit

const maxLits = 96

// prob estimates how likely a value of typical text contains one of the
// strings, as a per-position probability: lower is a better gate.
func (ls litSet) prob() float64 {
	p := 0.0
	for _, l := range ls {
		q := 1.0
		for i := 0; i < len(l.s); i++ {
			f := byteFreq[l.s[i]]
			if l.fold && 'a' <= l.s[i] && l.s[i] <= 'z' {
				f += byteFreq[l.s[i]-'a'+'A']
			}
			q *= f
		}
		p += q
	}
	return p
}

func (ls litSet) minLen() int {
	m := inf
	for _, l := range ls {
		m = min(m, len(l.s))
	}
	return m
}

// better picks the more selective of two literal sets.
func betterLits(a, b litSet) litSet {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case b.prob() < a.prob():
		return b
	}
	return a
}

// foldSafe reports whether a case-insensitive r can be part of a folded
// literal: an ASCII rune (k and s included: the matcher also accepts the
// Kelvin sign and the long s, the non-ASCII members of their orbits).
func foldSafe(r rune) bool {
	return r < utf8.RuneSelf
}

// literalLits returns the required strings of a literal run of runes: the
// whole run when matched exactly; when case-insensitive, the longest piece
// between runes that cannot be compared with an ASCII fold.
func literalLits(rs []rune, fold bool) litSet {
	if !fold {
		var b []byte
		best := ""
		for _, r := range rs {
			if r == utf8.RuneError {
				// U+FFFD also matches an invalid byte: not a fixed string.
				if len(b) > len(best) {
					best = string(b)
				}
				b = b[:0]
				continue
			}
			b = utf8.AppendRune(b, r)
		}
		if len(b) > len(best) {
			best = string(b)
		}
		if best == "" {
			return nil
		}
		return litSet{{s: best}}
	}
	best, cur := "", []byte{}
	flush := func() {
		if len(cur) > len(best) {
			best = string(cur)
		}
		cur = cur[:0]
	}
	for _, r := range rs {
		if !foldSafe(r) {
			flush()
			continue
		}
		cur = append(cur, byte(unicode.ToLower(r)))
	}
	flush()
	if best == "" {
		return nil
	}
	return litSet{{s: best, fold: true}}
}

func alternateLits(parts []litSet) litSet {
	var out litSet
	for _, p := range parts {
		if p == nil {
			return nil
		}
		out = append(out, p...)
	}
	out = out.minimize()
	if len(out) > maxLits {
		return nil
	}
	return out
}

// minimize drops duplicates and every string that contains another of
// the set (comparing folded strings as folded): an occurrence of the
// longer one is an occurrence of the shorter.
func (ls litSet) minimize() litSet {
	var out litSet
	for i, l := range ls {
		redundant := false
		for j, m := range ls {
			if i == j || l.fold && !m.fold {
				continue
			}
			in := strings.Contains(l.s, m.s)
			if m.fold && !l.fold {
				in = indexFold(l.s, m.s) >= 0
			}
			if in && (len(m.s) < len(l.s) || len(m.s) == len(l.s) && (j < i || m.fold != l.fold)) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, l)
		}
	}
	return out
}

// String lists the strings, e.g. `"://" or "www." (any case)`.
func (ls litSet) String() string {
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteString(strconv.Quote(l.s))
		if l.fold {
			b.WriteString(" (any case)")
		}
	}
	return b.String()
}

// indexFold returns the index of the first occurrence of lower in s under
// simple case folding restricted to ASCII literals: lower holds ASCII with
// no upper-case letters; a 'k' also matches the Kelvin sign and an 's' the
// long s, the non-ASCII members of their fold orbits. It returns -1 if
// there is none.
func indexFold(s, lower string) int {
	if len(lower) == 0 {
		return 0
	}
	// Find candidates by the literal's rarest byte j, searching for each
	// of its forms with strings.IndexByte; the bytes before it span
	// between j and j+extra bytes (a k or s may be a longer rune).
	j := 0
	for i := 1; i < len(lower); i++ {
		if foldFreq(lower[i]) < foldFreq(lower[j]) {
			j = i
		}
	}
	extra := 0
	for i := 0; i < j; i++ {
		switch lower[i] {
		case 'k':
			extra += len(kelvin) - 1
		case 's':
			extra += len(longS) - 1
		}
	}
	forms := [3]byte{lower[j], lower[j], lower[j]}
	if c := lower[j]; 'a' <= c && c <= 'z' {
		forms[1], forms[2] = c-'a'+'A', c-'a'+'A'
	}
	switch lower[j] {
	case 'k':
		forms[2] = kelvin[0]
	case 's':
		forms[2] = longS[0]
	}
	for from := 0; ; {
		i := indexAny3(s, from, forms)
		if i < 0 {
			return -1
		}
		// Candidates are tried in increasing order, and a match whose
		// j-th rune starts later than i starts after i-j-extra: so the
		// first match found is the first in s.
		for st := max(0, i-j-extra); st <= i-j; st++ {
			if foldPrefixLen(s[st:], lower) {
				return st
			}
		}
		from = i + 1
	}
}

func foldFreq(c byte) float64 {
	f := byteFreq[c]
	if 'a' <= c && c <= 'z' {
		f += byteFreq[c-'a'+'A']
	}
	if c == 'k' || c == 's' {
		f += 0.001 // the lead byte of the Kelvin sign or the long s
	}
	return f
}

// indexAny3 returns the first index >= from of one of the bytes in s, or
// -1; the bytes may repeat.
func indexAny3(s string, from int, b [3]byte) int {
	end := len(s)
	for k, c := range b {
		if k > 0 && (c == b[0] || c == b[k-1]) {
			continue
		}
		if i := strings.IndexByte(s[from:end], c); i >= 0 {
			end = from + i
		}
	}
	if end == len(s) {
		return -1
	}
	return end
}

func indexFoldSlow(s, lower string, from int) int {
	for i := from; i < len(s); i++ {
		if foldPrefixLen(s[i:], lower) {
			return i
		}
	}
	return -1
}

const (
	kelvin = "\u212a" // folds with k and K
	longS  = "\u017f" // folds with s and S
)

// foldPrefixLen reports whether s starts with lower under indexFold's
// folding.
func foldPrefixLen(s, lower string) bool {
	j := 0
	for k := 0; k < len(lower); k++ {
		c := lower[k]
		if j >= len(s) {
			return false
		}
		b := s[j]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		switch {
		case b == c:
			j++
		case c == 'k' && strings.HasPrefix(s[j:], kelvin):
			j += len(kelvin)
		case c == 's' && strings.HasPrefix(s[j:], longS):
			j += len(longS)
		default:
			return false
		}
	}
	return true
}

// maxExact bounds the size of a finite language the analysis keeps.
const maxExact = 64

// concatExact crosses the exact languages of consecutive parts. It
// returns the whole concatenation's language when every part has one, and
// the best literal set found: each run of consecutive exact parts yields
// the strings one of which every match contains.
func concatExact(parts []summary, best litSet) (litSet, bool, litSet) {
	all := true
	run := litSet{{}}
	flush := func() {
		if nonEmpty(run) {
			best = betterLits(best, run.minimize())
		}
		run = litSet{{}}
	}
	for _, p := range parts {
		if !p.hasExact {
			all = false
			flush()
			continue
		}
		next := crossLits(run, p.exact)
		if next == nil {
			// Too many strings: keep what the run had, restart here.
			flush()
			all = false
			next = p.exact
		}
		run = next
	}
	flush()
	if !all {
		return nil, false, best
	}
	whole := litSet{{}}
	for _, p := range parts {
		if whole = crossLits(whole, p.exact); whole == nil {
			return nil, false, best
		}
	}
	return whole, true, best
}

// crossLits returns every concatenation of a string of a with one of b,
// or nil when there would be more than maxExact or one would be longer
// than 64 bytes. A concatenation is folded when either part is.
func crossLits(a, b litSet) litSet { return crossLitsN(a, b, maxExact) }

// crossLitsN is crossLits with at most limit strings.
func crossLitsN(a, b litSet, limit int) litSet {
	if len(a)*len(b) > limit {
		return nil
	}
	out := make(litSet, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if len(x.s)+len(y.s) > 64 {
				return nil
			}
			fold := x.fold || y.fold
			xs, ys := x.s, y.s
			if fold {
				// A folded literal is stored in lower case.
				xs, ys = asciiLower(xs), asciiLower(ys)
			}
			out = append(out, lit{s: xs + ys, fold: fold})
		}
	}
	return out.minimizeExact()
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// minimizeExact drops duplicate strings of a language.
func (ls litSet) minimizeExact() litSet {
	out := ls[:0:0]
	for i, l := range ls {
		dup := false
		for _, m := range ls[:i] {
			dup = dup || m == l
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out
}

// nonEmpty reports whether ls holds strings and none is empty.
func nonEmpty(ls litSet) bool {
	for _, l := range ls {
		if l.s == "" {
			return false
		}
	}
	return len(ls) > 0
}

// maxReq bounds how many literal sets summary.req keeps.
const maxReq = 3

// usableGate reports whether a literal set can gate a rule: every string
// is long enough for the literal index and there are not too many.
func usableGate(ls litSet) bool {
	return ls != nil && ls.minLen() >= minGateLen && len(ls) <= maxGateLits && usableInIndex(ls)
}

// addReq adds the usable sets of add to the conjunction req, keeping the
// maxReq most selective distinct sets. It does not modify req.
func addReq(req []litSet, add ...litSet) []litSet {
	out := req
	for _, a := range add {
		if !usableGate(a) || slices.ContainsFunc(out, func(b litSet) bool { return slices.Equal(a, b) }) {
			continue
		}
		out = append(out[:len(out):len(out)], a)
	}
	if len(out) == len(req) {
		return req
	}
	slices.SortStableFunc(out, func(a, b litSet) int { return cmp.Compare(a.prob(), b.prob()) })
	if len(out) > maxReq {
		out = out[:maxReq]
	}
	return out
}

// coreSpec is a necessary condition on a part of a match: a run of bytes
// of alpha, at least minLen long, holding counts[k] bytes of each count
// class k.
type coreSpec struct {
	alpha  byteSet
	minLen int
	counts [numCountClasses]int
}

// ownCore is the core that the whole summary gives.
func (s *summary) ownCore() coreSpec {
	return coreSpec{alpha: s.alpha, minLen: s.minLen, counts: s.counts}
}

// bestCore returns the more telling of s's core and the whole match.
func (s *summary) bestCore() coreSpec {
	own := s.ownCore()
	if s.hasCore && s.core.gain() > own.gain() {
		return s.core
	}
	return own
}

// plus is the core of two adjacent parts.
func (c coreSpec) plus(o coreSpec) coreSpec {
	c.alpha.union(o.alpha)
	c.minLen = satAdd(c.minLen, o.minLen)
	for k := range c.counts {
		c.counts[k] = satAdd(c.counts[k], o.counts[k])
	}
	return c
}

// join is a core that holds whichever of two alternatives occurs.
func (c coreSpec) join(o coreSpec) coreSpec {
	c.alpha.union(o.alpha)
	c.minLen = min(c.minLen, o.minLen)
	for k := range c.counts {
		c.counts[k] = min(c.counts[k], o.counts[k])
	}
	return c
}

// coreClasses returns the (up to) two fixed count classes that say most
// about a core, and their gains.
func (c *coreSpec) coreClasses() (k [2]int, g [2]float64) {
	k = [2]int{-1, -1}
	for i := 0; i < extraCount; i++ {
		n := c.counts[i]
		if n <= 0 {
			continue
		}
		gi := float64(min(n, 64)) * -math.Log(max(countClasses[i].set.cost(), 1e-6))
		switch {
		case gi > g[0]:
			k[1], g[1] = k[0], g[0]
			k[0], g[0] = i, gi
		case gi > g[1]:
			k[1], g[1] = i, gi
		}
	}
	return k, g
}

// gain estimates how unlikely typical text holds the core.
func (c *coreSpec) gain() float64 {
	if c.minLen == inf {
		return math.Inf(1)
	}
	_, g := c.coreClasses()
	return float64(min(c.minLen, 64))*-math.Log(max(c.alpha.cost(), 1e-6)) + g[0] + g[1]
}

// concatCore picks the most telling core of a concatenation: a part's
// own core, or the span of consecutive parts.
func concatCore(parts []summary) (coreSpec, bool) {
	var best coreSpec
	bestGain, found := 0.0, false
	consider := func(c coreSpec) {
		if g := c.gain(); !found || g > bestGain {
			best, bestGain, found = c, g, true
		}
	}
	for i := range parts {
		if parts[i].hasCore {
			consider(parts[i].core)
		}
		acc := parts[i].ownCore()
		consider(acc)
		for j := i + 1; j < len(parts); j++ {
			acc = acc.plus(parts[j].ownCore())
			consider(acc)
		}
	}
	return best, found
}

// maxAffix bounds the prefix and suffix sets of a summary.
const maxAffix = 96

// affix returns strings one of which every match ends (end) or starts
// with, or nil when nothing is known.
func (s *summary) affix(end bool) litSet {
	if s.hasExact {
		if nonEmpty(s.exact) {
			return s.exact
		}
		return nil
	}
	if end {
		return s.suf
	}
	return s.pre
}

// concatAffix returns the prefix (end: suffix) set of a concatenation:
// the exact parts at its start crossed with the affix of the first part
// that is not exact, stopping where the set would grow too large.
func concatAffix(parts []summary, end bool) litSet {
	acc := litSet{{}}
	for i := range parts {
		p := &parts[i]
		if end {
			p = &parts[len(parts)-1-i]
		}
		a := p.affix(end)
		if p.hasExact {
			a = p.exact // may hold "" (an optional or zero-width part)
		}
		if a == nil {
			break
		}
		var next litSet
		if end {
			next = crossLitsN(a, acc, maxAffix)
		} else {
			next = crossLitsN(acc, a, maxAffix)
		}
		if next == nil {
			break
		}
		acc = next
		if !p.hasExact {
			break
		}
	}
	if !nonEmpty(acc) {
		return nil
	}
	return acc
}

// alternateAffix returns the prefix (end: suffix) set of an alternation:
// the union of its branches', shortened until it is small enough.
func alternateAffix(parts []summary, end bool) litSet {
	var out litSet
	for i := range parts {
		p := &parts[i]
		if p.minLen == inf && p.alpha.empty() && !p.whole {
			continue
		}
		a := p.affix(end)
		if a == nil {
			return nil
		}
		out = append(out, a...)
	}
	for n := 8; len(out) > 0; n-- {
		out = out.minimizeAffix(end)
		if !nonEmpty(out) {
			return nil
		}
		if len(out) <= maxAffix {
			return out
		}
		if n == 0 {
			return nil
		}
		for i, l := range out {
			out[i].s = truncRunes(l.s, n, end)
		}
	}
	return nil
}

// truncRunes keeps at most n bytes of s at its start (end: its end),
// cutting at a rune boundary.
func truncRunes(s string, n int, end bool) string {
	if len(s) <= n {
		return s
	}
	if end {
		i := len(s) - n
		for i < len(s) && !utf8.RuneStart(s[i]) {
			i++
		}
		return s[i:]
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// minimizeAffix drops duplicates and every string that has another of
// the set as its prefix (end: suffix): a match that starts with the
// longer one starts with the shorter.
func (ls litSet) minimizeAffix(end bool) litSet {
	var out litSet
	for i, l := range ls {
		redundant := false
		for j, m := range ls {
			if i == j || len(m.s) > len(l.s) || l.fold && !m.fold || l.s == "" {
				continue
			}
			var piece string
			if end {
				piece = l.s[len(l.s)-len(m.s):]
			} else {
				piece = l.s[:len(m.s)]
			}
			same := piece == m.s
			if m.fold && !l.fold {
				same = len(piece) == len(m.s) && foldPrefixLen(piece, m.s)
			}
			if same && (len(m.s) < len(l.s) || j < i || m.fold != l.fold) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, l)
		}
	}
	return out
}
