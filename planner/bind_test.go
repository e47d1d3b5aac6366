package planner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/parser"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// testCatalog holds t(a INTEGER, b TEXT, c REAL), u(a INTEGER, d TEXT),
// docs(id INTEGER, title TEXT, body TEXT, n INTEGER) and nums(x INTEGER).
func testCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat := catalog.New()
	tables := map[string][]catalog.MemColumn{
		"t":    {{Name: "a", Decl: "INTEGER"}, {Name: "b", Decl: "TEXT"}, {Name: "c", Decl: "REAL"}},
		"u":    {{Name: "a", Decl: "INTEGER"}, {Name: "d", Decl: "TEXT"}},
		"docs": {{Name: "id", Decl: "INTEGER"}, {Name: "title", Decl: "TEXT"}, {Name: "body", Decl: "TEXT"}, {Name: "n", Decl: "INTEGER"}},
		"nums": {{Name: "x", Decl: "INTEGER"}},
	}
	for name, cols := range tables {
		mt := catalog.NewMemTable(cols)
		if err := cat.AddTable(&catalog.Table{Name: name, Source: mt, Mem: mt}); err != nil {
			t.Fatal(err)
		}
	}
	return cat
}

func noFiles(fn string, args []value.Value, pos errs.Pos) (catalog.Source, string, error) {
	return nil, "", errs.At(pos, errs.BadPath, "no files in this test")
}

func bind(t *testing.T, src string, args []value.Value) (planner.Node, error) {
	t.Helper()
	stmts, err := parser.Parse("q.sql", src)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	qs, ok := stmts[0].(*ast.QueryStmt)
	if !ok {
		t.Fatalf("%q is not a query", src)
	}
	return planner.NewBinder(testCatalog(t), args, noFiles).BindQuery(qs.Query)
}

// knownBugs maps a case's source to the bug that makes it fail today.
var knownBugs = map[string]string{
	"SELECT a FROM t LIMIT 'x'":        "",
	"SELECT a FROM t LIMIT (SELECT 1)": "LIMIT (SELECT 1) fails with B005 'must be constant'; SQLite accepts a scalar subquery as LIMIT",
}

