package executor

import (
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/udf"
	"github.com/uqe-dev/uqe/value"
)

// ---------------------------------------------------------------- scan

type scanOp struct {
	x       *Exec
	n       *planner.Scan
	rr      array.RecordReader
	cols    []planner.Col
	keep    []int // source columns kept (nil: all)
	lay     map[planner.ColID]int
	env     *frame
	filters []planner.Expr
	allCols []planner.Col
	allLay  map[planner.ColID]int
	// numbering: the source has no rowids of its own; rows are numbered
	// from 1 in scan order (next is the next row's number).
	numbering bool
	next      int64
}

func (x *Exec) newScan(n *planner.Scan, env *frame) (Operator, error) {
	cols := n.Cols
	var (
		rr  array.RecordReader
		err error
	)
	withRowid := n.Rowid && (n.Needed == nil || n.Needed[len(n.Cols)-1])
	rs, hasRowids := n.Source.(catalog.RowidSource)
	switch {
	case !n.Rowid:
		rr, err = n.Source.Scan(x.Ctx, x.Mem)
	case !withRowid:
		cols = n.Cols[:len(n.Cols)-1] // the rowid is not read
		rr, err = n.Source.Scan(x.Ctx, x.Mem)
	case hasRowids:
		rr, err = rs.ScanRowid(x.Ctx, x.Mem)
	default:
		rr, err = n.Source.Scan(x.Ctx, x.Mem)
	}
	if err != nil {
		return nil, err
	}
	op := &scanOp{x: x, n: n, rr: rr, env: env, filters: n.Filters, allCols: cols, allLay: layout(cols),
		numbering: withRowid && !hasRowids, next: 1}
	if n.Needed != nil {
		for i, need := range n.Needed[:len(cols)] {
			if need {
				op.keep = append(op.keep, i)
				op.cols = append(op.cols, n.Cols[i])
			}
		}
	} else {
		op.cols = cols
	}
	return op, nil
}

func (s *scanOp) Cols() []planner.Col { return s.cols }

