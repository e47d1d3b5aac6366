package sampling

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/internal/linalg"
)

// plan is what a strategy name means.
type plan struct {
	strata string // "none", "kmeans10", "kmeansb8", "prior", "auto"
	neyman bool   // Neyman allocation after a proportional pilot
	proxy  bool   // cross-fitted difference estimator
	// eqShare overrides pilotEqualShare (0: the default)
	eqShare float64
	// pilot is the share of the budget judged before Neyman allocation;
	// shrink the weight of the equal-S allocation mixed into Neyman's.
	pilot, shrink float64
}

var plans = map[string]plan{
	"exact":         {strata: "none"},
	"uniform":       {strata: "none"},
	"stratified":    {strata: "kmeans10"},
	"stratified-b8": {strata: "kmeansb8"},
	"neyman":        {strata: "kmeans10", neyman: true, pilot: 0.5, shrink: 0.5},
	"prior-neyman":  {strata: "prior", neyman: true, pilot: 0.5, shrink: 0.5},
	"ppi":           {strata: "none", proxy: true},
	"auto":          {strata: "auto", neyman: true, proxy: true, pilot: 0.5, shrink: 0},
}

// Strategies lists the estimator strategies by name (see the package
// documentation).
func Strategies() []string {
	return []string{"exact", "uniform", "stratified", "stratified-b8", "neyman", "prior-neyman", "ppi", "auto"}
}

// clusterSeed seeds the population-level k-means, so that a clustering is
// a property of the population (cacheable like an index), not of a query.
const clusterSeed = 0x5eed

// designFor returns the stratification a plan asks for at this budget.
func (p *Population) designFor(strata string, budget int) (*design, error) {
	hasEmb := p.Emb != nil && len(p.Emb) == p.N && p.N > 0
	hasPrior := p.Prior != nil && len(p.Prior) == p.N
	km := func(k int) *design {
		k = max(1, min(k, budget/2, p.N))
		if k == 1 {
			return p.getDesign("none", nil)
		}
		return p.getDesign(fmt.Sprintf("kmeans:%d", k), func() ([]int32, int) {
			return kmeans(p.Emb, k, clusterSeed), k
		})
	}
	b8 := max(2, min(budget/8, 32))
	switch strata {
	case "none":
		return p.getDesign("none", nil), nil
	case "kmeans10", "kmeansb8":
		if !hasEmb {
			return nil, errs.New(errs.Unsupported, "sampling: this strategy needs row embeddings")
		}
		if strata == "kmeans10" {
			return km(10), nil
		}
		return km(b8), nil
	case "prior":
		if !hasPrior {
			return nil, errs.New(errs.Unsupported, "sampling: this strategy needs a prior score per row")
		}
		if budget < 10 {
			return p.getDesign("none", nil), nil
		}
		return p.getDesign("prior", p.priorStrata), nil
	case "auto":
		switch {
		case hasPrior && hasEmb && budget >= 64:
			k := max(2, min(budget/8, 16))
			return p.getDesign(fmt.Sprintf("hybrid:%d", k), func() ([]int32, int) {
				return p.hybridStrata(k)
			}), nil
		case hasPrior && budget >= 10:
			return p.getDesign("prior", p.priorStrata), nil
		case hasEmb:
			return km(b8), nil
		}
		return p.getDesign("none", nil), nil
	}
	return nil, errs.New(errs.Internal, "sampling: unknown strata %q", strata)
}

// sampler draws rows stratum by stratum without replacement and records
// the oracle's answers.
type sampler struct {
	p     *Population
	d     *design
	rng   *rand.Rand
	swap  []map[int]int32 // sparse Fisher-Yates state per stratum
	taken []int
	rows  []int   // judged rows, in order
	strat []int   // stratum of each judged row
	pos   [][]int // per stratum: indexes into rows
	y     []bool
	// shrink is the weight of the equal-S allocation in neymanWeights
	shrink float64
	// w and den are the per-row values of the aggregate being computed
	// (responses): SUM's and AVG's values, and AVG's denominator mask
	// (nil: every row)
	w, den []float64
}

func newSampler(p *Population, d *design, seed uint64) *sampler {
	h := d.H()
	return &sampler{p: p, d: d, rng: newRand(seed, 0x73616d70), swap: make([]map[int]int32, h),
		taken: make([]int, h), pos: make([][]int, h)}
}

// draw returns m more rows of stratum h (sparse Fisher-Yates).
func (s *sampler) draw(h, m int) []int {
	mem := s.d.members[h]
	n := len(mem)
	if s.swap[h] == nil {
		s.swap[h] = map[int]int32{}
	}
	sw := s.swap[h]
	at := func(j int) int32 {
		if v, ok := sw[j]; ok {
			return v
		}
		return mem[j]
	}
	out := make([]int, 0, m)
	for c := 0; c < m && s.taken[h] < n; c++ {
		i := s.taken[h]
		j := i + s.rng.IntN(n-i)
		vi, vj := at(i), at(j)
		sw[j] = vi
		sw[i] = vj
		out = append(out, int(vj))
		s.taken[h]++
	}
	return out
}

