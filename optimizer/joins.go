package optimizer

import (
	"sort"

	"github.com/uqe-dev/uqe/planner"
)

// orderJoins pushes filter conjuncts down to the relations they read and
// rebuilds every region of inner and cross joins as a left-deep tree of
// hash joins in a greedy order.
//
// Why it is correct: within a region of inner/cross joins and the filters
// directly above them, the result is the set of combinations of the
// relations' rows for which every conjunct is true; that set does not
// depend on the order in which relations are combined or on where each
// conjunct is checked, as long as it is checked after every relation it
// reads has joined (conjuncts are deterministic and have no side effects;
// columns from an enclosing query are constants here). An equality
// conjunct l = r, whose sides read disjoint sets of relations and whose
// types compare the same way under hashing as under SQL equality (both
// numeric, or both text with the same affinity), is checked by hashing
// instead: NULL keys never match, as NULL = x is never true. Parents
// address columns by ID, never by position, so the reordered output is
// read correctly (the select list's Project restores the user's order).
// Left joins are not reordered; only equality keys of their ON clause are
// extracted, which keeps unmatched left rows as before.
//
// Regions are found top-down (a filter above a region is part of it, so
// its conjuncts reach every relation), and the relations at the leaves are
// optimized recursively. A filter above a semantic join passes the
// conjuncts that read one side only into that side, so the model never
// judges a pair a structured predicate rejects (same argument: the
// conjunct holds for the pair exactly when it holds for that side's row).
func orderJoins(n planner.Node) planner.Node {
	switch x := n.(type) {
	case *planner.Filter:
		if isRegion(x.In) {
			return buildRegion(x)
		}
		if sj, ok := x.In.(*planner.SemJoin); ok && sj.Kind == planner.JoinInner {
			return orderJoins(pushIntoSemJoin(x, sj))
		}
		x.In = orderJoins(x.In)
		if s, ok := x.In.(*planner.Scan); ok && !planner.HasNL(x.Cond) {
			s.Filters = append(s.Filters, planner.Conjuncts(x.Cond)...)
			return s
		}
		return x
	case *planner.Join:
		if isRegion(x) {
			return buildRegion(x)
		}
		x.L, x.R = orderJoins(x.L), orderJoins(x.R)
		if x.Kind == planner.JoinLeft && x.Cond != nil && len(x.LeftKeys) == 0 {
			extractLeftKeys(x)
		}
		return x
	}
	for i, c := range n.Children() {
		n.SetChild(i, orderJoins(c))
	}
	return n
}

// pushIntoSemJoin moves the conjuncts of f that read only one side of an
// inner semantic join into a filter on that side.
func pushIntoSemJoin(f *planner.Filter, sj *planner.SemJoin) planner.Node {
	ids := func(n planner.Node) map[planner.ColID]bool {
		m := map[planner.ColID]bool{}
		for _, c := range n.Columns() {
			m[c.ID] = true
		}
		return m
	}
	lids, rids := ids(sj.L), ids(sj.R)
	var left, right, rest []planner.Expr
	for _, c := range planner.Conjuncts(f.Cond) {
		l, r := false, false
		for id := range planner.ColsUsed(c) {
			l = l || lids[id]
			r = r || rids[id]
		}
		switch {
		case planner.HasNL(c):
			rest = append(rest, c)
		case l && !r:
			left = append(left, c)
		case r && !l:
			right = append(right, c)
		default:
			rest = append(rest, c)
		}
	}
	if len(left) > 0 {
		sj.L = &planner.Filter{In: sj.L, Cond: planner.And(left)}
	}
	if len(right) > 0 {
		sj.R = &planner.Filter{In: sj.R, Cond: planner.And(right)}
	}
	if len(rest) == 0 {
		return sj
	}
	f.Cond = planner.And(rest)
	return f
}

func isRegion(n planner.Node) bool {
	j, ok := n.(*planner.Join)
	return ok && (j.Kind == planner.JoinInner || j.Kind == planner.JoinCross) && len(j.LeftKeys) == 0
}

type leaf struct {
	node planner.Node
	ids  map[planner.ColID]bool
	est  float64
	pos  int
}

type conj struct {
	e      planner.Expr
	leaves uint64 // bit set of leaves read
	done   bool
}

