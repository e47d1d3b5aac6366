package engine_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/uqe-dev/uqe/engine"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/parser"
)

// opCase is one case of testdata/ops.test (its format is described at the
// top of that file).
type opCase struct {
	name     string
	line     int
	sql      string
	want     []string
	sorted   bool
	errCode  errs.Code
	batches  int // -1: read everything
	affected int64
	checkAff bool
	bug      string
}

func parseOpCases(t *testing.T, path string) []opCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var cases []opCase
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "case ") {
			continue
		}
		f := strings.Fields(lines[i])
		c := opCase{name: f[1], line: i + 1, batches: -1}
		for j := 2; j < len(f); j++ {
			switch f[j] {
			case "sorted":
				c.sorted = true
			case "error":
				j++
				c.errCode = errs.Code(f[j])
			case "batches":
				j++
				c.batches, err = strconv.Atoi(f[j])
			case "affected":
				j++
				c.checkAff = true
				c.affected, err = strconv.ParseInt(f[j], 10, 64)
			case "bug":
				c.bug = strings.Join(f[j+1:], " ")
				j = len(f)
			default:
				t.Fatalf("%s:%d: unknown flag %q", path, i+1, f[j])
			}
			if err != nil {
				t.Fatalf("%s:%d: %v", path, i+1, err)
			}
		}
		i++
		var sql []string
		for ; i < len(lines) && lines[i] != "----"; i++ {
			sql = append(sql, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("%s:%d: case %s has no ----", path, c.line, c.name)
		}
		c.sql = strings.Join(sql, "\n")
		for i++; i < len(lines) && lines[i] != ""; i++ {
			c.want = append(c.want, lines[i])
		}
		if len(c.want) == 1 && c.want[0] == "(empty)" {
			c.want = []string{}
		}
		cases = append(cases, c)
	}
	return cases
}

// writeSourceFiles writes the file-backed tables the cases read.
func writeSourceFiles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"people.csv": "id,name,age,city\n1,Ann,34,Paris\n2,Bob,,Berlin\n3,Cid,51,Paris\n4,Dee,29,Rome\n",
		"events.jsonl": `{"id":1,"person":1,"kind":"click","n":3}
{"id":2,"person":1,"kind":"view","n":1}
{"id":3,"person":3,"kind":"click","n":7}
{"id":4,"person":9,"kind":"buy","n":null}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// drain reads a result to the end (or max batches when max >= 0), releasing
// every batch, and returns its rows rendered as text. The result is always
// closed.
func drain(res *engine.Result, max int) ([]string, error) {
	defer res.Close()
	var rows []string
	for n := 0; max < 0 || n < max; n++ {
		b, err := res.Next()
		if err != nil {
			return rows, err
		}
		if b == nil {
			break
		}
		for r := 0; r < int(b.NumRows()); r++ {
			cells := make([]string, len(res.Columns))
			for c := range res.Columns {
				cells[c] = res.Value(b, c, r).String()
			}
			rows = append(rows, strings.Join(cells, "|"))
		}
		b.Release()
	}
	return rows, nil
}

// run executes every statement of src in s; it returns the last statement's
// rows (nil for statements without rows), its affected count, and the first
// error.
func run(s *engine.Session, src string, max int) ([]string, int64, error) {
	stmts, err := parser.Parse("case", src)
	if err != nil {
		return nil, 0, err
	}
	var rows []string
	var aff int64
	for i, st := range stmts {
		res, err := s.Exec(context.Background(), st, nil)
		if err != nil {
			return nil, 0, err
		}
		m := -1
		if i == len(stmts)-1 {
			m = max
		}
		rows, err = drain(res, m)
		if err != nil {
			return nil, 0, err
		}
		aff = res.RowsAffected
	}
	return rows, aff, nil
}

// TestOperatorsNoLeaks runs every case of testdata/ops.test with arrow's
// CheckedAllocator and asserts that the executor released everything it
// allocated, whether the result was read to the end, closed early, or
// failed mid-stream; it also checks the rows.
func TestOperatorsNoLeaks(t *testing.T) {
	prelude, err := os.ReadFile("testdata/prelude.sql")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeSourceFiles(t)
	cases := parseOpCases(t, "testdata/ops.test")
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.bug != "" {
				t.Skip("BUG: " + c.bug)
			}
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			db, err := engine.Open(engine.Options{Mem: mem, Stderr: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			s := db.NewSession()
			if _, _, err := run(s, string(prelude), -1); err != nil {
				t.Fatalf("prelude: %v", err)
			}
			sql := strings.ReplaceAll(c.sql, "$TMP", filepath.ToSlash(dir))
			rows, aff, err := run(s, sql, c.batches)
			where := "testdata/ops.test:" + strconv.Itoa(c.line)
			if c.errCode != "" {
				if err == nil {
					t.Fatalf("%s: want error %s, got rows %q", where, c.errCode, rows)
				}
				if got := errs.CodeOf(err); got != c.errCode {
					t.Fatalf("%s: want error %s, got %v", where, c.errCode, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", where, errs.Detail(err))
			}
			switch {
			case c.checkAff:
				if aff != c.affected {
					t.Errorf("%s: %d rows affected, want %d", where, aff, c.affected)
				}
			case c.batches >= 0:
				// Closed early: only the absence of leaks is checked.
			default:
				if c.sorted {
					sort.Strings(rows)
				}
				if rows == nil {
					rows = []string{}
				}
				if strings.Join(rows, "\n") != strings.Join(c.want, "\n") || len(rows) != len(c.want) {
					t.Errorf("%s: %s\ngot:\n%s\nwant:\n%s", where, c.sql, strings.Join(rows, "\n"), strings.Join(c.want, "\n"))
				}
			}
		})
	}
}

// TestCheckedAllocatorSeesExecutorMemory makes sure the leak checks above
// can fail: while a batch is held, the allocator passed in Options must
// account for it, and nothing once it is released.
func TestCheckedAllocatorSeesExecutorMemory(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	db, err := engine.Open(engine.Options{Mem: mem, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	s := db.NewSession()
	if _, _, err := run(s, "CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1), (2), (3);", -1); err != nil {
		t.Fatal(err)
	}
	stmts, err := parser.Parse("q", "SELECT a * 2 FROM t ORDER BY a DESC")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Exec(context.Background(), stmts[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := res.Next()
	if err != nil || b == nil {
		t.Fatalf("Next: %v, %v", b, err)
	}
	if mem.CurrentAlloc() == 0 {
		t.Errorf("a result batch is held but the checked allocator accounts for no memory")
	}
	b.Release()
	res.Close()
}
