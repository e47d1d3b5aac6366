package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/uqe-dev/uqe/sampling"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/uqe-dev/uqe/executor"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/llm/cache"
	"github.com/uqe-dev/uqe/planner"
)

// phraseStats are what the engine has observed of a phrase, on one table
// version or over all of them: the rows whose verdict it saw and how many
// were true (the selectivity), what the model calls cost (tokens, calls,
// latency; recorded only for statements whose sole phrase it was, so that
// the figures are the phrase's own) and, per sampling strategy, the
// precision of the COUNT estimates made with it. They are remembered
// beside the response cache (phrase-stats.json) and inform later plans:
// EXPLAIN's selectivity, tokens, cost, latency and expected error.
type phraseStats struct {
	Judged int64 `json:"judged"`
	True   int64 `json:"true"`
	// Runs counts the statements that observed the phrase.
	Runs int64 `json:"runs,omitempty"`
	// ModelRows are the rows sent to the model (cache hits excluded);
	// tokens, calls and latency are theirs.
	ModelRows        int64   `json:"model_rows,omitempty"`
	PromptTokens     int64   `json:"prompt_tokens,omitempty"`
	CompletionTokens int64   `json:"completion_tokens,omitempty"`
	Calls            int64   `json:"calls,omitempty"`
	LatencyMS        float64 `json:"latency_ms,omitempty"`
	// Strategies holds the estimates made per sampling strategy.
	Strategies map[string]*strategyStats `json:"strategies,omitempty"`
}

// strategyStats are the COUNT estimates one sampling strategy made: how
// many, and the most recent ones (at most maxEstimateObs).
type strategyStats struct {
	Runs int64         `json:"runs"`
	Obs  []estimateObs `json:"obs,omitempty"`
}

// estimateObs is one estimate: rows judged (n) out of the population
// (pop), the estimated rate of true rows and the relative standard error.
type estimateObs struct {
	N    int     `json:"n"`
	Pop  int     `json:"pop"`
	Rate float64 `json:"rate"`
	RSE  float64 `json:"rse"`
}

const maxEstimateObs = 32

// deff is the observation's design effect: its relative variance over
// that of uniform sampling (binomial, without replacement) at the same n
// and rate; ok is false when that is undefined (rate 0 or 1, n = pop).
func (o estimateObs) deff() (float64, bool) {
	if o.N <= 0 || o.Pop <= o.N || o.Rate <= 0 || o.Rate >= 1 || o.RSE <= 0 || math.IsInf(o.RSE, 0) || math.IsNaN(o.RSE) {
		return 0, false
	}
	u := (1 - o.Rate) / (o.Rate * float64(o.N)) * (1 - float64(o.N)/float64(o.Pop))
	return o.RSE * o.RSE / u, true
}

// merge adds b's figures to a.
func (a *phraseStats) merge(b phraseStats) {
	a.Judged += b.Judged
	a.True += b.True
	a.Runs += b.Runs
	a.ModelRows += b.ModelRows
	a.PromptTokens += b.PromptTokens
	a.CompletionTokens += b.CompletionTokens
	a.Calls += b.Calls
	a.LatencyMS += b.LatencyMS
	for name, s := range b.Strategies {
		if a.Strategies == nil {
			a.Strategies = map[string]*strategyStats{}
		}
		t := a.Strategies[name]
		if t == nil {
			t = &strategyStats{}
			a.Strategies[name] = t
		}
		t.Runs += s.Runs
		t.Obs = append(t.Obs, s.Obs...)
		if len(t.Obs) > maxEstimateObs {
			t.Obs = append([]estimateObs(nil), t.Obs[len(t.Obs)-maxEstimateObs:]...)
		}
	}
}

// statsFile is phrase-stats.json: totals per phrase (over every table
// version: the fallback) and per table version and phrase. Files written
// before table versions existed are a bare map phrase → {judged, true};
// they load as phrase totals.
type statsFile struct {
	Format  int                                `json:"format"`
	Phrases map[string]*phraseStats            `json:"phrases"`
	Tables  map[string]map[string]*phraseStats `json:"tables"`
}