func (s *scanOp) Next() (arrow.RecordBatch, error) {
	for {
		if err := s.x.Ctx.Err(); err != nil {
			return nil, cancelled(err)
		}
		if !s.rr.Next() {
			if err := s.rr.Err(); err != nil {
				return nil, err
			}
			return nil, nil
		}
		rec := s.rr.RecordBatch()
		rec.Retain()
		s.x.Stats.RowsScanned += rec.NumRows()
		if s.numbering {
			rec = s.appendRowid(rec)
		}
		// Normalise source columns to the engine's Arrow types.
		rec, err := s.normalise(rec)
		if err != nil {
			return nil, err
		}
		if len(s.filters) > 0 {
			be := &batchEnv{x: s.x, rec: rec, lay: s.allLay, cols: s.allCols, env: s.env}
			rec, err = filterBatch(be, planner.And(s.filters))
			if err != nil {
				return nil, err
			}
		}
		if s.keep != nil {
			arrs := make([]arrow.Array, len(s.keep))
			for i, k := range s.keep {
				arrs[i] = rec.Column(k)
			}
			out := array.NewRecordBatch(schemaOf(s.cols), arrs, rec.NumRows())
			rec.Release()
			rec = out
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		return rec, nil
	}
}

// appendRowid adds the row numbers of a source without rowids as the last
// column (the 1-based position of the row in the scan).
func (s *scanOp) appendRowid(rec arrow.RecordBatch) arrow.RecordBatch {
	defer rec.Release()
	n := rec.NumRows()
	ib := array.NewInt64Builder(s.x.Mem)
	defer ib.Release()
	ib.Reserve(int(n))
	for i := int64(0); i < n; i++ {
		ib.UnsafeAppend(s.next + i)
	}
	s.next += n
	ids := ib.NewArray()
	defer ids.Release()
	arrs := append(append([]arrow.Array{}, rec.Columns()...), ids)
	return array.NewRecordBatch(schemaOf(s.allCols), arrs, n)
}

// normalise converts source arrays whose Arrow type differs from the
// column's engine type (e.g. int32 from Parquet).
func (s *scanOp) normalise(rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	ok := true
	for i, c := range s.allCols {
		if !arrow.TypeEqual(rec.Column(i).DataType(), c.Type.ArrowType()) {
			ok = false
			break
		}
	}
	if ok {
		return rec, nil
	}
	defer rec.Release()
	arrs := make([]arrow.Array, len(s.allCols))
	for i, c := range s.allCols {
		a := rec.Column(i)
		if arrow.TypeEqual(a.DataType(), c.Type.ArrowType()) {
			a.Retain()
			arrs[i] = a
			continue
		}
		cast, err := compute.CastToType(s.x.computeCtx(), a, c.Type.ArrowType())
		if err != nil {
			releaseAll(arrs[:i])
			return nil, errs.New(errs.BadFile, "column %s: cannot convert %s to %s: %v", c.Name, a.DataType(), c.Type, err)
		}
		arrs[i] = cast
	}
	out := array.NewRecordBatch(schemaOf(s.allCols), arrs, rec.NumRows())
	releaseAll(arrs)
	return out, nil
}

func (s *scanOp) Close() { s.rr.Release() }

// filterBatch keeps the rows of be.rec where cond is true; it releases the
// input batch.
func filterBatch(be *batchEnv, cond planner.Expr) (arrow.RecordBatch, error) {
	defer be.rec.Release()
	mask, err := be.evalPredicate(cond)
	if err != nil {
		return nil, err
	}
	defer mask.Release()
	if mask.Len() > 0 && mask.NullN() == 0 {
		all := true
		for i := 0; i < mask.Len(); i++ {
			if !mask.Value(i) {
				all = false
				break
			}
		}
		if all {
			be.rec.Retain()
			return be.rec, nil
		}
	}
	out, err := compute.FilterRecordBatch(be.x.computeCtx(), be.rec, mask, compute.DefaultFilterOptions())
	if err != nil {
		return nil, be.x.computeErr("filter", err)
	}
	return out, nil
}

// ---------------------------------------------------------------- values

type valuesOp struct {
	x    *Exec
	n    *planner.Values
	env  *frame
	done bool
}

func (v *valuesOp) Cols() []planner.Col { return v.n.Cols }

func (v *valuesOp) Next() (arrow.RecordBatch, error) {
	if v.done {
		return nil, nil
	}
	v.done = true
	cols := make([][]value.Value, len(v.n.Cols))
	env := &rowEnv{batchEnv: &batchEnv{x: v.x, env: v.env, lay: map[planner.ColID]int{}}}
	for _, row := range v.n.Rows {
		for i, e := range row {
			val, err := planner.EvalRow(e, env)
			if err != nil {
				return nil, err
			}
			cols[i] = append(cols[i], val)
		}
	}
	arrs := make([]arrow.Array, len(v.n.Cols))
	for i, c := range v.n.Cols {
		arrs[i] = buildValues(v.x.Mem, c.Type, cols[i])
	}
	rec := array.NewRecordBatch(schemaOf(v.n.Cols), arrs, int64(len(v.n.Rows)))
	releaseAll(arrs)
	return rec, nil
}

func (v *valuesOp) Close() {}

// ---------------------------------------------------------------- filter

type filterOp struct {
	x    *Exec
	in   Operator
	cond planner.Expr
	env  *frame
	lay  map[planner.ColID]int
}

func (f *filterOp) Cols() []planner.Col { return f.in.Cols() }

func (f *filterOp) Next() (arrow.RecordBatch, error) {
	if f.lay == nil {
		f.lay = layout(f.in.Cols())
	}
	for {
		rec, err := f.in.Next()
		if rec == nil || err != nil {
			return nil, err
		}
		out, err := filterBatch(&batchEnv{x: f.x, rec: rec, lay: f.lay, cols: f.in.Cols(), env: f.env}, f.cond)
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return out, nil
	}
}

func (f *filterOp) Close() { f.in.Close() }

// ---------------------------------------------------------------- project

type projectOp struct {
	x     *Exec
	in    Operator
	exprs []planner.Expr
	cols  []planner.Col
	env   *frame
	lay   map[planner.ColID]int
}

func (p *projectOp) Cols() []planner.Col { return p.cols }

func (p *projectOp) Next() (arrow.RecordBatch, error) {
	if p.lay == nil {
		p.lay = layout(p.in.Cols())
	}
	rec, err := p.in.Next()
	if rec == nil || err != nil {
		return nil, err
	}
	defer rec.Release()
	be := &batchEnv{x: p.x, rec: rec, lay: p.lay, cols: p.in.Cols(), env: p.env}
	arrs := make([]arrow.Array, len(p.exprs))
	for i, e := range p.exprs {
		a, err := be.eval(e)
		if err != nil {
			releaseAll(arrs[:i])
			return nil, err
		}
		arrs[i] = p.x.convert(a, e.Type(), p.cols[i].Type)
		a.Release()
	}
	out := array.NewRecordBatch(schemaOf(p.cols), arrs, rec.NumRows())
	releaseAll(arrs)
	return out, nil
}

func (p *projectOp) Close() { p.in.Close() }

// ---------------------------------------------------------------- aggregate

type aggOp struct {
	x    *Exec
	in   Operator
	n    *planner.Aggregate
	env  *frame
	done bool
}

func (a *aggOp) Cols() []planner.Col { return a.n.Cols }

type group struct {
	keys []value.Value
	accs []udf.Acc
}

// collKey is v as a grouping key under collation c: text folded so that
// values equal under c have equal keys.
func collKey(v value.Value, c value.Collation) value.Value {
	if c != value.CollBinary && v.K == value.Text {
		return value.FromText(c.Fold(v.S))
	}
	return v
}

// rowKey appends an unambiguous encoding of values for hashing.
func rowKey(buf []byte, vals []value.Value) []byte {
	for _, v := range vals {
		k := v.Key()
		buf = strconv.AppendInt(buf, int64(len(k)), 10)
		buf = append(buf, ':')
		buf = append(buf, k...)
	}
	return buf
}

func (a *aggOp) Next() (arrow.RecordBatch, error) {
	if a.done {
		return nil, nil
	}
	a.done = true
	lay := layout(a.in.Cols())
	groups := map[string]*group{}
	var order []*group
	newGroup := func(keys []value.Value) *group {
		g := &group{keys: keys, accs: make([]udf.Acc, len(a.n.Aggs))}
		for i, c := range a.n.Aggs {
			g.accs[i] = udf.NewAccColl(c.Name, c.Distinct, c.Star, c.Coll)
		}
		order = append(order, g)
		return g
	}
	var buf []byte
	for {
		rec, err := a.in.Next()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			break
		}
		be := &batchEnv{x: a.x, rec: rec, lay: lay, cols: a.in.Cols(), env: a.env}
		n := int(rec.NumRows())
		keyArrs := make([]arrow.Array, len(a.n.Groups))
		argArrs := make([][]arrow.Array, len(a.n.Aggs))
		release := func() {
			releaseAll(keyArrs)
			for _, as := range argArrs {
				releaseAll(as)
			}
			rec.Release()
		}
		for i, g := range a.n.Groups {
			if keyArrs[i], err = be.eval(g); err != nil {
				release()
				return nil, err
			}
		}
		for i, c := range a.n.Aggs {
			argArrs[i] = make([]arrow.Array, len(c.Args))
			for j, e := range c.Args {
				if argArrs[i][j], err = be.eval(e); err != nil {
					release()
					return nil, err
				}
			}
		}
		keys := make([]value.Value, len(a.n.Groups))
		folded := make([]value.Value, len(a.n.Groups))
		args := make([][]value.Value, len(a.n.Aggs))
		for i, c := range a.n.Aggs {
			args[i] = make([]value.Value, len(c.Args))
		}
		for r := 0; r < n; r++ {
			for i, g := range a.n.Groups {
				keys[i] = getValue(keyArrs[i], r, g.Type())
				folded[i] = collKey(keys[i], a.n.Cols[i].Coll)
			}
			buf = rowKey(buf[:0], folded)
			g, ok := groups[string(buf)]
			if !ok {
				g = newGroup(append([]value.Value(nil), keys...))
				groups[string(buf)] = g
			}
			for i, c := range a.n.Aggs {
				for j, e := range c.Args {
					args[i][j] = getValue(argArrs[i][j], r, e.Type())
				}
				if err := g.accs[i].Add(args[i]); err != nil {
					release()
					return nil, err
				}
			}
		}
		release()
	}
	if len(a.n.Groups) == 0 && len(order) == 0 {
		newGroup(nil)
	}
	cols := make([][]value.Value, len(a.n.Cols))
	for _, g := range order {
		for i := range a.n.Groups {
			cols[i] = append(cols[i], g.keys[i])
		}
		for i := range a.n.Aggs {
			cols[len(a.n.Groups)+i] = append(cols[len(a.n.Groups)+i], g.accs[i].Result())
		}
	}
	arrs := make([]arrow.Array, len(a.n.Cols))
	for i, c := range a.n.Cols {
		arrs[i] = buildValues(a.x.Mem, c.Type, cols[i])
	}
	rec := array.NewRecordBatch(schemaOf(a.n.Cols), arrs, int64(len(order)))
	releaseAll(arrs)
	return rec, nil
}

