package convert

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/model"
)

// ruleCase converts in (a policy) to a version and checks the output (as
// JSON, by meaning) and the finding codes, or the error kind.
type ruleCase struct {
	name  string
	to    model.Version
	in    string
	want  string // expected output; "" to skip the check
	at    string // compare want with this member of the output (gjson path) instead of all of it
	codes []Code // finding codes that must be among the findings (with exact: all of them)
	exact bool
	has   []string // substrings the output must contain (exact bytes)
	err   error    // expected sentinel error
}

// subset reports whether every element of a (sorted) is in b (sorted), as
// many times.
func subset(a, b []string) bool {
	i := 0
	for _, x := range b {
		if i < len(a) && a[i] == x {
			i++
		}
	}
	return i == len(a)
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Convert([]byte(tc.in), Options{To: tc.to, AllowWidening: true, Name: "case.json"})
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				var e *Error
				if !errors.As(err, &e) || e.Name != "case.json" {
					t.Errorf("error %v does not name the input", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got := string(res.Output)
			if tc.at != "" {
				got = gjson.Get(got, tc.at).Raw
			}
			if tc.want != "" && !jsonEqual(got, tc.want) {
				t.Errorf("output:\n%s\nwant (by meaning):\n%s", got, tc.want)
			}
			for _, h := range tc.has {
				if !strings.Contains(string(res.Output), h) {
					t.Errorf("output lacks %q:\n%s", h, res.Output)
				}
			}
			if tc.codes != nil {
				var got []string
				for _, f := range res.Findings {
					got = append(got, string(f.Code))
				}
				var want []string
				for _, c := range tc.codes {
					want = append(want, string(c))
				}
				sort.Strings(got)
				sort.Strings(want)
				if tc.exact {
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("finding codes (-want +got):\n%s\nfindings: %v", diff, res.Findings)
					}
				} else if !subset(want, got) {
					t.Errorf("finding codes %v lack some of %v", got, want)
				}
			}
		})
	}
}

// A v1.0 requestorSettings as the converter completes it, for want strings.
const fullRequestors = `"requestorSettings":{"enableTargetsToSelfAddAccess":%v,"enableTargetsToSelfUpdateAccess":%v,"enableTargetsToSelfRemoveAccess":%v,"allowCustomAssignmentSchedule":false,"enableOnBehalfRequestorsToAddAccess":false,"enableOnBehalfRequestorsToUpdateAccess":false,"enableOnBehalfRequestorsToRemoveAccess":false,"onBehalfRequestors":[]}`

func reqs(add, upd, rem bool) string { return fmt.Sprintf(fullRequestors, add, upd, rem) }

