package sampling

import (
	"context"
	"math"
	"slices"

	"github.com/uqe-dev/uqe/errs"
)

// SearchOptions tunes Search.
type SearchOptions struct {
	// Strategy: "auto" (default) judges one row at a time, always the
	// unjudged row of highest score, where the score is the sum of
	//   - an online logistic regression on the embedding and the lexical
	//     features that takes the standardised prior as a fixed offset
	//     (weight 1), so that early false verdicts among the top-ranked
	//     rows cannot unlearn a good prior; after every verdict it runs 3
	//     warm-started SGD epochs over the judged rows (true rows weighted
	//     by sqrt(#false/#true), at most 5), but not before a row has
	//     been judged true or 8 rows judged: fitted to false rows alone it
	//     learns only "unlike the rows judged so far", which on a good
	//     prior pushes unrelated rows above the prior's next candidates
	//     (on banking77 "card arrival" the 6th-12th rows judged were
	//     age-limit and top-up questions), while after a run of false
	//     verdicts that same push diversifies away from a barren region
	//     (on the clustered synthetic population of search_test.go, never
	//     training on false rows alone halved the yield, 0.77 -> 0.40;
	//     waiting 8 verdicts: 0.72). Measured against training from the
	//     first verdict (bench/evaluate, LIMIT 50 @256, 10 seeds), yield
	//     at noise 0 / 0.05: card arrival 0.76 -> 0.79 / 0.63 -> 0.78, sgd
	//     "failed transaction" 0.43 -> 0.47 / 0.41 -> 0.46, the other
	//     rare predicates unchanged (waiting 4 verdicts instead: sgd 0.41);
	//   - once a row has been judged true, an exemplar term: 5 × (mean of
	//     the 3 highest cosines of the row's embedding to the rows judged
	//     true + the same for the lexical vectors, minus the same two means
	//     to the rows judged false).
	//   Until a row is judged true or 8 rows are judged, the ranking is
	//   the prior's. Exploration: after 16 false verdicts in a row (the
	//   favoured region looks exhausted), every 4th verdict of the streak
	//   is instead a row drawn at random
	//   from the unjudged rows with probability 0.9·w/Σw + 0.1/#unjudged,
	//   w = exp(2·standardised prior, clipped to ±4) (uniform without a
	//   prior); a true row found so seeds the exemplar term in a new
	//   region. For cost, a pool of 1,024 rows is re-scored after every
	//   verdict and rebuilt by a full pass over the population every 16
	//   verdicts (or when it runs low);
	//   each true row costs one pass (one dot product per row, embedding
	//   and lexical) to update the similarities to true rows and adds its 32
	//   most similar unjudged rows to the pool; similarities to false rows
	//   are computed only for pooled rows, lazily. Without a prior,
	//   embeddings or lexical features, the corresponding terms are left
	//   out; with none of them, random order.
	// "paper" (the UQE paper: a random batch, then batches of the rows
	// ranked highest by a logistic regression on the embeddings fitted to
	// the verdicts so far), "scan" (rows in order), "uniform" (random
	// order).
	Strategy string
	// Batch is the batch size of "paper" (default 16).
	Batch int
	Seed  uint64
}

// Search looks for k rows the oracle judges true, judging at most budget
// rows (strategy "auto", see SearchOptions). found holds only rows the
// oracle judged true, in the order found (at most k); judged is the number
// of rows judged; estRecall is a lower bound, often loose, of the share of
// all true rows found (1 when every row was judged; see searchRecall).
func Search(ctx context.Context, p *Population, oracle Oracle, k, budget int, seed uint64) (found []int, judged int, estRecall float64, err error) {
	return SearchWith(ctx, p, oracle, k, budget, SearchOptions{Seed: seed})
}

// logreg is a small logistic regression over the embedding, the lexical
// features and the standardised prior (learned, or with fixPrior a fixed
// offset of weight wp0), trained by per-example SGD with L2 weight decay on
// the dense part.
type logreg struct {
	p               *Population
	pz              []float64
	useEmb, useLex  bool
	w               []float64 // embedding weights
	wl              []float64 // lexical weights (dense over the hashed index space)
	wp, b           float64
	usePrior        bool
	fixPrior        bool    // the prior's weight stays wp0 (an offset)
	wp0             float64 // the prior's initial weight
	lrLex           float64
	lr, l2, posW    float64
	embBuf          []float64
	lexDim          int
	updatesSinceFit int
}

