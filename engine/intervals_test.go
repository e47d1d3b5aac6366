package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/parser"
)

// display runs one query with ShowIntervals on and returns the visible
// column names, the Display rows (cells joined by |) and the number of
// columns in the batches Next returns.
func display(t *testing.T, s *Session, src string) (names, rows []string, batchCols int) {
	t.Helper()
	s.ShowIntervals(true)
	defer s.ShowIntervals(false)
	stmts, err := parser.Parse("", src)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Exec(context.Background(), stmts[0], nil)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	defer res.Close()
	for _, c := range res.Columns {
		names = append(names, c.Name)
	}
	if got := len(res.DisplaySchema().Fields()); got != len(res.Columns) {
		t.Errorf("%s: display schema has %d fields, want %d", src, got, len(res.Columns))
	}
	for {
		b, err := res.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
		batchCols = int(b.NumCols())
		pub := res.Public(b)
		if int(pub.NumCols()) != len(res.Columns) {
			t.Errorf("%s: Public has %d columns, want %d", src, pub.NumCols(), len(res.Columns))
		}
		pub.Release()
		d := res.Display(b)
		for r := 0; r < int(d.NumRows()); r++ {
			var cells []string
			for c := 0; c < int(d.NumCols()); c++ {
				cells = append(cells, res.Value(d, c, r).String())
			}
			rows = append(rows, strings.Join(cells, "|"))
		}
		d.Release()
		b.Release()
	}
	return names, rows, batchCols
}

// TestShowIntervals: with ShowIntervals, an estimated aggregate shows its
// interval next to its value, hidden columns stay hidden (Columns, Public,
// the display schema), exact answers show the plain value, and queries
// the rewrite does not apply to are unchanged.
func TestShowIntervals(t *testing.T) {
	s := simDB(t, smsDir+"/sim.json", map[string]string{"budget": "200", "embed": "hash"})
	spam100, _ := mustRun(t, s, `SELECT COUNT(*) FROM sms_labels WHERE id <= 100 AND label = 'spam'`)
	cases := []struct {
		q         string
		names     []string
		want      []string // substrings of the single row's cells, in order
		batchCols int
	}{
		// estimated: value ± half-width (or [lo, hi] when asymmetric)
		{`SELECT COUNT(*) AS n, 7 AS k FROM sms WHERE "the message is spam"`, []string{"n", "k"}, []string{" ", "7"}, 4},
		// exact (the budget covers the rows): the plain value
		{`SELECT COUNT(*) FROM sms WHERE id <= 100 AND "the message is spam"`, []string{"count(*)"}, spam100, 3},
		// no natural-language expression: nothing added
		{`SELECT COUNT(*) FROM sms WHERE id <= 100`, []string{"count(*)"}, []string{"100"}, 1},
		// DISTINCT: nothing added (hidden columns would change its rows)
		{`SELECT DISTINCT COUNT(*) FROM sms WHERE id <= 100 AND "the message is spam"`, []string{"count(*)"}, spam100, 1},
	}
	for _, c := range cases {
		names, rows, bc := display(t, s, c.q)
		if strings.Join(names, ",") != strings.Join(c.names, ",") || len(rows) != 1 || bc != c.batchCols {
			t.Errorf("%s: columns %v, rows %v, %d batch columns; want %v, one row, %d", c.q, names, rows, bc, c.names, c.batchCols)
			continue
		}
		cells := strings.Split(rows[0], "|")
		for i, w := range c.want {
			if !strings.Contains(cells[i], w) {
				t.Errorf("%s: cell %d = %q, want it to contain %q", c.q, i, cells[i], w)
			}
		}
		if c.batchCols != 4 && strings.ContainsAny(rows[0], "±[") {
			t.Errorf("%s: exact answer shows an interval: %q", c.q, rows[0])
		}
	}
	_, rows, _ := display(t, s, `SELECT COUNT(*) FROM sms WHERE "the message is spam"`)
	if len(rows) != 1 || !(strings.Contains(rows[0], " ± ") || strings.Contains(rows[0], " [")) {
		t.Errorf("estimated count shows %v, want an interval", rows)
	}
	// off (database/sql, machine formats): no hidden columns at all
	rows2, _ := mustRun(t, s, `SELECT COUNT(*) AS n FROM sms WHERE "the message is spam"`)
	if len(rows2) != 1 || strings.ContainsAny(rows2[0], "±[") {
		t.Errorf("without ShowIntervals: %v", rows2)
	}
}
