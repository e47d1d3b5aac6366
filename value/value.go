// Package value owns uqe's scalar values and their SQLite semantics: the
// storage classes (NULL, INTEGER, REAL, TEXT, BLOB), type affinity,
// comparison and collation order, arithmetic with integer division and
// overflow to REAL, text and numeric conversions, and truthiness. The
// executor's vectorised kernels use it for every case they do not
// specialise, so there is one definition of what an operation means.
package value

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// Kind is a storage class.
type Kind uint8

const (
	Null Kind = iota
	Int
	Real
	Text
	Blob
)

func (k Kind) String() string {
	return [...]string{"null", "integer", "real", "text", "blob"}[k]
}

// Value is one SQL value.
type Value struct {
	K Kind
	I int64
	F float64
	S string // Text, and Blob bytes
}

// Constructors.
var NullValue = Value{}

func FromInt(i int64) Value     { return Value{K: Int, I: i} }
func FromFloat(f float64) Value { return Value{K: Real, F: f} }
func FromText(s string) Value   { return Value{K: Text, S: s} }
func FromBlob(b []byte) Value   { return Value{K: Blob, S: string(b)} }
func FromBool(b bool) Value {
	if b {
		return Value{K: Int, I: 1}
	}
	return Value{K: Int, I: 0}
}

// IsNull reports whether v is NULL.
func (v Value) IsNull() bool { return v.K == Null }

// Affinity is a column's type affinity (SQLite §3.1).
type Affinity uint8

const (
	AffNone Affinity = iota // BLOB / no affinity
	AffText
	AffNumeric
	AffInteger
	AffReal
)

// AffinityOf derives the affinity of a declared column type with SQLite's
// rules (§3.1 of the datatype documentation), in order.
func AffinityOf(decl string) Affinity {
	d := strings.ToUpper(decl)
	switch {
	case strings.Contains(d, "INT"):
		return AffInteger
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return AffText
	case strings.Contains(d, "BLOB"), d == "":
		return AffNone
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return AffReal
	}
	return AffNumeric
}

// ParseNumber converts text that is entirely a well-formed number (leading
// and trailing spaces allowed) to an Int or Real value.
func ParseNumber(s string) (Value, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Value{}, false
	}
	if i, err := strconv.ParseInt(t, 10, 64); err == nil {
		return FromInt(i), true
	}
	// Reject forms strconv accepts but SQL does not.
	for _, c := range t {
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return Value{}, false
		}
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil {
		return FromFloat(f), true
	}
	return Value{}, false
}

// numericPrefix converts the longest numeric prefix of s, as SQLite does
// when text is used where a number is needed ('12abc' → 12, 'abc' → 0).
func numericPrefix(s string) Value {
	t := strings.TrimLeft(s, " \t\n\r\f\v")
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		i++
	}
	start := i
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	intEnd := i
	isReal := false
	if i < len(t) && t[i] == '.' {
		j := i + 1
		for j < len(t) && t[j] >= '0' && t[j] <= '9' {
			j++
		}
		if j > i+1 || intEnd > start {
			isReal = j > i+1 || isReal
			i = j
			isReal = true
		}
	}
	if i == start || (i == start+1 && t[start] == '.') {
		return FromInt(0)
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		j := i + 1
		if j < len(t) && (t[j] == '+' || t[j] == '-') {
			j++
		}
		k := j
		for k < len(t) && t[k] >= '0' && t[k] <= '9' {
			k++
		}
		if k > j {
			i = k
			isReal = true
		}
	}
	num := t[:i]
	if !isReal {
		if n, err := strconv.ParseInt(num, 10, 64); err == nil {
			return FromInt(n)
		}
	}
	f, _ := strconv.ParseFloat(num, 64)
	return FromFloat(f)
}

// ToNumeric converts v to Int or Real for arithmetic (NULL stays NULL).
func ToNumeric(v Value) Value {
	switch v.K {
	case Int, Real, Null:
		return v
	default:
		return numericPrefix(v.S)
	}
}

