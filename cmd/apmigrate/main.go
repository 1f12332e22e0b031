// Command apmigrate converts Microsoft Graph access package assignment
// policies between the beta and the v1.0 API shapes, reports what each
// conversion changed, and rewrites files and whole trees safely.
//
// See USAGE.md for the commands, every flag, the input forms and the exit
// statuses.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"runtime"
	"strings"
	"syscall"

	"github.com/apmigrate/apmigrate/convert"
	"github.com/apmigrate/apmigrate/model"
)

// Exit statuses.
const (
	exitOK      = 0 // every input converted (findings or not)
	exitFailed  = 1 // an input or a policy was invalid, conflicting or refused, or a file could not be written
	exitUsage   = 2 // the command line is wrong
	exitChanged = 3 // --check: something would change (and nothing failed)
)

func main() {
	// Buffered, so that a report of many findings is not one write(2) a
	// line; standard error stays direct on a terminal, where the progress
	// line must show as it happens.
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	var errw io.Writer = os.Stderr
	var errb *bufio.Writer
	if !isTerminal(os.Stderr) {
		errb = bufio.NewWriterSize(os.Stderr, 64<<10)
		errw = errb
	}
	// An interrupted run leaves no temporary files behind (files being
	// rewritten stay as they were).
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-interrupt
		removeTemps()
		if sig == syscall.SIGTERM {
			os.Exit(128 + 15)
		}
		os.Exit(128 + 2)
	}()
	status := run(os.Args[1:], os.Stdin, out, errw)
	if err := out.Flush(); err != nil && status == 0 {
		fmt.Fprintf(errw, "apmigrate: writing standard output: %v\n", err)
		status = 1
	}
	if errb != nil {
		errb.Flush()
	}
	os.Exit(status)
}

// command is a subcommand.
type command int

const (
	cmdConvert command = iota
	cmdDetect
	cmdValidate
)

// config is a parsed command line.
type config struct {
	cmd           command
	to, from      model.Version
	version       model.Version // validate
	strict        bool
	allowWidening bool
	stash         bool
	stripStash    bool
	forCreate     bool
	extensionIDs  map[string]string
	report        string
	reportFile    string
	write         bool
	list          bool
	diff          bool
	check         bool
	quiet         bool
	jobs          int
	wopts         writeOptions
	include       []string
	exclude       []string
	args          []string
}

// printDocuments reports whether convert prints converted documents (no
// mode flag given).
func (c *config) printDocuments() bool {
	return c.cmd == cmdConvert && !c.write && !c.list && !c.diff && !c.check
}

// run is the whole program, with its inputs and outputs as arguments so
// that tests run it in-process. It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	defer func() {
		// A bug must not end in a half-done state without a word; nothing
		// is half-written in any case (rewrites are atomic).
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "apmigrate: internal error: %v\n", r)
			status = exitFailed
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, shortUsage)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			if h, ok := commandHelp[args[1]]; ok {
				fmt.Fprint(stdout, h)
				return exitOK
			}
			fmt.Fprintf(stderr, "apmigrate help: unknown command %q\n%s", args[1], shortUsage)
			return exitUsage
		}
		fmt.Fprint(stdout, fullHelp())
		return exitOK
	case "convert":
		return runCommand(cmdConvert, args[1:], stdin, stdout, stderr)
	case "detect":
		return runCommand(cmdDetect, args[1:], stdin, stdout, stderr)
	case "validate":
		return runCommand(cmdValidate, args[1:], stdin, stdout, stderr)
	case "codes":
		if len(args) > 1 {
			if args[1] == "-h" || args[1] == "--help" || args[1] == "-help" {
				fmt.Fprint(stdout, codesHelp)
				return exitOK
			}
			fmt.Fprintf(stderr, "apmigrate codes: takes no arguments\n%s", shortUsage)
			return exitUsage
		}
		printCodes(stdout)
		return exitOK
	}
	fmt.Fprintf(stderr, "apmigrate: unknown command %q\n%s", args[0], shortUsage)
	return exitUsage
}

