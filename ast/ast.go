// Package ast owns the abstract syntax tree of UQL: statements, queries,
// table expressions and scalar expressions, including natural-language
// expressions ("...") as first-class nodes. Every node carries the position
// of its first token. The parser produces these trees; the planner consumes
// them; Format turns one back into UQL text.
package ast

import "github.com/uqe-dev/uqe/errs"

// Pos is a source position (see errs.Pos).
type Pos = errs.Pos

// Node is any AST node.
type Node interface{ Position() Pos }

// At is embedded in every node to carry its position.
type At struct{ P Pos }

// Position returns the position of the node's first token.
func (a At) Position() Pos { return a.P }

// ---------------------------------------------------------------- statements

// Stmt is a statement.
type Stmt interface {
	Node
	stmt()
}

// QueryStmt is a query used as a statement (SELECT, VALUES, WITH ...).
type QueryStmt struct {
	At
	Query *Query
}

// ColumnDef is a column of CREATE TABLE.
type ColumnDef struct {
	At
	Name       string
	Type       string // declared type as written, e.g. "VARCHAR(30)"; "" if none
	PrimaryKey bool
	NotNull    bool
	Unique     bool
	Default    Expr   // nil if none
	Collate    string // COLLATE name as written; "" if none
}

// CreateTable is CREATE TABLE [IF NOT EXISTS] name (cols...) | AS query.
type CreateTable struct {
	At
	Name        string
	IfNotExists bool
	Temp        bool
	Columns     []*ColumnDef
	// PrimaryKey / Unique table constraints, as column name lists.
	PrimaryKey []string
	Unique     [][]string
	AsQuery    *Query // CREATE TABLE ... AS query
}

// CreateView is CREATE VIEW [IF NOT EXISTS] name [(cols)] AS query.
type CreateView struct {
	At
	Name        string
	IfNotExists bool
	Temp        bool
	Columns     []string
	Query       *Query
}

// CreateIndex is CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (cols).
type CreateIndex struct {
	At
	Name        string
	Unique      bool
	IfNotExists bool
	Table       string
	Columns     []*OrderItem // expressions with optional ASC/DESC
}

// CreateTrigger is parsed only so that it can be refused with a clear
// error (errs.Unsupported); its body is kept as text.
type CreateTrigger struct {
	At
	Name string
	Body string
}

// DropKind says what a DROP statement drops.
type DropKind int

const (
	DropTable DropKind = iota
	DropView
	DropIndex
	DropTrigger
)

// Drop is DROP TABLE|VIEW|INDEX|TRIGGER [IF EXISTS] name.
type Drop struct {
	At
	Kind     DropKind
	IfExists bool
	Name     string
}

// Insert is INSERT [OR REPLACE|OR IGNORE] INTO t [(cols)] VALUES ... | query.
type Insert struct {
	At
	Or      string // "", "REPLACE", "IGNORE", "ABORT", "FAIL", "ROLLBACK"
	Replace bool   // REPLACE INTO (same as OR REPLACE)
	Table   string
	Columns []string
	Query   *Query // VALUES lists are a Query whose Body is *Values
	Default bool   // DEFAULT VALUES
}

// Assignment is col = expr in UPDATE.
type Assignment struct {
	At
	Column string
	Value  Expr
}

// Update is UPDATE t SET ... [WHERE ...].
type Update struct {
	At
	Table string
	Set   []*Assignment
	Where Expr
}

// Delete is DELETE FROM t [WHERE ...].
type Delete struct {
	At
	Table string
	Where Expr
}

// Set is SET name = value. Value is a literal or a bare word (kept as a
// string literal).
type Set struct {
	At
	Name  string
	Value Expr
}

// Show is SHOW name | SHOW ALL | SHOW TABLES.
type Show struct {
	At
	Name string // lower-cased; "all" and "tables" are the special forms
}

// Explain is EXPLAIN [ANALYZE] stmt.
type Explain struct {
	At
	Analyze bool
	Stmt    Stmt
}

// Reindex is REINDEX [name] (accepted; indexes are always consistent).
type Reindex struct {
	At
	Name string
}

