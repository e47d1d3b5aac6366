// uqe's own sqllogictest files, over uqe's database/sql driver:
//
//	go test ./sqllogictest/ -run TestProject [-update-baseline]
//
// testdata/sql/*.test exercise what select1-5 do not (explicit joins, CTEs,
// views, DML with subqueries, defaults and constraints, affinity, string
// functions, ordering, files read by path, SET/SHOW, EXPLAIN and
// natural-language expressions). Their expected values are SQLite's answers
// (testdata/sql/check_sqlite.py re-checks them with SQLite), except records
// marked "# uqe-only". Every file runs on a fresh sql.Open("uqe",
// ":memory:?llm=none&cache=off") (no model: phrases fail with M001) with the
// repository root as working directory, so the paths in
// the files are relative to the root. Failures are checked against
// testdata/sql/baseline.txt with the rule of suite_test.go: a failure not
// listed fails the test, and so does a listed record that now passes.

package sqllogictest_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/uqe-dev/uqe/driver"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/sqllogictest"
)

const projectDir = "testdata/sql" // relative to the repository root

const projectBaselineHeader = `# Known failures of uqe on its own sqllogictest files (testdata/sql/*.test):
# one file.test:LINE per failing record (LINE is the record's
# "statement"/"query" line), optionally followed by the reason; comments with
# #. project_test.go fails on any failure not listed here and on any listed
# record that now passes, so this list can only shrink. Rewrite it with:
#   go test ./sqllogictest/ -run TestProject -update-baseline
`

func TestProject(t *testing.T) {
	t.Chdir("..") // the repository root: the files name datasets by relative path
	files, err := filepath.Glob(filepath.Join(projectDir, "*.test"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 8 {
		t.Fatalf("found %d files in %s, want at least 8", len(files), projectDir)
	}
	baselinePath := filepath.Join(projectDir, "baseline.txt")
	baseline, err := sqllogictest.ReadList(baselinePath)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range files {
		names[filepath.Base(f)] = true
	}
	for _, key := range sortedKeys(baseline) {
		if !names[fileOf(key)] {
			t.Errorf("baseline entry %s names no file of %s", key, projectDir)
		}
	}

	var (
		total    sqllogictest.Result
		ran      = map[string]bool{}
		failures = map[string]string{} // key → reason for a rewritten baseline
	)
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			db, err := sql.Open("uqe", ":memory:?llm=none&cache=off")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			r, err := sqllogictest.RunFile(context.Background(), db, path, sqllogictest.Options{Timeout: 30 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s (%v)", r, r.Elapsed.Round(time.Millisecond))
			if r.Passed+r.Failed == 0 {
				t.Errorf("%s ran no records", name)
			}

			report := t.Errorf
			if *updateBaseline {
				report = t.Logf
			}
			mine := map[string]bool{}
			for _, f := range r.Failures {
				mine[f.Key()] = true
				if _, known := baseline[f.Key()]; !known {
					report("new failure %s", f)
				}
			}
			for _, key := range sortedKeys(baseline) {
				if fileOf(key) == name && !mine[key] {
					report("%s passes now: remove it from %s (or run with -update-baseline)", key, baselinePath)
				}
			}
			ran[name] = true
			total.Passed += r.Passed
			total.Failed += r.Failed
			total.Elapsed += r.Elapsed
			for _, f := range r.Failures {
				reason := baseline[f.Key()]
				if reason == "" {
					reason = f.Message
					if i := strings.IndexByte(reason, '\n'); i >= 0 {
						reason = reason[:i]
					}
					if len(reason) > 100 {
						reason = reason[:100] + "..."
					}
				}
				failures[f.Key()] = reason
			}
		})
	}
	total.File = "total"
	t.Logf("%s (%d files, %v)", &total, len(ran), total.Elapsed.Round(time.Millisecond))

	if *updateBaseline {
		keep := map[string]string{}
		for key, reason := range baseline {
			if !ran[fileOf(key)] {
				keep[key] = reason
			}
		}
		for key, reason := range failures {
			keep[key] = reason
		}
		var b strings.Builder
		b.WriteString(projectBaselineHeader)
		for _, key := range sortedKeys(keep) {
			b.WriteString(key)
			if keep[key] != "" {
				b.WriteString("  ")
				b.WriteString(keep[key])
			}
			b.WriteByte('\n')
		}
		if err := os.WriteFile(baselinePath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d entries", baselinePath, len(keep))
	}
}

// TestProjectNLErrors checks what the "statement error" records of uql.test
// cannot: until the model layer exists, a natural-language expression in any
// position fails with code M001, and the error points at the phrase (the
// opening double quote).
func TestProjectNLErrors(t *testing.T) {
	db, err := sql.Open("uqe", ":memory:?llm=none&cache=off")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE msg(id INTEGER, text TEXT, stars INTEGER);
		INSERT INTO msg VALUES (1, 'great product', 5), (2, 'broke after a day', 1)`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		where string
		sql   string
	}{
		{"WHERE", `SELECT id FROM msg WHERE "the customer is happy"`},
		{"WHERE with a column", `SELECT id FROM msg WHERE stars > 1 AND "the {text} mentions a defect"`},
		{"SELECT", `SELECT id, "the product named in the review" AS product FROM msg`},
		{"GROUP BY", `SELECT count(*) FROM msg GROUP BY "the kind of complaint"`},
		{"GROUP BY alias", `SELECT "the kind of complaint" AS kind, count(*) FROM msg GROUP BY kind`},
		{"ORDER BY", `SELECT id FROM msg ORDER BY "how angry the customer is" LIMIT 1`},
		{"JOIN ON", `SELECT a.id FROM msg a JOIN msg b ON "the two reviews agree"`},
		{"subquery", `SELECT count(*) FROM (SELECT id FROM msg WHERE "the review is short")`},
		{"second line", "SELECT id\nFROM msg\nWHERE stars > 0 AND \"the review is negative\""},
		{"UPDATE", `UPDATE msg SET stars = 0 WHERE "the review is negative"`},
		{"DELETE", `DELETE FROM msg WHERE "the review is negative"`},
	} {
		t.Run(tc.where, func(t *testing.T) {
			err := queryErr(ctx, conn, tc.sql)
			if err == nil {
				t.Fatalf("%s: no error", tc.sql)
			}
			var e *errs.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: error %v (%T) is not an *errs.Error", tc.sql, err, err)
			}
			if e.Code != errs.NoModel {
				t.Fatalf("%s: code %s, want %s (%v)", tc.sql, e.Code, errs.NoModel, err)
			}
			off := strings.IndexByte(tc.sql, '"')
			line := 1 + strings.Count(tc.sql[:off], "\n")
			col := off - strings.LastIndexByte(tc.sql[:off], '\n')
			if e.Pos.Line != line || e.Pos.Col != col {
				t.Errorf("%s: error at %d:%d, want %d:%d (the phrase) (%v)", tc.sql, e.Pos.Line, e.Pos.Col, line, col, err)
			}
		})
	}
	// Nothing was changed by the failed UPDATE and DELETE.
	var n, sum int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*), sum(stars) FROM msg").Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != 2 || sum != 6 {
		t.Errorf("after failed UPDATE/DELETE: count %d sum %d, want 2 and 6", n, sum)
	}
}

// queryErr runs sql and reads all its rows, returning the first error.
func queryErr(ctx context.Context, conn *sql.Conn, sql string) error {
	rows, err := conn.QueryContext(ctx, sql)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}
