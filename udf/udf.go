// Package udf owns uqe's function registry: scalar functions, aggregate
// functions (with their accumulators) and table functions such as read_csv.
// The planner looks functions up here to check arity and derive result
// types; the executor calls them. Learned operators (model-backed
// functions) plug in through the same registry.
package udf

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/value"
)

// RetRule says how a function's static result type follows from its
// arguments' types.
type RetRule int

const (
	RetInt      RetRule = iota // INTEGER
	RetFloat                   // REAL
	RetText                    // TEXT
	RetFirst                   // the first argument's type
	RetUnify                   // the common type of all arguments
	RetAny                     // any storage class
	RetNumFirst                // first arg's type if numeric, else any
	RetBlob                    // BLOB
)

// Scalar is a scalar function.
type Scalar struct {
	Name    string
	MinArgs int
	MaxArgs int // -1: variadic
	Ret     RetRule
	// NullIn: when true, any NULL argument yields NULL without calling Fn.
	NullIn bool
	Fn     func(args []value.Value) (value.Value, error)
}

var scalars = map[string]*Scalar{}

// LookupScalar returns a scalar function by (lower-case) name.
func LookupScalar(name string) (*Scalar, bool) {
	f, ok := scalars[strings.ToLower(name)]
	return f, ok
}

// IsAggregate reports whether a call with this name and argument count is
// an aggregate (min and max with two or more arguments are scalar).
func IsAggregate(name string, nargs int) bool {
	switch strings.ToLower(name) {
	case "count", "sum", "avg", "total", "group_concat", "string_agg", "ci_low", "ci_high":
		return true
	case "min", "max":
		return nargs == 1
	}
	return false
}

func reg(f *Scalar) { scalars[f.Name] = f }

