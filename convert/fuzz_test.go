package convert

// Native Go fuzz targets (go test ./convert -run '^$' -fuzz '^FuzzConvertToV1$';
// .ci/fuzz runs them all). Seeded from every documented example in
// testdata/docs and a few generated policies, lists and collections. A
// failing input is kept by Go under testdata/fuzz/FuzzXxx/ and runs as a
// regression case with every go test.
//
// The properties: never a panic; every output that is not nil is JSON; a
// conversion without an error has an output (for a document: each policy
// has its error or is in the output); converting a successful output again
// gives the same bytes; Detect agrees with what Convert leaves alone;
// model.Validate either finds a syntax error or agrees with encoding/json
// that the input is a JSON object.

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apmigrate/apmigrate/model"
)

// fuzzSeeds adds the documented examples and generated policies.
func fuzzSeeds(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "docs", "*", "*"))
	if err != nil {
		f.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 90 {
		f.Fatalf("found %d documented examples under testdata/docs", len(files))
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for i := range 6 {
		for _, v := range model.Versions {
			r := genRand(0xf022, i)
			f.Add(genPolicyBytes(r, v))
		}
	}
	// Stashed outputs, for the stash reader.
	for i := range 4 {
		for _, v := range model.Versions {
			r := genRand(0x57a5, i)
			res, err := Convert(genPolicyBytes(r, v), Options{To: v.Other(), Stash: true, AllowWidening: true})
			if err == nil {
				f.Add(res.Output)
			}
		}
	}
	r := genRand(0xf022, 100)
	var items [][]byte
	for i := range 3 {
		items = append(items, genRender(r, genPolicy(r, model.Versions[i%2])))
	}
	for range 2 {
		doc, _ := propDocumentOf(r, items, model.V1)
		f.Add(doc)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"value":[{"durationInDays":1},{"expiration":{"type":"afterDuration","duration":"PT1H"}},7]}`))
}

func FuzzConvertToV1(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) { fuzzConvert(t, doc, model.V1) })
}

func FuzzConvertToBeta(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) { fuzzConvert(t, doc, model.Beta) })
}

// fuzzSkipKnownBug skips an input that hits a known bug (propKnownBugs):
// a policy, or one of a list or collection.
func fuzzSkipKnownBug(t *testing.T, doc []byte, to model.Version) {
	tree, err := genParse(doc)
	if err != nil {
		return
	}
	var items []any
	switch x := tree.(type) {
	case []any:
		items = x
	case genObj:
		items = []any{x}
		if v, ok := x.get("value"); ok {
			if a, ok := v.([]any); ok {
				items = append(items, a...)
			}
		}
	}
	for _, it := range items {
		if o, ok := it.(genObj); ok {
			if b := propMatchKnownBug(genCompact(o), to.Other(), to, false); b != "" {
				t.Skip("known bug: " + b)
			}
		}
	}
}

func fuzzConvert(t *testing.T, doc []byte, to model.Version) {
	fuzzSkipKnownBug(t, doc, to)
	in := append([]byte(nil), doc...)
	for oi, opts := range []Options{{To: to}, {To: to, AllowWidening: true}, {To: to, Stash: true, AllowWidening: true}} {
		res, err := Convert(doc, opts)
		if !bytes.Equal(doc, in) {
			t.Fatalf("Convert changed its input")
		}
		fuzzCheckError(t, err)
		fuzzWarm(t, doc, to, oi, opts, res, err)
		switch {
		case err != nil && res.Output != nil:
			t.Fatalf("Convert to %s: an error (%v) and an output", to, err)
		case err == nil && !json.Valid(res.Output):
			t.Fatalf("Convert to %s: the output is not JSON:\n%s", to, res.Output)
		case err == nil && !res.Changed && !bytes.Equal(res.Output, doc):
			t.Fatalf("Convert to %s: unchanged, but the output is not the input", to)
		case err == nil:
			again, err := Convert(res.Output, opts)
			if err != nil {
				t.Fatalf("Convert to %s: converting the output again: %v\noutput: %s", to, err, res.Output)
			}
			if !bytes.Equal(again.Output, res.Output) {
				t.Fatalf("Convert to %s: not idempotent\noutput: %s\nagain:  %s", to, res.Output, again.Output)
			}
			if again.Changed {
				t.Fatalf("Convert to %s: converting the output again gives the same bytes but reports a change%s\noutput: %s", to, propFindings(again.Findings), res.Output)
			}
		}

		dres, derr := ConvertDocument(doc, opts)
		fuzzCheckError(t, derr)
		if derr != nil {
			if dres.Output != nil {
				t.Fatalf("ConvertDocument to %s: an error (%v) and an output", to, derr)
			}
			continue
		}
		if dres.Output == nil {
			if dres.Kind != KindPolicy || len(dres.Items) != 1 || dres.Items[0].Err == nil {
				t.Fatalf("ConvertDocument to %s: no output, no error (%s, %d items)", to, dres.Kind, len(dres.Items))
			}
			continue
		}
		if !json.Valid(dres.Output) {
			t.Fatalf("ConvertDocument to %s: the output is not JSON:\n%s", to, dres.Output)
		}
		if !dres.Changed && !bytes.Equal(dres.Output, doc) {
			t.Fatalf("ConvertDocument to %s: unchanged, but the output is not the input", to)
		}
		for _, it := range dres.Items {
			fuzzCheckError(t, it.Err)
		}
		if dres.Kind == KindPolicy {
			// One policy: the same as Convert.
			if (err == nil) != (dres.Items[0].Err == nil) || err == nil && !bytes.Equal(res.Output, dres.Output) {
				t.Fatalf("ConvertDocument to %s of a policy differs from Convert: %v / %v\n%s\n%s", to, err, dres.Items[0].Err, res.Output, dres.Output)
			}
		}
		again, err := ConvertDocument(dres.Output, opts)
		if err != nil {
			t.Fatalf("ConvertDocument to %s: converting the output again: %v\noutput: %s", to, err, dres.Output)
		}
		if !bytes.Equal(again.Output, dres.Output) {
			t.Fatalf("ConvertDocument to %s: not idempotent\noutput: %s\nagain:  %s", to, dres.Output, again.Output)
		}
		if again.Changed {
			t.Fatalf("ConvertDocument to %s: converting the output again gives the same bytes but reports a change\noutput: %s", to, dres.Output)
		}
		for _, it := range again.Items {
			if it.Err != nil {
				t.Fatalf("ConvertDocument to %s: converting the output again failed item %d: %v\noutput: %s", to, it.Index, it.Err, dres.Output)
			}
		}
	}
}

// warmConverters are Converters that every fuzz input of a process goes
// through, by direction and options: what one call leaves in a Converter's
// memory must not change the next call's result.
var warmConverters struct {
	sync.Mutex
	cv [2][3]*Converter
}

// fuzzWarm converts doc with a warm Converter, as a Result and as a
// document, and holds both against the package-level functions.
func fuzzWarm(t *testing.T, doc []byte, to model.Version, oi int, opts Options, want Result, werr error) {
	warmConverters.Lock()
	defer warmConverters.Unlock()
	cv := &warmConverters.cv[versionIndex(to)][oi]
	if *cv == nil {
		var err error
		if *cv, err = NewConverter(opts); err != nil {
			t.Fatal(err)
		}
	}
	got, err := (*cv).Convert(doc)
	fuzzSame(t, "Convert", to, want, got, werr, err)
	wantDoc, werr := ConvertDocument(doc, opts)
	gotDoc, err := (*cv).ConvertDocument(doc)
	fuzzSame(t, "ConvertDocument", to, wantDoc, gotDoc, werr, err)
}

// fuzzSame fails when a warm Converter's result differs from a fresh one's.
// reflect.DeepEqual first: cmp.Diff on every input made the fuzzing of
// large generated documents several times slower.
func fuzzSame(t *testing.T, what string, to model.Version, want, got any, werr, err error) {
	t.Helper()
	if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
		t.Fatalf("a warm Converter's %s to %s fails differently: %v / %v", what, to, werr, err)
	}
	if reflect.DeepEqual(want, got) {
		return
	}
	if diff := cmp.Diff(want, got, errorText); diff != "" {
		t.Fatalf("a warm Converter's %s to %s differs (-fresh +warm):\n%s", what, to, diff)
	}
}

// fuzzCheckError checks that an error is an *Error with a code.
func fuzzCheckError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("an error that is not an *Error: %T %v", err, err)
	}
	if e.Code() == "error" || err.Error() == "" {
		t.Fatalf("an error without a kind: %v", err)
	}
}

func FuzzDetect(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		d, err := Detect(doc)
		fuzzCheckError(t, err)
		if err != nil {
			return
		}
		var keeps []model.Version
		switch d.Shape {
		case ShapeBeta:
			keeps = []model.Version{model.Beta}
		case ShapeV1:
			keeps = []model.Version{model.V1}
		case ShapeNeutral:
			keeps = model.Versions
		case ShapeMixed:
		default:
			t.Fatalf("Detect: shape %q", d.Shape)
		}
		// A policy already in a version converts to it unchanged, unless it
		// carries a stash: Detect reads shapes, not stashes, which a
		// conversion restores (or refuses, when malformed) whatever the
		// shape around them.
		if bytes.Contains(doc, []byte(StashKey)) {
			keeps = nil
		}
		for _, v := range keeps {
			res, err := Convert(doc, Options{To: v})
			if err != nil || res.Changed || !bytes.Equal(res.Output, doc) {
				t.Fatalf("Detect says %s, but converting to %s changes it: %v\n%s", d.Shape, v, err, res.Output)
			}
		}
		// And a policy that converts changes shape.
		for _, v := range model.Versions {
			res, err := Convert(doc, Options{To: v, AllowWidening: true})
			if err == nil && res.Detection.Shape != d.Shape {
				t.Fatalf("Detect says %s, Convert to %s says %s", d.Shape, v, res.Detection.Shape)
			}
		}
	})
}

func FuzzValidate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		isObject := json.Valid(doc) && bytes.TrimLeft(doc, " \t\r\n")[0] == '{'
		for _, v := range model.Versions {
			ps, err := model.Validate(doc, v)
			if err != nil {
				var se *model.SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("Validate %s: an error that is not a *SyntaxError: %T %v", v, err, err)
				}
				if ps != nil {
					t.Fatalf("Validate %s: a syntax error and problems", v)
				}
				if se.Line < 1 || se.Column < 1 || se.Offset < 0 || se.Offset > len(doc) || se.Message == "" {
					t.Fatalf("Validate %s: a syntax error out of place: %+v (%d bytes)", v, se, len(doc))
				}
				if isObject && !bytes.Contains([]byte(se.Message), []byte("nesting")) {
					t.Fatalf("Validate %s: a JSON object refused as %v", v, err)
				}
				continue
			}
			if !isObject {
				t.Fatalf("Validate %s: no syntax error for input that is not a JSON object:\n%q", v, doc)
			}
			codes := map[model.ProblemCode]bool{}
			for _, c := range model.ProblemCodes {
				codes[c] = true
			}
			for _, p := range ps {
				if !codes[p.Code] || p.Message == "" {
					t.Fatalf("Validate %s: a problem without a known code or a message: %+v", v, p)
				}
				if _, err := model.ParsePath(p.Path); err != nil {
					t.Fatalf("Validate %s: a problem path that does not parse: %q: %v", v, p.Path, err)
				}
			}
		}
	})
}

// FuzzConvertMutated fuzzes with structure: a generated policy (of the
// version and from the seed the first argument gives) changed by the
// mutations the second argument spells, three bytes each (what, where,
// with what): members deleted, duplicated or renamed to properties of
// either version, values of other types or forms, arrays wrapped and
// unwrapped, other @odata.type names. This reaches the converter's checks
// of values, conflicts and mixed shapes, which byte mutations of JSON
// seldom do. The properties are FuzzConvertToV1's, to both versions, and
// for a policy that is still valid (the schema and the rules the generator
// follows), the property tests' (propCheck).
// FuzzTape: for any input that validates, every object's members taken
// from the validating pass's tapes are those a re-read of the object finds
// (checkTape).
func FuzzTape(f *testing.F) {
	fuzzSeeds(f)
	f.Add([]byte(`{"a":{"b":{}} , "c" :[ {"d":1} , [2,{"e\u0041@x":{}}]], "f":{}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if _, err := checkTape(string(doc)); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzConvertMutated(f *testing.F) {
	for i := range 8 {
		f.Add(uint64(i), []byte{})
		f.Add(uint64(i), []byte{byte(i), byte(7 * i), byte(13 * i), 3, byte(i), byte(i * 5)})
	}
	f.Fuzz(func(t *testing.T, seed uint64, ops []byte) {
		v := model.Versions[seed&1]
		r := genRand(seed>>1, 0)
		tree := any(genPolicy(r, v))
		for i := 0; i+2 < len(ops) && i < 3*8; i += 3 {
			tree = fuzzMutate(tree, ops[i], ops[i+1], ops[i+2])
		}
		doc := genRender(r, tree)
		for _, to := range model.Versions {
			fuzzConvert(t, doc, to)
		}
		// A policy still valid after the mutations (and without a stash)
		// has every property of the generated ones.
		if propValidInput(doc, v) && propRulesValid(doc, v) && !bytes.Contains(doc, []byte(StashKey)) {
			for _, to := range model.Versions {
				if b := propMatchKnownBug(doc, v, to, false); b != "" {
					t.Skip("known bug: " + b)
				}
				if f := propCheck(doc, v, to); f != nil {
					t.Fatalf("a valid %s policy, converted to %s: %s: %s\n%s\ninput: %s", v, to, f.sig, f.msg, f.detail, doc)
				}
			}
		}
	})
}

// fuzzNames are the property names of both schemas, and a few more.
var fuzzNames = func() []string {
	seen := map[string]bool{"@odata.type": true, "@odata.context": true, StashKey: true, "value": true}
	for _, v := range model.Versions {
		s := model.Schema(v)
		for _, tn := range s.TypeNames() {
			for _, p := range s.AllProperties(tn) {
				seen[p.Name] = true
			}
		}
	}
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}()

// fuzzTypeNames are the @odata.type values of both schemas, with and
// without '#', and a few that neither has.
var fuzzTypeNames = func() []string {
	seen := map[string]bool{"#microsoft.graph.multipleChoiceQuestion": true, "#x": true, "": true}
	for _, v := range model.Versions {
		for _, tn := range model.Schema(v).TypeNames() {
			seen["#"+tn] = true
			seen[tn] = true
		}
	}
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}()

// fuzzValues are values of other types and forms.
var fuzzValues = []any{
	nil, true, false, json.Number("0"), json.Number("-1"), json.Number("1"), json.Number("2147483647"), json.Number("2147483648"),
	json.Number("-2147483649"), json.Number("1.5"), json.Number("1e3"), json.Number("365.0"), json.Number("-0"), json.Number("1e400"),
	"", "true", "False", "1", " 7 ", "-3", "P1D", "-P1D", "PT0S", "P1Y", "PT1.5S", "P99999999999D", "PT36H", "2024-01-01T00:00:00Z", "2024-01-01",
	"notSpecified", "noExpiration", "afterDuration", "afterDateTime", "NoSubjects", "AllExternalSubjects", "allMemberUsers", "Parallel",
	"Serial", "weekly", "annual", "Self", "Manager", "Reviewers", "absoluteMonthly", "UserManaged", "published", "assignmentRequestCreated",
	genObj{}, []any{}, []any{nil}, genObj{{"id", "x"}}, []any{genObj{{"@odata.type", "#microsoft.graph.singleUser"}, {"id", "u"}, {"isBackup", true}}},
	genObj{{"type", "afterDuration"}, {"duration", "PT12H"}}, genObj{{"defaultText", "d"}, {"localizedTexts", []any{genObj{{"languageCode", "en"}, {"text", "t"}}}}},
}

func fuzzMutate(tree any, op, where, arg byte) any {
	count := 0
	fuzzApply(tree, -1, &count, nil)
	if count == 0 {
		return tree
	}
	target := int(where) % count
	if target == 0 && op%8 == 0 {
		return tree // the root stays
	}
	n := 0
	out, _ := fuzzApply(tree, target, &n, func(v any) (any, bool) {
		switch op % 8 {
		case 0:
			return nil, true // delete
		case 1:
			return nil, false
		case 2:
			return cloneAny(fuzzValues[int(arg)%len(fuzzValues)]), false
		case 3:
			if o, ok := v.(genObj); ok {
				k := fuzzNames[int(arg)%len(fuzzNames)]
				return append(append(genObj{}, o...), genKV{k, cloneAny(fuzzValues[int(arg)%len(fuzzValues)])}), false
			}
		case 4:
			if a, ok := v.([]any); ok && len(a) > 0 {
				return a[0], false
			}
			return []any{v}, false
		case 5:
			if o, ok := v.(genObj); ok && len(o) > 0 {
				m := o[int(arg)%len(o)]
				return append(append(genObj{}, o...), genKV{m.K, genClone(m.V)}), false
			}
		case 6:
			if o, ok := v.(genObj); ok && len(o) > 0 {
				c := append(genObj{}, o...)
				i := int(arg) % len(c)
				c[i] = genKV{fuzzNames[int(arg)*7%len(fuzzNames)], c[i].V}
				return c, false
			}
		case 7:
			if o, ok := v.(genObj); ok {
				return append(genObj{}, o...).set("@odata.type", fuzzTypeNames[int(arg)%len(fuzzTypeNames)]), false
			}
		}
		return v, false
	})
	return out
}

func cloneAny(v any) any { return genClone(v) }

// fuzzApply calls m on node number target (depth first, the root is 0) and
// puts what it returns in its place (or deletes it); it counts the nodes in
// *n.
func fuzzApply(v any, target int, n *int, m func(any) (any, bool)) (any, bool) {
	cur := *n
	*n++
	if cur == target && m != nil {
		return m(v)
	}
	switch x := v.(type) {
	case genObj:
		out := make(genObj, 0, len(x))
		for _, kv := range x {
			nv, del := fuzzApply(kv.V, target, n, m)
			if !del {
				out = append(out, genKV{kv.K, nv})
			}
		}
		return out, false
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			ne, del := fuzzApply(e, target, n, m)
			if !del {
				out = append(out, ne)
			}
		}
		return out, false
	}
	return v, false
}
