package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// fixture reads a file of testdata/cli, the examples of USAGE.md.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cli", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFixtures converts the examples of USAGE.md, rewrites copies of
// them, and checks what each form must keep and change.
func TestFixtures(t *testing.T) {
	dir := t.TempDir()
	names := []string{"requests.http", "batch.json", "policies.jsonl", "export-utf16le.json", "collection-nextlink.json"}
	var paths []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		os.WriteFile(p, fixture(t, n), 0o644)
		paths = append(paths, p)
	}
	out, errs, code := cli(t, "", append([]string{"convert", "--to", "v1.0", "-l"}, paths...)...)
	if code != 0 || out != strings.Join(paths, "\n")+"\n" {
		t.Fatalf("-l: exit %d, %q\n%s", code, out, errs)
	}
	if _, errs, code := cli(t, "", append([]string{"convert", "--to", "v1.0", "-w", "--extension-map", filepath.Join("..", "..", "testdata", "cli", "extension-ids.map")}, paths...)...); code != 0 {
		t.Fatalf("-w: exit %d\n%s", code, errs)
	}
	if _, _, code := cli(t, "", append([]string{"convert", "--to", "v1.0", "--check"}, paths...)...); code != 0 {
		t.Errorf("--check after -w: exit %d", code)
	}
	read := func(n string) string {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		return string(b)
	}
	const em = "https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/"
	http := read("requests.http")
	for _, want := range []string{
		"POST " + em + "assignmentPolicies\n",
		"POST " + em + "accessPackages/b2eba9a1-b357-42ee-83a8-336522ed6cbf/assignmentPolicies\n",
		"PUT " + em + "assignmentPolicies/87e1c7f7-c7f7-87e1-f7c7-e187f7c7e187 HTTP/1.1\n",
		"GET " + em + "assignmentPolicies/87e1c7f7-c7f7-87e1-f7c7-e187f7c7e187?$expand=accessPackage\n",
		"GET https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages?$filter=displayName eq 'Marketing'\n",
		"# Requests as Microsoft's documentation shows them",
		"@policyId = ",
	} {
		if !strings.Contains(http, want) {
			t.Errorf("requests.http lacks %q", want)
		}
	}
	batch := read("batch.json")
	if gjson.Get(batch, "requests.0.url").String() != "/identityGovernance/entitlementManagement/assignmentPolicies" ||
		gjson.Get(batch, "requests.1.url").String() != "/identityGovernance/entitlementManagement/accessPackages/b2eba9a1-b357-42ee-83a8-336522ed6cbf/assignmentPolicies" ||
		gjson.Get(batch, "requests.2.url").String() != "/identityGovernance/entitlementManagement/catalogs" ||
		!gjson.Get(batch, "requests.0.body.allowedTargetScope").Exists() {
		t.Errorf("batch.json:\n%s", batch)
	}
	nd := strings.Split(strings.TrimSpace(read("policies.jsonl")), "\n")
	for i, l := range nd {
		if !gjson.Valid(l) || gjson.Get(l, "accessPackageId").Exists() {
			t.Errorf("policies.jsonl line %d is not converted: %s", i+1, l)
		}
	}
	if len(nd) != 4 || gjson.Get(nd[3], "customExtensionStageSettings.0.customExtension.id").String() != "2b5d7f1c-0c7a-4d0e-9b8e-6f6a3c1e9d42" {
		t.Errorf("the extension map was not applied to line 4: %s", nd[len(nd)-1])
	}
	utf16 := []byte(read("export-utf16le.json"))
	if !bytes.HasPrefix(utf16, []byte{0xFF, 0xFE, '{', 0, '\r', 0, '\n', 0}) {
		t.Errorf("export-utf16le.json lost its BOM or CRLF: % x", utf16[:8])
	}
	coll := read("collection-nextlink.json")
	if got := gjson.Get(coll, `@odata\.nextLink`).String(); got != gjson.Get(string(fixture(t, "collection-nextlink.json")), `@odata\.nextLink`).String() {
		t.Errorf("the nextLink changed: %s", got)
	}
	if !strings.Contains(gjson.Get(coll, `@odata\.context`).String(), "/v1.0/") {
		t.Errorf("the context is not rewritten: %s", coll)
	}
	// detect reads every form too.
	if out, errs, code := cli(t, "", append([]string{"detect"}, paths...)...); code != 0 || strings.Contains(out, "beta (") {
		t.Errorf("detect after -w: exit %d\n%s%s", code, out, errs)
	}
}
