// Command evaluate measures the sampling package (uqe's approximate
// answering under a model budget) on real labeled datasets and writes
// docs/evaluation.md. The label columns play the model (the oracle), with
// optional seeded noise; the estimators see only the texts' embeddings,
// lexical features and a zero-shot prior from contrastive anchor phrases.
//
//	go run ./bench/evaluate            # full run (400 seeds, about 7 minutes)
//	go run ./bench/evaluate -quick     # a few seeds, for iterating
//
// It reads ../shared/datasets (relative to the repository root) and skips
// cleanly, with a message, if the folder is absent. Embeddings are cached
// under bench/out/cache.
package main

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uqe-dev/uqe/sampling"
	"github.com/uqe-dev/uqe/textfeat"
)

// predDef is one predicate: a label test standing in for the model, and
// the anchor phrases of its zero-shot prior (written by hand from the
// predicate's meaning, never from the data).
type predDef struct {
	name, dataset, col, val string
	phrase                  string // the natural-language predicate
	long                    bool   // long texts: windowed embeddings
	pos, neg                string // contrastive anchors
}

var preds = []predDef{
	{name: "ag_news: sports", dataset: "ag_news", col: "topic", val: "Sports",
		phrase: "the article is about sports",
		pos:    "This news article is about sports: a game, a match, a team, players, a coach, a season, a championship.",
		neg:    "This news article is about business, the economy, politics, world events, science or technology."},
	{name: "sst2: positive", dataset: "sst2", col: "sentiment", val: "positive",
		phrase: "the sentence expresses a positive opinion of the movie",
		pos:    "This is a positive review: a great, wonderful, moving, funny, enjoyable film. I loved it.",
		neg:    "This is a negative review: a bad, boring, dull, stupid, tedious film. I hated it."},
	{name: "airline: late flight", dataset: "airline_tweets", col: "negative_reason", val: "Late Flight",
		phrase: "the tweet complains about a late flight",
		pos:    "The tweet complains that the flight is late: delayed for hours, a delay, still waiting, missed my connection.",
		neg:    "The tweet thanks the airline, or is about customer service, lost bags, booking, or a cancelled flight."},
	{name: "sms_spam: spam", dataset: "sms_spam", col: "label", val: "spam",
		phrase: "the message is spam",
		pos:    "This text message is spam: you have won a free prize, cash or a mobile, call now or text to claim, urgent offer.",
		neg:    "This is a personal text message to a friend: ok, see you later, I am at home, what are you doing tonight."},
	{name: "clinc150: travel", dataset: "clinc150", col: "domain", val: "travel",
		phrase: "the user wants help with travel",
		pos:    "The user asks for help with travel: a flight, a hotel, a vacation, a passport, a visa, luggage, a trip abroad.",
		neg:    "The user asks about their bank account, cooking, music, the weather, their car, their calendar, or small talk."},
	{name: "banking77: lost or stolen card", dataset: "banking77", col: "intent", val: "lost_or_stolen_card",
		phrase: "the customer reports a lost or stolen card",
		pos:    "I lost my card. My card was stolen. I can't find my card anywhere.",
		neg:    "I want to transfer money, top up, check an exchange rate, pay a fee, or change my details."},
	{name: "banking77: card arrival", dataset: "banking77", col: "intent", val: "card_arrival",
		phrase: "the customer asks when their new card will arrive",
		pos:    "When will my new card arrive? My card has not arrived yet. How long does card delivery take?",
		neg:    "I want to transfer money, top up, check an exchange rate, pay a fee, or my card payment was declined."},
	{name: "airline: long lines", dataset: "airline_tweets", col: "negative_reason", val: "longlines",
		phrase: "the tweet complains about long lines",
		pos:    "The tweet complains about a long line: waiting in line for an hour at check-in, the queue at the airport counter.",
		neg:    "The tweet is about a delayed or cancelled flight, lost bags, the website, or thanks the airline."},
	{name: "trec: abbreviation", dataset: "trec", col: "coarse_label", val: "abbreviation",
		phrase: "the question asks what an abbreviation stands for",
		pos:    "What does the abbreviation stand for? What is the acronym for? What does NASA stand for?",
		neg:    "Who was the person? Where is the place? When did it happen? How many are there? Why?"},
	{name: "sgd: failed transaction", dataset: "sgd_dialogues", col: "transaction_outcome", val: "failure", long: true,
		phrase: "the booking or transaction failed",
		pos:    "SYSTEM: I'm sorry, I couldn't make that reservation. The booking failed, I was unable to complete the transaction. Please try again.",
		neg:    "SYSTEM: Your reservation is confirmed. The booking was successful and the transaction went through. Have a great day."},
}

