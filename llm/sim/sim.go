// Package sim owns the answer-key model: an llm.Backend that answers from a
// JSON answer key and a labels file (DESIGN.md §3, "The sim answer key") so
// that evaluations and tests run offline, reproducibly, and with known
// ground truth.
//
// A key file looks like
//
//	{
//	  "labels":  "reviews_labels.csv",
//	  "key":     "text",
//	  "judge":   { "the review is positive": "sentiment = 'positive'" },
//	  "extract": { "the sentiment of the review": "sentiment" },
//	  "noise":   0.0,
//	  "latency_ms": 0,
//	  "seed":    1,
//	  "price":   { "input_per_mtok": 0.0, "output_per_mtok": 0.0 }
//	}
//
// Unknown fields are an error. The labels file (CSV or JSONL, relative to
// the key file) is read once by Load, through catalog.Open, and indexed by
// the text (value.Value.String) of its key column; a key value that occurs
// twice is accepted only if both rows carry identical labels. Every judge
// and extract expression is parsed and bound at Load (so a bad one fails
// early with its position) and evaluated over every labels row at Load with
// planner.EvalRow, the engine's own row semantics; afterwards the backend is
// read-only and safe for concurrent use.
//
// Answers:
//   - Judge: the truth of the judge expression (NULL is false), Prob 1 or 0.
//   - Extract: the extract expression's value converted to the requested
//     type (see convert).
//   - Taxonomy: the distinct non-NULL values, as text, of the extract
//     expression over the sample, in order of first appearance, at most max
//     (max <= 0: no limit).
//   - Score: the extract expression as a number, scaled to [0, 1] by the
//     minimum and maximum of that expression over the whole labels file (so
//     a score does not depend on the batch it was asked in); NULL scores 0.
//   - Compare: 1 if score(a) > score(b), 0 if less, 0.5 if equal.
//
// Phrases are matched after trimming and folding case and internal white
// space. A phrase or a row missing from the key is an error naming it (code
// errs.NoModel); the sim never guesses.
//
// Noise: for each (operation, phrase, row key) a uniform draw u in [0, 1) is
// computed as a hash of "seed|op|phrase|key" (FNV-1a, then a SplitMix64
// finaliser); if u < noise, a verdict is flipped and an extraction is
// replaced by another value of the same expression, chosen by a second draw
// among the distinct non-NULL values that expression takes over the whole
// labels file. The draws depend only on the seed, the phrase and the row,
// never on batch composition or call order. Score and Compare use the
// (possibly replaced) extraction, Taxonomy too, so every operation tells the
// same story about a row.
//
// Accounting is that of a real backend: one call per method invocation,
// RowsJudged = rows sent, prompt tokens estimated by llm.EstimateTokens over
// the instructions and each row's Text(), completion tokens estimated from
// the size of the answers (completionPerVerdict per verdict, the answer's
// text plus completionPerValue per extracted value, ...), and money from
// the key's price. latency_ms delays every call (cancellable).
package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/parser"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// MaxBatch is the most rows one sim call carries. The sim has no context
// window; 64 is a typical batch for a real model with short rows, so that
// call counts under the sim resemble those of a real backend.
const MaxBatch = 64

// Estimated completion tokens per answer (the sim produces no text, so it
// charges what a real model's structured answer would roughly cost).
const (
	completionPerVerdict  = 6 // {"id":12,"v":true}
	completionPerValue    = 6 // id and JSON punctuation, plus the value's text
	completionPerScore    = 6
	completionPerCategory = 2 // plus the category's text
	completionCompare     = 4
)

// keyFile is the JSON answer key (DESIGN.md §3).
type keyFile struct {
	Labels    *string           `json:"labels"`
	Key       *string           `json:"key"`
	Judge     map[string]string `json:"judge"`
	Extract   map[string]string `json:"extract"`
	Noise     float64           `json:"noise"`
	LatencyMS float64           `json:"latency_ms"`
	Seed      int64             `json:"seed"`
	Price     *struct {
		InputPerMTok  float64 `json:"input_per_mtok"`
		OutputPerMTok float64 `json:"output_per_mtok"`
	} `json:"price"`
}

