package catalog

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

// typedSchema has one column of each kind of Arrow type the converters
// handle; typedEngineSchema is what the engine sees.
var typedSchema = arrow.NewSchema([]arrow.Field{
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
	{Name: "u64", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
	{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "dec", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "ls", Type: arrow.BinaryTypes.LargeString, Nullable: true},
	{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
	{Name: "fsb", Type: &arrow.FixedSizeBinaryType{ByteWidth: 2}, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "+02:00"}, Nullable: true},
	{Name: "tsn", Type: &arrow.TimestampType{Unit: arrow.Second}, Nullable: true},
	{Name: "dict", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}, Nullable: true},
	{Name: "lst", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
}, nil)

const typedEngineSchema = "i8:int64, u64:int64, i32:int64, f32:float64, dec:float64, s:utf8, ls:utf8, bin:binary, fsb:binary, " +
	"b:bool, d:utf8, ts:utf8, tsn:utf8, dict:utf8, lst:utf8"

var plus2 = time.FixedZone("+02:00", 2*3600)

// makeTyped builds rows [from, from+n) of the typed table and the rendering
// the engine-typed scan must give for each row.
func makeTyped(t testing.TB, mem memory.Allocator, from, n int) (arrow.RecordBatch, []string) {
	t.Helper()
	b := array.NewRecordBuilder(mem, typedSchema)
	defer b.Release()
	colors := []string{"red", "green", "blue"}
	var want []string
	for i := from; i < from+n; i++ {
		b.Field(0).(*array.Int8Builder).Append(int8(i%100 - 50))
		b.Field(1).(*array.Uint64Builder).Append(uint64(i) * 3)
		if i%7 == 0 {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.Int32Builder).Append(int32(i))
		}
		b.Field(3).(*array.Float32Builder).Append(float32(i) + 0.5)
		b.Field(4).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i)*100 + 25))
		b.Field(5).(*array.StringBuilder).Append(fmt.Sprintf("s%d", i))
		b.Field(6).(*array.LargeStringBuilder).Append(fmt.Sprintf("ü%d", i))
		b.Field(7).(*array.BinaryBuilder).Append([]byte{byte(i), byte(i >> 8)})
		b.Field(8).(*array.FixedSizeBinaryBuilder).Append([]byte{byte(i >> 8), byte(i)})
		b.Field(9).(*array.BooleanBuilder).Append(i%2 == 0)
		b.Field(10).(*array.Date32Builder).Append(arrow.Date32(i % 1000))
		b.Field(11).(*array.TimestampBuilder).Append(arrow.Timestamp(1700000000000 + int64(i)))
		b.Field(12).(*array.TimestampBuilder).Append(arrow.Timestamp(1700000000 + int64(i)))
		if err := b.Field(13).(*array.BinaryDictionaryBuilder).AppendString(colors[i%3]); err != nil {
			t.Fatal(err)
		}
		lb := b.Field(14).(*array.ListBuilder)
		lb.Append(true)
		lb.ValueBuilder().(*array.Int32Builder).AppendValues([]int32{int32(i), int32(i + 1)}, nil)

		i32 := "NULL"
		if i%7 != 0 {
			i32 = fmt.Sprint(i)
		}
		want = append(want, strings.Join([]string{
			fmt.Sprint(i%100 - 50),
			fmt.Sprint(i * 3),
			i32,
			fmt.Sprintf("%gf", float64(i)+0.5),
			fmt.Sprintf("%gf", float64(i)+0.25),
			fmt.Sprintf("%q", fmt.Sprintf("s%d", i)),
			fmt.Sprintf("%q", fmt.Sprintf("ü%d", i)),
			fmt.Sprintf("x%02x%02x", byte(i), byte(i>>8)),
			fmt.Sprintf("x%02x%02x", byte(i>>8), byte(i)),
			fmt.Sprint(i%2 == 0),
			fmt.Sprintf("%q", time.Unix(int64(i%1000)*86400, 0).UTC().Format("2006-01-02")),
			fmt.Sprintf("%q", time.UnixMilli(1700000000000+int64(i)).In(plus2).Format(time.RFC3339Nano)),
			fmt.Sprintf("%q", time.Unix(1700000000+int64(i), 0).UTC().Format("2006-01-02T15:04:05")),
			fmt.Sprintf("%q", colors[i%3]),
			fmt.Sprintf("%q", fmt.Sprintf("[%d,%d]", i, i+1)),
		}, " | "))
	}
	return b.NewRecordBatch(), want
}

