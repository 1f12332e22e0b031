package model_test

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

// short names for the table
const (
	B = model.Beta
	V = model.V1
)

// want is "path|code".
type validateCase struct {
	name string
	v    model.Version
	doc  string
	want []string
}

var validateCases = []validateCase{
	// Nothing wrong.
	{"empty object beta", B, `{}`, nil},
	{"empty object v1", V, `{}`, nil},
	{"nullable values", V, `{"displayName":null,"expiration":null,"specificAllowedTargets":null,"allowedTargetScope":null,"questions":null}`, nil},
	{"nullable values beta", B, `{"canExtend":null,"durationInDays":null,"accessReviewSettings":null,"questions":null,"expirationDateTime":null}`, nil},
	{"annotations", V, `{"@odata.context":"c","@odata.etag":"e","accessPackage@odata.bind":"u","@x.y":{"z":1},"displayName@odata.type":"#String","@odata.type":"#microsoft.graph.accessPackageAssignmentPolicy"}`, nil},
	{"odata.type without #", V, `{"@odata.type":"microsoft.graph.accessPackageAssignmentPolicy","requestorSettings":{"@odata.type":"microsoft.graph.accessPackageAssignmentRequestorSettings"}}`, nil},
	{"escaped key", B, `{"\u0061ccessPackageId":"x","\u0040odata.context":"c"}`, nil},
	{"int32 bounds", B, `{"durationInDays":2147483647,"requestApprovalSettings":{"approvalStages":[{"approverInformationVisibility":"default","escalationTimeInMinutes":-2147483648,"approvalStageTimeOutInDays":0}]}}`, nil},
	{"not followed navigation accepts any JSON", V, `{"accessPackage":{"catalog":5,"assignmentPolicies":"x","incompatibleGroups":{},"resourceRoleScopes":null}}`, nil},
	{"not followed navigation beta", B, `{"requestApprovalSettings":{"approvalStages":[{"@odata.type":"#microsoft.graph.accessPackageDynamicApprovalStage","approverInformationVisibility":"default","customExtension":42}]}}`, nil},
	{"inherited property of a derived type", V, `{"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","id":"q","sequence":1,"text":"t","regexPattern":"x"}]}`, nil},
	{"base type of a polymorphic non-abstract type", V, `{"requestApprovalSettings":{"stages":[{"durationBeforeEscalation":"PT1H"},{"@odata.type":"#microsoft.graph.accessPackageApprovalStage"}]}}`, nil},

	// unknown-property
	{"unknown root property v1", V, `{"isDenyPolicy":false}`, []string{"isDenyPolicy|unknown-property"}},
	{"beta property in v1", V, `{"requestorSettings":{"scopeType":"NoSubjects","acceptRequests":true}}`,
		[]string{"requestorSettings.scopeType|unknown-property", "requestorSettings.acceptRequests|unknown-property"}},
	{"v1 property in beta", B, `{"requestorSettings":{"scopeType":"NoSubjects","enableTargetsToSelfAddAccess":true}}`,
		[]string{"requestorSettings.enableTargetsToSelfAddAccess|unknown-property"}},
	{"awkward keys", B, `{"a.b":1,"@x.y":2,"*":3,"?":4,"#":5,"|":6,"\\":7,"x@odata.bind":"u","":8,"é":9,"a b":10,"0":11,"$ok":12}`,
		[]string{`["a.b"]|unknown-property`, `["*"]|unknown-property`, `["?"]|unknown-property`, `["#"]|unknown-property`,
			`["|"]|unknown-property`, `["\\"]|unknown-property`, `[""]|unknown-property`, `["é"]|unknown-property`,
			`["a b"]|unknown-property`, `["0"]|unknown-property`, `$ok|unknown-property`}},
	{"awkward keys nested v1", V, `{"specificAllowedTargets":[{"@odata.type":"#microsoft.graph.singleUser","a.b":{"c":1},"\"":0}]}`,
		[]string{`specificAllowedTargets[0]["a.b"]|unknown-property`, `specificAllowedTargets[0]["\""]|unknown-property`}},
	{"unknown property of a derived type", V, `{"specificAllowedTargets":[{"@odata.type":"#microsoft.graph.singleUser","groupId":"g"}]}`,
		[]string{"specificAllowedTargets[0].groupId|unknown-property"}},
	{"unknown property in beta subject set", B, `{"requestorSettings":{"allowedRequestors":[{"@odata.type":"#microsoft.graph.singleUser","objectId":"o","userId":"u"}]}}`,
		[]string{"requestorSettings.allowedRequestors[0].objectId|unknown-property", "requestorSettings.allowedRequestors[0].userId|unknown-property"}},

	// wrong-type
	{"string true for boolean beta", B, `{"canExtend":"true"}`, []string{"canExtend|wrong-type"}},
	{"string false for boolean v1", V, `{"requestorSettings":{"enableTargetsToSelfAddAccess":"false","allowCustomAssignmentSchedule":1}}`,
		[]string{"requestorSettings.enableTargetsToSelfAddAccess|wrong-type", "requestorSettings.allowCustomAssignmentSchedule|wrong-type"}},
	{"64-bit number for Int32 beta", B, `{"durationInDays":4294967296}`, []string{"durationInDays|wrong-type"}},
	{"Int32 just out of range beta", B, `{"durationInDays":2147483648,"requestApprovalSettings":{"approvalStages":[{"escalationTimeInMinutes":-2147483649}]}}`,
		[]string{"durationInDays|wrong-type", "requestApprovalSettings.approvalStages[0].escalationTimeInMinutes|wrong-type"}},
	{"Int32 beyond int64 v1", V, `{"reviewSettings":{"schedule":{"recurrence":{"pattern":{"interval":92233720368547758070},"range":{"numberOfOccurrences":-9223372036854775809}}}}}`,
		[]string{"reviewSettings.schedule.recurrence.pattern.interval|wrong-type", "reviewSettings.schedule.recurrence.range.numberOfOccurrences|wrong-type"}},
	{"Int32 not an integer", V, `{"requestApprovalSettings":{"stages":[]},"reviewSettings":{"schedule":{"recurrence":{"pattern":{"interval":1.5,"month":1e3,"dayOfMonth":"1"}}}}}`,
		[]string{"reviewSettings.schedule.recurrence.pattern.interval|wrong-type", "reviewSettings.schedule.recurrence.pattern.month|wrong-type",
			"reviewSettings.schedule.recurrence.pattern.dayOfMonth|wrong-type"}},
	{"string for Int32 in a nested abstract element", B, `{"accessReviewSettings":{"reviewers":[{"@odata.type":"#microsoft.graph.requestorManager","managerLevel":"1"}]}}`,
		[]string{"accessReviewSettings.reviewers[0].managerLevel|wrong-type"}},
	{"number for string", V, `{"displayName":5,"description":true,"id":{}}`, []string{"displayName|wrong-type", "description|wrong-type", "id|wrong-type"}},
	{"bad durations", V, `{"expiration":{"duration":"14 days"},"automaticRequestSettings":{"gracePeriodBeforeAccessRemoval":"P1Y"},"requestApprovalSettings":{"stages":[{"durationBeforeAutomaticDenial":"PT","durationBeforeEscalation":14}]}}`,
		[]string{"expiration.duration|wrong-type", "automaticRequestSettings.gracePeriodBeforeAccessRemoval|wrong-type",
			"requestApprovalSettings.stages[0].durationBeforeAutomaticDenial|wrong-type", "requestApprovalSettings.stages[0].durationBeforeEscalation|wrong-type"}},
	{"bad date-times", B, `{"expirationDateTime":"2024-13-01T00:00:00Z","createdDateTime":"2024-05-01","modifiedDateTime":"2024-05-01T08:00:00","accessReviewSettings":{"startDateTime":1}}`,
		[]string{"expirationDateTime|wrong-type", "createdDateTime|wrong-type", "modifiedDateTime|wrong-type", "accessReviewSettings.startDateTime|wrong-type"}},
	{"good date-times", V, `{"createdDateTime":"2024-05-01T08:00:00.1234567+05:30","modifiedDateTime":"2022-01-11T05:19:16.97Z","expiration":{"endDateTime":"2024-05-01T00:00:00-00:00"}}`, nil},
	{"dates", V, `{"reviewSettings":{"schedule":{"recurrence":{"range":{"startDate":"2024-02-29","endDate":"2023-02-29"}}}}}`,
		[]string{"reviewSettings.schedule.recurrence.range.endDate|wrong-type"}},
	{"number for enum", V, `{"allowedTargetScope":1}`, []string{"allowedTargetScope|wrong-type"}},
	{"non-string odata.type", V, `{"specificAllowedTargets":[{"@odata.type":5}],"expiration":{"@odata.type":null}}`,
		[]string{`specificAllowedTargets[0]["@odata.type"]|wrong-type`, `expiration["@odata.type"]|wrong-type`}},
	{"collection of strings", B, `{"verifiableCredentialSettings":{"credentialTypes":[{"issuers":["a",1,null]}]}}`,
		[]string{"verifiableCredentialSettings.credentialTypes[0].issuers[1]|wrong-type"}},

	// unknown-enum-member
	{"unknown enum member v1", V, `{"allowedTargetScope":"everyone","catalog":{"state":"open"}}`,
		[]string{"allowedTargetScope|unknown-enum-member", "catalog.state|unknown-enum-member"}},
	{"enum members are case-sensitive", V, `{"allowedTargetScope":"NotSpecified"}`, []string{"allowedTargetScope|unknown-enum-member"}},
	{"unknown enum member beta", B, `{"customExtensionHandlers":[{"stage":"assignmentRequestDeterminingApprovalRequirements"}],"accessPackageCatalog":{"privilegeLevel":"root"}}`,
		[]string{"customExtensionHandlers[0].stage|unknown-enum-member", "accessPackageCatalog.privilegeLevel|unknown-enum-member"}},
	{"enum collection", V, `{"reviewSettings":{"schedule":{"recurrence":{"pattern":{"daysOfWeek":["monday","funday"]}}}}}`,
		[]string{"reviewSettings.schedule.recurrence.pattern.daysOfWeek[1]|unknown-enum-member"}},

	// null-not-allowed
	{"null id v1", V, `{"id":null}`, []string{"id|null-not-allowed"}},
	{"null id beta", B, `{"id":null}`, []string{"id|null-not-allowed"}},
	{"null non-nullable boolean", V, `{"notificationSettings":{"isAssignmentNotificationDisabled":null}}`,
		[]string{"notificationSettings.isAssignmentNotificationDisabled|null-not-allowed"}},
	{"null enum in a stage beta", B, `{"requestApprovalSettings":{"approvalStages":[{"approverInformationVisibility":null}]}}`,
		[]string{"requestApprovalSettings.approvalStages[0].approverInformationVisibility|null-not-allowed"}},
	{"null in nested abstract element", V, `{"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","localizations":[{"languageCode":null}]}],"specificAllowedTargets":[{"@odata.type":"#microsoft.graph.identityGovernance.ruleBasedSubjectSet","rule":null}]}`,
		[]string{"questions[0].localizations[0].languageCode|null-not-allowed", "specificAllowedTargets[0].rule|null-not-allowed"}},
	{"null stage beta", B, `{"customExtensionStageSettings":[{"stage":null}]}`, []string{"customExtensionStageSettings[0].stage|null-not-allowed"}},

	// abstract-without-type
	{"user set without type beta", B, `{"requestorSettings":{"allowedRequestors":[{"id":"x","isBackup":false,"description":"d"}]}}`,
		[]string{"requestorSettings.allowedRequestors[0]|abstract-without-type"}},
	{"subject set without type v1", V, `{"specificAllowedTargets":[{"userId":"u","bogus":1}]}`,
		[]string{"specificAllowedTargets[0]|abstract-without-type", "specificAllowedTargets[0].bogus|unknown-property"}},
	{"abstract type named", B, `{"accessReviewSettings":{"reviewers":[{"@odata.type":"#microsoft.graph.userSet","isBackup":true}]}}`,
		[]string{"accessReviewSettings.reviewers[0]|abstract-without-type"}},
	{"custom extension without type v1", V, `{"customExtensionStageSettings":[{"stage":"assignmentRequestCreated","customExtension":{"id":"c"}}]}`,
		[]string{"customExtensionStageSettings[0].customExtension|abstract-without-type"}},
	{"custom extension without type beta", B, `{"customExtensionStageSettings":[{"stage":"assignmentRequestCreated","customExtension":{"id":"c","displayName":"x"}}]}`,
		[]string{"customExtensionStageSettings[0].customExtension|abstract-without-type"}},
	{"nested endpointConfiguration without type", V, `{"customExtensionStageSettings":[{"customExtension":{"@odata.type":"#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension","endpointConfiguration":{"url":"x","nope":1},"authenticationConfiguration":{}}}]}`,
		[]string{"customExtensionStageSettings[0].customExtension.endpointConfiguration|abstract-without-type",
			"customExtensionStageSettings[0].customExtension.endpointConfiguration.nope|unknown-property",
			"customExtensionStageSettings[0].customExtension.authenticationConfiguration|abstract-without-type"}},
	{"question without type v1", V, `{"questions":[{"text":"t","isSingleLineQuestion":true}]}`, []string{"questions[0]|abstract-without-type"}},
	{"question without type beta", B, `{"questions":[{"text":{"defaultText":"t"}}]}`, []string{"questions[0]|abstract-without-type"}},

	// unknown-type
	{"v1 subject type in beta", B, `{"requestorSettings":{"allowedRequestors":[{"@odata.type":"#microsoft.graph.targetManager","managerLevel":1}]}}`,
		[]string{`requestorSettings.allowedRequestors[0]["@odata.type"]|unknown-type`}},
	{"type not derived from the declared one", V, `{"specificAllowedTargets":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion"}]}`,
		[]string{`specificAllowedTargets[0]["@odata.type"]|unknown-type`}},
	{"beta settings type in v1", V, `{"requestorSettings":{"@odata.type":"#microsoft.graph.requestorSettings"}}`,
		[]string{`requestorSettings["@odata.type"]|unknown-type`}},
	{"existing type, wrong place", B, `{"requestorSettings":{"@odata.type":"microsoft.graph.approvalSettings","scopeType":"NoSubjects"}}`,
		[]string{`requestorSettings["@odata.type"]|unknown-type`}},
	{"root type", V, `{"id":"x","@odata.type":"#microsoft.graph.accessPackage"}`, []string{`["@odata.type"]|unknown-type`}},
	{"empty type name", B, `{"questions":[{"@odata.type":"","sequence":1}]}`, []string{`questions[0]["@odata.type"]|unknown-type`}},
	{"unknown custom extension type", V, `{"customExtensionStageSettings":[{"customExtension":{"@odata.type":"#microsoft.graph.customAccessPackageWorkflowExtension","displayName":"x"}}]}`,
		[]string{`customExtensionStageSettings[0].customExtension["@odata.type"]|unknown-type`}},

	// not-an-object
	{"array for an object", V, `{"requestorSettings":[],"expiration":"P1D"}`, []string{"requestorSettings|not-an-object", "expiration|not-an-object"}},
	{"scalar elements for objects", V, `{"specificAllowedTargets":[1,"x",[]]}`,
		[]string{"specificAllowedTargets[0]|not-an-object", "specificAllowedTargets[1]|not-an-object", "specificAllowedTargets[2]|not-an-object"}},
	{"string for a followed navigation property", B, `{"accessPackage":"id","customExtensionHandlers":[{"customExtension":true}]}`,
		[]string{"accessPackage|not-an-object", "customExtensionHandlers[0].customExtension|not-an-object"}},
	{"string for localized content beta", B, `{"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","text":"t"}]}`,
		[]string{"questions[0].text|not-an-object"}},

	// not-an-array
	{"object for a collection v1", V, `{"specificAllowedTargets":{},"questions":{"a":1}}`, []string{"specificAllowedTargets|not-an-array", "questions|not-an-array"}},
	{"string for a collection beta", B, `{"questions":"q","verifiableCredentialSettings":{"credentialTypes":[{"issuers":"x"}]}}`,
		[]string{"questions|not-an-array", "verifiableCredentialSettings.credentialTypes[0].issuers|not-an-array"}},

	// Document order across codes and depths.
	{"document order", V, `{"zzz":1,"requestorSettings":{"onBehalfRequestors":[{"userId":1},{"@odata.type":"#microsoft.graph.singleUser","userId":2}]},"allowedTargetScope":"x","aaa":[]}`,
		[]string{"zzz|unknown-property", "requestorSettings.onBehalfRequestors[0]|abstract-without-type",
			"requestorSettings.onBehalfRequestors[0].userId|wrong-type", "requestorSettings.onBehalfRequestors[1].userId|wrong-type",
			"allowedTargetScope|unknown-enum-member", "aaa|unknown-property"}},
}

