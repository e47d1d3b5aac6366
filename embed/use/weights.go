package use

import (
	"encoding/json"
	"fmt"
	"math"

	uselite "github.com/uqe-dev/uqe/third_party/use-lite"
)

// Hyperparameters of USE-lite that the graph (model.json) encodes as
// integer shape constants rather than weights: 4 attention heads in both
// layers (head width 64 in layer 0, 128 in layer 1) and inputs cut at 128
// tokens (ClipToMaxLength/Less/y).
const (
	numHeads  = 4
	maxTokens = 128
	embedDim  = 256
	modelDim  = 512
	outDim    = 512
)

type dense struct {
	w       []float32 // [in, out], row-major
	b       []float32 // [out]
	in, out int
}

type layerNorm struct {
	scale, bias []float32
}

type layer struct {
	in         int // width of the layer's input (256, then 512)
	attnLN     layerNorm
	qkv        dense   // in -> 3*in (query, key, value)
	queryScale float32 // 1/sqrt(in/numHeads)
	out        dense   // in -> modelDim
	residual   *dense  // in -> modelDim when in != modelDim (layer 0)
	ffnLN      layerNorm
	ffn1, ffn2 dense // modelDim -> 1536 -> modelDim
}

type weights struct {
	embeddings    []float32 // [8002, embedDim]
	vocabRows     int
	invTimescales []float32 // [embedDim/2]
	layers        [2]layer
	hidden        dense // modelDim -> outDim, tanh
	lnEpsilon     float32
	l2Epsilon     float32
}

type tensorIndex struct {
	Format  string `json:"format"`
	Tensors []struct {
		Name   string `json:"name"`
		Shape  []int  `json:"shape"`
		Offset int    `json:"offset"`
	} `json:"tensors"`
}

// loadWeights decodes the embedded weights into float32 slices, checking
// every tensor's shape.
func loadWeights() (*weights, error) {
	var idx tensorIndex
	if err := json.Unmarshal(uselite.Index, &idx); err != nil {
		return nil, fmt.Errorf("use: weights.json: %v", err)
	}
	if idx.Format != "uselite-f32le-v1" {
		return nil, fmt.Errorf("use: weights.json: format %q", idx.Format)
	}
	raw := uselite.Weights
	if len(raw)%4 != 0 {
		return nil, fmt.Errorf("use: weights.bin: %d bytes", len(raw))
	}
	all := make([]float32, len(raw)/4)
	for i := range all {
		j := 4 * i
		all[i] = math.Float32frombits(uint32(raw[j]) | uint32(raw[j+1])<<8 | uint32(raw[j+2])<<16 | uint32(raw[j+3])<<24)
	}
	type tensor struct {
		shape []int
		data  []float32
	}
	byName := map[string]tensor{}
	for _, t := range idx.Tensors {
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		if t.Offset < 0 || t.Offset+n > len(all) {
			return nil, fmt.Errorf("use: weights.json: %s out of range", t.Name)
		}
		byName[t.Name] = tensor{t.Shape, all[t.Offset : t.Offset+n : t.Offset+n]}
	}
	var err error
	get := func(name string, shape ...int) []float32 {
		t, ok := byName[name]
		if !ok {
			if err == nil {
				err = fmt.Errorf("use: weights: no tensor %s", name)
			}
			return nil
		}
		if len(t.shape) != len(shape) {
			if err == nil {
				err = fmt.Errorf("use: weights: %s has shape %v, want %v", name, t.shape, shape)
			}
			return nil
		}
		for i, d := range shape {
			if d >= 0 && t.shape[i] != d {
				if err == nil {
					err = fmt.Errorf("use: weights: %s has shape %v, want %v", name, t.shape, shape)
				}
				return nil
			}
		}
		return t.data
	}
	scalar := func(name string) float32 {
		if d := get(name); len(d) == 1 {
			return d[0]
		}
		return 0
	}
	mkDense := func(prefix string, in, out int) dense {
		return dense{w: get(prefix+".kernel", in, out), b: get(prefix+".bias", out), in: in, out: out}
	}
	mkLN := func(prefix string, n int) layerNorm {
		return layerNorm{scale: get(prefix+".scale", n), bias: get(prefix+".bias", n)}
	}
	w := &weights{
		embeddings:    get("embeddings", -1, embedDim),
		invTimescales: get("timing.inv_timescales", embedDim/2),
		hidden:        mkDense("hidden", modelDim, outDim),
		lnEpsilon:     scalar("layer_norm.epsilon"),
		l2Epsilon:     scalar("l2_normalize.epsilon"),
	}
	if t, ok := byName["embeddings"]; ok && len(t.shape) == 2 {
		w.vocabRows = t.shape[0]
	}
	for i, in := range []int{embedDim, modelDim} {
		p := fmt.Sprintf("l%d.", i)
		l := layer{
			in:         in,
			attnLN:     mkLN(p+"attn_ln", in),
			qkv:        mkDense(p+"qkv", in, 3*in),
			queryScale: scalar(p + "query_scale"),
			out:        mkDense(p+"out", in, modelDim),
			ffnLN:      mkLN(p+"ffn_ln", modelDim),
			ffn1:       mkDense(p+"ffn1", modelDim, -1),
		}
		l.ffn1.out = len(l.ffn1.b)
		l.ffn2 = mkDense(p+"ffn2", l.ffn1.out, modelDim)
		if in != modelDim {
			r := mkDense(p+"residual", in, modelDim)
			l.residual = &r
		}
		w.layers[i] = l
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}
