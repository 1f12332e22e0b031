package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apmigrate/apmigrate/model"
)

// streamedItem is what a test keeps of a policy's result: copies, since
// the result is valid only during the callback.
type streamedItem struct {
	Index    int
	Changed  bool
	Err      string
	Findings []string
	Shape    Shape
}

func keepItem(it ItemResult) streamedItem {
	k := streamedItem{Index: it.Index, Changed: it.Changed, Shape: it.Detection.Shape}
	if it.Err != nil {
		k.Err = it.Err.Error()
	}
	for _, f := range it.Findings {
		k.Findings = append(k.Findings, f.String())
	}
	return k
}

// streamDoc converts doc with ConvertStream, reading it through a reader
// that returns at most chunk bytes a read (0: all at once).
func streamDoc(t *testing.T, cv *Converter, doc []byte, chunk int) ([]byte, StreamResult, []streamedItem, error) {
	t.Helper()
	var out bytes.Buffer
	var items []streamedItem
	var r io.Reader = bytes.NewReader(doc)
	if chunk > 0 {
		r = &chunkReader{b: doc, n: chunk}
	}
	res, err := cv.ConvertStream(r, &out, func(it *StreamItem) error {
		if !it.Whole && !bytes.Equal(it.Raw, doc[it.Offset:it.Offset+int64(len(it.Raw))]) {
			t.Errorf("item %d: Raw is not the input at Offset %d", it.Index, it.Offset)
		}
		if !it.Whole {
			line, col := lineCol(doc, int(it.Offset))
			if line != it.Line || col != it.Column {
				t.Errorf("item %d: at line %d, column %d; the input says %d, %d", it.Index, it.Line, it.Column, line, col)
			}
		}
		items = append(items, keepItem(it.ItemResult))
		return nil
	})
	return out.Bytes(), res, items, err
}

// streamJobs are the ways a stream is converted that tests hold to each
// other: on the calling goroutine, and with workers, in batches of the
// default size and of one policy each.
var streamJobs = []struct {
	name        string
	jobs, batch int
}{
	{"one goroutine", 0, 0},
	{"2 jobs", 2, 0},
	{"3 jobs, a policy a batch", 3, 1},
}

// withJobs returns a Converter for opts with the variant's Jobs, its batch
// size set until the test ends.
func withJobs(t testing.TB, opts Options, jobs, batch int) *Converter {
	t.Helper()
	if batch > 0 {
		old := streamBatchBytes
		streamBatchBytes = batch
		t.Cleanup(func() { streamBatchBytes = old })
	}
	opts.Jobs = jobs
	cv, err := NewConverter(opts)
	if err != nil {
		t.Fatal(err)
	}
	return cv
}

type chunkReader struct {
	b []byte
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.b)
	c.b = c.b[n:]
	return n, nil
}

func lineCol(doc []byte, off int) (int, int) {
	line := 1 + bytes.Count(doc[:off], []byte{'\n'})
	return line, off - bytes.LastIndexByte(doc[:off], '\n')
}

// streamCases are documents to hold ConvertStream to ConvertDocument with:
// every documented example as written, compact and tab-indented, and
// lists and collections of all the documented policies in the same three
// layouts, with a policy that fails and an element that is not one.
func streamCases(t *testing.T) map[string][]byte {
	t.Helper()
	cases := map[string][]byte{}
	var policies [][]byte
	for _, file := range docExamples(t) {
		if !strings.HasSuffix(file, ".json") {
			continue
		}
		doc, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		cases[name] = doc
		if _, ps, err := Split(doc); err == nil {
			for _, p := range ps {
				policies = append(policies, p.Raw)
			}
		}
	}
	list := []byte("[\n" + string(bytes.Join(policies, []byte(",\n"))) + ",\n42,\n{\"durationInDays\": \"Integer\"}\n]\n")
	coll := []byte(`{"@odata.context": "https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/assignmentPolicies", "value": ` + string(list) + `, "@odata.nextLink": "https://graph.microsoft.com/beta/next"}`)
	v1coll := bytes.Replace(coll, []byte("graph.microsoft.com/beta/$metadata"), []byte("graph.microsoft.com/v1.0/$metadata"), 1)
	// Empty, with white space in the array.
	cases["empty list"] = []byte("[ \n ]\n")
	cases["empty collection"] = []byte(`{"@odata.context": "https://graph.microsoft.com/beta/$metadata#x", "value": [ ], "@odata.count": 0}`)
	for name, doc := range map[string][]byte{"list": list, "collection": coll, "v1.0 collection": v1coll} {
		cases["all policies: "+name] = doc
	}
	for name, doc := range maps.Clone(cases) {
		var c bytes.Buffer
		if json.Compact(&c, doc) == nil {
			cases[name+" (compact)"] = c.Bytes()
		}
		var ind bytes.Buffer
		if json.Indent(&ind, doc, "", "\t") == nil {
			cases[name+" (tabs)"] = append(ind.Bytes(), '\n')
		}
	}
	return cases
}

