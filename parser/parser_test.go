package parser

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/errs"
)

// paren renders an expression fully parenthesised, to check grouping.
func paren(e ast.Expr) string {
	not := func(b bool) string {
		if b {
			return "NOT "
		}
		return ""
	}
	switch e := e.(type) {
	case *ast.Binary:
		return "(" + paren(e.L) + " " + e.Op + " " + paren(e.R) + ")"
	case *ast.Unary:
		if e.Op == "NOT" {
			return "(NOT " + paren(e.X) + ")"
		}
		return "(" + e.Op + paren(e.X) + ")"
	case *ast.Between:
		return "(" + paren(e.X) + " " + not(e.Not) + "BETWEEN " + paren(e.Lo) + " AND " + paren(e.Hi) + ")"
	case *ast.IsNull:
		return "(" + paren(e.X) + " IS " + not(e.Not) + "NULL)"
	case *ast.Like:
		op := "LIKE"
		if e.Glob {
			op = "GLOB"
		}
		return "(" + paren(e.X) + " " + not(e.Not) + op + " " + paren(e.Pattern) + ")"
	case *ast.InList:
		var xs []string
		for _, x := range e.List {
			xs = append(xs, paren(x))
		}
		return "(" + paren(e.X) + " " + not(e.Not) + "IN [" + strings.Join(xs, ", ") + "])"
	case *ast.InQuery:
		return "(" + paren(e.X) + " " + not(e.Not) + "IN " + ast.Format(e.Query) + ")"
	case *ast.Collate:
		return "(" + paren(e.X) + " COLLATE " + e.Name + ")"
	case *ast.Paren:
		return "[" + paren(e.X) + "]"
	case *ast.Exists:
		return "(" + not(e.Not) + "EXISTS)"
	}
	return ast.Format(e)
}

func TestPrecedence(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a-1", "(a - 1)"},
		{"1+2+3", "((1 + 2) + 3)"},
		{"1-2-3", "((1 - 2) - 3)"},
		{"1+2*3", "(1 + (2 * 3))"},
		{"1*2+3", "((1 * 2) + 3)"},
		{"a || b * c", "((a || b) * c)"},
		{"a * b || c", "(a * (b || c))"},
		{"NOT a = b", "(NOT (a = b))"},
		{"NOT a AND b", "((NOT a) AND b)"},
		{"a OR b AND c", "(a OR (b AND c))"},
		{"a AND b OR c AND d", "((a AND b) OR (c AND d))"},
		{"a BETWEEN b AND c AND d", "((a BETWEEN b AND c) AND d)"},
		{"a NOT BETWEEN b + 1 AND c * 2", "(a NOT BETWEEN (b + 1) AND (c * 2))"},
		{"- - 5", "(-(-5))"},
		{"+ - x", "(+(-x))"},
		{"NOT NOT x", "(NOT (NOT x))"},
		{"~x + 1", "((~x) + 1)"},
		{"-x COLLATE nocase", "((-x) COLLATE nocase)"},
		{"a || b COLLATE nocase", "(a || (b COLLATE nocase))"},
		{"x NOT IN (1, 2)", "(x NOT IN [1, 2])"},
		{"x IN ()", "(x IN [])"},
		{"x NOT LIKE 'a%'", "(x NOT LIKE 'a%')"},
		{"x GLOB 'a*' OR y", "((x GLOB 'a*') OR y)"},
		{"x IS NOT NULL", "(x IS NOT NULL)"},
		{"x IS NULL", "(x IS NULL)"},
		{"x IS y", "(x IS y)"},
		{"x IS NOT y", "(x IS NOT y)"},
		{"x IS DISTINCT FROM y", "(x IS NOT y)"},
		{"x ISNULL", "(x IS NULL)"},
		{"x NOTNULL", "(x IS NOT NULL)"},
		{"x NOT NULL", "(x IS NOT NULL)"},
		{"a == b", "(a = b)"},
		{"a != b", "(a <> b)"},
		{"a = b = c", "((a = b) = c)"},
		{"a < b = c < d", "((a < b) = (c < d))"},
		{"a & b << 1", "((a & b) << 1)"},
		{"a + b & c", "((a + b) & c)"},
		{"a < b + c", "(a < (b + c))"},
		{"(a + b) * c", "([(a + b)] * c)"},
		{"a = 1 IS NULL", "((a = 1) IS NULL)"},
		{"NOT EXISTS (SELECT 1)", "(NOT EXISTS)"},
		{"NOT EXISTS (SELECT 1) = 1", "(NOT ((EXISTS) = 1))"},
		{"a IN t", "(a IN SELECT * FROM t)"},
		{"1 - -1", "(1 - (-1))"},
		{"a % b / c", "((a % b) / c)"},
		{"x BETWEEN 1 AND 2 = y", "((x BETWEEN 1 AND 2) = y)"},
	} {
		e, err := ParseExpr("t", c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got := paren(e); got != c.want {
			t.Errorf("%s: got %s, want %s", c.in, got, c.want)
		}
	}
}

