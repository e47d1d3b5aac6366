package executor

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/sampling"
	"github.com/uqe-dev/uqe/value"
)

// Model is what the semantic operators need from the model layer; an
// *llm.Client implements it (with de-duplication, cache, budget and
// batching).
type Model interface {
	PlanJudge(preds []string, rows []llm.Row) (int, error)
	PlanExtract(attrs []llm.Attr, rows []llm.Row) (int, error)
	Judge(ctx context.Context, preds []string, rows []llm.Row) ([][]llm.Verdict, error)
	Extract(ctx context.Context, attrs []llm.Attr, rows []llm.Row) ([][]value.Value, error)
	Taxonomy(ctx context.Context, instruction string, sample []llm.Row, max int) ([]string, error)
	Score(ctx context.Context, instruction string, rows []llm.Row) ([]float64, error)
	Compare(ctx context.Context, instruction string, a, b llm.Row) (float64, error)
	PlanScore(instruction string, rows []llm.Row) (int, error)
	// Budget is the statement's budget (nil: unlimited).
	Budget() *llm.Budget
}

// checkBudget fails an operator that would need more rows judged than the
// budget has left, before its first call (operators made of several
// calls, like taxonomy then assignment, or scores then comparisons, check
// their whole need up front).
func checkBudget(m Model, need int64, nl *planner.NLExpr) error {
	b := m.Budget()
	if b == nil {
		return nil
	}
	if rem := b.Remaining(); rem >= 0 && need > rem {
		return errs.At(nl.Pos, errs.BudgetExceeded, "the model would judge %d more rows for %q, but the budget has %d left of %d (SET budget = N to raise it, 0 for no limit)", need, nl.Text, rem, b.Limit())
	}
	return nil
}

// Embedder turns texts into unit vectors (for the blocking of semantic
// joins).
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// SemStats counts what semantic operators did (for stats and EXPLAIN
// ANALYZE).
type SemStats struct {
	RowsIn      int64 // rows that reached semantic operators
	RowsDecided int64 // rows whose fate structured predicates decided (never judged)
	PairsJudged int64 // candidate pairs of semantic joins
	Comparisons int64 // pairwise comparisons of semantic ranking
}

func (x *Exec) model(n planner.Node) (Model, error) {
	if x.Model == nil {
		return nil, noModel(n)
	}
	return x.Model, nil
}

func (x *Exec) strategy(n planner.Node, s string) {
	if x.Approximate && s == "exact" {
		s = "every row, judged by the local model (approximate)"
	}
	if x.Strategies == nil {
		x.Strategies = map[string]string{}
	}
	x.Strategies[n.Describe()] = s
}

// materialise reads an operator to the end into one batch.
func (x *Exec) materialise(op Operator) (arrow.RecordBatch, error) {
	bs, err := Drain(op)
	if err != nil {
		return nil, err
	}
	return x.concat(op.Cols(), bs)
}

// rowBuilder turns the context columns of an NL expression into llm.Rows.
type rowBuilder struct {
	be   *batchEnv
	refs []planner.ColRef
}

func (rb *rowBuilder) row(i int) llm.Row {
	env := &rowEnv{batchEnv: rb.be, row: i}
	fields := make([]llm.Field, 0, len(rb.refs))
	for _, r := range rb.refs {
		v, _ := env.Col(r.ID)
		fields = append(fields, fieldOf(r.Name, v))
	}
	return llm.Row{Fields: fields}
}

// fieldOf renders one value for the model: text as is, numbers as text,
// blobs that are images as images, other blobs as a size note.
func fieldOf(name string, v value.Value) llm.Field {
	switch v.K {
	case value.Null:
		return llm.Field{Name: name, Text: ""}
	case value.Blob:
		b := []byte(v.S)
		mime := http.DetectContentType(b)
		if strings.HasPrefix(mime, "image/") {
			return llm.Field{Name: name, Image: b, MIME: mime}
		}
		if len(b) <= 32 {
			return llm.Field{Name: name, Text: "X'" + strings.ToUpper(hex.EncodeToString(b)) + "'"}
		}
		return llm.Field{Name: name, Text: fmt.Sprintf("<%d bytes of %s>", len(b), mime)}
	}
	return llm.Field{Name: name, Text: v.String()}
}