func TestRulesExpirationAndRequestors(t *testing.T) {
	V, B := model.V1, model.Beta
	runRuleCases(t, []ruleCase{
		{name: "days become afterDuration", to: V,
			in:   `{"displayName":"x","durationInDays":365,"expirationDateTime":null,"canExtend":true,"requestorSettings":{"scopeType":"AllExistingDirectorySubjects","acceptRequests":true,"allowedRequestors":[]}}`,
			want: `{"displayName":"x","expiration":{"type":"afterDuration","duration":"P365D"},"allowedTargetScope":"allDirectoryUsers","specificAllowedTargets":[],` + reqs(true, true, true) + `}`},
		{name: "a date becomes afterDateTime", to: V,
			in:   `{"durationInDays":0,"expirationDateTime":"2026-12-31T00:00:00Z","requestorSettings":{"scopeType":"NoSubjects","acceptRequests":false}}`,
			want: `{"expiration":{"type":"afterDateTime","endDateTime":"2026-12-31T00:00:00Z"},"allowedTargetScope":"notSpecified","specificAllowedTargets":[],` + reqs(false, false, false) + `}`},
		{name: "both set: the date wins, a loss", to: V,
			in:    `{"durationInDays":30,"expirationDateTime":"2026-12-31T00:00:00Z","requestorSettings":{"scopeType":"NoSubjects","acceptRequests":false,"allowedRequestors":[]}}`,
			has:   []string{`"expiration":{"type":"afterDateTime","endDateTime":"2026-12-31T00:00:00Z"}`},
			codes: []Code{CodeExpirationBothSet, CodeExpirationConverted, CodeValueMapped, CodeDefaultFilled, CodeValueMapped}},
		{name: "NoSubjects with acceptRequests true: nobody can request", to: V,
			in:    `{"canExtend":false,"durationInDays":0,"requestorSettings":{"scopeType":"NoSubjects","acceptRequests":true,"allowedRequestors":[]}}`,
			want:  `{"expiration":{"type":"noExpiration"},"allowedTargetScope":"notSpecified","specificAllowedTargets":[],` + reqs(false, false, false) + `}`,
			codes: []Code{CodeExpirationConverted, CodeValueMapped, CodeAcceptRequestsIgnored, CodeMoved, CodeValueMapped, CodeDefaultFilled}},
		{name: "connected-organization scopes collapse", to: V,
			in:    `{"durationInDays":1,"requestorSettings":{"scopeType":"AllExistingConnectedOrganizationSubjects","acceptRequests":true,"allowedRequestors":[]}}`,
			has:   []string{`"allowedTargetScope":"allConfiguredConnectedOrganizationUsers"`},
			codes: []Code{CodeExpirationConverted, CodeScopeCollapsed, CodeValueMapped, CodeDefaultFilled}},
		{name: "unknown scope: nobody", to: V,
			in:  `{"durationInDays":1,"requestorSettings":{"scopeType":"Everyone","acceptRequests":true}}`,
			has: []string{`"allowedTargetScope":"notSpecified"`, `"enableTargetsToSelfAddAccess":false`}},
		{name: "allowed requestors become targets, isBackup dropped", to: V,
			in:   `{"durationInDays":1,"requestorSettings":{"scopeType":"SpecificDirectorySubjects","acceptRequests":true,"allowedRequestors":[{"@odata.type":"#microsoft.graph.singleUser","isBackup":false,"id":"u1","description":"d"},{"@odata.type":"#microsoft.graph.groupMembers","isBackup":true,"id":"g1"}]}}`,
			want: `{"expiration":{"type":"afterDuration","duration":"P1D"},"allowedTargetScope":"specificDirectoryUsers","specificAllowedTargets":[{"@odata.type":"#microsoft.graph.singleUser","userId":"u1","description":"d"},{"@odata.type":"#microsoft.graph.groupMembers","groupId":"g1"}],` + reqs(true, false, true) + `}`},
		{name: "expiration afterDuration to days", to: B,
			in:   `{"expiration":{"type":"afterDuration","duration":"P2W"},"allowedTargetScope":"allMemberUsers","requestorSettings":{"enableTargetsToSelfAddAccess":true,"enableTargetsToSelfUpdateAccess":false,"enableTargetsToSelfRemoveAccess":true},"reviewSettings":null}`,
			want: `{"durationInDays":14,"expirationDateTime":null,"canExtend":false,"requestorSettings":{"scopeType":"AllExistingDirectoryMemberUsers","acceptRequests":true,"allowedRequestors":[]},"accessReviewSettings":null}`},
		{name: "hours that make whole days", to: B,
			in:  `{"expiration":{"type":"afterDuration","duration":"P1DT24H"},"allowedTargetScope":"notSpecified"}`,
			has: []string{`"durationInDays":2`}},
		{name: "a part of a day rounds down", to: B,
			in:    `{"expiration":{"type":"afterDuration","duration":"P1DT12H"},"allowedTargetScope":"notSpecified","reviewSettings":null}`,
			has:   []string{`"durationInDays":1`},
			codes: []Code{CodeDurationRounded, CodeExpirationConverted, CodeDefaultFilled, CodeDefaultFilled, CodeValueMapped}, exact: true},
		{name: "under a day lengthens access: widening", to: B,
			in:    `{"expiration":{"type":"afterDuration","duration":"PT12H"},"allowedTargetScope":"notSpecified","reviewSettings":null}`,
			has:   []string{`"durationInDays":1`},
			codes: []Code{CodeDurationLengthened, CodeExpirationConverted, CodeDefaultFilled, CodeDefaultFilled, CodeValueMapped}, exact: true},
		{name: "afterDuration without a duration: no expiration, a widening", to: B,
			in:  `{"expiration":{"type":"afterDuration"},"allowedTargetScope":"notSpecified","reviewSettings":null}`,
			has: []string{`"durationInDays":0`}, codes: []Code{CodeDurationLengthened}},
		{name: "a review length without a duration is left out, a loss", to: B,
			in:    `{"reviewSettings":{"schedule":{"expiration":{"type":"afterDuration"}}},"allowedTargetScope":"notSpecified"}`,
			codes: []Code{CodeReviewScheduleNotExpressed}},
		{name: "an expanded access package without an id gets accessPackageId", to: V,
			in:  `{"accessPackageId":"p","accessPackage":{"displayName":"d"},"durationInDays":1}`,
			has: []string{`"accessPackage":{"id":"p","displayName":"d"}`}},
		{name: "years have no fixed length", to: B,
			in: `{"expiration":{"type":"afterDuration","duration":"P1Y"},"allowedTargetScope":"notSpecified"}`, err: ErrInvalidValue},
		{name: "afterDateTime to the date", to: B,
			in:  `{"expiration":{"type":"afterDateTime","endDateTime":"2027-01-01T00:00:00Z"},"allowedTargetScope":"notSpecified"}`,
			has: []string{`"durationInDays":0`, `"expirationDateTime":"2027-01-01T00:00:00Z"`}},
		{name: "notSpecified is a loss", to: B,
			in:  `{"expiration":{"type":"notSpecified"},"allowedTargetScope":"notSpecified","reviewSettings":null}`,
			has: []string{`"durationInDays":0`}, codes: []Code{CodeExpirationUnspecified, CodeDefaultFilled, CodeDefaultFilled, CodeValueMapped}, exact: true},
		{name: "service principal scope: NoSubjects and targets dropped", to: B,
			in:  `{"allowedTargetScope":"specificDirectoryServicePrincipals","specificAllowedTargets":[{"@odata.type":"#microsoft.graph.singleServicePrincipal","servicePrincipalId":"sp"}],"expiration":{"type":"noExpiration"}}`,
			has: []string{`"scopeType":"NoSubjects"`, `"allowedRequestors":[]`}},
		{name: "agent identities: no beta value", to: B,
			in:  `{"allowedTargetScope":"allDirectoryAgentIdentities","expiration":{"type":"noExpiration"},"reviewSettings":null}`,
			has: []string{`"scopeType":"NoSubjects"`}},
		{name: "on-behalf-of requestors are a loss", to: B,
			in:    `{"allowedTargetScope":"allMemberUsers","requestorSettings":{"enableTargetsToSelfAddAccess":true,"enableOnBehalfRequestorsToAddAccess":true,"onBehalfRequestors":[{"@odata.type":"#microsoft.graph.targetManager","managerLevel":1}]},"expiration":{"type":"noExpiration"},"reviewSettings":null}`,
			codes: []Code{CodeDefaultFilled, CodeValueMapped, CodeMoved, CodeOnBehalfNotExpressible, CodeOnBehalfNotExpressible, CodeExpirationConverted}},
		{name: "self-removal that differs from self-add is a loss", to: B,
			in:    `{"allowedTargetScope":"allMemberUsers","requestorSettings":{"enableTargetsToSelfAddAccess":true,"enableTargetsToSelfRemoveAccess":false,"allowCustomAssignmentSchedule":true},"expiration":{"type":"noExpiration"},"reviewSettings":null}`,
			codes: []Code{CodeDefaultFilled, CodeValueMapped, CodeMoved, CodeSelfServiceSettingDropped, CodeSelfServiceSettingDropped, CodeExpirationConverted}},
		{name: "automatic removal dropped: widening", to: B,
			in:    `{"allowedTargetScope":"notSpecified","automaticRequestSettings":{"requestAccessForAllowedTargets":true,"removeAccessWhenTargetLeavesAllowedTargets":true},"expiration":{"type":"noExpiration"},"reviewSettings":null}`,
			codes: []Code{CodeDefaultFilled, CodeValueMapped, CodeDefaultFilled, CodeAutomaticRemovalDropped, CodeAutomaticAssignmentDropped, CodeExpirationConverted}},
		{name: "access package reference both ways", to: B,
			in:  `{"accessPackage":{"id":"ap1"},"allowedTargetScope":"notSpecified"}`,
			has: []string{`"accessPackageId":"ap1"`}},
		{name: "expanded access package keeps its shared members", to: V,
			in:  `{"accessPackageId":"ap1","accessPackage":{"id":"ap1","displayName":"AP","catalogId":"c1"},"durationInDays":1,"requestorSettings":{"scopeType":"NoSubjects"}}`,
			has: []string{`"accessPackage":{"id":"ap1","displayName":"AP"}`}},
		// Not the schema's shape, but the other direction reads the list's
		// objects as typed values (their types are evidence): so must this
		// one (FuzzDetect found the two disagreeing).
		{name: "access package given as a list is converted as a typed value", to: B,
			in:    `{"accessPackage":[{"@odata.type":"microsoft.graph.singleServicePrincipal"}],"allowedTargetScope":"notSpecified"}`,
			has:   []string{`"accessPackage":[{}]`},
			codes: []Code{CodeUnknownType, CodeAnnotationDropped}},
		// Next to accessPackageId, such a value names no id: a wrong value,
		// not a conflict between two ids.
		{name: "access package list next to accessPackageId refused", to: V,
			in:  `{"accessPackageId":"p","accessPackage":[{"id":"p"}]}`,
			err: ErrInvalidValue},
		{name: "access package number next to accessPackageId refused", to: V,
			in:  `{"accessPackageId":"p","accessPackage":5}`,
			err: ErrInvalidValue},
	})
}

