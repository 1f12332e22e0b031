package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// ProblemCode classifies a Problem. The codes are stable kebab-case strings.
type ProblemCode string

const (
	// CodeUnknownProperty: a member that is not a property of the object's
	// type (own or inherited) in the version validated against. Annotations
	// (keys containing '@', such as "@odata.context" or "x@odata.bind") are
	// never unknown properties.
	CodeUnknownProperty ProblemCode = "unknown-property"
	// CodeWrongType: a value of the wrong JSON kind (a string where
	// Edm.Boolean or Edm.Int32 is expected, a number for an enum, ...), an
	// Edm.Int32 that is not an integer literal or is out of range, or a
	// string that is not a valid Edm.Duration (ISO 8601, e.g. P14D, PT1H30M,
	// P1DT2H, PT0S, P2W), Edm.DateTimeOffset (RFC 3339) or Edm.Date
	// (YYYY-MM-DD). Also an "@odata.type" that is not a string.
	CodeWrongType ProblemCode = "wrong-type"
	// CodeUnknownEnumMember: a string that is not a member of the enum.
	CodeUnknownEnumMember ProblemCode = "unknown-enum-member"
	// CodeNullNotAllowed: null for a property that is not nullable (for a
	// collection: as the value or as an element).
	CodeNullNotAllowed ProblemCode = "null-not-allowed"
	// CodeAbstractWithoutType: an object declared with an abstract type whose
	// "@odata.type" is missing or names an abstract type, so that its
	// concrete type is unknown. Its members are then checked against the
	// declared type and all types derived from it.
	CodeAbstractWithoutType ProblemCode = "abstract-without-type"
	// CodeUnknownType: an "@odata.type" that names no type of the version,
	// or a type that is neither the declared type nor derived from it. The
	// object's members are then checked against the declared type (and, if
	// it is polymorphic, the types derived from it).
	CodeUnknownType ProblemCode = "unknown-type"
	// CodeNotAnObject: a value that is not a JSON object where an object of
	// a complex or entity type is expected.
	CodeNotAnObject ProblemCode = "not-an-object"
	// CodeNotAnArray: a value that is not a JSON array for a collection.
	CodeNotAnArray ProblemCode = "not-an-array"
)

// ProblemCodes lists every ProblemCode.
var ProblemCodes = []ProblemCode{
	CodeUnknownProperty, CodeWrongType, CodeUnknownEnumMember, CodeNullNotAllowed,
	CodeAbstractWithoutType, CodeUnknownType, CodeNotAnObject, CodeNotAnArray,
}

// Problem is one way in which a payload departs from the schema.
type Problem struct {
	// Path is the JSON path of the offending value (see AppendKey), "" for
	// the document itself.
	Path string
	// Code classifies the problem.
	Code ProblemCode
	// Message explains the problem in a sentence.
	Message string
	// Expected says what the schema wants there, e.g. "Edm.Boolean".
	Expected string
	// Found says what is there, e.g. `string "true"`.
	Found string
}

// String formats p as "path: code: message" (the path of the document
// itself is written "(root)").
func (p Problem) String() string {
	path := p.Path
	if path == "" {
		path = "(root)"
	}
	return path + ": " + string(p.Code) + ": " + p.Message
}

// SyntaxError reports input that is not a JSON object: invalid JSON, or
// valid JSON whose top-level value is not an object.
type SyntaxError struct {
	// Offset is the 0-based byte offset of the offending byte (the input's
	// length when the input ends too early).
	Offset int
	// Line and Column locate Offset, both counted from 1; Column counts
	// characters (UTF-8 code points), a tab counting as one.
	Line, Column int
	// Message says what was expected and what was found.
	Message string
}

// Error formats the location and the message.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at line %d, column %d (byte offset %d): %s", e.Line, e.Column, e.Offset, e.Message)
}

// maxDepth bounds the nesting of the input (as encoding/json does), so that
// the recursive validation of gjson cannot exhaust the stack.
const maxDepth = 10000

