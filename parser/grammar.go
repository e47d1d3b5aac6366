package parser

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/uqe-dev/uqe/ast"
)

// The participle grammar of UQL statements. These structs are private; the
// converter in convert.go turns them into ast nodes. Scalar expressions are
// parsed by the precedence-climbing hook in expr.go (participle.ParseTypeWith
// on ast.Expr), which yields ast nodes directly.

type gStmt struct {
	Explain *gExplain `parser:"  @@"`
	Query   *gQuery   `parser:"| @@"`
	Create  *gCreate  `parser:"| @@"`
	Insert  *gInsert  `parser:"| @@"`
	Update  *gUpdate  `parser:"| @@"`
	Delete  *gDelete  `parser:"| @@"`
	Drop    *gDrop    `parser:"| @@"`
	Reindex *gReindex `parser:"| @@"`
	Set     *gSet     `parser:"| @@"`
	Show    *gShow    `parser:"| @@"`
}

type gExplain struct {
	Pos     lexer.Position
	Analyze bool   `parser:"'EXPLAIN' @'ANALYZE'?"`
	Stmt    *gStmt `parser:"@@"`
}

type gCreate struct {
	Pos     lexer.Position
	Temp    bool            `parser:"'CREATE' @('TEMP' | 'TEMPORARY')?"`
	Unique  bool            `parser:"@'UNIQUE'?"`
	Table   *gCreateTable   `parser:"( @@"`
	View    *gCreateView    `parser:"| @@"`
	Index   *gCreateIndex   `parser:"| @@"`
	Trigger *gCreateTrigger `parser:"| @@ )"`
}

type gCreateTable struct {
	IfNotExists bool          `parser:"'TABLE' @('IF' 'NOT' 'EXISTS')?"`
	Name        *gName        `parser:"@@"`
	AsQuery     *gQuery       `parser:"( 'AS' @@"`
	Elems       []*gTableElem `parser:"| '(' @@ ( ',' @@ )* ')' )"`
}

type gTableElem struct {
	Pos    lexer.Position
	PK     []*gName    `parser:"( 'CONSTRAINT' (Ident | QIdent) )? ( 'PRIMARY' 'KEY' '(' @@ ( ',' @@ )* ')'"`
	Unique []*gName    `parser:"| 'UNIQUE' '(' @@ ( ',' @@ )* ')'"`
	Check  ast.Expr    `parser:"| 'CHECK' '(' @@ ')'"`
	Column *gColumnDef `parser:"| @@ )"`
}

type gColumnDef struct {
	Pos  lexer.Position
	Name *gName      `parser:"@@"`
	Type *gTypeName  `parser:"@@?"`
	Cons []*gColCons `parser:"@@*"`
}

type gColCons struct {
	Named   *gName       `parser:"( 'CONSTRAINT' @@ )?"`
	PK      bool         `parser:"( @( 'PRIMARY' 'KEY' ) ( 'ASC' | 'DESC' )? 'AUTOINCREMENT'?"`
	NotNull bool         `parser:"| @( 'NOT' 'NULL' )"`
	Null    bool         `parser:"| @'NULL'"`
	Unique  bool         `parser:"| @'UNIQUE'"`
	Default defaultValue `parser:"| 'DEFAULT' @@"`
	Collate *gName       `parser:"| 'COLLATE' @@"`
	Check   ast.Expr     `parser:"| 'CHECK' '(' @@ ')'"`
	Ref     *gName       `parser:"| 'REFERENCES' @@ ( '(' (Ident | QIdent) ( ',' (Ident | QIdent) )* ')' )? )"`
}

type gCreateView struct {
	IfNotExists bool     `parser:"'VIEW' @('IF' 'NOT' 'EXISTS')?"`
	Name        *gName   `parser:"@@"`
	Columns     []*gName `parser:"( '(' @@ ( ',' @@ )* ')' )?"`
	Query       *gQuery  `parser:"'AS' @@"`
}

