package catalog

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// scanResult is what a full scan produced.
type scanResult struct {
	rows    []string // one line per row: values rendered by renderValue, joined by " | "
	batches []int64  // rows per batch
}

// scan reads src completely with a checked allocator, asserting that every
// batch has the source's schema and at most BatchSize rows, and that no
// memory is left allocated after the reader is released.
func scan(t testing.TB, src Source) (scanResult, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rr, err := src.Scan(context.Background(), mem)
	if err != nil {
		return scanResult{}, err
	}
	defer rr.Release()
	var res scanResult
	for rr.Next() {
		rec := rr.RecordBatch()
		if !rec.Schema().Equal(src.Schema()) {
			t.Fatalf("batch schema %s differs from source schema %s", rec.Schema(), src.Schema())
		}
		if rec.NumRows() > BatchSize || rec.NumRows() == 0 {
			t.Fatalf("batch of %d rows; want 1..%d", rec.NumRows(), BatchSize)
		}
		res.batches = append(res.batches, rec.NumRows())
		for i := 0; i < int(rec.NumRows()); i++ {
			vals := make([]string, rec.NumCols())
			for j, col := range rec.Columns() {
				vals[j] = renderValue(col, i)
			}
			res.rows = append(res.rows, strings.Join(vals, " | "))
		}
	}
	return res, rr.Err()
}

func mustScan(t testing.TB, src Source) scanResult {
	t.Helper()
	res, err := scan(t, src)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return res
}

func renderValue(col arrow.Array, i int) string {
	if col.IsNull(i) {
		return "NULL"
	}
	switch a := col.(type) {
	case *array.Int64:
		return fmt.Sprintf("%d", a.Value(i))
	case *array.Float64:
		return fmt.Sprintf("%gf", a.Value(i))
	case *array.Boolean:
		return fmt.Sprintf("%t", a.Value(i))
	case *array.String:
		return fmt.Sprintf("%q", a.Value(i))
	case *array.Binary:
		return fmt.Sprintf("x%x", a.Value(i))
	}
	return "?" + col.DataType().String()
}

func renderSchema(s *arrow.Schema) string {
	parts := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		parts[i] = f.Name + ":" + f.Type.String()
	}
	return strings.Join(parts, ", ")
}

// renderErr renders an error by code and position only (tests assert codes
// and positions, never message text).
func renderErr(err error, base string) string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return "non-errs error: " + err.Error()
	}
	pos := ""
	if e.Pos.IsValid() {
		pos = fmt.Sprintf(" at %s:%d", filepath.Base(e.Pos.File), e.Pos.Line)
		if filepath.Base(e.Pos.File) != base {
			pos += " (unexpected file)"
		}
	}
	return fmt.Sprintf("error %s%s", e.Code, pos)
}

