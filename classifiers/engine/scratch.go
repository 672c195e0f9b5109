package engine

import (
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"

	"github.com/veilstream/veil/classifiers"
)

// scratch is the per-scan working memory. Engine and Naive keep them in a
// sync.Pool, so that a scan allocates nothing once the buffers have grown
// to the sizes the values need.
type scratch struct {
	pos []int // positions of trigger bytes
	// occs[k] and hits[k] say where and whether the literals of set k of
	// the engine's litIndex occur; litsDone, whether they were computed.
	occs     [][]int
	hits     []bool
	litsDone bool
	trig     []uint64
	// covered[r] is where the last run rule r processed ended.
	covered []int
	// gate[r] caches whether rule r's gates pass on the value.
	gate []uint8
	// runA[r], runB[r] cache the last run expanded for rule r.
	runA, runB []int
	runes      []rune // the current window, decoded
	offs       []int  // byte offset of each rune of runes (and of the end)
	cands      []cand
	acc        []cand
	det        []classifiers.Finding

	// yield is onMatch bound to this scratch once, so that passing it to
	// regexp2 does not allocate a closure per window.
	yield func(regexp2.MatchView) bool
	// the window onMatch reports for
	cur     *engineRule
	ws      int
	endRune int
}

func newScratch(words int) *scratch {
	sc := &scratch{trig: make([]uint64, words), covered: make([]int, words*64), gate: make([]uint8, words*64),
		runA: make([]int, words*64), runB: make([]int, words*64)}
	sc.yield = sc.onMatch
	return sc
}

func (sc *scratch) reset() {
	sc.pos = sc.pos[:0]
	sc.cands = sc.cands[:0]
	sc.acc = sc.acc[:0]
	sc.det = sc.det[:0]
	sc.cur = nil
	sc.litsDone = false
}

// decode decodes win into sc.runes the way regexp2 decodes strings (an
// invalid byte is one U+FFFD), recording byte offsets, and returns the
// rune indexes of the byte offsets a and b (both rune boundaries).
func (sc *scratch) decode(win string, a, b int) (ra, rb int) {
	runes, offs := sc.runes[:0], sc.offs[:0]
	for i := 0; i < len(win); {
		if i == a {
			ra = len(runes)
		}
		if i == b {
			rb = len(runes)
		}
		offs = append(offs, i)
		if c := win[i]; c < utf8.RuneSelf {
			runes = append(runes, rune(c))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(win[i:])
		runes = append(runes, r)
		i += n
	}
	if a == len(win) {
		ra = len(runes)
	}
	if b == len(win) {
		rb = len(runes)
	}
	offs = append(offs, len(win))
	sc.runes, sc.offs = runes, offs
	return ra, rb
}

// onMatch records the candidate of one regexp2 match in the current
// window; it stops the search at the first match that starts past the run.
func (sc *scratch) onMatch(v regexp2.MatchView) bool {
	start, _, ok := v.GroupRange(0)
	if !ok || start >= sc.endRune {
		return false
	}
	r := sc.cur
	gs, gl, ok := v.GroupRange(r.group)
	if ok && gl > 0 {
		sc.cands = append(sc.cands, cand{
			start: sc.ws + sc.offs[gs], end: sc.ws + sc.offs[gs+gl],
			score: r.score, priority: r.priority, rule: r.index, typ: r.typ, id: r.id,
		})
	}
	return true
}
