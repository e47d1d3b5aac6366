package sqllogictest

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Checks of the committed corpus, skip list and baseline that need no driver.

const corpusDir = "../testdata/sqllogictest"

func corpusFiles(t testing.TB) []string {
	t.Helper()
	sel, err := filepath.Glob(filepath.Join(corpusDir, "select*.test"))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := filepath.Glob(filepath.Join(corpusDir, "evidence", "*.test"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sel) != 5 || len(ev) != 12 {
		t.Fatalf("found %d select and %d evidence files, want 5 and 12", len(sel), len(ev))
	}
	return append(sel, ev...)
}

// TestCorpusUnchanged checks the copy against MD5SUMS: the files are
// upstream's, unmodified.
func TestCorpusUnchanged(t *testing.T) {
	f, err := os.Open(filepath.Join(corpusDir, "MD5SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		got := md5.Sum(data)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s differs from MD5SUMS", name)
		}
		n++
	}
	if n != 17 {
		t.Errorf("MD5SUMS lists %d files, want 17", n)
	}
}

// TestCorpusParses parses every file; the record counts of select1-5 are
// those of the corpus README (statements + queries).
func TestCorpusParses(t *testing.T) {
	want := map[string]int{"select1.test": 1031, "select4.test": 3857, "select5.test": 1436}
	for _, path := range corpusFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		recs, err := Parse(name, data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		n := 0
		for _, r := range recs {
			if r.Kind == KindStatement || r.Kind == KindQuery {
				n++
			}
		}
		if w, ok := want[name]; ok && n != w {
			t.Errorf("%s: %d statement and query records, want %d", name, n, w)
		}
		if n == 0 {
			t.Errorf("%s: no records", name)
		}
	}
}

// TestSkipList checks skip.txt: every entry names a record that runs for
// SQLite, every record whose SQL uses a trigger or REPLACE is listed, and
// baseline.txt parses and shares no entry with it.
func TestSkipList(t *testing.T) {
	skip, err := ReadList(filepath.Join(corpusDir, "skip.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for key, reason := range skip {
		if reason == "" {
			t.Errorf("%s has no reason", key)
		}
	}
	unsupported := regexp.MustCompile(`(?i)\b(CREATE\s+TRIGGER|DROP\s+TRIGGER|REPLACE\s+INTO|INSERT\s+OR\s+REPLACE)\b`)
	seen := map[string]bool{}
	for _, path := range corpusFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		recs, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkSkips(name, recs, "sqlite", skip); err != nil {
			t.Error(err)
		}
		for _, r := range recs {
			key := Key(name, r.Line)
			if _, ok := skip[key]; ok {
				seen[key] = true
			}
			if r.Kind != KindStatement && r.Kind != KindQuery || !r.Runs("sqlite") {
				continue
			}
			if unsupported.MatchString(r.SQL) && !seen[key] {
				t.Errorf("%s uses a trigger or REPLACE but is not in skip.txt: %s", key, r.SQL)
			}
		}
	}
	for key := range skip {
		if !seen[key] {
			t.Errorf("skip.txt entry %s names no file of the corpus", key)
		}
	}
	baseline, err := ReadList(filepath.Join(corpusDir, "baseline.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for key := range baseline {
		if _, ok := skip[key]; ok {
			t.Errorf("%s is in both skip.txt and baseline.txt", key)
		}
	}
}

func BenchmarkParseSelect4(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "select4.test"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("select4.test", data); err != nil {
			b.Fatal(err)
		}
	}
}
