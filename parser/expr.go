package parser

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/uqe-dev/uqe/ast"
)

// Operator precedence levels (SQLite), lowest first.
const (
	precOr = iota + 1
	precAnd
	precNot
	precEq // = <> IS IN LIKE GLOB BETWEEN ISNULL NOTNULL
	precCmp
	precBit
	precAdd
	precMul
	precConcat
	precCollate
	precUnary
	precPrimary
)

// maxExprDepth bounds recursion inside one expression (unary chains, nested
// CASE, NOT NOT ...).
const maxExprDepth = 1000

// synErr is a syntax error raised by the hand-written parts; it satisfies
// participle.Error so participle can track the deepest error.
type synErr struct {
	pos     lexer.Position
	msg     string
	lexical bool // a malformed token rather than a misplaced one
}

func (e *synErr) Error() string            { return e.msg }
func (e *synErr) Message() string          { return e.msg }
func (e *synErr) Position() lexer.Position { return e.pos }

// describe renders a token for an error message.
func describe(t *lexer.Token) string {
	if t.EOF() {
		return "end of input"
	}
	v := t.Value
	if len(v) > 24 {
		v = v[:21] + "..."
	}
	return strconv.Quote(v)
}

func unexpected(t *lexer.Token, expected string) error {
	msg := "unexpected " + describe(t)
	if expected != "" {
		msg += ", expected " + expected
	}
	return &synErr{pos: t.Pos, msg: msg}
}

// parseExprHook is the participle hook for every ast.Expr field.
func parseExprHook(lex *lexer.PeekingLexer) (ast.Expr, error) {
	p := &exprParser{lex: lex}
	return p.parse(precOr)
}

// parseDefaultHook parses the value of a DEFAULT constraint.
func parseDefaultHook(lex *lexer.PeekingLexer) (defaultValue, error) {
	p := &exprParser{lex: lex}
	return p.parseUnary()
}

// parseSetValueHook parses the value of SET name = value.
func parseSetValueHook(lex *lexer.PeekingLexer) (setValue, error) {
	t := lex.Peek()
	at := ast.At{P: toPos(t.Pos)}
	switch {
	case t.Type == tNumber:
		lex.Next()
		return numLit(at, t.Value), nil
	case t.Type == tOp && (t.Value == "-" || t.Value == "+"):
		cp := lex.MakeCheckpoint()
		lex.Next()
		n := lex.Peek()
		if n.Type != tNumber {
			lex.LoadCheckpoint(cp)
			return nil, unexpected(n, "a number")
		}
		lex.Next()
		sign := t.Value
		if sign == "+" {
			sign = ""
		}
		return numLit(at, sign+n.Value), nil
	case t.Type == tString:
		lex.Next()
		return &ast.Literal{At: at, Kind: ast.LitString, Raw: unquote(t.Value, '\'')}, nil
	case t.Type == tIdent:
		lex.Next()
		return &ast.Literal{At: at, Kind: ast.LitString, Raw: t.Value}, nil
	case t.Type == tQIdent:
		lex.Next()
		return &ast.Literal{At: at, Kind: ast.LitString, Raw: unquote(t.Value, '`')}, nil
	}
	return nil, unexpected(t, "a number, a string or a word")
}

func numLit(at ast.At, raw string) *ast.Literal {
	if !strings.ContainsAny(raw, ".eE") {
		if _, err := strconv.ParseInt(raw, 10, 64); err == nil {
			return &ast.Literal{At: at, Kind: ast.LitInt, Raw: raw}
		}
	}
	return &ast.Literal{At: at, Kind: ast.LitFloat, Raw: raw}
}

// exprParser is a precedence-climbing parser over participle's token stream.
type exprParser struct {
	lex   *lexer.PeekingLexer
	depth int
}

func (p *exprParser) peek() *lexer.Token { return p.lex.Peek() }
func (p *exprParser) next() *lexer.Token { return p.lex.Next() }

// peek2 returns the token after the next one.
func (p *exprParser) peek2() lexer.Token {
	cp := p.lex.MakeCheckpoint()
	p.lex.Next()
	t := *p.lex.Peek()
	p.lex.LoadCheckpoint(cp)
	return t
}

func isKw(t *lexer.Token, kw string) bool {
	return t.Type == tIdent && len(t.Value) == len(kw) && strings.EqualFold(t.Value, kw)
}

