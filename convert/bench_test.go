package convert_test

// Benchmarks for the performance targets ("Fast and small"), with the
// baselines they are judged against, on the same bytes:
//
//	go test ./convert -run '^$' -bench . -benchmem -cpu 1
//
// BenchmarkConvert      one policy: small (~300 B), typical (~1 KB) and
//                       large (several KB), both directions, with a reused
//                       Converter (the hot path) and with Convert.
// BenchmarkCorpus       one pass over every valid documented example that
//                       the direction changes (one-line JSON).
// BenchmarkNDJSON       a few MB of newline-delimited policies, read with
//                       bufio.Scanner, converted line by line by one
//                       Converter and written to a bufio.Writer.
// BenchmarkBaseline*    encoding/json decode into any + Marshal, json.Valid
//                       and gjson.Valid over the corpus lines.
// BenchmarkValidatingPass  the first step of a conversion alone, over the
//                       corpus lines: the pass that checks the syntax and
//                       records the containers. What BenchmarkCorpus takes
//                       beyond it is the conversion proper.
//
// Every benchmark converts with AllowWidening (as the golden tests do), so
// that policies whose conversion widens access are converted rather than
// refused; examples that fail or need no conversion are not in the corpus.
// bench/compare.sh runs these and the bench/compare harness; see
// bench/README.md for what the numbers mean.
//
// TestConvertAllocsBounded is not a benchmark: it runs under plain go test
// and fails when a conversion with a warm Converter allocates (see
// convertAllocLimit).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/convert"
	"github.com/apmigrate/apmigrate/model"
)

// convertAllocLimit bounds the allocations of one conversion with a reused
// Converter, per direction, for every benchmark policy: a guard against
// regressions, not a target. A Converter hands out results that live in
// its memory until its next call, so a warm one allocates nothing (0 for
// every size and direction when last set, Go 1.26.8; 6 and 12 for the
// typical policy when results were copies, 105 and 126 at 572e54d, before
// the allocation work). Below 1 on average, a single allocation per call
// fails the test.
// packageAllocLimit bounds the allocations of the package-level Convert,
// whose Converter comes from a pool (72 for a typical policy when each call
// made a new one).
const packageAllocLimit = 6

var convertAllocLimit = map[model.Version]float64{
	model.V1:   0.5,
	model.Beta: 0.5,
}

// benchDirections are the two conversions, named by source and target.
var benchDirections = []struct {
	name     string
	from, to model.Version
}{
	{"beta-v1.0", model.Beta, model.V1},
	{"v1.0-beta", model.V1, model.Beta},
}

func benchOptions(to model.Version) convert.Options {
	return convert.Options{To: to, AllowWidening: true}
}

// benchSize is one policy in both shapes.
type benchSize struct {
	name string
	in   map[model.Version][]byte // keyed by the source version
}

type benchInputs struct {
	sizes []benchSize
	// corpus holds the valid documented example policies that a conversion
	// to the key version changes, as one-line JSON, sorted and distinct.
	corpus map[model.Version][][]byte
	err    error
}

var (
	benchOnce sync.Once
	benchIn   benchInputs
	benchSink int
)

func loadBenchInputs(tb testing.TB) *benchInputs {
	tb.Helper()
	benchOnce.Do(func() { benchIn = buildBenchInputs() })
	if benchIn.err != nil {
		tb.Fatal(benchIn.err)
	}
	return &benchIn
}

const benchDocs = "../testdata/docs"