// judge asks the oracle about rows (all from stratum h lists) and records
// the answers.
func (s *sampler) judge(ctx context.Context, oracle Oracle, rows []int, strat []int) error {
	if len(rows) == 0 {
		return nil
	}
	ys, err := oracle(ctx, rows)
	if err != nil {
		return err
	}
	if len(ys) != len(rows) {
		return errs.New(errs.Internal, "sampling: oracle returned %d verdicts for %d rows", len(ys), len(rows))
	}
	for k, r := range rows {
		s.record(r, strat[k], ys[k])
	}
	return nil
}

// record adds a judged row of stratum h with verdict y to the sample.
func (s *sampler) record(row, h int, y bool) {
	s.pos[h] = append(s.pos[h], len(s.rows))
	s.rows = append(s.rows, row)
	s.strat = append(s.strat, h)
	s.y = append(s.y, y)
}

// judgeRound judges a round's rows (strat: each row's stratum). With
// chunk > 0 it asks the oracle about chunk rows at a time, taking rows
// from the strata in turn (the first chunk holds at least one row of
// every stratum of the round), and after an error keeps the verdicts of
// the chunks answered before it: a cancelled query's partial estimate
// uses them. Judged rows are recorded in the round's order either way, so
// a whole round is recorded exactly as by judge.
func (s *sampler) judgeRound(ctx context.Context, oracle Oracle, rows, strat []int, chunk int) error {
	if chunk <= 0 || len(rows) <= chunk {
		return s.judge(ctx, oracle, rows, strat)
	}
	// round-robin over the strata, in order of first appearance
	var lists [][]int
	at := map[int]int{}
	for k, h := range strat {
		j, ok := at[h]
		if !ok {
			j = len(lists)
			at[h] = j
			lists = append(lists, nil)
		}
		lists[j] = append(lists[j], k)
	}
	order := make([]int, 0, len(rows))
	for depth := 0; len(order) < len(rows); depth++ {
		for _, l := range lists {
			if depth < len(l) {
				order = append(order, l[depth])
			}
		}
	}
	verdict := make([]int8, len(rows)) // 0 unknown, 1 false, 2 true
	var err error
	for from := 0; from < len(order); {
		size := chunk
		if from == 0 {
			size = max(chunk, len(lists))
		}
		part := order[from:min(len(order), from+size)]
		sub := make([]int, len(part))
		for i, k := range part {
			sub[i] = rows[k]
		}
		ys, e := oracle(ctx, sub)
		if e == nil && len(ys) != len(sub) {
			e = errs.New(errs.Internal, "sampling: oracle returned %d verdicts for %d rows", len(ys), len(sub))
		}
		if e != nil {
			err = e
			break
		}
		for i, k := range part {
			verdict[k] = 1
			if ys[i] {
				verdict[k] = 2
			}
		}
		from += len(part)
	}
	for k, r := range rows {
		if verdict[k] != 0 {
			s.record(r, strat[k], verdict[k] == 2)
		}
	}
	return err
}

// covered reports whether every non-empty stratum has a judged row (a
// stratified estimate then exists).
func (s *sampler) covered() bool {
	if len(s.rows) == 0 {
		return false
	}
	for h := range s.d.members {
		if len(s.d.members[h]) > 0 && len(s.pos[h]) == 0 {
			return false
		}
	}
	return true
}

// allocate returns cumulative per-stratum sample sizes summing to m (or to
// the population if smaller), proportional to w, never below cur (rows
// already drawn) nor below lo, never above the stratum sizes.
func allocate(m int, w []float64, cur, lo, capN []int) []int {
	H := len(w)
	out := make([]int, H)
	floor := make([]int, H)
	total := 0
	for h := range w {
		floor[h] = max(cur[h], min(lo[h], capN[h]))
		total += capN[h]
	}
	m = min(m, total)
	fixed := make([]bool, H)
	x := make([]float64, H)
	for iter := 0; iter <= H; iter++ {
		rem := float64(m)
		sw := 0.0
		free := 0
		for h := range w {
			if fixed[h] {
				rem -= float64(out[h])
			} else {
				sw += w[h]
				free++
			}
		}
		if free == 0 {
			break
		}
		changed := false
		for h := range w {
			if fixed[h] {
				continue
			}
			if sw > 0 {
				x[h] = rem * w[h] / sw
			} else {
				x[h] = rem / float64(free)
			}
			if x[h] < float64(floor[h]) {
				out[h], fixed[h], changed = floor[h], true, true
			} else if x[h] > float64(capN[h]) {
				out[h], fixed[h], changed = capN[h], true, true
			}
		}
		if !changed {
			break
		}
	}
	// round the free strata by largest remainder
	sum := 0
	type fr struct {
		h int
		f float64
	}
	var frs []fr
	for h := range w {
		if !fixed[h] {
			out[h] = int(math.Floor(x[h]))
			frs = append(frs, fr{h, x[h] - math.Floor(x[h])})
		}
		sum += out[h]
	}
	slices.SortStableFunc(frs, func(a, b fr) int {
		switch {
		case a.f > b.f:
			return -1
		case a.f < b.f:
			return 1
		}
		return a.h - b.h
	})
	for k := 0; sum < m && k < len(frs); k++ {
		if h := frs[k].h; out[h] < capN[h] {
			out[h]++
			sum++
		}
	}
	// any shortfall (caps) goes to strata with room, in order
	for h := 0; sum < m && h < H; h++ {
		for out[h] < capN[h] && sum < m {
			out[h]++
			sum++
		}
	}
	// any excess (floors above a proportional share) comes off the largest
	// strata above their floors
	for sum > m {
		best := -1
		for h := range out {
			if out[h] > floor[h] && (best < 0 || out[h] > out[best]) {
				best = h
			}
		}
		if best < 0 {
			break
		}
		out[best]--
		sum--
	}
	return out
}

