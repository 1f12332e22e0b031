package main

// Safe rewrites. A file is never written in place: the new content goes to
// a temporary file in the same directory, which is synced and renamed over
// the original, and the directory is synced after the rename (for files
// rewritten whole, a group at a time: group.go). A crash at any moment
// leaves either the old file or the new one, never a mix. Just before the
// rename the original is checked again, so that a change made by someone
// else while apmigrate was converting is not lost.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
)

// testHookBeforeCommit, when set by a test, runs after the new content is
// written and synced and before the original is checked and replaced: the
// moment when another program could change the file.
var testHookBeforeCommit func(target string)

// writeOptions are the rewrite flags.
type writeOptions struct {
	force  bool   // rewrite files with several hard links (breaking the links)
	backup string // keep the original as target+backup
}

// fileError is an error about a file, with a stable code for reports.
type fileError struct {
	code string
	msg  string
}

func (e *fileError) Error() string { return e.msg }

func fileErr(code, format string, args ...any) *fileError {
	return &fileError{code, fmt.Sprintf(format, args...)}
}

// pending is a rewrite in progress: a temporary file next to the target.
type pending struct {
	target string // the real file that will be replaced (symlinks resolved)
	info   fs.FileInfo
	opts   writeOptions
	tmp    *os.File
	w      *bufio.Writer // nil: each Write goes straight to tmp
	err    error         // a write error, reported by commit
}

// prepareWrite checks that path may be rewritten and creates the
// temporary file. A symlink is resolved: its target is rewritten and the
// link stays a link. buffered asks for a write buffer, for content
// written a piece at a time; content written whole needs none (a 64 KiB
// buffer for every file of a tree was most of what a rewrite allocated).
func prepareWrite(path string, opts writeOptions, buffered bool) (*pending, error) {
	// Only a symlink needs resolving: the temporary file goes into the
	// directory the path names, symlinked or not, and is renamed there.
	target := path
	fi, err := os.Lstat(path)
	if err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err == nil {
			fi, err = os.Lstat(target)
		}
	}
	if err != nil {
		return nil, fileErr("write-failed", "cannot resolve the file: %v", unwrapPath(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fileErr("not-regular", "not a regular file (%s); not rewritten", fi.Mode().Type())
	}
	if n := linkCount(fi); n > 1 && !opts.force {
		return nil, fileErr("hard-link", "has %d hard links, which a rewrite would break; not rewritten (use --force to rewrite it anyway)", n)
	}
	if err := checkWritable(target, fi); err != nil {
		return nil, err
	}
	dir := filepath.Dir(target)
	if di, err := os.Stat(dir); err == nil && di.Mode().Perm()&0o222 == 0 {
		return nil, fileErr("read-only", "directory %s is read-only; not rewritten", dir)
	}
	tmp, err := createTemp(dir, filepath.Base(target))
	if err != nil {
		return nil, fileErr("write-failed", "cannot create a temporary file next to it: %v", unwrapPath(err))
	}
	p := &pending{target: target, info: fi, opts: opts, tmp: tmp}
	if buffered {
		p.w = bufio.NewWriterSize(tmp, 64<<10)
	}
	return p, nil
}

func (p *pending) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	var w io.Writer = p.tmp
	if p.w != nil {
		w = p.w
	}
	n, err := w.Write(b)
	if err != nil {
		p.err = err
	}
	return n, err
}

// abort removes the temporary file.
func (p *pending) abort() {
	if p.tmp != nil {
		discardTemp(p.tmp)
		p.tmp = nil
	}
}

// commit replaces the target with the temporary file, unless the target
// changed since it was read (orig). On any error the target is untouched
// and the temporary file removed.
func (p *pending) commit(orig fileState) error {
	// Until the rename, any way out (an error, a panic) removes the
	// temporary file; after it there is none to remove.
	defer p.abort()
	if err := p.seal(); err != nil {
		return err
	}
	if err := p.syncData(); err != nil {
		return err
	}
	if err := p.replace(orig); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(p.target)); err != nil {
		return dirSyncErr(err)
	}
	return nil
}

