package engine

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/uqe-dev/uqe/errs"
)

// The sim judges a pair by its first key column (llm/sim rowKey: the
// first field named text), the left row's text: "the message is spam" over
// a pair is true when the left message is spam. The expected answers below
// are computed independently, by structured cross joins with the label
// files, and by the same query with no budget (every pair judged).
var approxJoinCases = []struct {
	name string
	dir  string
	// join is the FROM clause; cols the aggregates (COUNT(*) first).
	join, cols string
	// want computes the COUNT(*) from the labels, without the model.
	want string
}{
	{"sms spam pairs", smsDir,
		`FROM (SELECT * FROM sms WHERE id <= 60) a JOIN (SELECT * FROM sms WHERE id BETWEEN 61 AND 120) b ON "the message is spam"`,
		`COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)), SUM(b.id), CI_LOW(SUM(b.id)), CI_HIGH(SUM(b.id))`,
		`SELECT COUNT(*) FROM (SELECT id FROM sms_labels WHERE id <= 60 AND label = 'spam') a, (SELECT id FROM sms WHERE id BETWEEN 61 AND 120) b`},
	{"sms spam with a structured cross conjunct", smsDir,
		`FROM (SELECT * FROM sms WHERE id <= 90) a JOIN (SELECT * FROM sms WHERE id BETWEEN 101 AND 145) b ON a.id % 3 = b.id % 3 AND "the message is spam" AND b.id <> 120`,
		`COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*))`,
		`SELECT COUNT(*) FROM (SELECT id FROM sms_labels WHERE id <= 90 AND label = 'spam') a, (SELECT id FROM sms WHERE id BETWEEN 101 AND 145) b WHERE a.id % 3 = b.id % 3 AND b.id <> 120`},
	{"banking rare refunds", bankingDir,
		`FROM (SELECT * FROM banking WHERE id BETWEEN 5300 AND 5379) a JOIN (SELECT * FROM banking WHERE id <= 50) b ON "the customer asks about a refund"`,
		`COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*))`,
		`SELECT COUNT(*) FROM (SELECT id FROM banking_labels WHERE id BETWEEN 5300 AND 5379 AND intent IN ('request_refund', 'Refund_not_showing_up')) a, (SELECT id FROM banking WHERE id <= 50) b`},
}

func simKey(dir string) string { return dir + "/sim.json" }

// cells parses one result row of numbers.
func cells(t *testing.T, row string) []float64 {
	t.Helper()
	var out []float64
	for _, c := range strings.Split(row, "|") {
		var f float64
		if _, err := fmt.Sscan(c, &f); err != nil {
			t.Fatalf("cell %q of %q: %v", c, row, err)
		}
		out = append(out, f)
	}
	return out
}

