package openai

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/value"
)

var _ llm.Backend = (*Backend)(nil)

// call is one request's prompt.
type call struct {
	op       string
	system   string
	schema   []byte
	logprobs bool
	rows     []llm.Row // shown in the user message, with a fresh boundary per request
	nrows    int
}

// complete sends one request (the transport retries it) and returns the
// reply; a 400 showing that the server lacks json_schema, temperature or
// logprobs is answered by sending the request again without it, and
// remembered.
func (b *Backend) complete(ctx context.Context, c call, u *llm.Usage) (*reply, error) {
	for {
		req := goopenai.ChatCompletionRequest{
			Model: placeholderModel,
			Messages: []goopenai.ChatCompletionMessage{
				{Role: goopenai.ChatMessageRoleSystem, Content: c.system},
				userMessage(c.rows),
			},
		}
		if b.noSchema.Load() {
			req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{Type: goopenai.ChatCompletionResponseFormatTypeJSONObject}
		} else {
			req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{
				Type: goopenai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &goopenai.ChatCompletionResponseFormatJSONSchema{
					Name: "uqe_" + c.op, Schema: json.RawMessage(c.schema), Strict: true,
				},
			}
		}
		askLogprobs := c.logprobs && !b.cfg.NoLogprobs && !b.noLogprobs.Load()
		if askLogprobs {
			req.LogProbs, req.TopLogProbs = true, 5
		}
		resp, err := b.client.CreateChatCompletion(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, cancelled(ctx)
			}
			var ae *goopenai.APIError
			if errors.As(err, &ae) && ae.HTTPStatusCode == 400 && b.adapt(ae, askLogprobs) {
				u.Retries++
				continue
			}
			return nil, b.requestError(err)
		}
		pt, ct := int64(resp.Usage.PromptTokens), int64(resp.Usage.CompletionTokens)
		u.Calls++
		u.RowsJudged += int64(c.nrows)
		u.PromptTokens += pt
		u.CompletionTokens += ct
		u.CostUSD += b.cost(pt, ct)
		if len(resp.Choices) == 0 {
			return newReply("", nil), nil
		}
		ch := resp.Choices[0]
		return newReply(ch.Message.Content, ch.LogProbs), nil
	}
}

// adapt learns from a 400 what the server does not support; it reports
// whether the request should be sent again without it.
func (b *Backend) adapt(ae *goopenai.APIError, askedLogprobs bool) bool {
	msg := strings.ToLower(ae.Message)
	if ae.Param != nil {
		msg += " " + strings.ToLower(*ae.Param)
	}
	switch {
	case (strings.Contains(msg, "response_format") || strings.Contains(msg, "json_schema")) && !b.noSchema.Load():
		b.noSchema.Store(true)
		return true
	case strings.Contains(msg, "logprobs") && askedLogprobs:
		b.noLogprobs.Store(true)
		return true
	case strings.Contains(msg, "temperature") && !b.noTemperature.Load():
		b.noTemperature.Store(true)
		return true
	}
	return false
}

func cancelled(ctx context.Context) error {
	return errs.Wrap(ctx.Err(), errs.Cancelled, "openai: model call cancelled")
}

// perRow asks for rows in batches of MaxBatch; a row whose answer is
// missing, duplicated or invalid is asked again on its own, up to
// singleRowAttempts times.
func perRow[T any](ctx context.Context, b *Backend, rows []llm.Row, u *llm.Usage,
	ask func(ctx context.Context, rows []llm.Row, u *llm.Usage) ([]T, []bool, error)) ([]T, error) {
	out := make([]T, len(rows))
	for lo := 0; lo < len(rows); lo += b.cfg.MaxBatch {
		hi := min(lo+b.cfg.MaxBatch, len(rows))
		res, ok, err := ask(ctx, rows[lo:hi], u)
		if err != nil {
			return nil, err
		}
		for i := lo; i < hi; i++ {
			if ok[i-lo] {
				out[i] = res[i-lo]
				continue
			}
			got := false
			for attempt := 0; attempt < singleRowAttempts && !got; attempt++ {
				u.Retries++
				r1, ok1, err := ask(ctx, rows[i:i+1], u)
				if err != nil {
					return nil, err
				}
				if ok1[0] {
					out[i], got = r1[0], true
				}
			}
			if !got {
				return nil, errs.New(errs.Runtime,
					"openai: model %s gave no valid answer for row %d of the batch (asked %d more times on its own)",
					b.cfg.Model, i, singleRowAttempts)
			}
		}
	}
	return out, nil
}

// finish adds the transport's retries to u.
func finish(st *callStats, u *llm.Usage) { u.Retries += st.retries.Load() }