func buildBenchInputs() benchInputs {
	var in benchInputs
	in.corpus = map[model.Version][][]byte{}
	for _, d := range benchDirections {
		c, err := benchCorpus(d.to)
		if err != nil {
			return benchInputs{err: err}
		}
		in.corpus[d.to] = c
	}
	small, err := compactFile("beta/graphdocs-accesspackageassignmentpolicy-get-05-response.json")
	if err != nil {
		return benchInputs{err: err}
	}
	typical, err := compactFile("beta/graphdocs-accesspackageassignmentpolicy-06-resource.json")
	if err != nil {
		return benchInputs{err: err}
	}
	large, err := benchLargePolicy()
	if err != nil {
		return benchInputs{err: err}
	}
	for _, s := range []struct {
		name string
		beta []byte
	}{{"small", small}, {"typical", typical}, {"large", large}} {
		// The v1.0 input is the same policy in the v1.0 shape: the
		// converter's output, so both directions do the same work.
		res, err := convert.Convert(s.beta, benchOptions(model.V1))
		if err != nil {
			return benchInputs{err: fmt.Errorf("%s policy to v1.0: %w", s.name, err)}
		}
		in.sizes = append(in.sizes, benchSize{name: s.name, in: map[model.Version][]byte{model.Beta: s.beta, model.V1: res.Output}})
	}
	return in
}

func compactFile(rel string) ([]byte, error) {
	raw, err := os.ReadFile(filepath.Join(benchDocs, rel))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	return b.Bytes(), nil
}

