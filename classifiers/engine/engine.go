package engine

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

// Engine names in RuleInfo.
const (
	// EngineRegexp2 marks a rule whose windows regexp2 scans.
	EngineRegexp2 = "regexp2"
	// EngineRE2Screen marks a rule whose windows Go's regexp (RE2)
	// screens first, regexp2 only extracting the matches of the windows
	// it accepted (WithRE2Screen).
	EngineRE2Screen = "re2+regexp2"
)

// RuleInfo describes a compiled rule for `veil rules list`.
type RuleInfo struct {
	ID   string
	Type classifiers.EntityType
	// Engine is EngineRegexp2 or EngineRE2Screen.
	Engine string
	// RE2 reports that the pattern uses no backtracking feature: Go's
	// regexp accepts it with the same meaning, and the prefilter was
	// derived from Go's parse tree (otherwise from regexp2's).
	RE2 bool
	// Prefilter says when and where the rule's expression runs, e.g.
	// "windows: trigger [@], alphabet [%+\-.0-9@A-Z_a-z], min 6 bytes".
	Prefilter string
	// Source is where the rule was defined ("file:line").
	Source string
}

// Engine scans values with a compiled rule set. It is immutable after
// Compile and safe for concurrent use.
type Engine struct {
	rules []engineRule
	post  post
	info  []RuleInfo

	// classBit maps a byte to the bit of its trigger class (0: the byte
	// triggers no rule); classRules[k] is the set of rules class k
	// triggers; always is the set of rules that run without a trigger.
	classBit [256]uint64
	// posByte marks the bytes whose positions the scan collects: those
	// that trigger a trigger-anchored rule.
	posByte    [256]bool
	classRules [64][]uint64
	// classWindowed[k] lists the trigger-anchored rules of class k, which
	// the scan visits position by position; other triggered rules run
	// after (special marks them).
	classWindowed [64][]int32
	// classNarrow[k] lists the rules of classWindowed[k] whose alphabet
	// lies within numberBytes (phone, card and id rules), classWide[k] the
	// others; narrowMin[k] is the shortest minLen among the narrow ones.
	// A narrow rule's run around a position lies within the run of
	// numberBytes there, so when that run is shorter than narrowMin no
	// narrow rule can match there and Scan skips them all at once.
	classNarrow [64][]int32
	classWide   [64][]int32
	narrowMin   [64]int
	special     []uint64
	always      []uint64
	lits        litIndex
	words       int

	pool sync.Pool
}

type mode uint8

const (
	// modeWindows runs the rule on runs of its alphabet that contain a
	// trigger byte (every run, when it has no trigger).
	modeWindows mode = iota
	// modeWhole runs the rule on the whole value (when its trigger, if
	// any, occurs in it).
	modeWhole
)

// anchor is how a windowed rule finds its runs.
type anchor uint8

const (
	// anchorTrigger: runs around the positions of trigger bytes.
	anchorTrigger anchor = iota
	// anchorAll: every run (the rule has no usable trigger).
	anchorAll
	// anchorLiteral: runs around occurrences of a literal every match
	// contains.
	anchorLiteral
	// anchorLead: runs that start within leadWidth runes after an
	// occurrence of a literal that a leading lookbehind contains.
	anchorLead
)

// Bits of engineRule.bytes: alphaBit and trigBit mark the alphabet and
// the trigger; the count bits mark the count classes the rule checks.
const (
	alphaBit = 1 << iota
	trigBit
	countShift = iota
)

