package sim

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/value"
)

// reviews is a small labels file (JSONL, so that path is exercised too).
const reviews = `{"text": "great phone, love it", "sentiment": "positive", "stars": 5, "topic": "Battery"}
{"text": "broke after a day", "sentiment": "negative", "stars": 1, "topic": "quality"}
{"text": "it is fine", "sentiment": "neutral", "stars": 3, "topic": "quality"}
{"text": "screen is superb", "sentiment": "positive", "stars": 4, "topic": null}
{"text": "meh", "sentiment": "neutral", "stars": 3, "topic": "price"}
`

const reviewsKey = `{
  "labels": "reviews.jsonl",
  "key": "text",
  "judge": {
    "the review is positive": "sentiment = 'positive'",
    "the review mentions a topic": "topic IS NOT NULL",
    "the topic is quality": "topic = 'quality'"
  },
  "extract": {
    "the sentiment of the review": "sentiment",
    "the star rating": "stars",
    "the stars as text": "CAST(stars AS TEXT) || ' stars'",
    "the topic": "topic",
    "whether it is good": "CASE WHEN stars >= 4 THEN 'yes' ELSE 'no' END"
  },
  "seed": 7,
  "price": { "input_per_mtok": 2.0, "output_per_mtok": 10.0 }
}`

// writeKey writes files into a fresh directory and returns the path of the
// first one.
func writeFiles(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i < len(files); i += 2 {
		if err := os.WriteFile(filepath.Join(dir, files[i]), []byte(files[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, files[0])
}

func loadReviews(t *testing.T) *Backend {
	t.Helper()
	b, err := Load(writeFiles(t, "key.json", reviewsKey, "reviews.jsonl", reviews))
	if err != nil {
		t.Fatal(errs.Detail(err))
	}
	return b
}

func row(text string) llm.Row { return llm.Row{Fields: []llm.Field{{Name: "text", Text: text}}} }

func rowsOf(texts ...string) []llm.Row {
	out := make([]llm.Row, len(texts))
	for i, s := range texts {
		out[i] = row(s)
	}
	return out
}

func TestLoadErrors(t *testing.T) {
	csvLabels := "text,label\na,x\nb,y\n"
	tests := []struct {
		name   string
		key    string
		labels string
		code   errs.Code
		line   int // expected position, if any
		col    int
	}{
		{"unknown field", `{"labels": "l.csv", "key": "text", "judgee": {}}`, csvLabels, errs.BadFile, 0, 0},
		{"not json", `{"labels": "l.csv",`, csvLabels, errs.BadFile, 0, 0},
		{"trailing data", `{"labels": "l.csv", "key": "text"} {}`, csvLabels, errs.BadFile, 0, 0},
		{"no labels", `{"key": "text"}`, csvLabels, errs.BadFile, 0, 0},
		{"no key", `{"labels": "l.csv"}`, csvLabels, errs.BadFile, 0, 0},
		{"noise out of range", `{"labels": "l.csv", "key": "text", "noise": 1.5}`, csvLabels, errs.BadFile, 0, 0},
		{"negative latency", `{"labels": "l.csv", "key": "text", "latency_ms": -1}`, csvLabels, errs.BadFile, 0, 0},
		{"negative price", `{"labels": "l.csv", "key": "text", "price": {"input_per_mtok": -1}}`, csvLabels, errs.BadFile, 0, 0},
		{"missing labels file", `{"labels": "nope.csv", "key": "text"}`, csvLabels, errs.BadPath, 0, 0},
		{"key column not in labels", `{"labels": "l.csv", "key": "body"}`, csvLabels, errs.BadFile, 0, 0},
		{"syntax error", `{"labels": "l.csv", "key": "text", "judge": {"p": "label = = 'x'"}}`, csvLabels, errs.Syntax, 1, 9},
		{"unknown column", `{"labels": "l.csv", "key": "text", "extract": {"p": "upper(lable)"}}`, csvLabels, errs.UnknownColumn, 1, 7},
		{"phrase in expression", `{"labels": "l.csv", "key": "text", "judge": {"p": "\"is it x\""}}`, csvLabels, errs.Unsupported, 0, 0},
		{"same phrase twice", `{"labels": "l.csv", "key": "text", "judge": {"P": "label = 'x'", " p ": "label = 'y'"}}`, csvLabels, errs.BadFile, 0, 0},
		{"conflicting duplicate key", `{"labels": "l.csv", "key": "text"}`, "text,label\na,x\nb,y\na,z\n", errs.BadFile, 0, 0},
		{"identical duplicate key", `{"labels": "l.csv", "key": "text"}`, "text,label\na,x\nb,y\na,x\n", "", 0, 0},
		{"key column case", `{"labels": "l.csv", "key": "TEXT", "judge": {"p": "LABEL = 'x'"}}`, csvLabels, "", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFiles(t, "key.json", tc.key, "l.csv", tc.labels))
			if tc.code == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if errs.CodeOf(err) != tc.code {
				t.Fatalf("code %q (%v), want %q", errs.CodeOf(err), err, tc.code)
			}
			if tc.line > 0 {
				var e *errs.Error
				if !errors.As(err, &e) || e.Pos.Line != tc.line || e.Pos.Col != tc.col || e.Source == "" {
					t.Fatalf("position of %q: got %+v, want %d:%d with source", errs.Detail(err), e, tc.line, tc.col)
				}
			}
		})
	}
}

func TestCallErrors(t *testing.T) {
	b := loadReviews(t)
	ctx := context.Background()
	long := strings.Repeat("not in the key ", 20)
	tests := []struct {
		name string
		call func() error
		code errs.Code
	}{
		{"judge phrase missing", func() error {
			_, _, err := b.Judge(ctx, []string{"the review is angry"}, rowsOf("meh"))
			return err
		}, errs.NoModel},
		{"judge phrase is an extract phrase", func() error {
			_, _, err := b.Judge(ctx, []string{"the topic"}, rowsOf("meh"))
			return err
		}, errs.NoModel},
		{"extract phrase missing", func() error {
			_, _, err := b.Extract(ctx, []llm.Attr{{Instruction: "the colour"}}, rowsOf("meh"))
			return err
		}, errs.NoModel},
		{"taxonomy phrase missing", func() error {
			_, _, err := b.Taxonomy(ctx, "the colour", rowsOf("meh"), 5)
			return err
		}, errs.NoModel},
		{"score phrase missing", func() error {
			_, _, err := b.Score(ctx, "the colour", rowsOf("meh"))
			return err
		}, errs.NoModel},
		{"row missing", func() error {
			_, _, err := b.Judge(ctx, []string{"the review is positive"}, rowsOf("meh", long))
			return err
		}, errs.NoModel},
		{"compare row missing", func() error {
			_, _, err := b.Compare(ctx, "the star rating", row("meh"), row("Meh"))
			return err
		}, errs.NoModel},
		{"no key field", func() error {
			_, _, err := b.Judge(ctx, []string{"the review is positive"},
				[]llm.Row{{Fields: []llm.Field{{Name: "body", Text: "meh"}, {Name: "id", Text: "1"}}}})
			return err
		}, errs.NoModel},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if errs.CodeOf(err) != tc.code {
				t.Fatalf("code %q (%v), want %q", errs.CodeOf(err), err, tc.code)
			}
		})
	}
	// The row-missing error names the value, truncated.
	_, _, err := b.Judge(ctx, []string{"the review is positive"}, rowsOf(long))
	if err == nil || strings.Contains(err.Error(), long) || !strings.Contains(err.Error(), long[:60]) {
		t.Errorf("row-missing error should name the value, truncated: %v", err)
	}
}

