package executor

import (
	"context"
	"fmt"
	"github.com/uqe-dev/uqe/errs"
	"math"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/sampling"
	"github.com/uqe-dev/uqe/value"
)

// approxAggOp computes COUNT, SUM, AVG and TOTAL over the rows a
// natural-language condition selects. When the budget covers every row
// left after structured filters (and the cache), it is exact: every row is
// judged. Otherwise it estimates each aggregate from a sample, with a
// confidence interval (package sampling), and marks the answer
// approximate. Rows whose fate the structured part of the condition
// decides are counted exactly and never judged; only the undecided rows
// are sampled.
type approxAggOp struct {
	x    *Exec
	n    *planner.Aggregate
	sf   *planner.SemFilter
	in   Operator
	env  *frame
	done bool
}

// approximable reports whether an aggregate over a semantic filter can be
// estimated from a sample: every aggregate is COUNT, SUM, AVG or TOTAL (or
// an interval bound of one) without DISTINCT.
func approximable(n *planner.Aggregate) (*planner.SemFilter, bool) {
	sf, ok := n.In.(*planner.SemFilter)
	if !ok || !aggsApproximable(n) {
		return nil, false
	}
	return sf, true
}

// aggsApproximable reports whether an aggregate's calls and group keys can
// be estimated from a sample: every call is COUNT, SUM, AVG or TOTAL (or an
// interval bound of one) without DISTINCT or a phrase in its argument, and
// no group key holds a phrase.
func aggsApproximable(n *planner.Aggregate) bool {
	for _, a := range n.Aggs {
		switch a.Name {
		case "count", "sum", "avg", "total":
		default:
			return false
		}
		if a.Distinct || planner.HasNL(planner.And(a.Args)) {
			return false
		}
	}
	for _, g := range n.Groups {
		if planner.HasNL(g) {
			return false
		}
	}
	return true
}

func (a *approxAggOp) Cols() []planner.Col { return a.n.Cols }

func (a *approxAggOp) Close() { a.in.Close() }

func (a *approxAggOp) Next() (arrow.RecordBatch, error) {
	if a.done {
		return nil, nil
	}
	a.done = true
	m, err := a.x.model(a.sf)
	if err != nil {
		return nil, err
	}
	rec, err := a.x.materialise(a.in)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	n := int(rec.NumRows())
	be := &batchEnv{x: a.x, rec: rec, lay: layout(a.in.Cols()), cols: a.in.Cols(), env: a.env}
	cond := a.sf.Cond
	atoms := nlAtoms(cond)

	// Decide what the structured part can.
	decided := make([]int8, n) // 1 true, -1 false, 0 undecided
	var need []int
	env := &rowEnv{batchEnv: be}
	for i := 0; i < n; i++ {
		env.row = i
		v, ok, err := decide(cond, env)
		if err != nil {
			return nil, err
		}
		if !ok {
			need = append(need, i)
			continue
		}
		if t, _ := value.Truth(v); t {
			decided[i] = 1
		} else {
			decided[i] = -1
		}
	}
	a.x.Sem.RowsIn += int64(n)
	a.x.Sem.RowsDecided += int64(n - len(need))

	// How many rows would an exact answer judge?
	uncached := 0
	if len(need) > 0 {
		for _, g := range groupAtoms(atoms) {
			rb := &rowBuilder{be: be, refs: g.refs}
			rows := make([]llm.Row, len(need))
			for k, r := range need {
				rows[k] = rb.row(r)
			}
			c, err := g.plan(m, rows)
			if err != nil {
				return nil, err
			}
			uncached = max(uncached, c)
		}
	}
	remaining := int64(-1)
	if b := m.Budget(); b != nil {
		remaining = b.Remaining()
	}
	if remaining < 0 || int64(uncached) <= remaining || a.x.ForceExact || a.x.SampleStrategy == "exact" {
		a.x.strategy(a.sf, "exact")
		pass, err := a.x.semFilter(a.sf, m, be, cond)
		if err != nil {
			return nil, err
		}
		return a.aggregate(be, func(i int) bool { return pass[i] }, nil)
	}
	return a.estimate(m, be, atoms, decided, need, int(remaining))
}

