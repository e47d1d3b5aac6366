package udf

import (
	"testing"

	"github.com/uqe-dev/uqe/value"
)

// Expected values are SQLite 3.40's printf() (python3 sqlite3).
var printfCases = []struct {
	format string
	args   []value.Value
	want   string
}{
	{"%5.2f|%-5d|%05d|%+d|% d", []value.Value{value.FromFloat(3.14159), value.FromInt(42), value.FromInt(42), value.FromInt(42), value.FromInt(42)}, " 3.14|42   |00042|+42| 42"},
	{"%x|%X|%#o|%#x|%,d", []value.Value{value.FromInt(255), value.FromInt(255), value.FromInt(8), value.FromInt(255), value.FromInt(-1234567)}, "ff|FF|010|0xff|-1,234,567"},
	{"%q|%Q|%Q|%w", []value.Value{value.FromText("it's"), value.FromText("a"), value.NullValue, value.FromText("x\"y")}, "it''s|'a'|NULL|x\"\"y"},
	{"%.0f %.2f %.20f %e %g %g %G", []value.Value{value.FromFloat(2.5), value.FromFloat(1.005), value.FromFloat(0.1), value.FromFloat(1234.5), value.FromFloat(0.0001), value.FromFloat(123456789.0), value.FromFloat(1e-10)}, "3 1.01 0.10000000000000000000 1.234500e+03 0.0001 1.23457e+08 1E-10"},
	{"%!.15g|%!.20e|%#g", []value.Value{value.FromFloat(0.1), value.FromFloat(1.0 / 3), value.FromFloat(1.0)}, "0.1|3.33333333333333314829e-01|1.00000"},
	{"%d|%d|%s|%s %s", []value.Value{value.FromText("12abc"), value.FromFloat(3.9), value.FromFloat(3.0), value.FromInt(1)}, "12|3|3.0|1 "},
	{"%*d|%-*d|%.*f|%.3s|%5%", []value.Value{value.FromInt(5), value.FromInt(1), value.FromInt(4), value.FromInt(2), value.FromInt(2), value.FromFloat(3.14159), value.FromText("abcdef")}, "    1|2   |3.14|abc|    %"},
	{"%r %r %.3c|%5c|", []value.Value{value.FromInt(1), value.FromInt(12), value.FromText("x"), value.FromText("xyz")}, "1st 12th xxx|    x|"},
}

func TestPrintf(t *testing.T) {
	for _, c := range printfCases {
		got, ok := Printf(c.format, c.args)
		if !ok || got != c.want {
			t.Errorf("printf(%q) = %q, %v; want %q", c.format, got, ok, c.want)
		}
	}
	// An unknown conversion ends the output; with nothing output the
	// result is NULL (ok false), as is an empty format.
	for _, f := range []string{"", "%T", "%l"} {
		if s, ok := Printf(f, []value.Value{value.FromInt(1)}); ok {
			t.Errorf("printf(%q) = %q, want NULL", f, s)
		}
	}
	if s, ok := Printf("abc%Tdef", nil); !ok || s != "abc" {
		t.Errorf("printf(abc%%Tdef) = %q, %v; want \"abc\"", s, ok)
	}
}

func TestQuote(t *testing.T) {
	for _, c := range []struct {
		v    value.Value
		want string
	}{
		{value.FromInt(-7), "-7"},
		{value.FromFloat(1), "1.0"},
		{value.FromFloat(1e100), "1.0e+100"},
		{value.FromFloat(point3), "3.00000000000000044408e-01"}, // 0.1 + 0.2 at run time
		{value.FromText("a'b"), "'a''b'"},
		{value.FromBlob([]byte{0x41, 0xff}), "X'41FF'"},
		{value.NullValue, "NULL"},
	} {
		if got := Quote(c.v); got != c.want {
			t.Errorf("quote(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

var tenth = 0.1

// point3 is 0.1 + 0.2 computed in float64 (Go folds constant arithmetic
// exactly).
var point3 = tenth + 2*tenth
