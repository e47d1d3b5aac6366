// Package use owns uqe's built-in semantic embedder: Google's Universal
// Sentence Encoder lite (USE-lite, 512-dimensional, English, inputs cut at
// 128 tokens), implemented in pure Go — a SentencePiece tokenizer matching
// the TensorFlow.js reference token for token and a hand-written forward
// pass over the weights embedded by third_party/use-lite. *Model implements
// embed.Embedder (this package cannot import embed, which imports it for
// embed.Open("use")).
package use

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/uqe-dev/uqe/errs"
	uselite "github.com/uqe-dev/uqe/third_party/use-lite"
)

// Model is the USE-lite encoder. It is safe for concurrent use.
type Model struct {
	tok *tokenizer
	w   *weights
	ws  sync.Pool // *workspace
}

var (
	loadOnce sync.Once
	loaded   *Model
	loadErr  error
)

// New returns the USE-lite encoder. The embedded weights are decoded once
// per process (about 28 MB); later calls return the same Model.
func New() (*Model, error) {
	loadOnce.Do(func() {
		tok, err := newTokenizer(uselite.Vocab)
		if err != nil {
			loadErr = err
			return
		}
		w, err := loadWeights()
		if err != nil {
			loadErr = err
			return
		}
		loaded = &Model{tok: tok, w: w}
	})
	return loaded, loadErr
}

// Name is "use-lite".
func (m *Model) Name() string { return "use-lite" }

// Dim is 512.
func (m *Model) Dim() int { return outDim }

// Tokenize returns text's token ids as the reference tokenizer does (before
// the model's cut at 128 tokens).
func (m *Model) Tokenize(text string) []int { return m.tok.encode(text) }

// Batching: sentences are grouped, in order, into batches of at most
// batchRows tokens (and batchTexts texts); the dense layers of a batch run
// as one matrix product per weight matrix. Batches are spread over one
// worker per CPU.
const (
	batchRows  = 256
	batchTexts = 32
)

// Embed returns one unit vector per text. A text with no tokens (the empty
// string) gets the zero vector. It stops, with an errs.Cancelled error,
// when ctx ends (checked between batches).
func (m *Model) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	if len(texts) == 0 {
		return out, nil
	}
	type item struct {
		i   int
		ids []int
	}
	var batches [][]item
	var cur []item
	rows := 0
	for i, t := range texts {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, cancelled(err)
			}
		}
		out[i] = make([]float32, outDim)
		ids := m.tok.encode(t)
		if len(ids) == 0 {
			continue
		}
		if len(ids) > maxTokens {
			ids = ids[:maxTokens]
		}
		if len(cur) > 0 && (rows+len(ids) > batchRows || len(cur) >= batchTexts) {
			batches = append(batches, cur)
			cur, rows = nil, 0
		}
		cur = append(cur, item{i, ids})
		rows += len(ids)
	}
	if len(cur) > 0 {
		batches = append(batches, cur)
	}
	workers := min(runtime.GOMAXPROCS(0), len(batches))
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws, _ := m.ws.Get().(*workspace)
			if ws == nil {
				ws = new(workspace)
			}
			defer m.ws.Put(ws)
			var seqs [][]int
			var dst [][]float32
			for {
				b := int(next.Add(1)) - 1
				if b >= len(batches) {
					return
				}
				if err := ctx.Err(); err != nil {
					errOnce.Do(func() { firstErr = cancelled(err) })
					return
				}
				seqs, dst = seqs[:0], dst[:0]
				for _, it := range batches[b] {
					seqs = append(seqs, it.ids)
					dst = append(dst, out[it.i])
				}
				m.w.forward(ws, seqs, dst)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// cancelled is the error of a call whose context ended.
func cancelled(err error) error {
	return errs.Wrap(err, errs.Cancelled, "use: %v", err)
}
