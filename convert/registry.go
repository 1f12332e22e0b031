package convert

import (
	"sync"

	"github.com/apmigrate/apmigrate/model"
)

// The rule registry: for every type of both schema closures and every
// property of each, what a conversion does with it in each direction. The
// converter is driven by it (renames, copies and drops are carried out from
// this table; restructures by the type's converter function, which the table
// names), detection reads its presence flags, and TestRegistryCoversSchema
// fails when a property of either schema has no rule here.

// presence says which versions' schemas declare a property.
type presence uint8

const (
	inBeta presence = 1 << iota
	inV1
	inBoth = inBeta | inV1
)

// direction of a conversion.
type direction uint8

const (
	toV1   direction = iota // beta → v1.0
	toBeta                  // v1.0 → beta
)

func dirTo(v model.Version) direction {
	if v == model.Beta {
		return toBeta
	}
	return toV1
}

// source is the presence bit of the version a direction converts from.
func (d direction) source() presence {
	if d == toV1 {
		return inBeta
	}
	return inV1
}

func (d direction) String() string {
	if d == toV1 {
		return "beta→v1.0"
	}
	return "v1.0→beta"
}

// action is what happens to a property in one direction.
type action uint8

const (
	aKeep     action = iota // the target has it too: copied, its value walked by its type
	aRename                 // same meaning under another name (rule.to)
	aDrop                   // no counterpart: dropped, reported with rule.code (CodeEmptySettingDropped when empty)
	aSpecial                // restructured by the type's converter function (rule.note says how)
	aConsumed               // read by the converter of the type that holds the value (rule.note says which)
)

var actionNames = [...]string{"keep", "rename", "drop", "restructure", "consumed"}

func (a action) String() string { return actionNames[a] }

type rule struct {
	act  action
	to   string // new name for aRename; target path for aSpecial
	code Code   // finding code for aDrop and aSpecial
	note string
}

// prop is one property of a (merged) type.
type prop struct {
	name  string
	in    presence
	elem  *typeRules // the type of the value (or of its elements), walked; nil: copied as written
	rules [2]rule    // by direction
	// nonNull says, by version index, that the schema does not allow null
	// here (the schema facts, through nonNullProps).
	nonNull [2]bool
	// ident: name, and the new name of every rename rule, are path
	// identifiers, so that a path segment of them is '.' and the name, with
	// no byte to check (see appendIdent).
	ident bool
	// words are the bytes of a name of 8 to 24 bytes as three words (at 0,
	// at 8 or len-8, at len-8), which cover it: propIndex compares a key
	// with them in line instead of calling memequal.
	words [3]uint64
}

// typeRules is one type, merged across versions: a type of one version and
// its counterpart in the other (either may be missing).
type typeRules struct {
	key      string    // short name used in the registry
	names    [2]string // full type name in beta and v1.0 ("" when absent), indexed by versionIndex
	abstract bool
	props    []*prop
	byName   map[string]*prop
	derived  []*typeRules // types that may stand where this one is declared
	slots    *[slotMask + 1]uint8
	label    string       // for messages, when the type has no names of its own (a union)
	convert  [2]convertFn // explicit converter per direction, nil for the generic walk
}

func versionIndex(v model.Version) int {
	if v == model.Beta {
		return 0
	}
	return 1
}

// convertFn converts one object of a type; it writes the whole object.
type convertFn func(c *conv, f *frame)

// prop finds a property by name: the hot lookup of every member, through
// a small open-addressing table (built by index) that hashes a few bytes of
// the name instead of all of it.
func (t *typeRules) prop(name string) *prop {
	p, _ := t.propIndex(name)
	return p
}

// propIndex also returns the property's index in t.props (-1 if none).
func (t *typeRules) propIndex(name string) (*prop, int) {
	if t.slots == nil {
		p := t.byName[name]
		for i, q := range t.props {
			if q == p {
				return p, i
			}
		}
		return nil, -1
	}
	for h := keyHash(name) & slotMask; ; h = (h + 1) & slotMask {
		e := t.slots[h]
		if e == 0 {
			return nil, -1
		}
		p := t.props[e-1]
		n := len(name)
		if len(p.name) != n {
			continue
		}
		if n >= 8 && n <= 24 {
			if load8(name, 0) == p.words[0] && load8(name, min(8, n-8)) == p.words[1] && load8(name, n-8) == p.words[2] {
				return p, int(e - 1)
			}
		} else if p.name == name {
			return p, int(e - 1)
		}
	}
}

const slotMask = 127

func keyHash(s string) uint32 {
	n := len(s)
	if n == 0 {
		return 0
	}
	return uint32(n)*31 + uint32(s[0])*7 + uint32(s[n-1])*131 + uint32(s[n/2])*17 + uint32(s[n/3])*3
}

