package convert

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apmigrate/apmigrate/model"
)

// TestScanKey: the one-loop key read of a validated document agrees with
// skipString and readKey, escapes and annotations included, and both modes
// agree.
func TestScanKey(t *testing.T) {
	var raws []string
	for _, raw := range []string{
		`"id"`, `""`, `"@odata.type"`, `"displayName@odata.type"`, `"a\"b"`, `"a\\"`, `"x\u0040y"`,
		`"\\@"`, `"tab\tkey"`, `"é@"`, `"\ud83d\ude00"`,
	} {
		raws = append(raws, raw)
	}
	// Keys of every length to 24 with an '@', an escape or neither at every
	// place, so that both the eight-byte steps and the byte loop meet them.
	for n := 0; n <= 24; n++ {
		for pos := -1; pos < n; pos++ {
			for _, special := range []string{"@", `\"`, `\u0041`} {
				k := []byte(strings.Repeat("abcdefgh", 4)[:n])
				key := string(k)
				if pos >= 0 {
					key = string(k[:pos]) + special + string(k[pos:])
				}
				raws = append(raws, `"`+key+`"`)
			}
		}
	}
	for _, raw := range raws {
		doc := "{" + raw + `:1}`
		if len(raw)%2 == 0 {
			doc = "{" + raw + `:1,"next":"a long enough value"}`
		}
		for _, trusted := range []bool{false, true} {
			s := scanner{doc: doc, trusted: trusted}
			end, key, annot := s.scanKey(1)
			want := scanner{doc: doc}
			wantEnd := want.skipString(1)
			wantKey, wantAnnot := readKey(doc[1:wantEnd])
			if end != wantEnd || key != wantKey || annot != wantAnnot {
				t.Errorf("%s (trusted %v): end %d, key %q, annotation %v; want %d, %q, %v", raw, trusted, end, key, annot, wantEnd, wantKey, wantAnnot)
			}
		}
	}
}

// TestScanKeyValidates: the validating pass reads keys with scanKey too, so
// for every byte value at every position of keys up to 20 bytes (control
// characters, quotes, backslashes, '@', bytes above ASCII), unterminated
// ones included, it agrees with skipString and readKey: the same end, key
// and annotation flag, or the same syntax error.
func TestScanKeyValidates(t *testing.T) {
	eachByteEverywhere("aZ0 ~@\x7f\x80\xe9\xff", func(b string) {
		for _, doc := range []string{`{"` + b + `":1}`, `{"` + b} {
			s := scanner{doc: doc}
			end, key, annot := s.scanKey(1)
			want := scanner{doc: doc}
			wantEnd := want.skipString(1)
			var wantKey string
			var wantAnnot bool
			if wantEnd >= 0 {
				wantKey, wantAnnot = readKey(doc[1:wantEnd])
			}
			if end != wantEnd || key != wantKey || annot != wantAnnot || (s.err == nil) != (want.err == nil) ||
				s.err != nil && s.err.Error() != want.err.Error() {
				t.Fatalf("%q: end %d, key %q, annotation %v, error %v; want %d, %q, %v, %v", doc, end, key, annot, s.err, wantEnd, wantKey, wantAnnot, want.err)
			}
		}
	})
}

// eachByteEverywhere calls fn with strings of 1 to 20 bytes made of fill's
// bytes with one byte of every value at every position: the inputs that
// hold an eight-bytes-at-a-time scan to its byte loop.
func eachByteEverywhere(fill string, fn func(string)) {
	for n := 1; n <= 20; n++ {
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				b := make([]byte, n)
				for k := range b {
					b[k] = fill[(k+n+c)%len(fill)]
				}
				b[pos] = byte(c)
				fn(string(b))
			}
		}
	}
}

