package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apmigrate/apmigrate/convert"
	"github.com/apmigrate/apmigrate/model"
)

// cli runs the program in-process and returns its outputs and status.
func cli(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// docPath is the path of a documented example.
func docPath(version, name string) string {
	return filepath.Join("..", "..", "testdata", "docs", version, name)
}

func readDoc(t *testing.T, version, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(docPath(version, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Documented examples with known outcomes when converted to v1.0.
const (
	betaPolicy     = "graphdocs-accesspackageassignmentpolicy-post-12-request.json"          // converts, with loss findings
	betaSimple     = "graphdocs-accesspackageassignmentpolicy-post-03-request.json"          // converts, info findings only
	betaWidening   = "contrib-accesspackageassignmentpolicy-get-01-response.json"            // refused: widening
	betaBadValue   = "graphdocs-accesspackageassignmentpolicy-08-resource.json"              // invalid value
	betaCollection = "graphdocs-accesspackageassignmentpolicy-list-02-response.json"         // collection, converts
	v1Policy       = "contrib-entitlementmanagement-post-assignmentpolicies-03-request.json" // already v1.0
	v1Invalid      = "learn-accesspackageassignmentpolicy-03-resource.txt"                   // invalid JSON
)

// libConvert is the library's conversion of a document to v1.0 with the
// CLI's default options: the output every CLI form must match.
func libConvert(t *testing.T, doc []byte, opts ...func(*convert.Options)) []byte {
	t.Helper()
	o := convert.Options{To: model.V1}
	for _, f := range opts {
		f(&o)
	}
	res, err := convert.ConvertDocument(doc, o)
	if err != nil || res.Failed() > 0 {
		t.Fatalf("the library does not convert the test document: %v %v", err, res.Items)
	}
	return res.Output
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "p.json")
	os.WriteFile(file, readDoc(t, "beta", betaSimple), 0o644)
	tests := []struct {
		name string
		args []string
		want string // in standard error
	}{
		{"no command", nil, "usage: apmigrate convert"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"no --to", []string{"convert", file}, "--to is required"},
		{"bad --to", []string{"convert", "--to", "v2", file}, `unknown API version "v2"`},
		{"bad --from", []string{"convert", "--to", "v1.0", "--from", "v3", file}, "--from"},
		{"strict and widening", []string{"convert", "--to", "v1.0", "--strict", "--allow-widening", file}, "exclude each other"},
		{"-w on stdin", []string{"convert", "--to", "v1.0", "-w"}, "cannot rewrite standard input"},
		{"-w on -", []string{"convert", "--to", "v1.0", "-w", "-"}, "cannot rewrite standard input"},
		{"-w and --check", []string{"convert", "--to", "v1.0", "-w", "--check", file}, "cannot be combined with -w"},
		{"stdin twice", []string{"convert", "--to", "v1.0", "-", "-"}, "only once"},
		{"bad report", []string{"convert", "--to", "v1.0", "--report", "xml", file}, "--report must be"},
		{"github for detect", []string{"detect", "--report", "github", file}, "--report must be text or json"},
		{"bad -j", []string{"convert", "--to", "v1.0", "-j", "0", file}, "-j must be at least 1"},
		{"bad glob", []string{"convert", "--to", "v1.0", "--include", "[", dir}, "bad glob pattern"},
		{"unknown flag", []string{"convert", "--to", "v1.0", "--frob", file}, "flag provided but not defined: -frob"},
		{"--backup without -w", []string{"convert", "--to", "v1.0", "--backup", ".bak", file}, "--backup only applies with -w"},
		{"--backup path", []string{"convert", "--to", "v1.0", "-w", "--backup", "x/y", file}, "suffix"},
		{"--force without -w", []string{"convert", "--to", "v1.0", "--force", file}, "--force only applies with -w"},
		{"validate without --version", []string{"validate", file}, "--version is required"},
		{"help of unknown", []string{"help", "frob"}, "unknown command"},
		{"codes with args", []string{"codes", "x"}, "takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := cli(t, "", tt.args...)
			if code != exitUsage {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, exitUsage, errs)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, errs)
			}
			if !strings.Contains(errs, "usage: apmigrate") {
				t.Errorf("stderr has no short usage:\n%s", errs)
			}
			if out != "" {
				t.Errorf("stdout is not empty:\n%s", out)
			}
		})
	}
	// Nothing was written by any of them.
	if b, _ := os.ReadFile(file); !bytes.Equal(b, readDoc(t, "beta", betaSimple)) {
		t.Error("a usage error changed the file")
	}
}

