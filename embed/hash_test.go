package embed

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/uqe-dev/uqe/errs"
)

func embedAll(t testing.TB, e Embedder, texts ...string) [][]float32 {
	t.Helper()
	v, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(v), len(texts))
	}
	return v
}

func norm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

func TestHashBasics(t *testing.T) {
	h := NewHash(0)
	if h.Dim() != DefaultDim || h.Name() != "hash" {
		t.Fatalf("Dim %d Name %q", h.Dim(), h.Name())
	}
	texts := []string{"I am still waiting on my card?", "Ünïcödé wörds ärë fïnë", "x", "", "  ... !!! "}
	a := embedAll(t, h, texts...)
	b := embedAll(t, NewHash(DefaultDim), texts...)
	for i := range texts {
		if len(a[i]) != DefaultDim {
			t.Fatalf("len %d", len(a[i]))
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatalf("text %d: not deterministic", i)
			}
		}
		n := norm(a[i])
		empty := strings.TrimFunc(texts[i], func(r rune) bool { return !isWordRune(r) }) == ""
		if empty && n != 0 || !empty && math.Abs(n-1) > 1e-5 {
			t.Errorf("text %q: norm %v", texts[i], n)
		}
	}
	// one text embeds the same alone and in a batch, and case does not matter
	alone := embedAll(t, h, "I AM STILL WAITING ON MY CARD?")[0]
	if c := Cosine(alone, a[0]); c < 0.99999 {
		t.Errorf("case folding: cosine %v", c)
	}
	if Cosine(a[3], a[0]) != 0 || Cosine(a[0], a[0][:10]) != 0 {
		t.Errorf("cosine with the zero vector or a shorter vector must be 0")
	}
	if h2 := NewHash(64); h2.Name() != "hash:64" || len(embedAll(t, h2, "abc")[0]) != 64 {
		t.Errorf("NewHash(64): %q", h2.Name())
	}
}

func TestHashSimilarity(t *testing.T) {
	h := NewHash(DefaultDim)
	tests := []struct{ q, near, far string }{
		{"I still have not received my new card", "my card has still not arrived", "what is the exchange rate for euros"},
		{"how do I get a refund", "I want a refund for my purchase", "my pin is blocked"},
		{"the phone battery dies quickly", "battery life of this phone is poor", "the hotel staff were friendly"},
		{"transfer money to my friend", "how can I transfer money to a friend", "where can I top up with cash"},
		{"refunds", "refund", "weather"}, // character n-grams
	}
	for _, tc := range tests {
		v := embedAll(t, h, tc.q, tc.near, tc.far)
		near, far := Cosine(v[0], v[1]), Cosine(v[0], v[2])
		if near <= far {
			t.Errorf("%q: near %q %.3f <= far %q %.3f", tc.q, tc.near, near, tc.far, far)
		}
	}
}

func TestHashIDF(t *testing.T) {
	// "please" is in every document; "refund" and "card" are not.
	corpus := []string{
		"please help me with my card", "please send a refund", "please close my account",
		"please change my pin", "please explain the fee", "please update my address",
	}
	h := NewHash(DefaultDim)
	q := "please please refund"
	tfOnly := embedAll(t, h, q, "please", "refund")
	h.Fit(corpus)
	if h.Name() != "hash+idf" {
		t.Errorf("fitted name %q", h.Name())
	}
	idf := embedAll(t, h, q, "please", "refund")
	// with IDF the query is closer to its rare word and further from the
	// ubiquitous one than with TF alone
	if !(Cosine(idf[0], idf[1]) < Cosine(tfOnly[0], tfOnly[1])) || !(Cosine(idf[0], idf[2]) > Cosine(tfOnly[0], tfOnly[2])) {
		t.Errorf("IDF: please %.3f→%.3f, refund %.3f→%.3f", Cosine(tfOnly[0], tfOnly[1]), Cosine(idf[0], idf[1]),
			Cosine(tfOnly[0], tfOnly[2]), Cosine(idf[0], idf[2]))
	}
	if Cosine(idf[0], idf[1]) >= Cosine(idf[0], idf[2]) {
		t.Errorf("fitted: query closer to the ubiquitous word than to the rare one")
	}
	if n := norm(idf[0]); math.Abs(n-1) > 1e-5 {
		t.Errorf("norm %v", n)
	}
	h.Fit(nil)
	back := embedAll(t, h, q)
	if Cosine(back[0], tfOnly[0]) < 0.99999 || h.Name() != "hash" {
		t.Errorf("Fit(nil) should return to plain TF")
	}
}

