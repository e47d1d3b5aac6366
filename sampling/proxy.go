package sampling

import (
	"math"

	"github.com/uqe-dev/uqe/internal/linalg"
)

// The proxy of the difference estimator: ridge regression of each response
// on the row features (embedding and standardised prior), fitted in the
// dual (n ≤ 600 judged rows per fold, so an n×n system), with the ridge
// parameter chosen by exact leave-one-out error over a small grid. Being
// linear, its sum over a stratum is w·Σφ, read from the design's feature
// sums: the cost does not depend on N.

const maxFoldRows = 600

var ridgeGrid = []float64{0.005, 0.02, 0.1, 0.5, 2, 10}

type ridgeModel struct {
	mu    []float64   // feature means of the training rows
	ybar  []float64   // per response
	w     [][]float64 // per response
	valid bool
}

// fitRidge fits one model per response on the judged rows idx (indexes into
// s.rows).
func (s *sampler) fitRidge(idx []int, rs []resp) ridgeModel {
	p := s.p
	fd := p.featDim()
	n := len(idx)
	if n > maxFoldRows {
		idx = idx[:maxFoldRows]
		n = maxFoldRows
	}
	if fd == 0 || n < 4 {
		return ridgeModel{}
	}
	pz := p.priorZ()
	X := make([]float64, n*fd)
	mu := make([]float64, fd)
	for k, i := range idx {
		row := X[k*fd : (k+1)*fd]
		p.feat(s.rows[i], pz, row)
		for j, x := range row {
			mu[j] += x
		}
	}
	for j := range mu {
		mu[j] /= float64(n)
	}
	for k := 0; k < n; k++ {
		row := X[k*fd : (k+1)*fd]
		for j := range row {
			row[j] -= mu[j]
		}
	}
	Y := make([][]float64, len(rs))
	ybar := make([]float64, len(rs))
	constant := true
	for r, y := range rs {
		Y[r] = make([]float64, n)
		for _, i := range idx {
			ybar[r] += y[i]
		}
		ybar[r] /= float64(n)
		for k, i := range idx {
			Y[r][k] = y[i] - ybar[r]
			if math.Abs(Y[r][k]) > 1e-12 {
				constant = false
			}
		}
	}
	m := ridgeModel{mu: mu, ybar: ybar, w: make([][]float64, len(rs))}
	if constant {
		for r := range m.w {
			m.w[r] = make([]float64, fd)
		}
		m.valid = true
		return m
	}
	if fd < n {
		return fitRidgePrimal(X, n, fd, mu, Y, ybar)
	}
	K := make([]float64, n*n)
	for a := 0; a < n; a++ {
		ra := X[a*fd : (a+1)*fd]
		for b := 0; b <= a; b++ {
			rb := X[b*fd : (b+1)*fd]
			var t float64
			for j, x := range ra {
				t += x * rb[j]
			}
			K[a*n+b] = t
			K[b*n+a] = t
		}
	}
	bestErr := math.Inf(1)
	var bestAlpha [][]float64
	A := make([]float64, n*n)
	for _, lam := range ridgeGrid {
		copy(A, K)
		for a := 0; a < n; a++ {
			A[a*n+a] += lam
		}
		if !linalg.Cholesky(A, n) {
			continue
		}
		inv := linalg.CholInvDiag(A, n)
		alphas := make([][]float64, len(rs))
		loo := 0.0
		for r := range rs {
			al := append([]float64(nil), Y[r]...)
			linalg.CholSolve(A, n, al)
			for k := range al {
				e := al[k] / inv[k]
				loo += e * e
			}
			alphas[r] = al
		}
		if loo < bestErr {
			bestErr, bestAlpha = loo, alphas
		}
	}
	if bestAlpha == nil {
		return ridgeModel{}
	}
	for r, al := range bestAlpha {
		w := make([]float64, fd)
		for k, a := range al {
			row := X[k*fd : (k+1)*fd]
			for j, x := range row {
				w[j] += a * x
			}
		}
		m.w[r] = w
	}
	m.valid = true
	return m
}

// predict is the model's prediction of response r for population row i.
func (m *ridgeModel) predict(p *Population, pz []float64, r, i int, buf []float64) float64 {
	p.feat(i, pz, buf)
	t := m.ybar[r]
	for j, x := range buf {
		t += m.w[r][j] * (x - m.mu[j])
	}
	return t
}

// popSum is Σ over stratum h of the model's prediction of response r.
func (m *ridgeModel) popSum(d *design, r, h int) float64 {
	Nh := float64(len(d.members[h]))
	t := Nh * m.ybar[r]
	for j, sj := range d.featSum[h] {
		t += m.w[r][j] * (sj - Nh*m.mu[j])
	}
	return t
}

