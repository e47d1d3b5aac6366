package engine

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/executor"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/sampling"
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
	expErr := "0"
	switch x := n.(type) {
	case *planner.SemFilter:
		in = planner.EstimateRows(x.In)
		counted := false
		if x.Limit > 0 || s.underApproxAgg[x] {
			if n, ok := s.countRows(x.In); ok {
				in, counted = n, true
			}
		}
		judged = in
		for _, a := range nlsOf(x.Cond) {
			nl = a
			break
		}
		if in >= 0 && nl != nil {
			return s.filterNote(x, in, counted, nl)
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
			reserve := float64(executor.RankReserve(int(in), int(x.Limit)))
			judged += reserve
			strategy = fmt.Sprintf("pointwise scores, then pairwise refinement of the top %.0f", m)
			if b := float64(s.effectiveBudget()); b > 0 && judged > b && b-reserve >= float64(x.Limit) && s.settings["strategy"] != "exact" {
				judged = b
				strategy = fmt.Sprintf("budgeted (approximate): %.0f of ~%.0f rows scored, first in the order of their similarity to the phrase, then in the order a score proxy refitted every round predicts; the top %.0f of them refined pairwise (%.0f rows kept for comparisons)", b-reserve, in, math.Min(m, b-reserve), reserve)
				expErr = "unknown (rows never scored may belong in the top)"
			}
		}
	case *planner.SemJoin:
		l, r := planner.EstimateRows(x.L), planner.EstimateRows(x.R)
		if s.underApproxJoin[x] {
			// the sides are counted (they have no phrase of their own)
			if n, ok := s.countRows(x.L); ok {
				l = n
			}
			if n, ok := s.countRows(x.R); ok {
				r = n
			}
		}
		in = l * r
		judged = in
		strategy = "nested loop (every pair)"
		budget := float64(s.effectiveBudget())
		if s.underApproxJoin[x] && in >= 0 && budget > 0 && in > budget && in <= executor.MaxSampledPairs {
			if s.settings["strategy"] == "exact" {
				strategy = fmt.Sprintf("exact (SET strategy = exact): %.0f pairs, over the budget of %.0f, so the statement fails before its first call", in, budget)
			} else {
				judged = budget
				expErr = fmt.Sprintf("±%.0f%% (95%%, uniform sampling's at an assumed selectivity of 0.5)", 100*relErrAt(1.96, 1, 0.5, budget, in))
				strategy = fmt.Sprintf("sampled (%s): %.0f of %.0f pairs of the cross product judged, stratified by the similarity of their rows' embeddings; the aggregate is estimated with a 95%% interval over all pairs", s.settings["strategy"], budget, in)
			}
		} else if in > 4096 && s.settings["strategy"] != "exact" {
			judged = l * math.Min(r, 10)
			strategy = "blocking by embedding similarity (top 10 per left row)"
			expErr = "unknown (pairs outside the blocks are never judged)"
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
	note := fmt.Sprintf("strategy=%s est_rows_judged=%.0f est_tokens=%.0f est_cost=%s expected_error=%s", strategy, judged, prompt+completion, money, expErr)
	if b := s.effectiveBudget(); b > 0 && judged > float64(b) {
		note += fmt.Sprintf("\nestimated rows judged exceed the budget of %d: the statement fails before its first call unless the budget is raised", b)
	}
	return note
}

// countRows counts the rows a plan without natural-language expressions
// produces (the rows left after structured filters, which are what a
// semantic filter above it judges), by running it; ok is false when the
// plan has phrases or fails.
func (s *Session) countRows(n planner.Node) (float64, bool) {
	if firstNL(n) != nil {
		return 0, false
	}
	x := executor.New(context.Background(), s.db.mem)
	x.Seed = mustInt(s.settings["seed"])
	op, err := x.Build(n)
	if err != nil {
		return 0, false
	}
	defer op.Close()
	var rows int64
	for {
		b, err := op.Next()
		if err != nil {
			return 0, false
		}
		if b == nil {
			return float64(rows), true
		}
		rows += b.NumRows()
		b.Release()
	}
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

// defaultErrorRatio is, per sampling strategy, its mean relative error of
// a COUNT over uniform sampling's as measured in docs/evaluation.md
// ("COUNT: error relative to uniform sampling", noise 0.00, budget 128):
// for common predicates (true rate at least rareRate) and for rare ones.
// Its square is the default design effect, used until the statistics
// store has learned one.
var defaultErrorRatio = map[string][2]float64{
	"uniform":       {1, 1},
	"stratified":    {0.62, 0.99},
	"stratified-b8": {0.64, 0.98},
	"neyman":        {0.60, 0.96},
	"prior-neyman":  {0.68, 0.70},
	"ppi":           {0.75, 1.00},
	"auto":          {0.56, 0.65},
}

// rareRate separates docs/evaluation.md's rare predicates (true rates
// 0.9%-2.7%) from its common ones (9.5%-52%).
const rareRate = 0.05

// costModel is what EXPLAIN knows of the cost of judging a phrase's rows:
// tokens per row and milliseconds per call, learned from the statistics
// store when it has them, and the client's batching.
type costModel struct {
	promptRow, complRow float64
	tokensFrom          string
	msPerCall           float64 // < 0: unknown
	latencyFrom         string
	pin, pout           float64
	priced              bool
	batch, conc         float64
}

func (s *Session) costModel(x planner.Node, nl *planner.NLExpr, lk lookup) costModel {
	c := costModel{promptRow: s.tokensPerRow(x, nl) + 20, complRow: 6, tokensFrom: "estimated from the text", msPerCall: -1, latencyFrom: "unknown: no model calls remembered"}
	if lk.ok && lk.st.ModelRows > 0 {
		c.promptRow = float64(lk.st.PromptTokens) / float64(lk.st.ModelRows)
		c.complRow = float64(lk.st.CompletionTokens) / float64(lk.st.ModelRows)
		c.tokensFrom = fmt.Sprintf("learned from %d rows sent to the model, %s", lk.st.ModelRows, lk.scope)
	}
	if lk.ok && lk.st.Calls > 0 {
		c.msPerCall = lk.st.LatencyMS / float64(lk.st.Calls)
		c.latencyFrom = fmt.Sprintf("learned from %d calls, %s", lk.st.Calls, lk.scope)
	}
	c.batch = float64(max(1, mustInt(s.settings["batch_size"])))
	c.conc = float64(max(1, mustInt(s.settings["concurrency"])))
	if b, err := s.backend(); err == nil {
		c.pin, c.pout = b.Price()
		c.priced = true
		if mb := b.MaxBatch(); mb >= 1 && float64(mb) < c.batch {
			c.batch = float64(mb)
		}
		if ap, ok := b.(interface{ Approximate() bool }); ok && ap.Approximate() {
			c.batch = float64(max(1, b.MaxBatch()))
		}
	}
	return c
}

// latency estimates the wall time of judging rows in rounds (each round's
// calls run concurrently, rounds one after another); sequential treats
// every call as its own round (a search judges a batch, then chooses the
// next).
func (c costModel) latency(rows, rounds float64, sequential bool) string {
	if c.msPerCall < 0 {
		return "unknown"
	}
	var waves float64
	switch {
	case rows <= 0:
	case sequential:
		waves = math.Ceil(rows / c.batch)
	default:
		rounds = math.Max(1, math.Min(rounds, math.Ceil(rows/c.batch)))
		waves = rounds * math.Ceil(math.Ceil(rows/rounds/c.batch)/c.conc)
	}
	ms := waves * c.msPerCall
	if ms >= 1000 {
		return fmt.Sprintf("%.1fs", ms/1000)
	}
	return fmt.Sprintf("%.0fms", ms)
}

func (c costModel) line(rows, rounds float64, sequential bool) string {
	return fmt.Sprintf("est_rows_judged=%.0f est_tokens=%.0f est_cost=%s est_latency=%s", rows, rows*(c.promptRow+c.complRow), money(c, rows), c.latency(rows, rounds, sequential))
}

// money is the estimated cost of judging rows, "unknown" without a price.
func money(c costModel, rows float64) string {
	if !c.priced {
		return "unknown"
	}
	return fmt.Sprintf("$%.4f", (rows*c.promptRow*c.pin+rows*c.complRow*c.pout)/1e6)
}

// candidate is one sampling strategy EXPLAIN weighs.
type candidate struct {
	name   string
	rows   float64 // expected rows judged
	deff   float64 // design effect
	from   string  // where the design effect comes from
	relErr float64 // expected relative half-width at the confidence level
	need   float64 // expected rows to reach target_error (0: no target)
}

// relErrAt is the relative half-width of a count's interval from n of N
// rows with true rate p under a design effect.
func relErrAt(z, deff, p, n, N float64) float64 {
	if n <= 0 {
		return math.Inf(1)
	}
	return z * math.Sqrt(deff*(1-p)/(p*n)*math.Max(0, 1-n/N))
}

// rowsFor is the number of rows a count needs judged for a relative
// half-width t (never more than N).
func rowsFor(z, deff, p, t, N float64) float64 {
	n0 := z * z * deff * (1 - p) / (p * t * t)
	return math.Min(N, math.Ceil(n0/(1+n0/N)))
}

// filterNote is EXPLAIN's note for a semantic filter: the statistics it
// rests on, the candidate strategies with their estimated rows judged,
// tokens, cost, latency and expected error, and which one runs and why.
// The selectivity, tokens per row and milliseconds per call come from
// what earlier statements observed of the phrase on this table version
// (or on any, remembered beside the cache), else from the text and a
// selectivity of 0.5; the expected error of a sampling strategy is
// uniform sampling's times the square root of its design effect, learned
// from the estimates it made before or taken from docs/evaluation.md.
func (s *Session) filterNote(x *planner.SemFilter, in float64, counted bool, nl *planner.NLExpr) string {
	store := s.db.phraseStore()
	versions, _ := s.db.phraseVersions(x)
	version := versions[nl.Text]
	lk := store.get(version, nl.Text)
	p, known := 0.5, "assumed"
	if lk.ok && lk.st.Judged >= 10 {
		p = math.Max(float64(lk.st.True), 0.5) / float64(lk.st.Judged)
		known = fmt.Sprintf("from %d rows judged before, %s", lk.st.Judged, lk.scope)
	}
	cm := s.costModel(x, nl, lk)
	budget := float64(s.effectiveBudget())
	conf, _ := strconv.ParseFloat(s.settings["confidence"], 64)
	z := sampling.ZFor(conf)
	target, _ := strconv.ParseFloat(s.settings["target_error"], 64)
	pct := fmt.Sprintf("(%s%%)", strconv.FormatFloat(100*conf, 'f', -1, 64))
	rows := fmt.Sprintf("~%.0f (estimated)", in)
	if counted {
		rows = fmt.Sprintf("%.0f (counted: the rows left after structured filters)", in)
	}
	if x.Limit <= 0 && !s.underApproxAgg[x] {
		// No choice to explain: every row is judged.
		lines := []string{fmt.Sprintf("rows to judge %s, selectivity ~%.2f (%s)", strings.TrimSuffix(rows, " (estimated)"), p, known),
			fmt.Sprintf("exact: est_rows_judged=%.0f est_tokens=%.0f est_cost=%s expected_error=0", in, in*(cm.promptRow+cm.complRow), money(cm, in))}
		if budget > 0 && in > budget {
			lines = append(lines, fmt.Sprintf("estimated rows judged exceed the budget of %.0f: the statement fails before its first call unless the budget is raised", budget))
		}
		return strings.Join(lines, "\n")
	}
	lines := []string{fmt.Sprintf("rows to judge %s, selectivity ~%.2f (%s)", rows, p, known)}
	if version != "" {
		lines = append(lines, "table version: "+version)
	}
	lines = append(lines, fmt.Sprintf("cost model: ~%.0f prompt + %.0f completion tokens per row (%s); ms per call: %s; batch_size=%.0f concurrency=%.0f",
		cm.promptRow, cm.complRow, cm.tokensFrom, msText(cm), cm.batch, cm.conc))
	exact := "exact: " + cm.line(in, 1, false) + " expected_error=0"
	forced := s.settings["strategy"]
	switch {
	case x.Limit > 0:
		want := float64(x.Limit)
		scan := math.Min(in, want/p)
		lines = append(lines, "candidates:", "  "+exact,
			fmt.Sprintf("  search (prior, then active learning) for %d rows: %s (at most; stops at %d found)", x.Limit, cm.line(math.Min(in, math.Max(want, scan)), 1, true), x.Limit))
		lines = append(lines, "chosen: search, because the LIMIT needs only some of the passing rows")
	default: // under an aggregate that can be estimated from a sample
		if budget <= 0 || in <= budget {
			lines = append(lines, "candidates:", "  "+exact)
			why := "the budget covers every row"
			if budget <= 0 {
				why = "there is no budget limit"
			}
			if forced != "exact" && forced != "auto" {
				why += fmt.Sprintf(" (SET strategy = %s applies only when sampling)", forced)
			}
			lines = append(lines, "chosen: exact, because "+why)
			break
		}
		single := len(nlsOf(x.Cond)) == 1
		rounds := 4.0
		if target > 0 {
			rounds = 8
		}
		lines = append(lines, "candidates:", "  "+exact+fmt.Sprintf(" (over the budget of %.0f)", budget))
		var cands []candidate
		var notApplicable []string
		for _, name := range sampling.Strategies() {
			if name == "exact" {
				continue
			}
			if name == "prior-neyman" && !single {
				notApplicable = append(notApplicable, name+" (its prior needs a single phrase)")
				continue
			}
			c := candidate{name: name, rows: budget}
			d, runs, scope := store.designEffect(version, nl.Text, name)
			switch {
			case runs > 0:
				c.deff = d
				c.from = fmt.Sprintf("learned from %d run%s %s", runs, plural(runs), scope)
			default:
				r, ok := defaultErrorRatio[name]
				k := 0
				if p < rareRate {
					k = 1
				}
				c.deff = r[k] * r[k]
				c.from = "default from docs/evaluation.md"
				if !ok {
					c.deff, c.from = 1, "no measurement: assumed as uniform's"
				}
			}
			if target > 0 {
				c.need = rowsFor(z, c.deff, p, target, in)
				c.rows = math.Min(budget, c.need)
			}
			c.relErr = relErrAt(z, c.deff, p, c.rows, in)
			cands = append(cands, c)
			lines = append(lines, fmt.Sprintf("  %s: %s expected_error=±%.1f%% %s (design effect %.2f, %s)", name, cm.line(c.rows, rounds, false), 100*c.relErr, pct, c.deff, c.from))
		}
		if len(notApplicable) > 0 {
			lines = append(lines, "not applicable: "+strings.Join(notApplicable, ", "))
		}
		over := fmt.Sprintf("exact would judge %.0f rows, over the budget of %.0f", in, budget)
		var chosen *candidate
		for i := range cands {
			if cands[i].name == forced {
				chosen = &cands[i]
			}
		}
		switch {
		case forced == "exact":
			lines = append(lines, "chosen: exact (SET strategy = exact); it exceeds the budget, so the statement fails before its first call")
		case chosen == nil:
			lines = append(lines, fmt.Sprintf("chosen: %s (SET strategy = %s); it is not applicable here, so the statement fails", forced, forced))
		case forced == "auto":
			why := "chosen: auto, because " + over + ", and auto is the default (the optimizer's own choice; SET strategy forces another)"
			best := cands[0]
			for _, c := range cands {
				if c.relErr < best.relErr {
					best = c
				}
			}
			if best.name != "auto" {
				why += fmt.Sprintf("; lowest expected error among the candidates: %s (±%.1f%%)", best.name, 100*best.relErr)
			}
			lines = append(lines, why)
		default:
			lines = append(lines, fmt.Sprintf("chosen: %s, because SET strategy = %s (%s)", forced, forced, over))
		}
		if chosen != nil && target > 0 {
			t := fmt.Sprintf("target_error ±%s%%: %s is expected to need ~%.0f rows judged", strconv.FormatFloat(100*target, 'f', -1, 64), chosen.name, chosen.need)
			if chosen.need >= in {
				t += " (every row)"
			}
			if chosen.need <= budget {
				t += fmt.Sprintf("; the budget of %.0f allows it (sampling stops early once the interval is that narrow)", budget)
			} else {
				t += fmt.Sprintf("; the budget of %.0f does not allow it (expected error at the budget ±%.1f%%)", budget, 100*chosen.relErr)
			}
			lines = append(lines, t)
		}
	}
	return strings.Join(lines, "\n")
}

func msText(c costModel) string {
	if c.msPerCall < 0 {
		return c.latencyFrom
	}
	return fmt.Sprintf("%.1f (%s)", c.msPerCall, c.latencyFrom)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// analyzeNote is EXPLAIN ANALYZE's account of the model calls' latency and
// of every COUNT estimated from a sample: its strategy, rows judged and
// relative half-width.
func analyzeNote(x *executor.Exec, client *llm.Client) string {
	var out string
	if tb, ok := client.Backend().(callTimer); ok {
		st := client.Stats()
		per := 0.0
		if st.Calls > 0 {
			per = tb.callMS() / float64(st.Calls)
		}
		out += fmt.Sprintf("latency: calls_ms=%.3f ms_per_call=%.3f (summed over calls; concurrent calls overlap)\n", tb.callMS(), per)
	}
	for _, e := range x.Estimates {
		rel := math.Inf(1)
		if e.Value > 0 {
			rel = (e.High - e.Low) / 2 / e.Value
		}
		out += fmt.Sprintf("estimate: %s strategy=%s rows_judged=%d of %d undecided value=%.6g relative_half_width=±%.1f%% (%s%%)\n",
			strings.Join(quoteAll(e.Phrases), " "), e.Strategy, e.Judged, e.N, e.Value, 100*rel, strconv.FormatFloat(100*e.Conf, 'f', -1, 64))
	}
	return out
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
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
