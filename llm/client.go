package llm

import (
	"context"
	"strconv"
	"sync"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/value"
)

// Options configure a Client.
type Options struct {
	// Concurrency is the number of model calls in flight at once
	// (default 4).
	Concurrency int
	// BatchSize is the number of rows per call (default 16), capped at the
	// backend's MaxBatch.
	BatchSize int
	// Cache holds answers across statements and processes; nil: none.
	Cache Cache
	// Budget limits the rows sent to the model; nil: unlimited.
	Budget *Budget
	// Progress, if set, is called with the rows of the current operation
	// answered so far (from the cache, by de-duplication or by the model)
	// and the operation's total. Calls are serialised and done never
	// decreases within an operation.
	Progress func(done, total int)
	// Warn, if set, receives the first cache failure (a broken cache never
	// fails a query; later failures are not reported again).
	Warn func(error)
}

// Stats is what a Client's operations cost so far.
type Stats struct {
	Usage
	// CacheHits counts distinct rows answered entirely from the cache
	// (for taxonomy and compare, the rows of the cached call).
	CacheHits int64
	// Deduplicated counts rows answered by an identical row of the same
	// operation. For Judge/Extract/Score, RowsJudged + CacheHits +
	// Deduplicated = rows asked (a row partly cached is sent, and counts
	// as judged).
	Deduplicated int64
}

// Client wraps a Backend with the call engineering every backend needs:
// de-duplication of identical rows, the response cache, batching, a
// concurrency limit, the budget, cancellation and accounting. It is safe
// for concurrent use; Stats accumulate over its lifetime (create one per
// statement for per-statement figures; that is cheap).
type Client struct {
	b     Backend
	name  string
	opts  Options
	batch int

	mu    sync.Mutex
	stats Stats

	warnOnce sync.Once
}

// DefaultConcurrency and DefaultBatchSize are the defaults of Options.
const (
	DefaultConcurrency = 4
	DefaultBatchSize   = 16
)

// cacheFlushEvery is how many new answers are buffered before they are
// written to the cache in the middle of an operation (the rest are written
// when it ends, successfully or not).
const cacheFlushEvery = 1024

// NewClient returns a Client over b.
func NewClient(b Backend, opts Options) *Client {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	batch := opts.BatchSize
	if mb := b.MaxBatch(); mb >= 1 && batch > mb {
		batch = mb
	} else if mb < 1 {
		batch = 1
	}
	name := b.Name()
	// A backend whose answers depend on more than its name (the sim's key
	// and labels files) puts a fingerprint of that in the cache key, so an
	// edited answer key never serves stale answers.
	if f, ok := b.(interface{ Fingerprint() string }); ok {
		name += "@" + f.Fingerprint()
	}
	return &Client{b: b, name: name, opts: opts, batch: batch}
}

// Backend returns the wrapped backend.
func (c *Client) Backend() Backend { return c.b }

// Budget returns the client's budget (nil: unlimited).
func (c *Client) Budget() *Budget { return c.opts.Budget }

// BatchSize is the number of rows per call the client uses.
func (c *Client) BatchSize() int { return c.batch }

// InFlight is the most rows the client has in calls at once (batch size ×
// concurrency).
func (c *Client) InFlight() int { return c.batch * c.opts.Concurrency }

// Stats returns the accumulated statistics.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// PlanJudge returns the number of distinct rows Judge would send to the
// model (after de-duplication and cache hits), so that the executor can
// fail a statement that would exceed the budget before its first call.
func (c *Client) PlanJudge(preds []string, rows []Row) (int, error) {
	op, _ := c.judgeOp(preds)
	return prepare(c, op, rows).needed, nil
}

// PlanExtract is PlanJudge for Extract.
func (c *Client) PlanExtract(attrs []Attr, rows []Row) (int, error) {
	op, _ := c.extractOp(attrs)
	return prepare(c, op, rows).needed, nil
}

// PlanScore is PlanJudge for Score.
func (c *Client) PlanScore(instruction string, rows []Row) (int, error) {
	op := c.scoreOp(instruction)
	return prepare(c, op, rows).needed, nil
}

// Judge evaluates every predicate on every row: out[row][pred].
func (c *Client) Judge(ctx context.Context, preds []string, rows []Row) ([][]Verdict, error) {
	op, idx := c.judgeOp(preds)
	p, err := run(c, ctx, op, rows)
	if err != nil {
		return nil, err
	}
	return fanOut(p, idx, len(rows)), nil
}