type engineRule struct {
	*ruleCore
	index int32
	// re2Syntax says that Go's regexp accepts the pattern with regexp2's
	// meaning, and that the prefilter was derived from Go's parse tree.
	re2Syntax bool
	// goRE screens windows (WithRE2Screen).
	goRE *regexp.Regexp
	// wordSensitive rules (\b, \B) skip goRE on non-ASCII windows, where
	// Go's ASCII word characters and regexp2's Unicode ones disagree.
	wordSensitive bool
	bytes         [256]uint8
	hasTrig       bool
	mode          mode
	minLen        int
	behind, ahead int
	// A trigger position p in the run [a, b) can be part of a match only
	// if p-a >= trigBefore and b-1-p >= trigAfter.
	trigBefore, trigAfter int
	// gates hold literal sets of which the value must contain one each
	// for the rule to be able to find anything (required literals, and
	// required context words); gateSets and anchorSet are their numbers
	// in the engine's litIndex (anchorSet -1: none).
	gates     []litSet
	gateSets  []int
	anchorSet int
	// anchor says how windows are found (see the anchor constants);
	// anchorLits holds the literals an anchor searches for.
	anchor     anchor
	anchorLits litSet
	leadWidth  int
	// The run of a window must hold minCounts[i] bytes of count class
	// countIdx[i], for the (up to) maxCounted most telling classes;
	// counted says whether there is any.
	minCounts [maxCounted]int
	countIdx  [maxCounted]int
	countSets [maxCounted]byteSet
	counted   bool
	// A run must also hold a stretch of bytes of the core alphabet (bit
	// 0 of coreBytes) of at least coreMin bytes with coreCounts[i] bytes
	// of the class marked by bit i+1 (see coreSpec); hasCore says whether
	// the rule has a core that says more than its run checks.
	coreBytes  [256]uint8
	coreMin    int
	coreCounts [2]int
	coreClass  [2]int
	hasCore    bool
	// A value can hold a match only if it has at least minLen bytes and
	// needs[:nNeeds] bytes of the fixed count classes they name.
	needs  [extraCount]countNeed
	nNeeds int
}

// countNeed says that a value must hold n bytes of fixed count class k.
type countNeed struct {
	k int32
	n int32
}

// valueCounts holds how many bytes of each fixed count class a value has.
type valueCounts [numCountClasses]int32

// countKind maps a byte to the fixed count class it counts for (letters
// are derived from upper and lower case), or to extraCount for none.
var countKind = func() (t [256]uint8) {
	for b := 0; b < 256; b++ {
		t[b] = extraCount
		for k := 0; k < extraCount; k++ {
			if k != letterCount && countClasses[k].set.has(byte(b)) {
				t[b] = uint8(k)
				break
			}
		}
	}
	return t
}()

// Indexes of the letter classes in countClasses.
const (
	upperCount  = 1
	lowerCount  = 2
	letterCount = 3
)

// fits reports whether a value of n bytes with counts c can hold a match.
func (r *engineRule) fits(n int, c *valueCounts) bool {
	if n < r.minLen {
		return false
	}
	for _, need := range r.needs[:r.nNeeds] {
		if c[need.k] < need.n {
			return false
		}
	}
	return true
}

// maxCounted is how many count classes a rule checks (4 bits of bytes).
const maxCounted = 4

// A rule's required literals gate it when they are at least minGateLen
// bytes long (a single byte is what the trigger already checks) and there
// are at most maxGateLits of them (each costs a search of the value).
const (
	minGateLen  = 2
	maxGateLits = 96
)

// maxTrigCost is the estimated share of text bytes above which a trigger
// would fire on nearly every value; such a rule runs without one.
const maxTrigCost = 0.3

// Compile compiles rules (disabled ones are skipped) into an Engine.
// Errors are *rules.Error values naming the rule's id and source.
func Compile(rs []rules.Rule, opts ...Option) (*Engine, error) {
	cfg := newConfig(opts)
	return compile(rs, cfg)
}

