package sampling

import (
	"context"
	"math"
	"slices"
)

// Tuning of the "auto" search strategy (see SearchOptions).
const (
	autoPool      = 1024 // rows re-scored after every verdict
	autoRefresh   = 16   // verdicts between full passes over the population
	autoNeighbors = 32   // nearest rows of a new true row added to the pool
	autoTopK      = 3    // exemplar similarity: mean of the top 3 cosines
	autoExemplarW = 5.0  // logit weight of a unit of exemplar similarity
	autoEpochs    = 3    // SGD epochs over the judged rows after each verdict
	// verdicts, all false, before the proxy is trained on false rows alone
	autoPriorTrust = 8
)

// exemplars keeps, for every row, the top autoTopK cosine similarities (of
// the embeddings and of the lexical vectors) to the rows judged true so
// far, updated eagerly (one dot product per row and new true row), and, for
// the rows scored in the pool, the same to the rows judged false, updated
// lazily (a row catches up on the false rows judged since it was last
// scored).
type exemplars struct {
	p         *Population
	useEmb    bool
	useLex    bool
	lexNorm   []float32
	posEmb    []float32 // autoTopK per row, descending; -2 = none
	posLex    []float32
	nPos      int
	negs      []int
	neg       map[int]*negState
	dense     []float32 // scratch: a lexical vector made dense
	lexWeight float64
}

type negState struct {
	seen     int
	emb, lex [autoTopK]float32
}

func newExemplars(p *Population, lexDim int) *exemplars {
	e := &exemplars{p: p, neg: map[int]*negState{}}
	if p.Emb != nil {
		e.useEmb = true
		e.posEmb = make([]float32, autoTopK*p.N)
		for i := range e.posEmb {
			e.posEmb[i] = -2
		}
	}
	if p.Lex != nil && lexDim > 0 {
		e.useLex = true
		e.posLex = make([]float32, autoTopK*p.N)
		for i := range e.posLex {
			e.posLex[i] = -2
		}
		e.lexNorm = make([]float32, p.N)
		for i, v := range p.Lex {
			var s float64
			for _, x := range v.Val {
				s += float64(x) * float64(x)
			}
			if s > 0 {
				e.lexNorm[i] = float32(1 / math.Sqrt(s))
			}
		}
		e.dense = make([]float32, lexDim)
	}
	return e
}

// insertTop puts x into the descending top list t if it belongs there.
func insertTop(t []float32, x float32) {
	if x <= t[len(t)-1] {
		return
	}
	j := len(t) - 1
	for j > 0 && t[j-1] < x {
		t[j] = t[j-1]
		j--
	}
	t[j] = x
}

// meanTop is the mean of the first min(n, autoTopK) entries of t.
func meanTop(t []float32, n int) float64 {
	n = min(n, len(t))
	if n == 0 {
		return 0
	}
	var s float64
	for _, x := range t[:n] {
		s += float64(x)
	}
	return s / float64(n)
}

func (e *exemplars) lexCos(i int, dense []float32, norm float32) float32 {
	v := e.p.Lex[i]
	var s float32
	for k, j := range v.Idx {
		s += v.Val[k] * dense[j]
	}
	return s * e.lexNorm[i] * norm
}

func (e *exemplars) scatter(r int) float32 {
	v := e.p.Lex[r]
	for k, j := range v.Idx {
		e.dense[j] = v.Val[k]
	}
	return e.lexNorm[r]
}

func (e *exemplars) unscatter(r int) {
	for _, j := range e.p.Lex[r].Idx {
		e.dense[j] = 0
	}
}

// addPositive records a row judged true and returns the unjudged rows most
// similar to it (at most autoNeighbors).
func (e *exemplars) addPositive(r int, done []bool) []int {
	e.nPos++
	var norm float32
	if e.useLex {
		norm = e.scatter(r)
	}
	type rs struct {
		r int
		s float32
	}
	var near []rs
	for i := 0; i < e.p.N; i++ {
		var s float32
		if e.useEmb {
			c := float32(dot3232(e.p.Emb[i], e.p.Emb[r]))
			insertTop(e.posEmb[autoTopK*i:autoTopK*i+autoTopK], c)
			s += c
		}
		if e.useLex {
			c := e.lexCos(i, e.dense, norm)
			insertTop(e.posLex[autoTopK*i:autoTopK*i+autoTopK], c)
			s += float32(e.lexWeight) * c
		}
		if done[i] {
			continue
		}
		if len(near) < autoNeighbors {
			near = append(near, rs{i, s})
			if len(near) == autoNeighbors {
				slices.SortFunc(near, func(a, b rs) int { return cmpDesc(float64(a.s), float64(b.s), a.r, b.r) })
			}
			continue
		}
		if s > near[len(near)-1].s {
			j := len(near) - 1
			for j > 0 && near[j-1].s < s {
				near[j] = near[j-1]
				j--
			}
			near[j] = rs{i, s}
		}
	}
	if e.useLex {
		e.unscatter(r)
	}
	out := make([]int, len(near))
	for k, x := range near {
		out[k] = x.r
	}
	return out
}

