package engine

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

// ruleCore is the part of a compiled rule that Engine and Naive share: the
// regexp2 program (the reference semantics) and everything that turns a
// candidate span into a finding.
type ruleCore struct {
	id         string
	typ        classifiers.EntityType
	score      float64
	priority   int
	group      int
	validators []func(string) bool
	ctx        contextSpec
	source     rules.Source
	re2        *regexp2.Regexp
}

// cand is a candidate finding before post-processing.
type cand struct {
	start, end int
	score      float64
	priority   int
	// rule indexes the rule that found the span, or is -1 for a detector.
	rule int32
	typ  classifiers.EntityType
	id   string
}

// post is the post-processing that Engine and Naive share, so that their
// findings can only differ in the candidate spans they produce.
type post struct {
	rules     []*ruleCore
	minScore  float64
	detectors []Detector
	hooks     Hooks
}

// addDetectors appends the detectors' findings to cands, dropping any a
// misbehaving detector placed out of bounds or off rune boundaries.
func (p *post) addDetectors(text string, sc *scratch) {
	for _, d := range p.detectors {
		sc.det = d.Detect(text, sc.det[:0])
		for _, f := range sc.det {
			if f.Start < 0 || f.End > len(text) || f.Start >= f.End ||
				!utf8.RuneStart(text[f.Start]) || (f.End < len(text) && !utf8.RuneStart(text[f.End])) {
				continue
			}
			sc.cands = append(sc.cands, cand{start: f.Start, end: f.End, score: f.Score, rule: -1, typ: f.Type, id: f.Rule})
		}
	}
}

// finish runs steps 2-5 of the package documentation on sc.cands and
// appends the accepted findings to dst.
func (p *post) finish(text string, sc *scratch, dst []classifiers.Finding) []classifiers.Finding {
	kept := sc.cands[:0]
	for _, c := range sc.cands {
		if c.rule >= 0 {
			r := p.rules[c.rule]
			ok := true
			span := text[c.start:c.end]
			for _, v := range r.validators {
				if !v(span) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			var keep bool
			if c.score, keep = r.ctx.apply(text, c.start, c.end, r.score); !keep {
				continue
			}
		}
		if c.score < p.minScore {
			continue
		}
		kept = append(kept, c)
	}
	sc.cands = kept
	slices.SortFunc(kept, candOrder)
	acc := sc.acc[:0]
	for _, c := range kept {
		// acc is sorted by start and free of overlaps: c overlaps an
		// accepted span only if it overlaps one of its two neighbours.
		i, _ := slices.BinarySearchFunc(acc, c.start, func(a cand, s int) int { return cmp.Compare(a.start, s) })
		if i > 0 && acc[i-1].end > c.start {
			continue
		}
		if i < len(acc) && acc[i].start < c.end {
			continue
		}
		acc = slices.Insert(acc, i, c)
	}
	sc.acc = acc
	for _, c := range acc {
		dst = append(dst, classifiers.Finding{Type: c.typ, Start: c.start, End: c.end, Score: c.score, Rule: c.id})
	}
	return dst
}

// candOrder is the overlap-resolution order: score descending, then
// length descending, priority descending, start ascending, rule id
// ascending; type and end only separate candidates that are otherwise
// identical, so the order is total and the result deterministic.
func candOrder(a, b cand) int {
	if a.score != b.score {
		if a.score > b.score {
			return -1
		}
		return 1
	}
	if la, lb := a.end-a.start, b.end-b.start; la != lb {
		return cmp.Compare(lb, la)
	}
	if a.priority != b.priority {
		return cmp.Compare(b.priority, a.priority)
	}
	if a.start != b.start {
		return cmp.Compare(a.start, b.start)
	}
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.typ), string(b.typ)); c != 0 {
		return c
	}
	return cmp.Compare(a.end, b.end)
}

// contextSpec is a rule's compiled context.
type contextSpec struct {
	window   int
	boost    float64
	required bool
	words    []contextWord
	deny     []contextWord
	// wordStart and denyStart mark the bytes a text can hold where one
	// of words (deny) begins: anyWordIn compares only there.
	wordStart, denyStart firstBytes
}

// firstBytes marks the first bytes of the UTF-8 forms a text can hold
// where one of a list of context words begins.
type firstBytes [256]bool

// firstBytesOf returns the first bytes under which foldPrefix can match
// one of words: the first byte of every rune that simple case folding
// equates with a word's first rune.
func firstBytesOf(words []contextWord) (fb firstBytes) {
	var enc [utf8.UTFMax]byte
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w.folded)
		if r == utf8.RuneError {
			// Not valid UTF-8 (or U+FFFD itself): any byte may start it.
			for b := range fb {
				fb[b] = true
			}
			continue
		}
		f := r
		for {
			utf8.EncodeRune(enc[:], f)
			fb[enc[0]] = true
			if f = unicode.SimpleFold(f); f == r {
				break
			}
		}
	}
	return fb
}

