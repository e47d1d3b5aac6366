package sqllogictest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uqe-dev/uqe/errs"
)

// canned is a real database/sql driver (driver.Connector, driver.Conn with
// ExecerContext and QueryerContext) whose answers are canned per SQL text.
// It exists only to test the runner's own logic: parsing, rendering,
// sorting, hashing and the verdicts. Unknown SQL is an error.
type canned struct {
	exec  map[string]error // statement SQL → its outcome (nil: success)
	query map[string]cannedResult

	mu    sync.Mutex
	ran   []string // SQL in the order it reached the driver
	opens int      // connections opened
}

type cannedResult struct {
	cols   []string
	rows   [][]driver.Value
	err    error // returned by QueryContext
	rowErr error // returned by Next after the rows
	block  bool  // wait for the context to end
}

func (c *canned) Connect(context.Context) (driver.Conn, error) {
	c.mu.Lock()
	c.opens++
	c.mu.Unlock()
	return &cannedConn{c: c}, nil
}

func (c *canned) Driver() driver.Driver { return cannedDriver{c} }

func (c *canned) note(q string) {
	c.mu.Lock()
	c.ran = append(c.ran, q)
	c.mu.Unlock()
}

type cannedDriver struct{ c *canned }

func (d cannedDriver) Open(string) (driver.Conn, error) { return d.c.Connect(context.Background()) }

type cannedConn struct{ c *canned }

var (
	_ driver.ExecerContext  = (*cannedConn)(nil)
	_ driver.QueryerContext = (*cannedConn)(nil)
)

func (*cannedConn) Prepare(string) (driver.Stmt, error) {
	return nil, errors.New("canned: no prepared statements")
}
func (*cannedConn) Close() error              { return nil }
func (*cannedConn) Begin() (driver.Tx, error) { return nil, errors.New("canned: no transactions") }

func (cc *cannedConn) ExecContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Result, error) {
	cc.c.note(q)
	err, ok := cc.c.exec[q]
	if !ok {
		return nil, errors.New("canned: unknown statement")
	}
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(0), nil
}

func (cc *cannedConn) QueryContext(ctx context.Context, q string, _ []driver.NamedValue) (driver.Rows, error) {
	cc.c.note(q)
	r, ok := cc.c.query[q]
	switch {
	case !ok:
		return nil, errors.New("canned: no such table")
	case r.block:
		<-ctx.Done()
		return nil, ctx.Err()
	case r.err != nil:
		return nil, r.err
	}
	return &cannedRows{r: r}, nil
}

type cannedRows struct {
	r cannedResult
	i int
}

func (r *cannedRows) Columns() []string { return r.r.cols }
func (r *cannedRows) Close() error      { return nil }
func (r *cannedRows) Next(dest []driver.Value) error {
	if r.i >= len(r.r.rows) {
		if r.r.rowErr != nil {
			return r.r.rowErr
		}
		return io.EOF
	}
	copy(dest, r.r.rows[r.i])
	r.i++
	return nil
}

func rows(vals ...driver.Value) [][]driver.Value {
	out := make([][]driver.Value, len(vals))
	for i, v := range vals {
		out[i] = []driver.Value{v}
	}
	return out
}

