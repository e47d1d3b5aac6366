package openai

import (
	"math"
	"net/http"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 8, 15, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		header, ms string
		want       time.Duration
	}{
		{"", "", 0},
		{"3", "", 3 * time.Second},
		{"0.5", "", 500 * time.Millisecond},
		{"-1", "", 0},
		{"soon", "", 0},
		{now.Add(10 * time.Second).Format(http.TimeFormat), "", 10 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), "", 0},
		{"100000", "", MaxRetryAfter},
		{"3", "250", 250 * time.Millisecond},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Retry-After", tc.header)
		}
		if tc.ms != "" {
			h.Set("Retry-After-Ms", tc.ms)
		}
		if got := retryAfter(h, now); got != tc.want {
			t.Errorf("Retry-After %q / ms %q: %v, want %v", tc.header, tc.ms, got, tc.want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	for attempt := 0; attempt < 40; attempt++ {
		ceil := BackoffCap
		if attempt < 20 {
			ceil = min(BackoffCap, BackoffBase<<attempt)
		}
		for i := 0; i < 50; i++ {
			if d := backoff(attempt); d < 0 || d > ceil {
				t.Fatalf("attempt %d: %v outside [0, %v]", attempt, d, ceil)
			}
		}
	}
}

func TestQuotaExhausted(t *testing.T) {
	cases := map[string]bool{
		`{"error":{"code":"insufficient_quota","type":"insufficient_quota","message":"x"}}`: true,
		`{"error":{"code":null,"type":"insufficient_quota","message":"x"}}`:                 true,
		`{"error":{"code":"rate_limit_exceeded","type":"requests","message":"x"}}`:          false,
		`not json insufficient_quota`: true,
		`not json`:                    false,
	}
	for body, want := range cases {
		if got := quotaExhausted([]byte(body)); got != want {
			t.Errorf("%s: %v", body, got)
		}
	}
}

// TestProbTrueTokenisations: the verdict's probability is read from the
// token where the literal starts, whatever the tokeniser glued to it.
func TestProbTrueTokenisations(t *testing.T) {
	lp := func(tok string, p float64) goopenai.TopLogProbs {
		return goopenai.TopLogProbs{Token: tok, LogProb: math.Log(p)}
	}
	content := `{"first": true, "probability": 0.9}`
	cases := []struct {
		name string
		toks []goopenai.LogProb
		want float64
		ok   bool
	}{
		{"own token", []goopenai.LogProb{
			{Token: `{"first": `}, {Token: "true", TopLogProbs: []goopenai.TopLogProbs{lp("true", 0.6), lp("false", 0.2), lp("tr", 0.2)}},
			{Token: `, "probability": 0.9}`}}, 0.8, true},
		{"glued prefix", []goopenai.LogProb{
			{Token: `{"first":`}, {Token: " true", TopLogProbs: []goopenai.TopLogProbs{lp(" true", 0.3), lp(" false", 0.6), lp(" maybe", 0.1)}},
			{Token: `, "probability": 0.9}`}}, 1.0 / 3, true},
		{"no alternatives", []goopenai.LogProb{
			{Token: `{"first": `}, {Token: "true", LogProb: math.Log(0.5)}, {Token: `, "probability": 0.9}`}}, 1, true},
		{"tokens do not spell the content", []goopenai.LogProb{{Token: "something else"}}, 0, false},
	}
	for _, tc := range cases {
		r := newReply(content, &goopenai.LogProbs{Content: tc.toks})
		off, ok := r.bools["first"]
		if !ok || content[off:off+4] != "true" {
			t.Fatalf("%s: literal not found (%d)", tc.name, off)
		}
		got, ok := r.lp.probTrue(off)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: %v %v, want %v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBoolPositionsFenced(t *testing.T) {
	content := "```json\n{\"answers\":[{\"id\":\"r0\",\"verdicts\":[{\"p\":0,\"value\":false}]}]}\n```"
	r := newReply(content, nil)
	off, ok := r.bools["answers/0/verdicts/0/value"]
	if !ok || content[off:off+5] != "false" {
		t.Fatalf("position %d %v", off, ok)
	}
	byRow, ok := r.rowAnswers(1)
	if !ok || len(byRow) != 1 {
		t.Fatalf("fenced answer not read: %v %v", byRow, ok)
	}
}

func TestEscapeInvisible(t *testing.T) {
	in := "a\u202eb\u2028c\u200bd\ufeffé漢"
	got := quote(in)
	want := `"a\u202eb\u2028c\u200bd\ufeffé漢"`
	if got != want {
		t.Errorf("quote: %s, want %s", got, want)
	}
}
