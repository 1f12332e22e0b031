package model

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// The schema facts of both versions, copied from the project's spec
// (schema-beta.json and schema-v1.0.json) so that the module is
// self-contained.
//
//go:embed schema/schema-beta.json schema/schema-v1.0.json
var schemaFiles embed.FS

// SchemaFile returns the embedded schema-facts JSON of v (nil for an unknown
// version).
func SchemaFile(v Version) []byte {
	var name string
	switch v {
	case Beta:
		name = "schema/schema-beta.json"
	case V1:
		name = "schema/schema-v1.0.json"
	default:
		return nil
	}
	b, err := schemaFiles.ReadFile(name)
	if err != nil {
		return nil
	}
	return b
}

// Type kinds (Type.Kind) and property type kinds (Property.TypeKind).
const (
	KindEntity    = "entity"
	KindComplex   = "complex"
	KindPrimitive = "primitive"
	KindEnum      = "enum"
)

// SchemaFacts are the facts of one API version's schema, restricted to the
// closure of types reachable from accessPackageAssignmentPolicy: every type
// with its base type, derived types and properties, and every enum.
//
// The facts are shared: treat them as read-only.
type SchemaFacts struct {
	// Version is the API version these facts describe.
	Version Version
	// Root is the qualified name of the root type,
	// "microsoft.graph.accessPackageAssignmentPolicy".
	Root string
	// Types maps qualified type names ("microsoft.graph.singleUser") to
	// entity and complex types.
	Types map[string]*Type
	// Enums maps qualified enum names to enums.
	Enums map[string]*Enum
	// AbsentTypes lists the types and enums of the other version that were
	// checked to be absent from this schema (beta only; " (enum)" suffixes
	// removed).
	AbsentTypes []string
}

// Type is an entity or complex type.
type Type struct {
	// Name is the qualified name, e.g. "microsoft.graph.userSet".
	Name string
	// Kind is "entity" or "complex".
	Kind string
	// BaseType is the qualified name of the base type, "" for none. (Notes
	// that the spec appends to a base type name, such as "(ASSUMED: ...)",
	// are removed.)
	BaseType string
	// Abstract reports whether the type is abstract: a value of it must name a
	// concrete derived type with "@odata.type".
	Abstract bool
	// DerivedTypes lists the directly derived types, sorted. For
	// microsoft.graph.entity, whose derived types the spec omits, these are
	// the types of the closure that name it as their base type.
	DerivedTypes []string
	// Properties are the type's own structural and navigation properties,
	// sorted by name. See SchemaFacts.AllProperties for inherited ones too.
	Properties []*Property
	// Provenance says where the spec read the type from.
	Provenance string

	all     []*Property          // own and inherited, sorted by name
	byName  map[string]*Property // own and inherited
	derived map[string]bool      // the type itself and every type derived from it
}

// Property is a structural or navigation property of a Type.
type Property struct {
	// Name is the JSON member name.
	Name string
	// Type is the element type: "Edm.String", "microsoft.graph.userSet", ...
	// (never "Collection(...)"; see Collection).
	Type string
	// TypeKind is "primitive", "complex", "entity" or "enum".
	TypeKind string
	// Collection reports whether the value is a JSON array of Type.
	Collection bool
	// Nullable reports whether null is allowed (for collections: as an
	// element and as the value).
	Nullable bool
	// Navigation reports whether this is a navigation property.
	Navigation bool
	// ContainsTarget reports whether the navigation property contains its
	// target.
	ContainsTarget bool
	// Followed reports whether the closure describes the property's type:
	// true for every structural property, and for the navigation properties
	// that the spec follows (followedInClosure). A property that is not
	// followed may carry any JSON.
	Followed bool
	// DeclaringType is the qualified name of the type that declares the
	// property.
	DeclaringType string
}

// Enum is an enumeration type.
type Enum struct {
	// Name is the qualified name, e.g. "microsoft.graph.allowedTargetScope".
	Name string
	// Flags reports whether the enum is a flags enum (values may combine
	// members, comma-separated).
	Flags bool
	// Members are the members in schema order.
	Members []EnumMember

	set map[string]bool
}

// EnumMember is one member of an Enum.
type EnumMember struct {
	// Name is the member name as written in JSON.
	Name string
	// Value is the numeric value, nil when the spec does not know it.
	Value *int
}

// Has reports whether name is a member of e (for a flags enum: every
// comma-separated part is a member).
func (e *Enum) Has(name string) bool {
	if e == nil {
		return false
	}
	if e.set[name] {
		return true
	}
	if !e.Flags || name == "" {
		return false
	}
	for _, part := range strings.Split(name, ",") {
		if !e.set[strings.TrimSpace(part)] {
			return false
		}
	}
	return true
}

// MemberNames returns the member names of e in schema order.
func (e *Enum) MemberNames() []string {
	if e == nil {
		return nil
	}
	names := make([]string, len(e.Members))
	for i, m := range e.Members {
		names[i] = m.Name
	}
	return names
}

var (
	schemaOnce  [2]sync.Once
	schemaFacts [2]*SchemaFacts
	schemaErr   [2]error
)

