package executor

import (
	"testing"
	"time"
)

// TestProgressLine: the first tick shows the line, ticks within
// progressEvery of it do not, a later one does, and done clears the line
// only if something was shown; without Exec.Progress nothing happens.
func TestProgressLine(t *testing.T) {
	var got []string
	x := &Exec{Progress: func(s string) { got = append(got, s) }}
	n := 0
	tick, done := x.progressLine(func() string { n++; return "line" })
	tick()
	tick()
	if len(got) != 1 || n != 1 {
		t.Fatalf("after two quick ticks: %q (%d messages built)", got, n)
	}
	time.Sleep(progressEvery + 10*time.Millisecond)
	tick()
	done()
	if len(got) != 3 || got[1] != "line" || got[2] != "" {
		t.Errorf("lines %q, want line, line, and a clearing \"\"", got)
	}
	got = nil
	_, done = x.progressLine(func() string { return "never" })
	done()
	if len(got) != 0 {
		t.Errorf("done without a tick printed %q", got)
	}
	tick, done = (&Exec{}).progressLine(func() string { t.Fatal("built a message without Progress"); return "" })
	tick()
	done()
}
