// Package errs owns uqe's error type: every error a user can see carries a
// stable code (tests assert codes, never message text), an optional source
// position, and renders as `file:line:col: CODE message` followed by the
// offending source line and a caret.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code is a stable error code. Codes never change meaning once published.
type Code string

// The codes. The first letter groups them: P parse, B bind (names, types),
// E execution, C catalog (files), M model layer, U usage, X internal.
const (
	Syntax          Code = "P001" // malformed UQL
	Lexical         Code = "P002" // bad token (unterminated string, bad character)
	UnknownTable    Code = "B001"
	UnknownColumn   Code = "B002"
	AmbiguousColumn Code = "B003"
	UnknownFunction Code = "B004"
	WrongArgs       Code = "B005" // wrong number or kind of arguments
	TypeMismatch    Code = "B006"
	DuplicateObject Code = "B007" // table/view/index already exists
	Unsupported     Code = "B008" // valid UQL the engine does not (yet) run
	BadSetting      Code = "B009" // SET of an unknown name or a bad value
	MisplacedAgg    Code = "B010" // aggregate where none is allowed
	ParamCount      Code = "B011" // wrong number of parameters supplied
	Runtime         Code = "E001" // an error while evaluating (e.g. scalar subquery with >1 row)
	Constraint      Code = "E002" // NOT NULL / UNIQUE / PRIMARY KEY violation
	Cancelled       Code = "E003"
	BadFile         Code = "C001" // a file could not be read or is malformed
	BadPath         Code = "C002" // a path that does not exist or is not allowed
	NoModel         Code = "M001" // a natural-language expression with no model layer
	BudgetExceeded  Code = "M002"
	Usage           Code = "U001"
	Internal        Code = "X001"
)

// Pos is a position in a source text. Line and Col are 1-based; a zero Line
// means "no position".
type Pos struct {
	File   string
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether p points somewhere.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string {
	f := p.File
	if f == "" {
		f = "<input>"
	}
	if !p.IsValid() {
		return f
	}
	return fmt.Sprintf("%s:%d:%d", f, p.Line, p.Col)
}

// Error is the error type of uqe.
type Error struct {
	Code Code
	Pos  Pos
	Msg  string
	// Source is the full text the position refers to, if known; it is used
	// only to render the caret line.
	Source string
	// Err is an underlying error (e.g. context.Canceled), for errors.Is.
	Err error
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Wrap returns an error with a code that wraps err.
func Wrap(err error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...), Err: err}
}

// New returns an error with a code and no position.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// At returns an error with a code and a position.
func At(pos Pos, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Error renders the first line only: `file:line:col: message [CODE]`.
func (e *Error) Error() string {
	if e.Pos.IsValid() {
		return fmt.Sprintf("%s: %s [%s]", e.Pos, e.Msg, e.Code)
	}
	return fmt.Sprintf("%s [%s]", e.Msg, e.Code)
}

// Detail renders the error with the source line and a caret under the column
// when the source is known.
func (e *Error) Detail() string {
	s := e.Error()
	if !e.Pos.IsValid() || e.Source == "" {
		return s
	}
	lines := strings.Split(e.Source, "\n")
	if e.Pos.Line-1 >= len(lines) {
		return s
	}
	line := strings.TrimRight(lines[e.Pos.Line-1], "\r")
	var caret strings.Builder
	for i, r := range []rune(line) {
		if i >= e.Pos.Col-1 {
			break
		}
		if r == '\t' {
			caret.WriteByte('\t')
		} else {
			caret.WriteByte(' ')
		}
	}
	return s + "\n" + line + "\n" + caret.String() + "^"
}

// WithSource attaches the source text (for caret rendering) if e has none.
func WithSource(err error, file, src string) error {
	var e *Error
	if errors.As(err, &e) {
		if e.Source == "" {
			e.Source = src
		}
		if e.Pos.IsValid() && e.Pos.File == "" {
			e.Pos.File = file
		}
	}
	return err
}

// CodeOf returns the code of err, or Internal if err is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Detail renders any error with its caret line when it is an *Error.
func Detail(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Detail()
	}
	return err.Error()
}
