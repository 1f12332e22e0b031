//go:build !unix

package main

import (
	"io/fs"
	"os"
)

func renameFile(from, to string) error { return os.Rename(from, to) }

func openFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag, perm)
}

// fileKey names the file at path whatever the path that leads to it.
func fileKey(path string) (string, bool) { return resolvedPath(path) }

func deviceOf(fs.FileInfo) (uint64, bool) { return 0, false }

func linkCount(fs.FileInfo) uint64 { return 1 }

func checkWritable(path string, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o222 == 0 {
		return fileErr("read-only", "is read-only; not rewritten")
	}
	return nil
}

func keepOwner(string, fs.FileInfo) {}
