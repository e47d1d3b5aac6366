package catalog

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Source is a table whose rows can be scanned any number of times as a
// stream of Arrow record batches. Column types are restricted to the engine's
// types: Int64, Float64, String (utf8), Binary, Boolean.
type Source interface {
	// Schema is the table's schema; it does not change between scans.
	Schema() *arrow.Schema
	// Scan starts a fresh scan. Records have at most BatchSize rows. The
	// caller releases the reader. Errors while reading (a malformed row)
	// surface from the reader's Err() as *errs.Error with code errs.BadFile
	// and the file and line in the message/position.
	Scan(ctx context.Context, mem memory.Allocator) (array.RecordReader, error)
	// RowCount returns the number of rows if known cheaply, else -1.
	RowCount() int64
}

// BatchSize is the number of rows per record batch produced by sources.
const BatchSize = 4096
