package planner

import (
	"strings"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/value"
)

const maxExpansionDepth = 32

// bindFrom binds a FROM list: a comma list becomes a left-deep tree of
// cross joins (the optimizer turns equality predicates into hash joins and
// reorders them).
func (b *Binder) bindFrom(list []ast.TableExpr, sc *scope) (Node, []scopeCol, error) {
	var node Node
	var cols []scopeCol
	for _, te := range list {
		n, c, err := b.bindTableExpr(te, sc)
		if err != nil {
			return nil, nil, err
		}
		if node == nil {
			node, cols = n, c
			continue
		}
		node = &Join{Kind: JoinCross, L: node, R: n}
		cols = append(cols, c...)
	}
	return node, cols, nil
}

func (b *Binder) scanOf(src catalog.Source, name, alias string, mem *catalog.MemTable) (Node, []scopeCol) {
	q := alias
	if q == "" {
		q = name
	}
	schema := src.Schema()
	cols := make([]Col, schema.NumFields())
	out := make([]scopeCol, len(cols))
	for i, f := range schema.Fields() {
		t := TypeFromArrow(f.Type)
		if v, ok := f.Metadata.GetValue(value.AnyMetaKey); ok && v == value.AnyMetaValue {
			t = TAny
		}
		aff := value.AffNone
		switch t {
		case TInt:
			aff = value.AffInteger
		case TFloat:
			aff = value.AffReal
		case TText:
			aff = value.AffText
		}
		if mem != nil {
			aff = mem.Cols()[i].Aff
		}
		if t == TBool {
			aff = value.AffInteger
		}
		cols[i] = Col{ID: b.newID(), Name: f.Name, Table: q, Type: t, Aff: aff}
		if mem != nil {
			cols[i].Coll = collationNamed(mem.Cols()[i].Collate)
		}
		out[i] = scopeCol{Col: cols[i]}
	}
	scan := &Scan{Name: name, Alias: alias, Source: src, Cols: cols, Rows: src.RowCount()}
	// The rowid pseudo-column, unless a real column has each of its names
	// (then the names refer to the real columns).
	shadowed := 0
	for _, n := range catalog.RowidNames {
		for _, f := range schema.Fields() {
			if strings.EqualFold(f.Name, n) {
				shadowed++
				break
			}
		}
	}
	if shadowed < len(catalog.RowidNames) {
		c := Col{ID: b.newID(), Name: "rowid", Table: q, Type: TInt, Aff: value.AffInteger}
		scan.Cols = append(scan.Cols, c)
		scan.Rowid = true
		out = append(out, scopeCol{Col: c, hidden: true, rowid: true})
	}
	return scan, out
}

func (b *Binder) lookupCTE(name string) *ast.CTE {
	for i := len(b.ctes) - 1; i >= 0; i-- {
		if c, ok := b.ctes[i][strings.ToLower(name)]; ok {
			return c
		}
	}
	return nil
}

// requalify gives a bound query's output columns a qualifier and optional
// new names, as a scope.
func requalify(n Node, qual string, names []string, pos errs.Pos) ([]scopeCol, error) {
	cols := n.Columns()
	if names != nil && len(names) != len(cols) {
		return nil, errs.At(pos, errs.WrongArgs, "%s has %d columns but %d column names were given", qual, len(cols), len(names))
	}
	out := make([]scopeCol, len(cols))
	for i, c := range cols {
		c.Table = qual
		if names != nil {
			c.Name = names[i]
		}
		out[i] = scopeCol{Col: c}
	}
	return out, nil
}

