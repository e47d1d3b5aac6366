// Package catalog owns the tables a session can query: in-memory tables
// created by SQL, views, indexes, and tables read from files and folders
// (CSV, TSV, JSONL, Parquet, Arrow IPC, folders of text or image files), all
// exposed as Sources that stream Arrow record batches.
package catalog
