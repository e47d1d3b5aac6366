package optimizer

import (
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// foldConstants replaces every subexpression that reads no column,
// subquery, aggregate or model with its value.
//
// Why it is correct: such an expression has the same value for every row
// and evaluation has no side effects, so evaluating it once at plan time
// gives the same result. A subexpression whose evaluation fails (or whose
// value would not fit its static type) is left alone, so an error still
// surfaces at run time only if the row that evaluates it exists, exactly as
// without folding. It also optimizes subquery plans.
func foldConstants(n planner.Node) planner.Node {
	return mapNode(n, func(n planner.Node) planner.Node {
		mapExprs(n, func(e planner.Expr) planner.Expr {
			return fold(optimizeSubqueries(e))
		})
		return n
	})
}

func fold(e planner.Expr) planner.Expr {
	return planner.Rewrite(e, func(x planner.Expr) planner.Expr {
		if _, ok := x.(*planner.Const); ok {
			return nil
		}
		if !planner.IsConstant(x) {
			return nil
		}
		v, ok := planner.FoldConst(x)
		if !ok || !fits(v, x.Type()) {
			return nil
		}
		return &planner.Const{V: v, T: x.Type()}
	})
}

// fits reports whether v can be carried by an array of static type t
// without changing its value.
func fits(v value.Value, t planner.Type) bool {
	if v.IsNull() {
		return true
	}
	switch t {
	case planner.TInt, planner.TBool:
		return v.K == value.Int
	case planner.TFloat:
		return v.K == value.Real
	case planner.TText:
		return v.K == value.Text
	case planner.TBlob:
		return v.K == value.Blob
	case planner.TAny:
		return true
	}
	return false
}
