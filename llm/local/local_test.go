package local

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/embed/index"
	"github.com/uqe-dev/uqe/embed/use"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm"
)

// embedders are the embedders every test runs with.
func embedders(t *testing.T) map[string]embed.Embedder {
	t.Helper()
	m, err := use.New()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]embed.Embedder{"hash": embed.NewHash(512), "use": m}
}

func rows(texts ...string) []llm.Row {
	out := make([]llm.Row, len(texts))
	for i, s := range texts {
		out[i] = llm.Row{Fields: []llm.Field{{Name: "text", Text: s}}}
	}
	return out
}

var reviews = []struct {
	text string
	pos  bool
}{
	{"A wonderful film, I loved it and would highly recommend it.", true},
	{"Great acting and an excellent story, loved every minute.", true},
	{"Excellent! One of the best movies this year, wonderful cast.", true},
	{"I loved it. Great fun for the whole family.", true},
	{"Highly recommend this, an excellent and moving film.", true},
	{"What a great surprise, wonderful music and excellent direction.", true},
	{"Loved the characters, great ending, would watch again.", true},
	{"Brilliant and wonderful, an excellent piece of cinema.", true},
	{"Terrible film, I hated it, a complete waste of time.", false},
	{"Awful acting and a bad script, really disappointing.", false},
	{"Bad from start to finish, I hated every minute.", false},
	{"A disappointing, terrible movie. Avoid it.", false},
	{"The plot was awful and the ending was bad.", false},
	{"Hated it. Poor dialogue, terrible pacing, a waste.", false},
	{"Boring, bad and awful; the worst film I have seen.", false},
	{"Disappointing and terrible, what a waste of money.", false},
}

func TestJudgeBeatsChance(t *testing.T) {
	for name, e := range embedders(t) {
		// MethodMixture alone thresholds the cosine to the phrase, which
		// does not separate the poles of a polar phrase (a negative review
		// is as near "the review is positive" as a positive one): it is
		// not expected to beat chance here.
		for _, m := range []Method{MethodAnchors, MethodAnchorsMixture} {
			t.Run(name+"/"+m.String(), func(t *testing.T) {
				b := New(e, nil).WithMethod(m)
				var texts []string
				for _, r := range reviews {
					texts = append(texts, r.text)
				}
				for _, tc := range []struct {
					phrase string
					flip   bool
				}{
					{"the review is positive", false},
					{"the review is negative", true},
					{"the review is not positive", true},
				} {
					v, u, err := b.Judge(context.Background(), []string{tc.phrase}, rows(texts...))
					if err != nil {
						t.Fatal(err)
					}
					if u.Calls != 1 || u.RowsJudged != int64(len(texts)) || u.PromptTokens <= 0 || u.CostUSD != 0 {
						t.Fatalf("usage %+v", u)
					}
					right := 0
					for i, r := range reviews {
						if p := v[i][0].Prob; p < 0 || p > 1 || math.IsNaN(p) {
							t.Fatalf("prob %v", p)
						}
						if v[i][0].Value != (v[i][0].Prob >= 0.5) {
							t.Fatalf("verdict %v disagrees with prob %v", v[i][0].Value, v[i][0].Prob)
						}
						if v[i][0].Value == (r.pos != tc.flip) {
							right++
						}
					}
					// chance is 8 of 16; require 12 (binomial p < 0.04)
					if right < 12 {
						t.Errorf("%q: %d of %d right", tc.phrase, right, len(reviews))
					}
				}
			})
		}
	}
}

var tickets = []struct {
	text, cat string
}{
	{"I want a refund for my last purchase", "refund"},
	{"How do I get my money back? I was promised a refund", "refund"},
	{"Please refund the payment, the item never arrived", "refund"},
	{"My card was stolen yesterday, please block it", "lost card"},
	{"I lost my card somewhere in town", "lost card"},
	{"Someone stole my card and wallet", "lost card"},
	{"What exchange rate do you use for euros?", "exchange rate"},
	{"The exchange rate on my dollar payment looks wrong", "exchange rate"},
	{"Why was I given such a bad exchange rate", "exchange rate"},
}