// brokenDB answers the SQL of testdata/sqllogictest/selftest/broken.test.
func brokenDB() *canned {
	t1 := cannedResult{cols: []string{"a", "b", "c"}, rows: [][]driver.Value{
		{int64(3), int64(4), "x"}, {int64(1), int64(2), "y"}, {int64(1), int64(10), nil}}}
	ab := cannedResult{cols: []string{"a", "b"}, rows: [][]driver.Value{
		{int64(3), int64(4)}, {int64(1), int64(2)}, {int64(1), int64(10)}}}
	one := func(v driver.Value) cannedResult { return cannedResult{cols: []string{"x"}, rows: rows(v)} }
	col := func(vs ...driver.Value) cannedResult { return cannedResult{cols: []string{"a"}, rows: rows(vs...)} }
	return &canned{
		exec: map[string]error{
			"CREATE TABLE t1(a INTEGER, b INTEGER, c VARCHAR(10))": nil,
			"INSERT INTO broken VALUES(1)":                         errors.New("no such table: broken"),
			"INSERT INTO t1 VALUES(1, 2, 'x')":                     nil,
			"SELECT * FROM nosuchtable":                            errors.New("no such table: nosuchtable"),
		},
		query: map[string]cannedResult{
			"SELECT 1":                       one(int64(1)),
			"SELECT 2":                       one(int64(2)),
			"SELECT a, b FROM t1":            ab,
			"SELECT a, b FROM t1 ORDER BY a": ab,
			"SELECT a FROM t2":               col(int64(9), int64(10), int64(1)),
			"SELECT a FROM t3":               col(int64(2), int64(1)),
			"SELECT a, b, c FROM t1":         t1,
			"SELECT a, b, c FROM t1 WHERE 1": t1,
			"SELECT a, b, c FROM t1 WHERE 2": t1,
			"SELECT a, b, c FROM t1 WHERE 3": t1,
			"SELECT r, t, i FROM types": {cols: []string{"r", "t", "i"},
				rows: [][]driver.Value{{2.5, "a\tb", nil}}},
			"SELECT ''": one(""),
			"SELECT conversions": {cols: []string{"a", "b", "c", "d"},
				rows: [][]driver.Value{{2.9, 1.0, int64(3), "12abc"}}},
			"SELECT\n5":         one(int64(5)),
			"SELECT a FROM t4":  col(int64(1), int64(2), int64(3), int64(4), int64(5), int64(6), int64(7), int64(8), int64(9), int64(10)),
			"SELECT a FROM t5":  col(int64(2), int64(1)),
			"SELECT a FROM t6":  col(int64(1), int64(2)),
			"SELECT a FROM t7":  col(int64(1), int64(3)),
			"SELECT a FROM t8":  {cols: []string{"a"}, rowErr: errors.New("integer overflow")},
			"SELECT a FROM t9":  {cols: []string{"a"}, rows: rows(int64(1)), rowErr: errors.New("integer overflow")},
			"SELECT a FROM t10": {err: errors.New("no such column: a")},
		},
	}
}

func TestBrokenSelfTest(t *testing.T) {
	c := brokenDB()
	db := sql.OpenDB(c)
	defer db.Close()
	opts := Options{Skip: map[string]string{"broken.test:143": "exercises Options.Skip"}, Timeout: time.Minute}
	res, err := RunFile(context.Background(), db, filepath.Join("..", "testdata", "sqllogictest", "selftest", "broken.test"), opts)
	if err != nil {
		t.Fatal(err)
	}
	// Line → a word the failure message must contain, showing it failed
	// for the intended reason.
	wantFail := map[int]string{
		11:  "statement failed",
		15:  "expected an error",
		27:  `expected "3", got "2"`,
		44:  `expected "1", got "3"`,
		63:  "expected 3 values, got 2",
		77:  "hashing to",
		83:  "expected 8 values hashing",
		89:  "expected 2 columns",
		178: "label-x",
		190: "reading rows ended with: integer overflow",
		197: "query failed: no such column",
	}
	const wantPassed = 15
	gotFail := map[int]string{}
	for _, f := range res.Failures {
		if f.File != "broken.test" {
			t.Errorf("failure file = %q", f.File)
		}
		gotFail[f.Line] = f.Message
	}
	for line, word := range wantFail {
		msg, ok := gotFail[line]
		if !ok {
			t.Errorf("line %d passed, want a failure (%s)", line, word)
			continue
		}
		if !strings.Contains(msg, word) {
			t.Errorf("line %d failed with %q, want it to mention %q", line, msg, word)
		}
	}
	for line, msg := range gotFail {
		if _, ok := wantFail[line]; !ok {
			t.Errorf("line %d failed unexpectedly: %s", line, msg)
		}
	}
	if res.Passed != wantPassed || res.Failed != len(wantFail) || res.Skipped != 1 || res.OtherEngine != 2 || res.Halted != 202 {
		t.Errorf("got %s, other %d, halted %d; want %d passed, %d failed, 1 skipped, other 2, halted 202",
			res, res.OtherEngine, res.Halted, wantPassed, len(wantFail))
	}
	for _, f := range res.Failures {
		t.Log(f.String())
	}
	if got, want := res.String(), "broken.test: 15 passed, 11 failed, 1 skipped"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for _, q := range c.ran {
		switch q {
		case "SELECT 'not for sqlite'", "NOT SQL FOR US", "SELECT b FROM skipped", "SELECT 'after halt'":
			t.Errorf("ran %q, which must not run", q)
		}
	}
	if c.opens != 1 {
		t.Errorf("the file used %d connections, want 1", c.opens)
	}
}