func (a *aggOp) Close() { a.in.Close() }

// ---------------------------------------------------------------- sort

type sortOp struct {
	x    *Exec
	in   Operator
	keys []planner.SortKey
	env  *frame
	sliced
	done bool
}

func (s *sortOp) Cols() []planner.Col { return s.in.Cols() }

func (s *sortOp) Next() (arrow.RecordBatch, error) {
	if !s.done {
		s.done = true
		bs, err := Drain(s.in)
		if err != nil {
			return nil, err
		}
		rec, err := s.x.concat(s.in.Cols(), bs)
		if err != nil {
			return nil, err
		}
		defer rec.Release()
		n := int(rec.NumRows())
		be := &batchEnv{x: s.x, rec: rec, lay: layout(s.in.Cols()), cols: s.in.Cols(), env: s.env}
		keyVals := make([][]value.Value, len(s.keys))
		for k, key := range s.keys {
			a, err := be.eval(key.E)
			if err != nil {
				return nil, err
			}
			keyVals[k] = make([]value.Value, n)
			for i := 0; i < n; i++ {
				keyVals[k][i] = getValue(a, i, key.E.Type())
			}
			a.Release()
		}
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool {
			for k, key := range s.keys {
				va, vb := keyVals[k][idx[a]], keyVals[k][idx[b]]
				var c int
				switch {
				case va.IsNull() && vb.IsNull():
					c = 0
				case va.IsNull():
					if key.NullsFirst {
						return true
					}
					return false
				case vb.IsNull():
					if key.NullsFirst {
						return false
					}
					return true
				default:
					c = value.CompareColl(va, vb, key.Coll)
					if key.Desc {
						c = -c
					}
				}
				if c != 0 {
					return c < 0
				}
			}
			return false
		})
		s.out, err = s.x.take(rec, s.in.Cols(), idx)
		if err != nil {
			return nil, err
		}
	}
	return s.next()
}