// Validate checks one accessPackageAssignmentPolicy payload, a JSON object,
// against the schema facts of v. It returns the problems in document order.
//
// The error is a *SyntaxError when doc is not valid JSON or its top level is
// not an object (and a plain error when v is not a known version); the
// problems are then nil.
func Validate(doc []byte, v Version) ([]Problem, error) {
	s := Schema(v)
	if s == nil {
		return nil, fmt.Errorf("model: unknown API version %q", v)
	}
	if err := checkSyntax(doc); err != nil {
		return nil, err
	}
	root := gjson.ParseBytes(doc)
	vd := validator{s: s, path: make([]byte, 0, 128)}
	vd.object(root, s.Types[s.Root])
	return vd.problems, nil
}

// checkSyntax returns a *SyntaxError unless doc is valid JSON with an object
// at the top level.
func checkSyntax(doc []byte) error {
	if off, ok := depthOK(doc); !ok {
		return syntaxError(doc, off, fmt.Sprintf("nesting deeper than %d levels", maxDepth))
	}
	if !gjson.ValidBytes(doc) {
		return locateSyntaxError(doc)
	}
	i := 0
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r') {
		i++
	}
	if doc[i] != '{' {
		return syntaxError(doc, i, "expected a JSON object at the top level, found "+kindOf(gjson.ParseBytes(doc)))
	}
	return nil
}

// depthOK reports whether the nesting of brackets outside strings stays
// within maxDepth, and otherwise the offset where it does not.
func depthOK(doc []byte) (int, bool) {
	depth := 0
	inString := false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > maxDepth {
				return i, false
			}
		case '}', ']':
			depth--
		}
	}
	return 0, true
}

// locateSyntaxError finds where invalid JSON fails, with encoding/json's
// scanner, and says what was expected there.
func locateSyntaxError(doc []byte) *SyntaxError {
	err := json.Unmarshal(doc, new(json.RawMessage))
	se, ok := err.(*json.SyntaxError)
	if !ok {
		// The two validators disagree (none such input is known).
		return syntaxError(doc, 0, "invalid JSON")
	}
	off := int(se.Offset)
	msg := se.Error()
	const invalid = "invalid character "
	if !strings.HasPrefix(msg, invalid) {
		return syntaxError(doc, len(doc), "unexpected end of input: the JSON value is incomplete")
	}
	// "invalid character 'x' <context>": the offending byte was the last
	// one read.
	rest := msg[len(invalid):]
	found, context := rest, ""
	if i := strings.LastIndex(rest, "' "); i >= 0 {
		found, context = rest[:i+1], rest[i+2:]
	}
	pos := off - 1
	if found == "' '" && off >= len(doc) && (len(doc) == 0 || doc[len(doc)-1] != ' ') {
		// The scanner reports the end of the input as a space.
		return syntaxError(doc, len(doc), "unexpected end of input: the JSON value is incomplete")
	}
	if pos < 0 {
		pos = 0
	}
	expected := context
	switch {
	case context == "looking for beginning of value":
		expected = "expected a JSON value"
	case context == "looking for beginning of object key string":
		expected = "expected an object key (a string in double quotes)"
	case context == "after object key":
		expected = "expected ':' after an object key"
	case context == "after object key:value pair":
		expected = "expected ',' or '}' after an object member"
	case context == "after array element":
		expected = "expected ',' or ']' after an array element"
	case context == "after top-level value":
		expected = "expected the end of the input after the top-level value"
	case context == "in string literal":
		expected = "expected a string character (control characters must be escaped)"
	case context == "in string escape code":
		expected = `expected an escape sequence (\", \\, \/, \b, \f, \n, \r, \t or \uXXXX)`
	case strings.HasPrefix(context, `in \u hexadecimal`):
		expected = `expected four hexadecimal digits after \u`
	case context == "in numeric literal":
		expected = "expected a digit in the number"
	case context == "after decimal point in numeric literal":
		expected = "expected a digit after the decimal point"
	case context == "in exponent of numeric literal":
		expected = "expected a digit in the exponent"
	case strings.HasPrefix(context, "in literal "):
		// "in literal true (expecting 'r')"
		lit, want, _ := strings.Cut(strings.TrimPrefix(context, "in literal "), " (expecting ")
		expected = "expected " + strings.TrimSuffix(want, ")") + " to continue the literal " + lit
	}
	return syntaxError(doc, pos, expected+", found "+found)
}

