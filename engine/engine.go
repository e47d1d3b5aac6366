// Package engine owns uqe's sessions: it parses statements, binds and
// optimizes them, runs them through the executor, and applies DDL and DML to
// the catalog. The uqe command, the REPL and the database/sql driver all
// talk to an engine.DB through Sessions.
package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/executor"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/optimizer"
	"github.com/uqe-dev/uqe/parser"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// Options configure a DB.
type Options struct {
	// Settings are initial values of session settings (budget, seed, ...).
	Settings map[string]string
	// AllowDirs limits the files queries may read by path (FROM 'x.csv',
	// read_csv); empty means any path.
	AllowDirs []string
	// Stderr receives notices (nil: os.Stderr).
	Stderr io.Writer
	// Mem is the Arrow allocator (nil: the Go allocator).
	Mem memory.Allocator
	// Cache is the response cache's path: "" for the default (under the
	// user's cache directory), "off" for none.
	Cache string
	// Env reads environment variables (OPENAI_API_KEY, OPENAI_BASE_URL);
	// nil: os.Getenv.
	Env func(string) string
}

// DB is a database: a catalog shared by its sessions. Statements that change
// the catalog or a table are serialised.
type DB struct {
	cat  *catalog.Catalog
	opts Options
	mem  memory.Allocator
	// write serialises DDL and DML.
	write sync.Mutex
	// models holds model backends, the response cache and the embedder.
	models models
	// stats remembers what phrases selected (see phrasestats.go).
	stats statsStore
}

// Open returns a new, empty database.
func Open(opts Options) (*DB, error) {
	for k, v := range opts.Settings {
		if _, _, err := normaliseSetting(k, v); err != nil {
			return nil, err
		}
	}
	mem := opts.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	return &DB{cat: catalog.New(), opts: opts, mem: mem}, nil
}

// Catalog returns the database's catalog.
func (db *DB) Catalog() *catalog.Catalog { return db.cat }

// Register registers a file or folder as a table. An empty name derives
// one from the path.
func (db *DB) Register(name, path string) error {
	src, err := catalog.Open(path)
	if err != nil {
		return err
	}
	if name == "" {
		name = catalog.TableNameFor(path)
	}
	return db.cat.AddTable(&catalog.Table{Name: name, Source: src, Path: path})
}

// RegisterDir registers every data file directly inside dir as a table
// named after the file (a DSN path that is a folder).
func (db *DB) RegisterDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return errs.New(errs.BadPath, "%s: no such file or directory", dir)
	}
	if !fi.IsDir() {
		return db.Register("", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return errs.New(errs.BadPath, "%s: %v", dir, err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".parquet", ".arrow", ".feather", ".ipc":
		default:
			continue
		}
		name := catalog.TableNameFor(p)
		if seen[strings.ToLower(name)] {
			continue // later parts of a multi-part table
		}
		seen[strings.ToLower(name)] = true
		if err := db.Register(name, p); err != nil {
			return err
		}
	}
	return nil
}

// Session is one connection's state: its settings.
type Session struct {
	db       *DB
	settings map[string]string
	// underApproxAgg marks, during EXPLAIN, the semantic filters an
	// aggregate can estimate from a sample.
	underApproxAgg map[*planner.SemFilter]bool
	// underApproxJoin marks the inner semantic joins an aggregate can
	// estimate from a sample of pairs.
	underApproxJoin map[*planner.SemJoin]bool
	noticed         bool
	// intervals: carry estimated aggregates' bounds in hidden columns
	// (ShowIntervals)
	intervals bool
}

// NewSession returns a session with the DB's initial settings.
func (db *DB) NewSession() *Session {
	s := &Session{db: db, settings: map[string]string{}}
	for k, st := range settings {
		s.settings[k] = st.def
	}
	for k, v := range db.opts.Settings {
		n, nv, _ := normaliseSetting(k, v)
		s.settings[n] = nv
	}
	return s
}

