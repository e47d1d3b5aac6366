package catalog

import (
	"context"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/value"
)

// MemColumn is a column of a MemTable.
type MemColumn struct {
	Name       string
	Decl       string // declared type as written
	Aff        value.Affinity
	NotNull    bool
	PrimaryKey bool
	Unique     bool
	// Default is the value of a column an INSERT does not name (NULL if
	// the column has no DEFAULT).
	Default value.Value
}

// MemTable is a table created by SQL. Rows are kept column-major as values
// with SQLite storage classes (so a column can hold what SQLite would store
// in it, including values that do not match its declared type); scans
// convert them into Arrow record batches, cached until the next change.
type MemTable struct {
	mu      sync.RWMutex
	cols    []MemColumn
	data    [][]value.Value // data[col][row]
	version int64

	cacheVersion int64
	cache        []arrow.RecordBatch
	schema       *arrow.Schema
}

// NewMemTable returns an empty table.
func NewMemTable(cols []MemColumn) *MemTable {
	for i := range cols {
		cols[i].Aff = value.AffinityOf(cols[i].Decl)
	}
	return &MemTable{cols: cols, data: make([][]value.Value, len(cols)), cacheVersion: -1}
}

// Cols returns the column definitions.
func (t *MemTable) Cols() []MemColumn { return t.cols }

// Len is the number of rows.
func (t *MemTable) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.lenLocked()
}

func (t *MemTable) lenLocked() int {
	if len(t.data) == 0 {
		return 0
	}
	return len(t.data[0])
}

// Rows returns a copy of the rows (row-major).
func (t *MemTable) Rows() [][]value.Value {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := t.lenLocked()
	out := make([][]value.Value, n)
	for r := 0; r < n; r++ {
		row := make([]value.Value, len(t.cols))
		for c := range t.cols {
			row[c] = t.data[c][r]
		}
		out[r] = row
	}
	return out
}

func (t *MemTable) check(row []value.Value) error {
	for i, c := range t.cols {
		if (c.NotNull || c.PrimaryKey && c.Aff != value.AffInteger) && row[i].IsNull() {
			return errs.New(errs.Constraint, "NOT NULL constraint failed: %s", c.Name)
		}
	}
	return nil
}

// uniqueCols are the columns with a UNIQUE or PRIMARY KEY constraint.
func (t *MemTable) uniqueCols() []int {
	var out []int
	for i, c := range t.cols {
		if c.Unique || c.PrimaryKey {
			out = append(out, i)
		}
	}
	return out
}

// Insert appends rows (full width, in column order), applying affinity and
// checking constraints; all rows are inserted or none.
func (t *MemTable) Insert(rows [][]value.Value) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	uc := t.uniqueCols()
	var seen []map[string]bool
	if len(uc) > 0 {
		seen = make([]map[string]bool, len(uc))
		for k, c := range uc {
			seen[k] = map[string]bool{}
			for _, v := range t.data[c] {
				if !v.IsNull() {
					seen[k][v.Key()] = true
				}
			}
		}
	}
	conv := make([][]value.Value, len(rows))
	for r, row := range rows {
		cr := make([]value.Value, len(t.cols))
		for i, c := range t.cols {
			cr[i] = value.ApplyAffinity(row[i], c.Aff)
		}
		if err := t.check(cr); err != nil {
			return err
		}
		for k, c := range uc {
			if cr[c].IsNull() {
				continue
			}
			kk := cr[c].Key()
			if seen[k][kk] {
				return errs.New(errs.Constraint, "UNIQUE constraint failed: %s", t.cols[c].Name)
			}
			seen[k][kk] = true
		}
		conv[r] = cr
	}
	for _, cr := range conv {
		for i := range t.cols {
			t.data[i] = append(t.data[i], cr[i])
		}
	}
	t.version++
	return nil
}

// Replace replaces all rows at once (used by UPDATE and DELETE, which
// compute the new contents first, so a failing statement changes nothing).
func (t *MemTable) Replace(rows [][]value.Value) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	data := make([][]value.Value, len(t.cols))
	uc := t.uniqueCols()
	seen := make([]map[string]bool, len(uc))
	for k := range seen {
		seen[k] = map[string]bool{}
	}
	for _, row := range rows {
		for i, c := range t.cols {
			row[i] = value.ApplyAffinity(row[i], c.Aff)
		}
		if err := t.check(row); err != nil {
			return err
		}
		for k, c := range uc {
			if row[c].IsNull() {
				continue
			}
			if seen[k][row[c].Key()] {
				return errs.New(errs.Constraint, "UNIQUE constraint failed: %s", t.cols[c].Name)
			}
			seen[k][row[c].Key()] = true
		}
		for i := range t.cols {
			data[i] = append(data[i], row[i])
		}
	}
	t.data = data
	t.version++
	return nil
}

