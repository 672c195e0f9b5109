package aggregate

import (
	"math"
	"testing"
)

// chiSquare returns the statistic of draws against the two-sided geometric
// distribution of ratio alpha over the bins -B..B, with both tails lumped
// into the end bins, and the degrees of freedom.
func chiSquare(draws []int64, alpha float64, bins int64) (stat float64, df int) {
	n := float64(len(draws))
	norm := (1 - alpha) / (1 + alpha)
	// The test is only valid where every bin expects a few draws: the tails
	// are pooled from the first |z| whose tail expects fewer than five, or a
	// single far draw would weigh like a failure.
	for bins > 1 && n*norm*math.Pow(alpha, float64(bins))/(1-alpha) < 5 {
		bins--
	}
	obs := make([]float64, 2*bins+1)
	for _, z := range draws {
		z = min(max(z, -bins), bins)
		obs[z+bins]++
	}
	for z := -bins; z <= bins; z++ {
		var p float64
		switch {
		case z == -bins || z == bins:
			p = norm * math.Pow(alpha, float64(bins)) / (1 - alpha) // P(Z >= B)
		default:
			p = norm * math.Pow(alpha, math.Abs(float64(z)))
		}
		e := n * p
		d := obs[z+bins] - e
		stat += d * d / e
	}
	return stat, int(2 * bins)
}

// chiSquareCritical is the Wilson–Hilferty approximation of the chi-square
// quantile with df degrees of freedom at upper tail probability 1e-6
// (standard normal quantile 4.7534).
func chiSquareCritical(df int) float64 {
	k := float64(df)
	a := 2 / (9 * k)
	return k * math.Pow(1-a+4.7534*math.Sqrt(a), 3)
}

func drawN(g geometric, r *random, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = g.sample(r)
	}
	return out
}

// TestGeometricGoodnessOfFit draws from the sampler with crypto/rand and
// checks the draws against the configured distribution: the test fails
// with probability 1e-6 when the sampler is right.
func TestGeometricGoodnessOfFit(t *testing.T) {
	n := 400_000
	if testing.Short() {
		n = 100_000
	}
	for _, c := range []struct{ delta, num, den uint64 }{
		{1, 1, 1},                  // scale 1
		{3, 1, 1},                  // scale 3
		{5, 700_000, 100_000},      // scale 5/7
		{4, 1_000_000, 24_000_000}, // scale 96, a wide one: bins cover ±20 only
	} {
		g, err := newGeometric(c.delta, c.num, c.den)
		if err != nil {
			t.Fatal(err)
		}
		r := newRandom(nil)
		draws := drawN(g, r, n)
		stat, df := chiSquare(draws, g.alpha(), 20)
		crit := chiSquareCritical(df)
		t.Logf("scale %d/%d: chi-square %.1f, df %d, critical %.1f", g.t, g.s, stat, df, crit)
		if stat > crit {
			t.Errorf("scale %d/%d: chi-square %.1f over the 1e-6 critical value %.1f: the noise is not the configured distribution", g.t, g.s, stat, crit)
		}
		var sum float64
		for _, d := range draws {
			sum += float64(d)
		}
		// Symmetric: the mean is 0 within 6 standard errors.
		a := g.alpha()
		sd := math.Sqrt(2 * a / ((1 - a) * (1 - a)))
		if m := sum / float64(n); math.Abs(m) > 6*sd/math.Sqrt(float64(n)) {
			t.Errorf("mean %.4f, sd of the mean %.4f", m, sd/math.Sqrt(float64(n)))
		}
	}
}

// TestGoodnessOfFitRejectsWrongDistribution shows the test above can fail:
// draws of a slightly wider distribution, and of a sampler that counts zero
// twice (the classic bug of folding a one-sided geometric), are rejected.
func TestGoodnessOfFitRejectsWrongDistribution(t *testing.T) {
	const n = 200_000
	want, _ := newGeometric(3, 1, 1)
	wide, _ := newGeometric(33, 1, 10) // scale 3.3 instead of 3
	r := newRandom(seeded(7))
	if stat, df := chiSquare(drawN(wide, r, n), want.alpha(), 20); stat <= chiSquareCritical(df) {
		t.Errorf("a 10%% wider distribution passed: chi-square %.1f, critical %.1f", stat, chiSquareCritical(df))
	}
	doubled := make([]int64, n)
	for i := range doubled {
		// A one-sided geometric magnitude with a fair sign and no
		// rejection of "-0" (floating point is fine in a wrong sampler).
		u := (float64(r.uint64()>>11) + 0.5) / (1 << 53)
		y := int64(math.Floor(math.Log(u) / math.Log(want.alpha())))
		if r.uint64()&1 == 1 {
			y = -y
		}
		doubled[i] = y
	}
	if stat, df := chiSquare(doubled, want.alpha(), 20); stat <= chiSquareCritical(df) {
		t.Errorf("a sampler with zero's mass doubled passed: chi-square %.1f, critical %.1f", stat, chiSquareCritical(df))
	}
}

func TestBernoulliExp(t *testing.T) {
	r := newRandom(seeded(3))
	const n = 200_000
	for _, c := range []struct{ num, den uint64 }{{0, 1}, {1, 1}, {1, 3}, {5, 7}} {
		hits := 0
		for range n {
			if r.bernoulliExp(c.num, c.den) {
				hits++
			}
		}
		p := math.Exp(-float64(c.num) / float64(c.den))
		if d := math.Abs(float64(hits)/n - p); d > 6*math.Sqrt(p*(1-p)/n)+1e-9 {
			t.Errorf("Bernoulli(exp(-%d/%d)): frequency %.5f, want %.5f", c.num, c.den, float64(hits)/n, p)
		}
	}
}

func TestSelectionThreshold(t *testing.T) {
	g, _ := newGeometric(1, 1, 1) // alpha = 1/e
	for _, k := range []int64{1, 10} {
		tau := selectionThreshold(k, g, 1e-6)
		a := g.alpha()
		// P(k + N >= tau) = alpha^(tau-k)/(1+alpha) must be <= delta, and
		// one less must not be.
		if p := math.Pow(a, float64(tau-k)) / (1 + a); p > 1e-6 {
			t.Errorf("k=%d tau=%d: P = %g > delta", k, tau, p)
		}
		if p := math.Pow(a, float64(tau-1-k)) / (1 + a); p <= 1e-6 {
			t.Errorf("k=%d tau=%d is not the smallest: tau-1 gives %g", k, tau, p)
		}
	}
}