func contextKey(refs []planner.ColRef) string {
	var b strings.Builder
	for _, r := range refs {
		fmt.Fprintf(&b, "%d,", r.ID)
	}
	return b.String()
}

// nlAtoms lists the distinct natural-language expressions in e.
func nlAtoms(e planner.Expr) []*planner.NLExpr {
	var out []*planner.NLExpr
	seen := map[*planner.NLExpr]bool{}
	planner.Walk(e, func(x planner.Expr) bool {
		if nl, ok := x.(*planner.NLExpr); ok && !seen[nl] {
			seen[nl] = true
			out = append(out, nl)
		}
		return true
	})
	return out
}

func attrType(nl *planner.NLExpr) llm.Type {
	switch nl.T {
	case planner.TInt:
		return llm.Type{Kind: llm.KindInt}
	case planner.TFloat:
		return llm.Type{Kind: llm.KindReal}
	case planner.TBool:
		return llm.Type{Kind: llm.KindBool}
	}
	return llm.Type{Kind: llm.KindText}
}

// answers holds the model's answers for the atoms of one operator, per row.
type answers struct {
	vals map[*planner.NLExpr][]value.Value
}

// nlRowEnv evaluates an expression for one row with the model's answers.
type nlRowEnv struct {
	rowEnv
	ans *answers
}

func (e *nlRowEnv) NL(nl *planner.NLExpr) (value.Value, error) {
	vs, ok := e.ans.vals[nl]
	if !ok || vs == nil {
		return value.NullValue, errs.New(errs.Internal, "no answer for %q", nl.Text)
	}
	return vs[e.row], nil
}

// judgeAtoms asks the model about every atom for the rows in need, fusing
// the atoms that read the same columns into one call per row: predicates
// through Judge, typed values through Extract.
func (x *Exec) judgeAtoms(m Model, be *batchEnv, atoms []*planner.NLExpr, need []int, n int) (*answers, error) {
	ans := &answers{vals: map[*planner.NLExpr][]value.Value{}}
	for _, a := range atoms {
		ans.vals[a] = make([]value.Value, n)
	}
	if len(need) == 0 {
		return ans, nil
	}
	type call struct {
		g    *atomGroup
		rows []llm.Row
	}
	var calls []call
	for _, g := range groupAtoms(atoms) {
		rb := &rowBuilder{be: be, refs: g.refs}
		rows := make([]llm.Row, len(need))
		for k, r := range need {
			rows[k] = rb.row(r)
		}
		calls = append(calls, call{g, rows})
	}
	for _, c := range calls {
		if len(c.g.preds) > 0 {
			vs, err := m.Judge(x.Ctx, texts(c.g.preds), c.rows)
			if err != nil {
				return nil, withPos(err, c.g.preds[0])
			}
			if x.PhraseObs == nil {
				x.PhraseObs = map[string][2]int64{}
			}
			for k, r := range need {
				for p, a := range c.g.preds {
					ans.vals[a][r] = value.FromBool(vs[k][p].Value)
					o := x.PhraseObs[a.Text]
					o[0]++
					if vs[k][p].Value {
						o[1]++
					}
					x.PhraseObs[a.Text] = o
				}
			}
		}
		if len(c.g.exts) > 0 {
			vs, err := m.Extract(x.Ctx, attrsOf(c.g.exts), c.rows)
			if err != nil {
				return nil, withPos(err, c.g.exts[0])
			}
			for k, r := range need {
				for p, a := range c.g.exts {
					ans.vals[a][r] = vs[k][p]
				}
			}
		}
	}
	return ans, nil
}

// withPos places an error without a position at the phrase.
func withPos(err error, nl *planner.NLExpr) error {
	if e, ok := err.(*errs.Error); ok && !e.Pos.IsValid() {
		e.Pos = nl.Pos
	}
	return err
}

