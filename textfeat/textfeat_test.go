package textfeat

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/sampling"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// words returns "w0 w1 ... w(n-1)".
func words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = fmt.Sprintf("w%d", i)
	}
	return strings.Join(ws, " ")
}

// span is words a..b-1 joined by single spaces.
func span(a, b int) string {
	ws := make([]string, 0, b-a)
	for i := a; i < b; i++ {
		ws = append(ws, fmt.Sprintf("w%d", i))
	}
	return strings.Join(ws, " ")
}

func TestWindows(t *testing.T) {
	for _, c := range []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", []string{""}},
		{"short keeps its spacing", "  the  card\tnever came ", []string{"  the  card\tnever came "}},
		{"exactly one window", words(80), []string{words(80)}},
		{"one word over", words(81), []string{span(0, 80), span(60, 81)}},
		{"two windows end together", words(140), []string{span(0, 80), span(60, 140)}},
		{"three windows", words(141), []string{span(0, 80), span(60, 140), span(120, 141)}},
		{"long", words(250), []string{span(0, 80), span(60, 140), span(120, 200), span(180, 250)}},
		{"respaced when split", "a\n\n" + words(80), []string{"a " + span(0, 79), span(59, 80)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Windows(c.text); !slices.Equal(got, c.want) {
				t.Errorf("Windows:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	texts := []string{"short one", words(141), "", words(81)}
	wins, off := Split(texts, true)
	if want := []int32{0, 1, 4, 5, 7}; !slices.Equal(off, want) {
		t.Errorf("offsets %v, want %v", off, want)
	}
	if len(wins) != 7 || wins[0] != "short one" || wins[3] != span(120, 141) || wins[6] != span(60, 81) {
		t.Errorf("windows %q", wins)
	}
	wins, off = Split(texts, false)
	if !slices.Equal(wins, texts) || !slices.Equal(off, []int32{0, 1, 2, 3, 4}) {
		t.Errorf("unwindowed: %q %v", wins, off)
	}
}

func TestCombine(t *testing.T) {
	r := float32(1 / math.Sqrt2)
	for _, c := range []struct {
		name string
		in   [][]float32
		want []float32
	}{
		{"none", nil, nil},
		{"one window is itself", [][]float32{{0.6, 0.8}}, []float32{0.6, 0.8}},
		{"orthogonal", [][]float32{{1, 0}, {0, 1}}, []float32{r, r}},
		{"opposite: the mean vanishes, the max remains", [][]float32{{1, 0}, {-1, 0}}, []float32{1, 0}},
		{"same twice", [][]float32{{0.6, 0.8}, {0.6, 0.8}}, []float32{0.6, 0.8}},
		// mean (0.5, 0.5, 0) -> (r, r, 0); max (1, 1, 0) -> (r, r, 0).
		{"three dims", [][]float32{{1, 0, 0}, {0, 1, 0}}, []float32{r, r, 0}},
		// mean (0, 1, 1)/4 -> (0, r, r); max (1, 1, 1) -> unit: the sum leans to y and z.
		{"negatives", [][]float32{{-1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 0, 1}}, combineRef([][]float64{{-1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 0, 1}})},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Combine(c.in)
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for j := range got {
				if math.Abs(float64(got[j]-c.want[j])) > 1e-6 {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

// combineRef computes normalize(normalize(mean) + normalize(max)) plainly.
func combineRef(ws [][]float64) []float32 {
	n := len(ws[0])
	mean, mx := make([]float64, n), make([]float64, n)
	for j := range mx {
		mx[j] = math.Inf(-1)
	}
	for _, v := range ws {
		for j, x := range v {
			mean[j] += x / float64(len(ws))
			mx[j] = max(mx[j], x)
		}
	}
	unit := func(v []float64) []float64 {
		var s float64
		for _, x := range v {
			s += x * x
		}
		o := make([]float64, len(v))
		for j, x := range v {
			o[j] = x / math.Sqrt(s)
		}
		return o
	}
	m, x := unit(mean), unit(mx)
	sum := make([]float64, n)
	for j := range sum {
		sum[j] = m[j] + x[j]
	}
	out := make([]float32, n)
	for j, v := range unit(sum) {
		out[j] = float32(v)
	}
	return out
}

func TestCombineScores(t *testing.T) {
	for _, c := range []struct {
		scores []float64
		want   float64
	}{
		{nil, 0},
		{[]float64{0.3}, 0.3},
		{[]float64{0.2, 0.6}, 0.5*0.6 + 0.5*0.4},
		{[]float64{-1, 0, 1}, 0.5},
		{[]float64{0.1, 0.1, 0.1, 0.9}, 0.5*0.9 + 0.5*0.3},
	} {
		ws := make([][]float32, len(c.scores))
		for i, s := range c.scores {
			ws[i] = []float32{float32(s)}
		}
		got := CombineScores(ws, func(v []float32) float64 { return float64(v[0]) })
		if math.Abs(got-c.want) > 1e-6 {
			t.Errorf("CombineScores(%v) = %v, want %v", c.scores, got, c.want)
		}
	}
}

func bucket(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32() >> (32 - LexicalBits)
}

// TestLexicalByHand checks vectors worked out by hand: buckets are the top
// 18 bits of FNV-1a of the word or "word word"; weights (1+ln tf)·idf with
// idf = ln((1+N)/(1+df)) + 1, then L2-normalised.
func TestLexicalByHand(t *testing.T) {
	type entry struct {
		feat string
		w    float64 // before normalisation
	}
	l2 := math.Log(2)
	idf := func(n, df float64) float64 { return math.Log((1+n)/(1+df)) + 1 }
	for _, c := range []struct {
		name  string
		texts []string
		want  [][]entry
	}{
		{"one word", []string{"Card"}, [][]entry{{{"card", 1}}}},
		{"no words", []string{" ,;- "}, [][]entry{nil}},
		{"repeat", []string{"x x"}, [][]entry{{{"x", 1 + l2}, {"x x", 1}}}},
		{"punctuation and apostrophes", []string{"Don't, STOP!"}, [][]entry{{{"don't", 1}, {"stop", 1}, {"don't stop", 1}}}},
		{"idf", []string{"lost card", "card"}, [][]entry{
			{{"lost", idf(2, 1)}, {"card", idf(2, 2)}, {"lost card", idf(2, 1)}},
			{{"card", 1}},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Lexical(c.texts)
			for i, want := range c.want {
				m := map[uint32]float64{}
				var s float64
				for _, e := range want {
					m[bucket(e.feat)] += e.w
					s += e.w * e.w
				}
				var gotIdx []uint32
				for k, j := range got[i].Idx {
					gotIdx = append(gotIdx, j)
					if w := m[j] / math.Sqrt(s); math.Abs(float64(got[i].Val[k])-w) > 1e-6 {
						t.Errorf("text %d bucket %d: %v, want %v", i, j, got[i].Val[k], w)
					}
				}
				var wantIdx []uint32
				for j := range m {
					wantIdx = append(wantIdx, j)
				}
				slices.Sort(wantIdx)
				if !slices.Equal(gotIdx, wantIdx) {
					t.Errorf("text %d buckets %v, want %v", i, gotIdx, wantIdx)
				}
			}
		})
	}
}

// TestLexicalGolden compares the vectors of a small corpus with
// testdata/lexical.golden.json (go test ./textfeat -update rewrites it).
func TestLexicalGolden(t *testing.T) {
	texts := []string{
		"My card has not arrived yet.",
		"I lost my card! Can you block it?",
		"How long does card delivery take? It's been two weeks.",
		"The queue at the check-in counter was an hour long.",
		"",
		"naïve café — ÜBER straße 42",
	}
	got := Lexical(texts)
	b, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "lexical.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./textfeat -update)", err)
	}
	var wv []sampling.SparseVec
	if err := json.Unmarshal(want, &wv); err != nil {
		t.Fatal(err)
	}
	if len(wv) != len(got) {
		t.Fatalf("%d vectors, golden has %d", len(got), len(wv))
	}
	for i := range got {
		if !slices.Equal(got[i].Idx, wv[i].Idx) || !slices.Equal(got[i].Val, wv[i].Val) {
			t.Errorf("text %d (%q):\n got %v\nwant %v", i, texts[i], got[i], wv[i])
		}
	}
}

// TestWindowedHash embeds a long text whose topic shows only at its end
// with the hash embedder: the windowed prior must beat the first window's
// cosine (what an encoder that reads only a text's beginning sees), and the
// row vector must be the combination of the windows and of unit length.
func TestWindowedHash(t *testing.T) {
	ctx := context.Background()
	filler := strings.Repeat("we talked about the weather and the garden and the neighbours ", 20)
	texts := []string{
		filler + "then my credit card was stolen and I need to block the stolen card",
		"my credit card was stolen",
		"the weather is nice",
	}
	h := embed.NewHash(512)
	d, err := Embed(ctx, h, texts, 2)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 3 || len(d.Windows(0)) < 3 || len(d.Windows(1)) != 1 {
		t.Fatalf("windows per text: %d, %d", len(d.Windows(0)), len(d.Windows(1)))
	}
	pv, err := h.Embed(ctx, []string{"the card was stolen"})
	if err != nil {
		t.Fatal(err)
	}
	cos := func(v []float32) float64 { return float64(embed.Cosine(v, pv[0])) }
	prior := d.Prior(cos)
	first := cos(d.Windows(0)[0])
	if prior[0] <= first+0.05 {
		t.Errorf("windowed prior %.3f not above the first window's cosine %.3f", prior[0], first)
	}
	if prior[1] != cos(d.Windows(1)[0]) {
		t.Errorf("a one-window prior %.3f is not its cosine %.3f", prior[1], cos(d.Windows(1)[0]))
	}
	if prior[1] <= prior[2] {
		t.Errorf("prior of the matching short text %.3f not above the other's %.3f", prior[1], prior[2])
	}
	rows := d.Rows()
	ws := d.Windows(0)
	ref := make([][]float64, len(ws))
	for i, v := range ws {
		for _, x := range v {
			ref[i] = append(ref[i], float64(x))
		}
	}
	want := combineRef(ref)
	var n float64
	for j, x := range rows[0] {
		n += float64(x) * float64(x)
		if math.Abs(float64(x-want[j])) > 1e-5 {
			t.Fatalf("row vector differs from the reference at %d: %v vs %v", j, x, want[j])
		}
	}
	if math.Abs(n-1) > 1e-5 {
		t.Errorf("row vector norm² %v", n)
	}
	if &rows[1][0] != &d.Windows(1)[0][0] {
		t.Errorf("a one-window row vector is not its window's embedding")
	}
}
