package executor

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// batchEnv is an evaluation context: one record batch, the IDs of its
// columns, and the outer frame.
type batchEnv struct {
	x    *Exec
	rec  arrow.RecordBatch
	lay  map[planner.ColID]int
	cols []planner.Col
	env  *frame
	// extra holds columns computed for this batch only (batch-only
	// functions hoisted out of row-at-a-time evaluation).
	extra map[planner.ColID]extraCol
}

type extraCol struct {
	a arrow.Array
	t planner.Type
}

// rowEnv is a batchEnv positioned at one row (for planner.EvalRow).
type rowEnv struct {
	*batchEnv
	row int
}

func (r *rowEnv) Col(id planner.ColID) (value.Value, bool) {
	if i, ok := r.lay[id]; ok {
		return getValue(r.rec.Column(i), r.row, r.cols[i].Type), true
	}
	if c, ok := r.extra[id]; ok {
		return getValue(c.a, r.row, c.t), true
	}
	return r.env.get(id)
}

func (r *rowEnv) Subquery(s *planner.Subquery) (value.Value, error) {
	return r.x.subquery(s, r, r.env)
}

// getValue reads row i of an array holding values of static type t.
func getValue(a arrow.Array, i int, t planner.Type) value.Value {
	if a.IsNull(i) {
		return value.NullValue
	}
	switch a := a.(type) {
	case *array.Int64:
		return value.FromInt(a.Value(i))
	case *array.Float64:
		return value.FromFloat(a.Value(i))
	case *array.String:
		return value.FromText(a.Value(i))
	case *array.Boolean:
		return value.FromBool(a.Value(i))
	case *array.Binary:
		if t == planner.TAny {
			return value.DecodeTagged(a.Value(i))
		}
		return value.FromBlob(a.Value(i))
	case *array.Null:
		return value.NullValue
	}
	return value.NullValue
}

// buildValues builds an array of static type t from values.
func buildValues(mem memory.Allocator, t planner.Type, vals []value.Value) arrow.Array {
	return catalog.BuildArray(mem, t.ArrowType(), t == planner.TAny, vals)
}

// eval evaluates e over every row of the batch, returning an array of e's
// static type (owned by the caller).
func (b *batchEnv) eval(e planner.Expr) (arrow.Array, error) {
	n := int(b.rec.NumRows())
	switch e := e.(type) {
	case *planner.ColRef:
		if i, ok := b.lay[e.ID]; ok {
			a := b.rec.Column(i)
			if b.cols[i].Type == e.T {
				a.Retain()
				return a, nil
			}
		}
	case *planner.Const:
		vals := make([]value.Value, n)
		for i := range vals {
			vals[i] = e.V
		}
		return buildValues(b.x.Mem, e.T, vals), nil
	case *planner.Binary:
		if a, ok, err := b.evalBinaryVec(e, n); ok || err != nil {
			return a, err
		}
	case *planner.Collate:
		return b.eval(e.X) // the value passes through
	case *planner.Unary:
		if e.Op == "NOT" && e.X.Type() == planner.TBool {
			x, err := b.eval(e.X)
			if err != nil {
				return nil, err
			}
			defer x.Release()
			xb := x.(*array.Boolean)
			bld := array.NewBooleanBuilder(b.x.Mem)
			defer bld.Release()
			bld.Reserve(n)
			for i := 0; i < n; i++ {
				if xb.IsNull(i) {
					bld.UnsafeAppendBoolToBitmap(false)
				} else {
					bld.UnsafeAppend(!xb.Value(i))
				}
			}
			return bld.NewArray(), nil
		}
	case *planner.Func:
		if e.Name == "similarity" {
			return b.similarity(e, n)
		}
	case *planner.IsNull:
		x, err := b.eval(e.X)
		if err != nil {
			return nil, err
		}
		defer x.Release()
		bld := array.NewBooleanBuilder(b.x.Mem)
		defer bld.Release()
		bld.Reserve(n)
		for i := 0; i < n; i++ {
			bld.UnsafeAppend(x.IsNull(i) != e.Not)
		}
		return bld.NewArray(), nil
	}
	return b.evalRows(e, n)
}