// groupDefs are the GROUP BY evaluations: a label column as the model's
// answer to a GROUP BY phrase.
var groupDefs = []struct{ dataset, col, phrase string }{
	{"ag_news", "topic", "the topic of the article"},
	{"airline_tweets", "negative_reason", "the reason for the complaint"},
	{"banking77", "intent", "the customer's intent"},
	{"sgd_dialogues", "primary_domain", "the domain of the dialogue"},
}

var countStrategies = []string{"uniform", "stratified", "stratified-b8", "neyman", "prior-neyman", "ppi", "auto"}

type config struct {
	data, out, cache, embedKind, tsv string
	seeds, searchSeeds               int
	budgets                          []int
	noises                           []float64
	quick, cpu, priorDiag            bool
	boundN                           int
	boundRidge                       float64
	only, parts, strategies          string
	priorKind                        string  // "anchors" or "phrase"
	target                           float64 // sampling.Options.TargetRelErr of COUNT cells
	workers                          int
}

func main() {
	var c config
	var budgets, noises string
	flag.StringVar(&c.data, "data", "../shared/datasets", "the shared datasets folder")
	flag.StringVar(&c.out, "out", "docs/evaluation.md", "the report to write")
	flag.StringVar(&c.tsv, "tsv", "", "also write every COUNT cell to this file as tab-separated values (for analysis)")
	flag.StringVar(&c.cache, "cache", "bench/out/cache", "embedding cache folder")
	flag.StringVar(&c.embedKind, "embed", "auto", "embedder: use (USE-lite), hash, or auto (use when available)")
	flag.IntVar(&c.seeds, "seeds", 400, "seeds per COUNT / GROUP BY cell")
	flag.IntVar(&c.searchSeeds, "search-seeds", 10, "seeds per LIMIT search cell")
	flag.StringVar(&budgets, "budgets", "32,64,128,256", "COUNT budgets")
	flag.StringVar(&noises, "noise", "0,0.05", "oracle noise levels (share of flipped verdicts)")
	flag.BoolVar(&c.quick, "quick", false, "few seeds (20 COUNT, 3 search), for iterating")
	flag.BoolVar(&c.cpu, "cpu", true, "measure the estimator's CPU time at 100k and 1M rows")
	flag.StringVar(&c.only, "only", "", "evaluate only predicates whose name contains this")
	flag.IntVar(&c.workers, "workers", runtime.GOMAXPROCS(0), "parallel runs")
	flag.StringVar(&c.strategies, "strategies", strings.Join(countStrategies, ","), "COUNT strategies to evaluate (uniform is always included)")
	flag.BoolVar(&c.priorDiag, "prior-diag", false, "print, per predicate, the true rows in each band of the prior ranking (true/rows), and exit")
	flag.IntVar(&c.boundN, "bound", 0, "print, per predicate, the SD ratio to uniform at this budget of designs that know a proxy cross-fitted on every row's label (a bound for the features, not a method), and exit")
	flag.Float64Var(&boundTau, "bound-tau", 0, "-bound's learning curve: kernel ridge with exp((cos-1)/tau) instead of the linear ridge (0: linear)")
	flag.Float64Var(&boundLambda, "bound-lambda", 1, "-bound's kernel ridge penalty")
	flag.Float64Var(&c.boundRidge, "bound-ridge", 1, "ridge penalty of -bound's proxy")
	flag.StringVar(&c.priorKind, "prior", "anchors", "the zero-shot prior: anchors (two hand-written descriptive phrases per predicate, cos(row, positive) − cos(row, negative)) or phrase (what the engine computes from the query alone: cos(row, the predicate's phrase))")
	flag.Float64Var(&c.target, "target", 0, "COUNT: stop sampling once the interval's half-width is at most this share of the estimate (the engine's target_error; 0: spend the whole budget, as the report's tables do)")
	flag.StringVar(&c.parts, "parts", defaultParts, "which evaluations to run (comma-separated: count, search, rank, group)")
	flag.Parse()
	for _, b := range strings.Split(budgets, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(b))
		if err != nil || n <= 0 {
			fatalf("bad -budgets %q", budgets)
		}
		c.budgets = append(c.budgets, n)
	}
	for _, b := range strings.Split(noises, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if err != nil || x < 0 || x >= 0.5 {
			fatalf("bad -noise %q", noises)
		}
		c.noises = append(c.noises, x)
	}
	if c.quick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["seeds"] {
			c.seeds = 20
		}
		if !set["search-seeds"] {
			c.searchSeeds = 3
		}
	}
	var sel []string
	for _, st := range countStrategies {
		if st == "uniform" || slices.Contains(strings.Split(c.strategies, ","), st) {
			sel = append(sel, st)
		}
	}
	for _, st := range strings.Split(c.strategies, ",") {
		if st = strings.TrimSpace(st); st != "" && !slices.Contains(sel, st) {
			sel = append(sel, st) // a strategy outside the report's list (experiments)
		}
	}
	countStrategies = sel
	if _, err := os.Stat(c.data); err != nil {
		fmt.Fprintf(os.Stderr, "evaluate: datasets folder %s not found; nothing to evaluate (skipping)\n", c.data)
		return
	}
	kind, err := openEmbedder(c.embedKind)
	if err != nil {
		fatalf("%v", err)
	}
	c.embedKind = kind
	if err := run(context.Background(), c); err != nil {
		fatalf("%v", err)
	}
}