func texts(nls []*planner.NLExpr) []string {
	out := make([]string, len(nls))
	for i, n := range nls {
		out[i] = n.Text
	}
	return out
}

func attrsOf(nls []*planner.NLExpr) []llm.Attr {
	out := make([]llm.Attr, len(nls))
	for i, n := range nls {
		out[i] = llm.Attr{Instruction: n.Text, Type: attrType(n)}
	}
	return out
}

// decide evaluates a condition for one row as far as it can without the
// model: ok is false when the result depends on a natural-language atom.
// Three-valued logic decides FALSE AND ? = FALSE and TRUE OR ? = TRUE.
func decide(e planner.Expr, env *rowEnv) (value.Value, bool, error) {
	if !planner.HasNL(e) {
		v, err := planner.EvalRow(e, env)
		return v, err == nil, err
	}
	switch b := e.(type) {
	case *planner.Binary:
		if b.Op == "AND" || b.Op == "OR" {
			l, lok, err := decide(b.L, env)
			if err != nil {
				return l, false, err
			}
			short := b.Op == "OR"
			if lok {
				if t, known := value.Truth(l); known && t == short {
					return value.FromBool(short), true, nil
				}
			}
			r, rok, err := decide(b.R, env)
			if err != nil {
				return r, false, err
			}
			if rok {
				if t, known := value.Truth(r); known && t == short {
					return value.FromBool(short), true, nil
				}
			}
			return value.NullValue, false, nil
		}
	case *planner.Unary:
		if b.Op == "NOT" {
			v, ok, err := decide(b.X, env)
			if !ok || err != nil {
				return v, ok, err
			}
			t, known := value.Truth(v)
			if !known {
				return value.NullValue, true, nil
			}
			return value.FromBool(!t), true, nil
		}
	}
	return value.NullValue, false, nil
}

// semFilter evaluates a condition with natural-language atoms over a
// materialised batch: rows whose fate the structured part decides are
// never judged; the others are judged with every atom fused into one call
// per row. It returns the mask of rows that pass.
func (x *Exec) semFilter(n planner.Node, m Model, be *batchEnv, cond planner.Expr) ([]bool, error) {
	rows := int(be.rec.NumRows())
	pass := make([]bool, rows)
	var need []int
	env := &rowEnv{batchEnv: be}
	for i := 0; i < rows; i++ {
		env.row = i
		v, ok, err := decide(cond, env)
		if err != nil {
			return nil, err
		}
		if ok {
			t, _ := value.Truth(v)
			pass[i] = t
			continue
		}
		need = append(need, i)
	}
	x.Sem.RowsIn += int64(rows)
	x.Sem.RowsDecided += int64(rows - len(need))
	ans, err := x.judgeAtoms(m, be, nlAtoms(cond), need, rows)
	if err != nil {
		return nil, err
	}
	ne := &nlRowEnv{rowEnv: rowEnv{batchEnv: be}, ans: ans}
	for _, i := range need {
		ne.row = i
		v, err := planner.EvalRow(cond, ne)
		if err != nil {
			return nil, err
		}
		t, _ := value.Truth(v)
		pass[i] = t
	}
	return pass, nil
}

// sliced hands out a materialised result in batches of at most
// catalog.BatchSize rows.
type sliced struct {
	out arrow.RecordBatch
	pos int64
}

func (s *sliced) next() (arrow.RecordBatch, error) {
	if s.out == nil || s.pos >= s.out.NumRows() {
		return nil, nil
	}
	end := min(s.pos+catalog.BatchSize, s.out.NumRows())
	b := s.out.NewSlice(s.pos, end)
	s.pos = end
	return b, nil
}

func (s *sliced) release() {
	if s.out != nil {
		s.out.Release()
		s.out = nil
	}
}

// ---------------------------------------------------------------- SemFilter

type semFilterOp struct {
	x   *Exec
	n   *planner.SemFilter
	in  Operator
	env *frame
	sliced
	done bool
}

func (s *semFilterOp) Cols() []planner.Col { return s.in.Cols() }

