package model_test

import (
	"fmt"

	"github.com/apmigrate/apmigrate/model"
)

func ExampleSchema() {
	s := model.Schema(model.V1)

	p, _ := s.Property("#microsoft.graph.singleUser", "userId")
	fmt.Println(p.Type, p.Nullable)

	// Inherited from microsoft.graph.entity.
	p, _ = s.Property(s.Root, "id")
	fmt.Println(p.DeclaringType, p.Nullable)

	fmt.Println(s.ConcreteTypes("microsoft.graph.customExtensionEndpointConfiguration"))
	fmt.Println(s.IsDerivedFrom("microsoft.graph.singleUser", "microsoft.graph.subjectSet"))
	fmt.Println(s.Enums["microsoft.graph.expirationPatternType"].MemberNames())
	// Output:
	// Edm.String true
	// microsoft.graph.entity false
	// [microsoft.graph.httpRequestEndpoint microsoft.graph.logicAppTriggerEndpointConfiguration]
	// true
	// [notSpecified noExpiration afterDateTime afterDuration]
}

func ExampleValidate() {
	doc := []byte(`{
  "displayName": "Sales",
  "canExtend": "true",
  "requestorSettings": {"scopeType": "NoSubjects"},
  "expiration": {"type": "afterDuration", "duration": "14 days"},
  "specificAllowedTargets": [{"userId": "5a8c3f2e"}]
}`)
	problems, err := model.Validate(doc, model.V1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range problems {
		fmt.Println(p)
	}

	_, err = model.Validate([]byte("{\n  \"displayName\": \"Sales\",\n}"), model.V1)
	fmt.Println(err)
	// Output:
	// canExtend: unknown-property: "canExtend" is not a property of microsoft.graph.accessPackageAssignmentPolicy in v1.0
	// requestorSettings.scopeType: unknown-property: "scopeType" is not a property of microsoft.graph.accessPackageAssignmentRequestorSettings in v1.0
	// expiration.duration: wrong-type: "14 days" is not an Edm.Duration: expected an ISO 8601 duration of weeks, days, hours, minutes and seconds such as P14D, PT1H30M, P1DT2H or PT0S
	// specificAllowedTargets[0]: abstract-without-type: an object of the abstract type microsoft.graph.subjectSet needs an "@odata.type" naming one of its concrete derived types
	// invalid JSON at line 3, column 1 (byte offset 28): expected an object key (a string in double quotes), found '}'
}
