package llmtest

import (
	"context"
	"strings"
	"testing"

	goopenai "github.com/sashabaranov/go-openai"
)

func TestEmbeddingsThroughGoOpenAI(t *testing.T) {
	s := Start(t, Options{EmbedDim: 8})
	cfg := goopenai.DefaultConfig("k")
	cfg.BaseURL = s.URL
	c := goopenai.NewClientWithConfig(cfg)
	for _, format := range []goopenai.EmbeddingEncodingFormat{goopenai.EmbeddingEncodingFormatFloat, goopenai.EmbeddingEncodingFormatBase64} {
		resp, err := c.CreateEmbeddings(context.Background(), goopenai.EmbeddingRequest{
			Input: []string{"the cat sat", "a dog"}, Model: goopenai.SmallEmbedding3, EncodingFormat: format,
		})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for i, text := range []string{"the cat sat", "a dog"} {
			want := EmbedText(text, 8)
			got := resp.Data[i].Embedding
			if len(got) != len(want) {
				t.Fatalf("%s: dim %d", format, len(got))
			}
			for j := range want {
				if got[j] != want[j] {
					t.Fatalf("%s: row %d: %v, want %v", format, i, got, want)
				}
			}
		}
	}
	if s.Requests()[0].Authorization != "Bearer k" {
		t.Errorf("Authorization not recorded")
	}
}

func TestFaultFuncs(t *testing.T) {
	f := First(Fault{Status: 500}, Fault{Status: 429})
	if f(1).Status != 500 || f(2).Status != 429 || f(3) != nil {
		t.Error("First")
	}
	a := At(map[int]Fault{3: {Status: 503}})
	if a(1) != nil || a(3).Status != 503 {
		t.Error("At")
	}
	r1, r2 := Random(7, 0.5, Fault{Status: 500}), Random(7, 0.5, Fault{Status: 500})
	hits := 0
	for n := 1; n <= 200; n++ {
		if (r1(n) == nil) != (r2(n) == nil) {
			t.Fatal("Random is not reproducible")
		}
		if r1(n) != nil {
			hits++
		}
	}
	if hits < 60 || hits > 140 {
		t.Errorf("Random(0.5) hit %d of 200", hits)
	}
}

func TestTokenLogprobsSpellContent(t *testing.T) {
	content := `{"answers":[{"id":"r0","verdicts":[{"p":0,"value":true,"probability":0.9}]}],"x":"é漢"}`
	toks := tokenLogprobs(content, []float64{0.7}, 5)
	var b strings.Builder
	for _, tk := range toks {
		b.WriteString(tk["token"].(string))
	}
	if b.String() != content {
		t.Fatalf("tokens spell %q", b.String())
	}
}

func TestParseChatErrors(t *testing.T) {
	for _, body := range []string{
		`not json`,
		`{"messages":[{"role":"user","content":"<<ROWS-ab>>\n[not json]\n<<END-ROWS-ab>>"}]}`,
		`{"messages":[{"role":"user","content":"<<ROWS-ab>>\n[]"}]}`,
	} {
		if _, err := ParseChat([]byte(body)); err == nil {
			t.Errorf("no error for %s", body)
		}
	}
}
