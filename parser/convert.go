package parser

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/uqe-dev/uqe/ast"
)

// converter turns grammar structs into ast nodes. src is needed only for
// CREATE TRIGGER bodies; the first semantic error found is kept in err.
type converter struct {
	src string
	err error
}

func pat(p lexer.Position) ast.At { return ast.At{P: toPos(p)} }

func (c *converter) fail(p lexer.Position, msg string) {
	if c.err == nil {
		c.err = &synErr{pos: p, msg: msg}
	}
}

func names(ns []*gName) []string {
	if ns == nil {
		return nil
	}
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Name
	}
	return out
}

func (c *converter) stmt(g *gStmt) ast.Stmt {
	switch {
	case g.Explain != nil:
		return &ast.Explain{At: pat(g.Explain.Pos), Analyze: g.Explain.Analyze, Stmt: c.stmt(g.Explain.Stmt)}
	case g.Query != nil:
		q := c.query(g.Query)
		return &ast.QueryStmt{At: q.At, Query: q}
	case g.Create != nil:
		return c.create(g.Create)
	case g.Insert != nil:
		i := g.Insert
		s := &ast.Insert{At: pat(i.Pos), Replace: i.Replace, Or: strings.ToUpper(i.Or), Table: i.Table.Name,
			Columns: names(i.Columns), Default: i.Default}
		if i.Query != nil {
			s.Query = c.query(i.Query)
		}
		return s
	case g.Update != nil:
		u := g.Update
		s := &ast.Update{At: pat(u.Pos), Table: u.Table.Name, Where: u.Where}
		for _, a := range u.Set {
			s.Set = append(s.Set, &ast.Assignment{At: pat(a.Pos), Column: a.Column.Name, Value: a.Value})
		}
		return s
	case g.Delete != nil:
		return &ast.Delete{At: pat(g.Delete.Pos), Table: g.Delete.Table.Name, Where: g.Delete.Where}
	case g.Drop != nil:
		d := g.Drop
		kind := map[string]ast.DropKind{"TABLE": ast.DropTable, "VIEW": ast.DropView, "INDEX": ast.DropIndex,
			"TRIGGER": ast.DropTrigger}[strings.ToUpper(d.Kind)]
		return &ast.Drop{At: pat(d.Pos), Kind: kind, IfExists: d.IfExists, Name: d.Name.Name}
	case g.Reindex != nil:
		s := &ast.Reindex{At: pat(g.Reindex.Pos)}
		if g.Reindex.Name != nil {
			s.Name = g.Reindex.Name.Name
		}
		return s
	case g.Set != nil:
		return &ast.Set{At: pat(g.Set.Pos), Name: g.Set.Name.Name, Value: g.Set.Value}
	case g.Show != nil:
		name := g.Show.Name
		if strings.HasPrefix(name, "`") {
			name = unquote(name, '`')
		}
		return &ast.Show{At: pat(g.Show.Pos), Name: strings.ToLower(name)}
	}
	return nil
}

func (c *converter) create(g *gCreate) ast.Stmt {
	a := pat(g.Pos)
	if g.Unique && g.Index == nil {
		c.fail(g.Pos, "UNIQUE is only allowed in CREATE UNIQUE INDEX")
	}
	switch {
	case g.Table != nil:
		t := g.Table
		s := &ast.CreateTable{At: a, Name: t.Name.Name, IfNotExists: t.IfNotExists, Temp: g.Temp}
		if t.AsQuery != nil {
			s.AsQuery = c.query(t.AsQuery)
			return s
		}
		for _, e := range t.Elems {
			switch {
			case e.PK != nil:
				if s.PrimaryKey != nil {
					c.fail(e.Pos, "table has more than one primary key")
				}
				s.PrimaryKey = names(e.PK)
			case e.Unique != nil:
				s.Unique = append(s.Unique, names(e.Unique))
			case e.Column != nil:
				col := &ast.ColumnDef{At: pat(e.Column.Pos), Name: e.Column.Name.Name}
				if e.Column.Type != nil {
					col.Type = e.Column.Type.Text
				}
				for _, k := range e.Column.Cons {
					switch {
					case k.PK:
						col.PrimaryKey = true
					case k.NotNull:
						col.NotNull = true
					case k.Unique:
						col.Unique = true
					case k.Default != nil:
						col.Default = k.Default
					case k.Collate != nil:
						col.Collate = k.Collate.Name
					}
				}
				s.Columns = append(s.Columns, col)
			}
		}
		return s
	case g.View != nil:
		v := g.View
		return &ast.CreateView{At: a, Name: v.Name.Name, IfNotExists: v.IfNotExists, Temp: g.Temp,
			Columns: names(v.Columns), Query: c.query(v.Query)}
	case g.Index != nil:
		if g.Temp {
			c.fail(g.Pos, "TEMP is not allowed in CREATE INDEX")
		}
		x := g.Index
		return &ast.CreateIndex{At: a, Name: x.Name.Name, Unique: g.Unique, IfNotExists: x.IfNotExists,
			Table: x.Table.Name, Columns: c.orderItems(x.Columns)}
	default:
		t := g.Trigger
		body := ""
		if t.Body.End <= len(c.src) && t.Body.Start <= t.Body.End {
			body = c.src[t.Body.Start:t.Body.End]
		}
		return &ast.CreateTrigger{At: a, Name: t.Name.Name, Body: body}
	}
}

