package embed

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/uqe-dev/uqe/errs"
)

const testKey = "sk-test-secret-123"

// fakeEmbeddings is a tiny OpenAI-compatible POST /v1/embeddings server:
// the vector of a text is (its length, its count of 'a', 1, 0...) in dim
// dimensions, returned in reverse order with their indices; it records the
// batch sizes it saw. A text "fail" makes it answer 401 with a message
// that echoes the API key, as some servers do.
type fakeEmbeddings struct {
	dim     int
	mu      sync.Mutex
	batches []int
	models  []string
}

func (f *fakeEmbeddings) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	var req struct {
		Input      []string `json:"input"`
		Model      string   `json:"model"`
		Dimensions int      `json:"dimensions"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.batches = append(f.batches, len(req.Input))
	f.models = append(f.models, req.Model)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+testKey || (len(req.Input) > 0 && req.Input[0] == "fail") {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": "Incorrect API key provided: " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "),
			"type":    "invalid_request_error", "code": "invalid_api_key"}})
		return
	}
	dim := f.dim
	if req.Dimensions > 0 {
		dim = req.Dimensions
	}
	type item struct {
		Object    string    `json:"object"`
		Embedding []float32 `json:"embedding"`
		Index     int       `json:"index"`
	}
	var data []item
	for i := len(req.Input) - 1; i >= 0; i-- {
		s := req.Input[i]
		if s == "" {
			http.Error(w, `{"error":{"message":"empty input"}}`, http.StatusBadRequest)
			return
		}
		v := make([]float32, dim)
		v[0], v[1], v[2] = float32(len(s)), float32(strings.Count(s, "a")), 1
		data = append(data, item{"embedding", v, i})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1}})
}

func newFake(t *testing.T, dim int) (*fakeEmbeddings, string) {
	f := &fakeEmbeddings{dim: dim}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL + "/v1"
}

func TestOpenAIEmbed(t *testing.T) {
	f, url := newFake(t, 8)
	e, err := NewOpenAI(OpenAIConfig{BaseURL: url, APIKey: testKey, Model: "my-embedder", BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if e.Name() != "openai:my-embedder" || e.Dim() != 0 {
		t.Errorf("Name %q Dim %d before the first call", e.Name(), e.Dim())
	}
	texts := []string{"a", "banana", "", "cab", "xyz", "aaaa", "hello"}
	vecs := embedAll(t, e, texts...)
	if e.Dim() != 8 {
		t.Errorf("Dim %d after the first call", e.Dim())
	}
	for i, s := range texts {
		v := vecs[i]
		if len(v) != 8 {
			t.Fatalf("text %d: len %d", i, len(v))
		}
		if s == "" {
			if norm(v) != 0 {
				t.Errorf("empty text: want the zero vector")
			}
			continue
		}
		// the server's vector (len, count of a, 1), normalised
		l, a := float64(len(s)), float64(strings.Count(s, "a"))
		n := math.Sqrt(l*l + a*a + 1)
		if math.Abs(float64(v[0])-l/n) > 1e-6 || math.Abs(float64(v[1])-a/n) > 1e-6 || math.Abs(float64(v[2])-1/n) > 1e-6 {
			t.Errorf("text %q: vector %v", s, v[:3])
		}
	}
	// six non-empty texts in batches of at most 3; the empty one not sent
	if len(f.batches) != 2 || f.batches[0] != 3 || f.batches[1] != 3 || f.models[0] != "my-embedder" {
		t.Errorf("batches %v models %v", f.batches, f.models)
	}
}

func TestOpenAIDefaultsAndDimensions(t *testing.T) {
	_, url := newFake(t, 8)
	e, err := NewOpenAI(OpenAIConfig{BaseURL: url + "/", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if e.Name() != "openai:text-embedding-3-small" || e.Dim() != 1536 {
		t.Errorf("defaults: %q %d", e.Name(), e.Dim())
	}
	// the fake answers 8 dimensions; Dim follows what the server returns
	embedAll(t, e, "abc")
	if e.Dim() != 8 {
		t.Errorf("Dim %d", e.Dim())
	}
	d, err := NewOpenAI(OpenAIConfig{BaseURL: url, APIKey: testKey, Dimensions: 5})
	if err != nil {
		t.Fatal(err)
	}
	if v := embedAll(t, d, "abc"); len(v[0]) != 5 || d.Dim() != 5 || d.Name() != "openai:text-embedding-3-small@5" {
		t.Errorf("Dimensions 5: len %d Dim %d Name %q", len(v[0]), d.Dim(), d.Name())
	}
}

func TestOpenAIErrors(t *testing.T) {
	_, url := newFake(t, 4)
	e, err := NewOpenAI(OpenAIConfig{BaseURL: url, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Embed(context.Background(), []string{"fail"})
	if errs.CodeOf(err) != errs.Runtime || strings.Contains(err.Error(), testKey) || strings.Contains(errs.Detail(err), testKey) {
		t.Errorf("401: %v", err)
	}
	wrong, _ := NewOpenAI(OpenAIConfig{BaseURL: url, APIKey: "sk-wrong-key-456"})
	if _, err := wrong.Embed(context.Background(), []string{"x"}); err == nil || strings.Contains(err.Error(), "sk-wrong-key-456") {
		t.Errorf("wrong key: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Embed(ctx, []string{"x"}); errs.CodeOf(err) != errs.Cancelled {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := NewOpenAI(OpenAIConfig{}); errs.CodeOf(err) != errs.Usage {
		t.Errorf("no key, no URL: %v", err)
	}
}

func TestOpen(t *testing.T) {
	_, url := newFake(t, 4)
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	full := env(map[string]string{"OPENAI_API_KEY": testKey, "OPENAI_BASE_URL": url})
	tests := []struct {
		spec string
		env  func(string) string
		name string
		code errs.Code
	}{
		{"hash", nil, "hash", ""},
		{" HASH:256 ", nil, "hash:256", ""},
		{"hash:0", nil, "", errs.Usage},
		{"hash:x", nil, "", errs.Usage},
		{"openai", full, "openai:text-embedding-3-small", ""},
		{"openai:nomic-embed-text", full, "openai:nomic-embed-text", ""},
		{"openai", env(nil), "", errs.Usage},
		{"use", nil, "use-lite", ""},
		{"word2vec", nil, "", errs.Usage},
	}
	for _, tc := range tests {
		e, err := Open(tc.spec, tc.env)
		if errs.CodeOf(err) != tc.code {
			t.Errorf("Open(%q): %v, want code %q", tc.spec, err, tc.code)
			continue
		}
		if tc.code == "" && e.Name() != tc.name {
			t.Errorf("Open(%q).Name() = %q, want %q", tc.spec, e.Name(), tc.name)
		}
	}
	e, err := Open("openai", full)
	if err != nil {
		t.Fatal(err)
	}
	if v := embedAll(t, e, "abc"); len(v[0]) != 4 {
		t.Errorf("Open(openai) does not reach the server: %v", v)
	}
}