func (s *semFilterOp) Next() (arrow.RecordBatch, error) {
	if !s.done {
		s.done = true
		m, err := s.x.model(s.n)
		if err != nil {
			return nil, err
		}
		s.x.strategy(s.n, "exact")
		rec, err := s.x.materialise(s.in)
		if err != nil {
			return nil, err
		}
		defer rec.Release()
		be := &batchEnv{x: s.x, rec: rec, lay: layout(s.in.Cols()), cols: s.in.Cols(), env: s.env}
		var pass []bool
		if s.n.Limit > 0 && !s.x.ForceExact {
			pass, err = s.x.search(s.n, m, be)
		} else {
			pass, err = s.x.semFilter(s.n, m, be, s.n.Cond)
		}
		if err != nil {
			return nil, err
		}
		rec.Retain()
		s.out, err = s.x.keepRows(rec, func(r int) bool { return pass[r] })
		rec.Release()
		if err != nil {
			return nil, err
		}
	}
	return s.next()
}

func (s *semFilterOp) Close() {
	s.release()
	s.in.Close()
}

// ---------------------------------------------------------------- SemMap

type semMapOp struct {
	x   *Exec
	n   *planner.SemMap
	in  Operator
	env *frame
	lay map[planner.ColID]int
}

func (s *semMapOp) Cols() []planner.Col {
	return append(append([]planner.Col{}, s.in.Cols()...), s.n.Cols...)
}

// Next extracts the virtual columns batch by batch: each input batch is
// one round of (batched, de-duplicated, cached) model calls.
func (s *semMapOp) Next() (arrow.RecordBatch, error) {
	m, err := s.x.model(s.n)
	if err != nil {
		return nil, err
	}
	s.x.strategy(s.n, "exact")
	rec, err := s.in.Next()
	if rec == nil || err != nil {
		return nil, err
	}
	defer rec.Release()
	if s.lay == nil {
		s.lay = layout(s.in.Cols())
	}
	n := int(rec.NumRows())
	be := &batchEnv{x: s.x, rec: rec, lay: s.lay, cols: s.in.Cols(), env: s.env}
	need := make([]int, n)
	for i := range need {
		need[i] = i
	}
	s.x.Sem.RowsIn += int64(n)
	ans, err := s.x.judgeAtoms(m, be, s.n.Exprs, need, n)
	if err != nil {
		return nil, err
	}
	var extra []arrow.Array
	for i, e := range s.n.Exprs {
		vals := ans.vals[e]
		for r, v := range vals {
			vals[r] = coerce(v, s.n.Cols[i].Type)
		}
		extra = append(extra, buildValues(s.x.Mem, s.n.Cols[i].Type, vals))
	}
	return appendColumns(rec, s.Cols(), extra), nil
}

func (s *semMapOp) Close() { s.in.Close() }

// coerce converts a model's answer to a column's static type (a value
// that does not fit becomes NULL rather than a wrong number).
func coerce(v value.Value, t planner.Type) value.Value {
	if v.IsNull() {
		return v
	}
	switch t {
	case planner.TInt:
		if v.K == value.Int {
			return v
		}
		if n, ok := value.ParseNumber(value.ToText(v).S); ok && n.K == value.Int {
			return n
		}
		if v.K == value.Real && v.F == float64(int64(v.F)) {
			return value.FromInt(int64(v.F))
		}
		return value.NullValue
	case planner.TFloat:
		if v.K == value.Real {
			return v
		}
		if v.K == value.Int {
			return value.FromFloat(float64(v.I))
		}
		if n, ok := value.ParseNumber(value.ToText(v).S); ok {
			return value.FromFloat(value.AsFloat(n))
		}
		return value.NullValue
	case planner.TText:
		return value.ToText(v)
	}
	return v
}

// ---------------------------------------------------------------- SemGroup

// semGroupOp assigns each row to a group of a taxonomy the model derives
// from a sample. The sample is a uniform random sample (seeded) of up to
// taxonomySample distinct rows: a taxonomy should reflect how often
// things occur, and uniform sampling is the unbiased way to see that.
// Rows that fit none of the sampled categories get a free-text label of
// their own in a second round, so rare groups are not lost.
type semGroupOp struct {
	x   *Exec
	n   *planner.SemGroup
	in  Operator
	env *frame
	sliced
	done bool
}

