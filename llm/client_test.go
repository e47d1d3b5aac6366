package llm_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/llm/cache"
	"github.com/uqe-dev/uqe/value"
)

// --- a scripted backend that records every call ---

type call struct {
	op    string
	items []string // predicates / attribute instructions / the instruction
	rows  []string // row texts
}

type fake struct {
	name     string
	maxBatch int
	// delay is slept in every call (honouring ctx); gate makes a call wait
	// (up to 5 s) until that many calls are in flight, so that a test can
	// observe the concurrency limit without depending on timing.
	delay time.Duration
	gate  int
	// jitter sleeps a row-dependent 0-2 ms, to shuffle completion order.
	jitter bool
	// block makes every call wait for its context to be cancelled.
	block   bool
	started chan struct{} // receives once per call started, if non-nil
	// failOn makes a call carrying that row fail with errBoom; failErr
	// replaces errBoom; short drops one answer.
	failOn  string
	failErr error
	short   bool
	// budget, if set, is checked inside every call.
	budget *llm.Budget

	mu          sync.Mutex
	calls       []call
	rowsSeen    int
	inflight    int
	maxInflight int
	violations  []string
}

var errBoom = errors.New("boom")

func newFake(maxBatch int) *fake { return &fake{name: "fake:model", maxBatch: maxBatch} }

func (f *fake) Name() string  { return f.name }
func (f *fake) MaxBatch() int { return f.maxBatch }
func (f *fake) Price() (float64, float64) {
	return 1, 2
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// The answers, a function of the instruction and the row text, so that a
// test can check every answer independently.
func verdictOf(pred, text string) llm.Verdict {
	h := hash(pred + "|" + text)
	return llm.Verdict{Value: h%3 != 0, Prob: float64(h%100) / 100}
}

func extractOf(a llm.Attr, text string) value.Value {
	switch a.Type.Kind {
	case llm.KindInt:
		return value.FromInt(int64(len(text) + len(a.Instruction)))
	case llm.KindReal:
		return value.FromFloat(float64(hash(text)%1000) / 7)
	case llm.KindEnum:
		return value.FromText(a.Type.Enum[int(hash(text))%len(a.Type.Enum)])
	}
	if strings.HasSuffix(text, "0") {
		return value.NullValue
	}
	return value.FromText(a.Instruction + ":" + text)
}

func scoreOf(instr, text string) float64 { return float64(hash(instr+text)%1000) / 1000 }

func compareOf(a, b string) float64 {
	if a < b {
		return 0.25
	}
	return 0.75
}

func texts(rows []llm.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Fields[0].Text
	}
	return out
}

// enter records a call and applies the script; it returns the usage of
// the call.
func (f *fake) enter(ctx context.Context, op string, items []string, rows []llm.Row) (llm.Usage, error) {
	ts := texts(rows)
	f.mu.Lock()
	f.calls = append(f.calls, call{op: op, items: items, rows: ts})
	f.rowsSeen += len(rows)
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	if f.maxBatch > 0 && len(rows) > f.maxBatch {
		f.violations = append(f.violations, fmt.Sprintf("%d rows > MaxBatch %d", len(rows), f.maxBatch))
	}
	if f.budget != nil && f.budget.Limit() > 0 && f.budget.Used() > f.budget.Limit() {
		f.violations = append(f.violations, fmt.Sprintf("budget used %d > limit %d", f.budget.Used(), f.budget.Limit()))
	}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.gate > 0 {
		deadline := time.Now().Add(5 * time.Second)
		for {
			f.mu.Lock()
			n := f.inflight
			f.mu.Unlock()
			if n >= f.gate || time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	sleep := f.delay
	if f.jitter && len(ts) > 0 {
		sleep += time.Duration(hash(ts[0])%3) * time.Millisecond
	}
	if f.block {
		select {
		case <-ctx.Done():
		case <-time.After(time.Minute):
			f.mu.Lock()
			f.violations = append(f.violations, "a blocked call was never cancelled")
			f.mu.Unlock()
		}
	} else if sleep > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(sleep):
		}
	}
	if err := ctx.Err(); err != nil {
		return llm.Usage{}, err
	}
	if f.failOn != "" && slices.Contains(ts, f.failOn) {
		if f.failErr != nil {
			return llm.Usage{}, f.failErr
		}
		return llm.Usage{}, fmt.Errorf("row %s: %w", f.failOn, errBoom)
	}
	var prompt int64
	for _, t := range ts {
		prompt += llm.EstimateTokens(t)
	}
	return llm.Usage{Calls: 1, RowsJudged: int64(len(rows)), PromptTokens: prompt, CompletionTokens: int64(len(rows)), CostUSD: float64(prompt) * 1e-6}, nil
}