func compile(rs []rules.Rule, cfg config) (*Engine, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	cores, err := compileCores(rs, &cfg)
	if err != nil {
		return nil, err
	}
	e := &Engine{post: post{rules: cores, minScore: cfg.minScore, detectors: cfg.detectors, hooks: cfg.hooks}}
	e.words = (len(cores) + 63) / 64
	e.always = make([]uint64, e.words)
	e.special = make([]uint64, e.words)
	for i, c := range cores {
		r := engineRule{ruleCore: c, index: int32(i)}
		// Two passes: the first finds the trigger, the second counts its
		// bytes in a match.
		re, tree := goRoute(c.re2.String())
		analyse := func(extra *byteSet) (summary, error) {
			if re != nil {
				return analyzeGo(tree, extra)
			}
			return analyzeRegexp2(c.re2.String(), extra)
		}
		s, err := analyse(nil)
		if err == nil && s.hasTrig {
			var s2 summary
			if s2, err = analyse(&s.trig); err == nil {
				s.counts[extraCount] = s2.counts[extraCount]
			}
		}
		if err != nil {
			return nil, &rules.Error{Source: c.source, RuleID: c.id, Err: fmt.Errorf("analysing pattern: %w", err)}
		}
		if re != nil {
			r.re2Syntax = true
			if cfg.re2Screen {
				r.goRE, r.wordSensitive = re, wordSensitive(tree)
			}
		}
		if s.minLen == 0 {
			return nil, &rules.Error{Source: c.source, RuleID: c.id, Err: errors.New("pattern can match the empty string (every rule must consume at least one character)")}
		}
		r.setPrefilter(s)
		r.anchorSet = -1
		if r.anchorLits != nil {
			r.anchorSet = e.lits.add(r.anchorLits)
		}
		for _, g := range r.gates {
			r.gateSets = append(r.gateSets, e.lits.add(g))
		}
		if !r.hasTrig {
			e.always[i/64] |= 1 << (i % 64)
		}
		if !r.hasTrig || r.mode == modeWhole || r.anchor != anchorTrigger {
			e.special[i/64] |= 1 << (i % 64)
		}
		e.rules = append(e.rules, r)
		e.info = append(e.info, r.describe())
	}
	e.buildClasses()
	e.pool.New = func() any {
		sc := newScratch(e.words)
		sc.occs, sc.hits = make([][]int, e.lits.sets), make([]bool, e.lits.sets)
		return sc
	}
	return e, nil
}

func (r *engineRule) setPrefilter(s summary) {
	r.minLen = s.minLen
	r.behind, r.ahead = s.behind, s.ahead
	if s.whole || s.behind == inf || s.ahead == inf {
		r.mode = modeWhole
	}
	usable := func(ls litSet) bool {
		return ls != nil && ls.minLen() >= minGateLen && len(ls) <= maxGateLits && usableInIndex(ls)
	}
	// Literal anchors replace trigger positions when they are expected to
	// be rarer in text than the trigger bytes.
	rarer := func(ls litSet) bool { return !s.hasTrig || ls.prob() < s.trigCost }
	switch {
	case r.mode == modeWhole:
		if usable(s.leadLits) {
			r.anchorLits = s.leadLits
		}
	case usable(s.mlits) && rarer(s.mlits):
		r.anchor, r.anchorLits = anchorLiteral, s.mlits
	case usable(s.leadLits) && s.leadWidth < inf && rarer(s.leadLits):
		r.anchor, r.anchorLits, r.leadWidth = anchorLead, s.leadLits, s.leadWidth
	}
	if r.anchor == anchorTrigger && s.hasTrig {
		r.trigBefore, r.trigAfter = s.trigBounds(s.trig)
		if r.trigBefore == inf {
			r.trigBefore, r.trigAfter = 0, 0
		}
	}
	// A rule whose windows come from trigger positions needs a trigger
	// inside the match; the others only need to know that the value may
	// hold a match, which a value trigger (passing through positive
	// lookarounds) tells as well.
	trig, hasTrig, cost := s.trig, s.hasTrig, s.trigCost
	if (r.mode == modeWhole || r.anchor != anchorTrigger) && s.hasVTrig && (!hasTrig || s.vtrigCost < cost) {
		trig, hasTrig, cost = s.vtrig, true, s.vtrigCost
	}
	r.hasTrig = hasTrig && !trig.empty() && cost <= maxTrigCost
	if r.mode == modeWindows && r.anchor == anchorTrigger && !r.hasTrig {
		r.anchor = anchorAll
	}
	if r.anchorLits == nil && usable(s.lits) {
		r.gates = append(r.gates, s.lits)
	}
	if r.anchorLits == nil && usable(s.mlits) && (len(r.gates) == 0 || s.mlits.prob() < r.gates[0].prob()) {
		r.gates = append(r.gates[:0], s.mlits)
	}
	// Each other required literal set of the match gates it too.
	for _, g := range s.req {
		if len(r.gates) >= maxReq {
			break
		}
		if slices.ContainsFunc(r.gates, func(h litSet) bool { return slices.Equal(g, h) }) || slices.Equal(g, r.anchorLits) {
			continue
		}
		r.gates = append(r.gates, g)
	}
	if g := r.ctx.requiredGate(); g != nil && len(g) <= maxGateLits && usableInIndex(g) {
		r.gates = append(r.gates, g)
	}
	r.pickCounts(s)
	r.pickCore(s)
	for k := 0; k < extraCount; k++ {
		if n := s.counts[k]; n > 0 && n < inf {
			r.needs[r.nNeeds] = countNeed{k: int32(k), n: int32(n)}
			r.nNeeds++
		}
	}
	for b := 0; b < 256; b++ {
		if s.alpha.has(byte(b)) {
			r.bytes[b] |= alphaBit
			for i, n := range r.minCounts {
				if n > 0 && r.countSets[i].has(byte(b)) {
					r.bytes[b] |= 1 << (countShift + i)
				}
			}
		}
		if r.hasTrig && trig.has(byte(b)) {
			r.bytes[b] |= trigBit
		}
	}
}

