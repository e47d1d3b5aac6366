package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/sampling"
)

// openEmbedder returns the embedder for -embed: "use" (the built-in USE-lite
// encoder), "hash" (embed.NewHash(512), fitted on each dataset), or "auto"
// (use when it is available, else hash).
func openEmbedder(spec string) (string, error) {
	switch spec {
	case "use", "hash":
		if spec == "use" {
			if _, err := embed.Open("use", nil); err != nil {
				return "", err
			}
		}
		return spec, nil
	case "auto", "":
		if _, err := embed.Open("use", nil); err == nil {
			return "use", nil
		}
		return "hash", nil
	}
	return "", fmt.Errorf("-embed: want use, hash or auto, not %q", spec)
}

// windows splits a long text into overlapping windows of about 80 words
// (about 128 tokens, USE-lite's input limit), stride 60; a short text is
// one window.
func windows(text string, long bool) []string {
	if !long {
		return []string{text}
	}
	w := strings.Fields(text)
	const size, stride = 80, 60
	if len(w) <= size {
		return []string{text}
	}
	var out []string
	for at := 0; ; at += stride {
		end := min(at+size, len(w))
		out = append(out, strings.Join(w[at:end], " "))
		if end == len(w) {
			break
		}
	}
	return out
}

// dsEmb holds the window embeddings of a dataset: row i has windows
// off[i]..off[i+1]-1 of vec.
type dsEmb struct {
	dim int
	off []int32
	vec [][]float32
	emb embed.Embedder
}

// rowVec combines a row's windows: normalize(normalize(mean) + normalize(max)).
func (d *dsEmb) rowVec(i int) []float32 {
	ws := d.vec[d.off[i]:d.off[i+1]]
	if len(ws) == 1 {
		return ws[0]
	}
	mean := make([]float64, d.dim)
	mx := make([]float64, d.dim)
	for j := range mx {
		mx[j] = math.Inf(-1)
	}
	for _, v := range ws {
		for j, x := range v {
			mean[j] += float64(x)
			mx[j] = math.Max(mx[j], float64(x))
		}
	}
	norm(mean)
	norm(mx)
	out := make([]float32, d.dim)
	o := make([]float64, d.dim)
	for j := range o {
		o[j] = mean[j] + mx[j]
	}
	norm(o)
	for j := range o {
		out[j] = float32(o[j])
	}
	return out
}

func norm(v []float64) {
	var s float64
	for _, x := range v {
		s += x * x
	}
	if s == 0 {
		return
	}
	s = 1 / math.Sqrt(s)
	for i := range v {
		v[i] *= s
	}
}

// embedDataset embeds every window of every row, reading and writing a
// cache file under cacheDir.
func embedDataset(ctx context.Context, kind string, t *table, long bool, cacheDir string) (*dsEmb, error) {
	var em embed.Embedder
	var wins []string
	off := []int32{0}
	for _, s := range t.text {
		ws := windows(s, long)
		wins = append(wins, ws...)
		off = append(off, int32(len(wins)))
	}
	switch kind {
	case "hash":
		h := embed.NewHash(512)
		h.Fit(wins)
		em = h
	default:
		e, err := embed.Open(kind, nil)
		if err != nil {
			return nil, err
		}
		em = e
	}
	d := &dsEmb{off: off, emb: em}
	path := filepath.Join(cacheDir, fmt.Sprintf("%s.%s.%d.emb", t.name, strings.NewReplacer(":", "_", "+", "_").Replace(em.Name()), len(wins)))
	if b, err := os.ReadFile(path); err == nil && len(b) >= 8 {
		n := int(binary.LittleEndian.Uint32(b))
		dim := int(binary.LittleEndian.Uint32(b[4:]))
		if n == len(wins) && len(b) == 8+4*n*dim {
			d.dim = dim
			flat := make([]float32, n*dim)
			for i := range flat {
				flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[8+4*i:]))
			}
			for i := 0; i < n; i++ {
				d.vec = append(d.vec, flat[i*dim:(i+1)*dim:(i+1)*dim])
			}
			return d, nil
		}
	}
	const chunk = 256
	for at := 0; at < len(wins); at += chunk {
		vs, err := em.Embed(ctx, wins[at:min(at+chunk, len(wins))])
		if err != nil {
			return nil, err
		}
		d.vec = append(d.vec, vs...)
	}
	d.dim = len(d.vec[0])
	b := make([]byte, 8+4*len(wins)*d.dim)
	binary.LittleEndian.PutUint32(b, uint32(len(wins)))
	binary.LittleEndian.PutUint32(b[4:], uint32(d.dim))
	k := 8
	for _, v := range d.vec {
		for _, x := range v {
			binary.LittleEndian.PutUint32(b[k:], math.Float32bits(x))
			k += 4
		}
	}
	if err := os.MkdirAll(cacheDir, 0o755); err == nil {
		_ = os.WriteFile(path, b, 0o644)
	}
	return d, nil
}

// prior scores every row against a pair of contrastive anchors:
// cos(window, pos) - cos(window, neg), combined over windows as
// 0.5·max + 0.5·mean (the property may show in one window only).
func (d *dsEmb) prior(ctx context.Context, pos, neg string) ([]float64, error) {
	a, err := d.emb.Embed(ctx, []string{pos, neg})
	if err != nil {
		return nil, err
	}
	n := len(d.off) - 1
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		ws := d.vec[d.off[i]:d.off[i+1]]
		mx, mean := math.Inf(-1), 0.0
		for _, v := range ws {
			s := float64(embed.Cosine(v, a[0]) - embed.Cosine(v, a[1]))
			mx = math.Max(mx, s)
			mean += s
		}
		mean /= float64(len(ws))
		out[i] = 0.5*mx + 0.5*mean
	}
	return out, nil
}

// lexical returns hashed TF-IDF vectors (words and word bigrams, 2^18
// buckets, sublinear TF, smooth IDF, L2-normalised).
func lexical(texts []string) []sampling.SparseVec {
	const bits = 18
	docs := make([]map[uint32]float64, len(texts))
	df := map[uint32]int{}
	for i, t := range texts {
		words := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
		m := map[uint32]float64{}
		for k, w := range words {
			m[hash32(w)>>(32-bits)]++
			if k > 0 {
				m[hash32(words[k-1]+" "+w)>>(32-bits)]++
			}
		}
		for j := range m {
			df[j]++
		}
		docs[i] = m
	}
	N := float64(len(texts))
	out := make([]sampling.SparseVec, len(texts))
	for i, m := range docs {
		var v sampling.SparseVec
		var s float64
		keys := make([]uint32, 0, len(m))
		for j := range m {
			keys = append(keys, j)
		}
		slices.Sort(keys)
		for _, j := range keys {
			tf := m[j]
			w := (1 + math.Log(tf)) * (math.Log((1+N)/(1+float64(df[j]))) + 1)
			v.Idx = append(v.Idx, j)
			v.Val = append(v.Val, float32(w))
			s += w * w
		}
		if s > 0 {
			s = 1 / math.Sqrt(s)
			for k := range v.Val {
				v.Val[k] *= float32(s)
			}
		}
		out[i] = v
	}
	return out
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