func (*QueryStmt) stmt()     {}
func (*CreateTable) stmt()   {}
func (*CreateView) stmt()    {}
func (*CreateIndex) stmt()   {}
func (*CreateTrigger) stmt() {}
func (*Drop) stmt()          {}
func (*Insert) stmt()        {}
func (*Update) stmt()        {}
func (*Delete) stmt()        {}
func (*Set) stmt()           {}
func (*Show) stmt()          {}
func (*Explain) stmt()       {}
func (*Reindex) stmt()       {}

// ------------------------------------------------------------------- queries

// CTE is one WITH entry: name [(cols)] AS (query).
type CTE struct {
	At
	Name    string
	Columns []string
	Query   *Query
}

// Query is [WITH ...] body [ORDER BY ...] [LIMIT n [OFFSET m]].
type Query struct {
	At
	With      []*CTE
	Recursive bool
	Body      SetExpr
	OrderBy   []*OrderItem
	Limit     Expr // nil if none
	Offset    Expr // nil if none
}

// SetExpr is the body of a query: *Select, *SetOp, *Values or *ParenQuery.
type SetExpr interface {
	Node
	setExpr()
}

// SetOpKind is UNION, EXCEPT or INTERSECT.
type SetOpKind int

const (
	Union SetOpKind = iota
	Except
	Intersect
)

func (k SetOpKind) String() string {
	return [...]string{"UNION", "EXCEPT", "INTERSECT"}[k]
}

// SetOp is left UNION [ALL] | EXCEPT | INTERSECT right. In SQLite all three
// have the same precedence and associate to the left.
type SetOp struct {
	At
	Op    SetOpKind
	All   bool
	Left  SetExpr
	Right SetExpr
}

// Values is VALUES (row), (row) ...
type Values struct {
	At
	Rows [][]Expr
}

// ParenQuery is a parenthesised query used as a set operand.
type ParenQuery struct {
	At
	Query *Query
}

// SelectItem is one entry of the select list: *, t.*, or expr [AS alias].
type SelectItem struct {
	At
	Star      bool   // * or t.*
	TableStar string // t in t.*; "" for a bare *
	Expr      Expr
	Alias     string
}

// GroupItem is a GROUP BY key; an NL key may be named: GROUP BY "..." AS k.
type GroupItem struct {
	At
	Expr  Expr
	Alias string
}

// Select is a SELECT core.
type Select struct {
	At
	Distinct bool
	Items    []*SelectItem
	From     []TableExpr // comma-separated list; nil if no FROM
	Where    Expr
	GroupBy  []*GroupItem
	Having   Expr
}

// OrderItem is expr [ASC|DESC] [NULLS FIRST|LAST].
type OrderItem struct {
	At
	Expr       Expr
	Desc       bool
	NullsFirst *bool // nil: the default (NULLs sort as smallest)
}

func (*Select) setExpr()     {}
func (*SetOp) setExpr()      {}
func (*Values) setExpr()     {}
func (*ParenQuery) setExpr() {}

// ---------------------------------------------------------- table expressions

// TableExpr is an entry of FROM: *TableName, *TablePath, *TableFunc,
// *SubqueryTable or *Join.
type TableExpr interface {
	Node
	tableExpr()
}

// TableName is a named table or view: name [[AS] alias].
type TableName struct {
	At
	Name  string
	Alias string
}

// TablePath is a file or folder named by a string: FROM 'data/x.csv' [AS a].
type TablePath struct {
	At
	Path  string
	Alias string
}

// TableFunc is a table function: read_csv('x.csv', ...) [AS a].
type TableFunc struct {
	At
	Name  string
	Args  []Expr
	Alias string
}

// SubqueryTable is (query) [AS] alias.
type SubqueryTable struct {
	At
	Query *Query
	Alias string
}

// JoinKind is the kind of an explicit JOIN.
type JoinKind int

const (
	InnerJoin JoinKind = iota
	LeftJoin
	CrossJoin
	RightJoin
	FullJoin
)

func (k JoinKind) String() string {
	return [...]string{"INNER", "LEFT", "CROSS", "RIGHT", "FULL"}[k]
}

// Join is left [NATURAL] kind JOIN right [ON cond | USING (cols)]. ON may be
// a natural-language expression (a semantic join).
type Join struct {
	At
	Kind    JoinKind
	Natural bool
	Left    TableExpr
	Right   TableExpr
	On      Expr
	Using   []string
}