// resp is a per-judged-row response vector.
type resp []float64

// fit is the outcome of the estimator for one response: the total, and the
// per-row residuals whose stratified variance is the estimator's variance.
type fit struct {
	total float64
	resid []float64
}

// estimateTotals runs the (difference) estimator for each response over
// the current sample.
func (s *sampler) estimateTotals(rs []resp, useProxy bool) []fit {
	H := s.d.H()
	var g [][]float64
	var pop [][]float64
	if useProxy {
		g, pop = s.proxy(rs)
	}
	out := make([]fit, len(rs))
	for r, y := range rs {
		beta := 0.0
		if g != nil {
			// pooled within-stratum regression of y on g
			var sxy, sxx float64
			for h := 0; h < H; h++ {
				ps := s.pos[h]
				if len(ps) < 2 {
					continue
				}
				var my, mg float64
				for _, i := range ps {
					my += y[i]
					mg += g[r][i]
				}
				my /= float64(len(ps))
				mg /= float64(len(ps))
				for _, i := range ps {
					sxy += (y[i] - my) * (g[r][i] - mg)
					sxx += (g[r][i] - mg) * (g[r][i] - mg)
				}
			}
			if sxx > 1e-12 {
				beta = math.Min(math.Max(sxy/sxx, 0), 1.5)
			}
		}
		e := make([]float64, len(y))
		t := 0.0
		for h := 0; h < H; h++ {
			ps := s.pos[h]
			Nh := float64(len(s.d.members[h]))
			if len(ps) == 0 {
				continue
			}
			var me float64
			for _, i := range ps {
				e[i] = y[i]
				if beta != 0 {
					e[i] -= beta * g[r][i]
				}
				me += e[i]
			}
			me /= float64(len(ps))
			t += Nh * me
			if beta != 0 {
				t += beta * pop[r][h]
			}
		}
		out[r] = fit{total: t, resid: e}
	}
	return out
}

// variance is the stratified variance of a total estimated from per-row
// residuals e (with the finite-population correction). A stratum with one
// judged row borrows the pooled within-stratum variance.
func (s *sampler) variance(e []float64) float64 { return s.varianceFloor(e, nil, 0) }

// varianceFloor is variance with, when y (binary responses) is given, the
// variance of each stratum whose sample saw no true row (or only true rows)
// at least share × the binomial variance of its rate smoothed towards the
// pooled rate by one pseudo-observation: such a stratum still contributes,
// which keeps the interval honest when true rows are few. The floor applies
// only while fewer than floorMinority true (or false) rows have been seen.
func (s *sampler) varianceFloor(e, y []float64, share float64) float64 {
	H := s.d.H()
	var pool float64
	if y != nil {
		for _, v := range y {
			pool += v
		}
		if min(pool, float64(len(y))-pool) >= floorMinority {
			y = nil // enough true and false rows: sample variances are reliable
		}
		pool = (pool + 0.5) / (float64(len(y)) + 1)
		if y != nil {
			// the design-weighted rate: the judged rows over-represent the
			// strata the allocation favoured
			var t, n float64
			for h := 0; h < H; h++ {
				ps := s.pos[h]
				if len(ps) == 0 {
					continue
				}
				var m float64
				for _, i := range ps {
					m += y[i]
				}
				Nh := float64(len(s.d.members[h]))
				t += Nh * m / float64(len(ps))
				n += Nh
			}
			if n > 0 {
				pool = (t/n*float64(len(y)) + 0.5) / (float64(len(y)) + 1)
			}
		}
	}
	vars := make([]float64, H)
	var pooledSS float64
	var pooledDF int
	for h := 0; h < H; h++ {
		ps := s.pos[h]
		if len(ps) < 2 {
			vars[h] = -1
			continue
		}
		var m float64
		for _, i := range ps {
			m += e[i]
		}
		m /= float64(len(ps))
		var ss float64
		for _, i := range ps {
			ss += (e[i] - m) * (e[i] - m)
		}
		vars[h] = ss / float64(len(ps)-1)
		pooledSS += ss
		pooledDF += len(ps) - 1
	}
	pooled := 0.0
	if pooledDF > 0 {
		pooled = pooledSS / float64(pooledDF)
	}
	v := 0.0
	for h := 0; h < H; h++ {
		nh := float64(len(s.pos[h]))
		Nh := float64(len(s.d.members[h]))
		if nh == 0 || nh >= Nh {
			continue
		}
		sv := vars[h]
		if sv < 0 {
			sv = pooled
		}
		if y != nil {
			var x float64
			for _, i := range s.pos[h] {
				x += y[i]
			}
			if x == 0 || x == nh { // a degenerate stratum sample
				const a = 1.0
				ph := (x + a*pool) / (nh + a)
				sv = math.Max(sv, share*ph*(1-ph)*nh/math.Max(nh-1, 1))
			}
		}
		v += Nh * Nh * (1 - nh/Nh) * sv / nh
	}
	return v
}

