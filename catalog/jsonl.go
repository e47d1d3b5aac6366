package catalog

// JSON-lines sources.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

// OpenJSONL opens a JSON-lines file (one JSON object per line), or all files
// matching a glob, or all parts of NAME.partNN.jsonl, as a Source.
//
// Semantics:
//   - A first streaming pass over every line (keeping no rows) finds the
//     schema: the union of the objects' keys, in order of first appearance.
//   - Types per key: Int64 if every non-null value is a JSON number written
//     as an integer that fits in 64 bits (1.0 and 1e3 are not integers),
//     Float64 if every non-null value is a number, Boolean if every one is
//     true/false, String if every one is a string, String holding the
//     compact JSON text if every one is an object or array. A key whose
//     values mix kinds is String: strings as themselves, other values as
//     their JSON text. A key that is always null is String.
//   - A missing key and JSON null are NULL. A key repeated within one
//     object is an errs.BadFile error (rather than silently keeping one).
//   - A file (or set of parts) without any key is an errs.BadFile error.
//   - Blank lines are skipped; a line that is not one JSON object (malformed
//     JSON, an array, a scalar, trailing data) is an errs.BadFile error with
//     the file and line in Pos. A file that starts with '[' (a JSON array
//     rather than JSON lines) is rejected with a message saying so.
func OpenJSONL(path string) (Source, error) {
	files, err := resolveFiles(path)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.IsDir() {
			return nil, errs.New(errs.BadPath, "%s is a directory, not a JSON-lines file", f)
		}
	}
	return openJSONLFiles(files)
}

// jsonKind is a bit set of the kinds of JSON values seen for a key.
type jsonKind uint8

const (
	kInt jsonKind = 1 << iota
	kFloat
	kBool
	kString
	kNested
)

func kindOfRaw(raw []byte) (jsonKind, bool) {
	switch c := raw[0]; {
	case c == 'n':
		return 0, false
	case c == 't' || c == 'f':
		return kBool, true
	case c == '"':
		return kString, true
	case c == '{' || c == '[':
		return kNested, true
	default:
		if _, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return kInt, true
		}
		return kFloat, true
	}
}

func typeOfKinds(k jsonKind) colType {
	switch k {
	case kInt:
		return typeInt
	case kInt | kFloat, kFloat:
		return typeFloat
	case kBool:
		return typeBool
	}
	return typeString
}

type jsonlSource struct {
	files  []string
	schema *arrow.Schema
	types  []colType
	index  map[string]int
	rows   int64
}

func openJSONLFiles(files []string) (*jsonlSource, error) {
	s := &jsonlSource{files: files, index: map[string]int{}}
	var names []string
	var kinds []jsonKind
	var stamp []int64 // stamp[col] = 1 + the row that last set col
	for _, path := range files {
		jf, err := openJSONLFile(path)
		if err != nil {
			return nil, err
		}
		for {
			keys, vals, err := jf.read()
			if err == io.EOF {
				break
			}
			if err != nil {
				jf.close()
				return nil, err
			}
			for i, k := range keys {
				col, ok := s.index[k]
				if !ok {
					col = len(names)
					s.index[k] = col
					names = append(names, k)
					kinds = append(kinds, 0)
					stamp = append(stamp, 0)
				}
				if stamp[col] == s.rows+1 {
					jf.close()
					return nil, jf.errAt("key %q appears twice in one object", k)
				}
				stamp[col] = s.rows + 1
				if kd, notNull := kindOfRaw(vals[i]); notNull {
					kinds[col] |= kd
				}
			}
			s.rows++
		}
		jf.close()
	}
	if len(names) == 0 {
		if s.rows == 0 {
			return nil, errs.At(errs.Pos{File: files[0], Line: 1, Col: 1}, errs.BadFile, "empty file: no JSON objects to infer a schema from")
		}
		return nil, errs.At(errs.Pos{File: files[0], Line: 1, Col: 1}, errs.BadFile, "every object is empty: no columns")
	}
	fields := make([]arrow.Field, len(names))
	s.types = make([]colType, len(names))
	for i, n := range names {
		s.types[i] = typeOfKinds(kinds[i])
		fields[i] = arrow.Field{Name: n, Type: s.types[i].arrow(), Nullable: true}
	}
	s.schema = arrow.NewSchema(fields, nil)
	return s, nil
}

type jsonlFile struct {
	path string
	f    *os.File
	r    *bufio.Reader
	line int
	keys []string
	vals []json.RawMessage
}

func openJSONLFile(path string) (*jsonlFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", path, unwrapPathErr(err))
	}
	r := bufio.NewReaderSize(f, 1<<16)
	if b, _ := r.Peek(3); bytes.Equal(b, utf8BOM) {
		_, _ = r.Discard(3)
	}
	return &jsonlFile{path: path, f: f, r: r}, nil
}

func (j *jsonlFile) close() {
	if j.f != nil {
		j.f.Close()
		j.f = nil
	}
}