func cmpDesc(a, b float64, ra, rb int) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return ra - rb
}

// posScore is the similarity of row i to the rows judged true.
func (e *exemplars) posScore(i int) float64 {
	if e.nPos == 0 {
		return 0
	}
	var s float64
	if e.useEmb {
		s += meanTop(e.posEmb[autoTopK*i:autoTopK*i+autoTopK], e.nPos)
	}
	if e.useLex {
		s += e.lexWeight * meanTop(e.posLex[autoTopK*i:autoTopK*i+autoTopK], e.nPos)
	}
	return s
}

// negScore is the similarity of row i to the rows judged false (brought up
// to date lazily).
func (e *exemplars) negScore(i int) float64 {
	if len(e.negs) == 0 {
		return 0
	}
	st := e.neg[i]
	if st == nil {
		st = &negState{}
		for k := range st.emb {
			st.emb[k], st.lex[k] = -2, -2
		}
		e.neg[i] = st
	}
	for ; st.seen < len(e.negs); st.seen++ {
		r := e.negs[st.seen]
		if e.useEmb {
			insertTop(st.emb[:], float32(dot3232(e.p.Emb[i], e.p.Emb[r])))
		}
		if e.useLex {
			norm := e.scatter(r)
			insertTop(st.lex[:], e.lexCos(i, e.dense, norm))
			e.unscatter(r)
		}
	}
	var s float64
	if e.useEmb {
		s += meanTop(st.emb[:], len(e.negs))
	}
	if e.useLex {
		s += e.lexWeight * meanTop(st.lex[:], len(e.negs))
	}
	return s
}

// score is the exemplar term of row i: similarity to the true rows minus
// similarity to the false ones (0 before the first true row).
func (e *exemplars) score(i int, withNeg bool) float64 {
	if e.nPos == 0 {
		return 0
	}
	s := e.posScore(i)
	if withNeg {
		s -= e.negScore(i)
	}
	return s
}

// searchAuto is the "auto" strategy of SearchWith.
func searchAuto(ctx context.Context, p *Population, k, budget int, s *sampler, done []bool, rows *[]int, ys *[]bool, found *[]int, judge func([]int) error) (*logreg, error) {
	model := newLogreg(p, true, true, true)
	model.fixPrior = true
	if !model.useEmb && !model.useLex && !model.usePrior {
		// nothing to rank by: random order
		for len(*rows) < budget && len(*found) < k {
			b := s.draw(0, min(16, budget-len(*rows)))
			if len(b) == 0 {
				break
			}
			if err := judge(b); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	xp := newExplorer(p)
	ex := newExemplars(p, len(model.wl))
	ex.lexWeight = 1
	base := func(i int) float64 { return model.score(i) + autoExemplarW*ex.score(i, false) }
	full := func(i int) float64 { return model.score(i) + autoExemplarW*ex.score(i, true) }
	var pool []int
	inPool := map[int]bool{}
	sinceFull := 0
	for len(*rows) < budget && len(*found) < k {
		if pool == nil || sinceFull >= autoRefresh || len(pool) < 64 {
			pool = topUnjudged(p.N, autoPool, done, base)
			clear(inPool)
			for _, r := range pool {
				inPool[r] = true
			}
			sinceFull = 0
		}
		best, bs := -1, math.Inf(-1)
		explored := xp.explore()
		if explored {
			best = xp.draw(s, done)
		} else {
			for _, r := range pool {
				if done[r] {
					continue
				}
				if sc := full(r); sc > bs {
					best, bs = r, sc
				}
			}
		}
		if best < 0 {
			pool = nil
			if len(*rows) >= p.N {
				break
			}
			continue
		}
		pool = slices.DeleteFunc(pool, func(r int) bool { return r == best })
		delete(inPool, best)
		if err := judge([]int{best}); err != nil {
			return model, err
		}
		sinceFull++
		y := (*ys)[len(*ys)-1]
		xp.record(y)
		if y {
			for _, r := range ex.addPositive(best, done) {
				if !inPool[r] {
					inPool[r] = true
					pool = append(pool, r)
				}
			}
		} else {
			ex.negs = append(ex.negs, best)
		}
		// Before the first true verdict the proxy is not trained on the
		// prior's first autoPriorTrust candidates: fitted to false rows
		// alone, its weights learn only "unlike the rows judged so far"
		// (see SearchOptions).
		if ex.nPos > 0 || len(*rows) >= autoPriorTrust {
			model.train(*rows, *ys, autoEpochs, s)
		}
	}
	return model, nil
}