// neymanWeights returns allocation weights N_h·((1−shr)·S_h + shr·S̄) from
// the sample so far, S_h = √(p̄_h(1−p̄_h)) for p̄_h the stratum's rate under
// the prior's calibration fitted to all judged rows (calibrated), never
// the stratum's own pilot: an allocation that gives a stratum more rows
// when its own pilot saw true rows biases the stratum means downwards
// (measured: by up to −36% on the rare predicates of bench/evaluate).
// Without a prior every S_h is the pooled deviation (proportional
// allocation).
func (s *sampler) neymanWeights(y []float64) []float64 {
	H := s.d.H()
	n := float64(len(y))
	if n == 0 {
		return s.propWeights()
	}
	rate := s.calibrated(y)
	var pv float64
	if rate == nil {
		var m float64
		for _, v := range y {
			m += v
		}
		m /= n
		for _, v := range y {
			pv += (v - m) * (v - m)
		}
		pv /= math.Max(n-1, 1)
	}
	S := make([]float64, H)
	var sbar, N float64
	for h := 0; h < H; h++ {
		if rate != nil {
			S[h] = math.Sqrt(rate[h] * (1 - rate[h]))
		} else {
			S[h] = math.Sqrt(pv)
		}
		Nh := float64(len(s.d.members[h]))
		sbar += Nh * S[h]
		N += Nh
	}
	sbar /= N
	w := make([]float64, H)
	sh := s.shrink
	for h := range w {
		w[h] = float64(len(s.d.members[h])) * ((1-sh)*S[h] + sh*sbar)
	}
	return w
}

// calibrated fits q = σ(a + b·z) (z the standardised prior) to the judged
// binary responses y by a few Newton steps with a weak ridge penalty on b
// (the fitted slope is kept ≥ 0) and returns, per stratum, the mean of q
// (the modelled rate of true rows) over (at most 2048 evenly spaced)
// member rows; nil without a prior or with fewer than 4 judged rows.
func (s *sampler) calibrated(y []float64) []float64 {
	pz := s.p.priorZ()
	if pz == nil || len(y) < 4 {
		return nil
	}
	var m float64
	for _, v := range y {
		m += v
	}
	m = (m + 0.5) / (float64(len(y)) + 1)
	a, b := math.Log(m/(1-m)), 0.0
	const lam = 0.5
	for it := 0; it < 25; it++ {
		var ga, gb, haa, hab, hbb float64
		for k, row := range s.rows {
			z := pz[row]
			q := sigmoid(a + b*z)
			r := y[k] - q
			w := q * (1 - q)
			ga += r
			gb += r * z
			haa += w
			hab += w * z
			hbb += w * z * z
		}
		gb -= lam * b
		hbb += lam
		haa += 1e-6
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a += da
		b += db
		if math.Abs(da)+math.Abs(db) < 1e-6 {
			break
		}
	}
	b = math.Max(b, 0)
	rate := make([]float64, s.d.H())
	for h, mem := range s.d.members {
		step := max(1, len(mem)/2048)
		var t float64
		c := 0
		for j := 0; j < len(mem); j += step {
			t += sigmoid(a + b*pz[mem[j]])
			c++
		}
		rate[h] = t / float64(c)
	}
	return rate
}

// pilotWeights mixes proportional allocation with equal allocation per
// stratum (share eq of the latter): the prior's top strata are small but
// hold most of the variance of a rare predicate.
func (s *sampler) pilotWeights(eq float64) []float64 {
	w := s.propWeights()
	var N float64
	for _, x := range w {
		N += x
	}
	H := float64(len(w))
	for h := range w {
		w[h] = (1-eq)*w[h]/N + eq/H
	}
	return w
}

func (s *sampler) propWeights() []float64 {
	w := make([]float64, s.d.H())
	for h := range w {
		w[h] = float64(len(s.d.members[h]))
	}
	return w
}

// targetFirstRound is the first round's size under a target error (at
// most half the budget, at least two rows per stratum), and
// maxAdaptiveRounds the most rounds such a sample takes (each at most
// quadruples the sample, so a few suffice to reach any budget).
const (
	targetFirstRound  = 64
	maxAdaptiveRounds = 12
)

// floorMinority: the variance floor applies only while fewer than this
// many true (or false) rows have been judged.
const floorMinority = 15

// pilotEqualShare is the share of equal allocation in the pilot over strata
// cut from the prior (see pilotWeights).
const pilotEqualShare = 0.7

// proxyMinMinority: a COUNT uses the difference estimator only once this
// many true and this many false rows have been judged; before that the
// cross-fitted proxy is too noisy and adds variance (measured on rare
// predicates whose sample is dominated by one class).
const proxyMinMinority = 20

