package executor

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// MaxSampledPairs is the largest cross product an aggregate over a semantic
// join estimates from a sample of pairs. Above it the join keeps its
// blocked plan (only each left row's most similar right rows are judged
// and counted), as the strategy note says: the pairs' priors and group
// lists alone would take hundreds of megabytes.
const MaxSampledPairs = 2_000_000

// pairChunk is the most pairs materialised as one batch (to decide pairs
// by their structured conjuncts, or to judge them).
const pairChunk = 1 << 16

// planPairsMax is the most undecided pairs whose cache hits are counted
// (llm PlanJudge) when deciding whether the budget covers a join exactly;
// above it only their number is compared with the budget.
const planPairsMax = 1 << 16

// approxJoinOp computes COUNT, SUM, AVG and TOTAL over an inner semantic
// join under a budget. Its population is every pair of the cross product,
// virtual (pair k is left row k / nr with right row k % nr; all pairs are
// never materialised at once). Structured conjuncts of the ON condition
// that read one side are evaluated once per row of that side; the other
// structured parts decide pairs row by row, in chunks; pairs they decide
// are counted exactly and never judged. When the budget covers every
// undecided pair (after the cache), or SET strategy = exact (which fails
// with M002 before any call if it does not), every undecided pair is judged
// and the answer is exact. Otherwise each aggregate is estimated from a
// sample of the undecided pairs, per structured group (sampleAggs, as
// approxAggOp does for rows), with a confidence interval; a pair's prior is
// the cosine similarity of its two rows' embeddings, so "auto" stratifies
// pairs by similarity. With no budget, or a cross product over
// MaxSampledPairs, it runs today's plan: the aggregate over the join
// (nested loop, or blocking beyond nestedLoopMax pairs).
type approxJoinOp struct {
	x    *Exec
	n    *planner.Aggregate
	sj   *planner.SemJoin
	l, r Operator
	env  *frame
	done bool
	// exact is the aggregate over the join (no budget, or too many pairs).
	exact Operator

	left, right arrow.RecordBatch
	nl, nr      int
}

// JoinApproximable reports whether an aggregate reads an inner semantic
// join it can estimate from a sample of pairs (for EXPLAIN).
func JoinApproximable(n *planner.Aggregate) (*planner.SemJoin, bool) {
	return joinApproximable(n)
}

// joinApproximable matches an aggregate directly over an inner semantic
// join whose aggregates can be estimated from a sample.
func joinApproximable(n *planner.Aggregate) (*planner.SemJoin, bool) {
	sj, ok := n.In.(*planner.SemJoin)
	if !ok || sj.Kind != planner.JoinInner || !aggsApproximable(n) {
		return nil, false
	}
	return sj, true
}

func (a *approxJoinOp) Cols() []planner.Col { return a.n.Cols }

func (a *approxJoinOp) Close() {
	if a.exact != nil {
		a.exact.Close()
	}
	a.l.Close()
	a.r.Close()
}

func (a *approxJoinOp) Next() (arrow.RecordBatch, error) {
	if a.done {
		if a.exact != nil {
			return a.exact.Next()
		}
		return nil, nil
	}
	a.done = true
	m, err := a.x.model(a.sj)
	if err != nil {
		return nil, err
	}
	left, err := a.x.materialise(a.l)
	if err != nil {
		return nil, err
	}
	defer left.Release()
	right, err := a.x.materialise(a.r)
	if err != nil {
		return nil, err
	}
	defer right.Release()
	a.left, a.right = left, right
	a.nl, a.nr = int(left.NumRows()), int(right.NumRows())
	total := int64(a.nl) * int64(a.nr)
	remaining := int64(-1)
	if b := m.Budget(); b != nil {
		remaining = b.Remaining()
	}
	if remaining < 0 {
		return a.fallback("")
	}
	if total > MaxSampledPairs {
		return a.fallback(fmt.Sprintf("; %d pairs are more than the %d an aggregate samples from, so only the blocked pairs are judged and counted", total, MaxSampledPairs))
	}
	need, yes, err := a.decidePairs()
	if err != nil {
		return nil, err
	}
	a.x.Sem.RowsIn += total
	a.x.Sem.RowsDecided += total - int64(len(need))
	atoms := nlAtoms(a.sj.Cond)

	// Does the budget cover every undecided pair?
	uncached := len(need)
	if int64(uncached) > remaining && uncached <= planPairsMax {
		if uncached, err = a.plan(m, atoms, need); err != nil {
			return nil, err
		}
	}
	if int64(uncached) <= remaining || a.x.ForceExact || a.x.SampleStrategy == "exact" {
		if err := checkBudget(m, int64(uncached), atoms[0]); err != nil {
			return nil, err
		}
		return a.exactAnswer(m, atoms, need, yes)
	}
	return a.estimate(m, atoms, need, yes, int(remaining))
}