func (*TableName) tableExpr()     {}
func (*TablePath) tableExpr()     {}
func (*TableFunc) tableExpr()     {}
func (*SubqueryTable) tableExpr() {}
func (*Join) tableExpr()          {}

// --------------------------------------------------------------- expressions

// Expr is a scalar expression.
type Expr interface {
	Node
	expr()
}

// LitKind is the kind of a literal.
type LitKind int

const (
	LitNull LitKind = iota
	LitInt
	LitFloat
	LitString
	LitBool
	LitBlob // X'0A0B'
)

// Literal is a constant. Raw is the literal's text without quotes (string
// escapes resolved; for numbers the digits as written; for bools "TRUE" or
// "FALSE"; for blobs the hex digits).
type Literal struct {
	At
	Kind LitKind
	Raw  string
}

// ColumnRef is [table.]column.
type ColumnRef struct {
	At
	Table string
	Name  string
}

// NL is a natural-language expression "..." (double quotes). Text is the
// phrase with its escapes resolved; Refs are the distinct column names
// written as {column} (or {t.column}) inside it, in order of appearance.
type NL struct {
	At
	Text string
	Refs []string
}

// Param is a query parameter: ? (numbered in order of appearance) or $N.
type Param struct {
	At
	Index int // 1-based
	Raw   string
}

// Unary is -x, +x, ~x or NOT x. Op is "-", "+", "~" or "NOT".
type Unary struct {
	At
	Op string
	X  Expr
}

// Binary is l op r. Op is one of OR AND = <> < <= > >= + - * / % || & | << >>
// IS "IS NOT" (upper case; == is normalised to = and != to <>).
type Binary struct {
	At
	Op string
	L  Expr
	R  Expr
}

// Like is x [NOT] LIKE|GLOB pattern [ESCAPE e].
type Like struct {
	At
	Not     bool
	Glob    bool
	X       Expr
	Pattern Expr
	Escape  Expr
}

// Between is x [NOT] BETWEEN lo AND hi.
type Between struct {
	At
	Not bool
	X   Expr
	Lo  Expr
	Hi  Expr
}

// InList is x [NOT] IN (e1, e2, ...); the list may be empty.
type InList struct {
	At
	Not  bool
	X    Expr
	List []Expr
}

// InQuery is x [NOT] IN (query), or x [NOT] IN table.
type InQuery struct {
	At
	Not   bool
	X     Expr
	Query *Query
}

// Exists is [NOT] EXISTS (query).
type Exists struct {
	At
	Not   bool
	Query *Query
}

// Subquery is a scalar subquery (query).
type Subquery struct {
	At
	Query *Query
}

// IsNull is x IS [NOT] NULL, x ISNULL, x NOTNULL.
type IsNull struct {
	At
	Not bool
	X   Expr
}

// When is one WHEN cond THEN result of a CASE.
type When struct {
	At
	Cond   Expr
	Result Expr
}

// Case is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type Case struct {
	At
	Operand Expr
	Whens   []*When
	Else    Expr
}

// Cast is CAST(x AS type).
type Cast struct {
	At
	X    Expr
	Type string // as written, upper-cased, e.g. "INTEGER", "VARCHAR(10)"
}

// Func is a function call: name([DISTINCT] args) or name(*).
type Func struct {
	At
	Name     string // lower-cased
	Distinct bool
	Star     bool
	Args     []Expr
}

// Paren is a parenthesised expression; kept so that Format reproduces the
// grouping a user wrote. The planner sees through it.
type Paren struct {
	At
	X Expr
}

// Collate is x COLLATE name.
type Collate struct {
	At
	X    Expr
	Name string
}

func (*Literal) expr()   {}
func (*ColumnRef) expr() {}
func (*NL) expr()        {}
func (*Param) expr()     {}
func (*Unary) expr()     {}
func (*Binary) expr()    {}
func (*Like) expr()      {}
func (*Between) expr()   {}
func (*InList) expr()    {}
func (*InQuery) expr()   {}
func (*Exists) expr()    {}
func (*Subquery) expr()  {}
func (*IsNull) expr()    {}
func (*Case) expr()      {}
func (*Cast) expr()      {}
func (*Func) expr()      {}
func (*Paren) expr()     {}
func (*Collate) expr()   {}