// Extract extracts every attribute from every row: out[row][attr].
func (c *Client) Extract(ctx context.Context, attrs []Attr, rows []Row) ([][]value.Value, error) {
	op, idx := c.extractOp(attrs)
	p, err := run(c, ctx, op, rows)
	if err != nil {
		return nil, err
	}
	return fanOut(p, idx, len(rows)), nil
}

// Score rates every row on the criterion in [0, 1].
func (c *Client) Score(ctx context.Context, instruction string, rows []Row) ([]float64, error) {
	p, err := run(c, ctx, c.scoreOp(instruction), rows)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(rows))
	for i := range rows {
		out[i] = p.res[p.of[i]][0]
	}
	return out, nil
}

// Taxonomy proposes at most max category names from a sample of rows. The
// sample is de-duplicated and, if larger than one call may carry, cut to
// its first MaxBatch distinct rows; the budget is charged for the rows
// sent.
func (c *Client) Taxonomy(ctx context.Context, instruction string, sample []Row, max int) ([]string, error) {
	var uniq []Row
	seen := map[string]bool{}
	var keys []string
	for _, r := range sample {
		k := r.Key()
		if seen[k] {
			continue
		}
		seen[k] = true
		uniq = append(uniq, r)
		keys = append(keys, k)
	}
	c.addCounts(0, int64(len(sample)-len(uniq)))
	if mb := c.b.MaxBatch(); mb >= 1 && len(uniq) > mb {
		uniq, keys = uniq[:mb], keys[:mb]
	}
	if len(uniq) == 0 || max == 0 {
		if err := ctx.Err(); err != nil {
			return nil, cancelled(err)
		}
		return nil, nil
	}
	key := CacheKey(c.name, "taxonomy", instruction+"\x00max="+strconv.Itoa(max), keys...)
	return single(c, ctx, key, uniq, func(ctx context.Context) ([]string, Usage, error) {
		return c.b.Taxonomy(ctx, instruction, uniq, max)
	}, encNames, decNames)
}

// Anchors returns the backend's contrast anchors for instruction (see
// AnchorWriter); ok is false when the backend cannot write them. The
// answer is cached like any other; the call sends no row, so the budget
// is not charged.
func (c *Client) Anchors(ctx context.Context, instruction string) (pos, neg string, ok bool, err error) {
	aw, ok := anchorWriter(c.b)
	if !ok {
		return "", "", false, nil
	}
	key := CacheKey(c.name, "anchors", instruction)
	v, err := single(c, ctx, key, nil, func(ctx context.Context) ([]string, Usage, error) {
		p, n, u, err := aw.Anchors(ctx, instruction)
		return []string{p, n}, u, err
	}, encNames, func(b []byte) ([]string, bool) {
		v, ok := decNames(b)
		return v, ok && len(v) == 2
	})
	if err != nil {
		return "", "", false, err
	}
	return v[0], v[1], true, nil
}

// Compare returns the probability that a ranks before b on the criterion
// (it counts as two rows judged).
func (c *Client) Compare(ctx context.Context, instruction string, a, b Row) (float64, error) {
	key := CacheKey(c.name, "compare", instruction, a.Key(), b.Key())
	return single(c, ctx, key, []Row{a, b}, func(ctx context.Context) (float64, Usage, error) {
		return c.b.Compare(ctx, instruction, a, b)
	}, encFloat, decFloat)
}

// --- the operations as batch operations over (row, item) answers ---

// batchOp describes an operation whose answers are per (row, item): the
// items are the distinct predicates / attributes / the one criterion.
type batchOp[T any] struct {
	op    string
	items []string // distinct item identities (part of cache keys)
	call  func(ctx context.Context, items []int, rows []Row) ([][]T, Usage, error)
	enc   func(T) ([]byte, bool)
	dec   func([]byte) (T, bool)
}

func (c *Client) judgeOp(preds []string) (*batchOp[Verdict], []int) {
	items, idx := distinct(len(preds), func(i int) string { return preds[i] })
	return &batchOp[Verdict]{
		op:    "judge",
		items: items,
		call: func(ctx context.Context, it []int, rows []Row) ([][]Verdict, Usage, error) {
			sub := make([]string, len(it))
			for i, j := range it {
				sub[i] = items[j]
			}
			return c.b.Judge(ctx, sub, rows)
		},
		enc: encVerdict,
		dec: decVerdict,
	}, idx
}