type gCreateIndex struct {
	IfNotExists bool          `parser:"'INDEX' @('IF' 'NOT' 'EXISTS')?"`
	Name        *gName        `parser:"@@"`
	Table       *gName        `parser:"'ON' @@"`
	Columns     []*gOrderItem `parser:"'(' @@ ( ',' @@ )* ')'"`
	Where       ast.Expr      `parser:"( 'WHERE' @@ )?"`
}

type gCreateTrigger struct {
	IfNotExists bool          `parser:"'TRIGGER' @('IF' 'NOT' 'EXISTS')?"`
	Name        *gName        `parser:"@@"`
	Body        *gTriggerBody `parser:"@@"`
}

type gInsert struct {
	Pos     lexer.Position
	Replace bool     `parser:"( @'REPLACE'"`
	Or      string   `parser:"| 'INSERT' ( 'OR' @( 'REPLACE' | 'IGNORE' | 'ABORT' | 'FAIL' | 'ROLLBACK' ) )? )"`
	Table   *gName   `parser:"'INTO' @@"`
	Columns []*gName `parser:"( '(' @@ ( ',' @@ )* ')' )?"`
	Default bool     `parser:"( @( 'DEFAULT' 'VALUES' )"`
	Query   *gQuery  `parser:"| @@ )"`
}

type gUpdate struct {
	Pos   lexer.Position
	Table *gName     `parser:"'UPDATE' @@"`
	Set   []*gAssign `parser:"'SET' @@ ( ',' @@ )*"`
	Where ast.Expr   `parser:"( 'WHERE' @@ )?"`
}

type gAssign struct {
	Pos    lexer.Position
	Column *gName   `parser:"@@ ( '=' | '==' )"`
	Value  ast.Expr `parser:"@@"`
}

type gDelete struct {
	Pos   lexer.Position
	Table *gName   `parser:"'DELETE' 'FROM' @@"`
	Where ast.Expr `parser:"( 'WHERE' @@ )?"`
}

type gDrop struct {
	Pos      lexer.Position
	Kind     string `parser:"'DROP' @( 'TABLE' | 'VIEW' | 'INDEX' | 'TRIGGER' )"`
	IfExists bool   `parser:"@( 'IF' 'EXISTS' )?"`
	Name     *gName `parser:"@@"`
}

type gReindex struct {
	Pos  lexer.Position
	Name *gName `parser:"'REINDEX' @@?"`
}

type gSet struct {
	Pos   lexer.Position
	Name  *gName  `parser:"'SET' @@ ( '=' | 'TO' )"`
	Value setExpr `parser:"@@"`
}

type gShow struct {
	Pos  lexer.Position
	Name string `parser:"'SHOW' @(Ident | QIdent)"`
}

// ------------------------------------------------------------------ queries

type gQuery struct {
	Pos     lexer.Position
	With    *gWith        `parser:"@@?"`
	First   *gSetOperand  `parser:"@@"`
	Rest    []*gSetTail   `parser:"@@*"`
	OrderBy []*gOrderItem `parser:"( 'ORDER' 'BY' @@ ( ',' @@ )* )?"`
	Limit   ast.Expr      `parser:"( 'LIMIT' @@"`
	Comma   bool          `parser:"( ( 'OFFSET' | @',' )"`
	Offset  ast.Expr      `parser:"@@ )? )?"`
}

type gWith struct {
	Recursive bool    `parser:"'WITH' @'RECURSIVE'?"`
	CTEs      []*gCTE `parser:"@@ ( ',' @@ )*"`
}

type gCTE struct {
	Pos     lexer.Position
	Name    *gName   `parser:"@@"`
	Columns []*gName `parser:"( '(' @@ ( ',' @@ )* ')' )?"`
	Query   *gQuery  `parser:"'AS' '(' @@ ')'"`
}

type gSetTail struct {
	Pos     lexer.Position
	Op      string       `parser:"@( 'UNION' | 'EXCEPT' | 'INTERSECT' )"`
	All     bool         `parser:"@'ALL'?"`
	Operand *gSetOperand `parser:"@@"`
}