var commandNames = [...]string{"convert", "detect", "validate"}

// usageError is a wrong command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// runCommand parses the flags of a command and runs it.
func runCommand(cmd command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := commandNames[cmd]
	cfg, err := parseFlags(cmd, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, commandHelp[name])
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "apmigrate %s: %v\n%s", name, err, commandUsage[name])
		return exitUsage
	}
	return execute(cfg, stdin, stdout, stderr)
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// newFlagSet defines the flags of a command. Help texts live in help.go,
// which lists every flag defined here (a test checks it).
func newFlagSet(cmd command, cfg *config, to, from, version, forWhat, extMap *string) *flag.FlagSet {
	fs := flag.NewFlagSet(commandNames[cmd], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&cfg.report, "report", reportText, "")
	// GOMAXPROCS, not NumCPU: it follows a container's CPU limit (and
	// the GOMAXPROCS variable), where NumCPU counts the host's CPUs, and
	// each NDJSON worker holds a Converter and two batches (about 1.3 MB
	// streaming the corpus: -j 64 peaked at 90 MB, -j 2 at 12 MB).
	fs.IntVar(&cfg.jobs, "j", runtime.GOMAXPROCS(0), "")
	fs.Var((*stringList)(&cfg.include), "include", "")
	fs.Var((*stringList)(&cfg.exclude), "exclude", "")
	switch cmd {
	case cmdConvert:
		fs.StringVar(to, "to", "", "")
		fs.StringVar(from, "from", "auto", "")
		fs.BoolVar(&cfg.strict, "strict", false, "")
		fs.BoolVar(&cfg.allowWidening, "allow-widening", false, "")
		fs.BoolVar(&cfg.stash, "stash", false, "")
		fs.BoolVar(&cfg.stripStash, "strip-stash", false, "")
		fs.StringVar(forWhat, "for", "update", "")
		fs.StringVar(extMap, "extension-map", "", "")
		fs.StringVar(&cfg.reportFile, "report-file", "", "")
		fs.BoolVar(&cfg.write, "w", false, "")
		fs.BoolVar(&cfg.list, "l", false, "")
		fs.BoolVar(&cfg.diff, "d", false, "")
		fs.BoolVar(&cfg.check, "check", false, "")
		fs.BoolVar(&cfg.quiet, "q", false, "")
		fs.BoolVar(&cfg.wopts.force, "force", false, "")
		fs.StringVar(&cfg.wopts.backup, "backup", "", "")
	case cmdValidate:
		fs.StringVar(version, "version", "", "")
	}
	return fs
}

