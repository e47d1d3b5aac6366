package parser

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/errs"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestErrorGolden parses each testdata/errors/*.uql and compares errs.Detail
// of the error with the .golden file beside it.
func TestErrorGolden(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/errors/*.uql")
	if len(inputs) < 15 {
		t.Fatalf("only %d error cases", len(inputs))
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			_, perr := Parse(filepath.Base(in), string(src))
			if perr == nil {
				t.Fatal("no error")
			}
			if c := errs.CodeOf(perr); c != errs.Syntax && c != errs.Lexical {
				t.Fatalf("code %q", c)
			}
			got := errs.Detail(perr) + "\n"
			golden := strings.TrimSuffix(in, ".uql") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