// storage decides the Arrow type of a column from its affinity and the
// values it actually holds.
func storage(c MemColumn, vals []value.Value) (arrow.DataType, bool) {
	want := value.Null
	switch c.Aff {
	case value.AffInteger:
		want = value.Int
	case value.AffReal:
		want = value.Real
	case value.AffText:
		want = value.Text
	}
	if want != value.Null {
		ok := true
		for _, v := range vals {
			if v.K != value.Null && v.K != want {
				ok = false
				break
			}
		}
		if ok {
			switch want {
			case value.Int:
				return arrow.PrimitiveTypes.Int64, false
			case value.Real:
				return arrow.PrimitiveTypes.Float64, false
			}
			return arrow.BinaryTypes.String, false
		}
	}
	return arrow.BinaryTypes.Binary, true
}

func (t *MemTable) buildLocked() {
	if t.cacheVersion == t.version {
		return
	}
	for _, r := range t.cache {
		r.Release()
	}
	t.cache = nil
	fields := make([]arrow.Field, len(t.cols))
	tagged := make([]bool, len(t.cols))
	for i, c := range t.cols {
		dt, tg := storage(c, t.data[i])
		fields[i] = arrow.Field{Name: c.Name, Type: dt, Nullable: true}
		if tg {
			fields[i].Metadata = arrow.NewMetadata([]string{value.AnyMetaKey}, []string{value.AnyMetaValue})
		}
		tagged[i] = tg
	}
	t.schema = arrow.NewSchema(fields, nil)
	n := t.lenLocked()
	mem := memory.DefaultAllocator
	for start := 0; start < n || (start == 0 && n == 0 && false); start += BatchSize {
		end := min(start+BatchSize, n)
		arrs := make([]arrow.Array, len(t.cols))
		for i := range t.cols {
			arrs[i] = BuildArray(mem, fields[i].Type, tagged[i], t.data[i][start:end])
		}
		rec := array.NewRecordBatch(t.schema, arrs, int64(end-start))
		for _, a := range arrs {
			a.Release()
		}
		t.cache = append(t.cache, rec)
	}
	t.cacheVersion = t.version
}

// BuildArray builds an Arrow array of type dt from values (tagged: the
// values are stored with value.EncodeTagged in a Binary array).
func BuildArray(mem memory.Allocator, dt arrow.DataType, tagged bool, vals []value.Value) arrow.Array {
	switch dt.ID() {
	case arrow.INT64:
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Reserve(len(vals))
		for _, v := range vals {
			if v.IsNull() {
				b.AppendNull()
			} else {
				b.UnsafeAppend(value.AsInt(v))
			}
		}
		return b.NewArray()
	case arrow.FLOAT64:
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.Reserve(len(vals))
		for _, v := range vals {
			if v.IsNull() {
				b.AppendNull()
			} else {
				b.UnsafeAppend(value.AsFloat(v))
			}
		}
		return b.NewArray()
	case arrow.STRING:
		b := array.NewStringBuilder(mem)
		defer b.Release()
		for _, v := range vals {
			if v.IsNull() {
				b.AppendNull()
			} else {
				b.Append(value.ToText(v).S)
			}
		}
		return b.NewArray()
	case arrow.BOOL:
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		for _, v := range vals {
			if v.IsNull() {
				b.AppendNull()
			} else {
				t, _ := value.Truth(v)
				b.Append(t)
			}
		}
		return b.NewArray()
	case arrow.NULL:
		return array.NewNull(len(vals))
	}
	b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer b.Release()
	var buf []byte
	for _, v := range vals {
		switch {
		case v.IsNull():
			b.AppendNull()
		case tagged:
			buf = value.EncodeTagged(buf[:0], v)
			b.Append(buf)
		default:
			b.Append([]byte(v.S))
		}
	}
	return b.NewArray()
}

// Schema implements Source.
func (t *MemTable) Schema() *arrow.Schema {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buildLocked()
	return t.schema
}

// RowCount implements Source.
func (t *MemTable) RowCount() int64 { return int64(t.Len()) }

// Scan implements Source: it streams the cached batches of the current
// version (a snapshot: later changes do not affect a running scan).
func (t *MemTable) Scan(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	t.mu.Lock()
	t.buildLocked()
	recs := append([]arrow.RecordBatch(nil), t.cache...)
	schema := t.schema
	t.mu.Unlock()
	return array.NewRecordReader(schema, recs)
}
