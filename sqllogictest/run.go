package sqllogictest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/uqe-dev/uqe/errs"
)

// Options control a run.
type Options struct {
	// Engine is the name matched by skipif/onlyif (case-insensitively);
	// default "sqlite": uqe follows SQLite semantics, so it takes SQLite's
	// branches.
	Engine string
	// Skip maps "file.test:LINE" (the file's base name and the line of the
	// record's statement/query line) to the reason the record is not run.
	// Skipped records are counted in Result.Skipped, never silently dropped.
	// An entry for this file that names no statement or query record that
	// would run is an error: a stale skip list must be fixed.
	Skip map[string]string
	// Timeout bounds each record; 0 means none. It works through the
	// context given to the driver, so it needs a driver that honours
	// cancellation.
	Timeout time.Duration
	// Observe, if set, is called after each record that ran, with how long
	// it took (for finding slow records; never used in assertions).
	Observe func(rec *Record, d time.Duration)
}

// Failure is one record that did not pass.
type Failure struct {
	File    string // base name of the file
	Line    int    // line of the record's statement/query line
	SQL     string
	Message string // what was expected and what came back, compactly
}

// Key returns "file.test:LINE", the form of skip and baseline entries.
func (f Failure) Key() string { return Key(f.File, f.Line) }

func (f Failure) String() string {
	return fmt.Sprintf("%s:%d: %s\n\t%s", f.File, f.Line, f.Message, strings.ReplaceAll(f.SQL, "\n", "\n\t"))
}

// Key returns "file:LINE".
func Key(file string, line int) string { return file + ":" + strconv.Itoa(line) }

// Result is the outcome of running one file.
type Result struct {
	File    string // base name of the file
	Passed  int    // statement and query records that ran and passed
	Failed  int    // statement and query records that ran and failed (one Failure each)
	Skipped int    // records not run because Options.Skip names them
	// OtherEngine counts records not run because their skipif/onlyif
	// conditions exclude Options.Engine; they are not uqe's business and
	// are not counted as skipped.
	OtherEngine int
	Halted      int // line of the halt record that ended the file early, 0 if none
	Failures    []Failure
	Elapsed     time.Duration
}

// String returns "file.test: N passed, N failed, N skipped".
func (r *Result) String() string {
	return fmt.Sprintf("%s: %d passed, %d failed, %d skipped", r.File, r.Passed, r.Failed, r.Skipped)
}

// RunFile parses the .test file at path and runs all its records on db, in
// order, on one connection taken from db for the whole file (so the records
// see each other's effects even with a pool of in-memory databases). A record
// that fails does not stop the file. The error is for a file that cannot be
// read or parsed, a bad skip entry, or ctx ending; in the last case the
// partial result is returned with it.
func RunFile(ctx context.Context, db *sql.DB, path string, opts Options) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errs.New(errs.BadPath, "%v", err)
	}
	name := filepath.Base(path)
	recs, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	return Run(ctx, db, name, recs, opts)
}

// Run runs parsed records as RunFile does; name is the file's base name used
// in results and skip keys.
func Run(ctx context.Context, db *sql.DB, name string, recs []Record, opts Options) (*Result, error) {
	start := time.Now()
	engine := opts.Engine
	if engine == "" {
		engine = "sqlite"
	}
	if err := checkSkips(name, recs, engine, opts.Skip); err != nil {
		return nil, err
	}
	res := &Result{File: name}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()

	r := runner{conn: conn, timeout: opts.Timeout, labels: map[string]label{}}
	var runErr error
loop:
	for i := range recs {
		rec := &recs[i]
		if !rec.Runs(engine) {
			if rec.Kind == KindStatement || rec.Kind == KindQuery {
				res.OtherEngine++
				r.noteLabel(rec)
			}
			continue
		}
		switch rec.Kind {
		case KindHashThreshold:
			// The threshold decides how a result is written down, and
			// the expected block shows which form was chosen; the
			// comparison follows that form (see query).
			continue
		case KindHalt:
			res.Halted = rec.Line
			break loop
		}
		if _, ok := opts.Skip[Key(name, rec.Line)]; ok {
			res.Skipped++
			r.noteLabel(rec)
			continue
		}
		if err := ctx.Err(); err != nil {
			runErr = err
			break
		}
		started := time.Now()
		msg := r.run(ctx, rec)
		if opts.Observe != nil {
			opts.Observe(rec, time.Since(started))
		}
		if msg == "" {
			res.Passed++
			continue
		}
		if err := ctx.Err(); err != nil { // the failure is ours, not the record's
			runErr = err
			break
		}
		res.Failed++
		res.Failures = append(res.Failures, Failure{File: name, Line: rec.Line, SQL: rec.SQL, Message: msg})
	}
	res.Elapsed = time.Since(start)
	return res, runErr
}

