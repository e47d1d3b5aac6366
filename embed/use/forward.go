package use

import (
	"math"

	"github.com/viterin/vek/vek32"
)

// The forward pass of USE-lite, recovered from the TF.js graph
// (model.json). For a sentence of T tokens (T <= 128):
//
//	e_t    = embeddings[id_t]                                  (256)
//	x0_t   = e_t + (e_t + [sin(t·inv), cos(t·inv)])            (256; the graph adds the
//	         scattered embeddings to the scattered embeddings-plus-timing, so the
//	         embedding is counted twice)
//	layer 0 (input 256): h = LN(x0); q,k,v = split(h·Wqkv + b), 4 heads of 64;
//	         a = softmax(q·0.125 · kᵀ)·v; x1 = (a·Wout + b) + (x0·Wres + bres)  (512)
//	         x2 = FFN(LN(x1)) + x1, FFN(y) = relu(y·W1 + b1)·W2 + b2           (512)
//	layer 1 (input 512): h = LN(x2); 4 heads of 128, scale 1/sqrt(128);
//	         x3 = (a·Wout + b) + x2; x4 = FFN(LN(x3)) + x3
//	pooled = mean_t x4_t; out = l2normalize(tanh(pooled·Wh + bh))
//
// LN is layer normalisation over the last axis with epsilon 1e-6 (scale and
// bias learned); l2normalize divides by sqrt(max(sum of squares, 1e-12)).
// Padding in the reference's batches is masked out of attention (bias -1e9)
// and of the mean, so each sentence is computed independently here; a batch
// stacks the sentences' rows for the dense layers.

// workspace holds one worker's scratch buffers, grown as needed.
type workspace struct {
	x, h, qkv, ctx, a, f, g []float32
	q, kt, v, s, o          []float32
	pooled, out             []float32
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n, n+n/4)
	}
	return b[:n]
}

// matmul sets dst[m×d.out] = x[m×d.in]·W + b.
func matmul(dst, x []float32, d *dense, m int) {
	vek32.MatMul_Into(dst[:m*d.out], x[:m*d.in], d.w, d.in)
	for i := 0; i < m; i++ {
		vek32.Add_Inplace(dst[i*d.out:(i+1)*d.out], d.b)
	}
}

// layerNormInto sets dst rows to LN(src rows), width n.
func layerNormInto(dst, src []float32, ln *layerNorm, m, n int, eps float32) {
	for i := 0; i < m; i++ {
		x := src[i*n : (i+1)*n]
		y := dst[i*n : (i+1)*n]
		var sum float64
		for _, v := range x {
			sum += float64(v)
		}
		mean := float32(sum / float64(n))
		var sq float64
		for j, v := range x {
			d := v - mean
			y[j] = d
			sq += float64(d * d)
		}
		variance := float32(sq / float64(n))
		rs := float32(1 / math.Sqrt(float64(variance+eps)))
		for j := range y {
			y[j] = ln.scale[j]*rs*y[j] + ln.bias[j]
		}
	}
}

// forward embeds a batch of token sequences (each non-empty, at most
// maxTokens long) into dst (one outDim vector per sequence).
func (w *weights) forward(ws *workspace, seqs [][]int, dst [][]float32) {
	rows := 0
	for _, s := range seqs {
		rows += len(s)
	}
	// Embeddings plus the timing signal.
	ws.x = grow(ws.x, rows*embedDim)
	half := embedDim / 2
	r := 0
	for _, s := range seqs {
		for t, id := range s {
			if id < 0 || id >= w.vocabRows {
				id = unknownID
			}
			e := w.embeddings[id*embedDim : (id+1)*embedDim]
			x := ws.x[r*embedDim : (r+1)*embedDim]
			for d := 0; d < half; d++ {
				a := float32(t) * w.invTimescales[d]
				x[d] = e[d] + (e[d] + float32(math.Sin(float64(a))))
				x[half+d] = e[half+d] + (e[half+d] + float32(math.Cos(float64(a))))
			}
			r++
		}
	}
	x := ws.x
	for li := range w.layers {
		x = w.layers[li].apply(ws, x, seqs, rows, w.lnEpsilon)
	}
	// Mean over tokens, tanh layer, L2 normalisation.
	ws.pooled = grow(ws.pooled, len(seqs)*modelDim)
	r = 0
	for i, s := range seqs {
		p := ws.pooled[i*modelDim : (i+1)*modelDim]
		for j := range p {
			var sum float32
			for t := 0; t < len(s); t++ {
				sum += x[(r+t)*modelDim+j]
			}
			p[j] = sum / float32(len(s))
		}
		r += len(s)
	}
	ws.out = grow(ws.out, len(seqs)*outDim)
	matmul(ws.out, ws.pooled, &w.hidden, len(seqs))
	for i := range seqs {
		o := ws.out[i*outDim : (i+1)*outDim]
		var sq float32
		for j, v := range o {
			t := float32(math.Tanh(float64(v)))
			o[j] = t
			sq += t * t
		}
		rs := float32(1 / math.Sqrt(float64(max(sq, w.l2Epsilon))))
		for j := range o {
			dst[i][j] = o[j] * rs
		}
	}
}

