package format

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:generate go run gen_width.go

// runeWidth is the number of terminal columns r occupies: 0 for combining
// marks, format characters (zero-width joiner, variation selectors, ...),
// 2 for East Asian Wide and Fullwidth characters (CJK, most emoji), 1
// otherwise. Control characters never reach it: cells are escaped first.
func runeWidth(r rune) int {
	switch {
	case r < 0x300:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r >= 0x1160 && r <= 0x11FF: // Hangul medial vowels and final consonants combine
		return 0
	case isWide(r):
		return 2
	}
	return 1
}

func isWide(r rune) bool {
	if r < wideRanges[0][0] {
		return false
	}
	i := sort.Search(len(wideRanges), func(i int) bool { return wideRanges[i][1] >= r })
	return i < len(wideRanges) && wideRanges[i][0] <= r
}

// displayWidth is the number of terminal columns s occupies.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// truncate shortens s to at most max columns, ending it with "…" when it
// was cut. max <= 0 means no limit.
func truncate(s string, max int) string {
	if max <= 0 || displayWidth(s) <= max {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := runeWidth(r)
		if w+rw > max-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	b.WriteString("…")
	return b.String()
}

// pad aligns s in a field of width columns: right-aligned when right is
// true, else left-aligned. s wider than the field is returned as is.
func pad(s string, width int, right bool) string {
	n := width - displayWidth(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// center centers s in a field of width columns (extra space goes right,
// as sqlite3 does).
func center(s string, width int) string {
	n := width - displayWidth(s)
	if n <= 0 {
		return s
	}
	return strings.Repeat(" ", n/2) + s + strings.Repeat(" ", n-n/2)
}

// escapeCell makes s safe for a one-line grid cell: newline, carriage return
// and tab become \n, \r and \t; other control characters and bytes that are
// not UTF-8 become \xHH. Everything else is kept.
func escapeCell(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02X`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02X`, r)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
