package catalog

import (
	"sort"
	"strings"
	"sync"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/errs"
)

// Table is a named table: a Source plus, for tables created by SQL, the
// MemTable that owns its rows.
type Table struct {
	Name   string
	Source Source
	Mem    *MemTable // nil for file-backed tables (read-only)
	Path   string    // for file-backed tables
}

// View is a named query, bound anew at each use.
type View struct {
	Name    string
	Columns []string
	Query   *ast.Query
	SQL     string
}

// Index is a named index. Indexes are recorded (so that DROP INDEX and
// IF NOT EXISTS behave) but the executor does not use them yet: every
// access path is a scan.
type Index struct {
	Name    string
	Table   string
	Columns []string
	Unique  bool
}

// Catalog holds the objects of one database. It is safe for concurrent use.
type Catalog struct {
	mu      sync.RWMutex
	tables  map[string]*Table
	views   map[string]*View
	indexes map[string]*Index
}

// New returns an empty catalog.
func New() *Catalog {
	return &Catalog{tables: map[string]*Table{}, views: map[string]*View{}, indexes: map[string]*Index{}}
}

func key(name string) string { return strings.ToLower(name) }

// Table looks up a table by name (case-insensitive).
func (c *Catalog) Table(name string) (*Table, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t, ok := c.tables[key(name)]
	return t, ok
}

// View looks up a view by name.
func (c *Catalog) View(name string) (*View, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.views[key(name)]
	return v, ok
}

// Index looks up an index by name.
func (c *Catalog) Index(name string) (*Index, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.indexes[key(name)]
	return v, ok
}

func (c *Catalog) existsLocked(name string) bool {
	k := key(name)
	_, t := c.tables[k]
	_, v := c.views[k]
	return t || v
}

// AddTable registers a table; it fails if a table or view has the name.
func (c *Catalog) AddTable(t *Table) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.existsLocked(t.Name) {
		return errs.New(errs.DuplicateObject, "table %s already exists", t.Name)
	}
	c.tables[key(t.Name)] = t
	return nil
}

// AddView registers a view.
func (c *Catalog) AddView(v *View) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.existsLocked(v.Name) {
		return errs.New(errs.DuplicateObject, "view %s already exists", v.Name)
	}
	c.views[key(v.Name)] = v
	return nil
}

// AddIndex registers an index.
func (c *Catalog) AddIndex(ix *Index) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.indexes[key(ix.Name)]; ok {
		return errs.New(errs.DuplicateObject, "index %s already exists", ix.Name)
	}
	c.indexes[key(ix.Name)] = ix
	return nil
}

// DropTable removes a table and its indexes.
func (c *Catalog) DropTable(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := key(name)
	if _, ok := c.tables[k]; !ok {
		return false
	}
	delete(c.tables, k)
	for n, ix := range c.indexes {
		if key(ix.Table) == k {
			delete(c.indexes, n)
		}
	}
	return true
}

// DropView removes a view.
func (c *Catalog) DropView(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := key(name)
	if _, ok := c.views[k]; !ok {
		return false
	}
	delete(c.views, k)
	return true
}

// DropIndex removes an index.
func (c *Catalog) DropIndex(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := key(name)
	if _, ok := c.indexes[k]; !ok {
		return false
	}
	delete(c.indexes, k)
	return true
}

// TableNames lists tables and views, sorted.
func (c *Catalog) TableNames() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for _, t := range c.tables {
		out = append(out, t.Name)
	}
	for _, v := range c.views {
		out = append(out, v.Name)
	}
	sort.Strings(out)
	return out
}