// AsFloat returns v as float64 (NULL → 0).
func AsFloat(v Value) float64 {
	switch v.K {
	case Int:
		return float64(v.I)
	case Real:
		return v.F
	case Null:
		return 0
	}
	n := numericPrefix(v.S)
	if n.K == Int {
		return float64(n.I)
	}
	return n.F
}

// AsInt returns v as int64 truncating reals (NULL → 0).
func AsInt(v Value) int64 {
	switch v.K {
	case Int:
		return v.I
	case Real:
		return floatToInt(v.F)
	case Null:
		return 0
	}
	n := numericPrefix(v.S)
	if n.K == Int {
		return n.I
	}
	return floatToInt(n.F)
}

func floatToInt(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

// Truth is SQL truthiness: NULL → unknown (ok=false); numbers are true when
// non-zero; text is converted by its numeric prefix.
func Truth(v Value) (truth, ok bool) {
	switch v.K {
	case Null:
		return false, false
	case Int:
		return v.I != 0, true
	case Real:
		return v.F != 0, true
	}
	return AsFloat(v) != 0, true
}

// FormatFloat renders a REAL the way SQLite does as text (%!.15g): 15
// significant digits, and always a decimal point or exponent.
func FormatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "Inf"
	}
	if math.IsInf(f, -1) {
		return "-Inf"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	if f == 0 {
		f = 0 // -0.0 prints as 0.0
	}
	s := strconv.FormatFloat(f, 'g', 15, 64)
	if strings.ContainsAny(s, "e") {
		// SQLite prints 1e+20 as 1.0e+20.
		mant, exp, _ := strings.Cut(s, "e")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		// Go prints e+20; SQLite prints e+20 as well.
		return mant + "e" + exp
	}
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// String renders v as text (SQL CAST(v AS TEXT)); NULL renders "NULL".
func (v Value) String() string {
	switch v.K {
	case Null:
		return "NULL"
	case Int:
		return strconv.FormatInt(v.I, 10)
	case Real:
		return FormatFloat(v.F)
	}
	return v.S
}

// ToText converts v to TEXT (NULL stays NULL).
func ToText(v Value) Value {
	switch v.K {
	case Null, Text:
		return v
	case Blob:
		return FromText(v.S)
	}
	return FromText(v.String())
}

// ApplyAffinity converts v for storage in (or comparison against) a column
// of the given affinity, as SQLite does.
func ApplyAffinity(v Value, a Affinity) Value {
	switch a {
	case AffText:
		if v.K == Int || v.K == Real {
			return ToText(v)
		}
	case AffNumeric, AffInteger, AffReal:
		if v.K == Text {
			if n, ok := ParseNumber(v.S); ok {
				v = n
			} else {
				return v
			}
		}
		switch a {
		case AffReal:
			if v.K == Int {
				return FromFloat(float64(v.I))
			}
		default:
			if v.K == Real && v.F == math.Trunc(v.F) && math.Abs(v.F) < 9.2e18 {
				return FromInt(int64(v.F))
			}
		}
	}
	return v
}

// Cast converts v to a declared type as CAST(v AS type) does.
func Cast(v Value, decl string) Value {
	if v.K == Null {
		return v
	}
	switch AffinityOf(decl) {
	case AffInteger:
		if v.K == Text || v.K == Blob {
			return FromInt(intPrefix(v.S))
		}
		return FromInt(AsInt(v))
	case AffReal:
		return FromFloat(AsFloat(v))
	case AffText:
		return ToText(v)
	case AffNone:
		if strings.Contains(strings.ToUpper(decl), "BLOB") {
			if v.K == Blob {
				return v
			}
			return Value{K: Blob, S: ToText(v).S}
		}
		return v
	default: // NUMERIC
		if v.K == Text || v.K == Blob {
			n := numericPrefix(v.S)
			if n.K == Real && n.F == math.Trunc(n.F) && math.Abs(n.F) < 9.2e18 {
				return FromInt(int64(n.F))
			}
			return n
		}
		return v
	}
}

// intPrefix reads the longest integer prefix of s (after leading spaces and
// an optional sign), as CAST(text AS INTEGER) does: '12.5x' → 12, '1e3' → 1.
func intPrefix(s string) int64 {
	t := strings.TrimLeft(s, " \t\n\r\f\v")
	i := 0
	neg := false
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		neg = t[i] == '-'
		i++
	}
	var n uint64
	for ; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
		d := uint64(t[i] - '0')
		if n > (math.MaxUint64-d)/10 {
			n = math.MaxUint64
			continue
		}
		n = n*10 + d
	}
	if neg {
		if n > 1<<63 {
			return math.MinInt64
		}
		return -int64(n)
	}
	if n > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(n)
}

