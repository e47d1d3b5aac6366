package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/uqe-dev/uqe/llm/cache"
)

// phraseStats are what the engine has observed of a phrase: how many rows
// the model judged and how many it found true. They are remembered beside
// the response cache (phrase-stats.json) and inform later plans: EXPLAIN's
// selectivity and expected error.
type phraseStats struct {
	Judged int64 `json:"judged"`
	True   int64 `json:"true"`
}

// statsStore is the persistent store of phrase statistics. Writes are
// atomic (write and rename); with several processes the last writer wins,
// which is acceptable for statistics.
type statsStore struct {
	mu     sync.Mutex
	path   string
	loaded bool
	m      map[string]phraseStats
}

func phraseKey(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func (db *DB) phraseStore() *statsStore {
	db.stats.mu.Lock()
	defer db.stats.mu.Unlock()
	if !db.stats.loaded {
		db.stats.loaded = true
		db.stats.m = map[string]phraseStats{}
		if db.opts.Cache != "off" {
			dir := filepath.Dir(cache.DefaultPath())
			if db.opts.Cache != "" {
				dir = filepath.Dir(db.opts.Cache)
			}
			db.stats.path = filepath.Join(dir, "phrase-stats.json")
			if b, err := os.ReadFile(db.stats.path); err == nil {
				_ = json.Unmarshal(b, &db.stats.m)
			}
		}
	}
	return &db.stats
}

// get returns what is known of a phrase.
func (st *statsStore) get(phrase string) (phraseStats, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	v, ok := st.m[phraseKey(phrase)]
	return v, ok && v.Judged > 0
}

// add records observations and saves the store.
func (st *statsStore) add(obs map[string][2]int64) {
	if len(obs) == 0 {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	for p, o := range obs {
		k := phraseKey(p)
		v := st.m[k]
		v.Judged += o[0]
		v.True += o[1]
		st.m[k] = v
	}
	if st.path == "" {
		return
	}
	b, err := json.MarshalIndent(st.m, "", " ")
	if err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(st.path), 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(st.path), "phrase-stats-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if err := os.Rename(tmp.Name(), st.path); err != nil {
		os.Remove(tmp.Name())
	}
}