func newLogreg(p *Population, useEmb, useLex, usePrior bool) *logreg {
	m := &logreg{p: p, lr: 0.5, l2: 1e-3, posW: 1, wp0: 1, lrLex: 1}
	if useEmb && p.Emb != nil {
		m.useEmb = true
		m.w = make([]float64, len(p.Emb[0]))
	}
	if useLex && p.Lex != nil {
		m.useLex = true
		mx := uint32(0)
		for _, v := range p.Lex {
			for _, i := range v.Idx {
				mx = max(mx, i)
			}
		}
		m.wl = make([]float64, int(mx)+1)
	}
	if usePrior && p.Prior != nil {
		m.usePrior = true
		m.pz = p.priorZ()
		m.wp = m.wp0
	}
	return m
}

func (m *logreg) score(i int) float64 {
	t := m.b
	if m.usePrior {
		t += m.wp * m.pz[i]
	}
	if m.useEmb {
		t += dot32(m.p.Emb[i], m.w)
	}
	if m.useLex {
		v := m.p.Lex[i]
		for k, j := range v.Idx {
			t += float64(v.Val[k]) * m.wl[j]
		}
	}
	return t
}

// step is one SGD update on row i with label y.
func (m *logreg) step(i int, y bool) {
	t := 0.0
	wt := 1.0
	if y {
		t = 1
		wt = m.posW
	}
	g := (sigmoid(m.score(i)) - t) * wt * m.lr
	m.b -= g
	if m.usePrior && !m.fixPrior {
		m.wp -= g * m.pz[i]
	}
	if m.useEmb {
		dec := 1 - m.lr*m.l2
		for j, x := range m.p.Emb[i] {
			m.w[j] = m.w[j]*dec - g*float64(x)
		}
	}
	if m.useLex {
		v := m.p.Lex[i]
		for k, j := range v.Idx {
			m.wl[j] -= g * m.lrLex * float64(v.Val[k])
		}
	}
}

// train runs epochs of SGD over the labelled rows in a seeded order, with
// positives weighted by sqrt(#neg/#pos) (at most 5).
func (m *logreg) train(rows []int, ys []bool, epochs int, s *sampler) {
	pos := 0
	for _, y := range ys {
		if y {
			pos++
		}
	}
	if pos > 0 {
		m.posW = math.Min(math.Sqrt(float64(len(ys)-pos)/float64(pos)), 5)
		m.posW = math.Max(m.posW, 1)
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	for e := 0; e < epochs; e++ {
		s.rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, o := range order {
			m.step(rows[o], ys[o])
		}
	}
}

// SearchWith is Search with options.
func SearchWith(ctx context.Context, p *Population, oracle Oracle, k, budget int, o SearchOptions) (found []int, judged int, estRecall float64, err error) {
	if p == nil || oracle == nil {
		return nil, 0, 0, errs.New(errs.Usage, "sampling: no population or oracle")
	}
	if k <= 0 || budget <= 0 || p.N == 0 {
		return nil, 0, 0, nil
	}
	strategy := o.Strategy
	if strategy == "" {
		strategy = "auto"
	}
	budget = min(budget, p.N)
	s := newSampler(p, p.getDesign("none", nil), o.Seed)
	done := make([]bool, p.N)
	var rows []int
	var ys []bool
	judge := func(batch []int) error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return cancelled(err)
		}
		v, err := oracle(ctx, batch)
		if err != nil {
			return err
		}
		if len(v) != len(batch) {
			return errs.New(errs.Internal, "sampling: oracle returned %d verdicts for %d rows", len(v), len(batch))
		}
		for i, r := range batch {
			done[r] = true
			rows = append(rows, r)
			ys = append(ys, v[i])
			if v[i] && len(found) < k {
				found = append(found, r)
			}
		}
		return nil
	}
	var model *logreg
	switch strategy {
	case "scan", "uniform":
		order := s.draw(0, 0)
		if strategy == "uniform" {
			order = s.draw(0, budget)
		} else {
			order = make([]int, budget)
			for i := range order {
				order[i] = i
			}
		}
		const chunk = 16
		for at := 0; at < len(order) && len(found) < k; at += chunk {
			if err := judge(order[at:min(at+chunk, len(order))]); err != nil {
				return found, len(rows), 0, err
			}
		}
	case "paper":
		bs := o.Batch
		if bs <= 0 {
			bs = 16
		}
		if p.Emb == nil {
			return nil, 0, 0, errs.New(errs.Unsupported, "sampling: search strategy paper needs row embeddings")
		}
		for len(rows) < budget && len(found) < k {
			m := min(bs, budget-len(rows))
			var batch []int
			pos := 0
			for _, y := range ys {
				if y {
					pos++
				}
			}
			if pos == 0 || pos == len(ys) {
				for len(batch) < m {
					b := s.draw(0, 1)
					if len(b) == 0 {
						break
					}
					if !done[b[0]] {
						batch = append(batch, b[0])
					}
				}
			} else {
				model = newLogreg(p, true, false, false)
				model.train(rows, ys, 20, s)
				batch = topUnjudged(p.N, m, done, model.score)
			}
			if len(batch) == 0 {
				break
			}
			if err := judge(batch); err != nil {
				return found, len(rows), 0, err
			}
		}
	case "auto":
		m, err := searchAuto(ctx, p, k, budget, s, done, &rows, &ys, &found, judge)
		model = m
		if err != nil {
			return found, len(rows), 0, err
		}
	default:
		return nil, 0, 0, errs.New(errs.Usage, "sampling: unknown search strategy %q (want auto, paper, scan or uniform)", strategy)
	}
	return found, len(rows), searchRecall(p, model, done, ys, len(rows)), nil
}