func TestJudge(t *testing.T) {
	b := loadReviews(t)
	texts := []string{"great phone, love it", "broke after a day", "it is fine", "screen is superb", "meh"}
	// qualified and upper-case field names find the key column too
	rows := rowsOf(texts...)
	rows[1].Fields[0].Name = "r.TEXT"
	rows[2].Fields = append([]llm.Field{{Name: "id", Text: "3"}}, rows[2].Fields...)
	preds := []string{"  The review   IS positive ", "the review mentions a topic", "the topic is quality"}
	want := [][]bool{
		{true, true, false},
		{false, true, true},
		{false, true, true},
		{true, false, false}, // NULL topic: NULL → false
		{false, true, false},
	}
	got, u, err := b.Judge(context.Background(), preds, rows)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		for j := range want[i] {
			v := got[i][j]
			if v.Value != want[i][j] || v.Prob != map[bool]float64{true: 1, false: 0}[want[i][j]] {
				t.Errorf("row %d pred %d: got %+v, want %v", i, j, v, want[i][j])
			}
		}
	}
	var prompt int64
	for _, p := range preds {
		prompt += llm.EstimateTokens(p)
	}
	for _, r := range rows {
		prompt += llm.EstimateTokens(r.Text())
	}
	wantU := llm.Usage{Calls: 1, RowsJudged: 5, PromptTokens: prompt, CompletionTokens: 6 * 5 * 3}
	wantU.CostUSD = (float64(wantU.PromptTokens)*2 + float64(wantU.CompletionTokens)*10) / 1e6
	if u.Calls != wantU.Calls || u.RowsJudged != wantU.RowsJudged || u.PromptTokens != wantU.PromptTokens ||
		u.CompletionTokens != wantU.CompletionTokens || math.Abs(u.CostUSD-wantU.CostUSD) > 1e-12 || u.CostUSD == 0 {
		t.Errorf("usage %+v, want %+v", u, wantU)
	}
	if b.Name() != "sim:key.json" || b.MaxBatch() != 64 || b.Rows() != 5 {
		t.Errorf("Name %q MaxBatch %d Rows %d", b.Name(), b.MaxBatch(), b.Rows())
	}
	if in, out := b.Price(); in != 2 || out != 10 {
		t.Errorf("Price %v %v", in, out)
	}
}