func TestHashConcurrent(t *testing.T) {
	h := NewHash(128)
	texts := []string{"alpha beta", "gamma delta epsilon", "card refund transfer"}
	h.Fit(texts)
	want := embedAll(t, h, texts...)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				got, err := h.Embed(context.Background(), texts)
				if err != nil {
					t.Error(err)
					return
				}
				for k := range got {
					if Cosine(got[k], want[k]) < 0.99999 {
						t.Error("different vectors under concurrency")
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestHashCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewHash(0).Embed(ctx, []string{"a"}); errs.CodeOf(err) != errs.Cancelled {
		t.Errorf("cancelled: %v", err)
	}
}

// banking reads the shipped BANKING77 texts and intents (aligned by id).
func banking(t testing.TB) (texts, intents []string) {
	t.Helper()
	dir := filepath.Join("..", "testdata", "datasets", "banking77")
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs[1:]
	}
	tr, lr := read("banking.csv"), read("banking_labels.csv")
	for i := range tr {
		if tr[i][0] != lr[i][0] {
			t.Fatalf("row %d: ids %s and %s", i, tr[i][0], lr[i][0])
		}
		texts = append(texts, tr[i][1])
		intents = append(intents, lr[i][1])
	}
	return texts, intents
}

// TestBankingRetrieval: for 20 queries from BANKING77, the nearest of 2,000
// other rows shares the query's intent far more often than chance (1/77).
func TestBankingRetrieval(t *testing.T) {
	texts, intents := banking(t)
	// 2,000 candidates spread over the file (it is sorted by intent), and
	// 20 queries that are not among them
	var cand, cIntent, query, qIntent []string
	for i := 0; i < len(texts) && len(cand) < 2000; i += len(texts) / 2000 {
		cand, cIntent = append(cand, texts[i]), append(cIntent, intents[i])
	}
	for i := 3; i < len(texts) && len(query) < 20; i += len(texts) / 20 {
		query, qIntent = append(query, texts[i]), append(qIntent, intents[i])
	}
	for _, fit := range []bool{false, true} {
		h := NewHash(DefaultDim)
		if fit {
			h.Fit(cand)
		}
		cv := embedAll(t, h, cand...)
		qv := embedAll(t, h, query...)
		hits := 0
		for q := range qv {
			best, bestC := -1, float32(-2)
			for c := range cv {
				if s := Cosine(qv[q], cv[c]); s > bestC {
					best, bestC = c, s
				}
			}
			if cIntent[best] == qIntent[q] {
				hits++
			}
		}
		rate := float64(hits) / float64(len(query))
		t.Logf("%s: nearest neighbour shares the intent for %d of %d queries (%.0f%%; chance about 1.3%%)", h.Name(), hits, len(query), 100*rate)
		if rate <= 0.30 {
			t.Errorf("%s: retrieval rate %.2f, want > 0.30", h.Name(), rate)
		}
	}
}

func BenchmarkHashShort(b *testing.B) {
	texts, _ := banking(b)
	texts = texts[:1000]
	h := NewHash(DefaultDim)
	h.Fit(texts)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.Embed(context.Background(), texts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "texts/s")
}

func BenchmarkHashParagraph(b *testing.B) {
	texts, _ := banking(b)
	var paras []string
	var cur strings.Builder
	for _, s := range texts {
		if cur.Len() >= 1024 {
			paras = append(paras, cur.String()[:1024])
			cur.Reset()
			if len(paras) == 200 {
				break
			}
		}
		cur.WriteString(s)
		cur.WriteByte(' ')
	}
	h := NewHash(DefaultDim)
	h.Fit(paras)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.Embed(context.Background(), paras); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(paras))/b.Elapsed().Seconds(), "texts/s")
}
