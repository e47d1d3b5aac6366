package format

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// jsonWriter writes json (array set) and jsonl.
type jsonWriter struct {
	base
	array bool
	keys  [][]byte // `"name":` per column, the first without a comma
	line  []byte
}

func (w *jsonWriter) Begin(schema *arrow.Schema) error {
	if err := w.begin(schema); err != nil {
		return err
	}
	w.keys = make([][]byte, schema.NumFields())
	for i, f := range schema.Fields() {
		var k []byte
		if i > 0 {
			k = append(k, ',')
		}
		k = appendJSONString(k, f.Name)
		w.keys[i] = append(k, ':')
	}
	return nil
}

func (w *jsonWriter) Write(rec arrow.RecordBatch) error {
	ok, err := w.check(rec)
	if !ok || err != nil {
		return err
	}
	nrows := int(rec.NumRows())
	for r := 0; r < nrows; r++ {
		b := w.line[:0]
		if w.array {
			if w.rows+r == 0 {
				b = append(b, "[\n"...)
			} else {
				b = append(b, ",\n"...)
			}
		}
		b = append(b, '{')
		for c, k := range w.keys {
			b = append(b, k...)
			b = appendJSONValue(b, rec.Column(c), r)
		}
		b = append(b, '}')
		if !w.array {
			b = append(b, '\n')
		}
		w.out.Write(b)
		w.line = b
	}
	w.rows += nrows
	return w.outErr()
}

func (w *jsonWriter) End() error {
	if err := w.end(); err != nil {
		return err
	}
	if w.array && len(w.keys) > 0 {
		if w.rows == 0 {
			w.out.WriteString("[]\n")
		} else {
			w.out.WriteString("\n]\n")
		}
	}
	return w.out.Flush()
}
