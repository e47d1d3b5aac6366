package embed

// The hash embedder: a feature-hashing TF(-IDF) vectoriser.
//
// Text is folded to lower case and split into words (maximal runs of
// letters and digits). The features of a text are its words, its word
// bigrams, and the character 3-, 4- and 5-grams of each word wrapped in
// boundary markers ("<card>" gives "<ca", "car", "ard", "rd>", "<car", ...),
// which make "refund" and "refunds" close. Every feature is hashed with
// 64-bit FNV-1a (over its group tag and its bytes or runes) followed by a
// SplitMix64 finaliser; high bits pick one of Dim buckets, the low bit a
// sign (+1/-1), so that colliding features cancel in expectation instead
// of piling up (Weinberger et al., 2009).
//
// A feature's weight is its sublinear term frequency 1 + ln(tf), times its
// inverse document frequency once Fit has seen a corpus:
// idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smooth IDF), with df
// counted over 2^18 hashed buckets (finer than Dim, so that IDF collisions
// are rarer than vector collisions). Each feature group (words, bigrams,
// character n-grams) is L2-normalised separately and the groups are summed
// with weights 1, 0.5 and 0.7, so that the many character n-grams of a text
// do not drown its words; the sum is L2-normalised.

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// DefaultDim is the dimension of the hash embedder when none is given.
const DefaultDim = 512

const (
	idfBits    = 18
	idfBuckets = 1 << idfBits
)

// Feature groups, kept in the two low bits of a feature key.
const (
	gWord = iota
	gBigram
	gChar
	nGroups
)

var groupWeight = [nGroups]float64{gWord: 1, gBigram: 0.5, gChar: 0.7}

// Hash is the hashing embedder. It is deterministic, and safe for
// concurrent use (Fit may run concurrently with Embed; each Embed call sees
// the IDF table of before or after a Fit, never a mix).
type Hash struct {
	dim int
	idf atomic.Pointer[[]float32] // nil: plain TF
}

var _ Embedder = (*Hash)(nil)

// NewHash returns a hash embedder of the given dimension (DefaultDim if
// dim <= 0), weighting by term frequency until Fit is called.
func NewHash(dim int) *Hash {
	if dim <= 0 {
		dim = DefaultDim
	}
	return &Hash{dim: dim}
}

// Name is "hash" for DefaultDim dimensions and unfitted, "hash:DIM"
// otherwise, with "+idf" once fitted (vectors of different
// configurations are not comparable, and the name is part of index keys).
func (h *Hash) Name() string {
	n := "hash"
	if h.dim != DefaultDim {
		n += ":" + itoa(h.dim)
	}
	if h.idf.Load() != nil {
		n += "+idf"
	}
	return n
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// Dim is the vector length.
func (h *Hash) Dim() int { return h.dim }

// Fit learns document frequencies over texts, so that Embed weights by
// TF-IDF. A new Fit replaces the previous one; Fit of no texts returns to
// plain TF.
func (h *Hash) Fit(texts []string) {
	if len(texts) == 0 {
		h.idf.Store(nil)
		return
	}
	df := make([]uint32, idfBuckets)
	keys := make([]uint64, 0, 256)
	var seen []uint32
	for _, t := range texts {
		keys = features(t, keys[:0])
		seen = seen[:0]
		for _, k := range keys {
			seen = append(seen, idfBucket(k))
		}
		slices.Sort(seen)
		for i, b := range seen {
			if i == 0 || b != seen[i-1] {
				df[b]++
			}
		}
	}
	n := float64(len(texts))
	w := make([]float32, idfBuckets)
	for i, d := range df {
		w[i] = float32(math.Log((1+n)/(1+float64(d))) + 1)
	}
	h.idf.Store(&w)
}

// Embed returns the vectors of texts.
func (h *Hash) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	var idf []float32
	if p := h.idf.Load(); p != nil {
		idf = *p
	}
	out := make([][]float32, len(texts))
	flat := make([]float32, len(texts)*h.dim)
	buf := keyPool.Get().(*[]uint64)
	defer keyPool.Put(buf)
	for i, t := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, cancelled(err)
			}
		}
		v := flat[i*h.dim : (i+1)*h.dim : (i+1)*h.dim]
		*buf = h.embedOne(t, idf, v, (*buf)[:0])
		out[i] = v
	}
	return out, nil
}