// collect flattens a region into its leaves and conjuncts.
func collect(n planner.Node, leaves *[]planner.Node, conds *[]planner.Expr) {
	switch x := n.(type) {
	case *planner.Filter:
		if isRegion(x.In) {
			*conds = append(*conds, planner.Conjuncts(x.Cond)...)
			collect(x.In, leaves, conds)
			return
		}
	case *planner.Join:
		if isRegion(x) {
			if x.Cond != nil {
				*conds = append(*conds, planner.Conjuncts(x.Cond)...)
			}
			collect(x.L, leaves, conds)
			collect(x.R, leaves, conds)
			return
		}
	}
	*leaves = append(*leaves, n)
}

func estimate(n planner.Node) float64 {
	switch x := n.(type) {
	case *planner.Scan:
		r := float64(x.Rows)
		if r < 0 {
			r = 10000
		}
		for _, f := range x.Filters {
			if b, ok := f.(*planner.Binary); ok && b.Op == "=" {
				r *= 0.1
			} else {
				r *= 0.5
			}
		}
		return r
	case *planner.Filter:
		return estimate(x.In) * 0.5
	case *planner.Values:
		return float64(len(x.Rows))
	}
	return 1000
}

func buildRegion(root planner.Node) planner.Node {
	var nodes []planner.Node
	var exprs []planner.Expr
	collect(root, &nodes, &exprs)
	if len(nodes) > 64 {
		return root
	}
	leaves := make([]*leaf, len(nodes))
	for i, n := range nodes {
		n = orderJoins(n)
		nodes[i] = n
		ids := map[planner.ColID]bool{}
		for _, c := range n.Columns() {
			ids[c.ID] = true
		}
		leaves[i] = &leaf{node: n, ids: ids, pos: i}
	}
	conds := make([]*conj, 0, len(exprs))
	for _, e := range exprs {
		c := &conj{e: e}
		for id := range planner.ColsUsed(e) {
			for i, l := range leaves {
				if l.ids[id] {
					c.leaves |= 1 << uint(i)
				}
			}
		}
		conds = append(conds, c)
	}
	// Push conjuncts that read at most one relation into it (conjuncts
	// reading none, i.e. constants and outer columns, go to the first).
	for _, c := range conds {
		if c.leaves&(c.leaves-1) != 0 || planner.HasNL(c.e) {
			continue
		}
		i := 0
		if c.leaves != 0 {
			for c.leaves&(1<<uint(i)) == 0 {
				i++
			}
		}
		leaves[i].node = pushFilter(leaves[i].node, c.e)
		c.done = true
	}
	for _, l := range leaves {
		l.est = estimate(l.node)
	}
	// Greedy left-deep order.
	remaining := append([]*leaf(nil), leaves...)
	sort.SliceStable(remaining, func(a, b int) bool { return remaining[a].est < remaining[b].est })
	cur := remaining[0]
	remaining = remaining[1:]
	node := cur.node
	var have uint64 = 1 << uint(cur.pos)
	for len(remaining) > 0 {
		pick := -1
		for i, l := range remaining {
			if len(equiKeys(conds, have, l.pos, leaves)) > 0 {
				pick = i
				break // remaining is sorted by estimate
			}
		}
		if pick < 0 {
			pick = 0
		}
		l := remaining[pick]
		remaining = append(remaining[:pick], remaining[pick+1:]...)
		j := &planner.Join{Kind: planner.JoinCross, L: node, R: l.node}
		for _, c := range equiKeys(conds, have, l.pos, leaves) {
			b := c.e.(*planner.Binary)
			lk, rk := b.L, b.R
			if sideOf(b.L, leaves)&(1<<uint(l.pos)) != 0 {
				lk, rk = b.R, b.L
			}
			j.LeftKeys = append(j.LeftKeys, lk)
			j.RightKeys = append(j.RightKeys, rk)
			c.done = true
		}
		have |= 1 << uint(l.pos)
		var rest []planner.Expr
		for _, c := range conds {
			if !c.done && c.leaves&^have == 0 && !planner.HasNL(c.e) {
				rest = append(rest, c.e)
				c.done = true
			}
		}
		j.Cond = planner.And(rest)
		if len(j.LeftKeys) > 0 || j.Cond != nil {
			j.Kind = planner.JoinInner
		}
		node = j
	}
	var rest []planner.Expr
	nl := false
	for _, c := range conds {
		if !c.done {
			rest = append(rest, c.e)
			nl = nl || planner.HasNL(c.e)
		}
	}
	if len(rest) > 0 {
		if nl {
			return &planner.SemFilter{In: node, Cond: planner.And(rest)}
		}
		return &planner.Filter{In: node, Cond: planner.And(rest)}
	}
	return node
}

