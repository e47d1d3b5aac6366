package engine

import (
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/llm/llmtest"
)

// TestModelAnchors: with a model that writes contrast anchors, the prior
// of a LIMIT search is the similarity to the positive anchor minus the
// similarity to the negative one. The model here judges "the message
// offers something for free" true exactly when the text contains "free";
// with anchors that describe such messages the search judges fewer rows
// to find 5 than with the same anchors swapped, and the anchors are asked
// for once per statement (the answer is cached). A model that never
// writes valid anchors does not fail the statement.
func TestModelAnchors(t *testing.T) {
	const phrase = "the message offers something for free"
	judged := func(swap, invalid bool) (int64, int) {
		anchorsAsked := 0
		srv := llmtest.Start(t, llmtest.Options{Answer: func(q llmtest.Query) any {
			switch q.Op {
			case "anchors":
				anchorsAsked++
				pos := "FREE entry! Claim your free prize now, reply FREE to get your free ringtone"
				neg := "ok lar i will see you at home later tonight, call me when you leave"
				if swap {
					pos, neg = neg, pos
				}
				if invalid {
					neg = pos // not two distinct texts: asked again, then given up
				}
				return [2]string{pos, neg}
			case "judge":
				return strings.Contains(strings.ToLower(q.Row.Fields["sms.text"]), "free")
			}
			return nil
		}})
		env := map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "sk-test-not-a-secret"}
		db, err := Open(Options{Settings: map[string]string{"budget": "400", "batch_size": "1", "embed": "hash", "seed": "1"},
			Cache: "off", Env: func(k string) string { return env[k] }, Stderr: &strings.Builder{}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Register("sms", smsDir+"/sms.csv"); err != nil {
			t.Fatal(err)
		}
		rows, st := mustRun(t, db.NewSession(), `SELECT id FROM sms WHERE "`+phrase+`" LIMIT 5`)
		if len(rows) != 5 {
			t.Fatalf("swap %v: %d rows", swap, len(rows))
		}
		return st.RowsJudged, anchorsAsked
	}
	good, asked := judged(false, false)
	bad, _ := judged(true, false)
	// a model whose anchors are never valid leaves the phrase's own
	// similarity: the statement still answers
	plain, tries := judged(false, true)
	t.Logf("without valid anchors (asked %d times): %d rows judged", tries, plain)
	t.Logf("rows judged to find 5: %d with the anchors, %d with them swapped", good, bad)
	if asked != 1 {
		t.Errorf("anchors asked %d times in one statement, want 1", asked)
	}
	if good >= bad {
		t.Errorf("the anchors did not steer the search: %d rows judged with them, %d swapped", good, bad)
	}
}
