package driver_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "github.com/uqe-dev/uqe/driver"
	"github.com/uqe-dev/uqe/errs"
)

// open opens a database and closes it when the test ends.
func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("uqe", dsn)
	if err != nil {
		t.Fatalf("sql.Open(%q): %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// code returns the errs code of err ("" when err is not an *errs.Error).
func code(err error) errs.Code {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func mustExec(t *testing.T, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, q string, args ...any) sql.Result {
	t.Helper()
	r, err := db.ExecContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return r
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("%s: scan: %v", q, err)
		}
		if s.Valid {
			out = append(out, s.String)
		} else {
			out = append(out, "NULL")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDSNInMemory(t *testing.T) {
	for _, dsn := range []string{":memory:", "", ":memory:?seed=1", "?budget=5"} {
		t.Run(dsn, func(t *testing.T) {
			db := open(t, dsn)
			if got := queryStrings(t, db, "SHOW tables"); len(got) != 0 {
				t.Errorf("tables %v, want none", got)
			}
			var n int64
			if err := db.QueryRow("SELECT 1 + 1").Scan(&n); err != nil || n != 2 {
				t.Errorf("SELECT 1 + 1: %d, %v", n, err)
			}
		})
	}
}

func TestDSNFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "people.csv"), "id,name\n1,ann\n2,bob\n3,cid\n")
	writeFile(t, filepath.Join(dir, "pets.csv"), "owner,pet\n1,cat\n1,dog\n3,eel\n")
	db := open(t, dir)
	got := queryStrings(t, db, "SHOW tables")
	if strings.Join(got, ",") != "people,pets" {
		t.Errorf("tables %v, want [people pets]", got)
	}
	names := queryStrings(t, db, "SELECT name || ':' || count(pet) FROM people LEFT JOIN pets ON id = owner GROUP BY name ORDER BY name")
	if want := "ann:2,bob:0,cid:1"; strings.Join(names, ",") != want {
		t.Errorf("join over the folder's tables: %v, want %s", names, want)
	}
}

func TestDSNFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "scores.csv")
	writeFile(t, path, "who,score\nann,1.5\nbob,2.5\n")
	db := open(t, path+"?budget=7")
	if got := queryStrings(t, db, "SHOW tables"); strings.Join(got, ",") != "scores" {
		t.Errorf("tables %v, want [scores]", got)
	}
	var sum float64
	if err := db.QueryRow("SELECT sum(score) FROM scores").Scan(&sum); err != nil || sum != 4 {
		t.Errorf("sum(score): %v, %v; want 4", sum, err)
	}
	if got := queryStrings(t, db, "SHOW budget"); strings.Join(got, ",") != "7" {
		t.Errorf("SHOW budget %v, want 7", got)
	}
}

func TestDSNMissingPath(t *testing.T) {
	db, err := sql.Open("uqe", filepath.Join(t.TempDir(), "nothing-here"))
	if err == nil {
		defer db.Close()
		err = db.Ping()
	}
	if err == nil {
		t.Fatal("a DSN naming a missing path: no error")
	}
	if c := code(err); c != errs.BadPath && c != errs.BadFile {
		t.Errorf("code %q, want %s or %s (%v)", c, errs.BadPath, errs.BadFile, err)
	}
}

func TestDSNSettings(t *testing.T) {
	db := open(t, ":memory:?budget=10&seed=3")
	for name, want := range map[string]string{"budget": "10", "seed": "3"} {
		if got := queryStrings(t, db, "SHOW "+name); strings.Join(got, ",") != want {
			t.Errorf("SHOW %s = %v, want %s", name, got, want)
		}
	}
	// Another connection of the same sql.DB starts from the DSN's settings.
	ctx := context.Background()
	c1, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	mustExec(t, c1, "SET budget = 99")
	var b1, b2 string
	if err := c1.QueryRowContext(ctx, "SHOW budget").Scan(&b1); err != nil {
		t.Fatal(err)
	}
	if err := c2.QueryRowContext(ctx, "SHOW budget").Scan(&b2); err != nil {
		t.Fatal(err)
	}
	if b1 != "99" || b2 != "10" {
		t.Errorf("after SET on one connection: %s and %s, want 99 and 10 (settings are per session)", b1, b2)
	}
}

