package convert

// Severity says how much a finding matters (decision 5 of the spec).
type Severity string

const (
	// Info: nothing the user set is lost or changed in meaning.
	Info Severity = "info"
	// Loss: something is dropped or approximated.
	Loss Severity = "loss"
	// Widening: a loss that could let someone get access, keep it longer,
	// or skip a check the source policy imposed.
	Widening Severity = "widening"
)

// rank orders severities from least to most serious.
func (s Severity) rank() int {
	switch s {
	case Loss:
		return 1
	case Widening:
		return 2
	}
	return 0
}

// Code is the stable, kebab-case name of a kind of finding. Every code has
// one severity; Codes lists them all with what they mean.
type Code string

// The finding codes. Each one's severity and meaning are in codeTable.
const (
	CodeUnknownProperty          Code = "unknown-property"
	CodeUnknownType              Code = "unknown-type"
	CodeServerFieldDropped       Code = "server-field-dropped"
	CodeDefaultFilled            Code = "default-filled"
	CodeMoved                    Code = "moved"
	CodeValueMapped              Code = "value-mapped"
	CodeDurationConverted        Code = "duration-converted"
	CodeExpirationConverted      Code = "expiration-converted"
	CodeApprovalModeDerived      Code = "approval-mode-derived"
	CodeApproversSplit           Code = "approvers-split"
	CodeQuestionTextConverted    Code = "question-text-converted"
	CodeIsBackupDropped          Code = "is-backup-dropped"
	CodeAcceptRequestsIgnored    Code = "accept-requests-ignored"
	CodeStringCoerced            Code = "string-coerced"
	CodeDuplicateDropped         Code = "duplicate-dropped"
	CodeEmptySettingDropped      Code = "empty-setting-dropped"
	CodeExpandedMemberDropped    Code = "expanded-member-dropped"
	CodeExpandedNavigationCopied Code = "expanded-navigation-copied"
	CodeContextKept              Code = "context-kept"
	CodeDeprecatedNormalized     Code = "deprecated-form-normalized"
	CodeExtensionIDMapped        Code = "extension-id-mapped"
	CodeAnnotationDropped        Code = "annotation-dropped"
	CodeNullDropped              Code = "null-dropped"
	CodeStashKept                Code = "stash-kept"
	CodeStashRestored            Code = "stash-restored"
	CodeStashStripped            Code = "stash-stripped"
	CodeRemovedForCreate         Code = "removed-for-create"
	CodeStashIgnored             Code = "stash-ignored"

	CodeNoCounterpart              Code = "no-counterpart"
	CodeExpirationBothSet          Code = "expiration-both-set"
	CodeExpirationUnspecified      Code = "expiration-unspecified"
	CodeDurationRounded            Code = "duration-rounded"
	CodeScopeCollapsed             Code = "scope-collapsed"
	CodeScopeNotExpressible        Code = "scope-not-expressible"
	CodeScopeUnknown               Code = "scope-unknown"
	CodeSubjectNotExpressible      Code = "subject-not-expressible"
	CodeAllBackupKeptPrimary       Code = "all-backup-kept-primary"
	CodeParallelApprovalSerialized Code = "parallel-approval-serialized"
	CodeApprovalModeMismatch       Code = "approval-mode-mismatch"
	CodeRecurrenceApproximated     Code = "recurrence-approximated"
	CodeReviewScheduleNotExpressed Code = "review-schedule-not-expressible"
	CodeCustomExtensionRetyped     Code = "custom-extension-retyped"
	CodeCustomExtensionDropped     Code = "custom-extension-dropped"
	CodeQuestionDefaultTextMissing Code = "question-default-text-missing"
	CodeOnBehalfNotExpressible     Code = "on-behalf-not-expressible"
	CodeSelfServiceSettingDropped  Code = "self-service-setting-dropped"
	CodeAutomaticAssignmentDropped Code = "automatic-assignment-dropped"

	CodeVerifiableCredentialsDropped    Code = "verifiable-credentials-dropped"
	CodeDynamicApprovalExtensionDropped Code = "dynamic-approval-extension-dropped"
	CodeAutomaticRemovalDropped         Code = "automatic-removal-dropped"
	CodeDurationLengthened              Code = "duration-lengthened"
	CodeReviewLessFrequent              Code = "review-less-frequent"
)

// CodeInfo documents one finding code.
type CodeInfo struct {
	Code       Code
	Severity   Severity
	Directions string // "beta→v1.0", "v1.0→beta" or "both"
	Meaning    string
}

