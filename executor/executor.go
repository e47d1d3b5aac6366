// Package executor runs physical plans: operators that stream Arrow record
// batches to each other (scan, filter, project, hash aggregate, hash and
// nested-loop joins, sort, limit, distinct, set operations, values), with
// vectorised kernels for common expressions and Arrow compute kernels for
// filtering and taking rows. Semantic operators call the model layer; until
// one is configured they fail with errs.NoModel.
package executor

import (
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// Operator is a running physical operator. Next returns the next batch
// (owned by the caller, who releases it) or nil at the end.
type Operator interface {
	Cols() []planner.Col
	Next() (arrow.RecordBatch, error)
	Close()
}

// Stats counts what an execution did.
type Stats struct {
	RowsScanned   int64
	SubqueryRuns  int64
	SubqueryCache int64
}

// Exec is one statement's execution context.
type Exec struct {
	Ctx   context.Context
	Mem   memory.Allocator
	Stats Stats
	// Model answers natural-language expressions (nil: none configured).
	Model Model
	// Embedder blocks semantic joins (nil: nested loops only).
	Embedder Embedder
	// Seed makes sampling reproducible.
	Seed int64
	// ForceExact disables approximations (SET strategy = exact).
	ForceExact bool
	// SampleStrategy is the sampling strategy for approximate aggregates
	// (SET strategy): "auto", "exact", "uniform", "stratified", ...
	SampleStrategy string
	// Confidence is the confidence level of intervals (default 0.95).
	Confidence float64
	// TargetError, when > 0, lets an estimate stop sampling once its
	// interval's relative half-width is at most this.
	TargetError float64
	// Progress, if set, receives running estimates (online aggregation)
	// and the progress of searches and budgeted rankings; "" clears the
	// line.
	Progress func(string)
	// Approximate is set when the statement's answers are approximate
	// (the local model, or a sampled estimate).
	Approximate bool
	// Strategies records the strategy each semantic operator ran with.
	Strategies map[string]string
	// Sem counts what semantic operators did.
	Sem SemStats
	// PhraseObs counts, per predicate phrase, the rows the model judged and
	// how many it found true (the engine remembers them for later plans).
	PhraseObs map[string][2]int64
	// Estimates records the COUNT(*) estimates approximate aggregates made
	// from a sample (see EstimateObs), for the engine's statistics.
	Estimates []EstimateObs
	// subCache memoises subquery results by outer binding.
	subCache map[*planner.Subquery]map[string]*subResult
}

// New returns an execution context.
func New(ctx context.Context, mem memory.Allocator) *Exec {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &Exec{Ctx: ctx, Mem: mem, subCache: map[*planner.Subquery]map[string]*subResult{}}
}

func (x *Exec) computeCtx() context.Context {
	return compute.WithAllocator(x.Ctx, x.Mem)
}

// frame binds outer column values for a correlated subquery.
type frame struct {
	vals   map[planner.ColID]value.Value
	parent *frame
}

func (f *frame) get(id planner.ColID) (value.Value, bool) {
	for ; f != nil; f = f.parent {
		if v, ok := f.vals[id]; ok {
			return v, true
		}
	}
	return value.NullValue, false
}

// Build builds the operator tree for a plan.
func (x *Exec) Build(n planner.Node) (Operator, error) { return x.build(n, nil) }

func (x *Exec) build(n planner.Node, env *frame) (Operator, error) {
	if err := x.Ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	// Aggregates that may be estimated from a sample read their semantic
	// operator's input themselves.
	if a, ok := n.(*planner.Aggregate); ok {
		if sg, ok := groupApproximable(a); ok {
			in, err := x.build(sg.In, env)
			if err != nil {
				return nil, err
			}
			return &approxGroupOp{x: x, n: a, sg: sg, in: in, env: env}, nil
		}
		if sj, ok := joinApproximable(a); ok {
			l, err := x.build(sj.L, env)
			if err != nil {
				return nil, err
			}
			r, err := x.build(sj.R, env)
			if err != nil {
				l.Close()
				return nil, err
			}
			return &approxJoinOp{x: x, n: a, sj: sj, l: l, r: r, env: env}, nil
		}
		if sf, ok := approximable(a); ok {
			in, err := x.build(sf.In, env)
			if err != nil {
				return nil, err
			}
			return &approxAggOp{x: x, n: a, sf: sf, in: in, env: env}, nil
		}
	}
	switch n := n.(type) {
	case *planner.Scan:
		return x.newScan(n, env)
	case *planner.Values:
		return &valuesOp{x: x, n: n, env: env}, nil
	case *planner.RecursiveCTE, *planner.WorkScan:
		return x.buildRecursive(n, env)
	}
	// Operators over two inputs.
	if ch := n.Children(); len(ch) == 2 {
		l, err := x.build(ch[0], env)
		if err != nil {
			return nil, err
		}
		r, err := x.build(ch[1], env)
		if err != nil {
			l.Close()
			return nil, err
		}
		switch n := n.(type) {
		case *planner.Join:
			return newJoin(x, n, l, r, env), nil
		case *planner.SetOp:
			return &setOp{x: x, n: n, l: l, r: r}, nil
		case *planner.SemJoin:
			return &semJoinOp{x: x, n: n, l: l, r: r, env: env}, nil
		}
		l.Close()
		r.Close()
		return nil, errs.New(errs.Internal, "no executor for %T", n)
	}
	// Operators over one input.
	ch := n.Children()
	if len(ch) != 1 {
		return nil, errs.New(errs.Internal, "no executor for %T", n)
	}
	in, err := x.build(ch[0], env)
	if err != nil {
		return nil, err
	}
	switch n := n.(type) {
	case *planner.Filter:
		return &filterOp{x: x, in: in, cond: n.Cond, env: env}, nil
	case *planner.Project:
		return &projectOp{x: x, in: in, exprs: n.Exprs, cols: n.Cols, env: env}, nil
	case *planner.Aggregate:
		return &aggOp{x: x, in: in, n: n, env: env}, nil
	case *planner.Sort:
		return &sortOp{x: x, in: in, keys: n.Keys, env: env}, nil
	case *planner.Limit:
		return &limitOp{in: in, count: n.Count, offset: n.Offset}, nil
	case *planner.Distinct:
		return &distinctOp{x: x, in: in, seen: map[string]struct{}{}}, nil
	case *planner.SemFilter:
		return &semFilterOp{x: x, n: n, in: in, env: env}, nil
	case *planner.SemMap:
		return &semMapOp{x: x, n: n, in: in, env: env}, nil
	case *planner.SemGroup:
		return &semGroupOp{x: x, n: n, in: in, env: env}, nil
	case *planner.SemRank:
		return &semRankOp{x: x, n: n, in: in, env: env}, nil
	}
	in.Close()
	return nil, errs.New(errs.Internal, "no executor for %T", n)
}

// layout maps column IDs to positions in an operator's output.
func layout(cols []planner.Col) map[planner.ColID]int {
	m := make(map[planner.ColID]int, len(cols))
	for i, c := range cols {
		m[c.ID] = i
	}
	return m
}

// schemaOf builds the Arrow schema of columns.
func schemaOf(cols []planner.Col) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
		if c.Type == planner.TAny {
			fields[i].Metadata = arrow.NewMetadata([]string{value.AnyMetaKey}, []string{value.AnyMetaValue})
		}
	}
	return arrow.NewSchema(fields, nil)
}