func TestBindErrors(t *testing.T) {
	cases := []struct {
		src  string
		args []value.Value
		code errs.Code
		pos  string // line:col of the offending token
	}{
		{"SELECT * FROM nosuch", nil, errs.UnknownTable, "1:15"},
		{"SELECT a FROM t, nosuch AS n", nil, errs.UnknownTable, "1:18"},
		{"SELECT a FROM t JOIN nosuch ON 1", nil, errs.UnknownTable, "1:22"},
		{"SELECT (SELECT 1 FROM nosuch)", nil, errs.UnknownTable, "1:23"},
		{"SELECT nosuch.* FROM t", nil, errs.UnknownTable, "1:8"},
		{"SELECT zz FROM t", nil, errs.UnknownColumn, "1:8"},
		{"SELECT a,\n  b,\n  zz\nFROM t", nil, errs.UnknownColumn, "3:3"},
		{"SELECT a FROM t WHERE t.zz = 1", nil, errs.UnknownColumn, "1:23"},
		{"SELECT a FROM t WHERE u.a = 1", nil, errs.UnknownColumn, "1:23"},
		{"SELECT a FROM t\nWHERE b = 'x'\n  AND zz > 1", nil, errs.UnknownColumn, "3:7"},
		{"SELECT a FROM t GROUP BY zz", nil, errs.UnknownColumn, "1:26"},
		{"SELECT a FROM t ORDER BY zz", nil, errs.UnknownColumn, "1:26"},
		{"SELECT a FROM t JOIN u USING (zz)", nil, errs.UnknownColumn, ""},
		{"SELECT (SELECT zz FROM u) FROM t", nil, errs.UnknownColumn, "1:16"},
		{"SELECT a FROM t, u", nil, errs.AmbiguousColumn, "1:8"},
		{"SELECT b FROM t, u WHERE a > 1", nil, errs.AmbiguousColumn, "1:26"},
		{"SELECT nofn(a) FROM t", nil, errs.UnknownFunction, "1:8"},
		{"SELECT a FROM t\nWHERE frobnicate(b) = 1", nil, errs.UnknownFunction, "2:7"},
		{"SELECT abs(a, b) FROM t", nil, errs.WrongArgs, "1:8"},
		{"SELECT substr(b) FROM t", nil, errs.WrongArgs, "1:8"},
		{"SELECT count(a, b) FROM t", nil, errs.WrongArgs, "1:8"},
		{"SELECT abs(DISTINCT a) FROM t", nil, errs.WrongArgs, "1:8"},
		{"SELECT (SELECT a, d FROM u) FROM t", nil, errs.WrongArgs, ""},
		{"SELECT a FROM t WHERE a IN (SELECT a, d FROM u)", nil, errs.WrongArgs, ""},
		{"SELECT a FROM t UNION SELECT a, d FROM u", nil, errs.WrongArgs, ""},
		{"VALUES (1, 2), (3)", nil, errs.WrongArgs, ""},
		{"SELECT a FROM t WHERE count(*) > 1", nil, errs.MisplacedAgg, "1:23"},
		{"SELECT a FROM t GROUP BY sum(a)", nil, errs.MisplacedAgg, "1:26"},
		{"SELECT sum(max(a)) FROM t", nil, errs.MisplacedAgg, "1:12"},
		{"SELECT a FROM t JOIN u ON count(*) > 0", nil, errs.MisplacedAgg, "1:27"},
		{"SELECT ?", nil, errs.ParamCount, "1:8"},
		{"SELECT a FROM t WHERE a = ? AND b = ?", []value.Value{value.FromInt(1)}, errs.ParamCount, "1:37"},
		{"SELECT a FROM t ORDER BY 2", nil, errs.WrongArgs, "1:26"},
		{"SELECT a, b FROM t ORDER BY 0", nil, errs.WrongArgs, "1:29"},
		{"SELECT a FROM t UNION SELECT a FROM u ORDER BY 3", nil, errs.WrongArgs, ""},
		{"SELECT a, count(*) FROM t GROUP BY 3", nil, errs.WrongArgs, "1:36"},
		{"SELECT a FROM t LIMIT a", nil, errs.UnknownColumn, "1:23"},
		{"SELECT a FROM t LIMIT 'x'", nil, errs.TypeMismatch, "1:23"},
		{"SELECT a FROM t LIMIT 1.5", nil, errs.TypeMismatch, "1:23"},
		{"SELECT a FROM t WHERE \"{zz} is long\"", nil, errs.UnknownColumn, "1:23"},
		{"SELECT x FROM nums WHERE \"the number is prime\"", nil, errs.WrongArgs, "1:26"},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			if bug := knownBugs[c.src]; bug != "" {
				t.Skip("BUG: " + bug)
			}
			_, err := bind(t, c.src, c.args)
			if err == nil {
				t.Fatalf("%q bound without error, want %s", c.src, c.code)
			}
			e, ok := err.(*errs.Error)
			if !ok {
				t.Fatalf("%q: error %T %v is not an *errs.Error", c.src, err, err)
			}
			if e.Code != c.code {
				t.Errorf("%q: code %s (%v), want %s", c.src, e.Code, err, c.code)
			}
			if c.pos != "" {
				if got := fmt.Sprintf("%d:%d", e.Pos.Line, e.Pos.Col); got != c.pos {
					t.Errorf("%q: position %s, want %s (%v)", c.src, got, c.pos, err)
				}
			} else if !e.Pos.IsValid() {
				t.Errorf("%q: error has no position: %v", c.src, err)
			}
		})
	}
}

