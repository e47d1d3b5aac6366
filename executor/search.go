package executor

import (
	"context"
	"fmt"
	"sort"

	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/sampling"
	"github.com/uqe-dev/uqe/value"
)

// search finds Limit rows that pass a semantic filter while judging few:
// rows the structured part decides are taken (or dropped) for free; then
// the undecided rows are judged in the order of a zero-shot prior (their
// text's similarity to the phrase, window by window for long texts),
// re-ranked after every verdict by an online proxy on their embeddings and
// TF-IDF vectors (package sampling; features from rowFeatures), until
// enough rows passed or the budget is spent. Only rows judged true are
// returned.
func (x *Exec) search(n *planner.SemFilter, m Model, be *batchEnv) ([]bool, error) {
	rows := int(be.rec.NumRows())
	pass := make([]bool, rows)
	var need []int
	found := 0
	env := &rowEnv{batchEnv: be}
	for i := 0; i < rows; i++ {
		env.row = i
		v, ok, err := decide(n.Cond, env)
		if err != nil {
			return nil, err
		}
		if ok {
			if t, _ := value.Truth(v); t && int64(found) < n.Limit {
				pass[i] = true
				found++
			}
			continue
		}
		need = append(need, i)
	}
	x.Sem.RowsIn += int64(rows)
	x.Sem.RowsDecided += int64(rows - len(need))
	k := int(n.Limit) - found
	if k <= 0 || len(need) == 0 {
		x.strategy(n, "search: the structured predicates decided enough rows")
		return pass, nil
	}
	atoms := nlAtoms(n.Cond)
	budget := len(need)
	if b := m.Budget(); b != nil && b.Remaining() >= 0 {
		budget = min(budget, int(b.Remaining()))
	}
	emb, lex, prior, err := x.rowFeatures(be, atoms, need, true)
	if err != nil {
		return nil, err
	}
	pop := &sampling.Population{N: len(need), Emb: emb, Lex: lex, Prior: prior}
	judgedSoFar, foundSoFar := 0, 0
	tick, done := x.progressLine(func() string {
		return fmt.Sprintf("search: %d rows judged, %d of %d found", judgedSoFar, foundSoFar, k)
	})
	defer done()
	oracle := func(ctx context.Context, idx []int) ([]bool, error) {
		defer tick()
		br := make([]int, len(idx))
		for i, j := range idx {
			br[i] = need[j]
		}
		ans, err := x.judgeAtoms(m, be, atoms, br, rows)
		if err != nil {
			return nil, err
		}
		ne := &nlRowEnv{rowEnv: rowEnv{batchEnv: be}, ans: ans}
		out := make([]bool, len(br))
		for i, r := range br {
			ne.row = r
			v, err := planner.EvalRow(n.Cond, ne)
			if err != nil {
				return nil, err
			}
			out[i], _ = value.Truth(v)
			judgedSoFar++
			if out[i] {
				foundSoFar++
			}
		}
		return out, nil
	}
	got, judged, recall, err := sampling.Search(x.Ctx, pop, oracle, k, budget, uint64(x.Seed))
	if err != nil {
		return nil, err
	}
	sort.Ints(got)
	for _, j := range got {
		pass[need[j]] = true
	}
	note := fmt.Sprintf("search: %d of %d undecided rows judged, %d of %d wanted rows found", judged, len(need), len(got), k)
	if len(got) < k && judged < len(need) {
		note += fmt.Sprintf(", stopped by the budget (recall at least about %.2f: a lower bound assuming the unjudged rows are no likelier to be true than the judged ones)", recall)
	}
	x.strategy(n, note)
	return pass, nil
}
