// Package sampling owns uqe's approximate answering under a model budget:
// estimating COUNT, SUM and AVG of a natural-language predicate from a
// sample of judged rows with honest confidence intervals (EstimateCount,
// EstimateSum, EstimateAvg), finding k rows that satisfy a predicate while
// judging few (Search, for LIMIT k), and estimating the distribution of a
// model-assigned label (GroupDistribution, for GROUP BY a phrase).
//
// It works on abstract inputs so that the engine and the evaluation harness
// (bench/evaluate) share it: a Population describes the candidate rows (after
// structured filters) by optional per-row embeddings, lexical features and a
// zero-shot prior score; an Oracle is the model, judging a batch of row
// indices. Nothing here knows about tables, prompts or the model layer.
//
// # Strategies
//
// Estimators are chosen by name (see Strategies). Whatever the strategy, a
// budget of at least N rows judges every row and returns the exact answer
// (Estimate.Exact, Low = High = Value). Otherwise:
//
//   - "uniform": simple random sampling without replacement.
//   - "stratified": the UQE paper's design: K=10 k-means clusters of the
//     embeddings as strata, proportional allocation.
//   - "stratified-b8": the same with K = budget/8 clusters (2..32).
//   - "neyman": K=10 k-means strata; a proportional pilot of half the
//     budget, then the rest allocated by Neyman's rule from the pilot's
//     stratum standard deviations (smoothed towards the pooled one by 8
//     pseudo-observations, then shrunk 50% towards proportional: an
//     allocation that reacts strongly to a small pilot biases the stratum
//     means).
//   - "prior-neyman": strata from quantiles of the zero-shot Prior (the top
//     3%, 3-10%, 10-25%, 25-50% and the bottom half), Neyman allocation as
//     above.
//   - "ppi": uniform sampling with a prediction-powered (difference)
//     estimator: a ridge-regression proxy on the embeddings and the prior,
//     cross-fitted over two folds, its coefficient re-estimated on the
//     sample (so a useless proxy shrinks to the plain mean).
//   - "auto": prior strata (else k-means strata of budget/8 clusters),
//     Neyman allocation from a pilot, and the cross-fitted difference
//     estimator inside the strata. It is the default.
//
// The difference estimator within stratum h is
//
//	T_h = β Σ_{U_h} g(x) + N_h · mean_{s_h}(y − β g(x))
//
// where each judged row's g comes from the fold model not trained on it, and
// the population term mixes the two fold models in the proportions of the
// folds. It is unbiased for any fixed proxy; its variance is that of the
// residuals, so it is no worse than the plain stratified mean when β is 0.
//
// # Intervals
//
// The variance of every estimator is the stratified formula
// Σ N_h² (1 − n_h/N_h) s_h²/n_h (with the finite-population correction).
// For COUNT it is turned into an effective sample size
// n_eff = p̂(1 − p̂)/Var(p̂) (Kish), and the interval is Wilson's score
// interval for p̂ at n_eff, so that it stays inside [0, 1] and is honest for
// rare predicates and small samples; it is then clipped to the hard bounds
// [rows judged true, N − rows judged false]. A stratum whose sample is all
// false (or all true) would contribute no variance; its variance is floored
// at the binomial variance of its rate smoothed towards the pooled rate by
// one pseudo-observation (half of that under the difference estimator),
// while fewer than 15 true (or false) rows have been judged.
// A sample with no true row gives
// 0 with a one-sided Wilson upper bound (never a bare 0). SUM and AVG use
// normal intervals (AVG by linearisation of the ratio).
//
// # Determinism and budget
//
// Every random choice comes from a PCG generator seeded by the caller's
// seed, so the same population, oracle answers, budget, strategy and seed
// give the same answer. Clusterings and prior strata depend only on the
// population (they are computed once per Population and cached), as if they
// were an index of the table. The oracle is never asked for more than
// budget distinct rows in total, and never for the same row twice.
//
// # Cost
//
// K-means is fitted on a subsample of at most 256·K rows (k-means++ seeding,
// 8 Lloyd iterations) and then assigns every row once (N·K·d
// multiply-adds); the proxy is linear, so its population totals come from
// per-stratum feature sums (computed once per design) and its fit costs
// O(n² d) in the number n of judged rows, independent of N.
package sampling

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
)

// SparseVec is a sparse feature vector (e.g. hashed TF-IDF): Idx[i] has
// value Val[i]. Indices need not be sorted but must not repeat.
type SparseVec struct {
	Idx []uint32
	Val []float32
}

// Population describes the candidate rows 0..N-1. Every per-row slice is
// either nil or of length N.
type Population struct {
	N      int
	Emb    [][]float32 // per-row unit embedding (nil: strategies that need it are unavailable)
	Lex    []SparseVec // optional lexical features, used by Search's proxy
	Prior  []float64   // optional zero-shot score per row (higher: more likely true)
	Weight []float64   // per-row value for SUM/AVG (nil: COUNT only)

	mu    sync.Mutex
	cache popCache
}

type popCache struct {
	priorZ  []float64
	designs map[string]*design
}

// Oracle judges rows (the model): one verdict per row, in order. The
// estimators never pass a row twice nor more rows in total than the budget.
type Oracle func(ctx context.Context, rows []int) ([]bool, error)

// LabelOracle assigns a label to each row (the model's answer to a GROUP BY
// phrase), one per row, in order.
type LabelOracle func(ctx context.Context, rows []int) ([]string, error)

