// Package planner owns uqe's logical plan: it binds a parsed statement's
// names and types against the catalog (with scopes for correlated
// subqueries), and produces a tree of relational operators in which
// natural-language expressions become named semantic operators (SemFilter,
// SemMap, SemGroup, SemRank, SemJoin). The optimizer rewrites this tree; the
// executor runs it.
package planner

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/value"
)

// Type is the static type of a column or expression.
type Type uint8

const (
	TNull  Type = iota // only NULLs
	TInt               // INTEGER, Arrow Int64
	TFloat             // REAL, Arrow Float64
	TText              // TEXT, Arrow String
	TBlob              // BLOB, Arrow Binary
	TBool              // result of a comparison, Arrow Boolean; 1/0 as a value
	TAny               // values of several storage classes (SQLite's dynamic typing)
)

func (t Type) String() string {
	return [...]string{"NULL", "INTEGER", "REAL", "TEXT", "BLOB", "BOOLEAN", "ANY"}[t]
}

// ArrowType is the Arrow type that carries values of t. TAny values are
// carried as tagged binary (see executor).
func (t Type) ArrowType() arrow.DataType {
	switch t {
	case TNull:
		return arrow.Null
	case TInt:
		return arrow.PrimitiveTypes.Int64
	case TFloat:
		return arrow.PrimitiveTypes.Float64
	case TText:
		return arrow.BinaryTypes.String
	case TBool:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.Binary
}

// TypeFromArrow maps a source column's Arrow type to a Type.
func TypeFromArrow(dt arrow.DataType) Type {
	switch dt.ID() {
	case arrow.INT64, arrow.INT32, arrow.INT16, arrow.INT8, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		return TInt
	case arrow.FLOAT64, arrow.FLOAT32:
		return TFloat
	case arrow.STRING, arrow.LARGE_STRING:
		return TText
	case arrow.BOOL:
		return TBool
	case arrow.NULL:
		return TNull
	}
	return TBlob
}

// TypeOfDecl maps a declared SQL type to the Type used to store it.
func TypeOfDecl(decl string) Type {
	switch value.AffinityOf(decl) {
	case value.AffInteger:
		return TInt
	case value.AffReal:
		return TFloat
	case value.AffText:
		return TText
	case value.AffNone:
		if strings.Contains(strings.ToUpper(decl), "BLOB") {
			return TBlob
		}
	}
	return TAny
}

// Unify is the type of a value that may come from either of two types.
func Unify(a, b Type) Type {
	switch {
	case a == b:
		return a
	case a == TNull:
		return b
	case b == TNull:
		return a
	case (a == TBool && b == TInt) || (a == TInt && b == TBool):
		return TInt
	}
	return TAny
}

// ColID identifies a column uniquely within one statement's plan.
type ColID int

// Col describes an output column of a plan node.
type Col struct {
	ID    ColID
	Name  string // the column's name as the user sees it
	Table string // qualifier it can be referenced by ("" if none)
	Type  Type
	Aff   value.Affinity
	// Coll is the column's collation: declared (CREATE TABLE ... COLLATE)
	// or that of the expression defining it. DISTINCT, GROUP BY and set
	// operations compare the column's values with it.
	Coll value.Collation
}

// Node is a logical plan operator.
type Node interface {
	Columns() []Col
	Children() []Node
	// SetChild replaces child i (used by optimizer rules).
	SetChild(i int, n Node)
	// Describe is the operator's one-line description for EXPLAIN.
	Describe() string
}

// Scan reads a table. Filters are conjuncts pushed into the scan by the
// optimizer (applied while reading). Cols are the table's columns (all of
// them; Needed marks those the query uses, set by projection pruning).
type Scan struct {
	Name    string // table name as referenced
	Alias   string
	Source  catalog.Source
	Cols    []Col
	Needed  []bool
	Filters []Expr
	Rows    int64 // estimated rows, -1 unknown
	// Rowid: the last column of Cols is the rowid pseudo-column (hidden
	// from *), read with catalog.RowidSource.ScanRowid, or numbered 1, 2,
	// ... in scan order for other sources.
	Rowid bool
}

// Values produces constant rows.
type Values struct {
	Rows [][]Expr
	Cols []Col
}

// Filter keeps rows whose condition is true.
type Filter struct {
	In   Node
	Cond Expr
}

// Project computes expressions; each output column has a fresh ID.
type Project struct {
	In    Node
	Exprs []Expr
	Cols  []Col
}

// AggCall is one aggregate computed by Aggregate.
type AggCall struct {
	Name     string // count, sum, avg, min, max, total, group_concat, anyvalue
	Distinct bool
	Star     bool
	Args     []Expr
	T        Type
	// Coll is the collation min() and max() compare text with.
	Coll value.Collation
	// Bound is "low" or "high" for CI_LOW(agg) / CI_HIGH(agg): the bound of
	// the aggregate's 95% interval (the value itself when it is exact).
	Bound string
}

// Aggregate groups its input by Groups and computes Aggs per group. Its
// output columns are the group keys followed by the aggregates. With no
// group keys it produces exactly one row.
type Aggregate struct {
	In     Node
	Groups []Expr
	Aggs   []*AggCall
	Cols   []Col
}

// JoinKind is the kind of a join.
type JoinKind int

const (
	JoinInner JoinKind = iota
	JoinLeft
	JoinCross
	JoinSemi // left rows with a match (IN / EXISTS after decorrelation)
	JoinAnti // left rows without a match
)

func (k JoinKind) String() string {
	return [...]string{"inner", "left", "cross", "semi", "anti"}[k]
}

// Join joins two inputs. LeftKeys/RightKeys are equality keys for a hash
// join (set by the optimizer); Cond is any remaining condition.
type Join struct {
	Kind      JoinKind
	L, R      Node
	Cond      Expr
	LeftKeys  []Expr
	RightKeys []Expr
}

// SortKey is one ORDER BY key.
type SortKey struct {
	E          Expr
	Desc       bool
	NullsFirst bool
	Coll       value.Collation // text is ordered under this collation
}

// Sort orders its input.
type Sort struct {
	In   Node
	Keys []SortKey
}

// Limit keeps at most Count rows after skipping Offset (-1 Count: no limit).
type Limit struct {
	In            Node
	Count, Offset int64
}

// Distinct removes duplicate rows.
type Distinct struct{ In Node }

// SetOpKind is UNION, EXCEPT or INTERSECT.
type SetOpKind int

const (
	Union SetOpKind = iota
	Except
	Intersect
)

// SetOp combines two inputs of the same arity.
type SetOp struct {
	Kind SetOpKind
	All  bool
	L, R Node
	Cols []Col
}

// SemFilter keeps the rows for which a natural-language predicate (possibly
// combined with structured ones) holds; the model judges the rows.
type SemFilter struct {
	In   Node
	Cond Expr
	// Limit, when > 0, is how many passing rows the query needs (a LIMIT
	// above with nothing in between that depends on all rows): the filter
	// may search for that many instead of judging every row.
	Limit int64
}

// SemMap extracts virtual columns from each row with the model: its output
// is its input's columns followed by one column per extraction.
type SemMap struct {
	In    Node
	Exprs []*NLExpr
	Cols  []Col
}

// SemGroup assigns each row to a group from a taxonomy the model derives
// from a sample: output is the input's columns plus the group column.
type SemGroup struct {
	In  Node
	Key *NLExpr
	Col Col
}

// SemRank orders rows by a natural-language criterion (ORDER BY "...").
type SemRank struct {
	In    Node
	Key   *NLExpr
	Desc  bool
	Limit int64
}

// SemJoin joins two inputs on a natural-language condition.
type SemJoin struct {
	Kind JoinKind
	L, R Node
	Cond Expr
}

// Explain wraps a plan for EXPLAIN.
type Explain struct {
	In      Node
	Analyze bool
}

func concatCols(a, b []Col) []Col {
	out := make([]Col, 0, len(a)+len(b))
	out = append(out, a...)
	return append(out, b...)
}

func (n *Scan) Columns() []Col      { return n.Cols }
func (n *Values) Columns() []Col    { return n.Cols }
func (n *Filter) Columns() []Col    { return n.In.Columns() }
func (n *Project) Columns() []Col   { return n.Cols }
func (n *Aggregate) Columns() []Col { return n.Cols }
func (n *Join) Columns() []Col {
	if n.Kind == JoinSemi || n.Kind == JoinAnti {
		return n.L.Columns()
	}
	return concatCols(n.L.Columns(), n.R.Columns())
}
func (n *Sort) Columns() []Col      { return n.In.Columns() }
func (n *Limit) Columns() []Col     { return n.In.Columns() }
func (n *Distinct) Columns() []Col  { return n.In.Columns() }
func (n *SetOp) Columns() []Col     { return n.Cols }
func (n *SemFilter) Columns() []Col { return n.In.Columns() }
func (n *SemMap) Columns() []Col    { return concatCols(n.In.Columns(), n.Cols) }
func (n *SemGroup) Columns() []Col  { return concatCols(n.In.Columns(), []Col{n.Col}) }
func (n *SemRank) Columns() []Col   { return n.In.Columns() }
func (n *SemJoin) Columns() []Col   { return concatCols(n.L.Columns(), n.R.Columns()) }
func (n *Explain) Columns() []Col   { return []Col{{Name: "plan", Type: TText}} }

func (n *Scan) Children() []Node      { return nil }
func (n *Values) Children() []Node    { return nil }
func (n *Filter) Children() []Node    { return []Node{n.In} }
func (n *Project) Children() []Node   { return []Node{n.In} }
func (n *Aggregate) Children() []Node { return []Node{n.In} }
func (n *Join) Children() []Node      { return []Node{n.L, n.R} }
func (n *Sort) Children() []Node      { return []Node{n.In} }
func (n *Limit) Children() []Node     { return []Node{n.In} }
func (n *Distinct) Children() []Node  { return []Node{n.In} }
func (n *SetOp) Children() []Node     { return []Node{n.L, n.R} }
func (n *SemFilter) Children() []Node { return []Node{n.In} }
func (n *SemMap) Children() []Node    { return []Node{n.In} }
func (n *SemGroup) Children() []Node  { return []Node{n.In} }
func (n *SemRank) Children() []Node   { return []Node{n.In} }
func (n *SemJoin) Children() []Node   { return []Node{n.L, n.R} }
func (n *Explain) Children() []Node   { return []Node{n.In} }

func (n *Scan) SetChild(int, Node)        {}
func (n *Values) SetChild(int, Node)      {}
func (n *Filter) SetChild(_ int, c Node)  { n.In = c }
func (n *Project) SetChild(_ int, c Node) { n.In = c }
func (n *Aggregate) SetChild(_ int, c Node) {
	n.In = c
}
func (n *Join) SetChild(i int, c Node) {
	if i == 0 {
		n.L = c
	} else {
		n.R = c
	}
}
func (n *Sort) SetChild(_ int, c Node)     { n.In = c }
func (n *Limit) SetChild(_ int, c Node)    { n.In = c }
func (n *Distinct) SetChild(_ int, c Node) { n.In = c }
func (n *SetOp) SetChild(i int, c Node) {
	if i == 0 {
		n.L = c
	} else {
		n.R = c
	}
}
func (n *SemFilter) SetChild(_ int, c Node) { n.In = c }
func (n *SemMap) SetChild(_ int, c Node)    { n.In = c }
func (n *SemGroup) SetChild(_ int, c Node)  { n.In = c }
func (n *SemRank) SetChild(_ int, c Node)   { n.In = c }
func (n *SemJoin) SetChild(i int, c Node) {
	if i == 0 {
		n.L = c
	} else {
		n.R = c
	}
}
func (n *Explain) SetChild(_ int, c Node) { n.In = c }

func exprList(es []Expr) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = ExprString(e)
	}
	return strings.Join(s, ", ")
}

