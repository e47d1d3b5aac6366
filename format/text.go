package format

import (
	"encoding/csv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// csvWriter writes csv and tsv through encoding/csv.
type csvWriter struct {
	base
	cw     *csv.Writer
	record []string
}

func newCSVWriter(b base, comma rune) *csvWriter {
	w := &csvWriter{base: b}
	w.cw = csv.NewWriter(w.out)
	w.cw.Comma = comma
	return w
}

func (w *csvWriter) Begin(schema *arrow.Schema) error {
	if err := w.begin(schema); err != nil {
		return err
	}
	if schema.NumFields() == 0 {
		return nil
	}
	w.record = make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		w.record[i] = f.Name
	}
	return w.cw.Write(w.record)
}

func (w *csvWriter) Write(rec arrow.RecordBatch) error {
	ok, err := w.check(rec)
	if !ok || err != nil {
		return err
	}
	nrows := int(rec.NumRows())
	for r := 0; r < nrows; r++ {
		for c := range w.record {
			s, null := FormatValue(rec.Column(c), r)
			if null {
				s = w.null
			}
			w.record[c] = s
		}
		if err := w.cw.Write(w.record); err != nil {
			return err
		}
	}
	w.rows += nrows
	return nil
}

func (w *csvWriter) End() error {
	if err := w.end(); err != nil {
		return err
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	return w.out.Flush()
}

// lineWriter writes sqlite3's ".mode line".
type lineWriter struct {
	base
	names []string // right-aligned, ready to print
}

func (w *lineWriter) Begin(schema *arrow.Schema) error {
	if err := w.begin(schema); err != nil {
		return err
	}
	width := 0
	for _, f := range schema.Fields() {
		width = max(width, displayWidth(f.Name))
	}
	w.names = make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		w.names[i] = pad(f.Name, width, true)
	}
	return nil
}

func (w *lineWriter) Write(rec arrow.RecordBatch) error {
	ok, err := w.check(rec)
	if !ok || err != nil {
		return err
	}
	nrows := int(rec.NumRows())
	var b strings.Builder
	for r := 0; r < nrows; r++ {
		if w.rows+r > 0 {
			b.WriteByte('\n')
		}
		for c, name := range w.names {
			b.WriteString(name)
			b.WriteString(" = ")
			b.WriteString(w.text(rec, c, r))
			b.WriteByte('\n')
		}
		w.out.WriteString(b.String())
		b.Reset()
	}
	w.rows += nrows
	return w.outErr()
}

func (w *lineWriter) End() error {
	if err := w.end(); err != nil {
		return err
	}
	return w.out.Flush()
}
