//go:build unix

package main

import (
	"io/fs"
	"os"
	"strconv"
	"sync"
	"syscall"
)

// openFile is os.OpenFile for the regular files and directories the CLI
// reads and writes. os.OpenFile offers every descriptor to the network
// poller, which refuses files and directories on Linux after four more
// system calls (two fcntl each way and an epoll_ctl); a rewrite opens four
// descriptors a file, and in a tree of small files system calls were more
// of the run than the conversion. os.NewFile leaves a blocking descriptor
// out of the poller. A FIFO or a device named as input still works: its
// reads block a thread, as the poller's absence allows.
func openFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, flag|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}

// renameFile is os.Rename for a target known not to be a directory:
// os.Rename stats the target first to refuse one, a system call a file.
func renameFile(from, to string) error {
	if err := syscall.Rename(from, to); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}

// ids are the effective user and group: asked once, not once a file.
var ids = sync.OnceValues(func() (uid, gid int) { return os.Geteuid(), os.Getegid() })

// linkCount returns the number of hard links of a file.
func linkCount(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// deviceOf returns the device that holds a file.
func deviceOf(fi fs.FileInfo) (uint64, bool) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), true
	}
	return 0, false
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
	if uid, _ := ids(); uid != 0 {
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
	if uid, gid := ids(); int(st.Uid) != uid || int(st.Gid) != gid {
		os.Lchown(name, int(st.Uid), int(st.Gid))
	}
}
