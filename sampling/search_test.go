package sampling

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// clustered builds n rows of 24-d unit embeddings in 40 tight clusters;
// the true rows (about rate) are the members of 3 clusters. The prior is
// only mildly informative (a noisy shift for true rows), so finding true
// rows fast needs the verdicts. With lex, every row also gets a sparse
// lexical vector: its cluster's word and a few random ones.
func clustered(n int, rate float64, lex bool, seed uint64) (*Population, []bool) {
	rng := rand.New(rand.NewPCG(seed, 7))
	const d, k = 24, 40
	cent := make([][]float64, k)
	for c := range cent {
		cent[c] = make([]float64, d)
		for j := range cent[c] {
			cent[c][j] = rng.NormFloat64()
		}
	}
	// cluster sizes: the 3 true clusters together hold about rate of rows
	pTrue := rate / 3
	emb := make([][]float32, n)
	prior := make([]float64, n)
	truth := make([]bool, n)
	var lx []SparseVec
	if lex {
		lx = make([]SparseVec, n)
	}
	for i := range emb {
		c := 3 + rng.IntN(k-3)
		if u := rng.Float64(); u < rate {
			c = int(u / pTrue)
		}
		v := make([]float32, d)
		var s float64
		for j := range v {
			x := cent[c][j] + 0.35*rng.NormFloat64()
			v[j] = float32(x)
			s += x * x
		}
		for j := range v {
			v[j] /= float32(math.Sqrt(s))
		}
		emb[i] = v
		truth[i] = c < 3
		prior[i] = rng.NormFloat64()
		if truth[i] {
			prior[i] += 1
		}
		if lex {
			idx := []uint32{uint32(c)}
			for len(idx) < 4 {
				w := uint32(k + rng.IntN(200))
				if !slices.Contains(idx, w) {
					idx = append(idx, w)
				}
			}
			lx[i] = SparseVec{Idx: idx, Val: []float32{0.8, 0.35, 0.35, 0.35}}
		}
	}
	return &Population{N: n, Emb: emb, Lex: lx, Prior: prior}, truth
}

// TestSearchAutoClustered: on clustered true rows, auto finds k true rows
// with a high yield (far above the base rate), never returns a false row,
// never exceeds the budget nor judges a row twice, and is deterministic for
// a seed; its estimated recall is at most the true recall.
func TestSearchAutoClustered(t *testing.T) {
	cases := []struct {
		name      string
		n         int
		rate      float64
		lex       bool
		k, budget int
		minYield  float64
	}{
		// k exceeds one cluster's true rows: without lexical features the
		// search must leave an exhausted cluster (measured 0.36)
		{"emb+prior", 4000, 0.02, false, 30, 200, 0.3},
		{"emb+lex+prior", 4000, 0.02, true, 30, 200, 0.6},
		{"rarer", 8000, 0.01, true, 40, 256, 0.5},
		{"budget binds", 4000, 0.02, true, 80, 60, 0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pop, truth := clustered(c.n, c.rate, c.lex, 3)
			var prev []int
			for rep := 0; rep < 2; rep++ {
				o := newOracle(truth)
				found, judged, est, err := Search(context.Background(), pop, o.judge, c.k, c.budget, 5)
				if err != nil {
					t.Fatal(err)
				}
				if judged > c.budget || judged != len(o.seen) || o.dup > 0 {
					t.Fatalf("judged %d rows (%d distinct, %d repeats), budget %d", judged, len(o.seen), o.dup, c.budget)
				}
				for _, r := range found {
					if !truth[r] || !o.seen[r] {
						t.Fatalf("row %d returned but not judged true", r)
					}
				}
				if len(found) < c.k && judged < c.budget {
					t.Fatalf("stopped with %d of %d rows after %d of %d judged", len(found), c.k, judged, c.budget)
				}
				if y := float64(len(found)) / float64(judged); y < c.minYield {
					t.Errorf("yield %.2f (%d/%d), want ≥ %.2f (base rate %.3f)", y, len(found), judged, c.minYield, c.rate)
				}
				if est < 0 || est > 1 || math.IsNaN(est) {
					t.Errorf("estimated recall %v outside [0, 1]", est)
				}
				// the estimate is documented as a lower bound
				if tr := float64(len(found)) / float64(count(truth)); est > tr {
					t.Errorf("estimated recall %.3f above the true recall %.3f", est, tr)
				}
				if rep == 1 && !slices.Equal(prev, found) {
					t.Errorf("same seed, different rows: %v vs %v", prev, found)
				}
				prev = found
			}
		})
	}
}

