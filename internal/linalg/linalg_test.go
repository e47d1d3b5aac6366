package linalg

import (
	"math"
	"testing"
)

// TestCholesky solves a 3×3 system with a known answer, checks the
// diagonal of the inverse against the inverse computed column by column,
// and refuses a matrix that is not positive definite.
func TestCholesky(t *testing.T) {
	a := []float64{
		4, 2, 0.4,
		2, 5, 1,
		0.4, 1, 3,
	}
	orig := append([]float64(nil), a...)
	want := []float64{1, -2, 0.5}
	b := make([]float64, 3)
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			b[i] += orig[i*3+j] * want[j]
		}
	}
	if !Cholesky(a, 3) {
		t.Fatal("a positive definite matrix was refused")
	}
	CholSolve(a, 3, b)
	for i := range want {
		if math.Abs(b[i]-want[i]) > 1e-12 {
			t.Errorf("x[%d] = %v, want %v", i, b[i], want[i])
		}
	}
	diag := CholInvDiag(a, 3)
	for i := 0; i < 3; i++ {
		e := make([]float64, 3)
		e[i] = 1
		CholSolve(a, 3, e) // column i of the inverse
		if math.Abs(diag[i]-e[i]) > 1e-12 {
			t.Errorf("inverse diagonal %d = %v, want %v", i, diag[i], e[i])
		}
	}
	if Cholesky([]float64{1, 2, 2, 1}, 2) {
		t.Error("an indefinite matrix was factored")
	}
}
