package engine

import (
	"context"
	"strings"

	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/catalog"
	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/executor"
	"github.com/uqe-dev/uqe/optimizer"
	"github.com/uqe-dev/uqe/planner"
	"github.com/uqe-dev/uqe/value"
)

// execWrite runs statements that change the catalog or a table; the
// caller holds the DB's write lock.
func (s *Session) execWrite(ctx context.Context, stmt ast.Stmt, args []value.Value) (*Result, error) {
	cat := s.db.cat
	switch st := stmt.(type) {
	case *ast.CreateTable:
		if _, ok := cat.Table(st.Name); ok {
			if st.IfNotExists {
				return &Result{}, nil
			}
			return nil, errs.At(st.P, errs.DuplicateObject, "table %s already exists", st.Name)
		}
		if _, ok := cat.View(st.Name); ok {
			return nil, errs.At(st.P, errs.DuplicateObject, "there is already a view named %s", st.Name)
		}
		if st.AsQuery != nil {
			return s.createTableAs(ctx, st, args)
		}
		cols := make([]catalog.MemColumn, len(st.Columns))
		seen := map[string]bool{}
		for i, c := range st.Columns {
			if seen[strings.ToLower(c.Name)] {
				return nil, errs.At(c.P, errs.DuplicateObject, "duplicate column name: %s", c.Name)
			}
			seen[strings.ToLower(c.Name)] = true
			cols[i] = catalog.MemColumn{Name: c.Name, Decl: c.Type, NotNull: c.NotNull, PrimaryKey: c.PrimaryKey, Unique: c.Unique, Collate: c.Collate}
			if c.Default != nil {
				e, err := s.binder(args).BindStandalone(c.Default)
				if err != nil {
					return nil, err
				}
				v, ok := planner.FoldConst(e)
				if !ok {
					return nil, errs.At(c.Default.Position(), errs.WrongArgs, "default value of column %s is not constant", c.Name)
				}
				cols[i].Default = v
			}
		}
		for _, pk := range st.PrimaryKey {
			if len(st.PrimaryKey) == 1 {
				for i := range cols {
					if strings.EqualFold(cols[i].Name, pk) {
						cols[i].PrimaryKey = true
					}
				}
			}
		}
		mt := catalog.NewMemTable(cols)
		return &Result{}, cat.AddTable(&catalog.Table{Name: st.Name, Source: mt, Mem: mt})
	case *ast.CreateView:
		if _, ok := cat.View(st.Name); ok {
			if st.IfNotExists {
				return &Result{}, nil
			}
			return nil, errs.At(st.P, errs.DuplicateObject, "view %s already exists", st.Name)
		}
		if _, ok := cat.Table(st.Name); ok {
			return nil, errs.At(st.P, errs.DuplicateObject, "there is already a table named %s", st.Name)
		}
		// Bind once now so that a broken view is refused at creation.
		n, err := s.binder(args).BindQuery(st.Query)
		if err != nil {
			return nil, err
		}
		if st.Columns != nil && len(st.Columns) != len(n.Columns()) {
			return nil, errs.At(st.P, errs.WrongArgs, "expected %d columns for %s but got %d", len(st.Columns), st.Name, len(n.Columns()))
		}
		return &Result{}, cat.AddView(&catalog.View{Name: st.Name, Columns: st.Columns, Query: st.Query, SQL: ast.Format(st.Query)})
	case *ast.CreateIndex:
		if _, ok := cat.Index(st.Name); ok {
			if st.IfNotExists {
				return &Result{}, nil
			}
			return nil, errs.At(st.P, errs.DuplicateObject, "index %s already exists", st.Name)
		}
		t, ok := cat.Table(st.Table)
		if !ok {
			return nil, errs.At(st.P, errs.UnknownTable, "no such table: %s", st.Table)
		}
		var names []string
		for _, c := range st.Columns {
			cr, ok := c.Expr.(*ast.ColumnRef)
			if !ok {
				names = append(names, ast.Format(c.Expr))
				continue
			}
			found := false
			for _, f := range t.Source.Schema().Fields() {
				if strings.EqualFold(f.Name, cr.Name) {
					found = true
				}
			}
			if !found {
				return nil, errs.At(cr.P, errs.UnknownColumn, "no such column: %s", cr.Name)
			}
			names = append(names, cr.Name)
		}
		return &Result{}, cat.AddIndex(&catalog.Index{Name: st.Name, Table: t.Name, Columns: names, Unique: st.Unique})
	case *ast.Drop:
		var ok bool
		var what string
		switch st.Kind {
		case ast.DropTable:
			ok, what = cat.DropTable(st.Name), "table"
		case ast.DropView:
			ok, what = cat.DropView(st.Name), "view"
		case ast.DropIndex:
			ok, what = cat.DropIndex(st.Name), "index"
		case ast.DropTrigger:
			if st.IfExists {
				return &Result{}, nil
			}
			return nil, errs.At(st.P, errs.Unsupported, "triggers are not supported")
		}
		if !ok && !st.IfExists {
			return nil, errs.At(st.P, errs.UnknownTable, "no such %s: %s", what, st.Name)
		}
		return &Result{}, nil
	case *ast.Insert:
		return s.insert(ctx, st, args)
	case *ast.Update:
		return s.update(ctx, st, args)
	case *ast.Delete:
		return s.delete(ctx, st, args)
	}
	return nil, errs.At(stmt.Position(), errs.Unsupported, "unsupported statement %T", stmt)
}

