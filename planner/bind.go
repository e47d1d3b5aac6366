package planner

import (
	"math"
	"strconv"
	"strings"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/udf"
	"github.com/uqe-dev/uqe/value"
)

// Opener opens a file or folder named in a query (FROM 'x.csv',
// read_csv('x.csv')); the engine supplies it so that it can enforce which
// directories may be read.
type Opener func(fn string, args []value.Value, pos errs.Pos) (catalog.Source, string, error)

// Binder binds statements of one session against a catalog.
type Binder struct {
	Cat    *catalog.Catalog
	Args   []value.Value
	Open   Opener
	nextID ColID
	ctes   []map[string]*ast.CTE
	depth  int // view / CTE expansion depth (guards against recursion)
	// recursive marks the CTEs of WITH RECURSIVE that refer to themselves;
	// working holds, while such a CTE's recursive select is bound, the
	// working table its self-reference reads.
	recursive map[*ast.CTE]bool
	working   map[*ast.CTE]*workState
}

// NewBinder returns a binder for one statement.
func NewBinder(cat *catalog.Catalog, args []value.Value, open Opener) *Binder {
	return &Binder{Cat: cat, Args: args, Open: open}
}

func (b *Binder) newID() ColID {
	b.nextID++
	return b.nextID
}

// NewColID returns a column ID no other column of this statement has (for
// plans the engine assembles around bound expressions).
func (b *Binder) NewColID() ColID { return b.newID() }

// scopeCol is a column visible by name.
type scopeCol struct {
	Col
	// hidden columns are not found by unqualified names or by * (the right
	// side of a USING / NATURAL join).
	hidden bool
	// rowid marks a table's rowid pseudo-column (also hidden): found by
	// the names rowid, oid and _rowid_ when no real column has the name.
	rowid bool
}

// scope is the set of columns visible in one query level.
type scope struct {
	cols   []scopeCol
	parent *scope
	// sub is non-nil for the top scope of a subquery: outer references
	// found through it are recorded here.
	sub *subCtx
	// aliases of the select list (for GROUP BY / HAVING / ORDER BY).
	aliases map[string]ast.Expr
}

type subCtx struct {
	inner []ColID
	outer []Expr
}

func (s *subCtx) add(c *ColRef) {
	for _, id := range s.inner {
		if id == c.ID {
			return
		}
	}
	s.inner = append(s.inner, c.ID)
	cc := *c
	s.outer = append(s.outer, &cc)
}

func (s *scope) lookup(table, name string, pos errs.Pos) (*ColRef, error) {
	var crossed []*subCtx
	for sc := s; sc != nil; sc = sc.parent {
		var found *scopeCol
		n := 0
		for i := range sc.cols {
			c := &sc.cols[i]
			if !strings.EqualFold(c.Name, name) {
				continue
			}
			if table != "" {
				if !strings.EqualFold(c.Table, table) {
					continue
				}
			} else if c.hidden {
				continue
			}
			if found == nil {
				found = c
			}
			n++
		}
		if found == nil && isRowidName(name) {
			for i := range sc.cols {
				c := &sc.cols[i]
				if c.rowid && (table == "" || strings.EqualFold(c.Table, table)) {
					if found == nil {
						found = c
					}
					n++
				}
			}
		}
		if n > 1 {
			return nil, errs.At(pos, errs.AmbiguousColumn, "ambiguous column name: %s", qual(table, name))
		}
		if found != nil {
			ref := &ColRef{ID: found.ID, Name: qual(table, name), T: found.Type, Aff: found.Aff, Coll: found.Coll}
			for _, sub := range crossed {
				sub.add(ref)
			}
			return ref, nil
		}
		if sc.sub != nil {
			crossed = append(crossed, sc.sub)
		}
	}
	return nil, errs.At(pos, errs.UnknownColumn, "no such column: %s", qual(table, name))
}