func (r *engineRule) byteSets() (alpha, trig byteSet) {
	for b := 0; b < 256; b++ {
		if r.bytes[b]&alphaBit != 0 {
			alpha.add(byte(b))
		}
		if r.bytes[b]&trigBit != 0 {
			trig.add(byte(b))
		}
	}
	return alpha, trig
}

func (r *engineRule) describe() RuleInfo {
	info := RuleInfo{ID: r.id, Type: r.typ, Engine: EngineRegexp2, RE2: r.re2Syntax, Source: r.source.String()}
	if r.goRE != nil {
		info.Engine = EngineRE2Screen
	}
	alpha, trig := r.byteSets()
	var b strings.Builder
	switch {
	case r.mode == modeWhole && r.hasTrig:
		b.WriteString("whole value when it holds a trigger byte " + trig.String())
	case r.mode == modeWhole:
		b.WriteString("whole value, every value (no trigger)")
	case r.anchor == anchorLiteral:
		b.WriteString("windows around " + r.anchorLits.String() + ", alphabet " + alpha.String())
	case r.anchor == anchorLead:
		b.WriteString("windows within " + strconv.Itoa(r.leadWidth) + " runes after " + r.anchorLits.String() + ", alphabet " + alpha.String())
	case r.hasTrig:
		b.WriteString("windows: trigger " + trig.String() + ", alphabet " + alpha.String())
	default:
		b.WriteString("windows on every value (no trigger): alphabet " + alpha.String())
	}
	if r.hasTrig && (r.anchor == anchorLiteral || r.anchor == anchorLead) {
		b.WriteString(", when " + trig.String() + " occurs")
	}
	b.WriteString(", min " + strconv.Itoa(r.minLen) + " bytes")
	for i, n := range r.minCounts {
		if n > 0 {
			name := countClasses[r.countIdx[i]].name
			if r.countIdx[i] == extraCount {
				name = "of " + r.countSets[i].String()
			}
			b.WriteString(", " + strconv.Itoa(n) + " " + name)
		}
	}
	for _, g := range r.gates {
		b.WriteString(", requires one of " + g.String())
	}
	if r.hasCore {
		var core byteSet
		for b := 0; b < 256; b++ {
			if r.coreBytes[b] != 0 {
				core.add(byte(b))
			}
		}
		b.WriteString(", a stretch of " + core.String() + " of " + strconv.Itoa(r.coreMin) + " bytes")
		for i, n := range r.coreCounts {
			if n > 0 {
				b.WriteString(", " + strconv.Itoa(n) + " " + countClasses[r.coreClass[i]].name)
			}
		}
	}
	if r.trigBefore > 0 || r.trigAfter > 0 {
		b.WriteString(", trigger with " + strconv.Itoa(r.trigBefore) + "/" + strconv.Itoa(r.trigAfter) + " bytes before/after")
	}
	if r.mode == modeWindows && (r.behind > 0 || r.ahead > 0) {
		b.WriteString(", margins " + strconv.Itoa(r.behind) + "/" + strconv.Itoa(r.ahead) + " runes")
	}
	info.Prefilter = b.String()
	return info
}

// numberBytes are the bytes phone, card and id numbers are written with:
// digits and the separators people put between their groups.
var numberBytes = func() (t [256]bool) {
	for _, c := range []byte("0123456789 ()+-./") {
		t[c] = true
	}
	return t
}()

// narrow reports whether the rule's alphabet lies within numberBytes.
func (r *engineRule) narrow() bool {
	for b := 0; b < 256; b++ {
		if r.bytes[b]&alphaBit != 0 && !numberBytes[b] {
			return false
		}
	}
	return true
}

