package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apmigrate/apmigrate/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// docExamples returns the documented example payloads in testdata/docs.
func docExamples(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"beta", "v1.0"} {
		m, err := filepath.Glob(filepath.Join("..", "testdata", "docs", dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 90 {
		t.Fatalf("found %d documented examples under testdata/docs, want the 92 of the spec", len(files))
	}
	sort.Strings(files)
	return files
}

// report renders a document conversion as the readable findings file.
func report(res DocumentResult, err error) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "error: %s: %v\n", errCode(err), err)
		return b.String()
	}
	fmt.Fprintf(&b, "kind: %s; changed: %v\n", res.Kind, res.Changed)
	for _, it := range res.Items {
		prefix := ""
		if it.Index >= 0 {
			prefix = fmt.Sprintf("[%d] ", it.Index)
		}
		fmt.Fprintf(&b, "%sshape: %s\n", prefix, it.Detection.Shape)
		// The evidence too: the converter notes it on the way and keeps
		// only the outermost paths, which these lines hold still.
		if d := it.Detection; len(d.Beta)+len(d.V1) > 0 {
			fmt.Fprintf(&b, "%sevidence: beta %s; v1.0 %s\n", prefix, strings.Join(d.Beta, ", "), strings.Join(d.V1, ", "))
		}
		for _, f := range it.Findings {
			fmt.Fprintf(&b, "%s%s\n", prefix, f)
		}
		if it.Err != nil {
			fmt.Fprintf(&b, "%serror: %s: %v\n", prefix, errCode(it.Err), it.Err)
		}
	}
	return b.String()
}

func errCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return "error"
}

// TestGolden converts every documented example in both directions and
// compares the output and the findings with the golden files.
func TestGolden(t *testing.T) {
	for _, file := range docExamples(t) {
		in, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel := filepath.Join(filepath.Base(filepath.Dir(file)), filepath.Base(file))
		for _, to := range model.Versions {
			t.Run(string(to)+"/"+rel, func(t *testing.T) {
				res, err := ConvertDocument(in, Options{To: to, Name: rel, AllowWidening: true})
				base := filepath.Join("..", "testdata", "golden", "to-"+string(to), strings.TrimSuffix(rel, filepath.Ext(rel)))
				golden(t, base+".findings", []byte(report(res, err)))
				if err != nil {
					if filepath.Ext(file) != ".txt" {
						t.Errorf("a valid example failed as a document: %v", err)
					}
					return
				}
				if filepath.Ext(file) == ".txt" {
					t.Errorf("an invalid example (.txt) converted without an error")
				}
				if res.Output != nil {
					golden(t, base+".json", res.Output)
				}
			})
		}
	}
}

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file (run go test ./convert -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", path, cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")))
	}
}

