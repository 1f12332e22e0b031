package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lineOfKey is the line of the first occurrence of "key": in doc, found
// independently of the code under test.
func lineOfKey(doc []byte, key string, after int) int {
	i := bytes.Index(doc[after:], []byte(`"`+key+`":`))
	if i < 0 {
		return -1
	}
	return 1 + bytes.Count(doc[:after+i], []byte("\n"))
}

func parseRecords(t *testing.T, s string) []record {
	t.Helper()
	var recs []record
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l == "" {
			continue
		}
		var r record
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("not a report line: %q: %v", l, err)
		}
		recs = append(recs, r)
	}
	return recs
}

func TestReportJSON(t *testing.T) {
	dir := t.TempDir()
	// A collection of two policies.
	coll := []byte(`{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageAssignmentPolicies",
  "value": [` + string(readDoc(t, "beta", betaSimple)) + ",\n" + string(readDoc(t, "beta", betaPolicy)) + `]
}`)
	widening := readDoc(t, "beta", betaWidening)
	c := filepath.Join(dir, "c.json")
	w := filepath.Join(dir, "w.json")
	os.WriteFile(c, coll, 0o644)
	os.WriteFile(w, widening, 0o644)
	out, errs, code := cli(t, "", "convert", "--to", "v1.0", "--report", "json", c, w)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	if out == "" {
		t.Error("no converted output")
	}
	recs := parseRecords(t, errs) // also: no summary text among the JSON lines
	// Every field of the spec is present in every line.
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		for _, f := range []string{`"file":`, `"item":`, `"path":`, `"targetPath":`, `"code":`, `"severity":`, `"message":`, `"line":`} {
			if !strings.Contains(l, f) {
				t.Fatalf("%s missing in %s", f, l)
			}
		}
	}
	second := bytes.Index(coll, []byte(`"accessPackageId"`)) + 1 // where item 1 starts looking
	var sawItem1, sawRefused bool
	for _, r := range recs {
		switch {
		case r.File == c && r.Item == 0 && r.Path == "accessPackageId":
			if r.TargetPath != "accessPackage.id" || r.Code != "moved" || r.Severity != "info" || r.Line != lineOfKey(coll, "accessPackageId", 0) {
				t.Errorf("item 0: %+v", r)
			}
		case r.File == c && r.Item == 1 && r.Path == "accessPackageId":
			sawItem1 = true
			if r.Line != lineOfKey(coll, "accessPackageId", second) {
				t.Errorf("item 1: line %d, want %d", r.Line, lineOfKey(coll, "accessPackageId", second))
			}
		case r.File == w && r.Severity == "error":
			sawRefused = true
			if r.Code != "refused" || r.Item != -1 || !strings.Contains(r.Message, "verifiable-credentials-dropped") || r.Line != lineOfKey(widening, "verifiableCredentialSettings", 0) {
				t.Errorf("refusal: %+v", r)
			}
		case r.File == w && r.Code == "verifiable-credentials-dropped":
			if r.Severity != "widening" || r.Line != lineOfKey(widening, "verifiableCredentialSettings", 0) {
				t.Errorf("widening: %+v", r)
			}
		}
	}
	if !sawItem1 || !sawRefused {
		t.Errorf("records missing: item 1 %v, refusal %v", sawItem1, sawRefused)
	}
	// Invalid JSON: line and column.
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, readDoc(t, "v1.0", v1Invalid), 0o644)
	_, errs, _ = cli(t, "", "convert", "--to", "v1.0", "--report", "json", bad)
	if r := parseRecords(t, errs); len(r) != 1 || r[0].Code != "invalid-json" || r[0].Line != 36 || r[0].Column != 3 || r[0].Severity != "error" {
		t.Errorf("invalid JSON: %+v", r)
	}
}

