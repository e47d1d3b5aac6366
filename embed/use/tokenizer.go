package use

import (
	"encoding/json"
	"fmt"

	"golang.org/x/text/unicode/norm"
)

// The tokenizer reproduces the TensorFlow.js Universal Sentence Encoder
// tokenizer (@tensorflow-models/universal-sentence-encoder, as re-packaged by
// @energetic-ai/embeddings), including its quirks, so that token ids match
// the reference exactly:
//
//   - the text is NFKC-normalised; if it is not empty, "▁" (U+2581) is put in
//     front and every ASCII space becomes "▁" (no lowercasing: the vocabulary
//     is cased);
//   - the text is cut into symbols (code points) and every vocabulary piece
//     (except the first reservedSymbols ids: unknown, <s>, </s> and three
//     extra ids) that starts at a symbol is an edge of the lattice; a symbol
//     at which no piece starts gets a one-symbol unknown edge (id 0, score
//     0); a piece whose score is null scores 0;
//   - Viterbi over the lattice in the reference's order: ends ascending,
//     starts ascending, and an edge replaces the best so far when the best is
//     still exactly 0 (the reference's "unset") or the edge scores >= it;
//   - backtracking from the end by the length of the chosen piece;
//   - consecutive unknown tokens merge into one.

const (
	separator       = '\u2581'
	reservedSymbols = 6
	unknownID       = 0
)

type trieNode struct {
	children map[rune]int32 // index into tokenizer.nodes
	id       int32          // piece id ending here, -1 if none
}

type tokenizer struct {
	nodes   []trieNode
	scores  []float64 // by id
	lengths []int     // piece length in symbols, by id
}

func newTokenizer(vocabJSON []byte) (*tokenizer, error) {
	var raw [][2]any
	if err := json.Unmarshal(vocabJSON, &raw); err != nil {
		return nil, fmt.Errorf("use: vocab.json: %v", err)
	}
	t := &tokenizer{
		nodes:   []trieNode{{children: map[rune]int32{}, id: -1}},
		scores:  make([]float64, len(raw)),
		lengths: make([]int, len(raw)),
	}
	for id, p := range raw {
		piece, ok := p[0].(string)
		if !ok {
			return nil, fmt.Errorf("use: vocab.json: entry %d has no piece", id)
		}
		switch s := p[1].(type) {
		case float64:
			t.scores[id] = s
		case nil:
			// null counts as 0 (in JavaScript, null + x == x)
		default:
			return nil, fmt.Errorf("use: vocab.json: entry %d has a bad score", id)
		}
		// The reference steps back by the piece's JavaScript length
		// (UTF-16 code units) while its lattice counts code points;
		// the two agree because no piece has a character outside the
		// BMP (the unknown piece "\ufffd" has length 1).
		t.lengths[id] = utf16Len(piece)
		if id < reservedSymbols {
			continue
		}
		n := 0
		for _, r := range piece {
			c, ok := t.nodes[n].children[r]
			if !ok {
				c = int32(len(t.nodes))
				t.nodes = append(t.nodes, trieNode{children: map[rune]int32{}, id: -1})
				t.nodes[n].children[r] = c
			}
			n = int(c)
		}
		if n != 0 {
			t.nodes[n].id = int32(id) // a later duplicate wins, as in the reference
		}
	}
	if len(t.scores) <= reservedSymbols {
		return nil, fmt.Errorf("use: vocab.json: only %d entries", len(t.scores))
	}
	return t, nil
}

// utf16Len is the length of s in UTF-16 code units (JavaScript's length).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// processInput returns the code points of the reference's processed input.
func processInput(text string) []rune {
	s := norm.NFKC.String(text)
	if s == "" {
		return nil
	}
	out := make([]rune, 0, len(s)+1)
	out = append(out, separator)
	for _, r := range s {
		if r == ' ' {
			r = separator
		}
		out = append(out, r)
	}
	return out
}

type edge struct {
	start int
	id    int32
}

// encode returns the token ids of text (no length limit).
func (t *tokenizer) encode(text string) []int {
	sym := processInput(text)
	n := len(sym)
	if n == 0 {
		return nil
	}
	// ends[e] lists the edges ending at e, starts ascending (they are
	// generated start by start).
	ends := make([][]edge, n+1)
	for i := 0; i < n; i++ {
		found := false
		node := 0
		for j := i; j < n; j++ {
			c, ok := t.nodes[node].children[sym[j]]
			if !ok {
				break
			}
			node = int(c)
			if id := t.nodes[node].id; id >= 0 {
				ends[j+1] = append(ends[j+1], edge{start: i, id: id})
				found = true
			}
		}
		if !found {
			ends[i+1] = append(ends[i+1], edge{start: i, id: unknownID})
		}
	}
	best := make([]float64, n+1)
	words := make([]int32, n+1)
	for e := 0; e <= n; e++ {
		for _, ed := range ends[e] {
			var score float64
			if ed.id != unknownID {
				score = t.scores[ed.id]
			}
			score += best[ed.start]
			if best[e] == 0 || score >= best[e] {
				best[e] = score
				words[e] = ed.id
			}
		}
	}
	var ids []int
	prevUnk := false
	for i := n; i > 0; {
		id := words[i]
		if !(prevUnk && id == unknownID) {
			ids = append(ids, int(id))
		}
		prevUnk = id == unknownID
		i -= t.lengths[id]
	}
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	return ids
}