func TestRulesApproval(t *testing.T) {
	V, B := model.V1, model.Beta
	runRuleCases(t, []ruleCase{
		{name: "a stage with backups split into fallbacks", to: V,
			in:   `{"requestApprovalSettings":{"isApprovalRequired":true,"isApprovalRequiredForExtension":false,"isRequestorJustificationRequired":true,"approvalMode":"SingleStage","approvalStages":[{"approvalStageTimeOutInDays":14,"escalationTimeInMinutes":90,"isEscalationEnabled":true,"primaryApprovers":[{"@odata.type":"#microsoft.graph.requestorManager","managerLevel":1,"isBackup":false},{"@odata.type":"#microsoft.graph.singleUser","id":"u1","isBackup":true}],"escalationApprovers":[{"@odata.type":"#microsoft.graph.groupMembers","id":"g1","isBackup":false},{"@odata.type":"#microsoft.graph.singleUser","id":"u2","isBackup":true}]}]}}`,
			at:   "requestApprovalSettings",
			want: `{"isApprovalRequiredForAdd":true,"isApprovalRequiredForUpdate":false,"isRequestorJustificationRequired":true,"stages":[{"durationBeforeAutomaticDenial":"P14D","durationBeforeEscalation":"PT1H30M","isEscalationEnabled":true,"primaryApprovers":[{"@odata.type":"#microsoft.graph.requestorManager","managerLevel":1}],"fallbackPrimaryApprovers":[{"@odata.type":"#microsoft.graph.singleUser","userId":"u1"}],"escalationApprovers":[{"@odata.type":"#microsoft.graph.groupMembers","groupId":"g1"}],"fallbackEscalationApprovers":[{"@odata.type":"#microsoft.graph.singleUser","userId":"u2"}]}]}`},
		{name: "an all-backup list stays primary: a loss", to: V,
			in:    `{"requestApprovalSettings":{"approvalStages":[{"escalationApprovers":[{"@odata.type":"#microsoft.graph.singleUser","id":"u2","isBackup":true}]}]}}`,
			at:    "requestApprovalSettings",
			want:  `{"stages":[{"escalationApprovers":[{"@odata.type":"#microsoft.graph.singleUser","userId":"u2"}],"fallbackEscalationApprovers":[]}]}`,
			codes: []Code{CodeAllBackupKeptPrimary}},
		{name: "minutes: days, hours and minutes", to: V,
			in:  `{"requestApprovalSettings":{"approvalStages":[{"escalationTimeInMinutes":1560},{"escalationTimeInMinutes":11520},{"escalationTimeInMinutes":0}]}}`,
			has: []string{`"P1DT2H"`, `"P8D"`, `"PT0S"`}},
		{name: "a number as a string is read, with a finding", to: V,
			in:    `{"requestApprovalSettings":{"approvalStages":[{"approvalStageTimeOutInDays":"7"}]}}`,
			has:   []string{`"durationBeforeAutomaticDenial":"P7D"`},
			codes: []Code{CodeStringCoerced, CodeDurationConverted}},
		{name: "a word where a number must be computed is an error", to: V,
			in: `{"requestApprovalSettings":{"approvalStages":[{"approvalStageTimeOutInDays":"seven"}]}}`, err: ErrInvalidValue},
		{name: "a 64-bit number where an Int32 is computed is an error", to: V,
			in: `{"durationInDays":9007199254740993}`, err: ErrInvalidValue},
		{name: "Parallel is a loss", to: V,
			in:    `{"requestApprovalSettings":{"approvalMode":"Parallel","approvalStages":[{},{}]}}`,
			codes: []Code{CodeParallelApprovalSerialized}},
		{name: "approvalMode that disagrees with the stages", to: V,
			in:    `{"requestApprovalSettings":{"isApprovalRequired":true,"approvalMode":"Serial","approvalStages":[{}]}}`,
			codes: []Code{CodeApprovalModeMismatch}},
		{name: "dynamic stage extension dropped: widening", to: V,
			in:    `{"requestApprovalSettings":{"approvalStages":[{"@odata.type":"#microsoft.graph.accessPackageDynamicApprovalStage","customExtension":{"id":"x"}}]}}`,
			has:   []string{`"@odata.type":"#microsoft.graph.accessPackageDynamicApprovalStage"`},
			codes: []Code{CodeDynamicApprovalExtensionDropped}},
		{name: "stage type renamed", to: V,
			in:  `{"requestApprovalSettings":{"@odata.type":"#microsoft.graph.approvalSettings","approvalStages":[{"@odata.type":"#microsoft.graph.approvalStage"}]}}`,
			has: []string{`"#microsoft.graph.accessPackageAssignmentApprovalSettings"`, `"#microsoft.graph.accessPackageApprovalStage"`}},
		{name: "fallbacks appended with isBackup, approvalMode derived", to: B,
			in:  `{"requestApprovalSettings":{"isApprovalRequiredForAdd":true,"isApprovalRequiredForUpdate":true,"stages":[{"durationBeforeAutomaticDenial":"P2D","durationBeforeEscalation":"PT90M","primaryApprovers":[{"@odata.type":"#microsoft.graph.singleUser","userId":"u1"}],"fallbackPrimaryApprovers":[{"@odata.type":"#microsoft.graph.groupMembers","groupId":"g1"}]}]},"allowedTargetScope":"notSpecified"}`,
			has: []string{`"isApprovalRequired":true`, `"isApprovalRequiredForExtension":true`, `"approvalMode":"SingleStage"`, `"approvalStageTimeOutInDays":2`, `"escalationTimeInMinutes":90`, `"primaryApprovers":[{"@odata.type":"#microsoft.graph.singleUser","id":"u1","isBackup":false},{"@odata.type":"#microsoft.graph.groupMembers","id":"g1","isBackup":true}]`}},
		{name: "seconds in an escalation round down", to: B,
			in:  `{"requestApprovalSettings":{"stages":[{"durationBeforeEscalation":"PT90S"}]}}`,
			has: []string{`"escalationTimeInMinutes":1`}},
		{name: "a subject type beta lacks is dropped from its list", to: B,
			in:    `{"requestApprovalSettings":{"stages":[{"primaryApprovers":[{"@odata.type":"#microsoft.graph.targetApplicationOwners"},{"@odata.type":"#microsoft.graph.internalSponsors"}]}]}}`,
			has:   []string{`"primaryApprovers":[{"@odata.type":"#microsoft.graph.internalSponsors","isBackup":false}]`},
			codes: []Code{CodeSubjectNotExpressible, CodeApprovalModeDerived, CodeDefaultFilled, CodeDefaultFilled, CodeDefaultFilled, CodeDefaultFilled, CodeDefaultFilled}},
	})
}

