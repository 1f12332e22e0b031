package model_test

import (
	"reflect"
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

// strs converts a slice of any string type to []string.
func strs[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

type schemaNamer interface{ SchemaName() string }

// goEnums lists every enum type of package model: its SchemaName and members.
var goEnums = []struct {
	typ     schemaNamer
	members []string
}{
	{model.AccessPackageCatalogState(""), strs(model.AccessPackageCatalogStateValues())},
	{model.AccessPackageCatalogType(""), strs(model.AccessPackageCatalogTypeValues())},
	{model.AccessPackageCustomExtensionStage(""), strs(model.AccessPackageCustomExtensionStageValues())},
	{model.AccessReviewExpirationBehavior(""), strs(model.AccessReviewExpirationBehaviorValues())},
	{model.AccessReviewTimeoutBehavior(""), strs(model.AccessReviewTimeoutBehaviorValues())},
	{model.AllowedTargetScope(""), strs(model.AllowedTargetScopeValues())},
	{model.ApproverInformationVisibility(""), strs(model.ApproverInformationVisibilityValues())},
	{model.CustomTaskExtensionReplyMode(""), strs(model.CustomTaskExtensionReplyModeValues())},
	{model.DayOfWeek(""), strs(model.DayOfWeekValues())},
	{model.ExpirationPatternType(""), strs(model.ExpirationPatternTypeValues())},
	{model.PrivilegeLevel(""), strs(model.PrivilegeLevelValues())},
	{model.RecurrencePatternType(""), strs(model.RecurrencePatternTypeValues())},
	{model.RecurrenceRangeType(""), strs(model.RecurrenceRangeTypeValues())},
	{model.WeekIndex(""), strs(model.WeekIndexValues())},
}

// TestEnumsMatchSchema checks, in both directions, that the Go enum types
// have exactly the members of the schema enums: every schema enum of either
// version has a Go type, every Go type is a schema enum of at least one
// version, and the members are the same, in the same order.
func TestEnumsMatchSchema(t *testing.T) {
	byName := map[string][]string{}
	for _, e := range goEnums {
		name := e.typ.SchemaName()
		if _, dup := byName[name]; dup {
			t.Errorf("two Go types for %s", name)
		}
		byName[name] = e.members
	}
	used := map[string]bool{}
	for _, v := range model.Versions {
		s := model.Schema(v)
		for _, name := range s.EnumNames() {
			used[name] = true
			members, ok := byName[name]
			if !ok {
				t.Errorf("%s: enum %s has no Go type", v, name)
				continue
			}
			if want := s.Enums[name].MemberNames(); !reflect.DeepEqual(members, want) {
				t.Errorf("%s: enum %s: Go constants %v, schema members %v", v, name, members, want)
			}
		}
	}
	for name := range byName {
		if !used[name] {
			t.Errorf("Go enum type for %s, which no schema has", name)
		}
	}
	// Every enum-typed property of both schemas names an enum with a Go
	// type (a consistency check of the schema facts themselves).
	for _, v := range model.Versions {
		s := model.Schema(v)
		for _, tn := range s.TypeNames() {
			for _, p := range s.Types[tn].Properties {
				if p.TypeKind == model.KindEnum && byName[p.Type] == nil {
					t.Errorf("%s: %s.%s: enum %s has no Go type", v, tn, p.Name, p.Type)
				}
			}
		}
	}
}

// TestBetaValueTables checks the beta value tables: they belong to Edm.String
// properties of the beta schema and list the documented values.
func TestBetaValueTables(t *testing.T) {
	b := model.Schema(model.Beta)
	tables := []struct {
		typ, prop string
		want      []string
		got       []string
	}{
		{"microsoft.graph.requestorSettings", "scopeType", []string{
			"NoSubjects", "SpecificDirectorySubjects", "SpecificConnectedOrganizationSubjects",
			"AllConfiguredConnectedOrganizationSubjects", "AllExistingConnectedOrganizationSubjects",
			"AllExistingDirectoryMemberUsers", "AllExistingDirectorySubjects", "AllExternalSubjects",
		}, strs(model.ScopeTypeValues())},
		{"microsoft.graph.approvalSettings", "approvalMode", []string{"NoApproval", "SingleStage", "Serial", "Parallel"}, strs(model.ApprovalModeValues())},
		{"microsoft.graph.assignmentReviewSettings", "recurrenceType", []string{"weekly", "monthly", "quarterly", "halfyearly", "annual"}, strs(model.RecurrenceTypeValues())},
		{"microsoft.graph.assignmentReviewSettings", "reviewerType", []string{"Self", "Reviewers", "Manager"}, strs(model.ReviewerTypeValues())},
	}
	for _, tc := range tables {
		p, ok := b.Property(tc.typ, tc.prop)
		if !ok || p.Type != "Edm.String" || p.Collection {
			t.Errorf("%s.%s is not an Edm.String property of beta: %+v", tc.typ, tc.prop, p)
		}
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s.%s: constants %v, want %v", tc.typ, tc.prop, tc.got, tc.want)
		}
		if got := model.BetaValueTable("#"+tc.typ, tc.prop); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("BetaValueTable(%s, %s) = %v", tc.typ, tc.prop, got)
		}
	}
	if model.BetaValueTable("microsoft.graph.requestorSettings", "acceptRequests") != nil {
		t.Error("BetaValueTable of a property without a table")
	}
}