func (f *fake) Judge(ctx context.Context, preds []string, rows []llm.Row) ([][]llm.Verdict, llm.Usage, error) {
	u, err := f.enter(ctx, "judge", slices.Clone(preds), rows)
	if err != nil {
		return nil, u, err
	}
	out := make([][]llm.Verdict, len(rows))
	for i, r := range rows {
		for _, p := range preds {
			out[i] = append(out[i], verdictOf(p, r.Fields[0].Text))
		}
	}
	if f.short {
		out = out[1:]
	}
	return out, u, nil
}

func (f *fake) Extract(ctx context.Context, attrs []llm.Attr, rows []llm.Row) ([][]value.Value, llm.Usage, error) {
	var names []string
	for _, a := range attrs {
		names = append(names, a.Instruction)
	}
	u, err := f.enter(ctx, "extract", names, rows)
	if err != nil {
		return nil, u, err
	}
	out := make([][]value.Value, len(rows))
	for i, r := range rows {
		for _, a := range attrs {
			out[i] = append(out[i], extractOf(a, r.Fields[0].Text))
		}
	}
	return out, u, nil
}

func (f *fake) Taxonomy(ctx context.Context, instr string, sample []llm.Row, max int) ([]string, llm.Usage, error) {
	u, err := f.enter(ctx, "taxonomy", []string{instr}, sample)
	if err != nil {
		return nil, u, err
	}
	var names []string
	for _, r := range sample {
		if len(names) < max {
			names = append(names, "cat-"+r.Fields[0].Text)
		}
	}
	return names, u, nil
}

func (f *fake) Score(ctx context.Context, instr string, rows []llm.Row) ([]float64, llm.Usage, error) {
	u, err := f.enter(ctx, "score", []string{instr}, rows)
	if err != nil {
		return nil, u, err
	}
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = scoreOf(instr, r.Fields[0].Text)
	}
	return out, u, nil
}

func (f *fake) Compare(ctx context.Context, instr string, a, b llm.Row) (float64, llm.Usage, error) {
	u, err := f.enter(ctx, "compare", []string{instr}, []llm.Row{a, b})
	if err != nil {
		return 0, u, err
	}
	return compareOf(a.Fields[0].Text, b.Fields[0].Text), u, nil
}

func (f *fake) nCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fake) seen() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rowsSeen
}

func (f *fake) check(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, v := range f.violations {
		t.Error(v)
	}
}

// --- helpers ---

func row(text string) llm.Row {
	return llm.Row{Fields: []llm.Field{{Name: "text", Text: text}}}
}

// mkRows returns n rows whose texts cycle through distinct values.
func mkRows(n, distinct int, prefix string) []llm.Row {
	rows := make([]llm.Row, n)
	for i := range rows {
		rows[i] = row(fmt.Sprintf("%s%03d", prefix, i%distinct))
	}
	return rows
}

var bg = context.Background()

func checkJudge(t *testing.T, preds []string, rows []llm.Row, out [][]llm.Verdict) {
	t.Helper()
	if len(out) != len(rows) {
		t.Fatalf("%d answers for %d rows", len(out), len(rows))
	}
	for i, r := range rows {
		if len(out[i]) != len(preds) {
			t.Fatalf("row %d: %d verdicts for %d predicates", i, len(out[i]), len(preds))
		}
		for j, p := range preds {
			if want := verdictOf(p, r.Fields[0].Text); out[i][j] != want {
				t.Fatalf("row %d (%s) pred %q: got %+v, want %+v", i, r.Fields[0].Text, p, out[i][j], want)
			}
		}
	}
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("error %v has code %q, want %s", err, got, code)
	}
}

// --- tests ---

