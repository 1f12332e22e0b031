package convert_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/apmigrate/apmigrate/convert"
	"github.com/apmigrate/apmigrate/model"
)

func ExampleConvert() {
	beta := []byte(`{"displayName":"Sales","accessPackageId":"a1","durationInDays":30,"canExtend":false,` +
		`"requestorSettings":{"scopeType":"NoSubjects","acceptRequests":false,"allowedRequestors":[]}}`)
	res, err := convert.Convert(beta, convert.Options{To: model.V1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Detection.Shape)
	fmt.Println(string(res.Output))
	for _, f := range res.Findings[:3] {
		fmt.Println(f)
	}
	// Output:
	// beta
	// {"displayName":"Sales","accessPackage":{"id":"a1"},"expiration":{"type":"afterDuration","duration":"P30D"},"allowedTargetScope":"notSpecified","specificAllowedTargets":[],"requestorSettings":{"enableTargetsToSelfAddAccess":false,"enableTargetsToSelfUpdateAccess":false,"enableTargetsToSelfRemoveAccess":false,"allowCustomAssignmentSchedule":false,"enableOnBehalfRequestorsToAddAccess":false,"enableOnBehalfRequestorsToUpdateAccess":false,"enableOnBehalfRequestorsToRemoveAccess":false,"onBehalfRequestors":[]}}
	// accessPackageId -> accessPackage.id: info: moved: accessPackageId becomes the reference accessPackage {id}
	// durationInDays -> expiration: info: expiration-converted: 30 days become P30D: expiration {type: afterDuration}
	// requestorSettings.scopeType -> allowedTargetScope: info: value-mapped: NoSubjects becomes notSpecified
}

func ExampleConvert_refused() {
	beta := []byte(`{"canExtend":true,"verifiableCredentialSettings":{"credentialTypes":[{"credentialType":"VerifiedEmployee"}]}}`)
	_, err := convert.Convert(beta, convert.Options{To: model.V1, Name: "policy.json"})
	var e *convert.Error
	if errors.As(err, &e) && errors.Is(err, convert.ErrRefused) {
		fmt.Println(e.Code(), e.Findings[0].Code, e.Findings[0].Severity)
	}
	// Output:
	// refused verifiable-credentials-dropped widening
}

func ExampleDetect() {
	d, err := convert.Detect([]byte(`{"id":"p1","expiration":{"type":"noExpiration"},"canExtend":true}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Shape, d.Beta, d.V1)
	// Output:
	// mixed [canExtend] [expiration]
}

func ExampleConvertDocument() {
	list := []byte(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies",` +
		`"value":[{"id":"p1","allowedTargetScope":"allMemberUsers","expiration":{"type":"noExpiration"}}]}`)
	res, err := convert.ConvertDocument(list, convert.Options{To: model.Beta})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Kind, len(res.Items), res.Failed())
	fmt.Println(string(res.Output))
	// Output:
	// collection 1 0
	// {"@odata.context":"https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageAssignmentPolicies","value":[{"id":"p1","canExtend":false,"requestorSettings":{"scopeType":"AllExistingDirectoryMemberUsers","acceptRequests":false,"allowedRequestors":[]},"durationInDays":0,"expirationDateTime":null,"accessReviewSettings":null}]}
}

func ExampleConverter() {
	cv, err := convert.NewConverter(convert.Options{To: model.Beta})
	if err != nil {
		panic(err)
	}
	for _, p := range []string{
		`{"id":"a","notificationSettings":{"isAssignmentNotificationDisabled":true}}`,
		`{"id":"b","displayName":"already neutral"}`,
	} {
		res, err := cv.Convert([]byte(p))
		if err != nil {
			fmt.Println(err)
			continue
		}
		// res lives in cv's memory until the next call; res.Clone()
		// would keep it.
		fmt.Println(res.Changed, string(res.Output))
	}
	// Output:
	// true {"id":"a","accessPackageNotificationSettings":{"isAssignmentNotificationDisabled":true},"durationInDays":0,"expirationDateTime":null,"canExtend":false,"requestorSettings":{"scopeType":"NoSubjects","acceptRequests":false,"allowedRequestors":[]},"accessReviewSettings":null}
	// false {"id":"b","displayName":"already neutral"}
}

func ExampleSplit() {
	kind, policies, err := convert.Split([]byte(`{"@odata.context":"…","value":[{"id":"a"},{"id":"b"}],"@odata.nextLink":"…"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(kind)
	for _, p := range policies {
		fmt.Println(p.Index, string(p.Raw))
	}
	// Output:
	// collection
	// 0 {"id":"a"}
	// 1 {"id":"b"}
}

func ExampleResult_Clone() {
	cv, err := convert.NewConverter(convert.Options{To: model.V1})
	if err != nil {
		panic(err)
	}
	var kept []convert.Result
	for _, p := range []string{
		`{"id":"a","canExtend":true}`,
		`{"id":"b","durationInDays":7}`,
	} {
		res, err := cv.Convert([]byte(p))
		if err != nil {
			panic(err)
		}
		// The next call reuses res's memory: Clone what is kept.
		kept = append(kept, res.Clone())
	}
	for _, r := range kept {
		fmt.Println(r.Detection.Shape, r.Detection.Beta, len(r.Findings), "findings")
	}
	// Output:
	// beta [canExtend] 5 findings
	// beta [durationInDays] 4 findings
}

func ExampleConverter_ConvertStream() {
	// A Graph list response read a policy at a time: here from a string,
	// in practice from a file of any size.
	in := strings.NewReader(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageAssignmentPolicies",` +
		`"value":[{"id":"p1","canExtend":true,"durationInDays":30},{"id":"p2","durationInDays":"thirty"}]}`)
	cv, err := convert.NewConverter(convert.Options{To: model.V1})
	if err != nil {
		panic(err)
	}
	var out strings.Builder
	res, err := cv.ConvertStream(in, &out, func(it *convert.StreamItem) error {
		// Valid during the call only: a policy's result, where it was read.
		fmt.Printf("policy %d at byte %d: %d findings, error: %v\n", it.Index, it.Offset, len(it.Findings), it.Err)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Kind, res.Streamed, res.Changed)
	fmt.Println(out.String())
	// Output:
	// policy 0 at byte 145: 5 findings, error: <nil>
	// policy 1 at byte 194: 0 findings, error: item 1: durationInDays: invalid value: expected a whole number (Int32), found a string "thirty"
	// collection true true
	// {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies","value":[{"id":"p1","expiration":{"type":"afterDuration","duration":"P30D"},"allowedTargetScope":"notSpecified","specificAllowedTargets":[],"requestorSettings":{"enableTargetsToSelfAddAccess":false,"enableTargetsToSelfUpdateAccess":true,"enableTargetsToSelfRemoveAccess":false,"allowCustomAssignmentSchedule":false,"enableOnBehalfRequestorsToAddAccess":false,"enableOnBehalfRequestorsToUpdateAccess":false,"enableOnBehalfRequestorsToRemoveAccess":false,"onBehalfRequestors":[]}}]}
}