type gSetOperand struct {
	Pos    lexer.Position
	Select *gSelect `parser:"  @@"`
	Values *gValues `parser:"| @@"`
	Paren  *gQuery  `parser:"| '(' @@ ')'"`
}

type gValues struct {
	Pos  lexer.Position
	Rows []*gRow `parser:"'VALUES' @@ ( ',' @@ )*"`
}

type gRow struct {
	Exprs []ast.Expr `parser:"'(' @@ ( ',' @@ )* ')'"`
}

type gSelect struct {
	Pos      lexer.Position
	Distinct bool           `parser:"'SELECT' ( @'DISTINCT' | 'ALL' )?"`
	Items    []*gSelectItem `parser:"@@ ( ',' @@ )*"`
	From     []*gFrom       `parser:"( 'FROM' @@ ( ',' @@ )* )?"`
	Where    ast.Expr       `parser:"( 'WHERE' @@ )?"`
	GroupBy  []*gGroupItem  `parser:"( 'GROUP' 'BY' @@ ( ',' @@ )* )?"`
	Having   ast.Expr       `parser:"( 'HAVING' @@ )?"`
}

type gSelectItem struct {
	Pos       lexer.Position
	Star      bool     `parser:"( @'*'"`
	TableStar *gName   `parser:"| @@ '.' '*'"`
	Expr      ast.Expr `parser:"| @@"`
	Alias     *gAlias  `parser:"( 'AS'? @@ )? )"`
}

type gGroupItem struct {
	Pos   lexer.Position
	Expr  ast.Expr `parser:"@@"`
	Alias *gAlias  `parser:"( 'AS' @@ )?"`
}

type gOrderItem struct {
	Pos   lexer.Position
	Expr  ast.Expr `parser:"@@"`
	Dir   string   `parser:"@( 'ASC' | 'DESC' )?"`
	Nulls string   `parser:"( 'NULLS' @( 'FIRST' | 'LAST' ) )?"`
}

// gFrom is a table expression: a primary followed by joins.
type gFrom struct {
	Pos   lexer.Position
	Left  *gTablePrimary `parser:"@@"`
	Joins []*gJoin       `parser:"@@*"`
}

type gJoin struct {
	Pos     lexer.Position
	Natural bool           `parser:"@'NATURAL'?"`
	Kind    string         `parser:"( @'INNER' | @'LEFT' 'OUTER'? | @'RIGHT' 'OUTER'? | @'FULL' 'OUTER'? | @'CROSS' )?"`
	Right   *gTablePrimary `parser:"'JOIN' @@"`
	On      ast.Expr       `parser:"( 'ON' @@"`
	Using   []*gName       `parser:"| 'USING' '(' @@ ( ',' @@ )* ')' )?"`
}

type gTablePrimary struct {
	Pos      lexer.Position
	Sub      *gQuery    `parser:"( '(' (?= 'SELECT' | 'VALUES' | 'WITH') @@ ')'"`
	Paren    *gFrom     `parser:"| '(' @@ ')'"`
	Path     *string    `parser:"| @String"`
	Func     *gName     `parser:"| @@ '('"`
	Args     []ast.Expr `parser:"( @@ ( ',' @@ )* )? ')'"`
	Name     *gName     `parser:"| @@ )"`
	Alias    *gAlias    `parser:"( 'AS'? @@ )?"`
	Indexed  *gName     `parser:"( 'INDEXED' 'BY' @@"`
	NotIndex bool       `parser:"| @( 'NOT' 'INDEXED' ) )?"`
}

// --------------------------------------------------------- custom productions

// gName is an identifier: a bare word that is not reserved, or a
// backtick-quoted name.
type gName struct {
	Pos  lexer.Position
	Name string
}

func (n *gName) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	switch t.Type {
	case tIdent:
		if isReserved(t.Value) {
			return participle.NextMatch
		}
		n.Name = t.Value
	case tQIdent:
		n.Name = unquote(t.Value, '`')
	default:
		return participle.NextMatch
	}
	n.Pos = t.Pos
	lex.Next()
	return nil
}