func TestDSNErrors(t *testing.T) {
	const secret = "sk-THIS-IS-SECRET-42"
	for _, tc := range []struct {
		dsn  string
		code errs.Code
	}{
		{":memory:?nosuch=1", errs.Usage},
		{":memory:?budget=abc", errs.BadSetting},
		{":memory:?budget=-3", errs.BadSetting},
		{":memory:?strategy=guess", errs.BadSetting},
		{":memory:?api_key=" + secret, errs.Usage},
		{":memory:?budget=5&openai_api_key=" + secret, errs.Usage},
		{":memory:?budget=%zz", errs.Usage},
	} {
		t.Run(tc.dsn, func(t *testing.T) {
			db, err := sql.Open("uqe", tc.dsn)
			if err == nil {
				// A setting may only be checked when the database opens.
				err = db.Ping()
				db.Close()
			}
			if err == nil {
				t.Fatalf("no error")
			}
			if c := code(err); c != tc.code {
				t.Errorf("code %q, want %s (%v)", c, tc.code, err)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(errs.Detail(err), secret) {
				t.Errorf("the error echoes the API key: %v", err)
			}
		})
	}
}

func TestParameters(t *testing.T) {
	db := open(t, ":memory:")
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		arg   any
		typ   string // typeof(?)
		value any    // what the value scans back as, into an any
	}{
		{"int", int(7), "integer", int64(7)},
		{"int64", int64(-9007199254740993), "integer", int64(-9007199254740993)},
		{"int32", int32(5), "integer", int64(5)},
		{"float64", 2.5, "real", 2.5},
		{"float32", float32(0.5), "real", 0.5},
		{"string", "it's", "text", "it's"},
		{"empty string", "", "text", ""},
		{"[]byte", []byte{0, 1, 0xff}, "blob", []byte{0, 1, 0xff}},
		{"bool true", true, "integer", int64(1)},
		{"bool false", false, "integer", int64(0)},
		{"nil", nil, "null", nil},
		{"time.Time", when, "text", when.Format(time.RFC3339Nano)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, q := range []string{"SELECT typeof(?), ?", "SELECT typeof($1), $1"} {
				args := []any{tc.arg, tc.arg}
				if strings.Contains(q, "$") {
					args = args[:1]
				}
				var typ string
				var v any
				if err := db.QueryRow(q, args...).Scan(&typ, &v); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				if typ != tc.typ {
					t.Errorf("%s: typeof %s, want %s", q, typ, tc.typ)
				}
				if !reflect.DeepEqual(v, tc.value) {
					t.Errorf("%s: value %#v (%T), want %#v (%T)", q, v, v, tc.value, tc.value)
				}
			}
		})
	}
}

func TestParametersInStatements(t *testing.T) {
	db := open(t, ":memory:")
	mustExec(t, db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL)")
	mustExec(t, db, "INSERT INTO t VALUES (?, ?, ?), ($4, $5, $6)", 1, "x", 1.5, 2, "y", nil)
	mustExec(t, db, "UPDATE t SET c = $1 * 2 WHERE b = $2", 4.0, "y")
	var a int64
	var c float64
	if err := db.QueryRow("SELECT a, c FROM t WHERE b = $1 AND a >= $2", "y", 2).Scan(&a, &c); err != nil {
		t.Fatal(err)
	}
	if a != 2 || c != 8 {
		t.Errorf("got %d, %v; want 2, 8", a, c)
	}
	// $N may repeat and come in any order.
	var s string
	if err := db.QueryRow("SELECT $2 || $1 || $2", "a", "b").Scan(&s); err != nil || s != "bab" {
		t.Errorf("$2 || $1 || $2: %q, %v; want bab", s, err)
	}
	// A parameter in LIMIT and IN.
	got := queryStrings(t, db, "SELECT b FROM t WHERE a IN (?, ?) ORDER BY a LIMIT ?", 1, 2, 1)
	if strings.Join(got, ",") != "x" {
		t.Errorf("IN and LIMIT parameters: %v, want [x]", got)
	}
}