// Budget is the budget setting as a number.
func (s *Session) Budget() int64 { return mustInt(s.settings["budget"]) }

// Setting returns a setting's current value.
func (s *Session) Setting(name string) string { return s.settings[strings.ToLower(name)] }

// Set changes a setting.
func (s *Session) Set(name, val string) error {
	n, v, err := normaliseSetting(name, val)
	if err != nil {
		return err
	}
	s.settings[n] = v
	return nil
}

// Parse parses a script.
func (s *Session) Parse(file, src string) ([]ast.Stmt, error) {
	return parser.Parse(file, src)
}

// Column describes a result column.
type Column struct {
	Name string
	Type planner.Type
}

// Stats describes one statement's execution (DESIGN §4).
type Stats struct {
	RowsOut          int64             `json:"rows_out"`
	ModelCalls       int64             `json:"model_calls"`
	RowsJudged       int64             `json:"rows_judged"`
	PromptTokens     int64             `json:"prompt_tokens"`
	CompletionTokens int64             `json:"completion_tokens"`
	CacheHits        int64             `json:"cache_hits"`
	CostUSD          float64           `json:"cost_usd"`
	WallMS           float64           `json:"wall_ms"`
	Strategy         map[string]string `json:"strategy"`
	Budget           int64             `json:"budget"`
	RowsScanned      int64             `json:"rows_scanned"`
	Retries          int64             `json:"retries"`
	// Approximate is true when the answer is not exact: a sampled estimate
	// or the built-in local model's judgments.
	Approximate bool `json:"approximate"`
}

// Result is the outcome of one statement: a stream of record batches for a
// query, or a count of affected rows.
type Result struct {
	Columns      []Column
	RowsAffected int64
	Stats        Stats
	// Plain marks text meant to be read as lines (EXPLAIN), which a shell
	// prints without a grid.
	Plain bool

	op      executor.Operator
	db      *DB
	exec    *executor.Exec
	client  *llm.Client
	start   time.Time
	rows    []arrow.RecordBatch // materialised results (SHOW, EXPLAIN)
	schema  *arrow.Schema
	closed  bool
	onClose func()
	// plan is the statement's plan, for the statistics (phrase → table
	// version) recorded when it closes.
	plan planner.Node
	// intervals locate the hidden interval columns of estimated
	// aggregates (ShowIntervals); all is every column, hidden ones too.
	intervals []interval
	all       []Column
}

// HasRows reports whether the statement produces a result set.
func (r *Result) HasRows() bool { return r.Columns != nil }

// Schema is the Arrow schema of the batches Next returns.
func (r *Result) Schema() *arrow.Schema { return r.schema }

// Next returns the next batch of rows (the caller releases it), or nil at
// the end. Columns of type ANY are tagged binary; use Value to read them.
func (r *Result) Next() (arrow.RecordBatch, error) {
	if r.closed {
		return nil, nil
	}
	if r.op == nil {
		if len(r.rows) == 0 {
			return nil, nil
		}
		b := r.rows[0]
		r.rows = r.rows[1:]
		r.Stats.RowsOut += b.NumRows()
		return b, nil
	}
	b, err := r.op.Next()
	if err != nil {
		return nil, err
	}
	if b != nil {
		r.Stats.RowsOut += b.NumRows()
	}
	return b, nil
}

// Value reads one cell of a batch returned by Next.
func (r *Result) Value(b arrow.RecordBatch, col, row int) value.Value {
	return executor.GetValue(b.Column(col), row, r.Columns[col].Type)
}

// Close releases the result's resources and finalises its stats.
func (r *Result) Close() {
	if r.closed {
		return
	}
	r.closed = true
	if r.op != nil {
		r.op.Close()
	}
	for _, b := range r.rows {
		b.Release()
	}
	r.rows = nil
	if r.exec != nil {
		r.Stats.RowsScanned = r.exec.Stats.RowsScanned
		r.Stats.Approximate = r.exec.Approximate
		for k, v := range r.exec.Strategies {
			if r.Stats.Strategy == nil {
				r.Stats.Strategy = map[string]string{}
			}
			r.Stats.Strategy[k] = v
		}
	}
	if r.client != nil {
		r.Stats.addModel(r.client.Stats())
	}
	if r.exec != nil && r.db != nil {
		r.db.recordObservations(r.plan, r.exec, r.client)
	}
	r.Stats.WallMS = float64(time.Since(r.start).Microseconds()) / 1000
	if r.onClose != nil {
		r.onClose()
	}
}

