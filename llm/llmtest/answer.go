package llmtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// entry is one answer object of a reply, with the probabilities of true of
// its boolean literals in order (for log-probabilities).
type entry struct {
	id    string
	raw   json.RawMessage
	probs []float64
	// dup is the entry's conflicting duplicate; invalid an ill-typed variant.
	dup, invalid json.RawMessage
	dupProbs     []float64
}

func toVerdict(a any) (Verdict, error) {
	switch v := a.(type) {
	case bool:
		p := 0.0
		if v {
			p = 1
		}
		return Verdict{Value: v, Prob: p}, nil
	case Verdict:
		return v, nil
	case *Verdict:
		return *v, nil
	}
	return Verdict{}, fmt.Errorf("llmtest: answer %T is not a bool or Verdict", a)
}

func tokenProb(v Verdict) float64 {
	if v.TokenProb != nil {
		return *v.TokenProb
	}
	return v.Prob
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only values built here, always encodable
	}
	return b
}

// answer builds the reply content for c, applying f's content faults.
func (s *Server) answer(c *Chat, f Fault) (string, []float64, error) {
	ask := func(q Query) (any, error) {
		a := s.opts.Answer(q)
		if err, ok := a.(error); ok {
			return nil, err
		}
		return a, nil
	}
	var content string
	var probs []float64
	switch c.Op {
	case "judge", "extract", "score":
		var entries []entry
		for _, row := range c.Rows {
			e := entry{id: row.ID}
			switch c.Op {
			case "judge":
				type verdict struct {
					P           int     `json:"p"`
					Value       any     `json:"value"`
					Probability float64 `json:"probability"`
				}
				var vs, dup, bad []verdict
				for i, ins := range c.Instructions {
					a, err := ask(Query{Op: c.Op, Instruction: ins, Index: i, Row: row})
					if err != nil {
						return "", nil, err
					}
					v, err := toVerdict(a)
					if err != nil {
						return "", nil, err
					}
					vs = append(vs, verdict{i, v.Value, v.Prob})
					dup = append(dup, verdict{i, !v.Value, 1 - v.Prob})
					bad = append(bad, verdict{i, "maybe", v.Prob})
					e.probs = append(e.probs, tokenProb(v))
					e.dupProbs = append(e.dupProbs, 1-tokenProb(v))
				}
				e.raw = mustJSON(map[string]any{"id": row.ID, "verdicts": vs})
				e.dup = mustJSON(map[string]any{"id": row.ID, "verdicts": dup})
				e.invalid = mustJSON(map[string]any{"id": row.ID, "verdicts": bad})
			case "extract":
				vals := map[string]any{}
				bad := map[string]any{}
				for i, ins := range c.Instructions {
					a, err := ask(Query{Op: c.Op, Instruction: ins, Index: i, Row: row})
					if err != nil {
						return "", nil, err
					}
					vals[fmt.Sprintf("a%d", i)] = a
					bad[fmt.Sprintf("a%d", i)] = map[string]any{"not": "a value"}
				}
				raw, err := json.Marshal(map[string]any{"id": row.ID, "values": vals})
				if err != nil {
					return "", nil, fmt.Errorf("llmtest: extract answer cannot be encoded: %w", err)
				}
				e.raw, e.dup = raw, raw
				e.invalid = mustJSON(map[string]any{"id": row.ID, "values": bad})
			case "score":
				ins := ""
				if len(c.Instructions) > 0 {
					ins = c.Instructions[0]
				}
				a, err := ask(Query{Op: c.Op, Instruction: ins, Row: row})
				if err != nil {
					return "", nil, err
				}
				sc, ok := a.(float64)
				if !ok {
					return "", nil, fmt.Errorf("llmtest: score answer %T is not a float64", a)
				}
				e.raw = mustJSON(map[string]any{"id": row.ID, "score": sc})
				e.dup = mustJSON(map[string]any{"id": row.ID, "score": 1 - sc})
				e.invalid = mustJSON(map[string]any{"id": row.ID, "score": "high"})
			}
			entries = append(entries, e)
		}
		var raws []string
		for _, e := range entries {
			switch {
			case slices.Contains(f.DropIDs, e.id):
				continue
			case slices.Contains(f.InvalidIDs, e.id):
				raws = append(raws, string(e.invalid))
			default:
				raws = append(raws, string(e.raw))
				probs = append(probs, e.probs...)
			}
			if slices.Contains(f.DuplicateIDs, e.id) {
				raws = append(raws, string(e.dup))
				probs = append(probs, e.dupProbs...)
			}
		}
		for _, id := range f.ExtraIDs {
			if len(entries) == 0 {
				break
			}
			var m map[string]any
			_ = json.Unmarshal(entries[0].raw, &m)
			m["id"] = id
			raws = append(raws, string(mustJSON(m)))
			probs = append(probs, entries[0].probs...)
		}
		content = `{"answers":[` + strings.Join(raws, ",") + `]}`
	case "taxonomy":
		ins := ""
		if len(c.Instructions) > 0 {
			ins = c.Instructions[0]
		}
		a, err := ask(Query{Op: c.Op, Instruction: ins, Rows: c.Rows, Max: c.Max})
		if err != nil {
			return "", nil, err
		}
		cats, ok := a.([]string)
		if !ok {
			return "", nil, fmt.Errorf("llmtest: taxonomy answer %T is not a []string", a)
		}
		content = string(mustJSON(map[string]any{"categories": cats}))
	case "anchors":
		ins := ""
		if len(c.Instructions) > 0 {
			ins = c.Instructions[0]
		}
		a, err := ask(Query{Op: c.Op, Instruction: ins})
		if err != nil {
			return "", nil, err
		}
		pair, ok := a.([2]string)
		if !ok {
			return "", nil, fmt.Errorf("llmtest: anchors answer %T is not a [2]string", a)
		}
		content = string(mustJSON(map[string]any{"positive": pair[0], "negative": pair[1]}))
	case "compare":
		ins := ""
		if len(c.Instructions) > 0 {
			ins = c.Instructions[0]
		}
		a, err := ask(Query{Op: c.Op, Instruction: ins, Rows: c.Rows})
		if err != nil {
			return "", nil, err
		}
		v, err := toVerdict(a)
		if err != nil {
			return "", nil, err
		}
		content = string(mustJSON(struct {
			First       bool    `json:"first"`
			Probability float64 `json:"probability"`
		}{v.Value, v.Prob}))
		probs = []float64{tokenProb(v)}
	default:
		return "", nil, fmt.Errorf("llmtest: unknown operation %q", c.Op)
	}
	if f.Malformed {
		content = content[:len(content)/2] + ` <<this is not JSON`
	}
	return content, probs, nil
}
