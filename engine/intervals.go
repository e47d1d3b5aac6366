package engine

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/executor"
	"github.com/uqe-dev/uqe/format"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// An interval column pair: the visible result column col is an aggregate
// the engine may estimate, and hidden columns lo and hi (after the visible
// ones) hold its CI_LOW and CI_HIGH, so that a shell can show the interval
// next to the value (DESIGN §1: `4,231 ± 120`).
type interval struct{ col, lo, hi int }

// ShowIntervals asks the session to carry, with every top-level COUNT,
// SUM, AVG or TOTAL of a query that has a natural-language expression, its
// interval bounds in hidden columns (read by Display). Programs that read
// results (database/sql) leave it off; the shell turns it on for its
// human-readable formats.
func (s *Session) ShowIntervals(on bool) { s.intervals = on }

// withIntervals returns q with CI_LOW(a) and CI_HIGH(a) appended to the
// select list for each top-level estimable aggregate a, and where they
// are; q itself when nothing applies (a simple SELECT only: no DISTINCT,
// no set operation, and a natural-language expression somewhere).
func withIntervals(q *ast.Query) (*ast.Query, []interval) {
	sel, ok := q.Body.(*ast.Select)
	if !ok || sel.Distinct {
		return q, nil
	}
	hasNL := false
	ast.Walk(q, func(n ast.Node) bool {
		if _, ok := n.(*ast.NL); ok {
			hasNL = true
		}
		return !hasNL
	})
	if !hasNL {
		return q, nil
	}
	var extra []*ast.SelectItem
	var iv []interval
	for i, it := range sel.Items {
		if it.Star {
			return q, nil // the visible column count is not known here
		}
		f, ok := it.Expr.(*ast.Func)
		if !ok || f.Distinct {
			continue
		}
		switch f.Name {
		case "count", "sum", "avg", "total":
		default:
			continue
		}
		k := len(sel.Items) + len(extra)
		iv = append(iv, interval{col: i, lo: k, hi: k + 1})
		for _, name := range []string{"ci_low", "ci_high"} {
			extra = append(extra, &ast.SelectItem{At: it.At, Expr: &ast.Func{At: f.At, Name: name, Args: []ast.Expr{f}},
				Alias: fmt.Sprintf("\x00%s%d", name, i)})
		}
	}
	if len(iv) == 0 {
		return q, nil
	}
	s2 := *sel
	s2.Items = append(append([]*ast.SelectItem{}, sel.Items...), extra...)
	q2 := *q
	q2.Body = &s2
	return &q2, iv
}

// Display converts a batch from Next into what a person reads: the
// visible columns, each estimated aggregate as text "value ± half-width"
// (or "value [low, high]" when the interval is clearly asymmetric), an
// exact one as its plain value. Without intervals it is Public.
func (r *Result) Display(b arrow.RecordBatch) arrow.RecordBatch {
	if len(r.intervals) == 0 {
		return r.Public(b)
	}
	isIv := map[int]interval{}
	for _, iv := range r.intervals {
		isIv[iv.col] = iv
	}
	cols := r.displayCols()
	rows := make([][]value.Value, b.NumRows())
	for row := range rows {
		vals := make([]value.Value, len(cols))
		for i, c := range r.Columns {
			v := r.Value(b, i, row)
			if iv, ok := isIv[i]; ok {
				vals[i] = value.FromText(r.withInterval(b, i, iv, row))
				continue
			}
			if c.Type == planner.TAny {
				v = value.ToText(v)
			}
			vals[i] = v
		}
		rows[row] = vals
	}
	d := executor.BuildBatch(memory.DefaultAllocator, cols, rows)
	defer d.Release()
	return array.NewRecordBatch(r.DisplaySchema(), d.Columns(), d.NumRows())
}

// DisplaySchema is the schema of Display's batches.
func (r *Result) DisplaySchema() *arrow.Schema {
	if len(r.intervals) == 0 {
		return r.PublicSchema()
	}
	sc := executor.SchemaOf(r.displayCols())
	fields := sc.Fields()
	for _, iv := range r.intervals {
		fields[iv.col].Metadata = arrow.NewMetadata([]string{format.AlignKey}, []string{"right"})
	}
	return arrow.NewSchema(fields, nil)
}

func (r *Result) displayCols() []planner.Col {
	cols := r.publicCols()
	for _, iv := range r.intervals {
		cols[iv.col].Type = planner.TText
	}
	return cols
}

// withInterval renders one estimated value with its interval.
func (r *Result) withInterval(b arrow.RecordBatch, col int, iv interval, row int) string {
	v, null := format.FormatValue(b.Column(col), row)
	if null {
		return v
	}
	lo := executor.GetValue(b.Column(iv.lo), row, r.all[iv.lo].Type)
	hi := executor.GetValue(b.Column(iv.hi), row, r.all[iv.hi].Type)
	x := executor.GetValue(b.Column(col), row, r.all[col].Type)
	if lo.IsNull() || hi.IsNull() || x.IsNull() {
		return v
	}
	l, h, m := value.AsFloat(lo), value.AsFloat(hi), value.AsFloat(x)
	if l == h || math.IsNaN(l) || math.IsNaN(h) {
		return v
	}
	hw := (h - l) / 2
	// digits: two significant digits of the half-width, the value to the
	// same decimal place (an estimate is not known better than that)
	dec := 0
	if hw > 0 {
		dec = max(0, 1-int(math.Floor(math.Log10(hw))))
	}
	f := func(x float64) string { return fmt.Sprintf("%.*f", dec, x) }
	if r.all[col].Type == planner.TFloat {
		v = f(m)
	}
	if math.Abs((h-m)-(m-l)) <= 0.1*hw {
		return fmt.Sprintf("%s ± %s", v, f(hw))
	}
	return fmt.Sprintf("%s [%s, %s]", v, f(l), f(h))
}
