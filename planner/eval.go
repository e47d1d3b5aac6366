package planner

import (
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/udf"
	"github.com/uqe-dev/uqe/value"
)

// RowEnv supplies what EvalRow cannot compute itself: column values and
// subquery results.
type RowEnv interface {
	Col(id ColID) (value.Value, bool)
	Subquery(s *Subquery) (value.Value, error)
}

// NLEnv is implemented by environments that know the model's answers for
// the current row (the executor's semantic operators).
type NLEnv interface {
	NL(e *NLExpr) (value.Value, error)
}

// EvalRow evaluates e for one row. It is the single definition of every
// operator's semantics (SQLite's three-valued logic, affinity, NULL
// propagation); the executor's vectorised kernels specialise common cases
// and fall back to it for the rest. Booleans are returned as 1, 0 or NULL.
func EvalRow(e Expr, env RowEnv) (value.Value, error) {
	switch e := e.(type) {
	case *Const:
		return e.V, nil
	case *ColRef:
		if env != nil {
			if v, ok := env.Col(e.ID); ok {
				return v, nil
			}
		}
		return value.NullValue, errs.New(errs.Internal, "column %s is not available here", e.Name)
	case *Unary:
		x, err := EvalRow(e.X, env)
		if err != nil {
			return x, err
		}
		switch e.Op {
		case "NOT":
			t, ok := value.Truth(x)
			if !ok {
				return value.NullValue, nil
			}
			return value.FromBool(!t), nil
		case "-":
			if x.IsNull() {
				return x, nil
			}
			return value.Negate(x), nil
		case "~":
			if x.IsNull() {
				return x, nil
			}
			return value.FromInt(^value.AsInt(x)), nil
		}
		return x, nil
	case *Binary:
		return evalBinary(e, env)
	case *Collate:
		return EvalRow(e.X, env)
	case *CollCmp:
		l, err := EvalRow(e.L, env)
		if err != nil {
			return l, err
		}
		r, err := EvalRow(e.R, env)
		if err != nil {
			return r, err
		}
		return CompareOp(e.Op, l, r, affOf(e.L), affOf(e.R), e.Coll)
	case *Func:
		f, _ := udf.LookupScalar(e.Name)
		args := make([]value.Value, len(e.Args))
		for i, a := range e.Args {
			v, err := EvalRow(a, env)
			if err != nil {
				return v, err
			}
			if v.IsNull() && f.NullIn {
				return value.NullValue, nil
			}
			args[i] = v
		}
		return f.Fn(args)
	case *Case:
		var op value.Value
		if e.Operand != nil {
			v, err := EvalRow(e.Operand, env)
			if err != nil {
				return v, err
			}
			op = v
		}
		for _, w := range e.Whens {
			c, err := EvalRow(w.Cond, env)
			if err != nil {
				return c, err
			}
			hit := false
			if e.Operand != nil {
				hit = !op.IsNull() && !c.IsNull() && value.CompareAffColl(op, c, affOf(e.Operand), affOf(w.Cond), w.Coll) == 0
			} else {
				hit, _ = value.Truth(c)
			}
			if hit {
				return EvalRow(w.Result, env)
			}
		}
		if e.Else != nil {
			return EvalRow(e.Else, env)
		}
		return value.NullValue, nil
	case *Cast:
		v, err := EvalRow(e.X, env)
		if err != nil {
			return v, err
		}
		return value.Cast(v, e.Decl), nil
	case *Like:
		x, err := EvalRow(e.X, env)
		if err != nil {
			return x, err
		}
		p, err := EvalRow(e.Pattern, env)
		if err != nil {
			return p, err
		}
		if x.IsNull() || p.IsNull() {
			return value.NullValue, nil
		}
		var m bool
		if e.Glob {
			m = value.Glob(value.ToText(x).S, value.ToText(p).S)
		} else {
			var esc rune
			if e.Esc != nil {
				ev, err := EvalRow(e.Esc, env)
				if err != nil {
					return ev, err
				}
				if ev.IsNull() {
					return value.NullValue, nil
				}
				r := []rune(value.ToText(ev).S)
				if len(r) != 1 {
					return value.NullValue, errs.New(errs.Runtime, "ESCAPE expression must be a single character")
				}
				esc = r[0]
			}
			m = value.Like(value.ToText(x).S, value.ToText(p).S, esc)
		}
		return value.FromBool(m != e.Not), nil
	case *InList:
		x, err := EvalRow(e.X, env)
		if err != nil {
			return x, err
		}
		if len(e.List) == 0 {
			return value.FromBool(e.Not), nil
		}
		if x.IsNull() {
			return value.NullValue, nil
		}
		sawNull := false
		ax := affOf(e.X)
		for _, it := range e.List {
			v, err := EvalRow(it, env)
			if err != nil {
				return v, err
			}
			if v.IsNull() {
				sawNull = true
				continue
			}
			if value.CompareAffColl(x, v, ax, affOf(it), e.Coll) == 0 {
				return value.FromBool(!e.Not), nil
			}
		}
		if sawNull {
			return value.NullValue, nil
		}
		return value.FromBool(e.Not), nil
	case *IsNull:
		x, err := EvalRow(e.X, env)
		if err != nil {
			return x, err
		}
		return value.FromBool(x.IsNull() != e.Not), nil
	case *Subquery:
		if env == nil {
			return value.NullValue, errs.New(errs.Internal, "subquery outside of an executor")
		}
		return env.Subquery(e)
	case *NLExpr:
		if ne, ok := env.(NLEnv); ok {
			return ne.NL(e)
		}
		return value.NullValue, errs.At(e.Pos, errs.NoModel, "natural-language expression \"%s\" can only be evaluated by a semantic operator", e.Text)
	case *AggRef:
		return value.NullValue, errs.New(errs.MisplacedAgg, "misuse of aggregate function %s()", e.Call.Name)
	}
	return value.NullValue, errs.New(errs.Internal, "cannot evaluate %T", e)
}