// part reports whether -parts asks for evaluation name.
// defaultParts are the evaluations a plain run makes (and the report holds).
const defaultParts = "count,search,rank,group"

func (c config) part(name string) bool {
	return slices.Contains(strings.Split(c.parts, ","), name)
}

func fatalf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "evaluate: "+f+"\n", a...)
	os.Exit(1)
}

func logf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "%s "+f+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
}

// dataset is a loaded, embedded dataset.
type dataset struct {
	t   *table
	emb *dsEmb
	row [][]float32 // combined row vectors
	lex []sampling.SparseVec
}

// pred is a predicate ready to evaluate.
// ownPriorBudget is the budget at which the report also measures COUNT
// with the engine's own prior.
const ownPriorBudget = 128

type pred struct {
	def   predDef
	ds    *dataset
	label []bool
	pop   *sampling.Population
	rare  bool
	rate  float64
	// the engine's own prior (cosine to the phrase) and both priors' AUC
	phrasePrior          []float64
	anchorAUC, phraseAUC float64
}

func run(ctx context.Context, c config) error {
	start := time.Now()
	datasets := map[string]*dataset{}
	cols := map[string][]string{}
	longDS := map[string]bool{}
	var want []predDef
	for _, d := range preds {
		if c.only != "" && !strings.Contains(d.name, c.only) {
			continue
		}
		want = append(want, d)
		cols[d.dataset] = appendUniq(cols[d.dataset], d.col)
		if d.long {
			longDS[d.dataset] = true
		}
	}
	for _, g := range groupDefs {
		if c.only != "" {
			if _, ok := cols[g.dataset]; !ok {
				continue
			}
		}
		cols[g.dataset] = appendUniq(cols[g.dataset], g.col)
	}
	if g := "sgd_dialogues"; cols[g] != nil {
		longDS[g] = true
	}
	names := make([]string, 0, len(cols))
	for n := range cols {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t, err := loadTable(c.data, n, cols[n])
		if err != nil {
			return err
		}
		e, err := embedDataset(ctx, c.embedKind, t, longDS[n], c.cache)
		if err != nil {
			return err
		}
		ds := &dataset{t: t, emb: e, lex: textfeat.Lexical(t.text)}
		for i := range t.text {
			ds.row = append(ds.row, e.Row(i))
		}
		datasets[n] = ds
		logf("loaded %s: %d rows, %d windows, embedder %s", n, len(t.text), len(e.Vec), e.emb.Name())
	}
	var ps []*pred
	for _, d := range want {
		ds := datasets[d.dataset]
		p := &pred{def: d, ds: ds}
		pos := 0
		for _, v := range ds.t.labels[d.col] {
			b := v == d.val
			p.label = append(p.label, b)
			if b {
				pos++
			}
		}
		p.rate = float64(pos) / float64(len(p.label))
		p.rare = p.rate < 0.04
		anchors, err := ds.emb.prior(ctx, d.pos, d.neg)
		if err != nil {
			return err
		}
		p.phrasePrior, err = ds.emb.phrasePrior(ctx, d.phrase)
		if err != nil {
			return err
		}
		p.anchorAUC, p.phraseAUC = auc(anchors, p.label), auc(p.phrasePrior, p.label)
		prior := anchors
		if c.priorKind == "phrase" {
			prior = p.phrasePrior
		}
		p.pop = &sampling.Population{N: len(p.label), Emb: ds.row, Lex: ds.lex, Prior: prior}
		ps = append(ps, p)
	}
	if c.boundN > 0 {
		bound(ps, c.boundN, c.boundRidge)
		return nil
	}
	if c.priorDiag {
		for _, p := range ps {
			idx := make([]int, p.pop.N)
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(a, b int) bool { return p.pop.Prior[idx[a]] > p.pop.Prior[idx[b]] })
			cuts := []float64{0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1}
			line := p.def.name + ":"
			at := 0
			for _, cu := range cuts {
				end := int(cu * float64(p.pop.N))
				pos := 0
				for _, i := range idx[at:end] {
					if p.label[i] {
						pos++
					}
				}
				line += fmt.Sprintf(" %g:%d/%d", cu, pos, end-at)
				at = end
			}
			fmt.Println(line)
		}
		return nil
	}
	rep := &report{cfg: c, started: start}
	for _, p := range ps {
		rep.preds = append(rep.preds, predInfo{name: p.def.name, dataset: p.def.dataset, phrase: p.def.phrase,
			rate: p.rate, n: len(p.label), rare: p.rare, pos: p.def.pos, neg: p.def.neg, auc: p.anchorAUC, phraseAUC: p.phraseAUC})
	}
	for _, noise := range c.noises {
		if !c.part("count") {
			break
		}
		for _, p := range ps {
			logf("COUNT noise %.2f %s", noise, p.def.name)
			rep.count = append(rep.count, evalCount(ctx, c, p, noise)...)
		}
	}
	if c.part("count") && c.priorKind == "anchors" && slices.Contains(c.budgets, ownPriorBudget) {
		// the same cells with the engine's own prior (cosine to the phrase)
		saved := countStrategies
		countStrategies = []string{"uniform", "prior-neyman", "auto"}
		cc := c
		cc.budgets = []int{ownPriorBudget}
		for _, noise := range c.noises {
			for _, p := range ps {
				logf("COUNT (phrase prior) noise %.2f %s", noise, p.def.name)
				q := *p
				q.pop = &sampling.Population{N: p.pop.N, Emb: p.pop.Emb, Lex: p.pop.Lex, Prior: p.phrasePrior}
				rep.ownPrior = append(rep.ownPrior, evalCount(ctx, cc, &q, noise)...)
			}
		}
		countStrategies = saved
	}
	if c.part("count") && c.priorKind == "anchors" {
		logf("bounds: what the features allow")
		for _, p := range ps {
			rep.bounds = append(rep.bounds, computeBound(p, ownPriorBudget, 1))
		}
	}
	for _, noise := range c.noises {
		if !c.part("search") {
			break
		}
		for _, p := range ps {
			if !p.rare {
				continue
			}
			logf("LIMIT noise %.2f %s", noise, p.def.name)
			rep.search = append(rep.search, evalSearch(ctx, c, p, noise)...)
		}
	}
	for _, noise := range c.noises {
		if !c.part("rank") {
			break
		}
		for _, p := range ps {
			if !p.rare {
				continue
			}
			logf("ORDER BY LIMIT noise %.2f %s", noise, p.def.name)
			rep.rank = append(rep.rank, evalRank(ctx, p, noise)...)
		}
	}
	for _, noise := range c.noises {
		if !c.part("group") {
			break
		}
		for _, g := range groupDefs {
			ds := datasets[g.dataset]
			if ds == nil {
				continue
			}
			logf("GROUP BY noise %.2f %s.%s", noise, g.dataset, g.col)
			rep.group = append(rep.group, evalGroup(ctx, c, ds, g.dataset, g.col, noise)...)
		}
	}
	for _, p := range ps {
		rep.determinism = append(rep.determinism, checkDeterminism(ctx, p))
	}
	if c.cpu && c.only == "" && c.parts == defaultParts {
		logf("CPU timing")
		rep.cpu = measureCPU(ctx)
	}
	rep.elapsed = time.Since(start)
	if err := os.MkdirAll(filepath.Dir(c.out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(c.out, []byte(rep.render()), 0o644); err != nil {
		return err
	}
	if c.tsv != "" {
		if err := os.WriteFile(c.tsv, []byte(rep.countTSV()), 0o644); err != nil {
			return err
		}
	}
	logf("wrote %s in %s", c.out, rep.elapsed.Round(time.Second))
	return nil
}

func appendUniq(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// flip is the oracle's noise: a seeded draw per (predicate, row),
// independent of every sampling seed.
func flip(noise float64, key string, i int) bool {
	if noise == 0 {
		return false
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "noise|%s|%d", key, i)
	return float64(mix(h.Sum64())>>11)/(1<<53) < noise
}

func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// oracleAnswers is what the simulated model says about every row.
func oracleAnswers(p *pred, noise float64) []bool {
	out := make([]bool, len(p.label))
	for i, l := range p.label {
		out[i] = l != flip(noise, p.def.name, i)
	}
	return out
}

// countingOracle answers from ans and records the rows judged, so that the
// budget and the no-row-twice rule can be checked.
type countingOracle struct {
	ans   []bool
	seen  map[int]bool
	calls int
	dup   int
}

func (o *countingOracle) judge(_ context.Context, rows []int) ([]bool, error) {
	o.calls++
	out := make([]bool, len(rows))
	for k, r := range rows {
		if o.seen[r] {
			o.dup++
		}
		o.seen[r] = true
		out[k] = o.ans[r]
	}
	return out, nil
}

type countCell struct {
	noise               float64
	pred                string
	rare                bool
	budget              int
	strategy            string
	seeds               int
	relErr, cover, wide float64 // means
	relErrSE            float64 // standard error of relErr over the seeds
	below, above        float64 // share of seeds whose interval lies below / above the truth
	sum, sum2, hw       float64 // Σ estimate, Σ estimate², Σ half-width/1.96 (for the spread ratio)
	truth               float64
	maxJudged, dups     int
	judged              int // Σ rows judged over the seeds
	overBudget          int
}

func evalCount(ctx context.Context, c config, p *pred, noise float64) []countCell {
	ans := oracleAnswers(p, noise)
	truth := 0
	for _, a := range ans {
		if a {
			truth++
		}
	}
	type job struct {
		b, s, seed int
	}
	var cells []countCell
	for _, b := range c.budgets {
		for _, s := range countStrategies {
			cells = append(cells, countCell{noise: noise, pred: p.def.name, rare: p.rare, budget: b, strategy: s})
		}
	}
	var mu sync.Mutex
	jobs := make(chan job)
	var wg sync.WaitGroup
	// warm the population's cached designs once, sequentially
	for _, b := range c.budgets {
		for _, s := range countStrategies {
			o := &countingOracle{ans: ans, seen: map[int]bool{}}
			_, _ = sampling.Count(ctx, p.pop, o.judge, b, sampling.Options{Strategy: s, Seed: 1 << 40})
		}
	}
	for w := 0; w < c.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				o := &countingOracle{ans: ans, seen: map[int]bool{}}
				e, err := sampling.Count(ctx, p.pop, o.judge, c.budgets[j.b], sampling.Options{Strategy: countStrategies[j.s], Seed: uint64(j.seed), TargetRelErr: c.target})
				if err != nil {
					fatalf("%s %s: %v", p.def.name, countStrategies[j.s], err)
				}
				t := float64(truth)
				mu.Lock()
				cl := &cells[j.b*len(countStrategies)+j.s]
				cl.seeds++
				cl.relErr += math.Abs(e.Value-t) / t
				cl.relErrSE += (e.Value - t) * (e.Value - t) / (t * t) // Σ squares until the end
				switch {
				case e.High < t:
					cl.below++
				case e.Low > t:
					cl.above++
				default:
					cl.cover++
				}
				cl.wide += (e.High - e.Low) / t
				cl.sum += e.Value
				cl.truth = t
				cl.sum2 += e.Value * e.Value
				cl.hw += (e.High - e.Low) / 2 / 1.96
				cl.maxJudged = max(cl.maxJudged, len(o.seen))
				cl.judged += len(o.seen)
				cl.dups += o.dup
				if len(o.seen) > c.budgets[j.b] || e.Judged != len(o.seen) {
					cl.overBudget++
				}
				mu.Unlock()
			}
		}()
	}
	for b := range c.budgets {
		for s := range countStrategies {
			for seed := 0; seed < c.seeds; seed++ {
				jobs <- job{b, s, seed}
			}
		}
	}
	close(jobs)
	wg.Wait()
	for i := range cells {
		n := float64(cells[i].seeds)
		cells[i].relErr /= n
		// Σ|e|² → the standard error of the mean |e|
		cells[i].relErrSE = math.Sqrt(math.Max(0, cells[i].relErrSE/n-cells[i].relErr*cells[i].relErr) / math.Max(n-1, 1))
		cells[i].cover /= n
		cells[i].below /= n
		cells[i].above /= n
		cells[i].wide /= n
	}
	return cells
}