func TestJudgeTopic(t *testing.T) {
	for name, e := range embedders(t) {
		b := New(e, nil)
		var texts []string
		for _, r := range tickets {
			texts = append(texts, r.text)
		}
		v, _, err := b.Judge(context.Background(), []string{"the customer asks about a refund", "the customer lost their card or had it stolen"}, rows(texts...))
		if err != nil {
			t.Fatal(err)
		}
		for j, want := range []string{"refund", "lost card"} {
			right := 0
			for i, r := range tickets {
				if v[i][j].Value == (r.cat == want) {
					right++
				}
			}
			if right < 7 { // of 9; always "no" gets 6
				t.Errorf("%s: predicate %d: %d of %d right", name, j, right, len(tickets))
			}
		}
	}
}

func TestExtractEnum(t *testing.T) {
	for name, e := range embedders(t) {
		b := New(e, nil)
		var texts []string
		for _, r := range tickets {
			texts = append(texts, r.text)
		}
		texts = append(texts, "") // no text: NULL
		attrs := []llm.Attr{
			{Instruction: "the topic of the request", Type: llm.Type{Kind: llm.KindEnum, Enum: []string{"refund", "lost_card", "exchange_rate"}}},
			{Instruction: "a summary", Type: llm.Type{Kind: llm.KindText}},
			{Instruction: "the amount", Type: llm.Type{Kind: llm.KindInt}},
		}
		out, u, err := b.Extract(context.Background(), attrs, rows(texts...))
		if err != nil {
			t.Fatal(err)
		}
		if u.Calls != 1 || u.RowsJudged != int64(len(texts)) {
			t.Fatalf("usage %+v", u)
		}
		for i, r := range tickets {
			if got := out[i][0]; got.IsNull() || humanize(got.S) != r.cat {
				t.Errorf("%s: %q: got %v, want %q", name, r.text, got, r.cat)
			}
			if !out[i][1].IsNull() || !out[i][2].IsNull() {
				t.Errorf("free text / number extraction answered %v %v, want NULL", out[i][1], out[i][2])
			}
		}
		if !out[len(tickets)][0].IsNull() {
			t.Errorf("empty row got %v", out[len(tickets)][0])
		}
	}
}

func TestExtractBool(t *testing.T) {
	b := New(embed.NewHash(512), nil)
	var texts []string
	for _, r := range reviews {
		texts = append(texts, r.text)
	}
	out, _, err := b.Extract(context.Background(), []llm.Attr{{Instruction: "the review is positive", Type: llm.Type{Kind: llm.KindBool}}}, rows(texts...))
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for i, r := range reviews {
		if out[i][0].I == 1 == r.pos {
			right++
		}
	}
	if right < 12 {
		t.Errorf("%d of %d right", right, len(reviews))
	}
}

func TestTaxonomy(t *testing.T) {
	var texts []string
	for i := 0; i < 60; i++ {
		switch i % 3 {
		case 0:
			texts = append(texts, fmt.Sprintf("refund my money back please, order %d", i))
		case 1:
			texts = append(texts, fmt.Sprintf("my card was stolen, block card number %d", i))
		default:
			texts = append(texts, fmt.Sprintf("what exchange rate for currency conversion %d", i))
		}
	}
	for name, e := range embedders(t) {
		b := New(e, nil)
		for _, max := range []int{1, 2, 3, 10} {
			names, u, err := b.Taxonomy(context.Background(), "the topic", rows(texts...), max)
			if err != nil {
				t.Fatal(err)
			}
			if len(names) == 0 || len(names) > max {
				t.Fatalf("%s max %d: %d names %q", name, max, len(names), names)
			}
			if u.RowsJudged != int64(len(texts)) {
				t.Fatalf("usage %+v", u)
			}
			seen := map[string]bool{}
			for _, n := range names {
				if n == "" || seen[n] {
					t.Fatalf("%s: empty or repeated name in %q", name, names)
				}
				seen[n] = true
			}
			if max == 3 {
				// three obvious groups: each gets a name made of its own words
				groups := [][]string{{"refund", "money", "back", "please", "order"}, {"card", "stolen", "block", "number"}, {"exchange", "rate", "currency", "conversion"}}
				for _, g := range groups {
					found := 0
					for _, n := range names {
						for _, w := range g {
							if contains(n, w) {
								found++
								break
							}
						}
					}
					if found != 1 {
						t.Errorf("%s: %d of names %q use the words of group %q, want 1", name, found, names, g)
					}
				}
			}
		}
		if names, _, err := b.Taxonomy(context.Background(), "x", rows("", ""), 5); err != nil || len(names) != 0 {
			t.Fatalf("taxonomy of empty rows: %q %v", names, err)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub))
}

