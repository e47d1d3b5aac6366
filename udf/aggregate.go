package udf

import (
	"math"
	"strings"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/value"
)

// Acc accumulates one aggregate over the rows of one group.
type Acc interface {
	// Add adds one row's argument values (nil for count(*)).
	Add(args []value.Value) error
	// Result returns the aggregate's value.
	Result() value.Value
}

// NewAcc returns an accumulator for an aggregate function. DISTINCT is
// handled by wrapping: only the first occurrence of each value is added.
func NewAcc(name string, distinct, star bool) Acc {
	return NewAccColl(name, distinct, star, value.CollBinary)
}

// NewAccColl is NewAcc with the collation min() and max() compare text
// with (and DISTINCT tells values apart with).
func NewAccColl(name string, distinct, star bool, coll value.Collation) Acc {
	var a Acc
	switch name {
	case "count":
		a = &countAcc{star: star}
	case "sum":
		a = &sumAcc{}
	case "total":
		a = &sumAcc{total: true}
	case "avg":
		a = &avgAcc{}
	case "min":
		a = &minMaxAcc{sign: -1, coll: coll}
	case "max":
		a = &minMaxAcc{sign: 1, coll: coll}
	case "group_concat", "string_agg":
		a = &concatAcc{}
	default: // anyvalue: SQLite's bare column in an aggregate query
		a = &anyAcc{}
	}
	if distinct {
		return &distinctAcc{inner: a, seen: map[string]bool{}, coll: coll}
	}
	return a
}

type countAcc struct {
	star bool
	n    int64
}

func (c *countAcc) Add(args []value.Value) error {
	if c.star || !args[0].IsNull() {
		c.n++
	}
	return nil
}
func (c *countAcc) Result() value.Value { return value.FromInt(c.n) }

type sumAcc struct {
	total   bool
	any     bool
	isFloat bool
	i       int64
	f       float64
	overflw bool
}

func (s *sumAcc) Add(args []value.Value) error {
	v := args[0]
	if v.IsNull() {
		return nil
	}
	s.any = true
	if v.K == value.Text || v.K == value.Blob {
		// Text that is exactly an integer sums as one; anything else
		// makes the sum REAL (SQLite's rule).
		if n, ok := value.ParseNumber(v.S); ok && n.K == value.Int {
			v = n
		} else {
			v = value.ToNumeric(v)
			if v.K == value.Int {
				v = value.FromFloat(float64(v.I))
			}
		}
	}
	if v.K == value.Int && !s.isFloat {
		r := s.i + v.I
		if (r > s.i) != (v.I > 0) && v.I != 0 {
			if !s.total {
				return errs.New(errs.Runtime, "integer overflow")
			}
			s.isFloat = true
			s.f = float64(s.i) + float64(v.I)
			return nil
		}
		s.i = r
		return nil
	}
	if !s.isFloat {
		s.isFloat = true
		s.f = float64(s.i)
	}
	s.f += value.AsFloat(v)
	return nil
}

func (s *sumAcc) Result() value.Value {
	if s.total {
		if s.isFloat {
			return value.FromFloat(s.f)
		}
		return value.FromFloat(float64(s.i))
	}
	if !s.any {
		return value.NullValue
	}
	if s.isFloat {
		return value.FromFloat(s.f)
	}
	return value.FromInt(s.i)
}

type avgAcc struct {
	n   int64
	sum float64
}

func (a *avgAcc) Add(args []value.Value) error {
	if args[0].IsNull() {
		return nil
	}
	a.n++
	a.sum += value.AsFloat(args[0])
	return nil
}

func (a *avgAcc) Result() value.Value {
	if a.n == 0 {
		return value.NullValue
	}
	return value.FromFloat(a.sum / float64(a.n))
}

type minMaxAcc struct {
	sign int
	coll value.Collation
	has  bool
	best value.Value
}

func (m *minMaxAcc) Add(args []value.Value) error {
	v := args[0]
	if v.IsNull() {
		return nil
	}
	if !m.has || value.CompareColl(v, m.best, m.coll)*m.sign > 0 {
		m.best, m.has = v, true
	}
	return nil
}

func (m *minMaxAcc) Result() value.Value {
	if !m.has {
		return value.NullValue
	}
	return m.best
}

type concatAcc struct {
	has bool
	b   strings.Builder
}

func (c *concatAcc) Add(args []value.Value) error {
	if args[0].IsNull() {
		return nil
	}
	if c.has {
		sep := ","
		if len(args) > 1 {
			if args[1].IsNull() {
				sep = ""
			} else {
				sep = value.ToText(args[1]).S
			}
		}
		c.b.WriteString(sep)
	}
	c.has = true
	c.b.WriteString(value.ToText(args[0]).S)
	return nil
}

func (c *concatAcc) Result() value.Value {
	if !c.has {
		return value.NullValue
	}
	return value.FromText(c.b.String())
}

type anyAcc struct{ v value.Value }

func (a *anyAcc) Add(args []value.Value) error { a.v = args[0]; return nil }
func (a *anyAcc) Result() value.Value          { return a.v }

type distinctAcc struct {
	inner Acc
	seen  map[string]bool
	coll  value.Collation
}

func (d *distinctAcc) Add(args []value.Value) error {
	if len(args) == 0 {
		return d.inner.Add(args)
	}
	k := args[0].KeyColl(d.coll)
	if d.seen[k] {
		return nil
	}
	d.seen[k] = true
	return d.inner.Add(args)
}
func (d *distinctAcc) Result() value.Value { return d.inner.Result() }

var _ = math.Inf