// index builds the lookup table of t (its props must be unique by name).
func (t *typeRules) index() {
	if len(t.props) > 100 {
		return // (never: the map serves)
	}
	t.slots = new([slotMask + 1]uint8)
	for _, p := range t.props {
		if n := len(p.name); n >= 8 && n <= 24 {
			p.words = [3]uint64{load8(p.name, 0), load8(p.name, min(8, n-8)), load8(p.name, n-8)}
		}
		p.ident = isPathIdent(p.name)
		for _, r := range p.rules {
			if r.act == aRename && !isPathIdent(r.to) {
				p.ident = false
			}
		}
	}
	for i, p := range t.props {
		if t.byName[p.name] != p {
			continue // a duplicate name: the first one wins, as in byName
		}
		h := keyHash(p.name) & slotMask
		for t.slots[h] != 0 {
			h = (h + 1) & slotMask
		}
		t.slots[h] = uint8(i + 1)
	}
}

// isPathIdent reports whether a path segment of name is the bare name.
func isPathIdent(name string) bool {
	return name != "" && string(model.AppendKey(nil, name)) == name
}

// appendIdent appends the path segment of key, a path identifier (see
// prop.ident): model.AppendKey without looking at every byte of it.
func appendIdent(path []byte, key string) []byte {
	if len(path) > 0 {
		path = append(path, '.')
	}
	return append(path, key...)
}

// partial reports whether t, or a type derived from it, is missing from
// the version of index idx: lists of t must then drop such entries.
func (t *typeRules) partial(idx int) bool {
	if t.names[idx] == "" {
		return true
	}
	for _, d := range t.derived {
		if d.partial(idx) {
			return true
		}
	}
	return false
}

// in reports which versions have the type itself.
func (t *typeRules) in() presence {
	var p presence
	if t.names[0] != "" {
		p |= inBeta
	}
	if t.names[1] != "" {
		p |= inV1
	}
	return p
}

// registry is every merged type, by key.
var registry = map[string]*typeRules{}

// typeByName finds the merged type of a version's type name (with the
// "microsoft.graph." namespace, without '#').
var typeByName = [2]map[string]*typeRules{{}, {}}

const ns = "microsoft.graph."

func defType(key, beta, v1 string, abstract bool, props ...*prop) *typeRules {
	t := &typeRules{key: key, abstract: abstract, props: props, byName: map[string]*prop{}}
	if beta != "" {
		t.names[0] = ns + beta
		typeByName[0][t.names[0]] = t
	}
	if v1 != "" {
		t.names[1] = ns + v1
		typeByName[1][t.names[1]] = t
	}
	for _, p := range props {
		if t.byName[p.name] == nil {
			t.byName[p.name] = p
		}
	}
	registry[key] = t
	t.index()
	return t
}

// Property constructors. both: in both versions, kept. beta / v1: in one
// version only; the rule says what the other direction does with it.
func both(name string) *prop { return &prop{name: name, in: inBoth} }

func betaOnly(name string, r rule) *prop {
	p := &prop{name: name, in: inBeta}
	p.rules[toV1] = r
	return p
}

func v1Only(name string, r rule) *prop {
	p := &prop{name: name, in: inV1}
	p.rules[toBeta] = r
	return p
}

// of sets the walked type of a property's value.
func (p *prop) of(t *typeRules) *prop { p.elem = t; return p }

// with sets the rule of a property present in both versions for one direction.
func (p *prop) with(d direction, r rule) *prop { p.rules[d] = r; return p }

func rename(to string) rule               { return rule{act: aRename, to: to} }
func drop(code Code, note string) rule    { return rule{act: aDrop, code: code, note: note} }
func special(to string, note string) rule { return rule{act: aSpecial, to: to, note: note} }
func consumed(note string) rule           { return rule{act: aConsumed, note: note} }