func (s *sortOp) Close() {
	s.release()
	s.in.Close()
}

// take gathers rows of rec by index with the Arrow take kernel; an index
// of -1 produces a NULL row.
func (x *Exec) take(rec arrow.RecordBatch, cols []planner.Col, idx []int) (arrow.RecordBatch, error) {
	ib := array.NewInt64Builder(x.Mem)
	ib.Reserve(len(idx))
	for _, i := range idx {
		if i < 0 {
			ib.UnsafeAppendBoolToBitmap(false)
		} else {
			ib.UnsafeAppend(int64(i))
		}
	}
	indices := ib.NewArray()
	ib.Release()
	defer indices.Release()
	arrs := make([]arrow.Array, len(cols))
	for i := range cols {
		col := rec.Column(i)
		if col.DataType().ID() == arrow.NULL {
			arrs[i] = array.NewNull(len(idx))
			continue
		}
		a, err := compute.TakeArray(x.computeCtx(), col, indices)
		if err != nil {
			releaseAll(arrs[:i])
			return nil, x.computeErr("take", err)
		}
		arrs[i] = a
	}
	out := array.NewRecordBatch(schemaOf(cols), arrs, int64(len(idx)))
	releaseAll(arrs)
	return out, nil
}

// ---------------------------------------------------------------- limit

type limitOp struct {
	in            Operator
	count, offset int64
	seen          int64
	emitted       int64
}

func (l *limitOp) Cols() []planner.Col { return l.in.Cols() }

func (l *limitOp) Next() (arrow.RecordBatch, error) {
	for {
		if l.count >= 0 && l.emitted >= l.count {
			return nil, nil
		}
		rec, err := l.in.Next()
		if rec == nil || err != nil {
			return nil, err
		}
		n := rec.NumRows()
		start := int64(0)
		if l.seen < l.offset {
			start = min(l.offset-l.seen, n)
		}
		l.seen += n
		end := n
		if l.count >= 0 {
			end = min(n, start+l.count-l.emitted)
		}
		if start >= end {
			rec.Release()
			continue
		}
		out := rec.NewSlice(start, end)
		rec.Release()
		l.emitted += end - start
		return out, nil
	}
}

func (l *limitOp) Close() { l.in.Close() }

// ---------------------------------------------------------------- distinct

type distinctOp struct {
	x    *Exec
	in   Operator
	seen map[string]struct{}
}