func (c *converter) orderItems(gs []*gOrderItem) []*ast.OrderItem {
	var out []*ast.OrderItem
	for _, o := range gs {
		it := &ast.OrderItem{At: pat(o.Pos), Expr: o.Expr, Desc: strings.EqualFold(o.Dir, "DESC")}
		if o.Nulls != "" {
			first := strings.EqualFold(o.Nulls, "FIRST")
			it.NullsFirst = &first
		}
		out = append(out, it)
	}
	return out
}

func (c *converter) query(g *gQuery) *ast.Query {
	q := &ast.Query{At: pat(g.Pos)}
	if g.With != nil {
		q.Recursive = g.With.Recursive
		for _, w := range g.With.CTEs {
			q.With = append(q.With, &ast.CTE{At: pat(w.Pos), Name: w.Name.Name, Columns: names(w.Columns),
				Query: c.query(w.Query)})
		}
	}
	q.Body = c.operand(g.First)
	for _, r := range g.Rest {
		op := map[string]ast.SetOpKind{"UNION": ast.Union, "EXCEPT": ast.Except,
			"INTERSECT": ast.Intersect}[strings.ToUpper(r.Op)]
		if r.All && op != ast.Union {
			c.fail(r.Pos, strings.ToUpper(r.Op)+" ALL is not supported (only UNION ALL)")
		}
		q.Body = &ast.SetOp{At: ast.At{P: q.Body.Position()}, Op: op, All: r.All, Left: q.Body,
			Right: c.operand(r.Operand)}
	}
	q.OrderBy = c.orderItems(g.OrderBy)
	if g.Limit != nil {
		q.Limit, q.Offset = g.Limit, g.Offset
		if g.Comma { // LIMIT offset, count
			q.Limit, q.Offset = g.Offset, g.Limit
		}
	}
	return q
}

func (c *converter) operand(g *gSetOperand) ast.SetExpr {
	switch {
	case g.Select != nil:
		return c.sel(g.Select)
	case g.Values != nil:
		v := &ast.Values{At: pat(g.Values.Pos)}
		for _, r := range g.Values.Rows {
			v.Rows = append(v.Rows, r.Exprs)
		}
		return v
	default:
		return &ast.ParenQuery{At: pat(g.Pos), Query: c.query(g.Paren)}
	}
}

func (c *converter) sel(g *gSelect) *ast.Select {
	s := &ast.Select{At: pat(g.Pos), Distinct: g.Distinct, Where: g.Where, Having: g.Having}
	for _, it := range g.Items {
		si := &ast.SelectItem{At: pat(it.Pos), Star: it.Star, Expr: it.Expr}
		if it.TableStar != nil {
			si.Star, si.TableStar = true, it.TableStar.Name
		}
		if it.Alias != nil {
			si.Alias = it.Alias.Name
		}
		s.Items = append(s.Items, si)
	}
	for _, f := range g.From {
		s.From = append(s.From, c.from(f))
	}
	for _, gi := range g.GroupBy {
		item := &ast.GroupItem{At: pat(gi.Pos), Expr: gi.Expr}
		if gi.Alias != nil {
			item.Alias = gi.Alias.Name
		}
		s.GroupBy = append(s.GroupBy, item)
	}
	return s
}

func (c *converter) from(g *gFrom) ast.TableExpr {
	left := c.primary(g.Left)
	for _, j := range g.Joins {
		kind := ast.InnerJoin
		switch strings.ToUpper(j.Kind) {
		case "LEFT":
			kind = ast.LeftJoin
		case "RIGHT":
			kind = ast.RightJoin
		case "FULL":
			kind = ast.FullJoin
		case "CROSS":
			kind = ast.CrossJoin
		}
		jn := &ast.Join{At: ast.At{P: left.Position()}, Kind: kind, Natural: j.Natural, Left: left,
			Right: c.primary(j.Right), On: j.On, Using: names(j.Using)}
		if j.Natural && (j.On != nil || j.Using != nil) {
			c.fail(j.Pos, "a NATURAL join cannot have an ON or USING clause")
		}
		left = jn
	}
	return left
}

func (c *converter) primary(g *gTablePrimary) ast.TableExpr {
	a := pat(g.Pos)
	alias := ""
	if g.Alias != nil {
		alias = g.Alias.Name
	}
	switch {
	case g.Sub != nil:
		return &ast.SubqueryTable{At: a, Query: c.query(g.Sub), Alias: alias}
	case g.Paren != nil:
		if alias != "" {
			c.fail(g.Pos, "a parenthesised join cannot have an alias")
		}
		return c.from(g.Paren)
	case g.Path != nil:
		return &ast.TablePath{At: a, Path: unquote(*g.Path, '\''), Alias: alias}
	case g.Func != nil:
		return &ast.TableFunc{At: a, Name: strings.ToLower(g.Func.Name), Args: g.Args, Alias: alias}
	default:
		return &ast.TableName{At: a, Name: g.Name.Name, Alias: alias}
	}
}
