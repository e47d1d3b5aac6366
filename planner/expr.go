package planner

import (
	"fmt"

	"github.com/uqe-dev/uqe/errs"
	"strings"

	"github.com/uqe-dev/uqe/value"
)

// Expr is a bound scalar expression.
type Expr interface {
	Type() Type
}

// ColRef reads a column by ID: from the operator's input, or, inside a
// correlated subquery, from the outer row.
type ColRef struct {
	ID   ColID
	Name string
	T    Type
	Aff  value.Affinity
	Coll value.Collation // the column's collation (declared, or of its defining expression)
}

// Const is a constant.
type Const struct {
	V value.Value
	T Type
}

// Unary is NOT x, -x, +x or ~x.
type Unary struct {
	Op string
	X  Expr
	T  Type
}

// Binary is a binary operator: AND OR = <> < <= > >= IS, IS NOT, + - * / %
// || & | << >>.
type Binary struct {
	Op   string
	L, R Expr
	T    Type
}

// Collate is x COLLATE name: the value of x, with an explicit collation
// for the comparisons, sorting and grouping that use it. Operators resolve
// their collation at bind time (CollCmp, InList.Coll, When.Coll,
// SortKey.Coll, Col.Coll), so evaluation passes the value through.
type Collate struct {
	X    Expr
	Coll value.Collation
}

// CollCmp is a comparison (= <> < <= > >= IS, IS NOT) of two operands
// under a collation other than BINARY (Binary comparisons are always
// BINARY; keeping the two apart means nothing that hashes Binary equality
// keys can ignore a collation).
type CollCmp struct {
	Op   string
	L, R Expr
	Coll value.Collation
}

// Func is a scalar function call.
type Func struct {
	Name string
	Args []Expr
	T    Type
}

// AggRef is an aggregate call as it appears in an expression before the
// planner hoists it into an Aggregate node.
type AggRef struct {
	Call *AggCall
}

// When is one branch of a Case.
type When struct {
	Cond, Result Expr
	// Coll is the collation comparing the CASE operand with Cond.
	Coll value.Collation
}

// Case is CASE [operand] WHEN ... END.
type Case struct {
	Operand Expr
	Whens   []When
	Else    Expr
	T       Type
}

// Cast is CAST(x AS type).
type Cast struct {
	X    Expr
	Decl string
	T    Type
}

// Like is LIKE / GLOB.
type Like struct {
	Not, Glob       bool
	X, Pattern, Esc Expr
}

// InList is x [NOT] IN (list).
type InList struct {
	Not  bool
	X    Expr
	List []Expr
	Coll value.Collation // of the comparisons x = item
}

// IsNull is x IS [NOT] NULL.
type IsNull struct {
	Not bool
	X   Expr
}

// SubKind is the kind of a subquery expression.
type SubKind int

const (
	SubScalar SubKind = iota
	SubExists
	SubIn
)

// Subquery is a subquery used as a value, EXISTS, or IN. A correlated
// subquery reads outer columns: Inner[i] is the column ID its plan reads,
// and Outer[i] the expression in the enclosing query that supplies it
// (usually a ColRef with the same ID; after aggregation, the column of the
// Aggregate that carries it). Both are empty if it is uncorrelated.
type Subquery struct {
	Kind  SubKind
	Not   bool
	X     Expr // IN operand
	Plan  Node
	Inner []ColID
	Outer []Expr
	T     Type
	// Aff is the affinity of the subquery's (first) result column.
	Aff value.Affinity
}

// NLExpr is a natural-language expression, judged by a model over Context.
type NLExpr struct {
	Pos     errs.Pos // where the phrase was written
	Text    string
	Context []ColRef // the columns the model sees
	T       Type     // TBool as a predicate; the requested type for extraction
	Cast    string   // declared type of CAST("..." AS type), "" for free text
}

func (e *ColRef) Type() Type   { return e.T }
func (e *Const) Type() Type    { return e.T }
func (e *Unary) Type() Type    { return e.T }
func (e *Binary) Type() Type   { return e.T }
func (e *Func) Type() Type     { return e.T }
func (e *Collate) Type() Type  { return e.X.Type() }
func (e *CollCmp) Type() Type  { return TBool }
func (e *AggRef) Type() Type   { return e.Call.T }
func (e *Case) Type() Type     { return e.T }
func (e *Cast) Type() Type     { return e.T }
func (e *Like) Type() Type     { return TBool }
func (e *InList) Type() Type   { return TBool }
func (e *IsNull) Type() Type   { return TBool }
func (e *Subquery) Type() Type { return e.T }
func (e *NLExpr) Type() Type   { return e.T }