// TestPlainRun: the eight-bytes-at-a-time search stops where a byte loop
// over strPlain stops, for every byte value at every position of strings
// up to 20 bytes long, with plain bytes (ASCII and not) around it.
func TestPlainRun(t *testing.T) {
	loop := func(d string, i int) int {
		for i < len(d) && strPlain[d[i]] {
			i++
		}
		return i
	}
	eachByteEverywhere("aZ0 ~\x7f\x80\xe9\xff", func(d string) {
		for start := 0; start <= min(len(d), 3); start++ {
			if got, want := plainRun(d, start), loop(d, start); got != want {
				t.Fatalf("plainRun(%q, %d) = %d, want %d", d, start, got, want)
			}
		}
	})
}

// TestLoad8: the word load reads the eight bytes at i, the first in the
// lowest byte, from strings that start inside others too, and never past
// the end.
func TestLoad8(t *testing.T) {
	var b [40]byte
	for i := range b {
		b[i] = byte(i*37 + 11)
	}
	whole := string(b[:])
	for from := 0; from < 8; from++ {
		d := whole[from:]
		for i := 0; i+8 <= len(d); i++ {
			if got, want := load8(d, i), binary.LittleEndian.Uint64([]byte(d[i:i+8])); got != want {
				t.Fatalf("load8(whole[%d:], %d) = %#x, want %#x", from, i, got, want)
			}
		}
		// Past the end it panics rather than read what follows the string.
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("load8(whole[%d:], %d) read past the end without a panic", from, len(d)-7)
				}
			}()
			load8(d, len(d)-7)
		}()
	}
}

// TestDocumentKinds: a collection is told from a policy however its value
// key is written.
func TestDocumentKinds(t *testing.T) {
	policy := `{"id":"p","displayName":"x"}`
	for _, tc := range []struct {
		doc  string
		kind Kind
	}{
		{policy, KindPolicy},
		{`{"@odata.context":"c","value":[` + policy + `]}`, KindCollection},
		{`{"@odata.context":"c","val\u0075e":[` + policy + `]}`, KindCollection},
		{`{"value":[` + policy + `]}`, KindCollection},
		{`{"id":"p","displayName":"\"value\""}`, KindPolicy},
		{`{"id":"p","description":"a \\ b"}`, KindPolicy},
	} {
		res, err := ConvertDocument([]byte(tc.doc), Options{To: model.V1, AllowWidening: true})
		if err != nil || res.Kind != tc.kind {
			t.Errorf("%s: kind %q (%v), want %q", tc.doc, res.Kind, err, tc.kind)
		}
	}
}

// TestTape: a trusted scan that takes an object's members from the
// validating pass's tape finds what reading the object again finds (the
// members and the bytes around them), for every object of every example
// and of documents past the tape's limit; and an object last filled from
// the tape never writes into it when it is scanned again.
func TestTape(t *testing.T) {
	var docs []string
	for _, file := range docExamples(t) {
		docs = append(docs, string(readFile(t, file)))
	}
	var big strings.Builder
	big.WriteString(`[`)
	for i := 0; i < maxTape/3+10; i++ {
		if i > 0 {
			big.WriteString(",\n ")
		}
		big.WriteString(`{"a" : 1, "b@x":{"c":[{}, {"d":"\u0041"}]}, "e\"": { } }`)
	}
	big.WriteString(`]`)
	// One object with more members than the tape holds, in another.
	var wide strings.Builder
	wide.WriteString(`{"x": {"y": {}, "w": {`)
	for i := 0; i < 2*maxTape+10; i++ {
		if i > 0 {
			wide.WriteString(",")
		}
		fmt.Fprintf(&wide, `"k%d": {"v": %d}`, i, i)
	}
	wide.WriteString(`}, "z": {"after": true}}}`)
	docs = append(docs, big.String(), wide.String(), ` { "a":{"b":{}} , "c" :[ {"d":1} ] } `)
	taped := 0
	for _, doc := range docs {
		n, err := checkTape(doc)
		if err != nil {
			t.Fatal(err)
		}
		taped += n
	}
	if taped == 0 {
		t.Fatal("no object was taped")
	}
}

