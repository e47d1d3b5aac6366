package executor

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/planner"
)

// maxRecursiveRows bounds the rows a recursive CTE may produce, so that a
// recursion that never ends (and has no LIMIT above it) fails clearly.
const maxRecursiveRows = 10_000_000

// workKey names the working table of one recursive CTE in one execution.
type workKey struct {
	x *Exec
	t *planner.WorkTable
}

// workTables holds the rows each running recursive CTE's current step
// reads; a WorkScan operator takes them when it is built (also lazily,
// inside a subquery of the recursive select, during the step).
var workTables sync.Map // workKey → []arrow.RecordBatch

// buildRecursive builds a RecursiveCTE or a WorkScan.
func (x *Exec) buildRecursive(n planner.Node, env *frame) (Operator, error) {
	switch n := n.(type) {
	case *planner.RecursiveCTE:
		return &recursiveOp{x: x, n: n, env: env}, nil
	case *planner.WorkScan:
		v, ok := workTables.Load(workKey{x, n.Table})
		if !ok {
			return nil, errs.New(errs.Internal, "working table of %s read outside its recursive step", n.Table.Name)
		}
		bs := v.([]arrow.RecordBatch)
		for _, b := range bs {
			b.Retain()
		}
		return &workScanOp{n: n, bs: bs}, nil
	}
	return nil, errs.New(errs.Internal, "no executor for %T", n)
}

// workScanOp streams the working table (the rows of the previous step).
type workScanOp struct {
	n  *planner.WorkScan
	bs []arrow.RecordBatch
}

func (w *workScanOp) Cols() []planner.Col { return w.n.Cols }

func (w *workScanOp) Next() (arrow.RecordBatch, error) {
	if len(w.bs) == 0 {
		return nil, nil
	}
	b := w.bs[0]
	w.bs = w.bs[1:]
	// The batch's schema names the CTE's columns; the IDs of this
	// reference are its own, so rebuild the batch with its schema.
	out := withCols(w.n.Cols, b)
	b.Release()
	return out, nil
}

func (w *workScanOp) Close() {
	for _, b := range w.bs {
		b.Release()
	}
	w.bs = nil
}

// recursiveOp evaluates a recursive CTE step by step: Init's rows, then
// Rec over the rows of the previous step, until a step adds none. Each
// step's rows are returned as they are produced (so a LIMIT above stops
// the recursion); with UNION, rows seen before are dropped first.
type recursiveOp struct {
	x       *Exec
	n       *planner.RecursiveCTE
	env     *frame
	seen    map[string]struct{} // UNION: keys of every row produced
	work    []arrow.RecordBatch // rows of the last step (the working table)
	pending []arrow.RecordBatch // rows produced and not yet returned
	started bool
	done    bool
	total   int64
}

func (r *recursiveOp) Cols() []planner.Col { return r.n.Cols }

func (r *recursiveOp) Next() (arrow.RecordBatch, error) {
	for {
		if len(r.pending) > 0 {
			b := r.pending[0]
			r.pending = r.pending[1:]
			return b, nil
		}
		if r.done {
			return nil, nil
		}
		if err := r.x.Ctx.Err(); err != nil {
			return nil, cancelled(err)
		}
		var (
			bs  []arrow.RecordBatch
			err error
		)
		if !r.started {
			r.started = true
			if !r.n.All {
				r.seen = map[string]struct{}{}
			}
			bs, err = r.run(r.n.Init)
		} else {
			if len(r.work) == 0 {
				r.done = true
				continue
			}
			key := workKey{r.x, r.n.Table}
			workTables.Store(key, r.work)
			bs, err = r.run(r.n.Rec)
			workTables.Delete(key)
			for _, b := range r.work {
				b.Release()
			}
			r.work = nil
		}
		if err != nil {
			return nil, err
		}
		if err := r.add(bs); err != nil {
			return nil, err
		}
	}
}

// run builds and drains one select (Init or a step of Rec).
func (r *recursiveOp) run(n planner.Node) ([]arrow.RecordBatch, error) {
	op, err := r.x.build(n, r.env)
	if err != nil {
		return nil, err
	}
	defer op.Close()
	bs, err := Drain(op)
	if err != nil {
		return nil, err
	}
	from := op.Cols()
	out := make([]arrow.RecordBatch, 0, len(bs))
	for _, b := range bs {
		arrs := make([]arrow.Array, len(r.n.Cols))
		for i, c := range r.n.Cols {
			arrs[i] = r.x.convert(b.Column(i), from[i].Type, c.Type)
		}
		out = append(out, array.NewRecordBatch(schemaOf(r.n.Cols), arrs, b.NumRows()))
		releaseAll(arrs)
		b.Release()
	}
	return out, nil
}

// add takes a step's rows: drops rows seen before (UNION), counts them,
// and makes them both the next working table and pending output.
func (r *recursiveOp) add(bs []arrow.RecordBatch) error {
	for _, b := range bs {
		if r.seen != nil {
			key := rowKeys(b, r.n.Cols)
			var buf []byte
			kept, err := r.x.keepRows(b, func(i int) bool {
				buf = key(i, buf[:0])
				if _, ok := r.seen[string(buf)]; ok {
					return false
				}
				r.seen[string(buf)] = struct{}{}
				return true
			})
			b.Release()
			if err != nil {
				return err
			}
			b = kept
		}
		if b.NumRows() == 0 {
			b.Release()
			continue
		}
		r.total += b.NumRows()
		if r.total > maxRecursiveRows {
			b.Release()
			return errs.New(errs.Runtime, "recursive CTE %s produced more than %d rows (add a LIMIT or a condition that ends the recursion)", r.n.Name, maxRecursiveRows)
		}
		b.Retain()
		r.work = append(r.work, b)
		r.pending = append(r.pending, b)
	}
	return nil
}

func (r *recursiveOp) Close() {
	for _, b := range r.pending {
		b.Release()
	}
	for _, b := range r.work {
		b.Release()
	}
	r.pending, r.work = nil, nil
}

// withCols returns b's columns as a batch of cols (b keeps its own
// reference).
func withCols(cols []planner.Col, b arrow.RecordBatch) arrow.RecordBatch {
	return array.NewRecordBatch(schemaOf(cols), b.Columns(), b.NumRows())
}
