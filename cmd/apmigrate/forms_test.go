package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/model"
)

// compact returns doc on one line (for NDJSON).
func compact(t *testing.T, doc []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRewriteURL(t *testing.T) {
	const ig = "/identityGovernance/entitlementManagement/"
	tests := []struct {
		in, want       string
		to             model.Version
		policies, body bool
	}{
		{"https://graph.microsoft.com/beta" + ig + "accessPackageAssignmentPolicies/{id}", "https://graph.microsoft.com/v1.0" + ig + "assignmentPolicies/{id}", model.V1, true, true},
		{"https://graph.microsoft.com/v1.0" + ig + "assignmentPolicies/{id}", "https://graph.microsoft.com/beta" + ig + "accessPackageAssignmentPolicies/{id}", model.Beta, true, true},
		{"https://graph.microsoft.com/beta" + ig + "accessPackageAssignmentPolicies", "https://graph.microsoft.com/v1.0" + ig + "assignmentPolicies", model.V1, true, true},
		{"/beta" + ig + "accessPackageAssignmentPolicies/abc?$expand=accessPackage&x=1", "/v1.0" + ig + "assignmentPolicies/abc?$expand=accessPackage&x=1", model.V1, true, true},
		{ig + "accessPackageAssignmentPolicies/abc", ig + "assignmentPolicies/abc", model.V1, true, true},
		{"/beta" + ig + "accessPackages/123/accessPackageAssignmentPolicies", "/v1.0" + ig + "accessPackages/123/assignmentPolicies", model.V1, true, true},
		{"/v1.0" + ig + "accessPackages/123/assignmentPolicies", "/beta" + ig + "accessPackages/123/accessPackageAssignmentPolicies", model.Beta, true, true},
		{"/beta" + ig + "accessPackages('123')/accessPackageAssignmentPolicies('9')", "/v1.0" + ig + "accessPackages('123')/assignmentPolicies('9')", model.V1, true, true},
		{"/beta" + ig + "accessPackageAssignmentPolicies/abc/accessPackage", "/v1.0" + ig + "assignmentPolicies/abc/accessPackage", model.V1, true, false},
		{"/beta" + ig + "accessPackageAssignmentPolicies/$count", "/v1.0" + ig + "assignmentPolicies/$count", model.V1, true, false},
		{"/v1.0" + ig + "assignmentPolicies/abc", "/v1.0" + ig + "assignmentPolicies/abc", model.V1, true, true},
		{"{{host}}/beta" + ig + "accessPackageAssignmentPolicies/1", "{{host}}/v1.0" + ig + "assignmentPolicies/1", model.V1, true, true},
		{"https://graph.microsoft.com/beta/users/1", "https://graph.microsoft.com/beta/users/1", model.V1, false, false},
		{"https://graph.microsoft.com/beta" + ig + "accessPackages/1", "https://graph.microsoft.com/beta" + ig + "accessPackages/1", model.V1, false, false},
		{"https://graph.microsoft.com", "https://graph.microsoft.com", model.V1, false, false},
	}
	for _, tt := range tests {
		got := rewriteURL(tt.in, tt.to)
		if got.url != tt.want || got.policies != tt.policies || got.body != tt.body {
			t.Errorf("rewriteURL(%q, %s) = %+v, want %q policies %v body %v", tt.in, tt.to, got, tt.want, tt.policies, tt.body)
		}
	}
}

// TestInputForms converts each input form and compares the output with
// the library's conversion of the documents inside it.
func TestInputForms(t *testing.T) {
	simple := readDoc(t, "beta", betaSimple)
	policy := readDoc(t, "beta", betaPolicy)
	coll := readDoc(t, "beta", betaCollection)
	done := readDoc(t, "v1.0", v1Policy)
	crlf := bytes.ReplaceAll(simple, []byte("\n"), []byte("\r\n"))
	// A long NDJSON line: a policy with a 3 MiB description.
	long := compact(t, bytes.Replace(simple, []byte(`"direct assignments by administrator"`), []byte(`"`+strings.Repeat("x", 3<<20)+`"`), 1))

	lines := func(docs ...[]byte) (in, want []byte) {
		for _, d := range docs {
			c := compact(t, d)
			in = append(append(in, c...), '\n')
			want = append(append(want, libConvert(t, c)...), '\n')
		}
		return in, want
	}
	ndIn, ndWant := lines(simple, policy, done, long)
	// A blank line, a CRLF line and a last line without a line end.
	ndIn = append(ndIn, "\n"...)
	ndWant = append(ndWant, "\n"...)
	ndIn = append(append(ndIn, compact(t, simple)...), "\r\n"...)
	ndWant = append(append(ndWant, libConvert(t, compact(t, simple))...), "\r\n"...)
	ndIn = append(ndIn, compact(t, policy)...)
	ndWant = append(ndWant, libConvert(t, compact(t, policy))...)

	const ig = "/identityGovernance/entitlementManagement/"
	req := func(line string, body []byte) []byte {
		return append([]byte(line+"\nContent-Type: application/json\n\n"), body...)
	}
	httpIn := bytes.Join([][]byte{
		[]byte("# Microsoft's example\n@host = https://graph.microsoft.com\n"),
		req("PUT https://graph.microsoft.com/beta"+ig+"accessPackageAssignmentPolicies/b2eba9a1?$select=id HTTP/1.1", simple),
		[]byte("\n\n### nested, relative\n"),
		req("POST /beta"+ig+"accessPackages/123/accessPackageAssignmentPolicies", policy),
		[]byte("\n###\nGET https://graph.microsoft.com/beta/users/1\n\n###\nGET https://graph.microsoft.com/beta" + ig + "accessPackageAssignmentPolicies\n    ?$expand=accessPackage\n"),
	}, nil)
	httpWant := bytes.Join([][]byte{
		[]byte("# Microsoft's example\n@host = https://graph.microsoft.com\n"),
		req("PUT https://graph.microsoft.com/v1.0"+ig+"assignmentPolicies/b2eba9a1?$select=id HTTP/1.1", libConvert(t, simple)),
		[]byte("\n\n### nested, relative\n"),
		req("POST /v1.0"+ig+"accessPackages/123/assignmentPolicies", libConvert(t, policy)),
		[]byte("\n###\nGET https://graph.microsoft.com/beta/users/1\n\n###\nGET https://graph.microsoft.com/v1.0" + ig + "assignmentPolicies\n    ?$expand=accessPackage\n"),
	}, nil)
	httpCRLF := bytes.ReplaceAll(req("PATCH https://graph.microsoft.com/beta"+ig+"accessPackageAssignmentPolicies/1", simple), []byte("\n"), []byte("\r\n"))
	httpCRLFWant := append(bytes.ReplaceAll([]byte("PATCH https://graph.microsoft.com/v1.0"+ig+"assignmentPolicies/1\nContent-Type: application/json\n\n"), []byte("\n"), []byte("\r\n")), libConvert(t, crlf)...)
	response := append([]byte("HTTP/1.1 200 OK\nContent-type: application/json\n\n"), coll...)
	responseWant := append([]byte("HTTP/1.1 200 OK\nContent-type: application/json\n\n"), libConvert(t, coll)...)

	list := append(append(append([]byte("[\n"), simple...), ",\n"...), policy...)
	list = append(list, "\n]\n"...)

	tests := []struct {
		name     string
		file     string // "" for standard input
		in, want []byte
	}{
		{"policy", "p.json", simple, libConvert(t, simple)},
		{"policy already v1.0", "p.json", done, done},
		{"policy with CRLF", "p.json", crlf, libConvert(t, crlf)},
		{"array", "a.json", list, libConvert(t, list)},
		{"collection", "c.json", coll, libConvert(t, coll)},
		{"NDJSON by extension", "d.jsonl", ndIn, ndWant},
		{"NDJSON .ndjson", "d.ndjson", ndIn, ndWant},
		{"NDJSON by content", "d.json", ndIn, ndWant},
		{"NDJSON on stdin", "", ndIn, ndWant},
		{"HTTP requests", "r.http", httpIn, httpWant},
		{"HTTP by content", "r.txt", httpIn, httpWant},
		{"HTTP on stdin", "", httpIn, httpWant},
		{"HTTP with CRLF", "r.http", httpCRLF, httpCRLFWant},
		{"HTTP response", "r.http", response, responseWant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"convert", "--to", "v1.0"}
			stdin := ""
			if tt.file == "" {
				stdin = string(tt.in)
			} else {
				p := filepath.Join(t.TempDir(), tt.file)
				os.WriteFile(p, tt.in, 0o644)
				args = append(args, p)
			}
			out, errs, code := cli(t, stdin, args...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, errs)
			}
			if out != string(tt.want) {
				t.Errorf("output differs:\n%s", cmp.Diff(strings.Split(string(tt.want), "\n"), strings.Split(out, "\n")))
			}
		})
	}
}