// evalRows is the general path: planner.EvalRow per row.
func (b *batchEnv) evalRows(e planner.Expr, n int) (arrow.Array, error) {
	// Functions that only work on whole batches (similarity) are computed
	// first and read as columns.
	var hoisted []arrow.Array
	var ids []planner.ColID
	defer func() {
		releaseAll(hoisted)
		for _, id := range ids {
			delete(b.extra, id)
		}
	}()
	var herr error
	e = planner.Rewrite(e, func(x planner.Expr) planner.Expr {
		f, ok := x.(*planner.Func)
		if !ok || f.Name != "similarity" || herr != nil {
			return nil
		}
		a, err := b.similarity(f, n)
		if err != nil {
			herr = err
			return nil
		}
		hoisted = append(hoisted, a)
		if b.extra == nil {
			b.extra = map[planner.ColID]extraCol{}
		}
		id := planner.ColID(-1 - len(b.extra))
		b.extra[id] = extraCol{a, planner.TFloat}
		ids = append(ids, id)
		return &planner.ColRef{ID: id, Name: "similarity", T: planner.TFloat}
	})
	if herr != nil {
		return nil, herr
	}
	vals := make([]value.Value, n)
	r := &rowEnv{batchEnv: b}
	for i := 0; i < n; i++ {
		r.row = i
		v, err := planner.EvalRow(e, r)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return buildValues(b.x.Mem, e.Type(), vals), nil
}

func numType(t planner.Type) bool { return t == planner.TInt || t == planner.TFloat }

// evalBinaryVec evaluates common binary operators column-wise: arithmetic
// and comparisons over INTEGER/REAL columns, text comparisons, and
// three-valued AND/OR over booleans. ok is false when e is not such a case.
func (b *batchEnv) evalBinaryVec(e *planner.Binary, n int) (arrow.Array, bool, error) {
	lt, rt := e.L.Type(), e.R.Type()
	switch e.Op {
	case "AND", "OR":
		if lt != planner.TBool || rt != planner.TBool || planner.HasSubquery(e.R) {
			return nil, false, nil
		}
	case "+", "-", "*", "/":
		if !numType(lt) || !numType(rt) {
			return nil, false, nil
		}
	case "=", "<>", "<", "<=", ">", ">=":
		if !(numType(lt) && numType(rt)) && !(lt == planner.TText && rt == planner.TText) {
			return nil, false, nil
		}
	default:
		return nil, false, nil
	}
	l, err := b.eval(e.L)
	if err != nil {
		return nil, true, err
	}
	defer l.Release()
	r, err := b.eval(e.R)
	if err != nil {
		return nil, true, err
	}
	defer r.Release()
	switch e.Op {
	case "AND", "OR":
		return boolLogic(b.x.Mem, e.Op == "AND", l.(*array.Boolean), r.(*array.Boolean), n), true, nil
	case "+", "-", "*", "/":
		if lt == planner.TInt && rt == planner.TInt {
			a, err := intArith(b.x.Mem, e.Op[0], l.(*array.Int64), r.(*array.Int64), n)
			return a, true, err
		}
		return floatArith(b.x.Mem, e.Op[0], l, r, n), true, nil
	}
	if lt == planner.TText {
		ls, rs := l.(*array.String), r.(*array.String)
		return compareLoop(b.x.Mem, e.Op, n, l, r, func(i int) int { return strings.Compare(ls.Value(i), rs.Value(i)) }), true, nil
	}
	if lt == planner.TInt && rt == planner.TInt {
		li, ri := l.(*array.Int64).Int64Values(), r.(*array.Int64).Int64Values()
		return compareLoop(b.x.Mem, e.Op, n, l, r, func(i int) int {
			switch {
			case li[i] < ri[i]:
				return -1
			case li[i] > ri[i]:
				return 1
			}
			return 0
		}), true, nil
	}
	return compareLoop(b.x.Mem, e.Op, n, l, r, func(i int) int {
		return value.Compare(getValue(l, i, lt), getValue(r, i, rt))
	}), true, nil
}

func compareLoop(mem memory.Allocator, op string, n int, l, r arrow.Array, cmp func(i int) int) arrow.Array {
	bld := array.NewBooleanBuilder(mem)
	defer bld.Release()
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		if l.IsNull(i) || r.IsNull(i) {
			bld.UnsafeAppendBoolToBitmap(false)
			continue
		}
		c := cmp(i)
		var t bool
		switch op {
		case "=":
			t = c == 0
		case "<>":
			t = c != 0
		case "<":
			t = c < 0
		case "<=":
			t = c <= 0
		case ">":
			t = c > 0
		default:
			t = c >= 0
		}
		bld.UnsafeAppend(t)
	}
	return bld.NewArray()
}

func boolLogic(mem memory.Allocator, and bool, l, r *array.Boolean, n int) arrow.Array {
	bld := array.NewBooleanBuilder(mem)
	defer bld.Release()
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		ln, rn := l.IsNull(i), r.IsNull(i)
		lv, rv := !ln && l.Value(i), !rn && r.Value(i)
		if and {
			switch {
			case (!ln && !lv) || (!rn && !rv):
				bld.UnsafeAppend(false)
			case ln || rn:
				bld.UnsafeAppendBoolToBitmap(false)
			default:
				bld.UnsafeAppend(true)
			}
		} else {
			switch {
			case lv || rv:
				bld.UnsafeAppend(true)
			case ln || rn:
				bld.UnsafeAppendBoolToBitmap(false)
			default:
				bld.UnsafeAppend(false)
			}
		}
	}
	return bld.NewArray()
}

func intArith(mem memory.Allocator, op byte, l, r *array.Int64, n int) (arrow.Array, error) {
	bld := array.NewInt64Builder(mem)
	defer bld.Release()
	bld.Reserve(n)
	lv, rv := l.Int64Values(), r.Int64Values()
	for i := 0; i < n; i++ {
		if l.IsNull(i) || r.IsNull(i) {
			bld.UnsafeAppendBoolToBitmap(false)
			continue
		}
		v := value.Arith(op, value.FromInt(lv[i]), value.FromInt(rv[i]))
		switch v.K {
		case value.Null:
			bld.UnsafeAppendBoolToBitmap(false)
		case value.Int:
			bld.UnsafeAppend(v.I)
		default:
			return nil, errs.New(errs.Runtime, "integer overflow")
		}
	}
	return bld.NewArray(), nil
}