// Drain runs an operator to the end and returns all its batches.
func Drain(op Operator) ([]arrow.RecordBatch, error) {
	var out []arrow.RecordBatch
	for {
		b, err := op.Next()
		if err != nil {
			for _, r := range out {
				r.Release()
			}
			return nil, err
		}
		if b == nil {
			return out, nil
		}
		if b.NumRows() == 0 {
			b.Release()
			continue
		}
		out = append(out, b)
	}
}

// concat concatenates batches of one schema into one (releasing them).
func (x *Exec) concat(cols []planner.Col, bs []arrow.RecordBatch) (arrow.RecordBatch, error) {
	schema := schemaOf(cols)
	if len(bs) == 1 {
		return bs[0], nil
	}
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	if len(bs) == 0 {
		arrs := make([]arrow.Array, len(cols))
		for i, c := range cols {
			arrs[i] = buildValues(x.Mem, c.Type, nil)
		}
		rec := array.NewRecordBatch(schema, arrs, 0)
		releaseAll(arrs)
		return rec, nil
	}
	arrs := make([]arrow.Array, len(cols))
	var n int64
	for _, b := range bs {
		n += b.NumRows()
	}
	for i := range cols {
		parts := make([]arrow.Array, len(bs))
		for j, b := range bs {
			parts[j] = b.Column(i)
		}
		a, err := array.Concatenate(parts, x.Mem)
		if err != nil {
			releaseAll(arrs[:i])
			return nil, errs.New(errs.Internal, "concatenate: %v", err)
		}
		arrs[i] = a
	}
	rec := array.NewRecordBatch(schema, arrs, n)
	releaseAll(arrs)
	return rec, nil
}

