package catalog

import (
	"context"
	"math"
	"sort"
	"strings"
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
	// Collate is the declared collation (COLLATE name), upper-cased; ""
	// for BINARY.
	Collate string
}

// RowidSource is a Source whose rows have a rowid (SQLite's 64-bit row key):
// ScanRowid streams the same batches as Scan with one more trailing Int64
// column holding each row's rowid.
type RowidSource interface {
	Source
	ScanRowid(ctx context.Context, mem memory.Allocator) (array.RecordReader, error)
}

// RowidNames are the names of the rowid pseudo-column.
var RowidNames = []string{"rowid", "oid", "_rowid_"}

// MemTable is a table created by SQL. Rows are kept column-major as values
// with SQLite storage classes (so a column can hold what SQLite would store
// in it, including values that do not match its declared type); scans
// convert them into Arrow record batches, cached until the next change.
//
// Every row has a rowid, and rows are kept in rowid order (SQLite's table
// B-tree order, which is what a scan returns). A column declared exactly
// INTEGER PRIMARY KEY is an alias of the rowid: inserting NULL assigns
// max(rowid)+1, and its values must be integers.
type MemTable struct {
	mu      sync.RWMutex
	cols    []MemColumn
	data    [][]value.Value // data[col][row]
	rowids  []int64         // rowids[row], ascending
	ipk     int             // index of the INTEGER PRIMARY KEY column, -1 if none
	version int64

	cacheVersion int64
	cache        []arrow.RecordBatch // without the rowid
	cacheRowid   []arrow.RecordBatch // with the rowid as the last column
	schema       *arrow.Schema
	schemaRowid  *arrow.Schema
}

// NewMemTable returns an empty table.
func NewMemTable(cols []MemColumn) *MemTable {
	npk, ipk := 0, -1
	for i := range cols {
		cols[i].Aff = value.AffinityOf(cols[i].Decl)
		cols[i].Collate = strings.ToUpper(cols[i].Collate)
		if cols[i].PrimaryKey {
			npk++
			if strings.EqualFold(strings.TrimSpace(cols[i].Decl), "INTEGER") {
				ipk = i
			}
		}
	}
	if npk != 1 {
		ipk = -1
	}
	return &MemTable{cols: cols, data: make([][]value.Value, len(cols)), ipk: ipk, cacheVersion: -1}
}

// RowidAlias returns the index of the column that is an alias of the rowid
// (declared INTEGER PRIMARY KEY), or -1.
func (t *MemTable) RowidAlias() int { return t.ipk }

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

var errMismatch = errs.New(errs.TypeMismatch, "datatype mismatch")

// rowidOf returns the rowid an INTEGER PRIMARY KEY value gives (ok false
// for NULL).
func rowidOf(v value.Value) (int64, bool, error) {
	switch v.K {
	case value.Null:
		return 0, false, nil
	case value.Int:
		return v.I, true, nil
	}
	return 0, false, errMismatch
}

func (t *MemTable) maxRowid() int64 {
	if len(t.rowids) == 0 {
		return 0
	}
	return t.rowids[len(t.rowids)-1]
}

// nextRowid is max(rowid)+1 (SQLite without AUTOINCREMENT).
func nextRowid(max int64) (int64, error) {
	if max == math.MaxInt64 {
		return 0, errs.New(errs.Runtime, "database or disk is full (no rowid left)")
	}
	return max + 1, nil
}

// sortByRowid restores rowid order after rows were added out of order.
func (t *MemTable) sortByRowid() {
	if sort.SliceIsSorted(t.rowids, func(i, j int) bool { return t.rowids[i] < t.rowids[j] }) {
		return
	}
	perm := make([]int, len(t.rowids))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(i, j int) bool { return t.rowids[perm[i]] < t.rowids[perm[j]] })
	ids := make([]int64, len(perm))
	for i, p := range perm {
		ids[i] = t.rowids[p]
	}
	t.rowids = ids
	for c := range t.data {
		col := make([]value.Value, len(perm))
		for i, p := range perm {
			col[i] = t.data[c][p]
		}
		t.data[c] = col
	}
}

