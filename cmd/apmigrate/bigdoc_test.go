package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/apmigrate/apmigrate/convert"
)

// streamDocs are the documents the streaming path is held to the whole
// one with: the documented lists and collections, and a list and a
// collection of every documented policy (with a policy that fails, an
// element that is not a policy and a context to rewrite), as written, on
// one line and indented with tabs.
func streamDocs(t *testing.T) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	var policies [][]byte
	for _, dir := range []string{"beta", "v1.0"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "docs", dir, "*.json"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			kind, ps, err := convert.Split(b)
			if err != nil {
				continue
			}
			if kind != convert.KindPolicy {
				docs[dir+"/"+filepath.Base(f)] = b
			}
			for _, p := range ps {
				policies = append(policies, p.Raw)
			}
		}
	}
	list := "[\n" + string(bytes.Join(policies, []byte(",\n"))) + ",\n42,\n{\"durationInDays\": \"Integer\"}\n]\n"
	docs["all: list"] = []byte(list)
	docs["all: collection"] = []byte(`{"@odata.context": "https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/assignmentPolicies", "value": ` + list + `}`)
	for name, b := range maps.Clone(docs) {
		var c, ind bytes.Buffer
		if json.Compact(&c, b) == nil {
			docs[name+" (one line)"] = c.Bytes()
		}
		if json.Indent(&ind, b, "", "\t") == nil {
			docs[name+" (tabs)"] = ind.Bytes()
		}
	}
	// UTF-16 with a byte order mark, and UTF-8 with one.
	var u16 bytes.Buffer
	u16.Write([]byte{0xFF, 0xFE})
	for _, r := range utf16.Encode([]rune(string(docs["all: collection"]))) {
		u16.Write([]byte{byte(r), byte(r >> 8)})
	}
	docs["all: collection (UTF-16LE)"] = u16.Bytes()
	docs["all: list (UTF-8 BOM)"] = append([]byte{0xEF, 0xBB, 0xBF}, docs["all: list"]...)
	if len(docs) < 12 {
		t.Fatalf("only %d documents", len(docs))
	}
	return docs
}

// cliRun is what a run of the command leaves: its output, report and exit
// status, and the file it read (and may have rewritten).
type cliRun struct {
	out, rep, file string
	code           int
}

// streamedRuns names the runs of wholeAndStreamed.
var streamedRuns = [3]string{"read whole", "streamed, -j 1", "streamed, -j 3"}

// wholeAndStreamed writes doc to a file in dir and converts it with args:
// read whole, then streamed on one goroutine and with three workers
// (convert.Options.Jobs).
func wholeAndStreamed(t *testing.T, dir string, doc []byte, args []string) [3]cliRun {
	t.Helper()
	var got [3]cliRun
	for i, min := range []int{1 << 30, 0, 0} {
		streamMin = min
		path := filepath.Join(dir, "doc.json")
		if err := os.WriteFile(path, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		run := append([]string{"convert", "-j", strconv.Itoa(max(1, 2*i-1))}, args...)
		out, rep, code := cli(t, "", append(run, path)...)
		file, _ := os.ReadFile(path)
		got[i] = cliRun{out: out, rep: rep, file: string(file), code: code}
	}
	return got
}

// TestStreamMatchesWhole: a document converted a policy at a time prints,
// rewrites, lists and reports exactly what it does read whole, in every
// mode and report format, and exits the same.
func TestStreamMatchesWhole(t *testing.T) {
	defer func(n int) { streamMin = n }(streamMin)
	dir := t.TempDir()
	modes := [][]string{
		{"--to", "v1.0"},
		{"--to", "beta"},
		{"--to", "v1.0", "--report", "json"},
		{"--to", "v1.0", "--allow-widening", "--report", "json"},
		{"--to", "v1.0", "--strict"},
		{"--to", "v1.0", "-l"},
		{"--to", "v1.0", "--check"},
		{"--to", "v1.0", "-w"},
		{"--to", "beta", "-w", "--report", "json"},
	}
	streamed := 0
	for name, doc := range streamDocs(t) {
		for _, mode := range modes {
			got := wholeAndStreamed(t, dir, doc, mode)
			for i := 1; i < len(got); i++ {
				if d := cmp.Diff(got[0], got[i], cmp.AllowUnexported(got[0])); d != "" {
					t.Errorf("%s, %s, %s: differs from whole (-whole +streamed):\n%s", name, strings.Join(mode, " "), streamedRuns[i], d)
				}
			}
			streamed++
		}
	}
	t.Logf("%d documents and modes", streamed)
}

// TestStreamBigCollection: a collection too large to read whole streams
// from standard input too, and a one-line document is not held whole to
// be told from NDJSON.
func TestStreamBigCollection(t *testing.T) {
	defer func(n, l int) { streamMin, sniffLine = n, l }(streamMin, sniffLine)
	streamMin, sniffLine = 1<<10, 4<<10
	policy := `{"id":"p%d","canExtend":true,"durationInDays":%d}`
	var items []string
	for i := range 500 {
		items = append(items, fmt.Sprintf(policy, i, i%300+1))
	}
	doc := `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/assignmentPolicies","value":[` + strings.Join(items, ",") + `]}`
	res, err := convert.ConvertDocument([]byte(doc), convert.Options{To: "v1.0"})
	if err != nil || res.Failed() > 0 || !res.Changed {
		t.Fatal(err, res.Failed())
	}
	out, rep, code := cli(t, doc, "convert", "--to", "v1.0", "--report", "json", "-")
	if code != exitOK || out != string(res.Output) {
		t.Fatalf("exit %d, output %d bytes (want %d): %.200s", code, len(out), len(res.Output), rep)
	}
	if n := strings.Count(rep, "\n"); n < 500 {
		t.Errorf("%d report records for 500 policies", n)
	}
}

// TestStreamBrokenMatchesWhole: a big document that turns out broken is
// reported as the whole path reports it (the same error, at the same
// place, the same exit status), and a rewrite leaves the file as it was;
// only standard output and the findings before the error differ: the
// policies before the fault were converted, printed and reported.
func TestStreamBrokenMatchesWhole(t *testing.T) {
	defer func(n int) { streamMin = n }(streamMin)
	dir := t.TempDir()
	base := streamDocs(t)["all: collection"]
	for _, cut := range []int{len(base) / 3, len(base) / 2, len(base) - 3} {
		for _, doc := range [][]byte{
			base[:cut], // cut short
			append(append(base[:cut:cut], "\"}"...), base[cut:]...),  // a stray quote
			append(append(base[:cut:cut], "\x01"...), base[cut:]...), // a control character
		} {
			for _, mode := range [][]string{{"--report", "json"}, {"-w", "--report", "json"}, {"--check"}} {
				got := wholeAndStreamed(t, dir, doc, append([]string{"--to", "v1.0"}, mode...))
				for i := range got {
					// Standard output and the findings before the error
					// differ: the error record is the report's last line.
					got[i].out, got[i].rep = "", lastLine(got[i].rep)
				}
				if got[0].code != exitFailed || !strings.Contains(got[0].rep, "invalid") {
					t.Fatalf("cut at %d, %v: the whole path says %+v", cut, mode, got[0])
				}
				for i := 1; i < len(got); i++ {
					if d := cmp.Diff(got[0], got[i], cmp.AllowUnexported(got[0])); d != "" {
						t.Errorf("cut at %d, %v, %s: differs from whole (-whole +streamed):\n%s", cut, mode, streamedRuns[i], d)
					}
				}
			}
		}
	}
}
