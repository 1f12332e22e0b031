//go:build unix

package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildBinary builds the command once for the tests that need a real
// process.
func buildBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "apmigrate-test-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "apmigrate")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("building the binary: %v", binErr)
	}
	return binPath
}

// exitCode runs a command and returns its exit status.
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// TestBinary runs the built command as a user would: the README's
// example, standard input through a pipe, and the exit statuses.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, "convert", "--to", "v1.0", docPath("beta", betaPolicy))
	cmd.Stdout, cmd.Stderr = &out, &errb
	if code := exitCode(t, cmd); code != 0 || !bytes.Equal(out.Bytes(), expected(t, readDoc(t, "beta", betaPolicy))) {
		t.Errorf("README example: exit %d\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "loss: scope-collapsed") {
		t.Errorf("no findings on stderr:\n%s", errb.String())
	}
	out.Reset()
	cmd = exec.Command(bin, "convert", "--to", "v1.0")
	cmd.Stdin = bytes.NewReader(readDoc(t, "beta", betaSimple))
	cmd.Stdout = &out
	if code := exitCode(t, cmd); code != 0 || !bytes.Equal(out.Bytes(), expected(t, readDoc(t, "beta", betaSimple))) {
		t.Errorf("stdin: exit %d", code)
	}
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"convert", "--to", "v1.0", docPath("v1.0", v1Policy)}, 0},
		{[]string{"convert", "--to", "v1.0", docPath("beta", betaWidening)}, 1},
		{[]string{"convert", "--to", "v1.0", "--strict", "--allow-widening", "x"}, 2},
		{[]string{"convert", "--to", "v1.0", "--check", docPath("beta", betaSimple)}, 3},
		{[]string{"--help"}, 0},
	} {
		if code := exitCode(t, exec.Command(bin, tt.args...)); code != tt.code {
			t.Errorf("%v: exit %d, want %d", tt.args, code, tt.code)
		}
	}
}

// TestCrashConsistency kills rewrites of a tree at random moments and
// checks that every file is either entirely old or entirely new, and that
// running again finishes the job.
func TestCrashConsistency(t *testing.T) {
	bin := buildBinary(t)
	seed := time.Now().UnixNano()
	if s := os.Getenv("APMIGRATE_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("seed %d (APMIGRATE_CRASH_SEED=%d repeats this run)", seed, seed)
	r := rand.New(rand.NewSource(seed))

	root := t.TempDir()
	files := exportTree(t, root, 200)
	want := map[string][]byte{}
	changing := 0
	for p, orig := range files {
		want[p] = expected(t, orig)
		if !bytes.Equal(want[p], orig) {
			changing++
		}
	}
	rewrite := func() *exec.Cmd {
		return exec.Command(bin, "convert", "--to", "v1.0", "-w", "-q", "-j", "2", root)
	}
	reset := func() {
		for p, orig := range files {
			if err := os.WriteFile(p, orig, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// How long a whole run takes here, to kill within it.
	begin := time.Now()
	if code := exitCode(t, rewrite()); code != 0 {
		t.Fatalf("a full run: exit %d", code)
	}
	full := time.Since(begin)

	check := func(what string) (fresh int) {
		t.Helper()
		for p, orig := range files {
			got, err := os.ReadFile(p)
			switch {
			case err != nil:
				t.Fatalf("%s: %s: %v", what, p, err)
			case bytes.Equal(got, want[p]):
				if !bytes.Equal(got, orig) {
					fresh++
				}
			case !bytes.Equal(got, orig):
				t.Fatalf("%s: %s is neither the original nor its conversion (%d bytes)", what, p, len(got))
			}
		}
		return fresh
	}
	for i := range 6 {
		reset()
		cmd := rewrite()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(r.Int63n(int64(full) + 1))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		fresh := check("after a kill")
		t.Logf("iteration %d: killed after %v of ~%v: %d of %d files rewritten", i, delay.Round(time.Millisecond), full.Round(time.Millisecond), fresh, changing)
	}
	// An interrupt (Ctrl-C) leaves the same guarantee, and no temporary
	// files: a worker commits its rewrites in groups, so dozens can exist.
	temps := func() (n int) {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(d.Name(), ".tmp") {
				n++
			}
			return nil
		})
		return n
	}
	for i := range 4 {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(d.Name(), ".tmp") {
				os.Remove(p) // what the kills left
			}
			return nil
		})
		reset()
		cmd := rewrite()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Within the middle of a run, where rewrites are in flight.
		delay := full/5 + time.Duration(r.Int63n(int64(full*3/5)+1))
		time.Sleep(delay)
		cmd.Process.Signal(os.Interrupt)
		err := cmd.Wait()
		fresh := check("after an interrupt")
		if n := temps(); n > 0 {
			t.Errorf("interrupt %d: %d temporary files left", i, n)
		}
		var ee *exec.ExitError
		if err != nil && (!errors.As(err, &ee) || ee.ExitCode() != 130) {
			t.Errorf("interrupt %d: %v, want exit status 130 (or a run that ended first)", i, err)
		}
		t.Logf("interrupt %d after %v: %d of %d files rewritten, %d temps", i, delay.Round(time.Millisecond), fresh, changing, temps())
	}
	// Running again finishes the job.
	if code := exitCode(t, rewrite()); code != 0 {
		t.Fatalf("the run after the kills: exit %d", code)
	}
	if fresh := check("after the last run"); fresh != changing {
		t.Fatalf("%d of %d files converted after the last run", fresh, changing)
	}
	if code := exitCode(t, exec.Command(bin, "convert", "--to", "v1.0", "--check", "-q", root)); code != 0 {
		t.Errorf("--check after the last run: exit %d", code)
	}
	// What a kill can leave behind is hidden temporary files, which walks
	// skip.
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && files[p] == nil && !(strings.HasPrefix(d.Name(), ".") && strings.HasSuffix(d.Name(), ".tmp")) {
			t.Errorf("unexpected file after the kills: %s", p)
		}
		return nil
	})
}

// BenchmarkOnePolicyCommand runs the command on one small policy file, as
// a tool that shells out for each policy does: the process's start-up
// (the converter's tables, 0.3 ms; parsing the schema files there was
// 3 ms of 6.5) is most of its time.
func BenchmarkOnePolicyCommand(b *testing.B) {
	bin := buildBinary(b)
	file := docPath("beta", "graphdocs-accesspackageassignmentpolicy-get-05-response.json")
	for b.Loop() {
		cmd := exec.Command(bin, "convert", "--to", "v1.0", "--allow-widening", "-q", file)
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