// expr is one judge or extract entry, evaluated over every labels row.
type expr struct {
	phrase string        // as written in the key file
	src    string        // the UQL expression
	vals   []value.Value // its value on every labels row
	// distinct non-NULL values over the labels file, in order of first
	// appearance (replacement candidates for noise).
	distinct []value.Value
	min, max float64 // numeric range over the labels file (Score)
}

// Backend is the answer-key model. It implements llm.Backend and is safe
// for concurrent use.
type Backend struct {
	name    string
	file    string // base name of the key file, for messages
	keyCol  string // the key column's name as in the labels file
	cols    []string
	index   map[string]int // key text → labels row
	judge   map[string]*expr
	extract map[string]*expr
	noise   float64
	latency time.Duration
	seed    int64
	in, out float64
	nrows   int
	finger  string
}

var _ llm.Backend = (*Backend)(nil)

// Load reads a JSON answer key and its labels file. Errors: a malformed or
// incomplete key file, an unknown field, a conflicting duplicate key value
// (errs.BadFile); an unreadable file (the catalog's codes); a bad judge or
// extract expression (the parser's or binder's code, positioned within the
// expression, with its source for errs.Detail).
func Load(path string) (*Backend, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, errs.Wrap(err, errs.BadPath, "sim: cannot read answer key %s: %v", path, unwrapPathErr(err))
	}
	base := filepath.Base(path)
	var kf keyFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&kf); err != nil {
		return nil, errs.New(errs.BadFile, "sim: answer key %s: %v", base, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errs.New(errs.BadFile, "sim: answer key %s: unexpected data after the JSON object", base)
	}
	switch {
	case kf.Labels == nil || *kf.Labels == "":
		return nil, errs.New(errs.BadFile, "sim: answer key %s: missing \"labels\" (the labels file)", base)
	case kf.Key == nil || *kf.Key == "":
		return nil, errs.New(errs.BadFile, "sim: answer key %s: missing \"key\" (the column identifying a row)", base)
	case math.IsNaN(kf.Noise) || kf.Noise < 0 || kf.Noise > 1:
		return nil, errs.New(errs.BadFile, "sim: answer key %s: noise must be between 0 and 1, got %v", base, kf.Noise)
	case kf.LatencyMS < 0:
		return nil, errs.New(errs.BadFile, "sim: answer key %s: latency_ms must not be negative", base)
	case kf.Price != nil && (kf.Price.InputPerMTok < 0 || kf.Price.OutputPerMTok < 0):
		return nil, errs.New(errs.BadFile, "sim: answer key %s: prices must not be negative", base)
	}
	b := &Backend{
		name:    "sim:" + base,
		file:    base,
		judge:   map[string]*expr{},
		extract: map[string]*expr{},
		noise:   kf.Noise,
		latency: time.Duration(kf.LatencyMS * float64(time.Millisecond)),
		seed:    kf.Seed,
	}
	if kf.Price != nil {
		b.in, b.out = kf.Price.InputPerMTok, kf.Price.OutputPerMTok
	}
	labels := *kf.Labels
	if !filepath.IsAbs(labels) {
		labels = filepath.Join(filepath.Dir(path), labels)
	}
	names, types, rows, err := readLabels(labels)
	if err != nil {
		return nil, err
	}
	h := fnv64(offset64, raw)
	if lab, err := os.ReadFile(labels); err == nil {
		h = fnv64(h, lab)
	}
	b.finger = fmt.Sprintf("%016x", mix64(h))
	b.cols = names
	b.nrows = len(rows)
	keyIdx := -1
	for i, n := range names {
		if strings.EqualFold(n, *kf.Key) {
			keyIdx = i
			break
		}
	}
	if keyIdx < 0 {
		return nil, errs.New(errs.BadFile, "sim: answer key %s: key column %q is not in the labels file %s (columns: %s)",
			base, *kf.Key, filepath.Base(labels), strings.Join(names, ", "))
	}
	b.keyCol = names[keyIdx]
	b.index = make(map[string]int, len(rows))
	for r, row := range rows {
		k := row[keyIdx]
		if k.IsNull() {
			return nil, errs.New(errs.BadFile, "sim: labels file %s: row %d has a NULL key (%s)", filepath.Base(labels), r+1, b.keyCol)
		}
		ks := k.String()
		if prev, ok := b.index[ks]; ok {
			if !sameRow(rows[prev], row) {
				return nil, errs.New(errs.BadFile, "sim: labels file %s: key %s = %q occurs twice (rows %d and %d) with different labels",
					filepath.Base(labels), b.keyCol, truncate(ks, 80), prev+1, r+1)
			}
			continue
		}
		b.index[ks] = r
	}
	for _, part := range []struct {
		what    string
		entries map[string]string
		into    map[string]*expr
	}{{"judge", kf.Judge, b.judge}, {"extract", kf.Extract, b.extract}} {
		for _, phrase := range sortedKeys(part.entries) {
			src := part.entries[phrase]
			norm := normPhrase(phrase)
			if norm == "" {
				return nil, errs.New(errs.BadFile, "sim: answer key %s: empty %s phrase", base, part.what)
			}
			if prev, ok := part.into[norm]; ok && prev.src != src {
				return nil, errs.New(errs.BadFile, "sim: answer key %s: %s phrases %q and %q are the same phrase with different expressions",
					base, part.what, prev.phrase, phrase)
			}
			e, err := compile(base, part.what, phrase, src, names, types, rows)
			if err != nil {
				return nil, err
			}
			part.into[norm] = e
		}
	}
	return b, nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks) // so that the first error reported is stable
	return ks
}

