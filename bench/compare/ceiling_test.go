//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// dirState is the inode and content of every file of dir.
func dirState(t *testing.T, dir string) (inodes []uint64, content map[string][]byte) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	content = map[string][]byte{}
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		inodes = append(inodes, fi.Sys().(*syscall.Stat_t).Ino)
		if content[e.Name()], err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(inodes)
	return inodes, content
}

// TestCeilingRewrite holds the rewrite row to its word: every file
// rewritten through a temporary file, none left behind.
func TestCeilingRewrite(t *testing.T) {
	dir := t.TempDir()
	if err := rewriteWork(dir, ceilingFiles+ceilingFiles/2); err != nil {
		t.Fatal(err)
	}
	_, content := dirState(t, dir)
	if len(content) != ceilingFiles {
		t.Fatalf("%d files, want %d", len(content), ceilingFiles)
	}
	for name, b := range content {
		if !strings.HasSuffix(name, ".json") || !bytes.Equal(b, ceilingContent) {
			t.Errorf("%s: %d bytes", name, len(b))
		}
	}
}

// TestCeilingExchange holds the inode-reuse row to its word: the files
// get the new content, and no inode is made or freed (the set of the
// directory's inodes stays the same while the files' own ones move).
func TestCeilingExchange(t *testing.T) {
	if err := exchangeAvail(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	if err := exchangeSeed(dir); err != nil {
		t.Fatal(err)
	}
	// Mark every file, so that the test sees each one rewritten.
	for i := range ceilingFiles {
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)+".json"), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := dirState(t, dir)
	fi0, err := os.Stat(filepath.Join(dir, "0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := exchangeLoop(dir, ceilingFiles); err != nil {
		t.Fatal(err)
	}
	after, content := dirState(t, dir)
	if !slices.Equal(before, after) {
		t.Errorf("inodes %v, then %v: some were made or freed", before, after)
	}
	fi1, err := os.Stat(filepath.Join(dir, "0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(fi0, fi1) {
		t.Error("0.json kept its inode: nothing was swapped in")
	}
	for name, b := range content {
		if name != ".spare" && !bytes.Equal(b, ceilingContent) {
			t.Errorf("%s: %q, want the new content", name, b)
		}
	}
}

// TestCeilingPart checks the internal mode's arguments.
func TestCeilingPart(t *testing.T) {
	for _, c := range []struct{ kind, part, want string }{
		{"rewrite", "2/2", "want K/N"},
		{"rewrite", "x", "want K/N"},
		{"nosuch", "0/1", "no such kind"},
	} {
		err := ceilingPart(c.kind, t.TempDir(), c.part)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ceilingPart(%q, %q) = %v, want an error with %q", c.kind, c.part, err, c.want)
		}
	}
	dir := t.TempDir()
	if err := ceilingPart("syscall", dir, "1/2"); err != nil {
		t.Fatal(err)
	}
}

// TestReadInto checks the tree rows' reading into a reused buffer: every
// size whole, whatever the buffer held before.
func TestReadInto(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	for _, size := range []int{0, 1, 16, 17, 70_000, 5} {
		want := bytes.Repeat([]byte{byte('a' + size%26)}, size)
		p := filepath.Join(dir, strconv.Itoa(size))
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readInto(p, &buf)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("size %d: read %d bytes", size, len(got))
		}
	}
	if _, err := readInto(filepath.Join(dir, "missing"), &buf); err == nil {
		t.Error("a missing file read without error")
	}
}
