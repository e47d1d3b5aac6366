package optimizer

import "github.com/uqe-dev/uqe/planner"

// splitSemFilters moves the conjuncts of a semantic filter that contain no
// natural-language expression into an ordinary Filter below it, so that
// structured predicates run first and the model never judges a row they
// already reject.
//
// Why it is correct: a row passes c1 AND c2 exactly when it passes c1 and
// then c2; conjuncts are deterministic and have no side effects, so
// checking the structured ones first, on the semantic filter's input,
// keeps the same rows in the same order. (NULL, i.e. unknown, rejects a
// row in either position.)
func splitSemFilters(n planner.Node) planner.Node {
	return mapNode(n, func(n planner.Node) planner.Node {
		sf, ok := n.(*planner.SemFilter)
		if !ok {
			return n
		}
		var structured, semantic []planner.Expr
		for _, c := range planner.Conjuncts(sf.Cond) {
			if planner.HasNL(c) {
				semantic = append(semantic, c)
			} else {
				structured = append(structured, c)
			}
		}
		if len(structured) == 0 {
			return n
		}
		in := planner.Node(&planner.Filter{In: sf.In, Cond: planner.And(structured)})
		if len(semantic) == 0 {
			return in
		}
		return &planner.SemFilter{In: in, Cond: planner.And(semantic)}
	})
}
