package catalog

// This file holds Open (dispatch from a path to a file Source), TableNameFor,
// the resolution of globs and multi-part file names, and the record reader
// shared by every file Source.

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

// maxBatchBytes bounds the variable-length bytes (strings, binaries) a file
// source puts in one record batch: a batch ends at BatchSize rows or once it
// holds this many bytes, whichever comes first (always at least one row), so
// a table of large documents or images does not make 4096-row batches of
// gigabytes.
const maxBatchBytes = 64 << 20

// Open returns a Source for a file, a set of files or a folder, chosen by the
// path:
//
//   - .csv (comma), .tsv and .tab (tab): OpenCSV with default options;
//   - .jsonl, .ndjson, .json: OpenJSONL (a .json file must hold JSON lines,
//     one object per line; a JSON array file is rejected with a clear error);
//   - .parquet, .pq: OpenParquet;
//   - .arrow, .feather, .ipc: OpenIPC (IPC file or stream format);
//   - a directory: OpenImageFolder when every (non-hidden) file in it is an
//     image, else a text folder over its files that are not images;
//   - a glob pattern (containing * ? or [): all matches, sorted, which must
//     share one extension;
//   - NAME.partNN.EXT: all parts NAME.part*.EXT in numeric order; and NAME.EXT
//     that does not exist while NAME.part01.EXT does opens the parts too.
//
// A missing path, a glob without matches and an unknown extension give an
// *errs.Error with code errs.BadPath.
func Open(path string) (Source, error) {
	files, err := resolveFiles(path)
	if err != nil {
		return nil, err
	}
	if len(files) == 1 {
		if fi, err := os.Stat(files[0]); err == nil && fi.IsDir() {
			return openFolder(files[0])
		}
	}
	kind, err := kindOf(files)
	if err != nil {
		return nil, err
	}
	switch kind {
	case kindCSV:
		return openCSVFiles(files, CSVOptions{})
	case kindJSONL:
		return openJSONLFiles(files)
	case kindParquet:
		return concatSources(files, OpenParquet)
	case kindIPC:
		return concatSources(files, OpenIPC)
	}
	return nil, errs.New(errs.Internal, "unhandled file kind for %s", path)
}

type fileKind int

const (
	kindUnknown fileKind = iota
	kindCSV
	kindJSONL
	kindParquet
	kindIPC
)

// kindByExt maps a lower-case extension to its file kind.
var kindByExt = map[string]fileKind{
	".csv": kindCSV, ".tsv": kindCSV, ".tab": kindCSV,
	".jsonl": kindJSONL, ".ndjson": kindJSONL, ".json": kindJSONL,
	".parquet": kindParquet, ".pq": kindParquet,
	".arrow": kindIPC, ".feather": kindIPC, ".ipc": kindIPC,
}

func kindOf(files []string) (fileKind, error) {
	var kind fileKind
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return kindUnknown, errs.New(errs.BadPath, "%s: no such file or directory", f)
		}
		if fi.IsDir() {
			return kindUnknown, errs.New(errs.BadPath, "%s is a directory; a pattern must match files only", f)
		}
		ext := strings.ToLower(filepath.Ext(f))
		k, ok := kindByExt[ext]
		if !ok {
			return kindUnknown, errs.New(errs.BadPath,
				"%s: unknown file type %q (expected .csv, .tsv, .tab, .jsonl, .ndjson, .json, .parquet, .arrow, .feather, .ipc or a folder)", f, ext)
		}
		if kind != kindUnknown && k != kind {
			return kindUnknown, errs.New(errs.BadPath, "%s: the pattern matches files of different types", f)
		}
		kind = k
	}
	return kind, nil
}

var partRE = regexp.MustCompile(`^(.*)\.part(\d+)(\.[A-Za-z0-9]+)$`)