type searchCell struct {
	noise                    float64
	pred                     string
	long                     bool
	strategy                 string
	runs                     int
	yield, recall, judged    float64
	falseOracle, falseTruth  int
	overBudget, dups         int
	estRecall, trueRecallAll float64
}

var searchStrategies = []string{"scan", "uniform", "paper", "auto"}

const limitK, limitBudget = 50, 256

func evalSearch(ctx context.Context, c config, p *pred, noise float64) []searchCell {
	ans := oracleAnswers(p, noise)
	total := 0
	for _, a := range ans {
		if a {
			total++
		}
	}
	var out []searchCell
	for _, s := range searchStrategies {
		cl := searchCell{noise: noise, pred: p.def.name, long: p.def.long, strategy: s}
		seeds := c.searchSeeds
		if s == "scan" {
			seeds = 1
		}
		for seed := 0; seed < seeds; seed++ {
			o := &countingOracle{ans: ans, seen: map[int]bool{}}
			found, judged, est, err := sampling.SearchWith(ctx, p.pop, o.judge, limitK, limitBudget, sampling.SearchOptions{Strategy: s, Seed: uint64(seed)})
			if err != nil {
				fatalf("search %s %s: %v", p.def.name, s, err)
			}
			cl.runs++
			tp := 0
			for _, r := range found {
				if !ans[r] {
					cl.falseOracle++
				}
				if !p.label[r] {
					cl.falseTruth++
				} else {
					tp++
				}
			}
			cl.yield += float64(len(found)) / float64(max(judged, 1))
			cl.recall += float64(len(found)) / float64(min(limitK, total))
			cl.judged += float64(judged)
			cl.estRecall += est
			cl.trueRecallAll += float64(len(found)) / float64(total)
			if judged > limitBudget || judged != len(o.seen) {
				cl.overBudget++
			}
			cl.dups += o.dup
		}
		n := float64(cl.runs)
		cl.yield /= n
		cl.recall /= n
		cl.judged /= n
		cl.estRecall /= n
		cl.trueRecallAll /= n
		out = append(out, cl)
	}
	return out
}