// numberRun returns the maximal run of numberBytes around text[p].
func numberRun(text string, p int) (a, b int) {
	a = p
	for a > 0 && numberBytes[text[a-1]] {
		a--
	}
	b = p + 1
	for b < len(text) && numberBytes[text[b]] {
		b++
	}
	return a, b
}

// buildClasses groups bytes by the set of rules they trigger. Up to 64
// distinct sets get a bit each; beyond that, sets share bits (the union
// of their rules), which can only trigger more rules than needed.
func (e *Engine) buildClasses() {
	sig := make([][]uint64, 256)
	ids := map[string]int{}
	var classes [][]uint64
	for b := 0; b < 256; b++ {
		s := make([]uint64, e.words)
		empty := true
		for i := range e.rules {
			if e.rules[i].bytes[b]&trigBit != 0 {
				s[i/64] |= 1 << (i % 64)
				empty = false
			}
		}
		if empty {
			continue
		}
		sig[b] = s
		key := fmt.Sprint(s)
		if _, ok := ids[key]; !ok {
			ids[key] = len(classes)
			classes = append(classes, s)
		}
	}
	for k := range e.classRules {
		e.classRules[k] = make([]uint64, e.words)
	}
	for b := 0; b < 256; b++ {
		if sig[b] == nil {
			continue
		}
		k := ids[fmt.Sprint(sig[b])] % 64
		e.classBit[b] = 1 << k
		for w, v := range sig[b] {
			e.classRules[k][w] |= v
		}
	}
	for k := range e.classRules {
		for i := range e.rules {
			if e.classRules[k][i/64]&(1<<(i%64)) != 0 && e.special[i/64]&(1<<(i%64)) == 0 {
				e.classWindowed[k] = append(e.classWindowed[k], int32(i))
				if r := &e.rules[i]; r.narrow() {
					if len(e.classNarrow[k]) == 0 || r.minLen < e.narrowMin[k] {
						e.narrowMin[k] = r.minLen
					}
					e.classNarrow[k] = append(e.classNarrow[k], int32(i))
				} else {
					e.classWide[k] = append(e.classWide[k], int32(i))
				}
			}
		}
	}
	for b := 0; b < 256; b++ {
		if c := e.classBit[b]; c != 0 {
			e.posByte[b] = len(e.classWindowed[bits.TrailingZeros64(c)]) > 0
		}
	}
}

// Rules describes the compiled rules in order.
func (e *Engine) Rules() []RuleInfo { return slices.Clone(e.info) }

// Scan appends the findings in text to dst, sorted by start, and returns
// it. It is safe for concurrent use; see the package documentation for
// what it allocates.
//
// If a rule times out or exceeds its backtracking limit, Scan returns dst
// unchanged and an *UnclassifiableError (errors.Is(err,
// ErrUnclassifiable)): the caller must treat the whole value as personal
// data.
func (e *Engine) Scan(text string, dst []classifiers.Finding) ([]classifiers.Finding, error) {
	sc := e.pool.Get().(*scratch)
	defer e.pool.Put(sc)
	sc.reset()

	// One pass over the value: which trigger classes occur, and where.
	// It also counts the bytes of each count class: a rule that needs
	// more than the value holds is skipped before any window work.
	var seen uint64
	var counts valueCounts
	pos := sc.pos[:0]
	for i := 0; i < len(text); i++ {
		b := text[i]
		counts[countKind[b]]++
		if c := e.classBit[b]; c != 0 {
			seen |= c
			if e.posByte[b] {
				pos = append(pos, i)
			}
		}
	}
	sc.pos = pos
	counts[letterCount] = counts[upperCount] + counts[lowerCount]
	trig := sc.trig
	copy(trig, e.always)
	for k := seen; k != 0; k &= k - 1 {
		for w, v := range e.classRules[bits.TrailingZeros64(k)] {
			trig[w] |= v
		}
	}
	covered := sc.covered
	clear(covered)
	clear(sc.gate)
	// Trigger-anchored rules: each position goes to the rules its byte
	// triggers, and each rule skips the positions a run it already
	// processed covers.
	runA, runB := sc.runA, sc.runB
	clear(runB)
	numA, numB := 0, 0 // the run of numberBytes around the last position
	for _, p := range pos {
		k := bits.TrailingZeros64(e.classBit[text[p]])
		rules := e.classWide[k]
		if narrow := e.classNarrow[k]; len(narrow) > 0 {
			if p >= numB {
				numA, numB = numberRun(text, p)
			}
			if numB-numA >= e.narrowMin[k] {
				rules = e.classWindowed[k]
			}
		}
		for _, ri := range rules {
			if p < covered[ri] {
				continue
			}
			r := &e.rules[ri]
			if r.bytes[text[p]]&(alphaBit|trigBit) != alphaBit|trigBit {
				continue
			}
			a, b := runA[ri], runB[ri]
			if b == 0 && !r.fits(len(text), &counts) {
				// First visit of the rule in this value.
				covered[ri] = math.MaxInt
				continue
			}
			if p >= b {
				a, b = r.expand(text, p)
				runA[ri], runB[ri] = a, b
			}
			if p-a < r.trigBefore || b-1-p < r.trigAfter {
				continue // no match can hold this trigger byte
			}
			covered[ri] = b
			if err := e.run(sc, text, r, a, b); err != nil {
				return dst, err
			}
		}
	}
	// The other triggered rules, and those without a trigger.
	for w, word := range trig {
		for word &= e.special[w]; word != 0; word &= word - 1 {
			r := &e.rules[w*64+bits.TrailingZeros64(word)]
			if !r.fits(len(text), &counts) {
				continue
			}
			if err := e.runRule(sc, text, r); err != nil {
				return dst, err
			}
		}
	}
	e.post.addDetectors(text, sc)
	return e.post.finish(text, sc, dst), nil
}