func syntaxError(doc []byte, off int, msg string) *SyntaxError {
	if off > len(doc) {
		off = len(doc)
	}
	before := doc[:off]
	line := 1 + bytes.Count(before, []byte{'\n'})
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return &SyntaxError{Offset: off, Line: line, Column: 1 + utf8.RuneCount(before[lineStart:]), Message: msg}
}

type validator struct {
	s        *SchemaFacts
	path     []byte
	problems []Problem
}

func (vd *validator) add(code ProblemCode, expected, found, format string, args ...any) {
	vd.problems = append(vd.problems, Problem{
		Path:     string(vd.path),
		Code:     code,
		Message:  fmt.Sprintf(format, args...),
		Expected: expected,
		Found:    found,
	})
}

// object checks the object r declared as type t.
func (vd *validator) object(r gjson.Result, t *Type) {
	actual := t    // the type whose properties apply
	union := false // look properties up in t and every type derived from it
	if t.Abstract || len(t.DerivedTypes) > 0 {
		var odt gjson.Result
		r.ForEach(func(k, v gjson.Result) bool {
			if k.Str == "@odata.type" {
				odt = v // the last one wins, as in encoding/json
			}
			return true
		})
		var named *Type
		if odt.Type == gjson.String {
			if nt := vd.s.Type(odt.Str); nt != nil && vd.s.IsDerivedFrom(nt.Name, t.Name) {
				named = nt
			}
		}
		switch {
		case named != nil && !named.Abstract:
			actual = named
		case named != nil:
			vd.add(CodeAbstractWithoutType, "\"@odata.type\" naming a concrete type derived from "+t.Name, "abstract "+named.Name,
				"\"@odata.type\" names the abstract type %s: it must name one of its concrete derived types", named.Name)
			actual, union = named, true
		case !odt.Exists() && t.Abstract:
			vd.add(CodeAbstractWithoutType, "\"@odata.type\" naming a concrete type derived from "+t.Name, "no \"@odata.type\"",
				"an object of the abstract type %s needs an \"@odata.type\" naming one of its concrete derived types", t.Name)
			union = true
		case !odt.Exists():
			// A value of the declared type itself.
		default:
			// A bad "@odata.type" is reported where it stands.
			union = true
		}
	}
	mark := len(vd.path)
	r.ForEach(func(k, v gjson.Result) bool {
		key := k.Str
		vd.path = AppendKey(vd.path[:mark], key)
		switch {
		case key == "@odata.type":
			vd.odataType(v, t)
		case strings.IndexByte(key, '@') >= 0:
			// An instance or property annotation.
		default:
			p := actual.byName[key]
			if p == nil && union {
				p = vd.derivedProperty(actual, key)
			}
			if p == nil {
				vd.add(CodeUnknownProperty, "a property of "+actual.Name, strconv.Quote(key),
					"%q is not a property of %s in %s", key, actual.Name, vd.s.Version)
			} else {
				vd.value(v, p)
			}
		}
		return true
	})
	vd.path = vd.path[:mark]
}

// derivedProperty looks prop up in the types derived from t.
func (vd *validator) derivedProperty(t *Type, prop string) *Property {
	for _, name := range vd.s.ConcreteTypes(t.Name) {
		if p := vd.s.Types[name].byName[prop]; p != nil {
			return p
		}
	}
	return nil
}

// odataType checks an "@odata.type" of an object declared as type t.
func (vd *validator) odataType(v gjson.Result, t *Type) {
	want := t.Name
	if vd.s.IsPolymorphic(t.Name) {
		want += " or a type derived from it"
	}
	if v.Type != gjson.String {
		vd.add(CodeWrongType, "a string naming "+want, found(v), "\"@odata.type\" must be a string naming %s", want)
		return
	}
	nt := vd.s.Type(v.Str)
	switch {
	case nt == nil:
		vd.add(CodeUnknownType, want, strconv.Quote(v.Str), "%q names no type of the %s schema (expected %s)", v.Str, vd.s.Version, want)
	case !vd.s.IsDerivedFrom(nt.Name, t.Name):
		vd.add(CodeUnknownType, want, strconv.Quote(v.Str), "%q is not %s", v.Str, want)
	}
}

