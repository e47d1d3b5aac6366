package sampling

import (
	"context"
	"math"
	"testing"
)

func TestDebugNeyman(t *testing.T) {
	pop, truth := synth(5000, 0.02, 1)
	tr := float64(count(truth))
	for _, s := range []string{"uniform", "stratified", "prior-neyman", "ppi", "auto"} {
		var m, m2, w float64
		const S = 300
		for seed := 0; seed < S; seed++ {
			e, _ := EstimateCount(context.Background(), pop, newOracle(truth).judge, 128, s, 0.95, uint64(seed), nil)
			m += e.Value - tr
			m2 += (e.Value - tr) * (e.Value - tr)
			w += (e.High - e.Low) / 3.92
		}
		t.Logf("%s bias %.1f rmse %.1f mean se %.1f truth %v", s, m/S, math.Sqrt(m2/S), w/S, tr)
	}
}
