package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apmigrate/apmigrate/convert"
	"github.com/apmigrate/apmigrate/model"
)

// convertible returns the documented examples that convert to v1.0 with
// the default options (beta ones that change, v1.0 ones that do not).
func convertible(t testing.TB) [][]byte {
	t.Helper()
	var docs [][]byte
	for _, v := range []string{"beta", "v1.0"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "docs", v, "*.json"))
		sort.Strings(files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res, err := convert.ConvertDocument(b, convert.Options{To: model.V1})
			if err == nil && res.Failed() == 0 {
				docs = append(docs, b)
			}
		}
	}
	if len(docs) < 40 {
		t.Fatalf("only %d convertible examples", len(docs))
	}
	return docs
}

// expected is the library's conversion of doc to v1.0 (doc itself when it
// needs none).
func expected(t testing.TB, doc []byte) []byte {
	res, err := convert.ConvertDocument(doc, convert.Options{To: model.V1})
	if err != nil || res.Failed() > 0 {
		t.Fatalf("not convertible: %v", err)
	}
	return res.Output
}

// exportTree writes n policies in the layout of an export tool
// (AccessPackages/<pkg>/AssignmentPolicies/<id>/<id>.json) under root and
// returns the files with their content.
func exportTree(t testing.TB, root string, n int) map[string][]byte {
	t.Helper()
	docs := convertible(t)
	files := map[string][]byte{}
	for i := range n {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", uint64(i)*2654435761%(1<<32), i)
		dir := filepath.Join(root, "AccessPackages", fmt.Sprintf("pkg-%02d", i%17), "AssignmentPolicies", id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, id+".json")
		doc := docs[i%len(docs)]
		if err := os.WriteFile(p, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		files[p] = doc
	}
	return files
}

// TestTreeRewrite rewrites an exported tree of a few hundred files in
// place and checks every file against the library's conversion.
func TestTreeRewrite(t *testing.T) {
	root := t.TempDir()
	files := exportTree(t, root, 300)
	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "-j", "4", root)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	if !strings.Contains(errs, "apmigrate: 300 files; 300 policies: ") {
		t.Errorf("no summary:\n%s", lastLine(errs))
	}
	for p, orig := range files {
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, expected(t, orig)) {
			t.Errorf("%s is not the library's conversion", p)
		}
	}
	assertNoTempFiles(t, root)
	if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "--check", root); code != 0 {
		t.Errorf("--check after -w: exit %d\n%s", code, lastLine(errs))
	}
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// assertNoTempFiles fails when apmigrate left a temporary file under root.
func assertNoTempFiles(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".apmigrate-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

// TestModes covers -l, -d, --check and -w on the same inputs.
func TestModes(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json")
	b := filepath.Join(dir, "b.json")
	c := filepath.Join(dir, "c.jsonl")
	aIn, bIn := readDoc(t, "beta", betaSimple), readDoc(t, "v1.0", v1Policy)
	cIn := append(append(compact(t, bIn), '\n'), append(compact(t, aIn), '\n')...)
	os.WriteFile(a, aIn, 0o644)
	os.WriteFile(b, bIn, 0o644)
	os.WriteFile(c, cIn, 0o644)

	out, _, code := cli(t, "", "convert", "--to", "v1.0", "-l", a, b, c)
	if code != 0 || out != a+"\n"+c+"\n" {
		t.Errorf("-l: exit %d, output %q", code, out)
	}
	out, _, code = cli(t, "", "convert", "--to", "v1.0", "-d", a, b, c)
	if code != 0 {
		t.Fatalf("-d: exit %d", code)
	}
	// The diff applies to the originals and gives the conversions.
	patched := applyPatch(t, out, map[string][]byte{a: aIn, b: bIn, c: cIn})
	if !bytes.Equal(patched[a], expected(t, aIn)) {
		t.Errorf("-d: the diff of a.json does not give the conversion")
	}
	wantC := append(append(compact(t, bIn), '\n'), append(expected(t, compact(t, aIn)), '\n')...)
	if !bytes.Equal(patched[c], wantC) {
		t.Errorf("-d: the diff of c.jsonl does not give the conversion:\n%s", out)
	}
	if !strings.HasPrefix(out, "--- "+a+".orig\n+++ "+a+"\n@@ -1,") || strings.Contains(out, b) {
		t.Errorf("-d: unexpected headers:\n%s", out)
	}
	if _, _, code := cli(t, "", "convert", "--to", "v1.0", "--check", a, b); code != exitChanged {
		t.Errorf("--check: exit %d, want 3", code)
	}
	if out, _, code := cli(t, "", "convert", "--to", "v1.0", "--check", "-l", a, b); code != exitChanged || out != a+"\n" {
		t.Errorf("--check -l: exit %d, output %q", code, out)
	}
	// Nothing was written so far.
	for p, want := range map[string][]byte{a: aIn, b: bIn, c: cIn} {
		if got, _ := os.ReadFile(p); !bytes.Equal(got, want) {
			t.Fatalf("%s changed without -w", p)
		}
	}
	out, _, code = cli(t, "", "convert", "--to", "v1.0", "-w", "-l", a, b, c)
	if code != 0 || out != a+"\n"+c+"\n" {
		t.Errorf("-w -l: exit %d, output %q", code, out)
	}
	if got, _ := os.ReadFile(c); !bytes.Equal(got, wantC) {
		t.Errorf("-w: c.jsonl is not converted")
	}
	if _, _, code := cli(t, "", "convert", "--to", "v1.0", "--check", a, b, c); code != 0 {
		t.Errorf("--check after -w: exit %d", code)
	}
}

// TestFailedFilesUntouched: a file with any failure is not rewritten, the
// others are.
func TestFailedFilesUntouched(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	list := filepath.Join(dir, "list.json")
	nd := filepath.Join(dir, "nd.jsonl")
	goodIn := readDoc(t, "beta", betaSimple)
	listIn := []byte("[" + string(goodIn) + ",\n" + string(readDoc(t, "beta", betaWidening)) + "]")
	ndIn := []byte(string(compact(t, goodIn)) + "\n{\"durationInDays\": \"x\"}\n" + string(compact(t, goodIn)) + "\n")
	os.WriteFile(good, goodIn, 0o644)
	os.WriteFile(list, listIn, 0o644)
	os.WriteFile(nd, ndIn, 0o644)
	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", good, list, nd)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"list.json: item 1: error: refused", "nd.jsonl: line 2: durationInDays: error: invalid-value", "apmigrate: 3 files (2 failed)"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errs)
		}
	}
	if got, _ := os.ReadFile(good); !bytes.Equal(got, expected(t, goodIn)) {
		t.Error("the good file was not converted")
	}
	for p, in := range map[string][]byte{list: listIn, nd: ndIn} {
		if got, _ := os.ReadFile(p); !bytes.Equal(got, in) {
			t.Errorf("%s was rewritten although an item failed", p)
		}
	}
	assertNoTempFiles(t, dir)
	// Standard output has what converted, as the library does.
	out, _, _ := cli(t, "", "convert", "--to", "v1.0", nd)
	if out != string(expected(t, compact(t, goodIn)))+"\n"+string(expected(t, compact(t, goodIn)))+"\n" {
		t.Errorf("stdout of a partly failing NDJSON file:\n%s", out)
	}
}