func TestDedup(t *testing.T) {
	f := newFake(16)
	c := llm.NewClient(f, llm.Options{})
	rows := mkRows(100, 10, "r")
	preds := []string{"the review is positive"}
	out, err := c.Judge(bg, preds, rows)
	if err != nil {
		t.Fatal(err)
	}
	checkJudge(t, preds, rows, out)
	if f.seen() != 10 {
		t.Errorf("rows sent = %d, want 10", f.seen())
	}
	st := c.Stats()
	if st.RowsJudged != 10 || st.Deduplicated != 90 || st.CacheHits != 0 || st.Calls != 1 {
		t.Errorf("stats = %+v", st)
	}
	// duplicate predicates are judged once too
	f2 := newFake(16)
	c2 := llm.NewClient(f2, llm.Options{})
	preds2 := []string{"a", "b", "a"}
	out, err = c2.Judge(bg, preds2, rows)
	if err != nil {
		t.Fatal(err)
	}
	checkJudge(t, preds2, rows, out)
	for _, cl := range f2.calls {
		if !slices.Equal(cl.items, []string{"a", "b"}) {
			t.Errorf("call with predicates %q", cl.items)
		}
	}
}

func TestCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "responses.db")
	for _, tc := range []struct {
		name string
		open func(t *testing.T) llm.Cache // a cache; called again for "a new client"
	}{
		{"memory", func() func(*testing.T) llm.Cache {
			m := llm.NewMemoryCache()
			return func(*testing.T) llm.Cache { return m }
		}()},
		{"file", func(t *testing.T) llm.Cache {
			c, err := cache.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(16)
			c := llm.NewClient(f, llm.Options{Cache: tc.open(t), Concurrency: 3, BatchSize: 7})
			rows := mkRows(100, 100, "row")
			preds := []string{"p"}
			out, err := c.Judge(bg, preds, rows)
			if err != nil {
				t.Fatal(err)
			}
			checkJudge(t, preds, rows, out)
			if f.seen() != 100 {
				t.Fatalf("first Judge sent %d rows", f.seen())
			}
			calls := f.nCalls()
			out, err = c.Judge(bg, preds, rows)
			if err != nil {
				t.Fatal(err)
			}
			checkJudge(t, preds, rows, out)
			if f.nCalls() != calls {
				t.Errorf("second Judge made %d calls", f.nCalls()-calls)
			}
			if st := c.Stats(); st.CacheHits != 100 || st.RowsJudged != 100 {
				t.Errorf("stats = %+v", st)
			}
			// a new client over the same cache (file: opened anew)
			f2 := newFake(16)
			c2 := llm.NewClient(f2, llm.Options{Cache: tc.open(t)})
			out, err = c2.Judge(bg, preds, rows)
			if err != nil {
				t.Fatal(err)
			}
			checkJudge(t, preds, rows, out)
			if f2.nCalls() != 0 || c2.Stats().CacheHits != 100 {
				t.Errorf("new client: %d calls, stats %+v", f2.nCalls(), c2.Stats())
			}
			// a backend with another name shares nothing
			f3 := newFake(16)
			f3.name = "fake:other-model"
			c3 := llm.NewClient(f3, llm.Options{Cache: tc.open(t)})
			if _, err := c3.Judge(bg, preds, rows); err != nil {
				t.Fatal(err)
			}
			if f3.seen() != 100 {
				t.Errorf("another model: %d rows sent, want 100", f3.seen())
			}
		})
	}
}

// Every operation is cached: run each twice over a fresh client; the second
// run makes no call and gives the same answer.
func TestCacheEveryOperation(t *testing.T) {
	rows := mkRows(12, 12, "x")
	attrs := []llm.Attr{
		{Instruction: "n", Type: llm.Type{Kind: llm.KindInt}},
		{Instruction: "r", Type: llm.Type{Kind: llm.KindReal}},
		{Instruction: "t", Type: llm.Type{Kind: llm.KindText}},
		{Instruction: "e", Type: llm.Type{Kind: llm.KindEnum, Enum: []string{"x", "y", "z"}}},
	}
	ops := []struct {
		name string
		run  func(c *llm.Client) (any, error)
	}{
		{"judge", func(c *llm.Client) (any, error) { return c.Judge(bg, []string{"a", "b"}, rows) }},
		{"extract", func(c *llm.Client) (any, error) { return c.Extract(bg, attrs, rows) }},
		{"score", func(c *llm.Client) (any, error) { return c.Score(bg, "angry", rows) }},
		{"taxonomy", func(c *llm.Client) (any, error) { return c.Taxonomy(bg, "topic", rows, 5) }},
		{"compare", func(c *llm.Client) (any, error) { return c.Compare(bg, "angry", rows[0], rows[1]) }},
	}
	mc := llm.NewMemoryCache()
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			f := newFake(16)
			first, err := op.run(llm.NewClient(f, llm.Options{Cache: mc}))
			if err != nil {
				t.Fatal(err)
			}
			if f.nCalls() == 0 {
				t.Fatal("first run made no call")
			}
			f2 := newFake(16)
			c2 := llm.NewClient(f2, llm.Options{Cache: mc})
			second, err := op.run(c2)
			if err != nil {
				t.Fatal(err)
			}
			if f2.nCalls() != 0 {
				t.Errorf("second run made %d calls", f2.nCalls())
			}
			if c2.Stats().CacheHits == 0 {
				t.Errorf("no cache hits: %+v", c2.Stats())
			}
			if fmt.Sprint(first) != fmt.Sprint(second) {
				t.Errorf("cached answer differs:\n%v\n%v", first, second)
			}
		})
	}
}

