package catalog

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/uqe-dev/uqe/errs"
)

// writeParquet writes n rows of the typed table to path in row groups of
// rowGroup rows and returns the expected rows.
func writeParquet(t *testing.T, path string, n, rowGroup int) []string {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(int64(rowGroup)), parquet.WithAllocator(mem))
	w, err := pqarrow.NewFileWriter(typedSchema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)))
	if err != nil {
		t.Fatal(err)
	}
	rec, want := makeTyped(t, mem, 0, n)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil { // closes f too
		t.Fatal(err)
	}
	return want
}

func TestParquet(t *testing.T) {
	tests := []struct {
		n, rowGroup int
		wantBatches string // batches span row groups
	}{
		{10000, 3000, "[4096 4096 1808]"},
		{5, 2, "[5]"},
		{9000, 9000, "[4096 4096 808]"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d_rows_groups_of_%d", tc.n, tc.rowGroup), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.parquet")
			want := writeParquet(t, path, tc.n, tc.rowGroup)
			src, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := renderSchema(src.Schema()); got != typedEngineSchema {
				t.Fatalf("schema\n%s\nwant\n%s", got, typedEngineSchema)
			}
			if src.RowCount() != int64(tc.n) {
				t.Errorf("RowCount %d, want %d", src.RowCount(), tc.n)
			}
			for pass := 0; pass < 2; pass++ {
				res := mustScan(t, src)
				compareRows(t, res.rows, want)
				if got := fmt.Sprint(res.batches); got != tc.wantBatches {
					t.Errorf("batches %s, want %s", got, tc.wantBatches)
				}
			}
		})
	}
}

func TestParquetGlob(t *testing.T) {
	dir := t.TempDir()
	w1 := writeParquet(t, filepath.Join(dir, "t.part1.parquet"), 10, 4)
	writeParquet(t, filepath.Join(dir, "t.part2.parquet"), 10, 4)
	src, err := Open(filepath.Join(dir, "t.part1.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if src.RowCount() != 20 {
		t.Errorf("RowCount %d, want 20", src.RowCount())
	}
	res := mustScan(t, src)
	compareRows(t, res.rows, append(append([]string{}, w1...), w1...))
}

func TestParquetErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.parquet")
	os.WriteFile(bad, []byte("PAR1 but not really a parquet file"), 0o644)
	for _, tc := range []struct {
		path string
		want errs.Code
	}{
		{bad, errs.BadFile},
		{filepath.Join(dir, "missing.parquet"), errs.BadPath},
		{dir, errs.BadPath},
	} {
		if _, err := OpenParquet(tc.path); errs.CodeOf(err) != tc.want {
			t.Errorf("%s: %v, want code %s", tc.path, err, tc.want)
		}
	}
}