func releaseAll(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// GetValue reads one cell of an array holding values of static type t.
func GetValue(a arrow.Array, i int, t planner.Type) value.Value { return getValue(a, i, t) }

// SchemaOf is the Arrow schema of batches with these columns.
func SchemaOf(cols []planner.Col) *arrow.Schema { return schemaOf(cols) }

// BuildBatch builds one record batch from row-major values.
func BuildBatch(mem memory.Allocator, cols []planner.Col, rows [][]value.Value) arrow.RecordBatch {
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		vals := make([]value.Value, len(rows))
		for r, row := range rows {
			vals[r] = row[i]
		}
		arrs[i] = buildValues(mem, c.Type, vals)
	}
	rec := array.NewRecordBatch(schemaOf(cols), arrs, int64(len(rows)))
	releaseAll(arrs)
	return rec
}

// noModel is the error for a semantic operator while no model layer exists;
// it points at the operator's first natural-language phrase.
func noModel(n planner.Node) error {
	var nl *planner.NLExpr
	find := func(e planner.Expr) {
		planner.Walk(e, func(x planner.Expr) bool {
			if v, ok := x.(*planner.NLExpr); ok && nl == nil {
				nl = v
			}
			return nl == nil
		})
	}
	switch n := n.(type) {
	case *planner.SemMap:
		nl = n.Exprs[0]
	case *planner.SemGroup:
		nl = n.Key
	case *planner.SemRank:
		nl = n.Key
	default:
		for _, e := range planner.NodeExprs(n) {
			find(e)
		}
	}
	const how = "no model is configured: set OPENAI_API_KEY or OPENAI_BASE_URL for an OpenAI-compatible server, or use --llm sim:KEY.json"
	if nl == nil {
		return errs.New(errs.NoModel, "%s needs a model; %s", n.Describe(), how)
	}
	return errs.At(nl.Pos, errs.NoModel, "natural-language expression \"%s\" needs a model; %s", nl.Text, how)
}

// cancelled is the error of a statement whose context ended.
func cancelled(err error) error {
	return errs.Wrap(err, errs.Cancelled, "query cancelled: %v", err)
}

// computeErr turns an error of an Arrow compute call into ours: a
// cancellation if the context ended, else an internal error.
func (x *Exec) computeErr(what string, err error) error {
	if cerr := x.Ctx.Err(); cerr != nil {
		return cancelled(cerr)
	}
	return errs.Wrap(err, errs.Internal, "%s: %v", what, err)
}

// newBatch assembles a batch of columns (the batch retains the arrays).
func newBatch(cols []planner.Col, arrs []arrow.Array, n int64) arrow.RecordBatch {
	return array.NewRecordBatch(schemaOf(cols), arrs, n)
}

func (x *Exec) confidence() float64 {
	if x.Confidence <= 0 || x.Confidence >= 1 {
		return 0.95
	}
	return x.Confidence
}

// progressEvery is the shortest interval between two progress lines of a
// search or a ranking (their model calls are small and frequent).
const progressEvery = 200 * time.Millisecond

// progressLine returns a function that shows msg() through x.Progress at
// most every progressEvery (nil without x.Progress), and one that clears
// the line.
func (x *Exec) progressLine(msg func() string) (tick, done func()) {
	if x.Progress == nil {
		return func() {}, func() {}
	}
	var last time.Time
	return func() {
			if now := time.Now(); now.Sub(last) >= progressEvery {
				last = now
				x.Progress(msg())
			}
		}, func() {
			if !last.IsZero() {
				x.Progress("")
			}
		}
}