func TestExtractValues(t *testing.T) {
	rows := mkRows(30, 11, "v")
	attrs := []llm.Attr{
		{Instruction: "n", Type: llm.Type{Kind: llm.KindInt}},
		{Instruction: "t", Type: llm.Type{Kind: llm.KindText}},
		{Instruction: "e", Type: llm.Type{Kind: llm.KindEnum, Enum: []string{"x", "y"}}},
		{Instruction: "r", Type: llm.Type{Kind: llm.KindReal}},
	}
	mc := llm.NewMemoryCache()
	for round := 0; round < 2; round++ {
		f := newFake(4)
		c := llm.NewClient(f, llm.Options{Cache: mc, Concurrency: 2})
		out, err := c.Extract(bg, attrs, rows)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			for j, a := range attrs {
				want := extractOf(a, r.Fields[0].Text)
				if got := out[i][j]; got != want {
					t.Fatalf("round %d row %d attr %s: got %#v, want %#v", round, i, a.Instruction, got, want)
				}
			}
		}
		if round == 1 && f.nCalls() != 0 {
			t.Errorf("cached extraction made %d calls", f.nCalls())
		}
	}
	// the same instruction with another type is another question
	f := newFake(16)
	c := llm.NewClient(f, llm.Options{Cache: mc})
	other := []llm.Attr{
		{Instruction: "n", Type: llm.Type{Kind: llm.KindText}},
		{Instruction: "e", Type: llm.Type{Kind: llm.KindEnum, Enum: []string{"x", "y", "w"}}},
	}
	if _, err := c.Extract(bg, other, rows); err != nil {
		t.Fatal(err)
	}
	if f.seen() != 11 {
		t.Errorf("retyped attributes: %d rows sent, want 11", f.seen())
	}
}

// Answers are cached per (row, predicate); rows are grouped by the set of
// predicates they still need, so each call carries one predicate list.
func TestPredicateCaching(t *testing.T) {
	mc := llm.NewMemoryCache()
	rows := mkRows(40, 40, "p")
	first, second := rows[:20], rows[20:]
	f := newFake(8)
	c := llm.NewClient(f, llm.Options{Cache: mc, Concurrency: 3})
	if _, err := c.Judge(bg, []string{"A"}, first); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Judge(bg, []string{"B"}, second); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.PlanJudge([]string{"A", "B"}, rows); n != 40 {
		t.Errorf("PlanJudge(A,B) = %d, want 40", n)
	}
	if n, _ := c.PlanJudge([]string{"A"}, first); n != 0 {
		t.Errorf("PlanJudge(A, first) = %d, want 0", n)
	}
	f2 := newFake(8)
	c2 := llm.NewClient(f2, llm.Options{Cache: mc, Concurrency: 3})
	preds := []string{"A", "B"}
	out, err := c2.Judge(bg, preds, rows)
	if err != nil {
		t.Fatal(err)
	}
	checkJudge(t, preds, rows, out)
	firstSet := map[string]bool{}
	for _, r := range first {
		firstSet[r.Fields[0].Text] = true
	}
	sent := map[string]int{}
	for _, cl := range f2.calls {
		if len(cl.items) != 1 {
			t.Fatalf("call with predicates %q, want one", cl.items)
		}
		for _, r := range cl.rows {
			// rows of the first half lack B, of the second half A
			if want := map[bool]string{true: "B", false: "A"}[firstSet[r]]; cl.items[0] != want {
				t.Errorf("row %s sent with %q, want %q", r, cl.items[0], want)
			}
			sent[r]++
		}
	}
	if len(sent) != 40 {
		t.Errorf("%d rows sent, want 40", len(sent))
	}
	for r, n := range sent {
		if n != 1 {
			t.Errorf("row %s sent %d times", r, n)
		}
	}
	// now every combination is cached, in any order
	f3 := newFake(8)
	c3 := llm.NewClient(f3, llm.Options{Cache: mc})
	for _, preds := range [][]string{{"B", "A"}, {"A"}, {"B", "B", "A"}} {
		out, err := c3.Judge(bg, preds, rows)
		if err != nil {
			t.Fatal(err)
		}
		checkJudge(t, preds, rows, out)
	}
	if f3.nCalls() != 0 {
		t.Errorf("%d calls for cached combinations", f3.nCalls())
	}
	// a new predicate: only it is sent, with every row
	f4 := newFake(8)
	c4 := llm.NewClient(f4, llm.Options{Cache: mc})
	if _, err := c4.Judge(bg, []string{"A", "C", "B"}, rows); err != nil {
		t.Fatal(err)
	}
	for _, cl := range f4.calls {
		if !slices.Equal(cl.items, []string{"C"}) {
			t.Errorf("call with %q, want [C]", cl.items)
		}
	}
	if f4.seen() != 40 {
		t.Errorf("%d rows sent, want 40", f4.seen())
	}
}

