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
//     budget, then the rest allocated by Neyman's rule with each stratum's
//     standard deviation from the prior's calibration fitted to all judged
//     rows (as in prior-neyman; without a prior the pooled one, i.e.
//     proportional allocation), shrunk 50% towards proportional. (The
//     textbook rule, deviations from each stratum's own pilot, biased rare
//     counts by −12% to −28% in bench/evaluate: a stratum whose pilot
//     happened to see no true row gets few more rows and keeps its low
//     mean, one whose pilot saw some gets many more and regresses to the
//     truth.)
//   - "prior-neyman": strata from quantiles of the zero-shot Prior (the top
//     3%, 3-10%, 10-25%, 25-50% and the bottom half); a pilot of half the
//     budget allocated 70% equally over the strata and 30% proportionally
//     (the small top strata hold most of a rare predicate's variance), then
//     Neyman allocation with each stratum's standard deviation taken from a
//     logistic calibration of the prior fitted to all judged rows
//     (√(p̄_h(1−p̄_h)), p̄_h the mean calibrated rate over the stratum), not
//     from the stratum's own pilot: an allocation that gives a stratum more
//     rows because its own pilot happened to see true rows biases its mean
//     downwards (measured: by up to −36% on the rare predicates of
//     bench/evaluate before this rule). A smaller bias remains (up to −8%
//     to −11% on one rare predicate at B=128, the table "COUNT: bias" of
//     docs/evaluation.md): the calibration is fitted mostly to the top
//     strata's own pilot rows, so their outcome still steers their share.
//     Estimating from the second phase alone, with the pilot's rows as
//     known values, would remove it (not done yet).
//   - "ppi": uniform sampling with a prediction-powered (difference)
//     estimator: a ridge-regression proxy cross-fitted over five folds, its
//     coefficient re-estimated on the sample (so a useless proxy shrinks to
//     the plain mean).
//   - "auto" (the default): with a prior and embeddings, hybrid strata: the
//     top 10% of the prior ranking cut at 0.5%, 1%, 3%, 5% and 10%, and
//     the other 90% cut into budget/8 (2..16) k-means clusters of their
//     embeddings; a pilot of half the budget allocated as in prior-neyman,
//     then Neyman allocation from the calibrated prior as in prior-neyman
//     (not shrunk towards equal S_h); and the cross-fitted difference
//     estimator inside the strata once at least 20 true and 20 false rows
//     have been judged (before that a proxy fitted on a handful of one
//     class adds variance; measured on the rare predicates of
//     bench/evaluate). Below a budget of 64, or with a prior and no
//     embeddings, the prior strata of prior-neyman instead of the hybrid
//     ones (the hybrid's small top strata and equal pilot waste a small
//     budget on common predicates); with embeddings only, budget/8 k-means
//     strata.
//
// The proxy's features are the standardised prior and the indicators of 16
// k-means clusters of the embeddings; without a prior (GROUP BY), the raw
// embedding and the cluster indicators. (With a prior, fitting the 512 raw
// coordinates on a hundred judged rows added noise, not precision.)
//
// The difference estimator within stratum h is
//
//	T_h = β Σ_{U_h} g(x) + N_h · mean_{s_h}(y − β g(x))
//
// where each judged row's g comes from the fold model not trained on it
// (five folds, dealt in draw order), and the population term mixes the
// fold models in the proportions of the folds. It is unbiased for any fixed proxy; its variance is that of the
// residuals, so it is no worse than the plain stratified mean when β is 0.
//
// # Intervals
//
// The variance of every estimator is the stratified formula
// Σ N_h² (1 − n_h/N_h) s_h²/n_h (with the finite-population correction).
// For COUNT, each stratum's s_h² is its sample variance mixed with a model
// variance p̄_h(1 − p̄_h) as four pseudo-observations, p̄_h the stratum's
// rate under a logistic model of the standardised prior plus a shrunken
// per-stratum effect (a random effect, ridge 0.5) fitted to the judged rows:
// a stratum whose few judged rows happen to be all false still contributes
// the variance the model expects of it, and one whose sample is large
// speaks for itself (below 5 judged rows, the larger of that rate and the
// prior-only calibration's, so a stratum's own zeros cannot lower its own
// model variance). Under the difference estimator the model variance is
// scaled by the share of variance the residuals keep, and the total by
// n/(n − d − 1) for the d proxy features. (Without a prior, a stratum whose
// sample is all false or all true is floored at the binomial variance of
// its rate smoothed towards the design-weighted overall rate by one
// pseudo-observation, while fewer than 15 true or false rows have been
// judged.) The variance is turned into an effective sample size
// n_eff = p̂(1 − p̂)/Var(p̂) (Kish), and the interval is Wilson's score
// interval for p̂ at n_eff, so that it stays inside [0, 1] and is honest for
// rare predicates and small samples; it is then clipped to the hard bounds
// [rows judged true, N − rows judged false]. A sample with no true row
// gives 0 with a one-sided Wilson upper bound (never a bare 0). SUM and AVG
// use normal intervals (AVG by linearisation of the ratio).
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

	"github.com/uqe-dev/uqe/errs"
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
	priorZ   []float64
	proxyLab []int32
	designs  map[string]*design
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
	// Chunk, if > 0, is how many rows a round asks the oracle about at a
	// time (the model layer's batch size × concurrency: no slower than
	// one call for the round). A cancelled query then keeps the verdicts
	// of the chunks already answered, and its partial estimate uses them
	// once every stratum has a judged row.
	Chunk int
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