const statsFormat = 2

func newStatsFile() *statsFile {
	return &statsFile{Format: statsFormat, Phrases: map[string]*phraseStats{}, Tables: map[string]map[string]*phraseStats{}}
}

// parseStats reads a stats file of either format; what cannot be read is
// ignored (statistics only inform plans).
func parseStats(b []byte) *statsFile {
	f := newStatsFile()
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return f
	}
	var format int
	if v, ok := raw["format"]; ok && json.Unmarshal(v, &format) == nil && format == statsFormat {
		var g statsFile
		if json.Unmarshal(b, &g) != nil {
			return f
		}
		for k, v := range g.Phrases {
			if v != nil {
				f.Phrases[k] = v
			}
		}
		for ver, m := range g.Tables {
			for k, v := range m {
				if v != nil {
					f.entry(ver, k).merge(*v)
				}
			}
		}
		return f
	}
	// The first format: phrase → {judged, true}.
	for k, v := range raw {
		var st phraseStats
		if json.Unmarshal(v, &st) == nil && st.Judged > 0 {
			f.Phrases[phraseKey(k)] = &phraseStats{Judged: st.Judged, True: st.True}
		}
	}
	return f
}

// entry returns (creating) the stats of a phrase on a table version, or
// its totals when version is "".
func (f *statsFile) entry(version, phrase string) *phraseStats {
	m := f.Phrases
	if version != "" {
		m = f.Tables[version]
		if m == nil {
			m = map[string]*phraseStats{}
			f.Tables[version] = m
		}
	}
	v := m[phrase]
	if v == nil {
		v = &phraseStats{}
		m[phrase] = v
	}
	return v
}

// statsStore is the persistent store of phrase statistics. A write re-reads
// the file, adds the statement's observations and replaces the file
// atomically (write and rename), so concurrent processes lose at most the
// observations of a write that raced another.
type statsStore struct {
	mu     sync.Mutex
	path   string
	loaded bool
	f      *statsFile
}