// Exec runs one statement. args are the values of its parameters.
func (s *Session) Exec(ctx context.Context, stmt ast.Stmt, args []value.Value) (*Result, error) {
	start := time.Now()
	res, err := s.exec(ctx, stmt, args)
	if err != nil {
		return nil, err
	}
	res.start = start
	res.Stats.Budget = mustInt(s.settings["budget"])
	if res.Stats.Strategy == nil {
		res.Stats.Strategy = map[string]string{}
	}
	return res, nil
}

func mustInt(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

func (s *Session) binder(args []value.Value) *planner.Binder {
	return planner.NewBinder(s.db.cat, args, s.openFile)
}

// openFile opens a file named in a query, within the allowed directories.
func (s *Session) openFile(fn string, args []value.Value, pos errs.Pos) (catalog.Source, string, error) {
	if len(args) == 0 || args[0].K != value.Text {
		return nil, "", errs.At(pos, errs.WrongArgs, "%s needs a path as its first argument", fn)
	}
	path := args[0].S
	if err := s.checkPath(path, pos); err != nil {
		return nil, "", err
	}
	var src catalog.Source
	var err error
	switch fn {
	case "", "read_csv", "read_json", "read_jsonl", "read_parquet", "read_ipc", "read_arrow":
		src, err = catalog.Open(path)
	case "read_files", "read_text":
		src, err = catalog.OpenTextFolder(path, "")
	case "read_images":
		src, err = catalog.OpenImageFolder(path)
	default:
		return nil, "", errs.At(pos, errs.UnknownFunction, "no such table function: %s", fn)
	}
	if err != nil {
		if e, ok := err.(*errs.Error); ok && !e.Pos.IsValid() && e.Code == errs.BadPath {
			e.Pos = pos
		}
		return nil, "", err
	}
	return src, catalog.TableNameFor(path), nil
}

func (s *Session) checkPath(path string, pos errs.Pos) error {
	if len(s.db.opts.AllowDirs) == 0 {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return errs.At(pos, errs.BadPath, "%s: %v", path, err)
	}
	for _, d := range s.db.opts.AllowDirs {
		ad, err := filepath.Abs(d)
		if err == nil && (abs == ad || strings.HasPrefix(abs, ad+string(filepath.Separator))) {
			return nil
		}
	}
	return errs.At(pos, errs.BadPath, "%s is outside the allowed directories", path)
}

// plan binds and optimizes a query.
func (s *Session) plan(q *ast.Query, args []value.Value) (planner.Node, error) {
	n, err := s.binder(args).BindQuery(q)
	if err != nil {
		return nil, err
	}
	return optimizer.Optimize(n), nil
}

func (s *Session) query(ctx context.Context, q *ast.Query, args []value.Value) (*Result, error) {
	var iv []interval
	var n planner.Node
	var err error
	if s.intervals {
		var q2 *ast.Query
		if q2, iv = withIntervals(q); iv != nil {
			if n, err = s.plan(q2, args); err != nil {
				iv, n = nil, nil // not estimable after all: the query as written
			}
		}
	}
	if n == nil {
		if n, err = s.plan(q, args); err != nil {
			return nil, err
		}
	}
	x, client, err := s.newExec(ctx, n)
	if err != nil {
		return nil, err
	}
	op, err := x.Build(n)
	if err != nil {
		return nil, err
	}
	all := columnsOf(n.Columns())
	vis := all
	if iv != nil {
		vis = all[:iv[0].lo]
	}
	return &Result{Columns: vis, op: op, db: s.db, exec: x, client: client, schema: executor.SchemaOf(n.Columns()[:len(vis)]), plan: n, intervals: iv, all: all}, nil
}

// newExec returns an execution context for a plan, with the model layer
// configured when the plan has semantic operators.
func (s *Session) newExec(ctx context.Context, n planner.Node) (*executor.Exec, *llm.Client, error) {
	x := executor.New(ctx, s.db.mem)
	x.Seed = mustInt(s.settings["seed"])
	if needsEmbedder(n) {
		e, err := s.embedder()
		if err != nil {
			return nil, nil, err
		}
		x.Embedder = e
	}
	nl := firstNL(n)
	if nl == nil {
		return x, nil, nil
	}
	client, err := s.prepareExec(x)
	if err != nil {
		if e, ok := err.(*errs.Error); ok && !e.Pos.IsValid() {
			e.Pos = nl.Pos
		}
		return nil, nil, err
	}
	return x, client, nil
}

// firstNL returns the first natural-language expression of a plan
// (including inside subqueries), or nil.
func firstNL(n planner.Node) *planner.NLExpr {
	var found *planner.NLExpr
	var visit func(n planner.Node)
	visitExpr := func(e planner.Expr) {
		planner.Walk(e, func(x planner.Expr) bool {
			switch x := x.(type) {
			case *planner.NLExpr:
				if found == nil {
					found = x
				}
			case *planner.Subquery:
				visit(x.Plan)
			}
			return found == nil
		})
	}
	visit = func(n planner.Node) {
		if found != nil {
			return
		}
		switch x := n.(type) {
		case *planner.SemMap:
			found = x.Exprs[0]
			return
		case *planner.SemGroup:
			found = x.Key
			return
		case *planner.SemRank:
			found = x.Key
			return
		}
		for _, e := range planner.NodeExprs(n) {
			visitExpr(e)
		}
		for _, c := range n.Children() {
			visit(c)
		}
	}
	visit(n)
	return found
}

func columnsOf(cols []planner.Col) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		out[i] = Column{Name: c.Name, Type: c.Type}
	}
	return out
}