// inCompare compares for IN: when the left operand has an affinity and the
// right has none, SQLite converts the right value to the left's affinity.
func inCompare(x, v value.Value, ax, av value.Affinity) int {
	return value.CompareAff(x, v, ax, av)
}

// InCompare is exported for the executor's IN-subquery evaluation.
func InCompare(x, v value.Value, ax, av value.Affinity) int { return inCompare(x, v, ax, av) }

// AffOf is the comparison affinity of a bound expression.
func AffOf(e Expr) value.Affinity { return affOf(e) }

func evalBinary(e *Binary, env RowEnv) (value.Value, error) {
	l, err := EvalRow(e.L, env)
	if err != nil {
		return l, err
	}
	switch e.Op {
	case "AND":
		lt, lok := value.Truth(l)
		if lok && !lt {
			return value.FromInt(0), nil
		}
		r, err := EvalRow(e.R, env)
		if err != nil {
			return r, err
		}
		rt, rok := value.Truth(r)
		if rok && !rt {
			return value.FromInt(0), nil
		}
		if lok && rok {
			return value.FromInt(1), nil
		}
		return value.NullValue, nil
	case "OR":
		lt, lok := value.Truth(l)
		if lok && lt {
			return value.FromInt(1), nil
		}
		r, err := EvalRow(e.R, env)
		if err != nil {
			return r, err
		}
		rt, rok := value.Truth(r)
		if rok && rt {
			return value.FromInt(1), nil
		}
		if lok && rok {
			return value.FromInt(0), nil
		}
		return value.NullValue, nil
	}
	r, err := EvalRow(e.R, env)
	if err != nil {
		return r, err
	}
	return BinaryOp(e.Op, l, r, affOf(e.L), affOf(e.R))
}

// BinaryOp applies a non-logical binary operator to two values.
func BinaryOp(op string, l, r value.Value, al, ar value.Affinity) (value.Value, error) {
	switch op {
	case "IS", "IS NOT", "=", "<>", "<", "<=", ">", ">=":
		return CompareOp(op, l, r, al, ar, value.CollBinary)
	}
	return arithOp(op, l, r)
}

// CompareOp applies a comparison operator (= <> < <= > >= IS, IS NOT) to
// two values, comparing text under collation c.
func CompareOp(op string, l, r value.Value, al, ar value.Affinity, c value.Collation) (value.Value, error) {
	switch op {
	case "IS", "IS NOT":
		var eq bool
		switch {
		case l.IsNull() && r.IsNull():
			eq = true
		case l.IsNull() || r.IsNull():
			eq = false
		default:
			eq = value.CompareAffColl(l, r, al, ar, c) == 0
		}
		return value.FromBool(eq == (op == "IS")), nil
	case "=", "<>", "<", "<=", ">", ">=":
		if l.IsNull() || r.IsNull() {
			return value.NullValue, nil
		}
		k := value.CompareAffColl(l, r, al, ar, c)
		var t bool
		switch op {
		case "=":
			t = k == 0
		case "<>":
			t = k != 0
		case "<":
			t = k < 0
		case "<=":
			t = k <= 0
		case ">":
			t = k > 0
		case ">=":
			t = k >= 0
		}
		return value.FromBool(t), nil
	}
	return value.NullValue, errs.New(errs.Internal, "unknown comparison %s", op)
}

func arithOp(op string, l, r value.Value) (value.Value, error) {
	switch op {
	case "+", "-", "*", "/", "%":
		return value.Arith(op[0], l, r), nil
	case "||":
		return value.Concat(l, r), nil
	case "&", "|", "<<", ">>":
		if l.IsNull() || r.IsNull() {
			return value.NullValue, nil
		}
		x, y := value.AsInt(l), value.AsInt(r)
		switch op {
		case "&":
			return value.FromInt(x & y), nil
		case "|":
			return value.FromInt(x | y), nil
		case "<<":
			if y < 0 {
				return value.FromInt(shr(x, -y)), nil
			}
			return value.FromInt(shl(x, y)), nil
		default:
			if y < 0 {
				return value.FromInt(shl(x, -y)), nil
			}
			return value.FromInt(shr(x, y)), nil
		}
	}
	return value.NullValue, errs.New(errs.Internal, "unknown operator %s", op)
}

func shl(x, n int64) int64 {
	if n >= 64 {
		return 0
	}
	return x << uint(n)
}

func shr(x, n int64) int64 {
	if n >= 64 {
		if x < 0 {
			return -1
		}
		return 0
	}
	return x >> uint(n)
}

// FoldConst evaluates an expression that reads no columns, no subqueries
// and no model; ok is false otherwise (or if evaluation fails: the error
// then surfaces at run time, where it belongs).
func FoldConst(e Expr) (value.Value, bool) {
	if !IsConstant(e) {
		return value.NullValue, false
	}
	v, err := EvalRow(e, nil)
	if err != nil {
		return value.NullValue, false
	}
	return v, true
}

// IsConstant reports whether e reads no columns, subqueries, aggregates or
// model.
func IsConstant(e Expr) bool {
	ok := true
	Walk(e, func(x Expr) bool {
		switch x.(type) {
		case *ColRef, *Subquery, *NLExpr, *AggRef:
			ok = false
		}
		return ok
	})
	return ok
}
