package optimizer

import (
	"github.com/uqe-dev/uqe/planner"
)

// decorrelate turns filter conjuncts that are subqueries into semi and anti
// hash joins where that pays:
//
//   - x IN (uncorrelated subquery) becomes a semi join of the input with the
//     subquery on x = its column;
//   - [NOT] EXISTS (subquery correlated through equalities) becomes a semi
//     (anti) join whose keys are those equalities, the subquery's other
//     correlated conjuncts becoming the join's residual condition.
//
// Why it is correct: a filter keeps a row when its condition is TRUE. x IN
// S is TRUE exactly when x is not NULL and some non-NULL y in S equals x; a
// semi join on x = y emits the left row once when some right row has an
// equal, non-NULL key, which is the same set of rows in the same order
// (keys are only hashed when hashing decides SQL equality, see hashable).
// EXISTS is never NULL: EXISTS (SELECT ... FROM R WHERE p(outer, inner)) is
// TRUE exactly when some row of R satisfies p for this outer row, which is
// the semi join of the outer rows with R on p; NOT EXISTS is its
// complement, the anti join. The rewrite only applies when the subquery's
// body is made of scans, filters and inner joins (so moving its correlated
// conjuncts up to the join does not change which inner rows exist) and when
// no other part of it reads the outer row.
func decorrelate(n planner.Node) planner.Node {
	return mapNode(n, func(n planner.Node) planner.Node {
		switch x := n.(type) {
		case *planner.Filter:
			var keep []planner.Expr
			var joins []*planner.Join
			for _, c := range planner.Conjuncts(x.Cond) {
				if j := semiJoinFor(c); j != nil {
					joins = append(joins, j)
				} else {
					keep = append(keep, c)
				}
			}
			if len(joins) == 0 {
				return n
			}
			var node planner.Node = x.In
			if len(keep) > 0 {
				node = &planner.Filter{In: x.In, Cond: planner.And(keep)}
			}
			return wrapJoins(node, joins)
		case *planner.Scan:
			var keep []planner.Expr
			var joins []*planner.Join
			for _, c := range x.Filters {
				if j := semiJoinFor(c); j != nil {
					joins = append(joins, j)
				} else {
					keep = append(keep, c)
				}
			}
			if len(joins) == 0 {
				return n
			}
			x.Filters = keep
			return wrapJoins(x, joins)
		}
		return n
	})
}

func wrapJoins(n planner.Node, joins []*planner.Join) planner.Node {
	for _, j := range joins {
		j.L = n
		n = j
	}
	return n
}

// semiJoinFor returns the semi/anti join (with L unset) equivalent to a
// filter conjunct, or nil.
func semiJoinFor(c planner.Expr) *planner.Join {
	s, ok := c.(*planner.Subquery)
	if !ok {
		return nil
	}
	switch {
	case s.Kind == planner.SubIn && !s.Not && len(s.Inner) == 0:
		col := s.Plan.Columns()[0]
		ref := &planner.ColRef{ID: col.ID, Name: col.Name, T: col.Type, Aff: col.Aff}
		if !hashable(s.X, ref) || planner.HasSubquery(s.X) {
			return nil
		}
		return &planner.Join{Kind: planner.JoinSemi, R: s.Plan, LeftKeys: []planner.Expr{s.X}, RightKeys: []planner.Expr{ref}}
	case s.Kind == planner.SubExists && len(s.Inner) > 0:
		return existsJoin(s)
	}
	return nil
}

