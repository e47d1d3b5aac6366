// Package llmtest owns an OpenAI-compatible HTTP test server for uqe's model
// layer: it speaks enough of the chat completions protocol (POST
// /v1/chat/completions and /chat/completions) and of embeddings (POST
// /v1/embeddings and /embeddings) for github.com/sashabaranov/go-openai,
// understands the prompt format of llm/openai (rows as a JSON array between
// random markers in the user message, instructions in the system message),
// answers each row from a Go function supplied by the test, returns JSON of
// the requested shape (and log-probabilities when asked and enabled), and
// injects faults deterministically by request number: HTTP errors with or
// without Retry-After, slow replies, malformed content, missing, duplicated,
// invalid or unknown row ids. It records every request (path, body bytes,
// Authorization header) so tests can inspect exactly what was sent.
//
// It is a test fixture, not a model: it never imitates a real model's
// judgement; the test's Answer function decides every answer.
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Query is one question the server asks the test's Answer function.
type Query struct {
	// Op is judge, extract, taxonomy, score, compare or anchors.
	Op string
	// Instruction is the predicate (judge), the attribute (extract) or the
	// criterion (taxonomy, score, compare); Index its position among the
	// request's predicates or attributes.
	Instruction string
	Index       int
	// Row is the row judged (judge, extract, score).
	Row WireRow
	// Rows are the sample (taxonomy) or the pair [a, b] (compare).
	Rows []WireRow
	// Max is Taxonomy's maximum number of categories.
	Max int
}

// Verdict is an answer to a judge or compare query with probabilities.
type Verdict struct {
	Value bool
	// Prob is the verbalised probability (the "probability" field).
	Prob float64
	// TokenProb, if set, is the probability of true the log-probabilities
	// express (default: Prob).
	TokenProb *float64
}

// P returns a pointer to p (for Verdict.TokenProb).
func P(p float64) *float64 { return &p }

// AnswerFunc answers one query. Judge and compare: a bool or a Verdict (a
// bool b means Verdict{Value: b, Prob: 1 or 0}); extract: any JSON value
// (nil is null); score: a float64; taxonomy: a []string; anchors: a
// [2]string (positive, negative). Returning an error
// makes the server answer HTTP 500 with its text.
type AnswerFunc func(q Query) any

// Fault is what the server does to one request instead of (or on top of)
// answering it honestly.
type Fault struct {
	// Status, if not zero, is an HTTP error status returned instead of an
	// answer, with an OpenAI-style error body carrying Code, Type and
	// Message (defaults depend on the status; a 401's default message
	// echoes the key it received, to test that clients never show it).
	Status     int
	RetryAfter string // the Retry-After header, if any
	Code       string
	Type       string
	Message    string
	// Delay is waited before replying (the wait ends if the client goes away).
	Delay time.Duration
	// Malformed replaces the message content with text that is not JSON.
	Malformed bool
	// DropIDs omits the answers of these row ids; DuplicateIDs repeats
	// them (the copy with the opposite verdicts); InvalidIDs replaces them
	// with answers of the wrong type; ExtraIDs adds answers for ids that
	// were not asked.
	DropIDs, DuplicateIDs, InvalidIDs, ExtraIDs []string
}

// FaultFunc chooses the fault for the n-th request the server receives
// (1-based, counting every request), or nil for none.
type FaultFunc func(n int) *Fault

// At injects faults[n] into request n.
func At(faults map[int]Fault) FaultFunc {
	return func(n int) *Fault {
		if f, ok := faults[n]; ok {
			return &f
		}
		return nil
	}
}

// First injects faults[i] into request i+1, and nothing afterwards.
func First(faults ...Fault) FaultFunc {
	return func(n int) *Fault {
		if n-1 < len(faults) {
			f := faults[n-1]
			return &f
		}
		return nil
	}
}

// Random injects, into each request with probability rate, one of choices,
// decided by a hash of seed and the request number (so a run is
// reproducible when requests arrive in a fixed order).
func Random(seed uint64, rate float64, choices ...Fault) FaultFunc {
	return func(n int) *Fault {
		h := mix(seed ^ mix(uint64(n)))
		if float64(h>>11)/float64(1<<53) >= rate || len(choices) == 0 {
			return nil
		}
		f := choices[mix(h)%uint64(len(choices))]
		return &f
	}
}