type groupCell struct {
	noise      float64
	name       string
	groups     int
	strategy   string
	seeds      int
	tvd, cover float64
	overBudget int
}

var groupStrategies = []string{"uniform", "stratified", "auto"}

const groupBudget = 200

func evalGroup(ctx context.Context, c config, ds *dataset, dsName, col string, noise float64) []groupCell {
	labs := ds.t.labels[col]
	distinct := []string{}
	for _, l := range labs {
		distinct = appendUniq(distinct, l)
	}
	sort.Strings(distinct)
	ans := make([]string, len(labs))
	key := dsName + "." + col
	for i, l := range labs {
		ans[i] = l
		if flip(noise, key, i) {
			h := fnv.New64a()
			fmt.Fprintf(h, "relabel|%s|%d", key, i)
			ans[i] = distinct[mix(h.Sum64())%uint64(len(distinct))]
		}
	}
	truth := map[string]float64{}
	for _, a := range ans {
		truth[a] += 1 / float64(len(ans))
	}
	pop := &sampling.Population{N: len(labs), Emb: ds.row}
	var out []groupCell
	for _, s := range groupStrategies {
		cl := groupCell{noise: noise, name: dsName + "." + col, groups: len(truth), strategy: s}
		for seed := 0; seed < c.seeds; seed++ {
			seen := map[int]bool{}
			oracle := func(_ context.Context, rows []int) ([]string, error) {
				r := make([]string, len(rows))
				for k, i := range rows {
					seen[i] = true
					r[k] = ans[i]
				}
				return r, nil
			}
			res, err := sampling.GroupDistribution(ctx, pop, oracle, groupBudget, sampling.Options{Strategy: s, Seed: uint64(seed)})
			if err != nil {
				fatalf("group %s %s: %v", key, s, err)
			}
			est := map[string]float64{}
			covered, n := 0, 0
			for _, g := range res.Groups {
				est[g.Label] = g.Share
				n++
				if g.Low <= truth[g.Label] && truth[g.Label] <= g.High {
					covered++
				}
			}
			tvd := 0.0
			for l, t := range truth {
				tvd += math.Abs(est[l] - t)
			}
			for l, e := range est {
				if _, ok := truth[l]; !ok {
					tvd += e
				}
			}
			cl.tvd += tvd / 2
			cl.cover += float64(covered) / float64(max(n, 1))
			if len(seen) > groupBudget {
				cl.overBudget++
			}
			cl.seeds++
		}
		cl.tvd /= float64(cl.seeds)
		cl.cover /= float64(cl.seeds)
		out = append(out, cl)
	}
	return out
}