func sameRow(a, b []value.Value) bool {
	for i := range a {
		if a[i].K != b[i].K || value.Compare(a[i], b[i]) != 0 {
			return false
		}
	}
	return true
}

// compile parses, binds and evaluates one expression over every labels row.
func compile(base, what, phrase, src string, names []string, types []planner.Type, rows [][]value.Value) (*expr, error) {
	file := fmt.Sprintf("%s (%s %q)", base, what, phrase)
	ast, err := parser.ParseExpr(file, src)
	if err != nil {
		return nil, errs.WithSource(err, file, src)
	}
	bound, err := planner.BindColumns(ast, names, types)
	if err != nil {
		return nil, errs.WithSource(err, file, src)
	}
	var nl *planner.NLExpr
	planner.Walk(bound, func(x planner.Expr) bool {
		if v, ok := x.(*planner.NLExpr); ok && nl == nil {
			nl = v
		}
		return nl == nil
	})
	if nl != nil {
		return nil, errs.At(errs.Pos{File: file, Line: 1, Col: 1}, errs.Unsupported,
			"sim: an answer-key expression cannot contain a natural-language expression; use the label columns (%s)", strings.Join(names, ", "))
	}
	e := &expr{phrase: phrase, src: src, vals: make([]value.Value, len(rows))}
	env := &rowEnv{}
	seen := map[string]bool{}
	e.min, e.max = math.Inf(1), math.Inf(-1)
	for r, row := range rows {
		env.row = row
		v, err := planner.EvalRow(bound, env)
		if err != nil {
			code := errs.CodeOf(err)
			if code == "" {
				code = errs.Runtime
			}
			return nil, errs.Wrap(err, code, "sim: %s: evaluating on labels row %d: %v", file, r+1, err)
		}
		e.vals[r] = v
		if v.IsNull() {
			continue
		}
		if k := v.Key(); !seen[k] {
			seen[k] = true
			e.distinct = append(e.distinct, v)
		}
		f := numeric(v)
		e.min = math.Min(e.min, f)
		e.max = math.Max(e.max, f)
	}
	return e, nil
}

