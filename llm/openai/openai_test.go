package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/llm/llmtest"
	"github.com/uqe-dev/uqe/llm/openai"
	"github.com/uqe-dev/uqe/value"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func checkVerdicts(t *testing.T, got, want [][]llm.Verdict) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("row %d: got %d verdicts, want %d", i, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			if got[i][j].Value != want[i][j].Value || !near(got[i][j].Prob, want[i][j].Prob) {
				t.Errorf("row %d pred %d: got %+v, want %+v", i, j, got[i][j], want[i][j])
			}
		}
	}
}

func errCode(err error) errs.Code {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestJudge(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Options{Answer: answer})
	b, sl := newBackend(t, srv, "gpt-4o-mini", nil)
	got, u, err := b.Judge(context.Background(), preds, rowsOf(sampleTexts...))
	if err != nil {
		t.Fatal(err)
	}
	checkVerdicts(t, got, expectedVerdicts(sampleTexts, verbalProb))
	if u.Calls != 1 || u.RowsJudged != int64(len(sampleTexts)) || u.Retries != 0 {
		t.Errorf("usage %+v", u)
	}
	if u.PromptTokens <= 0 || u.CompletionTokens <= 0 {
		t.Errorf("no tokens counted: %+v", u)
	}
	in, out := b.Price()
	if want := (float64(u.PromptTokens)*in + float64(u.CompletionTokens)*out) / 1e6; !near(u.CostUSD, want) || want == 0 {
		t.Errorf("cost %v, want %v", u.CostUSD, want)
	}
	if len(sl.waits()) != 0 {
		t.Errorf("slept %v", sl.waits())
	}
	reqs := srv.ChatRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	if reqs[0].Authorization != "Bearer "+testKey {
		t.Errorf("Authorization %q", reqs[0].Authorization)
	}
	if strings.Contains(string(reqs[0].Body), testKey) {
		t.Error("the key is in the request body")
	}
	c, err := llmtest.ParseChat(reqs[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Raw["temperature"]) != "0" {
		t.Errorf("temperature: %q, want an explicit 0", c.Raw["temperature"])
	}
	if c.Model != "gpt-4o-mini" || c.Format != "json_schema" || !c.Strict || c.SchemaName != "uqe_judge" {
		t.Errorf("model %q format %q strict %v schema %q", c.Model, c.Format, c.Strict, c.SchemaName)
	}
	if !c.Logprobs || c.TopLogprobs != 5 {
		t.Errorf("logprobs %v top %d", c.Logprobs, c.TopLogprobs)
	}
	if b.Name() != "openai:gpt-4o-mini" {
		t.Errorf("Name %q", b.Name())
	}
}

func TestBatching(t *testing.T) {
	var texts []string
	for i := 0; i < 40; i++ {
		texts = append(texts, sampleTexts[i%len(sampleTexts)]+strings.Repeat("!", i))
	}
	srv := llmtest.Start(t, llmtest.Options{Answer: answer})
	b, _ := newBackend(t, srv, "gpt-4o-mini", nil)
	if b.MaxBatch() != openai.DefaultMaxBatch {
		t.Fatalf("MaxBatch %d", b.MaxBatch())
	}
	got, u, err := b.Judge(context.Background(), preds, rowsOf(texts...))
	if err != nil {
		t.Fatal(err)
	}
	checkVerdicts(t, got, expectedVerdicts(texts, verbalProb))
	if u.Calls != 3 || u.RowsJudged != 40 {
		t.Errorf("usage %+v, want 3 calls of 16+16+8 rows", u)
	}
}

func TestExtract(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Options{Answer: answer})
	b, _ := newBackend(t, srv, "gpt-4.1-mini", nil)
	attrs := []llm.Attr{
		{Instruction: "length", Type: llm.Type{Kind: llm.KindInt}},
		{Instruction: "first word", Type: llm.Type{Kind: llm.KindText}},
		{Instruction: "sentiment", Type: llm.Type{Kind: llm.KindEnum, Enum: []string{"pos", "neg"}}},
		{Instruction: "is short", Type: llm.Type{Kind: llm.KindBool}},
		{Instruction: "ratio", Type: llm.Type{Kind: llm.KindReal}},
		{Instruction: "nothing", Type: llm.Type{Kind: llm.KindInt}},
	}
	got, u, err := b.Extract(context.Background(), attrs, rowsOf(sampleTexts...))
	if err != nil {
		t.Fatal(err)
	}
	for i, txt := range sampleTexts {
		want := []value.Value{
			value.FromInt(int64(len(txt))),
			value.FromText(strings.Fields(txt)[0]),
			value.FromText(sentiment(txt)),
			value.FromBool(len(txt) < 12),
			value.FromFloat(float64(len(txt)) / 4),
			value.NullValue,
		}
		for j := range want {
			if got[i][j] != want[j] {
				t.Errorf("row %d attr %d: got %#v, want %#v", i, j, got[i][j], want[j])
			}
		}
	}
	if u.Calls != 1 || u.Retries != 0 {
		t.Errorf("usage %+v", u)
	}
	c, _ := llmtest.ParseChat(srv.ChatRequests()[0].Body)
	var schema map[string]any
	if err := json.Unmarshal(c.Schema, &schema); err != nil || c.SchemaName != "uqe_extract" {
		t.Fatalf("schema %q: %v", c.SchemaName, err)
	}
}