// countFloorProxy is the share of the smoothed binomial variance kept as a
// floor under the difference estimator's residual variance.
const countFloorProxy = 0.5

type aggKind int

const (
	aggCount aggKind = iota
	aggSum
	aggAvg
)

// EstimateCount estimates how many rows of p the oracle would judge true,
// judging at most budget rows, with a conf (e.g. 0.95) interval. strategy
// "" means "auto". progress, if not nil, receives the running estimate
// after every sampling round.
func EstimateCount(ctx context.Context, p *Population, oracle Oracle, budget int, strategy string, conf float64, seed uint64, progress func(Estimate)) (Estimate, error) {
	return Count(ctx, p, oracle, budget, Options{Strategy: strategy, Conf: conf, Seed: seed, Progress: progress})
}

// EstimateSum estimates the sum of p.Weight over the rows the oracle would
// judge true.
func EstimateSum(ctx context.Context, p *Population, oracle Oracle, budget int, strategy string, conf float64, seed uint64, progress func(Estimate)) (Estimate, error) {
	return Sum(ctx, p, oracle, budget, Options{Strategy: strategy, Conf: conf, Seed: seed, Progress: progress})
}

// EstimateAvg estimates the average of p.Weight over the rows the oracle
// would judge true (a ratio estimator). Value is NaN when no judged row is
// true.
func EstimateAvg(ctx context.Context, p *Population, oracle Oracle, budget int, strategy string, conf float64, seed uint64, progress func(Estimate)) (Estimate, error) {
	return Avg(ctx, p, oracle, budget, Options{Strategy: strategy, Conf: conf, Seed: seed, Progress: progress})
}

// Count is EstimateCount with Options (online aggregation: TargetRelErr,
// Rounds).
func Count(ctx context.Context, p *Population, oracle Oracle, budget int, o Options) (Estimate, error) {
	return estimate(ctx, p, oracle, budget, aggCount, o)
}

// Sum is EstimateSum with Options.
func Sum(ctx context.Context, p *Population, oracle Oracle, budget int, o Options) (Estimate, error) {
	return estimate(ctx, p, oracle, budget, aggSum, o)
}

// Avg is EstimateAvg with Options.
func Avg(ctx context.Context, p *Population, oracle Oracle, budget int, o Options) (Estimate, error) {
	return estimate(ctx, p, oracle, budget, aggAvg, o)
}

func estimate(ctx context.Context, p *Population, oracle Oracle, budget int, kind aggKind, o Options) (Estimate, error) {
	if p != nil && kind != aggCount && len(p.Weight) != p.N {
		return Estimate{}, errs.New(errs.Usage, "sampling: SUM/AVG need a weight per row")
	}
	var w []float64
	if p != nil {
		w = p.Weight
	}
	es, err := estimateMany(ctx, p, oracle, budget, []spec{{kind: kind, w: w}}, o)
	if err != nil {
		return Estimate{}, err
	}
	return es[0], nil
}

// spec is one aggregate of estimateMany: its kind, per-row values w (SUM,
// AVG) and AVG's denominator mask den (nil: every row).
type spec struct {
	kind   aggKind
	w, den []float64
}

// Agg is one aggregate of Many: Kind "count" (rows judged true), "sum"
// (Σ Weight over them) or "avg" (Weight's mean over those of them with
// Has true; Has nil: all).
type Agg struct {
	Kind   string
	Weight []float64
	Has    []bool
}

// Many estimates several aggregates over the rows the oracle judges true
// from one shared sample (each row judged once for all): allocation,
// progress and TargetRelErr follow the first aggregate; every estimate
// has its own interval.
func Many(ctx context.Context, p *Population, oracle Oracle, budget int, aggs []Agg, o Options) ([]Estimate, error) {
	if len(aggs) == 0 {
		return nil, errs.New(errs.Usage, "sampling: no aggregate")
	}
	specs := make([]spec, len(aggs))
	for i, a := range aggs {
		switch a.Kind {
		case "count":
			specs[i].kind = aggCount
		case "sum":
			specs[i].kind = aggSum
		case "avg":
			specs[i].kind = aggAvg
		default:
			return nil, errs.New(errs.Usage, "sampling: unknown aggregate %q", a.Kind)
		}
		if specs[i].kind != aggCount && (p == nil || len(a.Weight) != p.N) {
			return nil, errs.New(errs.Usage, "sampling: %s needs a value per row", a.Kind)
		}
		specs[i].w = a.Weight
		if a.Has != nil {
			if p == nil || len(a.Has) != p.N {
				return nil, errs.New(errs.Usage, "sampling: Has needs a flag per row")
			}
			specs[i].den = make([]float64, len(a.Has))
			for j, h := range a.Has {
				if h {
					specs[i].den[j] = 1
				}
			}
		}
	}
	return estimateMany(ctx, p, oracle, budget, specs, o)
}

