package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apmigrate/apmigrate/convert"
)

// TestLibraryOptionFlags checks that each flag reaches the library: the
// output is the library's with the option set, and not without it.
func TestLibraryOptionFlags(t *testing.T) {
	dir := t.TempDir()
	idMap := filepath.Join(dir, "ids.json")
	os.WriteFile(idMap, []byte(`{"219f57b6-7983-45a1-be01-2c228b7a43f8": "0e8a6c34-new"}`), 0o644)
	policy := readDoc(t, "beta", betaPolicy)
	stashed := libConvert(t, policy, func(o *convert.Options) { o.Stash = true })
	stashedFile := filepath.Join(dir, "stashed.json")
	os.WriteFile(stashedFile, stashed, 0o644)
	tests := []struct {
		name string
		args []string
		file string
		in   []byte
		opt  func(*convert.Options)
	}{
		{"stash", []string{"--stash"}, docPath("beta", betaPolicy), policy, func(o *convert.Options) { o.Stash = true }},
		{"strip-stash", []string{"--strip-stash"}, stashedFile, stashed, func(o *convert.Options) { o.StripStash = true }},
		{"for create", []string{"--for", "create"}, docPath("beta", "graphdocs-accesspackageassignmentpolicy-get-01-response.json"),
			readDoc(t, "beta", "graphdocs-accesspackageassignmentpolicy-get-01-response.json"), func(o *convert.Options) { o.ForCreate = true }},
		{"extension map", []string{"--extension-map", idMap}, docPath("beta", "contrib-entitlementmanagement-post-accesspackageassignmentpolicies-01-request.json"),
			readDoc(t, "beta", "contrib-entitlementmanagement-post-accesspackageassignmentpolicies-01-request.json"),
			func(o *convert.Options) {
				o.ExtensionIDs = map[string]string{"219f57b6-7983-45a1-be01-2c228b7a43f8": "0e8a6c34-new"}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := cli(t, "", append(append([]string{"convert", "--to", "v1.0"}, tt.args...), tt.file)...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, errs)
			}
			with, without := libConvert(t, tt.in, tt.opt), libConvert(t, tt.in)
			if string(with) == string(without) {
				t.Fatal("the option changes nothing in this document; choose another")
			}
			if out != string(with) {
				t.Errorf("output is not the library's with the option:\n%s", cmp.Diff(string(with), out))
			}
		})
	}

	// A stashed conversion comes back as the original (as JSON values).
	back, errs, code := cli(t, "", "convert", "--to", "beta", stashedFile)
	if code != 0 {
		t.Fatalf("converting the stash back: exit %d:\n%s", code, errs)
	}
	var a, b any
	json.Unmarshal(policy, &a)
	json.Unmarshal([]byte(back), &b)
	if !cmp.Equal(a, b) {
		t.Errorf("the stashed round trip lost something:\n%s", cmp.Diff(a, b))
	}
	if _, _, code := cli(t, "", "convert", "--to", "v1.0", "--stash", "--strip-stash", stashedFile); code != exitUsage {
		t.Errorf("--stash with --strip-stash: exit %d, want 2", code)
	}
	if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "--for", "delete", stashedFile); code != exitUsage || !strings.Contains(errs, "--for must be create or update") {
		t.Errorf("--for delete: exit %d:\n%s", code, errs)
	}
}

// TestExtensionMapErrors: a bad map is a usage error that says what is
// wrong with it, and nothing is converted.
func TestExtensionMapErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"missing", "", "cannot read"},
		{"invalid JSON", "{\n  \"a\": \"b\",\n  \"c\" \"d\"\n}", "invalid JSON at line 3, column 7"},
		{"array", `["a", "b"]`, "found an array, not an object"},
		{"number value", `{"a": 1}`, `the new id of "a" is a number, not a string`},
		{"empty value", `{"a": ""}`, `the new id of "a" is empty`},
		{"empty key", `{"": "b"}`, "an empty old id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".json")
			if tt.content != "" {
				os.WriteFile(p, []byte(tt.content), 0o644)
			}
			out, errs, code := cli(t, string(readDoc(t, "beta", betaSimple)), "convert", "--to", "v1.0", "--extension-map", p)
			if code != exitUsage || out != "" {
				t.Errorf("exit %d, stdout %q", code, out)
			}
			if !strings.Contains(errs, "--extension-map "+p+": "+tt.want) && !strings.Contains(errs, "--extension-map: cannot read "+p) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, errs)
			}
		})
	}
}

// TestJobsDefault: without -j, each command runs as many workers as the
// process may use CPUs (GOMAXPROCS, which follows a container's CPU
// limit), not as many as the host has; -j still wins.
func TestJobsDefault(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	for _, procs := range []int{1, 3, runtime.NumCPU() + 5} {
		runtime.GOMAXPROCS(procs)
		for _, c := range []struct {
			cmd  command
			args []string
		}{
			{cmdConvert, []string{"--to", "v1.0", "x.json"}},
			{cmdDetect, []string{"x.json"}},
		} {
			cfg, err := parseFlags(c.cmd, c.args)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.jobs != procs {
				t.Errorf("%s with GOMAXPROCS %d: -j defaults to %d, want %d", commandNames[c.cmd], procs, cfg.jobs, procs)
			}
		}
		cfg, err := parseFlags(cmdConvert, []string{"--to", "v1.0", "-j", "7", "x.json"})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.jobs != 7 {
			t.Errorf("-j 7 with GOMAXPROCS %d: jobs %d", procs, cfg.jobs)
		}
	}
}
