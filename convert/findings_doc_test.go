package convert

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

// codeExample is a small policy that produces a finding code.
type codeExample struct {
	to   model.Version
	in   string
	opts Options // To is set from to; AllowWidening is always on
	prep func() string
}

// codeExamples gives every code an example; FINDINGS.md shows each one with
// the finding it produces, and the test fails when it no longer does.
var codeExamples = map[Code]codeExample{
	CodeUnknownProperty:          {to: model.V1, in: `{"canExtend":true,"isDenyPolicy":false}`},
	CodeUnknownType:              {to: model.V1, in: `{"questions":[{"@odata.type":"#microsoft.graph.textInputQuestion","text":{"defaultText":"Why?"}}]}`},
	CodeServerFieldDropped:       {to: model.V1, in: `{"canExtend":true,"createdBy":"admin@contoso.com"}`},
	CodeDefaultFilled:            {to: model.Beta, in: `{"allowedTargetScope":"allMemberUsers"}`},
	CodeMoved:                    {to: model.V1, in: `{"accessPackageId":"ap1"}`},
	CodeValueMapped:              {to: model.V1, in: `{"requestorSettings":{"scopeType":"AllExistingDirectoryMemberUsers","acceptRequests":true}}`},
	CodeDurationConverted:        {to: model.V1, in: `{"requestApprovalSettings":{"approvalStages":[{"escalationTimeInMinutes":90}]}}`},
	CodeExpirationConverted:      {to: model.V1, in: `{"durationInDays":365,"expirationDateTime":null}`},
	CodeApprovalModeDerived:      {to: model.V1, in: `{"requestApprovalSettings":{"approvalMode":"SingleStage","approvalStages":[{}]}}`},
	CodeApproversSplit:           {to: model.V1, in: `{"requestApprovalSettings":{"approvalStages":[{"primaryApprovers":[{"@odata.type":"#microsoft.graph.internalSponsors","isBackup":false},{"@odata.type":"#microsoft.graph.singleUser","id":"u1","isBackup":true}]}]}}`},
	CodeQuestionTextConverted:    {to: model.V1, in: `{"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","text":{"defaultText":"Why?","localizedTexts":[]}}]}`},
	CodeIsBackupDropped:          {to: model.V1, in: `{"requestorSettings":{"scopeType":"SpecificDirectorySubjects","acceptRequests":true,"allowedRequestors":[{"@odata.type":"#microsoft.graph.groupMembers","id":"g1","isBackup":false}]}}`},
	CodeAcceptRequestsIgnored:    {to: model.V1, in: `{"requestorSettings":{"scopeType":"NoSubjects","acceptRequests":true}}`},
	CodeStringCoerced:            {to: model.V1, in: `{"canExtend":"true"}`},
	CodeDuplicateDropped:         {to: model.V1, in: `{"durationInDays":7,"expiration":{"type":"afterDuration","duration":"P7D"}}`},
	CodeEmptySettingDropped:      {to: model.V1, in: `{"canExtend":true,"verifiableCredentialSettings":null}`},
	CodeExpandedMemberDropped:    {to: model.V1, in: `{"accessPackageId":"ap1","accessPackage":{"id":"ap1","catalogId":"c1"}}`},
	CodeExpandedNavigationCopied: {to: model.V1, in: `{"canExtend":true,"accessPackage":{"id":"ap1","incompatibleGroups":[{"id":"g1"}]}}`},
	CodeContextKept:              {to: model.V1, in: `{"@odata.context":"https://example.com/not-graph","canExtend":true}`},
	CodeDeprecatedNormalized:     {to: model.V1, in: `{"customExtensionHandlers":[{"stage":"assignmentRequestCreated","customExtension":{"id":"e1"}}]}`},
	CodeAnnotationDropped:        {to: model.Beta, in: `{"expiration":{"@odata.type":"#microsoft.graph.expirationPattern","type":"noExpiration"}}`},
	CodeNullDropped:              {to: model.V1, in: `{"canExtend":true,"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","id":null,"text":{"defaultText":"Why?"}}]}`},
	CodeExtensionIDMapped:        {to: model.V1, in: `{"customExtensionHandlers":[{"stage":"assignmentRequestCreated","customExtension":{"id":"e1"}}]}`, opts: Options{ExtensionIDs: map[string]string{"e1": "e2"}}},
	CodeStashKept:                {to: model.V1, in: `{"requestorSettings":{"scopeType":"AllExistingConnectedOrganizationSubjects","acceptRequests":true}}`, opts: Options{Stash: true}},
	CodeStashRestored: {to: model.Beta, prep: func() string {
		r, _ := Convert([]byte(`{"requestorSettings":{"scopeType":"AllExistingConnectedOrganizationSubjects","acceptRequests":true}}`), Options{To: model.V1, Stash: true})
		return string(r.Output)
	}},
	CodeStashStripped: {to: model.V1, opts: Options{StripStash: true}, prep: func() string {
		r, _ := Convert([]byte(`{"requestorSettings":{"scopeType":"AllExistingConnectedOrganizationSubjects","acceptRequests":true}}`), Options{To: model.V1, Stash: true})
		return string(r.Output)
	}},
	CodeRemovedForCreate: {to: model.V1, in: `{"id":"p1","canExtend":true}`, opts: Options{ForCreate: true}},
	CodeStashIgnored: {to: model.Beta, prep: func() string {
		r, _ := Convert([]byte(`{"requestorSettings":{"scopeType":"AllExistingConnectedOrganizationSubjects","acceptRequests":true}}`), Options{To: model.V1, Stash: true})
		return strings.Replace(string(r.Output), `"specificAllowedTargets":[]`, `"specificAllowedTargets":[{"@odata.type":"#microsoft.graph.groupMembers","groupId":"g1"}]`, 1)
	}},
	CodeNoCounterpart:                   {to: model.V1, in: `{"accessReviewSettings":{"isAgenticExperienceEnabled":true}}`},
	CodeExpirationBothSet:               {to: model.V1, in: `{"durationInDays":30,"expirationDateTime":"2027-01-01T00:00:00Z"}`},
	CodeExpirationUnspecified:           {to: model.Beta, in: `{"expiration":{"type":"notSpecified"}}`},
	CodeDurationRounded:                 {to: model.Beta, in: `{"requestApprovalSettings":{"stages":[{"durationBeforeAutomaticDenial":"P2DT6H"}]}}`},
	CodeScopeCollapsed:                  {to: model.V1, in: `{"requestorSettings":{"scopeType":"AllExistingConnectedOrganizationSubjects","acceptRequests":true}}`},
	CodeScopeNotExpressible:             {to: model.Beta, in: `{"allowedTargetScope":"allDirectoryServicePrincipals"}`},
	CodeScopeUnknown:                    {to: model.V1, in: `{"requestorSettings":{"acceptRequests":true}}`},
	CodeSubjectNotExpressible:           {to: model.Beta, in: `{"requestApprovalSettings":{"stages":[{"primaryApprovers":[{"@odata.type":"#microsoft.graph.targetApplicationOwners"}]}]}}`},
	CodeAllBackupKeptPrimary:            {to: model.V1, in: `{"requestApprovalSettings":{"approvalStages":[{"escalationApprovers":[{"@odata.type":"#microsoft.graph.singleUser","id":"u1","isBackup":true}]}]}}`},
	CodeParallelApprovalSerialized:      {to: model.V1, in: `{"requestApprovalSettings":{"approvalMode":"Parallel","approvalStages":[{},{}]}}`},
	CodeApprovalModeMismatch:            {to: model.V1, in: `{"requestApprovalSettings":{"approvalMode":"Serial","approvalStages":[{}]}}`},
	CodeRecurrenceApproximated:          {to: model.Beta, in: `{"reviewSettings":{"schedule":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":2},"range":{"type":"noEnd"}}}}}`},
	CodeReviewScheduleNotExpressed:      {to: model.Beta, in: `{"reviewSettings":{"schedule":{"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"noEnd"}}}}}`},
	CodeCustomExtensionRetyped:          {to: model.V1, in: `{"customExtensionHandlers":[{"stage":"assignmentOneDayBeforeExpiration","customExtension":{"id":"e1"}}]}`},
	CodeCustomExtensionDropped:          {to: model.V1, in: `{"customExtensionHandlers":[{"customExtension":{"id":"e1"}}]}`},
	CodeQuestionDefaultTextMissing:      {to: model.V1, in: `{"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","text":{"localizedTexts":[{"languageCode":"fr","text":"Pourquoi ?"}]}}]}`},
	CodeOnBehalfNotExpressible:          {to: model.Beta, in: `{"allowedTargetScope":"allMemberUsers","requestorSettings":{"enableOnBehalfRequestorsToAddAccess":true}}`},
	CodeSelfServiceSettingDropped:       {to: model.Beta, in: `{"allowedTargetScope":"allMemberUsers","requestorSettings":{"allowCustomAssignmentSchedule":true}}`},
	CodeAutomaticAssignmentDropped:      {to: model.Beta, in: `{"allowedTargetScope":"specificDirectoryUsers","automaticRequestSettings":{"requestAccessForAllowedTargets":true}}`},
	CodeVerifiableCredentialsDropped:    {to: model.V1, in: `{"verifiableCredentialSettings":{"credentialTypes":[{"credentialType":"VerifiedEmployee","issuers":["did:web:contoso.com"]}]}}`},
	CodeDynamicApprovalExtensionDropped: {to: model.V1, in: `{"requestApprovalSettings":{"approvalStages":[{"@odata.type":"#microsoft.graph.accessPackageDynamicApprovalStage","customExtension":{"id":"e1"}}]}}`},
	CodeAutomaticRemovalDropped:         {to: model.Beta, in: `{"allowedTargetScope":"specificDirectoryUsers","automaticRequestSettings":{"removeAccessWhenTargetLeavesAllowedTargets":true}}`},
	CodeDurationLengthened:              {to: model.Beta, in: `{"expiration":{"type":"afterDuration","duration":"PT8H"}}`},
	CodeReviewLessFrequent:              {to: model.Beta, in: `{"reviewSettings":{"schedule":{"recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd"}}}}}`},
}

