package udf

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/value"
)

// More scalar functions of SQLite 3.40: printf/format, quote, unicode,
// char, zeroblob, likely/unlikely, sign and the math functions (compiled
// into the SQLite this project checks against). iif is bound by the planner
// as a CASE expression (it evaluates only the branch it returns).

func init() {
	printf := func(a []value.Value) (value.Value, error) {
		if len(a) == 0 || a[0].IsNull() {
			return value.NullValue, nil
		}
		f := a[0].S
		if a[0].K != value.Blob {
			f = value.ToText(a[0]).S
		}
		s, ok := Printf(f, a[1:])
		if !ok {
			return value.NullValue, nil
		}
		return value.FromText(s), nil
	}
	reg(&Scalar{Name: "printf", MinArgs: 0, MaxArgs: -1, Ret: RetText, Fn: printf})
	reg(&Scalar{Name: "format", MinArgs: 0, MaxArgs: -1, Ret: RetText, Fn: printf})
	reg(&Scalar{Name: "quote", MinArgs: 1, MaxArgs: 1, Ret: RetText, Fn: func(a []value.Value) (value.Value, error) {
		return value.FromText(Quote(a[0])), nil
	}})
	reg(&Scalar{Name: "unicode", MinArgs: 1, MaxArgs: 1, Ret: RetInt, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		s := a[0].S
		if a[0].K != value.Blob {
			s = value.ToText(a[0]).S
		}
		if s == "" {
			return value.NullValue, nil
		}
		r, _ := utf8.DecodeRuneInString(s)
		return value.FromInt(int64(r)), nil
	}})
	reg(&Scalar{Name: "char", MinArgs: 0, MaxArgs: -1, Ret: RetText, Fn: func(a []value.Value) (value.Value, error) {
		var b strings.Builder
		for _, v := range a {
			x := value.AsInt(v)
			if x < 0 || x > 0x10ffff {
				x = 0xfffd
			}
			b.WriteRune(rune(x))
		}
		return value.FromText(b.String()), nil
	}})
	reg(&Scalar{Name: "zeroblob", MinArgs: 1, MaxArgs: 1, Ret: RetBlob, NullIn: false, Fn: func(a []value.Value) (value.Value, error) {
		n := value.AsInt(a[0])
		if n < 0 {
			n = 0
		}
		if n > 1_000_000_000 {
			return value.NullValue, errTooBig
		}
		return value.FromBlob(make([]byte, n)), nil
	}})
	identity := func(a []value.Value) (value.Value, error) { return a[0], nil }
	reg(&Scalar{Name: "likely", MinArgs: 1, MaxArgs: 1, Ret: RetFirst, Fn: identity})
	reg(&Scalar{Name: "unlikely", MinArgs: 1, MaxArgs: 1, Ret: RetFirst, Fn: identity})
	reg(&Scalar{Name: "likelihood", MinArgs: 2, MaxArgs: 2, Ret: RetFirst, Fn: identity})
	reg(&Scalar{Name: "sign", MinArgs: 1, MaxArgs: 1, Ret: RetInt, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		v, ok := exactNumber(a[0])
		if !ok {
			return value.NullValue, nil
		}
		var f float64
		if v.K == value.Int {
			f = float64(v.I)
		} else {
			f = v.F
		}
		switch {
		case f > 0:
			return value.FromInt(1), nil
		case f < 0:
			return value.FromInt(-1), nil
		}
		return value.FromInt(0), nil
	}})
	registerMath()
}

var errTooBig = errs.New(errs.Runtime, "string or blob too big")

// Quote renders v as an SQL literal, as SQLite's quote() does.
func Quote(v value.Value) string {
	switch v.K {
	case value.Null:
		return "NULL"
	case value.Int:
		return strconv.FormatInt(v.I, 10)
	case value.Real:
		s, _ := Printf("%!.15g", []value.Value{v})
		if r, err := strconv.ParseFloat(s, 64); err != nil || r != v.F {
			if !math.IsInf(v.F, 0) {
				s, _ = Printf("%!.20e", []value.Value{v})
			}
		}
		return s
	case value.Blob:
		const digits = "0123456789ABCDEF"
		out := make([]byte, 0, 3+2*len(v.S))
		out = append(out, 'X', '\'')
		for i := 0; i < len(v.S); i++ {
			out = append(out, digits[v.S[i]>>4], digits[v.S[i]&15])
		}
		return string(append(out, '\''))
	}
	return "'" + strings.ReplaceAll(v.S, "'", "''") + "'"
}