// runRule runs a rule that is not trigger-anchored: whole-value rules,
// rules without a trigger and literal-anchored rules.
func (e *Engine) runRule(sc *scratch, text string, r *engineRule) error {
	if r.mode == modeWhole {
		if len(text) < r.minLen || !e.gatesPass(sc, text, r) {
			return nil
		}
		start := 0
		if r.anchorLits != nil {
			// Matches start after the first occurrence of a literal of
			// the leading lookbehind.
			occ := e.occurrences(sc, text, r.anchorSet)
			if len(occ) == 0 {
				return nil
			}
			start = occ[0] + 1
			for start < len(text) && !utf8.RuneStart(text[start]) {
				start++
			}
		}
		return e.window(sc, text, r, start, len(text))
	}
	switch r.anchor {
	case anchorAll:
		// No trigger: every long enough run of the alphabet.
		for i := 0; i < len(text); {
			for i < len(text) && r.bytes[text[i]]&alphaBit == 0 {
				i++
			}
			a := i
			for i < len(text) && r.bytes[text[i]]&alphaBit != 0 {
				i++
			}
			if i > a {
				if err := e.run(sc, text, r, a, i); err != nil {
					return err
				}
			}
		}
		return nil
	case anchorLiteral, anchorLead:
		occ := e.occurrences(sc, text, r.anchorSet)
		covered := 0
		for _, o := range occ {
			from, to := o, o+1
			if r.anchor == anchorLead {
				// The match starts after the literal, within the
				// lookbehind's width (at most 4 bytes a rune).
				from, to = o+2, min(len(text), o+4*r.leadWidth+1)
			}
			for q := max(from, covered); q < to; q++ {
				if r.bytes[text[q]]&alphaBit == 0 {
					continue
				}
				a, b := r.expand(text, q)
				covered = b
				if err := e.run(sc, text, r, a, b); err != nil {
					return err
				}
				q = b
			}
		}
		return nil
	}
	return nil
}

// expand returns the maximal run of the alphabet around p.
func (r *engineRule) expand(text string, p int) (a, b int) {
	a = p
	for a > 0 && r.bytes[text[a-1]]&alphaBit != 0 {
		a--
	}
	b = p + 1
	for b < len(text) && r.bytes[text[b]]&alphaBit != 0 {
		b++
	}
	return a, b
}

// run checks the run text[a:b] against the rule's length, counts and
// core, and runs the rule on it when they allow a match and its gates
// pass.
func (e *Engine) run(sc *scratch, text string, r *engineRule, a, b int) error {
	if b-a < r.minLen || r.counted && !r.enoughCounts(text[a:b]) || r.hasCore && !r.coreIn(text[a:b]) || !e.gatesPass(sc, text, r) {
		return nil
	}
	return e.window(sc, text, r, a, b)
}