func TestValidateProblems(t *testing.T) {
	covered := map[model.ProblemCode]map[model.Version]bool{}
	for _, tc := range validateCases {
		t.Run(tc.name, func(t *testing.T) {
			probs, err := model.Validate([]byte(tc.doc), tc.v)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range probs {
				got = append(got, p.Path+"|"+string(p.Code))
				if p.Message == "" || p.Expected == "" || p.Found == "" {
					t.Errorf("incomplete problem %#v", p)
				}
				if covered[p.Code] == nil {
					covered[p.Code] = map[model.Version]bool{}
				}
				covered[p.Code][tc.v] = true
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("%s: %s\n got: %q\nwant: %q", tc.v, tc.doc, got, tc.want)
				for _, p := range probs {
					t.Log(p)
				}
			}
		})
	}
	for _, code := range model.ProblemCodes {
		for _, v := range model.Versions {
			if !covered[code][v] {
				t.Errorf("no test of %s with %s", code, v)
			}
		}
	}
}

func TestValidateDetails(t *testing.T) {
	probs, _ := model.Validate([]byte(`{"canExtend":"true","durationInDays":4294967296,"requestorSettings":{"scopeType":"Everyone","allowedRequestors":[{"id":"x"}]}}`), model.Beta)
	want := []model.Problem{
		{Path: "canExtend", Code: model.CodeWrongType, Expected: "Edm.Boolean", Found: `string "true"`,
			Message: `expected a boolean, found the string "true" (write it without quotes)`},
		{Path: "durationInDays", Code: model.CodeWrongType, Expected: "Edm.Int32", Found: "number 4294967296",
			Message: "4294967296 is out of the range of Edm.Int32"},
		{Path: "requestorSettings.allowedRequestors[0]", Code: model.CodeAbstractWithoutType,
			Expected: `"@odata.type" naming a concrete type derived from microsoft.graph.userSet`, Found: `no "@odata.type"`,
			Message: `an object of the abstract type microsoft.graph.userSet needs an "@odata.type" naming one of its concrete derived types`},
	}
	if fmt.Sprint(probs) != fmt.Sprint(want) {
		t.Errorf("got\n%#v\nwant\n%#v", probs, want)
	}
	if got := probs[0].String(); got != `canExtend: wrong-type: expected a boolean, found the string "true" (write it without quotes)` {
		t.Errorf("String() = %s", got)
	}
	probs, _ = model.Validate([]byte(`{"requestorSettings":{"scopeType":"NoSubjects"}}`), model.V1)
	if got := probs[0].String(); got != `requestorSettings.scopeType: unknown-property: "scopeType" is not a property of microsoft.graph.accessPackageAssignmentRequestorSettings in v1.0` {
		t.Errorf("String() = %s", got)
	}
	if got := (model.Problem{Code: model.CodeUnknownType, Message: "m"}).String(); got != "(root): unknown-type: m" {
		t.Errorf("String() = %s", got)
	}
	if _, err := model.Validate([]byte(`{}`), "v2"); err == nil {
		t.Error("unknown version: want an error")
	}
}