func TestRulesReviewsQuestionsExtensions(t *testing.T) {
	V, B := model.V1, model.Beta
	runRuleCases(t, []ruleCase{
		{name: "review settings restructure", to: V,
			in:   `{"accessReviewSettings":{"isEnabled":true,"recurrenceType":"monthly","reviewerType":"Reviewers","startDateTime":"2026-01-01T00:00:00Z","durationInDays":14,"isAccessRecommendationEnabled":true,"isApprovalJustificationRequired":false,"accessReviewTimeoutBehavior":"removeAccess","reviewers":[{"@odata.type":"#microsoft.graph.singleUser","id":"u1","isBackup":false},{"@odata.type":"#microsoft.graph.singleUser","id":"u2","isBackup":true}]}}`,
			at:   "reviewSettings",
			want: `{"isEnabled":true,"schedule":{"startDateTime":"2026-01-01T00:00:00Z","expiration":{"type":"afterDuration","duration":"P14D"},"recurrence":{"pattern":{"type":"absoluteMonthly","interval":1,"month":0,"dayOfMonth":0,"daysOfWeek":[]},"range":{"type":"noEnd","numberOfOccurrences":0}}},"isSelfReview":false,"primaryReviewers":[{"@odata.type":"#microsoft.graph.singleUser","userId":"u1"}],"fallbackReviewers":[{"@odata.type":"#microsoft.graph.singleUser","userId":"u2"}],"isRecommendationEnabled":true,"isReviewerJustificationRequired":false,"expirationBehavior":"removeAccess"}`},
		{name: "reviewerType Manager", to: V,
			in:  `{"accessReviewSettings":{"reviewerType":"Manager","reviewers":[]}}`,
			has: []string{`"isSelfReview":false`, `"primaryReviewers":[{"@odata.type":"#microsoft.graph.requestorManager","managerLevel":1}]`}},
		{name: "agentic review dropped", to: V,
			in: `{"accessReviewSettings":{"isAgenticExperienceEnabled":true}}`, codes: []Code{CodeNoCounterpart}},
		{name: "daily reviews cannot be as frequent in beta: widening", to: B,
			in:  `{"reviewSettings":{"schedule":{"recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd"}}}},"allowedTargetScope":"notSpecified"}`,
			has: []string{`"recurrenceType":"weekly"`}},
		{name: "every two months: monthly, at least as often", to: B,
			in:  `{"reviewSettings":{"schedule":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":2},"range":{"type":"noEnd"}}}},"allowedTargetScope":"notSpecified"}`,
			has: []string{`"recurrenceType":"monthly"`}},
		{name: "yearly as absoluteMonthly 12", to: B,
			in:  `{"reviewSettings":{"schedule":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":12},"range":{"type":"noEnd"}}}},"allowedTargetScope":"notSpecified"}`,
			has: []string{`"recurrenceType":"annual"`}},
		{name: "self review and reviewers back", to: B,
			in:  `{"reviewSettings":{"isSelfReview":true,"primaryReviewers":[],"fallbackReviewers":[]},"allowedTargetScope":"notSpecified"}`,
			has: []string{`"reviewerType":"Self"`}},
		{name: "question text and choices", to: V,
			in:   `{"questions":[{"@odata.type":"#microsoft.graph.accessPackageMultipleChoiceQuestion","id":"q1","text":{"defaultText":"Where?","localizedTexts":[{"text":"¿Dónde?","languageCode":"es"}]},"allowsMultipleSelection":true,"choices":[{"actualValue":"a","displayValue":{"defaultText":"A","localizedTexts":[]}}]}]}`,
			at:   "questions",
			want: `[{"@odata.type":"#microsoft.graph.accessPackageMultipleChoiceQuestion","id":"q1","text":"Where?","localizations":[{"text":"¿Dónde?","languageCode":"es"}],"isMultipleSelectionAllowed":true,"choices":[{"actualValue":"a","text":"A","localizations":[]}]}]`},
		{name: "question text without a default", to: V,
			in:    `{"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","text":{"localizedTexts":[{"text":"Pourquoi ?","languageCode":"fr"}]}}]}`,
			has:   []string{`"text":"Pourquoi ?"`},
			codes: []Code{CodeQuestionDefaultTextMissing}},
		{name: "question text back to localized content", to: B,
			in:  `{"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","text":"Why?","localizations":[{"languageCode":"fr","text":"Pourquoi ?"}],"regexPattern":"^[a-z]+$"}],"allowedTargetScope":"notSpecified"}`,
			has: []string{`"text":{"defaultText":"Why?","localizedTexts":[{"languageCode":"fr","text":"Pourquoi ?"}]}`, `"regexPattern":"^[a-z]+$"`}},
		{name: "custom extension handler becomes a stage setting, retyped", to: V,
			in:   `{"customExtensionHandlers":[{"id":"h1","stage":"assignmentFourteenDaysBeforeExpiration","customExtension":{"id":"e1"}}]}`,
			at:   "customExtensionStageSettings",
			want: `[{"id":"h1","stage":"assignmentFourteenDaysBeforeExpiration","customExtension":{"@odata.type":"#microsoft.graph.accessPackageAssignmentWorkflowExtension","id":"e1"}}]`},
		{name: "a handler without a stage is dropped", to: V,
			in: `{"customExtensionHandlers":[{"id":"h1","customExtension":{"id":"e1"}}]}`,
			at: "customExtensionStageSettings", want: `[]`,
			codes: []Code{CodeCustomExtensionDropped}},
		{name: "an empty handler list stays an empty list", to: V,
			in: `{"customExtensionHandlers":[]}`, at: "customExtensionStageSettings", want: `[]`},
		{name: "verifiable credentials: widening", to: V,
			in: `{"verifiableCredentialSettings":{"credentialTypes":[{"credentialType":"VerifiedEmployee","issuers":["did:web:x"]}]}}`,
			at: "verifiableCredentialSettings", want: ``,
			codes: []Code{CodeVerifiableCredentialsDropped}},
		{name: "notification settings renamed", to: V,
			in: `{"accessPackageNotificationSettings":{"isAssignmentNotificationDisabled":true}}`, at: "notificationSettings", want: `{"isAssignmentNotificationDisabled":true}`},
		{name: "the context URL follows the version", to: V,
			in:  `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/$entity","canExtend":true}`,
			has: []string{`"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies/$entity"`}},
	})
}