func phraseKey(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func (db *DB) phraseStore() *statsStore {
	db.stats.mu.Lock()
	defer db.stats.mu.Unlock()
	if !db.stats.loaded {
		db.stats.loaded = true
		db.stats.f = newStatsFile()
		if db.opts.Cache != "off" {
			dir := filepath.Dir(cache.DefaultPath())
			if db.opts.Cache != "" {
				dir = filepath.Dir(db.opts.Cache)
			}
			db.stats.path = filepath.Join(dir, "phrase-stats.json")
			if b, err := os.ReadFile(db.stats.path); err == nil {
				db.stats.f = parseStats(b)
			}
		}
	}
	return &db.stats
}

// lookup is what the store knows of a phrase on a table version: the
// entry for that version when it has observations, else the phrase's
// totals (scope says which).
type lookup struct {
	st    phraseStats
	scope string // "this table version", "this phrase on other table versions"
	ok    bool
}

func (st *statsStore) get(version, phrase string) lookup {
	st.mu.Lock()
	defer st.mu.Unlock()
	k := phraseKey(phrase)
	if version != "" {
		if v := st.f.Tables[version][k]; v != nil && v.Judged > 0 {
			return lookup{st: *v, scope: "this table version", ok: true}
		}
	}
	if v := st.f.Phrases[k]; v != nil && v.Judged > 0 {
		return lookup{st: *v, scope: "this phrase on any table version", ok: true}
	}
	return lookup{}
}

// designEffect is the learned design effect of a strategy: the mean over
// the remembered estimates of (observed relative variance) / (uniform's
// binomial relative variance at the same n and rate), from the table
// version and phrase when they have estimates by this strategy, else from
// the phrase on any version, else from every phrase. runs is the number of
// estimates it rests on (0: nothing known).
func (st *statsStore) designEffect(version, phrase, strategy string) (deff float64, runs int, scope string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	mean := func(ps ...*phraseStats) (float64, int) {
		var sum float64
		var n int
		for _, p := range ps {
			if p == nil || p.Strategies[strategy] == nil {
				continue
			}
			for _, o := range p.Strategies[strategy].Obs {
				if d, ok := o.deff(); ok {
					sum += d
					n++
				}
			}
		}
		if n == 0 {
			return 0, 0
		}
		return sum / float64(n), n
	}
	k := phraseKey(phrase)
	if version != "" {
		if d, n := mean(st.f.Tables[version][k]); n > 0 {
			return d, n, "on this table and phrase"
		}
	}
	if d, n := mean(st.f.Phrases[k]); n > 0 {
		return d, n, "for this phrase"
	}
	var all []*phraseStats
	for _, p := range st.f.Phrases {
		all = append(all, p)
	}
	if d, n := mean(all...); n > 0 {
		return d, n, "over other phrases"
	}
	return 0, 0, ""
}

// add records observations (per table version, or "" for none, and
// phrase) and saves the store.
func (st *statsStore) add(obs map[[2]string]phraseStats) {
	if len(obs) == 0 {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	apply := func(f *statsFile) {
		keys := make([][2]string, 0, len(obs))
		for k := range obs {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
		for _, k := range keys {
			p := phraseKey(k[1])
			f.entry("", p).merge(obs[k])
			if k[0] != "" {
				f.entry(k[0], p).merge(obs[k])
			}
		}
	}
	if st.path == "" {
		apply(st.f)
		return
	}
	// Start from what is on disk now (another process may have written).
	f := newStatsFile()
	if b, err := os.ReadFile(st.path); err == nil {
		f = parseStats(b)
	}
	apply(f)
	st.f = f
	b, err := json.MarshalIndent(f, "", " ")
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

// recordObservations remembers what one statement observed: per phrase
// (and the version of the table it read) the rows judged and true; when
// the statement had one phrase, the model's tokens, calls and latency;
// and the COUNT estimates made from samples, per strategy.
func (db *DB) recordObservations(plan planner.Node, x *executor.Exec, client *llm.Client) {
	if x == nil || (len(x.PhraseObs) == 0 && len(x.Estimates) == 0) {
		return
	}
	versions, phrases := db.phraseVersions(plan)
	obs := map[[2]string]phraseStats{}
	for p, o := range x.PhraseObs {
		k := [2]string{versions[p], p}
		v := obs[k]
		v.Judged += o[0]
		v.True += o[1]
		v.Runs = 1
		obs[k] = v
	}
	if client != nil && len(phrases) == 1 {
		p := phrases[0]
		k := [2]string{versions[p], p}
		v := obs[k]
		cs := client.Stats()
		v.ModelRows += cs.RowsJudged
		v.PromptTokens += cs.PromptTokens
		v.CompletionTokens += cs.CompletionTokens
		v.Calls += cs.Calls
		if tb, ok := client.Backend().(callTimer); ok {
			v.LatencyMS += tb.callMS()
		}
		v.Runs = 1
		obs[k] = v
	}
	for _, e := range x.Estimates {
		if len(e.Phrases) != 1 || e.Partial || e.N <= 0 || e.Value <= 0 {
			continue
		}
		p := e.Phrases[0]
		k := [2]string{versions[p], p}
		v := obs[k]
		if v.Strategies == nil {
			v.Strategies = map[string]*strategyStats{}
		}
		s := v.Strategies[e.Strategy]
		if s == nil {
			s = &strategyStats{}
			v.Strategies[e.Strategy] = s
		}
		s.Runs++
		s.Obs = append(s.Obs, estimateObs{N: e.Judged, Pop: e.N, Rate: e.Value / float64(e.N), RSE: (e.High - e.Low) / 2 / sampling.ZFor(e.Conf) / e.Value})
		obs[k] = v
	}
	db.phraseStore().add(obs)
}

// phraseVersions maps every phrase of a plan to the version of the tables
// that provide its context columns (see tableVersion), and lists the
// plan's distinct phrases.
func (db *DB) phraseVersions(plan planner.Node) (map[string]string, []string) {
	scans := map[planner.ColID]*planner.Scan{}
	var nls []*planner.NLExpr
	var visit func(n planner.Node)
	visitExpr := func(e planner.Expr) {
		planner.Walk(e, func(x planner.Expr) bool {
			switch x := x.(type) {
			case *planner.NLExpr:
				nls = append(nls, x)
			case *planner.Subquery:
				visit(x.Plan)
			}
			return true
		})
	}
	visit = func(n planner.Node) {
		if n == nil {
			return
		}
		switch x := n.(type) {
		case *planner.Scan:
			for _, c := range x.Cols {
				scans[c.ID] = x
			}
		case *planner.SemMap:
			nls = append(nls, x.Exprs...)
		case *planner.SemGroup:
			nls = append(nls, x.Key)
		case *planner.SemRank:
			nls = append(nls, x.Key)
		}
		for _, e := range planner.NodeExprs(n) {
			visitExpr(e)
		}
		for _, c := range n.Children() {
			visit(c)
		}
	}
	visit(plan)
	versions := map[string]string{}
	var phrases []string
	memo := map[string]string{}
	for _, nl := range nls {
		if _, ok := versions[nl.Text]; ok {
			continue
		}
		phrases = append(phrases, nl.Text)
		versions[nl.Text] = db.contextVersion(nl, scans, memo)
	}
	return versions, phrases
}

// contextVersion is the version of the tables providing a phrase's
// context columns ("" when no table scan provides them).
func (db *DB) contextVersion(nl *planner.NLExpr, scans map[planner.ColID]*planner.Scan, memo map[string]string) string {
	cols := map[*planner.Scan][]int{}
	var order []*planner.Scan
	for _, c := range nl.Context {
		sc := scans[c.ID]
		if sc == nil {
			return ""
		}
		if _, ok := cols[sc]; !ok {
			order = append(order, sc)
		}
		for i, sc2 := range sc.Cols {
			if sc2.ID == c.ID {
				cols[sc] = append(cols[sc], i)
			}
		}
	}
	var parts []string
	for _, sc := range order {
		idx := cols[sc]
		sort.Ints(idx)
		mk := fmt.Sprintf("%p%v", sc.Source, idx)
		v, ok := memo[mk]
		if !ok {
			v = db.tableVersion(sc, idx)
			memo[mk] = v
		}
		if v == "" {
			return ""
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, "+")
}

// tableVersion fingerprints a table as a phrase sees it: its name, its row
// count and a 64-bit FNV-1a hash of the values of the columns the model
// reads (cols), in scan order. A content hash rather than the file's size
// and modification time, because it names what the statistics depend on
// (the rows the model judges): it is the same for a file copied or touched
// without change and for a table created by SQL with the same rows, it
// differs as soon as one judged value does, and it needs no file (tables
// created by SQL have none). It costs one scan of those columns, small
// beside the model calls of a statement that has a phrase. "" when the
// table cannot be read.
func (db *DB) tableVersion(sc *planner.Scan, cols []int) string {
	rr, err := sc.Source.Scan(context.Background(), db.mem)
	if err != nil {
		return ""
	}
	defer rr.Release()
	h := fnv.New64a()
	var rows int64
	var sep = []byte{0}
	for rr.Next() {
		rec := rr.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			for _, i := range cols {
				if i >= int(rec.NumCols()) {
					continue
				}
				h.Write([]byte(cellString(rec.Column(i), r)))
				h.Write(sep)
			}
		}
		rows += rec.NumRows()
	}
	if rr.Err() != nil {
		return ""
	}
	return fmt.Sprintf("%s:%d:%016x", strings.ToLower(sc.Name), rows, h.Sum64())
}

func cellString(a arrow.Array, r int) string {
	if a.IsNull(r) {
		return "\x01NULL"
	}
	if s, ok := a.(*array.String); ok {
		return s.Value(r)
	}
	return a.ValueStr(r)
}