// contextWord is a context word with its ASCII letters in lower case
// (other runes compare by simple case folding). edgeStart and edgeEnd
// record whether its first and last runes are word characters: only there
// must the text have a word boundary.
type contextWord struct {
	folded             string
	edgeStart, edgeEnd bool
}

func compileContext(c rules.Context) contextSpec {
	spec := contextSpec{window: c.EffectiveWindow(), boost: c.Boost, required: c.Required}
	conv := func(ws []string) []contextWord {
		var out []contextWord
		for _, w := range ws {
			w = strings.TrimSpace(w)
			if w == "" {
				continue
			}
			folded := strings.Map(func(r rune) rune {
				if 'A' <= r && r <= 'Z' {
					return r + 'a' - 'A'
				}
				return r
			}, w)
			first, _ := utf8.DecodeRuneInString(folded)
			last, _ := utf8.DecodeLastRuneInString(folded)
			out = append(out, contextWord{folded: folded, edgeStart: isWordRune(first), edgeEnd: isWordRune(last)})
		}
		return out
	}
	spec.words, spec.deny = conv(c.Words), conv(c.Deny)
	spec.wordStart, spec.denyStart = firstBytesOf(spec.words), firstBytesOf(spec.deny)
	return spec
}

// apply returns the score of the span [start, end) after its context, and
// whether the span survives it.
func (c *contextSpec) apply(text string, start, end int, score float64) (float64, bool) {
	if len(c.words) == 0 && len(c.deny) == 0 {
		return score, true
	}
	lo, hi := max(0, start-c.window), min(len(text), end+c.window)
	for lo < start && !utf8.RuneStart(text[lo]) {
		lo++
	}
	for hi > end && hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi--
	}
	if anyWordIn(text, lo, start, c.deny, &c.denyStart) || anyWordIn(text, end, hi, c.deny, &c.denyStart) {
		return 0, false
	}
	if len(c.words) == 0 {
		return score, true
	}
	if anyWordIn(text, lo, start, c.words, &c.wordStart) || anyWordIn(text, end, hi, c.words, &c.wordStart) {
		return min(1, score+c.boost), true
	}
	return score, !c.required
}

// anyWordIn reports whether one of words occurs case-insensitively as a
// whole word inside text[lo:hi]. Word boundaries are judged on the whole
// text, so "xdate of birth" does not contain "date of birth". first holds
// the bytes where one of words can begin: only there are they compared.
func anyWordIn(text string, lo, hi int, words []contextWord, first *firstBytes) bool {
	for p := lo; p < hi; p++ {
		if !first[text[p]] || !utf8.RuneStart(text[p]) {
			continue
		}
		for i := range words {
			w := &words[i]
			n := foldPrefix(text, p, hi, w.folded)
			if n == 0 {
				continue
			}
			if w.edgeStart && p > 0 {
				if r, _ := utf8.DecodeLastRuneInString(text[:p]); isWordRune(r) {
					continue
				}
			}
			if w.edgeEnd && p+n < len(text) {
				if r, _ := utf8.DecodeRuneInString(text[p+n:]); isWordRune(r) {
					continue
				}
			}
			return true
		}
	}
	return false
}

// foldPrefix returns the length in bytes of the text at p (not reaching
// past hi) that equals folded rune by rune under simple case folding (as
// strings.EqualFold and (?i) compare), or 0.
func foldPrefix(text string, p, hi int, folded string) int {
	j := p
	for k := 0; k < len(folded); {
		if j >= hi {
			return 0
		}
		wc, tc := folded[k], text[j]
		if wc < utf8.RuneSelf && tc < utf8.RuneSelf {
			if 'A' <= tc && tc <= 'Z' {
				tc += 'a' - 'A'
			}
			if wc != tc {
				return 0
			}
			k++
			j++
			continue
		}
		wr, wn := utf8.DecodeRuneInString(folded[k:])
		tr, tn := utf8.DecodeRuneInString(text[j:hi])
		if !equalFoldRune(tr, wr) {
			return 0
		}
		k += wn
		j += tn
	}
	return j - p
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// equalFoldRune reports whether a and b are equal under simple case
// folding.
func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// requiredGate returns literals one of which every value holds in which a
// rule with required context words can produce a finding: for each word,
// its longest run of ASCII (compared as indexFold does, which accepts
// every rune simple folding equates with ASCII letters). It returns nil
// when the context is not required or a word has no usable run.
func (c *contextSpec) requiredGate() litSet {
	if !c.required || len(c.words) == 0 {
		return nil
	}
	var out litSet
	for _, w := range c.words {
		best, start := "", -1
		for i := 0; i <= len(w.folded); i++ {
			if i < len(w.folded) && w.folded[i] < utf8.RuneSelf {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 && i-start > len(best) {
				best = w.folded[start:i]
			}
			start = -1
		}
		if len(best) < minGateLen {
			return nil
		}
		out = append(out, lit{s: best, fold: true})
	}
	return out
}
