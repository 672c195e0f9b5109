package aggregate

import (
	"math"
	"slices"
	"strings"
	"time"
)

// level is one rollup step: the dimensions rolled up at it.
type level struct {
	drop  []bool   // per dimension
	names []string // rolled-up dimension names, rollup order
	other bool     // every dimension dropped
}

// makeLevels returns level 0 (nothing dropped), one level per rollup
// dimension, and the "other" level (everything dropped) unless the last
// rollup level already drops everything or the other bucket is disabled.
func (a *Aggregator) makeLevels() []level {
	n := len(a.cfg.Dimensions)
	drop := make([]bool, n)
	ls := []level{{drop: slices.Clone(drop)}}
	for j, name := range a.cfg.Rollup {
		drop[a.dimOf[name]] = true
		ls = append(ls, level{drop: slices.Clone(drop), names: slices.Clone(a.cfg.Rollup[:j+1])})
	}
	last := &ls[len(ls)-1]
	last.other = !slices.Contains(last.drop, false)
	if !last.other && !a.opts.noOther {
		names := slices.Clone(last.names)
		for i, d := range a.cfg.Dimensions {
			if !drop[i] {
				names = append(names, d.Name)
			}
		}
		all := make([]bool, n)
		for i := range all {
			all[i] = true
		}
		ls = append(ls, level{drop: all, names: names, other: true})
	}
	return ls
}

// group is a cohort, or at a rollup level the union of the cohorts below k
// that share the level's kept dimension values.
type group struct {
	key      string
	count    int64
	distinct int64
	exact    bool
	set      *contribSet
	vals     []float64
	hist     []uint64
	members  []int32 // cohort indices
}

// closeWindow computes the records of w, queues them for Drain and erases
// the window's state.
//
// The rollup: at level 0 every cohort with at least k distinct contributors
// is published as such. The others are grouped by their values of the
// dimensions level 1 keeps (Rollup[0] dropped); each group's counts, sums
// and histograms are the sums of its cohorts', and its contributors the
// size of the union of their contributor sets (or sketches), never the sum.
// Groups with at least k contributors are published with rolled_up naming
// the dropped dimensions; the rest go on to level 2, and so on, then to
// the "other" bucket. What is still below k after the last level is
// suppressed. Every event is therefore counted in exactly one published
// record or in the suppressed total.
func (a *Aggregator) closeWindow(w *window) {
	stats := WindowStats{
		Start:              time.Unix(0, w.start).UTC(),
		End:                time.Unix(0, w.end).UTC(),
		Events:             w.events,
		Cohorts:            len(w.cohorts),
		DroppedOverEvents:  w.droppedOverEvents,
		DroppedOverCohorts: w.droppedOverCohorts,
	}
	nd := len(a.cfg.Dimensions)
	// assign maps each cohort to its group at the current level, -1 once
	// published.
	assign := make([]int32, len(w.cohorts))
	groups := make([]group, len(w.cohorts))
	for i := range w.cohorts {
		c := &w.cohorts[i]
		g := &groups[i]
		g.key, g.count = c.key, c.count
		g.vals = w.vals[i*2*a.nm : (i+1)*2*a.nm]
		g.hist = w.hist[i*a.nh : (i+1)*a.nh]
		g.members = []int32{int32(i)}
		if a.m > 0 {
			g.distinct, g.exact = c.distinct, true
		} else {
			g.set = &c.set
		}
		assign[i] = int32(i)
	}
	var parts []keyPart
	var kb []byte
	var recs []Record
	for li := range a.levels {
		l := &a.levels[li]
		if li > 0 {
			var pending []int32
			for gi := range groups {
				pending = append(pending, groups[gi].members...)
			}
			if len(pending) == 0 {
				break
			}
			idx := map[string]int32{}
			var next []group
			for _, ci := range pending {
				parts = decodeCohortKey(w.cohorts[ci].key, nd, parts)
				kb = groupKey(kb[:0], parts, l.drop)
				gi, ok := idx[string(kb)]
				if !ok {
					gi = int32(len(next))
					idx[string(kb)] = gi
					g := group{key: string(kb), vals: make([]float64, 2*a.nm), hist: make([]uint64, a.nh), exact: a.m > 0}
					if a.m == 0 {
						g.set = &contribSet{}
					}
					next = append(next, g)
				}
				g := &next[gi]
				g.members = append(g.members, ci)
				c := &w.cohorts[ci]
				g.count += c.count
				for j, v := range w.vals[int(ci)*2*a.nm : int(ci+1)*2*a.nm] {
					g.vals[j] += v
				}
				for j, v := range w.hist[int(ci)*a.nh : int(ci+1)*a.nh] {
					g.hist[j] += v
				}
				if a.m == 0 {
					g.set.merge(&c.set, &a.sp)
				}
				assign[ci] = gi
			}
			groups = next
			if a.m > 0 {
				a.unionDistinct(w, groups, assign)
			}
		}
		slices.SortFunc(groups, func(x, y group) int { return strings.Compare(x.key, y.key) })
		kept := groups[:0]
		for gi := range groups {
			g := &groups[gi]
			if r, ok := a.decide(w, g, l, li, &parts); ok {
				recs = append(recs, r)
				stats.Records++
				if li > 0 {
					stats.RolledUp++
				}
				for _, ci := range g.members {
					assign[ci] = -1
				}
				continue
			}
			kept = append(kept, *g)
		}
		groups = kept
	}
	for gi := range groups {
		stats.SuppressedEvents += groups[gi].count
		if groups[gi].set != nil {
			groups[gi].set.zero()
		}
	}
	if a.rnd.err != nil && a.err == nil {
		a.err = a.rnd.err
	}
	if a.err == nil {
		a.ready = append(a.ready, recs...)
	}
	w.zero()
	for _, h := range a.opts.hooks.closed {
		h.OnWindowClosed(stats)
	}
}