func TestSymlinks(t *testing.T) {
	root := t.TempDir()
	tree := filepath.Join(root, "tree")
	outside := filepath.Join(root, "outside")
	os.MkdirAll(tree, 0o755)
	os.MkdirAll(outside, 0o755)
	doc := readDoc(t, "beta", betaSimple)
	target := filepath.Join(outside, "target.json")
	os.WriteFile(target, doc, 0o640)
	hidden := filepath.Join(outside, "walked-only-through-a-link.json")
	os.WriteFile(hidden, doc, 0o644)
	link := filepath.Join(tree, "link.json")
	os.Symlink("../outside/target.json", link)
	os.Symlink("../outside", filepath.Join(tree, "dirlink"))
	os.Symlink("missing.json", filepath.Join(tree, "broken.json"))

	out, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "-l", tree)
	if code != 1 || !strings.Contains(errs, "broken.json: error: read-failed") {
		t.Errorf("exit %d (the broken link is an error):\n%s", code, errs)
	}
	if out != link+"\n" {
		t.Errorf("files rewritten: %q; the symlinked directory must not be walked", out)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v", err)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, expected(t, doc)) {
		t.Error("the link's target was not rewritten")
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("the target's mode is %v, want 0640", fi.Mode().Perm())
	}
	if got, _ := os.ReadFile(hidden); !bytes.Equal(got, doc) {
		t.Error("a file under a symlinked directory was rewritten")
	}
	assertNoTempFiles(t, root)
}

