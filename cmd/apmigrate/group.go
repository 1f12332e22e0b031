package main

// Group commits. A rewrite is durable only once its new content and then
// its rename are on disk, and a sync a file made two journal commits a
// file: on ext4, 3,000 small files took 2 to 3 s, nearly all of it waiting
// for the disk, and a second worker hardly helped. A worker therefore
// seals its rewrites (content written, owner and mode set) and commits
// them a group at a time: one syncFS writes back all their content, each
// file's own sync then costs next to nothing and still reports a failed
// write-back, the renames follow (each after checking that its target did
// not change), and one more syncFS and a sync of each directory make them
// durable. Nothing is reported as rewritten before that, so a file's
// report still means what it did; a crash at any moment still leaves each
// file old or new, never a mix.

import (
	"fmt"
	"path/filepath"
)

// groupSize is how many rewrites a worker commits together, so that
// jobs*groupSize temporary files are open at most.
func groupSize(jobs int) int { return max(1, min(64, 256/max(jobs, 1))) }

// sealed is a rewrite waiting for its group's commit, with what its
// input's report needs once the commit is done.
type sealed struct {
	pw   *pending
	orig fileState
	file string
	st   fileStats
	slot *slot
	err  error // the commit's failure
	oops any   // a panic during the commit
}

// commitGroup is a worker's sealed rewrites.
type commitGroup struct {
	items []sealed
	size  int
}

// commit commits the group's rewrites, then calls done for each in order.
// Every file is either replaced or left as it was, with its temporary
// file removed, whatever happens to the others.
func (g *commitGroup) commit(done func(*sealed)) {
	items := g.items
	g.items = g.items[:0]
	var dirs []string
	seen := map[string]bool{}
	for i := range items {
		if d := filepath.Dir(items[i].pw.target); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	// Errors of syncFS are not the files': each file's own sync below
	// reports its write-back.
	syncFileSystems(items)
	renamed := map[string]bool{}
	for i := range items {
		it := &items[i]
		it.oops, it.err = guard(func() error {
			if err := it.pw.syncData(); err != nil {
				return err
			}
			return it.pw.replace(it.orig)
		})
		if it.err != nil || it.oops != nil {
			it.pw.abort()
			continue
		}
		renamed[filepath.Dir(it.pw.target)] = true
	}
	syncFileSystems(items)
	dirErr := map[string]error{}
	for _, d := range dirs {
		if renamed[d] {
			if err := syncDir(d); err != nil {
				dirErr[d] = dirSyncErr(err)
			}
		}
	}
	for i := range items {
		it := &items[i]
		if it.err == nil && it.oops == nil {
			it.err = dirErr[filepath.Dir(it.pw.target)]
		}
		done(it)
		items[i] = sealed{}
	}
}

// syncFileSystems runs syncFS once for each file system that holds one of
// the items' files.
func syncFileSystems(items []sealed) {
	devs := map[uint64]bool{}
	for i := range items {
		dev, ok := deviceOf(items[i].pw.info)
		if ok && devs[dev] {
			continue
		}
		devs[dev] = true
		syncFS(filepath.Dir(items[i].pw.target))
	}
}

// guard runs fn, returning a panic as a value: a bug while committing
// one file must not leave the others of its group uncommitted.
func guard(fn func() error) (oops any, err error) {
	defer func() {
		if r := recover(); r != nil {
			oops = r
		}
	}()
	return nil, fn()
}

// internalError reports a panic as the current input's error.
func (p *proc) internalError(r any) {
	p.reportError("", "internal-error", fmt.Sprintf("internal error (please report it): %v", r), 0)
}
