package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNDJSONParallelLines: the lines of one NDJSON file are converted on
// -j workers in batches, and the output, the report and the status are the
// same as with one worker, line for line, across batch boundaries.
func TestNDJSONParallelLines(t *testing.T) {
	var in bytes.Buffer
	policies := []string{
		`{"canExtend":true,"durationInDays":30}`,
		`{"allowedTargetScope":"allMemberUsers"}`,
		`{"verifiableCredentialSettings":{"credentialTypes":[{"credentialType":"x"}]},"canExtend":true}`, // refused: widening
		``,
		`{"id":"neutral"}`,
		`{"durationInDays":"seven"}`, // invalid value
	}
	for i := 0; i < 3*batchLines+7; i++ {
		in.WriteString(policies[i%len(policies)])
		in.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "p.ndjson")
	if err := os.WriteFile(path, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	runJ := func(j string) (string, string, int) {
		var out, errb bytes.Buffer
		code := run([]string{"convert", "--to", "v1.0", "-j", j, "--report", "json", path}, strings.NewReader(""), &out, &errb)
		return out.String(), errb.String(), code
	}
	out1, rep1, code1 := runJ("1")
	out2, rep2, code2 := runJ("2")
	if code1 != 1 || code2 != 1 {
		t.Errorf("exit %d and %d, want 1 (some lines fail)", code1, code2)
	}
	if out1 != out2 {
		t.Errorf("output differs between -j 1 and -j 2")
	}
	if rep1 != rep2 {
		t.Errorf("report differs between -j 1 and -j 2")
	}
	if n := strings.Count(out1, "\n"); n < 2*batchLines {
		t.Errorf("only %d output lines", n)
	}
}
