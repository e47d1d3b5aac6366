package executor

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/sampling"
	"github.com/uqe-dev/uqe/value"
)

// approxGroupOp answers SELECT "phrase" AS g, COUNT(*) ... GROUP BY g when
// the budget does not cover every row: the taxonomy comes from a small
// sample spread over the embedding space (so rare groups are seen), the
// group counts are estimated from a stratified sample of rows labelled by
// the model (sampling.GroupDistribution), each with an interval, and a
// residual group "(other)" holds what the taxonomy does not name. When the
// budget covers every row it runs exactly (SemGroup, then the aggregate).
type approxGroupOp struct {
	x     *Exec
	n     *planner.Aggregate
	sg    *planner.SemGroup
	in    Operator
	env   *frame
	done  bool
	exact Operator
}

// groupApproximable matches an aggregate whose only group key is a
// SemGroup's column and whose aggregates are COUNT(*) and its bounds.
func groupApproximable(n *planner.Aggregate) (*planner.SemGroup, bool) {
	sg, ok := n.In.(*planner.SemGroup)
	if !ok || len(n.Groups) != 1 {
		return nil, false
	}
	if c, ok := n.Groups[0].(*planner.ColRef); !ok || c.ID != sg.Col.ID {
		return nil, false
	}
	for _, a := range n.Aggs {
		if a.Name != "count" || !a.Star {
			return nil, false
		}
	}
	return sg, true
}

func (a *approxGroupOp) Cols() []planner.Col { return a.n.Cols }

func (a *approxGroupOp) Close() {
	if a.exact != nil {
		a.exact.Close()
		return
	}
	a.in.Close()
}

// batchOp yields one batch (then nothing).
type batchOp struct {
	cols []planner.Col
	rec  arrow.RecordBatch
}

func (b *batchOp) Cols() []planner.Col { return b.cols }
func (b *batchOp) Next() (arrow.RecordBatch, error) {
	r := b.rec
	b.rec = nil
	return r, nil
}
func (b *batchOp) Close() {
	if b.rec != nil {
		b.rec.Release()
		b.rec = nil
	}
}

