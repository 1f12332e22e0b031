//go:build !unix

package main

import "io/fs"

func linkCount(fs.FileInfo) uint64 { return 1 }

func checkWritable(path string, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o222 == 0 {
		return fileErr("read-only", "is read-only; not rewritten")
	}
	return nil
}

func keepOwner(string, fs.FileInfo) {}
