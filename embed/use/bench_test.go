package use

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

var benchSubjects = []string{"The food", "Our waiter", "The hotel room", "This phone", "The delivery", "My account", "The movie", "The new update"}
var benchPredicates = []string{
	"was delicious and the staff were friendly.",
	"arrived two days late and the box was damaged.",
	"is exactly what I needed for the trip.",
	"keeps crashing whenever I open the settings.",
	"had a lovely view of the harbour at night.",
	"was far too expensive for what you get.",
}

// shortSentences returns n short review-like sentences (about 10-14 tokens).
func shortSentences(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %s", benchSubjects[i%len(benchSubjects)], benchPredicates[(i/len(benchSubjects)+i)%len(benchPredicates)])
	}
	return out
}

// paragraphs returns n paragraphs of at least 128 tokens each.
func paragraphs(m *Model, n int) []string {
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for j := i; len(m.Tokenize(b.String())) < 140; j++ {
			b.WriteString(benchSubjects[j%len(benchSubjects)])
			b.WriteByte(' ')
			b.WriteString(benchPredicates[(j*7+i)%len(benchPredicates)])
			b.WriteByte(' ')
		}
		out[i] = b.String()
	}
	return out
}

func benchEmbed(b *testing.B, texts []string) {
	m := model(b)
	ctx := context.Background()
	if _, err := m.Embed(ctx, texts); err != nil { // warm the workspaces
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Embed(ctx, texts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkEmbedShort embeds 256 short sentences per iteration.
func BenchmarkEmbedShort(b *testing.B) {
	benchEmbed(b, shortSentences(256))
}

// BenchmarkEmbedParagraph embeds 32 paragraphs of 128 tokens (after the
// cut) per iteration.
func BenchmarkEmbedParagraph(b *testing.B) {
	benchEmbed(b, paragraphs(model(b), 32))
}
