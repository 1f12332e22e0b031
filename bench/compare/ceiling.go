//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// The ceiling section measures how far two cores scale the kinds of work a
// tree rewrite is made of, with nothing of apmigrate in it: each row runs
// the same fixed work in 1 process and in 2 at once (GOMAXPROCS=1 each, a
// directory of its own each), so that its speed-up is what the machine and
// its kernel allow a file-per-policy rewrite, whatever converts.

// ceilingKind is one row's work for one process.
type ceilingKind struct {
	name  string
	what  string
	unit  string // what a unit of work is, for the rates
	onFS  bool   // measured on each tree file system
	n     int    // units of work a process
	work  func(dir string, n int) error
	avail func() error // nil when it runs here
}

var ceilingKinds = []ceilingKind{
	{name: "cpu", what: "a CPU loop (no system call, no memory)", unit: "steps", n: 200_000_000, work: cpuWork},
	{name: "syscall", what: "a system call (getppid) in a loop", unit: "calls", n: 3_000_000, work: syscallWork},
	{name: "rewrite", onFS: true, unit: "files", n: 20_000, work: rewriteWork,
		what: "the least an atomic rewrite does: create a temporary file, write 900 bytes, close, rename it over one of 300 files"},
	{name: "exchange", onFS: true, unit: "files", n: 20_000, work: exchangeWork, avail: exchangeAvail,
		what: "the same reusing inodes (renameat2 RENAME_EXCHANGE; an experiment, not a safe rewrite)"},
}

var ceilingSink uint64

func cpuWork(_ string, n int) error {
	x := uint64(n)
	for range n {
		x = x*6364136223846793005 + 1442695040888963407
	}
	ceilingSink = x
	return nil
}

func syscallWork(_ string, n int) error {
	for range n {
		syscall.Getppid()
	}
	return nil
}

// ceilingFiles is how many files a rewrite process cycles through.
const ceilingFiles = 300

var ceilingContent = []byte(strings.Repeat("x", 899) + "\n")

func rewriteWork(dir string, n int) error {
	for i := range n {
		p := filepath.Join(dir, strconv.Itoa(i%ceilingFiles)+".json")
		tmp := p + ".tmp"
		if err := writeOpen(tmp, os.O_CREATE|os.O_EXCL, ceilingContent); err != nil {
			return err
		}
		if err := os.Rename(tmp, p); err != nil {
			return err
		}
	}
	return nil
}

// writeOpen opens p for writing with flag added (O_EXCL for a new
// temporary file; no O_CREATE for a spare that must exist), writes data and
// closes it: os.WriteFile, with the flags each row needs.
func writeOpen(p string, flag int, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|flag, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func exchangeWork(dir string, n int) error {
	if err := exchangeSeed(dir); err != nil {
		return err
	}
	return exchangeLoop(dir, n)
}

// exchangeSeed makes the files that exchangeLoop rewrites, and its spare.
func exchangeSeed(dir string) error {
	for i := range ceilingFiles {
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)+".json"), ceilingContent, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, ".spare"), nil, 0o644)
}

func exchangeLoop(dir string, n int) error {
	spare := filepath.Join(dir, ".spare")
	for i := range n {
		if err := writeOpen(spare, os.O_TRUNC, ceilingContent); err != nil {
			return err
		}
		if err := renameExchange(spare, filepath.Join(dir, strconv.Itoa(i%ceilingFiles)+".json")); err != nil {
			return err
		}
	}
	return nil
}

// renameat2's number, where the harness knows it (the syscall package has
// no wrapper, and the module takes no dependency for one experiment).
var renameat2 = map[string]uintptr{"amd64": 316, "arm64": 276}[runtime.GOARCH]

func exchangeAvail() error {
	if runtime.GOOS != "linux" || renameat2 == 0 {
		return errors.New("renameat2 is Linux's, and its number is known here for amd64 and arm64 only")
	}
	return nil
}

