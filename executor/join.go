package executor

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// joinOp is a hash join (when the plan has equality keys) or a nested-loop
// join. The right input is the build side: it is read into one batch (and
// hashed on its keys); left batches stream through. Candidate pairs are
// generated lazily, at most catalog.BatchSize at a time, so neither a large
// cross product nor a key with many matches ever materialises at once; the
// residual condition is evaluated on each chunk of pairs, and output rows
// are gathered with the Arrow take kernel. Output follows left order.
type joinOp struct {
	x    *Exec
	n    *planner.Join
	l, r Operator
	env  *frame

	cols    []planner.Col
	allCols []planner.Col // left then right, for evaluating the condition
	allLay  map[planner.ColID]int
	built   bool
	right   arrow.RecordBatch
	hash    map[string][]int
	lLay    map[planner.ColID]int

	// the current left batch and the position of the pair generator
	left    arrow.RecordBatch
	matches [][]int // hash join: right rows per left row
	row     int     // current left row
	k       int     // position within the current row's candidates
	matched []bool
	pending []int // left rows finished but not yet emitted (semi/anti/left)
}

func newJoin(x *Exec, n *planner.Join, l, r Operator, env *frame) *joinOp {
	all := append(append([]planner.Col{}, l.Cols()...), r.Cols()...)
	cols := all
	if n.Kind == planner.JoinSemi || n.Kind == planner.JoinAnti {
		cols = l.Cols()
	}
	return &joinOp{x: x, n: n, l: l, r: r, env: env, cols: cols, allCols: all, allLay: layout(all), lLay: layout(l.Cols())}
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
	defer releaseAll(keys)
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

// startLeft begins a new left batch.
func (j *joinOp) startLeft(left arrow.RecordBatch) error {
	j.left, j.row, j.k = left, 0, 0
	nl := int(left.NumRows())
	j.matched = make([]bool, nl)
	j.pending = j.pending[:0]
	j.matches = nil
	if j.hash == nil {
		return nil
	}
	be := &batchEnv{x: j.x, rec: left, lay: j.lLay, cols: j.l.Cols(), env: j.env}
	keys, err := evalKeys(be, j.n.LeftKeys)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	j.matches = make([][]int, nl)
	var buf []byte
	vals := make([]value.Value, len(keys))
	for i := 0; i < nl; i++ {
		var ok bool
		buf, ok = keyOf(buf[:0], keys, j.n.LeftKeys, i, vals)
		if ok {
			j.matches[i] = j.hash[string(buf)]
		}
	}
	return nil
}

func (j *joinOp) candidates(i int) int {
	if j.matches != nil {
		return len(j.matches[i])
	}
	return int(j.right.NumRows())
}

func (j *joinOp) rightRow(i, k int) int {
	if j.matches != nil {
		return j.matches[i][k]
	}
	return k
}

func (j *joinOp) Next() (arrow.RecordBatch, error) {
	if !j.built {
		if err := j.build(); err != nil {
			return nil, err
		}
	}
	for {
		if err := j.x.Ctx.Err(); err != nil {
			return nil, cancelled(err)
		}
		if j.left == nil {
			rec, err := j.l.Next()
			if err != nil || rec == nil {
				return nil, err
			}
			if err := j.startLeft(rec); err != nil {
				rec.Release()
				j.left = nil
				return nil, err
			}
		}
		out, err := j.step()
		if err != nil {
			return nil, err
		}
		if j.row >= int(j.left.NumRows()) && len(j.pending) == 0 {
			j.left.Release()
			j.left = nil
		}
		if out != nil && out.NumRows() > 0 {
			return out, nil
		}
		if out != nil {
			out.Release()
		}
	}
}

// step processes up to BatchSize candidate pairs of the current left batch
// and returns the output rows they produce (in left order).
func (j *joinOp) step() (arrow.RecordBatch, error) {
	nl := int(j.left.NumRows())
	var cl, cr []int
	var finished []int // left rows whose candidates are all in this chunk or before
	for j.row < nl && len(cl) < catalog.BatchSize {
		n := j.candidates(j.row)
		take := min(n-j.k, catalog.BatchSize-len(cl))
		for t := 0; t < take; t++ {
			cl = append(cl, j.row)
			cr = append(cr, j.rightRow(j.row, j.k+t))
		}
		j.k += take
		if j.k >= n {
			finished = append(finished, j.row)
			j.row++
			j.k = 0
		}
	}
	// Which candidate pairs satisfy the residual condition.
	pass := make([]bool, len(cl))
	if j.n.Cond == nil {
		for k := range pass {
			pass[k] = true
		}
	} else if len(cl) > 0 {
		pairs, err := j.pairs(j.allCols, cl, cr)
		if err != nil {
			return nil, err
		}
		be := &batchEnv{x: j.x, rec: pairs, lay: j.allLay, cols: j.allCols, env: j.env}
		mask, err := be.evalPredicate(j.n.Cond)
		pairs.Release()
		if err != nil {
			return nil, err
		}
		for k := range pass {
			pass[k] = mask.Value(k)
		}
		mask.Release()
	}
	for k, ok := range pass {
		if ok {
			j.matched[cl[k]] = true
		}
	}
	switch j.n.Kind {
	case planner.JoinSemi, planner.JoinAnti:
		want := j.n.Kind == planner.JoinSemi
		var rows []int
		for _, i := range finished {
			if j.matched[i] == want {
				rows = append(rows, i)
			}
		}
		if len(rows) == 0 {
			return nil, nil
		}
		return j.x.take(j.left, j.l.Cols(), rows)
	case planner.JoinLeft:
		// Passing pairs in order; a finished row without a match gets one
		// row padded with NULLs at its place.
		var ol, or []int
		fi := 0
		emitUnmatchedUpTo := func(limit int) {
			for fi < len(finished) && finished[fi] <= limit {
				if !j.matched[finished[fi]] {
					ol = append(ol, finished[fi])
					or = append(or, -1)
				}
				fi++
			}
		}
		for k := range cl {
			emitUnmatchedUpTo(cl[k] - 1)
			if pass[k] {
				ol = append(ol, cl[k])
				or = append(or, cr[k])
			}
		}
		emitUnmatchedUpTo(nl)
		if len(ol) == 0 {
			return nil, nil
		}
		return j.pairs(j.cols, ol, or)
	}
	var ol, or []int
	for k := range cl {
		if pass[k] {
			ol = append(ol, cl[k])
			or = append(or, cr[k])
		}
	}
	if len(ol) == 0 {
		return nil, nil
	}
	return j.pairs(j.cols, ol, or)
}

// pairs builds the batch of (left[li[k]], right[ri[k]]) rows; ri[k] = -1
// gives NULLs on the right.
func (j *joinOp) pairs(cols []planner.Col, li, ri []int) (arrow.RecordBatch, error) {
	l, err := j.x.take(j.left, j.l.Cols(), li)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	r, err := j.x.take(j.right, j.r.Cols(), ri)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	arrs := make([]arrow.Array, 0, len(cols))
	arrs = append(arrs, l.Columns()...)
	arrs = append(arrs, r.Columns()...)
	return array.NewRecordBatch(schemaOf(cols), arrs, int64(len(li))), nil
}

func (j *joinOp) Close() {
	if j.left != nil {
		j.left.Release()
		j.left = nil
	}
	if j.right != nil {
		j.right.Release()
		j.right = nil
	}
	j.l.Close()
	j.r.Close()
}
