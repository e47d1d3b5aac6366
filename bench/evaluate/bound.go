package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/uqe-dev/uqe/internal/linalg"
)

// boundLabels are the label counts of -bound's learning curve: the
// strata design (10 strata) with a proxy fitted to m random rows' labels,
// averaged over boundSeeds draws.
var boundLabels = [4]int{64, 128, 256, 1024}

const boundSeeds = 5

var boundTau, boundLambda = 0.0, 1.0

// boundFolds is the number of folds of the cross-fitted proxy in bound.
const boundFolds = 5

// boundRow is what -bound measures for one predicate.
type boundRow struct {
	name       string
	rare, long bool
	rate, auc  float64 // the true rate; the AUC of the cross-fitted proxy f
	// SD ratios to uniform at n: 10 and 32 strata on f, Poisson sampling;
	// curve: 10 strata on a proxy from boundLabels[k] random labels
	strata, strata32, poisson float64
	curve                     [len(boundLabels)]float64
	yield                     float64 // LIMIT 50 @ 256 in f's order
}

// computeBound measures how far below uniform sampling a COUNT estimator
// could get at budget n if it knew a proxy learned from every row's label
// (not from the n it judges): a ridge linear-probability model on the row
// embedding and the prior, cross-fitted over boundFolds folds so that no
// row's proxy value saw its own label. Designs that use that proxy f:
// (strata) H strata of equal size on f, Neyman allocation with the true
// within-stratum deviations of y − f, and the difference estimator;
// (poisson) sampling probabilities ∝ √(f(1−f)) with the difference
// estimator (Hansen-Hurwitz variance). Each figure is the ratio of the
// design's standard deviation to uniform sampling's at the same n (with
// the finite-population correction): what the mean relative error ratio
// is when both estimates are near normal. The learning curve replaces f
// by a proxy fitted to m random rows' labels (as if m extra labels were
// free). An estimator that learns its proxy and its allocation from the n
// rows it judges should not be expected to beat these: they are bounds
// for the features, not for a method. yield is a LIMIT 50 search at a
// budget of 256 that judges rows in f's order.
func computeBound(p *pred, n int, ridge float64) boundRow {
	f := crossFitLPM(p, ridge)
	y := make([]float64, len(p.label))
	for i, b := range p.label {
		if b {
			y[i] = 1
		}
	}
	N := float64(len(y))
	rate := 0.0
	for _, v := range y {
		rate += v
	}
	rate /= N
	fpc := 1 - float64(n)/N
	vu := N * N * fpc * rate * (1 - rate) * N / (N - 1) / float64(n)
	r := boundRow{name: p.def.name, rare: p.rare, long: p.def.long, rate: rate, auc: auc(f, p.label),
		strata:   math.Sqrt(strataVar(f, y, 10, n) / vu),
		strata32: math.Sqrt(strataVar(f, y, 32, n) / vu),
		poisson:  math.Sqrt(poissonVar(f, y, n) * fpc / vu),
		yield:    rankYield(f, p.label, 50, 256)}
	for k, m := range boundLabels {
		var acc float64
		for seed := 0; seed < boundSeeds; seed++ {
			g := subsetLPM(p, ridge, m, uint64(seed))
			if boundTau > 0 {
				g = subsetKernel(p, m, uint64(seed), boundTau, boundLambda)
			}
			acc += math.Sqrt(strataVar(g, y, 10, n) / vu)
		}
		r.curve[k] = acc / boundSeeds
	}
	return r
}

// bound prints computeBound's figures per predicate, with geometric means
// per class.
func bound(ps []*pred, n int, ridge float64) {
	fmt.Printf("bound at n=%d, ridge %g (SD ratio to uniform; geometric means per class at the end)\n", n, ridge)
	fmt.Printf("%-36s %7s %7s %7s %7s %7s", "predicate", "rate", "AUC f", "strata", "strata32", "poisson")
	for _, m := range boundLabels {
		fmt.Printf(" %7s", fmt.Sprintf("m=%d", m))
	}
	fmt.Printf(" %7s\n", "yield")
	var rows []boundRow
	for _, p := range ps {
		r := computeBound(p, n, ridge)
		rows = append(rows, r)
		fmt.Printf("%-36s %6.1f%% %7.3f %7.2f %7.2f %7.2f", r.name, 100*r.rate, r.auc, r.strata, r.strata32, r.poisson)
		for _, v := range r.curve {
			fmt.Printf(" %7.2f", v)
		}
		fmt.Printf(" %7.2f\n", r.yield)
	}
	for _, rare := range []bool{false, true} {
		g := boundGeo(rows, rare)
		fmt.Printf("%-36s %7s %7s", "geometric mean, "+map[bool]string{false: "common", true: "rare"}[rare], "", "")
		for _, v := range g {
			fmt.Printf(" %7.2f", v)
		}
		fmt.Println()
	}
}

