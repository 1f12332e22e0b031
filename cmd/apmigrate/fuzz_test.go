package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addFormSeeds seeds f with an example of every input form.
func addFormSeeds(f *testing.F) {
	for _, n := range []string{"requests.http", "batch.json", "policies.jsonl", "export-utf16le.json", "collection-nextlink.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cli", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzConvert feeds any input to convert: it must end with status 0 or 1,
// never with an internal error, whatever the form.
func FuzzConvert(f *testing.F) {
	addFormSeeds(f)
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

// FuzzInputsInSequence runs one worker through the fuzzed input, a
// documented policy, the input again under an NDJSON name and the policy
// again, each read with the buffers the one before it used: what each
// prints must be what it prints alone.
func FuzzInputsInSequence(f *testing.F) {
	addFormSeeds(f)
	f.Add([]byte("{}\n{\"durationInDays\": 3}\r\n\n[1]"))
	f.Add([]byte("\xff\xfe{\x00}\x00"))
	policy, err := os.ReadFile(docPath("beta", betaPolicy))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		dir := t.TempDir()
		var paths []string
		for i, c := range []struct {
			name string
			text []byte
		}{{"in.json", in}, {"policy.json", policy}, {"in.jsonl", in}, {"policy2.json", policy}} {
			p := filepath.Join(dir, fmt.Sprint(i, c.name))
			if err := os.WriteFile(p, c.text, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		args := []string{"convert", "--to", "v1.0", "-q", "-j", "1"}
		var want bytes.Buffer
		for _, p := range paths {
			var out bytes.Buffer
			run(append(args, p), strings.NewReader(""), &out, io.Discard)
			want.Write(out.Bytes())
		}
		var out bytes.Buffer
		run(append(args, paths...), strings.NewReader(""), &out, io.Discard)
		if !bytes.Equal(out.Bytes(), want.Bytes()) {
			t.Fatalf("the inputs converted one after another print\n%.2000q\nand each alone\n%.2000q", out.Bytes(), want.Bytes())
		}
	})
}