// writeIPC writes batches of the given sizes of the typed table to path in
// the IPC file or stream format; it returns the expected rows.
func writeIPC(t *testing.T, path string, fileFormat bool, sizes ...int) []string {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type writer interface {
		Write(arrow.RecordBatch) error
		Close() error
	}
	var w writer
	if fileFormat {
		fw, err := ipc.NewFileWriter(f, ipc.WithSchema(typedSchema), ipc.WithAllocator(mem))
		if err != nil {
			t.Fatal(err)
		}
		w = fw
	} else {
		w = ipc.NewWriter(f, ipc.WithSchema(typedSchema), ipc.WithAllocator(mem))
	}
	var want []string
	from := 0
	for _, n := range sizes {
		rec, rows := makeTyped(t, mem, from, n)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
		want = append(want, rows...)
		from += n
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return want
}

func TestIPC(t *testing.T) {
	tests := []struct {
		name        string
		fileFormat  bool
		sizes       []int
		wantBatches string
	}{
		{"one_big_batch.arrow", true, []int{10000}, "[4096 4096 1808]"},
		// Batches start at multiples of 3 so that every batch has the same
		// dictionary (the IPC file format allows no dictionary replacement).
		{"several.feather", true, []int{4998, 102, 4900}, "[4096 902 102 4096 804]"},
		{"stream.ipc", false, []int{5000, 100, 4900}, "[4096 904 100 4096 804]"},
		{"small_stream.arrows", false, []int{3}, "[3]"},
		{"empty.arrow", true, nil, "[]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			want := writeIPC(t, path, tc.fileFormat, tc.sizes...)
			src, err := OpenIPC(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := renderSchema(src.Schema()); got != typedEngineSchema {
				t.Fatalf("schema\n%s\nwant\n%s", got, typedEngineSchema)
			}
			for pass := 0; pass < 2; pass++ {
				res := mustScan(t, src)
				if got := fmt.Sprint(res.batches); got != tc.wantBatches {
					t.Errorf("batches %s, want %s", got, tc.wantBatches)
				}
				compareRows(t, res.rows, want)
			}
		})
	}
}

func compareRows(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

func TestIPCErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.arrow")
	os.WriteFile(garbage, []byte("this is not arrow at all"), 0o644)
	feather1 := filepath.Join(dir, "old.feather")
	os.WriteFile(feather1, []byte("FEA1xxxxxxxx"), 0o644)
	for _, tc := range []struct {
		path string
		want errs.Code
	}{
		{garbage, errs.BadFile},
		{feather1, errs.BadFile},
		{filepath.Join(dir, "missing.arrow"), errs.BadPath},
		{dir, errs.BadPath},
	} {
		if _, err := OpenIPC(tc.path); errs.CodeOf(err) != tc.want {
			t.Errorf("%s: %v, want code %s", tc.path, err, tc.want)
		}
	}

	// A uint64 beyond the Int64 range fails the scan instead of wrapping.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{{Name: "u", Type: arrow.PrimitiveTypes.Uint64}}, nil)
	b := array.NewUint64Builder(mem)
	b.AppendValues([]uint64{1, math.MaxUint64}, nil)
	arr := b.NewArray()
	b.Release()
	rec := array.NewRecordBatch(sc, []arrow.Array{arr}, 2)
	arr.Release()
	path := filepath.Join(dir, "u.arrow")
	f, _ := os.Create(path)
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(sc), ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	w.Close()
	f.Close()
	src, err := OpenIPC(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scan(t, src); errs.CodeOf(err) != errs.BadFile {
		t.Errorf("uint64 overflow: %v, want code %s", err, errs.BadFile)
	}
}