func TestValidateDurations(t *testing.T) {
	good := []string{"P14D", "PT1H30M", "P1DT2H", "PT0S", "P2W", "P365D", "-P1D", "PT0.5S", "PT1,5S", "P1W2D", "PT36H", "P0D", "P1DT1H1M1.123S", "PT10M"}
	bad := []string{"", "P", "PT", "P1Y", "P1M", "P1Y2M3D", "14D", "p1d", "P1H", "PT1D", "P1.5D", "PT1.5M", "P1DT", "P1D1W", "PT1M1H", "PT1H1H", "P-1D", "P1", "PT1", "P1DT2H ", " P1D", "P1TD", "PTT1H", "PT.5S", "PT1.S", "P1D2D"}
	for _, d := range good {
		probs, _ := model.Validate([]byte(`{"expiration":{"duration":"`+d+`"}}`), model.V1)
		if len(probs) != 0 {
			t.Errorf("%q: %v", d, probs)
		}
	}
	for _, d := range bad {
		probs, _ := model.Validate([]byte(`{"expiration":{"duration":"`+d+`"}}`), model.V1)
		if len(probs) != 1 || probs[0].Code != model.CodeWrongType || probs[0].Expected != "Edm.Duration" {
			t.Errorf("%q: %v", d, probs)
		}
	}
}

