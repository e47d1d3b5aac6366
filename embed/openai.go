package embed

// The OpenAI-compatible embedder: POST {BaseURL}/embeddings through
// github.com/sashabaranov/go-openai (OpenAI, Ollama, vLLM, llama.cpp server
// and other compatible services).

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"

	openai "github.com/sashabaranov/go-openai"

	"github.com/uqe-dev/uqe/errs"
)

// DefaultOpenAIModel is the embedding model used when none is given.
const DefaultOpenAIModel = "text-embedding-3-small"

// DefaultOpenAIBatch is the number of texts per request when none is given.
const DefaultOpenAIBatch = 256

// knownDims are the dimensions of well-known embedding models, so that Dim
// is known before the first call.
var knownDims = map[string]int{
	"text-embedding-3-small": 1536,
	"text-embedding-3-large": 3072,
	"text-embedding-ada-002": 1536,
}

// HTTPDoer sends HTTP requests (*http.Client is one); wrap one to add
// retries, rate limits or tracing.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// OpenAIConfig configures NewOpenAI.
type OpenAIConfig struct {
	// BaseURL of the API including the version, e.g.
	// "http://localhost:11434/v1" (default: OpenAI's).
	BaseURL string
	// APIKey is sent as a bearer token; it never appears in errors.
	APIKey string
	// Model is the embedding model (DefaultOpenAIModel if empty).
	Model string
	// BatchSize is the most texts per request (DefaultOpenAIBatch if <= 0).
	BatchSize int
	// Dimensions asks models that support it (text-embedding-3-*) for
	// shorter vectors; 0 means the model's own size.
	Dimensions int
	// HTTPClient sends the requests (default: a plain *http.Client; go-openai
	// does not retry, so wrap one for retries).
	HTTPClient HTTPDoer
}

// OpenAI embeds texts with an OpenAI-compatible embeddings endpoint. It is
// safe for concurrent use.
type OpenAI struct {
	client *openai.Client
	model  string
	batch  int
	dims   int
	key    string
	dim    atomic.Int64
}

var _ Embedder = (*OpenAI)(nil)

// NewOpenAI returns an OpenAI-compatible embedder. It needs an API key or
// a base URL (a local server may need no key); it makes no request.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	if cfg.APIKey == "" && cfg.BaseURL == "" {
		return nil, errs.New(errs.Usage, "embed: the openai embedder needs OPENAI_API_KEY or OPENAI_BASE_URL")
	}
	if cfg.Dimensions < 0 {
		return nil, errs.New(errs.Usage, "embed: negative dimensions %d", cfg.Dimensions)
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	}
	e := &OpenAI{
		client: openai.NewClientWithConfig(oc),
		model:  cfg.Model,
		batch:  cfg.BatchSize,
		dims:   cfg.Dimensions,
		key:    cfg.APIKey,
	}
	if e.model == "" {
		e.model = DefaultOpenAIModel
	}
	if e.batch <= 0 {
		e.batch = DefaultOpenAIBatch
	}
	switch {
	case e.dims > 0:
		e.dim.Store(int64(e.dims))
	case knownDims[e.model] > 0:
		e.dim.Store(int64(knownDims[e.model]))
	}
	return e, nil
}

// Name is "openai:" followed by the model (and "@DIMS" when Dimensions was
// set).
func (e *OpenAI) Name() string {
	if e.dims > 0 {
		return "openai:" + e.model + "@" + itoa(e.dims)
	}
	return "openai:" + e.model
}

// Dim is the vector length: the requested Dimensions, else learned from the
// first response, else the known size of the model (0 if unknown).
func (e *OpenAI) Dim() int { return int(e.dim.Load()) }

// Embed sends the non-empty texts in batches of BatchSize and returns
// L2-normalised vectors in order; an empty text gets the zero vector
// without being sent (the API rejects empty inputs).
func (e *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var idx []int
	for i, t := range texts {
		if t != "" {
			idx = append(idx, i)
		}
	}
	for start := 0; start < len(idx); start += e.batch {
		part := idx[start:min(start+e.batch, len(idx))]
		in := make([]string, len(part))
		for i, j := range part {
			in[i] = texts[j]
		}
		vecs, err := e.call(ctx, in)
		if err != nil {
			return nil, err
		}
		for i, j := range part {
			out[j] = vecs[i]
		}
	}
	dim := e.Dim()
	for i := range out {
		if out[i] == nil {
			out[i] = make([]float32, dim)
		}
	}
	return out, nil
}

// call embeds one batch.
func (e *OpenAI) call(ctx context.Context, in []string) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	resp, err := e.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
		Input:      in,
		Model:      openai.EmbeddingModel(e.model),
		Dimensions: e.dims,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, cancelled(ctx.Err())
		}
		return nil, e.apiError(err)
	}
	if len(resp.Data) != len(in) {
		return nil, errs.New(errs.Runtime, "embed: %s returned %d embeddings for %d inputs", e.Name(), len(resp.Data), len(in))
	}
	vecs := make([][]float32, len(in))
	dim := 0
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(in) || vecs[d.Index] != nil {
			return nil, errs.New(errs.Runtime, "embed: %s returned a bad or repeated index %d", e.Name(), d.Index)
		}
		if len(d.Embedding) == 0 || (dim != 0 && len(d.Embedding) != dim) {
			return nil, errs.New(errs.Runtime, "embed: %s returned vectors of different lengths", e.Name())
		}
		dim = len(d.Embedding)
		v := append([]float32(nil), d.Embedding...)
		normalize(v)
		vecs[d.Index] = v
	}
	if old := e.dim.Load(); old != int64(dim) {
		if e.dims > 0 {
			return nil, errs.New(errs.Runtime, "embed: %s returned %d dimensions, %d were asked for", e.Name(), dim, e.dims)
		}
		e.dim.Store(int64(dim))
	}
	return vecs, nil
}

// apiError turns a go-openai error into an errs.Error whose message never
// contains the API key (and which does not wrap the original error, whose
// text might).
func (e *OpenAI) apiError(err error) error {
	msg := err.Error()
	var api *openai.APIError
	var req *openai.RequestError
	status := 0
	switch {
	case errors.As(err, &api):
		status = api.HTTPStatusCode
	case errors.As(err, &req):
		status = req.HTTPStatusCode
	}
	if e.key != "" {
		msg = strings.ReplaceAll(msg, e.key, "[redacted]")
	}
	if status != 0 {
		return errs.New(errs.Runtime, "embed: %s: HTTP %d: %s", e.Name(), status, msg)
	}
	return errs.New(errs.Runtime, "embed: %s: %s", e.Name(), msg)
}
