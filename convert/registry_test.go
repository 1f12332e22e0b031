package convert

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

// TestRegistryCoversSchema walks the schema facts of both versions: every
// property of every type must have a rule in the registry, and a property
// that only the source version has must not simply be kept. A property
// added to either schema makes this test fail until someone decides its
// rule.
func TestRegistryCoversSchema(t *testing.T) {
	for _, v := range model.Versions {
		s := model.Schema(v)
		idx := versionIndex(v)
		d := toV1
		if v == model.V1 {
			d = toBeta
		}
		names := s.TypeNames()
		sort.Strings(names)
		for _, name := range names {
			if name == "microsoft.graph.entity" {
				continue // the base of every entity; its id is checked on each of them
			}
			tr := typeByName[idx][name]
			if tr == nil {
				t.Errorf("%s: type %s has no entry in the registry", v, name)
				continue
			}
			for _, p := range s.AllProperties(name) {
				pr := tr.prop(p.Name)
				switch {
				case pr == nil:
					t.Errorf("%s: %s.%s has no rule", v, name, p.Name)
				case pr.in&presenceOf(v) == 0:
					t.Errorf("%s: %s.%s: the registry says %s does not have it", v, name, p.Name, v)
				case pr.in == presenceOf(v) && pr.rules[d].act == aKeep && pr.rules[d].code == "":
					t.Errorf("%s: %s.%s exists only in %s but its %s rule keeps it", v, name, p.Name, v, d)
				}
			}
			// And no rule for a property the schema does not declare.
			for _, pr := range tr.props {
				if pr.in&presenceOf(v) == 0 {
					continue
				}
				if _, ok := s.Property(name, pr.name); !ok {
					t.Errorf("%s: the registry has %s.%s, which the %s schema does not declare", v, name, pr.name, v)
				}
			}
		}
	}
}

// TestRegistryTypesExist checks the other way round: every type name in
// the registry is a type of that version's schema, and every type derived
// from a registry type in the schema is one it can dispatch to.
func TestRegistryTypesExist(t *testing.T) {
	for key, tr := range registry {
		for _, v := range model.Versions {
			name := tr.names[versionIndex(v)]
			if name == "" {
				continue
			}
			st := model.Schema(v).Type(name)
			if st == nil {
				t.Errorf("registry %q: %s has no type %s", key, v, name)
				continue
			}
			if st.Abstract != tr.abstract && tr.abstract {
				t.Errorf("registry %q: abstract is %v, %s schema says %v", key, tr.abstract, v, st.Abstract)
			}
			for _, dn := range model.Schema(v).ConcreteTypes(name) {
				if dn == name {
					continue
				}
				dt := typeByName[versionIndex(v)][dn]
				if dt == nil || !tr.derives(dt) {
					t.Errorf("registry %q: %s type %s derives from %s but is not among its derived types", key, v, dn, name)
				}
			}
		}
	}
}

func presenceOf(v model.Version) presence {
	if v == model.Beta {
		return inBeta
	}
	return inV1
}

// TestValueTablesMatchSchema checks the enum members the converter writes
// against the v1.0 schema facts.
func TestValueTablesMatchSchema(t *testing.T) {
	s := model.Schema(model.V1)
	for name, got := range map[string][]string{
		"microsoft.graph.accessPackageCatalogType":  catalogTypes,
		"microsoft.graph.accessPackageCatalogState": catalogStates,
	} {
		if diff := cmpStrings(s.Enum(name).MemberNames(), got); diff != "" {
			t.Errorf("%s: %s", name, diff)
		}
	}
	scope := s.Enum("microsoft.graph.allowedTargetScope")
	for beta, v1 := range scopeToV1 {
		if !scope.Has(v1) {
			t.Errorf("scope %s maps to %s, not a member of allowedTargetScope", beta, v1)
		}
	}
	for v1 := range scopeToBeta {
		if !scope.Has(v1) {
			t.Errorf("%s is not a member of allowedTargetScope", v1)
		}
	}
	for _, m := range scope.MemberNames() {
		if _, ok := scopeToBeta[m]; !ok && !scopeNoBeta[m] {
			t.Errorf("allowedTargetScope %s has no rule to beta", m)
		}
	}
}

// TestV1RequestorIndex: the switch agrees with the list it indexes, and
// every name in it is a v1.0 requestorSettings property.
func TestV1RequestorIndex(t *testing.T) {
	for i, name := range v1RequestorMembers {
		if got := v1RequestorIndex(name); got != i {
			t.Errorf("v1RequestorIndex(%q) = %d, want %d", name, got, i)
		}
		if p := requestorSettingsType.prop(name); p == nil || p.in&inV1 == 0 {
			t.Errorf("%s is not a v1.0 property of requestorSettings", name)
		}
	}
	if selfAddBit != 1<<v1RequestorIndex("enableTargetsToSelfAddAccess") {
		t.Errorf("selfAddBit is %b, not enableTargetsToSelfAddAccess's bit", selfAddBit)
	}
	for _, key := range []string{"", "scopeType", "acceptRequests", "allowedRequestors", "enableTargetsToSelfAddAccesS", "onBehalfRequestor"} {
		if got := v1RequestorIndex(key); got != -1 {
			t.Errorf("v1RequestorIndex(%q) = %d, want -1", key, got)
		}
	}
}