func TestValidateSyntaxErrors(t *testing.T) {
	deep := strings.Repeat("[", 20000)
	cases := []struct {
		doc                  string
		offset, line, column int
		msg                  string
	}{
		{`{"a":1,}`, 7, 1, 8, "expected an object key (a string in double quotes), found '}'"},
		{"{\n  \"a\": 1\n  \"b\": 2\n}", 13, 3, 3, "expected ',' or '}' after an object member, found '\"'"},
		{"{\r\n\t\"a\" 1}", 8, 2, 6, "expected ':' after an object key, found '1'"},
		{`[1 2]`, 3, 1, 4, "expected ',' or ']' after an array element"},
		{``, 0, 1, 1, "unexpected end of input"},
		{"  \n ", 4, 2, 2, "unexpected end of input"},
		{`{"a":`, 5, 1, 6, "unexpected end of input"},
		{`{"a":"abc`, 9, 1, 10, "unexpected end of input"},
		{`nul`, 3, 1, 4, "unexpected end of input"},
		{`{"é":tru}`, 9, 1, 9, "expected 'e' to continue the literal true, found '}'"},
		{`{"a":"\x"}`, 7, 1, 8, "expected an escape sequence"},
		{"{\"a\":\"\x01\"}", 6, 1, 7, "expected a string character (control characters must be escaped)"},
		{`{"a":1.}`, 7, 1, 8, "expected a digit after the decimal point"},
		{`{"a":-}`, 6, 1, 7, "expected a digit in the number"},
		{`{"a":1e}`, 7, 1, 8, "expected a digit in the exponent"},
		{`{"a":"\u12g4"}`, 10, 1, 11, "expected four hexadecimal digits"},
		{`{} x`, 3, 1, 4, "expected the end of the input after the top-level value, found 'x'"},
		{`{"a":[}`, 6, 1, 7, "expected a JSON value, found '}'"},
		{"\xff", 0, 1, 1, "expected a JSON value"},
		{`[1,2]`, 0, 1, 1, "expected a JSON object at the top level, found an array"},
		{"\n  \"x\"", 3, 2, 3, "expected a JSON object at the top level, found a string"},
		{`null`, 0, 1, 1, "found null"},
		{`42`, 0, 1, 1, "found a number"},
		{`true`, 0, 1, 1, "found a boolean"},
		{deep, 10000, 1, 10001, "nesting deeper than 10000 levels"},
		{`{"a":` + deep, 10004, 1, 10005, "nesting deeper than 10000 levels"},
	}
	for _, tc := range cases {
		for _, v := range model.Versions {
			probs, err := model.Validate([]byte(tc.doc), v)
			var se *model.SyntaxError
			if !errors.As(err, &se) || probs != nil {
				t.Errorf("%.40q: err = %v, problems %v", tc.doc, err, probs)
				continue
			}
			if se.Offset != tc.offset || se.Line != tc.line || se.Column != tc.column || !strings.Contains(se.Message, tc.msg) {
				t.Errorf("%.40q: got offset %d line %d column %d %q; want %d %d %d %q", tc.doc, se.Offset, se.Line, se.Column, se.Message, tc.offset, tc.line, tc.column, tc.msg)
			}
			if !strings.Contains(se.Error(), fmt.Sprintf("line %d, column %d", tc.line, tc.column)) {
				t.Errorf("Error() = %s", se.Error())
			}
		}
	}
}