func (s *Session) exec(ctx context.Context, stmt ast.Stmt, args []value.Value) (*Result, error) {
	switch st := stmt.(type) {
	case *ast.QueryStmt:
		return s.query(ctx, st.Query, args)
	case *ast.Explain:
		return s.explain(ctx, st, args)
	case *ast.Set:
		v, ok := literalText(st.Value)
		if !ok {
			e, err := s.binder(args).BindStandalone(st.Value)
			if err != nil {
				return nil, err
			}
			c, ok := planner.FoldConst(e)
			if !ok {
				return nil, errs.At(st.P, errs.BadSetting, "SET needs a constant value")
			}
			v = c.String()
		}
		if err := s.Set(st.Name, v); err != nil {
			if e, ok := err.(*errs.Error); ok {
				e.Pos = st.P
			}
			return nil, err
		}
		return &Result{}, nil
	case *ast.Show:
		return s.show(st)
	case *ast.CreateTrigger:
		return nil, errs.At(st.P, errs.Unsupported, "CREATE TRIGGER is not supported")
	case *ast.Reindex:
		// Indexes are never stale, so REINDEX has nothing to do; it still
		// checks that its object exists, as SQLite does.
		if st.Name != "" {
			_, t := s.db.cat.Table(st.Name)
			_, ix := s.db.cat.Index(st.Name)
			if !t && !ix {
				return nil, errs.At(st.P, errs.UnknownTable, "unable to identify the object to be reindexed: %s", st.Name)
			}
		}
		return &Result{}, nil
	}
	s.db.write.Lock()
	defer s.db.write.Unlock()
	return s.execWrite(ctx, stmt, args)
}

func literalText(e ast.Expr) (string, bool) {
	switch l := e.(type) {
	case *ast.Literal:
		if l.Kind == ast.LitNull {
			return "", true
		}
		return l.Raw, true
	case *ast.ColumnRef:
		if l.Table == "" {
			return l.Name, true // a bare word
		}
	}
	return "", false
}