// TestNameCallsTakeIdentifiers: pushName, atName and tatName write their
// names into paths with no look at the bytes, so every call in the package
// must pass string literals that are path identifiers (pushName's second
// may be ""); so must every call of appendIdent that passes a literal. A
// mistake would write a key that needs brackets as a bare name.
func TestNameCallsTakeIdentifiers(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch e := call.Fun.(type) {
			case *ast.SelectorExpr:
				fn = e.Sel.Name
			case *ast.Ident:
				fn = e.Name
			}
			var args []ast.Expr
			switch fn {
			case "pushName", "atName", "tatName":
				args = call.Args
			case "appendIdent":
				args = call.Args[1:]
			default:
				return true
			}
			for i, a := range args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					if fn != "appendIdent" {
						t.Errorf("%s: %s takes %s, not a string literal", fset.Position(a.Pos()), fn, types.ExprString(a))
					}
					continue
				}
				calls++
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				if v == "" && fn == "pushName" && i == 1 {
					continue
				}
				if !isPathIdent(v) {
					t.Errorf("%s: %s(%q): not a path identifier", fset.Position(a.Pos()), fn, v)
				}
			}
			return true
		})
	}
	if calls < 20 {
		t.Errorf("only %d literal names found: the test no longer sees the calls", calls)
	}
}

// TestTypesNamed: the type table answers as the two maps it is built
// from, for every name either version has and for names neither has.
func TestTypesNamed(t *testing.T) {
	names := map[string]bool{}
	for idx := range typeByName {
		for name := range typeByName[idx] {
			names[name] = true
		}
	}
	if len(names) < 50 {
		t.Fatalf("only %d type names", len(names))
	}
	for name := range names {
		e := typesNamed(name)
		if e == nil || e[0] != typeByName[0][name] || e[1] != typeByName[1][name] {
			t.Errorf("typesNamed(%q) = %v, want %v, %v", name, e, typeByName[0][name], typeByName[1][name])
		}
		for _, other := range []string{name[:len(name)-1], name + "x", strings.ToUpper(name[:1]) + name[1:], "#" + name} {
			if names[other] {
				continue
			}
			if e := typesNamed(other); e != nil {
				t.Errorf("typesNamed(%q) = %v, want nil", other, e)
			}
		}
	}
	for _, name := range []string{"", "#", "microsoft.graph.", "microsoft.graph.nothing"} {
		if e := typesNamed(name); e != nil {
			t.Errorf("typesNamed(%q) = %v, want nil", name, e)
		}
	}
}

// TestPropIndex: every property of every type is found by its name, and
// a name that differs from it in any one byte finds only a property of
// exactly that name (the in-line word comparison of names of 8 to 24 bytes
// must see every byte).
func TestPropIndex(t *testing.T) {
	checked := 0
	for _, rt := range registry {
		for i, p := range rt.props {
			if rt.byName[p.name] != p {
				continue // a duplicate: the first one wins
			}
			if got, k := rt.propIndex(p.name); got != p || k != i {
				t.Errorf("%s: propIndex(%q) = %v, %d", rt.key, p.name, got, k)
			}
			for pos := range len(p.name) {
				b := []byte(p.name)
				b[pos] ^= 0x20
				other := string(b)
				got, _ := rt.propIndex(other)
				if got != rt.byName[other] {
					t.Errorf("%s: propIndex(%q) = %v, want %v", rt.key, other, got, rt.byName[other])
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d names checked", checked)
	}
}

// TestMayBeEvidence: a property that mayBeEvidence rules out gives no
// evidence with any kind of value, and one it lets through gives some with
// one kind at least: walk skips the call on its word.
func TestMayBeEvidence(t *testing.T) {
	for _, rt := range registry {
		for _, p := range rt.props {
			some := false
			for _, val := range []string{`{}`, `{"a":1}`, `"x"`, `null`, `1`, `true`, `[]`, `[{}]`} {
				m := member{key: p.name, val: val}
				if v := evidenceOf(rt, &m, p); v != 0 {
					some = true
					if !p.mayBeEvidence() {
						t.Errorf("%s.%s = %s is evidence (%v), but mayBeEvidence is false", rt.key, p.name, val, v)
					}
				}
			}
			if p.mayBeEvidence() && !some {
				t.Errorf("%s.%s: mayBeEvidence, but no value is evidence", rt.key, p.name)
			}
		}
	}
}

func cmpStrings(want, got []string) string {
	if strings.Join(want, ",") != strings.Join(got, ",") {
		return "schema has " + strings.Join(want, ",") + "; the converter " + strings.Join(got, ",")
	}
	return ""
}

// TestPropIdent: a property marked ident gets the path segment that
// model.AppendKey gives it, under an empty path and a longer one, and so
// does each of its new names; most properties are marked.
func TestPropIdent(t *testing.T) {
	marked, props := 0, 0
	for _, tr := range registry {
		for _, p := range tr.props {
			props++
			if !p.ident {
				continue
			}
			marked++
			names := []string{p.name}
			for _, r := range p.rules {
				if r.act == aRename {
					names = append(names, r.to)
				}
			}
			for _, name := range names {
				for _, base := range []string{"", "requestorSettings", `a["b c"][0]`} {
					if got, want := string(appendIdent([]byte(base), name)), string(model.AppendKey([]byte(base), name)); got != want {
						t.Errorf("%s.%s: %q, want %q", tr.key, name, got, want)
					}
				}
			}
		}
	}
	if marked < props*9/10 {
		t.Errorf("only %d of %d properties marked as identifiers", marked, props)
	}
}

// TestNamedTypesResolved: the types the converters name directly are in
// the registry (a rename there would leave them nil).
func TestNamedTypesResolved(t *testing.T) {
	for name, rt := range map[string]*typeRules{
		"policy": policyType, "userSet": userSetType, "stageSetting": stageSettingType, "handler": handlerType,
		"callout": calloutType, "approvalStage": approvalStageType, "accessPackage": accessPackageType,
		"localizedText": localizedTextType, "requestorSettings": requestorSettingsType,
	} {
		if rt == nil {
			t.Errorf("%s: no such type in the registry", name)
		}
	}
}
