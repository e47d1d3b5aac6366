package ast

import (
	"strings"
	"unicode"
)

// Format renders a node as UQL text. Trees produced by the parser round-trip:
// parsing the output gives the same tree (positions aside), because
// grouping the user wrote is kept as Paren/ParenQuery nodes and Format adds
// parentheses only where a hand-built tree needs them for its meaning.
func Format(n Node) string {
	var f formatter
	f.node(n)
	return f.b.String()
}

type formatter struct{ b strings.Builder }

func (f *formatter) w(ss ...string) {
	for _, s := range ss {
		f.b.WriteString(s)
	}
}

// Precedence levels, as in the parser (SQLite's order), lowest first.
const (
	pOr = iota + 1
	pAnd
	pNot
	pEq
	pCmp
	pBit
	pAdd
	pMul
	pConcat
	pCollate
	pUnary
	pPrimary
)

func precOf(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		switch e.Op {
		case "OR":
			return pOr
		case "AND":
			return pAnd
		case "=", "<>", "IS", "IS NOT":
			return pEq
		case "<", "<=", ">", ">=":
			return pCmp
		case "&", "|", "<<", ">>":
			return pBit
		case "+", "-":
			return pAdd
		case "*", "/", "%":
			return pMul
		case "||":
			return pConcat
		}
		return pOr
	case *Unary:
		if e.Op == "NOT" {
			return pNot
		}
		return pUnary
	case *Exists:
		if e.Not {
			return pNot
		}
	case *Like, *Between, *InList, *InQuery, *IsNull:
		return pEq
	case *Collate:
		return pCollate
	}
	return pPrimary
}

// sub formats e, parenthesised if its precedence is below min.
func (f *formatter) sub(e Expr, min int) {
	if precOf(e) < min {
		f.w("(")
		f.node(e)
		f.w(")")
		return
	}
	f.node(e)
}

// reservedWords must be quoted when used as names.
var reservedWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`ALL AND AS ASC BETWEEN BY CASE CAST COLLATE CREATE CROSS
		DEFAULT DELETE DESC DISTINCT DROP ELSE END ESCAPE EXCEPT EXISTS FALSE FROM FULL GLOB
		GROUP HAVING IN INDEXED INNER INSERT INTERSECT INTO IS ISNULL JOIN LEFT LIKE LIMIT
		NATURAL NOT NOTNULL NULL OFFSET ON OR ORDER OUTER RIGHT SELECT SET THEN TRUE UNION
		UPDATE USING VALUES WHEN WHERE WITH PRIMARY UNIQUE CHECK CONSTRAINT REFERENCES KEY
		NULLS FIRST LAST`) {
		reservedWords[w] = true
	}
}

// Ident renders a name, backtick-quoting it when it is not a plain word or
// is a keyword.
func Ident(s string) string {
	plain := s != "" && !reservedWords[strings.ToUpper(s)]
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || r == '$')) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (f *formatter) alias(a string) {
	if a != "" {
		f.w(" AS ", Ident(a))
	}
}

func (f *formatter) names(ns []string) {
	f.w("(")
	for i, n := range ns {
		if i > 0 {
			f.w(", ")
		}
		f.w(Ident(n))
	}
	f.w(")")
}

func (f *formatter) exprs(es []Expr) {
	for i, e := range es {
		if i > 0 {
			f.w(", ")
		}
		f.node(e)
	}
}

func ifNotExists(b bool) string {
	if b {
		return "IF NOT EXISTS "
	}
	return ""
}

