//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCopyPartSplitsDirectories holds the process-level control of the
// tree rows to its word: part K/N rewrites every file of its own
// directories (a rename gives each a new inode) and nothing of the
// others, and the N parts together cover the tree once.
func TestCopyPartSplitsDirectories(t *testing.T) {
	dir := t.TempDir()
	const dirs, files = 5, 3
	for d := range dirs {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", d))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range files {
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("p%d.json", f)), []byte(`{"a":1}`), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	inodes := func() map[string]uint64 {
		m := map[string]uint64{}
		filepath.WalkDir(dir, func(p string, _ os.DirEntry, _ error) error {
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				m[p] = fi.Sys().(*syscall.Stat_t).Ino
			}
			return nil
		})
		return m
	}
	rewritten := map[string]int{}
	for k := range 2 {
		before := inodes()
		if err := copyPart(dir, fmt.Sprintf("%d/2", k)); err != nil {
			t.Fatal(err)
		}
		after := inodes()
		if len(after) != dirs*files {
			t.Fatalf("part %d/2 left %d files, want %d", k, len(after), dirs*files)
		}
		for p, ino := range after {
			if ino == before[p] {
				continue
			}
			rewritten[p]++
			var d int
			fmt.Sscanf(filepath.Base(filepath.Dir(p)), "d%03d", &d)
			if d%2 != k {
				t.Errorf("part %d/2 rewrote %s, a file of another part", k, p)
			}
			if b, _ := os.ReadFile(p); string(b) != `{"a":1}` {
				t.Errorf("%s holds %q after the copy", p, b)
			}
		}
	}
	if len(rewritten) != dirs*files {
		t.Errorf("the two parts rewrote %d files, want all %d", len(rewritten), dirs*files)
	}
	for _, bad := range []string{"2/2", "-1/2", "0/0", "x"} {
		if err := copyPart(dir, bad); err == nil {
			t.Errorf("copyPart(%q) succeeded, want an error", bad)
		}
	}
}
