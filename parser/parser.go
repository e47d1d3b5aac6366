// Package parser owns the UQL parser: the participle lexer and statement
// grammar, the precedence-climbing expression parser, the conversion of
// grammar structs into ast trees, and the rendering of syntax errors
// (errs.Syntax / errs.Lexical with positions and caret lines).
package parser

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/uqe-dev/uqe/ast"
	"github.com/uqe-dev/uqe/errs"
)

// Parse parses a script of zero or more statements separated by ';'. Empty
// statements are allowed, and so is a last statement without ';'.
func Parse(file, src string) ([]ast.Stmt, error) {
	toks, err := lexAll(file, src)
	if err != nil {
		return nil, withSource(err, file, src)
	}
	lex := peeking(toks)
	var out []ast.Stmt
	for {
		for isOp(lex.Peek(), ";") {
			lex.Next()
		}
		if lex.Peek().EOF() {
			return out, nil
		}
		start := lex.MakeCheckpoint()
		first := *lex.Peek()
		s, err := parseStmt(lex, src)
		if err != nil {
			if ut, ok := err.(*errs.Error); ok && ut.Pos.Offset == first.Pos.Offset && !first.EOF() {
				err = errs.At(toPos(first.Pos), errs.Syntax, "unexpected %s, expected a statement", describe(&first))
			}
			return nil, withSource(err, file, src)
		}
		out = append(out, s)
		if t := lex.Peek(); !t.EOF() && !isOp(t, ";") {
			// Parse again without allowing trailing tokens: participle then
			// reports the deepest failure (e.g. the missing table after FROM),
			// which says more than "unexpected <token>".
			lex.LoadCheckpoint(start)
			if _, err := stmtParser.ParseFromLexer(lex); err != nil {
				if e, ok := convertErr(err).(*errs.Error); ok && e.Pos.Offset > t.Pos.Offset {
					return nil, withSource(e, file, src)
				}
			}
			return nil, withSource(unexpected(t, `";" or end of input`), file, src)
		}
	}
}

// ParseExpr parses a single scalar expression.
func ParseExpr(file, src string) (ast.Expr, error) {
	toks, err := lexAll(file, src)
	if err != nil {
		return nil, withSource(err, file, src)
	}
	lex := peeking(toks)
	p := &exprParser{lex: lex}
	e, err := p.parse(precOr)
	if err == nil && !lex.Peek().EOF() {
		err = unexpected(lex.Peek(), "end of expression")
	}
	if err != nil {
		return nil, withSource(convertErr(err), file, src)
	}
	numberParams(e)
	return e, nil
}

func parseStmt(lex *lexer.PeekingLexer, src string) (ast.Stmt, error) {
	g, err := stmtParser.ParseFromLexer(lex, participle.AllowTrailing(true))
	if err != nil {
		return nil, convertErr(err)
	}
	c := &converter{src: src}
	s := c.stmt(g)
	if c.err != nil {
		return nil, convertErr(c.err)
	}
	numberParams(s)
	return s, nil
}

// numberParams assigns indexes to the parameters of one statement in order
// of appearance: ? takes the largest index so far plus one (as in SQLite);
// ?N and $N take N.
func numberParams(n ast.Node) {
	var ps []*ast.Param
	ast.Walk(n, func(n ast.Node) bool {
		if p, ok := n.(*ast.Param); ok {
			ps = append(ps, p)
		}
		return true
	})
	if len(ps) == 0 {
		return
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].P.Offset < ps[j].P.Offset })
	max := 0
	for _, p := range ps {
		if p.Raw == "?" {
			max++
			p.Index = max
			continue
		}
		if p.Index > max {
			max = p.Index
		}
	}
}

// convertErr turns any error from participle or the hand-written parts into
// an *errs.Error with a clear message.
func convertErr(err error) error {
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	var se *synErr
	if errors.As(err, &se) {
		code := errs.Syntax
		if se.lexical {
			code = errs.Lexical
		}
		return errs.At(toPos(se.pos), code, "%s", se.msg)
	}
	var ut *participle.UnexpectedTokenError
	if errors.As(err, &ut) {
		return errs.At(toPos(ut.Unexpected.Pos), errs.Syntax, "%s", unexpectedMsg(ut))
	}
	var pe participle.Error
	if errors.As(err, &pe) {
		return errs.At(toPos(pe.Position()), errs.Syntax, "%s", pe.Message())
	}
	return errs.New(errs.Syntax, "%s", err.Error())
}

// unexpectedMsg renders participle's unexpected-token error in plain words.
func unexpectedMsg(ut *participle.UnexpectedTokenError) string {
	msg := "unexpected " + describe(&ut.Unexpected)
	// participle's message is `unexpected token "X" (expected <ebnf>)`.
	full := ut.Message()
	i := strings.Index(full, "(expected ")
	if i < 0 {
		return msg
	}
	exp := strings.TrimSuffix(full[i+len("(expected "):], ")")
	if nice := niceExpected(exp); nice != "" {
		msg += ", expected " + nice
	}
	return msg
}