// A workload of several operations, as one statement would run them.
type step struct {
	name  string
	need  int // distinct rows it sends (no cache)
	run   func(c *llm.Client) error
	check func(c *llm.Client) (int, error) // Plan, where there is one
}

func workload() []step {
	judgeRows := mkRows(30, 20, "j")
	extRows := mkRows(25, 10, "e")
	scoreRows := mkRows(5, 5, "s")
	taxRows := mkRows(9, 6, "t")
	attrs := []llm.Attr{{Instruction: "n", Type: llm.Type{Kind: llm.KindInt}}, {Instruction: "t"}}
	return []step{
		{"judge", 20, func(c *llm.Client) error {
			_, err := c.Judge(bg, []string{"A", "B"}, judgeRows)
			return err
		}, func(c *llm.Client) (int, error) { return c.PlanJudge([]string{"A", "B"}, judgeRows) }},
		{"extract", 10, func(c *llm.Client) error {
			_, err := c.Extract(bg, attrs, extRows)
			return err
		}, func(c *llm.Client) (int, error) { return c.PlanExtract(attrs, extRows) }},
		{"score", 5, func(c *llm.Client) error {
			_, err := c.Score(bg, "s", scoreRows)
			return err
		}, func(c *llm.Client) (int, error) { return c.PlanScore("s", scoreRows) }},
		{"compare", 2, func(c *llm.Client) error {
			_, err := c.Compare(bg, "c", scoreRows[0], scoreRows[1])
			return err
		}, nil},
		{"taxonomy", 6, func(c *llm.Client) error {
			_, err := c.Taxonomy(bg, "t", taxRows, 4)
			return err
		}, nil},
	}
}

// Sweep the budget from 0 (unlimited) to past the workload's need: each
// operation either fits and succeeds, or fails with M002 before any call;
// Used() never exceeds Limit() and equals the rows the backend saw.
func TestBudgetSweep(t *testing.T) {
	steps := workload()
	total := 0
	for _, s := range steps {
		total += s.need
	}
	for limit := 0; limit <= total+1; limit++ {
		for _, batch := range []int{1, 3} {
			f := newFake(16)
			b := llm.NewBudget(int64(limit))
			f.budget = b
			c := llm.NewClient(f, llm.Options{Budget: b, Concurrency: 8, BatchSize: batch})
			spent := 0
			for _, s := range steps {
				if s.check != nil {
					n, err := s.check(c)
					if err != nil || n != s.need {
						t.Fatalf("limit %d: plan %s = %d, %v; want %d", limit, s.name, n, err, s.need)
					}
				}
				callsBefore := f.nCalls()
				err := s.run(c)
				fits := limit == 0 || spent+s.need <= limit
				if fits {
					if err != nil {
						t.Fatalf("limit %d batch %d: %s failed: %v", limit, batch, s.name, err)
					}
					spent += s.need
				} else {
					wantCode(t, err, errs.BudgetExceeded)
					if f.nCalls() != callsBefore {
						t.Fatalf("limit %d: %s made %d calls before failing", limit, s.name, f.nCalls()-callsBefore)
					}
				}
				if b.Used() != int64(f.seen()) || int(b.Used()) != spent {
					t.Fatalf("limit %d after %s: used %d, backend saw %d, want %d", limit, s.name, b.Used(), f.seen(), spent)
				}
				if limit > 0 && (b.Used() > b.Limit() || b.Remaining() != int64(limit-spent)) {
					t.Fatalf("limit %d: used %d, remaining %d", limit, b.Used(), b.Remaining())
				}
			}
			f.check(t)
		}
	}
}

