package executor

import (
	"strings"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// subResult is the memoised result of one subquery for one outer binding.
type subResult struct {
	scalar  value.Value
	exists  bool
	set     map[string]struct{}
	hasNull bool
}

// subquery evaluates a subquery expression for one row. Results are
// memoised per distinct binding of the outer columns it reads, so an
// uncorrelated subquery runs once per statement and a correlated one once
// per distinct outer value.
func (x *Exec) subquery(s *planner.Subquery, row planner.RowEnv, env *frame) (value.Value, error) {
	vals := make(map[planner.ColID]value.Value, len(s.Inner))
	var kb strings.Builder
	for i, o := range s.Outer {
		v, err := planner.EvalRow(o, row)
		if err != nil {
			return v, err
		}
		vals[s.Inner[i]] = v
		k := v.Key()
		kb.WriteString(k)
		kb.WriteByte(0)
	}
	key := kb.String()
	cache := x.subCache[s]
	if cache == nil {
		cache = map[string]*subResult{}
		x.subCache[s] = cache
	}
	res, ok := cache[key]
	if ok {
		x.Stats.SubqueryCache++
	} else {
		var err error
		res, err = x.runSubquery(s, &frame{vals: vals, parent: env})
		if err != nil {
			return value.NullValue, err
		}
		cache[key] = res
	}
	switch s.Kind {
	case planner.SubScalar:
		return res.scalar, nil
	case planner.SubExists:
		return value.FromBool(res.exists != s.Not), nil
	}
	xv, err := planner.EvalRow(s.X, row)
	if err != nil {
		return xv, err
	}
	if !res.exists {
		return value.FromBool(s.Not), nil
	}
	if xv.IsNull() {
		return value.NullValue, nil
	}
	if _, found := res.set[inKey(xv, planner.AffOf(s.X), s.Plan.Columns()[0].Aff)]; found {
		return value.FromBool(!s.Not), nil
	}
	if res.hasNull {
		return value.NullValue, nil
	}
	return value.FromBool(s.Not), nil
}

// inKey normalises a value for IN-set membership following SQLite's
// comparison affinity: when one side has numeric affinity, text that looks
// like a number compares as that number.
func inKey(v value.Value, own, other value.Affinity) string {
	if other >= value.AffNumeric || own >= value.AffNumeric {
		v = value.ApplyAffinity(v, value.AffNumeric)
	} else if other == value.AffText && own == value.AffNone {
		v = value.ApplyAffinity(v, value.AffText)
	}
	return v.Key()
}

func (x *Exec) runSubquery(s *planner.Subquery, env *frame) (*subResult, error) {
	x.Stats.SubqueryRuns++
	op, err := x.build(s.Plan, env)
	if err != nil {
		return nil, err
	}
	defer op.Close()
	res := &subResult{}
	cols := op.Cols()
	if s.Kind == planner.SubIn {
		res.set = map[string]struct{}{}
	}
	xAff := value.AffNone
	if s.X != nil {
		xAff = planner.AffOf(s.X)
	}
	for {
		rec, err := op.Next()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			return res, nil
		}
		n := int(rec.NumRows())
		if n == 0 {
			rec.Release()
			continue
		}
		switch s.Kind {
		case planner.SubExists:
			res.exists = true
			rec.Release()
			return res, nil
		case planner.SubScalar:
			if !res.exists {
				res.scalar = getValue(rec.Column(0), 0, cols[0].Type)
			}
			res.exists = true
			rec.Release()
			return res, nil
		default:
			res.exists = true
			for i := 0; i < n; i++ {
				v := getValue(rec.Column(0), i, cols[0].Type)
				if v.IsNull() {
					res.hasNull = true
					continue
				}
				res.set[inKey(v, cols[0].Aff, xAff)] = struct{}{}
			}
			rec.Release()
		}
	}
}

var _ = errs.Internal
