// Package cache owns uqe's persistent response cache: model answers kept in
// a bbolt file (by default under the user's cache directory) so that a
// statement run again, by this or another uqe process, does not pay for
// the same rows twice. It implements llm.Cache.
//
// Several uqe processes may share one file. bbolt locks the file
// exclusively while it is open for writing, so the cache never keeps it
// open: every GetMany opens it read-only (readers share the lock) and every
// PutMany opens it read-write for one transaction, waiting for the lock
// with a timeout and retrying.
package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/uqe-dev/uqe/internal/boltfile"
	bolt "go.etcd.io/bbolt"
)

// bucket holds the entries; its name is the layout version of the values.
var bucket = []byte("v1")

// The value layout: one version byte, the creation time (Unix seconds,
// big-endian int64), then the payload.
const (
	valueVersion = 1
	headerLen    = 9
)

// Cache is a persistent llm.Cache. Safe for concurrent use by goroutines
// and by processes sharing the file.
type Cache struct {
	path string
	file *boltfile.File
	// now is the clock for created-at stamps (tests may replace it).
	now func() time.Time
}

// DefaultPath is the default cache file: uqe/responses.db under the user's
// cache directory (os.UserCacheDir), or under the temporary directory if
// there is none.
func DefaultPath() string {
	dir, err := os.UserCacheDir()
	if err != nil || dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "uqe", "responses.db")
}

// Open opens (creating if needed) the cache file at path. It fails if the
// file cannot be created or is not a valid cache; the caller should then
// run without a cache.
func Open(path string) (*Cache, error) {
	if path == "" {
		return nil, errors.New("cache: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	c := &Cache{path: path, file: &boltfile.File{Path: path}, now: time.Now}
	err := c.update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Path is the cache file.
func (c *Cache) Path() string { return c.path }

// Close releases the cache. The file is only open during GetMany and
// PutMany, so there is nothing to release; Close exists so that callers
// need not know that.
func (c *Cache) Close() error { return nil }

func (c *Cache) update(f func(*bolt.Tx) error) error {
	if err := c.file.Update(f); err != nil {
		return fmt.Errorf("cache %s: %w", c.path, err)
	}
	return nil
}

func (c *Cache) view(f func(*bolt.Tx) error) error {
	if err := c.file.View(f); err != nil {
		return fmt.Errorf("cache %s: %w", c.path, err)
	}
	return nil
}

// GetMany returns the payloads stored under keys (absent keys are absent
// from the map).
func (c *Cache) GetMany(keys []string) (map[string][]byte, error) {
	out := make(map[string][]byte)
	if len(keys) == 0 {
		return out, nil
	}
	err := c.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		for _, k := range keys {
			v := b.Get([]byte(k))
			if len(v) < headerLen || v[0] != valueVersion {
				continue
			}
			// copy: v is only valid inside the transaction
			out[k] = append([]byte(nil), v[headerLen:]...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PutMany stores entries (in one transaction), each stamped with the time
// it was created.
func (c *Cache) PutMany(entries map[string][]byte) error {
	if len(entries) == 0 {
		return nil
	}
	var hdr [headerLen]byte
	hdr[0] = valueVersion
	binary.BigEndian.PutUint64(hdr[1:], uint64(c.now().Unix()))
	return c.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return err
		}
		for k, v := range entries {
			val := make([]byte, 0, headerLen+len(v))
			val = append(append(val, hdr[:]...), v...)
			if err := b.Put([]byte(k), val); err != nil {
				return err
			}
		}
		return nil
	})
}

// Created returns when the entry under key was stored.
func (c *Cache) Created(key string) (t time.Time, ok bool, err error) {
	err = c.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(key))
		if len(v) < headerLen || v[0] != valueVersion {
			return nil
		}
		t, ok = time.Unix(int64(binary.BigEndian.Uint64(v[1:headerLen])), 0), true
		return nil
	})
	return t, ok, err
}

// Stats returns the number of entries and the size of the file in bytes
// (zeros if the file cannot be read).
func (c *Cache) Stats() (entries int, bytes int64) {
	err := c.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucket); b != nil {
			entries = b.Stats().KeyN
		}
		bytes = tx.Size()
		return nil
	})
	if err != nil {
		return 0, 0
	}
	return entries, bytes
}

// Clear removes every entry (the file keeps its size; bbolt reuses the
// pages).
func (c *Cache) Clear() error {
	return c.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucket) != nil {
			if err := tx.DeleteBucket(bucket); err != nil {
				return err
			}
		}
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	})
}
