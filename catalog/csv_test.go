package catalog

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

// TestCSVGolden opens and scans every fixture under testdata/csv and
// compares schema, row count, rows or error (code and position) with the
// fixture's .golden file.
func TestCSVGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/csv/*.[ct]sv")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			golden(t, f, func(p string) (Source, error) { return OpenCSV(p, CSVOptions{}) })
		})
	}
}

func TestCSVErrorPositions(t *testing.T) {
	tests := []struct {
		content  string
		opts     CSVOptions
		openErr  bool // the error comes from OpenCSV (first pass), else from the scan
		wantLine int
		wantCol  int
	}{
		{content: "a,b,c,d\n1,2,3,4\n5,6,7\n", openErr: true, wantLine: 3, wantCol: 1},
		{content: "a,b\n1,2,3\n", openErr: true, wantLine: 2, wantCol: 1},
		{content: "a,b\n1,x\"y\n", openErr: true, wantLine: 2, wantCol: 4},
		{content: "a,b\n1,\"x\ny\"z\n", openErr: true, wantLine: 3, wantCol: 2},
		{content: "", openErr: true, wantLine: 1, wantCol: 1},
		{content: "a,b\n\"multi\nline\",1\nx,2,3\n", openErr: true, wantLine: 4, wantCol: 1},
		// A type violation after the inference prefix: error at scan time
		// with the line and column of the value.
		{content: "n,s\n1,a\n2,b\n3,c\nabc,d\n", opts: CSVOptions{InferRows: 2}, wantLine: 5, wantCol: 1},
		{content: "s,n\na,1\nb,2\nc,3\nd,x\n", opts: CSVOptions{InferRows: 3}, wantLine: 5, wantCol: 3},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.csv")
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			src, err := OpenCSV(path, tc.opts)
			if !tc.openErr {
				if err != nil {
					t.Fatalf("open: %v", err)
				}
				_, err = scan(t, src)
			}
			e, ok := err.(*errs.Error)
			if !ok {
				t.Fatalf("got %v (%T), want *errs.Error", err, err)
			}
			if e.Code != errs.BadFile || e.Pos.File != path || e.Pos.Line != tc.wantLine || e.Pos.Col != tc.wantCol {
				t.Fatalf("got %s at %s:%d:%d, want %s at %s:%d:%d (%v)", e.Code, e.Pos.File, e.Pos.Line, e.Pos.Col,
					errs.BadFile, path, tc.wantLine, tc.wantCol, e)
			}
		})
	}
}

func TestCSVInference(t *testing.T) {
	tests := []struct {
		values []string
		want   colType
	}{
		{[]string{"1", "-2", "+3", ""}, typeInt},
		{[]string{"1", "2.5"}, typeFloat},
		{[]string{"1e3", ".5", "-0.25", "0", "0.0"}, typeFloat},
		{[]string{" 7 ", "8"}, typeInt},
		{[]string{"true", "FALSE", "True", ""}, typeBool},
		{[]string{"1", "true"}, typeString},
		{[]string{"yes", "no"}, typeString},
		{[]string{"007", "8"}, typeString},
		{[]string{"00.5"}, typeString},
		{[]string{"NaN"}, typeString},
		{[]string{"Inf", "1"}, typeString},
		{[]string{"0x10"}, typeString},
		{[]string{"1_000"}, typeString},
		{[]string{"1e"}, typeString},
		{[]string{"."}, typeString},
		{[]string{"-"}, typeString},
		{[]string{"9223372036854775807"}, typeInt},
		{[]string{"9223372036854775808"}, typeFloat},
		{[]string{"1e400"}, typeString},
		{[]string{"", " "}, typeString},
		{nil, typeString},
	}
	for _, tc := range tests {
		var in inference
		for _, v := range tc.values {
			in.add(v)
		}
		if got := in.result(); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.values, got.arrow(), tc.want.arrow())
		}
	}
}

func TestCSVOptions(t *testing.T) {
	dir := t.TempDir()
	semi := filepath.Join(dir, "semi.txt")
	if err := os.WriteFile(semi, []byte("1;a,b\n2;c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := OpenCSV(semi, CSVOptions{Delimiter: ';', NoHeader: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := renderSchema(src.Schema()), "column1:int64, column2:utf8"; got != want {
		t.Errorf("schema %s, want %s", got, want)
	}
	res := mustScan(t, src)
	if got, want := strings.Join(res.rows, "\n"), "1 | \"a,b\"\n2 | \"c\""; got != want {
		t.Errorf("rows\n%s\nwant\n%s", got, want)
	}
	if _, err := OpenCSV(semi, CSVOptions{Delimiter: '"'}); errs.CodeOf(err) != errs.Usage {
		t.Errorf("delimiter '\"': %v, want %s", err, errs.Usage)
	}
	if _, err := OpenCSV(dir, CSVOptions{}); errs.CodeOf(err) != errs.BadPath {
		t.Errorf("directory: %v, want %s", err, errs.BadPath)
	}
}

// writeBigCSV writes n rows (id, text, x) into a temp file.
func writeBigCSV(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,text,x")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(w, "%d,\"row %d, which says \"\"hello\"\" to the world\",%d.5\n", i, i, i%100)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCSVManyBatches(t *testing.T) {
	const n = 10000
	src, err := OpenCSV(writeBigCSV(t, n), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := renderSchema(src.Schema()), "id:int64, text:utf8, x:float64"; got != want {
		t.Fatalf("schema %s, want %s", got, want)
	}
	if src.RowCount() != n {
		t.Errorf("RowCount %d, want %d", src.RowCount(), n)
	}
	for pass := 0; pass < 2; pass++ { // scans are repeatable
		res := mustScan(t, src)
		if fmt.Sprint(res.batches) != "[4096 4096 1808]" {
			t.Errorf("pass %d: batches %v", pass, res.batches)
		}
		if len(res.rows) != n {
			t.Fatalf("pass %d: %d rows", pass, len(res.rows))
		}
		if got, want := res.rows[n-1], `10000 | "row 10000, which says \"hello\" to the world" | 0.5f`; got != want {
			t.Errorf("last row %s, want %s", got, want)
		}
	}
	// With a small inference prefix the count is unknown but rows are the same.
	src2, err := OpenCSV(src.(*csvSource).files[0], CSVOptions{InferRows: 10})
	if err != nil {
		t.Fatal(err)
	}
	if src2.RowCount() != -1 {
		t.Errorf("RowCount with InferRows: %d, want -1", src2.RowCount())
	}
	if res := mustScan(t, src2); len(res.rows) != n {
		t.Errorf("InferRows scan: %d rows", len(res.rows))
	}
}

func TestCSVParts(t *testing.T) {
	_, err := OpenCSV("testdata/parts/mismatch.part*.csv", CSVOptions{})
	e, ok := err.(*errs.Error)
	if !ok || e.Code != errs.BadFile || filepath.Base(e.Pos.File) != "mismatch.part02.csv" || e.Pos.Line != 1 {
		t.Fatalf("got %v, want %s at mismatch.part02.csv:1", err, errs.BadFile)
	}
	src, err := OpenCSV("testdata/parts/reviews.part*.csv", CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res := mustScan(t, src); len(res.rows) != 5 {
		t.Errorf("%d rows, want 5", len(res.rows))
	}
}

func BenchmarkScanCSV(b *testing.B) {
	path := writeBigCSV(b, 100000)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	src, err := OpenCSV(path, CSVOptions{})
	if err != nil {
		b.Fatal(err)
	}
	mem := memory.NewGoAllocator()
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rr, err := src.Scan(context.Background(), mem)
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for rr.Next() {
			rows += int(rr.RecordBatch().NumRows())
		}
		if err := rr.Err(); err != nil {
			b.Fatal(err)
		}
		rr.Release()
		if rows != 100000 {
			b.Fatalf("%d rows", rows)
		}
	}
}

// TestDemoDatasets opens the real datasets kept in the repository for the
// README demo: the text tables and their separate label files.
func TestDemoDatasets(t *testing.T) {
	tests := []struct {
		path, schema string
		rows         int64
	}{
		{"../testdata/datasets/sms_spam/sms.csv", "id:int64, text:utf8", 5574},
		{"../testdata/datasets/sms_spam/sms_labels.csv", "id:int64, label:utf8", 5574},
		{"../testdata/datasets/banking77/banking.csv", "id:int64, text:utf8", 13083},
		{"../testdata/datasets/banking77/banking_labels.csv", "id:int64, intent:utf8, split:utf8", 13083},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			src, err := Open(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := renderSchema(src.Schema()); got != tc.schema {
				t.Errorf("schema %s, want %s", got, tc.schema)
			}
			res := mustScan(t, src)
			if int64(len(res.rows)) != tc.rows || src.RowCount() != tc.rows {
				t.Errorf("%d rows, RowCount %d, want %d", len(res.rows), src.RowCount(), tc.rows)
			}
		})
	}
}
