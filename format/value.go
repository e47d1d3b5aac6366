package format

import (
	"encoding/base64"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// FormatValue renders cell i of arr as text, the way the uqe CLI shows values
// in every mode except json and jsonl, and reports whether the cell is NULL
// (the text is then "" and the caller substitutes its NULL text).
//
//   - integers: plain decimal (-12, 0, 42);
//   - floats: as SQLite prints a REAL (printf "%!.15g"): 15 significant
//     digits, trailing zeros dropped but always a fractional part (1.0, 2.5,
//     0.666666666666667); exponent form when the decimal exponent is below
//     -4 or at least 15, with a signed exponent of at least two digits
//     (1.0e+20, 1.0e-05); -0.0 prints as 0.0; infinities as Inf and -Inf;
//     NaN as NaN;
//   - text: as is (grid modes escape control characters afterwards);
//   - blobs: X'..' with upper-case hex digits, as SQLite's quote() writes them;
//   - booleans: 1 and 0, as SQLite has them;
//   - the Null type: always NULL.
//
// Other Arrow types fall back to the array's own ValueStr.
func FormatValue(arr arrow.Array, i int) (string, bool) {
	if arr.DataType().ID() == arrow.NULL || arr.IsNull(i) {
		return "", true
	}
	switch a := arr.(type) {
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10), false
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10), false
	case *array.Int16:
		return strconv.FormatInt(int64(a.Value(i)), 10), false
	case *array.Int8:
		return strconv.FormatInt(int64(a.Value(i)), 10), false
	case *array.Uint64:
		return strconv.FormatUint(a.Value(i), 10), false
	case *array.Uint32:
		return strconv.FormatUint(uint64(a.Value(i)), 10), false
	case *array.Uint16:
		return strconv.FormatUint(uint64(a.Value(i)), 10), false
	case *array.Uint8:
		return strconv.FormatUint(uint64(a.Value(i)), 10), false
	case *array.Float64:
		return sqliteFloat(a.Value(i)), false
	case *array.Float32:
		return sqliteFloat(float64(a.Value(i))), false
	case *array.String:
		return a.Value(i), false
	case *array.LargeString:
		return a.Value(i), false
	case *array.StringView:
		return a.Value(i), false
	case *array.Binary:
		return blobLiteral(a.Value(i)), false
	case *array.LargeBinary:
		return blobLiteral(a.Value(i)), false
	case *array.BinaryView:
		return blobLiteral(a.Value(i)), false
	case *array.FixedSizeBinary:
		return blobLiteral(a.Value(i)), false
	case *array.Boolean:
		if a.Value(i) {
			return "1", false
		}
		return "0", false
	}
	return arr.ValueStr(i), false
}

func blobLiteral(b []byte) string {
	return "X'" + strings.ToUpper(hex.EncodeToString(b)) + "'"
}

// sqliteFloat renders f as SQLite's "%!.15g" does.
func sqliteFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	digits, exp := roundHalfUp15(math.Abs(f))
	return layoutDigits(digits, exp, f < 0)
}

// roundHalfUp15 returns the 15 significant digits of f > 0 (trailing zeros
// included) and its decimal exponent, rounding half away from zero on the
// exact binary value, as SQLite 3.43 and later do (older SQLite used long
// double arithmetic and could differ in the last digit on exact ties).
func roundHalfUp15(f float64) (string, int) {
	if f == 0 {
		return "0", 0
	}
	// 31 correctly rounded significant digits: enough that the rounding
	// decision below sees the exact value for every practical input.
	mant, exps, _ := strings.Cut(strconv.FormatFloat(f, 'e', 30, 64), "e")
	exp, _ := strconv.Atoi(exps)
	d := []byte(strings.Replace(mant, ".", "", 1))
	up := d[15] >= '5'
	d = d[:15]
	if up {
		j := 14
		for ; j >= 0; j-- {
			if d[j] < '9' {
				d[j]++
				break
			}
			d[j] = '0'
		}
		if j < 0 { // 999... rounded up to 1000...
			d = append([]byte{'1'}, d[:14]...)
			exp++
		}
	}
	return string(d), exp
}