// codeTable is the one list of finding codes; Codes returns it and the
// README's table is generated from it.
var codeTable = []CodeInfo{
	{CodeUnknownProperty, Info, "both", "A property that neither schema knows; it is kept where it was, byte for byte."},
	{CodeUnknownType, Info, "both", "An object whose @odata.type names no type of either schema (such as an old name); the name is kept, and the members convert by the rules of the declared type and its derived types."},
	{CodeServerFieldDropped, Info, "beta→v1.0", "A read-only property the service sets (createdBy, modifiedBy) that v1.0 does not have."},
	{CodeDefaultFilled, Info, "both", "A property the target version's PUT needs, absent from the source, filled with its neutral default."},
	{CodeMoved, Info, "both", "A value moved to another place (or between a plain id and a reference object) without any change of meaning."},
	{CodeValueMapped, Info, "both", "A value translated through the value table of the target version, with the same meaning."},
	{CodeDurationConverted, Info, "both", "A whole number of days or minutes converted to an ISO 8601 duration or back, exactly."},
	{CodeExpirationConverted, Info, "both", "durationInDays and expirationDateTime converted to an expiration pattern, or back."},
	{CodeApprovalModeDerived, Info, "both", "approvalMode dropped because v1.0 derives it from the number of stages, or derived from it."},
	{CodeApproversSplit, Info, "both", "isBackup approvers or reviewers moved to the fallback lists, or fallback entries appended with isBackup: true."},
	{CodeQuestionTextConverted, Info, "both", "A localized text object converted to a plain text with localizations, or back."},
	{CodeIsBackupDropped, Info, "beta→v1.0", "isBackup on an allowed requestor, where it has no meaning."},
	{CodeAcceptRequestsIgnored, Info, "beta→v1.0", "acceptRequests: true under scopeType NoSubjects, where nobody can request anyway."},
	{CodeStringCoerced, Info, "both", "A string such as \"true\" or \"1\" accepted where the converter needed a boolean or a number."},
	{CodeDuplicateDropped, Info, "both", "A property present in both versions' forms with the same meaning; the source form is dropped."},
	{CodeEmptySettingDropped, Info, "both", "A property with no counterpart whose value is null, empty or the neutral default."},
	{CodeExpandedMemberDropped, Info, "both", "A read-only member of an expanded access package or catalog that the target version does not have."},
	{CodeExpandedNavigationCopied, Info, "both", "A navigation property inside an expanded access package or catalog, copied without conversion."},
	{CodeDeprecatedNormalized, Info, "beta→v1.0", "A deprecated beta form (a customExtensionHandlers entry) written as its replacement (a customExtensionStageSettings entry), which both versions read; converting back keeps the replacement."},
	{CodeAnnotationDropped, Info, "both", "An annotation (such as @odata.type) of an object the conversion takes apart into members of another; it has no place there."},
	{CodeNullDropped, Info, "both", "A null where the target version's schema does not allow null; the member is left out, which means the same (no value)."},
	{CodeExtensionIDMapped, Info, "beta→v1.0", "A custom extension id replaced through the caller's map of old ids to new ones (--extension-map, Options.ExtensionIDs)."},
	{CodeStashKept, Info, "both", "What the target version cannot hold is kept in the @apmigrate.stash annotation (Options.Stash), so that converting back restores it."},
	{CodeStashRestored, Info, "both", "The @apmigrate.stash annotation restored the original policy: the visible values had not been edited since."},
	{CodeStashStripped, Info, "both", "A stash annotation removed on request (--strip-stash, Options.StripStash)."},
	{CodeRemovedForCreate, Info, "both", "A property Graph sets itself, removed for a create body (--for create, Options.ForCreate)."},
	{CodeContextKept, Info, "both", "An @odata.context kept as it was: it names no policy entity set, or (ConvertStream) it had been written before the first policy of its collection that changed."},

	{CodeStashIgnored, Loss, "both", "A stash that cannot be used (the policy was edited since, or it holds another version's values); it is dropped and the visible values win."},
	{CodeNoCounterpart, Loss, "both", "A property with a value and no counterpart in the target version; it is dropped."},
	{CodeExpirationBothSet, Loss, "beta→v1.0", "Both durationInDays and expirationDateTime were set; the date wins and the duration is dropped."},
	{CodeExpirationUnspecified, Loss, "v1.0→beta", "expiration type notSpecified becomes no expiration, the only beta form without a date or a duration."},
	{CodeDurationRounded, Loss, "v1.0→beta", "A duration that is not a whole number of days or minutes, rounded down (shorter access, earlier denial or escalation)."},
	{CodeScopeCollapsed, Loss, "both", "AllExistingConnectedOrganizationSubjects becomes allConfiguredConnectedOrganizationUsers, which comes back as AllConfiguredConnectedOrganizationSubjects."},
	{CodeScopeNotExpressible, Loss, "v1.0→beta", "An allowedTargetScope with no beta value (service principals, agent identities): the beta policy gets scopeType NoSubjects, so nobody can request."},
	{CodeScopeUnknown, Loss, "beta→v1.0", "A missing or unknown scopeType: the v1.0 policy gets allowedTargetScope notSpecified, so nobody can request."},
	{CodeSubjectNotExpressible, Loss, "v1.0→beta", "A subject set type that beta does not have (singleServicePrincipal, targetManager, targetApplicationOwners, rule or group based subject sets); it is dropped from its list."},
	{CodeAllBackupKeptPrimary, Loss, "beta→v1.0", "Every entry of an approver or reviewer list is a backup; they stay in the primary list and lose isBackup."},
	{CodeParallelApprovalSerialized, Loss, "beta→v1.0", "approvalMode Parallel; v1.0 stages are sequential."},
	{CodeApprovalModeMismatch, Loss, "beta→v1.0", "approvalMode disagrees with the number of approval stages; the stages win."},
	{CodeRecurrenceApproximated, Loss, "both", "A review recurrence that the target cannot express exactly, mapped to the nearest value that reviews at least as often."},
	{CodeReviewScheduleNotExpressed, Loss, "v1.0→beta", "A review schedule detail (end date, number of occurrences, time zone, days) that beta cannot hold."},
	{CodeCustomExtensionRetyped, Loss, "beta→v1.0", "A reference to the retired customAccessPackageWorkflowExtension type, retyped by its stage; the extension itself must be migrated too."},
	{CodeCustomExtensionDropped, Loss, "beta→v1.0", "A custom extension handler without a stage, which v1.0 requires; it is dropped."},
	{CodeQuestionDefaultTextMissing, Loss, "beta→v1.0", "A localized text without defaultText; the first localized text becomes the text."},
	{CodeOnBehalfNotExpressible, Loss, "v1.0→beta", "On-behalf-of requestors and their settings, which beta cannot hold."},
	{CodeSelfServiceSettingDropped, Loss, "v1.0→beta", "A requestor setting beta cannot hold (self-removal that differs from self-add, custom assignment schedules)."},
	{CodeAutomaticAssignmentDropped, Loss, "v1.0→beta", "Automatic assignment settings, which beta cannot hold; the beta policy assigns nobody automatically."},

	{CodeVerifiableCredentialsDropped, Widening, "beta→v1.0", "Required verifiable credentials, which v1.0 cannot hold: requestors would no longer have to present them."},
	{CodeDynamicApprovalExtensionDropped, Widening, "beta→v1.0", "The custom extension of a dynamic approval stage, which v1.0 cannot hold: the stage would no longer call it."},
	{CodeAutomaticRemovalDropped, Widening, "v1.0→beta", "removeAccessWhenTargetLeavesAllowedTargets: true, which beta cannot hold: access would stay after the target leaves the allowed targets."},
	{CodeDurationLengthened, Widening, "v1.0→beta", "An access duration beta cannot hold without lengthening it: shorter than a day (it becomes one day), or an expiration pattern without its duration or date (it becomes no expiration)."},
	{CodeReviewLessFrequent, Widening, "v1.0→beta", "A review recurrence more frequent than any beta value: reviews would happen less often."},
}