// resolveFiles turns a path into the list of files (or one directory) it
// names: a glob's sorted matches, all parts of a multi-part file, or the
// path itself. Multi-part names are sorted by part number.
func resolveFiles(path string) ([]string, error) {
	if path == "" {
		return nil, errs.New(errs.BadPath, "empty path")
	}
	if hasMeta(path) {
		matches, err := filepath.Glob(path)
		if err != nil {
			return nil, errs.New(errs.BadPath, "bad pattern %q: %v", path, err)
		}
		if len(matches) == 0 {
			return nil, errs.New(errs.BadPath, "no files match %s", path)
		}
		sortParts(matches)
		return matches, nil
	}
	dir, base := filepath.Split(path)
	if m := partRE.FindStringSubmatch(base); m != nil {
		parts, err := findParts(dir, m[1], m[3])
		if err != nil {
			return nil, err
		}
		if len(parts) > 0 {
			return parts, nil
		}
	}
	if _, err := os.Stat(path); err != nil {
		// NAME.EXT missing but NAME.part01.EXT present: the parts.
		ext := filepath.Ext(base)
		if ext != "" && !partRE.MatchString(base) {
			parts, perr := findParts(dir, strings.TrimSuffix(base, ext), ext)
			if perr == nil && len(parts) > 0 {
				return parts, nil
			}
		}
		return nil, errs.New(errs.BadPath, "%s: no such file or directory", path)
	}
	return []string{path}, nil
}

// findParts lists dir/stem.partNN.ext sorted by NN.
func findParts(dir, stem, ext string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, escapeGlob(stem)+".part*"+escapeGlob(ext)))
	if err != nil {
		return nil, errs.New(errs.BadPath, "bad path %q: %v", filepath.Join(dir, stem+ext), err)
	}
	var parts []string
	for _, m := range matches {
		pm := partRE.FindStringSubmatch(filepath.Base(m))
		if pm != nil && pm[1] == stem && pm[3] == ext {
			parts = append(parts, m)
		}
	}
	sortParts(parts)
	return parts, nil
}

// sortParts sorts file names, ordering NAME.partNN.EXT by the number NN so
// that part10 comes after part9.
func sortParts(files []string) {
	key := func(f string) (string, int) {
		dir, base := filepath.Split(f)
		if m := partRE.FindStringSubmatch(base); m != nil {
			n, _ := strconv.Atoi(m[2])
			return dir + m[1] + m[3], n
		}
		return f, -1
	}
	sort.SliceStable(files, func(i, j int) bool {
		ki, ni := key(files[i])
		kj, nj := key(files[j])
		if ki != kj {
			return files[i] < files[j]
		}
		return ni < nj
	})
}

func hasMeta(p string) bool { return strings.ContainsAny(p, "*?[") }

func escapeGlob(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	return r.Replace(s)
}

// TableNameFor returns a default table name for a path: the base name
// without its extension and without a .partNN suffix, with every character
// that is not an ASCII letter, digit or underscore replaced by _, prefixed
// with t_ when it would start with a digit. For a glob, the literal part of
// the base name before the first wildcard is used, or the directory's name
// when that is empty; for a folder, its name. It never returns "".
func TableNameFor(path string) string {
	p := filepath.Clean(path)
	dir, base := filepath.Split(p)
	if hasMeta(base) {
		base = base[:strings.IndexAny(base, "*?[")]
		base = strings.Trim(base, "._- ")
		if base == "" {
			base = filepath.Base(filepath.Clean(dir))
		}
	} else {
		if m := partRE.FindStringSubmatch(base); m != nil {
			base = m[1]
		} else if ext := filepath.Ext(base); ext != "" && ext != base {
			base = strings.TrimSuffix(base, ext)
		}
	}
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := b.String()
	if name == "" {
		return "t"
	}
	if name[0] >= '0' && name[0] <= '9' {
		name = "t_" + name
	}
	return name
}

// concatSources opens each file with open and returns a Source scanning them
// one after the other; their schemas must be equal.
func concatSources(files []string, open func(string) (Source, error)) (Source, error) {
	if len(files) == 1 {
		return open(files[0])
	}
	var srcs []Source
	for _, f := range files {
		s, err := open(f)
		if err != nil {
			return nil, err
		}
		if len(srcs) > 0 && !s.Schema().Equal(srcs[0].Schema()) {
			return nil, errs.New(errs.BadFile, "%s: schema %s differs from %s's schema %s",
				f, s.Schema(), files[0], srcs[0].Schema())
		}
		srcs = append(srcs, s)
	}
	return &multiSource{srcs: srcs}, nil
}

