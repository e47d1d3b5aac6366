package engine

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/sampling"
)

const reviewsDir = "../testdata/datasets/uci_sentiment"

const countPositive = `SELECT COUNT(*), CI_LOW(COUNT(*)), CI_HIGH(COUNT(*)) FROM reviews WHERE "the review is positive"`

// reviewsDB opens a database whose response cache and statistics live in
// dir, with the reviews table registered from path (the sim answer key
// knows every review by its text) and the hash embedder (fast).
func reviewsDB(t *testing.T, dir, path string, settings map[string]string) *Session {
	t.Helper()
	s := map[string]string{"llm": "sim:" + reviewsDir + "/sim.json", "budget": "200", "embed": "hash", "seed": "3"}
	for k, v := range settings {
		s[k] = v
	}
	db, err := Open(Options{Settings: s, Cache: filepath.Join(dir, "cache.db"), Stderr: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Register("reviews", path); err != nil {
		t.Fatal(err)
	}
	return db.NewSession()
}

// note returns the EXPLAIN lines of the statement's semantic operator
// notes, without the plan's indentation.
func note(t *testing.T, s *Session, query string) []string {
	t.Helper()
	rows, _ := mustRun(t, s, "EXPLAIN "+query)
	var out []string
	for _, r := range rows {
		if i := strings.Index(r, "| "); i >= 0 {
			out = append(out, r[i+2:])
		}
	}
	return out
}

func find(lines []string, re *regexp.Regexp) []string {
	for _, l := range lines {
		if m := re.FindStringSubmatch(l); m != nil {
			return m
		}
	}
	return nil
}

// candidateRE matches one sampling strategy's candidate line.
func candidateRE(name string) *regexp.Regexp {
	return regexp.MustCompile(`^  ` + regexp.QuoteMeta(name) + `: est_rows_judged=\d+ est_tokens=\d+ est_cost=(\$[0-9.]+|unknown) est_latency=(unknown|[0-9.]+m?s) expected_error=±[0-9.]+% \(95%\) \(design effect [0-9.]+, (default from docs/evaluation\.md|learned from (\d+) runs? [a-z ]+|no measurement: assumed as uniform's)\)$`)
}

// TestExplainCandidates checks that EXPLAIN of an aggregate over a phrase
// whose rows exceed the budget lists exact and every sampling strategy
// with its estimates, and that the chosen line says what will run: auto by
// default, the forced strategy under SET strategy, exact when the budget
// covers every row.
func TestExplainCandidates(t *testing.T) {
	cases := []struct {
		name, set, query string
		sampled          bool
		chosen           string // regexp
	}{
		{"default is auto", "", countPositive, true, `^chosen: auto, because exact would judge 3000 rows, over the budget of 200`},
		{"forced uniform", "SET strategy = uniform", countPositive, true, `^chosen: uniform, because SET strategy = uniform`},
		{"forced stratified", "SET strategy = 'stratified'", countPositive, true, `^chosen: stratified, because SET strategy = stratified`},
		{"forced exact", "SET strategy = exact", countPositive, true, `^chosen: exact \(SET strategy = exact\); it exceeds the budget`},
		{"budget covers", "SET budget = 5000", countPositive, false, `^chosen: exact, because the budget covers every row`},
		{"no limit", "SET budget = 0", countPositive, false, `^chosen: exact, because there is no budget limit`},
		{"covered after a structured filter", "", `SELECT COUNT(*) FROM reviews WHERE "the review is positive" AND id <= 150`, false, `^chosen: exact, because the budget covers every row`},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := reviewsDB(t, dir, reviewsDir+"/reviews.csv", nil)
			if c.set != "" {
				mustRun(t, s, c.set)
			}
			lines := note(t, s, c.query)
			if find(lines, regexp.MustCompile(`^  exact: est_rows_judged=\d+ est_tokens=\d+ est_cost=\S+ est_latency=unknown expected_error=0`)) == nil {
				t.Errorf("no exact candidate with est_latency=unknown (nothing is known yet) in\n%s", strings.Join(lines, "\n"))
			}
			for _, name := range sampling.Strategies() {
				if name == "exact" {
					continue
				}
				got := find(lines, candidateRE(name)) != nil
				if got != c.sampled {
					t.Errorf("candidate %s listed: %v, want %v in\n%s", name, got, c.sampled, strings.Join(lines, "\n"))
				}
			}
			if find(lines, regexp.MustCompile(c.chosen)) == nil {
				t.Errorf("no line matches %q in\n%s", c.chosen, strings.Join(lines, "\n"))
			}
			if c.sampled && !strings.Contains(c.set, "exact") && find(lines, regexp.MustCompile(`^target_error ±5%: \S+ is expected to need ~\d+ rows judged.*; the budget of 200 (allows|does not allow) it`)) == nil {
				t.Errorf("no target_error line in\n%s", strings.Join(lines, "\n"))
			}
		})
	}
	// A LIMIT search keeps its candidates, with est_latency.
	s := reviewsDB(t, dir, reviewsDir+"/reviews.csv", nil)
	lines := note(t, s, `SELECT id FROM reviews WHERE "the review is positive" LIMIT 5`)
	if find(lines, regexp.MustCompile(`^  search \(prior, then active learning\) for 5 rows: est_rows_judged=\d+ est_tokens=\d+ est_cost=\S+ est_latency=\S+`)) == nil ||
		find(lines, regexp.MustCompile(`^chosen: search`)) == nil {
		t.Errorf("LIMIT search note:\n%s", strings.Join(lines, "\n"))
	}
}

