package model_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

func TestSchemaLoads(t *testing.T) {
	for _, v := range model.Versions {
		s := model.Schema(v)
		if s == nil {
			t.Fatalf("Schema(%s) = nil", v)
		}
		if s != model.Schema(v) {
			t.Errorf("Schema(%s) is parsed more than once", v)
		}
		if s.Version != v {
			t.Errorf("Schema(%s).Version = %s", v, s.Version)
		}
		if s.Root != "microsoft.graph.accessPackageAssignmentPolicy" {
			t.Errorf("%s: Root = %q", v, s.Root)
		}
		if s.Type(s.Root) == nil {
			t.Errorf("%s: root type missing", v)
		}
	}
	if model.Schema("v2") != nil || model.Schema("") != nil {
		t.Error("Schema of an unknown version must be nil")
	}
}

// TestSchemaMatchesFile checks every type, property and enum against the
// embedded JSON, read independently with encoding/json into maps.
func TestSchemaMatchesFile(t *testing.T) {
	for _, v := range model.Versions {
		var raw struct {
			Types map[string]map[string]any `json:"types"`
			Enums map[string]struct {
				Members []struct {
					Name  string `json:"name"`
					Value *int   `json:"value"`
				} `json:"members"`
			} `json:"enums"`
		}
		if err := json.Unmarshal(model.SchemaFile(v), &raw); err != nil {
			t.Fatal(err)
		}
		s := model.Schema(v)
		if len(raw.Types) != len(s.Types) || len(raw.Enums) != len(s.Enums) {
			t.Fatalf("%s: %d/%d types, %d/%d enums", v, len(s.Types), len(raw.Types), len(s.Enums), len(raw.Enums))
		}
		for name, rt := range raw.Types {
			typ := s.Type(name)
			if typ == nil {
				t.Errorf("%s: type %s missing", v, name)
				continue
			}
			if typ.Kind != rt["kind"] || typ.Abstract != rt["abstract"] {
				t.Errorf("%s: %s: kind/abstract = %s/%v", v, name, typ.Kind, typ.Abstract)
			}
			if b, _ := rt["baseType"].(string); !strings.HasPrefix(b, typ.BaseType) || (b == "") != (typ.BaseType == "") {
				t.Errorf("%s: %s: BaseType = %q, file %q", v, name, typ.BaseType, b)
			}
			if dl, ok := rt["derivedTypes"].([]any); ok {
				var want []string
				for _, d := range dl {
					want = append(want, d.(string))
				}
				sort.Strings(want)
				if !reflect.DeepEqual(want, typ.DerivedTypes) {
					t.Errorf("%s: %s: DerivedTypes = %v, want %v", v, name, typ.DerivedTypes, want)
				}
			}
			n := 0
			for _, kind := range []string{"properties", "navigationProperties"} {
				props, _ := rt[kind].(map[string]any)
				for pn, rpAny := range props {
					n++
					rp := rpAny.(map[string]any)
					p, ok := s.Property(name, pn)
					if !ok {
						t.Errorf("%s: %s.%s missing", v, name, pn)
						continue
					}
					wantType := strings.TrimSuffix(strings.TrimPrefix(rp["type"].(string), "Collection("), ")")
					followed, _ := rp["followedInClosure"].(bool)
					ct, _ := rp["containsTarget"].(bool)
					if p.Type != wantType || p.TypeKind != rp["typeKind"] || p.Collection != rp["collection"] ||
						p.Nullable != rp["nullable"] || p.Navigation != (kind == "navigationProperties") ||
						p.ContainsTarget != ct || p.Followed != (kind == "properties" || followed) || p.DeclaringType != name {
						t.Errorf("%s: %s.%s = %+v, file %v", v, name, pn, *p, rp)
					}
				}
			}
			if n != len(typ.Properties) {
				t.Errorf("%s: %s has %d own properties, file %d", v, name, len(typ.Properties), n)
			}
			if !sort.SliceIsSorted(typ.Properties, func(i, j int) bool { return typ.Properties[i].Name < typ.Properties[j].Name }) {
				t.Errorf("%s: %s: properties not sorted", v, name)
			}
		}
		for name, re := range raw.Enums {
			e := s.Enum("#" + name)
			if e == nil {
				t.Errorf("%s: enum %s missing", v, name)
				continue
			}
			if len(e.Members) != len(re.Members) {
				t.Errorf("%s: enum %s: %d members, want %d", v, name, len(e.Members), len(re.Members))
				continue
			}
			for i, m := range re.Members {
				got := e.Members[i]
				if got.Name != m.Name || (got.Value == nil) != (m.Value == nil) || got.Value != nil && *got.Value != *m.Value {
					t.Errorf("%s: enum %s member %d = %+v, want %+v", v, name, i, got, m)
				}
				if !e.Has(m.Name) {
					t.Errorf("%s: enum %s: Has(%q) = false", v, name, m.Name)
				}
			}
			if e.Has("") || e.Has("NotAMember") {
				t.Errorf("%s: enum %s accepts a non-member", v, name)
			}
		}
	}
}