// TestApproxJoinEstimate checks an aggregate over a semantic join under a
// budget smaller than its pairs: an estimate whose interval contains the
// exact answer (the same query with no budget, itself checked against the
// labels), within the budget, labelled approximate, the same for the same
// seed.
func TestApproxJoinEstimate(t *testing.T) {
	const budget = 300
	for _, c := range approxJoinCases {
		t.Run(c.name, func(t *testing.T) {
			q := "SELECT " + c.cols + " " + c.join
			exact := simDB(t, simKey(c.dir), nil)
			truthRows, _ := mustRun(t, exact, q)
			want, _ := mustRun(t, exact, c.want)
			truth := cells(t, truthRows[0])
			if fmt.Sprint(truth[0]) != want[0] {
				t.Fatalf("exact COUNT(*) %v, the labels say %s", truth[0], want[0])
			}
			settings := map[string]string{"budget": fmt.Sprint(budget), "embed": "hash", "seed": "7"}
			rows, st := mustRun(t, simDB(t, simKey(c.dir), settings), q)
			if !st.Approximate || st.RowsJudged > budget || st.RowsJudged < budget/2 {
				t.Errorf("stats %+v: want approximate, %d..%d pairs judged", st, budget/2, budget)
			}
			note := strings.Join(mapValues(st.Strategy), "; ")
			if !strings.Contains(note, "sampled (") || !strings.Contains(note, "pairs judged") {
				t.Errorf("strategy %q does not say the pairs were sampled", note)
			}
			got := cells(t, rows[0])
			for a := 0; a+2 < len(got); a += 3 {
				v, lo, hi, tr := got[a], got[a+1], got[a+2], truth[a]
				if !(lo <= v && v <= hi && lo < hi) {
					t.Errorf("aggregate %d: %v [%v, %v] is not an interval around its value", a/3, v, lo, hi)
				}
				if tr < lo || tr > hi {
					t.Errorf("aggregate %d: %v [%v, %v] misses the exact %v", a/3, v, lo, hi, tr)
				}
			}
			again, _ := mustRun(t, simDB(t, simKey(c.dir), settings), q)
			if again[0] != rows[0] {
				t.Errorf("same seed gave %s then %s", rows[0], again[0])
			}
		})
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestApproxJoinCoverage runs the estimate with 40 seeds: its 95% interval
// must contain the exact answer at least 85% of the time (34 of 40).
func TestApproxJoinCoverage(t *testing.T) {
	const seeds, minCovered = 40, 34
	for _, c := range approxJoinCases {
		t.Run(c.name, func(t *testing.T) {
			q := "SELECT COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) " + c.join
			truthRows, _ := mustRun(t, simDB(t, simKey(c.dir), nil), q)
			truth := cells(t, truthRows[0])[0]
			covered := 0
			for seed := 1; seed <= seeds; seed++ {
				rows, st := mustRun(t, simDB(t, simKey(c.dir), map[string]string{"budget": "200", "embed": "hash", "seed": fmt.Sprint(seed)}), q)
				if st.RowsJudged > 200 {
					t.Fatalf("seed %d judged %d pairs over a budget of 200", seed, st.RowsJudged)
				}
				got := cells(t, rows[0])
				if got[1] <= truth && truth <= got[2] {
					covered++
				}
			}
			t.Logf("%s: %d of %d intervals contain %v", c.name, covered, seeds, truth)
			if covered < minCovered {
				t.Errorf("%d of %d intervals contain the exact %v, want at least %d", covered, seeds, truth, minCovered)
			}
		})
	}
}

// TestApproxJoinExactCases: a budget that covers every undecided pair
// judges them all and answers exactly (also beyond the 4,096 pairs where a
// join without a budget blocks); SET strategy = exact under a smaller
// budget fails with M002 before any call; a grouped estimate needs a pair
// per group.
func TestApproxJoinExactCases(t *testing.T) {
	q := func(n int) string {
		return fmt.Sprintf(`SELECT COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) FROM (SELECT * FROM sms WHERE id <= %d) a JOIN (SELECT * FROM sms WHERE id BETWEEN 1001 AND %d) b ON "the message is spam"`, n, 1000+n)
	}
	want := func(n int) string {
		return fmt.Sprintf(`SELECT COUNT(*), COUNT(*), COUNT(*) FROM (SELECT id FROM sms_labels WHERE id <= %d AND label = 'spam') a, (SELECT id FROM sms WHERE id BETWEEN 1001 AND %d) b`, n, 1000+n)
	}
	for _, n := range []int{20, 70} { // 400 and 4,900 pairs
		s := simDB(t, smsDir+"/sim.json", map[string]string{"budget": "5000", "embed": "hash"})
		rows, st := mustRun(t, s, q(n))
		exp, _ := mustRun(t, s, want(n))
		if rows[0] != exp[0] || st.Approximate || st.RowsJudged > int64(n*n) {
			t.Errorf("%d×%d pairs, budget 5000: got %s (approximate %v, %d judged), want exact %s", n, n, rows[0], st.Approximate, st.RowsJudged, exp[0])
		}
	}
	s := simDB(t, smsDir+"/sim.json", map[string]string{"budget": "300", "embed": "hash", "strategy": "exact"})
	_, st, err := run(t, s, q(60))
	if errs.CodeOf(err) != errs.BudgetExceeded || st.ModelCalls != 0 {
		t.Errorf("strategy exact under a small budget: %v after %d calls, want %s before any call", err, st.ModelCalls, errs.BudgetExceeded)
	}
	g := `SELECT a.id % 3 AS g, COUNT(*) FROM (SELECT * FROM sms WHERE id <= 60) a JOIN (SELECT * FROM sms WHERE id BETWEEN 61 AND 120) b ON "the message is spam" GROUP BY g`
	_, st, err = run(t, simDB(t, smsDir+"/sim.json", map[string]string{"budget": "2", "embed": "hash"}), g)
	if errs.CodeOf(err) != errs.BudgetExceeded || st.ModelCalls != 0 {
		t.Errorf("budget 2 over 3 groups: %v after %d calls, want %s before any call", err, st.ModelCalls, errs.BudgetExceeded)
	}
}

// TestApproxJoinGrouped checks a grouped estimate over pairs: one row per
// group of the exact answer, each interval around the exact count.
func TestApproxJoinGrouped(t *testing.T) {
	q := `SELECT a.id % 2 AS g, COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) FROM (SELECT * FROM sms WHERE id <= 60) a JOIN (SELECT * FROM sms WHERE id BETWEEN 61 AND 120) b ON "the message is spam" AND b.id % 4 <> 0 GROUP BY g ORDER BY g`
	exact, _ := mustRun(t, simDB(t, smsDir+"/sim.json", nil), q)
	rows, st := mustRun(t, simDB(t, smsDir+"/sim.json", map[string]string{"budget": "300", "embed": "hash", "seed": "3"}), q)
	if !st.Approximate || st.RowsJudged > 300 || len(rows) != len(exact) {
		t.Fatalf("got %v (%+v), exact %v", rows, st, exact)
	}
	for i := range rows {
		got, tr := cells(t, rows[i]), cells(t, exact[i])
		if got[0] != tr[0] || tr[1] < got[2] || tr[1] > got[3] {
			t.Errorf("group %v: %v [%v, %v], exact %v", got[0], got[1], got[2], got[3], tr[1])
		}
	}
}

// TestApproxJoinNoLeaks runs the join aggregate's paths (sampled, exact,
// no budget, grouped, refused) with arrow's CheckedAllocator: everything
// allocated is released.
func TestApproxJoinNoLeaks(t *testing.T) {
	join := `FROM (SELECT * FROM sms WHERE id <= 40) a JOIN (SELECT * FROM sms WHERE id BETWEEN 41 AND 80) b ON "the message is spam" AND a.id % 2 = b.id % 2`
	for _, c := range []struct{ budget, strategy, sql string }{
		{"100", "auto", "SELECT COUNT(*), AVG(b.id) " + join},
		{"100", "auto", "SELECT a.id % 3 AS g, COUNT(*), SUM(length(b.text)) " + join + " GROUP BY g"},
		{"2000", "auto", "SELECT COUNT(*) " + join},
		{"0", "auto", "SELECT COUNT(*) " + join},
		{"100", "exact", "SELECT COUNT(*) " + join},
	} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		db, err := Open(Options{Mem: mem, Cache: "off", Stderr: io.Discard, Settings: map[string]string{
			"llm": "sim:" + smsDir + "/sim.json", "budget": c.budget, "strategy": c.strategy, "embed": "hash"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Register("sms", smsDir+"/sms.csv"); err != nil {
			t.Fatal(err)
		}
		_, _, err = run(t, db.NewSession(), c.sql)
		if err != nil && errs.CodeOf(err) != errs.BudgetExceeded {
			t.Errorf("budget %s: %s: %v", c.budget, c.sql, err)
		}
		mem.AssertSize(t, 0)
	}
}
