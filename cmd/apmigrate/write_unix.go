//go:build unix

package main

import (
	"io/fs"
	"os"
	"strconv"
	"syscall"
)

// linkCount returns the number of hard links of a file.
func linkCount(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// fileKey names the file at path whatever the path that leads to it
// (symlinks, "..", relative or absolute): its device and inode, one stat
// where resolving the path took one for each of its parts. A file with
// hard links is named by its resolved path instead: a rewrite replaces
// the name it was given, so each name is a file of its own (--force).
// ok is false when the file cannot be found.
func fileKey(path string) (key string, ok bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", false
	}
	st, isStat := fi.Sys().(*syscall.Stat_t)
	if !isStat || st.Nlink > 1 {
		return resolvedPath(path)
	}
	return strconv.FormatUint(uint64(st.Dev), 16) + ":" + strconv.FormatUint(uint64(st.Ino), 16), true
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