// parseFlags parses the command line of a command. Flags and arguments may
// be mixed (apmigrate convert a.json --to v1.0); "--" ends the flags.
func parseFlags(cmd command, args []string) (*config, error) {
	cfg := &config{cmd: cmd}
	var to, from, version, forWhat, extMap string
	fs := newFlagSet(cmd, cfg, &to, &from, &version, &forWhat, &extMap)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		rest := fs.Args()
		consumed := args[:len(args)-len(rest)]
		if len(rest) == 0 {
			break
		}
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			cfg.args = append(cfg.args, rest...)
			break
		}
		cfg.args = append(cfg.args, rest[0])
		args = rest[1:]
	}
	var err error
	switch cfg.report {
	case reportText, reportJSON, reportGitHub:
	default:
		return nil, usagef("--report must be text, json or github, not %q", cfg.report)
	}
	if cmd != cmdConvert && cfg.report == reportGitHub {
		return nil, usagef("--report must be text or json")
	}
	if cfg.jobs < 1 {
		return nil, usagef("-j must be at least 1")
	}
	for _, p := range append(append([]string(nil), cfg.include...), cfg.exclude...) {
		if _, err := path.Match(p, ""); err != nil || p == "" {
			return nil, usagef("bad glob pattern %q", p)
		}
	}
	stdin := 0
	for _, a := range cfg.args {
		if a == "-" {
			stdin++
		}
	}
	if len(cfg.args) == 0 {
		stdin = 1
	}
	if stdin > 1 {
		return nil, usagef("standard input (-) can be read only once")
	}
	switch cmd {
	case cmdValidate:
		if version == "" {
			return nil, usagef("--version is required (beta or v1.0)")
		}
		if cfg.version, err = model.ParseVersion(version); err != nil {
			return nil, usagef("--version: %v", err)
		}
	case cmdDetect:
	case cmdConvert:
		if to == "" {
			return nil, usagef("--to is required (beta or v1.0)")
		}
		if cfg.to, err = model.ParseVersion(to); err != nil {
			return nil, usagef("--to: %v", err)
		}
		if from != "auto" && from != "" {
			if cfg.from, err = model.ParseVersion(from); err != nil {
				return nil, usagef("--from: %v (or auto)", err)
			}
		}
		if cfg.strict && cfg.allowWidening {
			return nil, usagef("--strict and --allow-widening exclude each other")
		}
		if cfg.stash && cfg.stripStash {
			return nil, usagef("--stash and --strip-stash exclude each other")
		}
		switch forWhat {
		case "create":
			cfg.forCreate = true
		case "update":
		default:
			return nil, usagef("--for must be create or update, not %q", forWhat)
		}
		if extMap != "" {
			if cfg.extensionIDs, err = readExtensionMap(extMap); err != nil {
				return nil, err
			}
		}
		if cfg.write && stdin > 0 {
			return nil, usagef("-w rewrites files; it cannot rewrite standard input (name the files or directories)")
		}
		if cfg.check && cfg.write {
			return nil, usagef("--check reports what would change; it cannot be combined with -w")
		}
		if cfg.wopts.backup != "" && !cfg.write {
			return nil, usagef("--backup only applies with -w")
		}
		if cfg.wopts.backup != "" && strings.ContainsAny(cfg.wopts.backup, `/\`) {
			return nil, usagef("--backup takes a suffix such as .bak, not a path")
		}
		if cfg.wopts.force && !cfg.write {
			return nil, usagef("--force only applies with -w")
		}
		if _, err := convert.NewConverter(cfg.options()); err != nil {
			return nil, usagef("%v", err)
		}
	}
	return cfg, nil
}

// options returns the library options of a conversion. Its reports never
// show the evidence of a conversion's detection (detect does, by
// convert.Detect), so the paths are not built.
func (c *config) options() convert.Options {
	return convert.Options{To: c.to, From: c.from, Strict: c.strict, AllowWidening: c.allowWidening,
		Stash: c.stash, StripStash: c.stripStash, ForCreate: c.forCreate, ExtensionIDs: c.extensionIDs,
		NoEvidence: true, Jobs: c.jobs}
}

// readExtensionMap reads the --extension-map file: a JSON object of old
// custom extension ids to new ones. Any problem with it is a usage error,
// since converting without the map would write the old ids.
func readExtensionMap(name string) (map[string]string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, usagef("--extension-map: cannot read %s: %v", name, unwrapPath(err))
	}
	bad := func(format string, args ...any) error {
		return usagef("--extension-map %s: %s (want a JSON object of old custom extension ids to new ones, such as {\"old-id\": \"new-id\"})", name, fmt.Sprintf(format, args...))
	}
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			// Offset counts the offending byte.
			line, col := position(b, max(int(se.Offset)-1, 0))
			return nil, bad("invalid JSON at line %d, column %d: %v", line, col, se)
		}
		return nil, bad("invalid JSON: %v", err)
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, bad("found %s, not an object", jsonKind(raw))
	}
	ids := make(map[string]string, len(obj))
	for k, v := range obj {
		s, ok := v.(string)
		switch {
		case k == "":
			return nil, bad("an empty old id")
		case !ok:
			return nil, bad("the new id of %q is %s, not a string", k, jsonKind(v))
		case s == "":
			return nil, bad("the new id of %q is empty", k)
		}
		ids[k] = s
	}
	return ids, nil
}

// jsonKind names the JSON kind of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}