// aggregate computes the aggregates exactly over the rows keep selects;
// est, when not nil, supplies estimated values and bounds per group and
// aggregate instead.
func (a *approxAggOp) aggregate(be *batchEnv, keep func(int) bool, est map[string][]sampling.Estimate) (arrow.RecordBatch, error) {
	groups, keys, order, err := a.groupRows(be)
	if err != nil {
		return nil, err
	}
	argVals, err := a.argValues(be)
	if err != nil {
		return nil, err
	}
	if len(order) == 0 && len(a.n.Groups) == 0 {
		order = []string{""}
		keys[""] = nil
	}
	gkeys := make([][]value.Value, len(order))
	for g, k := range order {
		gkeys[g] = keys[k]
	}
	return aggBatch(a.x, a.n, gkeys, func(g, j int) value.Value {
		if est != nil {
			return estValue(a.n.Aggs[j], est[order[g]][j])
		}
		args := argVals[j]
		return exactAgg(a.n.Aggs[j], groups[order[g]], keep, func(r int) value.Value { return args[r] })
	}), nil
}

// estValue is the value of an aggregate call (its estimate, or the bound
// CI_LOW / CI_HIGH asks for) from an estimate; NaN is NULL.
func estValue(ag *planner.AggCall, e sampling.Estimate) value.Value {
	var v value.Value
	switch ag.Bound {
	case "low":
		v = value.FromFloat(e.Low)
	case "high":
		v = value.FromFloat(e.High)
	default:
		v = value.FromFloat(e.Value)
	}
	if math.IsNaN(v.F) {
		return value.NullValue
	}
	return v
}

// aggBatch builds an aggregate's output: one row per group, its key
// values, then cell(g, j) for every aggregate j, fitted to the column
// types by coerceAgg.
func aggBatch(x *Exec, n *planner.Aggregate, keys [][]value.Value, cell func(g, j int) value.Value) arrow.RecordBatch {
	cols := make([][]value.Value, len(n.Cols))
	ng := len(n.Groups)
	for g, k := range keys {
		for i := 0; i < ng; i++ {
			cols[i] = append(cols[i], k[i])
		}
		for j, ag := range n.Aggs {
			cols[ng+j] = append(cols[ng+j], coerceAgg(cell(g, j), n.Cols[ng+j].Type, ag.Bound))
		}
	}
	arrs := make([]arrow.Array, len(n.Cols))
	for i, c := range n.Cols {
		arrs[i] = buildValues(x.Mem, c.Type, cols[i])
	}
	out := array.NewRecordBatch(schemaOf(n.Cols), arrs, int64(len(keys)))
	releaseAll(arrs)
	return out
}

// coerceAgg fits an aggregate's value to its column type: an estimated
// COUNT is rounded (its low bound down, its high bound up).
func coerceAgg(v value.Value, t planner.Type, bound string) value.Value {
	if v.IsNull() || v.K != value.Real || t != planner.TInt {
		return v
	}
	switch bound {
	case "low":
		return value.FromInt(int64(math.Floor(v.F)))
	case "high":
		return value.FromInt(int64(math.Ceil(v.F)))
	}
	return value.FromInt(int64(math.Round(v.F)))
}

// exactAgg computes one aggregate over the items rows that keep selects;
// arg(item) is the aggregate's argument (not read for COUNT(*)).
func exactAgg(ag *planner.AggCall, rows []int, keep func(int) bool, arg func(int) value.Value) value.Value {
	var cnt int64
	var sum float64
	var isum int64
	allInt := true
	for _, r := range rows {
		if !keep(r) {
			continue
		}
		if ag.Star {
			cnt++
			continue
		}
		v := arg(r)
		if v.IsNull() {
			continue
		}
		cnt++
		v = value.ToNumeric(v)
		if v.K == value.Int {
			isum += v.I
			sum += float64(v.I)
		} else {
			allInt = false
			sum += value.AsFloat(v)
		}
	}
	switch ag.Name {
	case "count":
		return value.FromInt(cnt)
	case "sum":
		if cnt == 0 {
			return value.NullValue
		}
		if allInt {
			return value.FromInt(isum)
		}
		return value.FromFloat(sum)
	case "total":
		return value.FromFloat(sum)
	default: // avg
		if cnt == 0 {
			return value.NullValue
		}
		return value.FromFloat(sum / float64(cnt))
	}
}