func isRowidName(name string) bool {
	for _, n := range catalog.RowidNames {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

func qual(t, n string) string {
	if t == "" {
		return n
	}
	return t + "." + n
}

// BindQuery binds a query at the top level.
func (b *Binder) BindQuery(q *ast.Query) (Node, error) {
	return b.bindQuery(q, nil)
}

func (b *Binder) bindQuery(q *ast.Query, parent *scope) (Node, error) {
	if len(q.With) > 0 {
		m := map[string]*ast.CTE{}
		for _, c := range q.With {
			m[strings.ToLower(c.Name)] = c
			if q.Recursive && refersTo(c.Query, c.Name) {
				if b.recursive == nil {
					b.recursive = map[*ast.CTE]bool{}
				}
				b.recursive[c] = true
			}
		}
		b.ctes = append(b.ctes, m)
		defer func() { b.ctes = b.ctes[:len(b.ctes)-1] }()
	}
	if sel, ok := q.Body.(*ast.Select); ok {
		return b.bindSelect(sel, parent, q.OrderBy, q.Limit, q.Offset)
	}
	node, err := b.bindSetExpr(q.Body, parent)
	if err != nil {
		return nil, err
	}
	if len(q.OrderBy) > 0 {
		cols := node.Columns()
		var keys []SortKey
		for _, o := range q.OrderBy {
			idx, err := outputIndex(o.Expr, cols, nil)
			if err != nil {
				return nil, err
			}
			if idx < 0 {
				return nil, errs.At(o.P, errs.Unsupported, "ORDER BY term does not match any column in the result set")
			}
			keys = append(keys, sortKey(o, colRef(cols[idx])))
		}
		node = &Sort{In: node, Keys: keys}
	}
	return b.bindLimit(node, q.Limit, q.Offset)
}

func colRef(c Col) *ColRef {
	return &ColRef{ID: c.ID, Name: c.Name, T: c.Type, Aff: c.Aff, Coll: c.Coll}
}

func sortKey(o *ast.OrderItem, e Expr) SortKey {
	k := SortKey{E: e, Desc: o.Desc, NullsFirst: !o.Desc}
	k.Coll, _ = CollationOf(e)
	if o.NullsFirst != nil {
		k.NullsFirst = *o.NullsFirst
	}
	return k
}

// outputIndex resolves an ORDER BY term against output columns: a column
// number, or a bare name matching an output column's name. It returns -1
// when the term is neither.
func outputIndex(e ast.Expr, cols []Col, visible []bool) (int, error) {
	e = unparen(e)
	n := len(cols)
	if visible != nil {
		n = 0
		for _, v := range visible {
			if v {
				n++
			}
		}
	}
	if lit, ok := e.(*ast.Literal); ok && lit.Kind == ast.LitInt {
		k, err := strconv.Atoi(lit.Raw)
		if err != nil || k < 1 || k > n {
			return 0, errs.At(lit.P, errs.WrongArgs, "ORDER BY term out of range - should be between 1 and %d", n)
		}
		return k - 1, nil
	}
	if cr, ok := e.(*ast.ColumnRef); ok && cr.Table == "" {
		for i := 0; i < n; i++ {
			if strings.EqualFold(cols[i].Name, cr.Name) {
				return i, nil
			}
		}
	}
	return -1, nil
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.Paren)
		if !ok {
			return e
		}
		e = p.X
	}
}

func (b *Binder) bindLimit(node Node, limit, offset ast.Expr) (Node, error) {
	if limit == nil {
		return node, nil
	}
	n, err := b.constInt(limit)
	if err != nil {
		return nil, err
	}
	var off int64
	if offset != nil {
		if off, err = b.constInt(offset); err != nil {
			return nil, err
		}
	}
	if off < 0 {
		off = 0
	}
	if n < 0 {
		n = -1
	}
	return &Limit{In: node, Count: n, Offset: off}, nil
}

func (b *Binder) constInt(e ast.Expr) (int64, error) {
	be, err := b.bindExpr(e, &scope{}, false)
	if err != nil {
		return 0, err
	}
	c, ok := FoldConst(be)
	if !ok {
		return 0, errs.At(e.Position(), errs.WrongArgs, "LIMIT and OFFSET must be constant")
	}
	v := c
	if v.K == value.Text {
		n, ok := value.ParseNumber(v.S)
		if !ok {
			return 0, errs.At(e.Position(), errs.TypeMismatch, "datatype mismatch: LIMIT needs an integer")
		}
		v = n
	}
	if v.K == value.Null {
		return -1, nil
	}
	if v.K != value.Int {
		if v.K == value.Real && v.F == math.Trunc(v.F) {
			return int64(v.F), nil
		}
		return 0, errs.At(e.Position(), errs.TypeMismatch, "datatype mismatch: LIMIT needs an integer")
	}
	return v.I, nil
}