func estimateMany(ctx context.Context, p *Population, oracle Oracle, budget int, specs []spec, o Options) ([]Estimate, error) {
	if p == nil || p.N < 0 || oracle == nil {
		return nil, errs.New(errs.Usage, "sampling: no population or oracle")
	}
	if budget < 0 {
		return nil, errs.New(errs.Usage, "sampling: negative budget %d", budget)
	}
	kind := specs[0].kind
	name := o.Strategy
	if name == "" {
		name = "auto"
	}
	pl, ok := plans[name]
	if !ok {
		return nil, errs.New(errs.Usage, "sampling: unknown strategy %q (want one of %v)", name, Strategies())
	}
	exact := budget >= p.N
	if name == "exact" && !exact {
		return nil, errs.New(errs.BudgetExceeded, "sampling: the exact answer needs %d rows judged, over the budget of %d", p.N, budget)
	}
	if p.N == 0 {
		out := make([]Estimate, len(specs))
		for i, sp := range specs {
			out[i] = Estimate{Exact: true, Strategy: "exact"}
			if sp.kind == aggAvg {
				out[i].Value, out[i].Low, out[i].High = math.NaN(), math.NaN(), math.NaN()
			}
		}
		return out, nil
	}
	if budget == 0 {
		// with no judged row any interval would be invented
		return nil, errs.New(errs.BudgetExceeded, "sampling: a budget of 0 rows judged gives no estimate over %d rows; at least 1 is needed", p.N)
	}
	var d *design
	var err error
	if exact {
		pl = plans["uniform"]
		name = "exact"
		budget = p.N
		d = p.getDesign("none", nil)
	} else {
		d, err = p.designFor(pl.strata, budget)
		if err != nil {
			return nil, err
		}
	}
	s := newSampler(p, d, o.Seed)
	s.shrink = pl.shrink
	s.w, s.den = specs[0].w, specs[0].den
	z := ZFor(o.conf())
	R := o.rounds()
	H := d.H()
	capN, lo := d.bounds(budget)
	// cumulative targets
	targets := make([]int, R)
	first := 0
	if pl.neyman && R > 1 {
		first = max(int(pl.pilot*float64(budget)), 2*H)
	}
	for r := 0; r < R; r++ {
		t := budget * (r + 1) / R
		if pl.neyman && R > 1 {
			t = first + (budget-first)*r/(R-1)
		}
		targets[r] = min(t, budget)
	}
	// With a target error (and no fixed number of rounds) the rounds are
	// sequential: a small first round, then each round sized from the
	// rows the last interval predicts the target needs (half-width ∝
	// 1/√n), so that an easy target stops after few rows instead of
	// after a pilot of half the budget.
	adaptive := o.TargetRelErr > 0 && o.Rounds == 0
	if adaptive {
		R = maxAdaptiveRounds
		targets = make([]int, R)
		targets[0] = min(budget, max(2*H, min(targetFirstRound, budget/2)))
	}
	var last Estimate
	have := false
	for r := 0; r < R; r++ {
		if err := ctx.Err(); err != nil {
			if have || s.covered() {
				return s.results(specs, pl.proxy, z, name, true, nil), nil
			}
			return nil, cancelled(err)
		}
		var w []float64
		switch {
		case pl.neyman && r > 0:
			w = s.neymanWeights(s.responses(kind)[0])
		case pl.neyman && (d.key == "prior" || strings.HasPrefix(d.key, "hybrid:")):
			eq := pilotEqualShare
			if pl.eqShare > 0 {
				eq = pl.eqShare
			}
			w = s.pilotWeights(eq)
		default:
			w = s.propWeights()
		}
		alloc := allocate(targets[r], w, s.taken, lo, capN)
		var rows, strat []int
		for h := range alloc {
			for _, row := range s.draw(h, alloc[h]-s.taken[h]) {
				rows = append(rows, row)
				strat = append(strat, h)
			}
		}
		if err := s.judgeRound(ctx, oracle, rows, strat, o.Chunk); err != nil {
			if ctx.Err() != nil && (have || s.covered()) {
				return s.results(specs, pl.proxy, z, name, true, nil), nil
			}
			if ctx.Err() != nil {
				return nil, cancelled(err)
			}
			return nil, err
		}
		final := r == R-1 || len(s.rows) >= budget || len(s.rows) >= p.N
		full := final || o.Progress != nil || o.TargetRelErr > 0
		last = s.result(kind, pl.proxy && full, z, full)
		last.Strategy = name
		have = true
		if o.Progress != nil && !final {
			o.Progress(last)
		}
		if final {
			break
		}
		if o.TargetRelErr > 0 && !math.IsNaN(last.Value) && last.Value != 0 &&
			(last.High-last.Low)/2 <= o.TargetRelErr*math.Abs(last.Value) {
			break
		}
		if adaptive {
			n := len(s.rows)
			need := 2 * n
			if hw := (last.High - last.Low) / 2; !math.IsNaN(last.Value) && last.Value != 0 && hw > 0 {
				rel := hw / math.Abs(last.Value)
				need = int(math.Ceil(1.1 * float64(n) * (rel / o.TargetRelErr) * (rel / o.TargetRelErr)))
			}
			targets[r+1] = min(budget, n+max(2*H, min(need-n, 3*n)))
		}
	}
	// the loop's last estimate is already the first aggregate's final one
	// (its last round computed the full interval)
	out := s.results(specs, pl.proxy, z, name, false, &last)
	if o.Progress != nil {
		o.Progress(out[0])
	}
	return out, nil
}