// TestBatch converts a Graph JSON batch: the URLs and bodies of policy
// requests, and nothing else.
func TestBatch(t *testing.T) {
	simple := readDoc(t, "beta", betaSimple)
	policy := readDoc(t, "beta", betaPolicy)
	var b bytes.Buffer
	b.WriteString("{\n  \"requests\": [\n    {\n      \"id\": \"1\",\n      \"method\": \"PUT\",\n")
	b.WriteString("      \"url\": \"/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/abc\",\n")
	b.WriteString("      \"headers\": {\"Content-Type\": \"application/json\"},\n      \"body\": ")
	b.Write(bytes.ReplaceAll(bytes.TrimSpace(simple), []byte("\n"), []byte("\n      ")))
	b.WriteString("\n    },\n")
	other := "    {\n      \"id\": \"2\",\n      \"method\": \"POST\",\n      \"url\": \"/users\",\n      \"body\": {\"accessPackageId\": \"x\"}\n    },\n"
	b.WriteString(other)
	b.WriteString("    {\"id\": \"3\", \"method\": \"POST\", \"url\": \"/identityGovernance/entitlementManagement/accessPackages/9/accessPackageAssignmentPolicies\", \"body\": ")
	b.Write(compact(t, policy))
	b.WriteString("},\n    {\"id\": \"4\", \"method\": \"GET\", \"url\": \"/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies?$top=5\"}\n  ]\n}\n")
	in := b.Bytes()
	p := filepath.Join(t.TempDir(), "batch.json")
	os.WriteFile(p, in, 0o644)
	out, errs, code := cli(t, "", "convert", "--to", "v1.0", p)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	if !gjson.Valid(out) {
		t.Fatalf("output is not JSON:\n%s", out)
	}
	urls := []string{
		"/identityGovernance/entitlementManagement/assignmentPolicies/abc",
		"/users",
		"/identityGovernance/entitlementManagement/accessPackages/9/assignmentPolicies",
		"/identityGovernance/entitlementManagement/assignmentPolicies?$top=5",
	}
	for i, u := range urls {
		if got := gjson.Get(out, "requests."+string(rune('0'+i))+".url").String(); got != u {
			t.Errorf("request %d: url %q, want %q", i, got, u)
		}
	}
	same := func(a, b string) bool {
		var x, y any
		return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && cmp.Equal(x, y)
	}
	if body := gjson.Get(out, "requests.0.body").Raw; !same(body, string(libConvert(t, simple))) {
		t.Errorf("request 0: body is not the library's conversion:\n%s", body)
	}
	if body := gjson.Get(out, "requests.2.body").Raw; body != string(libConvert(t, compact(t, policy))) {
		t.Errorf("request 2: body is not the library's conversion:\n%s", body)
	}
	if !strings.Contains(out, other) {
		t.Errorf("the request to /users changed:\n%s", out)
	}
	// The nested body keeps the batch's indentation.
	if !strings.Contains(out, "\n      \"body\": {\n        \"accessPackage\": {\n          \"id\": ") {
		t.Errorf("the converted body is not indented as the batch is:\n%s", out)
	}
	// A failing request is reported with its place and left out of the
	// printed batch; the file is not rewritten.
	bad := bytes.Replace(in, []byte(`"body": {"accessPackageId": "x"}`), []byte(`"body": {}`), 1)
	bad = bytes.Replace(bad, []byte(`"url": "/users"`), []byte(`"url": "/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/2"`), 1)
	bad = bytes.Replace(bad, []byte(`"description": "direct assignments by administrator"`), []byte(`"description": "x", "durationInDays": "many"`), 1)
	os.WriteFile(p, bad, 0o644)
	out, errs, code = cli(t, "", "convert", "--to", "v1.0", p)
	if code != 1 || !strings.Contains(errs, "batch.json: requests[0]: durationInDays: error: invalid-value") {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
	if !gjson.Valid(out) || gjson.Get(out, "requests.#").Int() != 3 || gjson.Get(out, "requests.0.id").String() != "2" {
		t.Errorf("the failed request is not left out cleanly:\n%s", out)
	}
	if _, _, code := cli(t, "", "convert", "--to", "v1.0", "-w", p); code != 1 {
		t.Errorf("-w: exit %d", code)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, bad) {
		t.Error("-w rewrote a batch with a failed request")
	}
}

// TestHTTPErrors reports a block that is not a request, and a body that
// fails, with the request's place in the file.
func TestHTTPErrors(t *testing.T) {
	in := "PUT https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/1\n\n{\n  \"displayName\": \"x\",\n  \"durationInDays\": 5,,\n}\n###\nthis is not a request\n"
	p := filepath.Join(t.TempDir(), "r.http")
	os.WriteFile(p, []byte(in), 0o644)
	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "--report", "json", p)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var recs []record
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		var r record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		recs = append(recs, r)
	}
	if len(recs) != 2 {
		t.Fatalf("want 2 errors, got %+v", recs)
	}
	// The syntax error is located in the file, not in the body.
	if r := recs[0]; r.Part != "request 1" || r.Code != "invalid-json" || r.Line != 5 || r.Column != 23 || !strings.Contains(r.Message, "line 5, column 23 (byte 159)") || in[159] != ',' {
		t.Errorf("syntax error: %+v", r)
	}
	if r := recs[1]; r.Part != "request 2" || r.Code != "invalid-http" || r.Line != 8 || !strings.Contains(r.Message, `found "this is not a request"`) {
		t.Errorf("bad block: %+v", r)
	}
}