// benchCorpus returns every policy of the documented examples (a list or
// a collection contributes its elements) as one-line JSON, keeping those
// that convert to `to` without error and change.
func benchCorpus(to model.Version) ([][]byte, error) {
	var files []string
	for _, dir := range []string{"beta", "v1.0"} {
		m, err := filepath.Glob(filepath.Join(benchDocs, dir, "*.json"))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	seen := map[string]bool{}
	var out [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if json.Compact(&b, raw) != nil {
			continue
		}
		doc := b.Bytes()
		var policies [][]byte
		switch r := gjson.ParseBytes(doc); {
		case r.IsArray():
			r.ForEach(func(_, v gjson.Result) bool { policies = append(policies, []byte(v.Raw)); return true })
		case r.Get("value").IsArray():
			r.Get("value").ForEach(func(_, v gjson.Result) bool { policies = append(policies, []byte(v.Raw)); return true })
		default:
			policies = [][]byte{doc}
		}
		for _, p := range policies {
			res, err := convert.Convert(p, benchOptions(to))
			if err != nil || !res.Changed || seen[string(p)] {
				continue
			}
			seen[string(p)] = true
			out = append(out, p)
		}
	}
	if len(out) < 10 {
		return nil, fmt.Errorf("only %d documented policies convert to %s", len(out), to)
	}
	return out, nil
}

// benchLargePolicy builds a large beta policy (several KB) from the
// largest documented example: three approval stages with four primary and
// two escalation approvers each, six allowed requestors, four reviewers
// and six questions, the multiple-choice ones with four choices, all
// localized in two languages.
func benchLargePolicy() ([]byte, error) {
	raw, err := os.ReadFile(filepath.Join(benchDocs, "beta/graphdocs-accesspackageassignmentpolicy-post-12-request.json"))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var p map[string]any
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	subject := func(typ string, i int) map[string]any {
		return map[string]any{
			"@odata.type": "#microsoft.graph." + typ,
			"isBackup":    i%2 == 1,
			"id":          fmt.Sprintf("%08d-67c6-4f1b-a56e-c6ed028f9474", i),
			"description": fmt.Sprintf("%s number %d", typ, i),
		}
	}
	var requestors []any
	for i := range 6 {
		requestors = append(requestors, subject("groupMembers", i))
	}
	p["requestorSettings"].(map[string]any)["allowedRequestors"] = requestors
	ras := p["requestApprovalSettings"].(map[string]any)
	old := ras["approvalStages"].([]any)
	var stages []any
	for s := range 3 {
		st := map[string]any{}
		for k, v := range old[s%len(old)].(map[string]any) {
			st[k] = v
		}
		prim := []any{subject("singleUser", 10*s), subject("groupMembers", 10*s+1),
			map[string]any{"@odata.type": "#microsoft.graph.requestorManager", "isBackup": false, "managerLevel": json.Number("1")},
			subject("singleUser", 10*s+3)}
		st["primaryApprovers"] = prim
		st["escalationApprovers"] = []any{subject("singleUser", 10*s+4), subject("groupMembers", 10*s+5)}
		stages = append(stages, st)
	}
	ras["approvalStages"] = stages
	ars := p["accessReviewSettings"].(map[string]any)
	var reviewers []any
	for i := range 4 {
		reviewers = append(reviewers, subject("singleUser", 100+i))
	}
	ars["reviewers"] = reviewers
	langs := []string{"es", "fr"}
	texts := func(s string) []any {
		var l []any
		for _, lang := range langs {
			l = append(l, map[string]any{"text": s + " (" + lang + ")", "languageCode": lang})
		}
		return l
	}
	var questions []any
	for q := range 6 {
		text := fmt.Sprintf("question %d: what do you need?", q)
		if q%2 == 1 {
			questions = append(questions, map[string]any{
				"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "isRequired": true,
				"text":                 map[string]any{"defaultText": text, "localizedTexts": texts(text)},
				"isSingleLineQuestion": false,
			})
			continue
		}
		var choices []any
		for c := range 4 {
			v := fmt.Sprintf("choice %d", c)
			choices = append(choices, map[string]any{"actualValue": v, "displayValue": map[string]any{"localizedTexts": texts(v)}})
		}
		questions = append(questions, map[string]any{
			"@odata.type": "#microsoft.graph.accessPackageMultipleChoiceQuestion", "isRequired": false,
			"text":    map[string]any{"defaultText": text, "localizedTexts": texts(text)},
			"choices": choices, "allowsMultipleSelection": q%4 == 0,
		})
	}
	p["questions"] = questions
	return json.Marshal(p)
}

// TestBenchInputs checks that every benchmark input converts without error
// and changes, so that no benchmark measures an error path or a no-op.
func TestBenchInputs(t *testing.T) {
	in := loadBenchInputs(t)
	// Sizes of the beta inputs; their v1.0 renderings are larger, since a
	// v1.0 policy always carries expiration and all requestor settings.
	want := map[string][2]int{"small": {200, 400}, "typical": {700, 1500}, "large": {4 << 10, 16 << 10}}
	for _, s := range in.sizes {
		if r, n := want[s.name], len(s.in[model.Beta]); n < r[0] || n > r[1] {
			t.Errorf("%s beta policy is %d bytes, want %d..%d", s.name, n, r[0], r[1])
		}
		for _, d := range benchDirections {
			doc := s.in[d.from]
			res, err := convert.Convert(doc, benchOptions(d.to))
			if err != nil || !res.Changed {
				t.Errorf("%s %s: changed %v, error %v", s.name, d.name, res.Changed, err)
			}
		}
	}
	for _, d := range benchDirections {
		t.Logf("%s corpus: %d policies, %d bytes", d.name, len(in.corpus[d.to]), corpusBytes(in.corpus[d.to]))
	}
}

// TestConvertAllocsBounded guards against allocation regressions in the hot
// path: converting the typical policy with a reused Converter.
func TestConvertAllocsBounded(t *testing.T) {
	if convert.RaceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	in := loadBenchInputs(t)
	for _, s := range in.sizes {
		for _, d := range benchDirections {
			cv, err := convert.NewConverter(benchOptions(d.to))
			if err != nil {
				t.Fatal(err)
			}
			doc := s.in[d.from]
			allocs := testing.AllocsPerRun(100, func() {
				res, err := cv.Convert(doc)
				if err != nil {
					t.Fatal(err)
				}
				benchSink += len(res.Output)
			})
			docAllocs := testing.AllocsPerRun(100, func() {
				res, err := cv.ConvertDocument(doc)
				if err != nil {
					t.Fatal(err)
				}
				benchSink += len(res.Output)
			})
			t.Logf("%s %s (%d B): %.0f allocations per conversion, %.0f as a document", s.name, d.name, len(doc), allocs, docAllocs)
			if allocs > convertAllocLimit[d.to] || docAllocs > convertAllocLimit[d.to] {
				t.Errorf("%s %s: %.2f allocations per conversion (%.2f as a document), limit %.2f (convertAllocLimit)", s.name, d.name, allocs, docAllocs, convertAllocLimit[d.to])
			}
			// The package-level function takes a pooled Converter and copies
			// the results out: the output, the findings, one buffer for
			// their strings, the evidence lists.
			pkgAllocs := testing.AllocsPerRun(100, func() {
				res, err := convert.Convert(doc, benchOptions(d.to))
				if err != nil {
					t.Fatal(err)
				}
				benchSink += len(res.Output)
			})
			if pkgAllocs > packageAllocLimit {
				t.Errorf("%s %s: convert.Convert made %.2f allocations, limit %d (packageAllocLimit)", s.name, d.name, pkgAllocs, packageAllocLimit)
			}
		}
	}
}

func corpusBytes(lines [][]byte) int64 {
	var n int64
	for _, l := range lines {
		n += int64(len(l))
	}
	return n
}

func BenchmarkConvert(b *testing.B) {
	in := loadBenchInputs(b)
	for _, d := range benchDirections {
		for _, s := range in.sizes {
			doc := s.in[d.from]
			b.Run(d.name+"/"+s.name+"/Converter", func(b *testing.B) {
				cv, err := convert.NewConverter(benchOptions(d.to))
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(doc)))
				b.ReportAllocs()
				for b.Loop() {
					res, err := cv.Convert(doc)
					if err != nil {
						b.Fatal(err)
					}
					benchSink += len(res.Output)
				}
			})
			b.Run(d.name+"/"+s.name+"/Convert", func(b *testing.B) {
				opts := benchOptions(d.to)
				b.SetBytes(int64(len(doc)))
				b.ReportAllocs()
				for b.Loop() {
					res, err := convert.Convert(doc, opts)
					if err != nil {
						b.Fatal(err)
					}
					benchSink += len(res.Output)
				}
			})
		}
	}
}