// TestConvertStreamMatchesConvertDocument: a streamed document converts
// to ConvertDocument's output byte for byte, with the same results for
// every policy in the same order, whatever the reads' sizes.
func TestConvertStreamMatchesConvertDocument(t *testing.T) {
	streamedKinds := map[Kind]int{}
	for _, to := range []model.Version{model.V1, model.Beta} {
		opts := Options{To: to, AllowWidening: true}
		whole, err := NewConverter(opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, sj := range streamJobs {
			cv := withJobs(t, opts, sj.jobs, sj.batch)
			for name, doc := range streamCases(t) {
				want, werr := whole.ConvertDocument(doc)
				var wantItems []streamedItem
				for _, it := range want.Items {
					if want.Kind == KindPolicy {
						it.Changed = want.Changed // (ConvertStream says it on the item)
					}
					wantItems = append(wantItems, keepItem(it))
				}
				wantOut := want.Output
				for _, chunk := range []int{0, 1, 7, 4096} {
					out, res, items, err := streamDoc(t, cv, doc, chunk)
					where := fmt.Sprintf("%s to %s, reads of %d, %s", name, to, chunk, sj.name)
					if (err != nil) != (werr != nil) {
						t.Fatalf("%s: error %v, ConvertDocument's %v", where, err, werr)
					}
					if err != nil {
						if errCode(err) != errCode(werr) {
							t.Errorf("%s: error %v, ConvertDocument's %v", where, err, werr)
						}
						continue
					}
					if res.Kind != want.Kind || res.Changed != want.Changed || res.ContextKept {
						t.Errorf("%s: %+v, ConvertDocument's kind %s, changed %v", where, res, want.Kind, want.Changed)
					}
					if !bytes.Equal(out, wantOut) {
						t.Errorf("%s: output differs from ConvertDocument's:\n%s", where, cmp.Diff(string(wantOut), string(out)))
					}
					if d := cmp.Diff(wantItems, items); d != "" {
						t.Errorf("%s: items differ from ConvertDocument's (-want +got):\n%s", where, d)
					}
					if res.Streamed {
						streamedKinds[res.Kind]++
					}
				}
			}
		}
	}
	// Lists and collections stream; a lone policy is read whole.
	if streamedKinds[KindList] == 0 || streamedKinds[KindCollection] == 0 || streamedKinds[KindPolicy] != 0 {
		t.Errorf("streamed: %v", streamedKinds)
	}
}

// TestConvertStreamContextHold: a collection's @odata.context that names
// the source version waits for the first policy that changes. Past
// StreamHold it goes out as it was, and the result says so when a policy
// changes after it.
func TestConvertStreamContextHold(t *testing.T) {
	unchanged := `{"id":"a","displayName":"neutral","description":"only properties both versions share"}`
	changed := `{"id":"b","canExtend":true,"durationInDays":30}`
	ctx := `"https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/assignmentPolicies"`
	doc := func(n int, last string) []byte {
		items := make([]string, n)
		for i := range items {
			items[i] = unchanged
		}
		if last != "" {
			items = append(items, last)
		}
		return []byte(`{"@odata.context":` + ctx + `,"value":[` + strings.Join(items, ",") + `]}`)
	}
	whole, _ := NewConverter(Options{To: model.V1})
	for _, sj := range streamJobs {
		cv := withJobs(t, Options{To: model.V1}, sj.jobs, sj.batch)
		for _, tc := range []struct {
			name        string
			doc         []byte
			hold        int
			contextKept bool
		}{
			{"changes within the hold", doc(50, changed), StreamHold, false},
			{"nothing changes", doc(50, ""), StreamHold, false},
			{"nothing changes past the hold", doc(50, ""), 200, false},
			{"changes past the hold", doc(50, changed), 200, true},
			// The first policy that changes, written, would pass the hold: it
			// comes after the context, rewritten.
			{"changes, and the change passes the hold", doc(1, `{"id":"b","canExtend":true,"durationInDays":30,"description":"`+strings.Repeat("x", 300)+`"}`), 200, false},
		} {
			t.Run(tc.name+", "+sj.name, func(t *testing.T) {
				defer func(h int) { streamHold = h }(streamHold)
				streamHold = tc.hold
				want, err := whole.ConvertDocument(tc.doc)
				if err != nil {
					t.Fatal(err)
				}
				out, res, _, err := streamDoc(t, cv, tc.doc, 0)
				if err != nil {
					t.Fatal(err)
				}
				if res.ContextKept != tc.contextKept || res.Changed != want.Changed {
					t.Fatalf("%+v, want ContextKept %v and Changed %v", res, tc.contextKept, want.Changed)
				}
				if kept := len(res.Findings) == 1 && res.Findings[0].Code == CodeContextKept && res.Findings[0].Path == "@odata.context"; kept != tc.contextKept || len(res.Findings) > 1 {
					t.Errorf("findings %v, want a context-kept finding: %v", res.Findings, tc.contextKept)
				}
				if !tc.contextKept {
					if !bytes.Equal(out, want.Output) {
						t.Errorf("output differs from ConvertDocument's:\n%s", cmp.Diff(string(want.Output), string(out)))
					}
					return
				}
				// The context as it was; everything else as ConvertDocument's.
				kept := bytes.Replace(want.Output, []byte("graph.microsoft.com/v1.0/$metadata"), []byte("graph.microsoft.com/beta/$metadata"), 1)
				if bytes.Equal(kept, want.Output) || !bytes.Equal(out, kept) {
					t.Errorf("output:\n%s\nwant ConvertDocument's with the context kept:\n%s", out, kept)
				}
			})
		}
	}
}

// TestConvertStreamSyntaxErrors: a document broken anywhere fails with
// an error located where ConvertDocument locates it.
func TestConvertStreamSyntaxErrors(t *testing.T) {
	base := []string{
		"[\n  {\"id\": \"a\", \"canExtend\": true},\n  {\"id\": \"b\", \"durationInDays\": 7}\n]\n",
		"{\"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#x\",\n \"value\": [{\"canExtend\": true}, {\"id\": \"b\"}],\n \"@odata.count\": 2}",
		// Scalars that, cut or with a point after them, seem to end where
		// the scanner wants more (the value's extent misjudged), with
		// policies after them that workers may have read already.
		"[{\"canExtend\": true}, 12 , true, {\"id\": \"b\"}, {\"id\": \"c\"}, {\"id\": \"d\"}]",
	}
	whole, _ := NewConverter(Options{To: model.V1})
	for _, sj := range streamJobs {
		cv := withJobs(t, Options{To: model.V1}, sj.jobs, sj.batch)
		n := 0
		for _, b := range base {
			var broken []string
			for i := 1; i < len(b); i++ {
				broken = append(broken, b[:i])                  // cut short
				broken = append(broken, b[:i]+"x"+b[i:])        // a stray byte
				broken = append(broken, b[:i-1]+"}"+b[i:])      // a byte replaced
				broken = append(broken, b[:i]+"\"\\q\""+b[i:])  // a bad escape
				broken = append(broken, b[:i]+"\n]\n"+b[i:])    // a closer too many
				broken = append(broken, b[:i-1]+b[i:]+" trail") // a byte gone, text after
				broken = append(broken, b[:i]+"."+b[i:])        // a decimal point
				for _, x := range []string{"-", "e", "tru", "\"", "\x01", "\\u12", "0", "[", "{", ","} {
					broken = append(broken, b[:i]+x+b[i:])
				}
			}
			for _, doc := range broken {
				_, werr := whole.ConvertDocument([]byte(doc))
				var we *Error
				var wse *SyntaxError
				if !errors.As(werr, &we) || !errors.As(werr, &wse) {
					continue // still valid, or not a syntax error
				}
				n++
				_, _, _, err := streamDoc(t, cv, []byte(doc), 3)
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Errorf("%q: %v, want a syntax error like %v", doc, err, werr)
					continue
				}
				if *se != *wse {
					t.Errorf("%q, %s: %v\nConvertDocument: %v", doc, sj.name, se, wse)
				}
			}
		}
		if n < 100 {
			t.Fatalf("only %d broken documents", n)
		}
	}
}

