package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// placeholderModel is the model name go-openai sees. go-openai validates
// requests for models whose names start with o1, o3, o4 or gpt-5 on the
// client side (reasoning_validator.go: it rejects logprobs and other
// parameters for them); the transport puts the real name into the body, so
// any model name works and the server decides what it supports.
const placeholderModel = "uqe-model"

// maxReplyBytes bounds a reply body.
const maxReplyBytes = 64 << 20

// transport is the go-openai HTTPDoer: it rewrites the request body (the
// real model name, an explicit temperature 0 that go-openai's omitempty
// would drop) and retries with backoff.
type transport struct {
	b     *Backend
	inner *http.Client
}

type statsKey struct{}

// callStats counts the transport's retries for one backend call.
type callStats struct{ retries atomic.Int64 }

func withStats(ctx context.Context) (context.Context, *callStats) {
	st := &callStats{}
	return context.WithValue(ctx, statsKey{}, st), st
}

// rewrite sets the real model and temperature 0 in a chat request body.
func (t *transport) rewrite(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	var model string
	if json.Unmarshal(m["model"], &model) != nil || model != placeholderModel {
		return body
	}
	m["model"], _ = json.Marshal(t.b.cfg.Model)
	if t.b.noTemperature.Load() {
		delete(m, "temperature")
	} else {
		m["temperature"] = json.RawMessage("0")
	}
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// Do sends req, retrying on network errors, timeouts of one attempt, and
// HTTP 408, 409, 429 (except insufficient_quota) and 5xx, with full-jitter
// exponential backoff or the server's Retry-After.
func (t *transport) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	body = t.rewrite(body)
	st, _ := ctx.Value(statsKey{}).(*callStats)
	for attempt := 0; ; attempt++ {
		resp, data, err := t.once(ctx, req, body)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		case resp.StatusCode < 300:
			return resp, nil
		case !retryableStatus(resp.StatusCode) || quotaExhausted(data):
			return resp, nil
		default:
			wait = retryAfter(resp.Header, time.Now())
		}
		if attempt >= t.b.cfg.MaxRetries {
			return resp, err
		}
		if wait <= 0 {
			wait = backoff(attempt)
		}
		if err := t.b.cfg.Sleep(ctx, wait); err != nil {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if st != nil {
			st.retries.Add(1)
		}
	}
}

// once makes one attempt, bounded by the timeout, and reads the whole reply.
func (t *transport) once(ctx context.Context, req *http.Request, body []byte) (*http.Response, []byte, error) {
	actx, cancel := context.WithTimeout(ctx, t.b.cfg.Timeout)
	defer cancel()
	r := req.Clone(actx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	resp, err := t.inner.Do(r)
	if err != nil {
		return nil, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	resp.Body.Close()
	if err != nil {
		return nil, nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	return resp, data, nil
}

func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusConflict ||
		code == http.StatusTooManyRequests || code >= 500
}

// quotaExhausted reports whether an error body says insufficient_quota (a
// 429 that waiting does not cure).
func quotaExhausted(body []byte) bool {
	var e struct {
		Error struct {
			Code any    `json:"code"`
			Type string `json:"type"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return bytes.Contains(body, []byte("insufficient_quota"))
	}
	code, _ := e.Error.Code.(string)
	return code == "insufficient_quota" || e.Error.Type == "insufficient_quota"
}

// retryAfter reads Retry-After (seconds or an HTTP date) or OpenAI's
// retry-after-ms; 0 if absent or past; capped at MaxRetryAfter.
func retryAfter(h http.Header, now time.Time) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			d = time.Duration(ms * float64(time.Millisecond))
		}
	}
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" && d == 0 {
		if s, err := strconv.ParseFloat(v, 64); err == nil {
			if s > 0 {
				d = time.Duration(s * float64(time.Second))
			}
		} else if at, err := http.ParseTime(v); err == nil {
			d = at.Sub(now)
		}
	}
	if d < 0 {
		d = 0
	}
	return min(d, MaxRetryAfter)
}

// backoff is full jitter: uniform in [0, min(cap, base·2^attempt)].
func backoff(attempt int) time.Duration {
	ceil := BackoffCap
	if attempt < 20 {
		ceil = min(BackoffCap, BackoffBase<<attempt)
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}