// BenchmarkCorpus converts every corpus policy once per operation.
func BenchmarkCorpus(b *testing.B) {
	in := loadBenchInputs(b)
	for _, d := range benchDirections {
		lines := in.corpus[d.to]
		// ConverterNoEvidence converts as the command line does, without
		// building the detection's evidence paths.
		for _, noEv := range []bool{false, true} {
			name := d.name + "/Converter"
			if noEv {
				name += "NoEvidence"
			}
			b.Run(name, func(b *testing.B) {
				opts := benchOptions(d.to)
				opts.NoEvidence = noEv
				cv, err := convert.NewConverter(opts)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(corpusBytes(lines))
				b.ReportAllocs()
				for b.Loop() {
					for _, l := range lines {
						res, err := cv.Convert(l)
						if err != nil {
							b.Fatal(err)
						}
						benchSink += len(res.Output)
					}
				}
			})
		}
		b.Run(d.name+"/Convert", func(b *testing.B) {
			opts := benchOptions(d.to)
			b.SetBytes(corpusBytes(lines))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					res, err := convert.Convert(l, opts)
					if err != nil {
						b.Fatal(err)
					}
					benchSink += len(res.Output)
				}
			}
		})
	}
}

// repeatLines joins the corpus's lines with sep, repeated to at least
// size bytes, between open and close.
func repeatLines(lines [][]byte, size int, open, sep, close string) []byte {
	var buf bytes.Buffer
	buf.WriteString(open)
	for n := 0; buf.Len() < size; {
		for _, l := range lines {
			if n++; n > 1 {
				buf.WriteString(sep)
			}
			buf.Write(l)
		}
	}
	buf.WriteString(close)
	return buf.Bytes()
}

