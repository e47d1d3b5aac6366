package local

// Judging a predicate from embeddings.
//
// Anchors. A phrase is turned into two sets of anchor texts, one describing
// rows where it holds and one describing rows where it does not, and a
// row's contrast score is its mean cosine to the first set minus its mean
// cosine to the second. Negation barely moves a sentence embedding ("X" and
// "it is not true that X" are near neighbours), so the negative set is never
// built by negating:
//
//   - if the phrase contains a word of the polarity lexicon (positive,
//     spam, angry, ...), the negative anchors are the phrase with that word
//     replaced by its opposite, and both sides are extended with a short
//     description of what each pole sounds like ("... : great, excellent,
//     loved it" vs "... : bad, terrible, hated it"); a "not" or "no" just
//     before the word swaps the sides;
//   - otherwise the phrase names a topic, and the negative anchors keep the
//     phrase's subject (its words up to the first content word, "the
//     customer") with generic alternatives ("... asks about something
//     else", "... talks about a different, unrelated topic"), so that the
//     words the two sides share cancel and what is left is the topic.
//
// The contrast score is mapped to a probability with a logistic function
// (centre and scale per anchor kind, see calib below).
//
// Mixture. The cosines (or contrast scores) of the rows of one call are
// fitted with a two-component one-dimensional Gaussian mixture by EM; a
// row's probability is its posterior under the upper component. This
// adapts the threshold to the table, but depends on the other rows in the
// call and fails when a call holds no positive rows; with fewer than
// minMixture rows, or components that are not separated, it falls back to
// the anchors' probability.

import (
	"context"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/uqe-dev/uqe/llm"
)

// pole is one side of a polarity pair: the word and what it sounds like.
type pole struct {
	word, desc string
}

// lexicon maps a word to its pole and the opposite pole.
var lexicon = map[string][2]pole{}

func init() {
	pairs := [][2]pole{
		{{"positive", "great, excellent, wonderful, loved it, highly recommend"}, {"negative", "bad, terrible, awful, hated it, disappointing, waste"}},
		{{"good", "great, excellent, wonderful, loved it"}, {"bad", "terrible, awful, hated it, poor"}},
		{{"favorable", "great, excellent, loved it"}, {"unfavorable", "bad, terrible, hated it"}},
		{{"happy", "pleased, glad, delighted, thank you, wonderful"}, {"unhappy", "upset, frustrated, annoyed, disappointed, angry"}},
		{{"satisfied", "pleased, glad, thank you, great service"}, {"dissatisfied", "upset, frustrated, disappointed, terrible service"}},
		{{"angry", "furious, outraged, fed up, unacceptable, worst"}, {"calm", "fine, relaxed, no problem, thanks"}},
		{{"spam", "an advertisement or scam: free prize, win cash, call now, txt to claim, offer, urgent reply"}, {"personal", "a normal personal message between friends or family: ok, see you later, love, thanks"}},
		{{"complaint", "terrible service, unacceptable, I am unhappy, worst experience"}, {"praise", "great service, thank you, well done, excellent"}},
		{{"urgent", "urgent, immediately, as soon as possible, emergency"}, {"routine", "no rush, whenever convenient, just wondering"}},
		{{"polite", "please, thank you, kindly, appreciate"}, {"rude", "stupid, idiots, shut up, useless"}},
		{{"subjective", "an opinion: I think, I feel, in my view, beautiful, boring"}, {"objective", "a fact: it happened, reported, located, consists of"}},
		{{"funny", "hilarious, made me laugh, witty, comedy"}, {"serious", "grave, solemn, somber, dramatic"}},
		{{"sarcastic", "oh great, just what I needed, yeah right, thanks a lot"}, {"sincere", "honestly, genuinely, truly, I mean it"}},
	}
	for _, p := range pairs {
		lexicon[p[0].word] = [2]pole{p[0], p[1]}
		lexicon[p[1].word] = [2]pole{p[1], p[0]}
	}
	// synonyms of a pole's word use that pole
	for syn, w := range map[string]string{
		"ham": "personal", "legitimate": "personal", "legit": "personal",
		"complains": "complaint", "complaining": "complaint", "complain": "complaint",
		"praises": "praise", "praising": "praise",
		"upset": "unhappy", "frustrated": "unhappy", "disappointed": "unhappy",
		"pleased": "happy", "glad": "happy", "furious": "angry",
	} {
		p := lexicon[w]
		lexicon[syn] = [2]pole{{syn, p[0].desc}, p[1]}
	}
}

var negators = map[string]bool{"not": true, "no": true, "never": true, "isn't": true, "aren't": true, "wasn't": true, "doesn't": true, "don't": true, "didn't": true, "non": true}

