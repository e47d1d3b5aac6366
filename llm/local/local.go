// Package local owns uqe's built-in offline model backend: an
// llm.Backend that answers from sentence embeddings alone (an
// embed.Embedder, cached in an embed/index), with no network and no
// generative model. Every answer it gives is approximate (Approximate
// reports true so the engine can say so).
//
// What it answers:
//
//   - Judge (a predicate per row): zero-shot from embeddings, by one of
//     the Methods below (MethodAnchors by default; see judge.go and
//     docs/local-judge.md for the measurements behind the choice);
//   - Extract of an enumeration (KindEnum): the category whose
//     description is nearest the row; of a boolean (KindBool): Judge of
//     the instruction. Free text and numbers (KindText, KindInt, KindReal)
//     have no answer without a generative model: NULL;
//   - Taxonomy: spherical k-means over the sample's embeddings, each
//     cluster named by its most distinctive words (TF-IDF of the cluster
//     against the sample), e.g. "refund / money / back";
//   - Score: the cosine of the row to the instruction, rescaled to [0, 1];
//     Compare: a logistic function of the difference of the two scores.
//
// Accounting is that of a real backend (one call per method invocation,
// rows sent, tokens estimated with llm.EstimateTokens) at price 0.
package local

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/embed/index"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm"
)

// MaxBatch is the most rows one call carries. The local model costs
// nothing per call, and MethodMixture fits its threshold over the rows of
// one call, so larger is better.
const MaxBatch = 256

// Method is a way of judging a predicate from embeddings.
type Method int

const (
	// MethodAnchors compares each row with contrasting descriptive
	// anchors derived from the phrase (a polarity lexicon rewrites known
	// words to their opposites; otherwise the phrase's topic is replaced
	// by generic alternatives). Independent of the other rows of a call.
	MethodAnchors Method = iota
	// MethodMixture fits a two-component Gaussian mixture to the cosines
	// of the call's rows to the phrase and answers with the posterior of
	// the upper component. Depends on the other rows of the call.
	MethodMixture
	// MethodAnchorsMixture fits the mixture to MethodAnchors' contrast
	// scores instead of the raw cosines.
	MethodAnchorsMixture
)

// Methods lists every judging method (for measurements).
var Methods = []Method{MethodAnchors, MethodMixture, MethodAnchorsMixture}

func (m Method) String() string {
	switch m {
	case MethodAnchors:
		return "anchors"
	case MethodMixture:
		return "mixture"
	case MethodAnchorsMixture:
		return "anchors+mixture"
	}
	return "unknown"
}

// DefaultMethod is the judging method New uses. In bench/localjudge
// (docs/local-judge.md, USE-lite, 18 predicates) anchors and
// anchors+mixture tie on mean F1 (0.43 vs 0.44) and anchors has the higher
// mean accuracy (0.84 vs 0.83); anchors is kept because its verdicts on
// polar phrases do not depend on the other rows of a call, so a cached
// answer means the same whichever batch produced it.
const DefaultMethod = MethodAnchors

// Backend is the local model. Safe for concurrent use.
type Backend struct {
	e      embed.Embedder
	idx    *index.Index
	method Method

	mu      sync.Mutex
	vectors map[string][]float32 // embeddings of phrases and anchors
}

var _ llm.Backend = (*Backend)(nil)

// New returns the local backend over embedder e, caching row embeddings in
// idx (nil: no persistent cache).
func New(e embed.Embedder, idx *index.Index) *Backend {
	return &Backend{e: e, idx: idx, method: DefaultMethod, vectors: make(map[string][]float32)}
}

// WithMethod returns a copy of b that judges with method m (for
// measurements; the name does not change, so do not share a response
// cache between methods).
func (b *Backend) WithMethod(m Method) *Backend {
	return &Backend{e: b.e, idx: b.idx, method: m, vectors: make(map[string][]float32)}
}

// Name is "local:" and the embedder's name.
func (b *Backend) Name() string { return "local:" + b.e.Name() }

// MaxBatch is the most rows per call.
func (b *Backend) MaxBatch() int { return MaxBatch }

// Price is zero: the model runs here.
func (b *Backend) Price() (inputPerMTok, outputPerMTok float64) { return 0, 0 }

// Version changes whenever the local model's answers could change (a new
// judging method or row text); it keeps cached answers of an older version
// from being served.
const Version = "2"

// Fingerprint is part of the response cache's key (see llm.NewClient).
func (b *Backend) Fingerprint() string { return "v" + Version + "/" + fmt.Sprint(b.method) }

// Approximate reports that every answer is an approximation (embeddings,
// not a language model), so results built from them must be labelled so.
func (b *Backend) Approximate() bool { return true }

// Embedder is the embedder the backend uses.
func (b *Backend) Embedder() embed.Embedder { return b.e }

// rowText is what is embedded of a row: the text of its field, or, with
// several fields, the longest one: the row's
// document. Short fields (a source, a category name) would otherwise
// dominate a sentence embedding and drown what the document says; a
// language model reads them all, the embeddings cannot.
func rowText(r llm.Row) string {
	best := ""
	for _, f := range r.Fields {
		if f.Image == nil && len(f.Text) > len(best) {
			best = f.Text
		}
	}
	return best
}

// embedRows returns the vectors of rows (through the index).
func (b *Backend) embedRows(ctx context.Context, rows []llm.Row) ([][]float32, error) {
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = rowText(r)
		if texts[i] == "" {
			for _, f := range r.Fields {
				if f.Image != nil {
					return nil, errs.New(errs.Unsupported, "the built-in local model has no image embedding: rows whose only content is an image (%s) cannot be judged locally; use a vision model through --llm openai", f.Name)
				}
			}
		}
	}
	return b.idx.Embed(ctx, b.e, texts, nil)
}

// embedTexts returns the vectors of phrases and anchors, memoised in
// memory (and stored in the index).
func (b *Backend) embedTexts(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var missing []string
	b.mu.Lock()
	for i, t := range texts {
		if v, ok := b.vectors[t]; ok {
			out[i] = v
		} else {
			missing = append(missing, t)
		}
	}
	b.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	got, err := b.idx.Embed(ctx, b.e, missing, nil)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	for i, t := range missing {
		b.vectors[t] = got[i]
	}
	for i, t := range texts {
		out[i] = b.vectors[t]
	}
	b.mu.Unlock()
	return out, nil
}

// usage accounts one call.
func usage(instructions []string, rows []llm.Row, completion int64) llm.Usage {
	var prompt int64
	for _, s := range instructions {
		prompt += llm.EstimateTokens(s)
	}
	for _, r := range rows {
		prompt += llm.EstimateTokens(r.Text())
	}
	return llm.Usage{Calls: 1, RowsJudged: int64(len(rows)), PromptTokens: prompt, CompletionTokens: completion}
}

func checkCtx(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return errs.Wrap(err, errs.Cancelled, "local: %v", err)
	}
	return nil
}

// dot is the dot product (the cosine of unit vectors; 0 for a zero
// vector).
func dot(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return float64(s)
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// normPhrase folds a phrase's case and white space.
func normPhrase(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
