package model

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPathRoundTrip(t *testing.T) {
	cases := [][]PathSegment{
		{{Key: "requestApprovalSettings"}, {Key: "stages"}, {Index: 0, IsIndex: true}, {Key: "@odata.type"}},
		{{Key: "a.b"}, {Key: "*"}, {Key: "?"}, {Key: "#"}, {Key: "|"}, {Key: `\`}, {Key: `quote"d`}, {Key: "ключ"}},
		{{Key: "x"}, {Index: 12, IsIndex: true}, {Index: 3, IsIndex: true}},
		{{Key: "0"}, {Key: ""}},
	}
	for _, segs := range cases {
		p := writePath(segs)
		got, err := ParsePath(string(p))
		if err != nil {
			t.Errorf("ParsePath(%q): %v", p, err)
			continue
		}
		if diff := cmp.Diff(segs, got); diff != "" {
			t.Errorf("ParsePath(%q) (-want +got):\n%s", p, diff)
		}
	}
	for _, bad := range []string{"a.", "a[", "a[x]", `a["b`, "a..b", ".", ".a", ".a.b"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) accepted", bad)
		}
	}
}

// TestIsIdent: the eight-bytes-at-a-time test agrees with the byte loop
// over identByte for every byte value at every position of keys up to 20
// bytes, made of letters, digits and other bytes around it.
func TestIsIdent(t *testing.T) {
	loop := func(s string) bool {
		if s == "" || '0' <= s[0] && s[0] <= '9' {
			return false
		}
		for i := 0; i < len(s); i++ {
			if !identByte[s[i]] {
				return false
			}
		}
		return true
	}
	for _, fill := range []string{"abcXYZqr", "aZ9_$zA", "a`{@[Z", "aé"} {
		for n := 0; n <= 20; n++ {
			for pos := -1; pos < n; pos++ {
				for c := 0; c < 256; c++ {
					b := make([]byte, n)
					for k := range b {
						b[k] = fill[(k+n)%len(fill)]
					}
					if pos >= 0 {
						b[pos] = byte(c)
					}
					if got, want := isIdent(string(b)), loop(string(b)); got != want {
						t.Fatalf("isIdent(%q) = %v, want %v", b, got, want)
					}
					if pos < 0 {
						break
					}
				}
			}
		}
	}
}

// TestAppendIndex: the one-digit shortcut writes what strconv does, at
// every index from -12 to 120.
func TestAppendIndex(t *testing.T) {
	for i := -12; i <= 120; i++ {
		if got, want := string(AppendIndex([]byte("a"), i)), "a["+strconv.Itoa(i)+"]"; got != want {
			t.Errorf("AppendIndex(%d) = %q, want %q", i, got, want)
		}
	}
}

// FuzzParsePath: ParsePath returns on any string (a leading dot once made
// it loop, growing its result until memory ran out), and what it accepts
// it reads back the same once written in the notation.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"", "a", "a.b[0]", `a["x.y"][12].z`, ".a", "[0]", `[""]`, "a[007]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		segs, err := ParsePath(p)
		if err != nil {
			return
		}
		b := writePath(segs)
		again, err := ParsePath(string(b))
		if err != nil {
			t.Fatalf("ParsePath(%q) = %v, written %q, which it refuses: %v", p, segs, b, err)
		}
		if diff := cmp.Diff(segs, again); diff != "" {
			t.Fatalf("ParsePath(%q) written as %q reads back otherwise (-first +again):\n%s", p, b, diff)
		}
	})
}

// writePath writes segments in the path notation.
func writePath(segs []PathSegment) []byte {
	var p []byte
	for _, s := range segs {
		if s.IsIndex {
			p = AppendIndex(p, s.Index)
		} else {
			p = AppendKey(p, s.Key)
		}
	}
	return p
}