// boundGeo returns the geometric means over one class's rows of strata,
// strata32, poisson and the learning curve, in that order.
func boundGeo(rows []boundRow, rare bool) []float64 {
	var cols [3 + len(boundLabels)][]float64
	for _, r := range rows {
		if r.rare != rare {
			continue
		}
		v := append([]float64{r.strata, r.strata32, r.poisson}, r.curve[:]...)
		for k := range v {
			cols[k] = append(cols[k], v[k])
		}
	}
	out := make([]float64, len(cols))
	for k := range cols {
		out[k] = geo(cols[k])
	}
	return out
}

// strataVar is the variance of the stratified difference estimator of the
// total of y with H equal-size strata on f and Neyman allocation of n rows
// from the true within-stratum deviations of y − f.
func strataVar(f, y []float64, H, n int) float64 {
	idx := make([]int, len(f))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return f[idx[a]] < f[idx[b]] })
	var sumNS, sumNS2 float64
	for h := 0; h < H; h++ {
		lo, hi := h*len(idx)/H, (h+1)*len(idx)/H
		var m float64
		for _, i := range idx[lo:hi] {
			m += y[i] - f[i]
		}
		Nh := float64(hi - lo)
		m /= Nh
		var ss float64
		for _, i := range idx[lo:hi] {
			d := y[i] - f[i] - m
			ss += d * d
		}
		S := math.Sqrt(ss / math.Max(Nh-1, 1))
		sumNS += Nh * S
		sumNS2 += Nh * S * S
	}
	return sumNS*sumNS/float64(n) - sumNS2
}

// poissonVar is the with-replacement variance of the difference estimator
// of the total of y with draw probabilities q ∝ √(f(1−f)) (f clipped to
// [0.005, 0.995]).
func poissonVar(f, y []float64, n int) float64 {
	q := make([]float64, len(f))
	var s float64
	for i, v := range f {
		c := math.Min(math.Max(v, 0.005), 0.995)
		q[i] = math.Sqrt(c * (1 - c))
		s += q[i]
	}
	var a, t float64
	for i := range q {
		q[i] /= s
		r := y[i] - f[i]
		a += r * r / q[i]
		t += r
	}
	return (a - t*t) / float64(n)
}

// crossFitLPM fits, for each of boundFolds folds, a ridge regression of
// the label on [embedding, prior, 1] over the other folds' rows and
// returns its predictions for the fold's rows (clipped to [0, 1]).
func crossFitLPM(p *pred, ridge float64) []float64 {
	N := len(p.label)
	d, feat := lpmFeatures(p)
	fold := func(i int) int { return int(mix(uint64(i)*0x9e3779b97f4a7c15) % boundFolds) }
	xtx := make([][]float64, boundFolds)
	xty := make([][]float64, boundFolds)
	for k := range xtx {
		xtx[k] = make([]float64, d*d)
		xty[k] = make([]float64, d)
	}
	x := make([]float64, d)
	for i := 0; i < N; i++ {
		feat(i, x)
		k := fold(i)
		a := xtx[k]
		for r := 0; r < d; r++ {
			xr := x[r]
			if xr == 0 {
				continue
			}
			row := a[r*d : r*d+r+1]
			for c := range row {
				row[c] += xr * x[c]
			}
		}
		if p.label[i] {
			for r := range x {
				xty[k][r] += x[r]
			}
		}
	}
	w := make([][]float64, boundFolds)
	for k := range w {
		a := make([]float64, d*d)
		b := make([]float64, d)
		for j := range xtx {
			if j == k {
				continue
			}
			for r := 0; r < d; r++ {
				for c := 0; c <= r; c++ {
					a[r*d+c] += xtx[j][r*d+c]
				}
				b[r] += xty[j][r]
			}
		}
		w[k] = ridgeSolve(a, b, d, ridge)
	}
	f := make([]float64, N)
	for i := 0; i < N; i++ {
		feat(i, x)
		var s float64
		for r, v := range x {
			s += v * w[fold(i)][r]
		}
		f[i] = math.Min(math.Max(s, 0), 1)
	}
	return f
}

// lpmFeatures returns the dimension and the feature map [embedding,
// prior, 1] of the bound's linear-probability models.
func lpmFeatures(p *pred) (int, func(i int, x []float64)) {
	d := len(p.pop.Emb[0]) + 2
	return d, func(i int, x []float64) {
		for k, v := range p.pop.Emb[i] {
			x[k] = float64(v)
		}
		x[d-2] = p.pop.Prior[i]
		x[d-1] = 1
	}
}