// searchRecall estimates the share of all true rows among those found, as
// a lower bound (1 when every row was judged): found / (found + R), where
// R, the true rows left unjudged, is the larger of the rate of true rows
// among the judged rows applied to every unjudged row (the search judges
// the most promising rows first, so the rows left are rarely likelier to
// be true) and, with a model, the model's expected number of true unjudged
// rows (its intercept corrected for the positive class weight). On the
// benchmark predicates it stays below the true recall, often far below:
// a bound, not a point estimate.
func searchRecall(p *Population, m *logreg, done []bool, ys []bool, judged int) float64 {
	pos := 0
	for _, y := range ys {
		if y {
			pos++
		}
	}
	if judged >= p.N {
		return 1
	}
	if pos == 0 {
		return 0
	}
	rate := (float64(pos) + 0.5) / (float64(judged) + 1)
	rem := rate * float64(p.N-judged)
	if m != nil {
		adj := math.Log(m.posW)
		var mr float64
		for i := 0; i < p.N; i++ {
			if !done[i] {
				mr += sigmoid(m.score(i) - adj)
			}
		}
		rem = math.Max(rem, mr)
	}
	return float64(pos) / (float64(pos) + rem)
}

// topUnjudged returns the m unjudged rows of highest score (ties by row),
// best first, selecting with a min-heap of size m (O(N log m)).
func topUnjudged(n, m int, done []bool, score func(int) float64) []int {
	type rs struct {
		r int
		s float64
	}
	// worse reports whether a ranks below b.
	worse := func(a, b rs) bool { return a.s < b.s || a.s == b.s && a.r > b.r }
	h := make([]rs, 0, m)
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			if r := l + 1; r < len(h) && worse(h[r], h[l]) {
				l = r
			}
			if !worse(h[l], h[i]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for i := 0; i < n && m > 0; i++ {
		if done[i] {
			continue
		}
		x := rs{i, score(i)}
		if len(h) < m {
			h = append(h, x)
			for j := len(h) - 1; j > 0; {
				par := (j - 1) / 2
				if !worse(h[j], h[par]) {
					break
				}
				h[j], h[par] = h[par], h[j]
				j = par
			}
			continue
		}
		if worse(h[0], x) {
			h[0] = x
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b rs) int { return cmpDesc(a.s, b.s, a.r, b.r) })
	out := make([]int, len(h))
	for k, x := range h {
		out[k] = x.r
	}
	return out
}
