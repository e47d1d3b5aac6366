package engine

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/executor"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/llm/cache"
	"github.com/uqe-dev/uqe/llm/openai"
	"github.com/uqe-dev/uqe/llm/sim"
)

// models holds a DB's model backends (one per spec and model name, created
// on first use), its response cache and its embedder.
type models struct {
	mu       sync.Mutex
	backends map[string]llm.Backend
	cache    llm.Cache
	cacheErr error
	cacheSet bool
	embedder embed.Embedder
	noticed  bool
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
	case spec == "local":
		return nil, errs.New(errs.NoModel, "the built-in local model is not available yet; set OPENAI_API_KEY or OPENAI_BASE_URL for an OpenAI-compatible server, or use --llm sim:KEY.json")
	default:
		return nil, errs.New(errs.BadSetting, "llm: unknown backend %q (want openai, local or sim:PATH)", spec)
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

func (db *DB) embedder() embed.Embedder {
	m := &db.models
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.embedder == nil {
		m.embedder = embed.NewHash(512)
	}
	return m.embedder
}

// prepareExec configures an execution's model layer for one statement. The
// model is resolved lazily: a statement without natural-language
// expressions never needs one.
func (s *Session) prepareExec(x *executor.Exec) (*llm.Client, error) {
	x.Seed = mustInt(s.settings["seed"])
	x.ForceExact = s.settings["strategy"] == "exact"
	x.Embedder = s.db.embedder()
	b, err := s.backend()
	if err != nil {
		return nil, err
	}
	batch, _ := strconv.Atoi(s.settings["batch_size"])
	conc, _ := strconv.Atoi(s.settings["concurrency"])
	c := llm.NewClient(b, llm.Options{
		Concurrency: conc,
		BatchSize:   batch,
		Cache:       s.db.responseCache(),
		Budget:      llm.NewBudget(mustInt(s.settings["budget"])),
	})
	x.Model = c
	return c, nil
}