// ridgeSolve solves (a + ridge·I′)·w = b, where a holds XᵀX in its lower
// triangle (overwritten) and I′ leaves the last (intercept) coordinate
// unpenalised.
func ridgeSolve(a, b []float64, d int, ridge float64) []float64 {
	for r := 0; r < d; r++ {
		for c := 0; c < r; c++ {
			a[c*d+r] = a[r*d+c]
		}
		if r < d-1 {
			a[r*d+r] += ridge
		}
	}
	w := append([]float64(nil), b...)
	if !linalg.Cholesky(a, d) {
		fatalf("bound: the ridge system is not positive definite")
	}
	linalg.CholSolve(a, d, w)
	return w
}

// subsetLPM fits the ridge regression of crossFitLPM to m rows drawn at
// random (seed) and returns its predictions for every row.
func subsetLPM(p *pred, ridge float64, m int, seed uint64) []float64 {
	N := len(p.label)
	d, feat := lpmFeatures(p)
	rng := rand.New(rand.NewPCG(seed, 77))
	rows := rng.Perm(N)[:min(m, N)]
	a := make([]float64, d*d)
	b := make([]float64, d)
	x := make([]float64, d)
	for _, i := range rows {
		feat(i, x)
		for r := 0; r < d; r++ {
			for c := 0; c <= r; c++ {
				a[r*d+c] += x[r] * x[c]
			}
			if p.label[i] {
				b[r] += x[r]
			}
		}
	}
	w := ridgeSolve(a, b, d, ridge)
	f := make([]float64, N)
	for i := 0; i < N; i++ {
		feat(i, x)
		var s float64
		for r, v := range x {
			s += v * w[r]
		}
		f[i] = math.Min(math.Max(s, 0), 1)
	}
	return f
}

// subsetKernel fits, to m random rows' labels, a linear baseline on the
// prior plus kernel ridge regression of the residuals with the kernel
// exp((cos − 1)/tau) over the embeddings, and predicts every row.
func subsetKernel(p *pred, m int, seed uint64, tau, lambda float64) []float64 {
	N := len(p.label)
	rng := rand.New(rand.NewPCG(seed, 77))
	rows := rng.Perm(N)[:min(m, N)]
	// baseline: least squares of y on [prior, 1]
	var sx, sy, sxx, sxy float64
	for _, i := range rows {
		x := p.pop.Prior[i]
		y := 0.0
		if p.label[i] {
			y = 1
		}
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	mm := float64(len(rows))
	b := (sxy - sx*sy/mm) / math.Max(sxx-sx*sx/mm, 1e-12)
	a := (sy - b*sx) / mm
	base := func(i int) float64 { return a + b*p.pop.Prior[i] }
	dot := func(u, v []float32) float64 {
		var s float32
		for k := range u {
			s += u[k] * v[k]
		}
		return float64(s)
	}
	M := len(rows)
	K := make([]float64, M*M)
	for r := 0; r < M; r++ {
		for c := 0; c <= r; c++ {
			v := math.Exp((dot(p.pop.Emb[rows[r]], p.pop.Emb[rows[c]]) - 1) / tau)
			K[r*M+c], K[c*M+r] = v, v
		}
		K[r*M+r] += lambda
	}
	res := make([]float64, M)
	for r, i := range rows {
		y := 0.0
		if p.label[i] {
			y = 1
		}
		res[r] = y - base(i)
	}
	if !linalg.Cholesky(K, M) {
		fatalf("bound: the kernel system is not positive definite")
	}
	alpha := res
	linalg.CholSolve(K, M, alpha)
	f := make([]float64, N)
	for i := 0; i < N; i++ {
		s := base(i)
		for r, j := range rows {
			s += alpha[r] * math.Exp((dot(p.pop.Emb[i], p.pop.Emb[j])-1)/tau)
		}
		f[i] = math.Min(math.Max(s, 0), 1)
	}
	return f
}

// rankYield is the yield (true rows found ÷ rows judged) of judging rows
// in decreasing order of f until k true rows are found or budget rows are
// judged: what a search that knew f from the start would reach.
func rankYield(f []float64, label []bool, k, budget int) float64 {
	idx := make([]int, len(f))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return f[idx[a]] > f[idx[b]] })
	found, judged := 0, 0
	for _, i := range idx {
		if found == k || judged == budget {
			break
		}
		judged++
		if label[i] {
			found++
		}
	}
	return float64(found) / float64(max(judged, 1))
}
