package catalog

// Arrow IPC sources (file and stream formats), and the conversion of any
// Arrow column type to the engine's five types, shared with Parquet.

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

// OpenIPC opens an Arrow IPC file (.arrow, .feather v2: starts with the
// ARROW1 magic) or an Arrow IPC stream (.ipc, .arrows, or any file without
// the magic) as a Source. Feather version 1 files are not supported. Record
// batches are read one at a time and sliced to at most BatchSize rows;
// column types are converted as described at engineType. RowCount is -1
// (counting rows would mean reading every batch).
func OpenIPC(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errs.New(errs.BadPath, "%s: %v", path, unwrapPathErr(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, errs.New(errs.BadPath, "%s is a directory, not an Arrow IPC file", path)
	}
	magic := make([]byte, 6)
	n, _ := io.ReadFull(f, magic)
	magic = magic[:n]
	s := &ipcSource{path: path}
	switch {
	case bytes.Equal(magic, []byte("ARROW1")):
		s.fileFormat = true
	case bytes.HasPrefix(magic, []byte("FEA1")):
		return nil, errs.New(errs.BadFile, "%s: Feather version 1 files are not supported; rewrite it as Feather v2 / Arrow IPC", path)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", path, err)
	}
	var schema *arrow.Schema
	if s.fileFormat {
		fr, err := ipc.NewFileReader(f)
		if err != nil {
			return nil, errs.New(errs.BadFile, "%s: not a readable Arrow IPC file: %v", path, err)
		}
		schema = fr.Schema()
		fr.Close()
	} else {
		r, err := ipc.NewReader(f)
		if err != nil {
			return nil, errs.New(errs.BadFile, "%s: not a readable Arrow IPC file or stream: %v", path, err)
		}
		schema = r.Schema()
		r.Release()
	}
	s.conv = newConverter(schema)
	return s, nil
}

type ipcSource struct {
	path       string
	fileFormat bool
	conv       *converter
}

func (s *ipcSource) Schema() *arrow.Schema { return s.conv.target }

func (s *ipcSource) RowCount() int64 { return -1 }

func (s *ipcSource) Scan(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", s.path, unwrapPathErr(err))
	}
	var raw func() (arrow.RecordBatch, error)
	var closeReader func()
	if s.fileFormat {
		fr, err := ipc.NewFileReader(f, ipc.WithAllocator(mem))
		if err != nil {
			f.Close()
			return nil, errs.New(errs.BadFile, "%s: %v", s.path, err)
		}
		i := 0
		raw = func() (arrow.RecordBatch, error) {
			if i >= fr.NumRecords() {
				return nil, nil
			}
			rec, err := fr.RecordBatchAt(i)
			if err != nil {
				return nil, errs.New(errs.BadFile, "%s: record batch %d: %v", s.path, i, err)
			}
			i++
			return rec, nil
		}
		closeReader = func() { fr.Close() }
	} else {
		r, err := ipc.NewReader(f, ipc.WithAllocator(mem))
		if err != nil {
			f.Close()
			return nil, errs.New(errs.BadFile, "%s: %v", s.path, err)
		}
		raw = func() (arrow.RecordBatch, error) {
			if r.Next() {
				rec := r.RecordBatch()
				rec.Retain()
				return rec, nil
			}
			if err := r.Err(); err != nil {
				return nil, errs.New(errs.BadFile, "%s: %v", s.path, err)
			}
			return nil, nil
		}
		closeReader = func() { r.Release() }
	}
	converted := func() (arrow.RecordBatch, error) {
		rec, err := raw()
		if err != nil || rec == nil {
			return nil, err
		}
		defer rec.Release()
		return s.conv.convert(rec, mem, s.path)
	}
	next, releasePending := rechunk(converted)
	return newBatchReader(ctx, s.conv.target, next, func() {
		releasePending()
		closeReader()
		f.Close()
	}), nil
}