// groupRows partitions the rows by the structured group keys.
func (a *approxAggOp) groupRows(be *batchEnv) (map[string][]int, map[string][]value.Value, []string, error) {
	n := int(be.rec.NumRows())
	keyArrs := make([]arrow.Array, len(a.n.Groups))
	for g, e := range a.n.Groups {
		arr, err := be.eval(e)
		if err != nil {
			releaseAll(keyArrs[:g])
			return nil, nil, nil, err
		}
		keyArrs[g] = arr
	}
	defer releaseAll(keyArrs)
	groups := map[string][]int{}
	keys := map[string][]value.Value{}
	var order []string
	var buf []byte
	vals := make([]value.Value, len(a.n.Groups))
	for i := 0; i < n; i++ {
		for g, e := range a.n.Groups {
			vals[g] = getValue(keyArrs[g], i, e.Type())
		}
		buf = rowKey(buf[:0], vals)
		k := string(buf)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
			keys[k] = append([]value.Value(nil), vals...)
		}
		groups[k] = append(groups[k], i)
	}
	return groups, keys, order, nil
}

// estimate answers from a sample of the undecided rows, within the budget.
func (a *approxAggOp) estimate(m Model, be *batchEnv, atoms []*planner.NLExpr, decided []int8, need []int, budget int) (arrow.RecordBatch, error) {
	groups, _, order, err := a.groupRows(be)
	if err != nil {
		return nil, err
	}
	if len(order) == 0 {
		order = []string{""}
	}
	n := int(be.rec.NumRows())
	needPos := make(map[int]int, len(need))
	for k, r := range need {
		needPos[r] = k
	}
	emb, _, prior, err := a.x.rowFeatures(be, atoms, need, false)
	if err != nil {
		return nil, err
	}
	argVals, err := a.argValues(be)
	if err != nil {
		return nil, err
	}
	sp := &sampleSpec{
		aggs:    a.n.Aggs,
		groups:  make([]sampleGroup, len(order)),
		budget:  budget,
		pos:     atoms[0].Pos,
		phrases: texts(atoms),
		record:  true,
		arg:     func(j, r int) value.Value { return argVals[j][r] },
		// The oracle judges rows (batch indices) with the whole condition.
		judge: func(rows []int) ([]bool, error) {
			ans, err := a.x.judgeAtoms(m, be, atoms, rows, n)
			if err != nil {
				return nil, err
			}
			ne := &nlRowEnv{rowEnv: rowEnv{batchEnv: be}, ans: ans}
			out := make([]bool, len(rows))
			for k, r := range rows {
				ne.row = r
				v, err := planner.EvalRow(a.sf.Cond, ne)
				if err != nil {
					return nil, err
				}
				out[k], _ = value.Truth(v)
			}
			return out, nil
		},
	}
	if emb != nil {
		sp.emb = func(r int) []float32 { return emb[needPos[r]] }
	}
	if prior != nil {
		sp.prior = func(r int) float64 { return prior[needPos[r]] }
	}
	for g, gk := range order {
		for _, r := range groups[gk] {
			switch decided[r] {
			case 0:
				sp.groups[g].need = append(sp.groups[g].need, r)
			case 1:
				sp.groups[g].yes = append(sp.groups[g].yes, r)
			}
		}
	}
	res, err := a.x.sampleAggs(sp)
	if err != nil {
		return nil, err
	}
	est := map[string][]sampling.Estimate{}
	for g, gk := range order {
		est[gk] = res.est[g]
	}
	a.x.Approximate = true
	a.x.strategy(a.sf, a.x.sampledNote(res, fmt.Sprintf("%d of %d undecided rows judged", res.judged, len(need))))
	return a.aggregate(be, func(int) bool { return false }, est)
}

// sampleGroup is one group of an aggregate estimated from a sample: its
// undecided items (the population sampled, in order) and its items the
// structured predicates decided true (counted exactly). Items are whatever
// the operator numbers: rows of a batch, pairs of a join.
type sampleGroup struct {
	need, yes []int
}

// sampleSpec is an aggregate to estimate, per group, from samples of
// undecided items; approxAggOp (items are rows) and approxJoinOp (items are
// pairs of rows) share the estimation through it.
type sampleSpec struct {
	aggs   []*planner.AggCall
	groups []sampleGroup
	// arg is aggregate j's argument for an item (not read for COUNT(*)).
	arg func(j, item int) value.Value
	// emb and prior, when not nil, are an undecided item's features.
	emb   func(item int) []float32
	prior func(item int) float64
	// judge is the oracle: the condition's truth for each item.
	judge  func(items []int) ([]bool, error)
	budget int
	pos    errs.Pos // where a budget error points
	// phrases names the condition's phrases; with record, every COUNT(*)
	// estimate is added to Exec.Estimates for the engine's statistics.
	phrases []string
	record  bool
}