// Schema returns the schema facts of v, parsed once from the embedded JSON.
// It returns nil for a version that is not Beta or V1.
func Schema(v Version) *SchemaFacts {
	i := 0
	switch v {
	case Beta:
	case V1:
		i = 1
	default:
		return nil
	}
	schemaOnce[i].Do(func() {
		schemaFacts[i], schemaErr[i] = parseSchema(v, SchemaFile(v))
	})
	if schemaErr[i] != nil {
		// The embedded data is trusted and tested; an error here is a
		// build defect.
		panic(schemaErr[i])
	}
	return schemaFacts[i]
}

// Type returns the type called name, which may be written with or without
// a leading '#' ("#microsoft.graph.singleUser"); nil if there is none.
func (s *SchemaFacts) Type(name string) *Type {
	if s == nil {
		return nil
	}
	return s.Types[strings.TrimPrefix(name, "#")]
}

// Enum returns the enum called name (with or without a leading '#'); nil if
// there is none.
func (s *SchemaFacts) Enum(name string) *Enum {
	if s == nil {
		return nil
	}
	return s.Enums[strings.TrimPrefix(name, "#")]
}

// Property returns the property prop of type typeName, declared by the type
// itself or inherited from one of its base types.
func (s *SchemaFacts) Property(typeName, prop string) (*Property, bool) {
	t := s.Type(typeName)
	if t == nil {
		return nil, false
	}
	p, ok := t.byName[prop]
	return p, ok
}

// AllProperties returns the own and inherited properties of typeName, sorted
// by name; nil for an unknown type. The slice is shared: do not modify it.
func (s *SchemaFacts) AllProperties(typeName string) []*Property {
	t := s.Type(typeName)
	if t == nil {
		return nil
	}
	return t.all
}

// IsDerivedFrom reports whether typ is base or derives from it, directly or
// through other base types. Both names may carry a leading '#'.
func (s *SchemaFacts) IsDerivedFrom(typ, base string) bool {
	b := s.Type(base)
	if b == nil {
		return false
	}
	return b.derived[strings.TrimPrefix(typ, "#")]
}

