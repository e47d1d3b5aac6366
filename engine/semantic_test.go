package engine

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/llm/llmtest"
	"github.com/uqe-dev/uqe/parser"
	"github.com/uqe-dev/uqe/value"
)

const (
	smsDir     = "../testdata/datasets/sms_spam"
	bankingDir = "../testdata/datasets/banking77"
)

// run executes a script on a session and returns the rows of its last
// statement as text, and that statement's stats.
func run(t testing.TB, s *Session, src string) ([]string, Stats, error) {
	t.Helper()
	stmts, err := parser.Parse("", src)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	var st Stats
	for _, stmt := range stmts {
		rows = nil
		res, err := s.Exec(context.Background(), stmt, nil)
		if err != nil {
			return nil, Stats{}, err
		}
		for {
			b, err := res.Next()
			if err != nil {
				res.Close()
				return nil, res.Stats, err
			}
			if b == nil {
				break
			}
			for r := 0; r < int(b.NumRows()); r++ {
				var cells []string
				for c := range res.Columns {
					cells = append(cells, res.Value(b, c, r).String())
				}
				rows = append(rows, strings.Join(cells, "|"))
			}
			b.Release()
		}
		res.Close()
		st = res.Stats
	}
	return rows, st, nil
}

func mustRun(t testing.TB, s *Session, src string) ([]string, Stats) {
	t.Helper()
	rows, st, err := run(t, s, src)
	if err != nil {
		t.Fatalf("%s: %v", src, errs.Detail(err))
	}
	return rows, st
}