func (a *AggCall) String() string {
	var b strings.Builder
	if a.Bound != "" {
		b.WriteString("ci_" + a.Bound + "(")
	}
	b.WriteString(a.Name)
	b.WriteByte('(')
	if a.Distinct {
		b.WriteString("DISTINCT ")
	}
	if a.Star {
		b.WriteByte('*')
	}
	b.WriteString(exprList(a.Args))
	b.WriteByte(')')
	if a.Bound != "" {
		b.WriteByte(')')
	}
	return b.String()
}

// ExprString renders a bound expression for EXPLAIN.
func ExprString(e Expr) string {
	switch e := e.(type) {
	case nil:
		return "<nil>"
	case *ColRef:
		return e.Name
	case *Const:
		if e.V.K == value.Text {
			return "'" + strings.ReplaceAll(e.V.S, "'", "''") + "'"
		}
		return e.V.String()
	case *Unary:
		if e.Op == "NOT" {
			return "NOT " + ExprString(e.X)
		}
		return e.Op + ExprString(e.X)
	case *Binary:
		return "(" + ExprString(e.L) + " " + e.Op + " " + ExprString(e.R) + ")"
	case *Func:
		return e.Name + "(" + exprList(e.Args) + ")"
	case *Collate:
		return ExprString(e.X) + " COLLATE " + e.Coll.String()
	case *CollCmp:
		return "(" + ExprString(e.L) + " " + e.Op + " " + ExprString(e.R) + " COLLATE " + e.Coll.String() + ")"
	case *AggRef:
		return e.Call.String()
	case *Case:
		var b strings.Builder
		b.WriteString("CASE")
		if e.Operand != nil {
			b.WriteString(" " + ExprString(e.Operand))
		}
		for _, w := range e.Whens {
			b.WriteString(" WHEN " + ExprString(w.Cond) + " THEN " + ExprString(w.Result))
		}
		if e.Else != nil {
			b.WriteString(" ELSE " + ExprString(e.Else))
		}
		b.WriteString(" END")
		return b.String()
	case *Cast:
		return "CAST(" + ExprString(e.X) + " AS " + e.Decl + ")"
	case *Like:
		op := " LIKE "
		if e.Glob {
			op = " GLOB "
		}
		if e.Not {
			op = " NOT" + op
		}
		return ExprString(e.X) + op + ExprString(e.Pattern)
	case *InList:
		op := " IN ("
		if e.Not {
			op = " NOT IN ("
		}
		return ExprString(e.X) + op + exprList(e.List) + ")"
	case *IsNull:
		if e.Not {
			return ExprString(e.X) + " IS NOT NULL"
		}
		return ExprString(e.X) + " IS NULL"
	case *Subquery:
		s := "(subquery)"
		switch e.Kind {
		case SubExists:
			s = "EXISTS(subquery)"
		case SubIn:
			s = ExprString(e.X) + " IN (subquery)"
		}
		if e.Not {
			s = "NOT " + s
		}
		return s
	case *NLExpr:
		return `"` + strings.ReplaceAll(e.Text, `"`, `""`) + `"`
	}
	return fmt.Sprintf("%T", e)
}

// Children returns the direct sub-expressions of e (not descending into
// subquery plans).
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Unary:
		return []Expr{e.X}
	case *Binary:
		return []Expr{e.L, e.R}
	case *Collate:
		return []Expr{e.X}
	case *CollCmp:
		return []Expr{e.L, e.R}
	case *Func:
		return e.Args
	case *AggRef:
		return e.Call.Args
	case *Case:
		var out []Expr
		if e.Operand != nil {
			out = append(out, e.Operand)
		}
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Result)
		}
		if e.Else != nil {
			out = append(out, e.Else)
		}
		return out
	case *Cast:
		return []Expr{e.X}
	case *Like:
		out := []Expr{e.X, e.Pattern}
		if e.Esc != nil {
			out = append(out, e.Esc)
		}
		return out
	case *InList:
		return append([]Expr{e.X}, e.List...)
	case *IsNull:
		return []Expr{e.X}
	case *Subquery:
		out := []Expr{}
		if e.X != nil {
			out = append(out, e.X)
		}
		return append(out, e.Outer...)
	case *NLExpr:
		out := make([]Expr, len(e.Context))
		for i := range e.Context {
			out[i] = &e.Context[i]
		}
		return out
	}
	return nil
}