var keyPool = sync.Pool{New: func() any { s := make([]uint64, 0, 256); return &s }}

// embedOne writes the vector of t into v; keys is scratch space, returned
// for reuse.
func (h *Hash) embedOne(t string, idf []float32, v []float32, keys []uint64) []uint64 {
	keys = features(t, keys)
	if len(keys) == 0 {
		return keys
	}
	slices.Sort(keys)
	// pass 1: the squared norm of every group
	var norm [nGroups]float64
	forRuns(keys, func(k uint64, tf int) {
		w := weight(k, tf, idf)
		norm[k&3] += w * w
	})
	var scale [nGroups]float64
	for g := range norm {
		if norm[g] > 0 {
			scale[g] = groupWeight[g] / math.Sqrt(norm[g])
		}
	}
	// pass 2: accumulate signed, scaled weights into buckets
	dim := uint64(h.dim)
	forRuns(keys, func(k uint64, tf int) {
		w := weight(k, tf, idf) * scale[k&3]
		b := (k >> 32) * dim >> 32
		if k&4 != 0 {
			w = -w
		}
		v[b] += float32(w)
	})
	normalize(v)
	return keys
}

// forRuns calls fn once per distinct key of the sorted keys with its count.
func forRuns(keys []uint64, fn func(k uint64, tf int)) {
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		fn(keys[i], j-i)
		i = j
	}
}

func weight(k uint64, tf int, idf []float32) float64 {
	w := 1 + math.Log(float64(tf))
	if idf != nil {
		w *= float64(idf[idfBucket(k)])
	}
	return w
}

// idfBucket uses bits 3.. of the key (bits 0-1 are the group, bit 2 the
// sign), so that IDF buckets are independent of the vector bucket's bits.
func idfBucket(k uint64) uint32 { return uint32(k>>3) & (idfBuckets - 1) }

// FNV-1a 64 and the SplitMix64 finaliser.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func key(h uint64, group uint64) uint64 { return mix64(h)&^3 | group }

// features appends the feature keys of t (hash with the group in the low
// two bits) to keys.
func features(t string, keys []uint64) []uint64 {
	var word [64]rune
	var prev uint64
	havePrev := false
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRuneInString(t[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		// a word: t[i:j]
		n := 0
		wh := uint64(fnvOffset) ^ gWord
		wh *= fnvPrime
		word[n] = '<'
		n++
		j := i
		for j < len(t) {
			r, size := utf8.DecodeRuneInString(t[j:])
			if !isWordRune(r) {
				break
			}
			r = unicode.ToLower(r)
			wh ^= uint64(r)
			wh *= fnvPrime
			if n < len(word)-1 {
				word[n] = r
				n++
			}
			j += size
		}
		i = j
		word[n] = '>'
		n++
		wk := key(wh, gWord)
		keys = append(keys, wk)
		if havePrev {
			keys = append(keys, key(prev*0x9e3779b97f4a7c15^wk^gBigram, gBigram))
		}
		prev, havePrev = wk, true
		// character n-grams of <word>
		for size := 3; size <= 5; size++ {
			for s := 0; s+size <= n; s++ {
				ch := uint64(fnvOffset) ^ gChar
				ch *= fnvPrime
				for _, c := range word[s : s+size] {
					ch ^= uint64(c)
					ch *= fnvPrime
				}
				keys = append(keys, key(ch, gChar))
			}
		}
	}
	return keys
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