// checkTape validates doc as the Converter does, recording its containers,
// and holds the trusted scan of every object taken from the tapes to a
// re-read of the object. It returns how many objects were taped (0 for a
// document that is not JSON) or what differs.
func checkTape(doc string) (int, error) {
	start := skipWS(doc, 0)
	if start >= len(doc) {
		return 0, nil
	}
	sc := scanner{doc: doc, record: true}
	if sc.skipValue(start, 0) < 0 {
		return 0, nil
	}
	if n := tapeCap(sc.tapes); n > 2*maxTape {
		return 0, fmt.Errorf("%.40q: room for %d members on the tapes", doc, n)
	}
	sc.index()
	withTape := scanner{doc: doc, trusted: true, ends: sc.ends, tapes: sc.tapes, starts: sc.starts, below: sc.below}
	// Every offset finds its container, or none.
	k := 0
	for i := range len(doc) + 70 {
		want := -1
		if k < len(sc.ends) && sc.ends[k].start == i {
			want = k
			k++
		}
		if got := withTape.spanAt(i); got != want {
			return 0, fmt.Errorf("%.40q: spanAt(%d) = %d, want %d", doc, i, got, want)
		}
	}
	var tapes [][]member
	for _, tp := range sc.tapes {
		tapes = append(tapes, slices.Clone(tp))
	}
	taped := 0
	var o object
	for _, sp := range sc.ends {
		if doc[sp.start] != '{' {
			continue
		}
		if sp.lo >= 0 {
			taped++
		}
		if _, _, ok := withTape.recordedMembers(sp.start); ok != (sp.lo >= 0) {
			return 0, fmt.Errorf("object at %d of %.40q: recorded %v, taped %v", sp.start, doc, ok, sp.lo >= 0)
		}
		var want object
		reread := scanner{doc: doc}
		if !reread.scanObject(sp.start, &want) {
			return 0, fmt.Errorf("object at %d: %v", sp.start, reread.err)
		}
		if !withTape.scanObject(sp.start, &o) {
			return 0, fmt.Errorf("object at %d: taped scan failed", sp.start)
		}
		if !slices.Equal(o.members, want.members) || o.tail != want.tail || o.off != want.off {
			return 0, fmt.Errorf("object at %d of %.40q: taped %+v tail %q, read %+v tail %q", sp.start, doc, o.members, o.tail, want.members, want.tail)
		}
		// The same object filled by a scan that reads.
		if !reread.scanObject(sp.start, &o) || !slices.Equal(o.members, want.members) {
			return 0, fmt.Errorf("object at %d: reused object read %+v", sp.start, o.members)
		}
	}
	for i := range tapes {
		if !slices.Equal(tapes[i], withTape.tapes[i]) {
			return 0, fmt.Errorf("%.40q: tape %d changed while objects were scanned", doc, i)
		}
	}
	return taped, nil
}

// TestCopyMemberVerbatim: a member copied as it is comes out as its head
// and value, whether they lie side by side in the document (as a scan
// makes them: one copy) or not.
func TestCopyMemberVerbatim(t *testing.T) {
	doc := `{"a":1,"bb":[true]}`
	var s scanner
	s.doc = doc
	var o object
	if !s.scanObject(0, &o) {
		t.Fatal(s.err)
	}
	apart := o.members[1]
	apart.head = strings.Clone(apart.head)
	for _, ms := range [][]member{o.members, {o.members[0], apart}} {
		w := writer{}
		w.buf = append(w.buf, '{')
		ow := objWriter{w: &w}
		for i := range ms {
			ow.copyMember(&ms[i], i == 0)
		}
		if got := string(w.buf); got != `{"a":1,"bb":[true]` {
			t.Errorf("copied %q", got)
		}
	}
}

