// Package textfeat owns the row features that uqe's sampling and search
// (package sampling) read from a row's text, in one place for the engine
// and for the evaluation (bench/evaluate), so that what is measured is what
// ships:
//
//   - windows: a text longer than WindowWords words is split into
//     overlapping windows of WindowWords words, stride WindowStride
//     (about 128 tokens, the input limit of the built-in USE-lite encoder,
//     which would otherwise read a long text's beginning only); see
//     Windows and Split;
//   - the row vector: a row's window embeddings combined as
//     normalize(normalize(mean) + normalize(max)); see Combine;
//   - the prior: a row's per-window similarities to a phrase combined as
//     0.5·max + 0.5·mean (a property may show in one window only); see
//     CombineScores;
//   - lexical features: hashed TF-IDF vectors of words and word bigrams;
//     see Lexical.
//
// A text of at most WindowWords words is one window, itself (not
// re-spaced), so that for short texts every feature is exactly the plain
// embedding and cosine.
package textfeat

import (
	"context"
	"math"
	"strings"
)

// Window geometry: windows of WindowWords words (whitespace-separated),
// starting every WindowStride words; the last window ends at the text's
// last word.
const (
	WindowWords  = 80
	WindowStride = 60
)

// Embedder turns texts into unit vectors (embed.Embedder satisfies it).
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Windows splits text into its windows: the text itself if it has at most
// WindowWords words, else windows of WindowWords words joined by single
// spaces, starting at word 0, WindowStride, 2·WindowStride, ..., the last
// one ending at the last word.
func Windows(text string) []string {
	w := strings.Fields(text)
	if len(w) <= WindowWords {
		return []string{text}
	}
	var out []string
	for at := 0; ; at += WindowStride {
		end := min(at+WindowWords, len(w))
		out = append(out, strings.Join(w[at:end], " "))
		if end == len(w) {
			break
		}
	}
	return out
}

// Split returns the windows of every text, in order, and their offsets:
// text i has windows wins[off[i]:off[i+1]]. With windowed false every text
// is one window, itself.
func Split(texts []string, windowed bool) (wins []string, off []int32) {
	off = make([]int32, 1, len(texts)+1)
	for _, s := range texts {
		if windowed {
			wins = append(wins, Windows(s)...)
		} else {
			wins = append(wins, s)
		}
		off = append(off, int32(len(wins)))
	}
	return wins, off
}

// Windowed holds the window embeddings of a set of texts: text i has
// windows Vec[Off[i]:Off[i+1]].
type Windowed struct {
	Off []int32
	Vec [][]float32
}

// Embed splits texts into windows (Split with windowed true) and embeds
// every window with e, in chunks of at most chunk texts (all at once if
// chunk <= 0).
func Embed(ctx context.Context, e Embedder, texts []string, chunk int) (*Windowed, error) {
	wins, off := Split(texts, true)
	d := &Windowed{Off: off, Vec: make([][]float32, 0, len(wins))}
	if chunk <= 0 {
		chunk = max(len(wins), 1)
	}
	for at := 0; at < len(wins); at += chunk {
		vs, err := e.Embed(ctx, wins[at:min(at+chunk, len(wins))])
		if err != nil {
			return nil, err
		}
		d.Vec = append(d.Vec, vs...)
	}
	return d, nil
}

// Len is the number of texts.
func (d *Windowed) Len() int { return len(d.Off) - 1 }

// Windows are text i's window embeddings.
func (d *Windowed) Windows(i int) [][]float32 { return d.Vec[d.Off[i]:d.Off[i+1]] }

// Row is text i's row vector (Combine of its windows).
func (d *Windowed) Row(i int) []float32 { return Combine(d.Windows(i)) }

// Rows are the row vectors of every text.
func (d *Windowed) Rows() [][]float32 {
	out := make([][]float32, d.Len())
	for i := range out {
		out[i] = d.Row(i)
	}
	return out
}

// Prior scores every text: score of each window, combined by CombineScores.
func (d *Windowed) Prior(score func(v []float32) float64) []float64 {
	out := make([]float64, d.Len())
	for i := range out {
		out[i] = CombineScores(d.Windows(i), score)
	}
	return out
}

// Combine is the row vector of a text's window vectors (all of one
// length): the only window itself (not copied) if there is one, else
// normalize(normalize(mean) + normalize(max)), element-wise mean and max,
// in float64 (nil for no windows).
func Combine(ws [][]float32) []float32 {
	switch len(ws) {
	case 0:
		return nil
	case 1:
		return ws[0]
	}
	dim := len(ws[0])
	mean := make([]float64, dim)
	mx := make([]float64, dim)
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
	o := make([]float64, dim)
	for j := range o {
		o[j] = mean[j] + mx[j]
	}
	norm(o)
	out := make([]float32, dim)
	for j := range o {
		out[j] = float32(o[j])
	}
	return out
}

// CombineScores combines a text's per-window scores as 0.5·max + 0.5·mean
// (for one window: its score; for none: 0).
func CombineScores(ws [][]float32, score func(v []float32) float64) float64 {
	if len(ws) == 0 {
		return 0
	}
	mx, mean := math.Inf(-1), 0.0
	for _, v := range ws {
		s := score(v)
		mx = math.Max(mx, s)
		mean += s
	}
	mean /= float64(len(ws))
	return 0.5*mx + 0.5*mean
}

// norm scales v to unit L2 norm in place (the zero vector stays zero).
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
