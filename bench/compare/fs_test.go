//go:build unix

package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMountOf holds the tree's file system to the deepest mount that
// holds it, not a mount whose name merely starts the same.
func TestMountOf(t *testing.T) {
	mounts := `/dev/vda / ext4 rw,relatime 0 0
tmpfs /dev/shm tmpfs rw 0 0
/dev/vdb /work ext4 rw 0 0
/dev/vdc /workspace xfs rw 0 0
`
	for _, tc := range []struct{ path, dev, typ string }{
		{"/work/main/bench/out/tree", "/dev/vdb", "ext4"},
		{"/work", "/dev/vdb", "ext4"},
		{"/workspace/x", "/dev/vdc", "xfs"},
		{"/dev/shm/apmigrate-tree", "tmpfs", "tmpfs"},
		{"/tmp/x", "/dev/vda", "ext4"},
		{"/workshop/x", "/dev/vda", "ext4"},
	} {
		if dev, typ := mountOf(tc.path, mounts); dev != tc.dev || typ != tc.typ {
			t.Errorf("mountOf(%q) = %q, %q; want %q, %q", tc.path, dev, typ, tc.dev, tc.typ)
		}
	}
}

// TestExt4HasJournal reads journal_task as the kernel writes it: a
// thread's name for a journal, "<none>" without one.
func TestExt4HasJournal(t *testing.T) {
	sys := t.TempDir()
	for dev, task := range map[string]string{"vda": "<none>\n", "vdb": "jbd2/vdb-8\n"} {
		d := filepath.Join(sys, "fs", "ext4", dev)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "journal_task"), []byte(task), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for dev, want := range map[string]bool{"/dev/vda": false, "/dev/vdb": true, "/dev/vdz": true} {
		if got := ext4HasJournal(sys, dev); got != want {
			t.Errorf("ext4HasJournal(%q) = %v, want %v", dev, got, want)
		}
	}
}