func (b *Binder) bindSetExpr(s ast.SetExpr, parent *scope) (Node, error) {
	switch s := s.(type) {
	case *ast.Select:
		return b.bindSelect(s, parent, nil, nil, nil)
	case *ast.ParenQuery:
		return b.bindQuery(s.Query, parent)
	case *ast.Values:
		return b.bindValues(s, parent)
	case *ast.SetOp:
		l, err := b.bindSetExpr(s.Left, parent)
		if err != nil {
			return nil, err
		}
		r, err := b.bindSetExpr(s.Right, parent)
		if err != nil {
			return nil, err
		}
		lc, rc := l.Columns(), r.Columns()
		if len(lc) != len(rc) {
			return nil, errs.At(s.P, errs.WrongArgs, "SELECTs to the left and right of %s do not have the same number of result columns", s.Op)
		}
		cols := make([]Col, len(lc))
		for i := range lc {
			cols[i] = Col{ID: b.newID(), Name: lc[i].Name, Type: Unify(lc[i].Type, rc[i].Type), Aff: lc[i].Aff, Coll: lc[i].Coll}
		}
		return &SetOp{Kind: SetOpKind(s.Op), All: s.All, L: l, R: r, Cols: cols}, nil
	}
	return nil, errs.At(s.Position(), errs.Internal, "unknown query body %T", s)
}

func (b *Binder) bindValues(v *ast.Values, parent *scope) (Node, error) {
	sc := &scope{parent: parent}
	var rows [][]Expr
	width := -1
	for _, r := range v.Rows {
		if width >= 0 && len(r) != width {
			return nil, errs.At(v.P, errs.WrongArgs, "all VALUES must have the same number of terms")
		}
		width = len(r)
		row := make([]Expr, len(r))
		for i, e := range r {
			be, err := b.bindExpr(e, sc, false)
			if err != nil {
				return nil, err
			}
			row[i] = be
		}
		rows = append(rows, row)
	}
	cols := make([]Col, width)
	for i := range cols {
		t := TNull
		for _, r := range rows {
			t = Unify(t, r[i].Type())
		}
		if t == TBool {
			t = TInt
		}
		cols[i] = Col{ID: b.newID(), Name: "column" + strconv.Itoa(i+1), Type: t}
	}
	return &Values{Rows: rows, Cols: cols}, nil
}

// selectItem is a bound select-list entry.
type selectItem struct {
	name string
	expr Expr
	ast  ast.Expr
}

