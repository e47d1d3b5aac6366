package index

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uqe-dev/uqe/embed"
	"github.com/uqe-dev/uqe/errs"
)

// counting is an embedder defined for these tests: it delegates to the
// real hash embedder and records every text it is asked to embed.
type counting struct {
	name  string
	inner *embed.Hash
	mu    sync.Mutex
	seen  []string
	// onCall, if set, runs before each call (with the call's number, from 1).
	onCall func(n int)
	calls  int
}

func newCounting(name string) *counting {
	return &counting{name: name, inner: embed.NewHash(64)}
}

func (c *counting) Name() string { return c.name }
func (c *counting) Dim() int     { return 64 }
func (c *counting) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.mu.Lock()
	c.calls++
	n := c.calls
	c.seen = append(c.seen, texts...)
	c.mu.Unlock()
	if c.onCall != nil {
		c.onCall(n)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.inner.Embed(ctx, texts)
}

func (c *counting) computed() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.seen)
}

func (c *counting) reset() {
	c.mu.Lock()
	c.seen = nil
	c.mu.Unlock()
}

func texts(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s row %d about refunds and cards", prefix, i)
	}
	return out
}

func openTemp(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "sub", "embeddings.db"))
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestSecondEmbedComputesNothing(t *testing.T) {
	ix := openTemp(t)
	e := newCounting("fake")
	in := texts("a", 150)
	first, err := ix.Embed(context.Background(), e, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(e.computed()); got != 150 {
		t.Fatalf("first Embed computed %d texts, want 150", got)
	}
	e.reset()
	second, err := ix.Embed(context.Background(), e, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.computed(); len(got) != 0 {
		t.Fatalf("second Embed computed %d texts, want 0", len(got))
	}
	for i := range first {
		if !slices.Equal(first[i], second[i]) {
			t.Fatalf("row %d: cached vector differs from computed one", i)
		}
	}
	want, _ := e.inner.Embed(context.Background(), in)
	for i := range want {
		if !slices.Equal(want[i], second[i]) {
			t.Fatalf("row %d: vector differs from the embedder's", i)
		}
	}
	if st := ix.Stats(); st["fake"] != 150 {
		t.Fatalf("Stats = %v, want fake:150", st)
	}
}

func TestChangedTextRecomputedAndDuplicatesOnce(t *testing.T) {
	ix := openTemp(t)
	e := newCounting("fake")
	in := texts("b", 10)
	if _, err := ix.Embed(context.Background(), e, in, nil); err != nil {
		t.Fatal(err)
	}
	e.reset()
	edited := slices.Clone(in)
	edited[3] = "an edited row"
	edited = append(edited, "new text", "new text", in[0])
	out, err := ix.Embed(context.Background(), e, edited, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := e.computed()
	slices.Sort(got)
	if want := []string{"an edited row", "new text"}; !slices.Equal(got, want) {
		t.Fatalf("computed %q, want %q", got, want)
	}
	if len(out) != len(edited) || !slices.Equal(out[10], out[11]) || !slices.Equal(out[0], out[12]) {
		t.Fatal("duplicate texts got different vectors")
	}
}

func TestEmbeddersAreSeparate(t *testing.T) {
	ix := openTemp(t)
	a, b := newCounting("one"), newCounting("two")
	in := texts("c", 5)
	for _, e := range []*counting{a, b} {
		if _, err := ix.Embed(context.Background(), e, in, nil); err != nil {
			t.Fatal(err)
		}
		if got := len(e.computed()); got != 5 {
			t.Fatalf("%s computed %d, want 5", e.name, got)
		}
	}
	st := ix.Stats()
	if st["one"] != 5 || st["two"] != 5 || len(st) != 2 {
		t.Fatalf("Stats = %v", st)
	}
	if err := ix.Clear("one"); err != nil {
		t.Fatal(err)
	}
	if st := ix.Stats(); st["one"] != 0 || st["two"] != 5 {
		t.Fatalf("after Clear(one): %v", st)
	}
}

func TestNilIndexComputes(t *testing.T) {
	var ix *Index
	e := newCounting("fake")
	out, err := ix.Embed(context.Background(), e, []string{"x y", "x y", "z"}, nil)
	if err != nil || len(out) != 3 {
		t.Fatal(out, err)
	}
	if got := len(e.computed()); got != 2 {
		t.Fatalf("computed %d, want 2", got)
	}
}

func TestProgressFromEmbed(t *testing.T) {
	ix := openTemp(t)
	e := newCounting("fake")
	var calls [][2]int
	if _, err := ix.Embed(context.Background(), e, texts("p", 130), func(d, n int) { calls = append(calls, [2]int{d, n}) }); err != nil {
		t.Fatal(err)
	}
	want := [][2]int{{0, 130}, {64, 130}, {128, 130}, {130, 130}}
	if !slices.Equal(calls, want) {
		t.Fatalf("progress calls %v, want %v", calls, want)
	}
	calls = nil
	if _, err := ix.Embed(context.Background(), e, texts("p", 130), func(d, n int) { calls = append(calls, [2]int{d, n}) }); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 0 {
		t.Fatalf("a fully cached Embed reported progress %v", calls)
	}
}

func TestCancellation(t *testing.T) {
	ix := openTemp(t)
	e := newCounting("fake")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Embed(ctx, e, texts("d", 3), nil); errs.CodeOf(err) != errs.Cancelled {
		t.Fatalf("Embed with a cancelled context: %v, want code %s", err, errs.Cancelled)
	}
	if len(e.computed()) != 0 {
		t.Fatal("a cancelled Embed computed vectors")
	}

	// cancel during the second batch: the first batch is kept
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	e.onCall = func(n int) {
		if n == 2 {
			cancel()
		}
	}
	in := texts("d", 200)
	if _, err := ix.Embed(ctx, e, in, nil); errs.CodeOf(err) != errs.Cancelled {
		t.Fatalf("Embed cancelled mid-way: %v, want code %s", err, errs.Cancelled)
	}
	e.onCall = nil
	e.reset()
	if _, err := ix.Embed(context.Background(), e, in, nil); err != nil {
		t.Fatal(err)
	}
	if got := len(e.computed()); got != 200-BatchSize {
		t.Fatalf("after a cancelled run, computed %d, want %d (the first batch was kept)", got, 200-BatchSize)
	}
}

// TestSharedBetweenProcesses runs two copies of the test binary at once,
// each embedding an overlapping set of texts into the same file, then
// checks that this process finds every vector already there.
func TestSharedBetweenProcesses(t *testing.T) {
	if os.Getenv("UQE_INDEX_CHILD") != "" {
		return
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	if _, err := Open(path); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errsOut := make([]error, 2)
	for i, prefix := range []string{"p0", "p1"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), "UQE_INDEX_CHILD="+prefix, "UQE_INDEX_PATH="+path)
			outs[i], errsOut[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range outs {
		if errsOut[i] != nil {
			t.Fatalf("child %d: %v\n%s", i, errsOut[i], outs[i])
		}
		if !bytes.Contains(outs[i], []byte("CHILD-OK")) {
			t.Fatalf("child %d did not run:\n%s", i, outs[i])
		}
	}
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	e := newCounting("fake")
	all := append(append(texts("p0", 300), texts("p1", 300)...), texts("common", 100)...)
	if _, err := ix.Embed(context.Background(), e, all, nil); err != nil {
		t.Fatal(err)
	}
	if got := len(e.computed()); got != 0 {
		t.Fatalf("after two processes filled the index, computed %d texts, want 0", got)
	}
	if st := ix.Stats(); st["fake"] != 700 {
		t.Fatalf("Stats = %v, want fake:700", st)
	}
}

// TestChildProcess is the body of each child of TestSharedBetweenProcesses.
func TestChildProcess(t *testing.T) {
	prefix := os.Getenv("UQE_INDEX_CHILD")
	if prefix == "" {
		t.Skip("only run as a child of TestSharedBetweenProcesses")
	}
	ix, err := Open(os.Getenv("UQE_INDEX_PATH"))
	if err != nil {
		t.Fatal(err)
	}
	e := newCounting("fake")
	// small batches of work, so the two processes' reads and writes interleave
	own := append(texts(prefix, 300), texts("common", 100)...)
	for start := 0; start < len(own); start += 50 {
		if _, err := ix.Embed(context.Background(), e, own[start:start+50], nil); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("CHILD-OK")
}

func TestProgressBar(t *testing.T) {
	var small bytes.Buffer
	p := ProgressBar(&small, "x")
	p(0, 199)
	p(199, 199)
	if small.Len() != 0 {
		t.Fatalf("a bar for 199 items drew %q", small.String())
	}
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	p = progressBar(&buf, "embedding sms", func() time.Time { return now })
	for d := 0; d <= 1000; d += 10 {
		p(d, 1000)
		now = now.Add(30 * time.Millisecond)
	}
	p(1000, 1000) // after the end: nothing more
	s := buf.String()
	if !strings.HasPrefix(s, "\rembedding sms [") || !strings.HasSuffix(s, "] 100%  1000/1000\n") {
		t.Fatalf("bar output %q", s)
	}
	if strings.Count(s, "\n") != 1 {
		t.Fatalf("bar output has %d lines, want one: %q", strings.Count(s, "\n"), s)
	}
	// throttled: calls 30 ms apart draw every fourth (0, 120, ... 2880
	// ms: 25 draws) and the final one
	if n := strings.Count(s, "\r"); n != 26 {
		t.Fatalf("bar drew %d times for 101 calls 30 ms apart, want 26", n)
	}
	if got := progressLine("l", 50, 200); got != "l [#####...............]  25%  50/200" {
		t.Fatalf("progressLine = %q", got)
	}
}

func TestProgressBarNotTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := ProgressBar(f, "x")
	p(0, 1000)
	p(1000, 1000)
	if fi, _ := f.Stat(); fi.Size() != 0 {
		t.Fatalf("bar drew %d bytes into a regular file", fi.Size())
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(""); errs.CodeOf(err) != errs.Usage {
		t.Fatalf("Open(\"\"): %v", err)
	}
	bad := filepath.Join(t.TempDir(), "notbolt.db")
	if err := os.WriteFile(bad, bytes.Repeat([]byte("junk"), 2000), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(bad); errs.CodeOf(err) != errs.BadFile {
		t.Fatalf("Open(junk file): %v, want %s", err, errs.BadFile)
	}
}
