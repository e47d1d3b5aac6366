// Package index owns uqe's persistent embedding index: vectors computed by
// an embed.Embedder, kept in a bbolt file keyed by the embedder's Name()
// and the SHA-256 of the text, so that a text is embedded once, ever, per
// embedder, by any uqe process on the machine. An edited text has a new
// hash and is embedded again; an unchanged one never is.
//
// Layout: one bucket per embedder, named "e1:" + Name(); in it the key is
// the 32-byte SHA-256 of the text and the value the vector as float32
// little-endian (4 bytes per dimension). float32 is kept rather than
// float16: it is exact (a cached vector is bit-identical to a computed
// one, so results do not depend on whether the index was warm), and at
// 2 KiB per 512-d vector a 100,000-row table costs 200 MiB, which a cache
// directory can afford.
//
// Like the response cache (llm/cache), the index never keeps the file open:
// each batch of reads opens it read-only (readers share bbolt's file lock)
// and each batch of writes opens it read-write for one transaction, so
// several uqe processes can share one file.
package index

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/internal/boltfile"
	bolt "go.etcd.io/bbolt"
)

// bucketPrefix starts the name of every embedder's bucket; its digit is
// the layout version of the values.
const bucketPrefix = "e1:"

// BatchSize is how many texts one call to the embedder carries.
const BatchSize = 64

// flushEvery and flushAfter bound the vectors computed but not yet
// written: a cancelled Embed loses at most this much work.
const (
	flushEvery = 2048
	flushAfter = 2 * time.Second
)

// Index is a persistent embedding index. Safe for concurrent use by
// goroutines and by processes sharing the file. A nil *Index is valid: its
// Embed computes every vector and stores nothing.
type Index struct {
	path string
	file *boltfile.File
}

// DefaultPath is the default index file: uqe/embeddings.db under the
// user's cache directory (beside the response cache), or under the
// temporary directory if there is none.
func DefaultPath() string {
	dir, err := os.UserCacheDir()
	if err != nil || dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "uqe", "embeddings.db")
}