func TestParameterCount(t *testing.T) {
	db := open(t, ":memory:")
	mustExec(t, db, "CREATE TABLE t(a INTEGER)")
	ctx := context.Background()
	for _, tc := range []struct {
		sql     string
		args    []any
		tooMany bool
	}{
		{"SELECT ?", nil, false},
		{"SELECT ?, ?", []any{1}, false},
		{"SELECT $2", []any{1}, false},
		{"INSERT INTO t VALUES (?)", nil, false},
		{"SELECT $1, $3", []any{1, 2}, false},
		{"SELECT ?", []any{1, 2}, true},
		{"SELECT 1", []any{1}, true},
		{"INSERT INTO t VALUES (?)", []any{1, 2}, true},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			var bad []string
			check := func(how string, err error) {
				t.Helper()
				if err == nil {
					bad = append(bad, fmt.Sprintf("%s with %d arguments: no error", how, len(tc.args)))
				} else if c := code(err); c != errs.ParamCount {
					bad = append(bad, fmt.Sprintf("%s: code %q, want %s (%v)", how, c, errs.ParamCount, err))
				}
			}
			rows, err := db.QueryContext(ctx, tc.sql, tc.args...)
			if err == nil {
				rows.Close()
			}
			check("Query", err)
			_, err = db.ExecContext(ctx, tc.sql, tc.args...)
			check("Exec", err)
			for _, b := range bad {
				t.Error(b)
			}
		})
	}
}

func TestParameterCountPrepared(t *testing.T) {
	db := open(t, ":memory:")
	st, err := db.Prepare("SELECT ? + ?")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = st.Query(1)
	if err == nil {
		t.Fatal("prepared statement with 2 parameters run with 1 argument: no error")
	}
	if c := code(err); c != errs.ParamCount {
		t.Errorf("a prepared statement with the wrong number of arguments fails with %q, want code %s", err, errs.ParamCount)
	}
}