func (n *Scan) Describe() string {
	s := "Scan " + n.Name
	if n.Alias != "" && !strings.EqualFold(n.Alias, n.Name) {
		s += " AS " + n.Alias
	}
	if n.Needed != nil {
		var cols []string
		for i, c := range n.Cols {
			if n.Needed[i] {
				cols = append(cols, c.Name)
			}
		}
		s += " cols=[" + strings.Join(cols, ", ") + "]"
	}
	if len(n.Filters) > 0 {
		s += " filter=[" + exprList(n.Filters) + "]"
	}
	return s
}
func (n *Values) Describe() string { return fmt.Sprintf("Values rows=%d", len(n.Rows)) }
func (n *Filter) Describe() string { return "Filter " + ExprString(n.Cond) }
func (n *Project) Describe() string {
	return "Project " + exprList(n.Exprs)
}
func (n *Aggregate) Describe() string {
	var aggs []string
	for _, a := range n.Aggs {
		aggs = append(aggs, a.String())
	}
	return "Aggregate groups=[" + exprList(n.Groups) + "] aggs=[" + strings.Join(aggs, ", ") + "]"
}
func (n *Join) Describe() string {
	s := "Join " + n.Kind.String()
	if len(n.LeftKeys) > 0 {
		s = "HashJoin " + n.Kind.String() + " keys=[" + exprList(n.LeftKeys) + "]=[" + exprList(n.RightKeys) + "]"
	} else if n.Kind != JoinCross {
		s = "NestedLoopJoin " + n.Kind.String()
	} else {
		s = "CrossJoin"
	}
	if n.Cond != nil {
		s += " on " + ExprString(n.Cond)
	}
	return s
}
func (n *Sort) Describe() string {
	var ks []string
	for _, k := range n.Keys {
		d := ExprString(k.E)
		if k.Desc {
			d += " DESC"
		}
		ks = append(ks, d)
	}
	return "Sort " + strings.Join(ks, ", ")
}
func (n *Limit) Describe() string {
	return fmt.Sprintf("Limit %d offset %d", n.Count, n.Offset)
}
func (n *Distinct) Describe() string { return "Distinct" }
func (n *SetOp) Describe() string {
	s := [...]string{"Union", "Except", "Intersect"}[n.Kind]
	if n.All {
		s += " all"
	}
	return s
}
func (n *SemFilter) Describe() string {
	s := "SemFilter " + ExprString(n.Cond)
	if n.Limit > 0 {
		s += fmt.Sprintf(" limit=%d", n.Limit)
	}
	return s
}
func (n *SemMap) Describe() string {
	var es []string
	for _, e := range n.Exprs {
		es = append(es, ExprString(e))
	}
	return "SemMap " + strings.Join(es, ", ")
}
func (n *SemGroup) Describe() string { return "SemGroup " + ExprString(n.Key) + " AS " + n.Col.Name }
func (n *SemRank) Describe() string {
	d := ""
	if n.Desc {
		d = " DESC"
	}
	return fmt.Sprintf("SemRank %s%s limit=%d", ExprString(n.Key), d, n.Limit)
}
func (n *SemJoin) Describe() string {
	return "SemJoin " + n.Kind.String() + " on " + ExprString(n.Cond)
}
func (n *Explain) Describe() string { return "Explain" }

