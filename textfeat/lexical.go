package textfeat

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/uqe-dev/uqe/sampling"
)

// LexicalBits is the log2 of the number of hash buckets of Lexical.
const LexicalBits = 18

// Lexical returns one hashed TF-IDF vector per text, in one pass over the
// texts plus one over their features.
//
// A text is folded to lower case and split into words (maximal runs of
// letters, digits and apostrophes); its features are its words and its
// word bigrams (the two words joined by one space), each hashed with
// 32-bit FNV-1a, whose top LexicalBits bits pick the bucket. A bucket's
// weight is its sublinear term frequency 1 + ln(tf) times the smooth
// inverse document frequency ln((1+N)/(1+df)) + 1 over the given texts;
// the vector is L2-normalised (a text with no words gets the empty
// vector). Indices are sorted ascending.
func Lexical(texts []string) []sampling.SparseVec {
	df := make([]int32, 1<<LexicalBits)
	docs := make([][]uint32, len(texts)) // sorted buckets, with repeats
	for i, t := range texts {
		words := strings.FieldsFunc(strings.ToLower(t), isSep)
		b := make([]uint32, 0, 2*len(words))
		var prev uint32
		for k, w := range words {
			h := fnvString(fnvOffset, w)
			b = append(b, h>>(32-LexicalBits))
			if k > 0 {
				// FNV-1a of words[k-1] + " " + w, continuing the hash of
				// the previous word.
				b = append(b, fnvString(fnvByte(prev, ' '), w)>>(32-LexicalBits))
			}
			prev = h
		}
		slices.Sort(b)
		for k, j := range b {
			if k == 0 || b[k-1] != j {
				df[j]++
			}
		}
		docs[i] = b
	}
	N := float64(len(texts))
	out := make([]sampling.SparseVec, len(texts))
	for i, b := range docs {
		var v sampling.SparseVec
		var s float64
		for k := 0; k < len(b); {
			j := b[k]
			e := k + 1
			for e < len(b) && b[e] == j {
				e++
			}
			tf := float64(e - k)
			w := (1 + math.Log(tf)) * (math.Log((1+N)/(1+float64(df[j]))) + 1)
			v.Idx = append(v.Idx, j)
			v.Val = append(v.Val, float32(w))
			s += w * w
			k = e
		}
		if s > 0 {
			s = 1 / math.Sqrt(s)
			for k := range v.Val {
				v.Val[k] *= float32(s)
			}
		}
		out[i] = v
	}
	return out
}

// isSep reports whether r separates words (is not a letter, digit or
// apostrophe).
func isSep(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnvByte(h uint32, c byte) uint32 { return (h ^ uint32(c)) * fnvPrime }

func fnvString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = fnvByte(h, s[i])
	}
	return h
}
