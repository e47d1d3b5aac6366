package sampling

import (
	"math"
	"runtime"
	"sync"
)

// kmeans clusters the embeddings into k clusters and returns each row's
// cluster. The centres are fitted on a seeded subsample of at most 256·k
// rows (k-means++ seeding, 8 Lloyd iterations); then every row is assigned
// to its nearest centre (in parallel over fixed chunks, so the result does
// not depend on scheduling).
func kmeans(emb [][]float32, k int, seed uint64) []int32 {
	n := len(emb)
	if n == 0 {
		return nil
	}
	if k > n {
		k = n
	}
	if k < 1 {
		k = 1
	}
	d := len(emb[0])
	rng := newRand(seed, 0x6b6d65616e73)
	m := 256 * k
	if m > n {
		m = n
	}
	// subsample without replacement (partial Fisher-Yates over indices)
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	for i := 0; i < m; i++ {
		j := i + rng.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	sub := perm[:m]
	// k-means++ seeding (squared distance = 2 - 2 cos for unit vectors;
	// computed in full for generality)
	cent := make([][]float32, 0, k)
	dist := make([]float64, m)
	first := sub[rng.IntN(m)]
	cent = append(cent, append([]float32(nil), emb[first]...))
	for i, r := range sub {
		dist[i] = sqdist(emb[r], cent[0])
	}
	for len(cent) < k {
		var tot float64
		for _, x := range dist {
			tot += x
		}
		var pick int
		if tot <= 0 {
			pick = rng.IntN(m)
		} else {
			u := rng.Float64() * tot
			for pick = 0; pick < m-1; pick++ {
				u -= dist[pick]
				if u <= 0 {
					break
				}
			}
		}
		c := append([]float32(nil), emb[sub[pick]]...)
		cent = append(cent, c)
		for i, r := range sub {
			if x := sqdist(emb[r], c); x < dist[i] {
				dist[i] = x
			}
		}
	}
	// Lloyd iterations on the subsample
	lab := make([]int32, m)
	sums := make([][]float64, k)
	for c := range sums {
		sums[c] = make([]float64, d)
	}
	cnt := make([]int, k)
	norms := make([]float64, k)
	setNorms := func() {
		for c, ce := range cent {
			norms[c] = dot3232(ce, ce)
		}
	}
	for it := 0; it < 8; it++ {
		setNorms()
		changed := false
		for i, r := range sub {
			c := nearest(emb[r], cent, norms)
			if it == 0 || c != lab[i] {
				changed = true
			}
			lab[i] = c
		}
		if !changed {
			break
		}
		for c := range sums {
			clear(sums[c])
			cnt[c] = 0
		}
		for i, r := range sub {
			c := lab[i]
			cnt[c]++
			for j, x := range emb[r] {
				sums[c][j] += float64(x)
			}
		}
		for c := range cent {
			if cnt[c] == 0 {
				continue // keep an empty cluster's centre
			}
			for j := range cent[c] {
				cent[c][j] = float32(sums[c][j] / float64(cnt[c]))
			}
		}
	}
	// assign every row
	setNorms()
	out := make([]int32, n)
	workers := runtime.GOMAXPROCS(0)
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				out[i] = nearest(emb[i], cent, norms)
			}
		}()
	}
	wg.Wait()
	return out
}

func sqdist(a, b []float32) float64 {
	var s float32
	for i, x := range a {
		d := x - b[i]
		s += d * d
	}
	return float64(s)
}

// nearest returns the centre closest to v in Euclidean distance.
func nearest(v []float32, cent [][]float32, norms []float64) int32 {
	best, bd := int32(0), math.Inf(1)
	for c, ce := range cent {
		// ||v-c||² = ||v||² - 2 v·c + ||c||²; ||v||² is common
		dd := norms[c] - 2*dot3232(v, ce)
		if dd < bd {
			best, bd = int32(c), dd
		}
	}
	return best
}