func TestScoreCompare(t *testing.T) {
	b := New(embed.NewHash(512), nil)
	rs := rows("I want a refund of my money", "the weather is nice today")
	s, u, err := b.Score(context.Background(), "asks for a refund", rs)
	if err != nil {
		t.Fatal(err)
	}
	if u.Calls != 1 || s[0] < 0 || s[0] > 1 || s[1] < 0 || s[1] > 1 || s[0] <= s[1] {
		t.Fatalf("scores %v usage %+v", s, u)
	}
	p, _, err := b.Compare(context.Background(), "asks for a refund", rs[0], rs[1])
	if err != nil || p <= 0.5 || p > 1 {
		t.Fatalf("Compare = %v, %v", p, err)
	}
	q, _, _ := b.Compare(context.Background(), "asks for a refund", rs[1], rs[0])
	if math.Abs(p+q-1) > 1e-9 {
		t.Fatalf("Compare not antisymmetric: %v + %v", p, q)
	}
}

func TestMixtureSeparates(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var xs []float64
	var truth []bool
	var vs [][]float32
	for i := 0; i < 200; i++ {
		hi := i%5 == 0
		mu := 0.1
		if hi {
			mu = 0.5
		}
		xs = append(xs, mu+rng.NormFloat64()*0.05)
		truth = append(truth, hi)
		vs = append(vs, []float32{1})
	}
	post, ok := mixture(xs, vs)
	if !ok {
		t.Fatal("mixture of two well separated groups not fitted")
	}
	for i := range xs {
		if (post[i] >= 0.5) != truth[i] {
			t.Fatalf("row %d (x=%.3f): posterior %.3f", i, xs[i], post[i])
		}
	}
	if _, ok := mixture(xs[:minMixture-1], vs[:minMixture-1]); ok {
		t.Fatal("mixture fitted over too few rows")
	}
}

func TestAnchors(t *testing.T) {
	for _, tc := range []struct {
		phrase   string
		polar    bool
		pos, neg string // first anchor of each side
	}{
		{"the review is positive", true, "the review is positive", "the review is negative"},
		{"The review is NOT positive", true, "the review is negative", "the review is positive"},
		{"the message is spam", true, "the message is spam", "the message is personal"},
		{"the customer asks about a refund", false, "the customer asks about a refund", "the customer asks about something else"},
		{"refund", false, "refund", "it asks about something else"},
	} {
		a := anchors(tc.phrase)
		if a.polar != tc.polar || a.pos[0] != tc.pos || a.neg[0] != tc.neg {
			t.Errorf("anchors(%q) = %+v", tc.phrase, a)
		}
	}
}

func TestConcurrentAndIndexed(t *testing.T) {
	idx, err := index.Open(filepath.Join(t.TempDir(), "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	b := New(embed.NewHash(512), idx)
	var texts []string
	for _, r := range reviews {
		texts = append(texts, r.text)
	}
	want, _, err := New(embed.NewHash(512), nil).Judge(context.Background(), []string{"the review is positive"}, rows(texts...))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errc := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, _, err := b.Judge(context.Background(), []string{"the review is positive"}, rows(texts...))
			if err != nil {
				errc <- err
				return
			}
			for i := range got {
				if !slices.Equal(got[i], want[i]) {
					errc <- fmt.Errorf("row %d: %v, want %v", i, got[i], want[i])
					return
				}
			}
			if _, _, err := b.Taxonomy(context.Background(), "t", rows(texts...), 3); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if n := idx.Stats()["hash"]; n < len(texts) {
		t.Fatalf("index holds %d vectors, want at least %d", n, len(texts))
	}
}

func TestCancelled(t *testing.T) {
	b := New(embed.NewHash(512), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := b.Judge(ctx, []string{"x"}, rows("a")); errs.CodeOf(err) != errs.Cancelled {
		t.Fatalf("Judge: %v", err)
	}
	if _, _, err := b.Taxonomy(ctx, "x", rows("a"), 2); errs.CodeOf(err) != errs.Cancelled {
		t.Fatalf("Taxonomy: %v", err)
	}
}

func TestIdentity(t *testing.T) {
	b := New(embed.NewHash(512), nil)
	if b.Name() != "local:hash" || b.MaxBatch() != MaxBatch || !b.Approximate() {
		t.Fatal(b.Name(), b.MaxBatch())
	}
	if in, out := b.Price(); in != 0 || out != 0 {
		t.Fatal(in, out)
	}
}