const (
	taxonomySample = 100
	taxonomyMax    = 20
)

func (s *semGroupOp) Cols() []planner.Col {
	return append(append([]planner.Col{}, s.in.Cols()...), s.n.Col)
}

func (s *semGroupOp) Next() (arrow.RecordBatch, error) {
	if s.done {
		return s.next()
	}
	s.done = true
	m, err := s.x.model(s.n)
	if err != nil {
		return nil, err
	}
	s.x.strategy(s.n, "exact")
	rec, err := s.x.materialise(s.in)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	n := int(rec.NumRows())
	s.x.Sem.RowsIn += int64(n)
	be := &batchEnv{x: s.x, rec: rec, lay: layout(s.in.Cols()), cols: s.in.Cols(), env: s.env}
	rb := &rowBuilder{be: be, refs: s.n.Key.Context}
	rows := make([]llm.Row, n)
	for i := range rows {
		rows[i] = rb.row(i)
	}
	labels := make([]value.Value, n)
	if n > 0 {
		// The sample: distinct rows, shuffled with the seed.
		seen := map[string]bool{}
		var distinct []int
		for i, r := range rows {
			if k := r.Key(); !seen[k] {
				seen[k] = true
				distinct = append(distinct, i)
			}
		}
		rng := rand.New(rand.NewPCG(uint64(s.x.Seed), 0x5e9))
		rng.Shuffle(len(distinct), func(a, b int) { distinct[a], distinct[b] = distinct[b], distinct[a] })
		if len(distinct) > taxonomySample {
			distinct = distinct[:taxonomySample]
		}
		sample := make([]llm.Row, len(distinct))
		for i, d := range distinct {
			sample[i] = rows[d]
		}
		free := []llm.Attr{{Instruction: s.n.Key.Text, Type: llm.Type{Kind: llm.KindText}}}
		need, err := m.PlanExtract(free, rows)
		if err != nil {
			return nil, err
		}
		if err := checkBudget(m, int64(need+len(sample)), s.n.Key); err != nil {
			return nil, err
		}
		cats, err := m.Taxonomy(s.x.Ctx, s.n.Key.Text, sample, taxonomyMax)
		if err != nil {
			return nil, withPos(err, s.n.Key)
		}
		// synonymous names (the taxonomy's, and the free-text names of
		// rows that fit none) become one group
		syn := newNames()
		cats = syn.distinct(cats)
		attr := []llm.Attr{{Instruction: s.n.Key.Text, Type: llm.Type{Kind: llm.KindEnum, Enum: cats}}}
		vs, err := m.Extract(s.x.Ctx, attr, rows)
		if err != nil {
			return nil, withPos(err, s.n.Key)
		}
		var rest []int
		for i := range rows {
			labels[i] = vs[i][0]
			if labels[i].IsNull() {
				rest = append(rest, i)
			}
		}
		if len(rest) > 0 {
			rr := make([]llm.Row, len(rest))
			for k, i := range rest {
				rr[k] = rows[i]
			}
			vs, err := m.Extract(s.x.Ctx, free, rr)
			if err != nil {
				return nil, withPos(err, s.n.Key)
			}
			var free []string
			var at []int
			for k, i := range rest {
				labels[i] = vs[k][0]
				if v := vs[k][0]; !v.IsNull() {
					free = append(free, value.ToText(v).S)
					at = append(at, i)
				}
			}
			canon := syn.add(free)
			for k, i := range at {
				labels[i] = value.FromText(canon[k])
			}
		}
	}
	for i, v := range labels {
		labels[i] = coerce(v, planner.TText)
	}
	s.out = appendColumns(rec, s.Cols(), []arrow.Array{buildValues(s.x.Mem, planner.TText, labels)})
	return s.next()
}

func (s *semGroupOp) Close() {
	s.release()
	s.in.Close()
}

// ---------------------------------------------------------------- SemRank