// seal completes the temporary file: its buffered content, its owner and
// its mode. It stays open for syncData.
func (p *pending) seal() error {
	if p.err == nil && p.w != nil {
		p.err = p.w.Flush()
	}
	if p.err != nil {
		return fileErr("write-failed", "writing the new content: %v", unwrapPath(p.err))
	}
	// Owner first: a change of owner clears the setuid and setgid bits.
	keepOwner(p.tmp.Name(), p.info)
	if err := p.tmp.Chmod(p.info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
		return fileErr("write-failed", "keeping the file mode: %v", unwrapPath(err))
	}
	return nil
}

// syncData makes the sealed temporary file durable and closes it. After a
// group's syncFS it only collects the file's write-back errors.
func (p *pending) syncData() error {
	err := p.tmp.Sync()
	if cerr := p.tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fileErr("write-failed", "writing the new content: %v", unwrapPath(err))
	}
	return nil
}

// replace renames the synced temporary file over the target, unless the
// target changed since it was read (orig). The rename is durable once the
// directory is synced.
func (p *pending) replace(orig fileState) error {
	if testHookBeforeCommit != nil {
		testHookBeforeCommit(p.target)
	}
	if err := p.unchanged(orig); err != nil {
		return err
	}
	if p.opts.backup != "" {
		if err := backup(p.target, p.target+p.opts.backup, p.info); err != nil {
			return err
		}
	}
	if err := renameTemp(p.tmp.Name(), p.target); err != nil {
		return fileErr("write-failed", "replacing the file: %v", unwrapPath(err))
	}
	p.tmp = nil
	return nil
}

func dirSyncErr(err error) error {
	return fileErr("write-failed", "the file was replaced, but syncing its directory failed: %v", unwrapPath(err))
}

// unchanged checks that the target is still the file that was read: the
// same file, size, modification time and content.
func (p *pending) unchanged(orig fileState) error {
	changed := fileErr("changed", "changed while it was being converted; not overwritten (run again)")
	fi, err := os.Lstat(p.target)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fileErr("changed", "removed while it was being converted; not written")
		}
		return fileErr("write-failed", "%v", unwrapPath(err))
	}
	if !os.SameFile(fi, p.info) || fi.Size() != orig.size || !fi.ModTime().Equal(orig.mtime) {
		return changed
	}
	sum, err := hashFile(p.target)
	if err != nil {
		return fileErr("write-failed", "re-reading the file: %v", unwrapPath(err))
	}
	if !bytes.Equal(sum, orig.sum) {
		return changed
	}
	return nil
}

// hashBufs are the read buffers of hashFile, reused: one for every file
// of a tree was a third of what a rewrite allocated.
var hashBufs = sync.Pool{New: func() any { return new([32 << 10]byte) }}

func hashFile(path string) ([]byte, error) {
	f, err := openFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := hashBufs.Get().(*[32 << 10]byte)
	defer hashBufs.Put(buf)
	h := sha256.New()
	// The file as a plain reader: as an *os.File, io.CopyBuffer would use
	// its WriteTo, which brings a buffer of its own.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, buf[:]); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// linkFile is os.Link; tests replace it to take the copying path of backup.
var linkFile = os.Link

// backup makes bak a copy of target, created before target is replaced:
// a hard link when the file system allows it (the original inode simply
// keeps a second name), a synced copy otherwise. An existing backup is
// replaced at once, through a rename.
func backup(target, bak string, info fs.FileInfo) error {
	dir := filepath.Dir(bak)
	for range 10 {
		tmp := tempName(dir, filepath.Base(bak))
		err := linkTemp(target, tmp)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil {
			if err := renameTemp(tmp, bak); err != nil {
				removeTemp(tmp)
				return fileErr("backup-failed", "creating the backup %s: %v; not rewritten", bak, unwrapPath(err))
			}
			return nil
		}
		break // no hard links here: copy
	}
	if err := copyFile(target, bak, info); err != nil {
		return fileErr("backup-failed", "creating the backup %s: %v; not rewritten", bak, unwrapPath(err))
	}
	return nil
}

func copyFile(src, dst string, info fs.FileInfo) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := createTemp(filepath.Dir(dst), filepath.Base(dst))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			discardTemp(out)
		}
	}()
	if _, err = io.Copy(out, in); err != nil {
		return err
	}
	if err = out.Chmod(info.Mode().Perm()); err != nil {
		return err
	}
	if err = out.Sync(); err != nil {
		return err
	}
	if err = out.Close(); err != nil {
		return err
	}
	return renameTemp(out.Name(), dst)
}