func TestExtractInvalidAnswerFails(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Options{Answer: answer})
	b, _ := newBackend(t, srv, "gpt-4o-mini", nil)
	attrs := []llm.Attr{{Instruction: "bad enum", Type: llm.Type{Kind: llm.KindEnum, Enum: []string{"yes", "no"}}}}
	_, _, err := b.Extract(context.Background(), attrs, rowsOf("a", "b"))
	if errCode(err) != errs.Runtime {
		t.Fatalf("got %v, want %s", err, errs.Runtime)
	}
	// One batch, then each row twice on its own; the first row fails.
	if n := len(srv.ChatRequests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestScoreTaxonomyCompare(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Options{Answer: answer, Logprobs: true})
	b, _ := newBackend(t, srv, "gpt-4o-mini", nil)
	ctx := context.Background()
	scores, u, err := b.Score(ctx, "how long", rowsOf(sampleTexts...))
	if err != nil {
		t.Fatal(err)
	}
	for i, txt := range sampleTexts {
		if !near(scores[i], scoreOf(txt)) {
			t.Errorf("score %d: %v, want %v", i, scores[i], scoreOf(txt))
		}
	}
	if u.Calls != 1 {
		t.Errorf("usage %+v", u)
	}
	cats, u, err := b.Taxonomy(ctx, "the first word", rowsOf(sampleTexts...), 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "bad", "cat"}; strings.Join(cats, "|") != strings.Join(want, "|") {
		t.Errorf("taxonomy %q, want %q (first 3)", cats, want)
	}
	if u.Calls != 1 || u.RowsJudged != int64(len(sampleTexts)) {
		t.Errorf("usage %+v", u)
	}
	c, _ := llmtest.ParseChat(srv.ChatRequests()[1].Body)
	if c.Max != 3 || c.Logprobs {
		t.Errorf("taxonomy request: max %d logprobs %v", c.Max, c.Logprobs)
	}
	long, short := rowsOf("a rather long text")[0], rowsOf("short")[0]
	p, u, err := b.Compare(ctx, "length", long, short)
	if err != nil {
		t.Fatal(err)
	}
	if !near(p, tokenProb(true)) || u.Calls != 1 || u.RowsJudged != 2 {
		t.Errorf("compare: p=%v usage %+v", p, u)
	}
	p, _, err = b.Compare(ctx, "length", short, long)
	if err != nil || !near(p, tokenProb(false)) {
		t.Errorf("compare reversed: p=%v err=%v, want %v", p, err, tokenProb(false))
	}
}

