package use

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/viterin/vek/vek32"
)

// golden.json is the reference implementation's output (TF.js USE-lite via
// @energetic-ai/embeddings) for three sentences: token ids and 512-d
// vectors.
type golden struct {
	Sentences []string    `json:"sentences"`
	Tokens    [][]int     `json:"tokens"`
	Emb       [][]float64 `json:"emb"`
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Sentences) != 3 || len(g.Tokens) != 3 || len(g.Emb) != 3 {
		t.Fatalf("golden.json: want 3 sentences, tokens and vectors")
	}
	return g
}

func model(t testing.TB) *Model {
	t.Helper()
	m, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGoldenTokens(t *testing.T) {
	g := loadGolden(t)
	m := model(t)
	for i, s := range g.Sentences {
		if got := m.Tokenize(s); !reflect.DeepEqual(got, g.Tokens[i]) {
			t.Errorf("Tokenize(%q) = %v, want %v", s, got, g.Tokens[i])
		}
	}
}

func TestGoldenVectors(t *testing.T) {
	checkGoldenVectors(t)
}

// TestGoldenVectorsPureGo checks the portable kernels (vek's non-SIMD code,
// used on machines without AVX2/FMA) against the reference too.
func TestGoldenVectorsPureGo(t *testing.T) {
	if testing.Short() {
		t.Skip("slow without SIMD")
	}
	vek32.SetAcceleration(false)
	defer vek32.SetAcceleration(true)
	checkGoldenVectors(t)
}

func checkGoldenVectors(t *testing.T) {
	g := loadGolden(t)
	m := model(t)
	// All three in one call (one batch) and each on its own: both must
	// match the reference.
	together, err := m.Embed(context.Background(), g.Sentences)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range g.Sentences {
		alone, err := m.Embed(context.Background(), []string{s})
		if err != nil {
			t.Fatal(err)
		}
		for name, v := range map[string][]float32{"batched": together[i], "alone": alone[0]} {
			if len(v) != len(g.Emb[i]) {
				t.Fatalf("%s %d: dim %d, want %d", name, i, len(v), len(g.Emb[i]))
			}
			var worst float64
			for j := range v {
				worst = max(worst, math.Abs(float64(v[j])-g.Emb[i][j]))
			}
			t.Logf("%s sentence %d: max |diff| %.3g", name, i, worst)
			if worst > 1e-5 {
				t.Errorf("%s sentence %d: max |diff| %.3g > 1e-5", name, i, worst)
			}
		}
	}
	// The README's cosines, to 4 decimals.
	for _, c := range []struct {
		a, b int
		want float64
	}{{0, 1, 0.6400}, {0, 2, 0.4712}, {1, 2, 0.2901}} {
		var dot float64
		for j := range together[c.a] {
			dot += float64(together[c.a][j]) * float64(together[c.b][j])
		}
		if math.Round(dot*1e4)/1e4 != c.want {
			t.Errorf("cosine(%d,%d) = %.6f, want %.4f", c.a, c.b, dot, c.want)
		}
	}
}