func TestLiterals(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind ast.LitKind
		raw  string
	}{
		{"12", ast.LitInt, "12"},
		{"9223372036854775807", ast.LitInt, "9223372036854775807"},
		{"9223372036854775808", ast.LitFloat, "9223372036854775808"},
		{"1.5", ast.LitFloat, "1.5"},
		{".5", ast.LitFloat, ".5"},
		{"1e10", ast.LitFloat, "1e10"},
		{"1.5E-3", ast.LitFloat, "1.5E-3"},
		{"'it''s'", ast.LitString, "it's"},
		{"X'0aFF'", ast.LitBlob, "0aFF"},
		{"NULL", ast.LitNull, "NULL"},
		{"true", ast.LitBool, "TRUE"},
		{"FALSE", ast.LitBool, "FALSE"},
	} {
		e, err := ParseExpr("t", c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		l, ok := e.(*ast.Literal)
		if !ok || l.Kind != c.kind || l.Raw != c.raw {
			t.Errorf("%s: got %#v", c.in, e)
		}
	}
}

func TestNL(t *testing.T) {
	for _, c := range []struct {
		in   string
		text string
		refs []string
	}{
		{`"the review is positive"`, "the review is positive", nil},
		{`"the {text} mentions {p.name} and {text} again {TEXT}"`, "the {text} mentions {p.name} and {text} again {TEXT}", []string{"text", "p.name"}},
		{`"say ""hi"" to { who }"`, `say "hi" to { who }`, []string{"who"}},
		{`"{not a ref} {1x} {a.b.c}"`, "{not a ref} {1x} {a.b.c}", nil},
	} {
		e, err := ParseExpr("t", c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		n, ok := e.(*ast.NL)
		if !ok || n.Text != c.text || !reflect.DeepEqual(n.Refs, c.refs) {
			t.Errorf("%s: got %#v", c.in, e)
		}
	}
	// NL in every place the design allows.
	src := `SELECT "the reason" AS reason, CAST("the stars" AS INTEGER) FROM r JOIN p ON "about {p.name}"
		WHERE "positive" AND x > 1 GROUP BY "the outcome" AS outcome ORDER BY "how angry" DESC`
	st, err := Parse("t", src)
	if err != nil {
		t.Fatal(errs.Detail(err))
	}
	count := 0
	ast.Walk(st[0], func(n ast.Node) bool {
		if _, ok := n.(*ast.NL); ok {
			count++
		}
		return true
	})
	if count != 6 {
		t.Errorf("found %d NL nodes, want 6", count)
	}
	sel := st[0].(*ast.QueryStmt).Query.Body.(*ast.Select)
	if sel.GroupBy[0].Alias != "outcome" || sel.Items[0].Alias != "reason" {
		t.Errorf("aliases: %#v %#v", sel.GroupBy[0], sel.Items[0])
	}
}

func TestParams(t *testing.T) {
	st, err := Parse("t", "SELECT ?, $5, ? FROM t WHERE a = ?3 AND b = ?; SELECT ?")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, s := range st {
		ast.Walk(s, func(n ast.Node) bool {
			if p, ok := n.(*ast.Param); ok {
				got = append(got, p.Index)
			}
			return true
		})
	}
	// ? takes the largest index so far + 1; numbering restarts per statement.
	if want := []int{1, 5, 6, 3, 7, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestStatements(t *testing.T) {
	tru := true
	for _, c := range []struct {
		in   string
		want ast.Stmt
	}{
		{"CREATE TEMP TABLE IF NOT EXISTS t (a INTEGER PRIMARY KEY NOT NULL, b VARCHAR(30) UNIQUE DEFAULT 'x', c DOUBLE PRECISION, d, PRIMARY KEY (a, b), UNIQUE (c))",
			&ast.CreateTable{Name: "t", IfNotExists: true, Temp: true, Columns: []*ast.ColumnDef{
				{Name: "a", Type: "INTEGER", PrimaryKey: true, NotNull: true},
				{Name: "b", Type: "VARCHAR(30)", Unique: true, Default: &ast.Literal{Kind: ast.LitString, Raw: "x"}},
				{Name: "c", Type: "DOUBLE PRECISION"}, {Name: "d"}},
				PrimaryKey: []string{"a", "b"}, Unique: [][]string{{"c"}}}},
		{"CREATE TABLE t2 AS SELECT 1", &ast.CreateTable{Name: "t2", AsQuery: q(sel(item(lit(ast.LitInt, "1"))))}},
		{"CREATE VIEW v (x) AS SELECT 1", &ast.CreateView{Name: "v", Columns: []string{"x"}, Query: q(sel(item(lit(ast.LitInt, "1"))))}},
		{"CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a DESC, b)", &ast.CreateIndex{Name: "i", Unique: true, IfNotExists: true, Table: "t",
			Columns: []*ast.OrderItem{{Expr: col("a"), Desc: true}, {Expr: col("b")}}}},
		{"CREATE TRIGGER tr UPDATE ON t BEGIN SELECT 1; END", &ast.CreateTrigger{Name: "tr", Body: "UPDATE ON t BEGIN SELECT 1; END"}},
		{"DROP TABLE IF EXISTS t", &ast.Drop{Kind: ast.DropTable, IfExists: true, Name: "t"}},
		{"DROP VIEW v", &ast.Drop{Kind: ast.DropView, Name: "v"}},
		{"DROP INDEX i", &ast.Drop{Kind: ast.DropIndex, Name: "i"}},
		{"DROP TRIGGER tr", &ast.Drop{Kind: ast.DropTrigger, Name: "tr"}},
		{"INSERT OR REPLACE INTO t (a) VALUES (1), (2)", &ast.Insert{Or: "REPLACE", Table: "t", Columns: []string{"a"},
			Query: &ast.Query{Body: &ast.Values{Rows: [][]ast.Expr{{lit(ast.LitInt, "1")}, {lit(ast.LitInt, "2")}}}}}},
		{"REPLACE INTO t DEFAULT VALUES", &ast.Insert{Replace: true, Table: "t", Default: true}},
		{"UPDATE t SET a = 1, b = c WHERE d", &ast.Update{Table: "t", Set: []*ast.Assignment{{Column: "a", Value: lit(ast.LitInt, "1")},
			{Column: "b", Value: col("c")}}, Where: col("d")}},
		{"DELETE FROM t", &ast.Delete{Table: "t"}},
		{"SET strategy = uniform", &ast.Set{Name: "strategy", Value: lit(ast.LitString, "uniform")}},
		{"SET strategy TO 'uniform'", &ast.Set{Name: "strategy", Value: lit(ast.LitString, "uniform")}},
		{"SET budget = 100", &ast.Set{Name: "budget", Value: lit(ast.LitInt, "100")}},
		{"SHOW ALL", &ast.Show{Name: "all"}},
		{"SHOW Budget", &ast.Show{Name: "budget"}},
		{"EXPLAIN ANALYZE DELETE FROM t", &ast.Explain{Analyze: true, Stmt: &ast.Delete{Table: "t"}}},
		{"REINDEX", &ast.Reindex{}},
		{"REINDEX i", &ast.Reindex{Name: "i"}},
		{"SELECT a FROM t ORDER BY a DESC NULLS FIRST LIMIT 5, 10", &ast.QueryStmt{Query: &ast.Query{
			Body:    &ast.Select{Items: []*ast.SelectItem{item(col("a"))}, From: []ast.TableExpr{&ast.TableName{Name: "t"}}},
			OrderBy: []*ast.OrderItem{{Expr: col("a"), Desc: true, NullsFirst: &tru}},
			Limit:   lit(ast.LitInt, "10"), Offset: lit(ast.LitInt, "5")}}},
		{"SELECT 1 UNION SELECT 2 EXCEPT SELECT 3", &ast.QueryStmt{Query: &ast.Query{Body: &ast.SetOp{Op: ast.Except,
			Left:  &ast.SetOp{Op: ast.Union, Left: sel(item(lit(ast.LitInt, "1"))), Right: sel(item(lit(ast.LitInt, "2")))},
			Right: sel(item(lit(ast.LitInt, "3")))}}}},
		{"SELECT * FROM 'x.csv' a, read_csv('y.csv') AS b, (SELECT 1) c LEFT JOIN d USING (k)", &ast.QueryStmt{Query: q(&ast.Select{
			Items: []*ast.SelectItem{{Star: true}},
			From: []ast.TableExpr{&ast.TablePath{Path: "x.csv", Alias: "a"},
				&ast.TableFunc{Name: "read_csv", Args: []ast.Expr{lit(ast.LitString, "y.csv")}, Alias: "b"},
				&ast.Join{Kind: ast.LeftJoin, Left: &ast.SubqueryTable{Query: q(sel(item(lit(ast.LitInt, "1")))), Alias: "c"},
					Right: &ast.TableName{Name: "d"}, Using: []string{"k"}}}})}},
		{"SELECT t.*, key, `a b` 'x' FROM t", &ast.QueryStmt{Query: q(&ast.Select{Items: []*ast.SelectItem{
			{Star: true, TableStar: "t"}, item(col("key")), {Expr: col("a b"), Alias: "x"}},
			From: []ast.TableExpr{&ast.TableName{Name: "t"}}})}},
	} {
		st, err := Parse("t", c.in)
		if err != nil {
			t.Errorf("%s: %s", c.in, errs.Detail(err))
			continue
		}
		if len(st) != 1 {
			t.Errorf("%s: %d statements", c.in, len(st))
			continue
		}
		clearPositions(st[0])
		if !reflect.DeepEqual(st[0], c.want) {
			t.Errorf("%s:\n got  %s\n want %s", c.in, ast.Format(st[0]), ast.Format(c.want))
		}
	}
}

func q(b ast.SetExpr) *ast.Query                 { return &ast.Query{Body: b} }
func sel(items ...*ast.SelectItem) *ast.Select   { return &ast.Select{Items: items} }
func item(e ast.Expr) *ast.SelectItem            { return &ast.SelectItem{Expr: e} }
func lit(k ast.LitKind, raw string) *ast.Literal { return &ast.Literal{Kind: k, Raw: raw} }
func col(name string) *ast.ColumnRef             { return &ast.ColumnRef{Name: name} }

func TestPositions(t *testing.T) {
	st, err := Parse("f.uql", "\n  SELECT a,\n    b + 1 FROM t")
	if err != nil {
		t.Fatal(err)
	}
	sel := st[0].(*ast.QueryStmt).Query.Body.(*ast.Select)
	if p := st[0].Position(); p.Line != 2 || p.Col != 3 || p.Offset != 3 || p.File != "f.uql" {
		t.Errorf("statement at %+v", p)
	}
	if p := sel.Items[1].Expr.Position(); p.Line != 3 || p.Col != 5 {
		t.Errorf("b + 1 at %+v", p)
	}
	if p := sel.Items[1].Expr.(*ast.Binary).R.Position(); p.Line != 3 || p.Col != 9 {
		t.Errorf("1 at %+v", p)
	}
}

func TestSplitStatements(t *testing.T) {
	src := "SELECT 1; ;\n-- c;\nCREATE TRIGGER tr UPDATE ON t BEGIN SELECT ';'; END;\n SELECT 'a;b'"
	segs, err := SplitStatements("f", src)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range segs {
		texts = append(texts, s.Text)
	}
	want := []string{"SELECT 1", "CREATE TRIGGER tr UPDATE ON t BEGIN SELECT ';'; END", "SELECT 'a;b'"}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("got %q", texts)
	}
	if segs[2].Pos.Line != 4 || segs[2].Pos.Col != 2 {
		t.Errorf("pos %+v", segs[2].Pos)
	}
}

func TestErrorCodes(t *testing.T) {
	for _, c := range []struct {
		in   string
		code errs.Code
	}{
		{"SELECT 'abc", errs.Lexical},
		{`SELECT "abc`, errs.Lexical},
		{"SELECT @", errs.Lexical},
		{"SELECT X'abc'", errs.Lexical},
		{"SELECT 1 /* x", errs.Lexical},
		{"SELECT FROM", errs.Syntax},
		{"SELECT 1 +", errs.Syntax},
		{"SELECT 1 2", errs.Syntax},
		{"CREATE UNIQUE TABLE t (a)", errs.Syntax},
		{"SELECT 1 INTERSECT ALL SELECT 2", errs.Syntax},
		{strings.Repeat("(", 10000), errs.Syntax},
		{"SELECT " + strings.Repeat("-", 5000) + "1", errs.Syntax},
	} {
		_, err := Parse("t", c.in)
		if got := errs.CodeOf(err); got != c.code {
			t.Errorf("%.40s: code %q (%v), want %q", c.in, got, err, c.code)
		}
	}
}

func TestEmptyScript(t *testing.T) {
	st, err := Parse("t", " ; -- nothing\n;")
	if err != nil || len(st) != 0 {
		t.Errorf("got %v, %v", st, err)
	}
}

// TestWalkCoversCorpus walks every statement of the corpus and checks that
// every node type is reached, and that returning false skips children.
func TestWalkCoversCorpus(t *testing.T) {
	src, err := os.ReadFile("testdata/roundtrip.sql")
	if err != nil {
		t.Fatal(err)
	}
	st, err := Parse("roundtrip.sql", string(src))
	if err != nil {
		t.Fatal(errs.Detail(err))
	}
	seen := map[string]bool{}
	for _, s := range st {
		ast.Walk(s, func(n ast.Node) bool {
			seen[fmt.Sprintf("%T", n)] = true
			return true
		})
	}
	for _, typ := range strings.Fields(`QueryStmt ColumnDef CreateTable CreateView CreateIndex CreateTrigger Drop
		Insert Assignment Update Delete Set Show Explain Reindex CTE Query SetOp Values ParenQuery SelectItem
		GroupItem Select OrderItem TableName TablePath TableFunc SubqueryTable Join Literal ColumnRef NL Param
		Unary Binary Like Between InList InQuery Exists Subquery IsNull When Case Cast Func Paren Collate`) {
		if !seen["*ast."+typ] {
			t.Errorf("Walk never reached *ast.%s", typ)
		}
	}
	// Skipping children: only the statement itself is visited.
	n := 0
	ast.Walk(st[0], func(ast.Node) bool { n++; return false })
	if n != 1 {
		t.Errorf("visited %d nodes with children skipped", n)
	}
}

// TestFormatHandBuilt checks that Format adds the parentheses a hand-built
// tree (without Paren nodes) needs for its meaning.
func TestFormatHandBuilt(t *testing.T) {
	one, two, three := lit(ast.LitInt, "1"), lit(ast.LitInt, "2"), lit(ast.LitInt, "3")
	for _, c := range []struct {
		e    ast.Expr
		want string
	}{
		{&ast.Binary{Op: "*", L: &ast.Binary{Op: "+", L: one, R: two}, R: three}, "(1 + 2) * 3"},
		{&ast.Binary{Op: "-", L: one, R: &ast.Binary{Op: "-", L: two, R: three}}, "1 - (2 - 3)"},
		{&ast.Unary{Op: "-", X: &ast.Unary{Op: "-", X: one}}, "- -1"},
		{&ast.Unary{Op: "NOT", X: &ast.Binary{Op: "AND", L: col("a"), R: col("b")}}, "NOT (a AND b)"},
		{&ast.Between{X: col("x"), Lo: &ast.Binary{Op: "AND", L: col("a"), R: col("b")}, Hi: one}, "x BETWEEN (a AND b) AND 1"},
		{&ast.ColumnRef{Table: "my t", Name: "select"}, "`my t`.`select`"},
		{&ast.NL{Text: `say "hi"`}, `"say ""hi"""`},
	} {
		if got := ast.Format(c.e); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
}
