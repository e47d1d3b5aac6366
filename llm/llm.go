// Package llm owns uqe's model layer: the typed operations the executor
// asks of a language model (Judge, Extract, Taxonomy, Score, Compare), the
// rows it shows the model, and the accounting of what each call costs.
// Backends (llm/openai, llm/sim, and later the built-in local model)
// implement Backend; Client wraps any backend with de-duplication,
// batching, a concurrency limit, the response cache, the budget and
// statistics. The executor never builds a prompt itself.
package llm

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/uqe-dev/uqe/value"
)

// PromptVersion changes whenever prompts or answer parsing change in a way
// that could change answers; it is part of every cache key.
const PromptVersion = "uqe-prompt-1"

// Field is one column of a row as the model sees it.
type Field struct {
	Name string `json:"name"`
	// Text is the value rendered as text (empty for images).
	Text string `json:"text,omitempty"`
	// Image holds the bytes of an image column (sent as a data URL to
	// vision models); MIME is its type, e.g. "image/png".
	Image []byte `json:"image,omitempty"`
	MIME  string `json:"mime,omitempty"`
}

// Row is what the model sees of one table row: its context columns.
type Row struct {
	Fields []Field
}

// Key is a canonical encoding of the row's content, used to de-duplicate
// identical rows within a statement and as part of cache keys.
func (r Row) Key() string {
	b, _ := json.Marshal(r.Fields)
	return string(b)
}

// Text renders the row as "name: text" lines (for backends and token
// estimates).
func (r Row) Text() string {
	var b strings.Builder
	for i, f := range r.Fields {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(f.Name)
		b.WriteString(": ")
		if f.Image != nil {
			b.WriteString("[image]")
		} else {
			b.WriteString(f.Text)
		}
	}
	return b.String()
}

// Kind is the kind of answer an extraction asks for.
type Kind int

const (
	KindText Kind = iota
	KindInt
	KindReal
	KindBool
	KindEnum // one of Type.Enum
)

// Type is the type of an extracted value.
type Type struct {
	Kind Kind
	Enum []string // for KindEnum
}

// Verdict is a judgment of one predicate on one row.
type Verdict struct {
	Value bool
	// Prob is the model's probability that the predicate holds, from
	// log-probabilities where the server gives them, else verbalised; 1 or
	// 0 when the backend knows only the verdict.
	Prob float64
}

// Attr is one attribute to extract.
type Attr struct {
	Instruction string
	Type        Type
}

// Usage is what calls cost.
type Usage struct {
	Calls            int64
	RowsJudged       int64 // rows sent to the model (each row once per call)
	PromptTokens     int64
	CompletionTokens int64
	Retries          int64
	CostUSD          float64
}

// Add accumulates u2 into u.
func (u *Usage) Add(u2 Usage) {
	u.Calls += u2.Calls
	u.RowsJudged += u2.RowsJudged
	u.PromptTokens += u2.PromptTokens
	u.CompletionTokens += u2.CompletionTokens
	u.Retries += u2.Retries
	u.CostUSD += u2.CostUSD
}

// Backend is a model. Every method is one model call over a batch of rows
// (the Client decides batch sizes and never sends more rows than
// MaxBatch). Implementations must return exactly one answer per row, in
// order, or an error; they must honour ctx cancellation.
type Backend interface {
	// Name identifies the backend and model, e.g. "openai:gpt-4o-mini" or
	// "sim:labels.json"; it is part of cache keys and stats.
	Name() string
	// MaxBatch is the most rows one call may carry.
	MaxBatch() int
	// Judge evaluates every predicate on every row: out[row][pred].
	Judge(ctx context.Context, preds []string, rows []Row) ([][]Verdict, Usage, error)
	// Extract extracts every attribute from every row: out[row][attr].
	// Values have the attribute's type (value.Int for KindInt, ...;
	// value.Text for KindText and KindEnum; NULL when the model says the
	// row has no such value).
	Extract(ctx context.Context, attrs []Attr, rows []Row) ([][]value.Value, Usage, error)
	// Taxonomy proposes at most max category names for the attribute
	// described by instruction, from a sample of rows.
	Taxonomy(ctx context.Context, instruction string, sample []Row, max int) ([]string, Usage, error)
	// Score rates every row on the criterion described by instruction, in
	// [0, 1] (higher: more of it), for semantic ranking.
	Score(ctx context.Context, instruction string, rows []Row) ([]float64, Usage, error)
	// Compare returns the probability that row a ranks before row b
	// (has more of the criterion) for pairwise refinement.
	Compare(ctx context.Context, instruction string, a, b Row) (float64, Usage, error)
	// Price is what the backend charges per million prompt and completion
	// tokens (0 if free or unknown).
	Price() (inputPerMTok, outputPerMTok float64)
}

// AnchorWriter is a backend that can describe an instruction by contrast,
// for the zero-shot prior of sampling and search: pos is a short text
// typical of rows for which the instruction holds, neg one typical of rows
// of the same kind for which it does not. A row's prior is then its
// similarity to pos minus its similarity to neg, which ranks rows better
// than the similarity to the instruction itself (bench/evaluate measures
// both: "COUNT with the engine's own prior").
type AnchorWriter interface {
	Anchors(ctx context.Context, instruction string) (pos, neg string, u Usage, err error)
}

// anchorWriter finds an AnchorWriter in b or in the backends it wraps (a
// wrapper exposes its inner backend with Unwrap() Backend).
func anchorWriter(b Backend) (AnchorWriter, bool) {
	for b != nil {
		if a, ok := b.(AnchorWriter); ok {
			return a, true
		}
		u, ok := b.(interface{ Unwrap() Backend })
		if !ok {
			return nil, false
		}
		b = u.Unwrap()
	}
	return nil, false
}

// EstimateTokens estimates the tokens of a text (about 4 characters per
// token for English), for budgeting and for backends that do not report
// usage.
func EstimateTokens(s string) int64 {
	return int64(len(s)+3) / 4
}
