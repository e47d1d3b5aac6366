package catalog

// CSV and TSV sources.
//
// Parsing uses the standard library's encoding/csv rather than arrow's csv
// reader: encoding/csv streams one record at a time (ReuseRecord), reports
// the line and column of every malformed record (csv.ParseError) and of every
// field (FieldPos), which is what a user needs to fix a file, while arrow's
// reader wraps the same parser, drops the file context and infers types its
// own way.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

// CSVOptions configures OpenCSV. The zero value is the default: delimiter
// from the extension, a header row, types inferred over the whole file.
type CSVOptions struct {
	// Delimiter separates fields; 0 means a tab for .tsv and .tab files and a
	// comma otherwise.
	Delimiter rune
	// NoHeader says the file has no header row; the columns are then named
	// column1, column2, ... and every row is data.
	NoHeader bool
	// InferRows is the number of data rows read to infer column types when
	// the source is opened. 0 (the default) reads the whole file (all parts)
	// in a first streaming pass that parses every row and keeps none, so
	// every type fits every value and RowCount is known. A positive value
	// reads only that many rows (for very large files); a later value that
	// does not fit its column's type then fails the scan with errs.BadFile
	// naming the file, line and column, and RowCount is -1.
	InferRows int
}

// OpenCSV opens a CSV or TSV file, or all files matching a glob pattern, or
// all parts of NAME.partNN.csv, as a Source. Parts are read in order; each
// must have the same header as the first.
//
// Semantics:
//   - Fields follow RFC 4180 (quoted fields may hold delimiters, doubled
//     quotes and newlines); a bare quote in an unquoted field or a row whose
//     field count differs from the header is an error (errs.BadFile, with the
//     file and line in Pos). In tab-separated files a quote inside an
//     unquoted field is an ordinary character (TSV has no quoting
//     convention), so only fields that start with a quote are parsed quoted. Blank lines are skipped; a UTF-8 byte order mark
//     is ignored.
//   - Header names are kept as written; an empty name becomes columnN (N the
//     1-based position) and a repeated name gets a suffix _2, _3, ....
//   - Types: a column is Int64 if every non-empty value is a decimal integer
//     that fits in 64 bits, else Float64 if every non-empty value is a
//     decimal number (digits, optional sign, fraction and exponent; not
//     NaN/Inf/hex), else Boolean if every non-empty value is true or false
//     (any case), else String. Surrounding spaces are ignored when testing
//     numbers and booleans. Numbers written with a leading zero ("007",
//     "0123.5") are not numbers, so codes such as ZIP codes or phone numbers
//     stay strings with their zeros. A column with no non-empty value is
//     String.
//   - Empty fields are NULL in Int64, Float64 and Boolean columns and the
//     empty string in String columns (CSV cannot tell an empty quoted field
//     from an empty unquoted one after parsing, so no NULL is invented).
//   - An empty file (no header row) is an errs.BadFile error; a file with a
//     header and no rows is a table of String columns with no rows.
func OpenCSV(path string, opts CSVOptions) (Source, error) {
	files, err := resolveFiles(path)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.IsDir() {
			return nil, errs.New(errs.BadPath, "%s is a directory, not a CSV file", f)
		}
	}
	return openCSVFiles(files, opts)
}

type colType uint8

const (
	typeString colType = iota
	typeInt
	typeFloat
	typeBool
)

