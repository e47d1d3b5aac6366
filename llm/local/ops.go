package local

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/value"
)

// Extract answers enumerations (the nearest category) and booleans (Judge
// of the instruction); free text and numbers are NULL, since there is no
// generative model to produce them.
func (b *Backend) Extract(ctx context.Context, attrs []llm.Attr, rows []llm.Row) ([][]value.Value, llm.Usage, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, llm.Usage{}, err
	}
	vs, err := b.embedRows(ctx, rows)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	out := make([][]value.Value, len(rows))
	for i := range out {
		out[i] = make([]value.Value, len(attrs))
	}
	instr := make([]string, len(attrs))
	for j, a := range attrs {
		instr[j] = a.Instruction
		switch a.Type.Kind {
		case llm.KindEnum:
			cats, err := b.nearest(ctx, a.Instruction, a.Type.Enum, vs)
			if err != nil {
				return nil, llm.Usage{}, err
			}
			for i, c := range cats {
				if c >= 0 {
					out[i][j] = value.FromText(a.Type.Enum[c])
				}
			}
		case llm.KindBool:
			vj, err := b.judgeOne(ctx, a.Instruction, vs)
			if err != nil {
				return nil, llm.Usage{}, err
			}
			for i, v := range vj {
				if !isZero(vs[i]) {
					out[i][j] = value.FromBool(v.Value)
				}
			}
		}
	}
	return out, usage(instr, rows, int64(len(rows)*len(attrs))), nil
}

// humanize makes a category label readable ("lost_or_stolen_card" → "lost
// or stolen card").
func humanize(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' || unicode.IsSpace(r) }), " ")
}

// nearest returns, per row vector, the index of the category nearest to it
// (-1 for a row with no text or no categories): the mean cosine to
// "<instruction>: <category>" and to the category alone.
func (b *Backend) nearest(ctx context.Context, instruction string, cats []string, vs [][]float32) ([]int, error) {
	texts := make([]string, 0, 2*len(cats))
	for _, c := range cats {
		h := humanize(c)
		texts = append(texts, instruction+": "+h, h)
	}
	cv, err := b.embedTexts(ctx, texts)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = -1
		if isZero(v) {
			continue
		}
		best := math.Inf(-1)
		for c := range cats {
			s := dot(v, cv[2*c]) + dot(v, cv[2*c+1])
			if s > best {
				best, out[i] = s, c
			}
		}
	}
	return out, nil
}

// Score is the cosine of each row to the instruction, rescaled from
// [-1, 1] to [0, 1].
func (b *Backend) Score(ctx context.Context, instruction string, rows []llm.Row) ([]float64, llm.Usage, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, llm.Usage{}, err
	}
	vs, err := b.embedRows(ctx, rows)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	iv, err := b.embedTexts(ctx, []string{instruction})
	if err != nil {
		return nil, llm.Usage{}, err
	}
	out := make([]float64, len(rows))
	for i, v := range vs {
		out[i] = min(1, max(0, (dot(v, iv[0])+1)/2))
	}
	return out, usage([]string{instruction}, rows, int64(len(rows))), nil
}

// compareScale is the difference of rescaled scores at which Compare is
// sigmoid(1) ≈ 0.73 sure.
const compareScale = 0.01

// Compare is the probability that a ranks before b: a logistic function of
// the difference of their scores.
func (b *Backend) Compare(ctx context.Context, instruction string, a, c llm.Row) (float64, llm.Usage, error) {
	s, _, err := b.Score(ctx, instruction, []llm.Row{a, c})
	if err != nil {
		return 0, llm.Usage{}, err
	}
	return sigmoid((s[0] - s[1]) / compareScale), usage([]string{instruction}, []llm.Row{a, c}, 1), nil
}