func TestColumnTypes(t *testing.T) {
	db := open(t, ":memory:")
	mustExec(t, db, "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n NUMERIC, u)")
	mustExec(t, db, "INSERT INTO t VALUES (1, 2.5, 'x', x'00ff', 7, 'free')")
	rows, err := db.Query("SELECT i, r, s, x'00ff', n, u, i + 1, r * 2, s || 'y', i < 2, CASE WHEN i = 1 THEN 1 ELSE 'one' END, b FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var anyType = reflect.TypeOf(new(any)).Elem()
	want := []struct {
		name string
		scan reflect.Type
	}{
		{"INTEGER", reflect.TypeOf(int64(0))},
		{"REAL", reflect.TypeOf(float64(0))},
		{"TEXT", reflect.TypeOf("")},
		{"BLOB", reflect.TypeOf([]byte(nil))},
		{"ANY", anyType}, // NUMERIC: may hold integers, reals or text
		{"ANY", anyType}, // no declared type
		{"INTEGER", reflect.TypeOf(int64(0))},
		{"REAL", reflect.TypeOf(float64(0))},
		{"TEXT", reflect.TypeOf("")},
		{"INTEGER", reflect.TypeOf(int64(0))}, // a comparison is 0 or 1
		{"ANY", anyType},                      // a CASE mixing classes
		{"ANY", anyType},                      // a BLOB column has no affinity: any class
	}
	if len(cts) != len(want) {
		t.Fatalf("%d column types, want %d", len(cts), len(want))
	}
	for i, ct := range cts {
		if ct.DatabaseTypeName() != want[i].name || ct.ScanType() != want[i].scan {
			t.Errorf("column %d (%s): %s / %v, want %s / %v", i+1, ct.Name(), ct.DatabaseTypeName(), ct.ScanType(), want[i].name, want[i].scan)
		}
	}
	// The values scan into any as the Go type of their class.
	vals := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	wantVals := []any{int64(1), 2.5, "x", []byte{0, 0xff}, int64(7), "free", int64(2), 5.0, "xy", int64(1), int64(1), []byte{0, 0xff}}
	for i := range vals {
		if !reflect.DeepEqual(vals[i], wantVals[i]) {
			t.Errorf("column %d: %#v (%T), want %#v (%T)", i+1, vals[i], vals[i], wantVals[i], wantVals[i])
		}
	}
	// Names come from the select list.
	cols, _ := rows.Columns()
	if cols[0] != "i" || cols[6] != "i + 1" {
		t.Errorf("column names %q", cols)
	}
}

func TestScanTypes(t *testing.T) {
	db := open(t, ":memory:")
	mustExec(t, db, "CREATE TABLE t(i INTEGER, r REAL, s TEXT)")
	mustExec(t, db, "INSERT INTO t VALUES (42, 0.25, 'hi'), (NULL, NULL, NULL)")
	var i int64
	var r float64
	var s string
	if err := db.QueryRow("SELECT i, r, s FROM t WHERE i = 42").Scan(&i, &r, &s); err != nil {
		t.Fatal(err)
	}
	if i != 42 || r != 0.25 || s != "hi" {
		t.Errorf("got %d %v %q", i, r, s)
	}
	var ni sql.NullInt64
	var nr sql.NullFloat64
	var ns sql.NullString
	if err := db.QueryRow("SELECT i, r, s FROM t WHERE i IS NULL").Scan(&ni, &nr, &ns); err != nil {
		t.Fatal(err)
	}
	if ni.Valid || nr.Valid || ns.Valid {
		t.Errorf("NULLs scanned as valid: %v %v %v", ni, nr, ns)
	}
	// An INTEGER value scans into a string too, as database/sql converts.
	if err := db.QueryRow("SELECT i FROM t WHERE i = 42").Scan(&s); err != nil || s != "42" {
		t.Errorf("INTEGER into string: %q, %v", s, err)
	}
}

func TestMultipleStatements(t *testing.T) {
	db := open(t, ":memory:")
	res := mustExec(t, db, `CREATE TABLE t(a INTEGER, b TEXT);
		INSERT INTO t VALUES (1, 'a'), (2, 'b');
		INSERT INTO t VALUES (3, 'c');
		UPDATE t SET b = upper(b) WHERE a > 1`)
	if n, err := res.RowsAffected(); err != nil || n != 5 {
		t.Errorf("RowsAffected of the script: %d, %v; want 5 (2 + 1 + 2)", n, err)
	}
	if got := queryStrings(t, db, "SELECT b FROM t ORDER BY a"); strings.Join(got, ",") != "a,B,C" {
		t.Errorf("after the script: %v", got)
	}
	// A query after statements returns the last statement's rows.
	got := queryStrings(t, db, "INSERT INTO t VALUES (4, 'd'); SELECT b FROM t WHERE a = 4")
	if strings.Join(got, ",") != "d" {
		t.Errorf("query after an insert: %v", got)
	}
	// A script stops at the failing statement: what ran before it stays.
	_, err := db.Exec("INSERT INTO t VALUES (5, 'e'); SELECT nosuch FROM t; INSERT INTO t VALUES (6, 'f')")
	if code(err) != errs.UnknownColumn {
		t.Errorf("failing script: %v, want code %s", err, errs.UnknownColumn)
	}
	if got := queryStrings(t, db, "SELECT a FROM t WHERE a >= 5"); strings.Join(got, ",") != "5" {
		t.Errorf("rows after the failing script: %v, want [5]", got)
	}
	// A syntax error anywhere rejects the whole text before anything runs.
	_, err = db.Exec("INSERT INTO t VALUES (7, 'g'); SELEC 1")
	if code(err) != errs.Syntax {
		t.Errorf("syntax error in a script: %v, want code %s", err, errs.Syntax)
	}
	if got := queryStrings(t, db, "SELECT count(*) FROM t WHERE a = 7"); strings.Join(got, ",") != "0" {
		t.Errorf("a script with a syntax error ran its first statement: %v", got)
	}
}

func TestRowsAffected(t *testing.T) {
	db := open(t, ":memory:")
	mustExec(t, db, "CREATE TABLE t(a INTEGER)")
	for _, tc := range []struct {
		sql  string
		want int64
	}{
		{"INSERT INTO t VALUES (1), (2), (3), (4)", 4},
		{"INSERT INTO t SELECT a + 10 FROM t WHERE a < 3", 2},
		{"UPDATE t SET a = a * 2 WHERE a > 2", 4},
		{"UPDATE t SET a = 0 WHERE a > 1000", 0},
		{"DELETE FROM t WHERE a IN (SELECT a FROM t WHERE a < 3)", 2},
		{"DELETE FROM t", 4},
		{"CREATE TABLE u(x INTEGER)", 0},
	} {
		res := mustExec(t, db, tc.sql)
		n, err := res.RowsAffected()
		if err != nil || n != tc.want {
			t.Errorf("%s: RowsAffected %d, %v; want %d", tc.sql, n, err, tc.want)
		}
	}
}

func TestSharedDatabase(t *testing.T) {
	db := open(t, ":memory:")
	ctx := context.Background()
	c1, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	mustExec(t, c1, "CREATE TABLE shared(a INTEGER); INSERT INTO shared VALUES (1), (2)")
	var n int64
	if err := c2.QueryRowContext(ctx, "SELECT count(*) FROM shared").Scan(&n); err != nil || n != 2 {
		t.Fatalf("the other connection sees %d rows, %v; want 2", n, err)
	}
	mustExec(t, c2, "INSERT INTO shared VALUES (3)")
	if err := c1.QueryRowContext(ctx, "SELECT sum(a) FROM shared").Scan(&n); err != nil || n != 6 {
		t.Errorf("the first connection sees sum %d, %v; want 6", n, err)
	}

	// A second sql.DB is a different database.
	other := open(t, ":memory:")
	_, err = other.Query("SELECT * FROM shared")
	if code(err) != errs.UnknownTable {
		t.Errorf("another sql.DB sees the table: %v, want code %s", err, errs.UnknownTable)
	}
	mustExec(t, other, "CREATE TABLE shared(b TEXT)")
	if err := db.QueryRow("SELECT count(*) FROM shared").Scan(&n); err != nil || n != 3 {
		t.Errorf("the first database changed: %d, %v", n, err)
	}
}

func TestCancel(t *testing.T) {
	db := open(t, ":memory:")
	mustExec(t, db, "CREATE TABLE t(a INTEGER)")
	var vals []string
	for i := range 400 {
		vals = append(vals, "("+string(rune('0'+i%10))+")")
	}
	mustExec(t, db, "INSERT INTO t VALUES "+strings.Join(vals, ","))
	// 400³ = 64 million pairs: far longer than the deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		var n int64
		err := db.QueryRowContext(ctx, "SELECT count(*) FROM t a, t b, t c WHERE a.a + b.a + c.a >= 0").Scan(&n)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a cancelled query returned no error")
		}
		if code(err) != errs.Cancelled && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled query fails with %q (code %s, not wrapping the context's error), want code %s", err, code(err), errs.Cancelled)
		}
	case <-time.After(time.Minute):
		t.Fatal("a cancelled query did not return within a minute")
	}
	// The connection pool still works afterwards.
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 400 {
		t.Errorf("after cancellation: %d, %v", n, err)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	db := open(t, ":memory:")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := db.ExecContext(ctx, "CREATE TABLE t(a INTEGER)")
	if err == nil {
		t.Fatal("no error from a cancelled context")
	}
	if _, err := db.Query("SELECT * FROM t"); code(err) != errs.UnknownTable {
		t.Errorf("a statement with a cancelled context ran: %v", err)
	}
}