// rowEnv gives EvalRow the columns of one labels row (column i has ColID
// i+1, as planner.BindColumns assigns them).
type rowEnv struct{ row []value.Value }

func (e *rowEnv) Col(id planner.ColID) (value.Value, bool) {
	i := int(id) - 1
	if i < 0 || i >= len(e.row) {
		return value.NullValue, false
	}
	return e.row[i], true
}

func (e *rowEnv) Subquery(*planner.Subquery) (value.Value, error) {
	return value.NullValue, errs.New(errs.Unsupported, "sim: subqueries are not allowed in answer-key expressions")
}

// readLabels reads the whole labels file into memory.
func readLabels(path string) ([]string, []planner.Type, [][]value.Value, error) {
	src, err := catalog.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	schema := src.Schema()
	names := make([]string, schema.NumFields())
	types := make([]planner.Type, schema.NumFields())
	for i, f := range schema.Fields() {
		names[i] = f.Name
		types[i] = planner.TypeFromArrow(f.Type)
		if v, ok := f.Metadata.GetValue(value.AnyMetaKey); ok && v == value.AnyMetaValue {
			types[i] = planner.TAny
		}
	}
	rd, err := src.Scan(context.Background(), memory.DefaultAllocator)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rd.Release()
	var rows [][]value.Value
	for rd.Next() {
		rec := rd.RecordBatch()
		n := int(rec.NumRows())
		for r := 0; r < n; r++ {
			row := make([]value.Value, len(names))
			for c := range names {
				row[c] = getValue(rec.Column(c), r, types[c])
			}
			rows = append(rows, row)
		}
	}
	if err := rd.Err(); err != nil {
		return nil, nil, nil, err
	}
	return names, types, rows, nil
}

// getValue reads one value of an Arrow array (the types file sources
// produce).
func getValue(a arrow.Array, i int, t planner.Type) value.Value {
	if a.IsNull(i) {
		return value.NullValue
	}
	switch a := a.(type) {
	case *array.Int64:
		return value.FromInt(a.Value(i))
	case *array.Int32:
		return value.FromInt(int64(a.Value(i)))
	case *array.Float64:
		return value.FromFloat(a.Value(i))
	case *array.Float32:
		return value.FromFloat(float64(a.Value(i)))
	case *array.String:
		return value.FromText(a.Value(i))
	case *array.LargeString:
		return value.FromText(a.Value(i))
	case *array.Boolean:
		return value.FromBool(a.Value(i))
	case *array.Binary:
		if t == planner.TAny {
			return value.DecodeTagged(a.Value(i))
		}
		return value.FromBlob(a.Value(i))
	}
	return value.FromText(a.ValueStr(i))
}