func TestExtract(t *testing.T) {
	b := loadReviews(t)
	texts := []string{"great phone, love it", "broke after a day", "screen is superb"}
	enum := llm.Type{Kind: llm.KindEnum, Enum: []string{"battery", "quality"}}
	tests := []struct {
		attr llm.Attr
		want []value.Value
	}{
		{llm.Attr{Instruction: "the sentiment of the review", Type: llm.Type{Kind: llm.KindText}},
			[]value.Value{value.FromText("positive"), value.FromText("negative"), value.FromText("positive")}},
		{llm.Attr{Instruction: "THE STAR RATING", Type: llm.Type{Kind: llm.KindInt}},
			[]value.Value{value.FromInt(5), value.FromInt(1), value.FromInt(4)}},
		{llm.Attr{Instruction: "the star rating", Type: llm.Type{Kind: llm.KindReal}},
			[]value.Value{value.FromFloat(5), value.FromFloat(1), value.FromFloat(4)}},
		{llm.Attr{Instruction: "the star rating", Type: llm.Type{Kind: llm.KindText}},
			[]value.Value{value.FromText("5"), value.FromText("1"), value.FromText("4")}},
		{llm.Attr{Instruction: "the stars as text", Type: llm.Type{Kind: llm.KindInt}}, // "5 stars" is not a number
			[]value.Value{value.NullValue, value.NullValue, value.NullValue}},
		{llm.Attr{Instruction: "whether it is good", Type: llm.Type{Kind: llm.KindBool}},
			[]value.Value{value.FromInt(1), value.FromInt(0), value.FromInt(1)}},
		{llm.Attr{Instruction: "the star rating", Type: llm.Type{Kind: llm.KindBool}},
			[]value.Value{value.FromInt(1), value.FromInt(1), value.FromInt(1)}},
		{llm.Attr{Instruction: "the topic", Type: enum}, // "Battery" folds to "battery"; NULL stays NULL
			[]value.Value{value.FromText("battery"), value.FromText("quality"), value.NullValue}},
		{llm.Attr{Instruction: "the sentiment of the review", Type: enum}, // not an option
			[]value.Value{value.NullValue, value.NullValue, value.NullValue}},
	}
	for _, tc := range tests {
		got, u, err := b.Extract(context.Background(), []llm.Attr{tc.attr}, rowsOf(texts...))
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range tc.want {
			if g := got[i][0]; g.K != w.K || value.Compare(g, w) != 0 {
				t.Errorf("%s as %v row %d: got %#v, want %#v", tc.attr.Instruction, tc.attr.Type, i, g, w)
			}
		}
		if u.Calls != 1 || u.RowsJudged != 3 || u.CompletionTokens < 3*completionPerValue {
			t.Errorf("usage %+v", u)
		}
	}
	// several attributes in one call: out[row][attr]
	got, _, err := b.Extract(context.Background(), []llm.Attr{
		{Instruction: "the topic"}, {Instruction: "the star rating", Type: llm.Type{Kind: llm.KindInt}},
	}, rowsOf("meh"))
	if err != nil || len(got) != 1 || len(got[0]) != 2 || got[0][0].S != "price" || got[0][1].I != 3 {
		t.Errorf("two attributes: %v %v", got, err)
	}
}

