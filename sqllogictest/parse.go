package sqllogictest

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/uqe-dev/uqe/errs"
)

// Kind is the kind of a record.
type Kind int

// The record kinds.
const (
	KindStatement     Kind = iota + 1 // statement ok / statement error
	KindQuery                         // query <types> [sort] [label]
	KindHashThreshold                 // hash-threshold N
	KindHalt                          // halt
)

func (k Kind) String() string {
	switch k {
	case KindStatement:
		return "statement"
	case KindQuery:
		return "query"
	case KindHashThreshold:
		return "hash-threshold"
	case KindHalt:
		return "halt"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// SortMode is how a query's rendered results are ordered before comparison.
type SortMode int

// The sort modes of a query record.
const (
	NoSort    SortMode = iota // results in the order the engine returned them
	RowSort                   // rows sorted by their rendered values, column by column, as strings
	ValueSort                 // every value sorted on its own, rows ignored
)

func (m SortMode) String() string {
	switch m {
	case NoSort:
		return "nosort"
	case RowSort:
		return "rowsort"
	case ValueSort:
		return "valuesort"
	}
	return "SortMode(" + strconv.Itoa(int(m)) + ")"
}

// Condition is one skipif/onlyif line in front of a record.
type Condition struct {
	OnlyIf bool   // true for "onlyif", false for "skipif"
	Engine string // the engine named on the line
}

// Record is one record of a .test file.
type Record struct {
	Kind Kind
	// Line is the 1-based line of the record's keyword line (the
	// "statement", "query", "hash-threshold" or "halt" line, after any
	// skipif/onlyif lines). It is the LINE of "file.test:LINE" keys.
	Line       int
	Conditions []Condition

	SQL         string // statement and query: the SQL, comment lines removed, lines joined by "\n"
	ExpectError bool   // statement: "statement error"

	Types    string   // query: one of T, I, R per column
	Sort     SortMode // query
	Label    string   // query: optional label; queries with the same label must agree
	Expected []string // query: the lines after "----" (possibly one "N values hashing to H" line)
	// HashCount and Hash are set when Expected is a single
	// "N values hashing to H" line; otherwise Hash is "".
	HashCount int
	Hash      string

	Threshold int // hash-threshold: the new threshold (0: never hash)
}

// Runs reports whether the record applies to engine under its skipif/onlyif
// conditions: a skipif naming the engine or an onlyif naming another engine
// excludes it. Engine names compare case-insensitively.
func (r *Record) Runs(engine string) bool {
	for _, c := range r.Conditions {
		match := strings.EqualFold(c.Engine, engine)
		if match != c.OnlyIf {
			return false
		}
	}
	return true
}

// parseHashLine recognises "N values hashing to <32 lower-case hex digits>".
func parseHashLine(s string) (n int, hash string, ok bool) {
	num, hash, found := strings.Cut(s, " values hashing to ")
	if !found || len(hash) != 32 || num == "" {
		return 0, "", false
	}
	for i := 0; i < len(hash); i++ {
		if c := hash[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, "", false
		}
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return 0, "", false
		}
	}
	n, err := strconv.Atoi(num)
	return n, hash, err == nil
}

// Parse splits the text of a .test file into records, following the rules of
// SQLite's reference runner: lines whose first character is '#' are removed
// before anything else (they neither separate nor belong to records), a line
// of only white space is blank, blank lines separate records, a trailing "\r"
// is dropped from every line. name is used in error positions only.
func Parse(name string, data []byte) ([]Record, error) {
	var (
		recs  []Record
		group []srcLine
	)
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		rec, err := buildRecord(name, group)
		group = group[:0]
		if err != nil {
			return err
		}
		recs = append(recs, rec)
		return nil
	}
	n := 0
	for len(data) > 0 {
		n++
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			raw, data = data, nil
		}
		raw = bytes.TrimSuffix(raw, []byte{'\r'})
		if len(raw) > 0 && raw[0] == '#' {
			continue
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		group = append(group, srcLine{n, string(raw)})
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return recs, nil
}

// srcLine is a non-blank, non-comment line of a .test file and its number.
type srcLine struct {
	n    int
	text string
}

func buildRecord(name string, g []srcLine) (Record, error) {
	bad := func(l srcLine, format string, args ...any) error {
		return errs.At(errs.Pos{File: name, Line: l.n, Col: 1}, errs.BadFile, format, args...)
	}
	var rec Record
	// Conditions.
	for len(g) > 0 {
		f := strings.Fields(g[0].text)
		if f[0] != "skipif" && f[0] != "onlyif" {
			break
		}
		if len(f) < 2 {
			return rec, bad(g[0], "%s needs an engine name", f[0])
		}
		rec.Conditions = append(rec.Conditions, Condition{OnlyIf: f[0] == "onlyif", Engine: f[1]})
		g = g[1:]
	}
	if len(g) == 0 {
		return rec, errs.At(errs.Pos{File: name}, errs.BadFile, "skipif/onlyif with no record after it")
	}
	head := g[0]
	rec.Line = head.n
	f := strings.Fields(head.text)
	body := g[1:]
	switch f[0] {
	case "statement":
		rec.Kind = KindStatement
		if len(f) < 2 || (f[1] != "ok" && f[1] != "error") {
			return rec, bad(head, "statement must be followed by ok or error")
		}
		rec.ExpectError = f[1] == "error"
		if len(body) == 0 {
			return rec, bad(head, "statement without SQL")
		}
		rec.SQL = joinLines(body)
	case "query":
		rec.Kind = KindQuery
		if len(f) < 2 {
			return rec, bad(head, "query without a type string")
		}
		for _, c := range f[1] {
			if c != 'T' && c != 'I' && c != 'R' {
				return rec, bad(head, "unknown type character %q in type string %q", c, f[1])
			}
		}
		rec.Types = f[1]
		if len(f) >= 3 {
			switch f[2] {
			case "nosort":
				rec.Sort = NoSort
			case "rowsort":
				rec.Sort = RowSort
			case "valuesort":
				rec.Sort = ValueSort
			default:
				return rec, bad(head, "unknown sort mode %q", f[2])
			}
		}
		if len(f) >= 4 {
			rec.Label = f[3]
		}
		sep := len(body)
		for i, l := range body {
			if l.text == "----" {
				sep = i
				break
			}
		}
		if sep == 0 {
			return rec, bad(head, "query without SQL")
		}
		rec.SQL = joinLines(body[:sep])
		if sep < len(body) {
			exp := body[sep+1:]
			rec.Expected = make([]string, len(exp))
			for i, l := range exp {
				rec.Expected[i] = l.text
			}
		}
		if len(rec.Expected) == 1 {
			if cnt, hash, ok := parseHashLine(rec.Expected[0]); ok {
				rec.HashCount, rec.Hash = cnt, hash
			}
		}
	case "hash-threshold":
		rec.Kind = KindHashThreshold
		if len(f) < 2 {
			return rec, bad(head, "hash-threshold needs a number")
		}
		t, err := strconv.Atoi(f[1])
		if err != nil || t < 0 {
			return rec, bad(head, "bad hash-threshold %q", f[1])
		}
		rec.Threshold = t
	case "halt":
		rec.Kind = KindHalt
	default:
		return rec, bad(head, "unknown record type %q", f[0])
	}
	return rec, nil
}

func joinLines(ls []srcLine) string {
	if len(ls) == 1 {
		return ls[0].text
	}
	var b strings.Builder
	n := len(ls) - 1
	for _, l := range ls {
		n += len(l.text)
	}
	b.Grow(n)
	for i, l := range ls {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.text)
	}
	return b.String()
}
