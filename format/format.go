package format

import (
	"bufio"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/uqe-dev/uqe/errs"
)

// Writer renders one result set.
type Writer interface {
	// Begin starts the result; it is called once, first.
	Begin(schema *arrow.Schema) error
	// Write renders a batch whose schema matches Begin's. It does not
	// retain rec.
	Write(rec arrow.RecordBatch) error
	// End finishes the result and flushes everything to the io.Writer.
	End() error
}

// Options tune a Writer. The zero value gives the defaults.
type Options struct {
	// NullText is how NULL prints: "" means the default, "NULL" in box,
	// table, markdown and line, "" in csv and tsv. json and jsonl ignore it.
	NullText string
	// MaxWidth caps the display width of a cell or header in box and table;
	// longer ones are cut and end with "…". 0 means 60; negative, no limit.
	MaxWidth int
	// Annotate, if not nil, returns a text appended to the cell at column
	// col of row row (0-based within the result), e.g. " ± 120". Used by
	// box, table, markdown and line only.
	Annotate func(col, row int) string
	// BufferRows is how many rows box, table and markdown hold to compute
	// column widths before printing and freezing them. 0 means 10,000.
	BufferRows int
}

// Default option values.
const (
	DefaultMaxWidth   = 60
	DefaultBufferRows = 10000
)

var modes = []string{"box", "table", "csv", "tsv", "json", "jsonl", "markdown", "line"}

// Modes returns the valid --format modes.
func Modes() []string {
	return append([]string(nil), modes...)
}

// New returns a Writer for mode that writes to w. An unknown mode is an
// *errs.Error with code errs.Usage naming the valid modes.
func New(mode string, w io.Writer, opts Options) (Writer, error) {
	if opts.MaxWidth == 0 {
		opts.MaxWidth = DefaultMaxWidth
	}
	if opts.BufferRows <= 0 {
		opts.BufferRows = DefaultBufferRows
	}
	human := opts.NullText
	if human == "" {
		human = "NULL"
	}
	b := base{out: bufio.NewWriter(w), opts: opts}
	switch strings.ToLower(strings.TrimSpace(mode)) {
	case "box":
		b.null = human
		return &gridWriter{base: b, style: &boxStyle}, nil
	case "table":
		b.null = human
		return &gridWriter{base: b, style: &asciiStyle}, nil
	case "markdown":
		b.null = human
		return &gridWriter{base: b, markdown: true}, nil
	case "line":
		b.null = human
		return &lineWriter{base: b}, nil
	case "csv":
		b.null = opts.NullText
		return newCSVWriter(b, ','), nil
	case "tsv":
		b.null = opts.NullText
		return newCSVWriter(b, '\t'), nil
	case "json":
		return &jsonWriter{base: b, array: true}, nil
	case "jsonl":
		return &jsonWriter{base: b}, nil
	}
	return nil, errs.New(errs.Usage, "unknown format %q: valid formats are %s", mode, strings.Join(modes, ", "))
}

// base holds what every writer shares: the buffered output, the options,
// the schema and the number of rows seen.
type base struct {
	out    *bufio.Writer
	opts   Options
	null   string
	schema *arrow.Schema
	begun  bool
	ended  bool
	rows   int // rows written so far, the row index of the next row
}

func (b *base) begin(schema *arrow.Schema) error {
	if b.begun {
		return errs.New(errs.Internal, "format: Begin called twice")
	}
	if schema == nil {
		return errs.New(errs.Internal, "format: Begin with a nil schema")
	}
	b.begun = true
	b.schema = schema
	return nil
}

// check validates a Write call; it reports whether there is anything to do.
func (b *base) check(rec arrow.RecordBatch) (bool, error) {
	if !b.begun || b.ended {
		return false, errs.New(errs.Internal, "format: Write outside Begin/End")
	}
	if int(rec.NumCols()) != b.schema.NumFields() {
		return false, errs.New(errs.Internal, "format: batch has %d columns, schema has %d", rec.NumCols(), b.schema.NumFields())
	}
	return b.schema.NumFields() > 0 && rec.NumRows() > 0, nil
}

func (b *base) end() error {
	if !b.begun || b.ended {
		return errs.New(errs.Internal, "format: End without Begin")
	}
	b.ended = true
	return nil
}

// text renders a cell for a human mode: the value or the NULL text, plus the
// annotation if any. row is the row index within rec.
func (b *base) text(rec arrow.RecordBatch, col, row int) string {
	s, null := FormatValue(rec.Column(col), row)
	if null {
		s = b.null
	}
	if b.opts.Annotate != nil {
		s += b.opts.Annotate(col, b.rows+row)
	}
	return s
}

// outErr reports the first write error so far: a bufio.Writer keeps it and
// returns it from every later Write.
func (b *base) outErr() error {
	_, err := b.out.Write(nil)
	return err
}
