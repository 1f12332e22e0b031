package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/model"
)

// TestConverterResultsClone: a Converter's results live in its memory
// until the next call, and Clone keeps them. Every documented example is
// converted by one Converter per direction; the clones, checked after all
// the calls that followed, equal what the package-level function (which
// hands out the caller's own memory) returns.
func TestConverterResultsClone(t *testing.T) {
	files := docExamples(t)
	for _, to := range model.Versions {
		opts := Options{To: to, AllowWidening: true}
		cv, err := NewConverter(opts)
		if err != nil {
			t.Fatal(err)
		}
		type kept struct {
			file string
			res  DocumentResult
			err  error
			msg  string
		}
		var all []kept
		for _, file := range files {
			in := readFile(t, file)
			res, err := cv.ConvertDocument(in)
			k := kept{file: file, res: res.Clone(), err: err}
			if err != nil {
				k.msg = err.Error()
			}
			all = append(all, k)
			// A policy on its own, through Convert, between documents.
			if one, err := cv.Convert(in); err == nil {
				_ = one.Clone()
			}
		}
		for _, k := range all {
			want, werr := ConvertDocument(readFile(t, k.file), opts)
			if diff := cmp.Diff(want, k.res, errorText); diff != "" {
				t.Errorf("%s → %s: the clone changed after later calls (-want +got):\n%s", k.file, to, diff)
			}
			if (werr == nil) != (k.err == nil) || k.err != nil && k.err.Error() != k.msg {
				t.Errorf("%s → %s: the error changed after later calls: %v, then %v", k.file, to, k.msg, k.err)
			}
		}
	}
}

// errorText compares errors by their text (which names path, finding
// and value).
var errorText = cmp.Comparer(func(a, b error) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Error() == b.Error())
})

// TestConverterErrorsOwned: an error stays as it was when the Converter
// converts again, findings and paths included.
func TestConverterErrorsOwned(t *testing.T) {
	cv, err := NewConverter(Options{To: model.V1})
	if err != nil {
		t.Fatal(err)
	}
	widening := []byte(`{"verifiableCredentialSettings":{"credentialTypes":[{"credentialType":"x"}]},"requestorSettings":{"scopeType":"AllExistingDirectorySubjects","acceptRequests":true},"durationInDays":3}`)
	_, err1 := cv.Convert(widening)
	if !errors.Is(err1, ErrRefused) {
		t.Fatalf("want a refusal, got %v", err1)
	}
	msg := err1.Error()
	var e *Error
	errors.As(err1, &e)
	fs := append([]Finding(nil), e.Findings...)
	for range 3 {
		cv.Convert([]byte(`{"requestorSettings":{"scopeType":"NoSubjects","acceptRequests":false},"durationInDays":7,"canExtend":true,"questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","text":{"defaultText":"why?"}}]}`))
	}
	if err1.Error() != msg {
		t.Errorf("the error changed after later calls:\n%s\nthen\n%s", msg, err1.Error())
	}
	if diff := cmp.Diff(fs, e.Findings); diff != "" {
		t.Errorf("the error's findings changed (-before +after):\n%s", diff)
	}
}

// TestCompactMatchesEncodingJSON: compact (for messages) is
// encoding/json's Compact, cut to compactLimit, on every value of every
// documented example, and the arena's form is the same string.
func TestCompactMatchesEncodingJSON(t *testing.T) {
	want := func(raw string) string {
		var b bytes.Buffer
		if err := json.Compact(&b, []byte(raw)); err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if b.Len() > compactLimit {
			return b.String()[:compactLimit-3] + "..."
		}
		return b.String()
	}
	var ar arena
	n := 0
	var walk func(v gjson.Result)
	walk = func(v gjson.Result) {
		n++
		if got, w := compact(v.Raw), want(v.Raw); got != w {
			t.Errorf("compact(%q) = %q, want %q", v.Raw, got, w)
		}
		if got, w := ar.compact(v.Raw), compact(v.Raw); got != w {
			t.Errorf("arena.compact(%q) = %q, want %q", v.Raw, got, w)
		}
		if v.IsObject() || v.IsArray() {
			v.ForEach(func(_, e gjson.Result) bool { walk(e); return true })
		}
	}
	for _, file := range docExamples(t) {
		if in := readFile(t, file); gjson.ValidBytes(in) {
			walk(gjson.ParseBytes(in))
		}
	}
	for _, raw := range []string{`"a \" b"`, `"\\"`, "[ 1 ,\n\t2 ]", `{"k" : "v w"}`} {
		walk(gjson.Parse(raw))
	}
	if n < 1000 {
		t.Fatalf("only %d values checked", n)
	}
}

