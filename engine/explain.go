package engine

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/planner"
)

// semanticNote is EXPLAIN's line under a semantic operator: the strategy
// and the estimated rows judged, tokens, money and expected error.
func (s *Session) semanticNote(n planner.Node) string {
	note := s.semanticNoteBody(n)
	if note == "" {
		return ""
	}
	if b, err := s.backend(); err == nil {
		if ap, ok := b.(interface{ Approximate() bool }); ok && ap.Approximate() {
			note += "\nmodel: " + b.Name() + " (the built-in local model: every answer is approximate)"
		}
	}
	return note
}

func (s *Session) semanticNoteBody(n planner.Node) string {
	var in, judged float64
	var nl *planner.NLExpr
	strategy := "exact"
	switch x := n.(type) {
	case *planner.SemFilter:
		in = planner.EstimateRows(x.In)
		judged = in
		for _, a := range nlsOf(x.Cond) {
			nl = a
			break
		}
		if in >= 0 && nl != nil {
			return s.filterNote(x, in, nl)
		}
	case *planner.SemMap:
		in = planner.EstimateRows(x.In)
		judged, nl = in, x.Exprs[0]
	case *planner.SemGroup:
		in = planner.EstimateRows(x.In)
		judged, nl = in+math.Min(in, 100), x.Key
		strategy = "exact (taxonomy from a uniform sample of up to 100 rows, then every row assigned)"
	case *planner.SemRank:
		in = planner.EstimateRows(x.In)
		judged, nl = in, x.Key
		strategy = "pointwise scores"
		if x.Limit > 0 && float64(x.Limit) < in {
			m := math.Min(in, float64(x.Limit+x.Limit/2+2))
			judged += 2 * m * math.Ceil(math.Log2(m))
			strategy = fmt.Sprintf("pointwise scores, then pairwise refinement of the top %.0f", m)
		}
	case *planner.SemJoin:
		l, r := planner.EstimateRows(x.L), planner.EstimateRows(x.R)
		in = l * r
		judged = in
		strategy = "nested loop (every pair)"
		if in > 4096 && s.settings["strategy"] != "exact" {
			judged = l * math.Min(r, 10)
			strategy = "blocking by embedding similarity (top 10 per left row)"
		}
		for _, a := range nlsOf(x.Cond) {
			nl = a
			break
		}
	default:
		return ""
	}
	if in < 0 || nl == nil {
		return "strategy=" + strategy + " (input size unknown)"
	}
	perRow := s.tokensPerRow(n, nl)
	prompt := judged * (perRow + 20)
	completion := judged * 6
	money := "unknown"
	if b, err := s.backend(); err == nil {
		pin, pout := b.Price()
		money = fmt.Sprintf("$%.4f", (prompt*pin+completion*pout)/1e6)
	}
	note := fmt.Sprintf("strategy=%s est_rows_judged=%.0f est_tokens=%.0f est_cost=%s expected_error=0", strategy, judged, prompt+completion, money)
	if b := s.effectiveBudget(); b > 0 && judged > float64(b) {
		note += fmt.Sprintf("\nestimated rows judged exceed the budget of %d: the statement fails before its first call unless the budget is raised", b)
	}
	return note
}

func nlsOf(e planner.Expr) []*planner.NLExpr {
	var out []*planner.NLExpr
	planner.Walk(e, func(x planner.Expr) bool {
		if nl, ok := x.(*planner.NLExpr); ok {
			out = append(out, nl)
		}
		return true
	})
	return out
}