// readStats reads phrase-stats.json.
func readStats(t *testing.T, dir string) statsFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "phrase-stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f statsFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

var versionRE = regexp.MustCompile(`^table version: (\S+)$`)

// TestStatsLearned checks the store: an approximate query records its
// (table version, phrase) entry with rows judged, true, tokens, calls,
// latency and the strategy's estimate; a later EXPLAIN (in another DB, as
// another process would) uses them: the selectivity and tokens are
// learned and auto's design effect is "learned from 1 run". EXPLAIN
// ANALYZE shows the actual figures and records too.
func TestStatsLearned(t *testing.T) {
	dir := t.TempDir()
	s := reviewsDB(t, dir, reviewsDir+"/reviews.csv", nil)
	before := note(t, s, countPositive)
	m := find(before, versionRE)
	if m == nil {
		t.Fatalf("no table version in\n%s", strings.Join(before, "\n"))
	}
	version := m[1]
	if !strings.HasPrefix(version, "reviews:3000:") {
		t.Errorf("version %q: want name and row count first", version)
	}
	_, st := mustRun(t, s, countPositive)
	if !st.Approximate {
		t.Fatalf("the query was not approximate: %+v", st)
	}
	f := readStats(t, dir)
	e := f.Tables[version]["the review is positive"]
	if e == nil {
		t.Fatalf("no entry for (%s, phrase) in %+v", version, f.Tables)
	}
	if e.Judged != st.RowsJudged || e.True <= 0 || e.True >= e.Judged || e.ModelRows != st.RowsJudged ||
		e.PromptTokens != st.PromptTokens || e.CompletionTokens != st.CompletionTokens || e.Calls != st.ModelCalls || e.LatencyMS < 0 || e.Runs != 1 {
		t.Errorf("entry %+v does not match the statement's stats %+v", e, st)
	}
	auto := e.Strategies["auto"]
	if auto == nil || auto.Runs != 1 || len(auto.Obs) != 1 || auto.Obs[0].N != int(st.RowsJudged) || auto.Obs[0].Pop != 3000 || auto.Obs[0].RSE <= 0 {
		t.Errorf("auto's estimates: %+v", auto)
	}
	if tot := f.Phrases["the review is positive"]; tot == nil || tot.Judged != e.Judged {
		t.Errorf("phrase totals %+v, want the same rows judged as the entry", tot)
	}

	// Another DB over the same cache directory: the statistics persist.
	s2 := reviewsDB(t, dir, reviewsDir+"/reviews.csv", nil)
	after := note(t, s2, countPositive)
	for _, want := range []string{
		`^rows to judge 3000 \(counted: the rows left after structured filters\), selectivity ~0\.\d+ \(from 200 rows judged before, this table version\)$`,
		`^cost model: .*\(learned from 200 rows sent to the model, this table version\); ms per call: [0-9.]+ \(learned from \d+ calls, this table version\)`,
		`^  exact: .* est_latency=[0-9.]+m?s `,
	} {
		if find(after, regexp.MustCompile(want)) == nil {
			t.Errorf("no line matches %q in\n%s", want, strings.Join(after, "\n"))
		}
	}
	if m := find(after, candidateRE("auto")); m == nil || m[4] != "1" || !strings.Contains(m[0], "learned from 1 run on this table and phrase") {
		t.Errorf("auto: want learned from 1 run in\n%s", strings.Join(after, "\n"))
	}
	if m := find(after, candidateRE("uniform")); m == nil || !strings.Contains(m[0], "default from docs/evaluation.md") {
		t.Errorf("uniform: want the default in\n%s", strings.Join(after, "\n"))
	}

	// EXPLAIN ANALYZE adds the actual figures, and records them.
	mustRun(t, s2, "SET strategy = uniform")
	rows, _ := mustRun(t, s2, "EXPLAIN ANALYZE "+countPositive)
	for _, want := range []string{
		`^model: calls=\d+ rows_judged=\d+ .*prompt_tokens=\d+ completion_tokens=\d+`,
		`^strategy: SemFilter "the review is positive": sampled \(uniform\)`,
		`^latency: calls_ms=[0-9.]+ ms_per_call=[0-9.]+`,
		`^estimate: "the review is positive" strategy=uniform rows_judged=\d+ of 3000 undecided value=\S+ relative_half_width=±[0-9.]+% \(95%\)$`,
	} {
		if find(rows, regexp.MustCompile(want)) == nil {
			t.Errorf("EXPLAIN ANALYZE: no line matches %q in\n%s", want, strings.Join(rows, "\n"))
		}
	}
	f = readStats(t, dir)
	if u := f.Tables[version]["the review is positive"].Strategies["uniform"]; u == nil || u.Runs != 1 {
		t.Errorf("EXPLAIN ANALYZE did not record uniform's estimate: %+v", u)
	}
	if m := find(note(t, s2, countPositive), candidateRE("uniform")); m == nil || m[4] != "1" {
		t.Errorf("uniform: want learned from 1 run after EXPLAIN ANALYZE")
	}
}