func (b *Binder) bindTableExpr(te ast.TableExpr, sc *scope) (Node, []scopeCol, error) {
	switch t := te.(type) {
	case *ast.TableName:
		qual := t.Alias
		if qual == "" {
			qual = t.Name
		}
		if cte := b.lookupCTE(t.Name); cte != nil {
			if w := b.working[cte]; w != nil {
				// The recursive select's reference to its own CTE.
				cols := make([]Col, len(w.cols))
				for i, c := range w.cols {
					c.ID = b.newID()
					cols[i] = c
				}
				n := &WorkScan{Table: w.table, Cols: cols}
				sc, err := requalify(n, qual, nil, t.P)
				return n, sc, err
			}
			if b.recursive[cte] {
				if b.depth > maxExpansionDepth {
					return nil, nil, errs.At(t.P, errs.Unsupported, "circular reference: %s", t.Name)
				}
				b.depth++
				n, err := b.bindRecursive(cte)
				b.depth--
				if err != nil {
					return nil, nil, err
				}
				cols, err := requalify(n, qual, nil, t.P)
				return n, cols, err
			}
			if b.depth > maxExpansionDepth {
				return nil, nil, errs.At(t.P, errs.Unsupported, "circular reference: %s", t.Name)
			}
			b.depth++
			n, err := b.bindQuery(cte.Query, nil)
			b.depth--
			if err != nil {
				return nil, nil, err
			}
			cols, err := requalify(n, qual, cte.Columns, t.P)
			return n, cols, err
		}
		if v, ok := b.Cat.View(t.Name); ok {
			if b.depth > maxExpansionDepth {
				return nil, nil, errs.At(t.P, errs.Unsupported, "circular view reference: %s", t.Name)
			}
			b.depth++
			saved := b.ctes
			b.ctes = nil
			n, err := b.bindQuery(v.Query, nil)
			b.ctes = saved
			b.depth--
			if err != nil {
				return nil, nil, err
			}
			cols, err := requalify(n, qual, v.Columns, t.P)
			return n, cols, err
		}
		tab, ok := b.Cat.Table(t.Name)
		if !ok {
			return nil, nil, errs.At(t.P, errs.UnknownTable, "no such table: %s", t.Name)
		}
		n, cols := b.scanOf(tab.Source, tab.Name, t.Alias, tab.Mem)
		return n, cols, nil
	case *ast.TablePath:
		if b.Open == nil {
			return nil, nil, errs.At(t.P, errs.BadPath, "reading files is not enabled")
		}
		src, name, err := b.Open("", []value.Value{value.FromText(t.Path)}, t.P)
		if err != nil {
			return nil, nil, err
		}
		n, cols := b.scanOf(src, name, t.Alias, nil)
		return n, cols, nil
	case *ast.TableFunc:
		if b.Open == nil {
			return nil, nil, errs.At(t.P, errs.BadPath, "reading files is not enabled")
		}
		args := make([]value.Value, len(t.Args))
		for i, a := range t.Args {
			be, err := b.bindExpr(a, &scope{}, false)
			if err != nil {
				return nil, nil, err
			}
			v, ok := FoldConst(be)
			if !ok {
				return nil, nil, errs.At(a.Position(), errs.WrongArgs, "arguments of %s must be constants", t.Name)
			}
			args[i] = v
		}
		src, name, err := b.Open(strings.ToLower(t.Name), args, t.P)
		if err != nil {
			return nil, nil, err
		}
		n, cols := b.scanOf(src, name, t.Alias, nil)
		return n, cols, nil
	case *ast.SubqueryTable:
		n, err := b.bindQuery(t.Query, sc.parent)
		if err != nil {
			return nil, nil, err
		}
		cols, err := requalify(n, t.Alias, nil, t.P)
		return n, cols, err
	case *ast.Join:
		l, lc, err := b.bindTableExpr(t.Left, sc)
		if err != nil {
			return nil, nil, err
		}
		r, rc, err := b.bindTableExpr(t.Right, sc)
		if err != nil {
			return nil, nil, err
		}
		kind := JoinInner
		switch t.Kind {
		case ast.LeftJoin:
			kind = JoinLeft
		case ast.CrossJoin:
			kind = JoinCross
		case ast.RightJoin, ast.FullJoin:
			return nil, nil, errs.At(t.P, errs.Unsupported, "%s JOIN is not supported", t.Kind)
		}
		cols := append(append([]scopeCol{}, lc...), rc...)
		js := &scope{cols: cols, parent: sc.parent}
		var cond Expr
		using := t.Using
		if t.Natural {
			for _, a := range lc {
				for _, c := range rc {
					if !a.hidden && strings.EqualFold(a.Name, c.Name) {
						using = append(using, a.Name)
					}
				}
			}
		}
		for _, u := range using {
			var lcol, rcol *scopeCol
			for i := range lc {
				if strings.EqualFold(lc[i].Name, u) && !lc[i].hidden {
					lcol = &lc[i]
				}
			}
			for i := range rc {
				if strings.EqualFold(rc[i].Name, u) {
					rcol = &cols[len(lc)+i]
				}
			}
			if lcol == nil || rcol == nil {
				return nil, nil, errs.At(t.P, errs.UnknownColumn, "cannot join using column %s - column not present in both tables", u)
			}
			eq := &Binary{Op: "=", L: colRef(lcol.Col), R: colRef(rcol.Col), T: TBool}
			cond = And(append(Conjuncts(cond), eq))
			rcol.hidden = true
		}
		if t.On != nil {
			on, err := b.bindExpr(t.On, js, false)
			if err != nil {
				return nil, nil, err
			}
			cond = And(append(Conjuncts(cond), on))
		}
		if cond != nil && kind == JoinCross {
			kind = JoinInner
		}
		if cond != nil && HasNL(cond) {
			return &SemJoin{Kind: kind, L: l, R: r, Cond: cond}, cols, nil
		}
		if cond == nil && kind == JoinInner {
			kind = JoinCross
		}
		return &Join{Kind: kind, L: l, R: r, Cond: cond}, cols, nil
	}
	return nil, nil, errs.At(te.Position(), errs.Internal, "unknown table expression %T", te)
}