// results computes every aggregate's final estimate from the sample (the
// first from the values it was sampled with, or first when given); exact
// when every row was judged.
func (s *sampler) results(specs []spec, proxy bool, z float64, name string, partial bool, first *Estimate) []Estimate {
	out := make([]Estimate, len(specs))
	for i, sp := range specs {
		s.w, s.den = sp.w, sp.den
		var e Estimate
		if i == 0 && first != nil {
			e = *first
		} else {
			e = s.result(sp.kind, proxy, z, true)
		}
		e.Strategy, e.Partial = name, partial
		if len(s.rows) == s.p.N {
			e.Exact = true
			e.Low, e.High = e.Value, e.Value
		}
		out[i] = e
	}
	s.w, s.den = specs[0].w, specs[0].den
	return out
}

// responses returns the per-row responses of the aggregate: y for COUNT,
// y·w for SUM, both for AVG.
func (s *sampler) responses(kind aggKind) []resp {
	y := make(resp, len(s.rows))
	for i, b := range s.y {
		if b {
			y[i] = 1
		}
	}
	if kind == aggCount {
		return []resp{y}
	}
	z := make(resp, len(s.rows))
	for i, r := range s.rows {
		z[i] = y[i] * s.w[r]
	}
	if kind == aggSum {
		return []resp{z}
	}
	if s.den != nil {
		for i, r := range s.rows {
			y[i] *= s.den[r]
		}
	}
	return []resp{z, y}
}

// result computes the estimate of the aggregate from the sample so far.
// full asks for the final interval (the posterior one for COUNT); without
// it the interval is the cheaper normal approximation.
func (s *sampler) result(kind aggKind, useProxy bool, z float64, full bool) Estimate {
	rs := s.responses(kind)
	est := Estimate{Judged: len(s.rows)}
	pos := 0
	for _, b := range s.y {
		if b {
			pos++
		}
	}
	if kind == aggCount && useProxy && min(pos, len(s.rows)-pos) < proxyMinMinority {
		useProxy = false
	}
	fits := s.estimateTotals(rs, useProxy)
	switch kind {
	case aggCount:
		v := s.countVariance(fits[0].resid, rs[0], useProxy)
		est.Value, est.Low, est.High = countInterval(fits[0].total, v, s.p.N, len(s.rows), pos, len(s.rows)-pos, z)
	case aggSum:
		t := fits[0].total
		h := z * math.Sqrt(s.variance(fits[0].resid))
		est.Value, est.Low, est.High = t, t-h, t+h
	case aggAvg:
		tz, ty := fits[0].total, fits[1].total
		if ty <= 0 {
			est.Value, est.Low, est.High = math.NaN(), math.NaN(), math.NaN()
			break
		}
		R := tz / ty
		u := make([]float64, len(s.rows))
		for i := range u {
			u[i] = fits[0].resid[i] - R*fits[1].resid[i]
		}
		h := z * math.Sqrt(s.variance(u)) / ty
		est.Value, est.Low, est.High = R, R-h, R+h
	}
	return est
}

// countModelWeight is the number of pseudo-observations of the model
// variance mixed into each stratum's sample variance by countVariance.
// Measured in bench/evaluate (400 seeds, B = 64..256, noise 0, 210 cells):
// with 4 and the stratum-effect model, 3 cells under-cover and 7-10
// over-cover, against 12 and 9 with the earlier floor on degenerate strata
// only; 1-2 pseudo-observations under-cover more, and the model alone (the
// larger of the two variances) over-covers in 57 cells.
const countModelWeight = 4.0

// countVariance is the stratified variance of a COUNT estimated from the
// per-row residuals e of binary responses y. Each stratum's sample
// variance is combined with a model variance p̄_h(1−p̄_h), p̄_h the
// stratum's rate under a logistic model of the prior with a shrunken
// per-stratum effect fitted to the judged rows (stratumRates), as
// countModelWeight pseudo-observations:
// a stratum whose few judged rows happen to be all false (or all true)
// keeps the variance the model expects of it, and a stratum of one judged
// row has one (for strata of fewer than smallMax rows, the larger of that
// rate and the prior-only calibration's). Under the difference estimator the model variance is scaled
// by the share of y's within-stratum variance the residuals keep, and the
// whole by n/(n − d − 1) for the d proxy features (cross-fitted residuals
// of a fit on a hundred rows still understate the variance by about the
// degrees of freedom the fit used). Without a prior it is varianceFloor.
func (s *sampler) countVariance(e, y []float64, proxy bool) float64 {
	rate := s.stratumRates(y)
	prate := s.calibrated(y)
	if rate == nil {
		share := 1.0
		if proxy {
			share = countFloorProxy
		}
		return s.varianceFloor(e, y, share)
	}
	H := s.d.H()
	within := func(x []float64) (ss float64) {
		for h := 0; h < H; h++ {
			ps := s.pos[h]
			if len(ps) < 2 {
				continue
			}
			var m float64
			for _, i := range ps {
				m += x[i]
			}
			m /= float64(len(ps))
			for _, i := range ps {
				ss += (x[i] - m) * (x[i] - m)
			}
		}
		return
	}
	r := 1.0
	if sse := within(e); sse > 0 {
		if ssy := within(y); ssy > 0 {
			r = math.Min(1, sse/ssy)
		}
	}
	// the cross-fitted proxy's residuals understate the variance by about
	// the degrees of freedom its fit uses
	dfc := 1.0
	if proxy {
		n := float64(len(s.rows))
		k := float64(s.p.featDim() + 1)
		dfc = n / math.Max(n-k, n/2)
	}
	v := 0.0
	for h := 0; h < H; h++ {
		ps := s.pos[h]
		nh := float64(len(ps))
		Nh := float64(len(s.d.members[h]))
		if nh == 0 || nh >= Nh {
			continue
		}
		q := rate[h]
		if prate != nil && len(ps) < smallMax {
			// few rows: the stratum's own outcome must not lower its model
			q = math.Max(q, prate[h])
		}
		m := q * (1 - q) * r
		sv := m
		if len(ps) >= 2 {
			var mu, ss float64
			for _, i := range ps {
				mu += e[i]
			}
			mu /= nh
			for _, i := range ps {
				ss += (e[i] - mu) * (e[i] - mu)
			}
			sv = (ss + countModelWeight*m) / (nh - 1 + countModelWeight)
		}
		sv *= dfc
		v += Nh * Nh * (1 - nh/Nh) * sv / nh
	}
	return v
}