// fallback runs the aggregate over today's semantic join on the
// materialised inputs; note is appended to the join's strategy.
func (a *approxJoinOp) fallback(note string) (arrow.RecordBatch, error) {
	a.left.Retain()
	a.right.Retain()
	sj := &semJoinOp{x: a.x, n: a.sj, env: a.env,
		l: &batchOp{cols: a.l.Cols(), rec: a.left},
		r: &batchOp{cols: a.r.Cols(), rec: a.right}}
	a.exact = &aggOp{x: a.x, in: sj, n: a.n, env: a.env}
	out, err := a.exact.Next()
	if k := a.sj.Describe(); note != "" && err == nil && a.x.Strategies[k] != "" {
		a.x.Strategies[k] += note
	}
	return out, err
}

// pairEnv evaluates expressions for one pair: left row k / nr with right
// row k % nr.
type pairEnv struct {
	l, r rowEnv
	nr   int
}

func (a *approxJoinOp) newPairEnv() *pairEnv {
	return &pairEnv{
		l:  rowEnv{batchEnv: &batchEnv{x: a.x, rec: a.left, lay: layout(a.l.Cols()), cols: a.l.Cols(), env: a.env}},
		r:  rowEnv{batchEnv: &batchEnv{x: a.x, rec: a.right, lay: layout(a.r.Cols()), cols: a.r.Cols(), env: a.env}},
		nr: a.nr,
	}
}

func (p *pairEnv) at(k int) *pairEnv {
	p.l.row, p.r.row = k/p.nr, k%p.nr
	return p
}

func (p *pairEnv) Col(id planner.ColID) (value.Value, bool) {
	if _, ok := p.l.lay[id]; ok {
		return p.l.Col(id)
	}
	if _, ok := p.r.lay[id]; ok {
		return p.r.Col(id)
	}
	return p.l.env.get(id)
}

func (p *pairEnv) Subquery(s *planner.Subquery) (value.Value, error) {
	return p.l.x.subquery(s, p, p.l.env)
}