func TestEngineOption(t *testing.T) {
	recs, err := Parse("e.test", []byte("skipif sqlite\nquery I nosort\nSELECT 1\n----\n1\n\nonlyif mysql\nquery I nosort\nSELECT 2\n----\n2\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := &canned{query: map[string]cannedResult{
		"SELECT 1": {cols: []string{"x"}, rows: rows(int64(1))},
		"SELECT 2": {cols: []string{"x"}, rows: rows(int64(2))},
	}}
	db := sql.OpenDB(c)
	defer db.Close()
	for _, tc := range []struct {
		engine        string
		passed, other int
	}{{"", 0, 2}, {"SQLite", 0, 2}, {"MySQL", 2, 0}, {"postgresql", 1, 1}} {
		res, err := Run(context.Background(), db, "e.test", recs, Options{Engine: tc.engine})
		if err != nil {
			t.Fatal(err)
		}
		if res.Passed != tc.passed || res.OtherEngine != tc.other || res.Failed != 0 {
			t.Errorf("engine %q: %s, other %d; want %d passed, other %d", tc.engine, res, res.OtherEngine, tc.passed, tc.other)
		}
	}
}

func TestTimeout(t *testing.T) {
	recs, err := Parse("t.test", []byte("query I nosort\nSELECT slow\n----\n1\n\nquery I nosort\nSELECT 1\n----\n1\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := &canned{query: map[string]cannedResult{
		"SELECT slow": {block: true},
		"SELECT 1":    {cols: []string{"x"}, rows: rows(int64(1))},
	}}
	db := sql.OpenDB(c)
	defer db.Close()
	res, err := Run(context.Background(), db, "t.test", recs, Options{Timeout: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 1 || res.Passed != 1 || !strings.Contains(res.Failures[0].Message, "timed out") {
		t.Errorf("got %s %v; want the blocking query to time out and the next to pass", res, res.Failures)
	}
}

func TestCancelledContext(t *testing.T) {
	recs, err := Parse("c.test", []byte("query I nosort\nSELECT 1\n----\n1\n"))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(&canned{})
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, db, "c.test", recs, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestKnownHash checks the runner against a hashed result of the real
// select1.test (the query at line 1771), whose values SQLite computes as
// below: the values, rendered by type letter, must hash to the file's md5.
func TestKnownHash(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "sqllogictest", "select1.test"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Parse("select1.test", data)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(recs, func(r Record) bool { return r.Line == 1771 })
	if i < 0 {
		t.Fatal("no record at select1.test:1771")
	}
	rec := recs[i]
	if rec.HashCount != 10 || rec.Hash != "f7cc18e47d7f1cfbd32b65f410f3661f" || rec.Types != "IIIII" {
		t.Fatalf("select1.test:1771 parsed as %+v", rec)
	}
	if got := HashValues([]string{"827", "136", "2", "7", "-1", "851", "140", "2", "8", "-1"}); got != rec.Hash {
		t.Errorf("HashValues = %s, want %s", got, rec.Hash)
	}
	// The same through the driver, with the values as SQLite returns them
	// (integers), and once more with a value changed, which must fail.
	for _, tc := range []struct {
		first driver.Value
		pass  bool
	}{{int64(827), true}, {float64(827.9), true}, {"827", true}, {int64(828), false}} {
		c := &canned{query: map[string]cannedResult{rec.SQL: {cols: []string{"a", "b", "c", "d", "e"},
			rows: [][]driver.Value{
				{tc.first, int64(136), int64(2), int64(7), int64(-1)},
				{int64(851), int64(140), int64(2), int64(8), int64(-1)}}}}}
		db := sql.OpenDB(c)
		res, err := Run(context.Background(), db, "select1.test", []Record{rec}, Options{})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if (res.Passed == 1) != tc.pass {
			t.Errorf("first value %#v: %s %v, want pass=%v", tc.first, res, res.Failures, tc.pass)
		}
	}
}

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		typ  byte
		v    any
		want string
	}{
		{'I', nil, "NULL"},
		{'R', nil, "NULL"},
		{'T', nil, "NULL"},
		{'I', int64(-42), "-42"},
		{'I', 2.9, "2"},
		{'I', -2.9, "-2"},
		{'I', 1e30, "9223372036854775807"},
		{'I', -1e30, "-9223372036854775808"},
		{'I', math.NaN(), "0"},
		{'I', "12abc", "12"},
		{'I', "  -7 apples", "-7"},
		{'I', "+5", "5"},
		{'I', "abc", "0"},
		{'I', "", "0"},
		{'I', "1e3", "1"},
		{'I', "3.9", "3"},
		{'I', "99999999999999999999", "9223372036854775807"},
		{'I', "-9223372036854775808", "-9223372036854775808"},
		{'I', "-99999999999999999999", "-9223372036854775808"},
		{'I', []byte("17"), "17"},
		{'I', true, "1"},
		{'I', false, "0"},
		{'R', 2.5, "2.500"},
		{'R', int64(3), "3.000"},
		{'R', 1.0 / 3, "0.333"},
		{'R', -0.0001, "-0.000"},
		{'R', math.Copysign(0, -1), "0.000"},
		{'R', "1.5e1xyz", "15.000"},
		{'R', " .5", "0.500"},
		{'R', "5.", "5.000"},
		{'R', "1e", "1.000"},
		{'R', "abc", "0.000"},
		{'R', "", "0.000"},
		{'R', float64(math.MinInt64), "-9223372036854776000.000"},
		{'R', -18446744073709551616.0, "-18446744073709550000.000"},
		{'R', 123456789012.3456, "123456789012.346"},
		{'R', 12345678901234.56, "12345678901234.560"},
		{'R', math.Inf(1), "Inf"},
		{'T', "hello", "hello"},
		{'T', "", "(empty)"},
		{'T', []byte{}, "(empty)"},
		{'T', "a\tb\x7fc\x01", "a@b@c@"},
		{'T', "é", "@@"},
		{'T', "trailing ", "trailing "},
		{'T', []byte("bytes"), "bytes"},
		{'T', int64(-5), "-5"},
		{'T', 1.0, "1.0"},
		{'T', 2.5, "2.5"},
		{'T', -0.5, "-0.5"},
		{'T', 0.0, "0.0"},
		{'T', 0.1, "0.1"},
		{'T', 1.0 / 3, "0.333333333333333"},
		{'T', 100.0, "100.0"},
		{'T', 123456789012345.0, "123456789012345.0"},
		{'T', 1e15, "1.0e+15"},
		{'T', 1.5e20, "1.5e+20"},
		{'T', 0.0001, "0.0001"},
		{'T', 0.00001, "1.0e-05"},
		{'T', 1.25e-7, "1.25e-07"},
		{'T', 1e100, "1.0e+100"},
		{'T', math.Inf(-1), "-Inf"},
		{'T', true, "1"},
		{'T', time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02 03:04:05"},
	} {
		if got := Render(tc.typ, tc.v); got != tc.want {
			t.Errorf("Render(%c, %#v) = %q, want %q", tc.typ, tc.v, got, tc.want)
		}
	}
}

func TestSortValues(t *testing.T) {
	for _, tc := range []struct {
		mode SortMode
		ncol int
		in   string
		want string
	}{
		{NoSort, 2, "3 4 1 2 1 10", "3 4 1 2 1 10"},
		{RowSort, 2, "3 4 1 2 1 10", "1 10 1 2 3 4"}, // strcmp: "10" < "2"
		{RowSort, 1, "9 10 1 NULL", "1 10 9 NULL"},
		{RowSort, 3, "b a z a z a a b c", "a b c a z a b a z"},
		{RowSort, 2, "x 2 x 1 (empty) 5", "(empty) 5 x 1 x 2"},
		{ValueSort, 2, "3 4 1 2 1 10", "1 1 10 2 3 4"},
		{ValueSort, 1, "", ""},
	} {
		vals := strings.Fields(tc.in)
		sortValues(vals, tc.ncol, tc.mode)
		if got := strings.Join(vals, " "); got != tc.want {
			t.Errorf("%v/%d %q: got %q, want %q", tc.mode, tc.ncol, tc.in, got, tc.want)
		}
	}
}

func TestHashValues(t *testing.T) {
	for _, tc := range []struct {
		vals []string
		want string
	}{
		{nil, "d41d8cd98f00b204e9800998ecf8427e"},                                                       // md5("")
		{[]string{"3", "4", "x", "1", "2", "y", "1", "10", "NULL"}, "e0c86638f2946168af23bb1506b1716d"}, // as in broken.test
	} {
		if got := HashValues(tc.vals); got != tc.want {
			t.Errorf("HashValues(%q) = %s, want %s", tc.vals, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	src := "# leading comment\r\n" +
		"hash-threshold 3\r\n" +
		"\r\n" +
		"skipif mysql # trailing words are ignored\r\n" +
		"onlyif sqlite\r\n" +
		"statement error\r\n" +
		"DROP TABLE x\r\n" +
		"   \r\n" +
		"query ITR valuesort label-7\n" +
		"SELECT a,\n" +
		"# removed\n" +
		"  b, c FROM t\n" +
		"----\n" +
		"1\n" +
		"x y \n" +
		"\n" +
		"\n" +
		"query I\n" +
		"SELECT 1\n" +
		"\n" +
		"query T rowsort\n" +
		"SELECT 2\n" +
		"----\n" +
		"30 values hashing to 0123456789abcdef0123456789abcdef\n" +
		"\n" +
		"halt"
	recs, err := Parse("p.test", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Kind: KindHashThreshold, Line: 2, Threshold: 3},
		{Kind: KindStatement, Line: 6, ExpectError: true, SQL: "DROP TABLE x",
			Conditions: []Condition{{OnlyIf: false, Engine: "mysql"}, {OnlyIf: true, Engine: "sqlite"}}},
		{Kind: KindQuery, Line: 9, Types: "ITR", Sort: ValueSort, Label: "label-7",
			SQL: "SELECT a,\n  b, c FROM t", Expected: []string{"1", "x y "}},
		{Kind: KindQuery, Line: 18, Types: "I", Sort: NoSort, SQL: "SELECT 1"},
		{Kind: KindQuery, Line: 21, Types: "T", Sort: RowSort, SQL: "SELECT 2",
			Expected:  []string{"30 values hashing to 0123456789abcdef0123456789abcdef"},
			HashCount: 30, Hash: "0123456789abcdef0123456789abcdef"},
		{Kind: KindHalt, Line: 26},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(recs), len(want), recs)
	}
	for i := range want {
		if !recordsEqual(recs[i], want[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, recs[i], want[i])
		}
	}
}

func recordsEqual(a, b Record) bool {
	return a.Kind == b.Kind && a.Line == b.Line && slices.Equal(a.Conditions, b.Conditions) &&
		a.SQL == b.SQL && a.ExpectError == b.ExpectError && a.Types == b.Types && a.Sort == b.Sort &&
		a.Label == b.Label && slices.Equal(a.Expected, b.Expected) && a.HashCount == b.HashCount &&
		a.Hash == b.Hash && a.Threshold == b.Threshold
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{
		"statement maybe\nSELECT 1\n",
		"statement ok\n",
		"query X\nSELECT 1\n",
		"query I bogosort\nSELECT 1\n",
		"query\nSELECT 1\n",
		"query I\n----\n1\n",
		"hash-threshold many\n",
		"frobnicate\n",
		"skipif sqlite\n",
		"skipif\nstatement ok\nSELECT 1\n",
	} {
		_, err := Parse("bad.test", []byte(src))
		if errs.CodeOf(err) != errs.BadFile {
			t.Errorf("Parse(%q): err = %v, want code %s", src, err, errs.BadFile)
		}
	}
}

func TestSkipEntriesMustMatch(t *testing.T) {
	recs, err := Parse("s.test", []byte("statement ok\nCREATE TABLE t(x)\n\nonlyif mysql\nstatement ok\nX\n"))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(&canned{exec: map[string]error{"CREATE TABLE t(x)": nil}})
	defer db.Close()
	for key, ok := range map[string]bool{
		"s.test:1":     true,  // statement
		"s.test:2":     false, // SQL line, not a record line
		"s.test:5":     false, // a record for another engine
		"s.test:9":     false, // past the end
		"other.test:2": true,  // another file's entry is not this file's business
	} {
		_, err := Run(context.Background(), db, "s.test", recs, Options{Skip: map[string]string{key: "why"}})
		if ok && err != nil {
			t.Errorf("skip %s: %v", key, err)
		}
		if !ok && errs.CodeOf(err) != errs.BadFile {
			t.Errorf("skip %s: err = %v, want code %s", key, err, errs.BadFile)
		}
	}
}

func TestParseList(t *testing.T) {
	got, err := ParseList("l.txt", "# header\n\nselect1.test:12  needs X\n  evidence/in1.test:5\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["select1.test:12"] != "needs X" || got["evidence/in1.test:5"] != "" {
		t.Errorf("got %q", got)
	}
	for _, bad := range []string{"select1.test\n", "select1.test:0\n", "a.test:1\na.test:1\n", ":4\n"} {
		if _, err := ParseList("l.txt", bad); errs.CodeOf(err) != errs.BadFile {
			t.Errorf("ParseList(%q): err = %v, want code %s", bad, err, errs.BadFile)
		}
	}
}
