package use_test

import (
	"context"
	"testing"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/embed/use"
	"github.com/uqe-dev/uqe/errs"
)

var _ embed.Embedder = (*use.Model)(nil)

func TestOpenUse(t *testing.T) {
	for _, spec := range []string{"use", " USE "} {
		e, err := embed.Open(spec, nil)
		if err != nil {
			t.Fatalf("Open(%q): %v", spec, err)
		}
		if e.Name() != "use-lite" || e.Dim() != 512 {
			t.Fatalf("Open(%q): Name, Dim = %q, %d", spec, e.Name(), e.Dim())
		}
		vs, err := e.Embed(context.Background(), []string{"I loved this hotel.", "The room was wonderful.", "My card was declined at the shop."})
		if err != nil {
			t.Fatal(err)
		}
		// Paraphrases are closer than an unrelated sentence.
		if near, far := embed.Cosine(vs[0], vs[1]), embed.Cosine(vs[0], vs[2]); near <= far {
			t.Errorf("cosine(paraphrase) %.3f <= cosine(unrelated) %.3f", near, far)
		}
	}
	if _, err := embed.Open("use:big", nil); errs.CodeOf(err) != errs.Usage {
		t.Errorf("Open(use:big) = %v, want %s", err, errs.Usage)
	}
}