// exampleFinding converts a code's example and returns its input and the
// first finding with that code.
func exampleFinding(ci CodeInfo) (string, *Finding) {
	ex, ok := codeExamples[ci.Code]
	if !ok {
		return "", nil
	}
	in := ex.in
	if ex.prep != nil {
		in = ex.prep()
	}
	o := ex.opts
	o.To = ex.to
	if !o.Strict {
		o.AllowWidening = true
	}
	res, _ := Convert([]byte(in), o)
	for i := range res.Findings {
		if res.Findings[i].Code == ci.Code {
			return in, &res.Findings[i]
		}
	}
	return in, nil
}

// findingsMarkdown renders the findings table of FINDINGS.md from codeTable.
func findingsMarkdown() string {
	var b strings.Builder
	b.WriteString("# Findings\n\n")
	b.WriteString("<!-- Generated from convert/codes.go by `go test ./convert -run TestFindingsTable -update`. Do not edit. -->\n\n")
	b.WriteString("Every change a conversion makes beyond a rename is reported as a finding: the source path, the target\n")
	b.WriteString("path, one of the codes below, its severity and a message. By default `info` and `loss` findings are\n")
	b.WriteString("reported and the policy converts; a `widening` finding refuses the policy unless widening is allowed\n")
	b.WriteString("(`--allow-widening`, `Options.AllowWidening`); strict mode (`--strict`, `Options.Strict`) refuses any `loss` or\n")
	b.WriteString("`widening`.\n\n")
	for _, sev := range []Severity{Info, Loss, Widening} {
		b.WriteString("## " + string(sev) + "\n\n| code | direction | meaning | example (input → finding) |\n|---|---|---|---|\n")
		for _, ci := range codeTable {
			if ci.Severity != sev {
				continue
			}
			ex := ""
			if in, f := exampleFinding(ci); f != nil {
				in = strings.ReplaceAll(in, "|", "\\|")
				if len(in) > 160 {
					in = in[:157] + "..."
				}
				ex = "to " + string(codeExamples[ci.Code].to) + ": `" + in + "` → " + strings.ReplaceAll(f.String(), "|", "\\|")
			}
			b.WriteString("| `" + string(ci.Code) + "` | " + ci.Directions + " | " + ci.Meaning + " | " + ex + " |\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestFindingsTable keeps FINDINGS.md in step with the code table.
func TestFindingsTable(t *testing.T) {
	golden(t, filepath.Join("..", "FINDINGS.md"), []byte(findingsMarkdown()))
	seen := map[Code]bool{}
	for _, ci := range codeTable {
		if seen[ci.Code] {
			t.Errorf("code %s listed twice", ci.Code)
		}
		seen[ci.Code] = true
		if _, f := exampleFinding(ci); f == nil {
			t.Errorf("code %s: its example does not produce it", ci.Code)
		}
	}
	// Every code constant in codes.go is in the table.
	src, err := os.ReadFile("codes.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		if f := strings.Fields(line); len(f) >= 4 && strings.HasPrefix(f[0], "Code") && f[1] == "Code" && f[2] == "=" {
			if !seen[Code(strings.Trim(f[3], `"`))] {
				t.Errorf("%s is not in codeTable", f[0])
			}
		}
	}
}

// TestCodeSeverity: every code's severity is the one of its table entry;
// a code not in the table is Info.
func TestCodeSeverity(t *testing.T) {
	for _, ci := range Codes() {
		if got := ci.Code.Severity(); got != ci.Severity {
			t.Errorf("%s: severity %s, want %s", ci.Code, got, ci.Severity)
		}
	}
	for _, c := range []Code{"", "x", "not-a-code", "moved-", "-moved"} {
		if got := c.Severity(); got != Info {
			t.Errorf("%q: severity %s, want info", c, got)
		}
	}
}

// TestSeveritiesCache: the cache of a conversion gives every code the
// severity Code.Severity gives it, whether the code is the package's
// constant or an equal string elsewhere in memory, in any order (entries
// that share a slot replace each other), and a code unknown to the table
// is Info.
func TestSeveritiesCache(t *testing.T) {
	var codes []Code
	for _, ci := range Codes() {
		// The code, an equal string elsewhere, and a prefix of the code:
		// the same bytes, one shorter (not a code).
		codes = append(codes, ci.Code, Code(strings.Clone(string(ci.Code))), ci.Code[:len(ci.Code)-1])
	}
	codes = append(codes, "no-such-code", Code(strings.Clone("no-such-code")), "")
	var s severities
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		rng.Shuffle(len(codes), func(i, j int) { codes[i], codes[j] = codes[j], codes[i] })
		for _, c := range codes {
			if got, want := s.of(c), c.Severity(); got != want {
				t.Fatalf("severities.of(%q) = %v, want %v", c, got, want)
			}
		}
	}
	if s.of("no-such-code") != Info {
		t.Errorf("an unknown code is not Info")
	}
}
