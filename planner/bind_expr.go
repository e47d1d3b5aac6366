package planner

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/udf"
	"github.com/uqe-dev/uqe/value"
)

func isNumeric(t Type) bool { return t == TInt || t == TFloat || t == TBool }

func arithType(op string, l, r Type) Type {
	if l == TNull || r == TNull {
		return TNull
	}
	if !isNumeric(l) || !isNumeric(r) {
		return TAny
	}
	if l == TFloat || r == TFloat {
		return TFloat
	}
	return TInt
}

// bindExpr binds an expression in a scope. allowAgg permits aggregate calls
// (returned as AggRef for the caller to lift).
func (b *Binder) bindExpr(e ast.Expr, sc *scope, allowAgg bool) (Expr, error) {
	switch e := e.(type) {
	case *ast.Paren:
		return b.bindExpr(e.X, sc, allowAgg)
	case *ast.Collate:
		x, err := b.bindExpr(e.X, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		c, ok := value.LookupCollation(e.Name)
		if !ok {
			return nil, errs.At(e.P, errs.WrongArgs, "no such collation sequence: %s", e.Name)
		}
		if nl, isNL := x.(*NLExpr); isNL {
			return nl, nil // a phrase's value is the model's; COLLATE changes nothing there
		}
		return &Collate{X: x, Coll: c}, nil
	case *ast.Literal:
		return bindLiteral(e)
	case *ast.ColumnRef:
		return sc.lookup(e.Table, e.Name, e.P)
	case *ast.Param:
		if e.Index < 1 || e.Index > len(b.Args) {
			return nil, errs.At(e.P, errs.ParamCount, "parameter %s has no value (%d given)", e.Raw, len(b.Args))
		}
		v := b.Args[e.Index-1]
		return &Const{V: v, T: typeOfValue(v)}, nil
	case *ast.NL:
		return b.bindNL(e, sc)
	case *ast.Unary:
		x, err := b.bindExpr(e.X, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case "NOT":
			return &Unary{Op: "NOT", X: x, T: TBool}, nil
		case "-":
			t := x.Type()
			if t == TBool {
				t = TInt
			} else if !isNumeric(t) && t != TNull {
				t = TAny
			}
			return &Unary{Op: "-", X: x, T: t}, nil
		case "+":
			return x, nil
		case "~":
			return &Unary{Op: "~", X: x, T: TInt}, nil
		}
		return nil, errs.At(e.P, errs.Syntax, "unknown operator %s", e.Op)
	case *ast.Binary:
		l, err := b.bindExpr(e.L, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(e.R, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		op := e.Op
		switch op {
		case "==":
			op = "="
		case "!=":
			op = "<>"
		}
		var t Type
		switch op {
		case "AND", "OR", "=", "<>", "<", "<=", ">", ">=", "IS", "IS NOT":
			t = TBool
		case "+", "-", "*", "/", "%":
			t = arithType(op, l.Type(), r.Type())
		case "||":
			t = TText
		case "&", "|", "<<", ">>":
			t = TInt
		default:
			return nil, errs.At(e.P, errs.Syntax, "unknown operator %s", op)
		}
		if t == TBool && op != "AND" && op != "OR" {
			return comparison(op, l, r), nil
		}
		if t == TInt {
			// Integer arithmetic over constants that overflows is REAL in
			// SQLite; the value is known now, so the type can be exact.
			// (Over columns it stays INTEGER and overflow is an error: see
			// ARCHITECTURE.md, Types.)
			lc, lok := l.(*Const)
			rc, rok := r.(*Const)
			if lok && rok {
				if v, err := BinaryOp(op, lc.V, rc.V, affOf(l), affOf(r)); err == nil && v.K == value.Real {
					return &Const{V: v, T: TFloat}, nil
				}
			}
		}
		return &Binary{Op: op, L: l, R: r, T: t}, nil
	case *ast.Like:
		x, err := b.bindExpr(e.X, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		p, err := b.bindExpr(e.Pattern, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		var esc Expr
		if e.Escape != nil {
			if esc, err = b.bindExpr(e.Escape, sc, allowAgg); err != nil {
				return nil, err
			}
		}
		return &Like{Not: e.Not, Glob: e.Glob, X: x, Pattern: p, Esc: esc}, nil
	case *ast.Between:
		x, err := b.bindExpr(e.X, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		lo, err := b.bindExpr(e.Lo, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		hi, err := b.bindExpr(e.Hi, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		// x BETWEEN lo AND hi ≡ x >= lo AND x <= hi (same three-valued
		// result; x is evaluated twice, which is harmless: expressions
		// have no side effects).
		both := &Binary{Op: "AND", L: comparison(">=", x, lo), R: comparison("<=", x, hi), T: TBool}
		if e.Not {
			return &Unary{Op: "NOT", X: both, T: TBool}, nil
		}
		return both, nil
	case *ast.InList:
		x, err := b.bindExpr(e.X, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		list := make([]Expr, len(e.List))
		for i, a := range e.List {
			if list[i], err = b.bindExpr(a, sc, allowAgg); err != nil {
				return nil, err
			}
		}
		return &InList{Not: e.Not, X: x, List: list, Coll: listColl(x, list)}, nil
	case *ast.InQuery:
		x, err := b.bindExpr(e.X, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		sq, err := b.bindSubquery(e.Query, sc, SubIn, e.P)
		if err != nil {
			return nil, err
		}
		sq.X, sq.Not = x, e.Not
		return sq, nil
	case *ast.Exists:
		sq, err := b.bindSubquery(e.Query, sc, SubExists, e.P)
		if err != nil {
			return nil, err
		}
		sq.Not = e.Not
		return sq, nil
	case *ast.Subquery:
		return b.bindSubquery(e.Query, sc, SubScalar, e.P)
	case *ast.IsNull:
		x, err := b.bindExpr(e.X, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		return &IsNull{Not: e.Not, X: x}, nil
	case *ast.Case:
		c := &Case{}
		var err error
		if e.Operand != nil {
			if c.Operand, err = b.bindExpr(e.Operand, sc, allowAgg); err != nil {
				return nil, err
			}
		}
		t := TNull
		for _, w := range e.Whens {
			cond, err := b.bindExpr(w.Cond, sc, allowAgg)
			if err != nil {
				return nil, err
			}
			res, err := b.bindExpr(w.Result, sc, allowAgg)
			if err != nil {
				return nil, err
			}
			w := When{Cond: cond, Result: res}
			if c.Operand != nil {
				w.Coll = compareColl(c.Operand, cond)
			}
			c.Whens = append(c.Whens, w)
			t = Unify(t, res.Type())
		}
		if e.Else != nil {
			if c.Else, err = b.bindExpr(e.Else, sc, allowAgg); err != nil {
				return nil, err
			}
			t = Unify(t, c.Else.Type())
		}
		if t == TBool {
			t = TInt
		}
		c.T = t
		return c, nil
	case *ast.Cast:
		x, err := b.bindExpr(e.X, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		t := TypeOfDecl(e.Type)
		if nl, ok := x.(*NLExpr); ok {
			nl.Cast, nl.T = e.Type, t
			return nl, nil
		}
		return &Cast{X: x, Decl: e.Type, T: t}, nil
	case *ast.Func:
		return b.bindFunc(e, sc, allowAgg)
	}
	return nil, errs.At(e.Position(), errs.Unsupported, "unsupported expression %T", e)
}

// comparison builds l op r for a comparison operator: a Binary under
// BINARY collation, else a CollCmp.
func comparison(op string, l, r Expr) Expr {
	if c := compareColl(l, r); c != value.CollBinary {
		return &CollCmp{Op: op, L: l, R: r, Coll: c}
	}
	return &Binary{Op: op, L: l, R: r, T: TBool}
}

// listColl is the collation of x IN (list): x's explicit collation, else
// an item's explicit one, else x's column collation.
func listColl(x Expr, list []Expr) value.Collation {
	if c, explicit := CollationOf(x); explicit {
		return c
	}
	for _, it := range list {
		if c, explicit := CollationOf(it); explicit {
			return c
		}
	}
	c, _ := CollationOf(x)
	return c
}

func typeOfValue(v value.Value) Type {
	switch v.K {
	case value.Int:
		return TInt
	case value.Real:
		return TFloat
	case value.Text:
		return TText
	case value.Blob:
		return TBlob
	}
	return TNull
}

func bindLiteral(e *ast.Literal) (Expr, error) {
	switch e.Kind {
	case ast.LitNull:
		return &Const{V: value.NullValue, T: TNull}, nil
	case ast.LitInt:
		if i, err := strconv.ParseInt(e.Raw, 10, 64); err == nil {
			return &Const{V: value.FromInt(i), T: TInt}, nil
		}
		if strings.HasPrefix(strings.ToLower(e.Raw), "0x") {
			u, err := strconv.ParseUint(e.Raw[2:], 16, 64)
			if err == nil {
				return &Const{V: value.FromInt(int64(u)), T: TInt}, nil
			}
		}
		f, err := strconv.ParseFloat(e.Raw, 64)
		if err != nil {
			return nil, errs.At(e.P, errs.Syntax, "bad number %s", e.Raw)
		}
		return &Const{V: value.FromFloat(f), T: TFloat}, nil
	case ast.LitFloat:
		f, err := strconv.ParseFloat(e.Raw, 64)
		if err != nil {
			return nil, errs.At(e.P, errs.Syntax, "bad number %s", e.Raw)
		}
		return &Const{V: value.FromFloat(f), T: TFloat}, nil
	case ast.LitString:
		return &Const{V: value.FromText(e.Raw), T: TText}, nil
	case ast.LitBool:
		if strings.EqualFold(e.Raw, "TRUE") {
			return &Const{V: value.FromInt(1), T: TInt}, nil
		}
		return &Const{V: value.FromInt(0), T: TInt}, nil
	case ast.LitBlob:
		bs, err := hex.DecodeString(e.Raw)
		if err != nil {
			return nil, errs.At(e.P, errs.Syntax, "malformed blob literal")
		}
		return &Const{V: value.FromBlob(bs), T: TBlob}, nil
	}
	return nil, errs.At(e.P, errs.Internal, "unknown literal")
}

func (b *Binder) bindSubquery(q *ast.Query, sc *scope, kind SubKind, pos errs.Pos) (*Subquery, error) {
	sub := &subCtx{}
	inner := &scope{parent: sc, sub: sub}
	n, err := b.bindQuery(q, inner)
	if err != nil {
		return nil, err
	}
	cols := n.Columns()
	sq := &Subquery{Kind: kind, Plan: n, Inner: sub.inner, Outer: sub.outer, T: TBool}
	if kind != SubExists {
		if len(cols) != 1 {
			return nil, errs.At(pos, errs.WrongArgs, "sub-select returns %d columns - expected 1", len(cols))
		}
		if kind == SubScalar {
			sq.T = cols[0].Type
			sq.Aff = cols[0].Aff
		}
	}
	return sq, nil
}

// bindNL binds a natural-language expression: its context is the columns
// it names with {col}, or else every text-like column in scope.
func (b *Binder) bindNL(e *ast.NL, sc *scope) (Expr, error) {
	nl := &NLExpr{Pos: e.P, Text: e.Text, T: TBool}
	if len(e.Refs) > 0 {
		for _, r := range e.Refs {
			t, n := "", r
			if i := strings.LastIndex(r, "."); i >= 0 {
				t, n = r[:i], r[i+1:]
			}
			ref, err := sc.lookup(t, n, e.P)
			if err != nil {
				return nil, err
			}
			nl.Context = append(nl.Context, *ref)
		}
		return nl, nil
	}
	for _, c := range sc.cols {
		if !c.hidden && (c.Type == TText || c.Type == TBlob || c.Type == TAny) {
			nl.Context = append(nl.Context, ColRef{ID: c.ID, Name: qual(c.Table, c.Name), T: c.Type, Aff: c.Aff})
		}
	}
	if len(nl.Context) == 0 {
		return nil, errs.At(e.P, errs.WrongArgs, "natural-language expression %q has no text column to read; name one with {column}", e.Text)
	}
	return nl, nil
}

func (b *Binder) bindFunc(e *ast.Func, sc *scope, allowAgg bool) (Expr, error) {
	if e.Name == "ci_low" || e.Name == "ci_high" {
		// CI_LOW(agg) / CI_HIGH(agg): a bound of an aggregate's interval.
		var inner *ast.Func
		if len(e.Args) == 1 {
			inner, _ = unparen(e.Args[0]).(*ast.Func)
		}
		if inner == nil || !(udf.IsAggregate(inner.Name, len(inner.Args)) || inner.Star) {
			return nil, errs.At(e.P, errs.WrongArgs, "%s() takes one aggregate call, e.g. %s(COUNT(*))", strings.ToUpper(e.Name), strings.ToUpper(e.Name))
		}
		x, err := b.bindFunc(inner, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		call := *x.(*AggRef).Call
		call.Bound = strings.TrimPrefix(e.Name, "ci_")
		if call.T == TInt && call.Name != "count" {
			call.T = TAny
		}
		return &AggRef{Call: &call}, nil
	}
	if udf.IsAggregate(e.Name, len(e.Args)) || (e.Star && e.Name == "count") {
		if !allowAgg {
			return nil, errs.At(e.P, errs.MisplacedAgg, "misuse of aggregate function %s()", e.Name)
		}
		call := &AggCall{Name: e.Name, Distinct: e.Distinct, Star: e.Star}
		if e.Name == "string_agg" {
			call.Name = "group_concat"
		}
		if !e.Star {
			for _, a := range e.Args {
				// Arguments of an aggregate may not contain aggregates.
				be, err := b.bindExpr(a, sc, false)
				if err != nil {
					return nil, err
				}
				call.Args = append(call.Args, be)
			}
		}
		switch call.Name {
		case "count":
			if !e.Star && len(call.Args) != 1 {
				return nil, errs.At(e.P, errs.WrongArgs, "wrong number of arguments to function count()")
			}
			call.T = TInt
		case "sum":
			if len(call.Args) != 1 {
				return nil, errs.At(e.P, errs.WrongArgs, "wrong number of arguments to function sum()")
			}
			switch call.Args[0].Type() {
			case TInt, TBool:
				call.T = TInt
			case TFloat:
				call.T = TFloat
			case TNull:
				call.T = TNull
			default:
				call.T = TAny
			}
		case "avg", "total":
			if len(call.Args) != 1 {
				return nil, errs.At(e.P, errs.WrongArgs, "wrong number of arguments to function %s()", call.Name)
			}
			call.T = TFloat
		case "min", "max":
			call.T = call.Args[0].Type()
			if call.T == TBool {
				call.T = TInt
			}
		case "group_concat":
			if len(call.Args) < 1 || len(call.Args) > 2 {
				return nil, errs.At(e.P, errs.WrongArgs, "wrong number of arguments to function group_concat()")
			}
			call.T = TText
		}
		if len(call.Args) > 0 {
			call.Coll, _ = CollationOf(call.Args[0])
		}
		if e.Distinct && len(call.Args) != 1 {
			return nil, errs.At(e.P, errs.WrongArgs, "DISTINCT aggregates must have exactly one argument")
		}
		return &AggRef{Call: call}, nil
	}
	if strings.EqualFold(e.Name, "iif") && !e.Star && !e.Distinct {
		// iif(c, a, b) is CASE WHEN c THEN a ELSE b END: only the chosen
		// branch is evaluated.
		if len(e.Args) != 3 {
			return nil, errs.At(e.P, errs.WrongArgs, "wrong number of arguments to function iif()")
		}
		return b.bindExpr(&ast.Case{At: e.At, Whens: []*ast.When{{At: e.At, Cond: e.Args[0], Result: e.Args[1]}}, Else: e.Args[2]}, sc, allowAgg)
	}
	f, ok := udf.LookupScalar(e.Name)
	if !ok {
		return nil, errs.At(e.P, errs.UnknownFunction, "no such function: %s", e.Name)
	}
	if e.Star || e.Distinct {
		return nil, errs.At(e.P, errs.WrongArgs, "%s() is not an aggregate function", e.Name)
	}
	if len(e.Args) < f.MinArgs || (f.MaxArgs >= 0 && len(e.Args) > f.MaxArgs) {
		return nil, errs.At(e.P, errs.WrongArgs, "wrong number of arguments to function %s()", e.Name)
	}
	args := make([]Expr, len(e.Args))
	for i, a := range e.Args {
		be, err := b.bindExpr(a, sc, allowAgg)
		if err != nil {
			return nil, err
		}
		args[i] = be
	}
	var t Type
	switch f.Ret {
	case udf.RetInt:
		t = TInt
	case udf.RetFloat:
		t = TFloat
	case udf.RetText:
		t = TText
	case udf.RetBlob:
		t = TBlob
	case udf.RetFirst:
		t = args[0].Type()
	case udf.RetNumFirst:
		t = args[0].Type()
		if t == TBool {
			t = TInt
		}
		if !isNumeric(t) && t != TNull {
			t = TAny
		}
	case udf.RetUnify:
		t = TNull
		for _, a := range args {
			t = Unify(t, a.Type())
		}
	default:
		t = TAny
	}
	if t == TBool {
		t = TInt
	}
	return &Func{Name: f.Name, Args: args, T: t}, nil
}