func TestTaxonomyScoreCompare(t *testing.T) {
	b := loadReviews(t)
	ctx := context.Background()
	sample := rowsOf("it is fine", "screen is superb", "broke after a day", "great phone, love it", "meh")
	tax := []struct {
		phrase string
		max    int
		want   []string
	}{
		{"the topic", 10, []string{"quality", "Battery", "price"}}, // NULL skipped, first appearance
		{"the topic", 2, []string{"quality", "Battery"}},
		{"the topic", 0, []string{"quality", "Battery", "price"}},
		{"the sentiment of the review", 10, []string{"neutral", "positive", "negative"}},
		{"the star rating", 3, []string{"3", "4", "1"}},
	}
	for _, tc := range tax {
		got, u, err := b.Taxonomy(ctx, tc.phrase, sample, tc.max)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Taxonomy(%q, %d) = %q, want %q", tc.phrase, tc.max, got, tc.want)
		}
		if u.Calls != 1 || u.RowsJudged != int64(len(sample)) {
			t.Errorf("usage %+v", u)
		}
	}
	// stars 3, 4, 1, 5, 3 over a labels range of 1..5
	scores, u, err := b.Score(ctx, "the star rating", sample)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.5, 0.75, 0, 1, 0.5}
	for i := range want {
		if math.Abs(scores[i]-want[i]) > 1e-12 {
			t.Errorf("score %d = %v, want %v", i, scores[i], want[i])
		}
	}
	if u.Calls != 1 || u.RowsJudged != 5 {
		t.Errorf("usage %+v", u)
	}
	// a NULL scores 0
	if s, _, err := b.Score(ctx, "the topic", rowsOf("screen is superb")); err != nil || s[0] != 0 {
		t.Errorf("NULL score: %v %v", s, err)
	}
	cmp := []struct {
		a, b string
		want float64
	}{
		{"great phone, love it", "meh", 1},
		{"broke after a day", "it is fine", 0},
		{"meh", "it is fine", 0.5},
	}
	for _, tc := range cmp {
		p, u, err := b.Compare(ctx, "the star rating", row(tc.a), row(tc.b))
		if err != nil {
			t.Fatal(err)
		}
		if p != tc.want || u.Calls != 1 || u.RowsJudged != 2 {
			t.Errorf("Compare(%q, %q) = %v (%+v), want %v", tc.a, tc.b, p, u, tc.want)
		}
	}
}

