package model

import "strings"

// This file holds the enums of both schemas that a policy uses, and the beta
// "value tables": string properties that the beta schema types only as
// Edm.String but whose documentation lists the accepted values.
//
// Each enum is a named string type with one constant per member (in schema
// order), a function listing the members and a SchemaName method;
// TestEnumsMatchSchema keeps them equal to the schema facts.

// AccessPackageCatalogState is the enum microsoft.graph.accessPackageCatalogState (v1.0).
type AccessPackageCatalogState string

// Members of AccessPackageCatalogState.
const (
	AccessPackageCatalogStateUnpublished        AccessPackageCatalogState = "unpublished"
	AccessPackageCatalogStatePublished          AccessPackageCatalogState = "published"
	AccessPackageCatalogStateUnknownFutureValue AccessPackageCatalogState = "unknownFutureValue"
)

// AccessPackageCatalogStateValues returns the members of AccessPackageCatalogState in schema order.
func AccessPackageCatalogStateValues() []AccessPackageCatalogState {
	return []AccessPackageCatalogState{AccessPackageCatalogStateUnpublished, AccessPackageCatalogStatePublished, AccessPackageCatalogStateUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.accessPackageCatalogState".
func (AccessPackageCatalogState) SchemaName() string {
	return "microsoft.graph.accessPackageCatalogState"
}

// AccessPackageCatalogType is the enum microsoft.graph.accessPackageCatalogType (v1.0).
type AccessPackageCatalogType string

// Members of AccessPackageCatalogType.
const (
	AccessPackageCatalogTypeUserManaged        AccessPackageCatalogType = "userManaged"
	AccessPackageCatalogTypeServiceDefault     AccessPackageCatalogType = "serviceDefault"
	AccessPackageCatalogTypeServiceManaged     AccessPackageCatalogType = "serviceManaged"
	AccessPackageCatalogTypeUnknownFutureValue AccessPackageCatalogType = "unknownFutureValue"
)

// AccessPackageCatalogTypeValues returns the members of AccessPackageCatalogType in schema order.
func AccessPackageCatalogTypeValues() []AccessPackageCatalogType {
	return []AccessPackageCatalogType{AccessPackageCatalogTypeUserManaged, AccessPackageCatalogTypeServiceDefault, AccessPackageCatalogTypeServiceManaged, AccessPackageCatalogTypeUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.accessPackageCatalogType".
func (AccessPackageCatalogType) SchemaName() string {
	return "microsoft.graph.accessPackageCatalogType"
}

// AccessPackageCustomExtensionStage is the enum microsoft.graph.accessPackageCustomExtensionStage (beta and v1.0).
type AccessPackageCustomExtensionStage string

// Members of AccessPackageCustomExtensionStage.
const (
	AccessPackageCustomExtensionStageAssignmentRequestCreated               AccessPackageCustomExtensionStage = "assignmentRequestCreated"
	AccessPackageCustomExtensionStageAssignmentRequestApproved              AccessPackageCustomExtensionStage = "assignmentRequestApproved"
	AccessPackageCustomExtensionStageAssignmentRequestGranted               AccessPackageCustomExtensionStage = "assignmentRequestGranted"
	AccessPackageCustomExtensionStageAssignmentRequestRemoved               AccessPackageCustomExtensionStage = "assignmentRequestRemoved"
	AccessPackageCustomExtensionStageAssignmentFourteenDaysBeforeExpiration AccessPackageCustomExtensionStage = "assignmentFourteenDaysBeforeExpiration"
	AccessPackageCustomExtensionStageAssignmentOneDayBeforeExpiration       AccessPackageCustomExtensionStage = "assignmentOneDayBeforeExpiration"
	AccessPackageCustomExtensionStageUnknownFutureValue                     AccessPackageCustomExtensionStage = "unknownFutureValue"
)

// AccessPackageCustomExtensionStageValues returns the members of AccessPackageCustomExtensionStage in schema order.
func AccessPackageCustomExtensionStageValues() []AccessPackageCustomExtensionStage {
	return []AccessPackageCustomExtensionStage{AccessPackageCustomExtensionStageAssignmentRequestCreated, AccessPackageCustomExtensionStageAssignmentRequestApproved, AccessPackageCustomExtensionStageAssignmentRequestGranted, AccessPackageCustomExtensionStageAssignmentRequestRemoved, AccessPackageCustomExtensionStageAssignmentFourteenDaysBeforeExpiration, AccessPackageCustomExtensionStageAssignmentOneDayBeforeExpiration, AccessPackageCustomExtensionStageUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.accessPackageCustomExtensionStage".
func (AccessPackageCustomExtensionStage) SchemaName() string {
	return "microsoft.graph.accessPackageCustomExtensionStage"
}

// AccessReviewExpirationBehavior is the enum microsoft.graph.accessReviewExpirationBehavior (v1.0).
type AccessReviewExpirationBehavior string

// Members of AccessReviewExpirationBehavior.
const (
	AccessReviewExpirationBehaviorKeepAccess                 AccessReviewExpirationBehavior = "keepAccess"
	AccessReviewExpirationBehaviorRemoveAccess               AccessReviewExpirationBehavior = "removeAccess"
	AccessReviewExpirationBehaviorAcceptAccessRecommendation AccessReviewExpirationBehavior = "acceptAccessRecommendation"
	AccessReviewExpirationBehaviorUnknownFutureValue         AccessReviewExpirationBehavior = "unknownFutureValue"
)

// AccessReviewExpirationBehaviorValues returns the members of AccessReviewExpirationBehavior in schema order.
func AccessReviewExpirationBehaviorValues() []AccessReviewExpirationBehavior {
	return []AccessReviewExpirationBehavior{AccessReviewExpirationBehaviorKeepAccess, AccessReviewExpirationBehaviorRemoveAccess, AccessReviewExpirationBehaviorAcceptAccessRecommendation, AccessReviewExpirationBehaviorUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.accessReviewExpirationBehavior".
func (AccessReviewExpirationBehavior) SchemaName() string {
	return "microsoft.graph.accessReviewExpirationBehavior"
}

// AccessReviewTimeoutBehavior is the enum microsoft.graph.accessReviewTimeoutBehavior (beta).
type AccessReviewTimeoutBehavior string

// Members of AccessReviewTimeoutBehavior.
const (
	AccessReviewTimeoutBehaviorKeepAccess                 AccessReviewTimeoutBehavior = "keepAccess"
	AccessReviewTimeoutBehaviorRemoveAccess               AccessReviewTimeoutBehavior = "removeAccess"
	AccessReviewTimeoutBehaviorAcceptAccessRecommendation AccessReviewTimeoutBehavior = "acceptAccessRecommendation"
	AccessReviewTimeoutBehaviorUnknownFutureValue         AccessReviewTimeoutBehavior = "unknownFutureValue"
)

// AccessReviewTimeoutBehaviorValues returns the members of AccessReviewTimeoutBehavior in schema order.
func AccessReviewTimeoutBehaviorValues() []AccessReviewTimeoutBehavior {
	return []AccessReviewTimeoutBehavior{AccessReviewTimeoutBehaviorKeepAccess, AccessReviewTimeoutBehaviorRemoveAccess, AccessReviewTimeoutBehaviorAcceptAccessRecommendation, AccessReviewTimeoutBehaviorUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.accessReviewTimeoutBehavior".
func (AccessReviewTimeoutBehavior) SchemaName() string {
	return "microsoft.graph.accessReviewTimeoutBehavior"
}

// AllowedTargetScope is the enum microsoft.graph.allowedTargetScope (v1.0).
type AllowedTargetScope string

// Members of AllowedTargetScope.
const (
	AllowedTargetScopeNotSpecified                            AllowedTargetScope = "notSpecified"
	AllowedTargetScopeSpecificDirectoryUsers                  AllowedTargetScope = "specificDirectoryUsers"
	AllowedTargetScopeSpecificConnectedOrganizationUsers      AllowedTargetScope = "specificConnectedOrganizationUsers"
	AllowedTargetScopeSpecificDirectoryServicePrincipals      AllowedTargetScope = "specificDirectoryServicePrincipals"
	AllowedTargetScopeAllMemberUsers                          AllowedTargetScope = "allMemberUsers"
	AllowedTargetScopeAllDirectoryUsers                       AllowedTargetScope = "allDirectoryUsers"
	AllowedTargetScopeAllDirectoryServicePrincipals           AllowedTargetScope = "allDirectoryServicePrincipals"
	AllowedTargetScopeAllConfiguredConnectedOrganizationUsers AllowedTargetScope = "allConfiguredConnectedOrganizationUsers"
	AllowedTargetScopeAllExternalUsers                        AllowedTargetScope = "allExternalUsers"
	AllowedTargetScopeAllDirectoryAgentIdentities             AllowedTargetScope = "allDirectoryAgentIdentities"
	AllowedTargetScopeUnknownFutureValue                      AllowedTargetScope = "unknownFutureValue"
)

// AllowedTargetScopeValues returns the members of AllowedTargetScope in schema order.
func AllowedTargetScopeValues() []AllowedTargetScope {
	return []AllowedTargetScope{AllowedTargetScopeNotSpecified, AllowedTargetScopeSpecificDirectoryUsers, AllowedTargetScopeSpecificConnectedOrganizationUsers, AllowedTargetScopeSpecificDirectoryServicePrincipals, AllowedTargetScopeAllMemberUsers, AllowedTargetScopeAllDirectoryUsers, AllowedTargetScopeAllDirectoryServicePrincipals, AllowedTargetScopeAllConfiguredConnectedOrganizationUsers, AllowedTargetScopeAllExternalUsers, AllowedTargetScopeAllDirectoryAgentIdentities, AllowedTargetScopeUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.allowedTargetScope".
func (AllowedTargetScope) SchemaName() string { return "microsoft.graph.allowedTargetScope" }

// ApproverInformationVisibility is the enum microsoft.graph.approverInformationVisibility (beta and v1.0).
type ApproverInformationVisibility string

// Members of ApproverInformationVisibility.
const (
	ApproverInformationVisibilityDefault            ApproverInformationVisibility = "default"
	ApproverInformationVisibilityNotVisible         ApproverInformationVisibility = "notVisible"
	ApproverInformationVisibilityVisible            ApproverInformationVisibility = "visible"
	ApproverInformationVisibilityUnknownFutureValue ApproverInformationVisibility = "unknownFutureValue"
)

// ApproverInformationVisibilityValues returns the members of ApproverInformationVisibility in schema order.
func ApproverInformationVisibilityValues() []ApproverInformationVisibility {
	return []ApproverInformationVisibility{ApproverInformationVisibilityDefault, ApproverInformationVisibilityNotVisible, ApproverInformationVisibilityVisible, ApproverInformationVisibilityUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.approverInformationVisibility".
func (ApproverInformationVisibility) SchemaName() string {
	return "microsoft.graph.approverInformationVisibility"
}

// CustomTaskExtensionReplyMode is the enum microsoft.graph.identityGovernance.customTaskExtensionReplyMode (beta).
type CustomTaskExtensionReplyMode string

// Members of CustomTaskExtensionReplyMode.
const (
	CustomTaskExtensionReplyModeNone               CustomTaskExtensionReplyMode = "none"
	CustomTaskExtensionReplyModeCallback           CustomTaskExtensionReplyMode = "callback"
	CustomTaskExtensionReplyModeResponse           CustomTaskExtensionReplyMode = "response"
	CustomTaskExtensionReplyModeUnknownFutureValue CustomTaskExtensionReplyMode = "unknownFutureValue"
)

// CustomTaskExtensionReplyModeValues returns the members of CustomTaskExtensionReplyMode in schema order.
func CustomTaskExtensionReplyModeValues() []CustomTaskExtensionReplyMode {
	return []CustomTaskExtensionReplyMode{CustomTaskExtensionReplyModeNone, CustomTaskExtensionReplyModeCallback, CustomTaskExtensionReplyModeResponse, CustomTaskExtensionReplyModeUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.identityGovernance.customTaskExtensionReplyMode".
func (CustomTaskExtensionReplyMode) SchemaName() string {
	return "microsoft.graph.identityGovernance.customTaskExtensionReplyMode"
}

// DayOfWeek is the enum microsoft.graph.dayOfWeek (v1.0).
type DayOfWeek string

// Members of DayOfWeek.
const (
	DayOfWeekSunday    DayOfWeek = "sunday"
	DayOfWeekMonday    DayOfWeek = "monday"
	DayOfWeekTuesday   DayOfWeek = "tuesday"
	DayOfWeekWednesday DayOfWeek = "wednesday"
	DayOfWeekThursday  DayOfWeek = "thursday"
	DayOfWeekFriday    DayOfWeek = "friday"
	DayOfWeekSaturday  DayOfWeek = "saturday"
)

// DayOfWeekValues returns the members of DayOfWeek in schema order.
func DayOfWeekValues() []DayOfWeek {
	return []DayOfWeek{DayOfWeekSunday, DayOfWeekMonday, DayOfWeekTuesday, DayOfWeekWednesday, DayOfWeekThursday, DayOfWeekFriday, DayOfWeekSaturday}
}

// SchemaName returns "microsoft.graph.dayOfWeek".
func (DayOfWeek) SchemaName() string { return "microsoft.graph.dayOfWeek" }

// ExpirationPatternType is the enum microsoft.graph.expirationPatternType (v1.0).
type ExpirationPatternType string

// Members of ExpirationPatternType.
const (
	ExpirationPatternTypeNotSpecified  ExpirationPatternType = "notSpecified"
	ExpirationPatternTypeNoExpiration  ExpirationPatternType = "noExpiration"
	ExpirationPatternTypeAfterDateTime ExpirationPatternType = "afterDateTime"
	ExpirationPatternTypeAfterDuration ExpirationPatternType = "afterDuration"
)

// ExpirationPatternTypeValues returns the members of ExpirationPatternType in schema order.
func ExpirationPatternTypeValues() []ExpirationPatternType {
	return []ExpirationPatternType{ExpirationPatternTypeNotSpecified, ExpirationPatternTypeNoExpiration, ExpirationPatternTypeAfterDateTime, ExpirationPatternTypeAfterDuration}
}

// SchemaName returns "microsoft.graph.expirationPatternType".
func (ExpirationPatternType) SchemaName() string { return "microsoft.graph.expirationPatternType" }

// PrivilegeLevel is the enum microsoft.graph.privilegeLevel (beta).
type PrivilegeLevel string

// Members of PrivilegeLevel.
const (
	PrivilegeLevelStandard           PrivilegeLevel = "standard"
	PrivilegeLevelPrivileged         PrivilegeLevel = "privileged"
	PrivilegeLevelUnknownFutureValue PrivilegeLevel = "unknownFutureValue"
)

// PrivilegeLevelValues returns the members of PrivilegeLevel in schema order.
func PrivilegeLevelValues() []PrivilegeLevel {
	return []PrivilegeLevel{PrivilegeLevelStandard, PrivilegeLevelPrivileged, PrivilegeLevelUnknownFutureValue}
}

// SchemaName returns "microsoft.graph.privilegeLevel".
func (PrivilegeLevel) SchemaName() string { return "microsoft.graph.privilegeLevel" }

// RecurrencePatternType is the enum microsoft.graph.recurrencePatternType (v1.0).
type RecurrencePatternType string

// Members of RecurrencePatternType.
const (
	RecurrencePatternTypeDaily           RecurrencePatternType = "daily"
	RecurrencePatternTypeWeekly          RecurrencePatternType = "weekly"
	RecurrencePatternTypeAbsoluteMonthly RecurrencePatternType = "absoluteMonthly"
	RecurrencePatternTypeRelativeMonthly RecurrencePatternType = "relativeMonthly"
	RecurrencePatternTypeAbsoluteYearly  RecurrencePatternType = "absoluteYearly"
	RecurrencePatternTypeRelativeYearly  RecurrencePatternType = "relativeYearly"
)

// RecurrencePatternTypeValues returns the members of RecurrencePatternType in schema order.
func RecurrencePatternTypeValues() []RecurrencePatternType {
	return []RecurrencePatternType{RecurrencePatternTypeDaily, RecurrencePatternTypeWeekly, RecurrencePatternTypeAbsoluteMonthly, RecurrencePatternTypeRelativeMonthly, RecurrencePatternTypeAbsoluteYearly, RecurrencePatternTypeRelativeYearly}
}

// SchemaName returns "microsoft.graph.recurrencePatternType".
func (RecurrencePatternType) SchemaName() string { return "microsoft.graph.recurrencePatternType" }

// RecurrenceRangeType is the enum microsoft.graph.recurrenceRangeType (v1.0).
type RecurrenceRangeType string

// Members of RecurrenceRangeType.
const (
	RecurrenceRangeTypeEndDate  RecurrenceRangeType = "endDate"
	RecurrenceRangeTypeNoEnd    RecurrenceRangeType = "noEnd"
	RecurrenceRangeTypeNumbered RecurrenceRangeType = "numbered"
)

// RecurrenceRangeTypeValues returns the members of RecurrenceRangeType in schema order.
func RecurrenceRangeTypeValues() []RecurrenceRangeType {
	return []RecurrenceRangeType{RecurrenceRangeTypeEndDate, RecurrenceRangeTypeNoEnd, RecurrenceRangeTypeNumbered}
}

// SchemaName returns "microsoft.graph.recurrenceRangeType".
func (RecurrenceRangeType) SchemaName() string { return "microsoft.graph.recurrenceRangeType" }

// WeekIndex is the enum microsoft.graph.weekIndex (v1.0).
type WeekIndex string

// Members of WeekIndex.
const (
	WeekIndexFirst  WeekIndex = "first"
	WeekIndexSecond WeekIndex = "second"
	WeekIndexThird  WeekIndex = "third"
	WeekIndexFourth WeekIndex = "fourth"
	WeekIndexLast   WeekIndex = "last"
)

// WeekIndexValues returns the members of WeekIndex in schema order.
func WeekIndexValues() []WeekIndex {
	return []WeekIndex{WeekIndexFirst, WeekIndexSecond, WeekIndexThird, WeekIndexFourth, WeekIndexLast}
}

// SchemaName returns "microsoft.graph.weekIndex".
func (WeekIndex) SchemaName() string { return "microsoft.graph.weekIndex" }

// ScopeType is the value table of microsoft.graph.requestorSettings.scopeType,
// an Edm.String in the beta schema: who may request an access package assigned
// by the policy (beta requestorSettings.scopeType; v1.0 replaces it with
// allowedTargetScope).
type ScopeType string

// Documented values of ScopeType.
const (
	// ScopeTypeNoSubjects: no one can request (documented meaning).
	ScopeTypeNoSubjects ScopeType = "NoSubjects"
	// ScopeTypeSpecificDirectorySubjects: specific users or members of groups of the directory, listed in allowedRequestors.
	ScopeTypeSpecificDirectorySubjects ScopeType = "SpecificDirectorySubjects"
	// ScopeTypeSpecificConnectedOrganizationSubjects: users of the connected organizations listed in allowedRequestors.
	ScopeTypeSpecificConnectedOrganizationSubjects ScopeType = "SpecificConnectedOrganizationSubjects"
	// ScopeTypeAllConfiguredConnectedOrganizationSubjects: users of connected organizations whose state is configured.
	ScopeTypeAllConfiguredConnectedOrganizationSubjects ScopeType = "AllConfiguredConnectedOrganizationSubjects"
	// ScopeTypeAllExistingConnectedOrganizationSubjects: listed by the beta docs without a meaning; used by them for users of configured connected organizations.
	ScopeTypeAllExistingConnectedOrganizationSubjects ScopeType = "AllExistingConnectedOrganizationSubjects"
	// ScopeTypeAllExistingDirectoryMemberUsers: users of the directory whose userType is member.
	ScopeTypeAllExistingDirectoryMemberUsers ScopeType = "AllExistingDirectoryMemberUsers"
	// ScopeTypeAllExistingDirectorySubjects: users of the directory, guests included.
	ScopeTypeAllExistingDirectorySubjects ScopeType = "AllExistingDirectorySubjects"
	// ScopeTypeAllExternalSubjects: any user.
	ScopeTypeAllExternalSubjects ScopeType = "AllExternalSubjects"
)

// ScopeTypeValues returns the documented values of ScopeType.
func ScopeTypeValues() []ScopeType {
	return []ScopeType{ScopeTypeNoSubjects, ScopeTypeSpecificDirectorySubjects, ScopeTypeSpecificConnectedOrganizationSubjects, ScopeTypeAllConfiguredConnectedOrganizationSubjects, ScopeTypeAllExistingConnectedOrganizationSubjects, ScopeTypeAllExistingDirectoryMemberUsers, ScopeTypeAllExistingDirectorySubjects, ScopeTypeAllExternalSubjects}
}

// ApprovalMode is the value table of
// microsoft.graph.approvalSettings.approvalMode, an Edm.String in the beta
// schema: how requests are approved (beta approvalSettings.approvalMode; v1.0
// has only the list of stages).
type ApprovalMode string

// Documented values of ApprovalMode.
const (
	// ApprovalModeNoApproval: no approval.
	ApprovalModeNoApproval ApprovalMode = "NoApproval"
	// ApprovalModeSingleStage: one approval stage.
	ApprovalModeSingleStage ApprovalMode = "SingleStage"
	// ApprovalModeSerial: stages one after the other.
	ApprovalModeSerial ApprovalMode = "Serial"
	// ApprovalModeParallel: stages in parallel (not supported by v1.0).
	ApprovalModeParallel ApprovalMode = "Parallel"
)

// ApprovalModeValues returns the documented values of ApprovalMode.
func ApprovalModeValues() []ApprovalMode {
	return []ApprovalMode{ApprovalModeNoApproval, ApprovalModeSingleStage, ApprovalModeSerial, ApprovalModeParallel}
}

// RecurrenceType is the value table of
// microsoft.graph.assignmentReviewSettings.recurrenceType, an Edm.String in
// the beta schema: how often access reviews recur (beta
// assignmentReviewSettings.recurrenceType; v1.0 uses schedule.recurrence).
type RecurrenceType string

// Documented values of RecurrenceType.
const (
	// RecurrenceTypeWeekly: every week.
	RecurrenceTypeWeekly RecurrenceType = "weekly"
	// RecurrenceTypeMonthly: every month.
	RecurrenceTypeMonthly RecurrenceType = "monthly"
	// RecurrenceTypeQuarterly: every three months.
	RecurrenceTypeQuarterly RecurrenceType = "quarterly"
	// RecurrenceTypeHalfyearly: every six months.
	RecurrenceTypeHalfyearly RecurrenceType = "halfyearly"
	// RecurrenceTypeAnnual: every year.
	RecurrenceTypeAnnual RecurrenceType = "annual"
)

// RecurrenceTypeValues returns the documented values of RecurrenceType.
func RecurrenceTypeValues() []RecurrenceType {
	return []RecurrenceType{RecurrenceTypeWeekly, RecurrenceTypeMonthly, RecurrenceTypeQuarterly, RecurrenceTypeHalfyearly, RecurrenceTypeAnnual}
}

// ReviewerType is the value table of
// microsoft.graph.assignmentReviewSettings.reviewerType, an Edm.String in the
// beta schema: who reviews (beta assignmentReviewSettings.reviewerType; v1.0
// uses isSelfReview and primaryReviewers).
type ReviewerType string

// Documented values of ReviewerType.
const (
	// ReviewerTypeSelf: the users review their own access.
	ReviewerTypeSelf ReviewerType = "Self"
	// ReviewerTypeReviewers: the users listed in reviewers.
	ReviewerTypeReviewers ReviewerType = "Reviewers"
	// ReviewerTypeManager: the users' managers (value known from third-party use, not from Microsoft's docs).
	ReviewerTypeManager ReviewerType = "Manager"
)

// ReviewerTypeValues returns the documented values of ReviewerType.
func ReviewerTypeValues() []ReviewerType {
	return []ReviewerType{ReviewerTypeSelf, ReviewerTypeReviewers, ReviewerTypeManager}
}

// BetaValueTable returns the documented values of a beta property that the
// schema types as Edm.String (typeName may carry a leading '#'), or nil when
// the property has no value table.
func BetaValueTable(typeName, prop string) []string {
	var vals []string
	add := func(s string) { vals = append(vals, s) }
	switch strings.TrimPrefix(typeName, "#") + "." + prop {
	case "microsoft.graph.requestorSettings.scopeType":
		for _, v := range ScopeTypeValues() {
			add(string(v))
		}
	case "microsoft.graph.approvalSettings.approvalMode":
		for _, v := range ApprovalModeValues() {
			add(string(v))
		}
	case "microsoft.graph.assignmentReviewSettings.recurrenceType":
		for _, v := range RecurrenceTypeValues() {
			add(string(v))
		}
	case "microsoft.graph.assignmentReviewSettings.reviewerType":
		for _, v := range ReviewerTypeValues() {
			add(string(v))
		}
	}
	return vals
}