func (s *Session) show(st *ast.Show) (*Result, error) {
	switch st.Name {
	case "all":
		names := SettingNames()
		rows := make([][]value.Value, len(names))
		for i, n := range names {
			rows[i] = []value.Value{value.FromText(n), value.FromText(s.settings[n]), value.FromText(settings[n].doc)}
		}
		return s.textResult([]string{"name", "value", "description"}, rows), nil
	case "tables":
		var rows [][]value.Value
		for _, n := range s.db.cat.TableNames() {
			rows = append(rows, []value.Value{value.FromText(n)})
		}
		return s.textResult([]string{"name"}, rows), nil
	case "embeddings", "index":
		// What the persistent embedding index holds, per embedder.
		s.db.models.mu.Lock()
		ix := s.db.indexLocked()
		s.db.models.mu.Unlock()
		path := "(off)"
		if ix != nil {
			path = ix.Path()
		}
		var rows [][]value.Value
		st := ix.Stats()
		names := make([]string, 0, len(st))
		for k := range st {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			rows = append(rows, []value.Value{value.FromText(k), value.FromText(fmt.Sprint(st[k])), value.FromText(path)})
		}
		return s.textResult([]string{"embedder", "vectors", "file"}, rows), nil
	}
	n := strings.ToLower(st.Name)
	if _, ok := settings[n]; !ok {
		return nil, errs.At(st.P, errs.BadSetting, "unknown setting %q (known: %s)", st.Name, strings.Join(SettingNames(), ", "))
	}
	return s.textResult([]string{n}, [][]value.Value{{value.FromText(s.settings[n])}}), nil
}

// textResult materialises a small result of TEXT columns.
func (s *Session) textResult(names []string, rows [][]value.Value) *Result {
	cols := make([]planner.Col, len(names))
	out := make([]Column, len(names))
	for i, n := range names {
		cols[i] = planner.Col{Name: n, Type: planner.TText}
		out[i] = Column{Name: n, Type: planner.TText}
	}
	rec := executor.BuildBatch(s.db.mem, cols, rows)
	return &Result{Columns: out, rows: []arrow.RecordBatch{rec}, schema: rec.Schema()}
}

func (s *Session) explain(ctx context.Context, st *ast.Explain, args []value.Value) (*Result, error) {
	qs, ok := st.Stmt.(*ast.QueryStmt)
	if !ok {
		return nil, errs.At(st.P, errs.Unsupported, "EXPLAIN supports queries only")
	}
	n, err := s.plan(qs.Query, args)
	if err != nil {
		return nil, err
	}
	s.underApproxAgg = map[*planner.SemFilter]bool{}
	s.underApproxJoin = map[*planner.SemJoin]bool{}
	var mark func(n planner.Node)
	mark = func(n planner.Node) {
		if a, ok := n.(*planner.Aggregate); ok && executor.Approximable(a) {
			s.underApproxAgg[a.In.(*planner.SemFilter)] = true
		}
		if a, ok := n.(*planner.Aggregate); ok {
			if sj, ok := executor.JoinApproximable(a); ok {
				s.underApproxJoin[sj] = true
			}
		}
		for _, c := range n.Children() {
			mark(c)
		}
	}
	mark(n)
	text := planner.FormatWith(n, s.semanticNote)
	if st.Analyze {
		x, client, err := s.newExec(ctx, n)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		op, err := x.Build(n)
		if err != nil {
			return nil, err
		}
		bs, err := executor.Drain(op)
		op.Close()
		if err != nil {
			return nil, err
		}
		var rows int64
		for _, b := range bs {
			rows += b.NumRows()
			b.Release()
		}
		text += fmt.Sprintf("actual: rows_out=%d rows_scanned=%d subquery_runs=%d subquery_cache_hits=%d wall_ms=%.3f\n",
			rows, x.Stats.RowsScanned, x.Stats.SubqueryRuns, x.Stats.SubqueryCache, float64(time.Since(start).Microseconds())/1000)
		if client != nil {
			st := client.Stats()
			text += fmt.Sprintf("model: calls=%d rows_judged=%d cache_hits=%d deduplicated=%d prompt_tokens=%d completion_tokens=%d retries=%d cost_usd=%.6f\n",
				st.Calls, st.RowsJudged, st.CacheHits, st.Deduplicated, st.PromptTokens, st.CompletionTokens, st.Retries, st.CostUSD)
			text += fmt.Sprintf("semantic: rows_in=%d rows_decided_without_model=%d pairs_judged=%d comparisons=%d\n",
				x.Sem.RowsIn, x.Sem.RowsDecided, x.Sem.PairsJudged, x.Sem.Comparisons)
			for k, v := range x.Strategies {
				text += fmt.Sprintf("strategy: %s: %s\n", k, v)
			}
			text += analyzeNote(x, client)
		}
		s.db.recordObservations(n, x, client)
	}
	var rows [][]value.Value
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		rows = append(rows, []value.Value{value.FromText(l)})
	}
	res := s.textResult([]string{"plan"}, rows)
	res.Plain = true
	return res, nil
}

