package convert

import "testing"

// TestScanKey: the one-loop key read of a validated document agrees with
// skipString and readKey, escapes and annotations included, and both modes
// agree.
func TestScanKey(t *testing.T) {
	for _, raw := range []string{
		`"id"`, `""`, `"@odata.type"`, `"displayName@odata.type"`, `"a\"b"`, `"a\\"`, `"x\u0040y"`,
		`"\\@"`, `"tab\tkey"`, `"é@"`, `"\ud83d\ude00"`,
	} {
		doc := "{" + raw + `:1}`
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
