// Package structgen generates the typed Go structs of packages model/beta
// and model/v1 from the schema facts (model.Schema). The command in
// ./cmd writes them (run "go generate ./model/..."); the tests of package
// model regenerate them in memory to prove that the checked-in files are
// fresh.
//
// What is generated for a version:
//
//   - an alias of the model enum type (and of its constants) for every enum
//     of the schema;
//   - a struct for every non-abstract type, with one field per property, own
//     and inherited (see FieldGoType for the Go type of each), plus
//     ODataType and Extra, and UnmarshalJSON/MarshalJSON methods built on
//     package jsonrt;
//   - an interface for every polymorphic type (abstract, or with derived
//     types), named after the type when it is abstract (UserSet) and "Any"
//     followed by the type's name when it is not (AnyApprovalStage),
//     implemented by the pointers to every concrete struct derived from it,
//     with a decoder (UnmarshalUserSet) that dispatches on "@odata.type";
//   - GoType and GoInterface, which map schema type names to Go types.
package structgen

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"

	"github.com/apmigrate/apmigrate/model"
)

// PackageName returns the Go package name (and directory under model/) of
// the structs of v: "beta" or "v1".
func PackageName(v model.Version) string {
	if v == model.V1 {
		return "v1"
	}
	return string(v)
}

// OutputFile returns the path of the generated file of v relative to the
// model directory, e.g. "beta/types_gen.go".
func OutputFile(v model.Version) string {
	return PackageName(v) + "/types_gen.go"
}

var initialisms = map[string]string{"Id": "ID", "Url": "URL", "Uri": "URI", "Http": "HTTP", "Api": "API"}

// GoName turns a camelCase schema name into an exported Go identifier:
// the first letter is upper-cased, and the words Id, Url, Uri, Http and Api
// are written ID, URL, URI, HTTP and API ("claimIdInApiResponse" becomes
// "ClaimIDInAPIResponse").
func GoName(name string) string {
	if name == "" {
		return ""
	}
	var b strings.Builder
	start := 0
	flush := func(end int) {
		w := name[start:end]
		if w == "" {
			return
		}
		w = strings.ToUpper(w[:1]) + w[1:]
		if r, ok := initialisms[w]; ok {
			w = r
		}
		b.WriteString(w)
	}
	for i := 1; i < len(name); i++ {
		if 'A' <= name[i] && name[i] <= 'Z' {
			flush(i)
			start = i
		}
	}
	flush(len(name))
	return b.String()
}

// lastSegment returns the part of a qualified name after the last dot.
func lastSegment(qualified string) string {
	return qualified[strings.LastIndexByte(qualified, '.')+1:]
}

// StructName returns the Go name of the struct of a schema type
// ("microsoft.graph.identityGovernance.customTaskExtension" gives
// "CustomTaskExtension").
func StructName(typeName string) string { return GoName(lastSegment(typeName)) }

// InterfaceName returns the Go name of the interface of a polymorphic type:
// StructName for an abstract type, "Any"+StructName for a concrete type with
// derived types, "" for a type that is not polymorphic.
func InterfaceName(s *model.SchemaFacts, typeName string) string {
	t := s.Type(typeName)
	switch {
	case t == nil || !s.IsPolymorphic(typeName):
		return ""
	case t.Abstract:
		return StructName(t.Name)
	default:
		return "Any" + StructName(t.Name)
	}
}

// FieldName returns the Go name of the field of a property.
func FieldName(prop string) string { return GoName(prop) }

// EnumName returns the Go name of a schema enum in package model (the last
// segment of the name, capitalized).
func EnumName(enumName string) string { return capitalize(lastSegment(enumName)) }

// EnumConstName returns the Go name of the constant of an enum member in
// package model (EnumName followed by the capitalized member name).
func EnumConstName(enumName, member string) string { return EnumName(enumName) + capitalize(member) }

