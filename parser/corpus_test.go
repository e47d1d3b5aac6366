package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/errs"
)

const sltDir = "../../shared/sqllogictest"

// TestSQLLogicTestCorpus parses every statement and query of the shared
// sqllogictest files and checks the Format round trip. It skips when the
// shared directory is absent (it is not shipped with the repository).
func TestSQLLogicTestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sltDir, "*.test"))
	ev, _ := filepath.Glob(filepath.Join(sltDir, "evidence", "*.test"))
	files = append(files, ev...)
	if len(files) == 0 {
		t.Skipf("no sqllogictest files under %s", sltDir)
	}
	total, parsed, expectedErrs := 0, 0, 0
	for _, f := range files {
		recs, err := readSLT(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			total++
			ok, formatted, err := roundTrip(f, r.SQL)
			if err != nil {
				if r.IsError {
					expectedErrs++
					t.Logf("%s:%d: statement error record does not parse (fine): %v", filepath.Base(f), r.Line, err)
					continue
				}
				t.Errorf("%s:%d: %s\n%s", filepath.Base(f), r.Line, errs.Detail(err), formatted)
				continue
			}
			parsed++
			if !ok {
				t.Errorf("%s:%d: round trip changed the tree:\n%s\n%s", filepath.Base(f), r.Line, r.SQL, formatted)
			}
		}
	}
	t.Logf("sqllogictest corpus: %d records, %d parsed and round-tripped, %d 'statement error' records rejected", total, parsed, expectedErrs)
}

// TestRoundTripCorpus runs the round trip over the committed corpus.
func TestRoundTripCorpus(t *testing.T) {
	src, err := os.ReadFile("testdata/roundtrip.sql")
	if err != nil {
		t.Fatal(err)
	}
	segs, err := SplitStatements("roundtrip.sql", string(src))
	if err != nil {
		t.Fatal(errs.Detail(err))
	}
	if len(segs) < 200 {
		t.Fatalf("corpus has only %d statements", len(segs))
	}
	for _, s := range segs {
		ok, formatted, err := roundTrip("roundtrip.sql", s.Text)
		if err != nil {
			t.Errorf("%s: %s", s.Pos, strings.ReplaceAll(errs.Detail(err), "\n", "\n\t"))
			continue
		}
		if !ok {
			t.Errorf("%s: round trip changed the tree:\n%s\n%s", s.Pos, s.Text, formatted)
		}
	}
	t.Logf("%d statements round-tripped", len(segs))
}
