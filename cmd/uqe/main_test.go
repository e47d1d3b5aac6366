package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const smsPath = "../../testdata/datasets/sms_spam/sms.csv"

// uqe runs the command with args and stdin and returns its exit code,
// standard output and standard error.
func uqe(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// golden compares got with testdata/name.golden (rewritten under -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/uqe -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update if the change is intended)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

// writeTemp writes text to a file in a fresh temporary folder.
func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const peopleCSV = "id,name,score\n1,ann,1.5\n2,\"bob, jr\",\n3,cid,-2\n4,\"d\"\"q\",10.25\n"

const peopleQuery = "SELECT id, name, score, score IS NULL AS missing FROM people ORDER BY id"

// TestFormats runs one query over a CSV written here and one over the
// shipped SMS dataset in every output mode and compares with golden files.
func TestFormats(t *testing.T) {
	people := writeTemp(t, "people.csv", peopleCSV)
	cases := []struct {
		name string
		args []string
	}{
		{"people", []string{"--table", "people=" + people, "-c", peopleQuery}},
		{"sms", []string{"--table", "sms=" + smsPath, "-c",
			"SELECT id, text, length(text) AS chars FROM sms WHERE id IN (1, 2, 9, 16) ORDER BY id"}},
		{"sms_summary", []string{"--table", "sms=" + smsPath, "-c",
			"SELECT COUNT(*) AS messages, SUM(text LIKE '%free%') AS mention_free, ROUND(AVG(LENGTH(text)), 1) AS avg_chars FROM sms"}},
	}
	for _, c := range cases {
		for _, mode := range []string{"box", "table", "csv", "tsv", "json", "jsonl", "markdown", "line"} {
			t.Run(c.name+"/"+mode, func(t *testing.T) {
				code, out, errOut := uqe(t, "", append(c.args, "--format", mode)...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				if errOut != "" {
					t.Errorf("standard error: %q", errOut)
				}
				golden(t, c.name+"."+mode, out)
			})
		}
	}
}

// TestFormatValues checks the machine-readable modes by parsing them, so
// the values are right independently of the golden files.
func TestFormatValues(t *testing.T) {
	people := writeTemp(t, "people.csv", peopleCSV)
	args := []string{"--table", "people=" + people, "-c", peopleQuery, "--format"}

	want := [][]string{
		{"id", "name", "score", "missing"},
		{"1", "ann", "1.5", "0"},
		{"2", "bob, jr", "", "1"},
		{"3", "cid", "-2.0", "0"},
		{"4", `d"q`, "10.25", "0"},
	}
	code, out, errOut := uqe(t, "", append(args, "csv")...)
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errOut)
	}
	got, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv output does not parse: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("csv: %q, want %q", got, want)
	}

	code, out, errOut = uqe(t, "", append(args, "tsv")...)
	if code != 0 {
		t.Fatalf("tsv: exit %d: %s", code, errOut)
	}
	r := csv.NewReader(strings.NewReader(out))
	r.Comma = '\t'
	got, err = r.ReadAll()
	if err != nil {
		t.Fatalf("tsv output does not parse: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tsv: %q, want %q", got, want)
	}

	wantObjs := []map[string]any{
		{"id": 1.0, "name": "ann", "score": 1.5, "missing": 0.0},
		{"id": 2.0, "name": "bob, jr", "score": nil, "missing": 1.0},
		{"id": 3.0, "name": "cid", "score": -2.0, "missing": 0.0},
		{"id": 4.0, "name": `d"q`, "score": 10.25, "missing": 0.0},
	}
	code, out, errOut = uqe(t, "", append(args, "jsonl")...)
	if code != 0 {
		t.Fatalf("jsonl: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != len(wantObjs) {
		t.Fatalf("jsonl: %d lines, want %d:\n%s", len(lines), len(wantObjs), out)
	}
	for i, ln := range lines {
		var obj map[string]any
		if err := json.Unmarshal([]byte(ln), &obj); err != nil {
			t.Fatalf("jsonl line %d does not parse: %v: %s", i+1, err, ln)
		}
		if !reflect.DeepEqual(obj, wantObjs[i]) {
			t.Errorf("jsonl line %d: %v, want %v", i+1, obj, wantObjs[i])
		}
	}

	code, out, errOut = uqe(t, "", append(args, "json")...)
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	var arr []map[string]any
	if err := json.Unmarshal([]byte(out), &arr); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(arr, wantObjs) {
		t.Errorf("json: %v, want %v", arr, wantObjs)
	}
}