func init() {
	reg(&Scalar{Name: "abs", MinArgs: 1, MaxArgs: 1, Ret: RetNumFirst, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		v := a[0]
		if v.K == value.Int {
			if v.I < 0 {
				if v.I == math.MinInt64 {
					return value.NullValue, errs.New(errs.Runtime, "integer overflow")
				}
				return value.FromInt(-v.I), nil
			}
			return v, nil
		}
		// Text and blobs are converted to REAL, as SQLite does.
		return value.FromFloat(math.Abs(value.AsFloat(v))), nil
	}})
	coalesce := func(a []value.Value) (value.Value, error) {
		for _, v := range a {
			if !v.IsNull() {
				return v, nil
			}
		}
		return value.NullValue, nil
	}
	reg(&Scalar{Name: "coalesce", MinArgs: 2, MaxArgs: -1, Ret: RetUnify, Fn: coalesce})
	reg(&Scalar{Name: "ifnull", MinArgs: 2, MaxArgs: 2, Ret: RetUnify, Fn: coalesce})
	reg(&Scalar{Name: "nullif", MinArgs: 2, MaxArgs: 2, Ret: RetFirst, Fn: func(a []value.Value) (value.Value, error) {
		if !a[0].IsNull() && !a[1].IsNull() && value.Compare(a[0], a[1]) == 0 {
			return value.NullValue, nil
		}
		return a[0], nil
	}})
	reg(&Scalar{Name: "length", MinArgs: 1, MaxArgs: 1, Ret: RetInt, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		if a[0].K == value.Blob {
			return value.FromInt(int64(len(a[0].S))), nil
		}
		// Characters before the first NUL, as in SQLite.
		s := value.ToText(a[0]).S
		if i := strings.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
		return value.FromInt(int64(utf8.RuneCountInString(s))), nil
	}})
	reg(&Scalar{Name: "lower", MinArgs: 1, MaxArgs: 1, Ret: RetText, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		return value.FromText(asciiCase(value.ToText(a[0]).S, false)), nil
	}})
	reg(&Scalar{Name: "upper", MinArgs: 1, MaxArgs: 1, Ret: RetText, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		return value.FromText(asciiCase(value.ToText(a[0]).S, true)), nil
	}})
	trim := func(kind int) func(a []value.Value) (value.Value, error) {
		return func(a []value.Value) (value.Value, error) {
			s := value.ToText(a[0]).S
			cut := " "
			if len(a) > 1 {
				cut = value.ToText(a[1]).S
			}
			switch kind {
			case 0:
				s = strings.Trim(s, cut)
			case 1:
				s = strings.TrimLeft(s, cut)
			default:
				s = strings.TrimRight(s, cut)
			}
			return value.FromText(s), nil
		}
	}
	reg(&Scalar{Name: "trim", MinArgs: 1, MaxArgs: 2, Ret: RetText, NullIn: true, Fn: trim(0)})
	reg(&Scalar{Name: "ltrim", MinArgs: 1, MaxArgs: 2, Ret: RetText, NullIn: true, Fn: trim(1)})
	reg(&Scalar{Name: "rtrim", MinArgs: 1, MaxArgs: 2, Ret: RetText, NullIn: true, Fn: trim(2)})
	reg(&Scalar{Name: "replace", MinArgs: 3, MaxArgs: 3, Ret: RetText, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		s, from, to := value.ToText(a[0]).S, value.ToText(a[1]).S, value.ToText(a[2]).S
		if from == "" {
			return value.FromText(s), nil
		}
		return value.FromText(strings.ReplaceAll(s, from, to)), nil
	}})
	substr := func(a []value.Value) (value.Value, error) {
		r := []rune(value.ToText(a[0]).S)
		start := value.AsInt(a[1])
		n := int64(len(r))
		length := int64(math.MaxInt32) // to the end
		if len(a) > 2 {
			length = value.AsInt(a[2])
		}
		// SQLite: 1-based; negative start counts from the end.
		if start < 0 {
			start = n + start + 1
			if start < 1 {
				length += start - 1
				start = 1
			}
		} else if start == 0 {
			length--
			start = 1
		}
		if length < 0 {
			// characters before start
			begin := start - 1 + length
			if begin < 0 {
				begin = 0
			}
			end := start - 1
			if end > n {
				end = n
			}
			if begin >= end {
				return value.FromText(""), nil
			}
			return value.FromText(string(r[begin:end])), nil
		}
		begin := start - 1
		if begin > n {
			return value.FromText(""), nil
		}
		end := begin + length
		if end > n {
			end = n
		}
		return value.FromText(string(r[begin:end])), nil
	}
	reg(&Scalar{Name: "substr", MinArgs: 2, MaxArgs: 3, Ret: RetText, NullIn: true, Fn: substr})
	reg(&Scalar{Name: "substring", MinArgs: 2, MaxArgs: 3, Ret: RetText, NullIn: true, Fn: substr})
	reg(&Scalar{Name: "instr", MinArgs: 2, MaxArgs: 2, Ret: RetInt, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		s, sub := value.ToText(a[0]).S, value.ToText(a[1]).S
		i := strings.Index(s, sub)
		if i < 0 {
			return value.FromInt(0), nil
		}
		return value.FromInt(int64(utf8.RuneCountInString(s[:i]) + 1)), nil
	}})
	reg(&Scalar{Name: "round", MinArgs: 1, MaxArgs: 2, Ret: RetFloat, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		f := value.AsFloat(a[0])
		d := int64(0)
		if len(a) > 1 {
			d = value.AsInt(a[1])
		}
		if d < 0 {
			d = 0
		}
		p := math.Pow(10, float64(d))
		r := math.Round(f*p) / p
		return value.FromFloat(r), nil
	}})
	reg(&Scalar{Name: "similarity", MinArgs: 2, MaxArgs: 2, Ret: RetFloat, NullIn: true, Fn: func(a []value.Value) (value.Value, error) {
		// The executor evaluates similarity() over whole batches with the
		// statement's embedder; this row-at-a-time form is reached only
		// where no embedder exists.
		return value.NullValue, errs.New(errs.Unsupported, "similarity() can only be evaluated with an embedder (in a query's select list, WHERE or ORDER BY)")
	}})
	reg(&Scalar{Name: "typeof", MinArgs: 1, MaxArgs: 1, Ret: RetText, Fn: func(a []value.Value) (value.Value, error) {
		return value.FromText(a[0].K.String()), nil
	}})
	minmax := func(sign int) func(a []value.Value) (value.Value, error) {
		return func(a []value.Value) (value.Value, error) {
			best := a[0]
			for _, v := range a {
				if v.IsNull() {
					return value.NullValue, nil
				}
				if value.Compare(v, best)*sign > 0 {
					best = v
				}
			}
			return best, nil
		}
	}
	reg(&Scalar{Name: "min", MinArgs: 2, MaxArgs: -1, Ret: RetUnify, Fn: minmax(-1)})
	reg(&Scalar{Name: "max", MinArgs: 2, MaxArgs: -1, Ret: RetUnify, Fn: minmax(1)})
	reg(&Scalar{Name: "hex", MinArgs: 1, MaxArgs: 1, Ret: RetText, Fn: func(a []value.Value) (value.Value, error) {
		if a[0].IsNull() {
			return value.FromText(""), nil
		}
		s := a[0].S
		if a[0].K != value.Blob {
			s = value.ToText(a[0]).S
		}
		const digits = "0123456789ABCDEF"
		out := make([]byte, 0, 2*len(s))
		for i := 0; i < len(s); i++ {
			out = append(out, digits[s[i]>>4], digits[s[i]&15])
		}
		return value.FromText(string(out)), nil
	}})
}

// asciiCase folds ASCII letters only, as SQLite's upper() and lower() do
// (without ICU); other characters are left as they are.
func asciiCase(s string, upper bool) string {
	b := []byte(s)
	for i, c := range b {
		if upper && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		} else if !upper && 'A' <= c && c <= 'Z' {
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
}
