// Package boltfile owns the way uqe shares a bbolt file between processes
// (the response cache and the embedding index): the file is opened for one
// read or one write at a time, never for a process's lifetime, because
// bbolt locks the whole file while it is open for writing. Readers open it
// read-only, which bbolt lets several processes do at once.
package boltfile

import (
	"errors"
	"io/fs"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// LockTimeout is how long one open waits for another process's lock, and
// Attempts how many times an open that timed out is tried.
const (
	LockTimeout = 5 * time.Second
	Attempts    = 3
)

// File is a bbolt file opened per operation. Safe for concurrent use.
type File struct {
	Path string
	// mu serialises this process's own opens (readers share, a writer
	// excludes).
	mu sync.RWMutex
}

// open opens the file, retrying when the lock times out. Files are
// created 0600: cached answers and vectors can reveal users' data.
func (f *File) open(readOnly bool) (*bolt.DB, error) {
	// The freelist is synced (bbolt's default): with NoFreelistSync every
	// read-write open would rebuild it by scanning the whole file.
	opts := &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly}
	var err error
	for attempt := 0; attempt < Attempts; attempt++ {
		var db *bolt.DB
		db, err = bolt.Open(f.Path, 0o600, opts)
		if err == nil {
			return db, nil
		}
		if !errors.Is(err, bolt.ErrTimeout) {
			break
		}
	}
	return nil, err
}

// Update runs fn in a read-write transaction.
func (f *File) Update(fn func(*bolt.Tx) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	db, err := f.open(false)
	if err != nil {
		return err
	}
	err = db.Update(fn)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// View runs fn in a read-only transaction. A file removed behind our back
// reads as empty (the next Update recreates it).
func (f *File) View(fn func(*bolt.Tx) error) error {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if _, err := os.Stat(f.Path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := f.open(true)
	if err != nil {
		return err
	}
	err = db.View(fn)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}