func isOp(t *lexer.Token, op string) bool { return t.Type == tOp && t.Value == op }

func at(t *lexer.Token) ast.At { return ast.At{P: toPos(t.Pos)} }

func (p *exprParser) expectOp(op string) error {
	t := p.peek()
	if !isOp(t, op) {
		return unexpected(t, strconv.Quote(op))
	}
	p.next()
	return nil
}

func (p *exprParser) expectKw(kw string) error {
	t := p.peek()
	if !isKw(t, kw) {
		return unexpected(t, kw)
	}
	p.next()
	return nil
}

func (p *exprParser) enter() error {
	p.depth++
	if p.depth > maxExprDepth {
		return &synErr{pos: p.peek().Pos, msg: fmt.Sprintf("expression nested too deeply (more than %d levels)", maxExprDepth)}
	}
	return nil
}

// startsQuery reports whether t can start a query inside parentheses.
func startsQuery(t lexer.Token) bool {
	return isKw(&t, "SELECT") || isKw(&t, "VALUES") || isKw(&t, "WITH")
}

// infix classifies the operator at the cursor: its precedence (0 if none).
func (p *exprParser) infix() int {
	t := p.peek()
	switch t.Type {
	case tOp:
		switch t.Value {
		case "=", "==", "!=", "<>":
			return precEq
		case "<", "<=", ">", ">=":
			return precCmp
		case "&", "|", "<<", ">>":
			return precBit
		case "+", "-":
			return precAdd
		case "*", "/", "%":
			return precMul
		case "||":
			return precConcat
		}
	case tIdent:
		switch strings.ToUpper(t.Value) {
		case "OR":
			return precOr
		case "AND":
			return precAnd
		case "IS", "ISNULL", "NOTNULL", "IN", "LIKE", "GLOB", "BETWEEN":
			return precEq
		case "NOT":
			n := p.peek2()
			switch strings.ToUpper(n.Value) {
			case "IN", "LIKE", "GLOB", "BETWEEN", "NULL":
				if n.Type == tIdent {
					return precEq
				}
			}
		}
	}
	return 0
}

// parse parses an expression whose operators all bind at least as tightly
// as min.
func (p *exprParser) parse(min int) (ast.Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	var left ast.Expr
	var err error
	if t := p.peek(); min <= precNot && isKw(t, "NOT") {
		p.next()
		x, err := p.parse(precNot)
		if err != nil {
			return nil, err
		}
		if e, ok := x.(*ast.Exists); ok && !e.Not {
			e.Not = true
			e.At = at(t)
			left = e
		} else {
			left = &ast.Unary{At: at(t), Op: "NOT", X: x}
		}
	} else if left, err = p.parseCollate(); err != nil {
		return nil, err
	}
	// After a postfix form (x ISNULL, x IN (...)) only operators of the same
	// or lower precedence may follow: "x ISNULL % 2" is rejected rather than
	// read as (x ISNULL) % 2, which keeps every tree expressible without
	// added parentheses.
	max := precPrimary
	for {
		prec := p.infix()
		if prec == 0 || prec < min || prec > max {
			return left, nil
		}
		if left, err = p.parseInfix(left, prec); err != nil {
			return nil, err
		}
		switch left.(type) {
		case *ast.IsNull, *ast.InList, *ast.InQuery:
			max = precEq
		}
	}
}