func TestPrepared(t *testing.T) {
	db := open(t, ":memory:")
	mustExec(t, db, "CREATE TABLE t(a INTEGER, b TEXT)")
	ins, err := db.Prepare("INSERT INTO t VALUES ($1, $2)")
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	for i, s := range []string{"zero", "one", "two", "three"} {
		res, err := ins.Exec(i, s)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Errorf("RowsAffected %d, want 1", n)
		}
	}
	sel, err := db.Prepare("SELECT b FROM t WHERE a > ? ORDER BY a")
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	for _, tc := range []struct {
		arg  int
		want string
	}{{2, "three"}, {0, "one,two,three"}, {3, ""}, {1, "two,three"}} {
		rows, err := sel.Query(tc.arg)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
		}
		rows.Close()
		if strings.Join(got, ",") != tc.want {
			t.Errorf("a > %d: %v, want %s", tc.arg, got, tc.want)
		}
	}
	// A prepared statement sees changes made after it was prepared.
	mustExec(t, db, "INSERT INTO t VALUES (9, 'nine')")
	var s string
	if err := sel.QueryRow(8).Scan(&s); err != nil || s != "nine" {
		t.Errorf("after an insert: %q, %v", s, err)
	}
	// Preparing a malformed statement fails with its position.
	_, err = db.Prepare("SELECT FROM")
	if code(err) != errs.Syntax {
		t.Errorf("Prepare of malformed SQL: %v, want code %s", err, errs.Syntax)
	}
}