// Compare orders two non-NULL values the way SQLite sorts them: numbers
// (compared numerically) < text (binary collation) < blob. NULL sorts before
// everything (callers handle three-valued logic separately).
func Compare(a, b Value) int {
	ra, rb := rank(a.K), rank(b.K)
	if ra != rb {
		if ra < rb {
			return -1
		}
		return 1
	}
	switch ra {
	case 0:
		return 0
	case 1:
		return compareNum(a, b)
	}
	return strings.Compare(a.S, b.S)
}

func rank(k Kind) int {
	switch k {
	case Null:
		return 0
	case Int, Real:
		return 1
	case Text:
		return 2
	}
	return 3
}

func compareNum(a, b Value) int {
	if a.K == Int && b.K == Int {
		switch {
		case a.I < b.I:
			return -1
		case a.I > b.I:
			return 1
		}
		return 0
	}
	if a.K == Int {
		return -compareIntFloat(b.F, a.I)
	}
	if b.K == Int {
		return compareIntFloat(a.F, b.I)
	}
	switch {
	case a.F < b.F:
		return -1
	case a.F > b.F:
		return 1
	}
	return 0
}

// compareIntFloat compares float f with int i exactly.
func compareIntFloat(f float64, i int64) int {
	fi := float64(i)
	switch {
	case f < fi:
		return -1
	case f > fi:
		return 1
	}
	// Equal as floats; refine for large magnitudes, where float64(i)
	// rounds.
	if math.Abs(f) < 9e15 {
		return 0
	}
	if f >= 9.223372036854775807e18 {
		return 1 // 2^63 and above exceed every int64
	}
	if f < -9.223372036854775808e18 {
		return -1
	}
	t := int64(f) // exact: floats this large are integers
	switch {
	case t < i:
		return -1
	case t > i:
		return 1
	}
	return 0
}

// Equal reports a == b under Compare.
func Equal(a, b Value) bool { return Compare(a, b) == 0 }

// CompareAff compares for a comparison operator, first applying SQLite's
// comparison affinity rules: if one operand has numeric affinity and the
// other has TEXT or no affinity, numeric affinity is applied to the other;
// if one has TEXT affinity and the other none, TEXT affinity is applied.
// Callers handle NULL before calling.
func CompareAff(a, b Value, aa, ab Affinity) int {
	return CompareAffColl(a, b, aa, ab, CollBinary)
}

