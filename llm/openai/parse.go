package openai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/value"
)

// reply is one answer's content with where its boolean literals are, for
// reading their log-probabilities.
type reply struct {
	content string
	body    string // content without a Markdown code fence
	base    int    // offset of body in content
	bools   map[string]int
	lp      *lpIndex
}

func newReply(content string, lp *goopenai.LogProbs) *reply {
	r := &reply{content: content}
	r.body, r.base = unfence(content)
	r.bools = boolPositions(r.body, r.base)
	r.lp = indexLogprobs(content, lp)
	return r
}

// unfence strips a ```json ... ``` fence some models add in json_object mode.
func unfence(s string) (string, int) {
	t := strings.TrimSpace(s)
	lo := strings.Index(s, t)
	if !strings.HasPrefix(t, "```") {
		return t, lo
	}
	nl := strings.IndexByte(t, '\n')
	if nl < 0 {
		return t, lo
	}
	inner := t[nl+1:]
	inner = strings.TrimSuffix(strings.TrimRight(inner, " \t\r\n"), "```")
	return inner, lo + nl + 1
}

// boolPositions maps the path of every boolean literal in a JSON text
// ("answers/0/verdicts/1/value", "first") to its offset (plus base). A text
// that is not valid JSON yields what was read before the error.
func boolPositions(s string, base int) map[string]int {
	out := map[string]int{}
	dec := json.NewDecoder(strings.NewReader(s))
	type frame struct {
		obj       bool
		key       string
		idx       int
		expectKey bool
	}
	var stack []frame
	path := func() string {
		parts := make([]string, 0, len(stack))
		for _, f := range stack {
			if f.obj {
				parts = append(parts, f.key)
			} else {
				parts = append(parts, strconv.Itoa(f.idx))
			}
		}
		return strings.Join(parts, "/")
	}
	advance := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].obj {
				stack[n-1].expectKey = true
			} else {
				stack[n-1].idx++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{obj: true, expectKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].expectKey {
				stack[n-1].key, stack[n-1].expectKey = t, false
				continue
			}
			advance()
		case bool:
			end := int(dec.InputOffset())
			lit := 4
			if !t {
				lit = 5
			}
			out[path()] = base + end - lit
			advance()
		default:
			advance()
		}
	}
}

// lpIndex is the token log-probabilities of a reply with each token's start.
type lpIndex struct {
	toks   []goopenai.LogProb
	starts []int
}

// indexLogprobs indexes lp if its tokens spell content exactly; nil otherwise.
func indexLogprobs(content string, lp *goopenai.LogProbs) *lpIndex {
	if lp == nil || len(lp.Content) == 0 {
		return nil
	}
	ix := &lpIndex{toks: lp.Content, starts: make([]int, len(lp.Content))}
	var b strings.Builder
	for i, t := range lp.Content {
		ix.starts[i] = b.Len()
		b.WriteString(t.Token)
	}
	if b.String() != content {
		return nil
	}
	return ix
}

// probTrue is P(true) from the log-probabilities of the token where the
// boolean literal at offset off starts: the mass of alternatives spelling
// true against those spelling false.
func (ix *lpIndex) probTrue(off int) (float64, bool) {
	if ix == nil {
		return 0, false
	}
	k := -1
	for i, s := range ix.starts {
		if s <= off && off < s+len(ix.toks[i].Token) {
			k = i
			break
		}
	}
	if k < 0 {
		return 0, false
	}
	tok := ix.toks[k]
	prefix := tok.Token[:off-ix.starts[k]]
	alts := make([]goopenai.TopLogProbs, 0, len(tok.TopLogProbs)+1)
	alts = append(alts, tok.TopLogProbs...)
	found := false
	for _, a := range alts {
		if a.Token == tok.Token {
			found = true
		}
	}
	if !found {
		alts = append(alts, goopenai.TopLogProbs{Token: tok.Token, LogProb: tok.LogProb})
	}
	var pt, pf float64
	for _, a := range alts {
		if !strings.HasPrefix(a.Token, prefix) {
			continue
		}
		rest := strings.ToLower(strings.TrimLeft(a.Token[len(prefix):], " \t\r\n"))
		if rest == "" {
			continue
		}
		p := math.Exp(a.LogProb)
		switch {
		case strings.HasPrefix("true", rest) || strings.HasPrefix(rest, "true"):
			pt += p
		case strings.HasPrefix("false", rest) || strings.HasPrefix(rest, "false"):
			pf += p
		}
	}
	if pt+pf <= 0 || math.IsNaN(pt+pf) {
		return 0, false
	}
	return pt / (pt + pf), true
}

