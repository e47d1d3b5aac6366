// Package optimizer owns the rewrite rules that turn a bound logical plan
// into the plan the executor runs: constant folding, predicate pushdown into
// scans and joins, join ordering that turns comma joins with equality
// predicates into hash joins, and projection pruning. Every rule has a name
// and a comment saying why it preserves the query's result. (The
// sampling-aware choice of strategies for semantic operators comes with the
// model layer.)
package optimizer

import (
	"github.com/uqe-dev/uqe/planner"
)

// Rule is a named plan rewrite.
type Rule struct {
	Name  string
	Apply func(planner.Node) planner.Node
}

// Rules are applied in order, once each.
var Rules []Rule

func init() {
	Rules = []Rule{
		{Name: "FoldConstants", Apply: foldConstants},
		{Name: "StructuredBeforeSemantic", Apply: splitSemFilters},
		{Name: "PushFiltersAndOrderJoins", Apply: orderJoins},
		{Name: "DecorrelateSubqueries", Apply: decorrelate},
		{Name: "LimitIntoSemanticFilter", Apply: limitIntoSemFilter},
		{Name: "PruneColumns", Apply: pruneColumns},
	}
}

// Optimize applies every rule, including inside subquery plans.
func Optimize(n planner.Node) planner.Node {
	for _, r := range Rules {
		n = r.Apply(n)
	}
	return n
}

// mapNode rebuilds a plan bottom-up, applying fn to every node after its
// children; expressions are rewritten with ex (nil: unchanged), and
// subquery plans inside expressions are optimized recursively by sub.
func mapNode(n planner.Node, fn func(planner.Node) planner.Node) planner.Node {
	for i, c := range n.Children() {
		n.SetChild(i, mapNode(c, fn))
	}
	return fn(n)
}

// mapExprs applies f to every expression a node evaluates.
func mapExprs(n planner.Node, f func(planner.Expr) planner.Expr) {
	switch n := n.(type) {
	case *planner.Scan:
		for i, e := range n.Filters {
			n.Filters[i] = f(e)
		}
	case *planner.Values:
		for _, r := range n.Rows {
			for i, e := range r {
				r[i] = f(e)
			}
		}
	case *planner.Filter:
		n.Cond = f(n.Cond)
	case *planner.Project:
		for i, e := range n.Exprs {
			n.Exprs[i] = f(e)
		}
	case *planner.Aggregate:
		for i, e := range n.Groups {
			n.Groups[i] = f(e)
		}
		for _, a := range n.Aggs {
			for i, e := range a.Args {
				a.Args[i] = f(e)
			}
		}
	case *planner.Join:
		if n.Cond != nil {
			n.Cond = f(n.Cond)
		}
		for i, e := range n.LeftKeys {
			n.LeftKeys[i] = f(e)
		}
		for i, e := range n.RightKeys {
			n.RightKeys[i] = f(e)
		}
	case *planner.Sort:
		for i, k := range n.Keys {
			n.Keys[i].E = f(k.E)
		}
	case *planner.SemFilter:
		n.Cond = f(n.Cond)
	case *planner.SemJoin:
		n.Cond = f(n.Cond)
	}
}

// optimizeSubqueries runs Optimize on the plans of subqueries inside e.
func optimizeSubqueries(e planner.Expr) planner.Expr {
	planner.Walk(e, func(x planner.Expr) bool {
		if s, ok := x.(*planner.Subquery); ok {
			s.Plan = Optimize(s.Plan)
		}
		return true
	})
	return e
}