func existsJoin(s *planner.Subquery) *planner.Join {
	p, ok := s.Plan.(*planner.Project)
	if !ok || !simpleBody(p.In) {
		return nil
	}
	outer := map[planner.ColID]planner.Expr{}
	for i, id := range s.Inner {
		outer[id] = s.Outer[i]
	}
	readsOuter := func(e planner.Expr) bool {
		for id := range planner.ColsUsed(e) {
			if _, ok := outer[id]; ok {
				return true
			}
		}
		return false
	}
	// Take the correlated conjuncts out of the body.
	var correlated []planner.Expr
	take := func(cs []planner.Expr) []planner.Expr {
		var keep []planner.Expr
		for _, c := range cs {
			if readsOuter(c) && !planner.HasSubquery(c) {
				correlated = append(correlated, c)
			} else {
				keep = append(keep, c)
			}
		}
		return keep
	}
	body := cloneBody(p.In)
	var walk func(n planner.Node) planner.Node
	walk = func(n planner.Node) planner.Node {
		switch x := n.(type) {
		case *planner.Scan:
			x.Filters = take(x.Filters)
		case *planner.Filter:
			x.In = walk(x.In)
			rest := take(planner.Conjuncts(x.Cond))
			if len(rest) == 0 {
				return x.In
			}
			x.Cond = planner.And(rest)
		case *planner.Join:
			x.L, x.R = walk(x.L), walk(x.R)
			if x.Cond != nil {
				x.Cond = planner.And(take(planner.Conjuncts(x.Cond)))
			}
		}
		return n
	}
	body = walk(body)
	// Nothing else may read the outer row.
	still := false
	var check func(n planner.Node)
	check = func(n planner.Node) {
		for _, e := range planner.NodeExprs(n) {
			if readsOuter(e) {
				still = true
			}
		}
		for _, c := range n.Children() {
			check(c)
		}
	}
	check(body)
	if still || len(correlated) == 0 {
		return nil
	}
	inner := map[planner.ColID]bool{}
	for _, c := range body.Columns() {
		inner[c.ID] = true
	}
	onlyOuter := func(e planner.Expr) bool {
		used := planner.ColsUsed(e)
		for id := range used {
			if _, ok := outer[id]; !ok {
				return false
			}
		}
		return len(used) > 0
	}
	onlyInner := func(e planner.Expr) bool {
		used := planner.ColsUsed(e)
		for id := range used {
			if !inner[id] {
				return false
			}
		}
		return len(used) > 0
	}
	toOuter := func(e planner.Expr) planner.Expr {
		return planner.Rewrite(e, func(x planner.Expr) planner.Expr {
			if r, ok := x.(*planner.ColRef); ok {
				if o, ok := outer[r.ID]; ok {
					return o
				}
			}
			return nil
		})
	}
	j := &planner.Join{Kind: planner.JoinSemi, R: body}
	if s.Not {
		j.Kind = planner.JoinAnti
	}
	var rest []planner.Expr
	for _, c := range correlated {
		b, ok := c.(*planner.Binary)
		if ok && b.Op == "=" && hashable(b.L, b.R) {
			switch {
			case onlyOuter(b.L) && onlyInner(b.R):
				j.LeftKeys = append(j.LeftKeys, toOuter(b.L))
				j.RightKeys = append(j.RightKeys, b.R)
				continue
			case onlyOuter(b.R) && onlyInner(b.L):
				j.LeftKeys = append(j.LeftKeys, toOuter(b.R))
				j.RightKeys = append(j.RightKeys, b.L)
				continue
			}
		}
		rest = append(rest, toOuter(c))
	}
	if len(j.LeftKeys) == 0 {
		return nil // no equality: a memoised subquery is as good
	}
	j.Cond = planner.And(rest)
	return j
}

// simpleBody reports whether a plan is made only of scans, filters and
// inner/cross joins.
func simpleBody(n planner.Node) bool {
	switch x := n.(type) {
	case *planner.Scan:
		return true
	case *planner.Filter:
		return simpleBody(x.In)
	case *planner.Join:
		return (x.Kind == planner.JoinInner || x.Kind == planner.JoinCross) && simpleBody(x.L) && simpleBody(x.R)
	}
	return false
}

// cloneBody copies the nodes of a simple body (expressions are shared;
// they are immutable once bound) so the original subquery plan is intact
// if the rewrite is abandoned.
func cloneBody(n planner.Node) planner.Node {
	switch x := n.(type) {
	case *planner.Scan:
		c := *x
		c.Filters = append([]planner.Expr(nil), x.Filters...)
		return &c
	case *planner.Filter:
		c := *x
		c.In = cloneBody(x.In)
		return &c
	case *planner.Join:
		c := *x
		c.L, c.R = cloneBody(x.L), cloneBody(x.R)
		return &c
	}
	return n
}