// Open opens (creating if needed) the index file at path.
func Open(path string) (*Index, error) {
	if path == "" {
		return nil, errs.New(errs.Usage, "index: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, errs.Wrap(err, errs.BadPath, "index: %v", err)
	}
	ix := &Index{path: path, file: &boltfile.File{Path: path}}
	// create the file (and check it is a bbolt file)
	if err := ix.update(func(*bolt.Tx) error { return nil }); err != nil {
		return nil, err
	}
	return ix, nil
}

// Path is the index file.
func (ix *Index) Path() string { return ix.path }

// Close releases the index. The file is only open during reads and
// writes, so there is nothing to release.
func (ix *Index) Close() error { return nil }

func (ix *Index) update(f func(*bolt.Tx) error) error {
	if err := ix.file.Update(f); err != nil {
		return errs.Wrap(err, errs.BadFile, "index %s: %v", ix.path, err)
	}
	return nil
}

func (ix *Index) view(f func(*bolt.Tx) error) error {
	if err := ix.file.View(f); err != nil {
		return errs.Wrap(err, errs.BadFile, "index %s: %v", ix.path, err)
	}
	return nil
}

func bucketName(e embed.Embedder) []byte { return []byte(bucketPrefix + e.Name()) }

// Key is the index key of a text: its SHA-256.
func Key(text string) [32]byte { return sha256.Sum256([]byte(text)) }

func encode(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func decode(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

// Embed returns the vector of every text under e, in order: vectors in
// the index are read, the others computed through e (BatchSize texts per
// call; identical texts once) and stored. progress, if not nil, is called
// with the number of distinct texts computed so far and the number to
// compute (never when every vector was in the index). The returned vectors
// may share storage between identical texts; callers must not modify them.
// Cancelling ctx stops between batches with an errs.Cancelled error; the
// vectors computed until then are kept.
func (ix *Index) Embed(ctx context.Context, e embed.Embedder, texts []string, progress func(done, total int)) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, errs.Wrap(err, errs.Cancelled, "index: %v", err)
	}
	out := make([][]float32, len(texts))
	if len(texts) == 0 {
		return out, nil
	}
	// distinct texts, first occurrence order
	pos := make(map[string][]int, len(texts))
	var uniq []string
	for i, t := range texts {
		if _, ok := pos[t]; !ok {
			uniq = append(uniq, t)
		}
		pos[t] = append(pos[t], i)
	}
	keys := make([][32]byte, len(uniq))
	for i, t := range uniq {
		keys[i] = Key(t)
	}
	vecs := make([][]float32, len(uniq))
	dim := e.Dim()
	if ix != nil {
		bucket := bucketName(e)
		err := ix.view(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucket)
			if b == nil {
				return nil
			}
			for i := range uniq {
				v := b.Get(keys[i][:])
				if v == nil || len(v)%4 != 0 || (dim > 0 && len(v) != 4*dim) {
					continue
				}
				vecs[i] = decode(v)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var missing []int
	for i, v := range vecs {
		if v == nil {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		if err := ix.compute(ctx, e, uniq, keys, vecs, missing, progress); err != nil {
			return nil, err
		}
	}
	for i, t := range uniq {
		for _, j := range pos[t] {
			out[j] = vecs[i]
		}
	}
	return out, nil
}

// compute embeds uniq[missing] in batches into vecs, storing them.
func (ix *Index) compute(ctx context.Context, e embed.Embedder, uniq []string, keys [][32]byte, vecs [][]float32, missing []int, progress func(done, total int)) error {
	total := len(missing)
	var pending []int // computed, not yet stored
	lastFlush := time.Now()
	flush := func() error {
		if ix == nil || len(pending) == 0 {
			pending = pending[:0]
			return nil
		}
		bucket := bucketName(e)
		err := ix.update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(bucket)
			if err != nil {
				return err
			}
			for _, i := range pending {
				if err := b.Put(keys[i][:], encode(vecs[i])); err != nil {
					return err
				}
			}
			return nil
		})
		pending = pending[:0]
		lastFlush = time.Now()
		return err
	}
	if progress != nil {
		progress(0, total)
	}
	batch := make([]string, 0, BatchSize)
	for start := 0; start < total; start += BatchSize {
		if err := ctx.Err(); err != nil {
			if ferr := flush(); ferr != nil {
				return ferr
			}
			return errs.Wrap(err, errs.Cancelled, "index: %v", err)
		}
		end := min(start+BatchSize, total)
		batch = batch[:0]
		for _, i := range missing[start:end] {
			batch = append(batch, uniq[i])
		}
		got, err := e.Embed(ctx, batch)
		if err != nil {
			if ferr := flush(); ferr != nil {
				return ferr
			}
			if errs.CodeOf(err) == "" && ctx.Err() != nil {
				return errs.Wrap(err, errs.Cancelled, "index: %v", err)
			}
			return err
		}
		if len(got) != len(batch) {
			return errs.New(errs.Internal, "index: embedder %s returned %d vectors for %d texts", e.Name(), len(got), len(batch))
		}
		for k, i := range missing[start:end] {
			vecs[i] = got[k]
			pending = append(pending, i)
		}
		if len(pending) >= flushEvery || time.Since(lastFlush) >= flushAfter {
			if err := flush(); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(end, total)
		}
	}
	return flush()
}

// Stats returns the number of vectors stored per embedder name (empty if
// the file cannot be read).
func (ix *Index) Stats() (entries map[string]int) {
	entries = make(map[string]int)
	if ix == nil {
		return entries
	}
	err := ix.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if n, ok := strings.CutPrefix(string(name), bucketPrefix); ok {
				entries[n] = b.Stats().KeyN
			}
			return nil
		})
	})
	if err != nil {
		return map[string]int{}
	}
	return entries
}

// Clear removes every vector of the embedder named name ("" for all).
func (ix *Index) Clear(name string) error {
	if ix == nil {
		return nil
	}
	return ix.update(func(tx *bolt.Tx) error {
		var names [][]byte
		err := tx.ForEach(func(n []byte, _ *bolt.Bucket) error {
			if s, ok := strings.CutPrefix(string(n), bucketPrefix); ok && (name == "" || s == name) {
				names = append(names, append([]byte(nil), n...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, n := range names {
			if err := tx.DeleteBucket(n); err != nil {
				return fmt.Errorf("delete %s: %w", n, err)
			}
		}
		return nil
	})
}