// verdictProb is the probability of a verdict: from log-probabilities at
// path if known, else the verbalised one, else 1 or 0; clamped to [0, 1].
func (r *reply) verdictProb(path string, val bool, verbal *float64) float64 {
	if off, ok := r.bools[path]; ok {
		if p, ok := r.lp.probTrue(off); ok {
			return clamp01(p)
		}
	}
	if verbal != nil && !math.IsNaN(*verbal) {
		return clamp01(*verbal)
	}
	if val {
		return 1
	}
	return 0
}

func clamp01(p float64) float64 {
	return math.Max(0, math.Min(1, p))
}

// rowAnswers splits a batch reply's answers by row: byRow[i] is the answer
// object (and its index in the answers array) of row i when exactly one
// answer carries the id rowID(i); rows answered never or more than once are
// absent. Answers with unknown ids are ignored. ok is false if the reply is
// not a JSON object with an answers array.
func (r *reply) rowAnswers(n int) (byRow map[int]indexedAnswer, ok bool) {
	var top struct {
		Answers []json.RawMessage `json:"answers"`
	}
	if json.Unmarshal([]byte(r.body), &top) != nil || top.Answers == nil {
		return nil, false
	}
	count := make([]int, n)
	byRow = map[int]indexedAnswer{}
	for ai, a := range top.Answers {
		var idv struct {
			ID any `json:"id"`
		}
		if json.Unmarshal(a, &idv) != nil {
			continue
		}
		i, ok := parseID(idv.ID, n)
		if !ok {
			continue
		}
		count[i]++
		byRow[i] = indexedAnswer{ai, a}
	}
	for i, c := range count {
		if c != 1 {
			delete(byRow, i)
		}
	}
	return byRow, true
}

type indexedAnswer struct {
	idx int
	raw json.RawMessage
}

