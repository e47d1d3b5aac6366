package engine

import (
	"strings"
	"testing"
)

// TestRankUnderBudget: ORDER BY a phrase LIMIT k with a budget far below
// the table's rows scores only budget − (the pairwise refinement's
// reserve) rows, chosen by sampling.TopScores, never exceeds the budget,
// says it is approximate, and still finds k rows the model scores
// highest (spam messages, score 1, are 13% of the table). The guided
// rounds matter: with hash embeddings the prior's own order is worse than
// chance (4 spam among the 58 rows most similar to the phrase, measured
// with SIMILARITY), yet all 5 rows returned are spam.
func TestRankUnderBudget(t *testing.T) {
	s := simDB(t, smsDir+"/sim.json", map[string]string{"budget": "100", "embed": "hash", "seed": "3"})
	rows, st := mustRun(t, s, `SELECT id FROM sms ORDER BY "how spammy the message is" DESC LIMIT 5`)
	if len(rows) != 5 {
		t.Fatalf("%d rows: %v", len(rows), rows)
	}
	if st.RowsJudged > 100 || !st.Approximate {
		t.Errorf("rows judged %d (budget 100), approximate %v", st.RowsJudged, st.Approximate)
	}
	var strategy string
	for _, v := range st.Strategy {
		strategy = v
	}
	if !strings.HasPrefix(strategy, "budgeted:") {
		t.Errorf("strategy %q", strategy)
	}
	ids := strings.Join(rows, ",")
	spam, _ := mustRun(t, s, `SELECT COUNT(*) FROM sms JOIN sms_labels USING (id) WHERE label = 'spam' AND id IN (`+ids+`)`)
	if spam[0] != "5" {
		t.Errorf("%s of the 5 rows returned are spam (ids %s)", spam[0], ids)
	}
	plan, _ := mustRun(t, s, `EXPLAIN SELECT id FROM sms ORDER BY "how spammy the message is" DESC LIMIT 5`)
	if p := strings.Join(plan, "\n"); !strings.Contains(p, "budgeted (approximate)") || strings.Contains(p, "fails before its first call") {
		t.Errorf("EXPLAIN does not describe the budgeted ranking:\n%s", p)
	}
}