func TestLogprobs(t *testing.T) {
	cases := []struct {
		name      string
		server    bool // the server gives log-probabilities
		noAsk     bool // Config.NoLogprobs
		wantProb  func(bool) float64
		wantAsked bool
	}{
		{"from logprobs", true, false, tokenProb, true},
		{"verbalised when the server gives none", false, false, verbalProb, true},
		{"verbalised when not asked", true, true, verbalProb, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.Start(t, llmtest.Options{Answer: answer, Logprobs: tc.server})
			b, _ := newBackend(t, srv, "gpt-4o-mini", func(c *openai.Config) { c.NoLogprobs = tc.noAsk })
			got, _, err := b.Judge(context.Background(), preds, rowsOf(sampleTexts...))
			if err != nil {
				t.Fatal(err)
			}
			checkVerdicts(t, got, expectedVerdicts(sampleTexts, tc.wantProb))
			c, _ := llmtest.ParseChat(srv.ChatRequests()[0].Body)
			if c.Logprobs != tc.wantAsked {
				t.Errorf("logprobs asked %v, want %v", c.Logprobs, tc.wantAsked)
			}
		})
	}
}

func TestProbabilityClampAndDefault(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Options{Answer: func(q llmtest.Query) any {
		switch text(q.Row) {
		case "high":
			return llmtest.Verdict{Value: true, Prob: 1.7}
		case "low":
			return llmtest.Verdict{Value: false, Prob: -0.5}
		}
		return text(q.Row) == "yes" // bool: probability 1 or 0
	}})
	b, _ := newBackend(t, srv, "gpt-4o-mini", nil)
	got, _, err := b.Judge(context.Background(), []string{"p"}, rowsOf("high", "low", "yes", "no"))
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.Verdict{{Value: true, Prob: 1}, {Value: false, Prob: 0}, {Value: true, Prob: 1}, {Value: false, Prob: 0}}
	for i, w := range want {
		if got[i][0] != w {
			t.Errorf("row %d: %+v, want %+v", i, got[i][0], w)
		}
	}
}

func TestModelNames(t *testing.T) {
	for _, model := range []string{"gpt-5-mini", "o3", "llama3.1:8b", "o1-preview", "gpt-5"} {
		t.Run(model, func(t *testing.T) {
			srv := llmtest.Start(t, llmtest.Options{Answer: answer, Logprobs: true})
			b, _ := newBackend(t, srv, model, nil)
			got, _, err := b.Judge(context.Background(), preds, rowsOf(sampleTexts...))
			if err != nil {
				t.Fatal(err)
			}
			checkVerdicts(t, got, expectedVerdicts(sampleTexts, tokenProb))
			c, _ := llmtest.ParseChat(srv.ChatRequests()[0].Body)
			if c.Model != model {
				t.Errorf("model sent %q", c.Model)
			}
			if b.Name() != "openai:"+model {
				t.Errorf("Name %q", b.Name())
			}
		})
	}
}

