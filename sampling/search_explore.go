package sampling

import "math"

// Exploration of the "auto" search strategy (see SearchOptions).
const (
	autoExploreBeta  = 2.0 // exploration draws: weight exp(β·prior z)
	autoExploreMix   = 0.1 // share of the uniform distribution in q
	autoStuck        = 16  // consecutive false verdicts before exploring
	autoExploreEvery = 4   // then one exploration draw every 4 verdicts
)

// explorer draws exploration rows: when the last autoStuck verdicts were
// all false (the region the ranking favours looks exhausted), every
// autoExploreEvery-th verdict of the streak is a row drawn at random from
// the unjudged rows with probability q = (1-mix)·w/Σw + mix/#unjudged,
// w = exp(β·prior z) (1 without a prior), instead of the row of highest
// score. A true row found so seeds the exemplar term in a new region.
type explorer struct {
	w      []float64 // unnormalised draw weight per row
	streak int       // consecutive false verdicts
}

func newExplorer(p *Population) *explorer {
	x := &explorer{w: make([]float64, p.N)}
	z := p.priorZ()
	for i := range x.w {
		x.w[i] = 1
		if z != nil {
			x.w[i] = math.Exp(autoExploreBeta * math.Max(-4, math.Min(4, z[i])))
		}
	}
	return x
}

// explore reports whether the next verdict should be an exploration draw.
func (x *explorer) explore() bool {
	return x.streak >= autoStuck && (x.streak-autoStuck)%autoExploreEvery == 0
}

// record counts a verdict.
func (x *explorer) record(y bool) {
	if y {
		x.streak = 0
	} else {
		x.streak++
	}
}

// draw picks an unjudged row with probability q (-1 when every row is
// judged).
func (x *explorer) draw(s *sampler, done []bool) int {
	var sw float64
	n := 0
	for i, d := range done {
		if !d {
			sw += x.w[i]
			n++
		}
	}
	if n == 0 {
		return -1
	}
	q := func(i int) float64 {
		return (1-autoExploreMix)*x.w[i]/sw + autoExploreMix/float64(n)
	}
	u := s.rng.Float64()
	last := -1
	for i, d := range done {
		if d {
			continue
		}
		last = i
		if u -= q(i); u < 0 {
			return i
		}
	}
	return last
}