// semRankOp orders rows by a natural-language criterion: every row is
// scored once (pointwise), then, when a LIMIT k asks for the top only, the
// best candidates (k plus a margin) are ordered by pairwise comparisons
// with a merge sort: about n + m·log2(m) judgments for m ≈ 1.5k, instead
// of n·log2(n) for a comparison sort of everything.
type semRankOp struct {
	x   *Exec
	n   *planner.SemRank
	in  Operator
	env *frame
	sliced
	done bool
}

func (s *semRankOp) Cols() []planner.Col { return s.in.Cols() }

func (s *semRankOp) Next() (arrow.RecordBatch, error) {
	if s.done {
		return s.next()
	}
	s.done = true
	m, err := s.x.model(s.n)
	if err != nil {
		return nil, err
	}
	rec, err := s.x.materialise(s.in)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	n := int(rec.NumRows())
	s.x.Sem.RowsIn += int64(n)
	be := &batchEnv{x: s.x, rec: rec, lay: layout(s.in.Cols()), cols: s.in.Cols(), env: s.env}
	rb := &rowBuilder{be: be, refs: s.n.Key.Context}
	rows := make([]llm.Row, n)
	for i := range rows {
		rows[i] = rb.row(i)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if n > 1 {
		need, err := m.PlanScore(s.n.Key.Text, rows)
		if err != nil {
			return nil, err
		}
		cmp := RankReserve(n, int(s.n.Limit))
		// Under a budget too small to score every row, a LIMIT k ranking
		// scores only the rows a guided search expects to rank highest
		// (sampling.TopScores: the prior's order, then a score proxy
		// refitted every round) and is labelled approximate.
		var scored []int
		var sc []float64
		budgeted := false
		if b := m.Budget(); b != nil && b.Remaining() >= 0 && int64(need+cmp) > b.Remaining() &&
			s.n.Limit > 0 && s.x.Embedder != nil && !s.x.ForceExact {
			keep := int(b.Remaining()) - cmp
			if keep < int(s.n.Limit) {
				return nil, checkBudget(m, int64(int(s.n.Limit)+cmp), s.n.Key)
			}
			pop, err := s.population(rows)
			if err != nil {
				return nil, err
			}
			scoredSoFar := 0
			tick, done := s.x.progressLine(func() string {
				return fmt.Sprintf("ranking: %d of %d rows scored (budget)", scoredSoFar, keep)
			})
			defer done()
			oracle := func(ctx context.Context, r []int) ([]float64, error) {
				defer tick()
				scoredSoFar += len(r)
				srows := make([]llm.Row, len(r))
				for i, j := range r {
					srows[i] = rows[j]
				}
				out, err := m.Score(ctx, s.n.Key.Text, srows)
				if err == nil && !s.n.Desc {
					for i := range out {
						out[i] = -out[i] // TopScores looks for high scores
					}
				}
				return out, err
			}
			scored, sc, err = sampling.TopScores(s.x.Ctx, pop, oracle, keep, int(s.n.Limit))
			if err != nil {
				return nil, withPos(err, s.n.Key)
			}
			if !s.n.Desc {
				for i := range sc {
					sc[i] = -sc[i]
				}
			}
			budgeted = true
		} else {
			if err := checkBudget(m, int64(need+cmp), s.n.Key); err != nil {
				return nil, err
			}
			scored = idx
			sc, err = m.Score(s.x.Ctx, s.n.Key.Text, rows)
			if err != nil {
				return nil, withPos(err, s.n.Key)
			}
		}
		// Rows not scored (left out under the budget) rank after every
		// scored row.
		scores := make([]float64, n)
		for i := range scores {
			scores[i] = math.Inf(-1)
			if !s.n.Desc {
				scores[i] = math.Inf(1)
			}
		}
		for i, r := range scored {
			scores[r] = sc[i]
		}
		idx = make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool {
			if s.n.Desc {
				return scores[idx[a]] > scores[idx[b]]
			}
			return scores[idx[a]] < scores[idx[b]]
		})
		strategy := "pointwise"
		if budgeted {
			s.x.Approximate = true
			strategy = fmt.Sprintf("budgeted: %d of %d rows scored (the prior's order, then a score proxy's), ranked among themselves", len(scored), n)
		}
		if k := int(s.n.Limit); k > 0 && k < n {
			top := min(n, k+k/2+2)
			if budgeted {
				top = min(top, len(scored)) // only scored rows are candidates
			}
			refined, err := s.mergeSort(m, rows, idx[:top])
			if err != nil {
				return nil, err
			}
			copy(idx, refined)
			strategy += fmt.Sprintf(" + pairwise (top %d)", top)
		}
		s.x.strategy(s.n, strategy)
	}
	s.out, err = s.x.take(rec, s.in.Cols(), idx)
	if err != nil {
		return nil, err
	}
	return s.next()
}

