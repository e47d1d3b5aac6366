// Package repl owns the ways a person talks to uqe: the script runner (for
// -c, -f and .uql files) and the interactive shell, sharing one Session.
package repl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/apache/arrow-go/v18/arrow"
	"io"
	"sort"
	"strings"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/engine"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/format"
	"github.com/uqe-dev/uqe/parser"
)

// Runner runs scripts against a session and prints their results.
type Runner struct {
	Sess   *engine.Session
	Out    io.Writer
	Err    io.Writer
	Format string
	// Stats, if non-nil, receives one JSON object per statement.
	Stats io.Writer
	// statement counts statements across all scripts (1-based in stats).
	statement int
}

// StatsRecord is the JSON object written per statement (DESIGN §4).
type StatsRecord struct {
	Statement int    `json:"statement"`
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Error     string `json:"error,omitempty"`
	Code      string `json:"code,omitempty"`
	engine.Stats
}

// RunScript runs every statement of src in order and stops at the first
// that fails, returning its error (rendered with position and caret by
// errs.Detail). Statements before a syntax error run, as they would in a
// shell: the script is split into statements first.
func (r *Runner) RunScript(ctx context.Context, file, src string) error {
	stmts, perr := parser.Parse(file, src)
	if perr != nil {
		stmts = nil
		var e *errs.Error
		if errors.As(perr, &e) && e.Pos.IsValid() {
			// Parse the statements that end before the error.
			if segs, err := parser.SplitStatements(file, src); err == nil {
				cut := 0
				for _, s := range segs {
					if s.Pos.Offset+len(s.Text) < e.Pos.Offset {
						cut = s.Pos.Offset + len(s.Text)
					}
				}
				if cut > 0 {
					stmts, _ = parser.Parse(file, src[:cut])
				}
			}
		}
	}
	for _, st := range stmts {
		if err := r.runStmt(ctx, file, st); err != nil {
			return errs.WithSource(err, file, src)
		}
	}
	if perr != nil {
		return errs.WithSource(perr, file, src)
	}
	return nil
}

func (r *Runner) runStmt(ctx context.Context, file string, st ast.Stmt) error {
	r.statement++
	rec := StatsRecord{Statement: r.statement, File: file, Line: st.Position().Line}
	r.Sess.ShowIntervals(humanMode(r.Format))
	res, err := r.Sess.Exec(ctx, st, nil)
	if err != nil {
		rec.Budget = r.Sess.Budget()
		// An error without a position is placed at its statement.
		var e *errs.Error
		if errors.As(err, &e) && !e.Pos.IsValid() {
			e.Pos = st.Position()
		}
		r.writeStats(rec, err)
		return err
	}
	if res.HasRows() {
		err = r.print(res)
	}
	res.Close()
	rec.Stats = res.Stats
	if err == nil && res.Stats.Approximate && r.Err != nil {
		fmt.Fprintln(r.Err, approxNote(res.Stats))
	}
	r.writeStats(rec, err)
	return err
}

func (r *Runner) print(res *engine.Result) error {
	mode := r.Format
	if res.Plain && (mode == "box" || mode == "table") {
		mode = "list"
	}
	if mode == "list" {
		return r.printLines(res)
	}
	w, err := format.New(mode, r.Out, format.Options{})
	if err != nil {
		return err
	}
	// people read box, table, markdown and line output: estimated
	// aggregates show their interval there (res.Display)
	human := humanMode(mode)
	schema := res.PublicSchema()
	if human {
		schema = res.DisplaySchema()
	}
	if err := w.Begin(schema); err != nil {
		return err
	}
	for {
		b, err := res.Next()
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		var pb arrow.RecordBatch
		if human {
			pb = res.Display(b)
		} else {
			pb = res.Public(b)
		}
		b.Release()
		err = w.Write(pb)
		pb.Release()
		if err != nil {
			return err
		}
	}
	return w.End()
}

func (r *Runner) writeStats(rec StatsRecord, err error) {
	if r.Stats == nil {
		return
	}
	if err != nil {
		rec.Error = strings.SplitN(err.Error(), "\n", 2)[0]
		rec.Code = string(errs.CodeOf(err))
	}
	if rec.Strategy == nil {
		rec.Strategy = map[string]string{}
	}
	b, _ := json.Marshal(rec)
	fmt.Fprintf(r.Stats, "%s\n", b)
}

// printLines prints a one-column text result line by line (EXPLAIN).
func (r *Runner) printLines(res *engine.Result) error {
	for {
		b, err := res.Next()
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		for i := 0; i < int(b.NumRows()); i++ {
			fmt.Fprintln(r.Out, res.Value(b, 0, i).String())
		}
		b.Release()
	}
}

// approxNote says why a result is approximate: the sampled operators'
// notes (rows judged, interval level, target error), or the local model.
func approxNote(st engine.Stats) string {
	var sampled, budgeted []string
	for op, v := range st.Strategy {
		switch {
		case strings.HasPrefix(v, "sampled"):
			sampled = append(sampled, op+": "+v)
		case strings.HasPrefix(v, "budgeted"):
			budgeted = append(budgeted, op+": "+v)
		}
	}
	sort.Strings(sampled)
	sort.Strings(budgeted)
	var parts []string
	if len(sampled) > 0 {
		parts = append(parts, "estimated from a sample (CI_LOW(expr) and CI_HIGH(expr) give the interval): "+strings.Join(sampled, "; "))
	}
	if len(budgeted) > 0 {
		parts = append(parts, "ranked within the budget, so rows never scored may belong in the top: "+strings.Join(budgeted, "; "))
	}
	if len(parts) == 0 {
		return "note: approximate result (natural-language expressions judged by the built-in local model)"
	}
	return "note: approximate result, " + strings.Join(parts, "; ")
}

// humanMode reports whether a format is read by people (estimated
// aggregates then show their interval next to the value).
func humanMode(mode string) bool {
	return mode == "box" || mode == "table" || mode == "markdown" || mode == "line"
}
