package convert

import (
	"strings"
	"testing"

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
	fill := []byte("aZ0 ~\x7f\x80\xe9\xff")
	for n := 0; n <= 20; n++ {
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				b := make([]byte, n)
				for k := range b {
					b[k] = fill[(k+n+c)%len(fill)]
				}
				b[pos] = byte(c)
				d := string(b)
				for start := 0; start <= min(n, 3); start++ {
					if got, want := plainRun(d, start), loop(d, start); got != want {
						t.Fatalf("plainRun(%q, %d) = %d, want %d", d, start, got, want)
					}
				}
			}
		}
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