func (b *Binder) bindSelect(sel *ast.Select, parent *scope, orderBy []*ast.OrderItem, limit, offset ast.Expr) (Node, error) {
	var node Node
	sc := &scope{parent: parent}
	if len(sel.From) == 0 {
		node = &Values{Rows: [][]Expr{{}}}
	} else {
		n, cols, err := b.bindFrom(sel.From, sc)
		if err != nil {
			return nil, err
		}
		node = n
		sc.cols = cols
	}
	// Select-list aliases are visible to GROUP BY, HAVING and ORDER BY.
	sc.aliases = map[string]ast.Expr{}
	for _, it := range sel.Items {
		if it.Alias != "" && it.Expr != nil {
			sc.aliases[strings.ToLower(it.Alias)] = it.Expr
		}
	}
	if sel.Where != nil {
		cond, err := b.bindExpr(sel.Where, sc, false)
		if err != nil {
			return nil, err
		}
		if HasNL(cond) {
			node = &SemFilter{In: node, Cond: cond}
		} else {
			node = &Filter{In: node, Cond: cond}
		}
	}

	// Expand the select list.
	type rawItem struct {
		name string
		e    ast.Expr
		col  *Col // for * expansion
	}
	var raws []rawItem
	for _, it := range sel.Items {
		if it.Star {
			n := 0
			for _, c := range sc.cols {
				if c.hidden {
					continue
				}
				if it.TableStar != "" && !strings.EqualFold(c.Table, it.TableStar) {
					continue
				}
				cc := c.Col
				raws = append(raws, rawItem{name: c.Name, col: &cc})
				n++
			}
			if n == 0 && it.TableStar != "" {
				return nil, errs.At(it.P, errs.UnknownTable, "no such table: %s", it.TableStar)
			}
			if n == 0 && len(sel.From) == 0 {
				return nil, errs.At(it.P, errs.WrongArgs, "no tables specified")
			}
			continue
		}
		name := it.Alias
		if name == "" {
			if cr, ok := unparen(it.Expr).(*ast.ColumnRef); ok {
				name = cr.Name
			} else {
				name = ast.Format(it.Expr)
			}
		}
		raws = append(raws, rawItem{name: name, e: it.Expr})
	}

	aggregate := len(sel.GroupBy) > 0 || sel.Having != nil && containsAgg(sel.Having)
	for _, r := range raws {
		if r.e != nil && containsAgg(r.e) {
			aggregate = true
		}
	}
	for _, o := range orderBy {
		if containsAgg(o.Expr) {
			aggregate = true
		}
	}
	if sel.Having != nil && !aggregate {
		aggregate = true // HAVING without aggregates: a single group
	}

	var ag *aggState
	if aggregate {
		ag = &aggState{b: b}
		in := node
		for _, g := range sel.GroupBy {
			ge := g.Expr
			// GROUP BY n refers to the n-th select item; an alias to its item.
			if lit, ok := unparen(ge).(*ast.Literal); ok && lit.Kind == ast.LitInt {
				k, _ := strconv.Atoi(lit.Raw)
				if k < 1 || k > len(raws) || raws[k-1].e == nil {
					return nil, errs.At(lit.P, errs.WrongArgs, "GROUP BY term out of range - should be between 1 and %d", len(raws))
				}
				ge = raws[k-1].e
			}
			be, err := b.bindExpr(ge, sc, false)
			if err != nil {
				if cr, ok := unparen(ge).(*ast.ColumnRef); ok && cr.Table == "" && errs.CodeOf(err) == errs.UnknownColumn {
					if ae, ok := sc.aliases[strings.ToLower(cr.Name)]; ok {
						be, err = b.bindExpr(ae, sc, false)
					}
				}
				if err != nil {
					return nil, err
				}
			}
			if nl, ok := be.(*NLExpr); ok {
				name := g.Alias
				if name == "" {
					name = ast.Format(g.Expr)
				}
				nl.T = TText
				col := Col{ID: b.newID(), Name: name, Type: TText}
				in = &SemGroup{In: in, Key: nl, Col: col}
				ag.nlGroups = append(ag.nlGroups, nlAlias{nl.Text, col})
				be = colRef(col)
				if g.Alias != "" {
					sc.aliases[strings.ToLower(g.Alias)] = nil
					ag.nlAlias = append(ag.nlAlias, nlAlias{strings.ToLower(g.Alias), col})
				}
			} else if HasNL(be) {
				return nil, errs.At(g.P, errs.Unsupported, "a natural-language expression inside a GROUP BY expression is not supported; group by the phrase itself")
			}
			ag.groups = append(ag.groups, be)
			gname := g.Alias
			if gname == "" {
				gname = ast.Format(g.Expr)
			}
			ag.groupCols = append(ag.groupCols, Col{ID: b.newID(), Name: gname, Type: be.Type(), Aff: affOf(be), Coll: collOf(be)})
		}
		ag.local = localIDs(sc)
		node = in
	}

	// Bind the select items.
	items := make([]selectItem, len(raws))
	for i, r := range raws {
		if r.col != nil {
			items[i] = selectItem{name: r.name, expr: colRef(*r.col)}
			if ag != nil {
				e, err := ag.lift(items[i].expr)
				if err != nil {
					return nil, err
				}
				items[i].expr = e
			}
			continue
		}
		e, err := b.bindItem(r.e, sc, ag)
		if err != nil {
			return nil, err
		}
		items[i] = selectItem{name: r.name, expr: e, ast: r.e}
	}

	var having Expr
	if sel.Having != nil {
		h, err := b.bindItem(sel.Having, sc, ag)
		if err != nil {
			return nil, err
		}
		having = h
	}

	// ORDER BY keys: an output column (number, alias or equal expression),
	// or a hidden extra column computed by the projection.
	type orderRef struct {
		idx  int // output column, or len(items)+k for hidden
		item *ast.OrderItem
		coll *value.Collation // alias COLLATE name: overrides the column's
	}
	var orders []orderRef
	var hidden []Expr
	var semRank *NLExpr
	var semRankDesc bool
	for _, o := range orderBy {
		cols := make([]Col, len(items))
		for i, it := range items {
			cols[i] = Col{Name: it.name}
		}
		idx, err := outputIndex(o.Expr, cols, nil)
		if err != nil {
			return nil, err
		}
		if idx >= 0 {
			// A bare name that is also a FROM column and not an alias of
			// a different expression resolves to the output column anyway.
			orders = append(orders, orderRef{idx: idx, item: o})
			continue
		}
		if c, ok := unparen(o.Expr).(*ast.Collate); ok {
			// alias COLLATE name, n COLLATE name: the output column,
			// ordered under that collation.
			if idx, err := outputIndex(c.X, cols, nil); err == nil && idx >= 0 {
				coll, ok := value.LookupCollation(c.Name)
				if !ok {
					return nil, errs.At(c.P, errs.WrongArgs, "no such collation sequence: %s", c.Name)
				}
				orders = append(orders, orderRef{idx: idx, item: o, coll: &coll})
				continue
			}
		}
		e, err := b.bindItem(o.Expr, sc, ag)
		if err != nil {
			return nil, err
		}
		if nl, ok := e.(*NLExpr); ok {
			if semRank != nil || len(orders) > 0 {
				return nil, errs.At(o.P, errs.Unsupported, "a natural-language ORDER BY must be the only ordering key")
			}
			nl.T = TFloat
			semRank, semRankDesc = nl, o.Desc
			continue
		}
		found := -1
		for i, it := range items {
			if Equal(it.expr, e) {
				found = i
				break
			}
		}
		if found < 0 {
			found = len(items) + len(hidden)
			hidden = append(hidden, e)
		}
		orders = append(orders, orderRef{idx: found, item: o})
	}

	// Aggregate node.
	if ag != nil {
		if having != nil && HasNL(having) {
			return nil, errs.At(sel.Having.Position(), errs.Unsupported, "natural-language expressions in HAVING are not supported")
		}
		cols := append([]Col{}, ag.groupCols...)
		cols = append(cols, ag.aggCols...)
		// Phrases inside aggregate arguments (AVG(CAST("the rating" AS
		// INTEGER))) are extracted per row below the aggregate.
		var nls []*NLExpr
		var nlCols []Col
		for _, a := range ag.aggs {
			// SUM/AVG/TOTAL("phrase") count or average a predicate's
			// verdicts (1/0); other aggregates read the phrase as text.
			numeric := a.Name == "sum" || a.Name == "avg" || a.Name == "total"
			for i, arg := range a.Args {
				a.Args[i] = Rewrite(arg, func(e Expr) Expr {
					nl, ok := e.(*NLExpr)
					if !ok {
						return nil
					}
					if nl.T == TBool && nl.Cast == "" && !(numeric && Equal(arg, nl)) {
						nl.T = TText
					}
					col := Col{ID: b.newID(), Name: ExprString(nl), Type: nl.T}
					nls = append(nls, nl)
					nlCols = append(nlCols, col)
					return colRef(col)
				})
			}
		}
		if len(nls) > 0 {
			node = &SemMap{In: node, Exprs: nls, Cols: nlCols}
		}
		node = &Aggregate{In: node, Groups: ag.groups, Aggs: ag.aggs, Cols: cols}
		if having != nil {
			node = &Filter{In: node, Cond: having}
		}
	}

	// Semantic extraction for NL select items (non-aggregate queries).
	var nls []*NLExpr
	var nlCols []Col
	for i := range items {
		items[i].expr = Rewrite(items[i].expr, func(e Expr) Expr {
			nl, ok := e.(*NLExpr)
			if !ok {
				return nil
			}
			if nl.T == TBool && nl.Cast == "" {
				nl.T = TText
			}
			col := Col{ID: b.newID(), Name: items[i].name, Type: nl.T}
			nls = append(nls, nl)
			nlCols = append(nlCols, col)
			return colRef(col)
		})
	}
	if len(nls) > 0 {
		node = &SemMap{In: node, Exprs: nls, Cols: nlCols}
	}
	if semRank != nil {
		lim := int64(-1)
		if limit != nil {
			n, err := b.constInt(limit)
			if err != nil {
				return nil, err
			}
			lim = n
		}
		node = &SemRank{In: node, Key: semRank, Desc: semRankDesc, Limit: lim}
	}

	// Projection (with hidden sort columns).
	exprs := make([]Expr, 0, len(items)+len(hidden))
	cols := make([]Col, 0, len(items)+len(hidden))
	for _, it := range items {
		t := it.expr.Type()
		if t == TBool {
			t = TInt
		}
		exprs = append(exprs, it.expr)
		cols = append(cols, Col{ID: b.newID(), Name: it.name, Type: t, Aff: affOf(it.expr), Coll: collOf(it.expr)})
	}
	for _, h := range hidden {
		t := h.Type()
		if t == TBool {
			t = TInt
		}
		exprs = append(exprs, h)
		cols = append(cols, Col{ID: b.newID(), Name: ExprString(h), Type: t, Aff: affOf(h), Coll: collOf(h)})
	}
	node = &Project{In: node, Exprs: exprs, Cols: cols}
	if sel.Distinct {
		if len(hidden) > 0 {
			return nil, errs.At(sel.P, errs.Unsupported, "ORDER BY of a SELECT DISTINCT must use result columns")
		}
		node = &Distinct{In: node}
	}
	if len(orders) > 0 {
		keys := make([]SortKey, len(orders))
		for i, o := range orders {
			keys[i] = sortKey(o.item, colRef(cols[o.idx]))
			if o.coll != nil {
				keys[i].Coll = *o.coll
			}
		}
		node = &Sort{In: node, Keys: keys}
	}
	if len(hidden) > 0 {
		out := cols[:len(items)]
		pe := make([]Expr, len(out))
		pc := make([]Col, len(out))
		for i, c := range out {
			pe[i] = colRef(c)
			pc[i] = Col{ID: b.newID(), Name: c.Name, Type: c.Type, Aff: c.Aff, Coll: c.Coll}
		}
		node = &Project{In: node, Exprs: pe, Cols: pc}
	}
	return b.bindLimit(node, limit, offset)
}