// checkSkips rejects skip entries for this file that name no statement or
// query record that would run for engine.
func checkSkips(name string, recs []Record, engine string, skip map[string]string) error {
	prefix := name + ":"
	var want []string
	for k := range skip {
		if strings.HasPrefix(k, prefix) {
			want = append(want, k)
		}
	}
	if len(want) == 0 {
		return nil
	}
	ok := make(map[string]bool, len(recs))
	for i := range recs {
		if (recs[i].Kind == KindStatement || recs[i].Kind == KindQuery) && recs[i].Runs(engine) {
			ok[Key(name, recs[i].Line)] = true
		}
	}
	for _, k := range want {
		if !ok[k] {
			return errs.New(errs.BadFile, "skip entry %s names no statement or query record that runs for engine %s", k, engine)
		}
	}
	return nil
}

// label is what a query label stands for: the hash of its expected values
// and the line that first set it.
type label struct {
	hash string
	line int
}

type runner struct {
	conn    *sql.Conn
	timeout time.Duration
	labels  map[string]label
	scratch []byte
	vals    []any
	ptrs    []any
}

// expectedHash is the hash of a query's expected values.
func expectedHash(rec *Record) string {
	if rec.Hash != "" {
		return rec.Hash
	}
	return HashValues(rec.Expected)
}

// noteLabel records the label of a query that is not run, from its expected
// values, as the reference runner does for skipped labelled queries.
func (r *runner) noteLabel(rec *Record) {
	if rec.Kind != KindQuery || rec.Label == "" {
		return
	}
	if _, ok := r.labels[rec.Label]; !ok {
		r.labels[rec.Label] = label{expectedHash(rec), rec.Line}
	}
}

// run runs one statement or query record and returns "" if it passed, or
// what went wrong.
func (r *runner) run(ctx context.Context, rec *Record) string {
	if r.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.timeout)
		defer cancel()
	}
	var msg string
	if rec.Kind == KindStatement {
		msg = r.statement(ctx, rec)
	} else {
		msg = r.query(ctx, rec)
	}
	if msg != "" && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("timed out after %v (%s)", r.timeout, msg)
	}
	return msg
}

func (r *runner) statement(ctx context.Context, rec *Record) string {
	_, err := r.conn.ExecContext(ctx, rec.SQL)
	switch {
	case rec.ExpectError && err == nil:
		return "statement succeeded, expected an error"
	case rec.ExpectError && ctx.Err() != nil:
		return "statement error: " + oneLine(err.Error()) // a timeout is not the expected error
	case !rec.ExpectError && err != nil:
		return "statement failed: " + oneLine(err.Error())
	}
	return ""
}

func (r *runner) query(ctx context.Context, rec *Record) string {
	got, rowErr, msg := r.fetch(ctx, rec)
	if msg != "" {
		return msg
	}
	msg = r.check(rec, got)
	if msg != "" && rowErr != nil {
		msg += " (reading rows ended with: " + oneLine(rowErr.Error()) + ")"
	}
	return msg
}