// parseID reads "r<i>" (also a bare index, which some models produce in
// json_object mode) with 0 <= i < n.
func parseID(v any, n int) (int, bool) {
	var s string
	switch t := v.(type) {
	case string:
		s = strings.TrimPrefix(strings.TrimSpace(t), "r")
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	default:
		return 0, false
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= n || strconv.Itoa(i) != s {
		return 0, false
	}
	return i, true
}

// judgeRow validates one row's verdicts for npreds predicates.
func (r *reply) judgeRow(a indexedAnswer, npreds int) ([]llm.Verdict, bool) {
	var ans struct {
		Verdicts []json.RawMessage `json:"verdicts"`
	}
	if json.Unmarshal(a.raw, &ans) != nil {
		return nil, false
	}
	out := make([]llm.Verdict, npreds)
	seen := make([]bool, npreds)
	for vi, raw := range ans.Verdicts {
		var v struct {
			P           *int     `json:"p"`
			Value       *bool    `json:"value"`
			Probability *float64 `json:"probability"`
		}
		if json.Unmarshal(raw, &v) != nil || v.P == nil || v.Value == nil {
			return nil, false
		}
		p := *v.P
		if p < 0 || p >= npreds || seen[p] {
			return nil, false
		}
		seen[p] = true
		path := fmt.Sprintf("answers/%d/verdicts/%d/value", a.idx, vi)
		out[p] = llm.Verdict{Value: *v.Value, Prob: r.verdictProb(path, *v.Value, v.Probability)}
	}
	for _, s := range seen {
		if !s {
			return nil, false
		}
	}
	return out, true
}

// extractRow validates one row's values.
func extractRow(a indexedAnswer, attrs []llm.Attr) ([]value.Value, bool) {
	var ans struct {
		Values map[string]json.RawMessage `json:"values"`
	}
	if json.Unmarshal(a.raw, &ans) != nil || ans.Values == nil {
		return nil, false
	}
	out := make([]value.Value, len(attrs))
	for i, at := range attrs {
		raw, ok := ans.Values[fmt.Sprintf("a%d", i)]
		if !ok {
			return nil, false
		}
		v, ok := convert(raw, at.Type)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// convert checks an extracted JSON value against the attribute's type.
// Numbers given as numeric strings and case variants of enumeration values
// are accepted (json_object mode does not constrain them).
func convert(raw json.RawMessage, t llm.Type) (value.Value, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var x any
	if dec.Decode(&x) != nil {
		return value.NullValue, false
	}
	if x == nil {
		return value.NullValue, true
	}
	numText := func() (string, bool) {
		switch v := x.(type) {
		case json.Number:
			return v.String(), true
		case string:
			return strings.TrimSpace(v), true
		}
		return "", false
	}
	switch t.Kind {
	case llm.KindInt:
		s, ok := numText()
		if !ok {
			return value.NullValue, false
		}
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return value.FromInt(i), true
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
			return value.NullValue, false
		}
		return value.FromInt(int64(f)), true
	case llm.KindReal:
		s, ok := numText()
		if !ok {
			return value.NullValue, false
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return value.NullValue, false
		}
		return value.FromFloat(f), true
	case llm.KindBool:
		switch v := x.(type) {
		case bool:
			return value.FromBool(v), true
		case string:
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "true", "yes":
				return value.FromBool(true), true
			case "false", "no":
				return value.FromBool(false), true
			}
		}
		return value.NullValue, false
	case llm.KindEnum:
		if len(t.Enum) == 0 {
			break
		}
		s, ok := x.(string)
		if !ok {
			return value.NullValue, false
		}
		for _, e := range t.Enum {
			if s == e {
				return value.FromText(e), true
			}
		}
		for _, e := range t.Enum {
			if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(e)) {
				return value.FromText(e), true
			}
		}
		return value.NullValue, false
	}
	switch v := x.(type) {
	case string:
		return value.FromText(v), true
	case json.Number:
		return value.FromText(v.String()), true
	case bool:
		return value.FromText(strconv.FormatBool(v)), true
	}
	return value.NullValue, false
}

// scoreRow validates one row's score.
func scoreRow(a indexedAnswer) (float64, bool) {
	var ans struct {
		Score json.RawMessage `json:"score"`
	}
	if json.Unmarshal(a.raw, &ans) != nil || ans.Score == nil {
		return 0, false
	}
	v, ok := convert(ans.Score, llm.Type{Kind: llm.KindReal})
	if !ok || v.IsNull() {
		return 0, false
	}
	return clamp01(v.F), true
}

// taxonomy validates a taxonomy reply: distinct non-empty names, at most max.
func (r *reply) taxonomy(max int) ([]string, bool) {
	var ans struct {
		Categories []any `json:"categories"`
	}
	if json.Unmarshal([]byte(r.body), &ans) != nil {
		return nil, false
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range ans.Categories {
		s, ok := c.(string)
		if !ok {
			return nil, false
		}
		s = strings.TrimSpace(s)
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
		if max > 0 && len(out) == max {
			break
		}
	}
	return out, len(out) > 0
}

// anchors validates an anchors reply: two non-empty texts.
func (r *reply) anchors() ([2]string, bool) {
	var ans struct {
		Positive *string `json:"positive"`
		Negative *string `json:"negative"`
	}
	if json.Unmarshal([]byte(r.body), &ans) != nil || ans.Positive == nil || ans.Negative == nil {
		return [2]string{}, false
	}
	p, n := strings.TrimSpace(*ans.Positive), strings.TrimSpace(*ans.Negative)
	return [2]string{p, n}, p != "" && n != "" && p != n
}

// compare validates a compare reply.
func (r *reply) compare() (float64, bool) {
	var ans struct {
		First       *bool    `json:"first"`
		Probability *float64 `json:"probability"`
	}
	if json.Unmarshal([]byte(r.body), &ans) != nil || ans.First == nil {
		return 0, false
	}
	return r.verdictProb("first", *ans.First, ans.Probability), true
}