func capitalize(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// FieldKind says how a generated field is decoded and encoded.
type FieldKind int

// Field kinds.
const (
	// Scalar is a non-pointer string, boolean, number or enum.
	Scalar FieldKind = iota
	// Pointer is a pointer to a scalar or a struct, or a slice of concrete
	// values, or json.RawMessage.
	Pointer
	// Poly is an interface (a polymorphic single value).
	Poly
	// PolySlice is a slice of an interface.
	PolySlice
)

var primitives = map[string]string{
	"Edm.String":         "string",
	"Edm.DateTimeOffset": "string",
	"Edm.Date":           "string",
	"Edm.TimeOfDay":      "string",
	"Edm.Duration":       "string",
	"Edm.Guid":           "string",
	"Edm.Binary":         "string",
	"Edm.Boolean":        "bool",
	"Edm.Int32":          "int32",
	"Edm.Int64":          "int64",
	"Edm.Int16":          "int16",
	"Edm.Byte":           "uint8",
	"Edm.SByte":          "int8",
	"Edm.Double":         "float64",
	"Edm.Single":         "float32",
}

// FieldGoType returns the Go type (as written in the generated package) and
// the kind of the field of property p:
//
//   - a navigation property that the closure does not follow, and a
//     primitive type without a Go counterpart: json.RawMessage;
//   - a primitive: string (Edm.String, and Edm.DateTimeOffset, Edm.Date and
//     Edm.Duration, kept as the text that was sent), bool, int32, ...;
//     a pointer when nullable, a slice for a collection;
//   - an enum: the model enum type (aliased), a pointer when nullable, a
//     slice for a collection;
//   - a polymorphic type: its interface, or a slice of it;
//   - another complex or entity type: a pointer to its struct, or a slice of
//     pointers.
func FieldGoType(s *model.SchemaFacts, p *model.Property) (string, FieldKind) {
	if !p.Followed {
		return "json.RawMessage", Pointer
	}
	var elem string
	switch p.TypeKind {
	case model.KindPrimitive:
		elem = primitives[p.Type]
		if elem == "" {
			return "json.RawMessage", Pointer
		}
	case model.KindEnum:
		elem = EnumName(p.Type)
	default:
		if iface := InterfaceName(s, p.Type); iface != "" {
			if p.Collection {
				return "[]" + iface, PolySlice
			}
			return iface, Poly
		}
		if p.Collection {
			return "[]*" + StructName(p.Type), Pointer
		}
		return "*" + StructName(p.Type), Pointer
	}
	switch {
	case p.Collection:
		return "[]" + elem, Pointer
	case p.Nullable:
		return "*" + elem, Pointer
	}
	return elem, Scalar
}

type gen struct {
	s   *model.SchemaFacts
	buf bytes.Buffer
}

func (g *gen) p(format string, args ...any) {
	fmt.Fprintf(&g.buf, format, args...)
	g.buf.WriteByte('\n')
}

// Generate returns the gofmt'ed source of the generated file of v.
func Generate(v model.Version) ([]byte, error) {
	s := model.Schema(v)
	if s == nil {
		return nil, fmt.Errorf("structgen: unknown version %q", v)
	}
	g := &gen{s: s}
	if err := g.checkNames(); err != nil {
		return nil, err
	}
	g.header(v)
	g.enums()
	g.interfaces()
	g.structs()
	g.decoders()
	g.registry()
	src, err := format.Source(g.buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("structgen: %s: generated code does not parse: %w", v, err)
	}
	return src, nil
}

// concrete returns the non-abstract types sorted by Go name.
func (g *gen) concrete() []*model.Type {
	var out []*model.Type
	for _, n := range g.s.TypeNames() {
		if t := g.s.Types[n]; !t.Abstract {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return StructName(out[i].Name) < StructName(out[j].Name) })
	return out
}

// polymorphic returns the polymorphic types sorted by interface name.
func (g *gen) polymorphic() []*model.Type {
	var out []*model.Type
	for _, n := range g.s.TypeNames() {
		if g.s.IsPolymorphic(n) {
			out = append(out, g.s.Types[n])
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return InterfaceName(g.s, out[i].Name) < InterfaceName(g.s, out[j].Name)
	})
	return out
}

func (g *gen) enumNames() []string {
	names := g.s.EnumNames()
	sort.Slice(names, func(i, j int) bool { return EnumName(names[i]) < EnumName(names[j]) })
	return names
}

// checkNames refuses Go name collisions.
func (g *gen) checkNames() error {
	top := map[string]string{"Version": "", "GoType": "", "GoInterface": "", "goTypes": "", "goInterfaces": ""}
	claim := func(name, what string) error {
		if prev, dup := top[name]; dup {
			return fmt.Errorf("structgen: %s: Go name %s of %s is taken (%s)", g.s.Version, name, what, prev)
		}
		top[name] = what
		return nil
	}
	for _, e := range g.s.EnumNames() {
		if err := claim(EnumName(e), e); err != nil {
			return err
		}
		for _, m := range g.s.Enums[e].Members {
			if err := claim(EnumConstName(e, m.Name), e+"."+m.Name); err != nil {
				return err
			}
		}
	}
	for _, t := range g.concrete() {
		if err := claim(StructName(t.Name), t.Name); err != nil {
			return err
		}
		fields := map[string]string{"ODataType": "", "Extra": "", "SchemaType": "", "MarshalJSON": "", "UnmarshalJSON": ""}
		for _, p := range g.s.AllProperties(t.Name) {
			fn := FieldName(p.Name)
			if prev, dup := fields[fn]; dup {
				return fmt.Errorf("structgen: %s: %s: field %s of %s is taken (%s)", g.s.Version, t.Name, fn, p.Name, prev)
			}
			fields[fn] = p.Name
		}
	}
	for _, t := range g.polymorphic() {
		name := InterfaceName(g.s, t.Name)
		if err := claim(name, t.Name); err != nil {
			return err
		}
		if err := claim("Unmarshal"+name, t.Name); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) header(v model.Version) {
	file := "schema-" + string(v) + ".json"
	g.p("// Code generated by model/internal/structgen from model/schema/%s; DO NOT EDIT.", file)
	g.p("")
	g.p("package %s", PackageName(v))
	g.p("")
	g.p("import (")
	g.p(`"encoding/json"`)
	g.p(`"reflect"`)
	g.p("")
	g.p(`"github.com/apmigrate/apmigrate/model"`)
	g.p(`"github.com/apmigrate/apmigrate/model/internal/jsonrt"`)
	g.p(")")
	g.p("")
	g.p("// Version is the API version of the types of this package.")
	g.p("const Version = model.%s", map[model.Version]string{model.Beta: "Beta", model.V1: "V1"}[v])
	g.p("")
	g.p("// Edm.DateTimeOffset, Edm.Date and Edm.Duration values are strings (RFC 3339")
	g.p("// date-times, dates, ISO 8601 durations): a typed round trip then keeps the")
	g.p("// exact text that was sent (fraction digits, offsets, \"P14D\" versus")
	g.p("// \"PT336H\"), and a value that does not parse can still be decoded and")
	g.p("// reported by model.Validate instead of failing the whole document.")
	g.p("")
}

func (g *gen) enums() {
	names := g.enumNames()
	if len(names) == 0 {
		return
	}
	g.p("// The enum types of the %s schema, aliases of the types of package model.", g.s.Version)
	g.p("type (")
	for _, e := range names {
		g.p("// %s is the enum %s.", EnumName(e), e)
		g.p("%s = model.%s", EnumName(e), EnumName(e))
	}
	g.p(")")
	g.p("")
	g.p("// The members of the enums, aliases of the constants of package model.")
	g.p("const (")
	for _, e := range names {
		for _, m := range g.s.Enums[e].Members {
			c := EnumConstName(e, m.Name)
			g.p("%s = model.%s", c, c)
		}
	}
	g.p(")")
	g.p("")
}

func (g *gen) interfaces() {
	for _, t := range g.polymorphic() {
		name := InterfaceName(g.s, t.Name)
		var impl []string
		for _, c := range g.s.ConcreteTypes(t.Name) {
			impl = append(impl, "*"+StructName(c))
		}
		if t.Abstract {
			g.comment(fmt.Sprintf("%s is the abstract %s type %s. A value of it is of one of the concrete types derived from it, which its \"@odata.type\" names; the interface is implemented by %s.",
				name, t.Kind, t.Name, joinList(impl)))
		} else {
			g.comment(fmt.Sprintf("%s is a value declared as the %s type %s: of that type, or of a type derived from it, which its \"@odata.type\" names; the interface is implemented by %s.",
				name, t.Kind, t.Name, joinList(impl)))
		}
		g.p("type %s interface {", name)
		if t.BaseType != "" {
			g.p("%s", InterfaceName(g.s, t.BaseType))
		} else {
			g.p("jsonrt.Typed")
		}
		g.p("is%s()", StructName(t.Name))
		g.p("}")
		g.p("")
	}
}

func joinList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// comment writes text as a doc comment wrapped at 76 columns.
func (g *gen) comment(text string) {
	line := "//"
	for _, w := range strings.Fields(text) {
		if len(line) > 2 && len(line)+1+len(w) > 78 {
			g.p("%s", line)
			line = "//"
		}
		line += " " + w
	}
	g.p("%s", line)
}

func (g *gen) describe(p *model.Property) string {
	d := p.Type
	if p.Collection {
		d = "collection of " + d
	}
	if p.Navigation {
		d = "navigation property to " + strings.Replace(d, "collection", "a collection", 1)
		if !p.Followed {
			d += ", not followed by the closure: raw JSON"
		}
	}
	if !p.Nullable {
		d += ", not nullable"
	}
	return d
}

func (g *gen) structs() {
	for _, t := range g.concrete() {
		name := StructName(t.Name)
		kind := t.Kind
		if t.Name == g.s.Root {
			kind = "root entity"
		}
		if t.BaseType != "" {
			g.comment(fmt.Sprintf("%s is the %s type %s (base type %s).", name, kind, t.Name, t.BaseType))
		} else {
			g.comment(fmt.Sprintf("%s is the %s type %s.", name, kind, t.Name))
		}
		g.p("type %s struct {", name)
		g.p("// ODataType is the \"@odata.type\" annotation, e.g. \"#%s\".", t.Name)
		g.p("ODataType string `json:\"@odata.type,omitempty\"`")
		for _, p := range g.s.AllProperties(t.Name) {
			goType, _ := FieldGoType(g.s, p)
			from := ""
			if p.DeclaringType != t.Name {
				from = " (from " + p.DeclaringType + ")"
			}
			g.p("// %s is %q: %s%s.", FieldName(p.Name), p.Name, g.describe(p), from)
			g.p("%s %s `json:\"%s,omitempty\"`", FieldName(p.Name), goType, p.Name)
		}
		g.p("// Extra holds the members that the fields cannot reproduce: unknown")
		g.p("// members and annotations, and known members whose value is null or")
		g.p("// the zero value of a non-pointer field. MarshalJSON writes them back.")
		g.p("Extra map[string]json.RawMessage `json:\"-\"`")
		g.p("}")
		g.p("")
		g.p("// SchemaType returns %q.", t.Name)
		g.p("func (*%s) SchemaType() string { return %q }", name, t.Name)
		g.p("")
		for c := t; c != nil; c = g.s.Types[c.BaseType] {
			if g.s.IsPolymorphic(c.Name) {
				g.p("func (*%s) is%s() {}", name, StructName(c.Name))
			}
		}
		g.p("")
		g.unmarshal(t)
		g.marshal(t)
	}
}

func (g *gen) unmarshal(t *model.Type) {
	name := StructName(t.Name)
	g.p("// UnmarshalJSON decodes a JSON object, keeping what the fields cannot")
	g.p("// carry in Extra.")
	g.p("func (s *%s) UnmarshalJSON(data []byte) error {", name)
	g.p("return jsonrt.DecodeObject(data, %q, &s.Extra, func(f *jsonrt.Field) error {", t.Name)
	g.p("switch f.Key {")
	g.p(`case "@odata.type":`)
	g.p("return jsonrt.DecodeScalar(f, &s.ODataType)")
	for _, p := range g.s.AllProperties(t.Name) {
		goType, kind := FieldGoType(g.s, p)
		fn := FieldName(p.Name)
		g.p("case %q:", p.Name)
		switch kind {
		case Scalar:
			g.p("return jsonrt.DecodeScalar(f, &s.%s)", fn)
		case Pointer:
			g.p("return jsonrt.DecodeValue(f, &s.%s)", fn)
		case Poly:
			g.p("return jsonrt.DecodePoly(f, &s.%s, Unmarshal%s)", fn, goType)
		case PolySlice:
			g.p("return jsonrt.DecodePolySlice(f, &s.%s, Unmarshal%s)", fn, strings.TrimPrefix(goType, "[]"))
		}
	}
	g.p("}")
	g.p("return f.Keep()")
	g.p("})")
	g.p("}")
	g.p("")
}

func (g *gen) marshal(t *model.Type) {
	name := StructName(t.Name)
	g.p("// MarshalJSON encodes a JSON object: the fields that are set, the Extra")
	g.p("// values of the fields that are not, then the other Extra members.")
	g.p("func (s %s) MarshalJSON() ([]byte, error) {", name)
	g.p("w := jsonrt.NewWriter(s.Extra)")
	g.p(`w.Value("@odata.type", s.ODataType != "", s.ODataType)`)
	for _, p := range g.s.AllProperties(t.Name) {
		goType, kind := FieldGoType(g.s, p)
		fn := FieldName(p.Name)
		switch kind {
		case Scalar:
			set := fmt.Sprintf("s.%s != 0", fn)
			switch goType {
			case "bool":
				set = "s." + fn
			case "string":
				set = fmt.Sprintf("s.%s != \"\"", fn)
			default:
				if p.TypeKind == model.KindEnum {
					set = fmt.Sprintf("s.%s != \"\"", fn)
				}
			}
			g.p("w.Value(%q, %s, s.%s)", p.Name, set, fn)
		case Pointer:
			g.p("w.Value(%q, s.%s != nil, s.%s)", p.Name, fn, fn)
		case Poly:
			g.p("jsonrt.WritePoly(w, %q, s.%s, %q)", p.Name, fn, p.Type)
		case PolySlice:
			g.p("jsonrt.WritePolySlice(w, %q, s.%s, %q)", p.Name, fn, p.Type)
		}
	}
	g.p("return w.End()")
	g.p("}")
	g.p("")
}

func (g *gen) decoders() {
	for _, t := range g.polymorphic() {
		name := InterfaceName(g.s, t.Name)
		g.p("// Unmarshal%s decodes a JSON object declared as %s into", name, t.Name)
		g.p("// the struct of the type that its \"@odata.type\" names (with or without")
		if t.Abstract {
			g.p("// '#'). A missing \"@odata.type\", or one that names no type derived from")
			g.p("// %s, is a *model.UnknownTypeError.", t.Name)
		} else {
			g.p("// '#'); without \"@odata.type\" the value is a *%s. One that names no", StructName(t.Name))
			g.p("// type derived from %s is a *model.UnknownTypeError.", t.Name)
		}
		g.p("func Unmarshal%s(data []byte) (%s, error) {", name, name)
		g.p("name, err := jsonrt.ODataType(data)")
		g.p("if err != nil {")
		g.p("return nil, err")
		g.p("}")
		g.p("var v %s", name)
		g.p("switch name {")
		for _, c := range g.s.ConcreteTypes(t.Name) {
			if c == t.Name {
				g.p("case \"\", %q:", c)
			} else {
				g.p("case %q:", c)
			}
			g.p("v = new(%s)", StructName(c))
		}
		g.p("default:")
		g.p("return nil, &model.UnknownTypeError{Declared: %q, Found: name}", t.Name)
		g.p("}")
		g.p("if err := json.Unmarshal(data, v); err != nil {")
		g.p("return nil, err")
		g.p("}")
		g.p("return v, nil")
		g.p("}")
		g.p("")
	}
}

func (g *gen) registry() {
	g.p("var goTypes = map[string]reflect.Type{")
	for _, n := range g.s.TypeNames() {
		t := g.s.Types[n]
		if t.Abstract {
			g.p("%q: reflect.TypeFor[%s](),", n, InterfaceName(g.s, n))
		} else {
			g.p("%q: reflect.TypeFor[%s](),", n, StructName(n))
		}
	}
	g.p("}")
	g.p("")
	g.p("var goInterfaces = map[string]reflect.Type{")
	for _, n := range g.s.TypeNames() {
		if g.s.IsPolymorphic(n) {
			g.p("%q: reflect.TypeFor[%s](),", n, InterfaceName(g.s, n))
		}
	}
	g.p("}")
	g.p("")
	g.p("// GoType returns the Go type of the schema type name (with or without a")
	g.p("// leading '#'): the struct of a concrete type, the interface of an abstract")
	g.p("// one.")
	g.p("func GoType(name string) (reflect.Type, bool) {")
	g.p("if len(name) > 0 && name[0] == '#' {")
	g.p("name = name[1:]")
	g.p("}")
	g.p("t, ok := goTypes[name]")
	g.p("return t, ok")
	g.p("}")
	g.p("")
	g.p("// GoInterface returns the interface of the polymorphic schema type name")
	g.p("// (with or without a leading '#'): one that is abstract or has derived types.")
	g.p("func GoInterface(name string) (reflect.Type, bool) {")
	g.p("if len(name) > 0 && name[0] == '#' {")
	g.p("name = name[1:]")
	g.p("}")
	g.p("t, ok := goInterfaces[name]")
	g.p("return t, ok")
	g.p("}")
}