func init() {
	// Subject sets. Beta's entitlement-management subject types derive from
	// the abstract userSet (isBackup); v1.0's from the abstract subjectSet.
	isBackup := betaOnly("isBackup", consumed("approver and reviewer lists: isBackup true moves the entry to the fallback list; allowed requestors: dropped (it has no meaning there)"))
	userSet := defType("userSet", "userSet", "subjectSet", true, isBackup)
	subjects := []*typeRules{
		defType("singleUser", "singleUser", "singleUser", false, isBackup,
			betaOnly("id", rename("userId")), v1Only("userId", rename("id")), both("description")),
		defType("groupMembers", "groupMembers", "groupMembers", false, isBackup,
			betaOnly("id", rename("groupId")), v1Only("groupId", rename("id")), both("description")),
		defType("connectedOrganizationMembers", "connectedOrganizationMembers", "connectedOrganizationMembers", false, isBackup,
			betaOnly("id", rename("connectedOrganizationId")), v1Only("connectedOrganizationId", rename("id")), both("description")),
		defType("requestorManager", "requestorManager", "requestorManager", false, isBackup, both("managerLevel")),
		defType("internalSponsors", "internalSponsors", "internalSponsors", false, isBackup),
		defType("externalSponsors", "externalSponsors", "externalSponsors", false, isBackup),
		defType("targetUserSponsors", "targetUserSponsors", "targetUserSponsors", false, isBackup),
		defType("targetAgentIdentitySponsorsOrOwners", "targetAgentIdentitySponsorsOrOwners", "targetAgentIdentitySponsorsOrOwners", false, isBackup),
		defType("attributeRuleMembers", "attributeRuleMembers", "attributeRuleMembers", false, isBackup, both("description"), both("membershipRule")),
		defType("singleServicePrincipal", "", "singleServicePrincipal", false,
			v1Only("servicePrincipalId", consumed("the whole entry is dropped (subject-not-expressible)")),
			v1Only("description", consumed("the whole entry is dropped (subject-not-expressible)"))),
		defType("targetManager", "", "targetManager", false,
			v1Only("managerLevel", consumed("the whole entry is dropped (subject-not-expressible)"))),
		defType("targetApplicationOwners", "", "targetApplicationOwners", false),
		defType("ruleBasedSubjectSet", "", "identityGovernance.ruleBasedSubjectSet", false,
			v1Only("rule", consumed("the whole entry is dropped (subject-not-expressible)"))),
		defType("groupBasedSubjectSet", "", "identityGovernance.groupBasedSubjectSet", false,
			v1Only("groups", consumed("the whole entry is dropped (subject-not-expressible)"))),
	}
	userSet.derived = subjects

	// Questions.
	localizedText := defType("localizedText", "accessPackageLocalizedText", "accessPackageLocalizedText", false,
		both("languageCode"), both("text"))
	localizedContent := defType("localizedContent", "accessPackageLocalizedContent", "", false,
		betaOnly("defaultText", consumed("becomes the plain text (question text, choice text)")),
		betaOnly("localizedTexts", consumed("becomes localizations")).of(localizedText))
	choice := defType("answerChoice", "accessPackageAnswerChoice", "accessPackageAnswerChoice", false,
		both("actualValue"),
		betaOnly("displayValue", special("text, localizations", "defaultText becomes text, localizedTexts become localizations")).of(localizedContent),
		v1Only("text", special("displayValue.defaultText", "text and localizations become displayValue")),
		v1Only("localizations", special("displayValue.localizedTexts", "text and localizations become displayValue")).of(localizedText))
	qText := &prop{name: "text", in: inBoth, elem: localizedContent}
	qText.rules[toV1] = special("text, localizations", "beta text.defaultText becomes text, text.localizedTexts become localizations")
	qText.rules[toBeta] = special("text", "text and localizations become text {defaultText, localizedTexts}")
	qProps := func(extra ...*prop) []*prop {
		return append([]*prop{both("id"), both("isAnswerEditable"), both("isRequired"), both("sequence"), qText,
			v1Only("localizations", special("text.localizedTexts", "text and localizations become text {defaultText, localizedTexts}")).of(localizedText)}, extra...)
	}
	question := defType("question", "accessPackageQuestion", "accessPackageQuestion", true, qProps()...)
	question.derived = []*typeRules{
		defType("multipleChoiceQuestion", "accessPackageMultipleChoiceQuestion", "accessPackageMultipleChoiceQuestion", false,
			qProps(betaOnly("allowsMultipleSelection", rename("isMultipleSelectionAllowed")),
				v1Only("isMultipleSelectionAllowed", rename("allowsMultipleSelection")),
				both("choices").of(choice))...),
		defType("textInputQuestion", "accessPackageTextInputQuestion", "accessPackageTextInputQuestion", false,
			qProps(both("isSingleLineQuestion"), both("regexPattern"))...),
	}

	// Approval.
	stageProps := func(extra ...*prop) []*prop {
		return append([]*prop{
			betaOnly("approvalStageTimeOutInDays", special("durationBeforeAutomaticDenial", "days become an ISO 8601 duration")),
			v1Only("durationBeforeAutomaticDenial", special("approvalStageTimeOutInDays", "an ISO 8601 duration becomes whole days, rounded down")),
			betaOnly("escalationTimeInMinutes", special("durationBeforeEscalation", "minutes become an ISO 8601 duration")),
			v1Only("durationBeforeEscalation", special("escalationTimeInMinutes", "an ISO 8601 duration becomes whole minutes, rounded down")),
			both("isApproverJustificationRequired"), both("isEscalationEnabled"), both("approverInformationVisibility"),
			both("primaryApprovers").of(userSet).
				with(toV1, special("primaryApprovers, fallbackPrimaryApprovers", "isBackup entries move to fallbackPrimaryApprovers")).
				with(toBeta, special("primaryApprovers", "fallbackPrimaryApprovers are appended with isBackup: true")),
			both("escalationApprovers").of(userSet).
				with(toV1, special("escalationApprovers, fallbackEscalationApprovers", "isBackup entries move to fallbackEscalationApprovers")).
				with(toBeta, special("escalationApprovers", "fallbackEscalationApprovers are appended with isBackup: true")),
			v1Only("fallbackPrimaryApprovers", special("primaryApprovers", "appended to primaryApprovers with isBackup: true")).of(userSet),
			v1Only("fallbackEscalationApprovers", special("escalationApprovers", "appended to escalationApprovers with isBackup: true")).of(userSet),
		}, extra...)
	}
	stage := defType("approvalStage", "approvalStage", "accessPackageApprovalStage", false, stageProps()...)
	stage.derived = []*typeRules{
		defType("dynamicApprovalStage", "accessPackageDynamicApprovalStage", "accessPackageDynamicApprovalStage", false,
			stageProps(betaOnly("customExtension", drop(CodeDynamicApprovalExtensionDropped, "v1.0's dynamic approval stage declares no custom extension")))...),
	}
	approval := defType("approvalSettings", "approvalSettings", "accessPackageAssignmentApprovalSettings", false,
		betaOnly("isApprovalRequired", rename("isApprovalRequiredForAdd")),
		v1Only("isApprovalRequiredForAdd", rename("isApprovalRequired")),
		betaOnly("isApprovalRequiredForExtension", rename("isApprovalRequiredForUpdate")),
		v1Only("isApprovalRequiredForUpdate", rename("isApprovalRequiredForExtension")),
		both("isRequestorJustificationRequired"),
		betaOnly("approvalMode", special("", "dropped: v1.0 derives it from the number of stages (Parallel cannot be expressed)")),
		betaOnly("approvalStages", rename("stages")).of(stage),
		v1Only("stages", rename("approvalStages")).of(stage).with(toBeta, rule{act: aRename, to: "approvalStages", note: "approvalMode is derived from the number of stages"}),
	)

	// Requestors.
	requestor := defType("requestorSettings", "requestorSettings", "accessPackageAssignmentRequestorSettings", false,
		betaOnly("scopeType", special("allowedTargetScope", "mapped by the scope table to the policy's allowedTargetScope")),
		betaOnly("acceptRequests", special("requestorSettings.enableTargetsToSelfAddAccess", "false under scopeType NoSubjects; also gives enableTargetsToSelfRemoveAccess")),
		betaOnly("allowedRequestors", special("specificAllowedTargets", "moves to the policy's specificAllowedTargets; isBackup dropped")).of(userSet),
		v1Only("enableTargetsToSelfAddAccess", special("requestorSettings.acceptRequests", "becomes acceptRequests")),
		v1Only("enableTargetsToSelfUpdateAccess", special("canExtend", "becomes the policy's canExtend")),
		v1Only("enableTargetsToSelfRemoveAccess", special("", "dropped; a loss when it differs from enableTargetsToSelfAddAccess")),
		v1Only("allowCustomAssignmentSchedule", special("", "dropped; a loss when true")),
		v1Only("enableOnBehalfRequestorsToAddAccess", special("", "dropped; a loss when true")),
		v1Only("enableOnBehalfRequestorsToUpdateAccess", special("", "dropped; a loss when true")),
		v1Only("enableOnBehalfRequestorsToRemoveAccess", special("", "dropped; a loss when true")),
		v1Only("onBehalfRequestors", special("", "dropped; a loss when not empty")).of(userSet),
	)

	// Reviews and their v1.0 schedule.
	expPattern := defType("expirationPattern", "", "expirationPattern", false,
		v1Only("type", consumed("read by the policy (expiration) and review schedule converters")),
		v1Only("duration", consumed("read by the policy (expiration) and review schedule converters")),
		v1Only("endDateTime", consumed("read by the policy (expiration) and review schedule converters")))
	recPattern := defType("recurrencePattern", "", "recurrencePattern", false,
		v1Only("type", consumed("with interval, gives recurrenceType")),
		v1Only("interval", consumed("with type, gives recurrenceType")),
		v1Only("month", consumed("a loss when not 0")),
		v1Only("dayOfMonth", consumed("a loss when not 0")),
		v1Only("daysOfWeek", consumed("a loss when not empty")),
		v1Only("firstDayOfWeek", consumed("a loss when set")),
		v1Only("index", consumed("a loss when set")))
	recRange := defType("recurrenceRange", "", "recurrenceRange", false,
		v1Only("type", consumed("noEnd is what beta does; endDate and numbered are a loss")),
		v1Only("startDate", consumed("a loss when set")),
		v1Only("endDate", consumed("a loss when set")),
		v1Only("numberOfOccurrences", consumed("a loss when not 0")),
		v1Only("recurrenceTimeZone", consumed("a loss when set")))
	recurrence := defType("patternedRecurrence", "", "patternedRecurrence", false,
		v1Only("pattern", consumed("read by the review schedule converter")).of(recPattern),
		v1Only("range", consumed("read by the review schedule converter")).of(recRange))
	schedule := defType("entitlementManagementSchedule", "", "entitlementManagementSchedule", false,
		v1Only("startDateTime", consumed("becomes accessReviewSettings.startDateTime")),
		v1Only("expiration", consumed("becomes accessReviewSettings.durationInDays")).of(expPattern),
		v1Only("recurrence", consumed("becomes accessReviewSettings.recurrenceType")).of(recurrence))
	review := defType("reviewSettings", "assignmentReviewSettings", "accessPackageAssignmentReviewSettings", false,
		both("isEnabled"),
		betaOnly("isAccessRecommendationEnabled", rename("isRecommendationEnabled")),
		v1Only("isRecommendationEnabled", rename("isAccessRecommendationEnabled")),
		betaOnly("isApprovalJustificationRequired", rename("isReviewerJustificationRequired")),
		v1Only("isReviewerJustificationRequired", rename("isApprovalJustificationRequired")),
		betaOnly("accessReviewTimeoutBehavior", rename("expirationBehavior")),
		v1Only("expirationBehavior", rename("accessReviewTimeoutBehavior")),
		betaOnly("startDateTime", special("schedule.startDateTime", "moves into schedule")),
		betaOnly("durationInDays", special("schedule.expiration", "becomes an afterDuration expiration pattern in schedule")),
		betaOnly("recurrenceType", special("schedule.recurrence", "mapped to a patterned recurrence in schedule")),
		v1Only("schedule", special("startDateTime, durationInDays, recurrenceType", "split into the three beta members")).of(schedule),
		betaOnly("reviewerType", special("isSelfReview, primaryReviewers", "Self, Reviewers or Manager")),
		betaOnly("reviewers", special("primaryReviewers, fallbackReviewers", "isBackup entries move to fallbackReviewers")).of(userSet),
		v1Only("isSelfReview", special("reviewerType", "gives reviewerType")),
		v1Only("primaryReviewers", special("reviewers", "gives reviewers (and reviewerType)")).of(userSet),
		v1Only("fallbackReviewers", special("reviewers", "appended to reviewers with isBackup: true")).of(userSet),
		betaOnly("isAgenticExperienceEnabled", drop(CodeNoCounterpart, "v1.0 reviews have no agentic experience")),
	)

	// Custom extensions. The callout types are the same in both versions but
	// for beta's retired customAccessPackageWorkflowExtension.
	authCfg := defType("customExtensionAuthenticationConfiguration", "customExtensionAuthenticationConfiguration", "customExtensionAuthenticationConfiguration", true)
	authCfg.derived = []*typeRules{
		defType("azureAdPopTokenAuthentication", "azureAdPopTokenAuthentication", "azureAdPopTokenAuthentication", false),
		defType("azureAdTokenAuthentication", "azureAdTokenAuthentication", "azureAdTokenAuthentication", false, both("resourceId")),
	}
	clientCfg := defType("customExtensionClientConfiguration", "customExtensionClientConfiguration", "customExtensionClientConfiguration", false,
		both("maximumRetries"), both("timeoutInMilliseconds"))
	endpointCfg := defType("customExtensionEndpointConfiguration", "customExtensionEndpointConfiguration", "customExtensionEndpointConfiguration", true)
	endpointCfg.derived = []*typeRules{
		defType("httpRequestEndpoint", "httpRequestEndpoint", "httpRequestEndpoint", false, both("targetUrl")),
		defType("logicAppTriggerEndpointConfiguration", "logicAppTriggerEndpointConfiguration", "logicAppTriggerEndpointConfiguration", false,
			both("logicAppWorkflowName"), both("resourceGroupName"), both("subscriptionId"), both("url")),
	}
	callbackCfg := defType("customExtensionCallbackConfiguration", "customExtensionCallbackConfiguration", "customExtensionCallbackConfiguration", true,
		both("timeoutDuration"))
	callbackCfg.derived = []*typeRules{
		defType("accessPackageRequestApprovalStageCallbackConfiguration", "accessPackageRequestApprovalStageCallbackConfiguration", "accessPackageRequestApprovalStageCallbackConfiguration", false,
			both("timeoutDuration")),
		defType("customTaskExtensionCallbackConfiguration", "identityGovernance.customTaskExtensionCallbackConfiguration", "identityGovernance.customTaskExtensionCallbackConfiguration", false,
			both("timeoutDuration"), both("authorizedApps")),
	}
	behaviorOnError := defType("customExtensionBehaviorOnError", "customExtensionBehaviorOnError", "customExtensionBehaviorOnError", true)
	behaviorOnError.derived = []*typeRules{
		defType("fallbackToMicrosoftProviderOnError", "fallbackToMicrosoftProviderOnError", "fallbackToMicrosoftProviderOnError", false),
	}
	returnClaim := defType("onTokenIssuanceStartReturnClaim", "onTokenIssuanceStartReturnClaim", "onTokenIssuanceStartReturnClaim", false,
		both("claimIdInApiResponse"))
	calloutProps := func(extra ...*prop) []*prop {
		return append([]*prop{both("id"), both("displayName"), both("description"),
			both("authenticationConfiguration").of(authCfg), both("clientConfiguration").of(clientCfg),
			both("endpointConfiguration").of(endpointCfg)}, extra...)
	}
	workflowProps := func() []*prop {
		return calloutProps(both("callbackConfiguration").of(callbackCfg), both("createdBy"), both("createdDateTime"),
			both("lastModifiedBy"), both("lastModifiedDateTime"))
	}
	authExtProps := func(extra ...*prop) []*prop {
		return calloutProps(append([]*prop{both("behaviorOnError").of(behaviorOnError)}, extra...)...)
	}
	callout := defType("customCalloutExtension", "customCalloutExtension", "customCalloutExtension", true, calloutProps()...)
	authExt := defType("customAuthenticationExtension", "customAuthenticationExtension", "customAuthenticationExtension", true, authExtProps()...)
	authExt.derived = []*typeRules{
		defType("onAttributeCollectionStartCustomExtension", "onAttributeCollectionStartCustomExtension", "onAttributeCollectionStartCustomExtension", false, authExtProps()...),
		defType("onAttributeCollectionSubmitCustomExtension", "onAttributeCollectionSubmitCustomExtension", "onAttributeCollectionSubmitCustomExtension", false, authExtProps()...),
		defType("onOtpSendCustomExtension", "onOtpSendCustomExtension", "onOtpSendCustomExtension", false, authExtProps()...),
		defType("onPasswordSubmitCustomExtension", "onPasswordSubmitCustomExtension", "onPasswordSubmitCustomExtension", false, authExtProps()...),
		defType("onVerifiedIdClaimValidationCustomExtension", "onVerifiedIdClaimValidationCustomExtension", "onVerifiedIdClaimValidationCustomExtension", false, authExtProps()...),
		defType("onTokenIssuanceStartCustomExtension", "onTokenIssuanceStartCustomExtension", "onTokenIssuanceStartCustomExtension", false,
			authExtProps(both("claimsForTokenConfiguration").of(returnClaim))...),
	}
	retired := defType("customAccessPackageWorkflowExtension", "customAccessPackageWorkflowExtension", "", false,
		calloutProps(both("createdDateTime"), both("lastModifiedDateTime"))...)
	callout.derived = []*typeRules{
		defType("accessPackageAssignmentRequestWorkflowExtension", "accessPackageAssignmentRequestWorkflowExtension", "accessPackageAssignmentRequestWorkflowExtension", false, workflowProps()...),
		defType("accessPackageAssignmentWorkflowExtension", "accessPackageAssignmentWorkflowExtension", "accessPackageAssignmentWorkflowExtension", false, workflowProps()...),
		retired,
		authExt,
		defType("customTaskExtension", "identityGovernance.customTaskExtension", "identityGovernance.customTaskExtension", false,
			calloutProps(both("callbackConfiguration").of(callbackCfg), both("createdDateTime"), both("lastModifiedDateTime"),
				both("createdBy"), both("lastModifiedBy"),
				betaOnly("replyMode", drop(CodeNoCounterpart, "v1.0's customTaskExtension has no replyMode")))...),
	}
	stageSetting := defType("customExtensionStageSetting", "customExtensionStageSetting", "customExtensionStageSetting", false,
		both("id"), both("stage"), both("customExtension").of(callout))
	handler := defType("customExtensionHandler", "customExtensionHandler", "", false,
		betaOnly("id", consumed("becomes the stage setting's id")),
		betaOnly("stage", consumed("becomes the stage setting's stage (required there)")),
		betaOnly("customExtension", consumed("becomes the stage setting's customExtension, retyped by stage")).of(callout))

	// Expanded navigation targets: only their shared members carry over.
	expandedNav := func(name string) *prop {
		return both(name).with(toV1, rule{act: aKeep, code: CodeExpandedNavigationCopied, note: "copied without conversion"}).
			with(toBeta, rule{act: aKeep, code: CodeExpandedNavigationCopied, note: "copied without conversion"})
	}
	renamedNav := func(beta, v1 string) []*prop {
		return []*prop{
			betaOnly(beta, rule{act: aRename, to: v1, code: CodeExpandedNavigationCopied, note: "renamed; its contents are copied without conversion"}),
			v1Only(v1, rule{act: aRename, to: beta, code: CodeExpandedNavigationCopied, note: "renamed; its contents are copied without conversion"}),
		}
	}
	expandedDrop := func(name string) *prop {
		return betaOnly(name, drop(CodeExpandedMemberDropped, "v1.0 has no such member"))
	}
	apProps := []*prop{both("id"), both("displayName"), both("description"), both("isHidden"), both("createdDateTime"), both("modifiedDateTime"),
		expandedDrop("catalogId"), expandedDrop("createdBy"), expandedDrop("modifiedBy"), expandedDrop("isRoleScopesVisible"), expandedDrop("uniqueName"),
		expandedNav("accessPackagesIncompatibleWith"), expandedNav("incompatibleAccessPackages"), expandedNav("incompatibleGroups")}
	apProps = append(apProps, renamedNav("accessPackageAssignmentPolicies", "assignmentPolicies")...)
	apProps = append(apProps, renamedNav("accessPackageCatalog", "catalog")...)
	apProps = append(apProps, renamedNav("accessPackageResourceRoleScopes", "resourceRoleScopes")...)
	accessPackage := defType("accessPackage", "accessPackage", "accessPackage", false, apProps...)
	catProps := []*prop{both("id"), both("displayName"), both("description"), both("isExternallyVisible"), both("createdDateTime"), both("modifiedDateTime"),
		both("catalogType").with(toV1, special("catalogType", "beta String to the v1.0 enum, case-insensitively")).with(toBeta, special("catalogType", "the v1.0 enum to beta's capitalized String")),
		betaOnly("catalogStatus", special("state", "beta String to the v1.0 state enum")),
		v1Only("state", special("catalogStatus", "the v1.0 state enum to beta's capitalized String")),
		expandedDrop("createdBy"), expandedDrop("modifiedBy"), expandedDrop("uniqueName"), expandedDrop("privilegeLevel"),
		expandedNav("accessPackages"),
		betaOnly("customAccessPackageWorkflowExtensions", drop(CodeExpandedMemberDropped, "the retired extension type does not exist in v1.0"))}
	catProps = append(catProps, renamedNav("accessPackageCustomWorkflowExtensions", "customWorkflowExtensions")...)
	catProps = append(catProps, renamedNav("accessPackageResourceRoles", "resourceRoles")...)
	catProps = append(catProps, renamedNav("accessPackageResources", "resources")...)
	catProps = append(catProps, renamedNav("accessPackageResourceScopes", "resourceScopes")...)
	catalog := defType("accessPackageCatalog", "accessPackageCatalog", "accessPackageCatalog", false, catProps...)
	catalog.convert = [2]convertFn{convertCatalog, convertCatalog}

	notification := defType("notificationSettings", "accessPackageNotificationSettings", "accessPackageNotificationSettings", false,
		both("isAssignmentNotificationDisabled"))
	credType := defType("verifiableCredentialType", "verifiableCredentialType", "", false,
		betaOnly("credentialType", consumed("dropped with verifiableCredentialSettings")),
		betaOnly("issuers", consumed("dropped with verifiableCredentialSettings")))
	credentials := defType("verifiableCredentialSettings", "verifiableCredentialSettings", "", false,
		betaOnly("credentialTypes", consumed("dropped with verifiableCredentialSettings")).of(credType))
	automatic := defType("automaticRequestSettings", "", "accessPackageAutomaticRequestSettings", false,
		v1Only("requestAccessForAllowedTargets", consumed("dropped with automaticRequestSettings (automatic-assignment-dropped when true)")),
		v1Only("removeAccessWhenTargetLeavesAllowedTargets", consumed("dropped with automaticRequestSettings (automatic-removal-dropped when true)")),
		v1Only("gracePeriodBeforeAccessRemoval", consumed("dropped with automaticRequestSettings (automatic-assignment-dropped when set)")))

	// The policy.
	policy := defType("policy", "accessPackageAssignmentPolicy", "accessPackageAssignmentPolicy", false,
		both("id"), both("displayName"), both("description"), both("createdDateTime"), both("modifiedDateTime"),
		betaOnly("createdBy", drop(CodeServerFieldDropped, "set by the service; v1.0 has no such property")),
		betaOnly("modifiedBy", drop(CodeServerFieldDropped, "set by the service; v1.0 has no such property")),
		betaOnly("accessPackageId", special("accessPackage.id", "becomes the reference {\"id\": …}")),
		both("accessPackage").of(accessPackage).with(toBeta, special("accessPackageId", "a reference {\"id\": …} becomes accessPackageId; an expanded one is kept too")),
		betaOnly("durationInDays", special("expiration", "with expirationDateTime, becomes the expiration pattern")),
		betaOnly("expirationDateTime", special("expiration", "with durationInDays, becomes the expiration pattern")),
		v1Only("expiration", special("durationInDays, expirationDateTime", "split into the two beta members")).of(expPattern),
		betaOnly("canExtend", special("requestorSettings.enableTargetsToSelfUpdateAccess", "moves into requestorSettings")),
		betaOnly("accessPackageNotificationSettings", rename("notificationSettings")).of(notification),
		v1Only("notificationSettings", rename("accessPackageNotificationSettings")).of(notification),
		betaOnly("verifiableCredentialSettings", special("", "dropped: a widening when it requires credentials")).of(credentials),
		both("requestorSettings").of(requestor).
			with(toV1, special("requestorSettings, allowedTargetScope, specificAllowedTargets", "scope and allowed requestors move to the policy")).
			with(toBeta, special("requestorSettings", "gains scopeType, acceptRequests and allowedRequestors")),
		v1Only("allowedTargetScope", special("requestorSettings.scopeType", "mapped by the scope table")),
		v1Only("specificAllowedTargets", special("requestorSettings.allowedRequestors", "moves into requestorSettings")).of(userSet),
		v1Only("automaticRequestSettings", special("", "dropped: beta cannot assign automatically")).of(automatic),
		both("requestApprovalSettings").of(approval),
		betaOnly("accessReviewSettings", rename("reviewSettings")).of(review),
		v1Only("reviewSettings", rename("accessReviewSettings")).of(review),
		both("questions").of(question),
		betaOnly("customExtensionHandlers", special("customExtensionStageSettings", "each handler becomes a stage setting; the retired extension type is retyped by stage")).of(handler),
		both("customExtensionStageSettings").of(stageSetting),
		betaOnly("accessPackageCatalog", rename("catalog")).of(catalog),
		v1Only("catalog", rename("accessPackageCatalog")).of(catalog),
	)
	policy.convert = [2]convertFn{policyToV1, policyToBeta}
	approval.convert = [2]convertFn{approvalToV1, approvalToBeta}
	for _, s := range append([]*typeRules{userSet}, subjects...) {
		s.convert = [2]convertFn{subjectToV1, subjectToBeta}
	}
	stageSetting.convert[toV1] = stageSettingToV1
	handler.convert[toV1] = handlerToV1
	stage.convert = [2]convertFn{stageToV1, stageToBeta}
	stage.derived[0].convert = stage.convert
	review.convert = [2]convertFn{reviewToV1, reviewToBeta}
	for _, q := range append([]*typeRules{question}, question.derived...) {
		q.convert = [2]convertFn{questionToV1, questionToBeta}
	}
	choice.convert = [2]convertFn{choiceToV1, choiceToBeta}
	policyType = policy
	userSetType = userSet
	stageSettingType = stageSetting
	handlerType = handler
	calloutType = callout
	approvalStageType = registry["approvalStage"]
	accessPackageType = registry["accessPackage"]
	localizedTextType = registry["localizedText"]
	requestorSettingsType = registry["requestorSettings"]
}

