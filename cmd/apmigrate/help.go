package main

// Help texts. Every flag that newFlagSet defines is listed here (a test
// checks it), and USAGE.md says the same at more length.

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/apmigrate/apmigrate/convert"
)

const shortUsage = `usage: apmigrate convert --to v1.0|beta [flags] [FILE|DIR|-]...
       apmigrate detect [flags] [FILE|DIR|-]...
       apmigrate validate --version v1.0|beta [flags] [FILE|DIR|-]...
       apmigrate codes
Run 'apmigrate help' for every flag.
`

var commandUsage = map[string]string{
	"convert":  "usage: apmigrate convert --to v1.0|beta [flags] [FILE|DIR|-]...\nRun 'apmigrate help convert' for every flag.\n",
	"detect":   "usage: apmigrate detect [flags] [FILE|DIR|-]...\nRun 'apmigrate help detect' for every flag.\n",
	"validate": "usage: apmigrate validate --version v1.0|beta [flags] [FILE|DIR|-]...\nRun 'apmigrate help validate' for every flag.\n",
}

const inputsHelp = `Inputs (FILE, DIR or - for standard input; none means standard input):
  a policy, a JSON array of policies, a Graph collection response
  ({"@odata.context": ..., "value": [...]}), NDJSON / JSON Lines (.jsonl,
  .ndjson, or one JSON value per line; streamed), saved HTTP requests (.http,
  or text starting with a request line; several separated by ### lines), or
  a Graph JSON batch ({"requests": [...]}). UTF-8 with or without BOM,
  UTF-16 LE/BE and CRLF line ends are read and written back as they were.
  Directories are walked for .json, .jsonl, .ndjson and .http files,
  skipping hidden entries and not following symlinked directories.
`

const walkFlagsHelp = `  --include GLOB      walk only files matching GLOB (repeatable); matched
                      against the path relative to the DIR argument and
                      against the base name; ** matches any number of
                      directories
  --exclude GLOB      skip files and directories matching GLOB (repeatable)
  -j N                inputs processed in parallel, and the lines of an
                      NDJSON file and the policies of a big document
                      (default: the CPUs this process may use: GOMAXPROCS,
                      which follows a container's CPU limit); output stays
                      in input order
`

const exitHelp = `Exit status:
  0  every input converted (with findings or not), or nothing to report
  1  an input or a policy was invalid, conflicting or refused, or a file
     could not be read or written (the other inputs are still processed)
  2  usage error
  3  convert --check: something would change, and nothing failed
`

var commandHelp = map[string]string{
	"convert": `usage: apmigrate convert --to v1.0|beta [flags] [FILE|DIR|-]...

Converts each input to the target version. By default the converted
documents go to standard output; findings and errors go to standard error.

Conversion:
  --to VERSION        target version: v1.0 or beta (required)
  --from VERSION      source version: auto (default), beta or v1.0; an input
                      purely of the other version is an error
  --strict            refuse any conversion with a loss or widening finding
  --allow-widening    convert even when a finding widens access (by default
                      such a policy is refused); excludes --strict
  --stash             keep what the target version cannot hold in the
                      "@apmigrate.stash" annotation, so that converting back
                      restores it (for storage; Graph does not accept it)
  --strip-stash       remove stash annotations; excludes --stash
  --for create|update create: also remove what Graph sets itself (id, dates,
                      createdBy, @odata.context, ...), so that an exported
                      policy can be POSTed again; update (default): keep them
  --extension-map FILE
                      a JSON object of old custom extension ids to new ones,
                      applied where custom extension handlers are converted

Modes (default: print the converted documents):
  -w                  rewrite the files in place (atomically; a file with
                      any failure is left untouched)
  -l                  list the files that would change
  -d                  print a unified diff of each file that would change
  --check             exit 3 when anything would change and nothing failed
  --backup SUFFIX     with -w: keep each original as FILE+SUFFIX
  --force             with -w: rewrite files with several hard links too
                      (breaking the links)

Reports:
  --report FORMAT     text (default), json (JSON Lines, one object per
                      finding or error) or github (workflow commands)
  --report-file PATH  write the report to PATH instead of standard error
  -q                  no progress line and no summary

Inputs:
` + walkFlagsHelp + "\n" + inputsHelp + "\n" + exitHelp,

	"detect": `usage: apmigrate detect [flags] [FILE|DIR|-]...

Prints the shape of each policy (beta, v1.0, mixed or neutral; each item of
a list or collection) and the paths that are evidence of it.

  --report FORMAT     text (default) or json (JSON Lines)
` + walkFlagsHelp + "\n" + inputsHelp + "\n" + exitHelp,

	"validate": `usage: apmigrate validate --version v1.0|beta [flags] [FILE|DIR|-]...

Checks each policy (each item of a list or collection) against the schema
of a version and prints every problem with its path.

  --version VERSION   the version to validate against: v1.0 or beta (required)
  --report FORMAT     text (default) or json (JSON Lines)
` + walkFlagsHelp + "\n" + inputsHelp + "\n" + exitHelp,
}

const codesHelp = `usage: apmigrate codes

Lists every finding code with its severity, direction and meaning.
`

// fullHelp is the help of apmigrate: what it does and every command's flags.
func fullHelp() string {
	var b strings.Builder
	b.WriteString(`apmigrate converts Microsoft Graph access package assignment policies
between the beta and v1.0 API shapes.

Commands:
  convert    convert policies (files, trees, standard input)
  detect     print the version shape of policies and its evidence
  validate   check policies against the schema of a version
  codes      list the finding codes
  help       print this help, or 'apmigrate help COMMAND'

`)
	for _, name := range commandNames {
		b.WriteString(strings.Repeat("-", 72) + "\n")
		h := commandHelp[name]
		// The input and exit sections are the same for every command.
		h = h[:strings.Index(h, "\n"+inputsHelp)]
		b.WriteString(h)
		b.WriteString("\n")
	}
	b.WriteString(strings.Repeat("-", 72) + "\n")
	b.WriteString(inputsHelp + "\n" + exitHelp)
	return b.String()
}

// printCodes lists the finding codes of the library.
func printCodes(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tSEVERITY\tDIRECTION\tMEANING")
	for _, c := range convert.Codes() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Code, c.Severity, c.Directions, c.Meaning)
	}
	tw.Flush()
}