// check compares a query's rendered values with its expectations.
func (r *runner) check(rec *Record, got []string) string {
	sortValues(got, len(rec.Types), rec.Sort)
	var gotHash string
	if rec.Hash != "" {
		gotHash = HashValues(got)
		if len(got) != rec.HashCount || gotHash != rec.Hash {
			return fmt.Sprintf("expected %d values hashing to %s, got %d values hashing to %s%s",
				rec.HashCount, rec.Hash, len(got), gotHash, preview("; got", got))
		}
	} else if msg := compareValues(rec.Expected, got, len(rec.Types)); msg != "" {
		return msg
	}
	if rec.Label != "" {
		if prev, ok := r.labels[rec.Label]; ok {
			if gotHash == "" {
				gotHash = HashValues(got)
			}
			if gotHash != prev.hash {
				return fmt.Sprintf("label %s: result disagrees with the one labelled at line %d", rec.Label, prev.line)
			}
		} else {
			r.labels[rec.Label] = label{expectedHash(rec), rec.Line}
		}
	}
	return ""
}

// fetch runs a query and renders all its values by the record's type
// string. rowErr is an error that ended the rows early; msg says why the
// query failed outright.
func (r *runner) fetch(ctx context.Context, rec *Record) (got []string, rowErr error, msg string) {
	rows, err := r.conn.QueryContext(ctx, rec.SQL)
	if err != nil {
		return nil, nil, "query failed: " + oneLine(err.Error())
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, "query failed: " + oneLine(err.Error())
	}
	n := len(rec.Types)
	if len(cols) != n {
		return nil, nil, fmt.Sprintf("expected %d columns (%s), got %d", n, rec.Types, len(cols))
	}
	if cap(r.vals) < n {
		r.vals = make([]any, n)
		r.ptrs = make([]any, n)
	}
	vals, ptrs := r.vals[:n], r.ptrs[:n]
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, "scan failed: " + oneLine(err.Error())
		}
		for i, v := range vals {
			r.scratch = appendValue(r.scratch[:0], rec.Types[i], v)
			got = append(got, string(r.scratch))
			vals[i] = nil
		}
	}
	// An error while reading rows ends the result, as a failing
	// sqlite3_step ends it in the reference runner, which then compares
	// the values read so far (slt_lang_aggfunc.test expects an empty result
	// from a sum() that overflows). Only an error from QueryContext itself,
	// the analogue of sqlite3_prepare failing, fails the query outright.
	// The context's own error is not such an error. The error is kept for
	// the failure message if the result turns out wrong.
	rowErr = rows.Err()
	if rowErr != nil && ctx.Err() != nil {
		return nil, nil, "query interrupted: " + oneLine(rowErr.Error())
	}
	return got, rowErr, ""
}

// compareValues compares expected and rendered values one by one.
func compareValues(exp, got []string, ncol int) string {
	for i := 0; i < len(exp) && i < len(got); i++ {
		if exp[i] != got[i] {
			where := fmt.Sprintf("value %d", i+1)
			if ncol > 1 {
				where += fmt.Sprintf(" (row %d, column %d)", i/ncol+1, i%ncol+1)
			}
			var counts string
			if len(exp) != len(got) {
				counts = fmt.Sprintf("expected %d values, got %d; ", len(exp), len(got))
			}
			var all string
			if len(got) > 1 {
				all = preview("; got", got)
			}
			return fmt.Sprintf("%s%s: expected %q, got %q%s", counts, where, exp[i], got[i], all)
		}
	}
	if len(exp) != len(got) {
		return fmt.Sprintf("expected %d values, got %d%s", len(exp), len(got), preview(":", got))
	}
	return ""
}

// preview shows a few rendered values after a prefix, for failure messages.
func preview(prefix string, vals []string) string {
	const max = 12
	if len(vals) == 0 {
		return prefix + " nothing"
	}
	var b strings.Builder
	b.WriteString(prefix)
	for i, v := range vals {
		if i == max {
			fmt.Fprintf(&b, " ... (%d more)", len(vals)-max)
			break
		}
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(v))
	}
	return b.String()
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}