// Many operations on one budget at once, with many small batches: the
// budget is never exceeded, and exactly the operations that fit run.
func TestBudgetConcurrentOperations(t *testing.T) {
	for _, limit := range []int{1, 9, 10, 35, 50, 79, 80, 1000} {
		f := newFake(16)
		b := llm.NewBudget(int64(limit))
		f.budget = b
		c := llm.NewClient(f, llm.Options{Budget: b, Concurrency: 8, BatchSize: 1})
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, failed := 0, 0
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rows := mkRows(15, 10, fmt.Sprintf("g%d-", g))
				_, err := c.Judge(bg, []string{"p"}, rows)
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					ok++
				} else if errs.CodeOf(err) == errs.BudgetExceeded {
					failed++
				} else {
					t.Errorf("unexpected error %v", err)
				}
			}()
		}
		wg.Wait()
		want := min(8, limit/10)
		if ok != want || failed != 8-want {
			t.Errorf("limit %d: %d succeeded, %d failed; want %d succeeded", limit, ok, failed, want)
		}
		if b.Used() > b.Limit() || b.Used() != int64(f.seen()) || f.seen() != 10*ok {
			t.Errorf("limit %d: used %d, backend saw %d", limit, b.Used(), f.seen())
		}
		f.check(t)
	}
}

func TestBudget(t *testing.T) {
	b := llm.NewBudget(10)
	if err := b.Reserve(7); err != nil {
		t.Fatal(err)
	}
	wantCode(t, b.Reserve(4), errs.BudgetExceeded)
	if b.Used() != 7 || b.Remaining() != 3 || b.Limit() != 10 {
		t.Errorf("used %d remaining %d", b.Used(), b.Remaining())
	}
	b.Release(2)
	if err := b.Reserve(5); err != nil {
		t.Fatal(err)
	}
	if b.Remaining() != 0 {
		t.Errorf("remaining %d", b.Remaining())
	}
	u := llm.NewBudget(0)
	if err := u.Reserve(1 << 40); err != nil || u.Remaining() != -1 || u.Used() != 1<<40 {
		t.Errorf("unlimited: %v remaining %d used %d", err, u.Remaining(), u.Used())
	}
	var nilb *llm.Budget
	if nilb.Reserve(5) != nil || nilb.Remaining() != -1 {
		t.Error("nil budget is not unlimited")
	}
}

func TestBatchingAndConcurrency(t *testing.T) {
	for _, tc := range []struct {
		maxBatch, batchSize, conc, rows int
		wantBatch, wantMax              int
	}{
		{3, 16, 4, 100, 3, 4},
		{16, 0, 4, 100, 16, 4}, // defaults: batch 16, concurrency 4
		{16, 2, 1, 20, 2, 1},
		{16, 5, 8, 40, 5, 8},
		{16, 10, 8, 25, 10, 3}, // only 3 batches
	} {
		t.Run(fmt.Sprintf("%+v", tc), func(t *testing.T) {
			f := newFake(tc.maxBatch)
			f.delay = 20 * time.Millisecond
			f.gate = tc.wantMax
			c := llm.NewClient(f, llm.Options{BatchSize: tc.batchSize, Concurrency: tc.conc})
			rows := mkRows(tc.rows, tc.rows, "b")
			out, err := c.Judge(bg, []string{"p"}, rows)
			if err != nil {
				t.Fatal(err)
			}
			checkJudge(t, []string{"p"}, rows, out)
			wantCalls := (tc.rows + tc.wantBatch - 1) / tc.wantBatch
			if f.nCalls() != wantCalls {
				t.Errorf("%d calls, want %d", f.nCalls(), wantCalls)
			}
			for _, cl := range f.calls {
				if len(cl.rows) > tc.wantBatch {
					t.Errorf("a call with %d rows", len(cl.rows))
				}
			}
			if f.maxInflight != tc.wantMax {
				t.Errorf("max in flight %d, want %d", f.maxInflight, tc.wantMax)
			}
			if c.BatchSize() != tc.wantBatch {
				t.Errorf("BatchSize() = %d", c.BatchSize())
			}
			f.check(t)
		})
	}
}