// Insert appends rows (full width, in column order), applying affinity and
// checking constraints; all rows are inserted or none. Each row gets a new
// rowid (the INTEGER PRIMARY KEY's value if there is one and it is given).
func (t *MemTable) Insert(rows [][]value.Value) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	max := t.maxRowid()
	ids := make([]int64, len(rows))
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
		id, ok := int64(0), false
		if t.ipk >= 0 {
			var err error
			if id, ok, err = rowidOf(cr[t.ipk]); err != nil {
				return err
			}
		}
		if !ok {
			var err error
			if id, err = nextRowid(max); err != nil {
				return err
			}
			if t.ipk >= 0 {
				cr[t.ipk] = value.FromInt(id)
			}
		}
		ids[r] = id
		if id > max {
			max = id
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
	t.rowids = append(t.rowids, ids...)
	t.sortByRowid()
	t.version++
	return nil
}

// Replace replaces all rows at once (used by UPDATE and DELETE, which
// compute the new contents first, so a failing statement changes nothing).
// A row may carry its rowid as one extra trailing value (a scan's rowid
// column, see RowidSource); rows without one are numbered from 1. With an
// INTEGER PRIMARY KEY, the rowid is that column's (integer) value.
func (t *MemTable) Replace(rows [][]value.Value) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	data := make([][]value.Value, len(t.cols))
	ids := make([]int64, len(rows))
	seenID := make(map[int64]bool, len(rows))
	uc := t.uniqueCols()
	seen := make([]map[string]bool, len(uc))
	for k := range seen {
		seen[k] = map[string]bool{}
	}
	for r, row := range rows {
		for i, c := range t.cols {
			row[i] = value.ApplyAffinity(row[i], c.Aff)
		}
		switch {
		case t.ipk >= 0:
			id, ok, err := rowidOf(row[t.ipk])
			if err != nil {
				return err
			}
			if !ok {
				return errMismatch
			}
			ids[r] = id
		case len(row) > len(t.cols) && row[len(t.cols)].K == value.Int:
			ids[r] = row[len(t.cols)].I
		default:
			ids[r] = int64(r + 1)
		}
		if seenID[ids[r]] {
			name := "rowid"
			if t.ipk >= 0 {
				name = t.cols[t.ipk].Name
			}
			return errs.New(errs.Constraint, "UNIQUE constraint failed: %s", name)
		}
		seenID[ids[r]] = true
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
	t.rowids = ids
	t.sortByRowid()
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
	for _, r := range t.cacheRowid {
		r.Release()
	}
	t.cache, t.cacheRowid = nil, nil
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
	t.schemaRowid = arrow.NewSchema(append(append([]arrow.Field{}, fields...), arrow.Field{Name: "rowid", Type: arrow.PrimitiveTypes.Int64}), nil)
	n := t.lenLocked()
	mem := memory.DefaultAllocator
	for start := 0; start < n || (start == 0 && n == 0 && false); start += BatchSize {
		end := min(start+BatchSize, n)
		arrs := make([]arrow.Array, len(t.cols))
		for i := range t.cols {
			arrs[i] = BuildArray(mem, fields[i].Type, tagged[i], t.data[i][start:end])
		}
		rec := array.NewRecordBatch(t.schema, arrs, int64(end-start))
		ib := array.NewInt64Builder(mem)
		ib.AppendValues(t.rowids[start:end], nil)
		ids := ib.NewArray()
		ib.Release()
		recID := array.NewRecordBatch(t.schemaRowid, append(arrs, ids), int64(end-start))
		ids.Release()
		for _, a := range arrs {
			a.Release()
		}
		t.cache = append(t.cache, rec)
		t.cacheRowid = append(t.cacheRowid, recID)
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

// ScanRowid implements RowidSource.
func (t *MemTable) ScanRowid(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	t.mu.Lock()
	t.buildLocked()
	recs := append([]arrow.RecordBatch(nil), t.cacheRowid...)
	schema := t.schemaRowid
	t.mu.Unlock()
	return array.NewRecordReader(schema, recs)
}
