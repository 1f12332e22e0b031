package v1_test

import (
	"encoding/json"
	"fmt"

	v1 "github.com/apmigrate/apmigrate/model/v1"
)

func Example() {
	doc := []byte(`{
  "displayName": "Sales",
  "isDenyPolicy": false,
  "allowedTargetScope": "specificDirectoryUsers",
  "specificAllowedTargets": [{"@odata.type": "#microsoft.graph.singleUser", "userId": "5a8c3f2e"}],
  "expiration": {"type": "afterDuration", "duration": "P14D", "endDateTime": null}
}`)
	var p v1.AccessPackageAssignmentPolicy
	if err := json.Unmarshal(doc, &p); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*p.AllowedTargetScope == v1.AllowedTargetScopeSpecificDirectoryUsers)
	if u, ok := p.SpecificAllowedTargets[0].(*v1.SingleUser); ok {
		fmt.Println(u.SchemaType(), *u.UserID)
	}
	fmt.Println(*p.Expiration.Duration, string(p.Extra["isDenyPolicy"]))

	out, _ := json.Marshal(p)
	fmt.Println(string(out))
	// Output:
	// true
	// microsoft.graph.singleUser 5a8c3f2e
	// P14D false
	// {"allowedTargetScope":"specificDirectoryUsers","displayName":"Sales","expiration":{"duration":"P14D","endDateTime":null,"type":"afterDuration"},"specificAllowedTargets":[{"@odata.type":"#microsoft.graph.singleUser","userId":"5a8c3f2e"}],"isDenyPolicy":false}
}
