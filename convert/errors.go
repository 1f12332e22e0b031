package convert

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the package returns is an *Error that wraps
// one of them, so callers can test the kind with errors.Is and get the
// details (input name, item, JSON path) with errors.As.
var (
	// ErrSyntax: the input is not valid JSON. The *Error wraps a *SyntaxError too.
	ErrSyntax = errors.New("invalid JSON")
	// ErrNotPolicy: the input is valid JSON but not a policy (or a list of policies).
	ErrNotPolicy = errors.New("not an access package assignment policy")
	// ErrConflict: a property and its counterpart of the other version are
	// both present with different meanings.
	ErrConflict = errors.New("conflicting values")
	// ErrInvalidValue: a value the converter must compute from is not of the
	// type or form the schema wants.
	ErrInvalidValue = errors.New("invalid value")
	// ErrWrongVersion: the input's shape contradicts Options.From.
	ErrWrongVersion = errors.New("input is not of the stated version")
	// ErrRefused: the loss policy refuses the conversion (see Options.Strict
	// and Options.AllowWidening); Error.Findings names every finding behind it.
	ErrRefused = errors.New("conversion refused")
	// ErrItemTooLarge: a policy of a document that ConvertStream reads a
	// policy at a time is larger than 64 MiB; Error.Found says where.
	ErrItemTooLarge = errors.New("a policy of a streamed document is larger than 64 MiB")
)

// Error describes why one input, or one item of it, could not be converted.
type Error struct {
	Name      string    // the input's name (a file name, or "-"), from Options.Name
	Item      int       // index of the policy in a list or collection, or -1 for a lone policy
	Path      string    // JSON path of the offending value, relative to the policy
	OtherPath string    // for conflicts: the path of the counterpart
	Expected  string    // what was expected there
	Found     string    // what was found
	Findings  []Finding // for ErrRefused: the findings the loss policy refuses
	Err       error     // one of the sentinel errors, or a *SyntaxError
}

// Code is a stable, kebab-case name of the error's kind, as used in JSON reports.
func (e *Error) Code() string {
	switch {
	case errors.Is(e.Err, ErrSyntax):
		return "invalid-json"
	case errors.Is(e.Err, ErrNotPolicy):
		return "not-a-policy"
	case errors.Is(e.Err, ErrConflict):
		return "conflict"
	case errors.Is(e.Err, ErrInvalidValue):
		return "invalid-value"
	case errors.Is(e.Err, ErrWrongVersion):
		return "wrong-version"
	case errors.Is(e.Err, ErrRefused):
		return "refused"
	case errors.Is(e.Err, ErrItemTooLarge):
		return "too-large"
	}
	return "error"
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Name != "" {
		b.WriteString(e.Name)
		b.WriteString(": ")
	}
	if e.Item >= 0 {
		fmt.Fprintf(&b, "item %d: ", e.Item)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	var se *SyntaxError
	if errors.As(e.Err, &se) {
		b.WriteString(se.Error())
		return b.String()
	}
	b.WriteString(e.Err.Error())
	if e.OtherPath != "" {
		fmt.Fprintf(&b, " with %s", e.OtherPath)
	}
	if e.Expected != "" {
		fmt.Fprintf(&b, ": expected %s", e.Expected)
		if e.Found != "" {
			fmt.Fprintf(&b, ", found %s", e.Found)
		}
	} else if e.Found != "" {
		fmt.Fprintf(&b, ": %s", e.Found)
	}
	if len(e.Findings) > 0 {
		b.WriteString(" because of ")
		for i, f := range e.Findings {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s at %s (%s)", f.Code, f.Path, f.Severity)
		}
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// own makes e the caller's: its strings may be views of the Converter's
// memory or of the input, both of which change after the call.
func (e *Error) own() *Error {
	e.Name, e.Path, e.OtherPath = strings.Clone(e.Name), strings.Clone(e.Path), strings.Clone(e.OtherPath)
	e.Expected, e.Found = strings.Clone(e.Expected), strings.Clone(e.Found)
	e.Findings = cloneFindings(e.Findings)
	return e
}

// SyntaxError reports invalid JSON: where, and what was expected there.
type SyntaxError struct {
	Offset int64  // byte offset of the error
	Line   int    // 1-based line
	Column int    // 1-based column, in bytes
	Msg    string // what was expected and what was found
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at line %d, column %d (byte %d): %s", e.Line, e.Column, e.Offset, e.Msg)
}

// Is makes errors.Is(err, ErrSyntax) true for a *SyntaxError.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

func newSyntaxError(doc string, off int, msg string) *SyntaxError {
	if off > len(doc) {
		off = len(doc)
	}
	line, col := 1, 1
	for i := 0; i < off; i++ {
		if doc[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &SyntaxError{Offset: int64(off), Line: line, Column: col, Msg: msg}
}
