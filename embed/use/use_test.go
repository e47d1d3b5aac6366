package use

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/uqe-dev/uqe/errs"
)

// TestTokensReference checks the tokenizer against the reference
// JavaScript tokenizer on inputs chosen for its edge cases (spaces,
// NFKC, unknown characters and their merging, null-score pieces, non-Latin
// scripts). testdata/tokens.json is written by testdata/gen_tokens.js from
// testdata/token_inputs.json (see that script for how to run it).
func TestTokensReference(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Text   string `json:"text"`
		Tokens []int  `json:"tokens"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 40 {
		t.Fatalf("tokens.json: %d cases", len(cases))
	}
	m := model(t)
	for _, c := range cases {
		got := m.Tokenize(c.Text)
		if len(got) == 0 && len(c.Tokens) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.Tokens) {
			t.Errorf("Tokenize(%q) = %v, want %v", c.Text, got, c.Tokens)
		}
	}
}

func TestTokenizeProperties(t *testing.T) {
	m := model(t)
	for _, c := range []struct {
		name string
		a, b string // must tokenize the same (NFKC)
	}{
		{"ligature", "ﬁne", "fine"},
		{"fullwidth", "Ｈｅｌｌｏ", "Hello"},
		{"no-break space", "a\u00a0b", "a b"},
		{"composed accent", "e\u0301", "é"},
	} {
		if x, y := m.Tokenize(c.a), m.Tokenize(c.b); !reflect.DeepEqual(x, y) {
			t.Errorf("%s: Tokenize(%q) = %v, Tokenize(%q) = %v", c.name, c.a, x, c.b, y)
		}
	}
	// Unknown characters merge: never two unknown ids in a row.
	for _, s := range []string{"😀😀😀", "東京は日本の首都です", "a😀🎉b", "\x00\x01\x02"} {
		ids := m.Tokenize(s)
		for i := 1; i < len(ids); i++ {
			if ids[i] == unknownID && ids[i-1] == unknownID {
				t.Errorf("Tokenize(%q) = %v: consecutive unknowns", s, ids)
			}
		}
	}
	// Invalid UTF-8 does not panic.
	_ = m.Tokenize("\xff\xfe bad \xc3")
}

func norm2(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return s
}

func checkUnit(t *testing.T, what string, v []float32) {
	t.Helper()
	if len(v) != 512 {
		t.Fatalf("%s: dim %d", what, len(v))
	}
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			t.Fatalf("%s: non-finite component", what)
		}
	}
	if n := norm2(v); math.Abs(n-1) > 1e-5 {
		t.Errorf("%s: squared norm %v, want 1", what, n)
	}
}

func TestEmptyAndEdgeInputs(t *testing.T) {
	m := model(t)
	if m.Name() != "use-lite" || m.Dim() != 512 {
		t.Fatalf("Name, Dim = %q, %d", m.Name(), m.Dim())
	}
	vs, err := m.Embed(context.Background(), nil)
	if err != nil || len(vs) != 0 {
		t.Fatalf("Embed(nil) = %v, %v", vs, err)
	}
	vs, err = m.Embed(context.Background(), []string{"", "hello", ""})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 2} {
		if len(vs[i]) != 512 || norm2(vs[i]) != 0 {
			t.Errorf("empty string: want the 512-d zero vector, got norm² %v", norm2(vs[i]))
		}
	}
	checkUnit(t, "hello", vs[1])
	for _, s := range []string{" ", "😀", "😀😀😀 party 🎉", "東京は日本の首都です。", "Привет, как дела?", "Café naïve résumé", "\x00\xff", ":)"} {
		vs, err := m.Embed(context.Background(), []string{s})
		if err != nil {
			t.Fatal(err)
		}
		checkUnit(t, s, vs[0])
	}
}

// TestLongInput: a 10,000-character text is cut at 128 tokens.
func TestLongInput(t *testing.T) {
	m := model(t)
	long := strings.Repeat("The quick brown fox jumps over the lazy dog near the riverbank. ", 160)[:10000]
	ids := m.Tokenize(long)
	if len(ids) <= maxTokens {
		t.Fatalf("long text has only %d tokens", len(ids))
	}
	vs, err := m.Embed(context.Background(), []string{long, long + " And then something else entirely happened."})
	if err != nil {
		t.Fatal(err)
	}
	checkUnit(t, "long", vs[0])
	// Only the first 128 tokens count.
	want := make([]float32, 512)
	m.w.forward(new(workspace), [][]int{ids[:maxTokens]}, [][]float32{want})
	if !reflect.DeepEqual(vs[0], want) {
		t.Errorf("long text: vector differs from that of its first 128 tokens")
	}
	if !reflect.DeepEqual(vs[0], vs[1]) {
		t.Errorf("text past token 128 changed the vector")
	}
	short := make([]float32, 512)
	m.w.forward(new(workspace), [][]int{ids[:maxTokens-1]}, [][]float32{short})
	if reflect.DeepEqual(short, want) {
		t.Errorf("127 and 128 tokens give the same vector")
	}
}

// TestDeterminism: the same text gives bit-identical vectors alone, in any
// batch, and across calls.
func TestDeterminism(t *testing.T) {
	m := model(t)
	texts := shortSentences(40)
	texts = append(texts, paragraphs(m, 3)...)
	a, err := m.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls differ")
	}
	for i, s := range texts {
		one, err := m.Embed(context.Background(), []string{s})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(one[0], a[i]) {
			t.Errorf("text %d: alone differs from batched", i)
		}
		checkUnit(t, s, a[i])
	}
	// Different texts give different vectors.
	if reflect.DeepEqual(a[0], a[1]) {
		t.Error("different texts, same vector")
	}
}

func TestConcurrentEmbed(t *testing.T) {
	m := model(t)
	texts := shortSentences(24)
	want, err := m.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each goroutine embeds a rotation of the texts.
			rot := append(append([]string{}, texts[g:]...), texts[:g]...)
			got, err := m.Embed(context.Background(), rot)
			if err != nil {
				errc <- err
				return
			}
			for i := range rot {
				if !reflect.DeepEqual(got[i], want[(i+g)%len(texts)]) {
					t.Errorf("goroutine %d: text %d differs", g, i)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
}

func TestCancelled(t *testing.T) {
	m := model(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.Embed(ctx, shortSentences(100))
	if errs.CodeOf(err) != errs.Cancelled {
		t.Fatalf("Embed(cancelled) = %v, want code %s", err, errs.Cancelled)
	}
}

func TestNewOnce(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New()
	if a != b {
		t.Error("New returned two models")
	}
}