// engineType maps an Arrow type to the engine's type:
//
//   - every signed and unsigned integer type → Int64 (a uint64 value above
//     the Int64 maximum fails the scan with errs.BadFile);
//   - float16, float32, float64 and every decimal type → Float64;
//   - string, large_string, string_view → String;
//   - binary, large_binary, binary_view, fixed_size_binary → Binary;
//   - bool → Boolean;
//   - date32, date64 → String "2006-01-02"; timestamp → String in ISO 8601
//     ("2006-01-02T15:04:05.999999999", with a zone offset such as "+02:00"
//     or "Z" when the type has a time zone); dictionary → the mapping of its
//     value type;
//   - anything else (time, duration, interval, list, struct, map, null,
//     extension types, ...) → String holding arrow's ValueStr rendering.
func engineType(dt arrow.DataType) arrow.DataType {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return arrow.PrimitiveTypes.Int64
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256:
		return arrow.PrimitiveTypes.Float64
	case arrow.BINARY, arrow.LARGE_BINARY, arrow.BINARY_VIEW, arrow.FIXED_SIZE_BINARY:
		return arrow.BinaryTypes.Binary
	case arrow.BOOL:
		return arrow.FixedWidthTypes.Boolean
	case arrow.DICTIONARY:
		return engineType(dt.(*arrow.DictionaryType).ValueType)
	}
	return arrow.BinaryTypes.String
}

// converter converts record batches of one source schema to the engine
// schema. Columns already of an engine type are passed through without a
// copy.
type converter struct {
	source *arrow.Schema
	target *arrow.Schema
}

func newConverter(source *arrow.Schema) *converter {
	fields := make([]arrow.Field, source.NumFields())
	for i, f := range source.Fields() {
		fields[i] = arrow.Field{Name: f.Name, Type: engineType(f.Type), Nullable: true}
	}
	return &converter{source: source, target: arrow.NewSchema(fields, nil)}
}

func (c *converter) convert(rec arrow.RecordBatch, mem memory.Allocator, path string) (arrow.RecordBatch, error) {
	if int(rec.NumCols()) != c.target.NumFields() {
		return nil, errs.New(errs.BadFile, "%s: a record batch has %d columns, the schema %d", path, rec.NumCols(), c.target.NumFields())
	}
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, col := range rec.Columns() {
		a, err := convertArray(col, c.target.Field(i), mem, path)
		if err != nil {
			return nil, err
		}
		cols[i] = a
	}
	return array.NewRecordBatch(c.target, cols, rec.NumRows()), nil
}

// convertArray returns arr converted to field's type (a new reference the
// caller releases).
func convertArray(arr arrow.Array, field arrow.Field, mem memory.Allocator, path string) (arrow.Array, error) {
	target := field.Type
	if arrow.TypeEqual(arr.DataType(), target) {
		arr.Retain()
		return arr, nil
	}
	b := array.NewBuilder(mem, target)
	defer b.Release()
	b.Reserve(arr.Len())
	app, err := appender(arr, b)
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: column %q: %v", path, field.Name, err)
	}
	for i := 0; i < arr.Len(); i++ {
		if arr.IsNull(i) {
			b.AppendNull()
			continue
		}
		if err := app(i); err != nil {
			return nil, errs.New(errs.BadFile, "%s: column %q: %v", path, field.Name, err)
		}
	}
	return b.NewArray(), nil
}

type overflowError struct{ v uint64 }

func (e overflowError) Error() string {
	return "value " + formatUint(e.v) + " does not fit in a 64-bit signed integer"
}

func formatUint(v uint64) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return string(buf[i:])
}