// normPhrase trims a phrase and folds its case and internal white space.
func normPhrase(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Name is "sim:" followed by the base name of the key file.
func (b *Backend) Name() string { return b.name }

// MaxBatch is 64 (see the constant).
func (b *Backend) MaxBatch() int { return MaxBatch }

// Price is the key's price per million prompt and completion tokens.
func (b *Backend) Price() (inputPerMTok, outputPerMTok float64) { return b.in, b.out }

// Rows is the number of rows in the labels file.
func (b *Backend) Rows() int { return b.nrows }

// Fingerprint is a hash of the key file's and the labels file's content
// (hex). Name() alone does not tell two key files of the same base name
// apart, nor the same key with another seed or noise; a response cache
// should key sim answers by Name() + Fingerprint().
func (b *Backend) Fingerprint() string { return b.finger }

// lookupPhrase finds the entry for a phrase.
func (b *Backend) lookupPhrase(what string, m map[string]*expr, phrase string) (*expr, error) {
	if e, ok := m[normPhrase(phrase)]; ok {
		return e, nil
	}
	return nil, errs.New(errs.NoModel, "sim: no %s entry for phrase %q in %s", what, strings.TrimSpace(phrase), b.file)
}

// lookupRows maps every row to its labels row.
func (b *Backend) lookupRows(rows []llm.Row) ([]int, []string, error) {
	idx := make([]int, len(rows))
	keys := make([]string, len(rows))
	for i, r := range rows {
		k, err := b.rowKey(r)
		if err != nil {
			return nil, nil, err
		}
		j, ok := b.index[k]
		if !ok {
			return nil, nil, errs.New(errs.NoModel, "sim: row not in the answer key %s: %s = %q", b.file, b.keyCol, truncate(k, 80))
		}
		idx[i], keys[i] = j, k
	}
	return idx, keys, nil
}

// rowKey finds the key column among a row's fields (case-insensitive; a
// qualified name "t.text" matches on the part after the last '.').
func (b *Backend) rowKey(r llm.Row) (string, error) {
	for _, f := range r.Fields {
		n := f.Name
		if i := strings.LastIndexByte(n, '.'); i >= 0 {
			n = n[i+1:]
		}
		if strings.EqualFold(n, b.keyCol) {
			return f.Text, nil
		}
	}
	sent := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		sent[i] = f.Name
	}
	return "", errs.New(errs.NoModel, "sim: the row has no key column %q (answer key %s); fields sent: %s",
		b.keyCol, b.file, strings.Join(sent, ", "))
}

// wait applies the latency of one call, honouring cancellation.
func (b *Backend) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return errs.Wrap(err, errs.Cancelled, "sim: %v", err)
	}
	if b.latency <= 0 {
		return nil
	}
	t := time.NewTimer(b.latency)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return errs.Wrap(ctx.Err(), errs.Cancelled, "sim: %v", ctx.Err())
	case <-t.C:
		return nil
	}
}

// usage accounts one call.
func (b *Backend) usage(rows int, prompt, completion int64) llm.Usage {
	return llm.Usage{
		Calls:            1,
		RowsJudged:       int64(rows),
		PromptTokens:     prompt,
		CompletionTokens: completion,
		CostUSD:          (float64(prompt)*b.in + float64(completion)*b.out) / 1e6,
	}
}

func promptTokens(instructions []string, rows []llm.Row) int64 {
	var n int64
	for _, s := range instructions {
		n += llm.EstimateTokens(s)
	}
	for _, r := range rows {
		n += llm.EstimateTokens(r.Text())
	}
	return n
}

// draw is the reproducible uniform [0, 1) draw for (op, phrase, key).
func (b *Backend) draw(op, phrase, key string, salt byte) float64 {
	h := fnvString(offset64, strconv.FormatInt(b.seed, 10))
	h = fnvString(h, "|"+op+"|")
	h = fnvString(h, phrase)
	h = fnvString(h, "|")
	h = fnvString(h, key)
	h = fnv64(h, []byte{'|', salt})
	return float64(mix64(h)>>11) / (1 << 53)
}

// verdict is the (noisy) judgment of e on labels row r with key k.
func (b *Backend) verdict(e *expr, norm string, r int, k string) bool {
	t, ok := value.Truth(e.vals[r])
	v := ok && t
	if b.noise > 0 && b.draw("judge", norm, k, 0) < b.noise {
		v = !v
	}
	return v
}

// extraction is the (noisy) value of e on labels row r with key k.
func (b *Backend) extraction(e *expr, norm string, r int, k string) value.Value {
	v := e.vals[r]
	if b.noise <= 0 || b.draw("extract", norm, k, 0) >= b.noise {
		return v
	}
	var cands []value.Value
	for _, d := range e.distinct {
		if v.IsNull() || value.Compare(d, v) != 0 || d.K != v.K {
			cands = append(cands, d)
		}
	}
	if len(cands) == 0 {
		return v
	}
	i := int(b.draw("extract", norm, k, 1) * float64(len(cands)))
	if i >= len(cands) {
		i = len(cands) - 1
	}
	return cands[i]
}

