package sampling

import (
	"context"
	"math"
	"slices"
	"sort"

	"github.com/uqe-dev/uqe/internal/linalg"
)

// ScoreOracle scores rows (the model's answer to an ORDER BY phrase): one
// score per row, in order; higher means more of the criterion.
type ScoreOracle func(ctx context.Context, rows []int) ([]float64, error)

// Tuning of TopScores.
const (
	topFirstShare = 0.25 // share of the budget scored in the prior's order first
	topRounds     = 8    // rounds after the first
	topRidge      = 1.0  // ridge penalty of the score proxy
	topMaxTrain   = 600  // most scored rows the proxy is fitted on (the best ones)
)

// TopScores finds rows with high scores while scoring at most budget rows,
// for ORDER BY a phrase with LIMIT k when the budget cannot score every
// row. It scores rows in rounds: first the top of p.Prior (the zero-shot
// similarity to the phrase, oriented so that higher means more of the
// criterion), then, after every round, the unscored rows that a ridge
// regression of the scores so far on [embedding, prior] predicts highest,
// interleaved half and half with the next rows in the prior's order
// (measured in bench/evaluate, ORDER BY ... LIMIT 10 at 256: the proxy
// alone found 7 true rows on airline "long lines" where the prior's order
// finds 9; interleaved 9, and 10 of 10 on the other predicates, where the
// prior's order alone gets 2 of 10 on sgd "failed transaction").
// It returns the scored rows and their scores (every row when budget ≥
// p.N). The caller ranks the scored rows; rows never scored are not known
// to rank lower, which is why an answer built from them is approximate.
func TopScores(ctx context.Context, p *Population, oracle ScoreOracle, budget, k int) ([]int, []float64, error) {
	if budget >= p.N {
		all := make([]int, p.N)
		for i := range all {
			all[i] = i
		}
		sc, err := oracle(ctx, all)
		return all, sc, err
	}
	if budget <= 0 {
		return nil, nil, nil
	}
	scored := make([]bool, p.N)
	var rows []int
	var scores []float64
	score := func(next []int) error {
		if len(next) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return cancelled(err)
		}
		sc, err := oracle(ctx, next)
		if err != nil {
			return err
		}
		for i, r := range next {
			scored[r] = true
			rows = append(rows, r)
			scores = append(scores, sc[i])
		}
		return nil
	}
	order := make([]int, p.N)
	for i := range order {
		order[i] = i
	}
	if p.Prior != nil {
		sort.SliceStable(order, func(a, b int) bool { return p.Prior[order[a]] > p.Prior[order[b]] })
	}
	first := min(budget, max(2*k, int(topFirstShare*float64(budget))))
	if err := score(order[:first]); err != nil {
		return nil, nil, err
	}
	step := max(1, (budget-first+topRounds-1)/topRounds)
	for len(rows) < budget {
		// the unscored rows in the prior's order
		var byPrior []int
		for _, i := range order {
			if !scored[i] {
				byPrior = append(byPrior, i)
			}
		}
		if len(byPrior) == 0 {
			break
		}
		m := min(len(byPrior), step, budget-len(rows))
		next := byPrior[:m]
		if pred := scoreProxy(p, rows, scores); pred != nil {
			// half of the round in the proxy's order, half in the
			// prior's (interleaved): the proxy learns from few high
			// scores, and where it has not learned yet the prior keeps
			// the round as good as scoring in the prior's order
			cand := slices.Clone(byPrior)
			slices.Sort(cand) // ties (identical rows) in row order
			sort.SliceStable(cand, func(a, b int) bool { return pred[cand[a]] > pred[cand[b]] })
			next = make([]int, 0, m)
			taken := map[int]bool{}
			for a, b := 0, 0; len(next) < m; {
				src := &cand
				at := &a
				if len(next)%2 == 1 && b < len(byPrior) || a >= len(cand) {
					src, at = &byPrior, &b
				}
				r := (*src)[*at]
				*at++
				if !taken[r] {
					taken[r] = true
					next = append(next, r)
				}
			}
		}
		if err := score(next); err != nil {
			return nil, nil, err
		}
	}
	return rows, scores, nil
}

// scoreProxy fits a ridge regression of the scores of the scored rows on
// the features [embedding, standardised prior] (in the dual: the scored
// rows are few) and returns its prediction for every row; nil without
// embeddings or with fewer than 4 scored rows. It is fitted on the
// topMaxTrain best-scored rows when there are more.
func scoreProxy(p *Population, rows []int, scores []float64) []float64 {
	if p.Emb == nil || len(rows) < 4 {
		return nil
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	if len(idx) > topMaxTrain {
		sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
		idx = idx[:topMaxTrain]
	}
	pz := p.priorZ()
	d := len(p.Emb[0])
	fd := d
	if pz != nil {
		fd++
	}
	feat := func(i int, buf []float64) {
		for j, x := range p.Emb[i] {
			buf[j] = float64(x)
		}
		if pz != nil {
			buf[d] = pz[i]
		}
	}
	n := len(idx)
	X := make([]float64, n*fd)
	mu := make([]float64, fd)
	var ybar float64
	for a, i := range idx {
		feat(rows[i], X[a*fd:(a+1)*fd])
		for j := 0; j < fd; j++ {
			mu[j] += X[a*fd+j]
		}
		ybar += scores[i]
	}
	for j := range mu {
		mu[j] /= float64(n)
	}
	ybar /= float64(n)
	for a := 0; a < n; a++ {
		for j := 0; j < fd; j++ {
			X[a*fd+j] -= mu[j]
		}
	}
	K := make([]float64, n*n)
	for a := 0; a < n; a++ {
		for b := 0; b <= a; b++ {
			var t float64
			for j := 0; j < fd; j++ {
				t += X[a*fd+j] * X[b*fd+j]
			}
			K[a*n+b], K[b*n+a] = t, t
		}
		K[a*n+a] += topRidge
	}
	if !linalg.Cholesky(K, n) {
		return nil
	}
	alpha := make([]float64, n)
	for a, i := range idx {
		alpha[a] = scores[i] - ybar
	}
	linalg.CholSolve(K, n, alpha)
	w := make([]float64, fd)
	for a := 0; a < n; a++ {
		for j := 0; j < fd; j++ {
			w[j] += alpha[a] * X[a*fd+j]
		}
	}
	out := make([]float64, p.N)
	buf := make([]float64, fd)
	for i := range out {
		feat(i, buf)
		t := ybar
		for j, x := range buf {
			t += w[j] * (x - mu[j])
		}
		if math.IsNaN(t) {
			t = math.Inf(-1)
		}
		out[i] = t
	}
	return out
}