// multiSource concatenates sources with equal schemas.
type multiSource struct{ srcs []Source }

func (m *multiSource) Schema() *arrow.Schema { return m.srcs[0].Schema() }

func (m *multiSource) RowCount() int64 {
	var n int64
	for _, s := range m.srcs {
		c := s.RowCount()
		if c < 0 {
			return -1
		}
		n += c
	}
	return n
}

func (m *multiSource) Scan(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	i := 0
	var cur array.RecordReader
	next := func() (arrow.RecordBatch, error) {
		for {
			if cur == nil {
				if i >= len(m.srcs) {
					return nil, nil
				}
				rr, err := m.srcs[i].Scan(ctx, mem)
				if err != nil {
					return nil, err
				}
				cur = rr
				i++
			}
			if cur.Next() {
				rec := cur.RecordBatch()
				rec.Retain()
				return rec, nil
			}
			err := cur.Err()
			cur.Release()
			cur = nil
			if err != nil {
				return nil, err
			}
		}
	}
	closer := func() {
		if cur != nil {
			cur.Release()
			cur = nil
		}
	}
	return newBatchReader(ctx, m.Schema(), next, closer), nil
}

func cancelled(err error) error {
	return errs.New(errs.Cancelled, "scan cancelled: %v", err)
}

// batchReader is the array.RecordReader of every file source: it pulls
// record batches from next (nil, nil at the end), checks ctx between
// batches, and calls closer exactly once, at the end, on an error or on the
// last Release, whichever comes first.
type batchReader struct {
	refs   atomic.Int64
	ctx    context.Context
	schema *arrow.Schema
	next   func() (arrow.RecordBatch, error)
	closer func()
	cur    arrow.RecordBatch
	err    error
	done   bool
}

func newBatchReader(ctx context.Context, schema *arrow.Schema, next func() (arrow.RecordBatch, error), closer func()) *batchReader {
	r := &batchReader{ctx: ctx, schema: schema, next: next, closer: closer}
	r.refs.Store(1)
	return r
}

func (r *batchReader) Retain() { r.refs.Add(1) }

func (r *batchReader) Release() {
	if r.refs.Add(-1) == 0 {
		if r.cur != nil {
			r.cur.Release()
			r.cur = nil
		}
		r.finish()
	}
}

func (r *batchReader) finish() {
	r.done = true
	if r.closer != nil {
		r.closer()
		r.closer = nil
	}
}

func (r *batchReader) Schema() *arrow.Schema { return r.schema }

func (r *batchReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.done {
		return false
	}
	if err := r.ctx.Err(); err != nil {
		r.err = cancelled(err)
		r.finish()
		return false
	}
	rec, err := r.next()
	if err != nil {
		r.err = err
		r.finish()
		return false
	}
	if rec == nil {
		r.finish()
		return false
	}
	r.cur = rec
	return true
}

func (r *batchReader) RecordBatch() arrow.RecordBatch { return r.cur }

// Record is the deprecated alias of RecordBatch.
func (r *batchReader) Record() arrow.RecordBatch { return r.cur }

func (r *batchReader) Err() error { return r.err }

// rechunk wraps a producer of record batches of any size into one whose
// batches have at most BatchSize rows (zero-copy slices).
func rechunk(next func() (arrow.RecordBatch, error)) (func() (arrow.RecordBatch, error), func()) {
	var pending arrow.RecordBatch
	var off int64
	release := func() {
		if pending != nil {
			pending.Release()
			pending = nil
		}
	}
	return func() (arrow.RecordBatch, error) {
		for {
			if pending != nil && off < pending.NumRows() {
				end := min(off+BatchSize, pending.NumRows())
				if off == 0 && end == pending.NumRows() {
					rec := pending
					pending = nil
					return rec, nil
				}
				rec := pending.NewSlice(off, end)
				off = end
				return rec, nil
			}
			release()
			rec, err := next()
			if err != nil || rec == nil {
				return nil, err
			}
			if rec.NumRows() == 0 {
				rec.Release()
				continue
			}
			pending, off = rec, 0
		}
	}, release
}
