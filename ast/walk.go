package ast

// Walk visits n and its descendants in pre-order (children in source
// order). If fn returns false, the children of that node are skipped. Nil
// nodes are not visited.
func Walk(n Node, fn func(Node) bool) {
	if isNil(n) || !fn(n) {
		return
	}
	w := func(c Node) { Walk(c, fn) }
	exprs := func(es []Expr) {
		for _, e := range es {
			w(e)
		}
	}
	switch n := n.(type) {
	case *QueryStmt:
		w(n.Query)
	case *ColumnDef:
		w(n.Default)
	case *CreateTable:
		for _, c := range n.Columns {
			w(c)
		}
		w(n.AsQuery)
	case *CreateView:
		w(n.Query)
	case *CreateIndex:
		for _, o := range n.Columns {
			w(o)
		}
	case *CreateTrigger, *Drop, *Show, *Reindex:
	case *Insert:
		w(n.Query)
	case *Assignment:
		w(n.Value)
	case *Update:
		for _, a := range n.Set {
			w(a)
		}
		w(n.Where)
	case *Delete:
		w(n.Where)
	case *Set:
		w(n.Value)
	case *Explain:
		w(n.Stmt)
	case *CTE:
		w(n.Query)
	case *Query:
		for _, c := range n.With {
			w(c)
		}
		w(n.Body)
		for _, o := range n.OrderBy {
			w(o)
		}
		w(n.Limit)
		w(n.Offset)
	case *SetOp:
		w(n.Left)
		w(n.Right)
	case *Values:
		for _, r := range n.Rows {
			exprs(r)
		}
	case *ParenQuery:
		w(n.Query)
	case *SelectItem:
		w(n.Expr)
	case *GroupItem:
		w(n.Expr)
	case *Select:
		for _, it := range n.Items {
			w(it)
		}
		for _, t := range n.From {
			w(t)
		}
		w(n.Where)
		for _, g := range n.GroupBy {
			w(g)
		}
		w(n.Having)
	case *OrderItem:
		w(n.Expr)
	case *TableName, *TablePath:
	case *TableFunc:
		exprs(n.Args)
	case *SubqueryTable:
		w(n.Query)
	case *Join:
		w(n.Left)
		w(n.Right)
		w(n.On)
	case *Literal, *ColumnRef, *NL, *Param:
	case *Unary:
		w(n.X)
	case *Binary:
		w(n.L)
		w(n.R)
	case *Like:
		w(n.X)
		w(n.Pattern)
		w(n.Escape)
	case *Between:
		w(n.X)
		w(n.Lo)
		w(n.Hi)
	case *InList:
		w(n.X)
		exprs(n.List)
	case *InQuery:
		w(n.X)
		w(n.Query)
	case *Exists:
		w(n.Query)
	case *Subquery:
		w(n.Query)
	case *IsNull:
		w(n.X)
	case *When:
		w(n.Cond)
		w(n.Result)
	case *Case:
		w(n.Operand)
		for _, wh := range n.Whens {
			w(wh)
		}
		w(n.Else)
	case *Cast:
		w(n.X)
	case *Func:
		exprs(n.Args)
	case *Paren:
		w(n.X)
	case *Collate:
		w(n.X)
	}
}

// isNil reports whether n is nil or a typed nil pointer.
func isNil(n Node) bool { return n == nil || isNilPtr(n) }

// isNilPtr detects typed nil pointers among the node types without
// reflection.
func isNilPtr(n Node) bool {
	switch v := n.(type) {
	case *QueryStmt:
		return v == nil
	case *ColumnDef:
		return v == nil
	case *CreateTable:
		return v == nil
	case *CreateView:
		return v == nil
	case *CreateIndex:
		return v == nil
	case *CreateTrigger:
		return v == nil
	case *Drop:
		return v == nil
	case *Insert:
		return v == nil
	case *Assignment:
		return v == nil
	case *Update:
		return v == nil
	case *Delete:
		return v == nil
	case *Set:
		return v == nil
	case *Show:
		return v == nil
	case *Explain:
		return v == nil
	case *Reindex:
		return v == nil
	case *CTE:
		return v == nil
	case *Query:
		return v == nil
	case *SetOp:
		return v == nil
	case *Values:
		return v == nil
	case *ParenQuery:
		return v == nil
	case *SelectItem:
		return v == nil
	case *GroupItem:
		return v == nil
	case *Select:
		return v == nil
	case *OrderItem:
		return v == nil
	case *TableName:
		return v == nil
	case *TablePath:
		return v == nil
	case *TableFunc:
		return v == nil
	case *SubqueryTable:
		return v == nil
	case *Join:
		return v == nil
	case *Literal:
		return v == nil
	case *ColumnRef:
		return v == nil
	case *NL:
		return v == nil
	case *Param:
		return v == nil
	case *Unary:
		return v == nil
	case *Binary:
		return v == nil
	case *Like:
		return v == nil
	case *Between:
		return v == nil
	case *InList:
		return v == nil
	case *InQuery:
		return v == nil
	case *Exists:
		return v == nil
	case *Subquery:
		return v == nil
	case *IsNull:
		return v == nil
	case *When:
		return v == nil
	case *Case:
		return v == nil
	case *Cast:
		return v == nil
	case *Func:
		return v == nil
	case *Paren:
		return v == nil
	case *Collate:
		return v == nil
	}
	return false
}