func sideOf(e planner.Expr, leaves []*leaf) uint64 {
	var s uint64
	for id := range planner.ColsUsed(e) {
		for i, l := range leaves {
			if l.ids[id] {
				s |= 1 << uint(i)
			}
		}
	}
	return s
}

// hashable reports whether equality of a and b can be decided by hashing
// their values' keys: both numeric, or both text with the same affinity.
func hashable(a, b planner.Expr) bool {
	ta, tb := a.Type(), b.Type()
	num := func(t planner.Type) bool { return t == planner.TInt || t == planner.TFloat }
	if num(ta) && num(tb) {
		return true
	}
	return ta == planner.TText && tb == planner.TText && planner.AffOf(a) == planner.AffOf(b)
}

// equiKeys returns the pending equality conjuncts between the relations
// already joined (have) and relation p.
func equiKeys(conds []*conj, have uint64, p int, leaves []*leaf) []*conj {
	var out []*conj
	bit := uint64(1) << uint(p)
	for _, c := range conds {
		if c.done || c.leaves&bit == 0 || c.leaves&^(have|bit) != 0 || c.leaves&have == 0 {
			continue
		}
		b, ok := c.e.(*planner.Binary)
		if !ok || b.Op != "=" || planner.HasSubquery(b) || !hashable(b.L, b.R) {
			continue
		}
		ls, rs := sideOf(b.L, leaves), sideOf(b.R, leaves)
		if ls == 0 || rs == 0 || ls&rs != 0 {
			continue
		}
		if (ls == bit && rs&^have == 0) || (rs == bit && ls&^have == 0) {
			out = append(out, c)
		}
	}
	return out
}

func pushFilter(n planner.Node, e planner.Expr) planner.Node {
	switch x := n.(type) {
	case *planner.Scan:
		x.Filters = append(x.Filters, e)
		return x
	case *planner.Filter:
		x.Cond = planner.And([]planner.Expr{x.Cond, e})
		return x
	}
	return &planner.Filter{In: n, Cond: e}
}

// extractLeftKeys turns equality conjuncts of a LEFT JOIN's ON clause
// between the two sides into hash keys; the rest stays as the condition.
// The ON clause decides which pairs match; hashing finds exactly the pairs
// whose keys are equal and non-NULL, and the remaining conjuncts are then
// checked on those pairs, so the matches (and the unmatched left rows) are
// the same.
func extractLeftKeys(j *planner.Join) {
	lids, rids := map[planner.ColID]bool{}, map[planner.ColID]bool{}
	for _, c := range j.L.Columns() {
		lids[c.ID] = true
	}
	for _, c := range j.R.Columns() {
		rids[c.ID] = true
	}
	side := func(e planner.Expr) int {
		l, r := false, false
		for id := range planner.ColsUsed(e) {
			l = l || lids[id]
			r = r || rids[id]
		}
		switch {
		case l && !r:
			return 1
		case r && !l:
			return 2
		}
		return 0
	}
	var rest []planner.Expr
	for _, c := range planner.Conjuncts(j.Cond) {
		b, ok := c.(*planner.Binary)
		if ok && b.Op == "=" && !planner.HasSubquery(b) && hashable(b.L, b.R) {
			sl, sr := side(b.L), side(b.R)
			if sl == 1 && sr == 2 {
				j.LeftKeys, j.RightKeys = append(j.LeftKeys, b.L), append(j.RightKeys, b.R)
				continue
			}
			if sl == 2 && sr == 1 {
				j.LeftKeys, j.RightKeys = append(j.LeftKeys, b.R), append(j.RightKeys, b.L)
				continue
			}
		}
		rest = append(rest, c)
	}
	j.Cond = planner.And(rest)
}