// Judge evaluates every predicate on every row.
func (b *Backend) Judge(ctx context.Context, preds []string, rows []llm.Row) (out [][]llm.Verdict, u llm.Usage, err error) {
	if len(rows) == 0 {
		return nil, u, nil
	}
	if len(preds) == 0 {
		return make([][]llm.Verdict, len(rows)), u, nil
	}
	ctx, st := withStats(ctx)
	defer finish(st, &u)
	out, err = perRow(ctx, b, rows, &u, func(ctx context.Context, rows []llm.Row, u *llm.Usage) ([][]llm.Verdict, []bool, error) {
		r, err := b.complete(ctx, call{op: "judge", system: judgeSystem(preds, len(rows)),
			schema: judgeSchema(len(rows), len(preds)), logprobs: true, rows: rows, nrows: len(rows)}, u)
		if err != nil {
			return nil, nil, err
		}
		res, ok := make([][]llm.Verdict, len(rows)), make([]bool, len(rows))
		byRow, _ := r.rowAnswers(len(rows))
		for i, a := range byRow {
			res[i], ok[i] = r.judgeRow(a, len(preds))
		}
		return res, ok, nil
	})
	return out, u, err
}

// Extract extracts every attribute from every row.
func (b *Backend) Extract(ctx context.Context, attrs []llm.Attr, rows []llm.Row) (out [][]value.Value, u llm.Usage, err error) {
	if len(rows) == 0 {
		return nil, u, nil
	}
	if len(attrs) == 0 {
		return make([][]value.Value, len(rows)), u, nil
	}
	ctx, st := withStats(ctx)
	defer finish(st, &u)
	out, err = perRow(ctx, b, rows, &u, func(ctx context.Context, rows []llm.Row, u *llm.Usage) ([][]value.Value, []bool, error) {
		r, err := b.complete(ctx, call{op: "extract", system: extractSystem(attrs, len(rows)),
			schema: extractSchema(len(rows), attrs), rows: rows, nrows: len(rows)}, u)
		if err != nil {
			return nil, nil, err
		}
		res, ok := make([][]value.Value, len(rows)), make([]bool, len(rows))
		byRow, _ := r.rowAnswers(len(rows))
		for i, a := range byRow {
			res[i], ok[i] = extractRow(a, attrs)
		}
		return res, ok, nil
	})
	return out, u, err
}

// Score rates every row in [0, 1].
func (b *Backend) Score(ctx context.Context, instruction string, rows []llm.Row) (out []float64, u llm.Usage, err error) {
	if len(rows) == 0 {
		return nil, u, nil
	}
	ctx, st := withStats(ctx)
	defer finish(st, &u)
	out, err = perRow(ctx, b, rows, &u, func(ctx context.Context, rows []llm.Row, u *llm.Usage) ([]float64, []bool, error) {
		r, err := b.complete(ctx, call{op: "score", system: scoreSystem(instruction, len(rows)),
			schema: scoreSchema(len(rows)), rows: rows, nrows: len(rows)}, u)
		if err != nil {
			return nil, nil, err
		}
		res, ok := make([]float64, len(rows)), make([]bool, len(rows))
		byRow, _ := r.rowAnswers(len(rows))
		for i, a := range byRow {
			res[i], ok[i] = scoreRow(a)
		}
		return res, ok, nil
	})
	return out, u, err
}

// whole sends one request whose answer is a single object, asking again up
// to wholeAttempts times while the answer is invalid.
func whole[T any](ctx context.Context, b *Backend, c call, u *llm.Usage, parse func(*reply) (T, bool)) (T, error) {
	var zero T
	for attempt := 0; ; attempt++ {
		r, err := b.complete(ctx, c, u)
		if err != nil {
			return zero, err
		}
		if v, ok := parse(r); ok {
			return v, nil
		}
		if attempt == wholeAttempts {
			return zero, errs.New(errs.Runtime, "openai: model %s gave no valid %s answer (asked %d times)",
				b.cfg.Model, c.op, wholeAttempts+1)
		}
		u.Retries++
	}
}

// Taxonomy proposes at most max category names from a sample of rows.
func (b *Backend) Taxonomy(ctx context.Context, instruction string, sample []llm.Row, max int) (out []string, u llm.Usage, err error) {
	ctx, st := withStats(ctx)
	defer finish(st, &u)
	out, err = whole(ctx, b, call{op: "taxonomy", system: taxonomySystem(instruction, max),
		schema: taxonomySchema(), rows: sample, nrows: len(sample)}, &u,
		func(r *reply) ([]string, bool) { return r.taxonomy(max) })
	return out, u, err
}

// Anchors writes the instruction's contrast anchors (llm.AnchorWriter): a
// short text typical of rows for which it holds and one typical of rows
// for which it does not. No row is sent.
func (b *Backend) Anchors(ctx context.Context, instruction string) (pos, neg string, u llm.Usage, err error) {
	ctx, st := withStats(ctx)
	defer finish(st, &u)
	v, err := whole(ctx, b, call{op: "anchors", system: anchorsSystem(instruction), schema: anchorsSchema()}, &u,
		func(r *reply) ([2]string, bool) { return r.anchors() })
	return v[0], v[1], u, err
}

// Compare returns the probability that row a ranks before row b.
func (b *Backend) Compare(ctx context.Context, instruction string, a, bb llm.Row) (p float64, u llm.Usage, err error) {
	ctx, st := withStats(ctx)
	defer finish(st, &u)
	p, err = whole(ctx, b, call{op: "compare", system: compareSystem(instruction),
		schema: compareSchema(), logprobs: true, rows: []llm.Row{a, bb}, nrows: 2}, &u,
		func(r *reply) (float64, bool) { return r.compare() })
	return p, u, err
}