func fixtureFiles(t *testing.T, kind, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "validate", kind, dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no fixtures in testdata/validate/%s/%s", kind, dir)
	}
	return files
}

// TestValidateFixtures: the valid fixtures have no problems in their own
// version (and some in the other); the round-trip fixtures have the listed
// problems.
func TestValidateFixtures(t *testing.T) {
	for _, pkg := range typedPackages {
		for _, f := range fixtureFiles(t, "valid", pkg.dir) {
			data, _ := os.ReadFile(f)
			probs, err := model.Validate(data, pkg.version)
			if err != nil || len(probs) != 0 {
				t.Errorf("%s: %v %v", f, err, probs)
			}
			probs, err = model.Validate(data, pkg.version.Other())
			if err != nil || len(probs) == 0 {
				t.Errorf("%s as %s: %v %v", f, pkg.version.Other(), err, probs)
			}
		}
	}
	want := map[string][]string{
		"beta": {"isDenyPolicy|unknown-property", "requestorSettings.isOnBehalfAllowed|unknown-property",
			"requestorSettings.allowedRequestors[0].objectId|unknown-property", "accessPackageCatalog.future|unknown-property"},
		"v1.0": {"isDenyPolicy|unknown-property", "userType|unknown-property", "notificationSettings.unknownFlag|unknown-property",
			"specificAllowedTargets[1].objectId|unknown-property", "specificAllowedTargets[1].displayName|unknown-property",
			"customExtensionStageSettings[0].extra|unknown-property"},
	}
	for _, pkg := range typedPackages {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "validate", "roundtrip", pkg.dir, "unknown-members.json"))
		if err != nil {
			t.Fatal(err)
		}
		probs, err := model.Validate(data, pkg.version)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range probs {
			got = append(got, p.Path+"|"+string(p.Code))
		}
		if strings.Join(got, "\n") != strings.Join(want[pkg.dir], "\n") {
			t.Errorf("%s:\n got %q\nwant %q", pkg.dir, got, want[pkg.dir])
		}
	}
}