// Arith applies + - * / % with SQLite semantics: NULL in → NULL out; text is
// converted to numbers; integer division truncates; division or remainder
// by zero is NULL; integer overflow of + - * becomes REAL.
func Arith(op byte, a, b Value) Value {
	if a.K == Null || b.K == Null {
		return NullValue
	}
	a, b = ToNumeric(a), ToNumeric(b)
	if a.K == Int && b.K == Int {
		x, y := a.I, b.I
		switch op {
		case '+':
			r := x + y
			if (r > x) == (y > 0) {
				return FromInt(r)
			}
			return FromFloat(float64(x) + float64(y))
		case '-':
			r := x - y
			if (r < x) == (y > 0) {
				return FromInt(r)
			}
			return FromFloat(float64(x) - float64(y))
		case '*':
			if x == 0 || y == 0 {
				return FromInt(0)
			}
			r := x * y
			if r/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64) {
				return FromInt(r)
			}
			return FromFloat(float64(x) * float64(y))
		case '/':
			if y == 0 {
				return NullValue
			}
			if x == math.MinInt64 && y == -1 {
				return FromFloat(-float64(x))
			}
			return FromInt(x / y)
		case '%':
			if y == 0 {
				return NullValue
			}
			if y == -1 {
				return FromInt(0)
			}
			return FromInt(x % y)
		}
	}
	if op == '%' {
		x, y := AsInt(a), AsInt(b)
		if y == 0 {
			return NullValue
		}
		if y == -1 {
			return FromFloat(0)
		}
		return FromFloat(float64(x % y))
	}
	x, y := AsFloat(a), AsFloat(b)
	switch op {
	case '+':
		return FromFloat(x + y)
	case '-':
		return FromFloat(x - y)
	case '*':
		return FromFloat(x * y)
	case '/':
		if y == 0 {
			return NullValue
		}
		return FromFloat(x / y)
	}
	return NullValue
}

// Negate is unary minus.
func Negate(v Value) Value {
	v = ToNumeric(v)
	switch v.K {
	case Int:
		if v.I == math.MinInt64 {
			return FromFloat(-float64(v.I))
		}
		return FromInt(-v.I)
	case Real:
		return FromFloat(-v.F)
	}
	return v
}

// Concat is a || b.
func Concat(a, b Value) Value {
	if a.K == Null || b.K == Null {
		return NullValue
	}
	return FromText(ToText(a).S + ToText(b).S)
}

// Like matches SQL LIKE (case-insensitive for ASCII, % and _ wildcards,
// optional escape character).
func Like(s, pattern string, escape rune) bool {
	return likeMatch([]rune(s), []rune(pattern), escape)
}

func likeMatch(s, p []rune, esc rune) bool {
	for len(p) > 0 {
		c := p[0]
		switch {
		case esc != 0 && c == esc && len(p) > 1:
			if len(s) == 0 || !foldEq(s[0], p[1]) {
				return false
			}
			s, p = s[1:], p[2:]
		case c == '%':
			for len(p) > 0 && p[0] == '%' {
				p = p[1:]
			}
			if len(p) == 0 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if likeMatch(s[i:], p, esc) {
					return true
				}
			}
			return false
		case c == '_':
			if len(s) == 0 {
				return false
			}
			s, p = s[1:], p[1:]
		default:
			if len(s) == 0 || !foldEq(s[0], c) {
				return false
			}
			s, p = s[1:], p[1:]
		}
	}
	return len(s) == 0
}

func foldEq(a, b rune) bool {
	if a == b {
		return true
	}
	if a < 128 && b < 128 {
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return a == b
	}
	return false
}

// Glob matches SQL GLOB (case-sensitive, * ? and [...] classes).
func Glob(s, pattern string) bool {
	return globMatch([]rune(s), []rune(pattern))
}

func globMatch(s, p []rune) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if len(p) == 0 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if globMatch(s[i:], p) {
					return true
				}
			}
			return false
		case '?':
			if len(s) == 0 {
				return false
			}
			s, p = s[1:], p[1:]
		case '[':
			if len(s) == 0 {
				return false
			}
			end := 1
			neg := false
			if end < len(p) && p[end] == '^' {
				neg = true
				end++
			}
			start := end
			if end < len(p) && p[end] == ']' {
				end++
			}
			for end < len(p) && p[end] != ']' {
				end++
			}
			if end >= len(p) {
				return false
			}
			cls := p[start:end]
			match := false
			for i := 0; i < len(cls); i++ {
				if i+2 < len(cls) && cls[i+1] == '-' {
					if s[0] >= cls[i] && s[0] <= cls[i+2] {
						match = true
					}
					i += 2
				} else if cls[i] == s[0] {
					match = true
				}
			}
			if match == neg {
				return false
			}
			s, p = s[1:], p[end+1:]
		default:
			if len(s) == 0 || s[0] != p[0] {
				return false
			}
			s, p = s[1:], p[1:]
		}
	}
	return len(s) == 0
}