func TestBindOK(t *testing.T) {
	// Each of these must bind; the result columns and types are checked.
	cases := []struct {
		src   string
		cols  string
		types string
	}{
		{"SELECT * FROM t", "a,b,c", "INTEGER,TEXT,REAL"},
		{"SELECT t.a, u.a FROM t, u", "a,a", "INTEGER,INTEGER"},
		{"SELECT a FROM t JOIN u USING (a)", "a", "INTEGER"},
		{"SELECT a + 1 AS p, b || 'x', c * 2, a / 2.0 FROM t", "p,b || 'x',c * 2,a / 2.0", "INTEGER,TEXT,REAL,REAL"},
		{"SELECT count(*), sum(a), avg(a), max(b), group_concat(b) FROM t", "count(*),sum(a),avg(a),max(b),group_concat(b)", "INTEGER,INTEGER,REAL,TEXT,TEXT"},
		{"SELECT a, count(*) FROM t GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 DESC", "a,count(*)", "INTEGER,INTEGER"},
		{"SELECT CASE WHEN a > 1 THEN 'x' ELSE a END FROM t", "CASE WHEN a > 1 THEN 'x' ELSE a END", "ANY"},
		{"SELECT b FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)", "b", "TEXT"},
		{"SELECT (SELECT max(d) FROM u WHERE u.a = t.a) FROM t", "(SELECT max(d) FROM u WHERE u.a = t.a)", "TEXT"},
		{"SELECT a FROM t UNION SELECT a FROM u ORDER BY 1", "a", "INTEGER"},
		{"SELECT ?, ?", "?,?", "INTEGER,TEXT"},
		{"SELECT a FROM t LIMIT (SELECT 1)", "a", "INTEGER"},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			if bug := knownBugs[c.src]; bug != "" {
				t.Skip("BUG: " + bug)
			}
			n, err := bind(t, c.src, []value.Value{value.FromInt(1), value.FromText("x")})
			if err != nil {
				t.Fatalf("%q: %v", c.src, err)
			}
			var names, types []string
			for _, col := range n.Columns() {
				names = append(names, col.Name)
				types = append(types, col.Type.String())
			}
			if got := strings.Join(types, ","); got != c.types {
				t.Errorf("%q: types %s, want %s", c.src, got, c.types)
			}
			if got := strings.Join(names, ","); got != c.cols {
				t.Errorf("%q: names %s, want %s", c.src, got, c.cols)
			}
		})
	}
}