func TestHardLinks(t *testing.T) {
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	p := filepath.Join(dir, "p.json")
	other := filepath.Join(dir, "other-name.data")
	os.WriteFile(p, doc, 0o644)
	if err := os.Link(p, other); err != nil {
		t.Skip("no hard links here:", err)
	}
	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", p)
	if code != 1 || !strings.Contains(errs, "p.json: error: hard-link: has 2 hard links") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, doc) {
		t.Error("a file with hard links was rewritten without --force")
	}
	if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "--force", p); code != 0 {
		t.Fatalf("--force: exit %d:\n%s", code, errs)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, expected(t, doc)) {
		t.Error("--force did not rewrite the file")
	}
	if got, _ := os.ReadFile(other); !bytes.Equal(got, doc) {
		t.Error("--force changed the other link (it keeps the original)")
	}
	assertNoTempFiles(t, dir)
}

func TestReadOnly(t *testing.T) {
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	ro := filepath.Join(dir, "ro.json")
	os.WriteFile(ro, doc, 0o444)
	roDir := filepath.Join(dir, "rodir")
	os.Mkdir(roDir, 0o755)
	inRO := filepath.Join(roDir, "p.json")
	os.WriteFile(inRO, doc, 0o644)
	os.Chmod(roDir, 0o555)
	t.Cleanup(func() { os.Chmod(roDir, 0o755) })
	done := filepath.Join(dir, "done.json")
	os.WriteFile(done, readDoc(t, "v1.0", v1Policy), 0o444) // read-only but already converted: fine

	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", ro, inRO, done)
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{"ro.json: error: read-only: is read-only; not rewritten", "rodir/p.json: error: read-only: directory " + roDir + " is read-only"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "done.json") {
		t.Errorf("an unchanged read-only file is an error:\n%s", errs)
	}
	for _, p := range []string{ro, inRO} {
		if got, _ := os.ReadFile(p); !bytes.Equal(got, doc) {
			t.Errorf("%s was rewritten", p)
		}
	}
	if fi, _ := os.Stat(ro); fi.Mode().Perm() != 0o444 {
		t.Errorf("mode changed: %v", fi.Mode())
	}
	assertNoTempFiles(t, dir)
}