// Results come back in input order whatever order the calls finish in.
func TestOrder(t *testing.T) {
	rows := mkRows(300, 200, "o")
	rand.New(rand.NewSource(1)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	f := newFake(16)
	f.jitter = true
	c := llm.NewClient(f, llm.Options{Concurrency: 8, BatchSize: 3})
	preds := []string{"x", "y"}
	out, err := c.Judge(bg, preds, rows)
	if err != nil {
		t.Fatal(err)
	}
	checkJudge(t, preds, rows, out)
	scores, err := c.Score(bg, "s", rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if scores[i] != scoreOf("s", r.Fields[0].Text) {
			t.Fatalf("score %d out of order", i)
		}
	}
}

func TestCancellation(t *testing.T) {
	f := newFake(16)
	f.block = true
	f.started = make(chan struct{}, 100)
	b := llm.NewBudget(0)
	c := llm.NewClient(f, llm.Options{Concurrency: 3, BatchSize: 2, Budget: b})
	ctx, cancel := context.WithCancel(bg)
	go func() {
		<-f.started
		cancel()
	}()
	_, err := c.Judge(ctx, []string{"p"}, mkRows(100, 100, "c"))
	wantCode(t, err, errs.Cancelled)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
	if n := f.nCalls(); n < 1 || n > 3 {
		t.Errorf("%d calls started, want 1..3 (no new calls after cancel)", n)
	}
	if b.Used() != int64(f.seen()) {
		t.Errorf("budget used %d, rows sent %d (unsent rows must be released)", b.Used(), f.seen())
	}
	f.check(t)

	// an already cancelled context makes no call, for every operation
	f2 := newFake(16)
	c2 := llm.NewClient(f2, llm.Options{})
	rows := mkRows(3, 3, "z")
	for _, run := range []func() error{
		func() error { _, err := c2.Judge(ctx, []string{"p"}, rows); return err },
		func() error { _, err := c2.Extract(ctx, []llm.Attr{{Instruction: "a"}}, rows); return err },
		func() error { _, err := c2.Score(ctx, "s", rows); return err },
		func() error { _, err := c2.Taxonomy(ctx, "t", rows, 3); return err },
		func() error { _, err := c2.Compare(ctx, "c", rows[0], rows[1]); return err },
	} {
		wantCode(t, run(), errs.Cancelled)
	}
	if f2.nCalls() != 0 {
		t.Errorf("%d calls with a cancelled context", f2.nCalls())
	}
}

func TestFailingBatch(t *testing.T) {
	rows := mkRows(60, 60, "f")
	for _, tc := range []struct {
		name    string
		setup   func(f *fake)
		code    errs.Code
		wrapped error
	}{
		{"backend error", func(f *fake) { f.failOn = "f037" }, errs.Runtime, errBoom},
		{"coded backend error", func(f *fake) { f.failOn = "f037"; f.failErr = errs.New(errs.NoModel, "no such phrase") }, errs.NoModel, nil},
		{"wrong number of answers", func(f *fake) { f.short = true }, errs.Internal, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(4)
			tc.setup(f)
			mc := llm.NewMemoryCache()
			c := llm.NewClient(f, llm.Options{Concurrency: 2, Cache: mc})
			out, err := c.Judge(bg, []string{"p"}, rows)
			wantCode(t, err, tc.code)
			if out != nil {
				t.Error("answers returned with an error")
			}
			if tc.wrapped != nil && !errors.Is(err, tc.wrapped) {
				t.Errorf("error %v does not wrap %v", err, tc.wrapped)
			}
			// what succeeded before the failure was kept
			if tc.name == "backend error" && mc.Len() == 0 {
				t.Error("nothing cached from the successful batches")
			}
		})
	}
	// Taxonomy and Compare fail too
	f := newFake(16)
	f.failOn = "f001"
	c := llm.NewClient(f, llm.Options{})
	_, err := c.Compare(bg, "c", rows[0], rows[1])
	wantCode(t, err, errs.Runtime)
	_, err = c.Taxonomy(bg, "t", rows[:5], 3)
	wantCode(t, err, errs.Runtime)
}