func TestExitCodes(t *testing.T) {
	bad := writeTemp(t, "bad.csv", "a,b\n1,2\n3,4,5\n")
	good := writeTemp(t, "good.csv", "a,t\n1,one\n")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr []string // substrings of standard error
	}{
		{"success", []string{"-c", "SELECT 1"}, 0, nil},
		{"no statements", []string{"-c", ""}, 0, nil},
		{"malformed query", []string{"-c", "SELECT FROM"}, 1, []string{"<command>:1:8: ", "[P001]"}},
		{"unknown table", []string{"-c", "SELECT * FROM nosuch"}, 1, []string{"<command>:1:15: ", "[B001]"}},
		{"runtime error", []string{"-c", "SELECT sum(a) FROM (SELECT 9223372036854775807 AS a UNION ALL SELECT 1)"}, 1, []string{"[E001]"}},
		{"natural language without a model", []string{"--llm", "none", "--table", "g=" + good, "-c", `SELECT a FROM g WHERE "the {t} is odd"`}, 1, []string{"<command>:1:23: ", "[M001]"}},
		{"malformed CSV table", []string{"--table", "b=" + bad, "-c", "SELECT 1"}, 1, []string{bad + ":3:", "[C001]"}},
		{"missing table file", []string{"--table", "b=" + bad + ".nothing", "-c", "SELECT 1"}, 1, []string{"[C002]"}},
		{"unknown flag", []string{"--nosuch", "-c", "SELECT 1"}, 2, []string{"usage: uqe"}},
		{"bad format", []string{"--format", "xml", "-c", "SELECT 1"}, 2, []string{"xml"}},
		{"table without =", []string{"--table", "people", "-c", "SELECT 1"}, 2, []string{"NAME=PATH"}},
		{"table with empty name", []string{"--table", "=" + good, "-c", "SELECT 1"}, 2, []string{"NAME=PATH"}},
		{"help", []string{"-h"}, 0, []string{"usage: uqe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := uqe(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, errOut)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
		})
	}
}

// TestErrorCaret checks the three lines of a positioned error: the
// position and code, the source line, a caret under the column.
func TestErrorCaret(t *testing.T) {
	code, _, errOut := uqe(t, "", "-c", "SELECT 1 + FROM t")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines of error, got:\n%s", errOut)
	}
	if !strings.HasPrefix(lines[0], "<command>:1:12: ") || !strings.HasSuffix(lines[0], "[P001]") {
		t.Errorf("first line %q, want <command>:1:12: ... [P001]", lines[0])
	}
	if lines[1] != "SELECT 1 + FROM t" {
		t.Errorf("source line %q", lines[1])
	}
	if lines[2] != strings.Repeat(" ", 11)+"^" {
		t.Errorf("caret line %q, want a caret under column 12", lines[2])
	}
}

func TestRepeatedC(t *testing.T) {
	code, out, errOut := uqe(t, "", "--format", "csv",
		"-c", "CREATE TABLE t(a INTEGER)",
		"-c", "INSERT INTO t VALUES (1), (2)",
		"-c", "SELECT sum(a) AS s FROM t",
		"-c", "INSERT INTO t VALUES (3); SELECT count(*) AS n FROM t")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "s\n3\nn\n3\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
}