func (t colType) arrow() arrow.DataType {
	switch t {
	case typeInt:
		return arrow.PrimitiveTypes.Int64
	case typeFloat:
		return arrow.PrimitiveTypes.Float64
	case typeBool:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.String
}

func (t colType) String() string {
	switch t {
	case typeInt:
		return "an integer"
	case typeFloat:
		return "a number"
	case typeBool:
		return "true or false"
	}
	return "a string"
}

// inference accumulates what the values seen so far in one column allow.
type inference struct {
	seen, notInt, notFloat, notBool bool
}

func (in *inference) add(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	in.seen = true
	if !in.notInt && isIntLiteral(s) {
		// an integer is also a number; nothing more to learn
	} else {
		in.notInt = true
		if !in.notFloat && !isFloatLiteral(s) {
			in.notFloat = true
		}
	}
	if !in.notBool && !isBoolLiteral(s) {
		in.notBool = true
	}
}

func (in *inference) result() colType {
	switch {
	case !in.seen:
		return typeString
	case !in.notInt:
		return typeInt
	case !in.notFloat:
		return typeFloat
	case !in.notBool:
		return typeBool
	}
	return typeString
}

// isIntLiteral: [+-]digits, no leading zero, fits in int64.
func isIntLiteral(s string) bool {
	d := s
	if d != "" && (d[0] == '+' || d[0] == '-') {
		d = d[1:]
	}
	if d == "" || (len(d) > 1 && d[0] == '0') {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// isFloatLiteral: [+-](digits[.digits*]|.digits)([eE][+-]digits)?, no
// leading zero in a multi-digit integer part, finite as a float64.
func isFloatLiteral(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intDigits := i - start
	if intDigits > 1 && s[start] == '0' {
		return false
	}
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		i++
		f := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		fracDigits = i - f
	}
	if intDigits+fracDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == e {
			return false
		}
	}
	if i != len(s) {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func isBoolLiteral(s string) bool {
	return strings.EqualFold(s, "true") || strings.EqualFold(s, "false")
}

type csvSource struct {
	files    []string
	delim    rune
	noHeader bool
	header   []string // the raw header of the first file (nil with NoHeader)
	types    []colType
	schema   *arrow.Schema
	rows     int64
	inferred int // rows used for inference; 0 = all
}

func openCSVFiles(files []string, opts CSVOptions) (*csvSource, error) {
	if opts.InferRows < 0 {
		return nil, errs.New(errs.Usage, "CSV InferRows must be >= 0, got %d", opts.InferRows)
	}
	delim := opts.Delimiter
	if delim == 0 {
		switch strings.ToLower(filepath.Ext(files[0])) {
		case ".tsv", ".tab":
			delim = '\t'
		default:
			delim = ','
		}
	}
	if delim == '"' || delim == '\r' || delim == '\n' || delim == 0xFFFD {
		return nil, errs.New(errs.Usage, "invalid CSV delimiter %q", delim)
	}
	s := &csvSource{files: files, delim: delim, noHeader: opts.NoHeader, inferred: opts.InferRows}
	if err := s.infer(); err != nil {
		return nil, err
	}
	return s, nil
}

// csvFile is one open CSV file positioned after its header.
type csvFile struct {
	path string
	f    *os.File
	r    *csv.Reader
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func openCSVFile(path string, delim rune) (*csvFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", path, unwrapPathErr(err))
	}
	br := bufio.NewReaderSize(f, 1<<16)
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	// Tab-separated files usually follow the IANA TSV convention (no quoting,
	// quotes are ordinary characters), so a quote inside an unquoted field is
	// kept as is there; a field that starts with a quote is still a quoted
	// field.
	r.LazyQuotes = delim == '\t'
	return &csvFile{path: path, f: f, r: r}, nil
}

func (c *csvFile) close() {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
}

// read returns the next record, or io.EOF.
func (c *csvFile) read() ([]string, error) {
	rec, err := c.r.Read()
	if err == nil || err == io.EOF {
		return rec, err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrBareQuote) {
			msg = `bare " in a field that is not quoted (quote the field and double its quotes)`
		} else if errors.Is(pe.Err, csv.ErrQuote) {
			msg = `extraneous or missing " in a quoted field`
		}
		line := pe.Line
		if errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine > 0 && pe.StartLine != pe.Line {
			msg += fmt.Sprintf(" (the field starts on line %d)", pe.StartLine)
		}
		return nil, errs.At(errs.Pos{File: c.path, Line: line, Col: max(pe.Column, 1)}, errs.BadFile, "%s", msg)
	}
	return nil, errs.New(errs.BadFile, "%s: %v", c.path, err)
}

func (c *csvFile) pos(field int) errs.Pos {
	line, col := c.r.FieldPos(field)
	return errs.Pos{File: c.path, Line: line, Col: col}
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readHeader reads the header row of a part: the first part's defines the
// header, every later part's must equal it. Not called with NoHeader.
func (s *csvSource) readHeader(c *csvFile) error {
	rec, err := c.read()
	if err == io.EOF {
		return errs.At(errs.Pos{File: c.path, Line: 1, Col: 1}, errs.BadFile, "empty file: a header row is required")
	}
	if err != nil {
		return err
	}
	if s.header == nil {
		s.header = append([]string(nil), rec...)
		return nil
	}
	if !equalStrings(rec, s.header) {
		return errs.At(c.pos(0), errs.BadFile, "header %s differs from the header of %s (%s)",
			strings.Join(rec, string(s.delim)), s.files[0], strings.Join(s.header, string(s.delim)))
	}
	return nil
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkWidth reports a record whose field count differs from the schema's.
func (s *csvSource) checkWidth(c *csvFile, rec []string, width int) error {
	if len(rec) == width {
		return nil
	}
	what := "header has"
	if s.noHeader {
		what = "first row has"
	}
	return errs.At(c.pos(0), errs.BadFile, "row has %d fields, %s %d", len(rec), what, width)
}

// infer is the first pass: it reads headers, checks every row's shape and
// infers column types (over InferRows rows, or all).
func (s *csvSource) infer() error {
	var ins []inference
	width := -1
	var rows int64
	limit := int64(s.inferred)
	complete := true
outer:
	for _, path := range s.files {
		c, err := openCSVFile(path, s.delim)
		if err != nil {
			return err
		}
		if !s.noHeader {
			if err := s.readHeader(c); err != nil {
				c.close()
				return err
			}
			width = len(s.header)
		}
		for {
			if limit > 0 && rows >= limit {
				c.close()
				complete = false
				break outer
			}
			rec, err := c.read()
			if err == io.EOF {
				break
			}
			if err != nil {
				c.close()
				return err
			}
			if width < 0 {
				width = len(rec)
			}
			if err := s.checkWidth(c, rec, width); err != nil {
				c.close()
				return err
			}
			if ins == nil {
				ins = make([]inference, width)
			}
			for i, v := range rec {
				ins[i].add(v)
			}
			rows++
		}
		c.close()
	}
	if width < 0 {
		return errs.At(errs.Pos{File: s.files[0], Line: 1, Col: 1}, errs.BadFile, "empty file: no rows")
	}
	if ins == nil {
		ins = make([]inference, width)
	}
	names := s.header
	if s.noHeader {
		names = make([]string, width)
		for i := range names {
			names[i] = fmt.Sprintf("column%d", i+1)
		}
	}
	names = uniqueNames(names)
	fields := make([]arrow.Field, width)
	s.types = make([]colType, width)
	for i := range fields {
		s.types[i] = ins[i].result()
		fields[i] = arrow.Field{Name: names[i], Type: s.types[i].arrow(), Nullable: true}
	}
	s.schema = arrow.NewSchema(fields, nil)
	if complete {
		s.rows = rows
	} else {
		s.rows = -1
	}
	return nil
}

// uniqueNames replaces empty names by columnN and suffixes repeated names.
func uniqueNames(names []string) []string {
	out := make([]string, len(names))
	used := map[string]bool{}
	for i, n := range names {
		if n == "" {
			n = fmt.Sprintf("column%d", i+1)
		}
		base := n
		for k := 2; used[n]; k++ {
			n = fmt.Sprintf("%s_%d", base, k)
		}
		used[n] = true
		out[i] = n
	}
	return out
}

func (s *csvSource) Schema() *arrow.Schema { return s.schema }

func (s *csvSource) RowCount() int64 { return s.rows }

func (s *csvSource) Scan(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	sc := &csvScan{src: s, bld: newRowBuilder(mem, s.schema)}
	return newBatchReader(ctx, s.schema, sc.next, sc.close), nil
}

type csvScan struct {
	src  *csvSource
	bld  *rowBuilder
	file int
	cur  *csvFile
}

func (sc *csvScan) close() {
	if sc.cur != nil {
		sc.cur.close()
		sc.cur = nil
	}
	if sc.bld != nil {
		sc.bld.release()
		sc.bld = nil
	}
}

func (sc *csvScan) next() (arrow.RecordBatch, error) {
	s := sc.src
	width := len(s.types)
	for !sc.bld.full() {
		if sc.cur == nil {
			if sc.file >= len(s.files) {
				break
			}
			c, err := openCSVFile(s.files[sc.file], s.delim)
			if err != nil {
				return nil, err
			}
			sc.file++
			sc.cur = c
			if !s.noHeader {
				if err := s.readHeader(c); err != nil {
					return nil, err
				}
			}
		}
		rec, err := sc.cur.read()
		if err == io.EOF {
			sc.cur.close()
			sc.cur = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := s.checkWidth(sc.cur, rec, width); err != nil {
			return nil, err
		}
		for i, v := range rec {
			if err := sc.appendField(i, v); err != nil {
				return nil, err
			}
		}
		sc.bld.rows++
	}
	return sc.bld.finish(), nil
}

func (sc *csvScan) appendField(i int, v string) error {
	b := sc.bld.b.Field(i)
	t := sc.src.types[i]
	if t == typeString {
		b.(*array.StringBuilder).Append(v)
		sc.bld.bytes += len(v)
		return nil
	}
	v = strings.TrimSpace(v)
	if v == "" {
		b.AppendNull()
		return nil
	}
	ok := false
	switch t {
	case typeInt:
		if isIntLiteral(v) {
			n, _ := strconv.ParseInt(v, 10, 64)
			b.(*array.Int64Builder).Append(n)
			ok = true
		}
	case typeFloat:
		if isFloatLiteral(v) {
			f, _ := strconv.ParseFloat(v, 64)
			b.(*array.Float64Builder).Append(f)
			ok = true
		}
	case typeBool:
		if isBoolLiteral(v) {
			b.(*array.BooleanBuilder).Append(strings.EqualFold(v, "true"))
			ok = true
		}
	}
	if ok {
		return nil
	}
	why := "the file changed since it was opened"
	if sc.src.inferred > 0 {
		why = fmt.Sprintf("the type was inferred from the first %d rows; open with a larger InferRows or 0 to infer over the whole file", sc.src.inferred)
	}
	return errs.At(sc.cur.pos(i), errs.BadFile, "value %q in column %q is not %s (%s)",
		v, sc.src.schema.Field(i).Name, t, why)
}

// rowBuilder accumulates rows of a batch and knows when the batch is full.
type rowBuilder struct {
	b     *array.RecordBuilder
	rows  int
	bytes int
}

func newRowBuilder(mem memory.Allocator, schema *arrow.Schema) *rowBuilder {
	return &rowBuilder{b: array.NewRecordBuilder(mem, schema)}
}

func (r *rowBuilder) full() bool { return r.rows >= BatchSize || r.bytes >= maxBatchBytes }

// finish returns the rows built so far as a record batch, or nil if none.
func (r *rowBuilder) finish() arrow.RecordBatch {
	if r.rows == 0 {
		return nil
	}
	rec := r.b.NewRecordBatch()
	r.rows, r.bytes = 0, 0
	return rec
}

func (r *rowBuilder) release() { r.b.Release() }