// Gate states in scratch.gate.
const (
	gateUnknown = iota
	gatePass
	gateFail
)

// gatesPass evaluates the rule's gates once per value, when it first has
// a candidate run: most rules never get one in most values.
func (e *Engine) gatesPass(sc *scratch, text string, r *engineRule) bool {
	if len(r.gates) == 0 {
		return true
	}
	switch sc.gate[r.index] {
	case gatePass:
		return true
	case gateFail:
		return false
	}
	e.indexLiterals(sc, text)
	for _, k := range r.gateSets {
		if !sc.hits[k] {
			sc.gate[r.index] = gateFail
			sc.covered[r.index] = math.MaxInt
			return false
		}
	}
	sc.gate[r.index] = gatePass
	return true
}

// indexLiterals runs the literal pass over the value, once per scan and
// only when a rule first needs it.
func (e *Engine) indexLiterals(sc *scratch, text string) {
	if !sc.litsDone {
		e.lits.scan(text, sc.occs, sc.hits)
		sc.litsDone = true
	}
}

// occurrences returns where the literals of set k occur in the value.
func (e *Engine) occurrences(sc *scratch, text string, k int) []int {
	e.indexLiterals(sc, text)
	return sc.occs[k]
}

// pickCounts keeps the count classes that say most about a run: those
// whose required count is least likely in typical text, measured as

// pickCounts keeps the count classes that say most about a run: those
// whose required count is least likely in typical text, measured as
// count times the class's information (-log of its byte frequency).
func (r *engineRule) pickCounts(s summary) {
	type cand struct {
		k    int
		gain float64
	}
	set := func(k int) byteSet {
		if k == extraCount {
			return s.trig
		}
		return countClasses[k].set
	}
	var cs []cand
	for k, n := range s.counts {
		if k == extraCount && slices.ContainsFunc(countClasses[:extraCount], func(c countClass) bool { return c.set == s.trig }) {
			continue // the trigger is one of the fixed classes, already counted
		}
		if n > 0 && n < inf {
			cs2 := set(k)
			f := cs2.cost()
			cs = append(cs, cand{k, float64(n) * -math.Log(max(f, 1e-6))})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return cmp.Compare(b.gain, a.gain) })
	for i := 0; i < len(cs) && i < maxCounted; i++ {
		k := cs[i].k
		r.countIdx[i], r.countSets[i], r.minCounts[i], r.counted = k, set(k), s.counts[k], true
	}
}

// pickCore keeps the core of the summary when it says more than the
// match as a whole (a narrower alphabet, a longer stretch, or more bytes
// of a class).
func (r *engineRule) pickCore(s summary) {
	if !s.hasCore || s.whole || s.core.minLen < 2 {
		return
	}
	own, c := s.ownCore(), s.core
	if c.gain() <= own.gain() {
		return
	}
	k, _ := c.coreClasses()
	for b := 0; b < 256; b++ {
		if !c.alpha.has(byte(b)) {
			continue
		}
		r.coreBytes[b] = 1
		for i, ki := range k {
			if ki >= 0 && countClasses[ki].set.has(byte(b)) {
				r.coreBytes[b] |= 2 << i
			}
		}
	}
	r.coreMin = c.minLen
	for i, ki := range k {
		if ki >= 0 {
			r.coreClass[i], r.coreCounts[i] = ki, c.counts[ki]
		}
	}
	r.hasCore = true
}

// coreIn reports whether run holds a stretch of the core alphabet long
// enough and with enough of the core's count classes.
func (r *engineRule) coreIn(run string) bool {
	n, c0, c1 := 0, 0, 0
	for i := 0; i < len(run); i++ {
		v := r.coreBytes[run[i]]
		if v == 0 {
			if n >= r.coreMin && c0 >= r.coreCounts[0] && c1 >= r.coreCounts[1] {
				return true
			}
			n, c0, c1 = 0, 0, 0
			continue
		}
		n++
		c0 += int(v >> 1 & 1)
		c1 += int(v >> 2 & 1)
	}
	return n >= r.coreMin && c0 >= r.coreCounts[0] && c1 >= r.coreCounts[1]
}