// tokensPerRow estimates the tokens of one row of a phrase's context from
// the first batch of the scan that provides those columns (about four
// characters per token); 100 when no scan can tell.
func (s *Session) tokensPerRow(n planner.Node, nl *planner.NLExpr) float64 {
	want := map[planner.ColID]bool{}
	for _, c := range nl.Context {
		want[c.ID] = true
	}
	var total, rows float64
	var visit func(n planner.Node)
	visit = func(n planner.Node) {
		if sc, ok := n.(*planner.Scan); ok {
			var idx []int
			for i, c := range sc.Cols {
				if want[c.ID] {
					idx = append(idx, i)
				}
			}
			if len(idx) == 0 {
				return
			}
			rr, err := sc.Source.Scan(context.Background(), s.db.mem)
			if err != nil {
				return
			}
			defer rr.Release()
			if !rr.Next() {
				return
			}
			rec := rr.RecordBatch()
			for r := 0; r < int(rec.NumRows()) && r < 256; r++ {
				for _, i := range idx {
					if a, ok := rec.Column(i).(*array.String); ok && !a.IsNull(r) {
						total += float64(llm.EstimateTokens(a.Value(r)))
					}
				}
				rows++
			}
			return
		}
		for _, c := range n.Children() {
			visit(c)
		}
	}
	visit(n)
	if rows == 0 {
		return 100
	}
	return total / rows
}

// filterNote is EXPLAIN's note for a semantic filter: the candidate
// strategies with their estimated rows judged, tokens, cost and expected
// error, and which one runs and why. The selectivity comes from what the
// phrase selected in earlier statements (remembered beside the cache), or
// 0.5 when nothing is known.
func (s *Session) filterNote(x *planner.SemFilter, in float64, nl *planner.NLExpr) string {
	p, known := 0.5, "assumed"
	if st, ok := s.db.phraseStore().get(nl.Text); ok && st.Judged >= 10 {
		p = math.Max(float64(st.True), 0.5) / float64(st.Judged)
		known = fmt.Sprintf("from %d rows judged before", st.Judged)
	}
	perRow := s.tokensPerRow(x, nl)
	cost := func(rows float64) string {
		tok := rows*(perRow+20) + rows*6
		money := "unknown"
		if b, err := s.backend(); err == nil {
			pin, pout := b.Price()
			money = fmt.Sprintf("$%.4f", (rows*(perRow+20)*pin+rows*6*pout)/1e6)
		}
		return fmt.Sprintf("est_rows_judged=%.0f est_tokens=%.0f est_cost=%s", rows, tok, money)
	}
	budget := float64(s.effectiveBudget())
	lines := []string{fmt.Sprintf("rows to judge ~%.0f, selectivity ~%.2f (%s)", in, p, known)}
	exact := "exact: " + cost(in) + " expected_error=0"
	switch {
	case x.Limit > 0:
		want := float64(x.Limit)
		scan := math.Min(in, want/p)
		lines = append(lines, "candidates:", "  "+exact,
			fmt.Sprintf("  search (prior, then active learning) for %d rows: %s (at most; stops at %d found)", x.Limit, cost(math.Min(in, math.Max(want, scan))), x.Limit))
		lines = append(lines, "chosen: search, because the LIMIT needs only some of the passing rows")
	case s.underApproxAgg[x]:
		lines = append(lines, "candidates:", "  "+exact)
		if budget > 0 && in > budget {
			n := budget
			fpc := math.Sqrt(math.Max(0, 1-n/in))
			relErr := 1.96 * math.Sqrt((1-p)/(p*n)) * fpc
			lines = append(lines, fmt.Sprintf("  sampled (%s): %s expected_error=±%.0f%% (95%%)", s.settings["strategy"], cost(n), 100*relErr))
			if s.settings["strategy"] == "exact" {
				lines = append(lines, "chosen: exact (SET strategy = exact); it exceeds the budget, so the statement fails before its first call")
			} else {
				lines = append(lines, fmt.Sprintf("chosen: sampled, because exact would judge ~%.0f rows and the budget is %.0f", in, budget))
			}
		} else {
			lines = append(lines, "chosen: exact, because the budget covers every row")
		}
	default:
		lines = append(lines, exact)
		if budget > 0 && in > budget {
			lines = append(lines, fmt.Sprintf("estimated rows judged exceed the budget of %.0f: the statement fails before its first call unless the budget is raised", budget))
		}
	}
	return strings.Join(lines, "\n")
}

// effectiveBudget is the budget that limits the session's model: none for
// the built-in local model, which costs nothing.
func (s *Session) effectiveBudget() int64 {
	if b, err := s.backend(); err == nil {
		if ap, ok := b.(interface{ Approximate() bool }); ok && ap.Approximate() {
			return 0
		}
	}
	return s.Budget()
}