func (p *exprParser) parseInfix(left ast.Expr, prec int) (ast.Expr, error) {
	lat := ast.At{P: left.Position()}
	t := p.next()
	if t.Type == tOp {
		op := t.Value
		switch op {
		case "==":
			op = "="
		case "!=":
			op = "<>"
		}
		r, err := p.parse(prec + 1)
		if err != nil {
			return nil, err
		}
		return &ast.Binary{At: lat, Op: op, L: left, R: r}, nil
	}
	word := strings.ToUpper(t.Value)
	not := false
	if word == "NOT" {
		not = true
		word = strings.ToUpper(p.next().Value)
	}
	switch word {
	case "OR", "AND":
		r, err := p.parse(prec + 1)
		if err != nil {
			return nil, err
		}
		return &ast.Binary{At: lat, Op: word, L: left, R: r}, nil
	case "ISNULL":
		return &ast.IsNull{At: lat, X: left}, nil
	case "NOTNULL":
		return &ast.IsNull{At: lat, Not: true, X: left}, nil
	case "NULL": // x NOT NULL
		return &ast.IsNull{At: lat, Not: true, X: left}, nil
	case "IS":
		isNot := false
		if isKw(p.peek(), "NOT") {
			p.next()
			isNot = true
		}
		if isKw(p.peek(), "DISTINCT") {
			p.next()
			if err := p.expectKw("FROM"); err != nil {
				return nil, err
			}
			// IS DISTINCT FROM is IS NOT; IS NOT DISTINCT FROM is IS.
			r, err := p.parse(precEq + 1)
			if err != nil {
				return nil, err
			}
			op := "IS NOT"
			if isNot {
				op = "IS"
			}
			return &ast.Binary{At: lat, Op: op, L: left, R: r}, nil
		}
		r, err := p.parse(precEq + 1)
		if err != nil {
			return nil, err
		}
		if l, ok := r.(*ast.Literal); ok && l.Kind == ast.LitNull {
			return &ast.IsNull{At: lat, Not: isNot, X: left}, nil
		}
		op := "IS"
		if isNot {
			op = "IS NOT"
		}
		return &ast.Binary{At: lat, Op: op, L: left, R: r}, nil
	case "LIKE", "GLOB":
		pat, err := p.parse(precEq + 1)
		if err != nil {
			return nil, err
		}
		l := &ast.Like{At: lat, Not: not, Glob: word == "GLOB", X: left, Pattern: pat}
		if isKw(p.peek(), "ESCAPE") {
			p.next()
			if l.Escape, err = p.parse(precEq + 1); err != nil {
				return nil, err
			}
		}
		return l, nil
	case "BETWEEN":
		lo, err := p.parse(precEq + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expectKw("AND"); err != nil {
			return nil, err
		}
		hi, err := p.parse(precEq + 1)
		if err != nil {
			return nil, err
		}
		return &ast.Between{At: lat, Not: not, X: left, Lo: lo, Hi: hi}, nil
	case "IN":
		return p.parseIn(lat, not, left)
	}
	return nil, unexpected(t, "an operator")
}

func (p *exprParser) parseIn(lat ast.At, not bool, left ast.Expr) (ast.Expr, error) {
	t := p.peek()
	if isOp(t, "(") {
		p.next()
		if startsQuery(*p.peek()) {
			q, err := p.parseQuery()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return &ast.InQuery{At: lat, Not: not, X: left, Query: q}, nil
		}
		in := &ast.InList{At: lat, Not: not, X: left, List: []ast.Expr{}}
		if isOp(p.peek(), ")") {
			p.next()
			return in, nil
		}
		for {
			e, err := p.parse(precOr)
			if err != nil {
				return nil, err
			}
			in.List = append(in.List, e)
			if isOp(p.peek(), ",") {
				p.next()
				continue
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return in, nil
		}
	}
	var n gName
	if err := n.Parse(p.lex); err != nil {
		return nil, unexpected(t, `"(" or a table name`)
	}
	// x IN t is x IN (SELECT * FROM t).
	tat := ast.At{P: toPos(n.Pos)}
	q := &ast.Query{At: tat, Body: &ast.Select{At: tat,
		Items: []*ast.SelectItem{{At: tat, Star: true}},
		From:  []ast.TableExpr{&ast.TableName{At: tat, Name: n.Name}}}}
	return &ast.InQuery{At: lat, Not: not, X: left, Query: q}, nil
}

func (p *exprParser) parseQuery() (*ast.Query, error) {
	g, err := queryParser.ParseFromLexer(p.lex, participle.AllowTrailing(true))
	if err != nil {
		return nil, err
	}
	c := &converter{}
	q := c.query(g)
	return q, c.err
}

func (p *exprParser) parseCollate() (ast.Expr, error) {
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for isKw(p.peek(), "COLLATE") {
		p.next()
		t := p.peek()
		var name string
		switch {
		case t.Type == tIdent:
			name = t.Value
		case t.Type == tQIdent:
			name = unquote(t.Value, '`')
		case t.Type == tString:
			name = unquote(t.Value, '\'')
		default:
			return nil, unexpected(t, "a collation name")
		}
		p.next()
		x = &ast.Collate{At: ast.At{P: x.Position()}, X: x, Name: name}
	}
	return x, nil
}

func (p *exprParser) parseUnary() (ast.Expr, error) {
	t := p.peek()
	if t.Type == tOp && (t.Value == "-" || t.Value == "+" || t.Value == "~") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		p.next()
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &ast.Unary{At: at(t), Op: t.Value, X: x}, nil
	}
	return p.parsePrimary()
}

// functionKeywords are reserved words that may still name a function.
var functionKeywords = map[string]bool{"LEFT": true, "RIGHT": true, "LIKE": true, "GLOB": true}

func (p *exprParser) parsePrimary() (ast.Expr, error) {
	t := p.peek()
	a := at(t)
	switch t.Type {
	case tNumber:
		p.next()
		return numLit(a, t.Value), nil
	case tString:
		p.next()
		return &ast.Literal{At: a, Kind: ast.LitString, Raw: unquote(t.Value, '\'')}, nil
	case tBlob:
		p.next()
		hex := t.Value[2 : len(t.Value)-1]
		if len(hex)%2 != 0 || strings.Trim(hex, "0123456789abcdefABCDEF") != "" {
			return nil, &synErr{pos: t.Pos, msg: "malformed blob literal (expects an even number of hex digits)", lexical: true}
		}
		return &ast.Literal{At: a, Kind: ast.LitBlob, Raw: hex}, nil
	case tNL:
		p.next()
		text := unquote(t.Value, '"')
		return &ast.NL{At: a, Text: text, Refs: nlRefs(text)}, nil
	case tParam:
		p.next()
		idx := 0
		if len(t.Value) > 1 {
			n, err := strconv.Atoi(t.Value[1:])
			if err != nil || n < 1 || n > 32766 {
				return nil, &synErr{pos: t.Pos, msg: fmt.Sprintf("parameter number out of range in %s", t.Value)}
			}
			idx = n
		}
		return &ast.Param{At: a, Index: idx, Raw: t.Value}, nil
	case tQIdent:
		p.next()
		return p.columnRef(a, unquote(t.Value, '`'))
	case tOp:
		if t.Value == "(" {
			p.next()
			if startsQuery(*p.peek()) {
				q, err := p.parseQuery()
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
				return &ast.Subquery{At: a, Query: q}, nil
			}
			x, err := p.parse(precOr)
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return &ast.Paren{At: a, X: x}, nil
		}
	case tIdent:
		word := strings.ToUpper(t.Value)
		switch word {
		case "NULL":
			p.next()
			return &ast.Literal{At: a, Kind: ast.LitNull, Raw: "NULL"}, nil
		case "TRUE", "FALSE":
			p.next()
			return &ast.Literal{At: a, Kind: ast.LitBool, Raw: word}, nil
		case "CASE":
			return p.parseCase()
		case "CAST":
			return p.parseCast()
		case "EXISTS":
			p.next()
			if err := p.expectOp("("); err != nil {
				return nil, err
			}
			if !startsQuery(*p.peek()) {
				return nil, unexpected(p.peek(), "a query")
			}
			q, err := p.parseQuery()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return &ast.Exists{At: a, Query: q}, nil
		}
		isCall := isOp(ptr(p.peek2()), "(")
		if isReserved(word) && !(isCall && functionKeywords[word]) {
			break
		}
		p.next()
		if isCall {
			return p.parseCall(a, t.Value)
		}
		return p.columnRef(a, t.Value)
	}
	return nil, unexpected(t, "expression")
}

func ptr(t lexer.Token) *lexer.Token { return &t }

func (p *exprParser) columnRef(a ast.At, name string) (ast.Expr, error) {
	if !isOp(p.peek(), ".") {
		return &ast.ColumnRef{At: a, Name: name}, nil
	}
	p.next()
	var n gName
	if err := n.Parse(p.lex); err != nil {
		return nil, unexpected(p.peek(), "a column name")
	}
	return &ast.ColumnRef{At: a, Table: name, Name: n.Name}, nil
}

func (p *exprParser) parseCall(a ast.At, name string) (ast.Expr, error) {
	p.next() // (
	f := &ast.Func{At: a, Name: strings.ToLower(name)}
	if isOp(p.peek(), "*") {
		p.next()
		f.Star = true
		return f, p.expectOp(")")
	}
	if isKw(p.peek(), "DISTINCT") {
		p.next()
		f.Distinct = true
	} else if isKw(p.peek(), "ALL") {
		p.next()
	}
	if isOp(p.peek(), ")") && !f.Distinct {
		p.next()
		return f, nil
	}
	for {
		e, err := p.parse(precOr)
		if err != nil {
			return nil, err
		}
		f.Args = append(f.Args, e)
		if isOp(p.peek(), ",") {
			p.next()
			continue
		}
		return f, p.expectOp(")")
	}
}

func (p *exprParser) parseCase() (ast.Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	t := p.next()
	c := &ast.Case{At: at(t)}
	var err error
	if !isKw(p.peek(), "WHEN") {
		if c.Operand, err = p.parse(precOr); err != nil {
			return nil, err
		}
	}
	for isKw(p.peek(), "WHEN") {
		w := &ast.When{At: at(p.next())}
		if w.Cond, err = p.parse(precOr); err != nil {
			return nil, err
		}
		if err := p.expectKw("THEN"); err != nil {
			return nil, err
		}
		if w.Result, err = p.parse(precOr); err != nil {
			return nil, err
		}
		c.Whens = append(c.Whens, w)
	}
	if len(c.Whens) == 0 {
		return nil, unexpected(p.peek(), "WHEN")
	}
	if isKw(p.peek(), "ELSE") {
		p.next()
		if c.Else, err = p.parse(precOr); err != nil {
			return nil, err
		}
	}
	return c, p.expectKw("END")
}

func (p *exprParser) parseCast() (ast.Expr, error) {
	t := p.next()
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	x, err := p.parse(precOr)
	if err != nil {
		return nil, err
	}
	if err := p.expectKw("AS"); err != nil {
		return nil, err
	}
	typ, err := parseTypeName(p.lex, func(string) bool { return false }, true)
	if err != nil {
		return nil, err
	}
	if typ == "" {
		return nil, unexpected(p.peek(), "a type name")
	}
	return &ast.Cast{At: at(t), X: x, Type: typ}, p.expectOp(")")
}

// parseTypeName parses words plus an optional "(n [, m])". It returns ""
// without consuming anything if there is no word.
func parseTypeName(lex *lexer.PeekingLexer, stop func(string) bool, upper bool) (string, error) {
	var words []string
	for {
		t := lex.Peek()
		if t.Type != tIdent || stop(t.Value) {
			break
		}
		w := t.Value
		if upper {
			w = strings.ToUpper(w)
		}
		words = append(words, w)
		lex.Next()
	}
	if len(words) == 0 {
		return "", nil
	}
	s := strings.Join(words, " ")
	if !isOp(lex.Peek(), "(") {
		return s, nil
	}
	lex.Next()
	var args []string
	for {
		t := lex.Peek()
		sign := ""
		if t.Type == tOp && (t.Value == "-" || t.Value == "+") {
			sign = t.Value
			lex.Next()
			t = lex.Peek()
		}
		if t.Type != tNumber {
			return "", unexpected(t, "a number")
		}
		lex.Next()
		args = append(args, sign+t.Value)
		t = lex.Peek()
		if isOp(t, ",") {
			lex.Next()
			continue
		}
		if !isOp(t, ")") {
			return "", unexpected(t, `")"`)
		}
		lex.Next()
		return s + "(" + strings.Join(args, ",") + ")", nil
	}
}

// nlRefs returns the distinct names written as {column} or {t.column} in a
// natural-language phrase, in order of appearance.
func nlRefs(text string) []string {
	var refs []string
	seen := map[string]bool{}
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			return refs
		}
		text = text[i+1:]
		j := strings.IndexByte(text, '}')
		if j < 0 {
			return refs
		}
		name := strings.TrimSpace(text[:j])
		if isRefName(name) && !seen[strings.ToLower(name)] {
			seen[strings.ToLower(name)] = true
			refs = append(refs, name)
		}
		text = text[j+1:]
	}
}

func isRefName(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) > 2 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for i, r := range p {
			ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 || (i > 0 && (r >= '0' && r <= '9' || r == '$'))
			if !ok {
				return false
			}
		}
	}
	return true
}