// TestHelp checks that every help lists every flag of its command.
func TestHelp(t *testing.T) {
	full, _, code := cli(t, "", "--help")
	if code != 0 {
		t.Fatalf("--help: exit %d", code)
	}
	if h, _, _ := cli(t, "", "help"); h != full {
		t.Error("help and --help differ")
	}
	for cmd, name := range commandNames {
		var cfg config
		var a, b, c, d, e string
		fs := newFlagSet(command(cmd), &cfg, &a, &b, &c, &d, &e)
		h1, _, code1 := cli(t, "", name, "-h")
		h2, _, code2 := cli(t, "", "help", name)
		h3, _, code3 := cli(t, "", name, "--help")
		if code1 != 0 || code2 != 0 || code3 != 0 || h1 != h2 || h1 != h3 || h1 != commandHelp[name] {
			t.Errorf("%s: -h, --help and help %s differ or fail", name, name)
		}
		fs.VisitAll(func(f *flag.Flag) {
			dash := "--"
			if len(f.Name) == 1 {
				dash = "-"
			}
			for where, h := range map[string]string{"apmigrate help " + name: h1, "apmigrate --help": full} {
				if !strings.Contains(h, "  "+dash+f.Name+" ") && !strings.Contains(h, "  "+dash+f.Name+"\n") {
					t.Errorf("%s does not list %s%s", where, dash, f.Name)
				}
			}
		})
	}
	// USAGE.md documents every flag and exit status too.
	usage, err := os.ReadFile("USAGE.md")
	if err != nil {
		t.Fatal(err)
	}
	for cmd := range commandNames {
		var cfg config
		var a, b, c, d, e string
		newFlagSet(command(cmd), &cfg, &a, &b, &c, &d, &e).VisitAll(func(f *flag.Flag) {
			dash := "--"
			if len(f.Name) == 1 {
				dash = "-"
			}
			if !bytes.Contains(usage, []byte("`"+dash+f.Name)) {
				t.Errorf("USAGE.md does not document %s%s", dash, f.Name)
			}
		})
	}
	for _, s := range []string{"| **0** |", "| **1** |", "| **2** |", "| **3** |", "NDJSON", "UTF-16", "###", "batch"} {
		if !bytes.Contains(usage, []byte(s)) {
			t.Errorf("USAGE.md does not mention %q", s)
		}
	}
	for _, s := range []string{"Exit status", "  3  ", "NDJSON", "UTF-16", "###"} {
		if !strings.Contains(full, s) {
			t.Errorf("--help does not mention %q", s)
		}
	}
	codes, _, code := cli(t, "", "codes")
	if code != 0 || !strings.Contains(codes, "verifiable-credentials-dropped") || !strings.Contains(codes, "widening") {
		t.Errorf("codes: exit %d\n%s", code, codes)
	}
}

// TestExitStatus covers each exit status of convert.
func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	put := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := put("good.json", readDoc(t, "beta", betaSimple))
	done := put("done.json", readDoc(t, "v1.0", v1Policy))
	widening := put("widening.json", readDoc(t, "beta", betaWidening))
	badValue := put("badvalue.json", readDoc(t, "beta", betaBadValue))
	badJSON := put("bad.json", readDoc(t, "v1.0", v1Invalid))
	conflict := put("conflict.json", []byte(`{"accessPackageId": "a", "accessPackage": {"id": "b"}}`))
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"converts", []string{good}, 0, "info: moved"},
		{"already converted", []string{done}, 0, ""},
		{"widening refused", []string{widening}, 1, "error: refused: conversion refused: expected no widening finding (convert anyway with --allow-widening) because of verifiable-credentials-dropped at verifiableCredentialSettings (widening)"},
		{"widening allowed", []string{"--allow-widening", widening}, 0, "widening: verifiable-credentials-dropped"},
		{"strict refuses loss", []string{"--strict", filepath.Join("..", "..", "testdata", "docs", "beta", betaPolicy)}, 1, "expected no loss or widening finding (--strict)"},
		{"invalid value", []string{badValue}, 1, "badvalue.json: durationInDays: error: invalid-value: invalid value: expected a whole number (Int32), found a string \"Integer\""},
		{"invalid JSON", []string{badJSON}, 1, "bad.json: error: invalid-json: invalid JSON at line 36, column 3 (byte 1097): expected a JSON value, found ']'"},
		{"conflict", []string{conflict}, 1, "conflict.json: accessPackageId: error: conflict: conflicting values with accessPackage.id"},
		{"wrong version", []string{"--from", "beta", done}, 1, "done.json: error: wrong-version: input is not of the stated version: expected a beta payload"},
		{"missing file", []string{filepath.Join(dir, "nope.json")}, 1, "nope.json: error: read-failed: no such file or directory"},
		{"one bad among good", []string{good, badJSON, done}, 1, "apmigrate: 3 files (1 failed)"},
		{"check with changes", []string{"--check", good, done}, 3, "1 to convert, 1 already v1.0"},
		{"check without changes", []string{"--check", done}, 0, ""},
		{"check with a failure", []string{"--check", good, badJSON}, 1, "invalid-json"},
		{"list", []string{"-l", good, done}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"convert", "--to", "v1.0"}, tt.args...)
			_, errs, code := cli(t, "", args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, errs)
			}
		})
	}
}

// TestStdin converts standard input to standard output, and keeps
// standard error free of a summary for a single document.
func TestStdin(t *testing.T) {
	in := readDoc(t, "beta", betaSimple)
	want := libConvert(t, in)
	for _, args := range [][]string{{"convert", "--to", "v1.0"}, {"convert", "--to", "v1.0", "-"}, {"convert", "-", "--to", "v1.0"}} {
		out, errs, code := cli(t, string(in), args...)
		if code != 0 || out != string(want) {
			t.Errorf("%v: exit %d, output differs from the library's", args, code)
		}
		if strings.Contains(errs, "apmigrate:") {
			t.Errorf("%v: summary printed for a single document:\n%s", args, errs)
		}
	}
	// The example of the README.
	out, _, code := cli(t, "", "convert", "--to", "v1.0", docPath("beta", betaPolicy))
	if code != 0 || out != string(libConvert(t, readDoc(t, "beta", betaPolicy))) {
		t.Errorf("converting %s: exit %d", betaPolicy, code)
	}
}

// TestOptionsNoEvidence: the conversions of the command line leave out the
// detection's evidence paths, which no report of convert shows (detect
// has its own), whatever the flags.
func TestOptionsNoEvidence(t *testing.T) {
	for _, args := range [][]string{
		{"--to", "v1.0"},
		{"--to", "beta", "--from", "v1.0", "--strict", "--stash"},
		{"--to", "v1.0", "--allow-widening", "--for", "create"},
	} {
		cfg, err := parseFlags(cmdConvert, args)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !cfg.options().NoEvidence {
			t.Errorf("%v: the conversions build evidence paths", args)
		}
	}
}