// Format renders a plan tree for EXPLAIN, one operator per line, children
// indented under their parent.
func Format(n Node) string { return FormatWith(n, nil) }

// FormatWith is Format with extra lines under some operators (EXPLAIN's
// cost estimates for semantic operators): note returns them, or "".
func FormatWith(n Node, note func(Node) string) string {
	var b strings.Builder
	var rec func(n Node, depth int)
	rec = func(n Node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(n.Describe())
		b.WriteByte('\n')
		if note != nil {
			if s := note(n); s != "" {
				for _, l := range strings.Split(s, "\n") {
					b.WriteString(strings.Repeat("  ", depth+1))
					b.WriteString("| ")
					b.WriteString(l)
					b.WriteByte('\n')
				}
			}
		}
		for _, c := range n.Children() {
			rec(c, depth+1)
		}
		// Subquery plans inside expressions.
		for _, sq := range nodeSubqueries(n) {
			b.WriteString(strings.Repeat("  ", depth+1))
			b.WriteString("Subquery")
			if len(sq.Inner) > 0 {
				b.WriteString(" (correlated)")
			}
			b.WriteByte('\n')
			rec(sq.Plan, depth+2)
		}
	}
	rec(n, 0)
	return b.String()
}

// WorkTable identifies the working table of one recursive CTE: the rows
// its previous step produced.
type WorkTable struct{ Name string }