// collOf is the collation of a column defined by e.
func collOf(e Expr) value.Collation {
	c, _ := CollationOf(e)
	return c
}

func affOf(e Expr) value.Affinity {
	switch e := e.(type) {
	case *ColRef:
		return e.Aff
	case *Collate:
		return affOf(e.X)
	case *Cast:
		return value.AffinityOf(e.Decl)
	case *Subquery:
		if e.Kind == SubScalar {
			return e.Aff
		}
	}
	return value.AffNone
}

func localIDs(sc *scope) map[ColID]bool {
	m := map[ColID]bool{}
	for _, c := range sc.cols {
		m[c.ID] = true
	}
	return m
}

// bindItem binds an expression of the select list, HAVING or ORDER BY:
// aggregates allowed when the query aggregates, then lifted above the
// Aggregate node.
func (b *Binder) bindItem(e ast.Expr, sc *scope, ag *aggState) (Expr, error) {
	if ag != nil {
		// A bare name equal to an NL GROUP BY alias is that group column.
		if cr, ok := unparen(e).(*ast.ColumnRef); ok && cr.Table == "" {
			for _, a := range ag.nlAlias {
				if a.name == strings.ToLower(cr.Name) {
					return ag.lift(colRef(a.col))
				}
			}
		}
	}
	be, err := b.bindExpr(e, sc, ag != nil)
	if err != nil {
		// An ORDER BY / HAVING name may be a select alias.
		if cr, ok := unparen(e).(*ast.ColumnRef); ok && cr.Table == "" && errs.CodeOf(err) == errs.UnknownColumn {
			if ae, ok := sc.aliases[strings.ToLower(cr.Name)]; ok && ae != nil {
				return b.bindItem(ae, sc, ag)
			}
		}
		return nil, err
	}
	if ag == nil {
		return be, nil
	}
	return ag.lift(be)
}