// sampleResult is what sampleAggs estimated: est[g][j] for group g and
// aggregate j.
type sampleResult struct {
	est      [][]sampling.Estimate
	strategy string
	judged   int
	partial  bool
}

// sampleAggs estimates every aggregate of sp in every group from one
// shared sample per group (sampling.Many: each item judged once for all
// aggregates, the allocation driven by the condition's COUNT); the budget
// is split between the groups: one item to every group with undecided
// items, the rest by size (splitBudget). A budget too small for that
// fails with M002 before any call.
func (x *Exec) sampleAggs(sp *sampleSpec) (*sampleResult, error) {
	strategy := x.SampleStrategy
	if strategy == "" {
		strategy = "auto"
	}
	sizes := make([]int, len(sp.groups))
	for g, gr := range sp.groups {
		sizes[g] = len(gr.need)
	}
	budget := sp.budget
	gbs, minNeed := splitBudget(sizes, budget)
	if budget < minNeed {
		return nil, errs.At(sp.pos, errs.BudgetExceeded, "the budget of %d rows judged is too small to estimate %d group(s) from a sample: at least %d are needed, one per group (SET budget = N to raise it, 0 for no limit)", budget, minNeed, minNeed)
	}
	res := &sampleResult{est: make([][]sampling.Estimate, len(sp.groups)), strategy: strategy}
	for g, gr := range sp.groups {
		gneed := gr.need
		pop := &sampling.Population{N: len(gneed)}
		if sp.emb != nil {
			pop.Emb = make([][]float32, len(gneed))
			for i, r := range gneed {
				pop.Emb[i] = sp.emb(r)
			}
		}
		if sp.prior != nil {
			pop.Prior = make([]float64, len(gneed))
			for i, r := range gneed {
				pop.Prior[i] = sp.prior(r)
			}
		}
		orc := func(ctx context.Context, idx []int) ([]bool, error) {
			items := make([]int, len(idx))
			for i, j := range idx {
				items[i] = gneed[j]
			}
			return sp.judge(items)
		}
		ests, err := x.estimateGroup(sp, pop, gr, orc, gbs[g], strategy)
		if err != nil {
			return nil, err
		}
		for _, e := range ests {
			res.partial = res.partial || e.Partial
		}
		if len(ests) > 0 {
			res.judged += ests[0].Judged
			res.strategy = ests[0].Strategy
		}
		res.est[g] = ests
	}
	if x.Progress != nil {
		x.Progress("") // clear the progress line
	}
	return res, nil
}

// sampledNote is the strategy note of a sampled estimate: "sampled
// (strategy): <judged>, 95% intervals", whether it was cancelled early, and
// whether target_error was reached.
func (x *Exec) sampledNote(res *sampleResult, judged string) string {
	note := fmt.Sprintf("sampled (%s): %s, %.0f%% intervals", res.strategy, judged, 100*x.confidence())
	if res.partial {
		note += "; partial: cancelled before the budget was spent"
	}
	if t := x.TargetError; t > 0 {
		// the widest relative half-width among the estimates
		widest := 0.0
		for _, es := range res.est {
			for _, e := range es {
				if e.Exact || math.IsNaN(e.Value) {
					continue
				}
				hw := (e.High - e.Low) / 2
				if e.Value == 0 {
					if hw > 0 {
						widest = math.Inf(1)
					}
					continue
				}
				widest = math.Max(widest, hw/math.Abs(e.Value))
			}
		}
		switch {
		case widest <= t:
			note += fmt.Sprintf("; target_error ±%.3g%% reached", 100*t)
		case res.partial:
			note += fmt.Sprintf("; target_error ±%.3g%% not reached (widest interval ±%.3g%%)", 100*t, 100*widest)
		default:
			note += fmt.Sprintf("; target_error ±%.3g%% not reached within the budget (widest interval ±%.3g%%; SET budget = N to allow more rows)", 100*t, 100*widest)
		}
	}
	return note
}

// argValues reads every aggregate's argument for every row.
func (a *approxAggOp) argValues(be *batchEnv) ([][]value.Value, error) {
	n := int(be.rec.NumRows())
	out := make([][]value.Value, len(a.n.Aggs))
	for j, ag := range a.n.Aggs {
		if ag.Star {
			continue
		}
		arr, err := be.eval(ag.Args[0])
		if err != nil {
			return nil, err
		}
		out[j] = make([]value.Value, n)
		for i := 0; i < n; i++ {
			out[j][i] = getValue(arr, i, ag.Args[0].Type())
		}
		arr.Release()
	}
	return out, nil
}