// TestTableVersion checks that a table's version depends on its rows, not
// on its file: the same rows copied elsewhere share a version, other rows
// (one fewer, or one changed) get another, and the statistics of one do
// not serve the other's (they fall back to the phrase's totals).
func TestTableVersion(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(reviewsDir + "/reviews.csv")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(src)))
	for sc.Scan() && len(lines) < 1001 {
		lines = append(lines, sc.Text())
	}
	changed := append([]string(nil), lines...)
	changed[500] = strings.Replace(changed[500], ",", ",x", 1)
	files := map[string][]string{"a.csv": lines, "copy.csv": lines, "fewer.csv": lines[:900], "changed.csv": changed}
	for name, ls := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(ls, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	version := func(file string) string {
		s := reviewsDB(t, dir, filepath.Join(dir, file), nil)
		m := find(note(t, s, countPositive), versionRE)
		if m == nil {
			t.Fatalf("%s: no table version", file)
		}
		return m[1]
	}
	a := version("a.csv")
	for _, c := range []struct {
		file string
		same bool
	}{{"a.csv", true}, {"copy.csv", true}, {"fewer.csv", false}, {"changed.csv", false}} {
		if v := version(c.file); (v == a) != c.same {
			t.Errorf("%s: version %s vs a.csv's %s: same %v, want %v", c.file, v, a, v == a, c.same)
		}
	}
	// Statistics of a.csv: fewer.csv sees the phrase's totals only.
	mustRun(t, reviewsDB(t, dir, filepath.Join(dir, "a.csv"), nil), countPositive)
	ls := note(t, reviewsDB(t, dir, filepath.Join(dir, "fewer.csv"), nil), countPositive)
	if find(ls, regexp.MustCompile(`selectivity ~\S+ \(from \d+ rows judged before, this phrase on any table version\)`)) == nil {
		t.Errorf("fewer.csv should fall back to the phrase totals:\n%s", strings.Join(ls, "\n"))
	}
	if m := find(ls, candidateRE("auto")); m == nil || !strings.Contains(m[0], "learned from 1 run for this phrase") {
		t.Errorf("fewer.csv: auto's design effect should come from the phrase:\n%s", strings.Join(ls, "\n"))
	}
	// A table created by SQL has a version too, from its rows.
	s := reviewsDB(t, dir, filepath.Join(dir, "a.csv"), nil)
	mustRun(t, s, `CREATE TABLE r2 AS SELECT * FROM reviews`)
	rows, _ := mustRun(t, s, `EXPLAIN SELECT COUNT(*) FROM r2 WHERE "the review is positive"`)
	if m := find(trimNotes(rows), versionRE); m == nil || !strings.HasPrefix(m[1], "r2:1000:") || strings.TrimPrefix(m[1], "r2") != strings.TrimPrefix(a, "reviews") {
		t.Errorf("CREATE TABLE AS: version %v, want r2 with a.csv's rows and hash (%s)", m, a)
	}
}

