// The sqllogictest suite over uqe's database/sql driver:
//
//	go test ./sqllogictest/ -run TestSuite [-short] [-update-baseline]
//
// Every file of testdata/sqllogictest (select1-5.test, evidence/*.test) runs
// on a fresh sql.Open("uqe", ":memory:"), with the records of skip.txt
// skipped. Failures are checked against baseline.txt: a failure not listed
// there fails the test, and so does a listed record that now passes (remove
// it, or rewrite the file with -update-baseline), so the list only shrinks.
// Files in slowFiles are skipped under -short.

package sqllogictest_test

import (
	"cmp"
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/uqe-dev/uqe/driver"
	"github.com/uqe-dev/uqe/sqllogictest"
)

var (
	updateBaseline = flag.Bool("update-baseline", false, "rewrite testdata/sqllogictest/baseline.txt from the failures of this run")
	recordTimeout  = flag.Duration("slt-timeout", time.Minute, "per-record timeout of the sqllogictest suite (0: none)")
)

// slowFiles are the files skipped under -short. Empty: every file runs even
// under -short. Add base names here (e.g. "select4.test") if the suite
// proves too slow for -short runs.
var slowFiles = map[string]bool{}

const suiteDir = "../testdata/sqllogictest"

const baselineHeader = `# Known failures of uqe on the sqllogictest files: one file.test:LINE per
# failing record (LINE is the record's "statement"/"query" line), comments
# with #. suite_test.go fails on any failure not listed
# here and on any listed record that now passes, so this list can only
# shrink. Rewrite it with:
#   go test ./sqllogictest/ -run TestSuite -update-baseline
# Records uqe skips on purpose are in skip.txt, not here.
`

func suiteFiles(t *testing.T) []string {
	t.Helper()
	sel, err := filepath.Glob(filepath.Join(suiteDir, "select*.test"))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := filepath.Glob(filepath.Join(suiteDir, "evidence", "*.test"))
	if err != nil {
		t.Fatal(err)
	}
	files := append(sel, ev...)
	if len(sel) != 5 || len(ev) == 0 {
		t.Fatalf("found %d select files and %d evidence files in %s", len(sel), len(ev), suiteDir)
	}
	return files
}

func TestSuite(t *testing.T) {
	skip, err := sqllogictest.ReadList(filepath.Join(suiteDir, "skip.txt"))
	if err != nil {
		t.Fatal(err)
	}
	baselinePath := filepath.Join(suiteDir, "baseline.txt")
	baseline, err := sqllogictest.ReadList(baselinePath)
	if err != nil {
		t.Fatal(err)
	}
	for key := range baseline {
		if _, ok := skip[key]; ok {
			t.Errorf("%s is in both skip.txt and baseline.txt", key)
		}
	}

	var (
		mu       sync.Mutex
		total    sqllogictest.Result
		ran      = map[string]bool{}   // files that ran to the end
		failures = map[string]string{} // key → message, over all files
	)
	for _, path := range suiteFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			if testing.Short() && slowFiles[name] {
				t.Skipf("%s is in slowFiles: skipped under -short", name)
			}
			db, err := sql.Open("uqe", ":memory:")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			r, err := sqllogictest.RunFile(context.Background(), db, path, sqllogictest.Options{Skip: skip, Timeout: *recordTimeout})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s (%d for other engines, %v)", r, r.OtherEngine, r.Elapsed.Round(time.Millisecond))

			report := t.Errorf
			if *updateBaseline {
				report = t.Logf // the baseline is being rewritten from this run
			}
			mine := map[string]bool{}
			for _, f := range r.Failures {
				mine[f.Key()] = true
				if _, known := baseline[f.Key()]; !known {
					report("new failure %s", f)
				}
			}
			for _, key := range sortedKeys(baseline) {
				if fileOf(key) == name && !mine[key] {
					report("%s passes now: remove it from baseline.txt (or run with -update-baseline)", key)
				}
			}

			mu.Lock()
			defer mu.Unlock()
			ran[name] = true
			total.Passed += r.Passed
			total.Failed += r.Failed
			total.Skipped += r.Skipped
			total.OtherEngine += r.OtherEngine
			total.Elapsed += r.Elapsed
			for _, f := range r.Failures {
				failures[f.Key()] = f.Message
			}
		})
	}
	total.File = "total"
	t.Logf("%s (%d files, %d records for other engines, %v)", &total, len(ran), total.OtherEngine, total.Elapsed.Round(time.Millisecond))

	if *updateBaseline {
		// Keep the entries of files that did not run (-short, -run).
		keep := map[string]bool{}
		for key := range baseline {
			if !ran[fileOf(key)] {
				keep[key] = true
			}
		}
		for key := range failures {
			keep[key] = true
		}
		var b strings.Builder
		b.WriteString(baselineHeader)
		for _, key := range sortedKeys(keep) {
			b.WriteString(key)
			b.WriteByte('\n')
		}
		if err := os.WriteFile(baselinePath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d entries", baselinePath, len(keep))
	}
}

func fileOf(key string) string {
	name, _, _ := strings.Cut(key, ":")
	return name
}

// sortedKeys orders file.test:LINE keys by file, then by line as a number.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		fa, la, _ := strings.Cut(a, ":")
		fb, lb, _ := strings.Cut(b, ":")
		if c := cmp.Compare(fa, fb); c != 0 {
			return c
		}
		na, _ := strconv.Atoi(la)
		nb, _ := strconv.Atoi(lb)
		return cmp.Compare(na, nb)
	})
	return keys
}