// chunk is how many rows a sampling round sends to the model at a time:
// what the model layer has in calls at once, so that a cancelled
// statement keeps the verdicts already answered (0: the whole round).
func (x *Exec) chunk() int {
	if m, ok := x.Model.(interface{ InFlight() int }); ok {
		return m.InFlight()
	}
	return 0
}

// estimateGroup estimates one group's aggregates from one sample of its
// undecided items: the condition's COUNT drives the sample (it comes
// first), each distinct aggregate is one more sampling.Agg over the same
// judged items (COUNT(x): the non-NULL ones; SUM/TOTAL: the values; AVG:
// the values over the non-NULL ones); the items decided true count
// exactly (added to COUNT and SUM, folded into AVG conservatively).
func (x *Exec) estimateGroup(sp *sampleSpec, pop *sampling.Population, gr sampleGroup, orc sampling.Oracle, budget int, strategy string) ([]sampling.Estimate, error) {
	o := sampling.Options{Strategy: strategy, Conf: x.confidence(), Seed: uint64(x.Seed), TargetRelErr: x.TargetError, Chunk: x.chunk()}
	if x.Progress != nil {
		// Online aggregation: the running estimate after every round.
		o.Progress = func(e sampling.Estimate) {
			x.Progress(fmt.Sprintf("count ≈ %.6g [%.6g, %.6g] after %d rows judged", e.Value, e.Low, e.High, e.Judged))
		}
	}
	aggs := []sampling.Agg{{Kind: "count"}}
	index := map[string]int{} // distinct aggregate → its sampling.Agg
	slot := make([]int, len(sp.aggs))
	type exactPart struct{ cnt, sum float64 }
	exact := make([]exactPart, len(sp.aggs))
	for j, ag := range sp.aggs {
		arg := func(r int) value.Value { return sp.arg(j, r) }
		for _, r := range gr.yes {
			if ag.Star {
				exact[j].cnt++
			} else if v := arg(r); !v.IsNull() {
				exact[j].cnt++
				exact[j].sum += value.AsFloat(v)
			}
		}
		if ag.Name == "count" && ag.Star {
			slot[j] = 0
			continue
		}
		key := ag.Name + "|" + planner.ExprString(planner.And(ag.Args))
		if k, ok := index[key]; ok {
			slot[j] = k
			continue
		}
		vals := make([]float64, len(gr.need))
		has := make([]bool, len(gr.need))
		for i, r := range gr.need {
			if v := arg(r); !v.IsNull() {
				vals[i], has[i] = value.AsFloat(v), true
			}
		}
		var a sampling.Agg
		switch ag.Name {
		case "count": // COUNT(x): the rows with x not NULL
			for i := range vals {
				vals[i] = 0
				if has[i] {
					vals[i] = 1
				}
			}
			a = sampling.Agg{Kind: "sum", Weight: vals}
		case "sum", "total":
			a = sampling.Agg{Kind: "sum", Weight: vals}
		default: // avg
			a = sampling.Agg{Kind: "avg", Weight: vals, Has: has}
		}
		index[key] = len(aggs)
		slot[j] = len(aggs)
		aggs = append(aggs, a)
	}
	es, err := sampling.Many(x.Ctx, pop, orc, budget, aggs, o)
	if err != nil {
		return nil, err
	}
	if c := es[0]; !c.Exact && sp.record {
		x.Estimates = append(x.Estimates, EstimateObs{Phrases: sp.phrases, Strategy: c.Strategy,
			N: pop.N, Judged: c.Judged, Value: c.Value, Low: c.Low, High: c.High, Conf: o.Conf, Partial: c.Partial})
	}
	shift := func(e sampling.Estimate, d float64) sampling.Estimate {
		e.Value, e.Low, e.High = e.Value+d, e.Low+d, e.High+d
		return e
	}
	out := make([]sampling.Estimate, len(sp.aggs))
	for j, ag := range sp.aggs {
		e := es[slot[j]]
		switch {
		case ag.Name == "count":
			out[j] = shift(e, exact[j].cnt)
		case ag.Name == "sum" || ag.Name == "total":
			out[j] = shift(e, exact[j].sum)
		default: // avg
			dcnt, dsum := exact[j].cnt, exact[j].sum
			if dcnt == 0 {
				out[j] = e
				continue
			}
			// the undecided rows' non-NULL count: estimated as COUNT(x)
			// would be; conservatively the condition's count bounds it
			c := es[0]
			mix := func(avg, cnt float64) float64 {
				if math.IsNaN(avg) || cnt <= 0 {
					return dsum / dcnt
				}
				return (dsum + avg*cnt) / (dcnt + cnt)
			}
			lo := math.Min(math.Min(mix(e.Low, c.Low), mix(e.Low, c.High)), mix(e.Low, 0))
			hi := math.Max(math.Max(mix(e.High, c.Low), mix(e.High, c.High)), mix(e.High, 0))
			v := mix(e.Value, c.Value)
			out[j] = sampling.Estimate{Value: v, Low: math.Min(lo, v), High: math.Max(hi, v), Judged: e.Judged, Strategy: e.Strategy, Partial: e.Partial, Exact: e.Exact && c.Exact}
		}
	}
	return out, nil
}

