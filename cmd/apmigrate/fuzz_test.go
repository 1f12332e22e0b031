package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzConvert feeds any input to convert: it must end with status 0 or 1,
// never with an internal error, whatever the form.
func FuzzConvert(f *testing.F) {
	for _, n := range []string{"requests.http", "batch.json", "policies.jsonl", "export-utf16le.json", "collection-nextlink.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cli", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("PUT /beta/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/1\ncontent-length: 3\n{\"canExtend\": true}"))
	f.Add([]byte(`{"requests": [{"url": "/identityGovernance/entitlementManagement/assignmentPolicies", "body": [{"canExtend": 1}]}]}`))
	f.Add([]byte("{}\n{\"durationInDays\": 3}\r\n\n[1]"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, args := range [][]string{{"convert", "--to", "v1.0"}, {"convert", "--to", "beta", "-d"}, {"detect"}} {
			var out, errb bytes.Buffer
			code := run(args, bytes.NewReader(in), &out, &errb)
			if code != 0 && code != 1 || strings.Contains(errb.String(), "internal-error") || strings.Contains(errb.String(), "internal error (please report it)") {
				t.Fatalf("%v: exit %d:\n%s", args, code, errb.String())
			}
		}
	})
}