// TestExamplesProperties checks, for every valid example and both targets:
// converting the output again changes nothing; converting to the version
// it already is returns the same bytes; a round trip keeps every value
// that no finding names.
func TestExamplesProperties(t *testing.T) {
	for _, file := range docExamples(t) {
		if filepath.Ext(file) == ".txt" {
			continue
		}
		in, _ := os.ReadFile(file)
		rel := filepath.Join(filepath.Base(filepath.Dir(file)), filepath.Base(file))
		for _, to := range model.Versions {
			t.Run(string(to)+"/"+rel, func(t *testing.T) {
				opts := Options{To: to, Name: rel, AllowWidening: true}
				res, err := ConvertDocument(in, opts)
				if err != nil || res.Failed() > 0 {
					return // the placeholder resources; their errors are golden
				}
				again, err := ConvertDocument(res.Output, opts)
				if err != nil {
					t.Fatalf("converting the output again: %v", err)
				}
				if again.Changed || !bytes.Equal(again.Output, res.Output) {
					t.Errorf("not idempotent:\n%s", cmp.Diff(string(res.Output), string(again.Output)))
				}
				for _, it := range again.Items {
					if len(it.Findings) > 0 {
						t.Errorf("converting the output again reported %v", it.Findings)
					}
				}
				if !res.Changed {
					if !bytes.Equal(res.Output, in) {
						t.Errorf("unchanged output is not the input")
					}
					return
				}
				checkValid(t, in, res, to)
				back, err := ConvertDocument(res.Output, Options{To: to.Other(), AllowWidening: true})
				if err != nil || back.Failed() > 0 {
					t.Fatalf("converting back failed: %v %v", err, back.Items)
				}
				// Round trip: source → target → source keeps what no finding
				// names. Only for inputs purely of the source version: a mixed
				// input comes back normalized, which idempotence covers.
				for _, it := range res.Items {
					if it.Detection.Shape != Shape(to.Other()) {
						return
					}
				}
				excused := excusedPaths(res, back)
				var a, b any
				if json.Unmarshal(in, &a) != nil || json.Unmarshal(back.Output, &b) != nil {
					t.Fatal("round trip output is not JSON")
				}
				for _, d := range leafDiffs("", a, b) {
					if !excusedBy(d.path, excused) {
						t.Errorf("round trip changed %s, which no finding names", d)
					}
				}
			})
		}
	}
}

// Codes whose findings say a value changed, moved out of its list or was
// filled in, and so excuse a difference at their paths after a round trip.
var excusingCodes = map[Code]bool{
	CodeServerFieldDropped: true, CodeDefaultFilled: true, CodeIsBackupDropped: true, CodeAcceptRequestsIgnored: true,
	CodeEmptySettingDropped: true, CodeExpandedMemberDropped: true, CodeApproversSplit: true, CodeDuplicateDropped: true,
	CodeApprovalModeDerived: true, CodeStringCoerced: true, CodeValueMapped: true, CodeDeprecatedNormalized: true,
}

func excusedPaths(legs ...DocumentResult) []string {
	var ps []string
	for _, leg := range legs {
		for _, it := range leg.Items {
			for _, f := range it.Findings {
				if f.Severity != Info || excusingCodes[f.Code] {
					prefix := ""
					switch {
					case leg.Kind == KindCollection:
						prefix = fmt.Sprintf("value[%d].", it.Index)
					case it.Index >= 0:
						prefix = fmt.Sprintf("[%d].", it.Index)
					}
					for _, p := range []string{f.Path, f.TargetPath} {
						if p != "" {
							ps = append(ps, strings.Replace(prefix+p, ".[", "[", 1))
						}
					}
				}
			}
		}
	}
	return ps
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

func excusedBy(p string, excused []string) bool {
	for _, e := range excused {
		if e == "" {
			continue
		}
		if strings.HasPrefix(p, e) || strings.HasPrefix(indexRE.ReplaceAllString(p, "[]"), indexRE.ReplaceAllString(e, "[]")) {
			return true
		}
	}
	return false
}

// leafDiff is a leaf value of a that b lacks or changes.
type leafDiff struct{ path, what string }

func (d leafDiff) String() string { return d.path + " " + d.what }

// leafDiffs lists the paths (in the package's notation) where b lacks or
// changes a leaf value of a.
func leafDiffs(path string, a, b any) []leafDiff {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if b == nil {
			bv, ok = map[string]any{}, true
		}
		if !ok {
			return []leafDiff{{path, "(was an object)"}}
		}
		var out []leafDiff
		keys := make([]string, 0, len(av))
		for k := range av {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "@odata.context" {
				continue // rewritten to the target version by design (decision 14)
			}
			out = append(out, leafDiffs(model.JoinPath(path, k), av[k], bv[k])...)
		}
		return out
	case []any:
		bv, ok := b.([]any)
		if b == nil {
			bv, ok = []any{}, true
		}
		if !ok {
			return []leafDiff{{path, "(was an array)"}}
		}
		var out []leafDiff
		for i := range av {
			var bi any
			if i < len(bv) {
				bi = bv[i]
			}
			out = append(out, leafDiffs(fmt.Sprintf("%s[%d]", path, i), av[i], bi)...)
		}
		return out
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		return []leafDiff{{path, fmt.Sprintf("(%v → %v)", a, b)}}
	}
	return nil
}