func TestTransactions(t *testing.T) {
	db := open(t, ":memory:")
	tx, err := db.Begin()
	if err == nil {
		tx.Rollback()
		t.Fatal("Begin succeeded; uqe has no transactions")
	}
	if c := code(err); c != errs.Unsupported {
		t.Errorf("Begin: code %q, want %s (%v)", c, errs.Unsupported, err)
	}
	_, err = db.BeginTx(context.Background(), nil)
	if code(err) != errs.Unsupported {
		t.Errorf("BeginTx: %v, want code %s", err, errs.Unsupported)
	}
}

func TestErrorsCarryCodesAndPositions(t *testing.T) {
	db := open(t, ":memory:")
	mustExec(t, db, "CREATE TABLE t(a INTEGER UNIQUE NOT NULL)")
	mustExec(t, db, "INSERT INTO t VALUES (1)")
	for _, tc := range []struct {
		sql       string
		code      errs.Code
		line, col int // 0: not checked
	}{
		{"SELECT nosuch FROM t", errs.UnknownColumn, 1, 8},
		{"SELECT * FROM nosuch", errs.UnknownTable, 1, 15},
		{"SELECT 1 +", errs.Syntax, 0, 0},
		{"SELECT 'open", errs.Lexical, 1, 8},
		{"INSERT INTO t VALUES (1)", errs.Constraint, 0, 0},
		{"INSERT INTO t VALUES (NULL)", errs.Constraint, 0, 0},
		{"CREATE TABLE t(b INTEGER)", errs.DuplicateObject, 0, 0},
		{"SELECT nofunc(1)", errs.UnknownFunction, 1, 8},
		{"SELECT sum(a) FROM (SELECT 9223372036854775807 AS a UNION ALL SELECT 1)", errs.Runtime, 0, 0},
		{"SELECT 1\nFROM t\nWHERE nosuch = 1", errs.UnknownColumn, 3, 7},
	} {
		err := func() error {
			rows, err := db.Query(tc.sql)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
			}
			return rows.Err()
		}()
		var e *errs.Error
		if !errors.As(err, &e) {
			t.Errorf("%q: %v (%T), want an *errs.Error", tc.sql, err, err)
			continue
		}
		if e.Code != tc.code {
			t.Errorf("%q: code %s, want %s (%v)", tc.sql, e.Code, tc.code, err)
		}
		if tc.line != 0 && (e.Pos.Line != tc.line || e.Pos.Col != tc.col) {
			t.Errorf("%q: at %d:%d, want %d:%d (%v)", tc.sql, e.Pos.Line, e.Pos.Col, tc.line, tc.col, err)
		}
	}
}