// TestSearchAutoBeatsUniform: auto's yield is several times uniform's on
// the clustered population with a noisy oracle (5% of verdicts flipped),
// and it still returns only rows the oracle judged true.
func TestSearchAutoBeatsUniform(t *testing.T) {
	pop, truth := clustered(5000, 0.02, true, 11)
	rng := rand.New(rand.NewPCG(1, 1))
	noisy := make([]bool, len(truth))
	for i, v := range truth {
		noisy[i] = v != (rng.Float64() < 0.05)
	}
	yield := map[string]float64{}
	for _, s := range []string{"uniform", "auto"} {
		var sum float64
		for seed := uint64(0); seed < 3; seed++ {
			o := newOracle(noisy)
			found, judged, _, err := SearchWith(context.Background(), pop, o.judge, 30, 200, SearchOptions{Strategy: s, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range found {
				if !noisy[r] {
					t.Fatalf("%s returned row %d the oracle judged false", s, r)
				}
			}
			sum += float64(len(found)) / float64(max(judged, 1))
		}
		yield[s] = sum / 3
	}
	t.Logf("auto yield %.4f", yield["auto"])
	if yield["auto"] < 3*yield["uniform"] || yield["auto"] < 0.4 {
		t.Errorf("auto yield %.2f, uniform %.2f: want auto ≥ 0.4 and ≥ 3× uniform", yield["auto"], yield["uniform"])
	}
}

// TestTopUnjudged: the heap selection agrees with a full sort (score
// descending, ties by row), skipping judged rows.
func TestTopUnjudged(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	for _, c := range []struct{ n, m int }{{0, 5}, {10, 0}, {10, 3}, {50, 50}, {50, 80}, {1000, 64}} {
		sc := make([]float64, c.n)
		done := make([]bool, c.n)
		for i := range sc {
			sc[i] = float64(rng.IntN(20)) // many ties
			done[i] = rng.IntN(4) == 0
		}
		var want []int
		for i := range sc {
			if !done[i] {
				want = append(want, i)
			}
		}
		slices.SortStableFunc(want, func(a, b int) int { return cmpDesc(sc[a], sc[b], a, b) })
		want = want[:min(c.m, len(want))]
		got := topUnjudged(c.n, c.m, done, func(i int) float64 { return sc[i] })
		if !slices.Equal(got, want) {
			t.Errorf("n=%d m=%d: got %v, want %v", c.n, c.m, got, want)
		}
	}
}

// TestInsertTop: the top list keeps the largest values in descending
// order, and meanTop averages only the values seen so far.
func TestInsertTop(t *testing.T) {
	cases := []struct {
		in   []float32
		want []float32
		mean float64
	}{
		{nil, []float32{-2, -2, -2}, 0},
		{[]float32{0.5}, []float32{0.5, -2, -2}, 0.5},
		{[]float32{0.1, 0.9, 0.5, 0.7}, []float32{0.9, 0.7, 0.5}, 0.7},
		{[]float32{0.3, 0.3, 0.3, 0.3}, []float32{0.3, 0.3, 0.3}, 0.3},
	}
	for _, c := range cases {
		top := []float32{-2, -2, -2}
		for _, x := range c.in {
			insertTop(top, x)
		}
		if !slices.Equal(top, c.want) {
			t.Errorf("%v: top %v, want %v", c.in, top, c.want)
		}
		if m := meanTop(top, len(c.in)); math.Abs(m-c.mean) > 1e-6 {
			t.Errorf("%v: mean %v, want %v", c.in, m, c.mean)
		}
	}
}

// TestSearchAutoPriorOrderUntilTrue: until a row is judged true or
// autoPriorTrust rows are judged, auto judges the unjudged row of highest
// prior (the proxy is not trained on false rows alone), here with 12 false
// rows placed at the top of the prior.
func TestSearchAutoPriorOrderUntilTrue(t *testing.T) {
	for _, lex := range []bool{false, true} {
		pop, truth := clustered(3000, 0.02, lex, 9)
		prior := slices.Clone(pop.Prior)
		// the 12 false rows of the highest prior go to the very top
		byPrior := make([]int, pop.N)
		for i := range byPrior {
			byPrior[i] = i
		}
		slices.SortFunc(byPrior, func(a, b int) int { return cmpDesc(prior[a], prior[b], a, b) })
		top := 0
		for _, r := range byPrior {
			if top < 12 && !truth[r] {
				prior[r] = 100 - float64(top)
				top++
			}
		}
		pop = &Population{N: pop.N, Emb: pop.Emb, Lex: pop.Lex, Prior: prior}
		var order []int
		oracle := func(_ context.Context, rows []int) ([]bool, error) {
			out := make([]bool, len(rows))
			for k, r := range rows {
				order = append(order, r)
				out[k] = truth[r]
			}
			return out, nil
		}
		if _, _, _, err := Search(context.Background(), pop, oracle, 10, 100, 1); err != nil {
			t.Fatal(err)
		}
		if len(order) < autoPriorTrust {
			t.Fatalf("lex=%v: only %d rows judged", lex, len(order))
		}
		done := make([]bool, pop.N)
		for n, r := range order[:autoPriorTrust] {
			want := topUnjudged(pop.N, 1, done, func(i int) float64 { return prior[i] })[0]
			if r != want {
				t.Fatalf("lex=%v: row %d judged %d-th, want the prior's best unjudged row %d", lex, r, n+1, want)
			}
			done[r] = true
			if truth[r] {
				break
			}
		}
	}
}
