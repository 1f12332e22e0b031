package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	dir := t.TempDir()
	put := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	beta := put("beta.json", string(readDoc(t, "beta", betaSimple)))
	v1 := put("v1.json", string(readDoc(t, "v1.0", v1Policy)))
	list := put("list.json", `[{"displayName": "n"}, {"durationInDays": 3, "expiration": {"type": "noExpiration"}}, 7]`)
	nd := put("nd.jsonl", `{"canExtend": true}`+"\n"+`{"allowedTargetScope": "allDirectoryUsers"}`+"\n")
	bad := put("bad.json", `{"a": }`)
	out, errs, code := cli(t, "", "detect", beta, v1, list, nd, bad)
	if code != 1 {
		t.Errorf("exit %d (bad.json is invalid)", code)
	}
	want := []string{
		beta + ": beta (accessPackageId, accessReviewSettings, requestorSettings.scopeType, ",
		v1 + ": v1.0 (allowedTargetScope, specificAllowedTargets, automaticRequestSettings)",
		list + ": item 0: neutral",
		list + ": item 1: mixed (beta: durationInDays; v1.0: expiration)",
		nd + ": line 1: beta (canExtend)",
		nd + ": line 2: v1.0 (allowedTargetScope)",
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(lines), out)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d: %q, want %q", i, lines[i], w)
		}
	}
	for _, w := range []string{list + ": item 2: error: not-a-policy", bad + ": error: invalid-json: invalid JSON at line 1, column 7"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr does not say %q:\n%s", w, errs)
		}
	}
	// JSON Lines.
	out, _, code = cli(t, "", "detect", "--report", "json", nd)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var recs []detectRecord
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r detectRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 2 || recs[0].Shape != "beta" || recs[0].Part != "line 1" || recs[0].Beta[0] != "canExtend" || recs[1].V1[0] != "allowedTargetScope" {
		t.Errorf("%+v", recs)
	}
	// Standard input, and an HTTP request: the body of a policy request.
	out, _, code = cli(t, "PUT /beta/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/1\n\n{\"canExtend\": false}\n", "detect")
	if code != 0 || out != stdinName+": request 1: beta (canExtend)\n" {
		t.Errorf("exit %d: %q", code, out)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	v1 := filepath.Join(dir, "v1.json")
	os.WriteFile(v1, readDoc(t, "v1.0", v1Policy), 0o644)
	out, errs, code := cli(t, "", "validate", "--version", "v1.0", v1)
	if code != 0 || out != "" || errs != "" {
		t.Errorf("a valid v1.0 policy: exit %d\n%s%s", code, out, errs)
	}
	out, _, code = cli(t, "", "validate", "--version", "beta", v1)
	if code != 1 || !strings.Contains(out, v1+`: allowedTargetScope: unknown-property: "allowedTargetScope" is not a property of`) {
		t.Errorf("a v1.0 policy against beta: exit %d\n%s", code, out)
	}
	list := filepath.Join(dir, "list.json")
	os.WriteFile(list, []byte("[\n  {\"displayName\": \"ok\"},\n  {\"displayName\": 5}\n]\n"), 0o644)
	out, _, code = cli(t, "", "validate", "--version", "v1.0", list)
	if code != 1 || !strings.HasPrefix(out, list+": item 1: displayName: wrong-type: ") || strings.Count(out, "\n") != 1 {
		t.Errorf("a list: exit %d\n%s", code, out)
	}
	out, _, _ = cli(t, "", "validate", "--version", "v1.0", "--report", "json", list)
	var r problemRecord
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Item != 1 || r.Path != "displayName" || r.Code != "wrong-type" || r.Line != 3 || r.Expected == "" {
		t.Errorf("%+v %v", r, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, readDoc(t, "v1.0", v1Invalid), 0o644)
	_, errs, code = cli(t, "", "validate", "--version", "v1.0", bad)
	if code != 1 || !strings.Contains(errs, "invalid JSON at line 36, column 3") {
		t.Errorf("invalid JSON: exit %d\n%s", code, errs)
	}
}