func (a *approxGroupOp) Next() (arrow.RecordBatch, error) {
	if a.exact != nil {
		return a.exact.Next()
	}
	if a.done {
		return nil, nil
	}
	a.done = true
	m, err := a.x.model(a.sg)
	if err != nil {
		return nil, err
	}
	rec, err := a.x.materialise(a.in)
	if err != nil {
		return nil, err
	}
	n := int(rec.NumRows())
	be := &batchEnv{x: a.x, rec: rec, lay: layout(a.in.Cols()), cols: a.in.Cols(), env: a.env}
	rb := &rowBuilder{be: be, refs: a.sg.Key.Context}
	rows := make([]llm.Row, n)
	for i := range rows {
		rows[i] = rb.row(i)
	}
	free := []llm.Attr{{Instruction: a.sg.Key.Text, Type: llm.Type{Kind: llm.KindText}}}
	need, err := m.PlanExtract(free, rows)
	if err != nil {
		rec.Release()
		return nil, err
	}
	budget := -1
	if b := m.Budget(); b != nil {
		budget = int(b.Remaining())
	}
	if budget < 0 || need+min(n, taxonomySample) <= budget || a.x.ForceExact {
		// Exact: the ordinary operators over the materialised rows.
		src := &batchOp{cols: a.in.Cols(), rec: rec}
		a.exact = &aggOp{x: a.x, in: &semGroupOp{x: a.x, n: a.sg, in: src, env: a.env}, n: a.n, env: a.env}
		return a.exact.Next()
	}
	defer rec.Release()
	a.x.Sem.RowsIn += int64(n)
	// Embeddings (long texts in windows, see rowFeatures): for the
	// taxonomy's spread-out sample and the strata.
	texts := make([]string, n)
	for i, r := range rows {
		texts[i] = r.Text()
	}
	var emb [][]float32
	if a.x.Embedder != nil {
		if emb, _, err = a.x.embedRows(texts, "", false); err != nil {
			return nil, err
		}
	}
	// The taxonomy: a sample spread over the embedding space (rows
	// bucketed by the signs of four random projections, taken round-robin
	// across buckets), a quarter of the budget at most.
	ts := min(taxonomySample, max(8, budget/4), n)
	sample := spreadSample(emb, n, ts, uint64(a.x.Seed))
	srows := make([]llm.Row, len(sample))
	for i, r := range sample {
		srows[i] = rows[r]
	}
	cats, err := m.Taxonomy(a.x.Ctx, a.sg.Key.Text, srows, taxonomyMax)
	if err != nil {
		return nil, withPos(err, a.sg.Key)
	}
	// names that are the same name become one group
	cats = newNames().distinct(cats)
	rem := budget
	if b := m.Budget(); b != nil {
		rem = int(b.Remaining())
	}
	attr := []llm.Attr{{Instruction: a.sg.Key.Text, Type: llm.Type{Kind: llm.KindEnum, Enum: cats}}}
	oracle := func(ctx context.Context, idx []int) ([]string, error) {
		rs := make([]llm.Row, len(idx))
		for i, j := range idx {
			rs[i] = rows[j]
		}
		vs, err := m.Extract(ctx, attr, rs)
		if err != nil {
			return nil, withPos(err, a.sg.Key)
		}
		out := make([]string, len(idx))
		for i := range idx {
			if v := vs[i][0]; v.IsNull() {
				out[i] = "(other)"
			} else {
				out[i] = value.ToText(v).S
			}
		}
		return out, nil
	}
	pop := &sampling.Population{N: n, Emb: emb}
	strategy := a.x.SampleStrategy
	switch strategy {
	case "", "auto", "uniform", "stratified":
	default:
		strategy = "auto"
	}
	res, err := sampling.GroupDistribution(a.x.Ctx, pop, oracle, rem, sampling.Options{Strategy: strategy, Conf: a.x.confidence(), Seed: uint64(a.x.Seed)})
	if err != nil {
		return nil, err
	}
	a.x.Approximate = true
	a.x.strategy(a.sg, fmt.Sprintf("sampled (%s): taxonomy from %d spread-out rows, %d rows labelled for the counts, %.0f%% intervals", res.Strategy, len(sample), res.Judged, 100*a.x.confidence()))
	cols := make([][]value.Value, len(a.n.Cols))
	for _, g := range res.Groups {
		cols[0] = append(cols[0], value.FromText(g.Label))
		for j, ag := range a.n.Aggs {
			v := g.Count
			switch ag.Bound {
			case "low":
				v = math.Floor(g.CountLow)
			case "high":
				v = math.Ceil(g.CountHigh)
			}
			cols[1+j] = append(cols[1+j], value.FromInt(int64(math.Round(v))))
		}
	}
	arrs := make([]arrow.Array, len(a.n.Cols))
	for i, c := range a.n.Cols {
		arrs[i] = buildValues(a.x.Mem, c.Type, cols[i])
	}
	out := array.NewRecordBatch(schemaOf(a.n.Cols), arrs, int64(len(res.Groups)))
	releaseAll(arrs)
	return out, nil
}

// spreadSample picks k of n rows spread over the embedding space: rows are
// bucketed by the signs of four seeded random projections of their
// embedding (16 buckets), shuffled within buckets, and taken round-robin,
// so small regions of the space (rare groups) are represented. Without
// embeddings it is a uniform sample.
func spreadSample(emb [][]float32, n, k int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x7a8))
	buckets := map[int][]int{}
	var proj [4][]float32
	if emb != nil && len(emb) > 0 {
		for p := range proj {
			proj[p] = make([]float32, len(emb[0]))
			for j := range proj[p] {
				proj[p][j] = float32(rng.NormFloat64())
			}
		}
	}
	var order []int
	for i := 0; i < n; i++ {
		b := 0
		if emb != nil {
			for p := range proj {
				var d float32
				for j := range proj[p] {
					d += proj[p][j] * emb[i][j]
				}
				if d > 0 {
					b |= 1 << p
				}
			}
		}
		if _, ok := buckets[b]; !ok {
			order = append(order, b)
		}
		buckets[b] = append(buckets[b], i)
	}
	for _, b := range order {
		rows := buckets[b]
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	var out []int
	for len(out) < k {
		progress := false
		for _, b := range order {
			if rows := buckets[b]; len(rows) > 0 && len(out) < k {
				out = append(out, rows[0])
				buckets[b] = rows[1:]
				progress = true
			}
		}
		if !progress {
			break
		}
	}
	return out
}