// enoughCounts reports whether run holds the bytes of each count class
// that every match needs.
func (r *engineRule) enoughCounts(run string) bool {
	var c [maxCounted]int
	for i := 0; i < len(run); i++ {
		v := r.bytes[run[i]] >> countShift
		c[0] += int(v & 1)
		c[1] += int(v >> 1 & 1)
		c[2] += int(v >> 2 & 1)
		c[3] += int(v >> 3 & 1)
	}
	for i, n := range r.minCounts {
		if c[i] < n {
			return false
		}
	}
	return true
}

// window runs r on the run text[a:b] with its margins and adds the
// candidates of the matches that start inside the run.
func (e *Engine) window(sc *scratch, text string, r *engineRule, a, b int) error {
	ws, we := a, b
	if r.behind == inf {
		ws = 0
	}
	if r.ahead == inf {
		we = len(text)
	}
	for k := 0; k < r.behind && ws > 0; k++ {
		_, n := utf8.DecodeLastRuneInString(text[:ws])
		ws -= n
	}
	for k := 0; k < r.ahead && we < len(text); k++ {
		_, n := utf8.DecodeRuneInString(text[we:])
		we += n
	}
	win := text[ws:we]
	if r.goRE != nil && !(r.wordSensitive && hasHigh(win)) && !r.goRE.MatchString(win) {
		return nil
	}
	startRune, endRune := sc.decode(win, a-ws, b-ws)
	sc.cur, sc.ws, sc.endRune = r, ws, endRune
	err := r.re2.FindRunesMatches(sc.runes, startRune, sc.yield)
	if err != nil {
		return unclassifiable(r.ruleCore, err, e.post.hooks)
	}
	return nil
}

func hasHigh(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func unclassifiable(r *ruleCore, err error, h Hooks) error {
	cause := "match timeout"
	if errors.Is(err, regexp2.ErrBacktrackingStackLimit) {
		cause = "backtracking limit"
	}
	if h != nil {
		h.OnTimeout(r.id)
	}
	return &UnclassifiableError{RuleID: r.id, Source: r.source.String(), Cause: cause}
}

// compileCores compiles what Engine and Naive share.
func compileCores(rs []rules.Rule, cfg *config) ([]*ruleCore, error) {
	var out []*ruleCore
	seen := map[string]rules.Source{}
	for _, r := range rs {
		if r.Disabled {
			continue
		}
		fail := func(format string, args ...any) error {
			return &rules.Error{Source: r.Source, RuleID: r.ID, Err: fmt.Errorf(format, args...)}
		}
		if r.ID == "" {
			return nil, fail("missing id")
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, fail("duplicate rule id (also defined at %s)", prev)
		}
		seen[r.ID] = r.Source
		if !r.Type.Valid() {
			return nil, fail("unknown entity type %q", r.Type)
		}
		if r.Score <= 0 || r.Score > 1 {
			return nil, fail("score %v: must be in (0, 1]", r.Score)
		}
		if r.Context.Boost < 0 || r.Context.Boost > 1 {
			return nil, fail("context.boost %v: must be in [0, 1]", r.Context.Boost)
		}
		if r.Context.Required && len(r.Context.Words) == 0 {
			return nil, fail("context.required needs context.words")
		}
		if r.Pattern == "" {
			return nil, fail("missing pattern")
		}
		re, err := regexp2.Compile(r.Pattern, regexp2.RE2)
		if err != nil {
			return nil, fail("pattern does not compile: %w", err)
		}
		re.MatchTimeout = cfg.timeout
		if !slices.Contains(re.GetGroupNumbers(), r.Group) {
			return nil, fail("group %d: the pattern has no such capture group", r.Group)
		}
		c := &ruleCore{
			id: r.ID, typ: r.Type, score: r.Score, priority: r.Priority, group: r.Group,
			ctx: compileContext(r.Context), source: r.Source, re2: re,
		}
		for _, name := range r.Validators {
			if cfg.lookup == nil {
				return nil, fail("validator %q: no validators configured (engine.WithValidators)", name)
			}
			f, ok := cfg.lookup(name)
			if !ok {
				return nil, fail("unknown validator %q", name)
			}
			c.validators = append(c.validators, f)
		}
		out = append(out, c)
	}
	return out, nil
}