// Estimate is an approximate (or exact) aggregate with a confidence
// interval.
type Estimate struct {
	Value, Low, High float64
	Judged           int    // distinct rows the oracle judged
	Exact            bool   // every row was judged; Low = High = Value
	Strategy         string // the strategy that produced it
	Partial          bool   // cancelled before the budget was spent
}

// Options tunes an estimator. The zero value means: strategy "auto", 95%
// confidence, seed 0, spend the whole budget in 4 rounds, no progress
// callback.
type Options struct {
	Strategy string
	Conf     float64
	Seed     uint64
	// TargetRelErr, if > 0, stops sampling after a round whose interval
	// half-width is at most TargetRelErr times the estimate (online
	// aggregation).
	TargetRelErr float64
	// Rounds is the number of sampling rounds (default 4; 8 when
	// TargetRelErr is set).
	Rounds int
	// Progress, if set, is called after every round with the running
	// estimate.
	Progress func(Estimate)
}

func (o Options) conf() float64 {
	if o.Conf <= 0 || o.Conf >= 1 {
		return 0.95
	}
	return o.Conf
}

func (o Options) rounds() int {
	if o.Rounds > 0 {
		return o.Rounds
	}
	if o.TargetRelErr > 0 {
		return 8
	}
	return 4
}

func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^stream))
}

// priorZ returns the prior standardised to mean 0 and unit variance (nil if
// there is no prior).
func (p *Population) priorZ() []float64 {
	if p.Prior == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cache.priorZ != nil {
		return p.cache.priorZ
	}
	var m, s float64
	for _, x := range p.Prior {
		m += x
	}
	m /= float64(len(p.Prior))
	for _, x := range p.Prior {
		s += (x - m) * (x - m)
	}
	s = math.Sqrt(s / float64(len(p.Prior)))
	if s == 0 {
		s = 1
	}
	z := make([]float64, len(p.Prior))
	for i, x := range p.Prior {
		z[i] = (x - m) / s
	}
	p.cache.priorZ = z
	return z
}

// design is a stratification of the population: members[h] are the rows of
// stratum h in row order; featSum[h] the sum of the proxy features over
// them.
type design struct {
	key     string
	members [][]int32
	featSum [][]float64
}

func (d *design) H() int { return len(d.members) }

// getDesign returns (and caches) the design named key, built by build
// (which returns each row's stratum and the number of strata).
func (p *Population) getDesign(key string, build func() ([]int32, int)) *design {
	p.mu.Lock()
	if d, ok := p.cache.designs[key]; ok {
		p.mu.Unlock()
		return d
	}
	p.mu.Unlock()
	var members [][]int32
	if build == nil {
		all := make([]int32, p.N)
		for i := range all {
			all[i] = int32(i)
		}
		members = [][]int32{all}
	} else {
		lab, h := build()
		members = make([][]int32, h)
		for i, l := range lab {
			members[l] = append(members[l], int32(i))
		}
		// drop empty strata
		k := 0
		for _, m := range members {
			if len(m) > 0 {
				members[k] = m
				k++
			}
		}
		members = members[:k]
	}
	d := &design{key: key, members: members}
	d.featSum = p.featureSums(members)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cache.designs == nil {
		p.cache.designs = map[string]*design{}
	}
	if old, ok := p.cache.designs[key]; ok {
		return old
	}
	p.cache.designs[key] = d
	return d
}

// featDim is the dimension of the proxy features: the embedding plus one
// coordinate for the standardised prior (0 if neither exists).
func (p *Population) featDim() int {
	d := 0
	if p.Emb != nil && p.N > 0 {
		d = len(p.Emb[0])
	}
	if p.Prior != nil {
		d++
	}
	return d
}

// feat writes the proxy features of row i into buf.
func (p *Population) feat(i int, pz []float64, buf []float64) {
	k := 0
	if p.Emb != nil {
		for _, x := range p.Emb[i] {
			buf[k] = float64(x)
			k++
		}
	}
	if pz != nil {
		buf[k] = pz[i]
	}
}

func (p *Population) featureSums(members [][]int32) [][]float64 {
	fd := p.featDim()
	if fd == 0 {
		return nil
	}
	pz := p.priorZ()
	out := make([][]float64, len(members))
	for h, m := range members {
		s := make([]float64, fd)
		de := 0
		if p.Emb != nil {
			de = len(p.Emb[0])
			acc := make([]float32, de)
			for c, i := range m {
				for j, x := range p.Emb[i] {
					acc[j] += x
				}
				if c%256 == 255 { // flush to float64 to bound rounding error
					for j := range acc {
						s[j] += float64(acc[j])
						acc[j] = 0
					}
				}
			}
			for j := range acc {
				s[j] += float64(acc[j])
			}
		}
		if pz != nil {
			for _, i := range m {
				s[de] += pz[i]
			}
		}
		out[h] = s
	}
	return out
}

// priorStrata cuts the rows by prior rank: the top 3%, 3-10%, 10-25%,
// 25-50% and the bottom half (fewer strata for tiny populations).
func (p *Population) priorStrata() ([]int32, int) {
	idx := make([]int, p.N)
	for i := range idx {
		idx[i] = i
	}
	pr := p.Prior
	sort.SliceStable(idx, func(a, b int) bool { return pr[idx[a]] > pr[idx[b]] })
	cuts := []float64{0.03, 0.10, 0.25, 0.50, 1}
	lab := make([]int32, p.N)
	h := 0
	for r, i := range idx {
		for h < len(cuts)-1 && float64(r) >= cuts[h]*float64(p.N) {
			h++
		}
		lab[i] = int32(h)
	}
	return lab, len(cuts)
}