func (c *Client) extractOp(attrs []Attr) (*batchOp[value.Value], []int) {
	items, idx := distinct(len(attrs), func(i int) string { return attrKey(attrs[i]) })
	// the first attribute of each distinct item
	rep := make([]Attr, len(items))
	for i, j := range idx {
		rep[j] = attrs[i]
	}
	return &batchOp[value.Value]{
		op:    "extract",
		items: items,
		call: func(ctx context.Context, it []int, rows []Row) ([][]value.Value, Usage, error) {
			sub := make([]Attr, len(it))
			for i, j := range it {
				sub[i] = rep[j]
			}
			return c.b.Extract(ctx, sub, rows)
		},
		enc: encValue,
		dec: decValue,
	}, idx
}

func (c *Client) scoreOp(instruction string) *batchOp[float64] {
	return &batchOp[float64]{
		op:    "score",
		items: []string{instruction},
		call: func(ctx context.Context, _ []int, rows []Row) ([][]float64, Usage, error) {
			s, u, err := c.b.Score(ctx, instruction, rows)
			if err != nil {
				return nil, u, err
			}
			out := make([][]float64, len(s))
			for i := range s {
				out[i] = s[i : i+1 : i+1]
			}
			return out, u, nil
		},
		enc: encFloat,
		dec: decFloat,
	}
}

// distinct returns the distinct keys among n and, for each of the n, the
// index of its key.
func distinct(n int, key func(int) string) ([]string, []int) {
	var items []string
	idx := make([]int, n)
	pos := map[string]int{}
	for i := 0; i < n; i++ {
		k := key(i)
		j, ok := pos[k]
		if !ok {
			j = len(items)
			pos[k] = j
			items = append(items, k)
		}
		idx[i] = j
	}
	return items, idx
}

// planned is an operation after de-duplication and cache look-up.
type planned[T any] struct {
	uniq   []Row
	of     []int      // input row -> distinct row
	mult   []int      // distinct row -> number of input rows
	res    [][]T      // distinct row x item
	have   [][]bool   // answered (from the cache so far)
	keys   [][]string // distinct row x item cache keys (nil without cache)
	groups []group    // rows needing a call, by the set of items they need
	needed int        // distinct rows needing a call
	cached int        // distinct rows answered entirely by the cache
}

// group is a set of distinct rows needing the same items.
type group struct {
	items []int
	rows  []int
}

func prepare[T any](c *Client, op *batchOp[T], rows []Row) *planned[T] {
	p := &planned[T]{of: make([]int, len(rows))}
	pos := map[string]int{}
	for i, r := range rows {
		k := r.Key()
		j, ok := pos[k]
		if !ok {
			j = len(p.uniq)
			pos[k] = j
			p.uniq = append(p.uniq, r)
			p.mult = append(p.mult, 0)
		}
		p.of[i] = j
		p.mult[j]++
	}
	ni := len(op.items)
	p.res = make([][]T, len(p.uniq))
	p.have = make([][]bool, len(p.uniq))
	resFlat := make([]T, len(p.uniq)*ni)
	haveFlat := make([]bool, len(p.uniq)*ni)
	for u := range p.uniq {
		p.res[u] = resFlat[u*ni : (u+1)*ni : (u+1)*ni]
		p.have[u] = haveFlat[u*ni : (u+1)*ni : (u+1)*ni]
	}
	if ni == 0 {
		return p
	}
	if c.opts.Cache != nil {
		p.keys = make([][]string, len(p.uniq))
		all := make([]string, 0, len(p.uniq)*ni)
		for u, r := range p.uniq {
			rk := r.Key()
			p.keys[u] = make([]string, ni)
			for it, item := range op.items {
				k := CacheKey(c.name, op.op, item, rk)
				p.keys[u][it] = k
				all = append(all, k)
			}
		}
		if got := c.cacheGet(all); len(got) > 0 {
			for u := range p.uniq {
				for it := range op.items {
					if b, ok := got[p.keys[u][it]]; ok {
						if v, ok := op.dec(b); ok {
							p.res[u][it] = v
							p.have[u][it] = true
						}
					}
				}
			}
		}
	}
	gpos := map[string]int{}
	var sig []byte
	for u := range p.uniq {
		sig = sig[:0]
		var need []int
		for it := 0; it < ni; it++ {
			if !p.have[u][it] {
				need = append(need, it)
				sig = strconv.AppendInt(sig, int64(it), 10)
				sig = append(sig, ',')
			}
		}
		if len(need) == 0 {
			p.cached++
			continue
		}
		p.needed++
		g, ok := gpos[string(sig)]
		if !ok {
			g = len(p.groups)
			gpos[string(sig)] = g
			p.groups = append(p.groups, group{items: need})
		}
		p.groups[g].rows = append(p.groups[g].rows, u)
	}
	return p
}

