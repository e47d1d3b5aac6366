// Command uqe runs UQL (SQL with natural-language expressions) over files
// and folders: scripts, -c statements, or an interactive shell (DESIGN §4).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/uqe-dev/uqe/engine"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/format"
	"github.com/uqe-dev/uqe/repl"
)

// Exit codes (contract).
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
	exitBudget = 3
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ";") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

// step is one -c or -f argument, kept in command-line order.
type step struct {
	sql  string
	file string
}

type steps []step

type stepFlag struct {
	s    *steps
	file bool
}

func (f stepFlag) String() string { return "" }
func (f stepFlag) Set(v string) error {
	if f.file {
		*f.s = append(*f.s, step{file: v})
	} else {
		*f.s = append(*f.s, step{sql: v})
	}
	return nil
}

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("uqe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var st steps
	var tables multi
	fs.Var(stepFlag{&st, false}, "c", "run `SQL`, then exit (repeatable, in order)")
	fs.Var(stepFlag{&st, true}, "f", "run a script `FILE`; - reads standard input")
	fs.Var(&tables, "table", "register a file or folder as a table: `NAME=PATH` (repeatable)")
	mode := fs.String("format", "box", "output `MODE`: "+strings.Join(format.Modes(), " | "))
	llm := fs.String("llm", "", "model backend `SPEC`: openai | local | sim:PATH")
	model := fs.String("model", "", "model `NAME` for the openai backend")
	embed := fs.String("embed", "", "embedder `SPEC`: use | hash | openai")
	budget := fs.String("budget", "", "rows the model may judge per statement (`N`; 0 = no limit; default "+strconv.Itoa(engine.DefaultBudget)+")")
	seed := fs.String("seed", "", "the seed setting (`N`)")
	cache := fs.String("cache", "", "response cache `PATH` or off")
	stats := fs.String("stats", "", "append one JSON object per statement to `FILE` (- is standard error)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: uqe [flags] [SCRIPT.uql ...]\n\n")
		fs.PrintDefaults()
	}
	// Flags may follow script names (uqe a.uql --stats -): parse, take one
	// positional argument, and continue.
	var scripts []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		scripts = append(scripts, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if _, err := format.New(*mode, io.Discard, format.Options{}); err != nil {
		fmt.Fprintln(stderr, "uqe:", err)
		return exitUsage
	}
	settings := map[string]string{}
	for k, v := range map[string]string{"llm": *llm, "model": *model, "embed": *embed, "budget": *budget, "seed": *seed} {
		if v != "" {
			settings[k] = v
		}
	}
	db, err := engine.Open(engine.Options{Settings: settings, Stderr: stderr, Cache: *cache})
	if err != nil {
		fmt.Fprintln(stderr, "uqe:", err)
		return exitUsage
	}
	for _, t := range tables {
		name, path, ok := strings.Cut(t, "=")
		if !ok || name == "" || path == "" {
			fmt.Fprintf(stderr, "uqe: --table wants NAME=PATH, got %q\n", t)
			return exitUsage
		}
		if err := db.Register(name, path); err != nil {
			fmt.Fprintln(stderr, "uqe:", errs.Detail(err))
			return exitFailed
		}
	}
	for _, f := range scripts {
		st = append(st, step{file: f})
	}
	r := &repl.Runner{Sess: db.NewSession(), Out: stdout, Err: stderr, Format: *mode}
	if *stats != "" {
		if *stats == "-" {
			r.Stats = stderr
		} else {
			f, err := os.OpenFile(*stats, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
			if err != nil {
				fmt.Fprintln(stderr, "uqe:", err)
				return exitUsage
			}
			defer f.Close()
			r.Stats = f
		}
	}
	if len(st) == 0 && isTerminal(stdin) {
		// The shell handles Ctrl-C itself: it cancels the running
		// statement (an approximate aggregate answers with its estimate
		// so far, marked partial) or discards the one being typed; it
		// does not end the session.
		intr := make(chan os.Signal, 1)
		signal.Notify(intr, os.Interrupt)
		defer signal.Stop(intr)
		return shell(context.Background(), r, stdin, stdout, stderr, intr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(st) == 0 {
		st = append(st, step{file: "-"})
	}
	for _, s := range st {
		var err error
		if s.file == "" {
			err = r.RunScript(ctx, "<command>", s.sql)
		} else {
			var src []byte
			name := s.file
			if s.file == "-" {
				src, err = io.ReadAll(stdin)
				name = "<stdin>"
			} else {
				src, err = os.ReadFile(s.file)
			}
			if err != nil {
				fmt.Fprintln(stderr, "uqe:", err)
				return exitUsage
			}
			err = r.RunScript(ctx, name, string(src))
		}
		if err != nil {
			fmt.Fprintln(stderr, errs.Detail(err))
			if errs.CodeOf(err) == errs.BudgetExceeded {
				return exitBudget
			}
			return exitFailed
		}
	}
	return exitOK
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// shell is a minimal interactive loop: statements end with ';'. An
// interrupt (intr) while a statement runs cancels that statement only;
// at the prompt it discards the statement being typed. (The full shell
// with line editing comes with the REPL issue.)
func shell(ctx context.Context, r *repl.Runner, stdin io.Reader, stdout, stderr io.Writer, intr <-chan os.Signal) int {
	fmt.Fprintln(stdout, "uqe — end statements with ';', quit with Ctrl-D, Ctrl-C cancels a statement")
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var buf strings.Builder
	prompt := func() {
		if buf.Len() == 0 {
			fmt.Fprint(stdout, "uqe> ")
		} else {
			fmt.Fprint(stdout, "...> ")
		}
	}
	for {
		prompt()
		select {
		case <-ctx.Done():
			fmt.Fprintln(stdout)
			return exitOK
		case <-intr:
			if buf.Len() > 0 {
				fmt.Fprint(stdout, "^C (statement discarded)")
			}
			fmt.Fprintln(stdout)
			buf.Reset()
		case l, ok := <-lines:
			if !ok {
				fmt.Fprintln(stdout)
				return exitOK
			}
			buf.WriteString(l)
			buf.WriteByte('\n')
			if strings.HasSuffix(strings.TrimSpace(buf.String()), ";") {
				if err := runInterruptible(ctx, r, buf.String(), stderr, intr); err != nil {
					fmt.Fprintln(stderr, errs.Detail(err))
				}
				buf.Reset()
			}
		}
	}
}

// runInterruptible runs the statements of src with a context that an
// interrupt cancels.
func runInterruptible(ctx context.Context, r *repl.Runner, src string, stderr io.Writer, intr <-chan os.Signal) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-intr:
			fmt.Fprintln(stderr, "\ncancelling the statement (Ctrl-D quits)")
			cancel()
		case <-done:
		}
	}()
	return r.RunScript(sctx, "<stdin>", src)
}