func (f *formatter) node(n Node) {
	if isNil(n) {
		return
	}
	switch n := n.(type) {
	// ------------------------------------------------------------ statements
	case *QueryStmt:
		f.node(n.Query)
	case *CreateTable:
		f.w("CREATE ")
		if n.Temp {
			f.w("TEMP ")
		}
		f.w("TABLE ", ifNotExists(n.IfNotExists), Ident(n.Name))
		if n.AsQuery != nil {
			f.w(" AS ")
			f.node(n.AsQuery)
			return
		}
		f.w(" (")
		i := 0
		sep := func() {
			if i > 0 {
				f.w(", ")
			}
			i++
		}
		for _, c := range n.Columns {
			sep()
			f.node(c)
		}
		if n.PrimaryKey != nil {
			sep()
			f.w("PRIMARY KEY ")
			f.names(n.PrimaryKey)
		}
		for _, u := range n.Unique {
			sep()
			f.w("UNIQUE ")
			f.names(u)
		}
		f.w(")")
	case *ColumnDef:
		f.w(Ident(n.Name))
		if n.Type != "" {
			f.w(" ", n.Type)
		}
		if n.PrimaryKey {
			f.w(" PRIMARY KEY")
		}
		if n.NotNull {
			f.w(" NOT NULL")
		}
		if n.Unique {
			f.w(" UNIQUE")
		}
		if n.Default != nil {
			f.w(" DEFAULT ")
			f.sub(n.Default, pUnary)
		}
		if n.Collate != "" {
			f.w(" COLLATE ", Ident(n.Collate))
		}
	case *CreateView:
		f.w("CREATE ")
		if n.Temp {
			f.w("TEMP ")
		}
		f.w("VIEW ", ifNotExists(n.IfNotExists), Ident(n.Name))
		if n.Columns != nil {
			f.w(" ")
			f.names(n.Columns)
		}
		f.w(" AS ")
		f.node(n.Query)
	case *CreateIndex:
		f.w("CREATE ")
		if n.Unique {
			f.w("UNIQUE ")
		}
		f.w("INDEX ", ifNotExists(n.IfNotExists), Ident(n.Name), " ON ", Ident(n.Table), " (")
		for i, o := range n.Columns {
			if i > 0 {
				f.w(", ")
			}
			f.node(o)
		}
		f.w(")")
	case *CreateTrigger:
		f.w("CREATE TRIGGER ", Ident(n.Name), " ", n.Body)
	case *Drop:
		f.w("DROP ", [...]string{"TABLE", "VIEW", "INDEX", "TRIGGER"}[n.Kind], " ")
		if n.IfExists {
			f.w("IF EXISTS ")
		}
		f.w(Ident(n.Name))
	case *Insert:
		if n.Replace {
			f.w("REPLACE")
		} else {
			f.w("INSERT")
			if n.Or != "" {
				f.w(" OR ", n.Or)
			}
		}
		f.w(" INTO ", Ident(n.Table))
		if n.Columns != nil {
			f.w(" ")
			f.names(n.Columns)
		}
		if n.Default {
			f.w(" DEFAULT VALUES")
		} else {
			f.w(" ")
			f.node(n.Query)
		}
	case *Assignment:
		f.w(Ident(n.Column), " = ")
		f.node(n.Value)
	case *Update:
		f.w("UPDATE ", Ident(n.Table), " SET ")
		for i, a := range n.Set {
			if i > 0 {
				f.w(", ")
			}
			f.node(a)
		}
		if n.Where != nil {
			f.w(" WHERE ")
			f.node(n.Where)
		}
	case *Delete:
		f.w("DELETE FROM ", Ident(n.Table))
		if n.Where != nil {
			f.w(" WHERE ")
			f.node(n.Where)
		}
	case *Set:
		f.w("SET ", Ident(n.Name), " = ")
		f.node(n.Value)
	case *Show:
		// SHOW takes any word, keywords included (SHOW ALL).
		name := Ident(n.Name)
		if plain := strings.Trim(n.Name, "abcdefghijklmnopqrstuvwxyz_0123456789"); plain == "" && n.Name != "" && (n.Name[0] < '0' || n.Name[0] > '9') {
			name = strings.ToUpper(n.Name)
		}
		f.w("SHOW ", name)
	case *Explain:
		f.w("EXPLAIN ")
		if n.Analyze {
			f.w("ANALYZE ")
		}
		f.node(n.Stmt)
	case *Reindex:
		f.w("REINDEX")
		if n.Name != "" {
			f.w(" ", Ident(n.Name))
		}

	// --------------------------------------------------------------- queries
	case *CTE:
		f.w(Ident(n.Name))
		if n.Columns != nil {
			f.names(n.Columns)
		}
		f.w(" AS (")
		f.node(n.Query)
		f.w(")")
	case *Query:
		if len(n.With) > 0 {
			f.w("WITH ")
			if n.Recursive {
				f.w("RECURSIVE ")
			}
			for i, c := range n.With {
				if i > 0 {
					f.w(", ")
				}
				f.node(c)
			}
			f.w(" ")
		}
		f.node(n.Body)
		if len(n.OrderBy) > 0 {
			f.w(" ORDER BY ")
			for i, o := range n.OrderBy {
				if i > 0 {
					f.w(", ")
				}
				f.node(o)
			}
		}
		if n.Limit != nil || n.Offset != nil {
			f.w(" LIMIT ")
			if n.Limit != nil {
				f.node(n.Limit)
			} else {
				f.w("-1")
			}
			if n.Offset != nil {
				f.w(" OFFSET ")
				f.node(n.Offset)
			}
		}
	case *SetOp:
		f.node(n.Left)
		f.w(" ", n.Op.String(), " ")
		if n.All {
			f.w("ALL ")
		}
		if _, ok := n.Right.(*SetOp); ok {
			f.w("(")
			f.node(n.Right)
			f.w(")")
		} else {
			f.node(n.Right)
		}
	case *Values:
		f.w("VALUES ")
		for i, r := range n.Rows {
			if i > 0 {
				f.w(", ")
			}
			f.w("(")
			f.exprs(r)
			f.w(")")
		}
	case *ParenQuery:
		f.w("(")
		f.node(n.Query)
		f.w(")")
	case *SelectItem:
		switch {
		case n.Star && n.TableStar != "":
			f.w(Ident(n.TableStar), ".*")
		case n.Star:
			f.w("*")
		default:
			f.node(n.Expr)
			f.alias(n.Alias)
		}
	case *GroupItem:
		f.node(n.Expr)
		f.alias(n.Alias)
	case *Select:
		f.w("SELECT ")
		if n.Distinct {
			f.w("DISTINCT ")
		}
		for i, it := range n.Items {
			if i > 0 {
				f.w(", ")
			}
			f.node(it)
		}
		if len(n.From) > 0 {
			f.w(" FROM ")
			for i, t := range n.From {
				if i > 0 {
					f.w(", ")
				}
				f.node(t)
			}
		}
		if n.Where != nil {
			f.w(" WHERE ")
			f.node(n.Where)
		}
		if len(n.GroupBy) > 0 {
			f.w(" GROUP BY ")
			for i, g := range n.GroupBy {
				if i > 0 {
					f.w(", ")
				}
				f.node(g)
			}
		}
		if n.Having != nil {
			f.w(" HAVING ")
			f.node(n.Having)
		}
	case *OrderItem:
		f.node(n.Expr)
		if n.Desc {
			f.w(" DESC")
		}
		if n.NullsFirst != nil {
			if *n.NullsFirst {
				f.w(" NULLS FIRST")
			} else {
				f.w(" NULLS LAST")
			}
		}

	// ----------------------------------------------------- table expressions
	case *TableName:
		f.w(Ident(n.Name))
		f.alias(n.Alias)
	case *TablePath:
		f.w(quoteString(n.Path))
		f.alias(n.Alias)
	case *TableFunc:
		f.w(Ident(n.Name), "(")
		f.exprs(n.Args)
		f.w(")")
		f.alias(n.Alias)
	case *SubqueryTable:
		f.w("(")
		f.node(n.Query)
		f.w(")")
		f.alias(n.Alias)
	case *Join:
		f.node(n.Left)
		f.w(" ")
		if n.Natural {
			f.w("NATURAL ")
		}
		switch n.Kind {
		case LeftJoin:
			f.w("LEFT ")
		case RightJoin:
			f.w("RIGHT ")
		case FullJoin:
			f.w("FULL ")
		case CrossJoin:
			f.w("CROSS ")
		}
		f.w("JOIN ")
		if _, ok := n.Right.(*Join); ok {
			f.w("(")
			f.node(n.Right)
			f.w(")")
		} else {
			f.node(n.Right)
		}
		if n.On != nil {
			f.w(" ON ")
			f.node(n.On)
		}
		if n.Using != nil {
			f.w(" USING ")
			f.names(n.Using)
		}

	// ----------------------------------------------------------- expressions
	case *Literal:
		switch n.Kind {
		case LitNull:
			f.w("NULL")
		case LitString:
			f.w(quoteString(n.Raw))
		case LitBlob:
			f.w("X'", n.Raw, "'")
		case LitBool:
			f.w(strings.ToUpper(n.Raw))
		default:
			f.w(n.Raw)
		}
	case *ColumnRef:
		if n.Table != "" {
			f.w(Ident(n.Table), ".")
		}
		f.w(Ident(n.Name))
	case *NL:
		f.w(`"`, strings.ReplaceAll(n.Text, `"`, `""`), `"`)
	case *Param:
		if n.Raw != "" {
			f.w(n.Raw)
		} else {
			f.w("?")
		}
	case *Unary:
		if n.Op == "NOT" {
			f.w("NOT ")
			f.sub(n.X, pNot)
			return
		}
		f.w(n.Op)
		var inner formatter
		inner.sub(n.X, pUnary)
		s := inner.b.String()
		if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
			f.w(" ")
		}
		f.w(s)
	case *Binary:
		p := precOf(n)
		f.sub(n.L, p)
		f.w(" ", n.Op, " ")
		f.sub(n.R, p+1)
	case *Like:
		f.sub(n.X, pEq)
		if n.Not {
			f.w(" NOT")
		}
		if n.Glob {
			f.w(" GLOB ")
		} else {
			f.w(" LIKE ")
		}
		f.sub(n.Pattern, pEq+1)
		if n.Escape != nil {
			f.w(" ESCAPE ")
			f.sub(n.Escape, pEq+1)
		}
	case *Between:
		f.sub(n.X, pEq)
		if n.Not {
			f.w(" NOT")
		}
		f.w(" BETWEEN ")
		f.sub(n.Lo, pEq+1)
		f.w(" AND ")
		f.sub(n.Hi, pEq+1)
	case *InList:
		f.sub(n.X, pEq)
		if n.Not {
			f.w(" NOT")
		}
		f.w(" IN (")
		f.exprs(n.List)
		f.w(")")
	case *InQuery:
		f.sub(n.X, pEq)
		if n.Not {
			f.w(" NOT")
		}
		f.w(" IN (")
		f.node(n.Query)
		f.w(")")
	case *Exists:
		if n.Not {
			f.w("NOT ")
		}
		f.w("EXISTS (")
		f.node(n.Query)
		f.w(")")
	case *Subquery:
		f.w("(")
		f.node(n.Query)
		f.w(")")
	case *IsNull:
		f.sub(n.X, pEq)
		if n.Not {
			f.w(" IS NOT NULL")
		} else {
			f.w(" IS NULL")
		}
	case *When:
		f.w("WHEN ")
		f.node(n.Cond)
		f.w(" THEN ")
		f.node(n.Result)
	case *Case:
		f.w("CASE ")
		if n.Operand != nil {
			f.node(n.Operand)
			f.w(" ")
		}
		for _, wh := range n.Whens {
			f.node(wh)
			f.w(" ")
		}
		if n.Else != nil {
			f.w("ELSE ")
			f.node(n.Else)
			f.w(" ")
		}
		f.w("END")
	case *Cast:
		f.w("CAST(")
		f.node(n.X)
		f.w(" AS ", n.Type, ")")
	case *Func:
		f.w(n.Name, "(")
		if n.Star {
			f.w("*")
		} else {
			if n.Distinct {
				f.w("DISTINCT ")
			}
			f.exprs(n.Args)
		}
		f.w(")")
	case *Paren:
		f.w("(")
		f.node(n.X)
		f.w(")")
	case *Collate:
		f.sub(n.X, pCollate)
		f.w(" COLLATE ", Ident(n.Name))
	}
}