// expectNames maps grammar productions to words for error messages.
var expectNames = map[string]string{
	"GFrom": "a table", "GTablePrimary": "a table", "GSetOperand": "a query", "GQuery": "a query",
	"GStmt": "a statement", "gName": "a name", "gAlias": "a name", "GColumnDef": "a column definition",
	"GTableElem": "a column definition", "Expr": "expression", "GAssign": "an assignment",
	"GOrderItem": "expression", "GSelectItem": "expression", "GGroupItem": "expression", "GRow": `"("`,
	"GCTE": "a name", "gTypeName": "a type name", "gTriggerBody": "a trigger body",
	"setValue": "a value", "defaultValue": "a value", "GWith": "WITH",
}

// niceExpected turns participle's EBNF expectation into words: the
// alternatives that can start what was expected.
func niceExpected(exp string) string {
	exp = strings.TrimSpace(exp)
	first := exp
	if strings.HasPrefix(exp, "(") {
		depth := 0
		for i, r := range exp {
			if r == '(' {
				depth++
			} else if r == ')' {
				depth--
				if depth == 0 {
					first = exp[1:i]
					break
				}
			}
		}
	}
	var lits, prods []string
	for _, alt := range splitTop(first) {
		w := strings.TrimLeft(strings.TrimSpace(alt), "(")
		if strings.HasPrefix(w, `"`) {
			if k := strings.IndexByte(w[1:], '"'); k >= 0 {
				w = w[:k+2]
			}
		} else if k := strings.IndexAny(w, " )?*+"); k >= 0 {
			w = w[:k]
		}
		if uq, err := strconv.Unquote(w); err == nil {
			if strings.Trim(uq, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == "" {
				lits = append(lits, strings.ToUpper(uq))
			} else {
				lits = append(lits, strconv.Quote(uq))
			}
		} else if n, ok := expectNames[w]; ok {
			prods = append(prods, n)
		}
	}
	if len(prods) > 0 {
		lits = prods
	}
	switch len(lits) {
	case 0:
		return ""
	case 1:
		return lits[0]
	}
	return strings.Join(lits[:len(lits)-1], ", ") + " or " + lits[len(lits)-1]
}

// splitTop splits s at the "|" that are not inside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func withSource(err error, file, src string) error {
	err = convertErr(err)
	var e *errs.Error
	if errors.As(err, &e) {
		if e.Pos.IsValid() && e.Pos.File == "" {
			e.Pos.File = file
		}
		e.Source = src
		// An error at the end of input points just after the last token
		// rather than at a blank line below it.
		if end := len(strings.TrimRight(src, " \t\r\n")); e.Pos.IsValid() && e.Pos.Offset > end {
			e.Pos.Offset = end
			e.Pos.Line = 1 + strings.Count(src[:end], "\n")
			e.Pos.Col = 1 + utf8.RuneCountInString(src[strings.LastIndexByte(src[:end], '\n')+1:end])
		}
	}
	return err
}

// Segment is the source text of one statement and where it starts.
type Segment struct {
	Text string
	Pos  errs.Pos
}

// SplitStatements returns the source text of each non-empty statement of a
// script (without its ';') and its starting position, so that a script
// runner can show progress per statement. Semicolons inside strings,
// comments and CREATE TRIGGER ... BEGIN ... END bodies do not split.
func SplitStatements(file, src string) ([]Segment, error) {
	toks, err := lexAll(file, src)
	if err != nil {
		return nil, withSource(err, file, src)
	}
	var out []Segment
	start := -1
	var first []string // leading words of the current statement
	inTrigger, caseDepth := false, 0
	flush := func(end int) {
		if start >= 0 {
			out = append(out, Segment{Text: strings.TrimSpace(src[toks[start].Pos.Offset:end]), Pos: toPos(toks[start].Pos)})
		}
		start, first, inTrigger, caseDepth = -1, nil, false, 0
	}
	for i := range toks {
		t := &toks[i]
		if t.EOF() {
			flush(len(src))
			break
		}
		if isOp(t, ";") && !inTrigger {
			flush(t.Pos.Offset)
			continue
		}
		if start < 0 {
			start = i
		}
		if len(first) < 3 && t.Type == tIdent {
			first = append(first, strings.ToUpper(t.Value))
			if first[0] == "CREATE" && first[len(first)-1] == "TRIGGER" {
				inTrigger = true
			}
		}
		if inTrigger && t.Type == tIdent {
			switch strings.ToUpper(t.Value) {
			case "CASE":
				caseDepth++
			case "END":
				if caseDepth > 0 {
					caseDepth--
				} else {
					inTrigger = false
				}
			}
		}
	}
	return out, nil
}