func (d *distinctOp) Cols() []planner.Col { return d.in.Cols() }

// keepRows filters rec to the rows for which keep returns true.
func (x *Exec) keepRows(rec arrow.RecordBatch, keep func(row int) bool) (arrow.RecordBatch, error) {
	n := int(rec.NumRows())
	bld := array.NewBooleanBuilder(x.Mem)
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		bld.UnsafeAppend(keep(i))
	}
	mask := bld.NewArray()
	bld.Release()
	defer mask.Release()
	out, err := compute.FilterRecordBatch(x.computeCtx(), rec, mask, compute.DefaultFilterOptions())
	if err != nil {
		return nil, x.computeErr("filter", err)
	}
	return out, nil
}

func rowKeys(rec arrow.RecordBatch, cols []planner.Col) func(row int, buf []byte) []byte {
	vals := make([]value.Value, len(cols))
	return func(row int, buf []byte) []byte {
		for i, c := range cols {
			vals[i] = collKey(getValue(rec.Column(i), row, c.Type), c.Coll)
		}
		return rowKey(buf, vals)
	}
}

func (d *distinctOp) Next() (arrow.RecordBatch, error) {
	for {
		rec, err := d.in.Next()
		if rec == nil || err != nil {
			return nil, err
		}
		key := rowKeys(rec, d.in.Cols())
		var buf []byte
		out, err := d.x.keepRows(rec, func(r int) bool {
			buf = key(r, buf[:0])
			if _, ok := d.seen[string(buf)]; ok {
				return false
			}
			d.seen[string(buf)] = struct{}{}
			return true
		})
		rec.Release()
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return out, nil
	}
}

func (d *distinctOp) Close() { d.in.Close() }

// ---------------------------------------------------------------- set ops

type setOp struct {
	x      *Exec
	n      *planner.SetOp
	l, r   Operator
	seen   map[string]struct{}
	right  map[string]struct{}
	onLeft bool
	inited bool
}

func (s *setOp) Cols() []planner.Col { return s.n.Cols }

// conform converts a batch of one side to the set operation's column types.
func (s *setOp) conform(rec arrow.RecordBatch, from []planner.Col) arrow.RecordBatch {
	arrs := make([]arrow.Array, len(s.n.Cols))
	for i, c := range s.n.Cols {
		arrs[i] = s.x.convert(rec.Column(i), from[i].Type, c.Type)
	}
	out := array.NewRecordBatch(schemaOf(s.n.Cols), arrs, rec.NumRows())
	releaseAll(arrs)
	rec.Release()
	return out
}

func (s *setOp) Next() (arrow.RecordBatch, error) {
	if !s.inited {
		s.inited = true
		s.onLeft = true
		s.seen = map[string]struct{}{}
		if s.n.Kind != planner.Union {
			s.right = map[string]struct{}{}
			for {
				rec, err := s.r.Next()
				if err != nil {
					return nil, err
				}
				if rec == nil {
					break
				}
				rec = s.conform(rec, s.r.Cols())
				key := rowKeys(rec, s.n.Cols)
				var buf []byte
				for i := 0; i < int(rec.NumRows()); i++ {
					buf = key(i, buf[:0])
					s.right[string(buf)] = struct{}{}
				}
				rec.Release()
			}
		}
	}
	for {
		src, from := s.l, s.l.Cols()
		if !s.onLeft {
			if s.n.Kind != planner.Union {
				return nil, nil
			}
			src, from = s.r, s.r.Cols()
		}
		rec, err := src.Next()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			if s.onLeft {
				s.onLeft = false
				continue
			}
			return nil, nil
		}
		rec = s.conform(rec, from)
		if s.n.All && s.n.Kind == planner.Union {
			return rec, nil
		}
		key := rowKeys(rec, s.n.Cols)
		var buf []byte
		out, err := s.x.keepRows(rec, func(r int) bool {
			buf = key(r, buf[:0])
			k := string(buf)
			if _, dup := s.seen[k]; dup {
				return false
			}
			switch s.n.Kind {
			case planner.Except:
				if _, in := s.right[k]; in {
					return false
				}
			case planner.Intersect:
				if _, in := s.right[k]; !in {
					return false
				}
			}
			s.seen[k] = struct{}{}
			return true
		})
		rec.Release()
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return out, nil
	}
}

func (s *setOp) Close() { s.l.Close(); s.r.Close() }

var _ = strings.Compare