// Nullability comes from the schema facts, not from the rules above:
// through nonNullProps, which TestNonNullTable holds to them (parsing the
// schema files here took half of a one-policy command's run). An entry the
// registry no longer has is the test's to report (a panic here would stop
// the test binary that rewrites the table).
func init() {
	for idx := range nonNullProps {
		for _, e := range nonNullProps[idx] {
			if t := typeByName[idx][e.typ]; t != nil && t.byName[e.prop] != nil {
				t.byName[e.prop].nonNull[idx] = true
			}
		}
	}
}

// nonNullProp is a property of a type (its full name).
type nonNullProp struct{ typ, prop string }

// union returns a type with the properties of t and of every type derived
// from it, for an object whose @odata.type names no known type: each
// member still converts by the one rule it can have. A property whose
// rules differ between derived types is left out (it stays unknown).
func (t *typeRules) union() *typeRules {
	unionMu.Lock()
	defer unionMu.Unlock()
	if u := unions[t]; u != nil {
		return u
	}
	u := &typeRules{key: t.key + "+derived", label: t.display(1) + " (or a type derived from it)", byName: map[string]*prop{}, convert: t.convert}
	ambiguous := map[string]bool{}
	var add func(x *typeRules)
	add = func(x *typeRules) {
		for _, p := range x.props {
			if q := u.byName[p.name]; q != nil {
				if q.rules != p.rules || q.in != p.in || q.elem != p.elem {
					ambiguous[p.name] = true
				}
				continue
			}
			u.byName[p.name] = p
			u.props = append(u.props, p)
		}
		if u.convert[0] == nil && u.convert[1] == nil {
			u.convert = x.convert
		}
		for _, d := range x.derived {
			add(d)
		}
	}
	add(t)
	for name := range ambiguous {
		delete(u.byName, name)
	}
	unions[t] = u
	return u
}