func TestReportGitHub(t *testing.T) {
	dir := t.TempDir()
	widening := readDoc(t, "beta", betaWidening)
	w := filepath.Join(dir, "w,1.json")
	os.WriteFile(w, widening, 0o644)
	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "--report", "github", w)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	file := strings.ReplaceAll(w, ",", "%2C")
	vc := lineOfKey(widening, "verifiableCredentialSettings", 0)
	for _, want := range []string{
		"::notice file=" + file + ",line=" + itoa(lineOfKey(widening, "accessPackageId", 0)) + ",title=apmigrate moved::accessPackageId -> accessPackage.id: info: moved: ",
		"::warning file=" + file + ",line=" + itoa(vc) + ",title=apmigrate verifiable-credentials-dropped::verifiableCredentialSettings: widening: ",
		"::error file=" + file + ",line=" + itoa(vc) + ",title=apmigrate refused::error: refused: conversion refused",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("no line %q in:\n%s", want, errs)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		if !strings.HasPrefix(l, "::") {
			t.Errorf("not a workflow command: %q", l)
		}
	}
	if got := ghData("50% done\nnext"); got != "50%25 done%0Anext" {
		t.Errorf("ghData: %q", got)
	}
}

func itoa(n int) string { return fmtInt(n) }

func fmtInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestReportFile writes the report to a file: standard error keeps only
// the summary, standard output only the documents.
func TestReportFile(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json")
	b := filepath.Join(dir, "b.json")
	os.WriteFile(a, readDoc(t, "beta", betaSimple), 0o644)
	os.WriteFile(b, readDoc(t, "beta", betaPolicy), 0o644)
	rep := filepath.Join(dir, "report.jsonl")
	out, errs, code := cli(t, "", "convert", "--to", "v1.0", "--report", "json", "--report-file", rep, a, b)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	if out != string(expected(t, readDoc(t, "beta", betaSimple)))+string(expected(t, readDoc(t, "beta", betaPolicy))) {
		t.Error("stdout is not the converted documents")
	}
	if !strings.HasPrefix(errs, "apmigrate: 2 files; 2 policies: 2 converted, 0 already v1.0, 1 with loss findings, 0 failed") || strings.Count(errs, "\n") != 1 {
		t.Errorf("stderr:\n%s", errs)
	}
	data, _ := os.ReadFile(rep)
	recs := parseRecords(t, string(data))
	if len(recs) < 10 || recs[0].File != a || recs[len(recs)-1].File != b {
		t.Errorf("report file: %d records", len(recs))
	}
	// A report file that cannot be created is a usage error.
	if _, _, code := cli(t, "", "convert", "--to", "v1.0", "--report-file", filepath.Join(dir, "no", "such", "dir"), a); code != exitUsage {
		t.Errorf("bad --report-file: exit %d", code)
	}
}

// TestRecordJSONMatchesEncodingJSON: the hand-written JSON of a report
// record is byte for byte what encoding/json (HTML escaping off) writes,
// for strings with every kind of character that needs care.
func TestRecordJSONMatchesEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", `quote " and \ backslash`, "ctl \x00\x01\x1f\b\f\n\r\t", "html <>&", "bad utf8 \xff\xfe end", "sep \u2028\u2029", "é 日本 🙂", "\xed\xa0\x80 surrogate"}
	for i, s := range strs {
		for _, r := range []record{
			{File: s, Item: -1, Path: s, TargetPath: "", Code: "moved", Severity: "info", Message: s, Line: 3},
			{File: "f.json", Part: s, Item: i, Path: "a.b", TargetPath: s, Code: s, Severity: "error", Message: "m", Line: 1, Column: i, OtherPath: s, Expected: s, Found: s},
		} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(&r); err != nil {
				t.Fatal(err)
			}
			if got := r.appendJSON(nil); string(got) != want.String() {
				t.Errorf("record %d:\n got %s\nwant %s", i, got, want.Bytes())
			}
		}
	}
}

func FuzzRecordJSON(f *testing.F) {
	f.Add("a\"b", "\xff", 3)
	f.Fuzz(func(t *testing.T, a, b string, n int) {
		r := record{File: a, Part: b, Item: n, Path: a, TargetPath: b, Code: a, Severity: b, Message: a + b, Line: n, Column: n, Found: b}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(&r)
		if got := r.appendJSON(nil); string(got) != want.String() {
			t.Errorf("\n got %s\nwant %s", got, want.Bytes())
		}
	})
}