// decidePairs splits the pairs by the structured part of the condition:
// need are the undecided pairs, yes those decided true (both ascending);
// the rest are decided false. A structured conjunct that reads one side
// only is evaluated once per row of that side; the pairs both sides keep
// are materialised in chunks only if something is left to evaluate per
// pair: structured conjuncts over both sides (vectorised over the chunk),
// then conjuncts mixing phrases with structured predicates (decide, row by
// row). Conjuncts made of phrases alone leave their pairs undecided
// without materialising them. (Measured on 2,000 × 1,000 sms rows, budget
// 300: ~2 s in all; the pairs' priors ~0.3 s, the sampling design ~0.3 s;
// a cross conjunct a.id % 3 = b.id % 3 ~0.8 s, which the kernels
// evaluate row by row over the chunks; decide on every pair took 1.1 s.)
func (a *approxJoinOp) decidePairs() (need, yes []int, err error) {
	pe := a.newPairEnv()
	lok, rok := make([]bool, a.nl), make([]bool, a.nr)
	for i := range lok {
		lok[i] = true
	}
	for j := range rok {
		rok[j] = true
	}
	side := func(env *rowEnv, ok []bool, c planner.Expr) error {
		for i := range ok {
			if !ok[i] {
				continue
			}
			env.row = i
			v, err := planner.EvalRow(c, env)
			if err != nil {
				return err
			}
			ok[i], _ = value.Truth(v)
		}
		return nil
	}
	// cross: structured conjuncts over both sides (evaluated per pair,
	// vectorised over chunks); nls: the conjuncts with phrases.
	var cross, nls []planner.Expr
	for _, c := range planner.Conjuncts(a.sj.Cond) {
		if planner.HasNL(c) {
			nls = append(nls, c)
			continue
		}
		inL, inR := false, false
		for id := range planner.ColsUsed(c) {
			if _, ok := pe.l.lay[id]; ok {
				inL = true
			}
			if _, ok := pe.r.lay[id]; ok {
				inR = true
			}
		}
		switch {
		case inL && inR:
			cross = append(cross, c)
		case inR:
			err = side(&pe.r, rok, c)
		default: // the left side, an outer reference or a constant
			err = side(&pe.l, lok, c)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	rest := planner.And(nls)
	pure := rest == nil || onlyPhrases(rest)
	if len(cross) == 0 && pure {
		// Every pair the one-sided conjuncts keep is undecided (or, with
		// no phrase, true).
		for i := 0; i < a.nl; i++ {
			if !lok[i] {
				continue
			}
			for j := 0; j < a.nr; j++ {
				if rok[j] {
					if rest == nil {
						yes = append(yes, i*a.nr+j)
					} else {
						need = append(need, i*a.nr+j)
					}
				}
			}
		}
		return need, yes, nil
	}
	sj := &semJoinOp{x: a.x, n: a.sj, l: a.l, r: a.r}
	all := sj.Cols()
	var li, ri []int
	flush := func() error {
		if len(li) == 0 {
			return nil
		}
		b, err := sj.pairs(a.left, a.right, li, ri)
		if err != nil {
			return err
		}
		defer b.Release()
		be := &batchEnv{x: a.x, rec: b, lay: layout(all), cols: all, env: a.env}
		keep := make([]bool, len(li))
		for r := range keep {
			keep[r] = true
		}
		for _, c := range cross {
			arr, err := be.eval(c)
			if err != nil {
				return err
			}
			for r := range keep {
				if keep[r] {
					keep[r], _ = value.Truth(getValue(arr, r, c.Type()))
				}
			}
			arr.Release()
		}
		env := &rowEnv{batchEnv: be}
		for r := range li {
			if !keep[r] {
				continue
			}
			k := li[r]*a.nr + ri[r]
			switch {
			case rest == nil:
				yes = append(yes, k)
				continue
			case pure:
				need = append(need, k)
				continue
			}
			env.row = r
			v, ok, err := decide(rest, env)
			if err != nil {
				return err
			}
			if !ok {
				need = append(need, k)
			} else if t, _ := value.Truth(v); t {
				yes = append(yes, k)
			}
		}
		li, ri = li[:0], ri[:0]
		return nil
	}
	for i := 0; i < a.nl; i++ {
		if !lok[i] {
			continue
		}
		for j := 0; j < a.nr; j++ {
			if !rok[j] {
				continue
			}
			li, ri = append(li, i), append(ri, j)
			if len(li) == pairChunk {
				if err := flush(); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return nil, nil, err
	}
	return need, yes, nil
}

// onlyPhrases reports whether e reads no column outside its phrases (so
// the structured evaluation cannot decide it).
func onlyPhrases(e planner.Expr) bool {
	pure := true
	planner.Walk(e, func(x planner.Expr) bool {
		switch x.(type) {
		case *planner.NLExpr:
			return false // its context is the model's
		case *planner.ColRef, *planner.Subquery:
			pure = false
		}
		return pure
	})
	return pure
}

// pairBatch materialises the pairs items as one batch of the join's
// columns.
func (a *approxJoinOp) pairBatch(items []int) (arrow.RecordBatch, *batchEnv, error) {
	sj := &semJoinOp{x: a.x, n: a.sj, l: a.l, r: a.r}
	li, ri := make([]int, len(items)), make([]int, len(items))
	for i, k := range items {
		li[i], ri[i] = k/a.nr, k%a.nr
	}
	b, err := sj.pairs(a.left, a.right, li, ri)
	if err != nil {
		return nil, nil, err
	}
	all := sj.Cols()
	return b, &batchEnv{x: a.x, rec: b, lay: layout(all), cols: all, env: a.env}, nil
}

// plan is how many of the pairs items the model would judge (after
// de-duplication and the cache).
func (a *approxJoinOp) plan(m Model, atoms []*planner.NLExpr, items []int) (int, error) {
	b, be, err := a.pairBatch(items)
	if err != nil {
		return 0, err
	}
	defer b.Release()
	n := 0
	for _, g := range groupAtoms(atoms) {
		rb := &rowBuilder{be: be, refs: g.refs}
		rows := make([]llm.Row, len(items))
		for i := range rows {
			rows[i] = rb.row(i)
		}
		c, err := g.plan(m, rows)
		if err != nil {
			return 0, err
		}
		n = max(n, c)
	}
	return n, nil
}

// judge is the oracle over pairs: the join condition's truth for each of
// items, judged in batches of at most pairChunk pairs.
func (a *approxJoinOp) judge(m Model, atoms []*planner.NLExpr, items []int) ([]bool, error) {
	out := make([]bool, 0, len(items))
	for len(items) > 0 {
		chunk := items[:min(len(items), pairChunk)]
		items = items[len(chunk):]
		b, be, err := a.pairBatch(chunk)
		if err != nil {
			return nil, err
		}
		rows := make([]int, len(chunk))
		for i := range rows {
			rows[i] = i
		}
		ans, err := a.x.judgeAtoms(m, be, atoms, rows, len(rows))
		if err != nil {
			b.Release()
			return nil, err
		}
		ne := &nlRowEnv{rowEnv: rowEnv{batchEnv: be}, ans: ans}
		for i := range rows {
			ne.row = i
			v, err := planner.EvalRow(a.sj.Cond, ne)
			if err != nil {
				b.Release()
				return nil, err
			}
			t, _ := value.Truth(v)
			out = append(out, t)
		}
		b.Release()
		a.x.Sem.PairsJudged += int64(len(chunk))
	}
	return out, nil
}

// groupPairs splits pairs by the structured group keys, in order of first
// appearance in the (ascending) merge of the two lists: pair lists per
// group for each of lists, and the groups' key values.
func (a *approxJoinOp) groupPairs(lists ...[]int) ([][][]int, [][]value.Value, error) {
	if len(a.n.Groups) == 0 {
		return [][][]int{lists}, [][]value.Value{nil}, nil
	}
	pe := a.newPairEnv()
	index := map[string]int{}
	var groups [][][]int
	var keys [][]value.Value
	vals := make([]value.Value, len(a.n.Groups))
	var buf []byte
	pos := make([]int, len(lists))
	for {
		// the next pair in ascending order over all lists
		li := -1
		for l, xs := range lists {
			if pos[l] < len(xs) && (li < 0 || xs[pos[l]] < lists[li][pos[li]]) {
				li = l
			}
		}
		if li < 0 {
			break
		}
		k := lists[li][pos[li]]
		pos[li]++
		pe.at(k)
		for g, e := range a.n.Groups {
			v, err := planner.EvalRow(e, pe)
			if err != nil {
				return nil, nil, err
			}
			vals[g] = v
		}
		buf = rowKey(buf[:0], vals)
		g, ok := index[string(buf)]
		if !ok {
			g = len(groups)
			index[string(buf)] = g
			groups = append(groups, make([][]int, len(lists)))
			keys = append(keys, append([]value.Value(nil), vals...))
		}
		groups[g][li] = append(groups[g][li], k)
	}
	return groups, keys, nil
}

// argFunc evaluates the aggregates' arguments for pairs; the first error
// is kept in *errp (sampling reads values without errors).
func (a *approxJoinOp) argFunc(errp *error) func(j, k int) value.Value {
	pe := a.newPairEnv()
	return func(j, k int) value.Value {
		v, err := planner.EvalRow(a.n.Aggs[j].Args[0], pe.at(k))
		if err != nil && *errp == nil {
			*errp = err
		}
		return v
	}
}

// exactAnswer judges every undecided pair and aggregates the pairs that
// pass (SQL's groups: only those with at least one pair).
func (a *approxJoinOp) exactAnswer(m Model, atoms []*planner.NLExpr, need, yes []int) (arrow.RecordBatch, error) {
	pass, err := a.judge(m, atoms, need)
	if err != nil {
		return nil, err
	}
	var hit []int
	for i, k := range need {
		if pass[i] {
			hit = append(hit, k)
		}
	}
	a.x.strategy(a.sj, fmt.Sprintf("every pair: %d judged, %d decided without the model", len(need), a.nl*a.nr-len(need)))
	groups, keys, err := a.groupPairs(yes, hit)
	if err != nil {
		return nil, err
	}
	if len(a.n.Groups) > 0 {
		// drop groups with no passing pair
		k := 0
		for g := range groups {
			if len(groups[g][0])+len(groups[g][1]) > 0 {
				groups[k], keys[k] = groups[g], keys[g]
				k++
			}
		}
		groups, keys = groups[:k], keys[:k]
	}
	var argErr error
	arg := a.argFunc(&argErr)
	all := func(int) bool { return true }
	out := aggBatch(a.x, a.n, keys, func(g, j int) value.Value {
		rows := append(append([]int(nil), groups[g][0]...), groups[g][1]...)
		return exactAgg(a.n.Aggs[j], rows, all, func(k int) value.Value { return arg(j, k) })
	})
	if argErr != nil {
		out.Release()
		return nil, argErr
	}
	return out, nil
}

// estimate answers from a sample of the undecided pairs, within budget.
func (a *approxJoinOp) estimate(m Model, atoms []*planner.NLExpr, need, yes []int, budget int) (arrow.RecordBatch, error) {
	groups, keys, err := a.groupPairs(need, yes)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		// grouped, and no pair can pass: no group
		a.x.strategy(a.sj, "every pair decided without the model")
		return aggBatch(a.x, a.n, nil, nil), nil
	}
	var argErr error
	sp := &sampleSpec{
		aggs:    a.n.Aggs,
		groups:  make([]sampleGroup, len(groups)),
		arg:     a.argFunc(&argErr),
		judge:   func(items []int) ([]bool, error) { return a.judge(m, atoms, items) },
		budget:  budget,
		pos:     atoms[0].Pos,
		phrases: texts(atoms),
	}
	for g := range groups {
		sp.groups[g] = sampleGroup{need: groups[g][0], yes: groups[g][1]}
	}
	prior, err := a.pairPrior(atoms)
	if err != nil {
		return nil, err
	}
	sp.prior = prior
	res, err := a.x.sampleAggs(sp)
	if err != nil {
		return nil, err
	}
	if argErr != nil {
		return nil, argErr
	}
	a.x.Approximate = true
	note := a.x.sampledNote(res, fmt.Sprintf("%d of %d pairs judged", res.judged, len(need)))
	if d := a.nl*a.nr - len(need); d > 0 {
		note += fmt.Sprintf("; %d pairs decided without the model", d)
	}
	if prior != nil {
		note += "; pairs stratified by the similarity of their rows' embeddings"
	}
	a.x.strategy(a.sj, note)
	return aggBatch(a.x, a.n, keys, func(g, j int) value.Value {
		return estValue(a.n.Aggs[j], res.est[g][j])
	}), nil
}

// pairPrior is each pair's prior: the cosine similarity of its two rows'
// embeddings (each side embedded once, from the columns the phrases read
// on that side, long texts in windows); nil without an Embedder or when
// the phrases read one side only.
func (a *approxJoinOp) pairPrior(atoms []*planner.NLExpr) (func(k int) float64, error) {
	if a.x.Embedder == nil {
		return nil, nil
	}
	lrefs, rrefs := sideRefs(atoms, layout(a.l.Cols()), layout(a.r.Cols()))
	if len(lrefs) == 0 || len(rrefs) == 0 {
		return nil, nil
	}
	pe := a.newPairEnv()
	embed := func(be *batchEnv, refs []planner.ColRef, n int) ([][]float32, error) {
		ts := make([]string, n)
		for i := range ts {
			ts[i] = contextText(be, refs, i)
		}
		v, _, err := a.x.embedRows(ts, "", false)
		return v, err
	}
	lv, err := embed(pe.l.batchEnv, lrefs, a.nl)
	if err != nil {
		return nil, err
	}
	rv, err := embed(pe.r.batchEnv, rrefs, a.nr)
	if err != nil {
		return nil, err
	}
	nr := a.nr
	return func(k int) float64 {
		// unit vectors: the cosine is the dot product
		u, v := lv[k/nr], rv[k%nr]
		var s float32
		for t := range min(len(u), len(v)) {
			s += u[t] * v[t]
		}
		return float64(s)
	}, nil
}