type detResult struct {
	pred string
	same bool
}

func checkDeterminism(ctx context.Context, p *pred) detResult {
	ans := oracleAnswers(p, 0)
	var es [2]sampling.Estimate
	var fs [2][]int
	for k := range es {
		// a fresh population each time: nothing cached
		pop := &sampling.Population{N: p.pop.N, Emb: p.pop.Emb, Lex: p.pop.Lex, Prior: p.pop.Prior}
		o := &countingOracle{ans: ans, seen: map[int]bool{}}
		es[k], _ = sampling.Count(ctx, pop, o.judge, 128, sampling.Options{Seed: 7})
		o = &countingOracle{ans: ans, seen: map[int]bool{}}
		fs[k], _, _, _ = sampling.Search(ctx, pop, o.judge, 20, 128, 7)
	}
	return detResult{pred: p.def.name, same: es[0] == es[1] && slices.Equal(fs[0], fs[1])}
}

// auc is the area under the ROC curve of the prior for the labels (how
// well the zero-shot prior ranks the true rows; 0.5 is chance).
func auc(score []float64, label []bool) float64 {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return score[idx[a]] < score[idx[b]] })
	var rankSum float64
	pos := 0
	for r, i := range idx {
		if label[i] {
			rankSum += float64(r + 1)
			pos++
		}
	}
	neg := len(score) - pos
	if pos == 0 || neg == 0 {
		return 0.5
	}
	return (rankSum - float64(pos*(pos+1))/2) / float64(pos*neg)
}