// TestUnsupportedFeatures: servers that reject json_schema, temperature or
// logprobs are answered by sending the request again without it, once for
// the backend's lifetime.
func TestUnsupportedFeatures(t *testing.T) {
	cases := []struct {
		name   string
		opts   llmtest.Options
		absent string // top-level member the second request lacks
		format string
	}{
		{"json_schema", llmtest.Options{NoJSONSchema: true}, "", "json_object"},
		{"temperature", llmtest.Options{RejectParams: []string{"temperature"}}, "temperature", "json_schema"},
		{"logprobs", llmtest.Options{RejectParams: []string{"logprobs", "top_logprobs"}}, "logprobs", "json_schema"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Answer = answer
			srv := llmtest.Start(t, tc.opts)
			b, _ := newBackend(t, srv, "gpt-4o-mini", nil)
			for call := 0; call < 2; call++ {
				got, u, err := b.Judge(context.Background(), preds, rowsOf(sampleTexts...))
				if err != nil {
					t.Fatal(err)
				}
				checkVerdicts(t, got, expectedVerdicts(sampleTexts, verbalProb))
				wantRetries := int64(0)
				if call == 0 {
					wantRetries = 1
				}
				if u.Retries != wantRetries || u.Calls != 1 {
					t.Errorf("call %d: usage %+v", call, u)
				}
			}
			reqs := srv.ChatRequests()
			if len(reqs) != 3 {
				t.Fatalf("%d requests, want 3 (one rejected, then two)", len(reqs))
			}
			for _, r := range reqs[1:] {
				c, err := llmtest.ParseChat(r.Body)
				if err != nil {
					t.Fatal(err)
				}
				if c.Format != tc.format {
					t.Errorf("format %q, want %q", c.Format, tc.format)
				}
				if _, ok := c.Raw[tc.absent]; ok && tc.absent != "" {
					t.Errorf("%s still sent", tc.absent)
				}
			}
		})
	}
}

// TestFaults: every retryable fault gives the same answers as a fault-free
// run, with the retries counted.
func TestFaults(t *testing.T) {
	n := len(sampleTexts)
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	cases := []struct {
		name       string
		faults     llmtest.FaultFunc
		retries    int64
		calls      int64
		checkWaits func([]time.Duration) bool
		timeout    time.Duration
	}{
		{name: "429 Retry-After seconds", faults: llmtest.First(llmtest.Fault{Status: 429, RetryAfter: "2"}),
			retries: 1, calls: 1, checkWaits: func(d []time.Duration) bool { return len(d) == 1 && d[0] == 2*time.Second }},
		{name: "429 Retry-After date", faults: llmtest.First(llmtest.Fault{Status: 429, RetryAfter: future}),
			retries: 1, calls: 1, checkWaits: func(d []time.Duration) bool { return len(d) == 1 && d[0] == openai.MaxRetryAfter }},
		{name: "429 without Retry-After", faults: llmtest.First(llmtest.Fault{Status: 429}),
			retries: 1, calls: 1, checkWaits: backoffWaits(1)},
		{name: "500", faults: llmtest.First(llmtest.Fault{Status: 500}), retries: 1, calls: 1, checkWaits: backoffWaits(1)},
		{name: "502 then 503", faults: llmtest.First(llmtest.Fault{Status: 502}, llmtest.Fault{Status: 503}),
			retries: 2, calls: 1, checkWaits: backoffWaits(2)},
		{name: "408", faults: llmtest.First(llmtest.Fault{Status: 408}), retries: 1, calls: 1, checkWaits: backoffWaits(1)},
		{name: "409", faults: llmtest.First(llmtest.Fault{Status: 409}), retries: 1, calls: 1, checkWaits: backoffWaits(1)},
		{name: "slow reply", faults: llmtest.First(llmtest.Fault{Delay: 30 * time.Millisecond}), calls: 1, checkWaits: backoffWaits(0)},
		{name: "attempt timeout", faults: llmtest.First(llmtest.Fault{Delay: time.Hour}),
			retries: 1, calls: 1, checkWaits: backoffWaits(1), timeout: 200 * time.Millisecond},
		{name: "malformed JSON", faults: llmtest.First(llmtest.Fault{Malformed: true}),
			retries: int64(n), calls: 1 + int64(n), checkWaits: backoffWaits(0)},
		{name: "missing id", faults: llmtest.First(llmtest.Fault{DropIDs: []string{"r1", "r5"}}),
			retries: 2, calls: 3, checkWaits: backoffWaits(0)},
		{name: "duplicated id", faults: llmtest.First(llmtest.Fault{DuplicateIDs: []string{"r2"}}),
			retries: 1, calls: 2, checkWaits: backoffWaits(0)},
		{name: "invalid answer", faults: llmtest.First(llmtest.Fault{InvalidIDs: []string{"r0"}}),
			retries: 1, calls: 2, checkWaits: backoffWaits(0)},
		{name: "extra unknown ids", faults: llmtest.First(llmtest.Fault{ExtraIDs: []string{"r99", "x"}}),
			calls: 1, checkWaits: backoffWaits(0)},
		{name: "single-row retry fails once", faults: llmtest.First(llmtest.Fault{DropIDs: []string{"r3"}}, llmtest.Fault{Malformed: true}),
			retries: 2, calls: 3, checkWaits: backoffWaits(0)},
		{name: "single-row retry hits a 503", faults: llmtest.First(llmtest.Fault{DropIDs: []string{"r3"}}, llmtest.Fault{Status: 503}),
			retries: 2, calls: 2, checkWaits: backoffWaits(1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.Start(t, llmtest.Options{Answer: answer, Faults: tc.faults})
			b, sl := newBackend(t, srv, "gpt-4o-mini", func(c *openai.Config) { c.Timeout = tc.timeout })
			got, u, err := b.Judge(context.Background(), preds, rowsOf(sampleTexts...))
			if err != nil {
				t.Fatal(err)
			}
			checkVerdicts(t, got, expectedVerdicts(sampleTexts, verbalProb))
			if u.Retries != tc.retries || u.Calls != tc.calls {
				t.Errorf("retries %d calls %d, want %d and %d", u.Retries, u.Calls, tc.retries, tc.calls)
			}
			if !tc.checkWaits(sl.waits()) {
				t.Errorf("waits %v", sl.waits())
			}
		})
	}
}