// bounds returns, per stratum, the most rows a sample can take (its size)
// and the least an allocation of budget rows gives it (2, or fewer when
// the budget cannot give every stratum 2 rows in its first half; none
// with a single stratum).
func (d *design) bounds(budget int) (capN, lo []int) {
	H := d.H()
	capN = make([]int, H)
	lo = make([]int, H)
	for h := range capN {
		capN[h] = len(d.members[h])
		if H > 1 {
			lo[h] = min(2, budget/(2*H))
		}
	}
	return capN, lo
}

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

// proxyK is the number of k-means clusters whose indicators join the
// proxy's features (0: none).
const proxyK = 16

// proxyCluScale is the value of a row's cluster indicator.
const proxyCluScale = 1.0

// proxyEmb reports whether the proxy's features include the raw embedding
// (measured again after the bias fix: 16 or 48 random projections of the
// embedding beside the prior and cluster indicators raised auto's error at
// B=128 on common predicates from 0.60x to 0.63x and 0.64x uniform's):
// only without a prior (GROUP BY, or COUNT with no prior). With a prior, the
// 512 raw coordinates fitted on a hundred judged rows add more noise than
// signal (measured in bench/evaluate); the cluster indicators and the prior
// carry what the embedding says at that sample size.
func (p *Population) proxyEmb() bool { return p.Emb != nil && p.Prior == nil }

// proxyClusters returns (and caches) each row's cluster among proxyK
// k-means clusters of the embeddings (nil without embeddings).
func (p *Population) proxyClusters() []int32 {
	if proxyK <= 1 || p.Emb == nil || p.N < 4*proxyK {
		return nil
	}
	p.mu.Lock()
	if p.cache.proxyLab != nil {
		defer p.mu.Unlock()
		return p.cache.proxyLab
	}
	p.mu.Unlock()
	lab := kmeans(p.Emb, proxyK, clusterSeed+1)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cache.proxyLab == nil {
		p.cache.proxyLab = lab
	}
	return p.cache.proxyLab
}

// featDim is the dimension of the proxy features: the embedding, the
// indicators of proxyK clusters, and one coordinate for the standardised
// prior (0 if none exists).
func (p *Population) featDim() int {
	d := 0
	if p.proxyEmb() && p.N > 0 {
		d = len(p.Emb[0])
	}
	if p.proxyClusters() != nil {
		d += proxyK
	}
	if p.Prior != nil {
		d++
	}
	return d
}

// feat writes the proxy features of row i into buf.
func (p *Population) feat(i int, pz []float64, buf []float64) {
	k := 0
	if p.proxyEmb() {
		for _, x := range p.Emb[i] {
			buf[k] = float64(x)
			k++
		}
	}
	if cl := p.proxyClusters(); cl != nil {
		for j := 0; j < proxyK; j++ {
			buf[k+j] = 0
		}
		buf[k+int(cl[i])] = proxyCluScale
		k += proxyK
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
	cl := p.proxyClusters()
	out := make([][]float64, len(members))
	for h, m := range members {
		s := make([]float64, fd)
		de := 0
		if p.proxyEmb() {
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
		if cl != nil {
			for _, i := range m {
				s[de+int(cl[i])] += proxyCluScale
			}
			de += proxyK
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

// hybridStrata cuts the top of the prior ranking into prior strata (the
// top 0.5%, 0.5-1%, 1-3%, 3-5% and 5-10%) and the rest into k k-means
// clusters of the embeddings (fitted on the rest only).
func (p *Population) hybridStrata(k int) ([]int32, int) {
	idx := make([]int, p.N)
	for i := range idx {
		idx[i] = i
	}
	pr := p.Prior
	sort.SliceStable(idx, func(a, b int) bool { return pr[idx[a]] > pr[idx[b]] })
	cuts := []float64{0.005, 0.01, 0.03, 0.05, 0.10}
	lab := make([]int32, p.N)
	top := int(cuts[len(cuts)-1] * float64(p.N))
	h := 0
	for r, i := range idx[:top] {
		for h < len(cuts)-1 && float64(r) >= cuts[h]*float64(p.N) {
			h++
		}
		lab[i] = int32(h)
	}
	rest := idx[top:]
	emb := make([][]float32, len(rest))
	for j, i := range rest {
		emb[j] = p.Emb[i]
	}
	cl := kmeans(emb, k, clusterSeed)
	for j, i := range rest {
		lab[i] = int32(len(cuts)) + cl[j]
	}
	return lab, len(cuts) + k
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

// cancelled is the error of a sampling loop stopped by its context: err
// itself when the model layer already reported the cancellation (its
// message would otherwise carry the code twice), else err wrapped.
func cancelled(err error) error {
	if errs.CodeOf(err) == errs.Cancelled {
		return err
	}
	return errs.Wrap(err, errs.Cancelled, "sampling: cancelled: %v", err)
}
