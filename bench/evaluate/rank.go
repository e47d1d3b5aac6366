package main

import (
	"context"
	"sort"

	"github.com/uqe-dev/uqe/executor"
	"github.com/uqe-dev/uqe/sampling"
)

// rankK and rankBudget are the ORDER BY ... LIMIT k evaluation's k and
// budget: the engine keeps executor.RankReserve rows of the budget for its
// pairwise refinement and scores the rest.
const rankK, rankBudget = 10, 256

// rankCell is one ORDER BY phrase DESC LIMIT rankK under rankBudget: the
// model's score is the oracle's verdict (1 or 0), so the true top rankK
// are rankK true rows.
type rankCell struct {
	noise            float64
	pred             string
	strategy         string
	scored           int
	trueScored, hits int
	ideal            int
}

// rankStrategies: "prior" scores the rows most similar to the phrase (the
// engine's one-shot prefilter before sampling.TopScores), "guided" is
// sampling.TopScores.
var rankStrategies = []string{"prior", "guided"}

// evalRank ranks by the engine's own prior (cosine to the phrase), which
// is what a ranking under a budget starts from.
func evalRank(ctx context.Context, p *pred, noise float64) []rankCell {
	ans := oracleAnswers(p, noise)
	total := 0
	for _, a := range ans {
		if a {
			total++
		}
	}
	keep := rankBudget - executor.RankReserve(p.pop.N, rankK)
	pop := &sampling.Population{N: p.pop.N, Emb: p.pop.Emb, Prior: p.phrasePrior}
	var out []rankCell
	for _, s := range rankStrategies {
		var rows []int
		var scores []float64
		switch s {
		case "prior":
			order := make([]int, pop.N)
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(a, b int) bool { return pop.Prior[order[a]] > pop.Prior[order[b]] })
			rows = order[:keep]
			for _, r := range rows {
				scores = append(scores, b2f(ans[r]))
			}
		case "guided":
			o := &countingOracle{ans: ans, seen: map[int]bool{}}
			var err error
			rows, scores, err = sampling.TopScores(ctx, pop, func(ctx context.Context, r []int) ([]float64, error) {
				v, err := o.judge(ctx, r)
				f := make([]float64, len(v))
				for i, b := range v {
					f[i] = b2f(b)
				}
				return f, err
			}, keep, rankK)
			if err != nil {
				fatalf("rank %s: %v", p.def.name, err)
			}
			if len(o.seen) > keep || o.dup > 0 {
				fatalf("rank %s: %d rows scored (%d twice) for %d", p.def.name, len(o.seen), o.dup, keep)
			}
		}
		cl := rankCell{noise: noise, pred: p.def.name, strategy: s, scored: len(rows), ideal: min(rankK, total)}
		for _, v := range scores {
			if v > 0 {
				cl.trueScored++
			}
		}
		cl.hits = min(cl.trueScored, rankK) // the top rankK by score are true rows while there are enough
		out = append(out, cl)
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