// Rewrite rebuilds e bottom-up: fn is applied to every node after its
// children were rewritten; returning nil keeps the node.
func Rewrite(e Expr, fn func(Expr) Expr) Expr {
	if e == nil {
		return nil
	}
	switch x := e.(type) {
	case *Unary:
		c := *x
		c.X = Rewrite(x.X, fn)
		e = &c
	case *Binary:
		c := *x
		c.L, c.R = Rewrite(x.L, fn), Rewrite(x.R, fn)
		e = &c
	case *Collate:
		c := *x
		c.X = Rewrite(x.X, fn)
		e = &c
	case *CollCmp:
		c := *x
		c.L, c.R = Rewrite(x.L, fn), Rewrite(x.R, fn)
		e = &c
	case *Func:
		c := *x
		c.Args = rewriteList(x.Args, fn)
		e = &c
	case *Case:
		c := *x
		c.Operand = Rewrite(x.Operand, fn)
		c.Whens = make([]When, len(x.Whens))
		for i, w := range x.Whens {
			c.Whens[i] = When{Cond: Rewrite(w.Cond, fn), Result: Rewrite(w.Result, fn), Coll: w.Coll}
		}
		c.Else = Rewrite(x.Else, fn)
		e = &c
	case *Cast:
		c := *x
		c.X = Rewrite(x.X, fn)
		e = &c
	case *Like:
		c := *x
		c.X, c.Pattern, c.Esc = Rewrite(x.X, fn), Rewrite(x.Pattern, fn), Rewrite(x.Esc, fn)
		e = &c
	case *InList:
		c := *x
		c.X = Rewrite(x.X, fn)
		c.List = rewriteList(x.List, fn)
		e = &c
	case *IsNull:
		c := *x
		c.X = Rewrite(x.X, fn)
		e = &c
	case *Subquery:
		c := *x
		c.X = Rewrite(x.X, fn)
		c.Outer = rewriteList(x.Outer, fn)
		e = &c
	}
	if r := fn(e); r != nil {
		return r
	}
	return e
}

func rewriteList(es []Expr, fn func(Expr) Expr) []Expr {
	out := make([]Expr, len(es))
	for i, a := range es {
		out[i] = Rewrite(a, fn)
	}
	return out
}

// Walk visits e and its sub-expressions in pre-order.
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	for _, c := range Children(e) {
		Walk(c, fn)
	}
}

// ColsUsed returns the IDs of all columns e reads (including those read by
// correlated subqueries).
func ColsUsed(e Expr) map[ColID]bool {
	m := map[ColID]bool{}
	Walk(e, func(x Expr) bool {
		if c, ok := x.(*ColRef); ok {
			m[c.ID] = true
		}
		return true
	})
	return m
}

// HasNL reports whether e contains a natural-language expression.
func HasNL(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*NLExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// HasSubquery reports whether e contains a subquery.
func HasSubquery(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*Subquery); ok {
			found = true
		}
		return !found
	})
	return found
}