// value checks the value r of property p.
func (vd *validator) value(r gjson.Result, p *Property) {
	if !p.Followed {
		return // any JSON
	}
	if r.Type == gjson.Null {
		if !p.Nullable {
			vd.add(CodeNullNotAllowed, expectedOf(p), "null", "%s is not nullable", p.Name)
		}
		return
	}
	if !p.Collection {
		vd.element(r, p)
		return
	}
	if !r.IsArray() {
		vd.add(CodeNotAnArray, "array of "+p.Type, found(r), "%s is a collection of %s: expected an array, found %s", p.Name, p.Type, found(r))
		return
	}
	mark := len(vd.path)
	i := 0
	r.ForEach(func(_, e gjson.Result) bool {
		vd.path = AppendIndex(vd.path[:mark], i)
		i++
		if e.Type == gjson.Null {
			if !p.Nullable {
				vd.add(CodeNullNotAllowed, p.Type, "null", "the elements of %s are not nullable", p.Name)
			}
			return true
		}
		vd.element(e, p)
		return true
	})
	vd.path = vd.path[:mark]
}

func expectedOf(p *Property) string {
	if p.Collection {
		return "array of " + p.Type
	}
	return p.Type
}

// element checks a single non-null value r of the type of p.
func (vd *validator) element(r gjson.Result, p *Property) {
	switch p.TypeKind {
	case KindComplex, KindEntity:
		if !r.IsObject() {
			vd.add(CodeNotAnObject, "object of "+p.Type, found(r), "expected an object of %s, found %s", p.Type, found(r))
			return
		}
		if t := vd.s.Types[p.Type]; t != nil {
			vd.object(r, t)
		}
	case KindEnum:
		e := vd.s.Enums[p.Type]
		if r.Type != gjson.String {
			vd.add(CodeWrongType, "a member of "+p.Type+" (a string)", found(r), "expected a member of %s as a string, found %s", p.Type, found(r))
			return
		}
		if !e.Has(r.Str) {
			vd.add(CodeUnknownEnumMember, "one of "+strings.Join(e.MemberNames(), ", "), strconv.Quote(r.Str),
				"%q is not a member of %s", r.Str, p.Type)
		}
	default:
		if msg := primitiveProblem(r, p.Type); msg != "" {
			vd.add(CodeWrongType, p.Type, found(r), "%s", msg)
		}
	}
}

// primitiveProblem says what is wrong with r as a value of the primitive
// type typ ("" if nothing is).
func primitiveProblem(r gjson.Result, typ string) string {
	switch typ {
	case "Edm.String", "Edm.Guid", "Edm.Binary", "Edm.TimeOfDay":
		if r.Type != gjson.String {
			return "expected a string, found " + found(r)
		}
	case "Edm.Boolean":
		if r.Type == gjson.String && (r.Str == "true" || r.Str == "false") {
			return "expected a boolean, found the string " + strconv.Quote(r.Str) + " (write it without quotes)"
		}
		if r.Type != gjson.True && r.Type != gjson.False {
			return "expected a boolean, found " + found(r)
		}
	case "Edm.Int32", "Edm.Int16", "Edm.Int64", "Edm.Byte", "Edm.SByte":
		if r.Type != gjson.Number {
			if r.Type == gjson.String {
				return "expected an integer number, found the string " + short(strconv.Quote(r.Str)) + " (numbers are written without quotes)"
			}
			return "expected an integer number, found " + found(r)
		}
		return integerProblem(r.Raw, typ)
	case "Edm.Double", "Edm.Single", "Edm.Decimal":
		if r.Type != gjson.Number {
			return "expected a number, found " + found(r)
		}
	case "Edm.Duration":
		if r.Type != gjson.String {
			return "expected an ISO 8601 duration string such as P14D or PT1H30M, found " + found(r)
		}
		if msg := durationProblem(r.Str); msg != "" {
			return short(strconv.Quote(r.Str)) + " is not an Edm.Duration: " + msg
		}
	case "Edm.DateTimeOffset":
		if r.Type != gjson.String {
			return "expected an RFC 3339 date-time string such as 2024-05-01T08:00:00Z, found " + found(r)
		}
		if !validDateTimeOffset(r.Str) {
			return short(strconv.Quote(r.Str)) + " is not an Edm.DateTimeOffset: expected an RFC 3339 date-time such as 2024-05-01T08:00:00Z"
		}
	case "Edm.Date":
		if r.Type != gjson.String {
			return "expected a date string such as 2024-05-01, found " + found(r)
		}
		if _, err := time.Parse(time.DateOnly, r.Str); err != nil {
			return short(strconv.Quote(r.Str)) + " is not an Edm.Date: expected a date such as 2024-05-01"
		}
	}
	return ""
}

