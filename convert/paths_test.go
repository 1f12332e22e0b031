package convert

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

// splitPath parses the package's path notation back into segments: keys
// (string) and indexes (int).
func splitPath(t *testing.T, p string) []any {
	t.Helper()
	var segs []any
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			i++
		case '[':
			if p[i+1] == '"' {
				j := i + 2
				for p[j] != '"' || p[j-1] == '\\' {
					j++
				}
				k, err := strconv.Unquote(p[i+1 : j+1])
				if err != nil {
					t.Fatalf("bad path %q: %v", p, err)
				}
				segs = append(segs, k)
				i = j + 2
			} else {
				j := strings.IndexByte(p[i:], ']') + i
				n, err := strconv.Atoi(p[i+1 : j])
				if err != nil {
					t.Fatalf("bad path %q", p)
				}
				segs = append(segs, n)
				i = j + 1
			}
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			segs = append(segs, p[i:j])
			i = j
		}
	}
	return segs
}

func resolve(v any, segs []any) bool {
	for _, s := range segs {
		switch k := s.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			if v, ok = m[k]; !ok {
				return false
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return false
			}
			v = a[k]
		}
	}
	return true
}

// Codes whose source is absent by nature (a default for something missing).
var absentSource = map[Code]bool{CodeDefaultFilled: true, CodeScopeUnknown: true}

// TestFindingPathsResolve checks that every finding's path names a place in
// the input, and every target path a place in the output.
func TestFindingPathsResolve(t *testing.T) {
	for _, file := range docExamples(t) {
		if filepath.Ext(file) == ".txt" {
			continue
		}
		in, _ := os.ReadFile(file)
		for _, to := range model.Versions {
			res, err := ConvertDocument(in, Options{To: to, AllowWidening: true})
			if err != nil {
				continue
			}
			var src, out any
			json.Unmarshal(in, &src)
			json.Unmarshal(res.Output, &out)
			for _, it := range res.Items {
				s, o := src, out
				if it.Index >= 0 {
					if res.Kind == KindCollection {
						s = src.(map[string]any)["value"].([]any)[it.Index]
						o = nil // items may have been left out; skip target checks
					} else {
						s = src.([]any)[it.Index]
						o = nil
					}
				}
				for _, f := range it.Findings {
					if f.Path != "" && !absentSource[f.Code] && !resolve(s, splitPath(t, f.Path)) {
						t.Errorf("%s → %s: finding %s: path %q is not in the input", filepath.Base(file), to, f.Code, f.Path)
					}
					if f.TargetPath != "" && o != nil && !resolve(o, splitPath(t, f.TargetPath)) {
						t.Errorf("%s → %s: finding %s: target path %q is not in the output", filepath.Base(file), to, f.Code, f.TargetPath)
					}
				}
			}
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jsonValid(b []byte) bool { return json.Valid(b) }

// TestPush: push makes the segments model.AppendKey makes, in both paths,
// when the target key is the source key too (made once), another key, or
// none; pop takes them back.
func TestPush(t *testing.T) {
	keys := []string{"id", "displayName", "a.b", "@odata.type", "", "x y", "9a", `q"`, "é"}
	for _, base := range [][2]string{{"", ""}, {"questions[0]", "questions[0]"}, {"requestorSettings", ""}} {
		for _, key := range keys {
			for _, tkey := range []string{key, "", "text", "a.b"} {
				var c conv
				c.path, c.tpath = []byte(base[0]), []byte(base[1])
				n, tn := c.push(key, tkey)
				want, twant := string(model.AppendKey([]byte(base[0]), key)), base[1]
				if tkey != "" {
					twant = string(model.AppendKey([]byte(base[1]), tkey))
				}
				if string(c.path) != want || string(c.tpath) != twant {
					t.Errorf("push(%q, %q) on %q: %q, %q; want %q, %q", key, tkey, base, c.path, c.tpath, want, twant)
				}
				c.pop(n, tn)
				if string(c.path) != base[0] || string(c.tpath) != base[1] {
					t.Errorf("pop after push(%q, %q): %q, %q", key, tkey, c.path, c.tpath)
				}
			}
		}
	}
}