// Equal reports structural equality of two bound expressions.
func Equal(a, b Expr) bool {
	switch x := a.(type) {
	case *ColRef:
		y, ok := b.(*ColRef)
		return ok && x.ID == y.ID
	case *Const:
		y, ok := b.(*Const)
		return ok && x.V.K == y.V.K && x.V.Key() == y.V.Key()
	case *Unary:
		y, ok := b.(*Unary)
		return ok && x.Op == y.Op && Equal(x.X, y.X)
	case *Binary:
		y, ok := b.(*Binary)
		return ok && x.Op == y.Op && Equal(x.L, y.L) && Equal(x.R, y.R)
	case *Collate:
		y, ok := b.(*Collate)
		return ok && x.Coll == y.Coll && Equal(x.X, y.X)
	case *CollCmp:
		y, ok := b.(*CollCmp)
		return ok && x.Op == y.Op && x.Coll == y.Coll && Equal(x.L, y.L) && Equal(x.R, y.R)
	case *Func:
		y, ok := b.(*Func)
		return ok && x.Name == y.Name && equalList(x.Args, y.Args)
	case *AggRef:
		y, ok := b.(*AggRef)
		return ok && x.Call.Name == y.Call.Name && x.Call.Distinct == y.Call.Distinct && x.Call.Bound == y.Call.Bound &&
			x.Call.Star == y.Call.Star && equalList(x.Call.Args, y.Call.Args)
	case *Case:
		y, ok := b.(*Case)
		if !ok || len(x.Whens) != len(y.Whens) || !equalOpt(x.Operand, y.Operand) || !equalOpt(x.Else, y.Else) {
			return false
		}
		for i := range x.Whens {
			if x.Whens[i].Coll != y.Whens[i].Coll || !Equal(x.Whens[i].Cond, y.Whens[i].Cond) || !Equal(x.Whens[i].Result, y.Whens[i].Result) {
				return false
			}
		}
		return true
	case *Cast:
		y, ok := b.(*Cast)
		return ok && x.Decl == y.Decl && Equal(x.X, y.X)
	case *Like:
		y, ok := b.(*Like)
		return ok && x.Not == y.Not && x.Glob == y.Glob && Equal(x.X, y.X) && Equal(x.Pattern, y.Pattern) && equalOpt(x.Esc, y.Esc)
	case *InList:
		y, ok := b.(*InList)
		return ok && x.Not == y.Not && x.Coll == y.Coll && Equal(x.X, y.X) && equalList(x.List, y.List)
	case *IsNull:
		y, ok := b.(*IsNull)
		return ok && x.Not == y.Not && Equal(x.X, y.X)
	case *NLExpr:
		y, ok := b.(*NLExpr)
		return ok && x.Text == y.Text && x.Cast == y.Cast
	}
	return false // subqueries are never considered equal
}

func equalOpt(a, b Expr) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return Equal(a, b)
}

func equalList(a, b []Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// CollationOf returns the collation an expression brings to a comparison
// and whether it is explicit (a COLLATE operator) rather than a column's.
// Other expressions have none (BINARY, not explicit).
func CollationOf(e Expr) (value.Collation, bool) {
	switch e := e.(type) {
	case *Collate:
		return e.Coll, true
	case *ColRef:
		return e.Coll, false
	}
	return value.CollBinary, false
}

// compareColl is SQLite's rule for the collation of a comparison: the
// left operand's explicit collation, else the right's, else the left
// operand's column collation, else the right's.
func compareColl(l, r Expr) value.Collation {
	lc, lx := CollationOf(l)
	rc, rx := CollationOf(r)
	switch {
	case lx:
		return lc
	case rx:
		return rc
	case lc != value.CollBinary:
		return lc
	}
	return rc
}

// Conjuncts splits e on AND.
func Conjuncts(e Expr) []Expr {
	if b, ok := e.(*Binary); ok && b.Op == "AND" {
		return append(Conjuncts(b.L), Conjuncts(b.R)...)
	}
	if e == nil {
		return nil
	}
	return []Expr{e}
}

// And joins conjuncts with AND (nil for none).
func And(es []Expr) Expr {
	var out Expr
	for _, e := range es {
		if out == nil {
			out = e
		} else {
			out = &Binary{Op: "AND", L: out, R: e, T: TBool}
		}
	}
	return out
}

// nodeSubqueries lists the subqueries in a node's own expressions.
func nodeSubqueries(n Node) []*Subquery {
	var out []*Subquery
	visit := func(e Expr) {
		Walk(e, func(x Expr) bool {
			if s, ok := x.(*Subquery); ok {
				out = append(out, s)
			}
			return true
		})
	}
	for _, e := range NodeExprs(n) {
		visit(e)
	}
	return out
}

// NodeExprs returns the expressions a node evaluates itself.
func NodeExprs(n Node) []Expr {
	switch n := n.(type) {
	case *Scan:
		return n.Filters
	case *Values:
		var out []Expr
		for _, r := range n.Rows {
			out = append(out, r...)
		}
		return out
	case *Filter:
		return []Expr{n.Cond}
	case *Project:
		return n.Exprs
	case *Aggregate:
		out := append([]Expr{}, n.Groups...)
		for _, a := range n.Aggs {
			out = append(out, a.Args...)
		}
		return out
	case *Join:
		out := append(append([]Expr{}, n.LeftKeys...), n.RightKeys...)
		if n.Cond != nil {
			out = append(out, n.Cond)
		}
		return out
	case *Sort:
		var out []Expr
		for _, k := range n.Keys {
			out = append(out, k.E)
		}
		return out
	case *SemFilter:
		return []Expr{n.Cond}
	case *SemJoin:
		return []Expr{n.Cond}
	}
	return nil
}