// Codes returns every finding code with its severity and meaning.
func Codes() []CodeInfo { return append([]CodeInfo(nil), codeTable...) }

// Severity returns the severity of findings with this code.
func (c Code) Severity() Severity {
	// Every finding asks: a small open-addressing table hashed on a few
	// bytes of the code (as the property lookup is) instead of the map,
	// which cost 4% of a conversion.
	for h := keyHash(string(c)) & codeSlotMask; ; h = (h + 1) & codeSlotMask {
		e := codeSlots[h]
		if e == 0 {
			return Info
		}
		if ci := &codeTable[e-1]; ci.Code == c {
			return ci.Severity
		}
	}
}

const codeSlotMask = 255

// codeSlots holds 1 + the index in codeTable of each code, at its hash.
var codeSlots = func() *[codeSlotMask + 1]uint8 {
	if len(codeTable) > codeSlotMask/2 {
		panic("convert: codeSlots too small for codeTable")
	}
	t := new([codeSlotMask + 1]uint8)
	for i := range codeTable {
		h := keyHash(string(codeTable[i].Code)) & codeSlotMask
		for t[h] != 0 {
			h = (h + 1) & codeSlotMask
		}
		t[h] = uint8(i + 1)
	}
	return t
}()

// Finding reports one change a conversion made that is more than a rename.
type Finding struct {
	Item       int      `json:"item"`                 // index in a list or collection, -1 for a lone policy
	Path       string   `json:"path"`                 // source path, relative to the policy
	TargetPath string   `json:"targetPath,omitempty"` // where the value went, if anywhere
	Code       Code     `json:"code"`
	Severity   Severity `json:"severity"`
	Message    string   `json:"message"`
}

func (f Finding) String() string {
	s := f.Path
	switch {
	case s == "":
		s = f.TargetPath // something made up for the target
	case f.TargetPath != "" && f.TargetPath != f.Path:
		s += " -> " + f.TargetPath
	}
	if s == "" {
		s = "(policy)"
	}
	return s + ": " + string(f.Severity) + ": " + string(f.Code) + ": " + f.Message
}
