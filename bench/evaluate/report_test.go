package main

import (
	"math"
	"testing"
)

// TestAttainable checks the hypergeometric coverage bound on a case worked
// by hand: N=5952 rows, K=95 true, n=64 drawn. P(X ≤ 2) = 0.918 and
// P(X ≤ 3) = 0.981, and no other range of counts lands in 93-97%.
func TestAttainable(t *testing.T) {
	p := hyperPMF(5952, 95, 64)
	var s float64
	for _, v := range p {
		s += v
	}
	if math.Abs(s-1) > 1e-9 {
		t.Fatalf("pmf sums to %v", s)
	}
	ok, below, above := attainable(5952, 95, 64, 0.93, 0.97)
	if ok || below < 0.90 || below >= 0.93 || above <= 0.97 || above > 0.99 {
		t.Errorf("attainable = %v, %v, %v", ok, below, above)
	}
	// a common predicate: counts spread over many values, so some range
	// of them has a probability in 93-97%
	if ok, _, _ := attainable(7600, 1900, 128, 0.93, 0.97); !ok {
		t.Errorf("N=7600, K=1900, n=128 should be attainable")
	}
}
