package cache_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/uqe-dev/uqe/llm"
	"github.com/uqe-dev/uqe/llm/cache"
	"github.com/uqe-dev/uqe/value"
)

var _ llm.Cache = (*cache.Cache)(nil)

func open(t *testing.T, path string) *cache.Cache {
	t.Helper()
	c, err := cache.Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "responses.db")
	c := open(t, path)
	before := time.Now().Add(-time.Second)
	if err := c.PutMany(map[string][]byte{"a": []byte(`{"v":true}`), "b": []byte(`{}`), "e": {}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetMany([]string{"a", "b", "e", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": `{"v":true}`, "b": `{}`, "e": ``}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %q", len(got), len(want), got)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || string(g) != v {
			t.Errorf("key %q: got %q (present %v), want %q", k, g, ok, v)
		}
	}
	created, ok, err := c.Created("a")
	if err != nil || !ok || created.Before(before.Truncate(time.Second)) || created.After(time.Now()) {
		t.Errorf("Created(a) = %v, %v, %v", created, ok, err)
	}
	if n, size := c.Stats(); n != 3 || size <= 0 {
		t.Errorf("Stats = %d entries, %d bytes", n, size)
	}
	// overwrite
	if err := c.PutMany(map[string][]byte{"a": []byte(`2`)}); err != nil {
		t.Fatal(err)
	}
	// a second Cache over the same file sees the entries
	c2 := open(t, path)
	got, err = c2.GetMany([]string{"a"})
	if err != nil || string(got["a"]) != "2" {
		t.Fatalf("reopened: %q, %v", got, err)
	}
	if err := c2.Clear(); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Stats(); n != 0 {
		t.Errorf("after Clear: %d entries", n)
	}
	got, err = c.GetMany([]string{"a", "b"})
	if err != nil || len(got) != 0 {
		t.Errorf("after Clear: %q, %v", got, err)
	}
}

func TestDefaultPath(t *testing.T) {
	p := cache.DefaultPath()
	if filepath.Base(p) != "responses.db" || filepath.Base(filepath.Dir(p)) != "uqe" {
		t.Errorf("DefaultPath = %s", p)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.db")
	garbage := make([]byte, 16384)
	for i := range garbage {
		garbage[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(corrupt, garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		corrupt,
		filepath.Join(notDir, "responses.db"), // parent is a file
		filepath.Join(notDir, "sub", "responses.db"), // cannot create the folder
		"",
	} {
		if c, err := cache.Open(path); err == nil {
			c.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

// writer writes rounds of keys prefix-r-i, and after each round reads back
// everything it wrote so far (a lost write fails) and some of the others'.
func writer(prefix string, path string, rounds, per int, others []string) error {
	c, err := cache.Open(path)
	if err != nil {
		return err
	}
	defer c.Close()
	var mine []string
	for r := 0; r < rounds; r++ {
		entries := map[string][]byte{}
		for i := 0; i < per; i++ {
			k := fmt.Sprintf("%s-%d-%d", prefix, r, i)
			entries[k] = []byte("value of " + k)
			mine = append(mine, k)
		}
		if err := c.PutMany(entries); err != nil {
			return fmt.Errorf("%s round %d: PutMany: %w", prefix, r, err)
		}
		got, err := c.GetMany(mine)
		if err != nil {
			return fmt.Errorf("%s round %d: GetMany: %w", prefix, r, err)
		}
		for _, k := range mine {
			if string(got[k]) != "value of "+k {
				return fmt.Errorf("%s round %d: key %s lost (got %q)", prefix, r, k, got[k])
			}
		}
		var theirs []string
		for _, o := range others {
			theirs = append(theirs, fmt.Sprintf("%s-%d-0", o, r))
		}
		got, err = c.GetMany(theirs)
		if err != nil {
			return fmt.Errorf("%s round %d: GetMany others: %w", prefix, r, err)
		}
		for k, v := range got {
			if string(v) != "value of "+k {
				return fmt.Errorf("%s: key %s has %q", prefix, k, v)
			}
		}
	}
	return nil
}

const (
	rounds = 25
	per    = 10
)

var writers = []string{"g0", "g1", "p0", "p1"}

// TestCacheChild is the body of a child process (run by the tests below
// with UQE_CACHE_CHILD=1); otherwise it is skipped.
func TestCacheChild(t *testing.T) {
	if os.Getenv("UQE_CACHE_CHILD") != "1" {
		t.Skip("only runs as a child process")
	}
	path := os.Getenv("UQE_CACHE_PATH")
	switch mode := os.Getenv("UQE_CACHE_MODE"); mode {
	case "write":
		prefix := os.Getenv("UQE_CACHE_PREFIX")
		if err := writer(prefix, path, rounds, per, writers); err != nil {
			t.Fatal(err)
		}
	case "read":
		c, err := cache.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.GetMany([]string{os.Getenv("UQE_CACHE_KEY")})
		if err != nil {
			t.Fatal(err)
		}
		if v := string(got[os.Getenv("UQE_CACHE_KEY")]); v != os.Getenv("UQE_CACHE_WANT") {
			t.Fatalf("child read %q, want %q", v, os.Getenv("UQE_CACHE_WANT"))
		}
	case "put":
		c, err := cache.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.PutMany(map[string][]byte{os.Getenv("UQE_CACHE_KEY"): []byte(os.Getenv("UQE_CACHE_WANT"))}); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("unknown mode %q", mode)
	}
}

func child(path string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCacheChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{"UQE_CACHE_CHILD=1", "UQE_CACHE_PATH=" + path}, env...)...)
	return cmd
}

func TestConcurrentProcessesAndGoroutines(t *testing.T) {
	if os.Getenv("UQE_CACHE_CHILD") == "1" {
		t.Skip()
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	open(t, path) // create it
	var wg sync.WaitGroup
	errc := make(chan error, len(writers))
	for _, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w[0] == 'g' {
				errc <- writer(w, path, rounds, per, writers)
				return
			}
			out, err := child(path, "UQE_CACHE_MODE=write", "UQE_CACHE_PREFIX="+w).CombinedOutput()
			if err != nil {
				err = fmt.Errorf("child %s: %v\n%s", w, err, out)
			}
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Error(err)
		}
	}
	// every write of every writer is there
	c := open(t, path)
	var keys []string
	for _, w := range writers {
		for r := 0; r < rounds; r++ {
			for i := 0; i < per; i++ {
				keys = append(keys, w+"-"+strconv.Itoa(r)+"-"+strconv.Itoa(i))
			}
		}
	}
	got, err := c.GetMany(keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if string(got[k]) != "value of "+k {
			t.Errorf("key %s: %q", k, got[k])
		}
	}
	if n, _ := c.Stats(); n != len(keys) {
		t.Errorf("Stats: %d entries, want %d", n, len(keys))
	}
}

func TestAnotherProcessReadsAndWrites(t *testing.T) {
	if os.Getenv("UQE_CACHE_CHILD") == "1" {
		t.Skip()
	}
	path := filepath.Join(t.TempDir(), "x.db")
	c := open(t, path)
	if err := c.PutMany(map[string][]byte{"k1": []byte("from parent")}); err != nil {
		t.Fatal(err)
	}
	if out, err := child(path, "UQE_CACHE_MODE=read", "UQE_CACHE_KEY=k1", "UQE_CACHE_WANT=from parent").CombinedOutput(); err != nil {
		t.Fatalf("child read: %v\n%s", err, out)
	}
	// the check must be able to fail: a wrong expectation fails the child
	if _, err := child(path, "UQE_CACHE_MODE=read", "UQE_CACHE_KEY=k1", "UQE_CACHE_WANT=something else").CombinedOutput(); err == nil {
		t.Fatal("child with a wrong expectation succeeded")
	}
	if out, err := child(path, "UQE_CACHE_MODE=put", "UQE_CACHE_KEY=k2", "UQE_CACHE_WANT=from child").CombinedOutput(); err != nil {
		t.Fatalf("child put: %v\n%s", err, out)
	}
	got, err := c.GetMany([]string{"k2"})
	if err != nil || string(got["k2"]) != "from child" {
		t.Fatalf("parent read %q, %v", got, err)
	}
}

// echo is a minimal backend: a row is positive when its text is odd.
type echo struct{ calls int }

func (e *echo) Name() string  { return "echo" }
func (e *echo) MaxBatch() int { return 8 }
func (e *echo) Judge(ctx context.Context, preds []string, rows []llm.Row) ([][]llm.Verdict, llm.Usage, error) {
	e.calls++
	out := make([][]llm.Verdict, len(rows))
	for i, r := range rows {
		n, _ := strconv.Atoi(r.Fields[0].Text)
		for range preds {
			out[i] = append(out[i], llm.Verdict{Value: n%2 == 1, Prob: 1})
		}
	}
	return out, llm.Usage{Calls: 1, RowsJudged: int64(len(rows))}, nil
}
func (e *echo) Extract(context.Context, []llm.Attr, []llm.Row) ([][]value.Value, llm.Usage, error) {
	return nil, llm.Usage{}, fmt.Errorf("not supported")
}
func (e *echo) Taxonomy(context.Context, string, []llm.Row, int) ([]string, llm.Usage, error) {
	return nil, llm.Usage{}, fmt.Errorf("not supported")
}
func (e *echo) Score(context.Context, string, []llm.Row) ([]float64, llm.Usage, error) {
	return nil, llm.Usage{}, fmt.Errorf("not supported")
}
func (e *echo) Compare(context.Context, string, llm.Row, llm.Row) (float64, llm.Usage, error) {
	return 0, llm.Usage{}, fmt.Errorf("not supported")
}
func (e *echo) Price() (float64, float64) { return 0, 0 }

// A cache file that breaks after Open (here: overwritten with garbage)
// degrades the Client to no cache, with one warning, and queries succeed.
func TestBrokenCacheDegrades(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	c := open(t, path)
	garbage := make([]byte, 16384)
	for i := range garbage {
		garbage[i] = byte(i*13 + 1)
	}
	if err := os.WriteFile(path, garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	var warnings []error
	be := &echo{}
	cl := llm.NewClient(be, llm.Options{Cache: c, Concurrency: 1, Warn: func(err error) { warnings = append(warnings, err) }})
	rows := make([]llm.Row, 20)
	for i := range rows {
		rows[i] = llm.Row{Fields: []llm.Field{{Name: "n", Text: strconv.Itoa(i)}}}
	}
	for round := 0; round < 2; round++ {
		out, err := cl.Judge(context.Background(), []string{"odd"}, rows)
		if err != nil {
			t.Fatalf("Judge with a broken cache: %v", err)
		}
		for i := range rows {
			if out[i][0].Value != (i%2 == 1) {
				t.Fatalf("row %d: %v", i, out[i][0])
			}
		}
	}
	if len(warnings) != 1 {
		t.Errorf("got %d warnings, want 1: %v", len(warnings), warnings)
	}
	if be.calls != 6 { // 20 rows in batches of 8, twice: nothing was cached
		t.Errorf("backend calls = %d, want 6", be.calls)
	}
}
