package sqllogictest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Render renders one result value for the column type letter typ ('I', 'R'
// or 'T') the way SQLite's reference runner does: the type letter, not the
// Go type of the value, decides the form, and each value is converted as
// SQLite's sqlite3_column_int64 / sqlite3_column_double /
// sqlite3_column_text would convert it.
//
//   - nil is "NULL" whatever the type letter.
//   - 'I': "%d" of the value as an int64: a float is truncated toward zero
//     (saturating at the int64 range), a string or []byte gives its leading
//     integer prefix ("12abc" → 12, "x" → 0), a bool is 1 or 0.
//   - 'R': "%.3f" of the value as a float64: an integer is converted, a
//     string gives its leading numeric prefix (non-numeric → 0.000); negative
//     zero prints as "0.000", as SQLite's printf does.
//   - 'T': the text: integers plain, floats as SQLite's "%!.15g" (1.0 → "1.0",
//     2.5 → "2.5", 1e20 → "1.0e+20"); the empty string is "(empty)"; every
//     byte outside printable ASCII (below 0x20 or above 0x7e, so also 0x7f and
//     every byte of a non-ASCII character) becomes '@'.
//
// Values are those database/sql scans into an `any`: int64, float64, string,
// []byte, bool, time.Time or nil. Other types are rendered through their
// text (fmt-free) forms where possible.
func Render(typ byte, v any) string {
	return string(appendValue(nil, typ, v))
}

// appendValue appends the rendering of v (see Render) to b.
func appendValue(b []byte, typ byte, v any) []byte {
	if v == nil {
		return append(b, "NULL"...)
	}
	switch typ {
	case 'I':
		return strconv.AppendInt(b, toInt64(v), 10)
	case 'R':
		f := toFloat64(v)
		switch {
		case f == 0:
			f = 0 // drop the sign of -0: SQLite's printf tests r<0.0
		case math.IsNaN(f):
			return append(b, "NaN"...)
		case math.IsInf(f, 1):
			return append(b, "Inf"...)
		case math.IsInf(f, -1):
			return append(b, "-Inf"...)
		}
		return appendReal3(b, f)
	default: // 'T'
		start := len(b)
		switch x := v.(type) {
		case string:
			b = append(b, x...)
		case []byte:
			b = append(b, x...)
		default:
			b = appendText(b, v)
		}
		if len(b) == start {
			return append(b, "(empty)"...)
		}
		for i := start; i < len(b); i++ {
			if b[i] < 0x20 || b[i] > 0x7e {
				b[i] = '@'
			}
		}
		return b
	}
}

// appendReal3 appends f as SQLite's printf "%.3f" does: exactly rounded to
// three decimals, except that SQLite's printf produces at most 16 significant
// digits and pads the rest with zeros, which shows for |f| >= 1e13 (e.g.
// -9223372036854775808.0 prints as "-9223372036854776000.000").
func appendReal3(b []byte, f float64) []byte {
	if math.Abs(f) < 1e13 {
		return strconv.AppendFloat(b, f, 'f', 3, 64)
	}
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', 15, 64) // d.ddddddddddddddde+XX
	ei := bytes.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(string(e[ei+1:]))
	digits := append([]byte{e[0]}, e[2:ei]...) // 16 significant digits
	digit := func(i int) byte {
		if i < len(digits) {
			return digits[i]
		}
		return '0'
	}
	for i := 0; i <= exp; i++ {
		b = append(b, digit(i))
	}
	return append(b, '.', digit(exp+1), digit(exp+2), digit(exp+3))
}

// appendText appends the SQLite text form of a non-string value.
func appendText(b []byte, v any) []byte {
	switch x := v.(type) {
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return appendSQLiteReal(b, x)
	case bool:
		if x {
			return append(b, '1')
		}
		return append(b, '0')
	case time.Time:
		return x.AppendFormat(b, "2006-01-02 15:04:05.999999999")
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case uint64:
		return strconv.AppendUint(b, x, 10)
	case float32:
		return appendSQLiteReal(b, float64(x))
	}
	if s, ok := v.(interface{ String() string }); ok {
		return append(b, s.String()...)
	}
	return append(b, "?"...)
}

// appendSQLiteReal appends f as SQLite renders a REAL as text ("%!.15g"):
// 15 significant digits, trailing zeros removed but at least one digit
// after the decimal point, exponent form ("1.0e+20") when the decimal
// exponent is below -4 or at least 15.
func appendSQLiteReal(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	case f == 0:
		return append(b, "0.0"...)
	}
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', 14, 64) // d.ddddddddddddddde±XX
	ei := bytes.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(string(e[ei+1:]))
	digits := make([]byte, 0, 15)
	digits = append(digits, e[0])
	digits = append(digits, e[2:ei]...)
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if exp < -4 || exp >= 15 {
		b = append(b, digits[0], '.')
		if len(digits) > 1 {
			b = append(b, digits[1:]...)
		} else {
			b = append(b, '0')
		}
		b = append(b, 'e')
		if exp < 0 {
			b = append(b, '-')
			exp = -exp
		} else {
			b = append(b, '+')
		}
		if exp < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(exp), 10)
	}
	if exp < 0 {
		b = append(b, "0."...)
		for i := -1; i > exp; i-- {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	// exp in [0, 14]: exp+1 integer digits.
	for i := 0; i <= exp; i++ {
		if i < len(digits) {
			b = append(b, digits[i])
		} else {
			b = append(b, '0')
		}
	}
	b = append(b, '.')
	if len(digits) > exp+1 {
		return append(b, digits[exp+1:]...)
	}
	return append(b, '0')
}

// toInt64 converts v as sqlite3_column_int64 would.
func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return floatToInt64(x)
	case string:
		return textToInt64(x)
	case []byte:
		return textToInt64(string(x))
	case bool:
		if x {
			return 1
		}
		return 0
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint64:
		if x > math.MaxInt64 {
			return math.MaxInt64
		}
		return int64(x)
	case float32:
		return floatToInt64(float64(x))
	}
	return textToInt64(string(appendText(nil, v)))
}

