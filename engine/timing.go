package engine

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/value"
)

// callTimer is a backend that adds up the latency of its calls.
type callTimer interface {
	// callMS is the total latency of the calls so far, in milliseconds
	// (calls in flight at once each count their own).
	callMS() float64
}

// timedBackend wraps a backend for one statement and measures how long each
// of its calls takes, so that the statistics store can learn the
// milliseconds per call that EXPLAIN's est_latency needs.
type timedBackend struct {
	llm.Backend
	ns atomic.Int64
}

// timedFingerprint is a timedBackend over a backend with a fingerprint,
// which must stay visible to the client (it is part of cache keys).
type timedFingerprint struct {
	*timedBackend
	fp interface{ Fingerprint() string }
}

func (t timedFingerprint) Fingerprint() string { return t.fp.Fingerprint() }

// timeCalls wraps b so that its calls are timed.
func timeCalls(b llm.Backend) llm.Backend {
	t := &timedBackend{Backend: b}
	if fp, ok := b.(interface{ Fingerprint() string }); ok {
		return timedFingerprint{timedBackend: t, fp: fp}
	}
	return t
}

// Unwrap exposes the timed backend (for optional interfaces such as
// llm.AnchorWriter).
func (t *timedBackend) Unwrap() llm.Backend { return t.Backend }

func (t *timedBackend) callMS() float64 { return float64(t.ns.Load()) / 1e6 }

func (t *timedBackend) since(start time.Time) { t.ns.Add(int64(time.Since(start))) }

func (t *timedBackend) Judge(ctx context.Context, preds []string, rows []llm.Row) ([][]llm.Verdict, llm.Usage, error) {
	defer t.since(time.Now())
	return t.Backend.Judge(ctx, preds, rows)
}

func (t *timedBackend) Extract(ctx context.Context, attrs []llm.Attr, rows []llm.Row) ([][]value.Value, llm.Usage, error) {
	defer t.since(time.Now())
	return t.Backend.Extract(ctx, attrs, rows)
}

func (t *timedBackend) Taxonomy(ctx context.Context, instruction string, sample []llm.Row, max int) ([]string, llm.Usage, error) {
	defer t.since(time.Now())
	return t.Backend.Taxonomy(ctx, instruction, sample, max)
}

func (t *timedBackend) Score(ctx context.Context, instruction string, rows []llm.Row) ([]float64, llm.Usage, error) {
	defer t.since(time.Now())
	return t.Backend.Score(ctx, instruction, rows)
}

func (t *timedBackend) Compare(ctx context.Context, instruction string, a, b llm.Row) (float64, llm.Usage, error) {
	defer t.since(time.Now())
	return t.Backend.Compare(ctx, instruction, a, b)
}