// job is one model call: some distinct rows of a group.
type job struct {
	items []int
	rows  []int
}

// run executes a batch operation: plan, check the budget, call the model
// for the rows that need it (batched, concurrently), store new answers in
// the cache.
func run[T any](c *Client, ctx context.Context, op *batchOp[T], rows []Row) (*planned[T], error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	p := prepare(c, op, rows)
	c.addCounts(int64(p.cached), int64(len(rows)-len(p.uniq)))
	prog := &progress{fn: c.opts.Progress, total: len(rows)}
	if len(op.items) == 0 {
		prog.add(len(rows))
		return p, nil
	}
	// rows answered without a call
	done := 0
	for _, g := range p.groups {
		for _, u := range g.rows {
			done -= p.mult[u]
		}
	}
	prog.add(len(rows) + done)
	if p.needed == 0 {
		return p, nil
	}
	// Reserve every row the operation needs before the first call: a
	// statement that would exceed the budget fails before spending anything.
	if err := c.opts.Budget.Reserve(int64(p.needed)); err != nil {
		return nil, err
	}
	var jobs []job
	for _, g := range p.groups {
		for i := 0; i < len(g.rows); i += c.batch {
			j := min(i+c.batch, len(g.rows))
			jobs = append(jobs, job{items: g.items, rows: g.rows[i:j]})
		}
	}
	queue := make(chan job, len(jobs))
	for _, j := range jobs {
		queue <- j
	}
	close(queue)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		errMu    sync.Mutex
		firstErr error
		putMu    sync.Mutex
		pending  = map[string][]byte{}
	)
	fail := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
		cancel()
	}
	flush := func(force bool) {
		putMu.Lock()
		if len(pending) == 0 || (!force && len(pending) < cacheFlushEvery) {
			putMu.Unlock()
			return
		}
		batch := pending
		pending = map[string][]byte{}
		putMu.Unlock()
		c.cachePut(batch)
	}
	var wg sync.WaitGroup
	for w := 0; w < min(c.opts.Concurrency, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				if runCtx.Err() != nil {
					// never sent: give the rows back
					c.opts.Budget.Release(int64(len(j.rows)))
					continue
				}
				batch := make([]Row, len(j.rows))
				for i, u := range j.rows {
					batch[i] = p.uniq[u]
				}
				out, u, err := op.call(runCtx, j.items, batch)
				c.addUsage(u, err == nil, len(batch))
				if err == nil {
					err = checkShape(c.name, op.op, out, len(batch), len(j.items))
				}
				if err != nil {
					fail(err)
					continue
				}
				answered := 0
				var entries map[string][]byte
				if p.keys != nil {
					entries = make(map[string][]byte, len(j.rows)*len(j.items))
				}
				for bi, u := range j.rows {
					for ii, it := range j.items {
						v := out[bi][ii]
						p.res[u][it] = v
						p.have[u][it] = true
						if entries != nil {
							if b, ok := op.enc(v); ok {
								entries[p.keys[u][it]] = b
							}
						}
					}
					answered += p.mult[u]
				}
				if len(entries) > 0 {
					putMu.Lock()
					for k, v := range entries {
						pending[k] = v
					}
					putMu.Unlock()
					flush(false)
				}
				prog.add(answered)
			}
		}()
	}
	wg.Wait()
	flush(true) // keep what was paid for, even if the operation failed
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	if firstErr != nil {
		return nil, c.callError(firstErr)
	}
	return p, nil
}

