package optimizer_test

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/engine"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/parser"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// explain runs the setup statements of a script through an engine session
// and returns the text of its final EXPLAIN (the column plan, one line per
// row).
func explain(t *testing.T, file, src string) string {
	t.Helper()
	stmts, err := parser.Parse(file, src)
	if err != nil {
		t.Fatal(errs.Detail(errs.WithSource(err, file, src)))
	}
	if len(stmts) == 0 {
		t.Fatalf("%s: no statements", file)
	}
	if _, ok := stmts[len(stmts)-1].(*ast.Explain); !ok {
		t.Fatalf("%s: the last statement must be an EXPLAIN", file)
	}
	db, err := engine.Open(engine.Options{Stderr: io.Discard, Cache: "off", Settings: map[string]string{"llm": "none"}})
	if err != nil {
		t.Fatal(err)
	}
	s := db.NewSession()
	var out strings.Builder
	for i, st := range stmts {
		res, err := s.Exec(context.Background(), st, nil)
		if err != nil {
			t.Fatal(errs.Detail(errs.WithSource(err, file, src)))
		}
		for {
			b, err := res.Next()
			if err != nil {
				res.Close()
				t.Fatal(errs.Detail(err))
			}
			if b == nil {
				break
			}
			if i == len(stmts)-1 {
				if len(res.Columns) != 1 || res.Columns[0].Name != "plan" {
					t.Fatalf("%s: EXPLAIN columns %v, want one column plan", file, res.Columns)
				}
				for r := 0; r < int(b.NumRows()); r++ {
					out.WriteString(res.Value(b, 0, r).String())
					out.WriteByte('\n')
				}
			}
			b.Release()
		}
		res.Close()
	}
	return out.String()
}

// TestExplainGolden checks the optimized plans of testdata/explain/*.sql
// against their .golden files (go test ./optimizer -run Explain -update
// rewrites them).
func TestExplainGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/explain/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("only %d EXPLAIN cases", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".sql")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := explain(t, f, string(src))
			golden := strings.TrimSuffix(f, ".sql") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s: plan differs from %s\ngot:\n%swant:\n%s", f, golden, got, want)
			}
		})
	}
}

// TestExplainProperties checks properties of plans that the rules promise,
// independently of the exact plan text.
func TestExplainProperties(t *testing.T) {
	const setup = `CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
CREATE TABLE reviews(id INTEGER, product_id INTEGER, stars INTEGER, body TEXT, lang TEXT);
CREATE TABLE products(id INTEGER, name TEXT, price REAL);
CREATE TABLE wide(c1 INTEGER, c2 TEXT, c3 REAL, c4 TEXT, c5 INTEGER);
`
	cases := []struct {
		name    string
		query   string
		has     []string // lines (trimmed) the plan must contain
		hasNot  []string // substrings no line may contain
		ordered []string // substrings that must appear in this order, top to bottom
		bug     string
	}{
		{
			name:    "structured conjuncts below SemFilter",
			query:   `EXPLAIN SELECT id FROM reviews WHERE stars > 3 AND "the review is positive" AND lang = 'en'`,
			ordered: []string{`SemFilter "the review is positive"`, `filter=[(stars > 3), (lang = 'en')]`},
		},
		{
			name:   "comma join with equality becomes hash join",
			query:  `EXPLAIN SELECT t.b FROM t, u WHERE t.a = u.a AND u.d = 'p'`,
			has:    []string{"Scan u cols=[a, d] filter=[(u.d = 'p')]"},
			hasNot: []string{"NestedLoopJoin", "CrossJoin", "Filter"},
		},
		{
			name:   "where above explicit inner JOIN is pushed into the scans",
			query:  `EXPLAIN SELECT t.b, u.d FROM t JOIN u ON t.a = u.a WHERE t.c > 1.5 AND u.d LIKE 'q%'`,
			has:    []string{"Scan t cols=[a, b, c] filter=[(t.c > 1.5)]"},
			hasNot: []string{"Filter ("},
		},
		{
			name:    "structured WHERE below SemJoin",
			query:   `EXPLAIN SELECT r.id, p.name FROM reviews AS r JOIN products AS p ON "the review is about the product p.name" WHERE p.price < 100`,
			ordered: []string{"SemJoin", "Scan products AS p cols=[name, price] filter=[(p.price < 100)]"},
			hasNot:  []string{"Filter (p.price < 100)"},
		},
		{
			name:   "sort on a column outside the select list names its key",
			query:  `EXPLAIN SELECT c2 FROM wide ORDER BY c3`,
			hasNot: []string{"Sort \n"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.bug != "" {
				t.Skip("BUG: " + c.bug)
			}
			plan := explain(t, "q.sql", setup+c.query+";")
			lines := strings.Split(plan, "\n")
			for _, h := range c.has {
				found := false
				for _, l := range lines {
					if strings.TrimSpace(l) == h || strings.Contains(l, h) {
						found = true
					}
				}
				if !found {
					t.Errorf("plan lacks %q:\n%s", h, plan)
				}
			}
			for _, h := range c.hasNot {
				for _, l := range lines {
					if strings.Contains(l+"\n", h) {
						t.Errorf("plan has %q:\n%s", h, plan)
					}
				}
			}
			at := 0
			for _, o := range c.ordered {
				i := strings.Index(plan[at:], o)
				if i < 0 {
					t.Errorf("plan lacks %q after offset %d:\n%s", o, at, plan)
					break
				}
				at += i + len(o)
			}
		})
	}
}
