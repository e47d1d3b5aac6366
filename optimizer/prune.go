package optimizer

import "github.com/uqe-dev/uqe/planner"

// pruneColumns marks, for every scan, the columns the query reads.
//
// Why it is correct: column IDs are unique within a statement, so a column
// no expression anywhere in the plan (including subqueries and the final
// output) refers to can never influence the result; the scan still
// evaluates its pushed filters on the full row before dropping columns.
func pruneColumns(root planner.Node) planner.Node {
	used := map[planner.ColID]bool{}
	for _, c := range root.Columns() {
		used[c.ID] = true
	}
	var scans []*planner.Scan
	var visit func(n planner.Node)
	visitExpr := func(e planner.Expr) {
		planner.Walk(e, func(x planner.Expr) bool {
			switch x := x.(type) {
			case *planner.ColRef:
				used[x.ID] = true
			case *planner.Subquery:
				visit(x.Plan)
			}
			return true
		})
	}
	visit = func(n planner.Node) {
		if s, ok := n.(*planner.Scan); ok {
			scans = append(scans, s)
		}
		// Nodes that pass their input's columns through by position need
		// all of them.
		switch x := n.(type) {
		case *planner.SetOp, *planner.Distinct:
			for _, c := range x.Columns() {
				used[c.ID] = true
			}
			for _, ch := range x.Children() {
				for _, c := range ch.Columns() {
					used[c.ID] = true
				}
			}
		case *planner.SemMap:
			for _, e := range x.Exprs {
				visitExpr(e)
			}
		case *planner.SemGroup:
			visitExpr(x.Key)
		case *planner.SemRank:
			visitExpr(x.Key)
		}
		for _, e := range planner.NodeExprs(n) {
			visitExpr(e)
		}
		for _, c := range n.Children() {
			visit(c)
		}
	}
	visit(root)
	for _, s := range scans {
		s.Needed = make([]bool, len(s.Cols))
		for i, c := range s.Cols {
			s.Needed[i] = used[c.ID]
		}
	}
	return root
}