func TestRulesMixedUnknownAndBytes(t *testing.T) {
	V, B := model.V1, model.Beta
	runRuleCases(t, []ruleCase{
		{name: "equal meanings in both forms: the target's stays", to: V,
			in:    `{"durationInDays":365,"expiration":{"type":"afterDuration","duration":"P365D"}}`,
			want:  `{"expiration":{"type":"afterDuration","duration":"P365D"},"allowedTargetScope":"notSpecified","specificAllowedTargets":[],` + reqs(false, false, false) + `}`,
			codes: []Code{CodeDuplicateDropped, CodeScopeUnknown, CodeDefaultFilled, CodeDefaultFilled}},
		{name: "different meanings in both forms: an error naming both", to: V,
			in: `{"durationInDays":30,"expiration":{"type":"afterDuration","duration":"P365D"}}`, err: ErrConflict},
		{name: "renamed property present in both forms, different", to: V,
			in: `{"requestApprovalSettings":{"isApprovalRequired":true,"isApprovalRequiredForAdd":false}}`, err: ErrConflict},
		{name: "renamed property present in both forms, equal", to: V,
			in: `{"requestApprovalSettings":{"isApprovalRequired":true,"isApprovalRequiredForAdd":true}}`,
			at: "requestApprovalSettings", want: `{"isApprovalRequiredForAdd":true}`,
			codes: []Code{CodeDuplicateDropped}},
		{name: "accessPackageId and a different accessPackage.id", to: V,
			in: `{"accessPackageId":"a","accessPackage":{"id":"b"}}`, err: ErrConflict},
		{name: "v1.0 to beta conflict", to: B,
			in: `{"expiration":{"type":"afterDuration","duration":"P5D"},"durationInDays":7,"allowedTargetScope":"notSpecified"}`, err: ErrConflict},
		{name: "v1.0 to beta, equal meanings", to: B,
			in:    `{"expiration":{"type":"afterDuration","duration":"P7D"},"durationInDays":7,"allowedTargetScope":"notSpecified"}`,
			has:   []string{`"durationInDays":7`},
			codes: []Code{CodeDuplicateDropped}},
		{name: "unknown keys with awkward names pass through byte for byte", to: V,
			in:    `{"a.b":1,"@x.y":"z","*":[1, 2],"?":{"k" : 1e3},"#":null,"|":true,"\\":"\u00e9","canExtend":true}`,
			has:   []string{`"a.b":1,"@x.y":"z","*":[1, 2],"?":{"k" : 1e3},"#":null,"|":true,"\\":"\u00e9"`},
			codes: []Code{CodeUnknownProperty, CodeUnknownProperty, CodeUnknownProperty, CodeUnknownProperty, CodeUnknownProperty, CodeUnknownProperty, CodeScopeUnknown, CodeDefaultFilled, CodeMoved, CodeDefaultFilled, CodeDefaultFilled}, exact: true},
		{name: "64-bit integers and number spellings survive", to: V,
			in:  `{"objectId":9007199254740993,"n":1.50E+10,"canExtend":false}`,
			has: []string{`"objectId":9007199254740993,"n":1.50E+10`}},
		{name: "neutral: nothing to convert, same bytes", to: V,
			in: `{"id":"x","displayName":"y","description":"z"}`, want: `{"id":"x","displayName":"y","description":"z"}`, codes: []Code{}, exact: true},
		{name: "already v1.0: same bytes", to: V,
			in: `{"allowedTargetScope":"allMemberUsers",  "expiration":{"type":"noExpiration"}}`, has: []string{`"allowedTargetScope":"allMemberUsers",  "expiration"`}, codes: []Code{}, exact: true},
		{name: "a policy that is not an object", to: V, in: `[1]`, err: ErrNotPolicy},
		{name: "a property given twice is an error", to: V, in: `{"durationInDays":1,"durationInDays":2}`, err: ErrInvalidValue},
		{name: "@odata.type given twice is an error", to: B, in: `{"requestApprovalSettings":{"stages":[{"@odata.type":"#microsoft.graph.accessPackageApprovalStage","@odata.type":"#microsoft.graph.accessPackageDynamicApprovalStage"}]}}`, err: ErrInvalidValue},
		{name: "an unknown key given twice passes through", to: V, in: `{"x":1,"x":2,"canExtend":true}`, has: []string{`"x":1,"x":2`}},
		{name: "invalid JSON", to: V, in: `{"a":}`, err: ErrSyntax},
		{name: "trailing garbage", to: V, in: `{"canExtend":true} x`, err: ErrSyntax},
	})
}