// jsonFloat renders a finite f as a JSON number with the shortest digits
// that read back as the same float64 (bits 32 for float32 values), laid out
// like sqliteFloat (1.0, 2.5, 1.0e+20).
func jsonFloat(f float64, bits int) string {
	if bits == 32 {
		// The shortest digits of the float32, then laid out as usual.
		g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 32), 64)
		f = g
	}
	return layoutFloat(f, math.Signbit(f))
}

// layoutFloat writes f with the shortest digits that round-trip, in
// layoutDigits' layout.
func layoutFloat(f float64, neg bool) string {
	mant, exps, _ := strings.Cut(strconv.FormatFloat(math.Abs(f), 'e', -1, 64), "e")
	exp, _ := strconv.Atoi(exps)
	return layoutDigits(strings.Replace(mant, ".", "", 1), exp, neg)
}

// layoutDigits lays out the number 0.digits × 10^(exp+1) in %!g style:
// trailing zeros removed, a fractional part always present, exponent form
// (at least two exponent digits) when exp < -4 or exp >= 15.
func layoutDigits(digits string, exp int, neg bool) string {
	digits = strings.TrimRight(digits, "0")
	if digits == "" {
		digits = "0"
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if exp < -4 || exp >= 15 {
		b.WriteByte(digits[0])
		b.WriteByte('.')
		if len(digits) > 1 {
			b.WriteString(digits[1:])
		} else {
			b.WriteByte('0')
		}
		b.WriteByte('e')
		if exp < 0 {
			b.WriteByte('-')
			exp = -exp
		} else {
			b.WriteByte('+')
		}
		if exp < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(exp))
		return b.String()
	}
	if exp < 0 {
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -exp-1))
		b.WriteString(digits)
		return b.String()
	}
	if len(digits) <= exp+1 {
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", exp+1-len(digits)))
		b.WriteString(".0")
		return b.String()
	}
	b.WriteString(digits[:exp+1])
	b.WriteByte('.')
	b.WriteString(digits[exp+1:])
	return b.String()
}

// appendJSONValue appends cell i of arr as a JSON value: numbers as JSON
// numbers (NaN and infinities, which JSON cannot hold, as null), text as a
// string, blobs as a base64 string (standard alphabet, padded), booleans as
// true/false, NULL as null. Other types become the string FormatValue gives.
func appendJSONValue(b []byte, arr arrow.Array, i int) []byte {
	if arr.DataType().ID() == arrow.NULL || arr.IsNull(i) {
		return append(b, "null"...)
	}
	switch a := arr.(type) {
	case *array.Float64:
		f := a.Value(i)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return append(b, "null"...)
		}
		return append(b, jsonFloat(f, 64)...)
	case *array.Float32:
		f := float64(a.Value(i))
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return append(b, "null"...)
		}
		return append(b, jsonFloat(f, 32)...)
	case *array.Int64, *array.Int32, *array.Int16, *array.Int8,
		*array.Uint64, *array.Uint32, *array.Uint16, *array.Uint8:
		s, _ := FormatValue(arr, i)
		return append(b, s...)
	case *array.Boolean:
		if a.Value(i) {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case *array.Binary:
		return appendJSONString(b, base64.StdEncoding.EncodeToString(a.Value(i)))
	case *array.LargeBinary:
		return appendJSONString(b, base64.StdEncoding.EncodeToString(a.Value(i)))
	case *array.BinaryView:
		return appendJSONString(b, base64.StdEncoding.EncodeToString(a.Value(i)))
	case *array.FixedSizeBinary:
		return appendJSONString(b, base64.StdEncoding.EncodeToString(a.Value(i)))
	}
	s, _ := FormatValue(arr, i)
	return appendJSONString(b, s)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string: quote, backslash and control
// characters escaped (\n, \r, \t, \b, \f or \u00XX), U+2028 and U+2029
// escaped (for JavaScript), invalid UTF-8 replaced by U+FFFD. HTML
// characters are not escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				b = append(b, '\\', '"')
			case c == '\\':
				b = append(b, '\\', '\\')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028':
			b = append(b, `\u2028`...)
		case r == '\u2029':
			b = append(b, `\u2029`...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// AlignKey is the field metadata key that asks grids to right-align a
// text column (value "right"): numbers shown as text, e.g. an estimate
// with its interval, "1418 ± 305".
const AlignKey = "uqe.align"

// isNumeric reports whether a column of type t is right-aligned in grids.
func isNumeric(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256,
		arrow.BOOL:
		return true
	}
	return false
}
