package format

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// gridStyle is the set of characters a bordered grid is drawn with.
type gridStyle struct {
	vert             string
	horiz            string
	top, mid, bottom [3]string // left, cross, right
}

var (
	boxStyle = gridStyle{
		vert: "│", horiz: "─",
		top:    [3]string{"┌", "┬", "┐"},
		mid:    [3]string{"├", "┼", "┤"},
		bottom: [3]string{"└", "┴", "┘"},
	}
	asciiStyle = gridStyle{
		vert: "|", horiz: "-",
		top:    [3]string{"+", "+", "+"},
		mid:    [3]string{"+", "+", "+"},
		bottom: [3]string{"+", "+", "+"},
	}
)

// gridWriter writes box, table (style set) and markdown (markdown set).
// It buffers up to BufferRows rows, then prints them as a chunk; the header
// goes out with the first chunk. Column widths only grow: a later chunk
// that needs wider columns closes the grid and opens a new one, header
// repeated (markdown, which needs no alignment, just pads to the new
// widths).
type gridWriter struct {
	base
	style    *gridStyle
	markdown bool
	headers  []string
	right    []bool
	widths   []int // the widths the buffered rows need
	printed  []int // the widths the grid on screen was drawn with; nil before the header
	buf      [][]string
}

func (g *gridWriter) Begin(schema *arrow.Schema) error {
	if err := g.begin(schema); err != nil {
		return err
	}
	n := schema.NumFields()
	g.headers = make([]string, n)
	g.right = make([]bool, n)
	g.widths = make([]int, n)
	for i, f := range schema.Fields() {
		h := g.cell(f.Name)
		g.headers[i] = h
		g.right[i] = isNumeric(f.Type) || f.Metadata.FindKey(AlignKey) >= 0 && f.Metadata.Values()[f.Metadata.FindKey(AlignKey)] == "right"
		g.widths[i] = displayWidth(h)
	}
	return nil
}

// cell makes raw text fit a cell of this grid: escaped, and in box and
// table cut to MaxWidth.
func (g *gridWriter) cell(s string) string {
	if g.markdown {
		return escapeMarkdown(s)
	}
	return truncate(escapeCell(s), g.opts.MaxWidth)
}

func (g *gridWriter) Write(rec arrow.RecordBatch) error {
	ok, err := g.check(rec)
	if !ok || err != nil {
		return err
	}
	nrows, ncols := int(rec.NumRows()), len(g.headers)
	for r := 0; r < nrows; r++ {
		row := make([]string, ncols)
		for c := range row {
			s := g.cell(g.text(rec, c, r))
			row[c] = s
			g.widths[c] = max(g.widths[c], displayWidth(s))
		}
		g.buf = append(g.buf, row)
		if len(g.buf) >= g.opts.BufferRows {
			g.flushChunk()
		}
	}
	g.rows += nrows
	return g.outErr()
}

// flushChunk prints the buffered rows, with the header first if the grid
// is not open yet or must grow.
func (g *gridWriter) flushChunk() {
	switch {
	case g.printed == nil:
		g.writeHeader(true)
	case !g.markdown && grew(g.printed, g.widths):
		g.rule(g.printed, g.style.bottom)
		g.writeHeader(true)
	}
	g.printed = append(g.printed[:0], g.widths...)
	for _, row := range g.buf {
		g.writeRow(row)
	}
	g.buf = g.buf[:0]
}

func grew(old, new []int) bool {
	for i := range old {
		if new[i] > old[i] {
			return true
		}
	}
	return false
}

func (g *gridWriter) End() error {
	if err := g.end(); err != nil {
		return err
	}
	if len(g.headers) > 0 {
		if g.rows == 0 {
			g.writeHeader(false)
		} else if len(g.buf) > 0 {
			g.flushChunk()
		}
		if !g.markdown {
			g.rule(g.widths, g.style.bottom)
		}
	}
	return g.out.Flush()
}

func (g *gridWriter) rule(widths []int, p [3]string) {
	w := g.out
	w.WriteString(p[0])
	for c, n := range widths {
		if c > 0 {
			w.WriteString(p[1])
		}
		w.WriteString(strings.Repeat(g.style.horiz, n+2))
	}
	w.WriteString(p[2])
	w.WriteByte('\n')
}

// writeHeader writes the header; sep adds the rule (or markdown delimiter
// row) under it, which a bordered grid without rows leaves out.
func (g *gridWriter) writeHeader(sep bool) {
	w := g.out
	if g.markdown {
		w.WriteString("|")
		for c, h := range g.headers {
			w.WriteString(" " + pad(h, g.widths[c], false) + " |")
		}
		w.WriteString("\n|")
		for c, n := range g.widths {
			if g.right[c] {
				w.WriteString(strings.Repeat("-", n+1) + ":|")
			} else {
				w.WriteString(":" + strings.Repeat("-", n+1) + "|")
			}
		}
		w.WriteByte('\n')
		return
	}
	g.rule(g.widths, g.style.top)
	w.WriteString(g.style.vert)
	for c, h := range g.headers {
		w.WriteString(" " + center(h, g.widths[c]) + " " + g.style.vert)
	}
	w.WriteByte('\n')
	if sep {
		g.rule(g.widths, g.style.mid)
	}
}

func (g *gridWriter) writeRow(row []string) {
	w := g.out
	vert := "|"
	if !g.markdown {
		vert = g.style.vert
	}
	w.WriteString(vert)
	for c, s := range row {
		w.WriteString(" " + pad(s, g.widths[c], g.right[c]) + " " + vert)
	}
	w.WriteByte('\n')
}

// escapeMarkdown makes s safe for a GitHub table cell: "|" becomes "\|",
// line breaks "<br>", other control characters as escapeCell writes them.
func escapeMarkdown(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\r\n", "<br>")
	s = strings.ReplaceAll(s, "\n", "<br>")
	s = strings.ReplaceAll(s, "\r", "<br>")
	return escapeCell(s)
}