// TestStrictAndWidening: the loss policy refuses widening by default and
// any loss in strict mode, naming every finding behind the refusal.
func TestStrictAndWidening(t *testing.T) {
	widening := []byte(`{"verifiableCredentialSettings":{"credentialTypes":[{"credentialType":"x"}]},"canExtend":true}`)
	loss := []byte(`{"accessReviewSettings":{"isAgenticExperienceEnabled":true}}`)
	if _, err := Convert(widening, Options{To: model.V1}); !errors.Is(err, ErrRefused) {
		t.Errorf("widening not refused by default: %v", err)
	} else {
		var e *Error
		errors.As(err, &e)
		if len(e.Findings) != 1 || e.Findings[0].Code != CodeVerifiableCredentialsDropped {
			t.Errorf("refusal names %v", e.Findings)
		}
	}
	if _, err := Convert(widening, Options{To: model.V1, AllowWidening: true}); err != nil {
		t.Errorf("AllowWidening: %v", err)
	}
	if _, err := Convert(loss, Options{To: model.V1}); err != nil {
		t.Errorf("a loss refused by default: %v", err)
	}
	if _, err := Convert(loss, Options{To: model.V1, Strict: true}); !errors.Is(err, ErrRefused) {
		t.Errorf("a loss not refused in strict mode: %v", err)
	}
	if _, err := NewConverter(Options{To: model.V1, Strict: true, AllowWidening: true}); err == nil {
		t.Error("Strict with AllowWidening accepted")
	}
}

