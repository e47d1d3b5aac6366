// Package linalg owns the small dense linear algebra uqe's estimators and
// their evaluation share: Cholesky factorisation of symmetric positive
// definite matrices (row-major []float64), solving with the factor, and the
// diagonal of the inverse (for exact leave-one-out ridge errors).
package linalg

import "math"

// Cholesky factors the symmetric positive definite n×n matrix a (row-major)
// in place into its lower triangle L (a = L Lᵀ). It reports false if a is
// not positive definite (to working precision).
func Cholesky(a []float64, n int) bool {
	for j := 0; j < n; j++ {
		s := a[j*n+j]
		rj := a[j*n : j*n+j]
		for _, x := range rj {
			s -= x * x
		}
		if s <= 1e-12 {
			return false
		}
		d := math.Sqrt(s)
		a[j*n+j] = d
		for i := j + 1; i < n; i++ {
			ri := a[i*n : i*n+j]
			t := a[i*n+j]
			for k, x := range ri {
				t -= x * rj[k]
			}
			a[i*n+j] = t / d
		}
	}
	return true
}

// CholSolve solves L Lᵀ x = b in place (b becomes x).
func CholSolve(l []float64, n int, b []float64) {
	for i := 0; i < n; i++ {
		t := b[i]
		for k := 0; k < i; k++ {
			t -= l[i*n+k] * b[k]
		}
		b[i] = t / l[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		t := b[i]
		for k := i + 1; k < n; k++ {
			t -= l[k*n+i] * b[k]
		}
		b[i] = t / l[i*n+i]
	}
}

// CholInvDiag returns the diagonal of (L Lᵀ)⁻¹: with M = L⁻¹, the diagonal
// is the column sums of squares of M, i.e. Σ_k M[k][i]².
func CholInvDiag(l []float64, n int) []float64 {
	diag := make([]float64, n)
	col := make([]float64, n)
	for i := 0; i < n; i++ {
		// solve L m = e_i; m[k] = 0 for k < i
		for k := range col {
			col[k] = 0
		}
		col[i] = 1 / l[i*n+i]
		diag[i] += col[i] * col[i]
		for k := i + 1; k < n; k++ {
			t := 0.0
			for j := i; j < k; j++ {
				t -= l[k*n+j] * col[j]
			}
			col[k] = t / l[k*n+k]
			diag[i] += col[k] * col[k]
		}
	}
	return diag
}
