// Command uqe-slt runs sqllogictest files (SQLite's format, see
// testdata/sqllogictest/about.wiki) through a database/sql driver, uqe's by
// default, and prints a summary line per file, the first failures, and a
// total line.
//
//	go run ./cmd/uqe-slt [-driver uqe] [-dsn :memory:] [-skip testdata/sqllogictest/skip.txt] [-n 10] files...
//
// Every file runs on a fresh database opened with -driver and -dsn. The exit
// status is 0 when every record passed, 1 when some failed, 2 on a usage or
// file error.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	_ "github.com/uqe-dev/uqe/driver"
	"github.com/uqe-dev/uqe/sqllogictest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("uqe-slt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	driverName := fs.String("driver", "uqe", "database/sql driver name")
	dsn := fs.String("dsn", ":memory:", "data source name, opened afresh for every file")
	engine := fs.String("engine", "sqlite", "engine name for skipif/onlyif")
	skipPath := fs.String("skip", "", "skip list (file.test:LINE  reason per line), e.g. testdata/sqllogictest/skip.txt")
	maxFail := fs.Int("n", 10, "show at most this many failures in all")
	timeout := fs.Duration("timeout", time.Minute, "per-record timeout (0: none)")
	slowest := fs.Int("slowest", 0, "also print the N slowest records with their times")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: uqe-slt [flags] files...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	opts := sqllogictest.Options{Engine: *engine, Timeout: *timeout}
	type timed struct {
		key string
		d   time.Duration
	}
	var times []timed
	var current string
	if *slowest > 0 {
		opts.Observe = func(rec *sqllogictest.Record, d time.Duration) {
			times = append(times, timed{sqllogictest.Key(current, rec.Line), d})
		}
	}
	if *skipPath != "" {
		skip, err := sqllogictest.ReadList(*skipPath)
		if err != nil {
			fmt.Fprintln(stderr, "uqe-slt:", err)
			return 2
		}
		opts.Skip = skip
	}

	var total sqllogictest.Result
	total.File = "total"
	shown, status := 0, 0
	for _, path := range fs.Args() {
		current = filepath.Base(path)
		res, err := runFile(*driverName, *dsn, path, opts)
		if err != nil {
			fmt.Fprintf(stderr, "uqe-slt: %s: %v\n", path, err)
			status = 2
			if res == nil {
				continue
			}
		}
		fmt.Fprintf(stdout, "%s  (%v)\n", res, res.Elapsed.Round(time.Millisecond))
		for _, f := range res.Failures {
			if shown == *maxFail {
				break
			}
			fmt.Fprintf(stdout, "  %s\n", indent(f.String()))
			shown++
		}
		total.Passed += res.Passed
		total.Failed += res.Failed
		total.Skipped += res.Skipped
		total.Elapsed += res.Elapsed
	}
	if total.Failed > shown {
		fmt.Fprintf(stdout, "(%d more failures not shown; -n raises the limit)\n", total.Failed-shown)
	}
	fmt.Fprintln(stdout, &total)
	if *slowest > 0 {
		sort.Slice(times, func(i, j int) bool { return times[i].d > times[j].d })
		for i := 0; i < *slowest && i < len(times); i++ {
			fmt.Fprintf(stdout, "slow: %s %v\n", times[i].key, times[i].d.Round(time.Microsecond))
		}
	}
	if status == 0 && total.Failed > 0 {
		status = 1
	}
	return status
}

func runFile(driverName, dsn, path string, opts sqllogictest.Options) (*sqllogictest.Result, error) {
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return sqllogictest.RunFile(context.Background(), db, path, opts)
}

func indent(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, s[i])
		if s[i] == '\n' {
			out = append(out, ' ', ' ')
		}
	}
	return string(out)
}