// TestChangedDuringRun changes a file between its read and its rewrite:
// the change is kept and reported.
func TestChangedDuringRun(t *testing.T) {
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	edited := append(bytes.Clone(doc), "\n"...)
	for _, name := range []string{"p.json", "p.jsonl"} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			in := doc
			if name == "p.jsonl" {
				in = append(compact(t, doc), '\n')
			}
			os.WriteFile(p, in, 0o644)
			testHookBeforeCommit = func(target string) {
				if target == p {
					os.WriteFile(p, edited, 0o644) // same size would not do: content is checked too
				}
			}
			defer func() { testHookBeforeCommit = nil }()
			_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", p)
			if code != 1 || !strings.Contains(errs, name+": error: changed: changed while it was being converted; not overwritten") {
				t.Errorf("exit %d:\n%s", code, errs)
			}
			if got, _ := os.ReadFile(p); !bytes.Equal(got, edited) {
				t.Error("the concurrent change was overwritten")
			}
			assertNoTempFiles(t, dir)
		})
	}
	// Same size, same modification time: the content still tells.
	p := filepath.Join(dir, "same.json")
	os.WriteFile(p, doc, 0o644)
	fi, _ := os.Stat(p)
	testHookBeforeCommit = func(string) {
		os.WriteFile(p, bytes.ToUpper(doc), 0o644)
		os.Chtimes(p, fi.ModTime(), fi.ModTime())
	}
	defer func() { testHookBeforeCommit = nil }()
	if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", p); code != 1 || !strings.Contains(errs, "changed") {
		t.Errorf("same size and time: exit %d:\n%s", code, errs)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, bytes.ToUpper(doc)) {
		t.Error("the concurrent change was overwritten")
	}
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	p := filepath.Join(dir, "p.json")
	os.WriteFile(p, doc, 0o600)
	os.WriteFile(p+".bak", []byte("an older backup"), 0o644)
	if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "--backup", ".bak", p); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	if got, _ := os.ReadFile(p + ".bak"); !bytes.Equal(got, doc) {
		t.Error("the backup is not the original")
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, expected(t, doc)) {
		t.Error("the file is not converted")
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	// Nothing to convert: the backup stays.
	if _, _, code := cli(t, "", "convert", "--to", "v1.0", "-w", "--backup", ".bak", p); code != 0 {
		t.Fatal("second run failed")
	}
	if got, _ := os.ReadFile(p + ".bak"); !bytes.Equal(got, doc) {
		t.Error("a run with nothing to do replaced the backup")
	}
	// The backup does not leave the file with a second link.
	if fi, _ := os.Stat(p); linkCount(fi) != 1 {
		t.Errorf("the file has %d links", linkCount(fi))
	}
	assertNoTempFiles(t, dir)
}