// TestConvertStreamBoundedMemory: the memory a streamed document keeps
// does not grow with the number of its policies.
func TestConvertStreamBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 40 MB")
	}
	policy := readFile(t, "../testdata/docs/beta/graphdocs-accesspackageassignmentpolicy-post-12-request.json")
	var c bytes.Buffer
	json.Compact(&c, policy)
	n := 40 << 20 / c.Len()
	r := &repeatReader{head: []byte(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#x","value":[`), item: c.Bytes(), n: n, tail: []byte("]}")}
	for _, jobs := range []int{0, 2} {
		r := *r
		cv := withJobs(t, Options{To: model.V1, AllowWidening: true}, jobs, 0)
		var peak uint64
		var ms runtime.MemStats
		seen := 0
		res, err := cv.ConvertStream(&r, io.Discard, func(it *StreamItem) error {
			if it.Err != nil {
				return it.Err
			}
			if seen++; seen%(n/8) == 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			return nil
		})
		if err != nil || !res.Streamed || seen != n {
			t.Fatalf("%+v, %v, %d of %d policies", res, err, seen, n)
		}
		if peak > 16<<20 {
			t.Errorf("heap %d MB while streaming 40 MB with %d jobs", peak>>20, jobs)
		}
	}
}

// repeatReader reads head, n copies of item separated by commas, and tail.
type repeatReader struct {
	head, item, tail []byte
	n                int
	buf              []byte
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		switch {
		case r.head != nil:
			r.buf, r.head = r.head, nil
		case r.n > 0:
			r.n--
			r.buf = r.item
			if r.n > 0 {
				r.buf = append(r.item[:len(r.item):len(r.item)], ',')
			}
		case r.tail != nil:
			r.buf, r.tail = r.tail, nil
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// FuzzConvertStream holds ConvertStream to ConvertDocument on any input:
// the same output, kind, change and per-policy results when the document
// converts, and an error (a syntax error at the same place) when it does
// not.
func FuzzConvertStream(f *testing.F) {
	fuzzSeeds(f)
	f.Add([]byte(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#x","value":[{"canExtend":true},{"id":"x"}],"@odata.nextLink":"n"}`))
	f.Add([]byte(` [ {"durationInDays":1} , 7 , {} ] `))
	cvs := map[model.Version][3]*Converter{}
	for _, v := range model.Versions {
		a, _ := NewConverter(Options{To: v, AllowWidening: true})
		b, _ := NewConverter(Options{To: v, AllowWidening: true})
		c := withJobs(f, Options{To: v, AllowWidening: true}, 2, 24) // a policy or two a batch
		cvs[v] = [3]*Converter{a, b, c}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, v := range model.Versions {
			want, werr := cvs[v][0].ConvertDocument(doc)
			out, res, items, err := streamDoc(t, cvs[v][1], doc, 3)
			// With workers, everything is the one goroutine's.
			jout, jres, jitems, jerr := streamDoc(t, cvs[v][2], doc, 3)
			if fmt.Sprint(jerr) != fmt.Sprint(err) || !bytes.Equal(jout, out) || fmt.Sprint(jres) != fmt.Sprint(res) {
				t.Fatalf("to %s, 2 jobs: %+v, %v\n%s\none goroutine: %+v, %v\n%s", v, jres, jerr, jout, res, err, out)
			}
			if d := cmp.Diff(items, jitems); d != "" {
				t.Fatalf("to %s: items (-one goroutine +2 jobs):\n%s", v, d)
			}
			if werr != nil {
				var wse, se *SyntaxError
				if err == nil {
					t.Fatalf("to %s: no error; ConvertDocument: %v", v, werr)
				}
				if errors.As(werr, &wse) && errors.As(err, &se) && *se != *wse {
					t.Fatalf("to %s: %v; ConvertDocument: %v", v, se, wse)
				}
				continue
			}
			if err != nil && errors.Is(err, ErrNotPolicy) && want.Kind == KindPolicy && res.Streamed {
				continue // taken for a collection from its start (see ConvertStream)
			}
			if err != nil {
				t.Fatalf("to %s: %v; ConvertDocument converts it", v, err)
			}
			var wantItems []streamedItem
			for _, it := range want.Items {
				if want.Kind == KindPolicy {
					it.Changed = want.Changed
				}
				wantItems = append(wantItems, keepItem(it))
			}
			if res.Kind != want.Kind || res.Changed != want.Changed || !bytes.Equal(out, want.Output) {
				t.Fatalf("to %s: %+v\n%s\nConvertDocument: %s, changed %v\n%s", v, res, out, want.Kind, want.Changed, want.Output)
			}
			if d := cmp.Diff(wantItems, items); d != "" {
				t.Fatalf("to %s: items (-ConvertDocument +ConvertStream):\n%s", v, d)
			}
		}
	})
}

// TestConvertStreamPackage: the package-level ConvertStream converts as a
// Converter does, with a Converter from the pool, and refuses bad options.
func TestConvertStreamPackage(t *testing.T) {
	doc := readFile(t, "../testdata/docs/beta/"+"graphdocs-accesspackageassignmentpolicy-list-02-response.json")
	want, err := ConvertDocument(doc, Options{To: model.V1})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	n := 0
	res, err := ConvertStream(bytes.NewReader(doc), &out, Options{To: model.V1}, func(*StreamItem) error { n++; return nil })
	if err != nil || !res.Streamed || res.Kind != KindCollection || !bytes.Equal(out.Bytes(), want.Output) || n != len(want.Items) {
		t.Fatalf("%+v, %v, %d items (want %d):\n%s", res, err, n, len(want.Items), out.Bytes())
	}
	stop := errors.New("stop")
	if _, err := ConvertStream(bytes.NewReader(doc), io.Discard, Options{To: model.V1}, func(*StreamItem) error { return stop }); err != stop {
		t.Errorf("the callback's error: %v", err)
	}
	if _, err := ConvertStream(bytes.NewReader(doc), io.Discard, Options{}, nil); err == nil {
		t.Error("no target version: no error")
	}
}

// TestConvertStreamNotCollection: an object that starts as a collection
// (annotations, then a value array) but has no @odata.context and more
// than three members is what ConvertDocument takes for a policy; streamed,
// it ends in an error that says so, and one with at most three converts as
// a collection.
func TestConvertStreamNotCollection(t *testing.T) {
	cv, _ := NewConverter(Options{To: model.V1})
	for _, tc := range []struct {
		doc  string
		kind Kind
	}{
		{`{"value":[{"canExtend":true}],"@odata.nextLink":"n","@odata.count":1}`, KindCollection},
		{`{"@odata.count":1,"value":[{"canExtend":true}],"@odata.nextLink":"n","x":1}`, KindPolicy},
	} {
		want, werr := ConvertDocument([]byte(tc.doc), Options{To: model.V1})
		if werr != nil || want.Kind != tc.kind {
			t.Fatalf("%s: ConvertDocument: %v, %s", tc.doc, werr, want.Kind)
		}
		out, res, _, err := streamDoc(t, cv, []byte(tc.doc), 0)
		switch tc.kind {
		case KindCollection:
			if err != nil || !bytes.Equal(out, want.Output) || !res.Streamed {
				t.Errorf("%s: %v, %+v, %s", tc.doc, err, res, out)
			}
		default:
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrNotPolicy) || !strings.Contains(e.Found, "4 members") {
				t.Errorf("%s: %v, want ErrNotPolicy for 4 members", tc.doc, err)
			}
		}
	}
}

// TestExtentScan: the extent of a value is found whatever the buffers it
// arrives in, escapes, quotes and brackets in strings included, and ends
// exactly where the value does.
func TestExtentScan(t *testing.T) {
	values := []string{
		`{"a":"b\"}]","c":[1,{"d":"\\"}],"e":"\\\\\""}`,
		`["x\\",{"y":"]}\"\\"},"z"]`,
		`"a long string of more than eight bytes with \" and \\ and \u00e9 and ] and }"`,
		`12.5e-3`, `true`, `null`,
		`{"nested":{"deeper":[[[{"s":"` + strings.Repeat(`\"`, 9) + `"}]]]}}`,
	}
	for _, v := range values {
		for _, after := range []string{"", ",", " ]", "}"} {
			if after == "" && (v[0] != '{' && v[0] != '[' && v[0] != '"') {
				continue // a scalar ends at a delimiter or the end of input
			}
			in := v + after
			for cut := 0; cut <= len(in); cut++ {
				x := extent{scalar: v[0] != '{' && v[0] != '[' && v[0] != '"'}
				k, done := x.scan([]byte(in[:cut]))
				n := k
				if !done {
					if k != cut {
						t.Fatalf("%q cut at %d: took %d bytes of %d without ending", in, cut, k, cut)
					}
					k2, done2 := x.scan([]byte(in[cut:]))
					n, done = cut+k2, done2
				}
				if !done || n != len(v) {
					t.Fatalf("%q cut at %d: ends at %d (done %v), want %d", in, cut, n, done, len(v))
				}
			}
		}
	}
}

// TestConvertStreamTooLarge: a policy over 64 MiB in a streamed document
// ends it with an error that says where, under its own code.
func TestConvertStreamTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	big := `{"id":"b","description":"` + strings.Repeat("x", maxStreamItem) + `"}`
	doc := "[\n" + `{"id":"a","canExtend":true},` + "\n" + big + "]"
	for _, jobs := range []int{0, 2} {
		cv := withJobs(t, Options{To: model.V1}, jobs, 0)
		_, err := cv.ConvertStream(strings.NewReader(doc), io.Discard, nil)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrItemTooLarge) || e.Code() != "too-large" || !strings.Contains(e.Found, "line 3, column 1 (byte 31)") {
			t.Fatalf("%d jobs: %v", jobs, err)
		}
	}
}

// TestConvertStreamAllocsBounded: a stream allocates per document, not per
// policy: ten times the policies, the same allocations.
func TestConvertStreamAllocsBounded(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	policy := `{"id":"p","canExtend":true,"durationInDays":30,"requestorSettings":{"scopeType":"AllExistingDirectoryMemberUsers","acceptRequests":true}}`
	doc := func(n int) []byte {
		return []byte(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#x","value":[` + strings.TrimSuffix(strings.Repeat(policy+",", n), ",") + `]}`)
	}
	for _, jobs := range []int{0, 2} {
		cv := withJobs(t, Options{To: model.V1}, jobs, 0)
		allocs := func(d []byte) float64 {
			r := bytes.NewReader(d)
			return testing.AllocsPerRun(5, func() {
				r.Reset(d)
				if _, err := cv.ConvertStream(r, io.Discard, nil); err != nil {
					t.Fatal(err)
				}
			})
		}
		// With workers, the goroutines and channels of a stream are a few
		// dozen allocations, a batch (32 KiB, about 230 of these policies)
		// costs one, its channel, and which of the batches kept from the
		// last streams a stream fills (and may grow) depends on timing:
		// warm them all first, and allow a handful.
		slack := 2.0
		if jobs > 1 {
			allocs(doc(500))
			slack = 10
		}
		small, large := allocs(doc(50)), allocs(doc(500))
		if large > small+slack {
			t.Errorf("%d jobs: %.0f allocations for 50 policies, %.0f for 500", jobs, small, large)
		}
	}
}

// TestConvertStreamJobsStop: with workers, an error from the callback or
// the writer stops the stream at that policy (no later policy written or
// handed over), and no goroutine outlives the call.
func TestConvertStreamJobsStop(t *testing.T) {
	policy := `{"id":"p","canExtend":true,"durationInDays":30}`
	doc := []byte("[" + strings.TrimSuffix(strings.Repeat(policy+",", 40000), ",") + "]")
	before := runtime.NumGoroutine()
	stop := errors.New("stop")
	for _, sj := range streamJobs[1:] {
		cv := withJobs(t, Options{To: model.V1}, sj.jobs, sj.batch)
		for _, at := range []int{0, 1, 700, 1999} {
			n := 0
			cr := &countReader{r: bytes.NewReader(doc)}
			_, err := cv.ConvertStream(cr, io.Discard, func(it *StreamItem) error {
				if it.Index != n {
					t.Fatalf("%s: policy %d handed over as %d", sj.name, n, it.Index)
				}
				if n++; it.Index == at {
					return stop
				}
				return nil
			})
			if err != stop || n != at+1 {
				t.Errorf("%s, stop at %d: %v after %d policies", sj.name, at, err, n)
			}
			// The reader stopped too, a few batches ahead at most.
			if cr.n > len(doc)/2 {
				t.Errorf("%s, stop at %d: %d bytes of %d read", sj.name, at, cr.n, len(doc))
			}
			w := &failWriter{after: 1 + at*len(policy)}
			_, err = cv.ConvertStream(bytes.NewReader(doc), w, nil)
			if !errors.Is(err, errWrite) || w.writes > 1+at+1 {
				t.Errorf("%s, write error after %d bytes: %v after %d writes", sj.name, w.after, err, w.writes)
			}
		}
	}
	// A panic in the callback stops them too.
	cv := withJobs(t, Options{To: model.V1}, 2, 0)
	func() {
		defer func() { recover() }()
		cv.ConvertStream(bytes.NewReader(doc), io.Discard, func(*StreamItem) error { panic("callback") })
	}()
	// A panic in a worker reaches the caller, as on one goroutine.
	testHookElement = func(doc string) {
		if strings.Contains(doc, `"boom"`) {
			panic("boom")
		}
	}
	defer func() { testHookElement = nil }()
	boom := bytes.Replace(doc, []byte(`"id":"p"`), []byte(`"id":"boom"`), 1)
	var got any
	func() {
		defer func() { got = recover() }()
		cv.ConvertStream(bytes.NewReader(boom), io.Discard, nil)
	}()
	if got != "boom" {
		t.Errorf("a worker's panic: the caller recovered %v", got)
	}
	// The workers are gone when the calls return (once done, a goroutine
	// takes a moment to leave the count).
	after := runtime.NumGoroutine()
	for i := 0; i < 100 && after > before; i++ {
		time.Sleep(10 * time.Millisecond)
		after = runtime.NumGoroutine()
	}
	if after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
	if _, err := NewConverter(Options{To: model.V1, Jobs: -1}); err == nil {
		t.Error("negative Jobs: no error")
	}
}

type countReader struct {
	r io.Reader
	n int
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

var errWrite = errors.New("disk full")

// failWriter fails the write that would take it past after bytes.
type failWriter struct{ after, n, writes int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.n+len(p) > w.after {
		return 0, errWrite
	}
	w.n += len(p)
	return len(p), nil
}
