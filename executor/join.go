package executor

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// joinOp is a hash join (when the plan has equality keys) or a nested-loop
// join. The right input is the build side: it is read into one batch; left
// batches stream through and are matched against it. Output batches are
// assembled with the Arrow take kernel.
type joinOp struct {
	x    *Exec
	n    *planner.Join
	l, r Operator
	env  *frame

	cols  []planner.Col
	built bool
	right arrow.RecordBatch
	hash  map[string][]int

	// pending output pairs for the current left batch
	left    arrow.RecordBatch
	lrow    int
	matched []bool
}

func newJoin(x *Exec, n *planner.Join, l, r Operator, env *frame) *joinOp {
	cols := l.Cols()
	if n.Kind != planner.JoinSemi && n.Kind != planner.JoinAnti {
		cols = append(append([]planner.Col{}, l.Cols()...), r.Cols()...)
	}
	return &joinOp{x: x, n: n, l: l, r: r, env: env, cols: cols}
}

func (j *joinOp) Cols() []planner.Col { return j.cols }

func (j *joinOp) build() error {
	j.built = true
	bs, err := Drain(j.r)
	if err != nil {
		return err
	}
	rec, err := j.x.concat(j.r.Cols(), bs)
	if err != nil {
		return err
	}
	j.right = rec
	if len(j.n.RightKeys) == 0 {
		return nil
	}
	be := &batchEnv{x: j.x, rec: rec, lay: layout(j.r.Cols()), cols: j.r.Cols(), env: j.env}
	keys, err := evalKeys(be, j.n.RightKeys)
	if err != nil {
		return err
	}
	j.hash = map[string][]int{}
	var buf []byte
	vals := make([]value.Value, len(keys))
	for i := 0; i < int(rec.NumRows()); i++ {
		var ok bool
		buf, ok = keyOf(buf[:0], keys, j.n.RightKeys, i, vals)
		if ok {
			j.hash[string(buf)] = append(j.hash[string(buf)], i)
		}
	}
	releaseAll(keys)
	return nil
}

func evalKeys(be *batchEnv, es []planner.Expr) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(es))
	for i, e := range es {
		a, err := be.eval(e)
		if err != nil {
			releaseAll(out[:i])
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// keyOf encodes row i's key values; ok is false if any is NULL (NULL never
// equals anything).
func keyOf(buf []byte, arrs []arrow.Array, es []planner.Expr, i int, vals []value.Value) ([]byte, bool) {
	for k, a := range arrs {
		v := getValue(a, i, es[k].Type())
		if v.IsNull() {
			return buf, false
		}
		vals[k] = v
	}
	return rowKey(buf, vals), true
}

func (j *joinOp) Next() (arrow.RecordBatch, error) {
	if !j.built {
		if err := j.build(); err != nil {
			return nil, err
		}
	}
	for {
		rec, err := j.l.Next()
		if err != nil || rec == nil {
			return nil, err
		}
		out, err := j.joinBatch(rec)
		rec.Release()
		if err != nil {
			return nil, err
		}
		if out == nil {
			continue
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return out, nil
	}
}

// joinBatch joins one left batch with the whole right side.
func (j *joinOp) joinBatch(left arrow.RecordBatch) (arrow.RecordBatch, error) {
	nl := int(left.NumRows())
	nr := int(j.right.NumRows())
	var li, ri []int
	if j.hash != nil {
		be := &batchEnv{x: j.x, rec: left, lay: layout(j.l.Cols()), cols: j.l.Cols(), env: j.env}
		keys, err := evalKeys(be, j.n.LeftKeys)
		if err != nil {
			return nil, err
		}
		var buf []byte
		vals := make([]value.Value, len(keys))
		for i := 0; i < nl; i++ {
			var ok bool
			buf, ok = keyOf(buf[:0], keys, j.n.LeftKeys, i, vals)
			if !ok {
				continue
			}
			for _, r := range j.hash[string(buf)] {
				li = append(li, i)
				ri = append(ri, r)
			}
		}
		releaseAll(keys)
	} else {
		for i := 0; i < nl; i++ {
			for r := 0; r < nr; r++ {
				li = append(li, i)
				ri = append(ri, r)
			}
		}
	}
	// Candidate pairs, filtered by the residual condition, in chunks so
	// that a large cross product never materialises at once.
	matched := make([]bool, nl)
	var keepL, keepR []int
	for start := 0; start < len(li); start += catalog.BatchSize {
		end := min(start+catalog.BatchSize, len(li))
		cl, cr := li[start:end], ri[start:end]
		if j.n.Cond == nil {
			for k := range cl {
				matched[cl[k]] = true
			}
			keepL = append(keepL, cl...)
			keepR = append(keepR, cr...)
			continue
		}
		pairs, err := j.pairs(left, cl, cr)
		if err != nil {
			return nil, err
		}
		allCols := append(append([]planner.Col{}, j.l.Cols()...), j.r.Cols()...)
		be := &batchEnv{x: j.x, rec: pairs, lay: layout(allCols), cols: allCols, env: j.env}
		mask, err := be.evalPredicate(j.n.Cond)
		pairs.Release()
		if err != nil {
			return nil, err
		}
		for k := range cl {
			if mask.Value(k) {
				matched[cl[k]] = true
				keepL = append(keepL, cl[k])
				keepR = append(keepR, cr[k])
			}
		}
		mask.Release()
	}
	switch j.n.Kind {
	case planner.JoinSemi, planner.JoinAnti:
		want := j.n.Kind == planner.JoinSemi
		left.Retain()
		out, err := j.x.keepRows(left, func(r int) bool { return matched[r] == want })
		left.Release()
		return out, err
	case planner.JoinLeft:
		// Unmatched left rows with NULLs on the right, in left order.
		var ol, or []int
		k := 0
		for i := 0; i < nl; i++ {
			if !matched[i] {
				ol = append(ol, i)
				or = append(or, -1)
				continue
			}
			for k < len(keepL) && keepL[k] == i {
				ol = append(ol, i)
				or = append(or, keepR[k])
				k++
			}
		}
		keepL, keepR = ol, or
	}
	return j.pairs(left, keepL, keepR)
}

// pairs builds the batch of (left[li[k]], right[ri[k]]) rows.
func (j *joinOp) pairs(left arrow.RecordBatch, li, ri []int) (arrow.RecordBatch, error) {
	l, err := j.x.take(left, j.l.Cols(), li)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	r, err := j.x.take(j.right, j.r.Cols(), ri)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	arrs := make([]arrow.Array, 0, len(j.l.Cols())+len(j.r.Cols()))
	arrs = append(arrs, l.Columns()...)
	arrs = append(arrs, r.Columns()...)
	all := append(append([]planner.Col{}, j.l.Cols()...), j.r.Cols()...)
	return array.NewRecordBatch(schemaOf(all), arrs, int64(len(li))), nil
}

func (j *joinOp) Close() {
	if j.right != nil {
		j.right.Release()
		j.right = nil
	}
	j.l.Close()
	j.r.Close()
}
