// Package embed owns uqe's embedders: the Embedder interface that turns
// texts into L2-normalised vectors (for sampling strata, clustering,
// nearest-neighbour search and learned operators), the offline hashing
// embedder Hash, the OpenAI-compatible embedder OpenAI, Cosine, and Open,
// which builds an embedder from a --embed / DSN spec.
//
// The hash embedder (see Hash) is a feature-hashing TF-IDF vectoriser: it
// needs no model file and no network, is deterministic, and is good enough
// to find lexically similar rows; semantic embedders (the built-in USE-lite
// encoder, or an OpenAI-compatible service) are better at
// paraphrases.
//
// Every embedder returns one vector per input text, of length Dim(), with
// unit L2 norm, except that a text with no content (no word characters for
// Hash; the empty string for OpenAI) gets the zero vector, whose Cosine with
// anything is 0.
package embed

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/uqe-dev/uqe/embed/use"
	"github.com/uqe-dev/uqe/errs"
)

// Embedder turns texts into vectors.
type Embedder interface {
	// Name identifies the embedder and its configuration ("hash",
	// "openai:text-embedding-3-small", ...); it is part of index keys.
	Name() string
	// Dim is the length of the vectors (0 if not known before the first
	// call).
	Dim() int
	// Embed returns one L2-normalised vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Cosine is the cosine similarity of a and b (0 if either is the zero
// vector or their lengths differ). For normalised vectors it is their dot
// product.
func Cosine(a, b []float32) float32 {
	if len(a) != len(b) {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return float32(dot / math.Sqrt(na*nb))
}

// normalize scales v to unit L2 norm in place (the zero vector stays zero).
func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := 1 / math.Sqrt(s)
	for i := range v {
		v[i] = float32(float64(v[i]) * inv)
	}
}

// Open builds an embedder from a spec:
//
//   - "hash" or "hash:DIM": NewHash(DIM), DIM 512 by default (unfitted:
//     TF weighting; callers that have a corpus call Fit);
//   - "openai" or "openai:MODEL": NewOpenAI with OPENAI_API_KEY and
//     OPENAI_BASE_URL read through env (nil: os.Getenv), and MODEL
//     (default text-embedding-3-small);
//   - "use": the built-in USE-lite encoder (use.New: Google's Universal
//     Sentence Encoder lite, 512 dimensions, weights embedded in the
//     binary).
//
// Anything else is a usage error (errs.Usage).
func Open(spec string, env func(string) string) (Embedder, error) {
	if env == nil {
		env = os.Getenv
	}
	name, arg, _ := strings.Cut(strings.TrimSpace(spec), ":")
	switch strings.ToLower(name) {
	case "hash":
		dim := DefaultDim
		if arg != "" {
			n, err := strconv.Atoi(arg)
			if err != nil || n <= 0 || n > 1<<20 {
				return nil, errs.New(errs.Usage, "embed: bad dimension in %q (want hash:N with 0 < N <= 1048576)", spec)
			}
			dim = n
		}
		return NewHash(dim), nil
	case "openai":
		return NewOpenAI(OpenAIConfig{
			APIKey:  env("OPENAI_API_KEY"),
			BaseURL: env("OPENAI_BASE_URL"),
			Model:   arg,
		})
	case "use":
		if arg != "" {
			return nil, errs.New(errs.Usage, "embed: %q takes no argument (want use)", spec)
		}
		m, err := use.New()
		if err != nil {
			return nil, errs.Wrap(err, errs.Internal, "embed: loading USE-lite: %v", err)
		}
		return m, nil
	}
	return nil, errs.New(errs.Usage, "embed: unknown embedder %q (want use, hash or openai)", spec)
}

// cancelled is the error of a call whose context ended.
func cancelled(err error) error {
	return errs.Wrap(err, errs.Cancelled, "embed: %v", err)
}
