package executor

import (
	"context"

	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/sampling"
	"github.com/uqe-dev/uqe/textfeat"
)

// rowFeatures are the features sampling and search read for rows (indices
// into be's batch) of a semantic operator over atoms, computed from each
// row's text (the columns of atoms[0].Context) with package textfeat, the
// same features bench/evaluate measures:
//
//   - emb: one unit vector per row, nil without an Embedder; a text longer
//     than textfeat.WindowWords words is embedded in overlapping windows
//     (an encoder like USE-lite reads only a text's first 128 tokens) and
//     its windows combined by textfeat.Combine; a shorter text is embedded
//     as it is;
//   - lex: with withLex, hashed TF-IDF vectors of the texts (IDF over
//     these rows), one pass over the texts, computed with or without an
//     Embedder (search's proxy reads them; aggregates do not);
//   - prior: with exactly one atom and an Embedder, each row's zero-shot
//     score, the cosine of its windows with the phrase's embedding
//     combined by textfeat.CombineScores (0.5·max + 0.5·mean; a short
//     text's plain cosine); when the model can write contrast anchors for
//     the phrase (llm.AnchorWriter: one call per phrase, cached, no row
//     sent), the cosine with its positive anchor minus the cosine with its
//     negative one instead; nil otherwise.
//
// The windows and the phrase are embedded in one call. With no rows all
// are nil.
func (x *Exec) rowFeatures(be *batchEnv, atoms []*planner.NLExpr, rows []int, withLex bool) ([][]float32, []sampling.SparseVec, []float64, error) {
	if len(rows) == 0 || len(atoms) == 0 {
		return nil, nil, nil, nil
	}
	texts := make([]string, len(rows))
	for k, r := range rows {
		texts[k] = contextText(be, atoms[0].Context, r)
	}
	var lex []sampling.SparseVec
	if withLex {
		lex = textfeat.Lexical(texts)
	}
	if x.Embedder == nil {
		return nil, lex, nil, nil
	}
	phrase := ""
	if len(atoms) == 1 {
		phrase = atoms[0].Text
	}
	emb, prior, err := x.embedRows(texts, phrase, len(atoms) == 1)
	if err != nil {
		return nil, nil, nil, err
	}
	return emb, lex, prior, nil
}

// embedRows embeds texts in windows and returns their row vectors and, if
// withPrior, their windows' combined cosine with phrase's embedding.
func (x *Exec) embedRows(texts []string, phrase string, withPrior bool) ([][]float32, []float64, error) {
	wins, off := textfeat.Split(texts, true)
	in := wins
	var pos, neg string
	anchored := false
	if withPrior {
		in = append(wins[:len(wins):len(wins)], phrase)
		if aw, ok := x.Model.(anchorModel); ok {
			var err error
			if pos, neg, anchored, err = aw.Anchors(x.Ctx, phrase); err != nil {
				if x.Ctx.Err() != nil {
					return nil, nil, err
				}
				// The anchors only sharpen the prior: a model that cannot
				// write valid ones leaves the phrase's own similarity.
				anchored = false
			}
			if anchored {
				in = append(in, pos, neg)
			}
		}
	}
	vs, err := x.Embedder.Embed(x.Ctx, in)
	if err != nil {
		return nil, nil, err
	}
	d := &textfeat.Windowed{Off: off, Vec: vs[:len(wins)]}
	emb := d.Rows()
	if !withPrior {
		return emb, nil, nil
	}
	// Unit vectors: the cosine is the dot product.
	cos := func(v, w []float32) float64 {
		var s float32
		for j := range v {
			s += v[j] * w[j]
		}
		return float64(s)
	}
	pv := vs[len(wins)]
	score := func(v []float32) float64 { return cos(v, pv) }
	if anchored {
		// the model's contrast anchors: similarity to a typical true row
		// minus similarity to a typical false one
		av, bv := vs[len(wins)+1], vs[len(wins)+2]
		score = func(v []float32) float64 { return cos(v, av) - cos(v, bv) }
	}
	return emb, d.Prior(score), nil
}

// anchorModel is a model layer that may write a phrase's contrast anchors
// (llm.Client.Anchors; ok is false when its backend cannot).
type anchorModel interface {
	Anchors(ctx context.Context, instruction string) (pos, neg string, ok bool, err error)
}
