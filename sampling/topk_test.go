package sampling

import (
	"context"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestTopScores: on populations whose scores follow the embedding and
// whose prior is only weakly informative, the rounds guided by the score
// proxy find more of the true top 10 than scoring the same number of rows
// in the prior's order; no row is scored twice and the budget holds.
func TestTopScores(t *testing.T) {
	const N, budget, k = 4000, 300, 10
	var active, byPrior int
	for seed := uint64(1); seed <= 8; seed++ {
		pop, _ := synth(N, 0.1, seed)
		rng := rand.New(rand.NewPCG(seed, 7))
		u := make([]float64, len(pop.Emb[0]))
		for j := range u {
			u[j] = rng.NormFloat64()
		}
		score := make([]float64, N)
		for i, e := range pop.Emb {
			for j, x := range e {
				score[i] += float64(x) * u[j]
			}
			score[i] += 0.2 * rng.NormFloat64()
			pop.Prior[i] = score[i] + 3*rng.NormFloat64() // weak prior
		}
		seen := map[int]bool{}
		calls := 0
		oracle := func(_ context.Context, rows []int) ([]float64, error) {
			calls++
			out := make([]float64, len(rows))
			for i, r := range rows {
				if seen[r] {
					t.Fatalf("row %d scored twice", r)
				}
				seen[r] = true
				out[i] = score[r]
			}
			return out, nil
		}
		rows, sc, err := TopScores(context.Background(), pop, oracle, budget, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != budget || len(sc) != budget || len(seen) != budget {
			t.Fatalf("scored %d rows (%d scores, %d asked) for a budget of %d", len(rows), len(sc), len(seen), budget)
		}
		for i, r := range rows {
			if sc[i] != score[r] {
				t.Fatalf("score of row %d is %v, want %v", r, sc[i], score[r])
			}
		}
		top := make([]int, N)
		for i := range top {
			top[i] = i
		}
		sort.Slice(top, func(a, b int) bool { return score[top[a]] > score[top[b]] })
		inTop := map[int]bool{}
		for _, r := range top[:k] {
			inTop[r] = true
		}
		for _, r := range rows {
			if inTop[r] {
				active++
			}
		}
		prior := make([]int, N)
		for i := range prior {
			prior[i] = i
		}
		sort.Slice(prior, func(a, b int) bool { return pop.Prior[prior[a]] > pop.Prior[prior[b]] })
		for _, r := range prior[:budget] {
			if inTop[r] {
				byPrior++
			}
		}
	}
	t.Logf("true top-%d rows scored over 8 populations: %d guided, %d in the prior's order", k, active, byPrior)
	if active < 2*byPrior || active < 8*k/2 {
		t.Errorf("guided rounds found %d of the %d true top rows, the prior's order %d", active, 8*k, byPrior)
	}
	// a budget that covers every row scores every row
	pop, _ := synth(50, 0.1, 3)
	rows, _, err := TopScores(context.Background(), pop, func(_ context.Context, r []int) ([]float64, error) {
		return make([]float64, len(r)), nil
	}, 50, 5)
	if err != nil || len(rows) != 50 {
		t.Errorf("full budget: %d rows, %v", len(rows), err)
	}
}
