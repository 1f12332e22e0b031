package main

// Running a command over its inputs: a pool of workers, each with its own
// converter, processes the inputs in parallel; a sequencer writes what
// they print in input order; the progress line and the summary go to
// standard error.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/apmigrate/apmigrate/convert"
)

// execute runs a parsed command and returns the exit status.
func execute(cfg *config, stdin io.Reader, stdout, stderr io.Writer) int {
	inputs, tree := collectInputs(cfg.args, filters{cfg.include, cfg.exclude})
	if cfg.write {
		inputs = dedupe(inputs, len(cfg.args) == 1)
	}

	var rep io.Writer = stderr
	if cfg.reportFile != "" {
		f, err := os.Create(cfg.reportFile)
		if err != nil {
			fmt.Fprintf(stderr, "apmigrate: --report-file: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		rep = f
	}
	showProgress := cfg.cmd == cmdConvert && !cfg.quiet && isTerminal(stderr)
	prog := newProgress(stderr, len(inputs), showProgress)
	if rep == stderr {
		rep = prog // clears the progress line before each report line
	}

	jobs := min(cfg.jobs, len(inputs))
	// Whole-file rewrites are committed in groups (group.go); the inputs
	// of a worker's open group keep their slots, so the window makes room
	// for them.
	group := 0
	if cfg.cmd == cmdConvert && cfg.write {
		group = groupSize(jobs)
	}
	q := newSequencer(stdout, rep, max(4*jobs, 16)+jobs*group)
	// Workers take the inputs in order from a shared counter: handing
	// each one over a channel cost more than converting a small file
	// (every hand-over woke a goroutine), and two workers ran no faster
	// than one.
	var next atomic.Int64
	var (
		mu    sync.Mutex
		stats runStats
		wg    sync.WaitGroup
	)
	opts := cfg.options()
	for range jobs {
		p := &proc{cfg: cfg, stdin: stdin}
		if cfg.cmd == cmdConvert {
			cv, err := convert.NewConverter(opts)
			if err != nil { // the options were checked with the flags
				fmt.Fprintf(stderr, "apmigrate: %v\n", err)
				return exitUsage
			}
			p.cv = cv
		}
		// done ends an input: its counts join the run's, its slot closes.
		done := func(st *fileStats, s *slot) {
			mu.Lock()
			stats.add(st)
			mu.Unlock()
			prog.done(st.policies)
			s.close()
		}
		if group > 0 {
			p.group = &commitGroup{size: group}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer p.commitGroup(done)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(inputs) {
					return
				}
				if p.group != nil && len(p.group.items) > 0 && q.wouldWait(i) {
					p.commitGroup(done)
				}
				slot := q.open(i)
				p.out, p.rep = slot.writer(toOut), slot.writer(toRep)
				p.sealed = nil
				p.safeProcess(inputs[i])
				if s := p.sealed; s != nil {
					p.sealed = nil
					s.file, s.st, s.slot = p.file, p.st, slot
					p.group.items = append(p.group.items, *s)
					if len(p.group.items) >= p.group.size {
						p.commitGroup(done)
					}
					continue
				}
				done(&p.st, slot)
			}
		}()
	}
	wg.Wait()
	prog.close()

	status := exitOK
	if q.err[toOut] != nil {
		fmt.Fprintf(stderr, "apmigrate: writing standard output: %v\n", q.err[toOut])
		status = exitFailed
	}
	if q.err[toRep] != nil {
		fmt.Fprintf(stderr, "apmigrate: writing the report: %v\n", q.err[toRep])
		status = exitFailed
	}
	if cfg.cmd == cmdConvert && !cfg.quiet && (len(inputs) > 1 || tree) && !(cfg.report == reportJSON && cfg.reportFile == "") {
		io.WriteString(stderr, stats.summary(cfg))
	}
	switch {
	case stats.errors > 0 || status != exitOK:
		return exitFailed
	case cfg.check && stats.changedFiles > 0:
		return exitChanged
	}
	return status
}

// commitGroup commits p's sealed rewrites and ends their inputs: a failed
// commit is reported as its input's error, in its place.
func (p *proc) commitGroup(done func(*fileStats, *slot)) {
	if p.group == nil || len(p.group.items) == 0 {
		return
	}
	p.group.commit(func(it *sealed) {
		p.file, p.st = it.file, it.st
		p.out, p.rep = it.slot.writer(toOut), it.slot.writer(toRep)
		switch {
		case it.oops != nil:
			p.internalError(it.oops)
		case it.err != nil:
			p.writeError(it.err)
		}
		done(&p.st, it.slot)
	})
}

// dedupe drops inputs that name a file already named (through another
// path, a symlink or a hard link): rewriting one file twice at once would
// make the second rewrite see a file changed under it.
// oneArg says the inputs come from one argument.
func dedupe(ins []input, oneArg bool) []input {
	// A single walked directory names each file once (symlinked files
	// aside, and a hard link is a file of its own): no stat a file, which
	// in a tree of small files was a twentieth of a rewrite, run before
	// the workers start. (A directory mounted twice inside the tree would
	// show a file twice: its second rewrite finds it changed, and leaves
	// it.)
	if oneArg && allWalked(ins) {
		return ins
	}
	seen := make(map[string]bool, len(ins))
	out := ins[:0]
	for _, in := range ins {
		if in.path != "" && in.err == nil {
			if key, ok := fileKey(in.path); ok {
				if seen[key] {
					continue
				}
				seen[key] = true
			}
		}
		out = append(out, in)
	}
	return out
}

// allWalked reports whether every input is a regular file met by a walk.
func allWalked(ins []input) bool {
	for _, in := range ins {
		if !in.walked {
			return false
		}
	}
	return true
}

// resolvedPath is the absolute path of the file at path, symlinks
// resolved.
func resolvedPath(path string) (string, bool) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", false
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	return "path:" + real, true
}

// safeProcess processes an input, turning a panic (a bug, in apmigrate or
// the library) into an error of that input: the other inputs are still
// processed, and the input's file is untouched (a rewrite happens only
// through a complete commit).
func (p *proc) safeProcess(in input) {
	defer func() {
		if r := recover(); r != nil {
			p.internalError(r)
		}
	}()
	p.process(in)
}