// BindTable binds a scan of a table for UPDATE and DELETE, and returns a
// function that binds expressions over its columns.
func (b *Binder) BindTable(name string, pos errs.Pos) (*Scan, func(ast.Expr) (Expr, error), error) {
	tab, ok := b.Cat.Table(name)
	if !ok {
		return nil, nil, errs.At(pos, errs.UnknownTable, "no such table: %s", name)
	}
	n, cols := b.scanOf(tab.Source, tab.Name, "", tab.Mem)
	sc := &scope{cols: cols}
	return n.(*Scan), func(e ast.Expr) (Expr, error) { return b.bindExpr(e, sc, false) }, nil
}

// BindStandalone binds an expression with no columns in scope (INSERT
// VALUES, SET values, defaults).
func (b *Binder) BindStandalone(e ast.Expr) (Expr, error) {
	return b.bindExpr(e, &scope{}, false)
}

// BindColumns binds an expression over a list of named columns (column i
// gets ColID i+1), for evaluating expressions outside a query, such as the
// sim model's answer key. Evaluate the result with EvalRow and a RowEnv
// that returns column i for ColID i+1.
func BindColumns(e ast.Expr, names []string, types []Type) (Expr, error) {
	sc := &scope{}
	for i, n := range names {
		t := types[i]
		aff := value.AffNone
		switch t {
		case TInt:
			aff = value.AffInteger
		case TFloat:
			aff = value.AffReal
		case TText:
			aff = value.AffText
		}
		sc.cols = append(sc.cols, scopeCol{Col: Col{ID: ColID(i + 1), Name: n, Type: t, Aff: aff}})
	}
	b := &Binder{Cat: catalog.New(), nextID: ColID(len(names) + 1)}
	return b.bindExpr(e, sc, false)
}

// collationNamed maps a declared collation name to a collation (unknown
// names are refused when the table is created; BINARY if none).
func collationNamed(name string) value.Collation {
	c, _ := value.LookupCollation(name)
	return c
}

// workState is the working table of a recursive CTE being bound.
type workState struct {
	table *WorkTable
	cols  []Col
}

// refersTo reports whether a query names table name in a FROM clause.
func refersTo(q *ast.Query, name string) bool {
	found := false
	ast.Walk(q, func(n ast.Node) bool {
		if t, ok := n.(*ast.TableName); ok && strings.EqualFold(t.Name, name) {
			found = true
		}
		return !found
	})
	return found
}

// bindRecursive binds a recursive CTE: initial-select UNION [ALL]
// recursive-select, where only the recursive select refers to the CTE.
// The working table's column types start as the initial select's and are
// widened (Unify) until the recursive select's output fits them.
func (b *Binder) bindRecursive(cte *ast.CTE) (Node, error) {
	q := cte.Query
	so, ok := q.Body.(*ast.SetOp)
	if !ok || so.Op != ast.Union || refersTo(&ast.Query{Body: so.Left}, cte.Name) {
		return nil, errs.At(cte.P, errs.Unsupported, "recursive CTE %s must be initial-select UNION [ALL] recursive-select", cte.Name)
	}
	if len(q.With) > 0 || len(q.OrderBy) > 0 {
		return nil, errs.At(cte.P, errs.Unsupported, "WITH or ORDER BY inside the recursive CTE %s is not supported", cte.Name)
	}
	init, err := b.bindSetExpr(so.Left, nil)
	if err != nil {
		return nil, err
	}
	ic := init.Columns()
	if cte.Columns != nil && len(cte.Columns) != len(ic) {
		return nil, errs.At(cte.P, errs.WrongArgs, "table %s has %d values for %d columns", cte.Name, len(ic), len(cte.Columns))
	}
	cols := make([]Col, len(ic))
	for i, c := range ic {
		cols[i] = Col{Name: c.Name, Type: c.Type, Aff: c.Aff, Coll: c.Coll}
		if cte.Columns != nil {
			cols[i].Name = cte.Columns[i]
		}
		if cols[i].Type == TBool {
			cols[i].Type = TInt
		}
	}
	table := &WorkTable{Name: cte.Name}
	if b.working == nil {
		b.working = map[*ast.CTE]*workState{}
	}
	var rec Node
	for round := 0; ; round++ {
		b.working[cte] = &workState{table: table, cols: cols}
		rec, err = b.bindSetExpr(so.Right, nil)
		delete(b.working, cte)
		if err != nil {
			return nil, err
		}
		rc := rec.Columns()
		if len(rc) != len(cols) {
			return nil, errs.At(so.P, errs.WrongArgs, "SELECTs to the left and right of UNION do not have the same number of result columns")
		}
		changed := false
		for i := range cols {
			t := Unify(cols[i].Type, rc[i].Type)
			if t == TBool {
				t = TInt
			}
			if round >= 3 && t != cols[i].Type {
				t = TAny
			}
			if t != cols[i].Type {
				cols[i].Type, changed = t, true
			}
		}
		if !changed {
			break
		}
	}
	for i := range cols {
		cols[i].ID = b.newID()
	}
	var node Node = &RecursiveCTE{Name: cte.Name, Table: table, Init: init, Rec: rec, All: so.All, Cols: cols}
	return b.bindLimit(node, q.Limit, q.Offset)
}