// simDB opens a database with the sms and banking tables (and their
// original label files, for the expected answers), the given sim key,
// and no persistent cache.
func simDB(t testing.TB, key string, settings map[string]string) *Session {
	t.Helper()
	s := map[string]string{"llm": "sim:" + key, "budget": "0"}
	for k, v := range settings {
		s[k] = v
	}
	db, err := Open(Options{Settings: s, Cache: "off", Stderr: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"sms": smsDir + "/sms.csv", "sms_labels": smsDir + "/sms_labels.csv",
		"banking": bankingDir + "/banking.csv", "banking_labels": bankingDir + "/banking_labels.csv",
	} {
		if err := db.Register(name, path); err != nil {
			t.Fatal(err)
		}
	}
	return db.NewSession()
}

// TestSimExactAnswers checks that exact semantic queries under the sim
// answer key with noise 0 give exactly what the human labels say: each
// expected answer is computed independently, by a structured join with the
// original label file on id.
func TestSimExactAnswers(t *testing.T) {
	sms := simDB(t, smsDir+"/sim.json", nil)
	cases := []struct{ name, sem, want string }{
		{"sms count",
			`SELECT COUNT(*) FROM sms WHERE "the message is spam"`,
			`SELECT COUNT(*) FROM sms JOIN sms_labels USING (id) WHERE label = 'spam'`},
		{"sms not",
			`SELECT COUNT(*) FROM sms WHERE NOT "the message is spam" AND length(text) > 100`,
			`SELECT COUNT(*) FROM sms JOIN sms_labels USING (id) WHERE label <> 'spam' AND length(text) > 100`},
		{"sms filtered select",
			`SELECT id FROM sms WHERE "the message is spam" AND id < 400 ORDER BY id`,
			`SELECT id FROM sms JOIN sms_labels USING (id) WHERE label = 'spam' AND id < 400 ORDER BY id`},
		{"sms group by extraction",
			`SELECT "whether the message is spam or ham" AS k, COUNT(*) FROM sms GROUP BY k ORDER BY k`,
			`SELECT label, COUNT(*) FROM sms JOIN sms_labels USING (id) GROUP BY label ORDER BY label`},
		{"sms group by phrase with alias",
			`SELECT k, COUNT(*) FROM sms GROUP BY "whether the message is spam or ham" AS k ORDER BY 2 DESC`,
			`SELECT label, COUNT(*) FROM sms JOIN sms_labels USING (id) GROUP BY label ORDER BY 2 DESC`},
		{"sms mixed or",
			`SELECT COUNT(*) FROM sms WHERE "the message is spam" OR length(text) > 150`,
			`SELECT COUNT(*) FROM sms JOIN sms_labels USING (id) WHERE label = 'spam' OR length(text) > 150`},
		{"sms avg of typed extraction",
			`SELECT ROUND(AVG(CAST("how spammy the message is" AS REAL)), 6) FROM sms`,
			`SELECT ROUND(AVG(CASE WHEN label = 'spam' THEN 1.0 ELSE 0.0 END), 6) FROM sms JOIN sms_labels USING (id)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, st := mustRun(t, sms, c.sem)
			want, _ := mustRun(t, sms, c.want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s\n got %v\nwant %v", c.sem, head(got), head(want))
			}
			if st.ModelCalls == 0 {
				t.Errorf("no model calls: %+v", st)
			}
		})
	}
	bank := simDB(t, bankingDir+"/sim.json", nil)
	bcases := []struct{ name, sem, want string }{
		{"banking group by intent",
			`SELECT "the intent of the customer" AS intent, COUNT(*) AS n FROM banking GROUP BY intent ORDER BY n DESC, intent LIMIT 10`,
			`SELECT intent, COUNT(*) AS n FROM banking JOIN banking_labels USING (id) GROUP BY intent ORDER BY n DESC, intent LIMIT 10`},
		{"banking refund count",
			`SELECT COUNT(*) FROM banking WHERE "the customer asks about a refund"`,
			`SELECT COUNT(*) FROM banking JOIN banking_labels USING (id) WHERE intent IN ('request_refund', 'Refund_not_showing_up')`},
		{"banking two fused predicates",
			`SELECT COUNT(*) FROM banking WHERE "the customer asks about a refund" OR "the customer lost their card or had it stolen"`,
			`SELECT COUNT(*) FROM banking JOIN banking_labels USING (id) WHERE intent IN ('request_refund', 'Refund_not_showing_up', 'lost_or_stolen_card')`},
	}
	for _, c := range bcases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := mustRun(t, bank, c.sem)
			want, _ := mustRun(t, bank, c.want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s\n got %v\nwant %v", c.sem, head(got), head(want))
			}
		})
	}
}

func head(rows []string) []string {
	if len(rows) > 12 {
		return append(rows[:12:12], fmt.Sprintf("... %d rows", len(rows)))
	}
	return rows
}

// TestFusedPredicates checks that two phrases over the same row are
// answered in one call per batch, not one call per phrase.
func TestFusedPredicates(t *testing.T) {
	s := simDB(t, bankingDir+"/sim.json", map[string]string{"batch_size": "64"})
	_, one := mustRun(t, s, `SELECT COUNT(*) FROM banking WHERE "the customer asks about a refund" AND id <= 640`)
	s2 := simDB(t, bankingDir+"/sim.json", map[string]string{"batch_size": "64"})
	_, two := mustRun(t, s2, `SELECT COUNT(*) FROM banking WHERE ("the customer asks about a refund" OR "the customer lost their card or had it stolen") AND id <= 640`)
	if one.ModelCalls != two.ModelCalls || one.RowsJudged != two.RowsJudged {
		t.Errorf("two phrases cost %d calls / %d rows, one phrase %d / %d: not fused", two.ModelCalls, two.RowsJudged, one.ModelCalls, one.RowsJudged)
	}
}

// TestStructuredPredicatesDecideFirst checks that rows whose fate a
// structured predicate decides are never sent to the model.
func TestStructuredPredicatesDecideFirst(t *testing.T) {
	s := simDB(t, smsDir+"/sim.json", nil)
	all, _ := mustRun(t, s, `SELECT COUNT(DISTINCT text) FROM sms WHERE length(text) <= 150`)
	_, st := mustRun(t, s, `SELECT COUNT(*) FROM sms WHERE "the message is spam" OR length(text) > 150`)
	if fmt.Sprint(st.RowsJudged) != all[0] {
		t.Errorf("judged %d rows, want the %s distinct rows of 150 characters or less", st.RowsJudged, all[0])
	}
}

// TestBudgetNeverExceeded sweeps budgets over several queries: a statement
// either fits and reports rows judged within its budget, or fails with
// M002 before its first call.
func TestBudgetNeverExceeded(t *testing.T) {
	queries := []string{
		`SELECT COUNT(*) FROM sms WHERE "the message is spam" AND id <= 300`,
		`SELECT "whether the message is spam or ham" AS k, COUNT(*) FROM sms WHERE id <= 200 GROUP BY k`,
		`SELECT id FROM sms WHERE id <= 150 ORDER BY "how spammy the message is" DESC LIMIT 5`,
		`SELECT id, "whether the message is spam or ham" FROM sms WHERE id <= 120`,
		`SELECT COUNT(*) FROM (SELECT * FROM sms WHERE id <= 12) a JOIN (SELECT * FROM sms WHERE id BETWEEN 13 AND 24) b ON "the message is spam"`,
	}
	for _, q := range queries {
		for _, budget := range []int64{1, 7, 50, 100, 150, 199, 200, 250, 301, 1000} {
			s := simDB(t, smsDir+"/sim.json", map[string]string{"budget": fmt.Sprint(budget), "batch_size": "8"})
			_, st, err := run(t, s, q)
			if st.RowsJudged > budget {
				t.Errorf("budget %d: %s judged %d rows", budget, q, st.RowsJudged)
			}
			if err != nil {
				if errs.CodeOf(err) != errs.BudgetExceeded {
					t.Errorf("budget %d: %s: %v", budget, q, err)
				}
				if st.ModelCalls != 0 {
					t.Errorf("budget %d: %s failed after %d calls", budget, q, st.ModelCalls)
				}
			}
		}
	}
}

// TestCacheServesSecondRun runs a query twice on one database and once
// more from a new process: the second and third runs make no model call.
func TestCacheServesSecondRun(t *testing.T) {
	if os.Getenv("UQE_CACHE_CHILD") != "" {
		return // only the parent runs this test
	}
	dir := t.TempDir()
	cachePath := filepath.Join(dir, "responses.db")
	q := `SELECT COUNT(*) FROM sms WHERE "the message is spam" AND id <= 500`
	open := func() *Session {
		db, err := Open(Options{Settings: map[string]string{"llm": "sim:" + smsDir + "/sim.json", "budget": "0"}, Cache: cachePath})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Register("sms", smsDir+"/sms.csv"); err != nil {
			t.Fatal(err)
		}
		return db.NewSession()
	}
	s := open()
	first, st1 := mustRun(t, s, q)
	second, st2 := mustRun(t, s, q)
	if st1.ModelCalls == 0 || st2.ModelCalls != 0 || st2.CacheHits == 0 || first[0] != second[0] {
		t.Fatalf("first run %v %+v, second run %v %+v", first, st1, second, st2)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCacheChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "UQE_CACHE_CHILD="+cachePath, "UQE_CACHE_QUERY="+q, "UQE_CACHE_WANT="+first[0])
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "child: 0 model calls") {
		t.Fatalf("new process: %v\n%s", err, out)
	}
}

// TestCacheChild is the new process of TestCacheServesSecondRun.
func TestCacheChild(t *testing.T) {
	path := os.Getenv("UQE_CACHE_CHILD")
	if path == "" {
		t.Skip("run by TestCacheServesSecondRun")
	}
	db, err := Open(Options{Settings: map[string]string{"llm": "sim:" + smsDir + "/sim.json", "budget": "0"}, Cache: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Register("sms", smsDir+"/sms.csv"); err != nil {
		t.Fatal(err)
	}
	rows, st := mustRun(t, db.NewSession(), os.Getenv("UQE_CACHE_QUERY"))
	if rows[0] != os.Getenv("UQE_CACHE_WANT") {
		t.Fatalf("child got %v", rows)
	}
	fmt.Printf("child: %d model calls, %d cache hits\n", st.ModelCalls, st.CacheHits)
}

// TestOpenAIFaultsSameAnswers runs semantic queries through the real
// go-openai client against a local OpenAI-compatible server, once without
// faults and once with injected 429s (Retry-After), 500s, slow replies,
// malformed JSON and missing or duplicated row ids: the answers are the
// same, and the stats count the retries.
func TestOpenAIFaultsSameAnswers(t *testing.T) {
	answer := func(q llmtest.Query) any {
		text := ""
		for _, v := range q.Row.Fields {
			text += v
		}
		lower := strings.ToLower(text)
		switch q.Op {
		case "judge":
			return strings.Contains(lower, "free") || strings.Contains(lower, "prize")
		case "extract":
			if strings.Contains(lower, "call") {
				return "call"
			}
			return "other"
		case "taxonomy":
			return []string{"call", "other"}
		case "score":
			return float64(len(text)%97) / 97
		case "compare":
			a, b := "", ""
			for _, v := range q.Rows[0].Fields {
				a += v
			}
			for _, v := range q.Rows[1].Fields {
				b += v
			}
			return len(a)%97 > len(b)%97
		}
		return nil
	}
	queries := []string{
		`SELECT COUNT(*) FROM sms WHERE "the message offers something for free" AND id <= 120`,
		`SELECT k, COUNT(*) FROM sms WHERE id <= 80 GROUP BY "what the message asks the reader to do" AS k ORDER BY k`,
		`SELECT id FROM sms WHERE id <= 60 ORDER BY "how urgent the message sounds" DESC LIMIT 4`,
	}
	results := func(faults llmtest.FaultFunc) ([]string, int64) {
		srv := llmtest.Start(t, llmtest.Options{Answer: answer, Faults: faults})
		env := map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "sk-test-not-a-secret"}
		db, err := Open(Options{Settings: map[string]string{"budget": "0", "batch_size": "10"}, Cache: "off",
			Env: func(k string) string { return env[k] }, Stderr: &strings.Builder{}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Register("sms", smsDir+"/sms.csv"); err != nil {
			t.Fatal(err)
		}
		s := db.NewSession()
		var out []string
		var retries int64
		for _, q := range queries {
			rows, st := mustRun(t, s, q)
			out = append(out, strings.Join(rows, ","))
			retries += st.Retries
		}
		return out, retries
	}
	clean, r0 := results(nil)
	if r0 != 0 {
		t.Errorf("fault-free run reports %d retries", r0)
	}
	faulty, r1 := results(llmtest.At(map[int]llmtest.Fault{
		1:  {Status: 429, RetryAfter: "0"},
		3:  {Status: 500},
		5:  {Malformed: true},
		7:  {DropIDs: []string{"r1", "r3"}},
		9:  {DuplicateIDs: []string{"r0"}},
		11: {Status: 503},
		13: {Delay: 50e6},
	}))
	for i := range clean {
		if clean[i] != faulty[i] {
			t.Errorf("%s\n clean  %s\n faulty %s", queries[i], clean[i], faulty[i])
		}
	}
	if r1 < 5 {
		t.Errorf("faulty run reports %d retries, want at least 5", r1)
	}
}

// TestNoModelConfigured checks the error a phrase gets without a model.
func TestNoModelConfigured(t *testing.T) {
	db, _ := Open(Options{Cache: "off", Settings: map[string]string{"llm": "none"}, Stderr: &strings.Builder{}})
	db.Register("sms", smsDir+"/sms.csv")
	_, _, err := run(t, db.NewSession(), `SELECT COUNT(*) FROM sms WHERE "the message is spam"`)
	if errs.CodeOf(err) != errs.NoModel {
		t.Fatalf("got %v, want %s", err, errs.NoModel)
	}
	var e *errs.Error
	if !asErr(err, &e) || e.Pos.Col != 32 {
		t.Errorf("error position %v, want column 32 (the phrase)", e)
	}
}

func asErr(err error, target **errs.Error) bool {
	e, ok := err.(*errs.Error)
	if ok {
		*target = e
	}
	return ok
}

var _ = sort.Strings
var _ = value.NullValue

// TestLocalModelByDefault checks that with no OpenAI variables the built-in
// local model answers, and that its answers are labelled approximate.
func TestLocalModelByDefault(t *testing.T) {
	var notice strings.Builder
	db, _ := Open(Options{Cache: "off", Env: func(string) string { return "" }, Stderr: &notice})
	if err := db.Register("reviews", "../testdata/datasets/uci_sentiment/reviews.csv"); err != nil {
		t.Fatal(err)
	}
	rows, st := mustRun(t, db.NewSession(), `SELECT COUNT(*) FROM reviews WHERE "the review is positive" AND id <= 60`)
	if !st.Approximate {
		t.Errorf("local answers not labelled approximate: %+v", st)
	}
	if !strings.Contains(notice.String(), "local") {
		t.Errorf("no notice of the default backend: %q", notice.String())
	}
	if len(rows) != 1 || rows[0] == "0" || rows[0] == "60" {
		t.Errorf("count %v: the local judge should split 60 reviews", rows)
	}
	for _, s := range st.Strategy {
		if !strings.Contains(s, "approximate") {
			t.Errorf("strategy %q not labelled approximate", s)
		}
	}
}

// TestApproximateCount checks aggregates under a budget smaller than the
// rows to judge: an estimate with an interval, within the budget, labelled
// approximate; exact (lo = hi) when the budget covers the rows; and
// refused under SET strategy = exact.
func TestApproximateCount(t *testing.T) {
	s := simDB(t, smsDir+"/sim.json", map[string]string{"budget": "300", "embed": "hash", "seed": "7"})
	truth, _ := mustRun(t, s, `SELECT COUNT(*) FROM sms JOIN sms_labels USING (id) WHERE label = 'spam'`)
	rows, st := mustRun(t, s, `SELECT COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) FROM sms WHERE "the message is spam"`)
	var n, lo, hi, want int64
	fmt.Sscanf(rows[0], "%d|%d|%d", &n, &lo, &hi)
	fmt.Sscanf(truth[0], "%d", &want)
	if !st.Approximate || st.RowsJudged > 300 || st.RowsJudged < 100 {
		t.Errorf("stats %+v: want approximate, 100..300 rows judged", st)
	}
	if !(lo <= n && n <= hi && lo < hi) {
		t.Errorf("estimate %d [%d, %d] is not an interval around its value", n, lo, hi)
	}
	if want < lo-50 || want > hi+50 {
		t.Errorf("estimate %d [%d, %d] far from the truth %d", n, lo, hi, want)
	}
	// Same seed, same answer.
	again, _ := mustRun(t, simDB(t, smsDir+"/sim.json", map[string]string{"budget": "300", "embed": "hash", "seed": "7"}),
		`SELECT COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) FROM sms WHERE "the message is spam"`)
	if again[0] != rows[0] {
		t.Errorf("same seed gave %s then %s", rows[0], again[0])
	}
	// A budget that covers the rows left after structured filters: exact.
	rows, st = mustRun(t, s, `SELECT COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) FROM sms WHERE "the message is spam" AND id <= 250`)
	exact, _ := mustRun(t, s, `SELECT COUNT(*), COUNT(*), COUNT(*) FROM sms JOIN sms_labels USING (id) WHERE label = 'spam' AND id <= 250`)
	if rows[0] != exact[0] || st.Approximate {
		t.Errorf("covered budget: got %s (approximate %v), want exact %s", rows[0], st.Approximate, exact[0])
	}
	// SET strategy = exact refuses to estimate.
	se := simDB(t, smsDir+"/sim.json", map[string]string{"budget": "300", "embed": "hash", "strategy": "exact"})
	if _, _, err := run(t, se, `SELECT COUNT(*) FROM sms WHERE "the message is spam"`); errs.CodeOf(err) != errs.BudgetExceeded {
		t.Errorf("strategy exact under a small budget: %v, want %s", err, errs.BudgetExceeded)
	}
}

// TestLimitSearch checks that LIMIT k over a phrase searches: it judges far
// fewer rows than the table has, stays within the budget, and returns only
// rows that truly satisfy the phrase.
func TestLimitSearch(t *testing.T) {
	s := simDB(t, bankingDir+"/sim.json", map[string]string{"budget": "256", "embed": "hash"})
	rows, st := mustRun(t, s, `SELECT id FROM banking WHERE "the customer lost their card or had it stolen" LIMIT 10`)
	if len(rows) != 10 {
		t.Fatalf("found %d rows, want 10", len(rows))
	}
	if st.RowsJudged > 256 || st.RowsJudged >= 13083 {
		t.Errorf("judged %d rows", st.RowsJudged)
	}
	truth, _ := mustRun(t, s, `SELECT id FROM banking_labels WHERE intent = 'lost_or_stolen_card'`)
	ok := map[string]bool{}
	for _, r := range truth {
		ok[r] = true
	}
	for _, r := range rows {
		if !ok[r] {
			t.Errorf("row %s returned but its label is not lost_or_stolen_card", r)
		}
	}
}

// TestApproximateGroupBy checks GROUP BY a phrase under a budget smaller
// than the table: estimated counts with intervals that add up to about the
// table, within the budget, labelled approximate.
func TestApproximateGroupBy(t *testing.T) {
	s := simDB(t, bankingDir+"/sim.json", map[string]string{"budget": "400", "embed": "hash"})
	rows, st := mustRun(t, s, `SELECT "the topic of the request" AS topic, COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) FROM banking GROUP BY topic`)
	if !st.Approximate || st.RowsJudged > 400 {
		t.Errorf("stats %+v: want approximate within the budget", st)
	}
	var total int64
	for _, r := range rows {
		var topic string
		var n, lo, hi int64
		parts := strings.Split(r, "|")
		topic = parts[0]
		fmt.Sscan(parts[1], &n)
		fmt.Sscan(parts[2], &lo)
		fmt.Sscan(parts[3], &hi)
		if !(lo <= n && n <= hi) {
			t.Errorf("%s: %d not in [%d, %d]", topic, n, lo, hi)
		}
		total += n
	}
	if total < 12400 || total > 13800 {
		t.Errorf("group counts add up to %d, want about 13083", total)
	}
}

// TestGroupedEstimateNeedsARowPerGroup: an aggregate estimated per group
// needs at least one judged row in every group with undecided rows; a
// smaller budget fails before any call and says how much is needed
// (before, such a group reported 0 with an interval invented from no
// data), and a budget of exactly that much answers every group.
func TestGroupedEstimateNeedsARowPerGroup(t *testing.T) {
	q := `SELECT id % 3 AS g, COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) FROM sms WHERE "the message is spam" GROUP BY g`
	s := simDB(t, smsDir+"/sim.json", map[string]string{"budget": "2", "embed": "hash"})
	_, st, err := run(t, s, q)
	if errs.CodeOf(err) != errs.BudgetExceeded || st.ModelCalls != 0 {
		t.Fatalf("budget 2 over 3 groups: err %v after %d calls, want %s before any call", err, st.ModelCalls, errs.BudgetExceeded)
	}
	if !strings.Contains(err.Error(), "at least 3") {
		t.Errorf("error %q does not say how much is needed", err)
	}
	s = simDB(t, smsDir+"/sim.json", map[string]string{"budget": "3", "embed": "hash"})
	rows, st := mustRun(t, s, q)
	if len(rows) != 3 || st.RowsJudged != 3 || !st.Approximate {
		t.Fatalf("budget 3: rows %v, stats %+v", rows, st)
	}
	for _, r := range rows {
		var n, lo, hi float64
		parts := strings.Split(r, "|")
		fmt.Sscan(parts[1], &n)
		fmt.Sscan(parts[2], &lo)
		fmt.Sscan(parts[3], &hi)
		if !(lo <= n && n <= hi) || hi-lo < 100 {
			t.Errorf("group %s: %v in [%v, %v]: want a wide interval around the estimate from one row", parts[0], n, lo, hi)
		}
	}
}

// TestApproximateAvgSkipsNulls: AVG estimated from a sample leaves NULL
// values out of its denominator, as the exact AVG does (it counted them as
// zeros, which halved this average), and its COUNT(*) and AVG share the
// sample (rows judged within the budget, not twice the budget's half).
func TestApproximateAvgSkipsNulls(t *testing.T) {
	q := `SELECT COUNT(*), AVG(CASE WHEN id % 2 = 0 THEN id END), CI_LOW(AVG(CASE WHEN id % 2 = 0 THEN id END)), CI_HIGH(AVG(CASE WHEN id % 2 = 0 THEN id END)) FROM sms WHERE "the message is spam"`
	exact, _ := mustRun(t, simDB(t, smsDir+"/sim.json", map[string]string{"embed": "hash"}), q)
	rows, st := mustRun(t, simDB(t, smsDir+"/sim.json", map[string]string{"budget": "600", "embed": "hash", "seed": "3"}), q)
	if !st.Approximate || st.RowsJudged > 600 || st.RowsJudged < 500 {
		t.Fatalf("stats %+v: want approximate, about 600 rows judged", st)
	}
	var want, got, lo, hi float64
	fmt.Sscan(strings.Split(exact[0], "|")[1], &want)
	p := strings.Split(rows[0], "|")
	fmt.Sscan(p[1], &got)
	fmt.Sscan(p[2], &lo)
	fmt.Sscan(p[3], &hi)
	if !(lo <= want && want <= hi) || math.Abs(got-want) > 0.2*want {
		t.Errorf("AVG over non-NULL values: %v [%v, %v], exact %v", got, lo, hi, want)
	}
}