// findNL returns the natural-language expressions of a plan, by node kind.
func findNL(n planner.Node) map[string][]*planner.NLExpr {
	out := map[string][]*planner.NLExpr{}
	var walk func(planner.Node)
	walk = func(n planner.Node) {
		collect := func(kind string, e planner.Expr) {
			planner.Walk(e, func(e planner.Expr) bool {
				if nl, ok := e.(*planner.NLExpr); ok {
					out[kind] = append(out[kind], nl)
				}
				return true
			})
		}
		switch x := n.(type) {
		case *planner.SemFilter:
			collect("SemFilter", x.Cond)
		case *planner.SemMap:
			for _, e := range x.Exprs {
				collect("SemMap", e)
			}
		case *planner.SemGroup:
			collect("SemGroup", x.Key)
		case *planner.SemRank:
			collect("SemRank", x.Key)
		case *planner.SemJoin:
			collect("SemJoin", x.Cond)
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(n)
	return out
}

func TestBindNL(t *testing.T) {
	cases := []struct {
		src     string
		kind    string // semantic operator holding the phrase
		text    string
		context string // the columns the model sees
		typ     string
		cast    string
		pos     string
	}{
		// Without {col} the model sees every text-like column in scope
		// (qualified); a ranking phrase is a REAL score.
		{`SELECT id FROM docs WHERE "the document is about cats"`, "SemFilter", "the document is about cats", "docs.title,docs.body", "BOOLEAN", "", "1:27"},
		{`SELECT id FROM docs WHERE n > 1 AND "the document is about cats"`, "SemFilter", "the document is about cats", "docs.title,docs.body", "BOOLEAN", "", "1:37"},
		{`SELECT id FROM docs WHERE "{title} mentions a dog"`, "SemFilter", "{title} mentions a dog", "title", "BOOLEAN", "", "1:27"},
		{`SELECT id FROM docs WHERE "{title} and {n} agree"`, "SemFilter", "{title} and {n} agree", "title,n", "BOOLEAN", "", "1:27"},
		{`SELECT d.id FROM docs AS d WHERE "{d.body} is long"`, "SemFilter", "{d.body} is long", "d.body", "BOOLEAN", "", "1:34"},
		{`SELECT id, "the main topic" AS topic FROM docs`, "SemMap", "the main topic", "docs.title,docs.body", "TEXT", "", "1:12"},
		{`SELECT CAST("the number of pages" AS INTEGER) AS pages FROM docs`, "SemMap", "the number of pages", "docs.title,docs.body", "INTEGER", "INTEGER", "1:13"},
		{`SELECT g, count(*) FROM docs GROUP BY "the genre of {title}" AS g`, "SemGroup", "the genre of {title}", "title", "TEXT", "", "1:39"},
		{`SELECT id FROM docs ORDER BY "how funny the document is" DESC LIMIT 5`, "SemRank", "how funny the document is", "docs.title,docs.body", "REAL", "", "1:30"},
		{`SELECT t.a FROM t JOIN u ON "{t.b} is a kind of {u.d}"`, "SemJoin", "{t.b} is a kind of {u.d}", "t.b,u.d", "BOOLEAN", "", "1:29"},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			n, err := bind(t, c.src, nil)
			if err != nil {
				t.Fatalf("%q: %v", c.src, err)
			}
			nls := findNL(n)[c.kind]
			if len(nls) != 1 {
				t.Fatalf("%q: %d phrases under %s, want 1:\n%s", c.src, len(nls), c.kind, planner.Format(n))
			}
			nl := nls[0]
			if nl.Text != c.text {
				t.Errorf("text %q, want %q", nl.Text, c.text)
			}
			var ctx []string
			for _, r := range nl.Context {
				ctx = append(ctx, r.Name)
			}
			if got := strings.Join(ctx, ","); got != c.context {
				t.Errorf("context %s, want %s", got, c.context)
			}
			if got := nl.T.String(); got != c.typ {
				t.Errorf("type %s, want %s", got, c.typ)
			}
			if nl.Cast != c.cast {
				t.Errorf("cast %q, want %q", nl.Cast, c.cast)
			}
			if got := fmt.Sprintf("%d:%d", nl.Pos.Line, nl.Pos.Col); got != c.pos {
				t.Errorf("position %s, want %s", got, c.pos)
			}
		})
	}
}

// TestCorrelation checks the outer columns a correlated subquery records.
func TestCorrelation(t *testing.T) {
	cases := []struct {
		src   string
		outer []string // names of the outer expressions, per subquery
	}{
		{"SELECT a FROM t WHERE a IN (SELECT a FROM u)", []string{""}},
		{"SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)", []string{"t.a"}},
		{"SELECT (SELECT count(*) FROM u WHERE u.a < t.a AND u.d <> t.b) FROM t", []string{"t.a,t.b"}},
		{"SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE EXISTS (SELECT 1 FROM nums WHERE x = t.a))", []string{"t.a"}},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			n, err := bind(t, c.src, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			var walk func(planner.Node)
			walk = func(n planner.Node) {
				for _, e := range planner.NodeExprs(n) {
					planner.Walk(e, func(e planner.Expr) bool {
						if sq, ok := e.(*planner.Subquery); ok {
							var names []string
							for _, o := range sq.Outer {
								names = append(names, planner.ExprString(o))
							}
							if len(sq.Inner) != len(sq.Outer) {
								t.Errorf("Inner %v and Outer %v differ in length", sq.Inner, sq.Outer)
							}
							got = append(got, strings.Join(names, ","))
							return false // only top-level subqueries
						}
						return true
					})
				}
				for _, c := range n.Children() {
					walk(c)
				}
			}
			walk(n)
			if strings.Join(got, "|") != strings.Join(c.outer, "|") {
				t.Errorf("outer columns %q, want %q", got, c.outer)
			}
		})
	}
}