// WorkScan reads the working table of a recursive CTE (the recursive
// select's reference to the CTE itself).
type WorkScan struct {
	Table *WorkTable
	Cols  []Col
}

// RecursiveCTE is WITH RECURSIVE name AS (Init UNION [ALL] Rec): Init's
// rows, then Rec run again and again over the rows the previous step added
// (Rec reads them through WorkScan nodes of Table) until a step adds no
// row. Without All, a row equal to one produced before (under the
// columns' collations) is discarded. Rows stream out step by step, so a
// LIMIT above ends an otherwise endless recursion.
type RecursiveCTE struct {
	Name      string
	Table     *WorkTable
	Init, Rec Node
	All       bool
	Cols      []Col
}

func (n *WorkScan) Columns() []Col       { return n.Cols }
func (n *WorkScan) Children() []Node     { return nil }
func (n *WorkScan) SetChild(int, Node)   {}
func (n *WorkScan) Describe() string     { return "WorkScan " + n.Table.Name }
func (n *RecursiveCTE) Columns() []Col   { return n.Cols }
func (n *RecursiveCTE) Children() []Node { return []Node{n.Init, n.Rec} }
func (n *RecursiveCTE) SetChild(i int, c Node) {
	if i == 0 {
		n.Init = c
	} else {
		n.Rec = c
	}
}
func (n *RecursiveCTE) Describe() string {
	if n.All {
		return "RecursiveCTE " + n.Name + " (UNION ALL)"
	}
	return "RecursiveCTE " + n.Name + " (UNION)"
}