// Judge evaluates every predicate on every row: out[row][pred].
func (b *Backend) Judge(ctx context.Context, preds []string, rows []llm.Row) ([][]llm.Verdict, llm.Usage, error) {
	es := make([]*expr, len(preds))
	norms := make([]string, len(preds))
	for i, p := range preds {
		e, err := b.lookupPhrase("judge", b.judge, p)
		if err != nil {
			return nil, llm.Usage{}, err
		}
		es[i], norms[i] = e, normPhrase(p)
	}
	idx, keys, err := b.lookupRows(rows)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	if err := b.wait(ctx); err != nil {
		return nil, llm.Usage{}, err
	}
	out := make([][]llm.Verdict, len(rows))
	for i := range rows {
		out[i] = make([]llm.Verdict, len(preds))
		for j, e := range es {
			v := b.verdict(e, norms[j], idx[i], keys[i])
			out[i][j] = llm.Verdict{Value: v, Prob: boolProb(v)}
		}
	}
	comp := int64(completionPerVerdict * len(rows) * len(preds))
	return out, b.usage(len(rows), promptTokens(preds, rows), comp), nil
}

func boolProb(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

// Extract extracts every attribute from every row: out[row][attr].
func (b *Backend) Extract(ctx context.Context, attrs []llm.Attr, rows []llm.Row) ([][]value.Value, llm.Usage, error) {
	es := make([]*expr, len(attrs))
	norms := make([]string, len(attrs))
	instr := make([]string, len(attrs))
	for i, a := range attrs {
		e, err := b.lookupPhrase("extract", b.extract, a.Instruction)
		if err != nil {
			return nil, llm.Usage{}, err
		}
		es[i], norms[i], instr[i] = e, normPhrase(a.Instruction), a.Instruction
	}
	idx, keys, err := b.lookupRows(rows)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	if err := b.wait(ctx); err != nil {
		return nil, llm.Usage{}, err
	}
	out := make([][]value.Value, len(rows))
	var comp int64
	for i := range rows {
		out[i] = make([]value.Value, len(attrs))
		for j, e := range es {
			v := convert(b.extraction(e, norms[j], idx[i], keys[i]), attrs[j].Type)
			out[i][j] = v
			comp += completionPerValue + llm.EstimateTokens(v.String())
		}
	}
	return out, b.usage(len(rows), promptTokens(instr, rows), comp), nil
}

// convert converts an extracted value to the requested type: KindInt an
// integer, KindReal a real (text that is not a number: NULL), KindBool 1 or
// 0 (text true/yes/false/no, else by numeric truth; other text: NULL),
// KindText text, KindEnum the option equal to the value's text, else the
// option equal to it ignoring case, else NULL.
func convert(v value.Value, t llm.Type) value.Value {
	if v.IsNull() {
		return v
	}
	switch t.Kind {
	case llm.KindInt, llm.KindReal:
		n := v
		if v.K == value.Text || v.K == value.Blob {
			p, ok := value.ParseNumber(strings.TrimSpace(v.S))
			if !ok {
				return value.NullValue
			}
			n = p
		}
		if t.Kind == llm.KindInt {
			return value.Cast(n, "INTEGER")
		}
		return value.Cast(n, "REAL")
	case llm.KindBool:
		if v.K == value.Text || v.K == value.Blob {
			switch strings.ToLower(strings.TrimSpace(v.S)) {
			case "true", "yes", "y", "t":
				return value.FromBool(true)
			case "false", "no", "n", "f":
				return value.FromBool(false)
			}
			p, ok := value.ParseNumber(strings.TrimSpace(v.S))
			if !ok {
				return value.NullValue
			}
			v = p
		}
		tr, ok := value.Truth(v)
		if !ok {
			return value.NullValue
		}
		return value.FromBool(tr)
	case llm.KindEnum:
		s := value.ToText(v).S
		for _, o := range t.Enum {
			if o == s {
				return value.FromText(o)
			}
		}
		for _, o := range t.Enum {
			if strings.EqualFold(o, s) {
				return value.FromText(o)
			}
		}
		return value.NullValue
	}
	return value.ToText(v)
}

// Taxonomy returns the distinct values (as text) of the extract expression
// for instruction among the sample rows, in order of first appearance, at
// most max (all if max <= 0).
func (b *Backend) Taxonomy(ctx context.Context, instruction string, sample []llm.Row, max int) ([]string, llm.Usage, error) {
	e, err := b.lookupPhrase("extract", b.extract, instruction)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	norm := normPhrase(instruction)
	idx, keys, err := b.lookupRows(sample)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	if err := b.wait(ctx); err != nil {
		return nil, llm.Usage{}, err
	}
	out := []string{}
	seen := map[string]bool{}
	var comp int64
	for i := range sample {
		if max > 0 && len(out) >= max {
			break
		}
		v := b.extraction(e, norm, idx[i], keys[i])
		if v.IsNull() {
			continue
		}
		s := value.ToText(v).S
		if seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
		comp += completionPerCategory + llm.EstimateTokens(s)
	}
	return out, b.usage(len(sample), promptTokens([]string{instruction}, sample), comp), nil
}

// score is the [0, 1] score of labels row r.
func (b *Backend) score(e *expr, norm string, r int, k string) float64 {
	v := b.extraction(e, norm, r, k)
	if v.IsNull() {
		return 0
	}
	f := numeric(v)
	if e.max > e.min {
		return (f - e.min) / (e.max - e.min)
	}
	return 1
}

// numeric is v as a number (text by its numeric prefix, as SQLite does).
func numeric(v value.Value) float64 {
	return value.AsFloat(value.ToNumeric(v))
}

// Score rates every row by the extract expression for instruction, as a
// number scaled to [0, 1] over the labels file (NULL: 0).
func (b *Backend) Score(ctx context.Context, instruction string, rows []llm.Row) ([]float64, llm.Usage, error) {
	e, err := b.lookupPhrase("extract", b.extract, instruction)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	norm := normPhrase(instruction)
	idx, keys, err := b.lookupRows(rows)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	if err := b.wait(ctx); err != nil {
		return nil, llm.Usage{}, err
	}
	out := make([]float64, len(rows))
	for i := range rows {
		out[i] = b.score(e, norm, idx[i], keys[i])
	}
	comp := int64(completionPerScore * len(rows))
	return out, b.usage(len(rows), promptTokens([]string{instruction}, rows), comp), nil
}

// Compare returns 1 if a scores higher than b, 0 if lower, 0.5 if equal.
func (b *Backend) Compare(ctx context.Context, instruction string, a, c llm.Row) (float64, llm.Usage, error) {
	e, err := b.lookupPhrase("extract", b.extract, instruction)
	if err != nil {
		return 0, llm.Usage{}, err
	}
	norm := normPhrase(instruction)
	rows := []llm.Row{a, c}
	idx, keys, err := b.lookupRows(rows)
	if err != nil {
		return 0, llm.Usage{}, err
	}
	if err := b.wait(ctx); err != nil {
		return 0, llm.Usage{}, err
	}
	sa, sc := b.score(e, norm, idx[0], keys[0]), b.score(e, norm, idx[1], keys[1])
	p := 0.5
	if sa > sc {
		p = 1
	} else if sa < sc {
		p = 0
	}
	return p, b.usage(2, promptTokens([]string{instruction}, rows), completionCompare), nil
}

// FNV-1a 64 and the SplitMix64 finaliser (FNV's low bits mix poorly).
const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

func fnv64(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= prime64
	}
	return h
}

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime64
	}
	return h
}

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