func TestSchemaLookups(t *testing.T) {
	b, v1 := model.Schema(model.Beta), model.Schema(model.V1)

	if b.Type("#microsoft.graph.singleUser") != b.Type("microsoft.graph.singleUser") || b.Type("microsoft.graph.singleUser") == nil {
		t.Error("Type must accept a leading '#'")
	}
	if b.Type("singleUser") != nil || b.Type("") != nil || b.Type("#") != nil {
		t.Error("Type must not accept unqualified or empty names")
	}

	// Inherited properties.
	p, ok := v1.Property("microsoft.graph.singleUser", "userId")
	if !ok || p.Type != "Edm.String" || p.DeclaringType != "microsoft.graph.singleUser" {
		t.Errorf("v1 singleUser.userId = %+v, %v", p, ok)
	}
	p, ok = v1.Property("#microsoft.graph.accessPackageAssignmentPolicy", "id")
	if !ok || p.Nullable || p.DeclaringType != "microsoft.graph.entity" {
		t.Errorf("v1 policy.id = %+v, %v", p, ok)
	}
	p, ok = b.Property("microsoft.graph.singleUser", "isBackup")
	if !ok || p.DeclaringType != "microsoft.graph.userSet" {
		t.Errorf("beta singleUser.isBackup = %+v, %v", p, ok)
	}
	if _, ok := b.Property("microsoft.graph.singleUser", "userId"); ok {
		t.Error("beta singleUser has no userId")
	}
	if _, ok := b.Property("microsoft.graph.nope", "id"); ok {
		t.Error("Property of an unknown type")
	}
	p, ok = b.Property("microsoft.graph.onTokenIssuanceStartCustomExtension", "endpointConfiguration")
	if !ok || p.DeclaringType != "microsoft.graph.customCalloutExtension" {
		t.Errorf("two-level inheritance: %+v, %v", p, ok)
	}
	p, _ = v1.Property(v1.Root, "questions")
	if !p.Navigation || !p.Followed || !p.Collection || !p.ContainsTarget || p.Type != "microsoft.graph.accessPackageQuestion" {
		t.Errorf("v1 policy.questions = %+v", p)
	}
	p, _ = b.Property(b.Root, "questions")
	if p.Navigation || !p.Followed || !p.Collection || p.TypeKind != "complex" {
		t.Errorf("beta policy.questions = %+v", p)
	}
	p, _ = v1.Property("microsoft.graph.accessPackage", "catalog")
	if !p.Navigation || p.Followed {
		t.Errorf("v1 accessPackage.catalog = %+v", p)
	}

	var names []string
	for _, p := range v1.AllProperties("microsoft.graph.accessPackageMultipleChoiceQuestion") {
		names = append(names, p.Name)
	}
	want := []string{"choices", "id", "isAnswerEditable", "isMultipleSelectionAllowed", "isRequired", "localizations", "sequence", "text"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("AllProperties = %v, want %v", names, want)
	}
	if v1.AllProperties("nope") != nil {
		t.Error("AllProperties of an unknown type")
	}

	// Derived types.
	if !b.IsDerivedFrom("#microsoft.graph.singleUser", "microsoft.graph.userSet") ||
		!b.IsDerivedFrom("microsoft.graph.userSet", "microsoft.graph.userSet") ||
		!b.IsDerivedFrom("microsoft.graph.onOtpSendCustomExtension", "microsoft.graph.customCalloutExtension") ||
		!b.IsDerivedFrom("microsoft.graph.onOtpSendCustomExtension", "microsoft.graph.entity") ||
		b.IsDerivedFrom("microsoft.graph.userSet", "microsoft.graph.singleUser") ||
		b.IsDerivedFrom("microsoft.graph.subjectSet", "microsoft.graph.userSet") ||
		b.IsDerivedFrom("microsoft.graph.singleUser", "microsoft.graph.nope") ||
		b.IsDerivedFrom("microsoft.graph.nope", "microsoft.graph.userSet") {
		t.Error("IsDerivedFrom")
	}
	got := b.ConcreteTypes("microsoft.graph.customCalloutExtension")
	wantCT := []string{
		"microsoft.graph.accessPackageAssignmentRequestWorkflowExtension",
		"microsoft.graph.accessPackageAssignmentWorkflowExtension",
		"microsoft.graph.customAccessPackageWorkflowExtension",
		"microsoft.graph.identityGovernance.customTaskExtension",
		"microsoft.graph.onAttributeCollectionStartCustomExtension",
		"microsoft.graph.onAttributeCollectionSubmitCustomExtension",
		"microsoft.graph.onOtpSendCustomExtension",
		"microsoft.graph.onPasswordSubmitCustomExtension",
		"microsoft.graph.onTokenIssuanceStartCustomExtension",
		"microsoft.graph.onVerifiedIdClaimValidationCustomExtension",
	}
	if !reflect.DeepEqual(got, wantCT) {
		t.Errorf("ConcreteTypes = %v", got)
	}
	if got := v1.ConcreteTypes("microsoft.graph.accessPackageApprovalStage"); !reflect.DeepEqual(got, []string{
		"microsoft.graph.accessPackageApprovalStage", "microsoft.graph.accessPackageDynamicApprovalStage"}) {
		t.Errorf("ConcreteTypes(non-abstract) = %v", got)
	}
	if len(v1.ConcreteTypes("microsoft.graph.subjectSet")) != 14 || v1.ConcreteTypes("nope") != nil {
		t.Error("ConcreteTypes(subjectSet)")
	}
	// entity: derivedTypes is a placeholder string in the file.
	ent := v1.Type("microsoft.graph.entity")
	if !ent.Abstract || len(ent.DerivedTypes) == 0 || !contains(ent.DerivedTypes, v1.Root) {
		t.Errorf("entity.DerivedTypes = %v", ent.DerivedTypes)
	}
	// Base type notes removed.
	if bt := b.Type("microsoft.graph.onOtpSendCustomExtension").BaseType; bt != "microsoft.graph.customAuthenticationExtension" {
		t.Errorf("BaseType = %q", bt)
	}
	if !b.IsPolymorphic("microsoft.graph.approvalStage") || !b.IsPolymorphic("microsoft.graph.userSet") || b.IsPolymorphic("microsoft.graph.requestorSettings") {
		t.Error("IsPolymorphic")
	}
	if !contains(b.AbsentTypes, "microsoft.graph.allowedTargetScope") || v1.AbsentTypes != nil {
		t.Errorf("AbsentTypes = %v", b.AbsentTypes)
	}
}

func TestSchemaNilSafe(t *testing.T) {
	var s *model.SchemaFacts
	var e *model.Enum
	if s.Type("x") != nil || s.Enum("x") != nil || s.AllProperties("x") != nil || s.IsDerivedFrom("a", "b") ||
		s.ConcreteTypes("x") != nil || s.IsPolymorphic("x") || s.TypeNames() != nil || s.EnumNames() != nil || e.Has("x") || e.MemberNames() != nil {
		t.Error("nil receivers")
	}
	if _, ok := s.Property("a", "b"); ok {
		t.Error("nil Property")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
