// Package driver is uqe's database/sql driver (DESIGN §5), registered as
// "uqe". The DSN is an optional path (a folder or file whose data files
// become tables; empty or ":memory:" for none) followed by ?key=value
// settings: llm, model, embed, budget, seed, cache, allow_dirs. All
// connections of one sql.DB share one database; each connection is a
// session with its own settings.
package driver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/engine"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

func init() {
	sql.Register("uqe", &Driver{})
}

// Driver is the database/sql driver.
type Driver struct{}

// Open implements driver.Driver.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector implements driver.DriverContext: one database per sql.DB.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	cfg, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	return &Connector{cfg: cfg, drv: d}, nil
}

// Config is a parsed DSN.
type Config struct {
	Path      string
	Settings  map[string]string
	Cache     string
	AllowDirs []string
}

// ParseDSN parses "path?key=value&...". An API key is never accepted here.
func ParseDSN(dsn string) (*Config, error) {
	path, query, _ := strings.Cut(dsn, "?")
	if path == ":memory:" {
		path = ""
	}
	cfg := &Config{Path: path, Settings: map[string]string{}}
	vals, err := url.ParseQuery(query)
	if err != nil {
		return nil, errs.New(errs.Usage, "malformed DSN parameters: %v", err)
	}
	for k, vs := range vals {
		v := vs[len(vs)-1]
		switch strings.ToLower(k) {
		case "llm", "model", "embed", "budget", "seed", "confidence", "target_error", "strategy", "batch_size":
			cfg.Settings[strings.ToLower(k)] = v
		case "cache":
			cfg.Cache = v
		case "allow_dirs":
			cfg.AllowDirs = filepath.SplitList(v)
		case "api_key", "openai_api_key", "key":
			return nil, errs.New(errs.Usage, "an API key is never read from the DSN; set OPENAI_API_KEY in the environment")
		default:
			return nil, errs.New(errs.Usage, "unknown DSN parameter %q", k)
		}
	}
	return cfg, nil
}

// Connector creates connections to one shared database.
type Connector struct {
	cfg  *Config
	drv  *Driver
	once sync.Once
	db   *engine.DB
	err  error
}

// Connect implements driver.Connector.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	c.once.Do(func() {
		c.db, c.err = engine.Open(engine.Options{Settings: c.cfg.Settings, AllowDirs: c.cfg.AllowDirs, Stderr: io.Discard, Cache: c.cfg.Cache})
		if c.err == nil && c.cfg.Path != "" {
			c.err = c.db.RegisterDir(c.cfg.Path)
		}
	})
	if c.err != nil {
		return nil, c.err
	}
	return &Conn{sess: c.db.NewSession()}, nil
}

// Driver implements driver.Connector.
func (c *Connector) Driver() driver.Driver { return c.drv }

// Conn is one session.
type Conn struct {
	sess   *engine.Session
	closed bool
}

var (
	_ driver.QueryerContext     = (*Conn)(nil)
	_ driver.ExecerContext      = (*Conn)(nil)
	_ driver.ConnPrepareContext = (*Conn)(nil)
	_ driver.NamedValueChecker  = (*Conn)(nil)
)

// Session exposes the engine session behind a connection (for sql.Conn.Raw).
func (c *Conn) Session() *engine.Session { return c.sess }