// single runs an operation that is one model call over a fixed set of rows
// (taxonomy, compare), with the cache and the budget.
func single[T any](c *Client, ctx context.Context, key string, rows []Row, call func(context.Context) (T, Usage, error), enc func(T) ([]byte, bool), dec func([]byte) (T, bool)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, cancelled(err)
	}
	if c.opts.Cache != nil {
		if got := c.cacheGet([]string{key}); got != nil {
			if b, ok := got[key]; ok {
				if v, ok := dec(b); ok {
					c.addCounts(int64(len(rows)), 0)
					return v, nil
				}
			}
		}
	}
	if err := c.opts.Budget.Reserve(int64(len(rows))); err != nil {
		return zero, err
	}
	v, u, err := call(ctx)
	c.addUsage(u, err == nil, len(rows))
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return zero, cancelled(cerr)
		}
		return zero, c.callError(err)
	}
	if c.opts.Cache != nil {
		if b, ok := enc(v); ok {
			c.cachePut(map[string][]byte{key: b})
		}
	}
	return v, nil
}

// fanOut gives every input row its distinct row's answers, in the order of
// the caller's items (idx maps them to distinct items).
func fanOut[T any](p *planned[T], idx []int, n int) [][]T {
	out := make([][]T, n)
	k := len(idx)
	flat := make([]T, n*k)
	for i := 0; i < n; i++ {
		o := flat[i*k : (i+1)*k : (i+1)*k]
		r := p.res[p.of[i]]
		for j, it := range idx {
			o[j] = r[it]
		}
		out[i] = o
	}
	return out
}

// checkShape verifies that a backend returned one answer per row and item.
func checkShape[T any](name, op string, out [][]T, rows, items int) error {
	if len(out) != rows {
		return errs.New(errs.Internal, "model %s returned %d %s answers for %d rows", name, len(out), op, rows)
	}
	for i, o := range out {
		if len(o) != items {
			return errs.New(errs.Internal, "model %s returned %d %s answers for row %d, want %d", name, len(o), op, i, items)
		}
	}
	return nil
}

// callError gives a failed call's error a code: errors that have one keep
// it; others are model failures (E001).
func (c *Client) callError(err error) error {
	if errs.CodeOf(err) != "" {
		return err
	}
	return errs.Wrap(err, errs.Runtime, "model %s failed: %v", c.name, err)
}

func cancelled(err error) error {
	return errs.Wrap(err, errs.Cancelled, "cancelled: %v", err)
}

func (c *Client) addUsage(u Usage, ok bool, rows int) {
	if ok {
		// backends that do not count calls or rows still made one call
		// carrying these rows
		if u.Calls == 0 {
			u.Calls = 1
		}
		if u.RowsJudged == 0 {
			u.RowsJudged = int64(rows)
		}
	}
	c.mu.Lock()
	c.stats.Usage.Add(u)
	c.mu.Unlock()
}

func (c *Client) addCounts(hits, dedup int64) {
	c.mu.Lock()
	c.stats.CacheHits += hits
	c.stats.Deduplicated += dedup
	c.mu.Unlock()
}

func (c *Client) warn(err error) {
	c.warnOnce.Do(func() {
		if c.opts.Warn != nil {
			c.opts.Warn(err)
		}
	})
}

// cacheGet looks keys up; a failing cache is reported once and treated as
// empty.
func (c *Client) cacheGet(keys []string) map[string][]byte {
	if c.opts.Cache == nil || len(keys) == 0 {
		return nil
	}
	got, err := c.opts.Cache.GetMany(keys)
	if err != nil {
		c.warn(errs.Wrap(err, errs.Runtime, "response cache unavailable, continuing without it: %v", err))
		return nil
	}
	return got
}

// cachePut stores entries; a failing cache is reported once and ignored.
func (c *Client) cachePut(entries map[string][]byte) {
	if c.opts.Cache == nil || len(entries) == 0 {
		return
	}
	if err := c.opts.Cache.PutMany(entries); err != nil {
		c.warn(errs.Wrap(err, errs.Runtime, "response cache unavailable, continuing without it: %v", err))
	}
}

// progress reports rows answered for one operation.
type progress struct {
	mu    sync.Mutex
	fn    func(done, total int)
	done  int
	total int
}

func (p *progress) add(n int) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.fn(p.done, p.total)
}