func floatArith(mem memory.Allocator, op byte, l, r arrow.Array, n int) arrow.Array {
	bld := array.NewFloat64Builder(mem)
	defer bld.Release()
	bld.Reserve(n)
	lf, rf := floats(l), floats(r)
	for i := 0; i < n; i++ {
		if l.IsNull(i) || r.IsNull(i) {
			bld.UnsafeAppendBoolToBitmap(false)
			continue
		}
		x, y := lf(i), rf(i)
		switch op {
		case '+':
			bld.UnsafeAppend(x + y)
		case '-':
			bld.UnsafeAppend(x - y)
		case '*':
			bld.UnsafeAppend(x * y)
		default:
			if y == 0 {
				bld.UnsafeAppendBoolToBitmap(false)
			} else {
				bld.UnsafeAppend(x / y)
			}
		}
	}
	return bld.NewArray()
}

func floats(a arrow.Array) func(int) float64 {
	switch a := a.(type) {
	case *array.Int64:
		v := a.Int64Values()
		return func(i int) float64 { return float64(v[i]) }
	case *array.Float64:
		v := a.Float64Values()
		return func(i int) float64 { return v[i] }
	}
	return func(int) float64 { return 0 }
}

// evalPredicate evaluates a condition to a Boolean array in which NULL
// (unknown) is false, ready for compute.Filter.
func (b *batchEnv) evalPredicate(e planner.Expr) (*array.Boolean, error) {
	a, err := b.eval(e)
	if err != nil {
		return nil, err
	}
	if ba, ok := a.(*array.Boolean); ok && ba.NullN() == 0 {
		return ba, nil
	}
	defer a.Release()
	n := a.Len()
	bld := array.NewBooleanBuilder(b.x.Mem)
	defer bld.Release()
	bld.Reserve(n)
	t := e.Type()
	for i := 0; i < n; i++ {
		v, ok := value.Truth(getValue(a, i, t))
		bld.UnsafeAppend(ok && v)
	}
	return bld.NewArray().(*array.Boolean), nil
}

// convert returns a as an array of static type to (a retained copy if it
// already is).
func (x *Exec) convert(a arrow.Array, from, to planner.Type) arrow.Array {
	if from == to || (to.ArrowType().ID() == a.DataType().ID() && from != planner.TAny && to != planner.TAny) {
		a.Retain()
		return a
	}
	vals := make([]value.Value, a.Len())
	for i := range vals {
		vals[i] = getValue(a, i, from)
	}
	return buildValues(x.Mem, to, vals)
}

// similarity evaluates SIMILARITY(text, query): the cosine between the
// embeddings of each row's text and of the query (NULL when either is
// NULL). Embeddings come from the statement's embedder, which keeps a
// persistent index, so a table's rows are embedded once.
func (b *batchEnv) similarity(e *planner.Func, n int) (arrow.Array, error) {
	if b.x.Embedder == nil {
		return nil, errs.New(errs.Unsupported, "similarity() needs an embedder")
	}
	ta, err := b.eval(e.Args[0])
	if err != nil {
		return nil, err
	}
	defer ta.Release()
	qa, err := b.eval(e.Args[1])
	if err != nil {
		return nil, err
	}
	defer qa.Release()
	var texts []string
	var rows []int
	queries := map[string]int{}
	var qtexts []string
	qidx := make([]int, n)
	for i := 0; i < n; i++ {
		t := getValue(ta, i, e.Args[0].Type())
		q := getValue(qa, i, e.Args[1].Type())
		if t.IsNull() || q.IsNull() {
			qidx[i] = -1
			continue
		}
		qs := value.ToText(q).S
		k, ok := queries[qs]
		if !ok {
			k = len(qtexts)
			queries[qs] = k
			qtexts = append(qtexts, qs)
		}
		qidx[i] = k
		texts = append(texts, value.ToText(t).S)
		rows = append(rows, i)
	}
	bld := array.NewFloat64Builder(b.x.Mem)
	defer bld.Release()
	if len(texts) == 0 {
		for i := 0; i < n; i++ {
			bld.AppendNull()
		}
		return bld.NewArray(), nil
	}
	qv, err := b.x.Embedder.Embed(b.x.Ctx, qtexts)
	if err != nil {
		return nil, err
	}
	tv, err := b.x.Embedder.Embed(b.x.Ctx, texts)
	if err != nil {
		return nil, err
	}
	sims := make([]float64, n)
	for k, i := range rows {
		var d float32
		q := qv[qidx[i]]
		for j := range q {
			d += q[j] * tv[k][j]
		}
		sims[i] = float64(d)
	}
	for i := 0; i < n; i++ {
		if qidx[i] < 0 {
			bld.AppendNull()
		} else {
			bld.Append(sims[i])
		}
	}
	return bld.NewArray(), nil
}
