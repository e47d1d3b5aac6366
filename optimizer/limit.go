package optimizer

import "github.com/uqe-dev/uqe/planner"

// limitIntoSemFilter tells a semantic filter how many rows the query
// needs when a LIMIT sits above it with only projections in between, so
// that it can search for that many passing rows instead of judging every
// row.
//
// Why it is correct: without ORDER BY, SQL leaves the choice of the LIMIT's
// rows to the engine; a projection maps rows one to one; so any
// count+offset rows that pass the filter give a correct answer. The filter
// still returns only rows whose condition was evaluated true.
func limitIntoSemFilter(n planner.Node) planner.Node {
	return mapNode(n, func(n planner.Node) planner.Node {
		l, ok := n.(*planner.Limit)
		if !ok || l.Count < 0 {
			return n
		}
		in := l.In
		for {
			p, ok := in.(*planner.Project)
			if !ok {
				break
			}
			in = p.In
		}
		if sf, ok := in.(*planner.SemFilter); ok && l.Count+l.Offset > 0 {
			sf.Limit = l.Count + l.Offset
		}
		return n
	})
}
