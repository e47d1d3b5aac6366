package executor

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/textfeat"
)

// textBatch is a batch of one text column (ColID 1) and the phrase over it.
func textBatch(t *testing.T, x *Exec, texts []string, phrase string) (*batchEnv, []*planner.NLExpr) {
	t.Helper()
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(texts, nil)
	a := b.NewArray()
	schema := arrow.NewSchema([]arrow.Field{{Name: "body", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	rec := array.NewRecordBatch(schema, []arrow.Array{a}, int64(len(texts)))
	a.Release()
	t.Cleanup(rec.Release)
	cols := []planner.Col{{ID: 1, Name: "body", Type: planner.TText}}
	be := &batchEnv{x: x, rec: rec, lay: map[planner.ColID]int{1: 0}, cols: cols}
	nl := &planner.NLExpr{Text: phrase, Context: []planner.ColRef{{ID: 1, Name: "body", T: planner.TText}}, T: planner.TBool}
	return be, []*planner.NLExpr{nl}
}

// TestRowFeaturesWindows: with the built-in USE-lite encoder (it reads a
// text's first 128 tokens only), a long text whose property shows only
// after its first 128 tokens gets a higher prior from rowFeatures than
// from one embedding of the whole text (the engine's features before
// windowing), and a higher one than the same long text without the
// property; a short text's prior is its plain cosine.
func TestRowFeaturesWindows(t *testing.T) {
	e, err := embed.Open("use", nil)
	if err != nil {
		t.Fatalf("USE-lite (built in): %v", err)
	}
	ctx := context.Background()
	filler := strings.Repeat("We spent the first week of the holiday walking along the coast, visiting small villages, eating fresh fish and reading in the shade of the olive trees. ", 6)
	texts := []string{
		filler + "On the last evening I noticed that my wallet was gone: my bank card had been stolen, so please block my stolen card right away.",
		filler + "On the last evening we had dinner with the whole family by the harbour and watched the boats come in.",
		"My bank card was stolen, please block it.",
		"We watched the boats come in at the harbour.",
	}
	const phrase = "the customer reports that their card was stolen"
	for _, s := range texts[:2] {
		if n := len(e.(interface{ Tokenize(string) []int }).Tokenize(s)); n <= 200 {
			t.Fatalf("a long text has %d tokens, want well over 128", n)
		}
	}
	x := &Exec{Ctx: ctx, Embedder: e}
	be, atoms := textBatch(t, x, texts, phrase)
	rows := []int{0, 1, 2, 3}
	emb, lex, prior, err := x.rowFeatures(be, atoms, rows, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(emb) != len(rows) || len(lex) != len(rows) || len(prior) != len(rows) {
		t.Fatalf("lengths %d %d %d, want %d", len(emb), len(lex), len(prior), len(rows))
	}

	// The features before windowing: one embedding per text, one cosine.
	plain, err := e.Embed(ctx, append(slices.Clone(texts), phrase))
	if err != nil {
		t.Fatal(err)
	}
	old := make([]float64, len(texts))
	for i := range texts {
		old[i] = float64(embed.Cosine(plain[i], plain[len(texts)]))
	}
	t.Logf("prior before windowing %.3f, after %.3f", old, prior)
	if old[0] != old[1] {
		t.Fatalf("premise: the two long texts share their first 128 tokens, but their plain cosines differ (%.4f, %.4f)", old[0], old[1])
	}
	if prior[0] < old[0]+0.05 {
		t.Errorf("long text with the property late: prior %.3f, not above %.3f (one embedding) by 0.05", prior[0], old[0])
	}
	if prior[0] < prior[1]+0.05 {
		t.Errorf("long text with the property late: prior %.3f, not above the same text without it (%.3f) by 0.05", prior[0], prior[1])
	}
	for _, i := range []int{2, 3} {
		if math.Abs(prior[i]-old[i]) > 1e-5 {
			t.Errorf("short text %d: prior %.6f, want its plain cosine %.6f", i, prior[i], old[i])
		}
		if c := embed.Cosine(emb[i], plain[i]); c < 1-1e-5 {
			t.Errorf("short text %d: row vector differs from its plain embedding (cosine %.6f)", i, c)
		}
	}
	for i, v := range emb {
		var s float64
		for _, f := range v {
			s += float64(f) * float64(f)
		}
		if math.Abs(s-1) > 1e-4 {
			t.Errorf("row %d: |emb|² = %v", i, s)
		}
	}
	want := textfeat.Lexical(texts)
	for i := range lex {
		if !slices.Equal(lex[i].Idx, want[i].Idx) || !slices.Equal(lex[i].Val, want[i].Val) {
			t.Errorf("row %d: lexical vector is not textfeat.Lexical's", i)
		}
	}
}

// TestRowFeaturesCases covers the shapes: no rows, no embedder (lexical
// features only), several phrases (no prior), a subset of rows.
func TestRowFeaturesCases(t *testing.T) {
	ctx := context.Background()
	texts := []string{"the card was stolen", "the weather is nice", "refund my card fee"}
	h := embed.NewHash(64)
	for _, c := range []struct {
		name                        string
		embedder                    Embedder
		atoms                       int
		rows                        []int
		wantEmb, wantLex, wantPrior bool
	}{
		{"no rows", h, 1, nil, false, false, false},
		{"no embedder", nil, 1, []int{0, 1, 2}, false, true, false},
		{"one phrase", h, 1, []int{0, 2}, true, true, true},
		{"two phrases", h, 2, []int{1, 2}, true, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := &Exec{Ctx: ctx, Embedder: c.embedder}
			be, atoms := textBatch(t, x, texts, "a stolen card")
			if c.atoms == 2 {
				atoms = append(atoms, &planner.NLExpr{Text: "a refund", Context: atoms[0].Context, T: planner.TBool})
			}
			emb, lex, prior, err := x.rowFeatures(be, atoms, c.rows, true)
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, n int, want bool) {
				if want && n != len(c.rows) || !want && n != 0 {
					t.Errorf("%s: %d entries, want %v for %d rows", what, n, want, len(c.rows))
				}
			}
			check("emb", len(emb), c.wantEmb)
			check("lex", len(lex), c.wantLex)
			check("prior", len(prior), c.wantPrior)
			if c.wantLex {
				sub := make([]string, len(c.rows))
				for k, r := range c.rows {
					sub[k] = texts[r]
				}
				want := textfeat.Lexical(sub)
				for k := range lex {
					if !slices.Equal(lex[k].Idx, want[k].Idx) {
						t.Errorf("row %d: lexical vector not of its own text", c.rows[k])
					}
				}
			}
			if c.wantPrior && !(prior[0] > prior[1]) {
				t.Errorf("prior of %q (%.3f) not above %q's (%.3f)", texts[c.rows[0]], prior[0], texts[c.rows[1]], prior[1])
			}
		})
	}
}