// apply runs one transformer layer over the stacked rows x (width l.in,
// ws.x) and returns the output rows (width modelDim), left in ws.x.
func (l *layer) apply(ws *workspace, x []float32, seqs [][]int, rows int, eps float32) []float32 {
	in := l.in
	ws.h = grow(ws.h, rows*in)
	layerNormInto(ws.h, x, &l.attnLN, rows, in, eps)
	ws.qkv = grow(ws.qkv, rows*3*in)
	matmul(ws.qkv, ws.h, &l.qkv, rows)
	ws.ctx = grow(ws.ctx, rows*in)
	r := 0
	for _, s := range seqs {
		l.attend(ws, r, len(s))
		r += len(s)
	}
	// x1 = attention output + residual (projected in layer 0).
	ws.a = grow(ws.a, rows*modelDim)
	matmul(ws.a, ws.ctx, &l.out, rows)
	if l.residual != nil {
		ws.f = grow(ws.f, rows*modelDim)
		matmul(ws.f, x, l.residual, rows)
		vek32.Add_Inplace(ws.a, ws.f[:rows*modelDim])
	} else {
		vek32.Add_Inplace(ws.a, x[:rows*modelDim])
	}
	x1 := ws.a
	// FFN.
	ws.f = grow(ws.f, rows*modelDim)
	layerNormInto(ws.f, x1, &l.ffnLN, rows, modelDim, eps)
	ws.g = grow(ws.g, rows*l.ffn1.out)
	matmul(ws.g, ws.f, &l.ffn1, rows)
	vek32.MaximumNumber_Inplace(ws.g, 0)
	// x is not read any more: its buffer takes the output.
	ws.x = grow(ws.x, rows*modelDim)
	out := ws.x
	matmul(out, ws.g, &l.ffn2, rows)
	vek32.Add_Inplace(out, x1)
	return out
}

// attend computes multi-head self-attention for the n rows starting at row
// r0 of ws.qkv into ws.ctx.
func (l *layer) attend(ws *workspace, r0, n int) {
	in := l.in
	dh := in / numHeads
	stride := 3 * in
	ws.q = grow(ws.q, n*dh)
	ws.kt = grow(ws.kt, dh*n)
	ws.v = grow(ws.v, n*dh)
	ws.s = grow(ws.s, n*n)
	ws.o = grow(ws.o, n*dh)
	for h := 0; h < numHeads; h++ {
		for t := 0; t < n; t++ {
			row := ws.qkv[(r0+t)*stride:]
			q := row[h*dh : (h+1)*dh]
			k := row[in+h*dh : in+(h+1)*dh]
			v := row[2*in+h*dh : 2*in+(h+1)*dh]
			for d := 0; d < dh; d++ {
				ws.q[t*dh+d] = q[d] * l.queryScale
				ws.kt[d*n+t] = k[d]
			}
			copy(ws.v[t*dh:(t+1)*dh], v)
		}
		vek32.MatMul_Into(ws.s, ws.q, ws.kt, dh)
		for t := 0; t < n; t++ {
			softmax(ws.s[t*n : (t+1)*n])
		}
		vek32.MatMul_Into(ws.o, ws.s, ws.v, n)
		for t := 0; t < n; t++ {
			copy(ws.ctx[(r0+t)*in+h*dh:(r0+t)*in+(h+1)*dh], ws.o[t*dh:(t+1)*dh])
		}
	}
}

func softmax(x []float32) {
	m := x[0]
	for _, v := range x[1:] {
		m = max(m, v)
	}
	var sum float32
	for i, v := range x {
		e := float32(math.Exp(float64(v - m)))
		x[i] = e
		sum += e
	}
	inv := 1 / sum
	for i := range x {
		x[i] *= inv
	}
}