func memTable(cat *catalog.Catalog, name string, pos errs.Pos) (*catalog.MemTable, error) {
	t, ok := cat.Table(name)
	if !ok {
		if _, v := cat.View(name); v {
			return nil, errs.At(pos, errs.Unsupported, "cannot modify %s because it is a view", name)
		}
		return nil, errs.At(pos, errs.UnknownTable, "no such table: %s", name)
	}
	if t.Mem == nil {
		return nil, errs.At(pos, errs.Unsupported, "table %s is read from %s and cannot be modified", name, t.Path)
	}
	return t.Mem, nil
}

// runRows runs a plan and returns its rows as values.
func (s *Session) runRows(ctx context.Context, n planner.Node) ([][]value.Value, []planner.Col, error) {
	x, _, err := s.newExec(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	op, err := x.Build(n)
	if err != nil {
		return nil, nil, err
	}
	defer op.Close()
	cols := op.Cols()
	var rows [][]value.Value
	for {
		b, err := op.Next()
		if err != nil {
			return nil, nil, err
		}
		if b == nil {
			return rows, cols, nil
		}
		for r := 0; r < int(b.NumRows()); r++ {
			row := make([]value.Value, len(cols))
			for c := range cols {
				row[c] = executor.GetValue(b.Column(c), r, cols[c].Type)
			}
			rows = append(rows, row)
		}
		b.Release()
	}
}

func declOf(t planner.Type) string {
	switch t {
	case planner.TInt, planner.TBool:
		return "INTEGER"
	case planner.TFloat:
		return "REAL"
	case planner.TText:
		return "TEXT"
	case planner.TBlob:
		return "BLOB"
	}
	return ""
}

func (s *Session) createTableAs(ctx context.Context, st *ast.CreateTable, args []value.Value) (*Result, error) {
	n, err := s.plan(st.AsQuery, args)
	if err != nil {
		return nil, err
	}
	rows, cols, err := s.runRows(ctx, n)
	if err != nil {
		return nil, err
	}
	mc := make([]catalog.MemColumn, len(cols))
	for i, c := range cols {
		mc[i] = catalog.MemColumn{Name: c.Name, Decl: declOf(c.Type)}
	}
	mt := catalog.NewMemTable(mc)
	if err := mt.Insert(rows); err != nil {
		return nil, err
	}
	if err := s.db.cat.AddTable(&catalog.Table{Name: st.Name, Source: mt, Mem: mt}); err != nil {
		return nil, err
	}
	return &Result{RowsAffected: int64(len(rows))}, nil
}

func (s *Session) insert(ctx context.Context, st *ast.Insert, args []value.Value) (*Result, error) {
	mt, err := memTable(s.db.cat, st.Table, st.P)
	if err != nil {
		return nil, err
	}
	if st.Replace || (st.Or != "" && st.Or != "ABORT" && st.Or != "FAIL" && st.Or != "ROLLBACK") {
		return nil, errs.At(st.P, errs.Unsupported, "INSERT OR %s / REPLACE is not supported", strings.ToUpper(st.Or))
	}
	tcols := mt.Cols()
	// Target positions.
	pos := make([]int, 0, len(tcols))
	if st.Columns == nil {
		for i := range tcols {
			pos = append(pos, i)
		}
	} else {
		for _, c := range st.Columns {
			found := -1
			for i, tc := range tcols {
				if strings.EqualFold(tc.Name, c) {
					found = i
				}
			}
			if found < 0 {
				return nil, errs.At(st.P, errs.UnknownColumn, "table %s has no column named %s", st.Table, c)
			}
			pos = append(pos, found)
		}
	}
	var src [][]value.Value
	if st.Default {
		src = [][]value.Value{{}}
		pos = nil
	} else if v, ok := st.Query.Body.(*ast.Values); ok && len(st.Query.OrderBy) == 0 && st.Query.Limit == nil && len(st.Query.With) == 0 {
		// Fast path for INSERT ... VALUES: no plan needed.
		b := s.binder(args)
		for _, r := range v.Rows {
			if len(r) != len(pos) {
				return nil, errs.At(v.P, errs.WrongArgs, "%d values for %d columns", len(r), len(pos))
			}
			row := make([]value.Value, len(r))
			for i, e := range r {
				be, err := b.BindStandalone(e)
				if err != nil {
					return nil, err
				}
				val, err := planner.EvalRow(be, nil)
				if err != nil {
					if errs.CodeOf(err) == errs.Internal {
						return s.insertQuery(ctx, st, mt, pos, args)
					}
					return nil, err
				}
				row[i] = val
			}
			src = append(src, row)
		}
	} else {
		return s.insertQuery(ctx, st, mt, pos, args)
	}
	return s.insertRows(mt, tcols, pos, src)
}

func (s *Session) insertQuery(ctx context.Context, st *ast.Insert, mt *catalog.MemTable, pos []int, args []value.Value) (*Result, error) {
	n, err := s.plan(st.Query, args)
	if err != nil {
		return nil, err
	}
	if len(n.Columns()) != len(pos) {
		return nil, errs.At(st.P, errs.WrongArgs, "table %s has %d columns but %d values were supplied", st.Table, len(pos), len(n.Columns()))
	}
	rows, _, err := s.runRows(ctx, n)
	if err != nil {
		return nil, err
	}
	return s.insertRows(mt, mt.Cols(), pos, rows)
}

func (s *Session) insertRows(mt *catalog.MemTable, tcols []catalog.MemColumn, pos []int, src [][]value.Value) (*Result, error) {
	rows := make([][]value.Value, len(src))
	for r, in := range src {
		row := make([]value.Value, len(tcols))
		for i, c := range tcols {
			row[i] = c.Default
		}
		for i, p := range pos {
			row[p] = in[i]
		}
		rows[r] = row
	}
	if err := mt.Insert(rows); err != nil {
		return nil, err
	}
	return &Result{RowsAffected: int64(len(rows))}, nil
}

// scanExprs evaluates expressions over every row of a table, in table
// order, through the executor (so subqueries and vectorised kernels work).
func (s *Session) scanExprs(ctx context.Context, b *planner.Binder, scan *planner.Scan, exprs []planner.Expr) ([][]value.Value, error) {
	// Natural-language expressions are answered by a semantic operator
	// below the projection: every phrase becomes a column of a SemMap.
	var in planner.Node = scan
	var nls []*planner.NLExpr
	var nlCols []planner.Col
	for i, e := range exprs {
		exprs[i] = planner.Rewrite(e, func(x planner.Expr) planner.Expr {
			nl, ok := x.(*planner.NLExpr)
			if !ok {
				return nil
			}
			col := planner.Col{ID: b.NewColID(), Name: planner.ExprString(nl), Type: nl.T}
			nls = append(nls, nl)
			nlCols = append(nlCols, col)
			return &planner.ColRef{ID: col.ID, Name: col.Name, T: col.Type}
		})
	}
	if len(nls) > 0 {
		in = &planner.SemMap{In: scan, Exprs: nls, Cols: nlCols}
	}
	cols := make([]planner.Col, len(exprs))
	for i, e := range exprs {
		t := e.Type()
		if t == planner.TBool {
			t = planner.TInt
		}
		cols[i] = planner.Col{ID: b.NewColID(), Name: "e", Type: t}
	}
	n := optimizer.Optimize(&planner.Project{In: in, Exprs: exprs, Cols: cols})
	rows, _, err := s.runRows(ctx, n)
	return rows, err
}

func (s *Session) update(ctx context.Context, st *ast.Update, args []value.Value) (*Result, error) {
	mt, err := memTable(s.db.cat, st.Table, st.P)
	if err != nil {
		return nil, err
	}
	b := s.binder(args)
	scan, bind, err := b.BindTable(st.Table, st.P)
	if err != nil {
		return nil, err
	}
	tcols := mt.Cols()
	exprs := []planner.Expr{&planner.Const{V: value.FromInt(1), T: planner.TInt}}
	if st.Where != nil {
		w, err := bind(st.Where)
		if err != nil {
			return nil, err
		}
		exprs[0] = w
	}
	targets := make([]int, len(st.Set))
	for i, a := range st.Set {
		targets[i] = -1
		for j, c := range tcols {
			if strings.EqualFold(c.Name, a.Column) {
				targets[i] = j
			}
		}
		if targets[i] < 0 {
			return nil, errs.At(a.P, errs.UnknownColumn, "no such column: %s", a.Column)
		}
		e, err := bind(a.Value)
		if err != nil {
			return nil, err
		}
		exprs = append(exprs, e)
	}
	// The table's current values come along so new rows can be built.
	for _, c := range scan.Cols {
		exprs = append(exprs, &planner.ColRef{ID: c.ID, Name: c.Name, T: c.Type, Aff: c.Aff})
	}
	rows, err := s.scanExprs(ctx, b, scan, exprs)
	if err != nil {
		return nil, err
	}
	var n int64
	out := make([][]value.Value, len(rows))
	base := 1 + len(st.Set)
	for r, row := range rows {
		nr := append([]value.Value(nil), row[base:]...)
		if t, ok := value.Truth(row[0]); ok && t {
			n++
			for i, p := range targets {
				nr[p] = row[1+i]
			}
		}
		out[r] = nr
	}
	if n == 0 {
		return &Result{}, nil
	}
	if err := mt.Replace(out); err != nil {
		return nil, err
	}
	return &Result{RowsAffected: n}, nil
}

func (s *Session) delete(ctx context.Context, st *ast.Delete, args []value.Value) (*Result, error) {
	mt, err := memTable(s.db.cat, st.Table, st.P)
	if err != nil {
		return nil, err
	}
	if st.Where == nil {
		n := mt.Len()
		return &Result{RowsAffected: int64(n)}, mt.Replace(nil)
	}
	b := s.binder(args)
	scan, bind, err := b.BindTable(st.Table, st.P)
	if err != nil {
		return nil, err
	}
	w, err := bind(st.Where)
	if err != nil {
		return nil, err
	}
	exprs := []planner.Expr{w}
	for _, c := range scan.Cols {
		exprs = append(exprs, &planner.ColRef{ID: c.ID, Name: c.Name, T: c.Type, Aff: c.Aff})
	}
	rows, err := s.scanExprs(ctx, b, scan, exprs)
	if err != nil {
		return nil, err
	}
	var keep [][]value.Value
	for _, row := range rows {
		if t, ok := value.Truth(row[0]); ok && t {
			continue
		}
		keep = append(keep, row[1:])
	}
	n := int64(len(rows) - len(keep))
	if n == 0 {
		return &Result{}, nil
	}
	return &Result{RowsAffected: n}, mt.Replace(keep)
}