// TestValidateNeverPanics validates every prefix of the fixtures and random
// mutations of them: invalid input must give a *SyntaxError inside the
// input, and nothing may panic.
func TestValidateNeverPanics(t *testing.T) {
	var docs [][]byte
	for _, pkg := range typedPackages {
		for _, f := range append(fixtureFiles(t, "valid", pkg.dir), fixtureFiles(t, "roundtrip", pkg.dir)...) {
			data, _ := os.ReadFile(f)
			docs = append(docs, data)
		}
	}
	check := func(doc []byte) {
		for _, v := range model.Versions {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic on %q: %v", doc, r)
					}
				}()
				probs, err := model.Validate(doc, v)
				if err == nil {
					return
				}
				var se *model.SyntaxError
				if !errors.As(err, &se) || probs != nil || se.Offset < 0 || se.Offset > len(doc) || se.Line < 1 || se.Column < 1 || se.Message == "" {
					t.Fatalf("%q: %#v %v", doc, err, probs)
				}
			}()
		}
	}
	for _, doc := range docs {
		for i := 0; i <= len(doc); i++ {
			check(doc[:i])
		}
	}
	r := rand.New(rand.NewSource(42))
	garbage := []byte(`{}[]":,0123456789.-+eEtrufalsn\ @#` + "\x00\xff\n")
	for i := 0; i < 5000; i++ {
		doc := append([]byte(nil), docs[r.Intn(len(docs))]...)
		for k := 0; k < 1+r.Intn(4); k++ {
			p := r.Intn(len(doc))
			switch r.Intn(3) {
			case 0:
				doc[p] = garbage[r.Intn(len(garbage))]
			case 1:
				doc = append(doc[:p], doc[p+1:]...)
			default:
				doc = append(doc[:p], append([]byte{garbage[r.Intn(len(garbage))]}, doc[p:]...)...)
			}
		}
		check(doc)
	}
}