// Key returns a string that is equal for two values exactly when they are
// equal for grouping, DISTINCT and set operations (1 and 1.0 are the same
// group, as in SQLite; NULLs group together).
func (v Value) Key() string {
	switch v.K {
	case Null:
		return "\x00"
	case Int:
		return "n" + strconv.FormatInt(v.I, 10)
	case Real:
		if v.F == math.Trunc(v.F) && v.F >= -9.223372036854775808e18 && v.F < 9.223372036854775807e18 {
			return "n" + strconv.FormatInt(int64(v.F), 10)
		}
		return "f" + strconv.FormatUint(math.Float64bits(v.F), 16)
	case Text:
		return "t" + v.S
	}
	return "b" + v.S
}

// BytesEqual is a helper for blob comparisons.
func BytesEqual(a, b []byte) bool { return bytes.Equal(a, b) }

// Collation is a collating sequence for comparing text: SQLite's built-in
// BINARY (the zero value: bytes), NOCASE (ASCII letters folded to lower
// case) and RTRIM (trailing spaces ignored). It affects only comparisons of
// two text values.
type Collation uint8

const (
	CollBinary Collation = iota
	CollNoCase
	CollRTrim
)

// LookupCollation finds a collation by name (case-insensitive).
func LookupCollation(name string) (Collation, bool) {
	switch strings.ToUpper(name) {
	case "BINARY":
		return CollBinary, true
	case "NOCASE":
		return CollNoCase, true
	case "RTRIM":
		return CollRTrim, true
	}
	return CollBinary, false
}

func (c Collation) String() string {
	switch c {
	case CollNoCase:
		return "NOCASE"
	case CollRTrim:
		return "RTRIM"
	}
	return "BINARY"
}

// Fold maps text to the form BINARY comparison of which is comparison
// under c.
func (c Collation) Fold(s string) string {
	switch c {
	case CollNoCase:
		for i := 0; i < len(s); i++ {
			if 'A' <= s[i] && s[i] <= 'Z' {
				b := []byte(s)
				for j := i; j < len(b); j++ {
					if 'A' <= b[j] && b[j] <= 'Z' {
						b[j] += 'a' - 'A'
					}
				}
				return string(b)
			}
		}
	case CollRTrim:
		return strings.TrimRight(s, " ")
	}
	return s
}

// CompareColl is Compare with text compared under collation c.
func CompareColl(a, b Value, c Collation) int {
	if c != CollBinary && a.K == Text && b.K == Text {
		return strings.Compare(c.Fold(a.S), c.Fold(b.S))
	}
	return Compare(a, b)
}

// CompareAffColl is CompareAff with text compared under collation c.
func CompareAffColl(a, b Value, aa, ab Affinity, c Collation) int {
	numA := aa >= AffNumeric
	numB := ab >= AffNumeric
	switch {
	case numA && !numB:
		b = ApplyAffinity(b, AffNumeric)
	case numB && !numA:
		a = ApplyAffinity(a, AffNumeric)
	case aa == AffText && ab == AffNone:
		b = ApplyAffinity(b, AffText)
	case ab == AffText && aa == AffNone:
		a = ApplyAffinity(a, AffText)
	}
	return CompareColl(a, b, c)
}

// KeyColl is Key with text folded under collation c: two values have the
// same KeyColl exactly when they are equal under c.
func (v Value) KeyColl(c Collation) string {
	if c != CollBinary && v.K == Text {
		return "t" + c.Fold(v.S)
	}
	return v.Key()
}