func TestScripts(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "make.uql")
	if err := os.WriteFile(script, []byte("CREATE TABLE t(a INTEGER, b TEXT);\nINSERT INTO t VALUES (1, 'x'), (2, 'y');\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	query := filepath.Join(dir, "query.uql")
	if err := os.WriteFile(query, []byte("-- a comment\nSELECT b FROM t ORDER BY a DESC;\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("-f FILE in order with -c", func(t *testing.T) {
		code, out, errOut := uqe(t, "", "--format", "csv", "-f", script, "-c", "SELECT count(*) AS n FROM t", "-f", query)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if want := "n\n2\nb\ny\nx\n"; out != want {
			t.Errorf("output %q, want %q", out, want)
		}
	})
	t.Run("-f - reads standard input", func(t *testing.T) {
		code, out, errOut := uqe(t, "SELECT 40 + 2 AS answer;", "--format", "csv", "-f", "-")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if out != "answer\n42\n" {
			t.Errorf("output %q", out)
		}
	})
	t.Run("standard input without arguments", func(t *testing.T) {
		code, out, errOut := uqe(t, "SELECT 'piped' AS s;", "--format", "csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if out != "s\npiped\n" {
			t.Errorf("output %q", out)
		}
	})
	t.Run("script names, flags after them", func(t *testing.T) {
		code, out, errOut := uqe(t, "", script, query, "--format", "csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if out != "b\ny\nx\n" {
			t.Errorf("output %q", out)
		}
	})
	t.Run("stdin error positions", func(t *testing.T) {
		code, _, errOut := uqe(t, "SELECT 1;\nSELECT nosuch;", "-f", "-")
		if code != 1 || !strings.HasPrefix(errOut, "<stdin>:2:8: ") || !strings.Contains(errOut, "[B002]") {
			t.Errorf("exit %d, stderr %q; want 1 and <stdin>:2:8: ... [B002]", code, errOut)
		}
	})
}

func TestScriptErrorLine(t *testing.T) {
	for _, tc := range []struct {
		name, line3, code string
		col               int
	}{
		{"bind error", "SELECT nosuch FROM t;", "B002", 8},
		{"syntax error", "SELECT a FROM t WHERE;", "P001", 22},
		{"constraint", "INSERT INTO t VALUES (1);", "E002", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := writeTemp(t, "s.uql", "CREATE TABLE t(a INTEGER UNIQUE);\nINSERT INTO t VALUES (1); SELECT 'before' AS s;\n"+tc.line3+"\nSELECT 'after' AS s;\n")
			code, out, errOut := uqe(t, "", "--format", "csv", script)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
			}
			prefix := script + ":3:"
			if tc.col > 0 {
				prefix += itoa(tc.col) + ": "
			}
			if strings.Contains(out, "after") {
				t.Errorf("the script went on after the failing statement: %q", out)
			}
			if !strings.Contains(errOut, "["+tc.code+"]") {
				t.Errorf("stderr %q lacks code %s", errOut, tc.code)
			}
			var bugs []string
			if !strings.HasPrefix(errOut, prefix) {
				if tc.code != "E002" {
					t.Errorf("stderr %q, want prefix %q", errOut, prefix)
				} else {
					bugs = append(bugs, fmt.Sprintf("an execution error (constraint) in a script has no position: stderr %q, want prefix %q", errOut, prefix))
				}
			}
			if !strings.Contains(out, "before") {
				bugs = append(bugs, fmt.Sprintf("a script failing on line 3 did not run lines 1-2 first (stdout %q): the whole script is parsed before any statement runs", out))
			}
			for _, b := range bugs {
				t.Error(b)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

var statsKeys = []string{"statement", "rows_out", "model_calls", "rows_judged", "prompt_tokens",
	"completion_tokens", "cache_hits", "cost_usd", "wall_ms", "strategy", "budget"}

func TestStats(t *testing.T) {
	stats := filepath.Join(t.TempDir(), "stats.jsonl")
	code, _, errOut := uqe(t, "", "--budget", "12", "--stats", stats, "--format", "csv",
		"-c", "CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1), (2), (3)",
		"-c", "SELECT a FROM t WHERE a > 1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// A second run appends; its failing statement is recorded too.
	code, _, _ = uqe(t, "", "--stats", stats, "-c", "SELECT 1; SELECT nosuch; SELECT 2")
	if code != 1 {
		t.Fatalf("second run: exit %d, want 1", code)
	}
	data, err := os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d stats lines, want 5 (3 + 2):\n%s", len(lines), data)
	}
	var objs []map[string]any
	for i, ln := range lines {
		var obj map[string]any
		if err := json.Unmarshal([]byte(ln), &obj); err != nil {
			t.Fatalf("line %d is not a JSON object: %v: %s", i+1, err, ln)
		}
		for _, k := range statsKeys {
			if _, ok := obj[k]; !ok {
				t.Errorf("line %d lacks %q: %s", i+1, k, ln)
			}
		}
		if _, ok := obj["strategy"].(map[string]any); !ok {
			t.Errorf("line %d: strategy is %T, want an object", i+1, obj["strategy"])
		}
		objs = append(objs, obj)
	}
	for i, want := range []struct {
		statement, rowsOut, budget float64
	}{{1, 0, 12}, {2, 0, 12}, {3, 2, 12}, {1, 1, 1000}, {2, 0, 1000}} {
		o := objs[i]

		if o["statement"] != want.statement || o["rows_out"] != want.rowsOut || o["budget"] != want.budget {
			t.Errorf("line %d: statement %v rows_out %v budget %v, want %v %v %v",
				i+1, o["statement"], o["rows_out"], o["budget"], want.statement, want.rowsOut, want.budget)
		}
		if o["model_calls"] != 0.0 || o["rows_judged"] != 0.0 || o["cost_usd"] != 0.0 {
			t.Errorf("line %d: model activity without a model: %s", i+1, lines[i])
		}
	}
	if objs[4]["code"] != "B002" {
		t.Errorf("the failing statement's stats carry code %v, want B002: %s", objs[4]["code"], lines[4])
	}

	// --stats - writes to standard error.
	code, out, errOut := uqe(t, "", "--stats", "-", "--format", "csv", "-c", "SELECT 7 AS x")
	if code != 0 || out != "x\n7\n" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(errOut)), &obj); err != nil || obj["rows_out"] != 1.0 {
		t.Errorf("stats on standard error %q: %v", errOut, err)
	}
}

func TestSettingsFlags(t *testing.T) {
	code, out, errOut := uqe(t, "", "--budget", "0", "--seed", "9", "--format", "csv", "-c", "SHOW budget", "-c", "SHOW seed")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "budget\n0\nseed\n9\n" {
		t.Errorf("output %q", out)
	}
	code, _, errOut = uqe(t, "", "--budget", "many", "-c", "SELECT 1")
	if code != 2 {
		t.Errorf("--budget many: exit %d, want 2 (%s)", code, errOut)
	}
}

func TestFileByPath(t *testing.T) {
	code, out, errOut := uqe(t, "", "--format", "csv", "-c", "SELECT count(*) AS n FROM '"+smsPath+"'", "-c", "SELECT max(id) AS m FROM read_csv('"+smsPath+"')")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "n\n5574\nm\n5574\n" {
		t.Errorf("output %q", out)
	}
}