// toFloat64 converts v as sqlite3_column_double would.
func toFloat64(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case string:
		return textToFloat64(x)
	case []byte:
		return textToFloat64(string(x))
	case bool:
		if x {
			return 1
		}
		return 0
	case int:
		return float64(x)
	case int32:
		return float64(x)
	case uint64:
		return float64(x)
	case float32:
		return float64(x)
	}
	return textToFloat64(string(appendText(nil, v)))
}

// floatToInt64 truncates toward zero, saturating at the int64 range like
// SQLite's doubleToInt64; NaN gives 0.
func floatToInt64(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f <= math.MinInt64:
		return math.MinInt64
	case f >= math.MaxInt64:
		return math.MaxInt64
	}
	return int64(f)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// textToInt64 takes the longest integer prefix of s (after leading white
// space: an optional sign and decimal digits), saturating on overflow, 0 if
// there is none, as SQLite's sqlite3Atoi64 does.
func textToInt64(s string) int64 {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var u uint64
	overflow := false
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if u > (math.MaxUint64-d)/10 {
			overflow = true
			continue
		}
		u = u*10 + d
	}
	switch {
	case neg && (overflow || u > 1<<63):
		return math.MinInt64
	case neg:
		return -int64(u) // u == 1<<63 wraps to MinInt64, which is right
	case overflow || u > math.MaxInt64:
		return math.MaxInt64
	}
	return int64(u)
}

// textToFloat64 takes the longest numeric prefix of s (after leading white
// space: sign, digits, optional fraction, optional exponent), 0 if there is
// none, as SQLite's sqlite3AtoF does.
func textToFloat64(s string) float64 {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	start := i
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	end := i
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			end = j
		}
	}
	f, err := strconv.ParseFloat(s[start:end], 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0
	}
	return f
}

// sortValues orders rendered values in place: RowSort compares rows of
// ncol values element by element as strings (strcmp, like the reference
// runner); ValueSort sorts every value on its own; NoSort does nothing.
// With RowSort, len(vals) must be a multiple of ncol.
func sortValues(vals []string, ncol int, mode SortMode) {
	switch mode {
	case ValueSort:
		slices.Sort(vals)
	case RowSort:
		if ncol <= 1 {
			slices.Sort(vals)
			return
		}
		nrow := len(vals) / ncol
		rows := make([][]string, nrow)
		for i := range rows {
			rows[i] = vals[i*ncol : (i+1)*ncol : (i+1)*ncol]
		}
		slices.SortFunc(rows, func(a, b []string) int {
			for k := range a {
				if c := strings.Compare(a[k], b[k]); c != 0 {
					return c
				}
			}
			return 0
		})
		out := make([]string, 0, len(vals))
		for _, r := range rows {
			out = append(out, r...)
		}
		copy(vals, out)
	}
}

// HashValues returns the md5, in lower-case hex, of each value followed by
// "\n": the hash of a "N values hashing to H" line.
func HashValues(vals []string) string {
	n := 0
	for _, v := range vals {
		n += len(v) + 1
	}
	buf := make([]byte, 0, n)
	for _, v := range vals {
		buf = append(buf, v...)
		buf = append(buf, '\n')
	}
	sum := md5.Sum(buf)
	return hex.EncodeToString(sum[:])
}
