package parser

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/uqe-dev/uqe/errs"
)

// maxParenDepth bounds the nesting of parentheses (and so of subqueries) so
// that pathological inputs fail fast instead of recursing without end.
const maxParenDepth = 500

// uqlLexer is the token definition of UQL. Rules are tried in order; the
// first that matches wins.
var uqlLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Whitespace", Pattern: `\s+`},
	{Name: "Comment", Pattern: `--[^\n]*|/\*(?s:.*?)\*/`},
	{Name: "BadComment", Pattern: `/\*`},
	{Name: "Blob", Pattern: `[xX]'[^']*'`},
	{Name: "Ident", Pattern: `[\p{L}_][\p{L}\p{N}_$]*`},
	{Name: "Number", Pattern: `(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`},
	{Name: "String", Pattern: `'(?:[^']|'')*'`},
	{Name: "NL", Pattern: `"(?:[^"]|"")*"`},
	{Name: "QIdent", Pattern: "`(?:[^`]|``)*`"},
	{Name: "Param", Pattern: `\?\d*|\$\d+`},
	{Name: "Op", Pattern: `<<|>>|<=|>=|==|!=|<>|\|\||[-+*/%&|~<>=(),.;]`},
})

var (
	tWhitespace, tComment, tBadComment, tBlob, tIdent, tNumber lexer.TokenType
	tString, tNL, tQIdent, tParam, tOp                         lexer.TokenType
)

func init() {
	s := uqlLexer.Symbols()
	tWhitespace, tComment, tBadComment = s["Whitespace"], s["Comment"], s["BadComment"]
	tBlob, tIdent, tNumber, tString = s["Blob"], s["Ident"], s["Number"], s["String"]
	tNL, tQIdent, tParam, tOp = s["NL"], s["QIdent"], s["Param"], s["Op"]
}

// toPos converts a participle position.
func toPos(p lexer.Position) errs.Pos {
	return errs.Pos{File: p.Filename, Offset: p.Offset, Line: p.Line, Col: p.Column}
}

// lexAll tokenises src, dropping white space and comments, and checks the
// parenthesis nesting depth. The last token is EOF.
func lexAll(file, src string) ([]lexer.Token, error) {
	lx, err := uqlLexer.LexString(file, src)
	if err != nil {
		return nil, errs.At(errs.Pos{File: file, Line: 1, Col: 1}, errs.Lexical, "%s", err.Error())
	}
	toks := make([]lexer.Token, 0, len(src)/4+1)
	depth := 0
	for {
		t, err := lx.Next()
		if err != nil {
			return nil, lexError(err, file, src)
		}
		switch t.Type {
		case tWhitespace, tComment:
			continue
		case tBadComment:
			return nil, errs.At(toPos(t.Pos), errs.Lexical, "unterminated comment")
		case tOp:
			switch t.Value {
			case "(":
				depth++
				if depth > maxParenDepth {
					return nil, errs.At(toPos(t.Pos), errs.Syntax, "parentheses nested too deeply (more than %d levels)", maxParenDepth)
				}
			case ")":
				depth--
			}
		}
		toks = append(toks, t)
		if t.EOF() {
			return toks, nil
		}
	}
}

// lexError turns a participle lexer error into a positioned errs.Lexical.
func lexError(err error, file, src string) error {
	pe, ok := err.(interface{ Position() lexer.Position })
	if !ok {
		return errs.New(errs.Lexical, "%v", err)
	}
	pos := toPos(pe.Position())
	if pos.File == "" {
		pos.File = file
	}
	msg := "invalid input"
	if pos.Offset >= 0 && pos.Offset < len(src) {
		rest := src[pos.Offset:]
		switch rest[0] {
		case '\'':
			msg = "unterminated string literal"
		case '"':
			msg = "unterminated natural-language expression (missing closing \")"
		case '`':
			msg = "unterminated quoted identifier"
		default:
			r := []rune(rest)[0]
			msg = "unexpected character " + quoteChar(r)
		}
	}
	return errs.At(pos, errs.Lexical, "%s", msg)
}

func quoteChar(r rune) string {
	if r == '\'' {
		return `"'"`
	}
	return "'" + string(r) + "'"
}

// sliceLexer replays a token slice as a participle lexer.Lexer.
type sliceLexer struct {
	toks []lexer.Token
	i    int
}

func (s *sliceLexer) Next() (lexer.Token, error) {
	t := s.toks[s.i]
	if s.i < len(s.toks)-1 {
		s.i++
	}
	return t, nil
}

// peeking returns a PeekingLexer over toks.
func peeking(toks []lexer.Token) *lexer.PeekingLexer {
	pl, _ := lexer.Upgrade(&sliceLexer{toks: toks})
	return pl
}

// unquote strips the quote character q from both ends of s and resolves the
// doubled-quote escape.
func unquote(s string, q byte) string {
	if len(s) >= 2 {
		s = s[1 : len(s)-1]
	}
	d := string([]byte{q, q})
	if strings.Contains(s, d) {
		s = strings.ReplaceAll(s, d, string(q))
	}
	return s
}

// reserved holds the words that cannot be used as bare identifiers or
// aliases. Everything else (key, text, name, value, count, date, ...) may
// name a table or a column.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`ALL AND AS ASC BETWEEN BY CASE CAST COLLATE CREATE CROSS
		DEFAULT DELETE DESC DISTINCT DROP ELSE END ESCAPE EXCEPT EXISTS FALSE FROM FULL GLOB
		GROUP HAVING IN INDEXED INNER INSERT INTERSECT INTO IS ISNULL JOIN LEFT LIKE LIMIT
		NATURAL NOT NOTNULL NULL OFFSET ON OR ORDER OUTER RIGHT SELECT SET THEN TRUE UNION
		UPDATE USING VALUES WHEN WHERE WITH`) {
		reserved[w] = true
	}
}

func isReserved(word string) bool {
	if len(word) > 9 || len(word) < 2 {
		return false
	}
	return reserved[strings.ToUpper(word)]
}