// Prepare implements driver.Conn.
func (c *Conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext parses the statement(s) once.
func (c *Conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	stmts, err := c.sess.Parse("", query)
	if err != nil {
		return nil, err
	}
	return &Stmt{conn: c, stmts: stmts}, nil
}

// Close implements driver.Conn.
func (c *Conn) Close() error { c.closed = true; return nil }

// Begin implements driver.Conn; uqe has no transactions.
func (c *Conn) Begin() (driver.Tx, error) {
	return nil, errs.New(errs.Unsupported, "transactions are not supported")
}

// CheckNamedValue accepts the Go types the driver converts itself.
func (c *Conn) CheckNamedValue(nv *driver.NamedValue) error {
	switch v := nv.Value.(type) {
	case nil, int64, float64, bool, string, []byte, time.Time:
		return nil
	case int:
		nv.Value = int64(v)
		return nil
	case int32:
		nv.Value = int64(v)
		return nil
	case float32:
		nv.Value = float64(v)
		return nil
	}
	return driver.ErrSkip
}

// ExecContext runs one or more statements.
func (c *Conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	stmts, err := c.sess.Parse("", query)
	if err != nil {
		return nil, err
	}
	return execStmts(ctx, c.sess, stmts, args)
}

// QueryContext runs statements and returns the rows of the last one.
func (c *Conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	stmts, err := c.sess.Parse("", query)
	if err != nil {
		return nil, err
	}
	return queryStmts(ctx, c.sess, stmts, args)
}

func convertArgs(args []driver.NamedValue) []value.Value {
	out := make([]value.Value, len(args))
	for i, a := range args {
		idx := i
		if a.Ordinal > 0 {
			idx = a.Ordinal - 1
		}
		if idx >= len(out) {
			continue
		}
		switch v := a.Value.(type) {
		case nil:
			out[idx] = value.NullValue
		case int64:
			out[idx] = value.FromInt(v)
		case float64:
			out[idx] = value.FromFloat(v)
		case bool:
			out[idx] = value.FromBool(v)
		case string:
			out[idx] = value.FromText(v)
		case []byte:
			out[idx] = value.FromBlob(v)
		case time.Time:
			out[idx] = value.FromText(v.Format(time.RFC3339Nano))
		}
	}
	return out
}

// checkArgs reports a wrong number of arguments: every parameter needs a
// value, and a value no parameter uses is a mistake too.
func checkArgs(stmts []ast.Stmt, args []driver.NamedValue) error {
	if n := countParams(stmts); n != len(args) {
		return errs.New(errs.ParamCount, "the statement has %d parameters but %d arguments were given", n, len(args))
	}
	return nil
}

func execStmts(ctx context.Context, sess *engine.Session, stmts []ast.Stmt, args []driver.NamedValue) (driver.Result, error) {
	if err := checkArgs(stmts, args); err != nil {
		return nil, err
	}
	return runStmts(ctx, sess, stmts, args)
}

func runStmts(ctx context.Context, sess *engine.Session, stmts []ast.Stmt, args []driver.NamedValue) (driver.Result, error) {
	vals := convertArgs(args)
	var total int64
	for _, st := range stmts {
		res, err := sess.Exec(ctx, st, vals)
		if err != nil {
			return nil, err
		}
		if res.HasRows() {
			for {
				b, err := res.Next()
				if err != nil {
					res.Close()
					return nil, err
				}
				if b == nil {
					break
				}
				b.Release()
			}
		}
		total += res.RowsAffected
		res.Close()
	}
	return result(total), nil
}

func queryStmts(ctx context.Context, sess *engine.Session, stmts []ast.Stmt, args []driver.NamedValue) (driver.Rows, error) {
	if len(stmts) == 0 {
		return nil, errs.New(errs.Usage, "empty query")
	}
	if err := checkArgs(stmts, args); err != nil {
		return nil, err
	}
	if len(stmts) > 1 {
		if _, err := runStmts(ctx, sess, stmts[:len(stmts)-1], args); err != nil {
			return nil, err
		}
	}
	res, err := sess.Exec(ctx, stmts[len(stmts)-1], convertArgs(args))
	if err != nil {
		return nil, err
	}
	return &Rows{res: res, ctx: ctx}, nil
}

type result int64

func (r result) LastInsertId() (int64, error) {
	return 0, errs.New(errs.Unsupported, "LastInsertId is not supported")
}
func (r result) RowsAffected() (int64, error) { return int64(r), nil }

// countParams returns the number of parameters of the statements.
func countParams(stmts []ast.Stmt) int {
	n := 0
	for _, s := range stmts {
		ast.Walk(s, func(x ast.Node) bool {
			if p, ok := x.(*ast.Param); ok && p.Index > n {
				n = p.Index
			}
			return true
		})
	}
	return n
}

// Stmt is a prepared statement.
type Stmt struct {
	conn  *Conn
	stmts []ast.Stmt
}

// Close implements driver.Stmt.
func (s *Stmt) Close() error { return nil }

// NumInput implements driver.Stmt. It returns -1 so that database/sql
// leaves the check to the driver, which reports a wrong count with the
// engine's code (B011).
func (s *Stmt) NumInput() int { return -1 }

// Exec implements driver.Stmt.
func (s *Stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

// Query implements driver.Stmt.
func (s *Stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

// ExecContext implements driver.StmtExecContext.
func (s *Stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return execStmts(ctx, s.conn.sess, s.stmts, args)
}

// QueryContext implements driver.StmtQueryContext.
func (s *Stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return queryStmts(ctx, s.conn.sess, s.stmts, args)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

// Rows streams a result.
type Rows struct {
	res *engine.Result
	ctx context.Context
	b   arrow.RecordBatch
	row int
}

// Columns implements driver.Rows.
func (r *Rows) Columns() []string {
	out := make([]string, len(r.res.Columns))
	for i, c := range r.res.Columns {
		out[i] = c.Name
	}
	return out
}

// Close implements driver.Rows.
func (r *Rows) Close() error {
	if r.b != nil {
		r.b.Release()
		r.b = nil
	}
	r.res.Close()
	return nil
}

// Next implements driver.Rows.
func (r *Rows) Next(dest []driver.Value) error {
	for r.b == nil || r.row >= int(r.b.NumRows()) {
		if r.b != nil {
			r.b.Release()
			r.b = nil
		}
		b, err := r.res.Next()
		if err != nil {
			return err
		}
		if b == nil {
			return io.EOF
		}
		r.b, r.row = b, 0
	}
	for i := range dest {
		v := r.res.Value(r.b, i, r.row)
		switch v.K {
		case value.Null:
			dest[i] = nil
		case value.Int:
			dest[i] = v.I
		case value.Real:
			dest[i] = v.F
		case value.Text:
			dest[i] = v.S
		default:
			dest[i] = []byte(v.S)
		}
	}
	r.row++
	return nil
}

// ColumnTypeDatabaseTypeName implements driver.RowsColumnTypeDatabaseTypeName.
func (r *Rows) ColumnTypeDatabaseTypeName(i int) string {
	switch r.res.Columns[i].Type {
	case planner.TInt, planner.TBool:
		return "INTEGER"
	case planner.TFloat:
		return "REAL"
	case planner.TText:
		return "TEXT"
	case planner.TBlob:
		return "BLOB"
	case planner.TNull:
		return "NULL"
	}
	return "ANY"
}

// ColumnTypeScanType implements driver.RowsColumnTypeScanType.
func (r *Rows) ColumnTypeScanType(i int) reflect.Type {
	switch r.res.Columns[i].Type {
	case planner.TInt, planner.TBool:
		return reflect.TypeOf(int64(0))
	case planner.TFloat:
		return reflect.TypeOf(float64(0))
	case planner.TText:
		return reflect.TypeOf("")
	case planner.TBlob:
		return reflect.TypeOf([]byte(nil))
	}
	return reflect.TypeOf(new(any)).Elem()
}

// ColumnTypeNullable implements driver.RowsColumnTypeNullable.
func (r *Rows) ColumnTypeNullable(i int) (bool, bool) { return true, true }
