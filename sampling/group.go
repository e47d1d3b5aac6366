package sampling

import (
	"context"
	"math"
	"sort"

	"github.com/uqe-dev/uqe/errs"
)

// GroupEstimate is the estimated share (and count) of one label.
type GroupEstimate struct {
	Label                      string
	Share, Low, High           float64 // share of the population, with interval
	Count, CountLow, CountHigh float64
	Judged                     int // judged rows with this label
}

// GroupResult is the estimated distribution of a label over the
// population: the labels seen in the sample, by decreasing share.
type GroupResult struct {
	Groups   []GroupEstimate
	Judged   int
	Exact    bool
	Strategy string
	Partial  bool
}

// GroupDistribution estimates the distribution of the labels the oracle
// assigns (GROUP BY a phrase) from at most budget judged rows. Strategies:
// "uniform"; "stratified" (K=10 k-means strata, proportional allocation);
// "auto" (default: k-means strata of budget/8 clusters, proportional
// allocation, and per label the cross-fitted difference estimator, the
// label's indicator regressed on the embeddings). Shares are clipped at 0
// and renormalised to sum to 1; each label's interval is the COUNT
// interval of its indicator. Labels no judged row received are not listed.
func GroupDistribution(ctx context.Context, p *Population, oracle LabelOracle, budget int, o Options) (GroupResult, error) {
	if p == nil || oracle == nil {
		return GroupResult{}, errs.New(errs.Usage, "sampling: no population or oracle")
	}
	name := o.Strategy
	if name == "" {
		name = "auto"
	}
	var pl plan
	switch name {
	case "uniform", "exact":
		pl = plan{strata: "none"}
	case "stratified":
		pl = plan{strata: "kmeans10"}
	case "auto":
		pl = plan{strata: "kmeansb8", proxy: true}
		if p.Emb == nil {
			pl.strata = "none"
		}
	default:
		return GroupResult{}, errs.New(errs.Usage, "sampling: unknown GROUP BY strategy %q (want auto, stratified or uniform)", name)
	}
	exact := budget >= p.N
	if name == "exact" && !exact {
		return GroupResult{}, errs.New(errs.BudgetExceeded, "sampling: the exact answer needs %d rows judged, over the budget of %d", p.N, budget)
	}
	var d *design
	var err error
	if exact {
		name, budget, pl = "exact", p.N, plan{strata: "none"}
		d = p.getDesign("none", nil)
	} else if d, err = p.designFor(pl.strata, budget); err != nil {
		return GroupResult{}, err
	}
	s := newSampler(p, d, o.Seed)
	var labels []string
	z := ZFor(o.conf())
	R := o.rounds()
	capN, lo := d.bounds(budget)
	var res GroupResult
	for r := 0; r < R; r++ {
		if err := ctx.Err(); err != nil {
			if len(s.rows) > 0 {
				res.Partial = true
				return res, nil
			}
			return GroupResult{}, cancelled(err)
		}
		alloc := allocate(budget*(r+1)/R, s.propWeights(), s.taken, lo, capN)
		var rows, strat []int
		for h := range alloc {
			for _, row := range s.draw(h, alloc[h]-s.taken[h]) {
				rows = append(rows, row)
				strat = append(strat, h)
			}
		}
		if len(rows) > 0 {
			ls, err := oracle(ctx, rows)
			if err != nil {
				if ctx.Err() != nil && len(s.rows) > 0 {
					res.Partial = true
					return res, nil
				}
				return GroupResult{}, err
			}
			if len(ls) != len(rows) {
				return GroupResult{}, errs.New(errs.Internal, "sampling: oracle returned %d labels for %d rows", len(ls), len(rows))
			}
			for k, row := range rows {
				s.pos[strat[k]] = append(s.pos[strat[k]], len(s.rows))
				s.rows = append(s.rows, row)
				s.strat = append(s.strat, strat[k])
				labels = append(labels, ls[k])
			}
		}
		final := r == R-1
		if !final && o.Progress == nil {
			continue
		}
		res = s.groupResult(labels, pl.proxy && final, z)
		res.Strategy = name
	}
	if len(s.rows) == p.N {
		res.Exact = true
		for i := range res.Groups {
			g := &res.Groups[i]
			g.Low, g.High, g.CountLow, g.CountHigh = g.Share, g.Share, g.Count, g.Count
		}
	}
	return res, nil
}

func (s *sampler) groupResult(labels []string, useProxy bool, z float64) GroupResult {
	idx := map[string]int{}
	var names []string
	for _, l := range labels {
		if _, ok := idx[l]; !ok {
			idx[l] = len(names)
			names = append(names, l)
		}
	}
	rs := make([]resp, len(names))
	for g := range rs {
		rs[g] = make(resp, len(labels))
	}
	cnt := make([]int, len(names))
	for i, l := range labels {
		rs[idx[l]][i] = 1
		cnt[idx[l]]++
	}
	fits := s.estimateTotals(rs, useProxy)
	N := float64(s.p.N)
	var sum float64
	vals := make([]float64, len(names))
	for g, f := range fits {
		vals[g] = math.Max(f.total, 0)
		sum += vals[g]
	}
	out := GroupResult{Judged: len(s.rows)}
	for g, f := range fits {
		v := s.variance(f.resid)
		_, lo, hi := countInterval(f.total, v, s.p.N, len(s.rows), cnt[g], len(s.rows)-cnt[g], z)
		share := 0.0
		if sum > 0 {
			share = vals[g] / sum
		}
		c := share * N
		out.Groups = append(out.Groups, GroupEstimate{Label: names[g], Share: share, Low: math.Min(lo/N, share), High: math.Max(hi/N, share),
			Count: c, CountLow: math.Min(lo, c), CountHigh: math.Max(hi, c), Judged: cnt[g]})
	}
	sort.SliceStable(out.Groups, func(a, b int) bool { return out.Groups[a].Share > out.Groups[b].Share })
	return out
}