type nlAlias struct {
	name string
	col  Col
}

// aggState collects the groups and aggregates of one aggregate query.
type aggState struct {
	b         *Binder
	groups    []Expr
	groupCols []Col
	aggs      []*AggCall
	aggCols   []Col
	local     map[ColID]bool
	nlAlias   []nlAlias
	// nlGroups are the phrases grouped by (SemGroup), by text: the same
	// phrase in the select list is that group column.
	nlGroups []nlAlias
}

// lift rewrites an expression bound against the Aggregate's input into one
// over its output: group-key subexpressions become the group columns,
// aggregate calls become aggregate columns, and any other column of the
// input becomes a SQLite "bare column" (its value from some row of the
// group, here the last).
func (a *aggState) lift(e Expr) (Expr, error) {
	var rec func(e Expr) Expr
	rec = func(e Expr) Expr {
		for i, g := range a.groups {
			if Equal(g, e) {
				return colRef(a.groupCols[i])
			}
		}
		switch x := e.(type) {
		case *NLExpr:
			for _, g := range a.nlGroups {
				if g.name == x.Text && x.Cast == "" {
					return rec(colRef(g.col)) // the Aggregate's group column
				}
			}
		case *AggRef:
			return a.aggCol(x.Call)
		case *ColRef:
			if a.local[x.ID] {
				return a.aggCol(&AggCall{Name: "anyvalue", Args: []Expr{x}, T: x.T})
			}
			return x
		case *Subquery:
			c := *x
			if c.X != nil {
				c.X = rec(c.X)
			}
			c.Outer = make([]Expr, len(x.Outer))
			for i, o := range x.Outer {
				c.Outer[i] = rec(o)
			}
			return &c
		}
		// Rebuild children.
		return rewriteChildren(e, rec)
	}
	return rec(e), nil
}