// EstimateObs is one COUNT(*) estimated from a sample of the rows a
// semantic filter left undecided: the population (N undecided rows), the
// rows judged, the strategy that produced it and its interval at
// confidence Conf, all over the undecided rows only (rows the structured
// predicates decided are not part of it).
type EstimateObs struct {
	Phrases          []string
	Strategy         string
	N, Judged        int
	Value, Low, High float64
	Conf             float64
	Partial          bool
}

// atomGroup is the phrases of a condition that read the same columns:
// they are answered together, one call per row.
type atomGroup struct {
	refs  []planner.ColRef
	preds []*planner.NLExpr
	exts  []*planner.NLExpr
}

// groupAtoms groups phrases by the columns they read.
func groupAtoms(atoms []*planner.NLExpr) []*atomGroup {
	var groups []*atomGroup
	byKey := map[string]*atomGroup{}
	for _, a := range atoms {
		k := contextKey(a.Context)
		g := byKey[k]
		if g == nil {
			g = &atomGroup{refs: a.Context}
			byKey[k] = g
			groups = append(groups, g)
		}
		if a.T == planner.TBool && a.Cast == "" {
			g.preds = append(g.preds, a)
		} else {
			g.exts = append(g.exts, a)
		}
	}
	return groups
}

// plan is how many rows the model would judge to answer the group's
// phrases for rows (after de-duplication and the cache).
func (g *atomGroup) plan(m Model, rows []llm.Row) (int, error) {
	n := 0
	if len(g.preds) > 0 {
		c, err := m.PlanJudge(texts(g.preds), rows)
		if err != nil {
			return 0, err
		}
		n = c
	}
	if len(g.exts) > 0 {
		c, err := m.PlanExtract(attrsOf(g.exts), rows)
		if err != nil {
			return 0, err
		}
		n = max(n, c)
	}
	return n, nil
}

// Approximable reports whether an aggregate can be answered from a sample
// when the budget does not cover its semantic filter (for EXPLAIN).
func Approximable(n *planner.Aggregate) bool {
	_, ok := approximable(n)
	return ok
}

// splitBudget divides budget between groups of sizes rows: one row to
// each non-empty group first, the rest in proportion to size (largest
// remainders; never more than a group's size). need is the number of
// non-empty groups, the least budget that gives every one an estimate.
func splitBudget(sizes []int, budget int) (out []int, need int) {
	out = make([]int, len(sizes))
	total := 0
	for _, n := range sizes {
		if n > 0 {
			need++
			total += n
		}
	}
	if budget < need || total == 0 {
		return out, need
	}
	left := budget
	for g, n := range sizes {
		if n > 0 {
			out[g] = 1
			left--
		}
	}
	// proportional shares of the rest, capped at each group's size;
	// repeat while capped groups leave budget over
	for left > 0 {
		room := 0
		for g, n := range sizes {
			room += n - out[g]
		}
		if room == 0 {
			break
		}
		type rem struct {
			g int
			f float64
		}
		var rems []rem
		given := 0
		for g, n := range sizes {
			r := n - out[g]
			if r <= 0 {
				continue
			}
			share := float64(left) * float64(r) / float64(room)
			k := min(int(share), r)
			out[g] += k
			given += k
			if out[g] < n {
				rems = append(rems, rem{g, share - float64(k)})
			}
		}
		left -= given
		sort.SliceStable(rems, func(i, j int) bool { return rems[i].f > rems[j].f })
		for _, x := range rems {
			if left == 0 {
				break
			}
			out[x.g]++
			left--
		}
		if given == 0 && len(rems) == 0 {
			break
		}
	}
	return out, need
}
