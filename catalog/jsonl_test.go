package catalog

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/uqe-dev/uqe/errs"
)

// TestJSONLGolden opens and scans every fixture under testdata/jsonl and
// compares the result with its .golden file.
func TestJSONLGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/jsonl/*.jsonl")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { golden(t, f, OpenJSONL) })
	}
}

func TestJSONLErrorLines(t *testing.T) {
	tests := []struct {
		content  string
		wantLine int
	}{
		{"{\"a\": 1}\n{\"a\": 2, \"b\": \n{\"a\": 3}\n", 2},
		{"{\"a\": 1}\n\n\n[1]\n", 4},
		{"{\"a\": 1}\n42\n", 2},
		{"{\"a\": 1}\n{\"a\": 1}{\"a\": 2}\n", 2},
		{"{\"a\": 1}\n{a: 1}\n", 2},
		{"{\"a\": 1, \"a\": 2}\n", 1},
		{"{\"a\": \"\\x\"}\n", 1},
		{"", 1},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.jsonl")
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := OpenJSONL(path)
			e, ok := err.(*errs.Error)
			if !ok || e.Code != errs.BadFile || e.Pos.File != path || e.Pos.Line != tc.wantLine {
				t.Fatalf("got %v, want %s at line %d", err, errs.BadFile, tc.wantLine)
			}
		})
	}
}

func TestJSONLManyBatches(t *testing.T) {
	const n = 9000
	path := filepath.Join(t.TempDir(), "big.ndjson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 1; i <= n; i++ {
		if i%3 == 0 {
			fmt.Fprintf(w, "{\"id\": %d, \"text\": \"row %d\"}\n", i, i)
		} else {
			fmt.Fprintf(w, "{\"id\": %d, \"x\": %d.25}\n", i, i)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	src, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := renderSchema(src.Schema()), "id:int64, x:float64, text:utf8"; got != want {
		t.Errorf("schema %s, want %s", got, want)
	}
	res := mustScan(t, src)
	if fmt.Sprint(res.batches) != "[4096 4096 808]" || src.RowCount() != n {
		t.Errorf("batches %v, RowCount %d", res.batches, src.RowCount())
	}
	if got, want := res.rows[2], `3 | NULL | "row 3"`; got != want {
		t.Errorf("row 3: %s, want %s", got, want)
	}
	if got, want := res.rows[3], `4 | 4.25f | NULL`; got != want {
		t.Errorf("row 4: %s, want %s", got, want)
	}
}