// TestHTTPDetails: a saved Content-Length follows the body, and a body
// written without the blank line after the headers is still converted.
func TestHTTPDetails(t *testing.T) {
	simple := readDoc(t, "beta", betaSimple)
	conv := libConvert(t, simple)
	const u = "https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/1"
	const v = "https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/assignmentPolicies/1"
	tests := []struct{ name, in, want string }{
		{"content length", "PUT " + u + "\ncontent-length: " + itoa(len(simple)) + "\n\n" + string(simple),
			"PUT " + v + "\ncontent-length: " + itoa(len(simple)+len(bytes.TrimRight(conv, "\n"))-len(bytes.TrimRight(simple, "\n"))) + "\n\n" + string(conv)},
		{"no blank line", "PUT " + u + "\nContent-Type: application/json\n" + string(simple),
			"PUT " + v + "\nContent-Type: application/json\n" + string(conv)},
	}
	for _, tt := range tests {
		out, errs, code := cli(t, tt.in, "convert", "--to", "v1.0")
		if code != 0 || out != tt.want {
			t.Errorf("%s: exit %d\n%s\n%s", tt.name, code, cmp.Diff(tt.want, out), errs)
		}
	}
}

// TestIsBatch holds the byte search in front of isBatch to the full check:
// a batch whose key is spelled with an escape, or whose only "requests"
// bytes are the key, is still one.
func TestIsBatch(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      bool
	}{
		{"batch", `{"requests": [{"id": "1", "method": "GET", "url": "/users"}]}`, true},
		{"url only", `{"requests":[{"url":"/x"}]}`, true},
		{"key escaped", `{"r\u0065quests": [{"method": "GET"}]}`, true},
		{"key fully escaped", `{"\u0072\u0065\u0071\u0075\u0065\u0073\u0074\u0073": [{"url": "/x"}]}`, true},
		{"policy", `{"displayName": "requests", "durationInDays": 30}`, false},
		{"policy with an escape", `{"displayName": "caf\u00e9"}`, false},
		{"no requests", `{"displayName": "x"}`, false},
		{"requests not an array", `{"requests": {"url": "/x"}}`, false},
		{"requests of no request", `{"requests": [{"id": "1"}]}`, false},
		{"invalid", `{"requests": [{"url": "/x"}]`, false},
		{"array", `[{"requests": [{"url": "/x"}]}]`, false},
	} {
		if got := isBatch([]byte(tc.doc)); got != tc.want {
			t.Errorf("%s: isBatch(%s) = %v, want %v", tc.name, tc.doc, got, tc.want)
		}
	}
}