// smsRows reads the shipped SMS table as the engine would send it.
func smsRows(t *testing.T) []llm.Row {
	t.Helper()
	src, err := catalog.Open(filepath.Join(datasets, "sms_spam", "sms.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rd, err := src.Scan(context.Background(), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Release()
	ti := src.Schema().FieldIndices("text")[0]
	var rows []llm.Row
	for rd.Next() {
		rec := rd.RecordBatch()
		for i := 0; i < int(rec.NumRows()); i++ {
			v := getValue(rec.Column(ti), i, 0)
			rows = append(rows, llm.Row{Fields: []llm.Field{{Name: "sms.text", Text: v.String()}}})
		}
	}
	if err := rd.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// judgeAll judges every row in batches of n.
func judgeAll(t *testing.T, b *Backend, pred string, rows []llm.Row, n int) []bool {
	t.Helper()
	var out []bool
	for i := 0; i < len(rows); i += n {
		j := min(i+n, len(rows))
		vs, _, err := b.Judge(context.Background(), []string{pred}, rows[i:j])
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			out = append(out, v[0].Value)
		}
	}
	return out
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func TestSMSExact(t *testing.T) {
	b, err := Load(filepath.Join(datasets, "sms_spam", "sim.json"))
	if err != nil {
		t.Fatal(errs.Detail(err))
	}
	rows := smsRows(t)
	if len(rows) != 5574 {
		t.Fatalf("%d SMS rows", len(rows))
	}
	_, labels := readCSV(t, filepath.Join(datasets, "sms_spam", "sms_labels.csv"))
	spam := 0
	for _, r := range labels {
		if r[1] == "spam" {
			spam++
		}
	}
	isSpam := judgeAll(t, b, "the message is spam", rows, b.MaxBatch())
	notSpam := judgeAll(t, b, "The message is NOT spam", rows, b.MaxBatch())
	if count(isSpam) != spam || count(notSpam) != len(rows)-spam {
		t.Errorf("spam %d, not spam %d; labels file: %d spam of %d", count(isSpam), count(notSpam), spam, len(rows))
	}
	t.Logf("%d spam of %d", spam, len(rows))
	// extraction agrees with the labels row by row (sms.csv and
	// sms_labels.csv are aligned by id, in the same order)
	for i := 0; i < len(rows); i += 64 {
		j := min(i+64, len(rows))
		vs, _, err := b.Extract(context.Background(), []llm.Attr{{Instruction: "whether the message is spam or ham"}}, rows[i:j])
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range vs {
			if v[0].S != labels[i+k][1] {
				t.Fatalf("row %d: extracted %v, label %s", i+k, v[0], labels[i+k][1])
			}
		}
	}
	// the banking key loads and answers too
	bk, err := Load(filepath.Join(datasets, "banking77", "sim.json"))
	if err != nil {
		t.Fatal(errs.Detail(err))
	}
	tax, _, err := bk.Taxonomy(context.Background(), "the topic of the request",
		rowsOf("I am still waiting on my card?", "Can i cancel this purchase?", "What can I do if my card still hasn't arrived after 2 weeks?"), 8)
	if err != nil || strings.Join(tax, "|") != "cards|refunds" {
		t.Errorf("banking taxonomy %q %v", tax, err)
	}
}

// noisyKey writes a key over the shipped SMS labels with the given noise and
// seed.
func noisyKey(t *testing.T, noise, seed string) *Backend {
	t.Helper()
	labels, err := filepath.Abs(filepath.Join(datasets, "sms_spam", "sms_sim_labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	key := `{"labels": "` + labels + `", "key": "text", "noise": ` + noise + `, "seed": ` + seed + `,
	  "judge": {"the message is spam": "label = 'spam'"},
	  "extract": {"the label": "label", "the label or nothing": "CASE WHEN label = 'spam' THEN label END"}}`
	b, err := Load(writeFiles(t, "noisy.json", key))
	if err != nil {
		t.Fatal(errs.Detail(err))
	}
	return b
}

func TestNoise(t *testing.T) {
	rows := smsRows(t)
	truth := judgeAll(t, noisyKey(t, "0", "1"), "the message is spam", rows, 64)
	b1 := noisyKey(t, "0.1", "1")
	a := judgeAll(t, b1, "the message is spam", rows, 64)
	flips := 0
	for i := range a {
		if a[i] != truth[i] {
			flips++
		}
	}
	rate := float64(flips) / float64(len(rows))
	t.Logf("noise 0.1: %d of %d verdicts flipped (%.2f%%)", flips, len(rows), 100*rate)
	if rate < 0.08 || rate > 0.12 {
		t.Errorf("flip rate %.4f, want about 0.1", rate)
	}
	// reproducible: a fresh load, one big batch, batches of 7, reverse order
	again := noisyKey(t, "0.1", "1")
	one := judgeAll(t, again, "the message is spam", rows, len(rows))
	seven := judgeAll(t, again, "the message is spam", rows, 7)
	rev := make([]llm.Row, len(rows))
	for i := range rows {
		rev[len(rows)-1-i] = rows[i]
	}
	back := judgeAll(t, again, "the message is spam", rev, 64)
	for i := range a {
		if one[i] != a[i] || seven[i] != a[i] || back[len(rows)-1-i] != a[i] {
			t.Fatalf("row %d: verdicts differ between loads, batchings or orders", i)
		}
	}
	// another seed flips other rows
	other := judgeAll(t, noisyKey(t, "0.1", "2"), "the message is spam", rows, 64)
	diff := 0
	for i := range a {
		if other[i] != a[i] {
			diff++
		}
	}
	if diff == 0 {
		t.Errorf("seed 2 flipped exactly the same rows as seed 1")
	}
	// extraction noise: a replaced value is another value of the attribute
	changed := 0
	for i := 0; i < len(rows); i += 64 {
		j := min(i+64, len(rows))
		vs, _, err := b1.Extract(context.Background(), []llm.Attr{{Instruction: "the label"}, {Instruction: "the label or nothing"}}, rows[i:j])
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range vs {
			want := map[bool]string{true: "spam", false: "ham"}[truth[i+k]]
			if v[0].S != "spam" && v[0].S != "ham" {
				t.Fatalf("row %d: extracted %v, not a label", i+k, v[0])
			}
			if v[0].S != want {
				changed++
			}
			// the only non-NULL value of "the label or nothing" is spam
			if !v[1].IsNull() && v[1].S != "spam" {
				t.Fatalf("row %d: extracted %v", i+k, v[1])
			}
		}
	}
	crate := float64(changed) / float64(len(rows))
	t.Logf("noise 0.1: %d of %d extractions replaced (%.2f%%)", changed, len(rows), 100*crate)
	if crate < 0.08 || crate > 0.12 {
		t.Errorf("replacement rate %.4f, want about 0.1", crate)
	}
}

func TestLatencyAndCancel(t *testing.T) {
	key := func(ms string) string {
		return `{"labels": "reviews.jsonl", "key": "text", "latency_ms": ` + ms + `, "judge": {"p": "stars > 3"}}`
	}
	b, err := Load(writeFiles(t, "key.json", key("5"), "reviews.jsonl", reviews))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Judge(context.Background(), []string{"p"}, rowsOf("meh")); err != nil {
		t.Fatal(err)
	}
	// a call that would wait ten minutes returns when its context is cancelled
	slow, err := Load(writeFiles(t, "key.json", key("600000"), "reviews.jsonl", reviews))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, u, err := slow.Judge(ctx, []string{"p"}, rowsOf("meh"))
	if errs.CodeOf(err) != errs.Cancelled || !errors.Is(err, context.Canceled) || u.Calls != 0 {
		t.Errorf("cancelled call: %v (%+v)", err, u)
	}
	// an already cancelled context fails even without latency
	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, _, err := loadReviews(t).Score(done, "the star rating", rowsOf("meh")); errs.CodeOf(err) != errs.Cancelled {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestConcurrent(t *testing.T) {
	b := noisyKey(t, "0.2", "3")
	rows := smsRows(t)[:640]
	want := judgeAll(t, b, "the message is spam", rows, 64)
	var wg sync.WaitGroup
	errc := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g * 80; i < (g+1)*80; i += 16 {
				vs, _, err := b.Judge(context.Background(), []string{"the message is spam"}, rows[i:i+16])
				if err != nil {
					errc <- err.Error()
					return
				}
				for k, v := range vs {
					if v[0].Value != want[i+k] {
						errc <- "verdict differs under concurrency"
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errc)
	for e := range errc {
		t.Error(e)
	}
}

func TestFingerprint(t *testing.T) {
	a, b := noisyKey(t, "0.1", "1"), noisyKey(t, "0.1", "2")
	if a.Name() != b.Name() || a.Fingerprint() == b.Fingerprint() || a.Fingerprint() != noisyKey(t, "0.1", "1").Fingerprint() {
		t.Errorf("fingerprints %s %s", a.Fingerprint(), b.Fingerprint())
	}
}