// stratumModelRidge is the ridge penalty on the per-stratum effects of
// stratumRates (the inverse variance of a normal random effect on the
// logit scale). Measured in bench/evaluate (400 seeds, B = 64..256, 210
// cells per noise level), cells under 91% / over 99% coverage: ridge 1:
// 3/10 at noise 0, 4/0 at noise 0.05; 0.5: 3/7 and 4/0; 0.3: 5/4; 0.1:
// 16/1 and 7/0 (strata effects fitted too freely from a few rows).
const stratumModelRidge = 0.5

// stratumRates fits q = σ(a + b·z + u_h) to the judged binary responses y
// (z the standardised prior; u_h a per-stratum effect with a ridge penalty
// stratumModelRidge, i.e. a random effect shrunk towards the prior's
// calibration) by Newton's method, and returns per stratum the mean of q
// over (at most 2048 evenly spaced) member rows: the modelled rate of true
// rows in each stratum, borrowing strength from the prior and from the
// other strata where the stratum's own sample is small, and following the
// strata where they separate true rows better than the prior does (k-means
// clusters of a topic). nil without a prior or with fewer than 4 judged
// rows.
func (s *sampler) stratumRates(y []float64) []float64 {
	pz := s.p.priorZ()
	if pz == nil || len(y) < 4 {
		return nil
	}
	H := s.d.H()
	P := 2 + H
	var m float64
	for _, v := range y {
		m += v
	}
	m = (m + 0.5) / (float64(len(y)) + 1)
	th := make([]float64, P)
	th[0] = math.Log(m / (1 - m))
	g := make([]float64, P)
	hs := make([]float64, P*P)
	for it := 0; it < 30; it++ {
		clear(g)
		clear(hs)
		for k, row := range s.rows {
			z := pz[row]
			h := s.strat[k]
			q := sigmoid(th[0] + th[1]*z + th[2+h])
			r := y[k] - q
			w := q * (1 - q)
			x := [3]float64{1, z, 1}
			idx := [3]int{0, 1, 2 + h}
			for a := range 3 {
				g[idx[a]] += r * x[a]
				for b := range 3 {
					hs[idx[a]*P+idx[b]] += w * x[a] * x[b]
				}
			}
		}
		pen := func(j int, lam float64) {
			g[j] -= lam * th[j]
			hs[j*P+j] += lam
		}
		pen(0, 1e-6)
		pen(1, 0.5)
		for h := 0; h < H; h++ {
			pen(2+h, stratumModelRidge)
		}
		if !linalg.Cholesky(hs, P) {
			break
		}
		linalg.CholSolve(hs, P, g)
		var step float64
		for j := range th {
			th[j] += g[j]
			step += math.Abs(g[j])
		}
		if step < 1e-6 {
			break
		}
	}
	th[1] = math.Max(th[1], 0)
	rate := make([]float64, H)
	for h, mem := range s.d.members {
		stp := max(1, len(mem)/2048)
		var t float64
		c := 0
		for j := 0; j < len(mem); j += stp {
			t += sigmoid(th[0] + th[1]*pz[mem[j]] + th[2+h])
			c++
		}
		rate[h] = t / float64(c)
	}
	return rate
}

// smallMax: countVariance takes, for a stratum of fewer judged rows than
// this, the larger of the stratum model's rate and the prior-only
// calibration's, so that a few judged rows that happen to be all false do
// not lower their own stratum's model variance (which made the variance
// smallest exactly when the estimate was low). Measured in bench/evaluate
// (400 seeds, B = 64..256, 210 cells per noise level), cells under 91% /
// over 99% coverage: without it 3/7 at noise 0 and 4/0 at noise 0.05; with
// 5: 2/7 and 3/0; with 8: 2/9 and 3/1.
const smallMax = 5
