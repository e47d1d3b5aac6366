// Package openai owns uqe's backend for OpenAI-compatible chat completion
// servers (OpenAI, Ollama, vLLM, llama.cpp server, ...), built on
// github.com/sashabaranov/go-openai: the prompts (instructions in the system
// message, rows as escaped JSON between per-request random markers in the
// user message), JSON-schema constrained answers with per-row ids and their
// validation, verdict probabilities from log-probabilities, images as data
// URLs, retries with backoff around the HTTP client, the work-arounds for
// go-openai's traps (temperature 0 dropped by omitempty, client-side model
// name validation), and the accounting of tokens and money.
//
// The API key is only ever put in the Authorization header: it never
// appears in Name, an error or a log (this package logs nothing).
package openai

import (
	"context"
	"net/http"
	"regexp"
	"sync/atomic"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/uqe-dev/uqe/errs"
)

// Defaults.
const (
	DefaultBaseURL    = "https://api.openai.com/v1"
	DefaultMaxBatch   = 16
	DefaultMaxRetries = 6
	DefaultTimeout    = 2 * time.Minute
	// BackoffBase and BackoffCap bound the full-jitter exponential backoff.
	BackoffBase = 500 * time.Millisecond
	BackoffCap  = 30 * time.Second
	// MaxRetryAfter caps how long a server's Retry-After may make us wait.
	MaxRetryAfter = 2 * time.Minute
	// singleRowAttempts is how often a row whose answer was missing,
	// duplicated or invalid is asked again on its own.
	singleRowAttempts = 2
	// wholeAttempts is how often Taxonomy and Compare ask again after an
	// invalid answer.
	wholeAttempts = 2
)

// Price is what a model costs per million tokens, in US dollars.
type Price struct {
	InputPerMTok, OutputPerMTok float64
}

// Prices are OpenAI's public list prices (standard tier, per million
// tokens) as best known on 2025-08-15. They are estimates for budgeting
// and statistics, not billing: check the provider's page. Dated snapshots
// ("gpt-4o-mini-2024-07-18") use their model's price; models not listed
// (local or third-party models) cost 0, which Price reports as such.
var Prices = map[string]Price{
	"gpt-4o-mini":  {0.15, 0.60},
	"gpt-4o":       {2.50, 10.00},
	"gpt-4.1":      {2.00, 8.00},
	"gpt-4.1-mini": {0.40, 1.60},
	"gpt-4.1-nano": {0.10, 0.40},
	"gpt-5":        {1.25, 10.00},
	"gpt-5-mini":   {0.25, 2.00},
	"gpt-5-nano":   {0.05, 0.40},
	"o3":           {2.00, 8.00},
	"o4-mini":      {1.10, 4.40},
}

var reDateSuffix = regexp.MustCompile(`-\d{4}-\d{2}-\d{2}$`)

// PriceOf returns the listed price of model and whether it is listed.
func PriceOf(model string) (Price, bool) {
	if p, ok := Prices[model]; ok {
		return p, true
	}
	p, ok := Prices[reDateSuffix.ReplaceAllString(model, "")]
	return p, ok
}

// Config configures a Backend.
type Config struct {
	// BaseURL is the API's base URL (default DefaultBaseURL), e.g.
	// "http://localhost:11434/v1" for Ollama.
	BaseURL string
	// APIKey is sent as a bearer token (the caller reads OPENAI_API_KEY);
	// empty sends no Authorization header.
	APIKey string
	// Model is the model name, sent as is (required).
	Model string
	// MaxBatch is the most rows per request (default 16).
	MaxBatch int
	// Timeout bounds each HTTP attempt (default 2 minutes).
	Timeout time.Duration
	// MaxRetries is how often one request is retried after a retryable
	// failure (default 6; negative means none).
	MaxRetries int
	// HTTPClient sends the requests (default a new http.Client).
	HTTPClient *http.Client
	// Sleep waits d or until ctx ends (default a timer); tests inject a
	// recording sleep so that backoff costs no time.
	Sleep func(ctx context.Context, d time.Duration) error
	// Price overrides the price table (for unlisted or discounted models).
	Price *Price
	// NoLogprobs stops asking for log-probabilities (verdict probabilities
	// are then the verbalised ones).
	NoLogprobs bool
}

// Backend is an llm.Backend for an OpenAI-compatible server. It is safe
// for concurrent use.
type Backend struct {
	cfg    Config
	client *goopenai.Client
	price  Price
	priced bool

	// What the server turned out not to support, learnt from 400 replies
	// and remembered for the backend's lifetime.
	noSchema, noTemperature, noLogprobs atomic.Bool
}

// New returns a backend for cfg.
func New(cfg Config) (*Backend, error) {
	if cfg.Model == "" {
		return nil, errs.New(errs.Usage, "openai: no model name given")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = DefaultMaxBatch
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	b := &Backend{cfg: cfg}
	if cfg.Price != nil {
		b.price, b.priced = *cfg.Price, true
	} else {
		b.price, b.priced = PriceOf(cfg.Model)
	}
	cc := goopenai.DefaultConfig(cfg.APIKey)
	cc.BaseURL = cfg.BaseURL
	cc.HTTPClient = &transport{b: b, inner: cfg.HTTPClient}
	b.client = goopenai.NewClientWithConfig(cc)
	return b, nil
}

// Name is "openai:" and the model name.
func (b *Backend) Name() string { return "openai:" + b.cfg.Model }

// MaxBatch is the most rows per request.
func (b *Backend) MaxBatch() int { return b.cfg.MaxBatch }

// Price is the model's price per million prompt and completion tokens: from
// Config.Price, else the Prices table; 0, 0 for a model not listed (see
// Priced).
func (b *Backend) Price() (inputPerMTok, outputPerMTok float64) {
	return b.price.InputPerMTok, b.price.OutputPerMTok
}

// Priced reports whether the price is known (configured or listed); an
// unlisted model's cost is reported as 0.
func (b *Backend) Priced() bool { return b.priced }

func (b *Backend) cost(prompt, completion int64) float64 {
	return (float64(prompt)*b.price.InputPerMTok + float64(completion)*b.price.OutputPerMTok) / 1e6
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