func backoffWaits(k int) func([]time.Duration) bool {
	return func(d []time.Duration) bool {
		if len(d) != k {
			return false
		}
		for i, x := range d {
			if x < 0 || x > min(openai.BackoffCap, openai.BackoffBase<<i) {
				return false
			}
		}
		return true
	}
}

// TestRandomFaults: a seeded mix of transient faults still gives the
// fault-free answers.
func TestRandomFaults(t *testing.T) {
	transient := []llmtest.Fault{{Status: 429, RetryAfter: "1"}, {Status: 500}, {Status: 503}, {Status: 408}}
	var total int64
	for seed := uint64(1); seed <= 5; seed++ {
		srv := llmtest.Start(t, llmtest.Options{Answer: answer, Faults: llmtest.Random(seed, 0.4, transient...)})
		b, _ := newBackend(t, srv, "gpt-4o-mini", func(c *openai.Config) { c.MaxRetries = 30; c.MaxBatch = 3 })
		got, u, err := b.Judge(context.Background(), preds, rowsOf(sampleTexts...))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkVerdicts(t, got, expectedVerdicts(sampleTexts, verbalProb))
		if want := int64(srv.Count()) - u.Calls; u.Retries != want {
			t.Errorf("seed %d: retries %d, want %d (requests %d, calls %d)", seed, u.Retries, want, srv.Count(), u.Calls)
		}
		total += u.Retries
	}
	if total == 0 {
		t.Error("no fault was injected")
	}
}

