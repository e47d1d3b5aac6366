package catalog

// Parquet sources.

import (
	"context"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/uqe-dev/uqe/errs"
)

// OpenParquet opens a Parquet file as a Source. A scan streams record
// batches of BatchSize rows through pqarrow's record reader over a buffered
// stream (page by page, row group after row group; neither the file nor a
// whole column chunk is read into memory at once); column types are
// converted to the engine's as described at engineType. RowCount comes from
// the file's metadata.
func OpenParquet(path string) (Source, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, errs.New(errs.BadPath, "%s: %v", path, unwrapPathErr(err))
	} else if fi.IsDir() {
		return nil, errs.New(errs.BadPath, "%s is a directory, not a Parquet file", path)
	}
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: not a readable Parquet file: %v", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: BatchSize}, memory.DefaultAllocator)
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", path, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", path, err)
	}
	return &parquetSource{path: path, conv: newConverter(schema), rows: rdr.NumRows()}, nil
}

type parquetSource struct {
	path string
	conv *converter
	rows int64
}

func (s *parquetSource) Schema() *arrow.Schema { return s.conv.target }

func (s *parquetSource) RowCount() int64 { return s.rows }

func (s *parquetSource) Scan(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	// A buffered stream reads column chunks piecewise instead of loading a
	// whole column chunk of a row group at once.
	props := parquet.NewReaderProperties(mem)
	props.BufferedStreamEnabled = true
	props.BufferSize = 1 << 20
	rdr, err := file.OpenParquetFile(s.path, false, file.WithReadProps(props))
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", s.path, err)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: BatchSize}, mem)
	if err != nil {
		rdr.Close()
		return nil, errs.New(errs.BadFile, "%s: %v", s.path, err)
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		rdr.Close()
		return nil, errs.New(errs.BadFile, "%s: %v", s.path, err)
	}
	converted := func() (arrow.RecordBatch, error) {
		if rr.Next() {
			return s.conv.convert(rr.RecordBatch(), mem, s.path)
		}
		if err := rr.Err(); err != nil {
			return nil, errs.New(errs.BadFile, "%s: %v", s.path, err)
		}
		return nil, nil
	}
	next, releasePending := rechunk(converted)
	return newBatchReader(ctx, s.conv.target, next, func() {
		releasePending()
		rr.Release()
		rdr.Close()
	}), nil
}
