package aggregate

import (
	"math"
)

// dpParams are the noise distributions of a differentially private
// aggregator, one set shared by every rollup level.
//
// Budget: epsilon is split evenly over the rollup levels (a contributor's
// events are in at most one group per level and bound, and which groups
// exist at a level depends on the levels before, so the levels compose
// sequentially), and within a level evenly over the released statistics:
// the noisy contributor count used for selection, the event count, and per
// metric its n, its sum and (if any) its histogram. Each statistic's noise
// has scale sensitivity/ε_statistic, where the sensitivity is the most one
// contributor can change it over all groups of a level (L1): m =
// max_cohorts_per_window for contributor counts, e·m for counts, n and
// histograms (e = max_events_per_cohort), e·m·B for a sum of values
// clamped to [lower, upper] with B = max(|lower|, |upper|) rounded up.
// Delta is split evenly over the levels and over the m groups a contributor
// can make appear (see selectionThreshold).
type dpParams struct {
	eps, delta float64
	sel, count geometric
	n, sum     []geometric
	hist       []geometric
	tau        int64
}

func newDPParams(cfg *Config, levels int) (*dpParams, error) {
	p := cfg.Privacy
	num := uint64(math.Floor(p.Epsilon * epsilonDen))
	mech := 2
	for _, m := range cfg.Metrics {
		mech += 2
		if len(m.Histogram) > 0 {
			mech++
		}
	}
	den := uint64(epsilonDen) * uint64(levels) * uint64(mech)
	m := uint64(cfg.Bounds.MaxCohortsPerWindow)
	em := uint64(cfg.Bounds.MaxEventsPerCohort) * m
	dp := &dpParams{eps: float64(num) / epsilonDen, delta: p.Delta}
	var err error
	if dp.sel, err = newGeometric(m, num, den); err != nil {
		return nil, err
	}
	if dp.count, err = newGeometric(em, num, den); err != nil {
		return nil, err
	}
	for _, mt := range cfg.Metrics {
		b := uint64(math.Ceil(math.Max(math.Abs(*mt.Lower), math.Abs(*mt.Upper))))
		s, err := newGeometric(em*max(b, 1), num, den)
		if err != nil {
			return nil, err
		}
		dp.sum = append(dp.sum, s)
		dp.n = append(dp.n, dp.count)
		dp.hist = append(dp.hist, dp.count)
	}
	dp.tau = selectionThreshold(int64(cfg.K), dp.sel, p.Delta/float64(uint64(levels)*m))
	return dp, nil
}