// TestSourceDocsCovered checks that every JSON payload of the v1.0 update
// page (markdown) is among the examples in testdata/docs.
func TestSourceDocsCovered(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("..", "testdata", "source-docs", "v1.0-update-accesspackageassignmentpolicy.md"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []any
	for _, f := range docExamples(t) {
		b, _ := os.ReadFile(f)
		var v any
		if json.Unmarshal(b, &v) == nil {
			examples = append(examples, v)
		}
	}
	blocks := regexp.MustCompile("(?s)```\\s*http\\s*\\n(.*?)```").FindAllSubmatch(md, -1)
	if len(blocks) == 0 {
		t.Fatal("no JSON blocks found in the v1.0 update page")
	}
	for n, blk := range blocks {
		var v any
		// An HTTP block: request or status line, headers, a blank line, the body.
		_, body, ok := bytes.Cut(bytes.ReplaceAll(blk[1], []byte("\r\n"), []byte("\n")), []byte("\n\n"))
		if body = bytes.TrimSpace(body); !ok || len(body) == 0 {
			continue // no body
		}
		if json.Unmarshal(body, &v) != nil {
			t.Errorf("JSON block %d of the v1.0 update page does not parse", n)
			continue
		}
		found := false
		for _, e := range examples {
			if cmp.Equal(e, v) {
				found = true
			}
		}
		if !found {
			t.Errorf("JSON block %d of the v1.0 update page is not among testdata/docs", n)
		}
	}
}

// checkValid holds the output against model.Validate for the target
// version. Allowed: unknown properties the input already had (by name),
// and problems the input already had in its own version (the same code and
// the same value found: a value that is only copied stays as written).
func checkValid(t *testing.T, in []byte, res DocumentResult, to model.Version) {
	t.Helper()
	items := func(doc []byte) [][]byte {
		var out [][]byte
		switch res.Kind {
		case KindPolicy:
			return [][]byte{doc}
		case KindList:
			var raw []json.RawMessage
			json.Unmarshal(doc, &raw)
			for _, r := range raw {
				out = append(out, r)
			}
		case KindCollection:
			var c struct{ Value []json.RawMessage }
			json.Unmarshal(doc, &c)
			for _, r := range c.Value {
				out = append(out, r)
			}
		}
		return out
	}
	ins, outs := items(in), items(res.Output)
	if len(ins) != len(outs) {
		t.Fatalf("%d policies in, %d out", len(ins), len(outs))
	}
	for i := range outs {
		allowed := map[string]bool{}
		for _, it := range res.Items {
			if it.Index == i || it.Index < 0 {
				for _, f := range it.Findings {
					if f.Code == CodeUnknownProperty {
						segs := splitPath(t, f.Path)
						allowed["unknown:"+fmt.Sprint(segs[len(segs)-1])] = true
					}
				}
			}
		}
		for _, v := range model.Versions {
			ps, _ := model.Validate(ins[i], v)
			for _, p := range ps {
				// An abstract beta userSet is faithfully an abstract subjectSet.
				allowed[string(p.Code)+":"+strings.ReplaceAll(p.Found, "userSet", "subjectSet")] = true
			}
		}
		ps, err := model.Validate(outs[i], to)
		if err != nil {
			t.Fatalf("output does not validate: %v", err)
		}
		for _, p := range ps {
			key := string(p.Code) + ":" + p.Found
			if p.Code == model.CodeUnknownProperty {
				segs := splitPath(t, p.Path)
				key = "unknown:" + fmt.Sprint(segs[len(segs)-1])
			}
			if !allowed[key] {
				t.Errorf("output is not valid %s: %s", to, p)
			}
		}
	}
}
