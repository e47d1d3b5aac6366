package format

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

// pointOne is a variable so that pointOne+0.2 is computed in float64
// (0.30000000000000004), not as an exact constant.
var pointOne = 0.1

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// result is a result set to render: a schema, its batches and options.
type result struct {
	name    string
	schema  *arrow.Schema
	batches []arrow.RecordBatch
	opts    Options
}

func (r *result) release() {
	for _, b := range r.batches {
		b.Release()
	}
}

// col describes one column of a fixture: its field and its values, one per
// row; nil is NULL.
type col struct {
	name string
	typ  arrow.DataType
	vals []any
}

// build makes batches of the columns, split after the rows listed in cuts.
func build(t *testing.T, mem memory.Allocator, cols []col, cuts ...int) (*arrow.Schema, []arrow.RecordBatch) {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	nrows := 0
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: true}
		nrows = len(c.vals)
	}
	schema := arrow.NewSchema(fields, nil)
	bounds := append(append([]int{0}, cuts...), nrows)
	var out []arrow.RecordBatch
	for k := 0; k+1 < len(bounds); k++ {
		rb := array.NewRecordBuilder(mem, schema)
		for i, c := range cols {
			for _, v := range c.vals[bounds[k]:bounds[k+1]] {
				appendValue(t, rb.Field(i), v)
			}
		}
		out = append(out, rb.NewRecordBatch())
		rb.Release()
	}
	return schema, out
}

func appendValue(t *testing.T, b array.Builder, v any) {
	t.Helper()
	if v == nil {
		b.AppendNull()
		return
	}
	switch b := b.(type) {
	case *array.Int64Builder:
		b.Append(v.(int64))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.BinaryBuilder:
		b.Append(v.([]byte))
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	default:
		t.Fatalf("fixture: no appender for %T", b)
	}
}

func nulls(n int) []any { return make([]any, n) }

// fixtures returns the result sets every mode is tested on.
func fixtures(t *testing.T, mem memory.Allocator) []*result {
	var rs []*result
	add := func(name string, opts Options, cols []col, cuts ...int) {
		s, b := build(t, mem, cols, cuts...)
		rs = append(rs, &result{name: name, schema: s, batches: b, opts: opts})
	}
	typed := []col{
		{"id", arrow.PrimitiveTypes.Int64, []any{int64(1), int64(-42), int64(9007199254740993), nil, int64(0), int64(7), int64(8)}},
		{"x", arrow.PrimitiveTypes.Float64, []any{1.0, 2.5, -0.125, 1e20, 123456789.123, nil, pointOne + 0.2}},
		{"label", arrow.BinaryTypes.String, []any{"héllo wörld", "a,b", `say "hi"`, "line1\nline2", "tab\there", nil, "中文 🎉 ok"}},
		{"blob", arrow.BinaryTypes.Binary, []any{[]byte{0x00, 0xff, 0x10}, nil, []byte{}, []byte("uqe"), nil, nil, []byte{0xca, 0xfe}}},
		{"ok", arrow.FixedWidthTypes.Boolean, []any{true, false, nil, true, false, nil, true}},
		{"nothing", arrow.Null, nulls(7)},
	}
	// Two batches (and an empty one in between) to exercise streaming.
	add("fixture", Options{}, typed, 3, 3)
	empty := make([]col, len(typed))
	for i, c := range typed {
		empty[i] = col{c.name, c.typ, nil}
	}
	add("empty", Options{}, empty)
	add("no-columns", Options{}, nil)
	add("duplicate-names-annotated", Options{Annotate: func(c, r int) string {
		if c == 0 && r == 1 {
			return " ± 120"
		}
		return ""
	}}, []col{
		{"a", arrow.PrimitiveTypes.Int64, []any{int64(4231), int64(17)}},
		{"a", arrow.BinaryTypes.String, []any{"x", "y"}},
	}, 1)
	add("wide-unicode", Options{}, []col{
		{"名前", arrow.BinaryTypes.String, []any{"東京", "ab", "😀😀", "e\u0301t\u00e9"}},
		{"n", arrow.PrimitiveTypes.Int64, []any{int64(1), int64(22), int64(333), int64(4444)}},
	})
	// The buffer holds 2 rows: the first chunk sets the widths, the second
	// needs a wider v (a new grid, header repeated), the third fits.
	// Cells wider than MaxWidth are cut.
	add("chunks-and-truncation", Options{BufferRows: 2, MaxWidth: 12, NullText: "∅"}, []col{
		{"s", arrow.BinaryTypes.String, []any{"short", "a rather long value", "mid", nil, "y"}},
		{"v", arrow.PrimitiveTypes.Float64, []any{1.5, nil, 1e-7, 12345.0, 2.0}},
	}, 3)
	return rs
}