// gAlias is an alias: a name or a single-quoted string.
type gAlias struct {
	Name string
}

func (a *gAlias) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type == tString {
		a.Name = unquote(t.Value, '\'')
		lex.Next()
		return nil
	}
	var n gName
	if err := n.Parse(lex); err != nil {
		return err
	}
	a.Name = n.Name
	return nil
}

// typeStop are the words that end a declared column type.
var typeStop = map[string]bool{"PRIMARY": true, "NOT": true, "NULL": true, "UNIQUE": true,
	"DEFAULT": true, "CHECK": true, "COLLATE": true, "REFERENCES": true, "CONSTRAINT": true,
	"AS": true, "GENERATED": true}

// gTypeName is a declared type as written: words plus an optional (n[, m]).
type gTypeName struct {
	Text string
}

func (g *gTypeName) Parse(lex *lexer.PeekingLexer) error {
	s, err := parseTypeName(lex, func(w string) bool { return typeStop[strings.ToUpper(w)] }, false)
	if err != nil {
		return err
	}
	if s == "" {
		return participle.NextMatch
	}
	g.Text = s
	return nil
}

// gTriggerBody is the loosely parsed rest of CREATE TRIGGER: everything up to
// the END that closes its BEGIN.
type gTriggerBody struct {
	Start, End int // byte offsets in the source
}

func (b *gTriggerBody) Parse(lex *lexer.PeekingLexer) error {
	first := lex.Peek()
	if first.EOF() {
		return participle.NextMatch
	}
	b.Start = first.Pos.Offset
	begun, depth := false, 0
	for {
		t := lex.Peek()
		if t.EOF() {
			return &synErr{pos: t.Pos, msg: "unexpected end of input, expected END of CREATE TRIGGER"}
		}
		lex.Next()
		if t.Type != tIdent {
			continue
		}
		switch strings.ToUpper(t.Value) {
		case "BEGIN":
			begun = true
		case "CASE":
			depth++
		case "END":
			if depth > 0 {
				depth--
				continue
			}
			if begun {
				b.End = t.Pos.Offset + len(t.Value)
				return nil
			}
		}
	}
}

// defaultValue is the value of a DEFAULT column constraint: a literal, a
// signed number or a parenthesised expression (parsed at unary level so that
// a following NOT NULL is a constraint, not an operator).
type defaultValue interface{ ast.Expr }

// setValue is the value of SET: a number, a string, or a bare word (kept as
// a string literal).
type setValue interface{ ast.Expr }

// setExpr is the value of SET: a number, a string or a bare word (as
// setValue) when that is the whole value, else any expression (the engine
// requires it to be constant, e.g. SET seed = 3 * 7).
type setExpr interface{ ast.Expr }

// parseSetExprHook parses the value of SET: a lone number, string or word
// keeps its old form (a bare word, keywords included, is a string literal);
// anything longer is parsed as an expression.
func parseSetExprHook(lex *lexer.PeekingLexer) (setExpr, error) {
	cp := lex.MakeCheckpoint()
	if v, err := parseSetValueHook(lex); err == nil {
		if t := lex.Peek(); t.EOF() || isOp(t, ";") {
			return v, nil
		}
	}
	lex.LoadCheckpoint(cp)
	return parseExprHook(lex)
}

var (
	stmtParser  *participle.Parser[gStmt]
	queryParser *participle.Parser[gQuery]
)

func init() {
	stmtParser = participle.MustBuild[gStmt](
		participle.Lexer(uqlLexer),
		participle.CaseInsensitive("Ident"),
		participle.UseLookahead(2),
		participle.ParseTypeWith(parseExprHook),
		participle.ParseTypeWith(parseDefaultHook),
		participle.ParseTypeWith(parseSetExprHook),
	)
	var err error
	queryParser, err = participle.ParserForProduction[gQuery](stmtParser)
	if err != nil {
		panic(err)
	}
}