// TestPackageFunctionsPooled: the package-level functions take their
// Converter from a pool, so one may come warm from a call with other
// options. Their results must equal a fresh Converter's, stay the caller's
// own after later calls, and hold under concurrent calls.
func TestPackageFunctionsPooled(t *testing.T) {
	files := docExamples(t)
	optionSets := []Options{
		{To: model.V1, AllowWidening: true},
		{To: model.Beta, AllowWidening: true},
		{To: model.V1, Stash: true, AllowWidening: true},
		{To: model.Beta, ForCreate: true},
		{To: model.V1, Strict: true},
	}
	type call struct {
		file string
		opts Options
		doc  bool
	}
	var calls []call
	for i, file := range files {
		for j := range optionSets {
			calls = append(calls, call{file, optionSets[(i+j)%len(optionSets)], j%2 == 0})
		}
	}
	// fresh converts with a new Converter and keeps the results.
	fresh := func(c call) (any, string) {
		cv, err := NewConverter(c.opts)
		if err != nil {
			t.Fatal(err)
		}
		in := readFile(t, c.file)
		if c.doc {
			res, err := cv.ConvertDocument(in)
			return res.Clone(), errText(err)
		}
		res, err := cv.Convert(in)
		return res.Clone(), errText(err)
	}
	pooled := func(c call) (any, string) {
		in := readFile(t, c.file)
		if c.doc {
			res, err := ConvertDocument(in, c.opts)
			return res, errText(err)
		}
		res, err := Convert(in, c.opts)
		return res, errText(err)
	}
	want := make([]any, len(calls))
	wantErr := make([]string, len(calls))
	for i, c := range calls {
		want[i], wantErr[i] = fresh(c)
	}
	got := make([]any, len(calls))
	gotErr := make([]string, len(calls))
	done := make(chan struct{})
	const workers = 4
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := w; i < len(calls); i += workers {
				got[i], gotErr[i] = pooled(calls[i])
			}
		}()
	}
	for range workers {
		<-done
	}
	for i, c := range calls {
		if diff := cmp.Diff(want[i], got[i], errorText); diff != "" || gotErr[i] != wantErr[i] {
			t.Errorf("%s, %+v, document %v: the package-level result differs from a fresh Converter's (-want +got):\n%s\nerrors: %q, want %q", c.file, c.opts, c.doc, diff, gotErr[i], wantErr[i])
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestDocumentOfOnePolicy: ConvertDocument of a document that is one
// policy (whose top-level members it reads to tell it from a collection)
// is Convert of it, for every documented example that is one policy, and
// with the options whose pre-pass converts another text (stash, create).
func TestDocumentOfOnePolicy(t *testing.T) {
	for _, opts := range []Options{
		{To: model.V1, AllowWidening: true},
		{To: model.Beta, AllowWidening: true},
		{To: model.V1, Stash: true, AllowWidening: true},
		{To: model.Beta, ForCreate: true, AllowWidening: true},
	} {
		one, err := NewConverter(opts)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := NewConverter(opts)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		var inputs [][]byte
		for _, file := range docExamples(t) {
			in := readFile(t, file)
			inputs = append(inputs, in)
			// The same policy with a stash: the pre-pass converts the
			// policy without it, another text than the document.
			if r, err := Convert(in, Options{To: model.V1, Stash: true, AllowWidening: true}); err == nil && r.Changed {
				inputs = append(inputs, r.Output)
			}
		}
		for i, in := range inputs {
			file := fmt.Sprintf("input %d (%.40s…)", i, in)
			want, werr := one.Convert(in)
			got, gerr := doc.ConvertDocument(in)
			if got.Kind != KindPolicy {
				continue
			}
			n++
			if werr != nil {
				if len(got.Items) != 1 || got.Items[0].Err == nil || got.Items[0].Err.Error() != werr.Error() {
					t.Errorf("%s %+v: Convert failed (%v), ConvertDocument: %v %+v", file, opts, werr, gerr, got.Items)
				}
				continue
			}
			if gerr != nil || len(got.Items) != 1 {
				t.Fatalf("%s %+v: %v, %d items", file, opts, gerr, len(got.Items))
			}
			if !bytes.Equal(got.Output, want.Output) {
				t.Errorf("%s %+v: ConvertDocument's output differs from Convert's", file, opts)
			}
			if diff := cmp.Diff(want.Findings, got.Items[0].Findings); diff != "" {
				t.Errorf("%s %+v: findings differ (-Convert +ConvertDocument):\n%s", file, opts, diff)
			}
		}
		if n < 80 {
			t.Fatalf("only %d single-policy examples", n)
		}
	}
}

// TestLargeCollection: a Graph collection with more members than the
// validating pass records (maxTape) converts, policy by policy, as each
// policy does alone: the policies past the tape's limit are read again.
func TestLargeCollection(t *testing.T) {
	opts := Options{To: model.V1, AllowWidening: true}
	var policies, converted [][]byte
	var findings [][]Finding
	for _, file := range docExamples(t) {
		in := readFile(t, file)
		var v any
		if json.Unmarshal(in, &v) != nil {
			continue
		}
		if _, ok := v.(map[string]any); !ok || bytes.Contains(in, []byte(`"value"`)) {
			continue
		}
		compact, _ := json.Marshal(v)
		r, err := Convert(compact, opts)
		if err != nil || !r.Changed {
			continue
		}
		policies = append(policies, compact)
		converted = append(converted, r.Output)
		findings = append(findings, r.Findings)
	}
	var in, want bytes.Buffer
	in.WriteString(`{"value":[`)
	want.WriteString(`{"value":[`)
	n, members := 0, 0
	for members < 2*maxTape {
		k := n % len(policies)
		if n > 0 {
			in.WriteByte(',')
			want.WriteByte(',')
		}
		in.Write(policies[k])
		want.Write(converted[k])
		members += bytes.Count(policies[k], []byte(`":`))
		n++
	}
	in.WriteString(`]}`)
	want.WriteString(`]}`)
	cv, err := NewConverter(opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cv.ConvertDocument(in.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != n {
		t.Fatalf("%d items, want %d", len(got.Items), n)
	}
	for i := range got.Items {
		wantF := append([]Finding(nil), findings[i%len(policies)]...)
		for k := range wantF {
			wantF[k].Item = i
		}
		if diff := cmp.Diff(wantF, got.Items[i].Findings); diff != "" {
			t.Fatalf("item %d of %d: findings differ (-alone +in the collection):\n%s", i, n, diff)
		}
	}
	if !bytes.Equal(got.Output, want.Bytes()) {
		a, b := got.Output, want.Bytes()
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Fatalf("%d policies: the output differs from the policies converted alone at byte %d of %d:\n%.200s\nwant\n%.200s", n, i, len(b), a[max(0, i-100):], b[max(0, i-100):])
	}
}

// TestNoEvidence: with Options.NoEvidence a conversion is the same (output,
// findings, errors, shape) for every example, in both directions and with
// From and Stash, only without evidence paths.
func TestNoEvidence(t *testing.T) {
	var inputs [][]byte
	for _, file := range docExamples(t) {
		inputs = append(inputs, readFile(t, file))
	}
	for i := range 20 {
		for _, v := range model.Versions {
			inputs = append(inputs, genPolicyBytes(genRand(0xe71d, i), v))
		}
	}
	withPaths := 0
	for _, opts := range []Options{
		{To: model.V1, AllowWidening: true},
		{To: model.Beta, AllowWidening: true},
		{To: model.V1, From: model.Beta, Stash: true},
		{To: model.Beta, From: model.Beta},
	} {
		full, err := NewConverter(opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.NoEvidence = true
		bare, err := NewConverter(opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, in := range inputs {
			name := fmt.Sprintf("input %d (%.40s…) %+v", i, in, opts)
			for _, doc := range []bool{false, true} {
				var want, got Result
				var werr, gerr error
				if doc {
					wd, e1 := full.ConvertDocument(in)
					gd, e2 := bare.ConvertDocument(in)
					werr, gerr = e1, e2
					if len(wd.Items) != len(gd.Items) {
						t.Fatalf("%s: %d items, want %d", name, len(gd.Items), len(wd.Items))
					}
					if !bytes.Equal(wd.Output, gd.Output) {
						t.Fatalf("%s: the document's output differs", name)
					}
					for k := range wd.Items {
						w, g := wd.Items[k], gd.Items[k]
						if w.Detection.Shape != g.Detection.Shape || g.Detection.Beta != nil || g.Detection.V1 != nil {
							t.Fatalf("%s item %d: detection %+v, want the shape of %+v", name, k, g.Detection, w.Detection)
						}
						if diff := cmp.Diff(w.Findings, g.Findings); diff != "" {
							t.Fatalf("%s item %d: findings differ:\n%s", name, k, diff)
						}
						if fmt.Sprint(w.Err) != fmt.Sprint(g.Err) {
							t.Fatalf("%s item %d: error %v, want %v", name, k, g.Err, w.Err)
						}
					}
				} else {
					want, werr = full.Convert(in)
					got, gerr = bare.Convert(in)
					if !bytes.Equal(want.Output, got.Output) || want.Changed != got.Changed {
						t.Fatalf("%s: the output differs", name)
					}
					if diff := cmp.Diff(want.Findings, got.Findings); diff != "" {
						t.Fatalf("%s: findings differ:\n%s", name, diff)
					}
					if want.Detection.Shape != got.Detection.Shape || got.Detection.Beta != nil || got.Detection.V1 != nil {
						t.Fatalf("%s: detection %+v, want the shape of %+v", name, got.Detection, want.Detection)
					}
					if len(want.Detection.Beta)+len(want.Detection.V1) > 0 {
						withPaths++
					}
				}
				if fmt.Sprint(werr) != fmt.Sprint(gerr) {
					t.Fatalf("%s: error %v, want %v", name, gerr, werr)
				}
			}
		}
	}
	if withPaths < 100 {
		t.Fatalf("only %d conversions had evidence paths to leave out", withPaths)
	}
}

// TestIndentAcrossLayouts: a writer's gaps for new members are the
// layout's newline and depth units whatever layouts it wrote before (the
// indentation it keeps from one call to the next), at every depth.
func TestIndentAcrossLayouts(t *testing.T) {
	layouts := []layout{
		{nl: "\n", unit: "  "},
		{nl: "\n", unit: "\t"},
		{nl: "\r\n", unit: "  "},
		{nl: "\n", unit: "    "},
		{nl: "\r\n", unit: "\t\t"},
		{nl: "\n", unit: " \t"},
		{nl: "\n", unit: "\t "},
		{comma: " "},
		{nl: "\n", unit: "  "},
	}
	var w writer
	for round := range 2 {
		for _, lay := range layouts {
			w.lay = lay
			for _, depth := range []int{0, 3, 1, 40, 16, 17, 2, -1} {
				want := lay.comma
				if lay.nl != "" {
					want = lay.nl + strings.Repeat(lay.unit, max(depth, 0))
				}
				if got := w.indent(depth); got != want {
					t.Fatalf("round %d, layout %+v, depth %d: indent %q, want %q", round, lay, depth, got, want)
				}
			}
		}
	}
}

// TestIndentedDocumentsAllocateNothing: a warm Converter makes up objects
// (expiration, requestorSettings, ...) in an indented document without an
// allocation, as in a one-line one.
func TestIndentedDocumentsAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	doc := readFile(t, "../testdata/docs/beta/graphdocs-accesspackageassignmentpolicy-06-resource.json")
	for _, indent := range []string{"  ", "\t", "    "} {
		var b bytes.Buffer
		if err := json.Indent(&b, doc, "", indent); err != nil {
			t.Fatal(err)
		}
		in := b.Bytes()
		cv, err := NewConverter(Options{To: model.V1, AllowWidening: true})
		if err != nil {
			t.Fatal(err)
		}
		if res, err := cv.Convert(in); err != nil || !bytes.Contains(res.Output, []byte("\n"+indent+"\"expiration\"")) {
			t.Fatalf("indent %q: no expiration made up at depth 1 (error %v):\n%s", indent, err, res.Output)
		}
		if n := testing.AllocsPerRun(50, func() { cv.Convert(in) }); n > 0 {
			t.Errorf("indent %q: %.1f allocations a conversion, want 0", indent, n)
		}
	}
}

// TestDocumentedExamplesAllocateNothing: a warm Converter converts every
// documented example, as written (indented, in lists and collections), in
// both directions without an allocation, whatever it converted before;
// only a conversion that fails allocates (its error is the caller's own).
func TestDocumentedExamplesAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	files := docExamples(t)
	for _, to := range []model.Version{model.V1, model.Beta} {
		cv, err := NewConverter(Options{To: to, AllowWidening: true})
		if err != nil {
			t.Fatal(err)
		}
		docs := make([][]byte, len(files))
		for i, f := range files {
			docs[i] = readFile(t, f)
			cv.ConvertDocument(docs[i]) // warm: every buffer at its largest
		}
		for i, f := range files {
			if res, err := cv.ConvertDocument(docs[i]); err != nil || res.Failed() > 0 {
				continue
			}
			if n := testing.AllocsPerRun(10, func() { cv.ConvertDocument(docs[i]) }); n > 0 {
				t.Errorf("to %s, %s: %.1f allocations a conversion, want 0", to, filepath.Base(f), n)
			}
		}
	}
}