func render(t *testing.T, mode string, r *result) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(mode, &buf, r.opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Begin(r.schema); err != nil {
		t.Fatal(err)
	}
	for _, b := range r.batches {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestGolden(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rs := fixtures(t, mem)
	defer func() {
		for _, r := range rs {
			r.release()
		}
	}()
	for _, mode := range Modes() {
		t.Run(mode, func(t *testing.T) {
			var got strings.Builder
			for _, r := range rs {
				fmt.Fprintf(&got, "==== %s\n%s", r.name, render(t, mode, r))
			}
			path := filepath.Join("testdata", mode+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if got.String() != string(want) {
				t.Errorf("%s differs from the golden file; got:\n%s", path, got.String())
			}
		})
	}
}

// TestGridAlignment checks that every line of a box or table rendering has
// the same display width, whatever the cells hold.
func TestGridAlignment(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rs := fixtures(t, mem)
	defer func() {
		for _, r := range rs {
			r.release()
		}
	}()
	for _, mode := range []string{"box", "table"} {
		for _, r := range rs {
			out := render(t, mode, r)
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(r.schema.Fields()) == 0 {
				if out != "" {
					t.Errorf("%s/%s: zero columns printed %q", mode, r.name, out)
				}
				continue
			}
			// Each grid (a box opens with "┌"; a table grid opens with a
			// rule followed by a header line) has lines of one width.
			first := lines[0]
			for i, l := range lines {
				if strings.HasPrefix(l, "┌") || (mode == "table" && i > 0 && i+1 < len(lines) &&
					strings.HasPrefix(l, "+") && lines[i-1][0] == '+' && strings.HasPrefix(lines[i+1], "|")) {
					first = l
				}
				if displayWidth(l) != displayWidth(first) {
					t.Errorf("%s/%s: line %q is %d wide, its grid %d", mode, r.name, l, displayWidth(l), displayWidth(first))
				}
			}
		}
	}
}

// TestJSONParses reads json and jsonl output back and checks the values.
func TestJSONParses(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rs := fixtures(t, mem)
	defer func() {
		for _, r := range rs {
			r.release()
		}
	}()
	fix := rs[0]
	var fromArray []map[string]any
	dec := json.NewDecoder(strings.NewReader(render(t, "json", fix)))
	dec.UseNumber()
	if err := dec.Decode(&fromArray); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	var fromLines []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(render(t, "jsonl", fix), "\n"), "\n") {
		var m map[string]any
		d := json.NewDecoder(strings.NewReader(line))
		d.UseNumber()
		if err := d.Decode(&m); err != nil {
			t.Fatalf("jsonl line %q does not parse: %v", line, err)
		}
		fromLines = append(fromLines, m)
	}
	for _, rows := range [][]map[string]any{fromArray, fromLines} {
		if len(rows) != 7 {
			t.Fatalf("got %d rows, want 7", len(rows))
		}
		// Floats read back exactly, integers beyond 2^53 intact.
		wantX := []any{1.0, 2.5, -0.125, 1e20, 123456789.123, nil, pointOne + 0.2}
		for i, w := range wantX {
			got := rows[i]["x"]
			if w == nil {
				if got != nil {
					t.Errorf("row %d x = %v, want null", i, got)
				}
				continue
			}
			f, err := got.(json.Number).Float64()
			if err != nil || f != w.(float64) {
				t.Errorf("row %d x = %v, want %v", i, got, w)
			}
		}
		if got := rows[2]["id"].(json.Number).String(); got != "9007199254740993" {
			t.Errorf("id = %s", got)
		}
		if rows[0]["blob"] != "AP8Q" || rows[0]["ok"] != true || rows[1]["ok"] != false || rows[0]["nothing"] != nil {
			t.Errorf("row 0/1 = %v %v", rows[0], rows[1])
		}
		for i, want := range []string{"héllo wörld", "a,b", `say "hi"`, "line1\nline2", "tab\there"} {
			if rows[i]["label"] != want {
				t.Errorf("row %d label = %q, want %q", i, rows[i]["label"], want)
			}
		}
	}
}

// TestCSVParses reads csv and tsv output back with encoding/csv.
func TestCSVParses(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rs := fixtures(t, mem)
	defer func() {
		for _, r := range rs {
			r.release()
		}
	}()
	fix := rs[0]
	for mode, comma := range map[string]rune{"csv": ',', "tsv": '\t'} {
		rd := csv.NewReader(strings.NewReader(render(t, mode, fix)))
		rd.Comma = comma
		recs, err := rd.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if len(recs) != 8 || strings.Join(recs[0], "|") != "id|x|label|blob|ok|nothing" {
			t.Fatalf("%s: header/rows wrong: %q", mode, recs)
		}
		var want [][]string
		for _, b := range fix.batches {
			for r := 0; r < int(b.NumRows()); r++ {
				row := make([]string, b.NumCols())
				for c := range row {
					row[c], _ = FormatValue(b.Column(c), r)
				}
				want = append(want, row)
			}
		}
		for i, row := range want {
			if strings.Join(recs[i+1], "\x00") != strings.Join(row, "\x00") {
				t.Errorf("%s row %d: got %q want %q", mode, i, recs[i+1], row)
			}
		}
	}
}

func TestFormatValue(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	// Expected texts are what sqlite3 prints for the same REAL (checked
	// against sqlite3 3.40; exact ties follow 3.43+, half away from zero).
	floats := []struct {
		in   float64
		want string
	}{
		{1.0, "1.0"}, {2.5, "2.5"}, {-0.125, "-0.125"}, {1e20, "1.0e+20"},
		{123456789.123, "123456789.123"}, {pointOne + 0.2, "0.3"}, {1e15, "1.0e+15"},
		{1e14, "100000000000000.0"}, {1e-5, "1.0e-05"}, {0.0001, "0.0001"},
		{math.Copysign(0, -1), "0.0"}, {0, "0.0"}, {math.Inf(1), "Inf"}, {math.Inf(-1), "-Inf"},
		{math.NaN(), "NaN"}, {123456789012345678.0, "1.23456789012346e+17"}, {1.5e-7, "1.5e-07"},
		{3.0e100, "3.0e+100"}, {9.999999999999999e14, "1.0e+15"}, {2.0 / 3, "0.666666666666667"},
		{-1e-300, "-1.0e-300"}, {5e-324, "4.94065645841247e-324"}, {math.MaxFloat64, "1.79769313486232e+308"},
		{4941070386785125, "4.94107038678513e+15"}, {2388913831616.375, "2388913831616.38"},
		{99999999999999.99, "100000000000000.0"}, {12345.0, "12345.0"},
	}
	fb := array.NewFloat64Builder(mem)
	for _, f := range floats {
		fb.Append(f.in)
	}
	fb.AppendNull()
	fa := fb.NewArray()
	defer fa.Release()
	fb.Release()
	for i, f := range floats {
		got, null := FormatValue(fa, i)
		if got != f.want || null {
			t.Errorf("FormatValue(%v) = %q, %v; want %q", strconv.FormatFloat(f.in, 'g', -1, 64), got, null, f.want)
		}
	}
	if _, null := FormatValue(fa, len(floats)); !null {
		t.Error("NULL float not reported NULL")
	}

	_, b := build(t, mem, []col{
		{"i", arrow.PrimitiveTypes.Int64, []any{int64(math.MinInt64), nil}},
		{"s", arrow.BinaryTypes.String, []any{"a\nb", nil}},
		{"b", arrow.BinaryTypes.Binary, []any{[]byte{0xde, 0xad, 0x01}, nil}},
		{"t", arrow.FixedWidthTypes.Boolean, []any{true, nil}},
		{"z", arrow.Null, nulls(2)},
	})
	defer b[0].Release()
	for c, want := range []string{"-9223372036854775808", "a\nb", "X'DEAD01'", "1", ""} {
		got, null := FormatValue(b[0].Column(c), 0)
		if got != want || null != (c == 4) {
			t.Errorf("column %d: got %q, %v; want %q", c, got, null, want)
		}
		if _, null := FormatValue(b[0].Column(c), 1); !null {
			t.Errorf("column %d: NULL not reported", c)
		}
	}
}

func TestJSONFloat(t *testing.T) {
	for _, c := range []struct {
		in   float64
		bits int
		want string
	}{
		{pointOne + 0.2, 64, "0.30000000000000004"}, {1, 64, "1.0"}, {1e20, 64, "1.0e+20"},
		{-0.0, 64, "0.0"}, {math.Copysign(0, -1), 64, "-0.0"}, {5e-324, 64, "5.0e-324"},
		{float64(float32(0.1)), 32, "0.1"}, {1e-5, 64, "1.0e-05"},
	} {
		got := jsonFloat(c.in, c.bits)
		if got != c.want {
			t.Errorf("jsonFloat(%v) = %q, want %q", c.in, got, c.want)
		}
		var back float64
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%q is not JSON: %v", got, err)
		}
	}
}

func TestJSONString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          `"plain"`,
		`q"b\`:           `"q\"b\\"`,
		"\n\r\t\b\f\x01": `"\n\r\t\b\f\u0001"`,
		"<&>":            `"<&>"`,
		"\u2028é😀":       `"\u2028é😀"`,
		"bad\xffbyte":    `"bad\ufffdbyte"`,
	} {
		if got := string(appendJSONString(nil, in)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestWidth(t *testing.T) {
	for _, c := range []struct {
		s string
		w int
	}{
		{"abc", 3}, {"中文", 4}, {"😀", 2}, {"e\u0301", 1}, {"ｱ", 1}, {"Ａ", 2}, {"한국", 4},
		{"👍🏽", 4}, {"", 0}, {"…", 1},
	} {
		if got := displayWidth(c.s); got != c.w {
			t.Errorf("displayWidth(%q) = %d, want %d", c.s, got, c.w)
		}
	}
	for _, c := range []struct {
		s    string
		max  int
		want string
	}{
		{"hello", 5, "hello"}, {"hello!", 5, "hell…"}, {"中文中文", 5, "中文…"}, {"中文中文", 4, "中…"},
		{"abc", -1, "abc"},
	} {
		if got := truncate(c.s, c.max); got != c.want || (c.max > 0 && displayWidth(got) > c.max) {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.s, c.max, got, c.want)
		}
	}
	if got := escapeCell("a\nb\tc\r\x00\x7f\xffé"); got != `a\nb\tc\r\x00\x7F\xFFé` {
		t.Errorf("escapeCell = %q", got)
	}
}

func TestNewUnknownMode(t *testing.T) {
	_, err := New("xml", &bytes.Buffer{}, Options{})
	if errs.CodeOf(err) != errs.Usage {
		t.Fatalf("New(xml) error = %v, want code %s", err, errs.Usage)
	}
	for _, m := range Modes() {
		if _, err := New(m, &bytes.Buffer{}, Options{}); err != nil {
			t.Errorf("New(%q): %v", m, err)
		}
		if _, err := New(strings.ToUpper(m), &bytes.Buffer{}, Options{}); err != nil {
			t.Errorf("New(%q): %v", strings.ToUpper(m), err)
		}
	}
	if len(Modes()) != 8 {
		t.Errorf("Modes() = %v", Modes())
	}
}

// TestMisuse checks that calls out of order and mismatched batches are
// reported as errors, not panics.
func TestMisuse(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	_, b := build(t, mem, []col{{"a", arrow.PrimitiveTypes.Int64, []any{int64(1)}}})
	defer b[0].Release()
	two := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64}, {Name: "b", Type: arrow.PrimitiveTypes.Int64}}, nil)
	for _, m := range Modes() {
		w, _ := New(m, &bytes.Buffer{}, Options{})
		if err := w.Write(b[0]); errs.CodeOf(err) != errs.Internal {
			t.Errorf("%s: Write before Begin: %v", m, err)
		}
		if err := w.Begin(two); err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(two); errs.CodeOf(err) != errs.Internal {
			t.Errorf("%s: second Begin: %v", m, err)
		}
		if err := w.Write(b[0]); errs.CodeOf(err) != errs.Internal {
			t.Errorf("%s: Write of a 1-column batch into 2 columns: %v", m, err)
		}
		if err := w.End(); err != nil {
			t.Errorf("%s: End: %v", m, err)
		}
		if err := w.End(); errs.CodeOf(err) != errs.Internal {
			t.Errorf("%s: second End: %v", m, err)
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestWriteErrorReported(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s, b := build(t, mem, []col{{"a", arrow.PrimitiveTypes.Int64, []any{int64(1)}}})
	defer b[0].Release()
	for _, m := range Modes() {
		w, _ := New(m, failWriter{}, Options{})
		err := w.Begin(s)
		if err == nil {
			err = w.Write(b[0])
		}
		if err == nil {
			err = w.End()
		}
		if err == nil {
			t.Errorf("%s: a failing io.Writer was not reported", m)
		}
	}
}

// TestJSONNonFinite checks that NaN and infinities, which JSON cannot hold,
// become null in json while the text modes show them as SQLite does.
func TestJSONNonFinite(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s, b := build(t, mem, []col{{"f", arrow.PrimitiveTypes.Float64, []any{math.NaN(), math.Inf(1), math.Inf(-1)}}})
	r := &result{schema: s, batches: b}
	defer r.release()
	if got, want := render(t, "jsonl", r), "{\"f\":null}\n{\"f\":null}\n{\"f\":null}\n"; got != want {
		t.Errorf("jsonl = %q, want %q", got, want)
	}
	if got, want := render(t, "csv", r), "f\nNaN\nInf\n-Inf\n"; got != want {
		t.Errorf("csv = %q, want %q", got, want)
	}
}