// mergeSort orders candidates with the model's pairwise judgments.
func (s *semRankOp) mergeSort(m Model, rows []llm.Row, cand []int) ([]int, error) {
	if len(cand) <= 1 {
		return append([]int(nil), cand...), nil
	}
	mid := len(cand) / 2
	l, err := s.mergeSort(m, rows, cand[:mid])
	if err != nil {
		return nil, err
	}
	r, err := s.mergeSort(m, rows, cand[mid:])
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(cand))
	for len(l) > 0 && len(r) > 0 {
		// p is the probability that l[0] has more of the criterion.
		p, err := m.Compare(s.x.Ctx, s.n.Key.Text, rows[l[0]], rows[r[0]])
		if err != nil {
			return nil, withPos(err, s.n.Key)
		}
		s.x.Sem.Comparisons++
		first := p >= 0.5
		if !s.n.Desc {
			first = p < 0.5
		}
		if first {
			out = append(out, l[0])
			l = l[1:]
		} else {
			out = append(out, r[0])
			r = r[1:]
		}
	}
	out = append(out, l...)
	return append(out, r...), nil
}

func (s *semRankOp) Close() {
	s.release()
	s.in.Close()
}

// bitsLen is ceil(log2(n)) for n >= 1.
func bitsLen(n int) int {
	b := 0
	for v := n - 1; v > 0; v >>= 1 {
		b++
	}
	return b
}

// population describes the rows to rank for sampling.TopScores: their
// embeddings (long texts in windows) and, as the prior, their zero-shot
// score for the ranking phrase (rowFeatures' prior, negated for ASC, so
// that higher always means earlier in the order).
func (s *semRankOp) population(rows []llm.Row) (*sampling.Population, error) {
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = r.Text()
	}
	emb, prior, err := s.x.embedRows(texts, s.n.Key.Text, true)
	if err != nil {
		return nil, err
	}
	if !s.n.Desc {
		for i := range prior {
			prior[i] = -prior[i]
		}
	}
	return &sampling.Population{N: len(rows), Emb: emb, Prior: prior}, nil
}

// RankReserve is the rows a ranking of n rows under LIMIT k (0: none)
// keeps for its pairwise refinement: two rows per comparison, at most
// mergeWorst of the k + k/2 + 2 best-scored candidates.
func RankReserve(n, k int) int {
	if k <= 0 || k >= n {
		return 0
	}
	return 2 * mergeWorst(min(n, k+k/2+2))
}

// mergeWorst is the most comparisons mergeSort makes on m candidates:
// W(m) = W(⌊m/2⌋) + W(⌈m/2⌉) + m − 1, W(1) = 0.
func mergeWorst(m int) int {
	if m <= 1 {
		return 0
	}
	return mergeWorst(m/2) + mergeWorst(m-m/2) + m - 1
}

// appendColumns returns rec with extra columns after its own (cols
// describes the result); it takes ownership of extra.
func appendColumns(rec arrow.RecordBatch, cols []planner.Col, extra []arrow.Array) arrow.RecordBatch {
	arrs := append(append([]arrow.Array{}, rec.Columns()...), extra...)
	out := array.NewRecordBatch(schemaOf(cols), arrs, rec.NumRows())
	releaseAll(extra)
	return out
}