func mix(x uint64) uint64 { // splitmix64 finaliser
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Options configure a Server.
type Options struct {
	Answer AnswerFunc
	// Logprobs makes the server return log-probabilities when a request
	// asks for them (logprobs: true); off, it ignores the request like
	// servers without log-probabilities.
	Logprobs bool
	Faults   FaultFunc
	// NoJSONSchema makes the server reject response_format json_schema
	// with a 400 naming response_format, like servers without it.
	NoJSONSchema bool
	// RejectParams makes the server reject requests that carry any of
	// these top-level members (e.g. "temperature", "logprobs") with a 400
	// naming the parameter, as OpenAI does for reasoning models.
	RejectParams []string
	// EmbedDim is the embeddings' dimension when the request gives none
	// (default 64).
	EmbedDim int
	// OnRequest, if set, is called with each request's number as it arrives.
	OnRequest func(n int)
}

// Request is one recorded request.
type Request struct {
	N             int // 1-based, in order of arrival
	Method, Path  string
	Authorization string // the Authorization header as received
	Body          []byte // the exact body bytes
	Status        int    // the status answered (0 if the client went away)
}

// Server is a running test server.
type Server struct {
	// URL is the base URL to give a client, ending in /v1.
	URL  string
	opts Options
	srv  *httptest.Server

	mu   sync.Mutex
	reqs []Request
}

// New starts a server; Close it when done.
func New(opts Options) *Server {
	s := &Server{opts: opts}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	s.URL = s.srv.URL + "/v1"
	return s
}

// Start starts a server closed when the test ends.
func Start(t testing.TB, opts Options) *Server {
	s := New(opts)
	t.Cleanup(s.Close)
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Requests returns the recorded requests.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// ChatRequests returns the recorded chat completions requests.
func (s *Server) ChatRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/chat/completions") {
			out = append(out, r)
		}
	}
	return out
}