func renameExchange(from, to string) error {
	if err := exchangeAvail(); err != nil {
		return err
	}
	f, err := syscall.BytePtrFromString(from)
	if err != nil {
		return err
	}
	t, err := syscall.BytePtrFromString(to)
	if err != nil {
		return err
	}
	const atFDCWD, renameExchange = -100, 2
	fd := atFDCWD
	if _, _, e := syscall.Syscall6(renameat2, uintptr(fd), uintptr(unsafe.Pointer(f)), uintptr(fd), uintptr(unsafe.Pointer(t)), renameExchange, 0); e != 0 {
		return &os.LinkError{Op: "renameat2", Old: from, New: to, Err: e}
	}
	return nil
}

// ceilingPart is the work of one process of the ceiling section
// (-ceiling KIND -part K/N, in directory DIR/K when the kind writes files).
func ceilingPart(kind, dir, part string) error {
	k, _, err := parsePart(part)
	if err != nil {
		return err
	}
	for _, c := range ceilingKinds {
		if c.name != kind {
			continue
		}
		if !c.onFS {
			return c.work("", c.n)
		}
		d := filepath.Join(dir, strconv.Itoa(k))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		return c.work(d, c.n)
	}
	return fmt.Errorf("-ceiling %q: no such kind", kind)
}

// ceilingProcesses runs j processes of kind at once and returns what they
// took: the observation counts a unit of work as a byte.
func ceilingProcesses(c ceilingKind, dir string, j int) (obs, error) {
	if dir != "" {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return obs{}, err
		}
		defer os.RemoveAll(dir)
	}
	syscall.Sync()
	u0 := readUsage()
	err := runParts(j, "-ceiling", c.name, "-ceilingdir", dir)
	return since(u0).obs(int64(j * c.n)), err
}

// ceiling is the section: each kind on the machine, and those that write
// files on each tree file system.
func ceiling(r *report) {
	type place struct{ dir, fs string }
	places := []place{{}}
	for _, d := range treeDirList() {
		places = append(places, place{d + "-ceiling", fsType(d)})
	}
	var rows [][]string
	for _, pl := range places {
		for _, c := range ceilingKinds {
			if c.onFS != (pl.dir != "") {
				continue
			}
			name := c.what
			if pl.fs != "" {
				name += ", on " + pl.fs
			}
			if c.avail != nil {
				if err := c.avail(); err != nil {
					rows = append(rows, []string{name, "not measured: " + err.Error(), "", "", "", ""})
					continue
				}
			}
			var failed error
			p := interleave("ceiling: "+c.name+" "+pl.fs, nil, func(j int) obs {
				if failed != nil {
					return obs{}
				}
				waitQuiet()
				o, err := ceilingProcesses(c, pl.dir, j)
				failed = err
				return o
			})
			if failed != nil {
				fatalf("ceiling %s: %v", c.name, failed)
			}
			rows = append(rows, []string{name, rate(p.one.median(), c.unit), rate(p.two.median(), c.unit), f2(p.speedup()) + "×", p.one.cpu(), p.two.cpu()})
		}
	}
	r.section("## The machine's ceiling for a tree rewrite: 1 process against 2 (not a target)\n\n" +
		"Work with nothing of apmigrate in it, the same fixed amount in each process, 1 process and then 2 at once " +
		"(GOMAXPROCS=1 each; the rows that write files on a fresh directory of their own each, the file system synced " +
		"before each run; a process's start, about 2 ms, is timed with it), -rounds times, interleaved. The speed-up is " +
		"the 2 processes' rate over the 1's: what two cores of this machine allow a file-per-policy rewrite, whatever " +
		"converts, against the tree rows above. Reusing inodes is an experiment, not a way to rewrite files: a program " +
		"reading a file while it is rewritten would see another file's content come into it, and that content would take " +
		"the old file's owner, mode and extended attributes.\n\n" +
		table([]string{"work", "1 process", "2 processes", "speed-up", "CPU, 1 process", "CPU, 2 processes"}, rows))
}

// rate formats millions of units a second.
func rate(m float64, unit string) string {
	if m < 1 {
		return f1(m*1e3) + " thousand " + unit + "/s"
	}
	return f1(m) + " million " + unit + "/s"
}
