package llm

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/uqe-dev/uqe/value"
)

// Cache is a store of model answers shared across statements and
// processes (llm/cache is the persistent one; NewMemoryCache an in-process
// one). Keys are the hex SHA-256 strings built by the Client; values are
// small JSON documents. Implementations must be safe for concurrent use.
// A failing cache never fails a query: the Client reports the first error
// through Options.Warn and carries on as if the cache were empty.
type Cache interface {
	// GetMany returns the entries found among keys (missing keys are
	// simply absent from the map).
	GetMany(keys []string) (map[string][]byte, error)
	// PutMany stores entries, replacing existing ones.
	PutMany(entries map[string][]byte) error
}

// cacheKeyVersion is bumped if the layout of cache keys changes.
const cacheKeyVersion = "uqe-cache-key-1"

// CacheKey returns the cache key of one answer: the hex SHA-256 of the
// backend's Name (backend and model, never an API key), the operation
// ("judge", "extract", "score", "taxonomy", "compare"), the item (the
// instruction, and for extraction its type), PromptVersion and the row
// content (Row.Key, or several rows' keys for taxonomy and compare). Every
// part is length-prefixed, so no two different inputs share a key.
func CacheKey(backend, op, item string, rowKeys ...string) string {
	h := sha256.New()
	var n [8]byte
	write := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	write(cacheKeyVersion)
	write(backend)
	write(op)
	write(item)
	write(PromptVersion)
	for _, k := range rowKeys {
		write(k)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// typeKey renders an extraction type for cache keys.
func typeKey(t Type) string {
	var b strings.Builder
	b.WriteString("kind=")
	b.WriteString(strconv.Itoa(int(t.Kind)))
	if t.Kind == KindEnum {
		e, _ := json.Marshal(t.Enum)
		b.WriteString(" enum=")
		b.Write(e)
	}
	return b.String()
}

// attrKey is an attribute's identity for cache keys and de-duplication.
func attrKey(a Attr) string {
	return a.Instruction + "\x00" + typeKey(a.Type)
}

// --- answer encodings (small JSON) ---

type verdictJSON struct {
	V bool    `json:"v"`
	P float64 `json:"p"`
}

func encVerdict(v Verdict) ([]byte, bool) {
	if math.IsNaN(v.Prob) || math.IsInf(v.Prob, 0) {
		return nil, false
	}
	b, err := json.Marshal(verdictJSON{V: v.Value, P: v.Prob})
	return b, err == nil
}

func decVerdict(b []byte) (Verdict, bool) {
	var j verdictJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Verdict{}, false
	}
	return Verdict{Value: j.V, Prob: j.P}, true
}

type valueJSON struct {
	K string   `json:"k"` // n, i, f, t, b
	I *int64   `json:"i,omitempty"`
	F *float64 `json:"f,omitempty"`
	S *string  `json:"s,omitempty"`
	B []byte   `json:"b,omitempty"`
}

func encValue(v value.Value) ([]byte, bool) {
	var j valueJSON
	switch v.K {
	case value.Null:
		j.K = "n"
	case value.Int:
		j.K, j.I = "i", &v.I
	case value.Real:
		if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
			return nil, false
		}
		j.K, j.F = "f", &v.F
	case value.Text:
		j.K, j.S = "t", &v.S
	case value.Blob:
		j.K, j.B = "b", []byte(v.S)
	default:
		return nil, false
	}
	b, err := json.Marshal(j)
	return b, err == nil
}

func decValue(b []byte) (value.Value, bool) {
	var j valueJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return value.Value{}, false
	}
	switch j.K {
	case "n":
		return value.NullValue, true
	case "i":
		if j.I != nil {
			return value.FromInt(*j.I), true
		}
	case "f":
		if j.F != nil {
			return value.FromFloat(*j.F), true
		}
	case "t":
		if j.S != nil {
			return value.FromText(*j.S), true
		}
	case "b":
		return value.FromBlob(j.B), true
	}
	return value.Value{}, false
}

type floatJSON struct {
	X float64 `json:"x"`
}

func encFloat(f float64) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false
	}
	b, err := json.Marshal(floatJSON{X: f})
	return b, err == nil
}

func decFloat(b []byte) (float64, bool) {
	var j floatJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return 0, false
	}
	return j.X, true
}

type namesJSON struct {
	C []string `json:"c"`
}

func encNames(c []string) ([]byte, bool) {
	b, err := json.Marshal(namesJSON{C: c})
	return b, err == nil
}

func decNames(b []byte) ([]string, bool) {
	var j namesJSON
	if err := json.Unmarshal(b, &j); err != nil || j.C == nil {
		return nil, false
	}
	return j.C, true
}

// MemoryCache is an in-process Cache (a map), e.g. for `--cache off`
// sessions that still want answers shared between the operators of a
// statement, and for tests. Safe for concurrent use.
type MemoryCache struct {
	mu sync.RWMutex
	m  map[string][]byte
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache { return &MemoryCache{m: map[string][]byte{}} }

// GetMany implements Cache.
func (c *MemoryCache) GetMany(keys []string) (map[string][]byte, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string][]byte)
	for _, k := range keys {
		if v, ok := c.m[k]; ok {
			out[k] = append([]byte(nil), v...)
		}
	}
	return out, nil
}

// PutMany implements Cache.
func (c *MemoryCache) PutMany(entries map[string][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range entries {
		c.m[k] = append([]byte(nil), v...)
	}
	return nil
}

// Len is the number of entries.
func (c *MemoryCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
