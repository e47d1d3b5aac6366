package catalog

// Folder sources: one row per file.

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/uqe-dev/uqe/errs"
)

// maxFolderFileBytes is the largest file a folder source reads into one
// row (a String or Binary value); a larger file fails the scan with
// errs.BadFile instead of exhausting memory.
const maxFolderFileBytes = 256 << 20

// imageMIME maps image extensions (lower case) to MIME types.
var imageMIME = map[string]string{
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".bmp":  "image/bmp",
}

func isImage(name string) bool {
	_, ok := imageMIME[strings.ToLower(filepath.Ext(name))]
	return ok
}

// OpenTextFolder returns a Source with one row per file under dir whose base
// name matches pattern (filepath.Match syntax; "" matches every file), with
// columns path (String: the path relative to dir, with / separators), name
// (String: the base name) and text (String: the file's contents; bytes that
// are not valid UTF-8 are replaced by U+FFFD).
//
// The walk is recursive; files and directories whose names start with "."
// are skipped; symbolic links to regular files are followed, links to
// directories are not. Rows are in lexical order of path. The file list is
// fixed when the source is opened (so RowCount is exact); each scan reads
// the files again. A file larger than 256 MiB fails the scan (errs.BadFile).
func OpenTextFolder(dir, pattern string) (Source, error) {
	return openTextFolder(dir, pattern, false)
}

// OpenImageFolder returns a Source with one row per image file (.png, .jpg,
// .jpeg, .gif, .webp, .bmp, any case) under dir, with columns path and name
// (as in OpenTextFolder), bytes (Binary: the file's contents) and mime
// (String, from the extension: image/png, image/jpeg, image/gif, image/webp,
// image/bmp). The walk is as in OpenTextFolder; other files are ignored.
func OpenImageFolder(dir string) (Source, error) {
	files, err := listFolder(dir, func(name string) bool { return isImage(name) })
	if err != nil {
		return nil, err
	}
	return &folderSource{dir: dir, files: files, images: true, schema: imageSchema}, nil
}

var (
	textSchema = arrow.NewSchema([]arrow.Field{
		{Name: "path", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "text", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	imageSchema = arrow.NewSchema([]arrow.Field{
		{Name: "path", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "bytes", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "mime", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
)

func openTextFolder(dir, pattern string, skipImages bool) (Source, error) {
	if pattern != "" {
		if _, err := filepath.Match(pattern, ""); err != nil {
			return nil, errs.New(errs.Usage, "bad file pattern %q: %v", pattern, err)
		}
	}
	files, err := listFolder(dir, func(name string) bool {
		if skipImages && isImage(name) {
			return false
		}
		if pattern == "" {
			return true
		}
		ok, _ := filepath.Match(pattern, name)
		return ok
	})
	if err != nil {
		return nil, err
	}
	return &folderSource{dir: dir, files: files, schema: textSchema}, nil
}

// openFolder is Open's choice for a directory: images when every file is
// an image (and there is at least one), else text over the non-image files.
func openFolder(dir string) (Source, error) {
	all, err := listFolder(dir, func(string) bool { return true })
	if err != nil {
		return nil, err
	}
	images := len(all) > 0
	for _, f := range all {
		if !isImage(f) {
			images = false
			break
		}
	}
	if images {
		return &folderSource{dir: dir, files: all, images: true, schema: imageSchema}, nil
	}
	return openTextFolder(dir, "", true)
}

// listFolder walks dir and returns the relative, slash-separated paths of
// the regular files whose base names keep accepts, sorted.
func listFolder(dir string, keep func(name string) bool) ([]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, errs.New(errs.BadPath, "%s: %v", dir, unwrapPathErr(err))
	}
	if !fi.IsDir() {
		return nil, errs.New(errs.BadPath, "%s is not a directory", dir)
	}
	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		if !keep(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, errs.New(errs.BadPath, "%s: %v", dir, err)
	}
	sort.Strings(files)
	return files, nil
}

type folderSource struct {
	dir    string
	files  []string
	images bool
	schema *arrow.Schema
}

func (s *folderSource) Schema() *arrow.Schema { return s.schema }

func (s *folderSource) RowCount() int64 { return int64(len(s.files)) }

func (s *folderSource) Scan(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	bld := newRowBuilder(mem, s.schema)
	i := 0
	next := func() (arrow.RecordBatch, error) {
		for i < len(s.files) && !bld.full() {
			rel := s.files[i]
			i++
			full := filepath.Join(s.dir, filepath.FromSlash(rel))
			data, err := readSmallFile(full)
			if err != nil {
				return nil, err
			}
			bld.b.Field(0).(*array.StringBuilder).Append(rel)
			bld.b.Field(1).(*array.StringBuilder).Append(filepath.Base(full))
			if s.images {
				bld.b.Field(2).(*array.BinaryBuilder).Append(data)
				bld.b.Field(3).(*array.StringBuilder).Append(imageMIME[strings.ToLower(filepath.Ext(rel))])
			} else {
				bld.b.Field(2).(*array.StringBuilder).Append(strings.ToValidUTF8(string(data), "\uFFFD"))
			}
			bld.bytes += len(data)
			bld.rows++
		}
		return bld.finish(), nil
	}
	return newBatchReader(ctx, s.schema, next, bld.release), nil
}

func readSmallFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", path, unwrapPathErr(err))
	}
	if fi.Size() > maxFolderFileBytes {
		return nil, errs.New(errs.BadFile, "%s: file is %d bytes, more than the %d a folder table reads into one value",
			path, fi.Size(), maxFolderFileBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errs.New(errs.BadFile, "%s: %v", path, unwrapPathErr(err))
	}
	return data, nil
}
