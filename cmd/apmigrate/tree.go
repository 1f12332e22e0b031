package main

// Walking the arguments: files are taken as named; directories are walked
// recursively, in lexical order, for the extensions of the input forms.
// Hidden files and directories are skipped (apmigrate's own temporary
// files are hidden), and symlinked directories are not followed, so that a
// walk cannot loop or leave the tree. Symlinked files are taken: a rewrite
// replaces their target.

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// walkedExts are the extensions a directory walk takes.
var walkedExts = map[string]bool{".json": true, ".jsonl": true, ".ndjson": true, ".http": true}

// filters are the --include and --exclude patterns.
type filters struct {
	include, exclude []string
}

// matchAny reports whether any pattern matches rel (slash-separated, from
// the walked argument) or base.
func matchAny(patterns []string, rel, base string) bool {
	for _, p := range patterns {
		if matchGlob(p, rel) || !strings.Contains(p, "/") && matchGlob(p, base) {
			return true
		}
	}
	return false
}

// matchGlob matches a slash-separated path against a pattern of
// path.Match segments, where a ** segment matches any number of segments.
func matchGlob(pattern, name string) bool {
	return matchSegs(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegs(p, n []string) bool {
	for len(p) > 0 {
		if p[0] == "**" {
			for i := 0; i <= len(n); i++ {
				if matchSegs(p[1:], n[i:]) {
					return true
				}
			}
			return false
		}
		if len(n) == 0 {
			return false
		}
		if ok, _ := path.Match(p[0], n[0]); !ok {
			return false
		}
		p, n = p[1:], n[1:]
	}
	return len(n) == 0
}

// collectInputs turns the arguments into inputs, in order. It reports
// whether a directory was walked (the summary is printed for trees).
// Arguments that cannot be read become inputs that carry their error, so
// that it is reported in its place.
func collectInputs(args []string, f filters) ([]input, bool) {
	if len(args) == 0 {
		return []input{{name: stdinName}}, false
	}
	var ins []input
	tree := false
	for _, a := range args {
		if a == "-" {
			ins = append(ins, input{name: stdinName})
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			ins = append(ins, input{name: a, err: err})
			continue
		}
		if !fi.IsDir() {
			ins = append(ins, input{name: a, path: a})
			continue
		}
		tree = true
		ins = walkDir(ins, a, "", f)
	}
	return ins, tree
}

// walkDir appends the inputs under dir (rel is dir relative to the
// argument, slash-separated).
func walkDir(ins []input, dir, rel string, f filters) []input {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return append(ins, input{name: dir, err: err})
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		full := filepath.Join(dir, name)
		r := path.Join(rel, name)
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			fi, err := os.Stat(full)
			if err != nil {
				if walkedExts[strings.ToLower(filepath.Ext(name))] && !matchAny(f.exclude, r, name) {
					ins = append(ins, input{name: full, err: err}) // a broken link to a policy file
				}
				continue
			}
			if fi.IsDir() {
				continue // symlinked directories are not followed
			}
			typ = fi.Mode().Type()
		}
		if typ.IsDir() {
			if !matchAny(f.exclude, r, name) {
				ins = walkDir(ins, full, r, f)
			}
			continue
		}
		if !typ.IsRegular() || !walkedExts[strings.ToLower(filepath.Ext(name))] {
			continue
		}
		if len(f.include) > 0 && !matchAny(f.include, r, name) || matchAny(f.exclude, r, name) {
			continue
		}
		ins = append(ins, input{name: full, path: full, walked: typ == e.Type()})
	}
	return ins
}