// TestAppendQuoted: the word-at-a-time start of appendQuoted changes
// nothing: for every byte value at every position of strings up to 20
// bytes, ASCII or not, around ASCII letters or U+2028, U+2029 and é, the
// output is a rune loop's (bytes that are not UTF-8 are copied).
func TestAppendQuoted(t *testing.T) {
	loop := func(s string) string {
		b := []byte{'"'}
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, s[i-1]) // as it was
			case r == '"' || r == '\\':
				b = append(b, '\\', byte(r))
			case r == '\n':
				b = append(b, `\n`...)
			case r == '\r':
				b = append(b, `\r`...)
			case r == '\t':
				b = append(b, `\t`...)
			case r < 0x20:
				b = fmt.Appendf(b, `\u%04x`, r)
			case r == '\u2028' || r == '\u2029':
				b = fmt.Appendf(b, `\u%04x`, r)
			default:
				b = utf8.AppendRune(b, r)
			}
		}
		return string(append(b, '"'))
	}
	for _, fill := range []string{"abcdefghXYZ", "ab\u2028cd\u2029é"} {
		eachByteEverywhere(fill, func(s string) {
			if got, want := string(appendQuoted(nil, s)), loop(s); got != want {
				t.Fatalf("appendQuoted(%q) = %s, want %s", s, got, want)
			}
		})
	}
}

// TestGather: gather places the first member of each key its index knows,
// leaves the others, and agrees with get.
func TestGather(t *testing.T) {
	doc := `{"b":1,"x":2,"a":3,"b":4,"c":5}`
	var s scanner
	s.doc = doc
	var o object
	if !s.scanObject(0, &o) {
		t.Fatal(s.err)
	}
	keys := []string{"a", "b", "z"}
	var out [3]*member
	o.gather(func(k string) int { return slices.Index(keys, k) }, out[:])
	for i, k := range keys {
		if out[i] != o.get(k) {
			t.Errorf("gather placed %v for %q, get gives %v", out[i], k, o.get(k))
		}
	}
	if out[1] == nil || out[1].val != "1" {
		t.Errorf("gather did not keep the first b: %v", out[1])
	}
}

// TestUntrustedScans: scanObject and eachMember on a document not
// validated before (every conversion validates first, so only this test
// reaches their errors) accept what validation accepts, with the members
// and tail a trusted scan takes from the tape, and reject what it rejects,
// with its error: for every byte value at every position of an object with
// a nested object, an array, an escape and spacing.
func TestUntrustedScans(t *testing.T) {
	base := `{"a" : 1, "b\u0041":{"c":[2, "x"]} ,"d":null }`
	n := 0
	for pos := range len(base) {
		for c := range 256 {
			b := []byte(base)
			b[pos] = byte(c)
			doc := string(b)
			if doc[0] != '{' {
				continue
			}
			n++
			v := scanner{doc: doc, record: true}
			end := v.skipValue(0, 0)
			valid := end >= 0
			var o object
			s := scanner{doc: doc}
			ok := s.scanObject(0, &o)
			var each []member
			e := scanner{doc: doc}
			var m member
			eachOK := e.eachMember(0, &m, func(m *member) bool { each = append(each, *m); return true })
			switch {
			case !valid:
				// Validation reads the object's members as the scans do, so
				// their first error is the same (a scan skips no value).
				if ok || eachOK {
					t.Fatalf("%q: validation fails (%v), scanObject %v, eachMember %v", doc, v.err, ok, eachOK)
				}
				if *s.err != *v.err || *e.err != *v.err {
					t.Fatalf("%q: validation says %v, scanObject %v, eachMember %v", doc, v.err, s.err, e.err)
				}
			case !ok || !eachOK:
				t.Fatalf("%q: valid, but scanObject says %v, eachMember %v", doc, s.err, e.err)
			default:
				v.index()
				taped := scanner{doc: doc, trusted: true, ends: v.ends, tapes: v.tapes, starts: v.starts, below: v.below}
				var want object
				if !taped.scanObject(0, &want) {
					t.Fatalf("%q: trusted scan failed", doc)
				}
				if !slices.Equal(o.members, want.members) || o.tail != want.tail || !slices.Equal(each, want.members) {
					t.Fatalf("%q: scanObject %v tail %q, eachMember %v; the tape %v tail %q", doc, o.members, o.tail, each, want.members, want.tail)
				}
			}
		}
	}
	if n < 10000 {
		t.Fatalf("only %d documents", n)
	}
}