// stop words: skipped when looking for the phrase's subject and in
// taxonomy names.
var stop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the this that these those it its it's is are was were be been being am
		i me my we our you your he him his she her they them their there here
		and or but if then so of to in on at by for with from about as into over under up down out off
		do does did done doing have has had having can could will would should shall may might must
		not no nor never very too just only also than such what which who whom whose when where why how
		all any both each few more most other some own same again once all s t don ll re ve d m
		u ur im ok get got go going one two`) {
		stop[w] = true
	}
}

// words splits s into lower-case words (letters, digits and apostrophes).
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r != '\'' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// anchorSet is what a phrase is compared with.
type anchorSet struct {
	pos, neg []string
	polar    bool // built from the polarity lexicon
}

// anchors derives the contrasting anchor texts of a phrase.
func anchors(phrase string) anchorSet {
	p := strings.TrimSpace(phrase)
	ws := words(p)
	for i, w := range ws {
		poles, ok := lexicon[w]
		if !ok {
			continue
		}
		negated := (i > 0 && negators[ws[i-1]]) || (i > 1 && negators[ws[i-2]])
		// the phrase without its negation, with the word and with its
		// opposite
		var base []string
		for j, x := range ws {
			if negated && (j == i-1 || j == i-2) && negators[x] {
				continue
			}
			base = append(base, x)
		}
		k := slices.Index(base, w)
		with := strings.Join(base, " ")
		base[k] = poles[1].word
		opposite := strings.Join(base, " ")
		pos := []string{with, with + ": " + poles[0].desc}
		neg := []string{opposite, opposite + ": " + poles[1].desc}
		if negated {
			pos, neg = neg, pos
		}
		return anchorSet{pos: pos, neg: neg, polar: true}
	}
	// a topic: keep the subject, replace the rest with generic
	// alternatives
	subj := subject(ws)
	return anchorSet{
		pos: []string{p},
		neg: []string{
			subj + " asks about something else",
			subj + " talks about a different, unrelated topic",
			subj + " is about another matter",
		},
	}
}

// subject is the leading words of a phrase up to and including its first
// content word ("the customer", "the message"), or "it".
func subject(ws []string) string {
	for i, w := range ws {
		if !stop[w] {
			if i == len(ws)-1 {
				break // the only content word is the topic itself
			}
			return strings.Join(ws[:i+1], " ")
		}
	}
	return "it"
}

// calib maps a contrast score to a probability: sigmoid((s - centre) /
// scale).
type calib struct{ centre, scale float64 }

// calibPolar: a polar phrase's two sides are symmetric, so a row is
// judged by which side it is nearer.
var calibPolar = calib{0, 0.02}

// calibTopic is used for a topic phrase in a call of fewer than
// minMixture rows.
var calibTopic = calib{0.1, 0.03}

// TopicK is how many robust standard deviations above the call's median
// contrast a row must be to match a topic phrase.
const TopicK = 1.5

// topicCalib is the calibration of a topic phrase: most rows of a table
// are not about a given topic, and the rows that are form the upper tail
// of the contrast scores, so the centre is the call's median plus TopicK
// robust standard deviations (1.4826 × the median absolute deviation),
// and never below 0 (nearer the generic alternatives than the topic is
// never a match).
func topicCalib(contrast []float64, vs [][]float32) calib {
	var xs []float64
	for i, x := range contrast {
		if !isZero(vs[i]) {
			xs = append(xs, x)
		}
	}
	if len(xs) < minMixture {
		return calibTopic
	}
	med := median(xs)
	dev := make([]float64, len(xs))
	for i, x := range xs {
		dev[i] = math.Abs(x - med)
	}
	sd := 1.4826 * median(dev)
	if sd < 1e-6 {
		return calibTopic
	}
	return calib{centre: max(0, med+TopicK*sd), scale: sd / 2}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func (c calib) prob(s float64) float64 { return sigmoid((s - c.centre) / c.scale) }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// minMixture is the fewest rows a mixture is fitted over.
const minMixture = 16

// judgeOne returns the verdicts of one predicate on rows with vectors vs.
func (b *Backend) judgeOne(ctx context.Context, phrase string, vs [][]float32) ([]llm.Verdict, error) {
	a := anchors(phrase)
	texts := append(append([]string{phrase}, a.pos...), a.neg...)
	av, err := b.embedTexts(ctx, texts)
	if err != nil {
		return nil, err
	}
	pv, posv, negv := av[0], av[1:1+len(a.pos)], av[1+len(a.pos):]
	contrast := make([]float64, len(vs))
	raw := make([]float64, len(vs))
	for i, v := range vs {
		var sp, sn float64
		for _, x := range posv {
			sp += dot(v, x)
		}
		for _, x := range negv {
			sn += dot(v, x)
		}
		contrast[i] = sp/float64(len(posv)) - sn/float64(len(negv))
		raw[i] = dot(v, pv)
	}
	cal := calibPolar
	if !a.polar {
		cal = topicCalib(contrast, vs)
	}
	probs := make([]float64, len(vs))
	for i := range vs {
		probs[i] = cal.prob(contrast[i])
	}
	switch b.method {
	case MethodMixture:
		if post, ok := mixture(raw, vs); ok {
			probs = post
		}
	case MethodAnchorsMixture:
		if post, ok := mixture(contrast, vs); ok {
			probs = post
		}
	}
	out := make([]llm.Verdict, len(vs))
	for i, v := range vs {
		p := probs[i]
		if isZero(v) {
			p = 0 // nothing to judge (no text): the predicate is not shown to hold
		}
		out[i] = llm.Verdict{Value: p >= 0.5, Prob: p}
	}
	return out, nil
}

// mixture fits a two-component Gaussian mixture to xs (rows with a zero
// vector excluded) and returns each x's posterior under the upper
// component; ok is false when there are too few rows or the components
// are not separated.
func mixture(xs []float64, vs [][]float32) (post []float64, ok bool) {
	var data []float64
	for i, x := range xs {
		if !isZero(vs[i]) {
			data = append(data, x)
		}
	}
	n := len(data)
	if n < minMixture {
		return nil, false
	}
	sorted := slices.Clone(data)
	slices.Sort(sorted)
	q := func(f float64) float64 { return sorted[int(f*float64(n-1))] }
	_, variance := meanVar(data)
	if variance < 1e-12 {
		return nil, false
	}
	// start: a large lower component at the median, a small upper one at
	// the 90th percentile
	mu := [2]float64{q(0.5), q(0.9)}
	v := [2]float64{variance, variance}
	w := [2]float64{0.8, 0.2}
	floor := variance * 1e-3
	r := make([]float64, n) // responsibility of the upper component
	for iter := 0; iter < 100; iter++ {
		for i, x := range data {
			l0 := w[0] * gauss(x, mu[0], v[0])
			l1 := w[1] * gauss(x, mu[1], v[1])
			if l0+l1 == 0 {
				if math.Abs(x-mu[1]) < math.Abs(x-mu[0]) {
					r[i] = 1
				} else {
					r[i] = 0
				}
				continue
			}
			r[i] = l1 / (l0 + l1)
		}
		var s1, m0, m1 float64
		for i, x := range data {
			s1 += r[i]
			m1 += r[i] * x
			m0 += (1 - r[i]) * x
		}
		s0 := float64(n) - s1
		if s1 < 1 || s0 < 1 {
			return nil, false // collapsed into one component
		}
		nm := [2]float64{m0 / s0, m1 / s1}
		var v0, v1 float64
		for i, x := range data {
			v0 += (1 - r[i]) * (x - nm[0]) * (x - nm[0])
			v1 += r[i] * (x - nm[1]) * (x - nm[1])
		}
		nv := [2]float64{max(v0/s0, floor), max(v1/s1, floor)}
		done := math.Abs(nm[0]-mu[0])+math.Abs(nm[1]-mu[1]) < 1e-9
		mu, v, w = nm, nv, [2]float64{s0 / float64(n), s1 / float64(n)}
		if done {
			break
		}
	}
	hi := 1
	if mu[0] > mu[1] {
		hi = 0
	}
	lo := 1 - hi
	// separated: the means at least one pooled standard deviation apart
	if mu[hi]-mu[lo] < math.Sqrt(w[0]*v[0]+w[1]*v[1]) {
		return nil, false
	}
	post = make([]float64, len(xs))
	for i, x := range xs {
		if isZero(vs[i]) {
			continue
		}
		lh := w[hi] * gauss(x, mu[hi], v[hi])
		ll := w[lo] * gauss(x, mu[lo], v[lo])
		switch {
		case lh+ll > 0:
			post[i] = lh / (lh + ll)
		case x > mu[hi]:
			post[i] = 1
		}
		// beyond the upper mean a row belongs to the upper component even
		// where the lower one is wider
		if x >= mu[hi] {
			post[i] = max(post[i], 0.5)
		}
	}
	return post, true
}

func gauss(x, mu, v float64) float64 {
	d := x - mu
	return math.Exp(-d*d/(2*v)) / math.Sqrt(2*math.Pi*v)
}

func meanVar(xs []float64) (mean, variance float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(xs))
}

// Judge evaluates every predicate on every row.
func (b *Backend) Judge(ctx context.Context, preds []string, rows []llm.Row) ([][]llm.Verdict, llm.Usage, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, llm.Usage{}, err
	}
	vs, err := b.embedRows(ctx, rows)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	out := make([][]llm.Verdict, len(rows))
	for i := range out {
		out[i] = make([]llm.Verdict, len(preds))
	}
	for j, p := range preds {
		vj, err := b.judgeOne(ctx, p, vs)
		if err != nil {
			return nil, llm.Usage{}, err
		}
		for i := range rows {
			out[i][j] = vj[i]
		}
	}
	return out, usage(preds, rows, int64(len(rows)*len(preds))), nil
}