// ConcreteTypes returns, sorted, the non-abstract types that derive from
// abstract directly or transitively (and abstract itself when it is not
// abstract); nil for an unknown type.
func (s *SchemaFacts) ConcreteTypes(abstract string) []string {
	b := s.Type(abstract)
	if b == nil {
		return nil
	}
	var out []string
	for name := range b.derived {
		if t := s.Types[name]; t != nil && !t.Abstract {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// IsPolymorphic reports whether a value declared as typeName may be of
// another type (the type is abstract or has derived types), so that its
// "@odata.type" decides what it is.
func (s *SchemaFacts) IsPolymorphic(typeName string) bool {
	t := s.Type(typeName)
	return t != nil && (t.Abstract || len(t.DerivedTypes) > 0)
}

// TypeNames returns the names of all types, sorted.
func (s *SchemaFacts) TypeNames() []string {
	if s == nil {
		return nil
	}
	names := make([]string, 0, len(s.Types))
	for n := range s.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// EnumNames returns the names of all enums, sorted.
func (s *SchemaFacts) EnumNames() []string {
	if s == nil {
		return nil
	}
	names := make([]string, 0, len(s.Enums))
	for n := range s.Enums {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// The JSON shape of the schema-facts files.
type rawSchema struct {
	ClosureRules struct {
		Root string `json:"root"`
	} `json:"closureRules"`
	TypesAbsentFromBeta *struct {
		List []string `json:"list"`
	} `json:"typesAbsentFromBeta"`
	Types map[string]rawType `json:"types"`
	Enums map[string]rawEnum `json:"enums"`
}

type rawType struct {
	Kind                 string             `json:"kind"`
	BaseType             *string            `json:"baseType"`
	Abstract             bool               `json:"abstract"`
	DerivedTypes         json.RawMessage    `json:"derivedTypes"`
	Provenance           string             `json:"provenance"`
	Properties           map[string]rawProp `json:"properties"`
	NavigationProperties map[string]rawProp `json:"navigationProperties"`
}

type rawProp struct {
	Type              string `json:"type"`
	TypeKind          string `json:"typeKind"`
	Collection        bool   `json:"collection"`
	Nullable          *bool  `json:"nullable"`
	ContainsTarget    bool   `json:"containsTarget"`
	FollowedInClosure bool   `json:"followedInClosure"`
}

type rawEnum struct {
	IsFlags *bool `json:"isFlags"`
	Members []struct {
		Name  string `json:"name"`
		Value *int   `json:"value"`
	} `json:"members"`
}

func parseSchema(v Version, data []byte) (*SchemaFacts, error) {
	var raw rawSchema
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("model: schema %s: %w", v, err)
	}
	s := &SchemaFacts{
		Version: v,
		Root:    raw.ClosureRules.Root,
		Types:   make(map[string]*Type, len(raw.Types)),
		Enums:   make(map[string]*Enum, len(raw.Enums)),
	}
	if raw.TypesAbsentFromBeta != nil {
		for _, n := range raw.TypesAbsentFromBeta.List {
			n, _, _ = strings.Cut(n, " ")
			s.AbsentTypes = append(s.AbsentTypes, n)
		}
	}
	for name, rt := range raw.Types {
		t := &Type{Name: name, Kind: rt.Kind, Abstract: rt.Abstract, Provenance: rt.Provenance}
		if rt.BaseType != nil {
			t.BaseType, _, _ = strings.Cut(strings.TrimSpace(*rt.BaseType), " ")
		}
		// derivedTypes is a list of names, or a string placeholder such as
		// "(omitted: every entity type)", or absent.
		var list []string
		if len(rt.DerivedTypes) > 0 && rt.DerivedTypes[0] == '[' {
			if err := json.Unmarshal(rt.DerivedTypes, &list); err != nil {
				return nil, fmt.Errorf("model: schema %s: %s.derivedTypes: %w", v, name, err)
			}
		}
		t.DerivedTypes = list
		add := func(props map[string]rawProp, nav bool) {
			for pn, rp := range props {
				p := &Property{
					Name:           pn,
					Type:           elementType(rp.Type),
					TypeKind:       rp.TypeKind,
					Collection:     rp.Collection,
					Nullable:       rp.Nullable == nil || *rp.Nullable,
					Navigation:     nav,
					ContainsTarget: rp.ContainsTarget,
					Followed:       !nav || rp.FollowedInClosure,
					DeclaringType:  name,
				}
				t.Properties = append(t.Properties, p)
			}
		}
		add(rt.Properties, false)
		add(rt.NavigationProperties, true)
		sort.Slice(t.Properties, func(i, j int) bool { return t.Properties[i].Name < t.Properties[j].Name })
		s.Types[name] = t
	}
	for name, re := range raw.Enums {
		e := &Enum{Name: name, Flags: re.IsFlags != nil && *re.IsFlags, set: make(map[string]bool, len(re.Members))}
		for _, m := range re.Members {
			e.Members = append(e.Members, EnumMember{Name: m.Name, Value: m.Value})
			e.set[m.Name] = true
		}
		s.Enums[name] = e
	}
	if s.Types[s.Root] == nil {
		return nil, fmt.Errorf("model: schema %s: root type %q missing", v, s.Root)
	}

	// Derived types: the declared lists, completed from the base types
	// (this fills in microsoft.graph.entity).
	for _, t := range s.Types {
		if t.BaseType == "" {
			continue
		}
		b := s.Types[t.BaseType]
		if b == nil {
			return nil, fmt.Errorf("model: schema %s: %s: base type %q missing", v, t.Name, t.BaseType)
		}
		if !contains(b.DerivedTypes, t.Name) {
			b.DerivedTypes = append(b.DerivedTypes, t.Name)
		}
	}
	for _, t := range s.Types {
		sort.Strings(t.DerivedTypes)
		for _, d := range t.DerivedTypes {
			if s.Types[d] == nil {
				return nil, fmt.Errorf("model: schema %s: %s: derived type %q missing", v, t.Name, d)
			}
		}
	}
	// Inherited properties and the derived-from relation.
	for _, t := range s.Types {
		t.byName = make(map[string]*Property)
		seen := map[string]bool{}
		for c := t; c != nil; c = s.Types[c.BaseType] {
			if seen[c.Name] {
				return nil, fmt.Errorf("model: schema %s: base type cycle at %s", v, c.Name)
			}
			seen[c.Name] = true
			for _, p := range c.Properties {
				if _, dup := t.byName[p.Name]; !dup {
					t.byName[p.Name] = p
				}
			}
		}
		for _, p := range t.byName {
			t.all = append(t.all, p)
		}
		sort.Slice(t.all, func(i, j int) bool { return t.all[i].Name < t.all[j].Name })
		t.derived = map[string]bool{}
	}
	for _, t := range s.Types {
		for c := t; c != nil; c = s.Types[c.BaseType] {
			c.derived[t.Name] = true
		}
	}
	// Every property type must be known (navigation properties that the
	// closure does not follow excepted).
	for _, t := range s.Types {
		for _, p := range t.Properties {
			switch p.TypeKind {
			case KindEnum:
				if s.Enums[p.Type] == nil {
					return nil, fmt.Errorf("model: schema %s: %s.%s: enum %q missing", v, t.Name, p.Name, p.Type)
				}
			case KindComplex, KindEntity:
				if p.Followed && s.Types[p.Type] == nil {
					return nil, fmt.Errorf("model: schema %s: %s.%s: type %q missing", v, t.Name, p.Name, p.Type)
				}
			case KindPrimitive:
			default:
				return nil, fmt.Errorf("model: schema %s: %s.%s: unknown typeKind %q", v, t.Name, p.Name, p.TypeKind)
			}
		}
	}
	return s, nil
}

func elementType(t string) string {
	if strings.HasPrefix(t, "Collection(") && strings.HasSuffix(t, ")") {
		return t[len("Collection(") : len(t)-1]
	}
	return t
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