// tempName names a temporary file for the file base in dir: hidden, so
// that walks skip it.
func tempName(dir, base string) string {
	return filepath.Join(dir, "."+base+".apmigrate-"+randomSuffix()+".tmp")
}

// createTemp creates a new temporary file for the file base in dir,
// readable and writable by its owner only, as os.CreateTemp does (through
// openFile), and tracks it until it is renamed or removed.
func createTemp(dir, base string) (*os.File, error) {
	temps.gate.RLock()
	defer temps.gate.RUnlock()
	for try := 0; ; try++ {
		name := tempName(dir, base)
		f, err := openFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) && try < 10000 {
			continue
		}
		if err == nil {
			trackTemp(name)
		}
		return f, err
	}
}

// linkTemp makes the temporary name tmp a hard link to target, and tracks
// it.
func linkTemp(target, tmp string) error {
	temps.gate.RLock()
	defer temps.gate.RUnlock()
	if err := linkFile(target, tmp); err != nil {
		return err
	}
	trackTemp(tmp)
	return nil
}

// temps are the temporary files of rewrites in progress: an interrupted
// run removes them (a worker commits its rewrites in groups, so there may
// be dozens).
var temps = struct {
	// gate is held shared while a temporary file is made or renamed, and
	// exclusively by removeTemps: none is made or renamed once it runs.
	gate sync.RWMutex
	sync.Mutex
	names map[string]bool
}{names: map[string]bool{}}

// renameTemp renames a tracked temporary file over target (which must not
// be a directory: renameFile does not check), unless the run is being
// interrupted.
func renameTemp(name, target string) error {
	temps.gate.RLock()
	defer temps.gate.RUnlock()
	if err := renameFile(name, target); err != nil {
		return err
	}
	untrackTemp(name)
	return nil
}

func trackTemp(name string) {
	temps.Lock()
	temps.names[name] = true
	temps.Unlock()
}

// discardTemp closes and removes a temporary file.
func discardTemp(f *os.File) {
	f.Close()
	removeTemp(f.Name())
}

// removeTemp removes a temporary file and forgets it.
func removeTemp(name string) {
	os.Remove(name)
	untrackTemp(name)
}

// untrackTemp forgets a temporary file that was renamed or removed.
func untrackTemp(name string) {
	temps.Lock()
	delete(temps.names, name)
	temps.Unlock()
}

// removeTemps removes the temporary files of the rewrites in progress and
// stops any more from being made or renamed: it is the last thing an
// interrupted run does. A rewrite whose temporary file it removes first
// fails to rename it, and its file stays as it was.
func removeTemps() {
	temps.gate.Lock() // never unlocked: the process exits
	temps.Lock()
	for name := range temps.names {
		os.Remove(name)
	}
}

// randomSuffix makes temporary names unlikely to collide; O_EXCL, or the
// link's EEXIST, catches the rest, so it need not be unpredictable.
func randomSuffix() string {
	return strconv.FormatUint(uint64(mrand.Uint32()), 10)
}

// syncDir makes a rename in dir durable. File systems that cannot sync a
// directory say so with EINVAL; the rename is then as durable as they
// make it.
func syncDir(dir string) error {
	d, err := openFile(dir, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}

// unwrapPath drops the path from an *fs.PathError: reports name the file
// already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