// EstimateRows is a rough estimate of the rows a plan node produces, from
// the tables' row counts and fixed selectivities (an equality 0.1, any
// other predicate 0.5); -1 when unknown. It is what EXPLAIN's estimates
// for semantic operators start from, before any statistics are kept.
func EstimateRows(n Node) float64 {
	sel := func(es []Expr) float64 {
		f := 1.0
		for _, e := range es {
			for _, c := range Conjuncts(e) {
				if b, ok := c.(*Binary); ok && b.Op == "=" {
					f *= 0.1
				} else {
					f *= 0.5
				}
			}
		}
		return f
	}
	switch x := n.(type) {
	case *Scan:
		if x.Rows < 0 {
			return -1
		}
		return float64(x.Rows) * sel(x.Filters)
	case *Values:
		return float64(len(x.Rows))
	case *Filter:
		r := EstimateRows(x.In)
		if r < 0 {
			return r
		}
		return r * sel([]Expr{x.Cond})
	case *SemFilter:
		r := EstimateRows(x.In)
		if r < 0 {
			return r
		}
		return r * 0.5
	case *Join:
		l, r := EstimateRows(x.L), EstimateRows(x.R)
		if l < 0 || r < 0 {
			return -1
		}
		if x.Kind == JoinSemi || x.Kind == JoinAnti {
			return l * 0.5
		}
		if len(x.LeftKeys) > 0 {
			return max(l, r)
		}
		return l * r * sel([]Expr{x.Cond})
	case *Aggregate:
		if len(x.Groups) == 0 {
			return 1
		}
		r := EstimateRows(x.In)
		if r < 0 {
			return -1
		}
		return min(r, 100)
	case *Limit:
		r := EstimateRows(x.In)
		if x.Count >= 0 && (r < 0 || float64(x.Count) < r) {
			return float64(x.Count)
		}
		return r
	case *SemJoin:
		l, r := EstimateRows(x.L), EstimateRows(x.R)
		if l < 0 || r < 0 {
			return -1
		}
		return l * r * 0.01
	}
	ch := n.Children()
	if len(ch) == 1 {
		return EstimateRows(ch[0])
	}
	return -1
}