// exactNumber converts v to a number when that is lossless (numbers, and
// text or blobs that are exactly a number).
func exactNumber(v value.Value) (value.Value, bool) {
	switch v.K {
	case value.Int, value.Real:
		return v, true
	case value.Text, value.Blob:
		return value.ParseNumber(strings.TrimSpace(v.S))
	}
	return v, false
}

// registerMath adds SQLite's math functions (SQLITE_ENABLE_MATH_FUNCTIONS).
// Their arguments are converted like SQLite's: a value that is not a number
// (and not text that is one) gives NULL, and so does a domain error.
func registerMath() {
	num := func(v value.Value) (float64, bool) {
		n, ok := exactNumber(v)
		if !ok {
			return 0, false
		}
		return value.AsFloat(n), true
	}
	unary := func(name string, fn func(float64) float64) {
		reg(&Scalar{Name: name, MinArgs: 1, MaxArgs: 1, Ret: RetFloat, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
			x, ok := num(a[0])
			if !ok {
				return value.NullValue, nil
			}
			r := fn(x)
			if math.IsNaN(r) {
				return value.NullValue, nil
			}
			return value.FromFloat(r), nil
		}})
	}
	unary("sqrt", math.Sqrt)
	unary("exp", math.Exp)
	unary("sin", math.Sin)
	unary("cos", math.Cos)
	unary("tan", math.Tan)
	unary("asin", math.Asin)
	unary("acos", math.Acos)
	unary("atan", math.Atan)
	unary("sinh", math.Sinh)
	unary("cosh", math.Cosh)
	unary("tanh", math.Tanh)
	unary("asinh", math.Asinh)
	unary("acosh", math.Acosh)
	unary("atanh", math.Atanh)
	unary("degrees", func(x float64) float64 { return x * 180 / math.Pi })
	unary("radians", func(x float64) float64 { return x * math.Pi / 180 })
	logf := func(fn func(float64) float64) func(float64) float64 {
		return func(x float64) float64 {
			if x <= 0 {
				return math.NaN()
			}
			return fn(x)
		}
	}
	unary("ln", logf(math.Log))
	// SQLite converts the natural logarithm: log10(1000) is
	// 2.9999999999999996 there too.
	unary("log10", logf(func(x float64) float64 { return math.Log(x) / math.Ln10 }))
	unary("log2", logf(func(x float64) float64 { return math.Log(x) / math.Ln2 }))
	reg(&Scalar{Name: "log", MinArgs: 1, MaxArgs: 2, Ret: RetFloat, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		x, ok := num(a[len(a)-1])
		if !ok || x <= 0 {
			return value.NullValue, nil
		}
		if len(a) == 1 {
			return value.FromFloat(math.Log(x) / math.Ln10), nil
		}
		b, ok := num(a[0])
		if !ok || b <= 0 || b == 1 {
			return value.NullValue, nil
		}
		return value.FromFloat(math.Log(x) / math.Log(b)), nil
	}})
	binary := func(name string, fn func(x, y float64) float64) {
		reg(&Scalar{Name: name, MinArgs: 2, MaxArgs: 2, Ret: RetFloat, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
			x, ok1 := num(a[0])
			y, ok2 := num(a[1])
			if !ok1 || !ok2 {
				return value.NullValue, nil
			}
			r := fn(x, y)
			if math.IsNaN(r) {
				return value.NullValue, nil
			}
			return value.FromFloat(r), nil
		}})
	}
	binary("pow", math.Pow)
	binary("power", math.Pow)
	binary("atan2", math.Atan2)
	binary("mod", math.Mod)
	reg(&Scalar{Name: "pi", MinArgs: 0, MaxArgs: 0, Ret: RetFloat, Fn: func([]value.Value) (value.Value, error) {
		return value.FromFloat(math.Pi), nil
	}})
	// ceil, floor and trunc keep integers as they are.
	rounding := func(name string, fn func(float64) float64) {
		reg(&Scalar{Name: name, MinArgs: 1, MaxArgs: 1, Ret: RetNumFirst, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
			v := value.ApplyAffinity(a[0], value.AffNumeric)
			switch v.K {
			case value.Int:
				return v, nil
			case value.Real:
				return value.FromFloat(fn(v.F)), nil
			}
			return value.FromFloat(fn(value.AsFloat(v))), nil
		}})
	}
	rounding("ceil", math.Ceil)
	rounding("ceiling", math.Ceil)
	rounding("floor", math.Floor)
	rounding("trunc", math.Trunc)
}
