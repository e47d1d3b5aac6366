package parser

import (
	"bufio"
	"os"
	"reflect"
	"strings"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/errs"
)

// clearPositions zeroes every ast.Pos inside v (a pointer or interface), so
// that trees can be compared ignoring positions.
func clearPositions(n any) {
	clearValue(reflect.ValueOf(n))
}

var posType = reflect.TypeOf(errs.Pos{})

func clearValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clearValue(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			clearValue(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == posType {
			if v.CanSet() {
				v.Set(reflect.Zero(posType))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			clearValue(v.Field(i))
		}
	}
}

// sltRecord is one SQL text from a sqllogictest file.
type sltRecord struct {
	File    string
	Line    int
	SQL     string
	IsError bool // "statement error": may be invalid on purpose
}

// readSLT extracts the SQL of every statement/query record of a
// sqllogictest file, skipping records guarded for other engines.
func readSLT(path string) ([]sltRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []sltRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	skip := false
	var cur *sltRecord
	var sql []string
	flush := func() {
		if cur != nil {
			cur.SQL = strings.Join(sql, "\n")
			if !skip {
				out = append(out, *cur)
			}
		}
		cur, sql, skip = nil, nil, false
	}
	inBody := false
	for sc.Scan() {
		line++
		l := sc.Text()
		switch {
		case cur != nil && inBody:
			if l == "----" || strings.TrimSpace(l) == "" {
				inBody = false
				if strings.TrimSpace(l) == "" {
					flush()
				}
				continue
			}
			sql = append(sql, l)
		case cur != nil:
			// expected results: until a blank line
			if strings.TrimSpace(l) == "" {
				flush()
			}
		case strings.HasPrefix(l, "onlyif "):
			if strings.TrimSpace(strings.TrimPrefix(l, "onlyif ")) != "sqlite" {
				skip = true
			}
		case strings.HasPrefix(l, "statement ") || strings.HasPrefix(l, "query "):
			cur = &sltRecord{File: path, Line: line + 1, IsError: strings.HasPrefix(l, "statement error")}
			inBody = true
		case strings.TrimSpace(l) == "":
			skip = false
		}
	}
	flush()
	return out, sc.Err()
}

// roundTrip parses src, formats each statement, parses the result again and
// reports whether the trees are equal (ignoring positions).
func roundTrip(file, src string) (ok bool, formatted string, err error) {
	st, err := Parse(file, src)
	if err != nil {
		return false, "", err
	}
	var parts []string
	for _, s := range st {
		parts = append(parts, ast.Format(s))
	}
	formatted = strings.Join(parts, ";\n")
	st2, err := Parse(file, formatted)
	if err != nil {
		return false, formatted, err
	}
	clearPositions(st)
	clearPositions(st2)
	return reflect.DeepEqual(st, st2), formatted, nil
}