// Count returns how many requests the server has received.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.reqs) + 1
	s.reqs = append(s.reqs, Request{N: n, Method: r.Method, Path: r.URL.Path,
		Authorization: r.Header.Get("Authorization"), Body: body})
	s.mu.Unlock()
	if s.opts.OnRequest != nil {
		s.opts.OnRequest(n)
	}
	status := s.serve(w, r, n, body)
	s.mu.Lock()
	s.reqs[n-1].Status = status
	s.mu.Unlock()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, n int, body []byte) int {
	var f Fault
	if s.opts.Faults != nil {
		if ff := s.opts.Faults(n); ff != nil {
			f = *ff
		}
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return 0
		}
	}
	if f.Status != 0 {
		return s.fail(w, r, f)
	}
	if r.Method != http.MethodPost {
		return writeError(w, http.StatusMethodNotAllowed, "method not allowed", "invalid_request_error", "", nil)
	}
	switch p := r.URL.Path; {
	case strings.HasSuffix(p, "/chat/completions"):
		return s.chat(w, body, f)
	case strings.HasSuffix(p, "/embeddings"):
		return s.embeddings(w, body)
	}
	return writeError(w, http.StatusNotFound, "unknown path "+r.URL.Path, "invalid_request_error", "unknown_url", nil)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, f Fault) int {
	msg, typ, code := f.Message, f.Type, f.Code
	if msg == "" {
		switch f.Status {
		case http.StatusUnauthorized:
			msg = "Incorrect API key provided: " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		case http.StatusTooManyRequests:
			msg = "Rate limit reached for requests"
			if code == "insufficient_quota" {
				msg = "You exceeded your current quota, please check your plan and billing details."
			}
		default:
			msg = http.StatusText(f.Status)
		}
	}
	if typ == "" {
		switch {
		case code == "insufficient_quota":
			typ = "insufficient_quota"
		case f.Status == http.StatusTooManyRequests:
			typ, code = "requests", firstNonEmpty(code, "rate_limit_exceeded")
		case f.Status >= 500:
			typ = "server_error"
		default:
			typ = "invalid_request_error"
		}
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	return writeError(w, f.Status, msg, typ, code, nil)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func writeError(w http.ResponseWriter, status int, msg, typ, code string, param *string) int {
	e := map[string]any{"message": msg, "type": typ, "param": param, "code": nil}
	if code != "" {
		e["code"] = code
	}
	writeJSON(w, status, map[string]any{"error": e})
	return status
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"message":"cannot encode reply","type":"server_error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) chat(w http.ResponseWriter, body []byte, f Fault) int {
	c, err := ParseChat(body)
	if err != nil {
		return writeError(w, http.StatusBadRequest, err.Error(), "invalid_request_error", "", nil)
	}
	for _, p := range s.opts.RejectParams {
		if _, ok := c.Raw[p]; ok {
			param := p
			return writeError(w, http.StatusBadRequest,
				fmt.Sprintf("Unsupported parameter: '%s' is not supported with this model.", p),
				"invalid_request_error", "unsupported_parameter", &param)
		}
	}
	if s.opts.NoJSONSchema && c.Format == "json_schema" {
		param := "response_format"
		return writeError(w, http.StatusBadRequest,
			"Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
			"invalid_request_error", "", &param)
	}
	if c.Op == "" {
		return writeError(w, http.StatusBadRequest, "llmtest: cannot tell the operation from the request", "invalid_request_error", "", nil)
	}
	if s.opts.Answer == nil {
		return writeError(w, http.StatusInternalServerError, "llmtest: no Answer function", "server_error", "", nil)
	}
	content, probs, err := s.answer(c, f)
	if err != nil {
		return writeError(w, http.StatusInternalServerError, err.Error(), "server_error", "", nil)
	}
	choice := map[string]any{
		"index":         0,
		"message":       map[string]any{"role": "assistant", "content": content},
		"finish_reason": "stop",
		"logprobs":      nil,
	}
	if s.opts.Logprobs && c.Logprobs {
		choice["logprobs"] = map[string]any{"content": tokenLogprobs(content, probs, c.TopLogprobs)}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id":      "chatcmpl-llmtest",
		"object":  "chat.completion",
		"created": 0,
		"model":   c.Model,
		"choices": []any{choice},
		"usage": map[string]any{
			"prompt_tokens":     (len(body) + 3) / 4,
			"completion_tokens": (len(content) + 3) / 4,
			"total_tokens":      (len(body)+3)/4 + (len(content)+3)/4,
		},
	})
	return http.StatusOK
}

// tokenLogprobs splits content into tokens (runs of letters, runs of digits
// and dots, every other byte alone) and gives each true/false token the
// probabilities probs[k] (k-th boolean literal in the content) of true.
func tokenLogprobs(content string, probs []float64, top int) []map[string]any {
	var out []map[string]any
	k := 0
	for _, tok := range tokenize(content) {
		entry := map[string]any{"token": tok, "logprob": 0.0, "bytes": []byte(tok)}
		alts := []map[string]any{}
		if tok == "true" || tok == "false" {
			p := 1.0
			if tok == "false" {
				p = 0
			}
			if k < len(probs) {
				p = probs[k]
			}
			k++
			pt, pf := p, 1-p
			chosen := pt
			if tok == "false" {
				chosen = pf
			}
			entry["logprob"] = ln(chosen)
			first, second := "true", "false"
			p1, p2 := pt, pf
			if pf > pt {
				first, second, p1, p2 = second, first, p2, p1
			}
			for _, a := range []struct {
				t string
				p float64
			}{{first, p1}, {second, p2}} {
				if a.p > 0 && len(alts) < top {
					alts = append(alts, map[string]any{"token": a.t, "logprob": ln(a.p), "bytes": []byte(a.t)})
				}
			}
		} else if top > 0 {
			alts = append(alts, map[string]any{"token": tok, "logprob": 0.0, "bytes": []byte(tok)})
		}
		entry["top_logprobs"] = alts
		out = append(out, entry)
	}
	return out
}

func ln(p float64) float64 {
	if p < 1e-12 {
		p = 1e-12
	}
	return math.Log(p)
}

func tokenize(s string) []string {
	var out []string
	class := func(c byte) int {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
			return 1
		case c >= '0' && c <= '9' || c == '.':
			return 2
		}
		return 0
	}
	for i := 0; i < len(s); {
		j := i + 1
		if k := class(s[i]); k != 0 {
			for j < len(s) && class(s[j]) == k {
				j++
			}
		} else if s[i] >= 0x80 { // keep UTF-8 sequences whole
			for j < len(s) && s[j]&0xC0 == 0x80 {
				j++
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}