func TestIncludeExclude(t *testing.T) {
	root := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	for _, f := range []string{
		"AccessPackages/a/AssignmentPolicies/1/1.json",
		"AccessPackages/a/AssignmentPolicies/2/2.jsonl",
		"AccessPackages/a/AccessPackage.json",
		"AccessPackages/b/AssignmentPolicies/3/3.json",
		"AccessPackages/b/AssignmentPolicies/3/notes.txt",
		"skip/x.json",
		"top.json",
		"top.http",
		".hidden/h.json",
		"AccessPackages/.h.json",
	} {
		p := filepath.Join(root, filepath.FromSlash(f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		content := doc
		if strings.HasSuffix(f, ".jsonl") {
			content = append(compact(t, doc), '\n')
		}
		if strings.HasSuffix(f, ".http") {
			content = append([]byte("PUT /beta/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/1\n\n"), doc...)
		}
		os.WriteFile(p, content, 0o644)
	}
	list := func(args ...string) []string {
		t.Helper()
		out, errs, code := cli(t, "", append([]string{"convert", "--to", "v1.0", "-l"}, append(args, root)...)...)
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, errs)
		}
		var rel []string
		for _, l := range strings.Fields(out) {
			r, _ := filepath.Rel(root, l)
			rel = append(rel, filepath.ToSlash(r))
		}
		return rel
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, "AccessPackages/a/AccessPackage.json AccessPackages/a/AssignmentPolicies/1/1.json AccessPackages/a/AssignmentPolicies/2/2.jsonl AccessPackages/b/AssignmentPolicies/3/3.json skip/x.json top.http top.json"},
		{[]string{"--include", "**/AssignmentPolicies/**"}, "AccessPackages/a/AssignmentPolicies/1/1.json AccessPackages/a/AssignmentPolicies/2/2.jsonl AccessPackages/b/AssignmentPolicies/3/3.json"},
		{[]string{"--include", "*.json"}, "AccessPackages/a/AccessPackage.json AccessPackages/a/AssignmentPolicies/1/1.json AccessPackages/b/AssignmentPolicies/3/3.json skip/x.json top.json"},
		{[]string{"--include", "*.json", "--include", "*.http"}, "AccessPackages/a/AccessPackage.json AccessPackages/a/AssignmentPolicies/1/1.json AccessPackages/b/AssignmentPolicies/3/3.json skip/x.json top.http top.json"},
		{[]string{"--exclude", "skip", "--exclude", "AccessPackage.json"}, "AccessPackages/a/AssignmentPolicies/1/1.json AccessPackages/a/AssignmentPolicies/2/2.jsonl AccessPackages/b/AssignmentPolicies/3/3.json top.http top.json"},
		{[]string{"--exclude", "AccessPackages/*/AssignmentPolicies/**"}, "AccessPackages/a/AccessPackage.json skip/x.json top.http top.json"},
		{[]string{"--include", "AccessPackages/**/*.json", "--exclude", "**/3/**"}, "AccessPackages/a/AccessPackage.json AccessPackages/a/AssignmentPolicies/1/1.json"},
	}
	for _, tt := range tests {
		if got := strings.Join(list(tt.args...), " "); got != tt.want {
			t.Errorf("%v:\n got %s\nwant %s", tt.args, got, tt.want)
		}
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"**", "a/b/c", true},
		{"**/c", "c", true},
		{"**/c", "a/b/c", true},
		{"a/**/c", "a/c", true},
		{"a/**/c", "a/x/y/c", true},
		{"a/**/c", "a/x/y/d", false},
		{"a/*", "a/b/c", false},
		{"a/*/c", "a/b/c", true},
		{"*.json", "x.json", true},
		{"*.json", "d/x.json", false},
	}
	for _, tt := range tests {
		if got := matchGlob(tt.pattern, tt.name); got != tt.want {
			t.Errorf("matchGlob(%q, %q) = %v", tt.pattern, tt.name, got)
		}
	}
}

// TestOrdering converts many inputs with many workers: the output and
// the report come in input order.
func TestOrdering(t *testing.T) {
	dir := t.TempDir()
	docs := convertible(t)
	var args, names []string
	var want bytes.Buffer
	for i := range 120 {
		p := filepath.Join(dir, fmt.Sprintf("%03d.json", i))
		// Sizes vary so that workers finish out of order.
		doc := docs[(i*7)%len(docs)]
		os.WriteFile(p, doc, 0o644)
		args = append(args, p)
		names = append(names, p)
		want.Write(expected(t, doc))
	}
	for _, j := range []string{"1", "3", "16"} {
		out, errs, code := cli(t, "", append([]string{"convert", "--to", "v1.0", "-j", j}, args...)...)
		if code != 0 || out != want.String() {
			t.Fatalf("-j %s: exit %d; output not in input order", j, code)
		}
		// Report lines name the files in order.
		last := -1
		for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
			if strings.HasPrefix(l, "apmigrate:") {
				continue
			}
			n := sort.SearchStrings(names, l[:strings.Index(l, ".json")+5])
			if n < last {
				t.Fatalf("-j %s: report out of order at %q", j, l)
			}
			last = n
		}
	}
}

// TestWriteErrorsKeepTheFile makes the write fail (no room for a
// temporary file is hard to arrange; a directory where the file should be
// replaced is not): the original is untouched.
func TestWriteErrorsKeepTheFile(t *testing.T) {
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	p := filepath.Join(dir, "p.json")
	os.WriteFile(p, doc, 0o644)
	testHookBeforeCommit = func(target string) {
		// Replace the file by a directory: the rename must fail.
		os.Remove(target)
		os.Mkdir(target, 0o755)
	}
	defer func() { testHookBeforeCommit = nil }()
	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", p)
	if code != 1 || !strings.Contains(errs, "p.json: error: changed") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
	assertNoTempFiles(t, dir)
}

