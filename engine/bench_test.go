package engine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uqe-dev/uqe/parser"
)

// writeCSV writes a CSV of n rows: id, grp (0..99), x (int), note (text).
func writeCSV(tb testing.TB, path string, n int) int64 {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "id,grp,x,note")
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "%d,%d,%d,\"row %d of the benchmark table, with some words\"\n", i, i%100, (i*7919)%1000, i)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	fi, _ := f.Stat()
	f.Close()
	return fi.Size()
}

// BenchmarkScanFilterAggregate measures a streaming scan-filter-aggregate
// over a CSV file and reports the peak Go heap while it runs: the peak must
// not grow with the file (bounded memory). Rows: UQE_BENCH_ROWS (default
// 1,000,000; docs/testing.md records a run with 20,000,000, a 1.4 GB file).
func BenchmarkScanFilterAggregate(b *testing.B) {
	rows := 1_000_000
	if s := os.Getenv("UQE_BENCH_ROWS"); s != "" {
		fmt.Sscan(s, &rows)
	}
	path := filepath.Join(b.TempDir(), "big.csv")
	size := writeCSV(b, path, rows)
	stmts, err := parser.Parse("", "SELECT grp, COUNT(*), SUM(x), AVG(x) FROM big WHERE x > 500 AND note LIKE '%words%' GROUP BY grp")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ResetTimer()
	var peak atomic.Uint64
	for i := 0; i < b.N; i++ {
		db, _ := Open(Options{})
		if err := db.Register("big", path); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak.Load() {
					peak.Store(ms.HeapAlloc)
				}
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		res, err := db.NewSession().Exec(context.Background(), stmts[0], nil)
		if err != nil {
			b.Fatal(err)
		}
		n := int64(0)
		for {
			rec, err := res.Next()
			if err != nil {
				b.Fatal(err)
			}
			if rec == nil {
				break
			}
			n += rec.NumRows()
			rec.Release()
		}
		res.Close()
		close(stop)
		wg.Wait()
		if n != 100 {
			b.Fatalf("got %d groups, want 100", n)
		}
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}