// Public returns b with columns of type ANY rendered as TEXT, for writers
// that need one Arrow type per column (the caller releases both).
func (r *Result) Public(b arrow.RecordBatch) arrow.RecordBatch {
	any := false
	for _, c := range r.Columns {
		if c.Type == planner.TAny {
			any = true
		}
	}
	if !any {
		if int(b.NumCols()) > len(r.Columns) { // hidden interval columns
			return array.NewRecordBatch(r.PublicSchema(), b.Columns()[:len(r.Columns)], b.NumRows())
		}
		b.Retain()
		return b
	}
	cols := r.publicCols()
	rows := make([][]value.Value, b.NumRows())
	for row := range rows {
		vals := make([]value.Value, len(cols))
		for i, c := range r.Columns {
			v := r.Value(b, i, row)
			if c.Type == planner.TAny {
				v = value.ToText(v)
			}
			vals[i] = v
		}
		rows[row] = vals
	}
	return executor.BuildBatch(memory.DefaultAllocator, cols, rows)
}

// PublicSchema is the schema of the batches Public returns.
func (r *Result) PublicSchema() *arrow.Schema { return executor.SchemaOf(r.publicCols()) }

// publicCols are the visible columns, dynamically typed ones as TEXT.
func (r *Result) publicCols() []planner.Col {
	cols := make([]planner.Col, len(r.Columns))
	for i, c := range r.Columns {
		t := c.Type
		if t == planner.TAny {
			t = planner.TText
		}
		cols[i] = planner.Col{Name: c.Name, Type: t}
	}
	return cols
}

// addModel adds a model client's figures to the stats.
func (st *Stats) addModel(m llm.Stats) {
	st.ModelCalls += m.Calls
	st.RowsJudged += m.RowsJudged
	st.PromptTokens += m.PromptTokens
	st.CompletionTokens += m.CompletionTokens
	st.CacheHits += m.CacheHits
	st.CostUSD += m.CostUSD
	st.Retries += m.Retries
}

// needsEmbedder reports whether a plan needs embeddings: semantic
// operators (blocking, the local model) or similarity().
func needsEmbedder(n planner.Node) bool {
	if firstNL(n) != nil {
		return true
	}
	found := false
	var visit func(n planner.Node)
	visit = func(n planner.Node) {
		for _, e := range planner.NodeExprs(n) {
			planner.Walk(e, func(x planner.Expr) bool {
				switch x := x.(type) {
				case *planner.Func:
					if x.Name == "similarity" {
						found = true
					}
				case *planner.Subquery:
					visit(x.Plan)
				}
				return !found
			})
		}
		for _, c := range n.Children() {
			visit(c)
		}
	}
	visit(n)
	return found
}