var intBits = map[string]int{"Edm.Int32": 32, "Edm.Int16": 16, "Edm.Int64": 64, "Edm.Byte": 8, "Edm.SByte": 8}

// integerProblem checks a JSON number literal as a value of an integer type.
func integerProblem(raw, typ string) string {
	if strings.ContainsAny(raw, ".eE") {
		return short(raw) + " is not an integer literal (" + typ + ")"
	}
	var err error
	if typ == "Edm.Byte" {
		_, err = strconv.ParseUint(raw, 10, 8)
	} else {
		_, err = strconv.ParseInt(raw, 10, intBits[typ])
	}
	if err != nil {
		return short(raw) + " is out of the range of " + typ
	}
	return ""
}

// durationProblem checks an ISO 8601 duration as OData's Edm.Duration:
// [-]P[nW][nD][T[nH][nM][n[.n]S]] with at least one component (years and
// months are refused: their length is not fixed).
func durationProblem(s string) string {
	const want = "expected an ISO 8601 duration of weeks, days, hours, minutes and seconds such as P14D, PT1H30M, P1DT2H or PT0S"
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) || s[i] != 'P' {
		return want
	}
	i++
	components, order := 0, 0
	inTime := false
	timeComponents := 0
	for i < len(s) {
		if s[i] == 'T' {
			if inTime {
				return want
			}
			inTime = true
			i++
			continue
		}
		start := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == start {
			return want
		}
		fraction := false
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			i++
			fs := i
			for i < len(s) && '0' <= s[i] && s[i] <= '9' {
				i++
			}
			if i == fs {
				return want
			}
			fraction = true
		}
		if i >= len(s) {
			return want
		}
		d := s[i]
		i++
		var rank int
		switch {
		case !inTime && d == 'Y', !inTime && d == 'M':
			return "years and months are not allowed (their length is not fixed)"
		case !inTime && d == 'W':
			rank = 1
		case !inTime && d == 'D':
			rank = 2
		case inTime && d == 'H':
			rank = 3
		case inTime && d == 'M':
			rank = 4
		case inTime && d == 'S':
			rank = 5
		default:
			return want
		}
		if rank <= order || fraction && d != 'S' {
			return want
		}
		order = rank
		components++
		if inTime {
			timeComponents++
		}
	}
	if components == 0 || inTime && timeComponents == 0 {
		return want
	}
	return ""
}

// validDateTimeOffset reports whether s is an RFC 3339 date-time.
func validDateTimeOffset(s string) bool {
	// time.Parse accepts fraction digits after the seconds even though the
	// layout has none; it wants an upper-case T and Z.
	if len(s) < len("2006-01-02T15:04:05Z") {
		return false
	}
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// found describes a JSON value for a Problem's Found.
func found(r gjson.Result) string {
	switch r.Type {
	case gjson.String:
		return "string " + short(strconv.Quote(r.Str))
	case gjson.Number:
		return "number " + short(r.Raw)
	case gjson.True:
		return "boolean true"
	case gjson.False:
		return "boolean false"
	case gjson.JSON:
		if r.IsArray() {
			return "array"
		}
		return "object"
	}
	return "null"
}

// kindOf names the JSON kind of r.
func kindOf(r gjson.Result) string {
	switch r.Type {
	case gjson.String:
		return "a string"
	case gjson.Number:
		return "a number"
	case gjson.True, gjson.False:
		return "a boolean"
	case gjson.JSON:
		if r.IsArray() {
			return "an array"
		}
		return "an object"
	}
	return "null"
}

// short truncates s to about 60 bytes, on a character boundary.
func short(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
