package engine

import (
	"fmt"
	"sync"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

// Naive is the reference the Engine is measured and tested against: every
// rule runs with regexp2 (RE2 option) over the whole value, with no
// prefilter, followed by the same validators, context, minimum score and
// overlap resolution as the Engine. It is exported because package bench
// measures it; it is not meant for production use.
type Naive struct {
	post post
	pool sync.Pool
}

// NewNaive compiles rs like Compile does (including its checks), for the
// naive loop.
func NewNaive(rs []rules.Rule, opts ...Option) (*Naive, error) {
	cfg := newConfig(opts)
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	cores, err := compileCores(rs, &cfg)
	if err != nil {
		return nil, err
	}
	n := &Naive{post: post{rules: cores, minScore: cfg.minScore, detectors: cfg.detectors, hooks: cfg.hooks}}
	n.pool.New = func() any { return newScratch(0) }
	return n, nil
}

// Scan appends the findings in text to dst like Engine.Scan, running every
// rule's regexp2 program over the whole of text with the plain string API
// (FindStringMatch, FindNextMatch).
func (n *Naive) Scan(text string, dst []classifiers.Finding) ([]classifiers.Finding, error) {
	sc := n.pool.Get().(*scratch)
	defer n.pool.Put(sc)
	sc.reset()
	for i, r := range n.post.rules {
		m, err := r.re2.FindStringMatch(text)
		for ; err == nil && m != nil; m, err = r.re2.FindNextMatch(m) {
			g := m.GroupByNumber(r.group)
			if g == nil || len(g.Captures) == 0 {
				continue
			}
			start, length := g.ByteRange()
			if length == 0 {
				continue
			}
			sc.cands = append(sc.cands, cand{
				start: start, end: start + length, score: r.score, priority: r.priority,
				rule: int32(i), typ: r.typ, id: r.id,
			})
		}
		if err != nil {
			return dst, unclassifiable(r, err, n.post.hooks)
		}
	}
	n.post.addDetectors(text, sc)
	return n.post.finish(text, sc, dst), nil
}
