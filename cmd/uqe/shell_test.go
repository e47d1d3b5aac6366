package main

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uqe-dev/uqe/engine"
	"github.com/uqe-dev/uqe/llm/llmtest"
	"github.com/uqe-dev/uqe/repl"
)

// lockedBuffer is a bytes.Buffer safe for the shell's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestShellInterrupt: Ctrl-C while a sampled COUNT waits for the model
// cancels that statement, which answers with its estimate so far marked
// partial, and the shell goes on to the next statement; Ctrl-C at the
// prompt discards the statement being typed.
func TestShellInterrupt(t *testing.T) {
	stalled := make(chan struct{})
	var once sync.Once
	srv := llmtest.Start(t, llmtest.Options{
		Answer: func(q llmtest.Query) any {
			if q.Op == "anchors" {
				return [2]string{"WIN a FREE prize, text CLAIM now", "see you at home later"}
			}
			var s string
			for _, v := range q.Row.Fields {
				s += v
			}
			return len(s)%3 == 0
		},
		Faults: func(n int) *llmtest.Fault {
			if n <= 3 { // the anchors, then two calls of judgements
				return nil
			}
			once.Do(func() { close(stalled) })
			return &llmtest.Fault{Delay: time.Minute} // ends when the client gives up
		},
	})
	env := map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "sk-test-not-a-secret"}
	var stdout, stderr lockedBuffer
	db, err := engine.Open(engine.Options{
		Settings: map[string]string{"budget": "60", "batch_size": "10", "concurrency": "1", "embed": "hash"},
		Cache:    "off", Env: func(k string) string { return env[k] }, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Register("sms", smsPath); err != nil {
		t.Fatal(err)
	}
	r := &repl.Runner{Sess: db.NewSession(), Out: &stdout, Err: &stderr, Format: "box"}
	in, feed := io.Pipe()
	intr := make(chan os.Signal, 1)
	code := make(chan int, 1)
	go func() { code <- shell(t.Context(), r, in, &stdout, &stderr, intr) }()

	io.WriteString(feed, `SELECT COUNT(*) AS n FROM sms WHERE "the message is spam";`+"\n")
	select {
	case <-stalled:
	case <-time.After(time.Minute):
		t.Fatal("the model was never asked a fourth time")
	}
	intr <- os.Interrupt
	io.WriteString(feed, "SELECT 7 AS\n")
	// wait until the shell has read the unfinished line, then interrupt
	for deadline := time.Now().Add(time.Minute); !strings.Contains(stdout.String(), "...> "); {
		if time.Now().After(deadline) {
			t.Fatalf("the shell never asked for the rest of the statement; stdout:\n%s", stdout.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	intr <- os.Interrupt
	io.WriteString(feed, "SELECT 8 AS eight;\n")
	feed.Close()
	select {
	case c := <-code:
		if c != exitOK {
			t.Errorf("exit code %d", c)
		}
	case <-time.After(time.Minute):
		t.Fatal("the shell did not end after standard input closed")
	}
	out, errOut := stdout.String(), stderr.String()
	if !strings.Contains(errOut, "partial: cancelled") {
		t.Errorf("no partial estimate after the interrupt; stderr:\n%s", errOut)
	}
	if !regexp.MustCompile(`│\s+n\s+│[^│]*│\s+\d+ \[\d+, \d+\] │`).MatchString(out) {
		t.Errorf("the cancelled COUNT printed no estimate; stdout:\n%s", out)
	}
	if !strings.Contains(out, "^C (statement discarded)") || strings.Contains(out, "│ 7 ") {
		t.Errorf("Ctrl-C at the prompt did not discard the typed statement; stdout:\n%s", out)
	}
	if !regexp.MustCompile(`│\s+8 │`).MatchString(out) {
		t.Errorf("the statement after the interrupts did not run; stdout:\n%s", out)
	}
	t.Logf("stderr:\n%s", errOut)
	if strings.Contains(errOut, "context canceled") {
		t.Errorf("a later statement saw the cancelled context; stderr:\n%s", errOut)
	}
}
