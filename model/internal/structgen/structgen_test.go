package structgen

import (
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"id":                   "ID",
		"userId":               "UserID",
		"claimIdInApiResponse": "ClaimIDInAPIResponse",
		"targetUrl":            "TargetURL",
		"url":                  "URL",
		"httpRequestEndpoint":  "HTTPRequestEndpoint",
		"isIdentity":           "IsIdentity",
		"a":                    "A",
		"":                     "",
	} {
		if got := GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := StructName("microsoft.graph.identityGovernance.customTaskExtension"); got != "CustomTaskExtension" {
		t.Errorf("StructName = %q", got)
	}
	b := model.Schema(model.Beta)
	for in, want := range map[string]string{
		"microsoft.graph.userSet":           "UserSet",
		"microsoft.graph.approvalStage":     "AnyApprovalStage",
		"microsoft.graph.requestorSettings": "",
		"microsoft.graph.nope":              "",
	} {
		if got := InterfaceName(b, in); got != want {
			t.Errorf("InterfaceName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := EnumConstName("microsoft.graph.identityGovernance.customTaskExtensionReplyMode", "none"); got != "CustomTaskExtensionReplyModeNone" {
		t.Errorf("EnumConstName = %q", got)
	}
	if _, err := Generate("v2"); err == nil {
		t.Error("Generate of an unknown version")
	}
}