var (
	unionMu sync.Mutex
	unions  = map[*typeRules]*typeRules{}
)

var policyType, userSetType, stageSettingType, handlerType, calloutType *typeRules

// Types the converters name, looked up once instead of in the map on every
// policy.
var approvalStageType, accessPackageType, localizedTextType, requestorSettingsType *typeRules

// lookupType finds the merged type named by an @odata.type value (with or
// without '#') in either version, preferring the given one.
func lookupType(name string, prefer int) *typeRules {
	if len(name) > 0 && name[0] == '#' {
		name = name[1:]
	}
	e := typesNamed(name)
	if e == nil {
		return nil
	}
	if t := e[prefer]; t != nil {
		return t
	}
	return e[1-prefer]
}

// typeSlots holds the types of each name (typeByName of both versions) in
// an open-addressing table hashed as property names are: every
// @odata.type of a policy is looked up four or five times (evidence, the
// type of its object, its translation), and two map look-ups each cost
// more than this one.
var typeSlots [typeSlotMask + 1]struct {
	name  string
	types [2]*typeRules
}

const typeSlotMask = 511

func init() {
	n := 0
	for idx := range typeByName {
		for name, t := range typeByName[idx] {
			h := keyHash(name) & typeSlotMask
			for typeSlots[h].name != "" && typeSlots[h].name != name {
				h = (h + 1) & typeSlotMask
			}
			if typeSlots[h].name == "" {
				n++
			}
			typeSlots[h].name = name
			typeSlots[h].types[idx] = t
		}
	}
	if n > typeSlotMask/2 {
		panic("convert: typeSlots too small for the type names")
	}
}

// typesNamed returns the types named name (without '#') in beta and in
// v1.0, or nil when neither version has the name.
func typesNamed(name string) *[2]*typeRules {
	for h := keyHash(name) & typeSlotMask; ; h = (h + 1) & typeSlotMask {
		e := &typeSlots[h]
		if e.name == name {
			if name == "" {
				return nil
			}
			return &e.types
		}
		if e.name == "" {
			return nil
		}
	}
}

// resolve picks the concrete type of an object declared as t: its
// @odata.type when it names t or a type derived from it.
func (t *typeRules) resolve(odataType string, prefer int) *typeRules {
	if odataType == "" {
		return t
	}
	u := lookupType(odataType, prefer)
	if u == nil {
		return nil
	}
	if u == t || t.derives(u) {
		return u
	}
	return nil
}

func (t *typeRules) derives(u *typeRules) bool {
	for _, d := range t.derived {
		if d == u || d.derives(u) {
			return true
		}
	}
	return false
}