func (a *aggState) aggCol(call *AggCall) Expr {
	for i, c := range a.aggs {
		if c.Name == call.Name && c.Distinct == call.Distinct && c.Star == call.Star && c.Bound == call.Bound && equalList(c.Args, call.Args) {
			return colRef(a.aggCols[i])
		}
	}
	a.aggs = append(a.aggs, call)
	col := Col{ID: a.b.newID(), Name: call.String(), Type: call.T}
	a.aggCols = append(a.aggCols, col)
	return colRef(col)
}

// rewriteChildren rebuilds e with fn applied to each direct child.
func rewriteChildren(e Expr, fn func(Expr) Expr) Expr {
	opt := func(x Expr) Expr {
		if x == nil {
			return nil
		}
		return fn(x)
	}
	list := func(xs []Expr) []Expr {
		out := make([]Expr, len(xs))
		for i, x := range xs {
			out[i] = fn(x)
		}
		return out
	}
	switch x := e.(type) {
	case *Unary:
		c := *x
		c.X = fn(x.X)
		return &c
	case *Binary:
		c := *x
		c.L, c.R = fn(x.L), fn(x.R)
		return &c
	case *CollCmp:
		c := *x
		c.L, c.R = fn(x.L), fn(x.R)
		return &c
	case *Collate:
		c := *x
		c.X = fn(x.X)
		return &c
	case *Func:
		c := *x
		c.Args = list(x.Args)
		return &c
	case *Case:
		c := *x
		c.Operand = opt(x.Operand)
		c.Whens = make([]When, len(x.Whens))
		for i, w := range x.Whens {
			c.Whens[i] = When{Cond: fn(w.Cond), Result: fn(w.Result), Coll: w.Coll}
		}
		c.Else = opt(x.Else)
		return &c
	case *Cast:
		c := *x
		c.X = fn(x.X)
		return &c
	case *Like:
		c := *x
		c.X, c.Pattern, c.Esc = fn(x.X), fn(x.Pattern), opt(x.Esc)
		return &c
	case *InList:
		c := *x
		c.X = fn(x.X)
		c.List = list(x.List)
		return &c
	case *IsNull:
		c := *x
		c.X = fn(x.X)
		return &c
	case *NLExpr:
		c := *x
		c.Context = make([]ColRef, len(x.Context))
		for i := range x.Context {
			r := fn(&x.Context[i])
			if cr, ok := r.(*ColRef); ok {
				c.Context[i] = *cr
			} else {
				c.Context[i] = x.Context[i]
			}
		}
		return &c
	}
	return e
}

// containsAgg reports whether an AST expression calls an aggregate outside
// of any subquery.
func containsAgg(e ast.Expr) bool {
	found := false
	ast.Walk(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Func:
			if udf.IsAggregate(n.Name, len(n.Args)) || n.Star {
				found = true
			}
		case *ast.Subquery, *ast.Exists, *ast.InQuery:
			if iq, ok := n.(*ast.InQuery); ok && iq.X != nil && containsAgg(iq.X) {
				found = true
			}
			return false
		}
		return !found
	})
	return found
}
