package model

import (
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
		var p []byte
		for _, s := range segs {
			if s.IsIndex {
				p = AppendIndex(p, s.Index)
			} else {
				p = AppendKey(p, s.Key)
			}
		}
		got, err := ParsePath(string(p))
		if err != nil {
			t.Errorf("ParsePath(%q): %v", p, err)
			continue
		}
		if diff := cmp.Diff(segs, got); diff != "" {
			t.Errorf("ParsePath(%q) (-want +got):\n%s", p, diff)
		}
	}
	for _, bad := range []string{"a.", "a[", "a[x]", `a["b`, "a..b"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) accepted", bad)
		}
	}
}
