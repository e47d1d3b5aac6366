package openai_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/llm/llmtest"
	"github.com/uqe-dev/uqe/llm/openai"
)

const testKey = "sk-test-SECRET-0123456789abcdef"

// sleeper records backoff waits instead of waiting.
type sleeper struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func newBackend(t *testing.T, srv *llmtest.Server, model string, mod func(*openai.Config)) (*openai.Backend, *sleeper) {
	t.Helper()
	sl := &sleeper{}
	cfg := openai.Config{BaseURL: srv.URL, APIKey: testKey, Model: model, Sleep: sl.Sleep}
	if mod != nil {
		mod(&cfg)
	}
	b, err := openai.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b, sl
}

// The answer key of the tests. Every answer depends only on the row it is
// about (and the instruction), so a correct backend gets the same answers
// however rows are batched, retried or surrounded.

func text(r llmtest.WireRow) string { return r.Fields["text"] }

// judgeTruth: "mentions W" holds when the row's text contains the word W.
func judgeTruth(pred, txt string) bool {
	w := strings.TrimPrefix(pred, "mentions ")
	return strings.Contains(strings.ToLower(txt), w)
}

func verbalProb(v bool) float64 {
	if v {
		return 0.9
	}
	return 0.2
}

func tokenProb(v bool) float64 {
	if v {
		return 0.75
	}
	return 0.35
}

func scoreOf(txt string) float64 { return float64(len(txt)%10) / 10 }

func sentiment(txt string) string {
	if strings.Contains(txt, "good") {
		return "pos"
	}
	return "neg"
}

func firstWords(rows []llmtest.WireRow) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rows {
		f := strings.Fields(text(r))
		if len(f) > 0 && !seen[f[0]] {
			seen[f[0]] = true
			out = append(out, f[0])
		}
	}
	sort.Strings(out)
	return out
}

func answer(q llmtest.Query) any {
	switch q.Op {
	case "judge":
		if q.Instruction == "has an image" {
			return len(q.Row.ImageURLs) > 0
		}
		v := judgeTruth(q.Instruction, text(q.Row))
		return llmtest.Verdict{Value: v, Prob: verbalProb(v), TokenProb: llmtest.P(tokenProb(v))}
	case "extract":
		t := text(q.Row)
		switch q.Instruction {
		case "length":
			return len(t)
		case "first word":
			return strings.Fields(t)[0]
		case "sentiment":
			return sentiment(t)
		case "is short":
			return len(t) < 12
		case "ratio":
			return float64(len(t)) / 4
		case "nothing":
			return nil
		case "bad enum":
			return "maybe"
		}
	case "score":
		return scoreOf(text(q.Row))
	case "taxonomy":
		return firstWords(q.Rows)
	case "compare":
		v := len(text(q.Rows[0])) > len(text(q.Rows[1]))
		return llmtest.Verdict{Value: v, Prob: verbalProb(v), TokenProb: llmtest.P(tokenProb(v))}
	}
	return fmt.Errorf("test answer key: unexpected query %s %q", q.Op, q.Instruction)
}

func rowsOf(texts ...string) []llm.Row {
	out := make([]llm.Row, len(texts))
	for i, t := range texts {
		out[i] = llm.Row{Fields: []llm.Field{{Name: "text", Text: t}}}
	}
	return out
}

var sampleTexts = []string{
	"good cat food", "a dog barked", "cat and dog", "nothing here at all",
	"good dog", "the cat sat", "bad weather", "a good day for a cat",
}

var preds = []string{"mentions cat", "mentions dog"}

// expectedVerdicts applies the answer key directly; prob chooses which
// probability the backend should report.
func expectedVerdicts(texts []string, prob func(bool) float64) [][]llm.Verdict {
	out := make([][]llm.Verdict, len(texts))
	for i, t := range texts {
		for _, p := range preds {
			v := judgeTruth(p, t)
			out[i] = append(out[i], llm.Verdict{Value: v, Prob: prob(v)})
		}
	}
	return out
}
