package sim

// The shipped answer keys of the demo datasets: their labels files are
// derived from the datasets' own label files (joined with the text on id,
// one row per distinct text). TestShippedLabels checks that they are up to
// date; `go test ./llm/sim -run TestShippedLabels -update` rewrites them.

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the derived sim labels files of the shipped datasets")

const datasets = "../../testdata/datasets"

type derived struct {
	dir, texts, labels, out string
	cols                    []string // label columns to keep
}

var shipped = []derived{
	{"sms_spam", "sms.csv", "sms_labels.csv", "sms_sim_labels.csv", []string{"label"}},
	// split is not kept: 7 texts occur in both train and test with the
	// same intent, and a key row must have one set of labels.
	{"banking77", "banking.csv", "banking_labels.csv", "banking_sim_labels.csv", []string{"intent"}},
}

func readCSV(t testing.TB, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs[0], recs[1:]
}

func colIndex(t testing.TB, header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

// build joins texts and labels on id: columns text, then d.cols, one row per
// distinct text (the first), failing on a text with conflicting labels.
func (d derived) build(t testing.TB) []byte {
	dir := filepath.Join(datasets, d.dir)
	th, trows := readCSV(t, filepath.Join(dir, d.texts))
	lh, lrows := readCSV(t, filepath.Join(dir, d.labels))
	tid, ttext := colIndex(t, th, "id"), colIndex(t, th, "text")
	text := map[string]string{}
	for _, r := range trows {
		text[r[tid]] = r[ttext]
	}
	lid := colIndex(t, lh, "id")
	var lc []int
	for _, c := range d.cols {
		lc = append(lc, colIndex(t, lh, c))
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(append([]string{"text"}, d.cols...))
	seen := map[string][]string{}
	for _, r := range lrows {
		txt, ok := text[r[lid]]
		if !ok {
			t.Fatalf("%s: id %s has labels but no text", d.dir, r[lid])
		}
		labs := make([]string, len(lc))
		for i, c := range lc {
			labs[i] = r[c]
		}
		if prev, ok := seen[txt]; ok {
			for i := range prev {
				if prev[i] != labs[i] {
					t.Fatalf("%s: text %q has conflicting labels %v and %v", d.dir, txt, prev, labs)
				}
			}
			continue
		}
		seen[txt] = labs
		_ = w.Write(append([]string{txt}, labs...))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestShippedLabels(t *testing.T) {
	for _, d := range shipped {
		want := d.build(t)
		path := filepath.Join(datasets, d.dir, d.out)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date; run go test ./llm/sim -run TestShippedLabels -update", path)
		}
	}
}