// TestFatalErrors: errors that retrying cannot cure are not retried and
// never show the key.
func TestFatalErrors(t *testing.T) {
	cases := []struct {
		name     string
		fault    llmtest.Fault
		status   int
		requests int
		retries  int
	}{
		{"400", llmtest.Fault{Status: 400, Message: "bad request"}, 400, 1, 0},
		{"401 echoing the key", llmtest.Fault{Status: 401}, 401, 1, 0},
		{"403", llmtest.Fault{Status: 403}, 403, 1, 0},
		{"404", llmtest.Fault{Status: 404, Message: "The model does not exist"}, 404, 1, 0},
		{"insufficient_quota", llmtest.Fault{Status: 429, Code: "insufficient_quota"}, 429, 1, 0},
		{"retries exhausted", llmtest.Fault{Status: 503}, 503, 3, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.fault
			srv := llmtest.Start(t, llmtest.Options{Answer: answer, Faults: func(int) *llmtest.Fault { return &f }})
			b, sl := newBackend(t, srv, "gpt-4o-mini", func(c *openai.Config) { c.MaxRetries = 2 })
			_, _, err := b.Judge(context.Background(), preds, rowsOf(sampleTexts...))
			if errCode(err) != errs.Runtime {
				t.Fatalf("got %v, want %s", err, errs.Runtime)
			}
			var se *openai.StatusError
			if !errors.As(err, &se) || se.Status != tc.status {
				t.Errorf("status error %+v", se)
			}
			if srv.Count() != tc.requests || len(sl.waits()) != tc.retries {
				t.Errorf("%d requests, %d waits; want %d and %d", srv.Count(), len(sl.waits()), tc.requests, tc.retries)
			}
			for _, s := range []string{err.Error(), se.Message, se.Error()} {
				if strings.Contains(s, testKey) || strings.Contains(s, "SECRET") {
					t.Errorf("the key leaks: %q", s)
				}
			}
		})
	}
}

func TestCancellation(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := llmtest.Start(t, llmtest.Options{
		Answer:    answer,
		Faults:    func(int) *llmtest.Fault { return &llmtest.Fault{Delay: time.Hour} },
		OnRequest: func(int) { arrived <- struct{}{} },
	})
	b, _ := newBackend(t, srv, "gpt-4o-mini", nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := b.Judge(ctx, preds, rowsOf(sampleTexts...))
		done <- err
	}()
	<-arrived
	cancel()
	err := <-done
	if errCode(err) != errs.Cancelled || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want %s wrapping context.Canceled", err, errs.Cancelled)
	}
}

func TestCancellationDuringBackoff(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Options{Answer: answer,
		Faults: func(int) *llmtest.Fault { return &llmtest.Fault{Status: 503} }})
	ctx, cancel := context.WithCancel(context.Background())
	b, _ := newBackend(t, srv, "gpt-4o-mini", func(c *openai.Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			cancel() // the caller gives up while we wait
			<-ctx.Done()
			return ctx.Err()
		}
	})
	_, _, err := b.Judge(ctx, preds, rowsOf(sampleTexts...))
	if errCode(err) != errs.Cancelled {
		t.Fatalf("got %v, want %s", err, errs.Cancelled)
	}
	if srv.Count() != 1 {
		t.Errorf("%d requests after cancellation in backoff", srv.Count())
	}
}