// read returns the keys and raw values of the next object (valid until the
// next call), or io.EOF.
func (j *jsonlFile) read() ([]string, []json.RawMessage, error) {
	for {
		line, err := j.r.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			return nil, nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, nil, errs.New(errs.BadFile, "%s: %v", j.path, err)
		}
		j.line++
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 {
			if err == io.EOF {
				return nil, nil, io.EOF
			}
			continue
		}
		if e := j.parse(trimmed); e != nil {
			return nil, nil, e
		}
		return j.keys, j.vals, nil
	}
}

func (j *jsonlFile) errAt(format string, args ...any) error {
	return errs.At(errs.Pos{File: j.path, Line: j.line, Col: 1}, errs.BadFile, format, args...)
}

// parse decodes one line holding one JSON object, keeping key order.
func (j *jsonlFile) parse(line []byte) error {
	j.keys, j.vals = j.keys[:0], j.vals[:0]
	if line[0] != '{' {
		if line[0] == '[' && j.line == 1 {
			return j.errAt("the file holds a JSON array, not JSON lines (one object per line)")
		}
		return j.errAt("line is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return j.errAt("malformed JSON: %v", jsonErr(err))
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return j.errAt("malformed JSON: %v", jsonErr(err))
		}
		key, ok := t.(string)
		if !ok {
			return j.errAt("malformed JSON: object key is not a string")
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return j.errAt("malformed JSON in the value of %q: %v", key, jsonErr(err))
		}
		j.keys = append(j.keys, key)
		j.vals = append(j.vals, raw)
	}
	if _, err := dec.Token(); err != nil {
		return j.errAt("malformed JSON: %v", jsonErr(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return j.errAt("unexpected data after the JSON object")
	}
	return nil
}

func jsonErr(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of line"
	}
	return err.Error()
}

func (s *jsonlSource) Schema() *arrow.Schema { return s.schema }

func (s *jsonlSource) RowCount() int64 { return s.rows }

func (s *jsonlSource) Scan(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	sc := &jsonlScan{src: s, bld: newRowBuilder(mem, s.schema), set: make([]bool, len(s.types))}
	return newBatchReader(ctx, s.schema, sc.next, sc.close), nil
}

type jsonlScan struct {
	src  *jsonlSource
	bld  *rowBuilder
	file int
	cur  *jsonlFile
	set  []bool
	buf  bytes.Buffer
}

func (sc *jsonlScan) close() {
	if sc.cur != nil {
		sc.cur.close()
		sc.cur = nil
	}
	if sc.bld != nil {
		sc.bld.release()
		sc.bld = nil
	}
}

func (sc *jsonlScan) next() (arrow.RecordBatch, error) {
	s := sc.src
	for !sc.bld.full() {
		if sc.cur == nil {
			if sc.file >= len(s.files) {
				break
			}
			jf, err := openJSONLFile(s.files[sc.file])
			if err != nil {
				return nil, err
			}
			sc.file++
			sc.cur = jf
		}
		keys, vals, err := sc.cur.read()
		if err == io.EOF {
			sc.cur.close()
			sc.cur = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		clear(sc.set)
		for i, k := range keys {
			col, ok := s.index[k]
			if !ok {
				return nil, sc.cur.errAt("key %q is not in the schema (the file changed since it was opened)", k)
			}
			if sc.set[col] {
				return nil, sc.cur.errAt("key %q appears twice in one object", k)
			}
			sc.set[col] = true
			if err := sc.appendValue(col, vals[i]); err != nil {
				return nil, err
			}
		}
		for col, ok := range sc.set {
			if !ok {
				sc.bld.b.Field(col).AppendNull()
			}
		}
		sc.bld.rows++
	}
	return sc.bld.finish(), nil
}

func (sc *jsonlScan) appendValue(col int, raw json.RawMessage) error {
	b := sc.bld.b.Field(col)
	kd, notNull := kindOfRaw(raw)
	if !notNull {
		b.AppendNull()
		return nil
	}
	t := sc.src.types[col]
	bad := func() error {
		return sc.cur.errAt("value %s of key %q is not %s (the file changed since it was opened)",
			truncate(string(raw), 40), sc.src.schema.Field(col).Name, t)
	}
	switch t {
	case typeInt:
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return bad()
		}
		b.(*array.Int64Builder).Append(n)
	case typeFloat:
		if kd != kInt && kd != kFloat {
			return bad()
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return bad()
		}
		b.(*array.Float64Builder).Append(f)
	case typeBool:
		if kd != kBool {
			return bad()
		}
		b.(*array.BooleanBuilder).Append(raw[0] == 't')
	default:
		var str string
		switch kd {
		case kString:
			if err := json.Unmarshal(raw, &str); err != nil {
				return sc.cur.errAt("malformed JSON string for key %q: %v", sc.src.schema.Field(col).Name, err)
			}
		case kNested:
			sc.buf.Reset()
			if err := json.Compact(&sc.buf, raw); err != nil {
				return sc.cur.errAt("malformed JSON for key %q: %v", sc.src.schema.Field(col).Name, err)
			}
			str = sc.buf.String()
		default:
			str = string(raw)
		}
		b.(*array.StringBuilder).Append(str)
		sc.bld.bytes += len(str)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return fmt.Sprintf("%s...", s[:n])
}