// TestSameFileTwice: with -w, a file named twice (directly and through a
// link) is rewritten once.
func TestSameFileTwice(t *testing.T) {
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	p := filepath.Join(dir, "p.json")
	os.WriteFile(p, doc, 0o644)
	os.Symlink("p.json", filepath.Join(dir, "link.json"))
	out, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "-l", p, filepath.Join(dir, "link.json"), dir)
	if code != 0 || out != p+"\n" {
		t.Errorf("exit %d, rewritten %q:\n%s", code, out, errs)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, expected(t, doc)) {
		t.Error("not converted")
	}
}

// TestDedupeTrees: inputs that name one file twice (a symlinked file in
// the tree, a directory named twice or inside another argument) are
// dropped after the first; the walk of one directory of plain files,
// which skips the check, keeps each file.
func TestDedupeTrees(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	p, q := filepath.Join(dir, "p.json"), filepath.Join(sub, "q.json")
	os.WriteFile(p, []byte("{}"), 0o644)
	os.WriteFile(q, []byte("{}"), 0o644)
	linkDir := t.TempDir()
	os.WriteFile(filepath.Join(linkDir, "p.json"), []byte("{}"), 0o644)
	if err := os.Symlink("p.json", filepath.Join(linkDir, "to-p.json")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"one directory, plain files", []string{dir}, []string{p, q}},
		{"one directory with a link to one of its files", []string{linkDir}, []string{filepath.Join(linkDir, "p.json")}},
		{"one directory twice", []string{dir, dir}, []string{p, q}},
		{"a directory and its subdirectory", []string{dir, sub}, []string{p, q}},
		{"a file and its directory", []string{q, dir}, []string{q, p}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins, _ := collectInputs(tc.args, filters{})
			var got []string
			for _, in := range dedupe(ins, len(tc.args) == 1) {
				got = append(got, in.path)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("inputs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHardLinkedNamesBothRewritten: with --force, two hard links to one
// file named together are not one input: a rewrite replaces the name it
// was given, so each is rewritten.
func TestHardLinkedNamesBothRewritten(t *testing.T) {
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	p, q := filepath.Join(dir, "p.json"), filepath.Join(dir, "q.json")
	os.WriteFile(p, doc, 0o644)
	if err := os.Link(p, q); err != nil {
		t.Skip("no hard links here:", err)
	}
	if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "--force", "-j", "1", p, q); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	for _, f := range []string{p, q} {
		if got, _ := os.ReadFile(f); !bytes.Equal(got, expected(t, doc)) {
			t.Errorf("%s not converted", f)
		}
	}
	assertNoTempFiles(t, dir)
}

// TestPanicIsAnError: a panic while processing one input is reported as
// its error; the others are processed.
func TestPanicIsAnError(t *testing.T) {
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	os.WriteFile(a, doc, 0o644)
	os.WriteFile(b, doc, 0o644)
	testHookBeforeCommit = func(target string) {
		if strings.HasSuffix(target, "a.json") {
			panic("boom")
		}
	}
	defer func() { testHookBeforeCommit = nil }()
	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "-j", "1", a, b)
	if code != 1 || !strings.Contains(errs, "a.json: error: internal-error: internal error (please report it): boom") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
	if got, _ := os.ReadFile(a); !bytes.Equal(got, doc) {
		t.Error("a.json changed")
	}
	if got, _ := os.ReadFile(b); !bytes.Equal(got, expected(t, doc)) {
		t.Error("b.json not converted")
	}
	assertNoTempFiles(t, dir)
}

// TestBackupByCopy: where hard links are refused, the backup is a copy.
func TestBackupByCopy(t *testing.T) {
	defer func(f func(string, string) error) { linkFile = f }(linkFile)
	linkFile = func(string, string) error { return &os.LinkError{Op: "link", Err: errors.ErrUnsupported} }
	dir := t.TempDir()
	doc := readDoc(t, "beta", betaSimple)
	p := filepath.Join(dir, "p.json")
	os.WriteFile(p, doc, 0o640)
	if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "--backup", "~", p); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	if got, _ := os.ReadFile(p + "~"); !bytes.Equal(got, doc) {
		t.Error("the backup is not the original")
	}
	if fi, _ := os.Stat(p + "~"); fi.Mode().Perm() != 0o640 {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, expected(t, doc)) {
		t.Error("not converted")
	}
	assertNoTempFiles(t, dir)
}

// TestGroupCommitTrees: -w commits a worker's rewrites in groups (one
// file system sync for many files). The files that change are rewritten
// and listed in order whatever the group sizes and the files between
// them that do not change (a worker holding a group once waited forever
// for a window that its own group held back); a file that changes under
// a rewrite fails alone, reported in its place.
func TestGroupCommitTrees(t *testing.T) {
	beta := readDoc(t, "beta", betaSimple)
	v1 := expected(t, beta)
	for _, tc := range []struct {
		name    string
		files   int
		changes func(i int) bool // which files are beta (the others are v1.0 already)
		jobs    string
	}{
		{"every file changes, one worker", 150, func(int) bool { return true }, "1"},
		{"every file changes, four workers", 300, func(int) bool { return true }, "4"},
		{"one in a hundred changes, four workers", 1000, func(i int) bool { return i%100 == 7 }, "4"},
		{"one in a hundred changes, two workers", 700, func(i int) bool { return i%100 == 0 }, "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var want strings.Builder
			var changed []string
			for i := range tc.files {
				sub := filepath.Join(dir, fmt.Sprintf("d%02d", i/100))
				os.MkdirAll(sub, 0o755)
				f := filepath.Join(sub, fmt.Sprintf("p%03d.json", i%100))
				doc := v1
				if tc.changes(i) {
					doc = beta
					want.WriteString(f + "\n")
					changed = append(changed, f)
				}
				os.WriteFile(f, doc, 0o644)
			}
			victim := ""
			if len(changed) > 2 {
				victim = changed[len(changed)/2]
				testHookBeforeCommit = func(target string) {
					if target == victim {
						os.WriteFile(victim, append([]byte(" "), beta...), 0o644)
					}
				}
				defer func() { testHookBeforeCommit = nil }()
			}
			type result struct {
				out, errs string
				code      int
			}
			res := make(chan result, 1)
			go func() {
				out, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", "-l", "-q", "-j", tc.jobs, dir)
				res <- result{out, errs, code}
			}()
			var r result
			select {
			case r = <-res:
			case <-time.After(2 * time.Minute):
				t.Fatal("the run did not end")
			}
			if r.out != want.String() {
				t.Errorf("listed:\n%s\nwant:\n%s", r.out, want.String())
			}
			wantCode := 0
			if victim != "" {
				wantCode = 1
				if !strings.Contains(r.errs, victim+": error: changed") || strings.Count(r.errs, ": error:") != 1 {
					t.Errorf("report (want one error, for %s):\n%s", victim, r.errs)
				}
			}
			if r.code != wantCode {
				t.Errorf("exit %d, want %d:\n%s", r.code, wantCode, r.errs)
			}
			for _, f := range changed {
				got, _ := os.ReadFile(f)
				switch {
				case f == victim && !bytes.Equal(got, append([]byte(" "), beta...)):
					t.Errorf("%s: the change made during the rewrite was lost", f)
				case f != victim && !bytes.Equal(got, v1):
					t.Errorf("%s not converted", f)
				}
			}
			assertNoTempFiles(t, dir)
		})
	}
}
