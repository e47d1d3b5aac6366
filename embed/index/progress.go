package index

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// MinProgressTotal is the smallest total for which ProgressBar draws
// anything: shorter jobs finish before a bar would be worth reading.
const MinProgressTotal = 200

// progressEvery is the most often the bar is redrawn.
const progressEvery = 100 * time.Millisecond

// ProgressBar returns a progress function (for Embed) that draws one line
// on w, redrawn in place with a carriage return, at most every 100 ms, and
// ended with a newline when done reaches total:
//
//	embedding sms [##########..........]  50%  2787/5574
//
// It draws nothing when total < MinProgressTotal, nor when w is an
// *os.File that is not a terminal (standard error redirected to a file
// should not fill with carriage returns). Safe for concurrent use.
func ProgressBar(w io.Writer, label string) func(done, total int) {
	return progressBar(w, label, time.Now)
}

// progressBar is ProgressBar with a clock (tests replace it).
func progressBar(w io.Writer, label string, clock func() time.Time) func(done, total int) {
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
			return func(int, int) {}
		}
	}
	var (
		mu    sync.Mutex
		last  time.Time
		drawn bool
		ended bool
	)
	return func(done, total int) {
		if total < MinProgressTotal {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if ended {
			return
		}
		final := done >= total
		now := clock()
		if !final && drawn && now.Sub(last) < progressEvery {
			return
		}
		last, drawn = now, true
		fmt.Fprint(w, "\r"+progressLine(label, done, total))
		if final {
			fmt.Fprint(w, "\n")
			ended = true
		}
	}
}

// progressLine renders one state of the bar (no carriage return).
func progressLine(label string, done, total int) string {
	const width = 20
	done = max(0, min(done, total))
	fill := 0
	pct := 100
	if total > 0 {
		fill = done * width / total
		pct = done * 100 / total
	}
	bar := strings.Repeat("#", fill) + strings.Repeat(".", width-fill)
	return fmt.Sprintf("%s [%s] %3d%%  %d/%d", label, bar, pct, done, total)
}
