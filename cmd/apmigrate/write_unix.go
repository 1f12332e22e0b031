//go:build unix

package main

import (
	"io/fs"
	"os"
	"syscall"
)

// linkCount returns the number of hard links of a file.
func linkCount(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// checkWritable refuses a file that its mode makes read-only (even for
// root, who could replace it anyway: the mode says the file is not to be
// changed) or that this user may not write. A rename would replace such a
// file, so it must be checked explicitly.
func checkWritable(path string, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o222 == 0 {
		return fileErr("read-only", "is read-only; not rewritten")
	}
	if os.Geteuid() != 0 {
		if err := syscall.Access(path, 2 /* W_OK */); err != nil {
			return fileErr("read-only", "is not writable (%v); not rewritten", err)
		}
	}
	return nil
}

// keepOwner gives the new file the owner and group of the original when
// they differ (possible only for root, or for a group the user is in);
// failures leave the new file with the user's ownership.
func keepOwner(name string, fi fs.FileInfo) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	if int(st.Uid) != os.Geteuid() || int(st.Gid) != os.Getegid() {
		os.Lchown(name, int(st.Uid), int(st.Gid))
	}
}
