package aggregate

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
)

// epsilonDen is the denominator epsilon is expressed over: epsilon is used
// as the rational floor(epsilon*1e6)/1e6.
const epsilonDen = 1_000_000

// MechanismGeometric names the noise of published records under
// differential privacy: two-sided geometric (discrete Laplace) noise.
const MechanismGeometric = "two_sided_geometric"

// MechanismNone names records published without noise.
const MechanismNone = "none"

// random draws uniform integers from a byte source (crypto/rand by default),
// buffered. Not safe for concurrent use.
type random struct {
	r   io.Reader
	buf [8]byte
	err error
}

func newRandom(r io.Reader) *random {
	if r == nil {
		r = rand.Reader
	}
	return &random{r: bufio.NewReaderSize(r, 4096)}
}

// uint64 returns 64 uniform bits. A failing source (crypto/rand never
// fails on supported systems) sticks as r.err and yields zeros.
func (r *random) uint64() uint64 {
	if r.err != nil {
		return 0
	}
	if _, err := io.ReadFull(r.r, r.buf[:]); err != nil {
		r.err = fmt.Errorf("aggregate: reading randomness: %w", err)
		return 0
	}
	return binary.LittleEndian.Uint64(r.buf[:])
}

// below returns a uniform integer in [0, n), n > 0, by rejection (no modulo
// bias).
func (r *random) below(n uint64) uint64 {
	if n&(n-1) == 0 {
		return r.uint64() & (n - 1)
	}
	limit := -n % n // 2^64 mod n: values below it are rejected
	for {
		x := r.uint64()
		if x >= limit || r.err != nil {
			return x % n
		}
	}
}

// bernoulliRatio returns true with probability num/den, 0 <= num <= den.
func (r *random) bernoulliRatio(num, den uint64) bool {
	return r.below(den) < num
}

// bernoulliExp returns true with probability exp(-num/den) for
// 0 <= num/den <= 1, by the alternating series of Canonne, Kamath and
// Steinke ("The Discrete Gaussian for Differential Privacy", 2020): draw
// A_k ~ Bernoulli(γ/k) for k = 1, 2, ... until one is false; the number of
// trues is even with probability exp(-γ). Bernoulli(γ/k) is drawn as
// Bernoulli(num/den) and Bernoulli(1/k) together, so no product overflows.
func (r *random) bernoulliExp(num, den uint64) bool {
	k := uint64(1)
	for r.bernoulliRatio(num, den) && r.bernoulliRatio(1, k) {
		k++
	}
	return k%2 == 1
}

// geometric is a two-sided geometric (discrete Laplace) distribution:
// P(Z = z) ∝ exp(-|z|·s/t), that is α^|z| with α = exp(-s/t). The noise of
// a value with sensitivity Δ at privacy ε is t/s = Δ/ε.
type geometric struct {
	s, t uint64
}

// newGeometric returns the noise for sensitivity delta at privacy
// epsNum/epsDen: scale t/s = delta·epsDen/epsNum. It fails when the scale
// does not fit the sampler's integers.
func newGeometric(delta, epsNum, epsDen uint64) (geometric, error) {
	hi, lo := bits.Mul64(delta, epsDen)
	if hi != 0 || lo >= 1<<62 || delta == 0 || epsNum == 0 {
		return geometric{}, fmt.Errorf("aggregate: noise scale %d·%d/%d out of range", delta, epsDen, epsNum)
	}
	return geometric{s: epsNum, t: lo}, nil
}

// alpha is the distribution's ratio exp(-s/t), in floating point, for
// thresholds and tests only.
func (g geometric) alpha() float64 { return math.Exp(-float64(g.s) / float64(g.t)) }

// sample draws one value exactly, with integer arithmetic only, by
// Algorithm 2 of Canonne, Kamath and Steinke (2020):
//
//  1. U uniform in {0, ..., t-1}; accept it with probability exp(-U/t),
//     else start over;
//  2. V geometric: the number of successive trues of Bernoulli(exp(-1));
//  3. X = U + t·V is then geometric with P(X = x) ∝ exp(-x/t);
//  4. Y = floor(X/s) is geometric with P(Y = y) ∝ exp(-y·s/t);
//  5. a fair sign B; (B = negative, Y = 0) is rejected so that zero is not
//     counted twice; return ±Y.
//
// Every probability is a ratio of integers or exp(-ratio) drawn by
// bernoulliExp, so the output distribution is exactly the discrete Laplace
// (up to the uniformity of the random source), unlike rounding a
// floating-point Laplace sample, whose low bits leak the true value.
func (g geometric) sample(r *random) int64 {
	for {
		u := r.below(g.t)
		if !r.bernoulliExp(u, g.t) {
			continue
		}
		var v uint64
		for r.bernoulliExp(1, 1) {
			v++
		}
		hi, tv := bits.Mul64(g.t, v)
		x, carry := bits.Add64(tv, u, 0)
		if hi != 0 || carry != 0 || x > math.MaxInt64 {
			continue // probability below exp(-2^62/t): never in practice
		}
		y := x / g.s
		neg := r.uint64()&1 == 1
		if neg && y == 0 {
			continue
		}
		if r.err != nil {
			return 0
		}
		if neg {
			return -int64(y)
		}
		return int64(y)
	}
}

// selectionThreshold returns the smallest integer τ such that a cohort with
// exactly k contributors passes the noisy threshold (true count plus the
// geometric noise g, of ratio α) with probability at most delta:
//
//	P(k + N ≥ τ) = α^(τ-k) / (1+α) ≤ delta  ⇔  τ = k + ⌈ln(1/(delta·(1+α))) / ln(1/α)⌉.
//
// With k = 1 this is the threshold of Google's differential-privacy
// library's partition selection, with geometric instead of Laplace noise. A
// cohort with fewer than k contributors is never published at all, so a
// contributor whose presence decides whether a cohort reaches k changes its
// publication probability by at most delta. Floating point is used here,
// once per configuration, and rounded up (the safe side).
func selectionThreshold(k int64, g geometric, delta float64) int64 {
	a := g.alpha()
	n := math.Log(1/(delta*(1+a))) / (float64(g.s) / float64(g.t))
	if n < 0 {
		n = 0
	}
	return k + int64(math.Ceil(n*(1+1e-12)))
}