func TestImages(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Options{Answer: answer})
	b, _ := newBackend(t, srv, "gpt-4o", nil)
	png := []byte("\x89PNG\r\n\x1a\nfake image bytes")
	rows := []llm.Row{
		{Fields: []llm.Field{{Name: "text", Text: "no picture"}}},
		{Fields: []llm.Field{{Name: "text", Text: "with picture"}, {Name: "photo", Image: png}}},
	}
	got, _, err := b.Judge(context.Background(), []string{"has an image"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	if got[0][0].Value || !got[1][0].Value {
		t.Errorf("verdicts %+v", got)
	}
	c, err := llmtest.ParseChat(srv.ChatRequests()[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	url := c.Rows[1].ImageURLs["photo"]
	if !strings.HasPrefix(url, "data:image/png;base64,") || len(c.Rows[0].ImageURLs) != 0 {
		t.Errorf("image URLs %q / %v", url, c.Rows[0].ImageURLs)
	}
	if strings.Contains(c.Data, "base64") {
		t.Error("image bytes inside the row data")
	}
}

func TestNewAndPrice(t *testing.T) {
	if _, err := openai.New(openai.Config{}); errCode(err) != errs.Usage {
		t.Errorf("no model: %v", err)
	}
	cases := []struct {
		model   string
		in, out float64
		priced  bool
	}{
		{"gpt-4o-mini", 0.15, 0.60, true},
		{"gpt-4o-mini-2024-07-18", 0.15, 0.60, true},
		{"gpt-5-nano", 0.05, 0.40, true},
		{"llama3.1:8b", 0, 0, false},
	}
	for _, tc := range cases {
		b, err := openai.New(openai.Config{Model: tc.model, APIKey: testKey})
		if err != nil {
			t.Fatal(err)
		}
		in, out := b.Price()
		if in != tc.in || out != tc.out || b.Priced() != tc.priced {
			t.Errorf("%s: price %v %v priced %v", tc.model, in, out, b.Priced())
		}
		if strings.Contains(b.Name(), testKey) {
			t.Error("key in Name")
		}
	}
	b, _ := openai.New(openai.Config{Model: "local", Price: &openai.Price{InputPerMTok: 1, OutputPerMTok: 2}})
	if in, out := b.Price(); in != 1 || out != 2 || !b.Priced() {
		t.Errorf("configured price %v %v", in, out)
	}
}

func TestEmbeddingsServer(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Options{EmbedDim: 16})
	body := `{"model":"text-embedding-3-small","input":["a cat","a cat"]}`
	resp, err := http.Post(srv.URL+"/embeddings", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data []struct {
			Embedding []float32 `json:"embedding"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Data) != 2 || len(out.Data[0].Embedding) != 16 {
		t.Fatalf("reply %+v", out)
	}
	want := llmtest.EmbedText("a cat", 16)
	for i := range want {
		if out.Data[0].Embedding[i] != want[i] || out.Data[1].Embedding[i] != want[i] {
			t.Fatalf("vector %v, want %v", out.Data[0].Embedding, want)
		}
	}
}

// TestAnchors: the anchors operation sends the instruction and no row,
// parses the two texts, and asks again when the answer is not two
// distinct non-empty texts; through a Client the answer is cached.
func TestAnchors(t *testing.T) {
	n := 0
	srv := llmtest.Start(t, llmtest.Options{Answer: func(q llmtest.Query) any {
		if q.Op != "anchors" {
			return nil
		}
		n++
		if n == 1 {
			return [2]string{"same", "same"} // invalid: asked again
		}
		return [2]string{"My card was stolen yesterday, please block it.", "How do I change my PIN?"}
	}})
	b, _ := newBackend(t, srv, "gpt-4o-mini", nil)
	pos, neg, u, err := b.Anchors(context.Background(), "the customer reports a lost or stolen card")
	if err != nil {
		t.Fatal(err)
	}
	if pos != "My card was stolen yesterday, please block it." || neg != "How do I change my PIN?" {
		t.Errorf("anchors %q / %q", pos, neg)
	}
	if u.Calls != 2 || u.Retries != 1 || u.RowsJudged != 0 {
		t.Errorf("usage %+v", u)
	}
	c, err := llmtest.ParseChat(srv.ChatRequests()[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	if c.Op != "anchors" || len(c.Instructions) != 1 || c.Instructions[0] != "the customer reports a lost or stolen card" || len(c.Rows) != 0 {
		t.Errorf("request: op %q instructions %q rows %d", c.Op, c.Instructions, len(c.Rows))
	}
	cl := llm.NewClient(b, llm.Options{Cache: llm.NewMemoryCache()})
	for i := 0; i < 2; i++ {
		p, q, ok, err := cl.Anchors(context.Background(), "the tweet complains about long lines")
		if err != nil || !ok || p == "" || q == "" {
			t.Fatalf("client anchors: %q %q %v %v", p, q, ok, err)
		}
	}
	if got := len(srv.ChatRequests()); got != 3 {
		t.Errorf("%d requests after two client calls for one instruction, want 3 (one cached)", got)
	}
}
