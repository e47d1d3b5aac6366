package sampling

import "math"

// ZFor is the two-sided normal quantile for confidence conf (0.95 when
// conf is not in (0, 1)).
func ZFor(conf float64) float64 {
	if conf <= 0 || conf >= 1 {
		conf = 0.95
	}
	return math.Sqrt2 * math.Erfinv(conf)
}

// wilson is Wilson's score interval for a proportion p observed with
// (effective) sample size n.
func wilson(p, n, z float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	z2 := z * z
	den := 1 + z2/n
	c := (p + z2/(2*n)) / den
	h := z / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	lo, hi = c-h, c+h
	if p == 0 {
		lo = 0
	}
	if p == 1 {
		hi = 1
	}
	return max(lo, 0), min(hi, 1)
}

// countInterval turns a stratified estimate of a count (total t with
// variance v over a population of n0 rows, from n judged rows of which pos
// were true and neg false) into a value and a Wilson-type interval at the
// Kish effective sample size, clipped to the hard bounds [pos, n0-neg].
func countInterval(t, v float64, n0, n, pos, neg int, z float64) (val, lo, hi float64) {
	N := float64(n0)
	p := math.Min(math.Max(t/N, 0), 1)
	f := float64(n) / N
	var neff float64
	vp := v / (N * N)
	switch {
	case p > 0 && p < 1 && vp > 0:
		neff = p * (1 - p) / vp
	case f < 1:
		neff = float64(n) / (1 - f)
	default:
		neff = N
	}
	neff = math.Min(math.Max(neff, 1), N*1e6)
	l, h := wilson(p, neff, z)
	val = math.Min(math.Max(p*N, float64(pos)), N-float64(neg))
	lo = math.Max(l*N, float64(pos))
	hi = math.Min(h*N, N-float64(neg))
	lo = math.Min(lo, val)
	hi = math.Max(hi, val)
	return
}