type brokenCache struct{ gets, puts int }

func (b *brokenCache) GetMany([]string) (map[string][]byte, error) {
	b.gets++
	return nil, errors.New("disk on fire")
}
func (b *brokenCache) PutMany(map[string][]byte) error { b.puts++; return errors.New("disk on fire") }

func TestBrokenCacheWarnsOnce(t *testing.T) {
	bc := &brokenCache{}
	var warnings []error
	f := newFake(16)
	c := llm.NewClient(f, llm.Options{Cache: bc, Concurrency: 1, Warn: func(err error) { warnings = append(warnings, err) }})
	rows := mkRows(20, 20, "w")
	for i := 0; i < 3; i++ {
		out, err := c.Judge(bg, []string{"p"}, rows)
		if err != nil {
			t.Fatal(err)
		}
		checkJudge(t, []string{"p"}, rows, out)
		if _, err := c.Compare(bg, "c", rows[0], rows[1]); err != nil {
			t.Fatal(err)
		}
	}
	if len(warnings) != 1 || bc.gets == 0 || bc.puts == 0 {
		t.Errorf("warnings %v, gets %d, puts %d", warnings, bc.gets, bc.puts)
	}
	if f.seen() != 3*22 {
		t.Errorf("rows sent %d, want %d", f.seen(), 3*22)
	}
}

func TestProgressAndStats(t *testing.T) {
	mc := llm.NewMemoryCache()
	f := newFake(4)
	var seen [][2]int
	var mu sync.Mutex
	c := llm.NewClient(f, llm.Options{Cache: mc, Concurrency: 4, Progress: func(done, total int) {
		mu.Lock()
		seen = append(seen, [2]int{done, total})
		mu.Unlock()
	}})
	// cache half of the distinct rows first
	if _, err := c.Judge(bg, []string{"p"}, mkRows(10, 10, "s")); err != nil {
		t.Fatal(err)
	}
	before := c.Stats()
	seen = nil
	rows := mkRows(50, 20, "s") // 20 distinct, 10 of them cached
	if _, err := c.Judge(bg, []string{"p"}, rows); err != nil {
		t.Fatal(err)
	}
	st := c.Stats()
	judged := st.RowsJudged - before.RowsJudged
	hits := st.CacheHits - before.CacheHits
	dedup := st.Deduplicated - before.Deduplicated
	if judged != 10 || hits != 10 || dedup != 30 || judged+hits+dedup != 50 {
		t.Errorf("judged %d, hits %d, dedup %d", judged, hits, dedup)
	}
	if st.PromptTokens == 0 || st.CostUSD == 0 || st.Calls != before.Calls+3 {
		t.Errorf("usage not accumulated: %+v", st)
	}
	if len(seen) == 0 || seen[len(seen)-1] != [2]int{50, 50} {
		t.Fatalf("progress %v does not end at 50/50", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i][0] < seen[i-1][0] || seen[i][1] != 50 {
			t.Fatalf("progress not monotonic: %v", seen)
		}
	}
}

func TestTaxonomySample(t *testing.T) {
	f := newFake(5)
	c := llm.NewClient(f, llm.Options{})
	sample := mkRows(30, 8, "t")
	names, err := c.Taxonomy(bg, "topic", sample, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.calls) != 1 || len(f.calls[0].rows) != 5 {
		t.Fatalf("calls %v, want one call of MaxBatch distinct rows", f.calls)
	}
	if len(names) != 5 || names[0] != "cat-t000" {
		t.Errorf("names %q", names)
	}
	if st := c.Stats(); st.RowsJudged != 5 || st.Deduplicated != 22 {
		t.Errorf("stats %+v", st)
	}
}

func TestCacheKey(t *testing.T) {
	k := llm.CacheKey("b", "judge", "p", "row")
	for _, other := range []string{
		llm.CacheKey("b2", "judge", "p", "row"),
		llm.CacheKey("b", "extract", "p", "row"),
		llm.CacheKey("b", "judge", "p2", "row"),
		llm.CacheKey("b", "judge", "p", "row2"),
		llm.CacheKey("b", "judge", "p", "ro", "w"),
		llm.CacheKey("b", "judge", "prow"),
	} {
		if other == k {
			t.Errorf("key collision")
		}
	}
	if len(k) != 64 || k != llm.CacheKey("b", "judge", "p", "row") {
		t.Errorf("key %q", k)
	}
}
