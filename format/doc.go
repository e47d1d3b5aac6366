// Package format owns how uqe renders query results as text: the
// --format modes of the uqe command (box, table, csv, tsv, json, jsonl,
// markdown, line), and FormatValue, the one place that decides how a single
// cell looks (integers plain, floats as SQLite prints a REAL, blobs as
// X'..', booleans as 1/0).
//
// A result is a stream of Arrow record batches. A Writer receives the schema
// (Begin), the batches (Write, zero or more times) and then End. A Writer
// never retains a batch: every cell is turned into text during Write, so the
// caller may release a batch as soon as Write returns.
//
// Decisions, by mode:
//
//   - box, table, markdown buffer rows (as text) to compute column widths,
//     at most Options.BufferRows rows (default 10,000) at a time. When the
//     buffer fills, its rows are printed as a chunk (after the header, for
//     the first) and buffering starts again. Widths only grow: when a later
//     chunk needs wider columns, box and table close the grid and open a
//     new one with the header repeated; markdown, which needs no alignment,
//     just pads to the new widths. No row is dropped or cut beyond MaxWidth,
//     and memory stays bounded; a result that fits in one buffer prints as
//     one grid.
//   - box and table: one space of padding each side of a cell; numeric and
//     boolean columns right-aligned, others left-aligned; headers centered
//     (as sqlite3 does). Cells (and headers) wider than Options.MaxWidth
//     columns (default 60, negative for no limit) are cut with "…". Newline,
//     carriage return and tab in a cell print as \n, \r, \t; other control
//     characters and bytes that are not UTF-8 as \xHH, so that every row is
//     one line. Widths are display widths: East Asian Wide and Fullwidth
//     characters (CJK, most emoji) count two columns, combining marks zero.
//   - markdown: a GitHub table, alignment colons in the delimiter row
//     (":---" left, "---:" right), "|" escaped as "\|", line breaks as
//     "<br>", other control characters as in box; no truncation.
//   - csv and tsv: RFC 4180 through encoding/csv (tsv uses a tab as the
//     separator, with the same quoting rules), a header row, "\n" line ends;
//     cells as FormatValue renders them; NULL is the empty field by default,
//     so NULL and ” look alike.
//   - json: one array per result, one object per row on its own line
//     ("[\n{...},\n{...}\n]"); a result with no rows prints "[]". jsonl: one
//     object per row and line, nothing for no rows. Keys are the column
//     names in column order; a duplicated column name gives a duplicated key
//     (kept, in order: the names are the contract, and RFC 8259 permits it,
//     though many readers keep only the last). Integers and floats are JSON
//     numbers: floats with the shortest digits that round-trip, in the
//     layout FormatValue uses (1.0, 2.5, 1.0e+20), so 0.1+0.2 prints
//     0.30000000000000004 here but 0.3 elsewhere; NaN and infinities are
//     null. Text is a JSON string, blobs a base64 string (standard
//     alphabet, as encoding/json writes []byte), booleans true/false, NULL
//     null.
//   - line: sqlite3's ".mode line": "name = value" per column, names
//     right-aligned to the widest, a blank line between rows; values are
//     printed raw, as sqlite3 does.
//   - NULL prints as Options.NullText, which defaults to "NULL" in box,
//     table, markdown and line and to "" in csv and tsv (an empty NullText
//     means the default). json and jsonl always write null.
//   - Options.Annotate, when set, is asked for every cell of the human
//     modes (box, table, markdown, line) with the column index and the
//     0-based row index within the result; what it returns is appended to
//     the cell (e.g. " ± 120"). The machine modes (csv, tsv, json, jsonl)
//     never annotate, so their values stay parseable.
//   - A result with zero columns prints nothing in every mode; zero rows
//     print the header only in box, table, markdown, csv and tsv, "[]" in
//     json, nothing in jsonl and line.
package format