// BenchmarkNDJSON streams 4 MB of NDJSON through one Converter, as a
// command converting a dump does: scan a line, convert it, write it.
func BenchmarkNDJSON(b *testing.B) {
	in := loadBenchInputs(b)
	for _, d := range benchDirections {
		data := repeatLines(in.corpus[d.to], 4<<20, "", "\n", "\n") // NDJSON
		b.Run(d.name, func(b *testing.B) {
			cv, err := convert.NewConverter(benchOptions(d.to))
			if err != nil {
				b.Fatal(err)
			}
			w := bufio.NewWriterSize(io.Discard, 64<<10)
			buf := make([]byte, 0, 64<<10)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				sc := bufio.NewScanner(bytes.NewReader(data))
				sc.Buffer(buf, 64<<20)
				for sc.Scan() {
					res, err := cv.Convert(sc.Bytes())
					if err != nil {
						b.Fatal(err)
					}
					w.Write(res.Output)
					w.WriteByte('\n')
				}
				if err := sc.Err(); err != nil {
					b.Fatal(err)
				}
				w.Flush()
			}
		})
	}
}

// BenchmarkStream converts a 4 MB collection response with
// Converter.ConvertStream, as the command line converts a big document:
// a policy at a time, its allocations a stream's, not a policy's.
func BenchmarkStream(b *testing.B) {
	in := loadBenchInputs(b)
	for _, d := range benchDirections {
		// A Graph collection response on one line.
		data := repeatLines(in.corpus[d.to], 4<<20, `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageAssignmentPolicies","value":[`, ",", "]}")
		// Jobs: the workers of Options.Jobs, as many as GOMAXPROCS (run
		// with -cpu 1,2 for the scaling).
		for _, jobs := range []int{0, runtime.GOMAXPROCS(0)} {
			name := d.name
			if jobs > 0 {
				name += "/Jobs"
			}
			b.Run(name, func(b *testing.B) {
				opts := benchOptions(d.to)
				opts.Jobs = jobs
				cv, err := convert.NewConverter(opts)
				if err != nil {
					b.Fatal(err)
				}
				w := bufio.NewWriterSize(io.Discard, 64<<10)
				r := bytes.NewReader(data)
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					r.Reset(data)
					res, err := cv.ConvertStream(r, w, nil)
					if err != nil || !res.Streamed {
						b.Fatal(err, res)
					}
					w.Flush()
				}
			})
		}
	}
}

// The baselines run over the same corpus lines as BenchmarkCorpus, so
// their MB/s compare directly with BenchmarkCorpus/<corpus>/Converter.

func BenchmarkBaselineEncodingJSON(b *testing.B) {
	benchBaseline(b, func(l []byte) int {
		var v any
		if err := json.Unmarshal(l, &v); err != nil {
			b.Fatal(err)
		}
		out, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		return len(out)
	})
}

func BenchmarkBaselineGjsonValid(b *testing.B) {
	benchBaseline(b, func(l []byte) int {
		if !gjson.ValidBytes(l) {
			b.Fatal("invalid line")
		}
		return 1
	})
}

func BenchmarkBaselineJSONValid(b *testing.B) {
	benchBaseline(b, func(l []byte) int {
		if !json.Valid(l) {
			b.Fatal("invalid line")
		}
		return 1
	})
}

func BenchmarkValidatingPass(b *testing.B) {
	cv, err := convert.NewConverter(benchOptions(model.V1))
	if err != nil {
		b.Fatal(err)
	}
	benchBaseline(b, func(l []byte) int {
		if err := cv.ValidatingPass(l); err != nil {
			b.Fatal(err)
		}
		return 1
	})
}

func benchBaseline(b *testing.B, f func([]byte) int) {
	in := loadBenchInputs(b)
	for _, d := range benchDirections {
		lines := in.corpus[d.to]
		b.Run(d.name, func(b *testing.B) {
			b.SetBytes(corpusBytes(lines))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					benchSink += f(l)
				}
			}
		})
	}
}
