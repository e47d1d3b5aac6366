package executor

import (
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// Semantic join parameters: inputs with at most nestedLoopMax pairs are
// joined by judging every pair; larger ones are blocked: each left row is
// paired with the blockK right rows whose embeddings are most similar to
// its own, and only those pairs are judged.
const (
	nestedLoopMax = 4096
	blockK        = 10
)

type semJoinOp struct {
	x    *Exec
	n    *planner.SemJoin
	l, r Operator
	env  *frame
	sliced
	done bool
}

func (s *semJoinOp) Cols() []planner.Col {
	return append(append([]planner.Col{}, s.l.Cols()...), s.r.Cols()...)
}

// contextText renders the columns refs of one row as newline-separated
// text (NULLs left out), for embedding.
func contextText(be *batchEnv, refs []planner.ColRef, row int) string {
	env := &rowEnv{batchEnv: be, row: row}
	var b strings.Builder
	for _, r := range refs {
		if v, ok := env.Col(r.ID); ok && !v.IsNull() {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(value.ToText(v).S)
		}
	}
	return b.String()
}

func (s *semJoinOp) Next() (arrow.RecordBatch, error) {
	if s.done {
		return s.next()
	}
	s.done = true
	m, err := s.x.model(s.n)
	if err != nil {
		return nil, err
	}
	left, err := s.x.materialise(s.l)
	if err != nil {
		return nil, err
	}
	defer left.Release()
	right, err := s.x.materialise(s.r)
	if err != nil {
		return nil, err
	}
	defer right.Release()
	nl, nr := int(left.NumRows()), int(right.NumRows())
	var li, ri []int
	if nl*nr <= nestedLoopMax || s.x.Embedder == nil || s.x.ForceExact {
		for i := 0; i < nl; i++ {
			for j := 0; j < nr; j++ {
				li, ri = append(li, i), append(ri, j)
			}
		}
		s.x.strategy(s.n, "nested-loop (every pair)")
	} else {
		k := blockK
		// Under a budget, fewer candidates per left row (at least one).
		if b := m.Budget(); b != nil && b.Remaining() >= 0 && int64(nl*k) > b.Remaining() {
			k = max(1, int(b.Remaining())/max(nl, 1))
			s.x.Approximate = true
		}
		li, ri, err = s.block(left, right, k)
		if err != nil {
			return nil, err
		}
		s.x.strategy(s.n, fmt.Sprintf("blocking (top %d by embedding similarity)", k))
	}
	s.x.Sem.PairsJudged += int64(len(li))
	all := s.Cols()
	pairs, err := s.pairs(left, right, li, ri)
	if err != nil {
		return nil, err
	}
	defer pairs.Release()
	be := &batchEnv{x: s.x, rec: pairs, lay: layout(all), cols: all, env: s.env}
	pass, err := s.x.semFilter(s.n, m, be, s.n.Cond)
	if err != nil {
		return nil, err
	}
	var ol, or []int
	matched := make([]bool, nl)
	for k := range li {
		if pass[k] {
			matched[li[k]] = true
		}
	}
	k := 0
	for i := 0; i < nl; i++ {
		for k < len(li) && li[k] == i {
			if pass[k] {
				ol, or = append(ol, i), append(or, ri[k])
			}
			k++
		}
		if s.n.Kind == planner.JoinLeft && !matched[i] {
			ol, or = append(ol, i), append(or, -1)
		}
	}
	s.out, err = s.pairs(left, right, ol, or)
	if err != nil {
		return nil, err
	}
	return s.next()
}

// block pairs each left row with its most similar right rows.
func (s *semJoinOp) block(left, right arrow.RecordBatch, blockK int) ([]int, []int, error) {
	lids, rids := layout(s.l.Cols()), layout(s.r.Cols())
	lrefs, rrefs := sideRefs(nlAtoms(s.n.Cond), lids, rids)
	if len(lrefs) == 0 || len(rrefs) == 0 {
		return nil, nil, errs.New(errs.Unsupported, "semantic join over %d×%d rows: the phrase must read columns of both sides to block candidate pairs", left.NumRows(), right.NumRows())
	}
	lbe := &batchEnv{x: s.x, rec: left, lay: lids, cols: s.l.Cols(), env: s.env}
	rbe := &batchEnv{x: s.x, rec: right, lay: rids, cols: s.r.Cols(), env: s.env}
	nl, nr := int(left.NumRows()), int(right.NumRows())
	lt, rt := make([]string, nl), make([]string, nr)
	for i := range lt {
		lt[i] = contextText(lbe, lrefs, i)
	}
	for j := range rt {
		rt[j] = contextText(rbe, rrefs, j)
	}
	lv, err := s.x.Embedder.Embed(s.x.Ctx, lt)
	if err != nil {
		return nil, nil, err
	}
	rv, err := s.x.Embedder.Embed(s.x.Ctx, rt)
	if err != nil {
		return nil, nil, err
	}
	k := min(blockK, nr)
	var li, ri []int
	sims := make([]float32, nr)
	order := make([]int, nr)
	for i := 0; i < nl; i++ {
		for j := 0; j < nr; j++ {
			var d float32
			for t := range lv[i] {
				d += lv[i][t] * rv[j][t]
			}
			sims[j] = d
			order[j] = j
		}
		sort.SliceStable(order, func(a, b int) bool { return sims[order[a]] > sims[order[b]] })
		top := append([]int(nil), order[:k]...)
		sort.Ints(top)
		for _, j := range top {
			li, ri = append(li, i), append(ri, j)
		}
	}
	return li, ri, nil
}

// sideRefs splits the columns the phrases read into those of the left
// input (lids) and those of the right (rids), each once, in order.
func sideRefs(atoms []*planner.NLExpr, lids, rids map[planner.ColID]int) (lrefs, rrefs []planner.ColRef) {
	seen := map[planner.ColID]bool{}
	for _, a := range atoms {
		for _, c := range a.Context {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			if _, ok := lids[c.ID]; ok {
				lrefs = append(lrefs, c)
			} else if _, ok := rids[c.ID]; ok {
				rrefs = append(rrefs, c)
			}
		}
	}
	return lrefs, rrefs
}

func (s *semJoinOp) pairs(left, right arrow.RecordBatch, li, ri []int) (arrow.RecordBatch, error) {
	l, err := s.x.take(left, s.l.Cols(), li)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	r, err := s.x.take(right, s.r.Cols(), ri)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	arrs := append(append([]arrow.Array{}, l.Columns()...), r.Columns()...)
	return newBatch(s.Cols(), arrs, int64(len(li))), nil
}

func (s *semJoinOp) Close() {
	s.release()
	s.l.Close()
	s.r.Close()
}