// golden renders what opening and scanning a file gives and compares it to
// testdata/<dir>/<file>.golden (rewritten with -update).
func golden(t *testing.T, path string, open func(string) (Source, error)) {
	t.Helper()
	var out strings.Builder
	src, err := open(path)
	if err != nil {
		out.WriteString("open: " + renderErr(err, filepath.Base(path)) + "\n")
	} else {
		fmt.Fprintf(&out, "schema: %s\nrowcount: %d\n", renderSchema(src.Schema()), src.RowCount())
		res, err := scan(t, src)
		for _, r := range res.rows {
			out.WriteString(r + "\n")
		}
		if err != nil {
			out.WriteString("scan: " + renderErr(err, filepath.Base(path)) + "\n")
		}
	}
	gpath := path + ".golden"
	if *update {
		if err := os.WriteFile(gpath, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(gpath)
	if err != nil {
		t.Fatalf("%v (run go test ./catalog -run %s -update to create it)", err, t.Name())
	}
	if got := out.String(); got != string(want) {
		t.Errorf("%s: got\n%s\nwant\n%s", path, got, want)
	}
}

func TestOpenDispatch(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.txt", "b.xlsx"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path     string
		wantRows int64 // when no error
		wantCode errs.Code
		wantCols string
	}{
		{path: "testdata/csv/types.csv", wantRows: 3, wantCols: "id:int64, name:utf8, score:float64, active:bool, zip:utf8, note:utf8"},
		{path: "testdata/csv/tabs.tsv", wantRows: 2, wantCols: "id:int64, phrase:utf8, n:int64"},
		{path: "testdata/jsonl/mixed.jsonl", wantRows: 3},
		{path: "testdata/parts/reviews.part01.csv", wantRows: 5, wantCols: "id:int64, review:utf8"},
		{path: "testdata/parts/reviews.part10.csv", wantRows: 5},
		{path: "testdata/parts/reviews.csv", wantRows: 5}, // missing, but parts exist
		{path: "testdata/parts/reviews.part*.csv", wantRows: 5},
		{path: "testdata/parts/reviews.part0[12].csv", wantRows: 3},
		{path: "testdata/csv/[tq]*.csv", wantCode: errs.BadFile}, // quoted.csv and types.csv: different headers
		{path: "testdata/textfolder", wantRows: 3, wantCols: "path:utf8, name:utf8, text:utf8"},
		{path: "testdata/parts/mismatch.part01.csv", wantCode: errs.BadFile},
		{path: "testdata/nope.csv", wantCode: errs.BadPath},
		{path: "testdata/nope/*.csv", wantCode: errs.BadPath},
		{path: "testdata/csv/*", wantCode: errs.BadPath}, // mixes .csv and .golden
		{path: filepath.Join(dir, "b.xlsx"), wantCode: errs.BadPath},
		{path: "", wantCode: errs.BadPath},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			src, err := Open(tc.path)
			if tc.wantCode != "" {
				if errs.CodeOf(err) != tc.wantCode {
					t.Fatalf("got error %v, want code %s", err, tc.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantCols != "" {
				if got := renderSchema(src.Schema()); got != tc.wantCols {
					t.Errorf("schema %s, want %s", got, tc.wantCols)
				}
			}
			res := mustScan(t, src)
			if int64(len(res.rows)) != tc.wantRows {
				t.Errorf("got %d rows, want %d", len(res.rows), tc.wantRows)
			}
			if rc := src.RowCount(); rc != tc.wantRows {
				t.Errorf("RowCount %d, want %d", rc, tc.wantRows)
			}
		})
	}
}

func TestPartsOrder(t *testing.T) {
	src, err := Open("testdata/parts/reviews.part01.csv")
	if err != nil {
		t.Fatal(err)
	}
	res := mustScan(t, src)
	want := []string{`1 | "great"`, `2 | "bad"`, `3 | "fine"`, `4 | "meh"`, `5 | "superb"`}
	if strings.Join(res.rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n%s\nwant (part10 after part02)\n%s", strings.Join(res.rows, "\n"), strings.Join(want, "\n"))
	}
}

func TestTableNameFor(t *testing.T) {
	tests := []struct{ path, want string }{
		{"data/reviews.csv", "reviews"},
		{"data/amazon_multidomain.part01.csv", "amazon_multidomain"},
		{"/x/y/my-file name.v2.tsv", "my_file_name_v2"},
		{"2024_sales.parquet", "t_2024_sales"},
		{"data/logs/*.jsonl", "logs"},
		{"data/reviews_*.csv", "reviews"},
		{"images/", "images"},
		{"/tmp/photos", "photos"},
		{"Café.csv", "Caf_"},
		{"data/.csv", "_csv"},
		{"data/---.csv", "___"},
		{"noext", "noext"},
	}
	for _, tc := range tests {
		if got := TableNameFor(tc.path); got != tc.want {
			t.Errorf("TableNameFor(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// TestCancel checks that every kind of source stops between batches when
// its context is cancelled, and still releases everything.
func TestCancel(t *testing.T) {
	path := writeBigCSV(t, 3*BatchSize)
	src, err := OpenCSV(path, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	rr, err := src.Scan(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	if !rr.Next() {
		t.Fatalf("no first batch: %v", rr.Err())
	}
	cancel()
	if rr.Next() {
		t.Fatal("Next after cancel returned a batch")
	}
	if errs.CodeOf(rr.Err()) != errs.Cancelled {
		t.Fatalf("Err = %v, want code %s", rr.Err(), errs.Cancelled)
	}
	if _, err := src.Scan(ctx, mem); errs.CodeOf(err) != errs.Cancelled {
		t.Fatalf("Scan with a cancelled context: %v, want code %s", err, errs.Cancelled)
	}
}

// TestReleaseEarly stops reading after one batch and releases the reader:
// nothing may leak and the file must be closed.
func TestReleaseEarly(t *testing.T) {
	path := writeBigCSV(t, 2*BatchSize+1)
	src, err := OpenCSV(path, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rr, err := src.Scan(context.Background(), mem)
	if err != nil {
		t.Fatal(err)
	}
	if !rr.Next() {
		t.Fatal(rr.Err())
	}
	rec := rr.RecordBatch()
	rec.Retain() // a consumer keeping a batch past Release
	rr.Release()
	if rec.NumRows() != BatchSize {
		t.Errorf("first batch %d rows", rec.NumRows())
	}
	rec.Release()
}

// TestCancelAllFormats checks every kind of source: after the context is
// cancelled, Next stops with errs.Cancelled and nothing leaks.
func TestCancelAllFormats(t *testing.T) {
	dir := t.TempDir()
	pq := filepath.Join(dir, "t.parquet")
	writeParquet(t, pq, 5000, 1000)
	arrowFile := filepath.Join(dir, "t.arrow")
	writeIPC(t, arrowFile, true, 5000)
	stream := filepath.Join(dir, "t.ipc")
	writeIPC(t, stream, false, 10, 10)
	for _, path := range []string{
		"testdata/csv/types.csv", "testdata/jsonl/mixed.jsonl", "testdata/parts/reviews.part01.csv",
		"testdata/textfolder", pq, arrowFile, stream,
	} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ctx, cancel := context.WithCancel(context.Background())
			rr, err := src.Scan(ctx, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer rr.Release()
			if !rr.Next() {
				t.Fatalf("no first batch: %v", rr.Err())
			}
			cancel()
			if rr.Next() {
				t.Fatal("Next after cancel returned a batch")
			}
			if errs.CodeOf(rr.Err()) != errs.Cancelled {
				t.Fatalf("Err = %v, want code %s", rr.Err(), errs.Cancelled)
			}
		})
	}
}
