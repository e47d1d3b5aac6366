package parser

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/errs"
)

// FuzzParse checks that the parser never panics, always returns coded
// errors, and that whatever parses survives the Format round trip.
func FuzzParse(f *testing.F) {
	src, err := os.ReadFile("testdata/roundtrip.sql")
	if err != nil {
		f.Fatal(err)
	}
	segs, err := SplitStatements("roundtrip.sql", string(src))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range segs {
		f.Add(s.Text)
	}
	f.Add(strings.Repeat("(", 600))
	f.Add("SELECT " + strings.Repeat("1+", 300) + "1")
	f.Add("SELECT " + strings.Repeat("NOT ", 1100) + "1")
	f.Add("SELECT " + strings.Repeat("(SELECT ", 200) + "1")
	f.Fuzz(func(t *testing.T, in string) {
		st, err := Parse("f", in)
		if err != nil {
			if c := errs.CodeOf(err); c != errs.Syntax && c != errs.Lexical {
				t.Fatalf("error without a parse code: %v", err)
			}
			return
		}
		var parts []string
		for _, s := range st {
			parts = append(parts, ast.Format(s))
		}
		out := strings.Join(parts, ";\n")
		st2, err := Parse("f", out)
		if err != nil {
			t.Fatalf("formatted text does not parse: %v\ninput:  %q\noutput: %q", err, in, out)
		}
		clearPositions(st)
		clearPositions(st2)
		if !reflect.DeepEqual(st, st2) {
			t.Fatalf("round trip changed the tree\ninput:  %q\noutput: %q", in, out)
		}
	})
}

// BenchmarkParseSelect1 parses the statements of the committed corpus.
func BenchmarkParseSelect1(b *testing.B) {
	var stmts []string
	if recs, err := readSLT(sltDir + "/select1.test"); err == nil {
		for _, r := range recs {
			stmts = append(stmts, r.SQL)
		}
	} else {
		src, err := os.ReadFile("testdata/roundtrip.sql")
		if err != nil {
			b.Fatal(err)
		}
		segs, _ := SplitStatements("roundtrip.sql", string(src))
		for _, s := range segs {
			stmts = append(stmts, s.Text)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range stmts {
			if _, err := Parse("bench", s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(stmts)), "ns/stmt")
}