// Taxonomy clusters the sample's embeddings with spherical k-means (k =
// min(max, round(sqrt(n/2))), at least 1; seeded from the instruction, so
// it is reproducible) and names each cluster by its most distinctive
// words, largest cluster first. Clusters that get no name, or a name
// already given, are dropped.
func (b *Backend) Taxonomy(ctx context.Context, instruction string, sample []llm.Row, max int) ([]string, llm.Usage, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, llm.Usage{}, err
	}
	vs, err := b.embedRows(ctx, sample)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	var docs []int // rows with text
	for i, v := range vs {
		if !isZero(v) {
			docs = append(docs, i)
		}
	}
	var names []string
	if len(docs) > 0 && max > 0 {
		k := int(math.Round(math.Sqrt(float64(len(docs)) / 2)))
		k = min(max, len(docs), k)
		k = maxInt(k, 1)
		pts := make([][]float32, len(docs))
		for i, d := range docs {
			pts[i] = vs[d]
		}
		h := fnv.New64a()
		h.Write([]byte(instruction))
		assign := kmeans(ctx, pts, k, h.Sum64())
		if err := checkCtx(ctx); err != nil {
			return nil, llm.Usage{}, err
		}
		texts := make([]string, len(docs))
		for i, d := range docs {
			texts[i] = rowText(sample[d])
		}
		names = nameClusters(texts, assign, k)
		if len(names) > max {
			names = names[:max]
		}
	}
	var comp int64
	for _, n := range names {
		comp += llm.EstimateTokens(n) + 1
	}
	return names, usage([]string{instruction}, sample, comp), nil
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// kmeans clusters unit vectors into k groups by cosine (k-means++ start,
// at most 30 Lloyd iterations) and returns each point's cluster.
func kmeans(ctx context.Context, pts [][]float32, k int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	dim := len(pts[0])
	cent := make([][]float32, 0, k)
	cent = append(cent, slices.Clone(pts[rng.IntN(len(pts))]))
	d2 := make([]float64, len(pts))
	for len(cent) < k {
		var sum float64
		for i, p := range pts {
			best := math.Inf(1)
			for _, c := range cent {
				best = math.Min(best, 1-dot(p, c))
			}
			d2[i] = math.Max(best, 0)
			sum += d2[i]
		}
		if sum == 0 {
			break // fewer distinct points than k
		}
		r := rng.Float64() * sum
		pick := len(pts) - 1
		for i, d := range d2 {
			if r -= d; r <= 0 {
				pick = i
				break
			}
		}
		cent = append(cent, slices.Clone(pts[pick]))
	}
	k = len(cent)
	assign := make([]int, len(pts))
	for iter := 0; iter < 30; iter++ {
		if ctx.Err() != nil {
			break
		}
		changed := iter == 0
		for i, p := range pts {
			best, bi := math.Inf(-1), 0
			for c := range cent {
				if s := dot(p, cent[c]); s > best {
					best, bi = s, c
				}
			}
			if assign[i] != bi {
				assign[i], changed = bi, true
			}
		}
		if !changed {
			break
		}
		sums := make([][]float64, k)
		for c := range sums {
			sums[c] = make([]float64, dim)
		}
		for i, p := range pts {
			for j, x := range p {
				sums[assign[i]][j] += float64(x)
			}
		}
		for c := range cent {
			var n float64
			for _, x := range sums[c] {
				n += x * x
			}
			if n == 0 {
				continue // empty cluster keeps its centre
			}
			n = math.Sqrt(n)
			for j := range cent[c] {
				cent[c][j] = float32(sums[c][j] / n)
			}
		}
	}
	return assign
}

// nameWords is how many words name a cluster.
const nameWords = 3

// nameClusters names each cluster by the words most distinctive of it:
// the share of its texts containing the word times the word's inverse
// document frequency over all texts (stop words, numbers and one-letter
// words skipped; a word must occur in two texts of the cluster unless the
// cluster has one text). Names are returned largest cluster first,
// without repeats.
func nameClusters(texts []string, assign []int, k int) []string {
	n := len(texts)
	df := map[string]int{}
	dfc := make([]map[string]int, k)
	size := make([]int, k)
	for c := range dfc {
		dfc[c] = map[string]int{}
	}
	for i, t := range texts {
		seen := map[string]bool{}
		for _, w := range words(t) {
			w = strings.Trim(w, "'")
			if len(w) < 2 || stop[w] || isNumber(w) || seen[w] {
				continue
			}
			seen[w] = true
			df[w]++
			dfc[assign[i]][w]++
		}
		size[assign[i]]++
	}
	order := make([]int, k)
	for c := range order {
		order[c] = c
	}
	sort.SliceStable(order, func(a, b int) bool { return size[order[a]] > size[order[b]] })
	var names []string
	seen := map[string]bool{}
	for _, c := range order {
		if size[c] == 0 {
			continue
		}
		minDF := 2
		if size[c] == 1 {
			minDF = 1
		}
		type ws struct {
			w string
			s float64
		}
		var cand []ws
		for w, m := range dfc[c] {
			if m < minDF {
				continue
			}
			idf := math.Log(float64(1+n) / float64(1+df[w]))
			cand = append(cand, ws{w, float64(m) / float64(size[c]) * idf})
		}
		sort.Slice(cand, func(a, b int) bool {
			if cand[a].s != cand[b].s {
				return cand[a].s > cand[b].s
			}
			return cand[a].w < cand[b].w
		})
		var top []string
		for _, x := range cand {
			if x.s <= 0 || len(top) == nameWords {
				break
			}
			top = append(top, x.w)
		}
		name := strings.Join(top, " / ")
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		names = append(names, name)
	}
	return names
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