// proxyFolds is the number of cross-fitting folds.
const proxyFolds = 5

// proxy cross-fits the ridge proxy over proxyFolds folds (judged rows of
// each stratum dealt to the folds in turn, in draw order, which is random):
// the model of fold k is trained on the rows of the other folds. It returns
// for each response the prediction of every judged row by the model not
// trained on it, and per stratum the population sum of the predictions
// mixed in the folds' proportions; nil if no proxy can be fitted.
func (s *sampler) proxy(rs []resp) (g [][]float64, pop [][]float64) {
	if s.p.featDim() == 0 || s.d.featSum == nil {
		return nil, nil
	}
	H := s.d.H()
	K := max(2, proxyFolds)
	fold := make([]int, len(s.rows))
	nhk := make([][]int, H)
	// deal strata in turn, continuing the fold counter across strata so
	// that small strata do not all land in fold 0
	c := 0
	for h := 0; h < H; h++ {
		nhk[h] = make([]int, K)
		for _, i := range s.pos[h] {
			fold[i] = c % K
			nhk[h][c%K]++
			c++
		}
	}
	models := make([]ridgeModel, K)
	for k := 0; k < K; k++ {
		var idx []int
		for i := range s.rows {
			if fold[i] != k {
				idx = append(idx, i)
			}
		}
		models[k] = s.fitRidge(idx, rs)
		if !models[k].valid {
			return nil, nil
		}
	}
	pz := s.p.priorZ()
	buf := make([]float64, s.p.featDim())
	g = make([][]float64, len(rs))
	pop = make([][]float64, len(rs))
	for r := range rs {
		g[r] = make([]float64, len(s.rows))
		for i, row := range s.rows {
			g[r][i] = models[fold[i]].predict(s.p, pz, r, row, buf)
		}
		pop[r] = make([]float64, H)
		for h := 0; h < H; h++ {
			n := len(s.pos[h])
			if n == 0 {
				continue
			}
			for k := 0; k < K; k++ {
				if nhk[h][k] > 0 {
					pop[r][h] += float64(nhk[h][k]) / float64(n) * models[k].popSum(s.d, r, h)
				}
			}
		}
	}
	return g, pop
}

// fitRidgePrimal is fitRidge in the primal (fd < n features): w =
// (XᵀX + λI)⁻¹ XᵀY on the centred rows, λ chosen by exact leave-one-out
// error e_k = (y_k − ŷ_k)/(1 − h_kk).
func fitRidgePrimal(X []float64, n, fd int, mu []float64, Y [][]float64, ybar []float64) ridgeModel {
	G := make([]float64, fd*fd)
	for k := 0; k < n; k++ {
		row := X[k*fd : (k+1)*fd]
		for a, xa := range row {
			if xa == 0 {
				continue
			}
			for b := 0; b <= a; b++ {
				G[a*fd+b] += xa * row[b]
			}
		}
	}
	for a := 0; a < fd; a++ {
		for b := 0; b < a; b++ {
			G[b*fd+a] = G[a*fd+b]
		}
	}
	XtY := make([][]float64, len(Y))
	for r, y := range Y {
		v := make([]float64, fd)
		for k := 0; k < n; k++ {
			row := X[k*fd : (k+1)*fd]
			for j, x := range row {
				v[j] += x * y[k]
			}
		}
		XtY[r] = v
	}
	bestErr := math.Inf(1)
	var bestW [][]float64
	A := make([]float64, fd*fd)
	z := make([]float64, fd)
	for _, lam := range ridgeGrid {
		copy(A, G)
		for a := 0; a < fd; a++ {
			A[a*fd+a] += lam
		}
		if !linalg.Cholesky(A, fd) {
			continue
		}
		ws := make([][]float64, len(Y))
		for r := range Y {
			w := append([]float64(nil), XtY[r]...)
			linalg.CholSolve(A, fd, w)
			ws[r] = w
		}
		loo := 0.0
		for k := 0; k < n; k++ {
			row := X[k*fd : (k+1)*fd]
			copy(z, row)
			linalg.CholSolve(A, fd, z)
			var h float64
			for j, x := range row {
				h += x * z[j]
			}
			for r, y := range Y {
				var pred float64
				for j, x := range row {
					pred += ws[r][j] * x
				}
				e := (y[k] - pred) / math.Max(1-h, 1e-9)
				loo += e * e
			}
		}
		if loo < bestErr {
			bestErr, bestW = loo, ws
		}
	}
	if bestW == nil {
		return ridgeModel{}
	}
	return ridgeModel{mu: mu, ybar: ybar, w: bestW, valid: true}
}
