package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		`{"canExtend":tru}`,          // a syntax error: its offset and line are the file's
		"\t{\"questions\":[{\"text\":{\"defaultText\":\"q\"}}]}\r", // CRLF, indented
		`[{"canExtend":false},{"isApprovalRequired":true}]`,        // a list on one line
	}
	for i := 0; i < 3*batchLines+7; i++ {
		in.WriteString(policies[i%len(policies)])
		in.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "p.ndjson")
	if err := os.WriteFile(path, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "text", "github"} {
		runJ := func(j string) (string, string, int) {
			var out, errb bytes.Buffer
			code := run([]string{"convert", "--to", "v1.0", "-j", j, "--report", format, path}, strings.NewReader(""), &out, &errb)
			return out.String(), errb.String(), code
		}
		out1, rep1, code1 := runJ("1")
		for _, j := range []string{"2", "3", "8"} {
			out2, rep2, code2 := runJ(j)
			if code1 != 1 || code2 != 1 {
				t.Errorf("%s: exit %d and %d, want 1 (some lines fail)", format, code1, code2)
			}
			if out1 != out2 {
				t.Errorf("%s: output differs between -j 1 and -j %s", format, j)
			}
			if rep1 != rep2 {
				t.Errorf("%s: report differs between -j 1 and -j %s", format, j)
			}
		}
		if n := strings.Count(out1, "\n"); n < 2*batchLines {
			t.Errorf("only %d output lines", n)
		}
		if !strings.Contains(rep1, "line 7") || !strings.Contains(rep1, "invalid-json") && !strings.Contains(rep1, "syntax") {
			t.Errorf("%s: no syntax error reported for line 7:\n%.600s", format, rep1)
		}
	}
}

// TestNDJSONBatchesStop: a caller that stops after a few batches (as a
// panic while writing does, through the deferred next(false)) gets every
// worker back, whether they were reading, queueing or converting, and
// the batches that came out were whole and in order.
func TestNDJSONBatchesStop(t *testing.T) {
	var in bytes.Buffer
	for i := 0; i < 40*batchLines; i++ {
		fmt.Fprintf(&in, "{\"canExtend\":true,\"durationInDays\":%d}\n", i%300+1)
	}
	path := filepath.Join(t.TempDir(), "p.ndjson")
	if err := os.WriteFile(path, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, j := range []string{"2", "3", "8"} {
		for stopAfter := 0; stopAfter < 4; stopAfter++ {
			cfg, err := parseFlags(cmdConvert, []string{"--to", "v1.0", "-j", j, path})
			if err != nil {
				t.Fatal(err)
			}
			p := &proc{cfg: cfg, file: path}
			src, err := openSource(path, path, nil, false)
			if err != nil {
				t.Fatal(err)
			}
			next := p.ndjsonBatches(src)
			line := 1
			for range stopAfter {
				lines, err := next(true)
				if err != nil || len(lines) == 0 {
					t.Fatalf("-j %s: batch: %d lines, %v", j, len(lines), err)
				}
				for _, l := range lines {
					if l.n != line || !l.done {
						t.Fatalf("-j %s: line %d (done %v), want line %d converted", j, l.n, l.done, line)
					}
					line++
				}
			}
			stopped := make(chan struct{})
			go func() {
				next(false)
				close(stopped)
			}()
			select {
			case <-stopped:
			case <-time.After(10 * time.Second):
				t.Fatalf("-j %s: next(false) after %d batches did not return", j, stopAfter)
			}
			src.close()
		}
	}
}
