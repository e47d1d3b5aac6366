package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/embed/index"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/executor"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/llm/cache"
	"github.com/uqe-dev/uqe/llm/local"
	"github.com/uqe-dev/uqe/llm/openai"
	"github.com/uqe-dev/uqe/llm/sim"
)

// models holds a DB's model backends (one per spec and model name, created
// on first use), its response cache and its embedder.
type models struct {
	mu        sync.Mutex
	backends  map[string]llm.Backend
	cache     llm.Cache
	cacheSet  bool
	embedders map[string]embed.Embedder
	index     *index.Index
	indexSet  bool
	noticed   bool
}

func (db *DB) env(k string) string {
	if db.opts.Env != nil {
		return db.opts.Env(k)
	}
	return os.Getenv(k)
}

// llmSpec is the backend spec a session uses: the llm setting, or the
// default (openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else the
// built-in local model).
func (s *Session) llmSpec() (spec string, defaulted bool) {
	if v := strings.TrimSpace(s.settings["llm"]); v != "" {
		return v, false
	}
	if s.db.env("OPENAI_API_KEY") != "" || s.db.env("OPENAI_BASE_URL") != "" {
		return "openai", true
	}
	return "local", true
}

// backend returns (creating once) the backend for the session's spec.
func (s *Session) backend() (llm.Backend, error) {
	spec, defaulted := s.llmSpec()
	m := &s.db.models
	m.mu.Lock()
	defer m.mu.Unlock()
	if defaulted && !m.noticed {
		m.noticed = true
		fmt.Fprintf(s.db.opts.Stderr, "uqe: using the %s model backend (set --llm or SET llm to choose)\n", spec)
	}
	key := spec + "\x00" + s.settings["model"]
	if b, ok := m.backends[key]; ok {
		return b, nil
	}
	var b llm.Backend
	var err error
	switch {
	case spec == "openai":
		model := s.settings["model"]
		if model == "" {
			model = "gpt-4o-mini"
		}
		b, err = openai.New(openai.Config{BaseURL: s.db.env("OPENAI_BASE_URL"), APIKey: s.db.env("OPENAI_API_KEY"), Model: model})
	case strings.HasPrefix(spec, "sim:"):
		b, err = sim.Load(strings.TrimPrefix(spec, "sim:"))
	case spec == "none":
		return nil, errs.New(errs.NoModel, "no model backend (llm = none): natural-language expressions cannot be evaluated")
	case spec == "local":
		e, eerr := s.embedderLocked()
		if eerr != nil {
			return nil, eerr
		}
		b = local.New(e, nil) // e already reads and fills the index
	default:
		return nil, errs.New(errs.BadSetting, "llm: unknown backend %q (want openai, local, none or sim:PATH)", spec)
	}
	if err != nil {
		return nil, err
	}
	if m.backends == nil {
		m.backends = map[string]llm.Backend{}
	}
	m.backends[key] = b
	return b, nil
}

// responseCache opens the DB's response cache once (nil when off or when
// it cannot be opened: a broken cache never fails a query; it is reported
// once on standard error).
func (db *DB) responseCache() llm.Cache {
	m := &db.models
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cacheSet {
		return m.cache
	}
	m.cacheSet = true
	path := db.opts.Cache
	if path == "off" {
		return nil
	}
	if path == "" {
		path = cache.DefaultPath()
	}
	c, err := cache.Open(path)
	if err != nil {
		fmt.Fprintf(db.opts.Stderr, "uqe: response cache disabled: %v\n", err)
		return nil
	}
	m.cache = c
	return c
}

// embedder returns the session's embedder (the embed setting: use, hash or
// openai), backed by the persistent embedding index so that a table's rows
// are embedded once across statements and processes.
func (s *Session) embedder() (executor.Embedder, error) {
	s.db.models.mu.Lock()
	defer s.db.models.mu.Unlock()
	return s.embedderLocked()
}

func (s *Session) embedderLocked() (*indexed, error) {
	m := &s.db.models
	spec := s.settings["embed"]
	e, ok := m.embedders[spec]
	if !ok {
		var err error
		e, err = embed.Open(spec, s.db.env)
		if err != nil {
			return nil, err
		}
		if m.embedders == nil {
			m.embedders = map[string]embed.Embedder{}
		}
		m.embedders[spec] = e
	}
	return &indexed{e: e, ix: s.db.indexLocked(), stderr: s.db.opts.Stderr}, nil
}

// indexLocked opens the embedding index once (nil when the cache is off, or
// when it cannot be opened: embeddings are then computed each time).
func (db *DB) indexLocked() *index.Index {
	m := &db.models
	if m.indexSet {
		return m.index
	}
	m.indexSet = true
	if db.opts.Cache == "off" {
		return nil
	}
	path := index.DefaultPath()
	if db.opts.Cache != "" {
		path = filepath.Join(filepath.Dir(db.opts.Cache), "embeddings.db")
	}
	ix, err := index.Open(path)
	if err != nil {
		fmt.Fprintf(db.opts.Stderr, "uqe: embedding index disabled: %v\n", err)
		return nil
	}
	m.index = ix
	return ix
}

// indexed is an embedder whose vectors go through the persistent index,
// with a progress bar on standard error while new ones are computed.
type indexed struct {
	e      embed.Embedder
	ix     *index.Index
	stderr io.Writer
}

func (x *indexed) Name() string { return x.e.Name() }
func (x *indexed) Dim() int     { return x.e.Dim() }

func (x *indexed) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return x.ix.Embed(ctx, x.e, texts, index.ProgressBar(x.stderr, "embedding ("+x.e.Name()+")"))
}

// prepareExec configures an execution's model layer for one statement. The
// model is resolved lazily: a statement without natural-language
// expressions never needs one.
func (s *Session) prepareExec(x *executor.Exec) (*llm.Client, error) {
	x.ForceExact = s.settings["strategy"] == "exact"
	x.SampleStrategy = s.settings["strategy"]
	x.Confidence, _ = strconv.ParseFloat(s.settings["confidence"], 64)
	x.TargetError, _ = strconv.ParseFloat(s.settings["target_error"], 64)
	if f, ok := s.db.opts.Stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			x.Progress = func(msg string) { fmt.Fprintf(f, "\r\x1b[K%s", msg) }
		}
	}
	b, err := s.backend()
	if err != nil {
		return nil, err
	}
	batch, _ := strconv.Atoi(s.settings["batch_size"])
	budget := mustInt(s.settings["budget"])
	if ap, ok := b.(interface{ Approximate() bool }); ok && ap.Approximate() {
		// The local model fits thresholds over the rows of a call: give
		// it whole batches. It runs here and costs nothing, so the budget
		// (which protects paid and remote models) does not limit it.
		batch = b.MaxBatch()
		x.Approximate = true
		budget = 0
	}
	conc, _ := strconv.Atoi(s.settings["concurrency"])
	c := llm.NewClient(timeCalls(b), llm.Options{
		Concurrency: conc,
		BatchSize:   batch,
		Cache:       s.db.responseCache(),
		Budget:      llm.NewBudget(budget),
	})
	x.Model = c
	return c, nil
}