// TestSyntaxErrorsLocate: invalid JSON reports line, column, offset and
// what was expected.
func TestSyntaxErrorsLocate(t *testing.T) {
	_, err := Convert([]byte("{\n  \"canExtend\": tru\n}"), Options{To: model.V1, Name: "p.json"})
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 2 || se.Column != 16 || !strings.Contains(se.Msg, `expected "true"`) {
		t.Fatalf("got %v (%+v)", err, se)
	}
	if !strings.HasPrefix(err.Error(), "p.json: ") {
		t.Errorf("error does not start with the file name: %v", err)
	}
}

// TestNoPanicOnPrefixes converts every prefix of every example: never a
// panic, and either an error or valid JSON.
func TestNoPanicOnPrefixes(t *testing.T) {
	for _, file := range docExamples(t)[:20] {
		in := readFile(t, file)
		for i := 0; i <= len(in); i += 7 {
			for _, to := range model.Versions {
				res, err := ConvertDocument(in[:i], Options{To: to, AllowWidening: true})
				if err == nil && res.Output != nil && !jsonValid(res.Output) {
					t.Fatalf("%s[:%d] → %s: invalid JSON out", file, i, to)
				}
			}
		}
	}
}

// TestFromOption: Options.From states the source version; a payload purely
// of the other version is an error, mixed and neutral ones are accepted.
func TestFromOption(t *testing.T) {
	beta := []byte(`{"canExtend":true}`)
	v1 := []byte(`{"allowedTargetScope":"allMemberUsers"}`)
	neutral := []byte(`{"id":"p"}`)
	mixed := []byte(`{"canExtend":true,"allowedTargetScope":"allMemberUsers"}`)
	for _, tc := range []struct {
		in       []byte
		from, to model.Version
		wrong    bool
	}{
		{beta, model.Beta, model.V1, false},
		{v1, model.Beta, model.V1, true},
		{beta, model.V1, model.V1, true},
		{v1, model.V1, model.V1, false},
		{neutral, model.Beta, model.V1, false},
		{neutral, model.V1, model.Beta, false},
		{mixed, model.V1, model.V1, false},
		{mixed, model.Beta, model.V1, false},
	} {
		_, err := Convert(tc.in, Options{From: tc.from, To: tc.to})
		if got := errors.Is(err, ErrWrongVersion); got != tc.wrong {
			t.Errorf("%s from %s to %s: error %v, want wrong-version %v", tc.in, tc.from, tc.to, err, tc.wrong)
		}
		if tc.wrong && !strings.Contains(err.Error(), "found a ") || tc.wrong && strings.Contains(err.Error(), "a  payload") {
			t.Errorf("message %q does not name the shape", err)
		}
	}
}

// TestDetectionAgreesWithConvert holds a conversion's Detection to
// Detect's on inputs where a rule consumes or copies what Detect reads as
// evidence (both found by FuzzDetect): a type name of one version inside
// an object the conversion takes apart, and objects in a list where the
// schema has one object.
func TestDetectionAgreesWithConvert(t *testing.T) {
	for _, in := range []string{
		`{"expiration":{"@odata.type":"#microsoft.graph.assignmentReviewSettings","type":"noExpiration"}}`,
		`{"accessPackage":[{"@odata.type":"microsoft.graph.singleServicePrincipal"}]}`,
	} {
		d, err := Detect([]byte(in))
		if err != nil {
			t.Fatalf("Detect(%s): %v", in, err)
		}
		for _, v := range model.Versions {
			res, err := Convert([]byte(in), Options{To: v, AllowWidening: true})
			if err != nil {
				t.Fatalf("Convert(%s) to %s: %v", in, v, err)
			}
			if diff := cmp.Diff(d, res.Detection); diff != "" {
				t.Errorf("%s to %s: Detection differs from Detect's (-Detect +Convert):\n%s", in, v, diff)
			}
		}
	}
}
