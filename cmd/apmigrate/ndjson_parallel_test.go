package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apmigrate/apmigrate/convert"
	"github.com/google/go-cmp/cmp"
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
			src, err := openSource(path, path, nil, false, new(readBufs))
			if err != nil {
				t.Fatal(err)
			}
			next := p.ndjsonBatches(src, true)
			line := 1
			for range stopAfter {
				b, err := next(true)
				if err != nil || b == nil || len(b.lines) == 0 {
					t.Fatalf("-j %s: batch: %v, %v", j, b, err)
				}
				for _, l := range b.lines {
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

// TestNDJSONWholeBatches: the output that the workers assemble a batch at
// a time is, line for line, what the library makes of each line (a
// changed line converted with its own line end, an unchanged or blank one
// as it is, one of which nothing converted left out), across batch
// boundaries, on standard output and rewritten in place; and the report
// is the one the line-by-line path (a diff) writes.
func TestNDJSONWholeBatches(t *testing.T) {
	lines := []string{
		"{\"canExtend\":true,\"durationInDays\":30}\n",
		"{\"id\":\"neutral\"}\n",
		"\n",
		"  \t\r\n",
		"{\"canExtend\":false,\"durationInDays\":7}\r\n",
		"{\"durationInDays\":\"seven\"}\n", // invalid: left out
		"{\"canExtend\":tru}\n",            // a syntax error: left out
		"[{\"canExtend\":false},{\"isApprovalRequired\":true}]\n",
	}
	var in bytes.Buffer
	for i := 0; i < 2*batchLines+13; i++ {
		in.WriteString(lines[i%len(lines)])
	}
	in.WriteString(`{"canExtend":true}`) // the last line, without an end
	dir := t.TempDir()
	path := filepath.Join(dir, "p.ndjson")
	if err := os.WriteFile(path, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseFlags(cmdConvert, []string{"--to", "v1.0", "--allow-widening", path})
	if err != nil {
		t.Fatal(err)
	}
	// What each line becomes, by the library.
	var want, wantOK bytes.Buffer // wantOK: the lines that convert, for -w
	for l := range strings.Lines(in.String()) {
		body, eol := splitEOL([]byte(l))
		if len(bytes.TrimSpace(body)) == 0 {
			want.WriteString(l)
			wantOK.WriteString(l)
			continue
		}
		res, err := convert.ConvertDocument(body, cfg.options())
		switch {
		case err != nil || res.Output == nil:
		case res.Changed:
			want.Write(res.Output)
			want.Write(eol)
		default:
			want.WriteString(l)
		}
		if err == nil && res.Failed() == 0 {
			wantOK.WriteString(l) // the file for -w: only lines that convert
		}
	}
	for _, j := range []string{"1", "2", "3"} {
		var out, rep bytes.Buffer
		run([]string{"convert", "--to", "v1.0", "--allow-widening", "-j", j, "--report", "json", path}, strings.NewReader(""), &out, &rep)
		if d := cmp.Diff(want.String(), out.String()); d != "" {
			t.Errorf("-j %s: output differs from the library's, line by line (-want +got):\n%s", j, d)
		}
		var diffOut, diffRep bytes.Buffer
		run([]string{"convert", "--to", "v1.0", "--allow-widening", "-j", j, "-d", "--report", "json", path}, strings.NewReader(""), &diffOut, &diffRep)
		if d := cmp.Diff(diffRep.String(), rep.String()); d != "" {
			t.Errorf("-j %s: report differs from the line-by-line path's (-diff +whole):\n%s", j, d)
		}
		// Every record names the line it is about: errors the invalid ones.
		errs := 0
		for rec := range strings.Lines(rep.String()) {
			var r struct{ Part, Severity string }
			if err := json.Unmarshal([]byte(rec), &r); err != nil || r.Part == "" {
				continue // (the summary)
			}
			var n int
			if _, err := fmt.Sscanf(r.Part, "line %d", &n); err != nil || n < 1 {
				t.Fatalf("-j %s: record of part %q", j, r.Part)
			}
			l := lines[(n-1)%len(lines)]
			if strings.TrimSpace(l) == "" {
				t.Errorf("-j %s: a record for line %d, which is blank", j, n)
			}
			if r.Severity == "error" {
				errs++
				if !strings.Contains(l, "seven") && !strings.Contains(l, "tru}") {
					t.Errorf("-j %s: an error for line %d, which is valid: %s", j, n, l)
				}
			}
		}
		if errs == 0 {
			t.Errorf("-j %s: no error records in the report:\n%.400s", j, rep.String())
		}
	}
	// In place: a file whose lines all convert is rewritten as the library
	// converts it.
	okPath := filepath.Join(dir, "ok.ndjson")
	for _, j := range []string{"1", "2"} {
		if err := os.WriteFile(okPath, wantOK.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, rep bytes.Buffer
		if code := run([]string{"convert", "--to", "v1.0", "--allow-widening", "-w", "-j", j, okPath}, strings.NewReader(""), &out, &rep); code != 0 {
			t.Fatalf("-w -j %s: exit %d: %s", j, code, rep.String())
		}
		got, err := os.ReadFile(okPath)
		if err != nil {
			t.Fatal(err)
		}
		var wantW bytes.Buffer
		for l := range strings.Lines(wantOK.String()) {
			body, eol := splitEOL([]byte(l))
			if len(bytes.TrimSpace(body)) == 0 {
				wantW.WriteString(l)
				continue
			}
			res, _ := convert.ConvertDocument(body, cfg.options())
			if res.Changed {
				wantW.Write(res.Output)
				wantW.Write(eol)
			} else {
				wantW.WriteString(l)
			}
		}
		if d := cmp.Diff(wantW.String(), string(got)); d != "" {
			t.Errorf("-w -j %s: rewritten file differs (-want +got):\n%s", j, d)
		}
	}
}

// TestNDJSONLongLineBatches: a batch whose buffers are too large to keep
// (a line of megabytes) is replaced, not lost, so the reader, which makes
// a bounded number of batches and then waits for written ones, always
// gets one back: the file converts whole with any -j.
func TestNDJSONLongLineBatches(t *testing.T) {
	var in bytes.Buffer
	line := func(i int) { fmt.Fprintf(&in, "{\"canExtend\":true,\"durationInDays\":%d}\n", i%300+1) }
	long := 0
	for i := 0; i < 20*batchLines; i++ {
		line(i)
		if i%(batchLines+batchLines/2) == batchLines/2 {
			// Larger than a batch's buffers may stay (4 * batchBytes), and
			// more of them than batches are made (2*jobs + 4 at -j 3).
			fmt.Fprintf(&in, "{\"canExtend\":false,\"description\":%q}\n", strings.Repeat("x", 4*batchBytes+1000))
			long++
		}
	}
	if long <= 2*3+4 {
		t.Fatalf("%d long lines: fewer than batches are made", long)
	}
	path := filepath.Join(t.TempDir(), "long.ndjson")
	if err := os.WriteFile(path, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var want string
	for _, j := range []string{"1", "2", "3"} {
		done := make(chan struct{})
		var out, rep bytes.Buffer
		code := -1
		go func() {
			defer close(done)
			code = run([]string{"convert", "--to", "v1.0", "--allow-widening", "-j", j, path}, strings.NewReader(""), &out, &rep)
		}()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Fatalf("-j %s: the conversion did not finish", j)
		}
		if code != 0 {
			t.Fatalf("-j %s: exit %d: %.300s", j, code, rep.String())
		}
		if n := strings.Count(out.String(), "\n"); n != 20*batchLines+long {
			t.Errorf("-j %s: %d output lines, want %d", j, n, 20*batchLines+long)
		}
		if want == "" {
			want = out.String()
		} else if out.String() != want {
			t.Errorf("-j %s: output differs from -j 1's", j)
		}
	}
}

// TestNDJSONWorkerPanic: a panic while a worker converts a line is the
// input's internal error, as with one worker (where the input's recovery
// catches it), not the end of the program; the lines before it are
// written either way, and no worker is left behind.
func TestNDJSONWorkerPanic(t *testing.T) {
	var in bytes.Buffer
	for i := 0; i < 5*batchLines; i++ {
		id := fmt.Sprintf("p%d", i)
		if i == 3*batchLines+5 {
			id = "boom"
		}
		fmt.Fprintf(&in, `{"id":%q,"canExtend":true}`+"\n", id)
	}
	path := filepath.Join(t.TempDir(), "p.ndjson")
	if err := os.WriteFile(path, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	testHookLine = func(line []byte) {
		if bytes.Contains(line, []byte(`"boom"`)) {
			panic("boom")
		}
	}
	defer func() { testHookLine = nil }()
	before := runtime.NumGoroutine()
	out1, rep1, code1 := cli(t, "", "convert", "--to", "v1.0", "-j", "1", path)
	for _, j := range []string{"2", "3"} {
		out, rep, code := cli(t, "", "convert", "--to", "v1.0", "-j", j, path)
		if code != code1 || out != out1 || rep != rep1 {
			t.Errorf("-j %s: exit %d, %d output lines, report:\n%s\n-j 1: exit %d, %d output lines, report:\n%s",
				j, code, strings.Count(out, "\n"), rep, code1, strings.Count(out1, "\n"), rep1)
		}
	}
	if code1 != 1 || !strings.Contains(rep1, "internal-error: internal error (please report it): boom") {
		t.Errorf("exit %d:\n%s", code1, rep1)
	}
	after := runtime.NumGoroutine()
	for i := 0; i < 100 && after > before; i++ {
		time.Sleep(10 * time.Millisecond)
		after = runtime.NumGoroutine()
	}
	if after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
}