func trimNotes(rows []string) []string {
	var out []string
	for _, r := range rows {
		if i := strings.Index(r, "| "); i >= 0 {
			out = append(out, r[i+2:])
		}
	}
	return out
}

// TestStatsFileFormats checks that phrase-stats.json files of the first
// format (phrase → judged/true) still inform plans, and that unreadable
// ones are ignored, never a failure; a query then rewrites the file in the
// current format, keeping what the old one held.
func TestStatsFileFormats(t *testing.T) {
	cases := []struct {
		name, content string
		selectivity   string // regexp
	}{
		{"first format", `{"The  review is POSITIVE": {"judged": 100, "true": 40}, "other": {"judged": 5, "true": 1}}`, `~0\.40 \(from 100 rows judged before, this phrase on any table version\)`},
		{"garbage", `{not json`, `~0\.50 \(assumed\)`},
		{"empty", ``, `~0\.50 \(assumed\)`},
		{"wrong shapes", `{"format": 2, "phrases": [1, 2], "tables": "x"}`, `~0\.50 \(assumed\)`},
		{"a later format", `{"format": 9, "phrases": {"the review is positive": {"judged": 100, "true": 40}}}`, `~0\.50 \(assumed\)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "phrase-stats.json"), []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s := reviewsDB(t, dir, reviewsDir+"/reviews.csv", nil)
			ls := note(t, s, countPositive)
			if find(ls, regexp.MustCompile(`^rows to judge 3000 \(counted: the rows left after structured filters\), selectivity `+c.selectivity)) == nil {
				t.Errorf("want selectivity %s in\n%s", c.selectivity, strings.Join(ls, "\n"))
			}
			_, st := mustRun(t, s, countPositive)
			f := readStats(t, dir)
			if f.Format != statsFormat {
				t.Errorf("format %d after a write, want %d", f.Format, statsFormat)
			}
			want := st.RowsJudged
			if c.name == "first format" {
				want += 100
				if o := f.Phrases["other"]; o == nil || o.Judged != 5 {
					t.Errorf("the old file's other phrase was lost: %+v", f.Phrases)
				}
			}
			if got := f.Phrases["the review is positive"]; got == nil || got.Judged != want {
				t.Errorf("phrase totals %+v, want %d rows judged", got, want)
			}
		})
	}
}