// unionDistinct counts, for bounded windows, the distinct contributors of
// each group exactly: every contributor adds one to each group that holds
// one of its cohorts, once per group.
func (a *Aggregator) unionDistinct(w *window, groups []group, assign []int32) {
	var seen [MaxCohortsBound]int32
	for off := 0; off < len(w.slots); off += a.m {
		n := 0
		for _, s := range w.slots[off : off+a.m] {
			if s.cohort == 0 {
				break
			}
			gi := assign[s.cohort-1]
			if gi < 0 || slices.Contains(seen[:n], gi) {
				continue
			}
			seen[n] = gi
			n++
			groups[gi].distinct++
		}
	}
}

// decide returns the record of g when it may be published at level l: at
// least k distinct contributors and, under differential privacy, a noisy
// count of them at or above the selection threshold.
func (a *Aggregator) decide(w *window, g *group, l *level, li int, parts *[]keyPart) (Record, bool) {
	distinct, exact := g.distinct, g.exact
	if g.set != nil {
		distinct, exact = g.set.count(&a.sp)
	}
	if distinct < int64(a.cfg.K) {
		return Record{}, false
	}
	r := Record{
		Start:                 time.Unix(0, w.start).UTC(),
		End:                   time.Unix(0, w.end).UTC(),
		Level:                 li,
		Other:                 l.other,
		Count:                 g.count,
		Contributors:          distinct,
		ContributorsEstimated: !exact,
		K:                     a.cfg.K,
		Privacy:               PrivacyInfo{Mechanism: MechanismNone, MaxEventsPerCohort: a.cfg.Bounds.MaxEventsPerCohort, MaxCohortsPerWindow: a.cfg.Bounds.MaxCohortsPerWindow},
	}
	dp := a.dp
	var rnd *random
	if dp != nil {
		rnd = a.noise.forGroup(w.start, w.end, li, g.key)
		noisy := distinct + dp.sel.sample(rnd)
		if noisy < dp.tau {
			return Record{}, false
		}
		r.Contributors = noisy
		r.Count = max(0, g.count+dp.count.sample(rnd))
		r.Privacy.Mechanism, r.Privacy.Epsilon, r.Privacy.Delta = MechanismGeometric, dp.eps, dp.delta
	}
	if len(l.names) > 0 {
		r.RolledUp = l.names
	}
	*parts = decodeCohortKey(g.key, len(a.cfg.Dimensions), *parts)
	for i, p := range *parts {
		if l.drop[i] {
			continue
		}
		r.Dimensions = append(r.Dimensions, DimensionValue{Name: a.cfg.Dimensions[i].Name, Value: p.value, Present: p.state == dimPresent})
	}
	for i := range a.cfg.Metrics {
		m := &a.cfg.Metrics[i]
		mv := MetricValue{Name: m.Name, Sum: g.vals[2*i], N: int64(g.vals[2*i+1])}
		if len(m.Histogram) > 0 {
			mv.Bounds = m.Histogram
			mv.Histogram = make([]int64, len(m.Histogram)+1)
			for j := range mv.Histogram {
				mv.Histogram[j] = int64(g.hist[a.histO[i]+j])
			}
		}
		if dp != nil {
			mv.N = max(0, mv.N+dp.n[i].sample(rnd))
			mv.Sum = math.Round(mv.Sum) + float64(dp.sum[i].sample(rnd))
			for j := range mv.Histogram {
				mv.Histogram[j] = max(0, mv.Histogram[j]+dp.hist[i].sample(rnd))
			}
		}
		r.Metrics = append(r.Metrics, mv)
	}
	return r, true
}