func FuzzValidate(f *testing.F) {
	for _, tc := range validateCases {
		f.Add([]byte(tc.doc))
	}
	f.Add([]byte(`{"a":`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, v := range model.Versions {
			probs, err := model.Validate(doc, v)
			var se *model.SyntaxError
			if err != nil && (!errors.As(err, &se) || probs != nil || se.Offset > len(doc)) {
				t.Fatalf("%q: %v", doc, err)
			}
		}
	})
}

// TestValidateDocs validates the documented examples, when present: no
// panic, and the files that are not valid JSON are syntax errors.
func TestValidateDocs(t *testing.T) {
	for _, pkg := range typedPackages {
		files, _ := filepath.Glob(filepath.Join(docsDir(), pkg.dir, "*"))
		clean := 0
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			probs, err := model.Validate(data, pkg.version)
			var se *model.SyntaxError
			if strings.HasSuffix(f, ".txt") && !errors.As(err, &se) {
				t.Errorf("%s: invalid JSON not reported: %v", f, err)
			}
			if err == nil && len(probs) == 0 {
				clean++
			}
		}
		if len(files) > 0 {
			t.Logf("%s: %d of %d documented examples validate without problems", pkg.version, clean, len(files))
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "validate", "valid", "v1.0", "policy-full.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.Validate(data, model.V1); err != nil {
			b.Fatal(err)
		}
	}
}
