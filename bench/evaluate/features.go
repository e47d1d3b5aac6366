package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/textfeat"
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

// dsEmb holds the window embeddings of a dataset (package textfeat's
// windows; row vectors and priors combine them as the engine does) and the
// embedder that made them.
type dsEmb struct {
	*textfeat.Windowed
	emb embed.Embedder
}

// embedDataset embeds every window of every row, reading and writing a
// cache file under cacheDir.
func embedDataset(ctx context.Context, kind string, t *table, long bool, cacheDir string) (*dsEmb, error) {
	var em embed.Embedder
	wins, off := textfeat.Split(t.text, long)
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
	d := &dsEmb{Windowed: &textfeat.Windowed{Off: off}, emb: em}
	path := filepath.Join(cacheDir, fmt.Sprintf("%s.%s.%d.emb", t.name, strings.NewReplacer(":", "_", "+", "_").Replace(em.Name()), len(wins)))
	if b, err := os.ReadFile(path); err == nil && len(b) >= 8 {
		n := int(binary.LittleEndian.Uint32(b))
		dim := int(binary.LittleEndian.Uint32(b[4:]))
		if n == len(wins) && len(b) == 8+4*n*dim {
			flat := make([]float32, n*dim)
			for i := range flat {
				flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[8+4*i:]))
			}
			for i := 0; i < n; i++ {
				d.Vec = append(d.Vec, flat[i*dim:(i+1)*dim:(i+1)*dim])
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
		d.Vec = append(d.Vec, vs...)
	}
	dim := len(d.Vec[0])
	b := make([]byte, 8+4*len(wins)*dim)
	binary.LittleEndian.PutUint32(b, uint32(len(wins)))
	binary.LittleEndian.PutUint32(b[4:], uint32(dim))
	k := 8
	for _, v := range d.Vec {
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
// cos(window, pos) - cos(window, neg), combined over windows by
// textfeat.CombineScores (0.5·max + 0.5·mean: the property may show in one
// window only).
func (d *dsEmb) prior(ctx context.Context, pos, neg string) ([]float64, error) {
	a, err := d.emb.Embed(ctx, []string{pos, neg})
	if err != nil {
		return nil, err
	}
	return d.Prior(func(v []float32) float64 {
		return float64(embed.Cosine(v, a[0]) - embed.Cosine(v, a[1]))
	}), nil
}

// phrasePrior is the prior the engine computes from a query alone: each
// row's window-combined cosine to the predicate's phrase.
func (d *dsEmb) phrasePrior(ctx context.Context, phrase string) ([]float64, error) {
	a, err := d.emb.Embed(ctx, []string{phrase})
	if err != nil {
		return nil, err
	}
	return d.Prior(func(v []float32) float64 { return float64(embed.Cosine(v, a[0])) }), nil
}