// appender returns a function appending the non-null value i of arr to b,
// b being the builder of engineType(arr.DataType()).
func appender(arr arrow.Array, b array.Builder) (func(i int) error, error) {
	if d, ok := arr.(*array.Dictionary); ok {
		inner, err := appender(d.Dictionary(), b)
		if err != nil {
			return nil, err
		}
		dict := d.Dictionary()
		return func(i int) error {
			j := d.GetValueIndex(i)
			if dict.IsNull(j) {
				b.AppendNull()
				return nil
			}
			return inner(j)
		}, nil
	}
	switch b := b.(type) {
	case *array.Int64Builder:
		switch a := arr.(type) {
		case *array.Int8:
			return func(i int) error { b.Append(int64(a.Value(i))); return nil }, nil
		case *array.Int16:
			return func(i int) error { b.Append(int64(a.Value(i))); return nil }, nil
		case *array.Int32:
			return func(i int) error { b.Append(int64(a.Value(i))); return nil }, nil
		case *array.Int64:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		case *array.Uint8:
			return func(i int) error { b.Append(int64(a.Value(i))); return nil }, nil
		case *array.Uint16:
			return func(i int) error { b.Append(int64(a.Value(i))); return nil }, nil
		case *array.Uint32:
			return func(i int) error { b.Append(int64(a.Value(i))); return nil }, nil
		case *array.Uint64:
			return func(i int) error {
				v := a.Value(i)
				if v > math.MaxInt64 {
					return overflowError{v}
				}
				b.Append(int64(v))
				return nil
			}, nil
		}
	case *array.Float64Builder:
		switch a := arr.(type) {
		case *array.Float16:
			return func(i int) error { b.Append(float64(a.Value(i).Float32())); return nil }, nil
		case *array.Float32:
			return func(i int) error { b.Append(float64(a.Value(i))); return nil }, nil
		case *array.Float64:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		case *array.Decimal32:
			scale := a.DataType().(arrow.DecimalType).GetScale()
			return func(i int) error { b.Append(a.Value(i).ToFloat64(scale)); return nil }, nil
		case *array.Decimal64:
			scale := a.DataType().(arrow.DecimalType).GetScale()
			return func(i int) error { b.Append(a.Value(i).ToFloat64(scale)); return nil }, nil
		case *array.Decimal128:
			scale := a.DataType().(arrow.DecimalType).GetScale()
			return func(i int) error { b.Append(a.Value(i).ToFloat64(scale)); return nil }, nil
		case *array.Decimal256:
			scale := a.DataType().(arrow.DecimalType).GetScale()
			return func(i int) error { b.Append(a.Value(i).ToFloat64(scale)); return nil }, nil
		}
	case *array.BinaryBuilder:
		switch a := arr.(type) {
		case *array.Binary:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		case *array.LargeBinary:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		case *array.BinaryView:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		case *array.FixedSizeBinary:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		}
	case *array.BooleanBuilder:
		if a, ok := arr.(*array.Boolean); ok {
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		}
	case *array.StringBuilder:
		switch a := arr.(type) {
		case *array.String:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		case *array.LargeString:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		case *array.StringView:
			return func(i int) error { b.Append(a.Value(i)); return nil }, nil
		case *array.Date32:
			return func(i int) error { b.Append(a.Value(i).ToTime().Format(time.DateOnly)); return nil }, nil
		case *array.Date64:
			return func(i int) error { b.Append(a.Value(i).ToTime().Format(time.DateOnly)); return nil }, nil
		case *array.Timestamp:
			tt := a.DataType().(*arrow.TimestampType)
			if tt.TimeZone == "" {
				return func(i int) error {
					b.Append(a.Value(i).ToTime(tt.Unit).UTC().Format("2006-01-02T15:04:05.999999999"))
					return nil
				}, nil
			}
			toTime, err := tt.GetToTimeFunc()
			if err != nil {
				return nil, err
			}
			return func(i int) error { b.Append(toTime(a.Value(i)).Format(time.RFC3339Nano)); return nil }, nil
		default:
			return func(i int) error { b.Append(arr.ValueStr(i)); return nil }, nil
		}
	}
	return nil, errs.New(errs.Internal, "no conversion from %s to %s", arr.DataType(), b.Type())
}
