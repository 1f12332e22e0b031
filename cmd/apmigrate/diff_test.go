package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// applyPatch applies a unified diff of several files to their originals,
// checking every context and deleted line; it is how the tests know that
// a diff is correct.
func applyPatch(t *testing.T, diff string, orig map[string][]byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	lines := splitLines([]byte(diff))
	for i := 0; i < len(lines); {
		if !strings.HasPrefix(lines[i], "--- ") || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "+++ ") {
			t.Fatalf("line %d: expected ---/+++ headers, found %q", i+1, lines[i])
		}
		name := strings.TrimSuffix(strings.TrimSuffix(lines[i][4:], "\n"), ".orig")
		if got := strings.TrimSuffix(lines[i+1][4:], "\n"); got != name {
			t.Fatalf("headers name %q and %q", name, got)
		}
		src, ok := orig[name]
		if !ok {
			t.Fatalf("diff of an unknown file %q", name)
		}
		from := splitLines(src)
		var to []string
		pos := 0
		i += 2
		for i < len(lines) && strings.HasPrefix(lines[i], "@@ ") {
			f := strings.Fields(lines[i])
			if len(f) < 4 || f[3] != "@@" {
				t.Fatalf("bad hunk header %q", lines[i])
			}
			aStart, aN := parseRange(t, f[1][1:])
			bStart, bN := parseRange(t, f[2][1:])
			start := aStart - 1
			if aN == 0 {
				start = aStart
			}
			if start < pos {
				t.Fatalf("hunk %q overlaps the previous one", lines[i])
			}
			to = append(to, from[pos:start]...)
			pos = start
			if bN > 0 && len(to) != bStart-1 || bN == 0 && len(to) != bStart {
				t.Fatalf("hunk %q: the new text is at line %d", lines[i], len(to)+1)
			}
			i++
			na, nb := 0, 0
			for i < len(lines) && (na < aN || nb < bN) {
				l := lines[i]
				body := l[1:]
				if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\ No newline at end of file`) {
					body = strings.TrimSuffix(body, "\n")
					i++
				}
				switch l[0] {
				case ' ', '-':
					if pos >= len(from) || from[pos] != body {
						t.Fatalf("%s: line %d of the original is not %q", name, pos+1, body)
					}
					if l[0] == ' ' {
						to = append(to, body)
						nb++
					}
					pos++
					na++
				case '+':
					to = append(to, body)
					nb++
				default:
					t.Fatalf("%s: bad line in a hunk: %q", name, l)
				}
				i++
			}
			if na != aN || nb != bN {
				t.Fatalf("%s: hunk counts %d,%d but lines %d,%d", name, aN, bN, na, nb)
			}
		}
		to = append(to, from[pos:]...)
		out[name] = []byte(strings.Join(to, ""))
	}
	return out
}

func parseRange(t *testing.T, s string) (int, int) {
	start, n, ok := strings.Cut(s, ",")
	a, err := strconv.Atoi(start)
	if err != nil {
		t.Fatalf("bad range %q", s)
	}
	if !ok {
		return a, 1
	}
	b, err := strconv.Atoi(n)
	if err != nil {
		t.Fatalf("bad range %q", s)
	}
	return a, b
}

func TestUnifiedDiffGolden(t *testing.T) {
	a := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	b := "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn"
	var out bytes.Buffer
	unifiedDiff(&out, "x.json", []byte(a), []byte(b))
	want := `--- x.json.orig
+++ x.json
@@ -1,7 +1,7 @@
 a
 b
 c
-d
+D
 e
 f
 g
@@ -11,3 +11,4 @@
 k
 l
 m
+n
\ No newline at end of file
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	unifiedDiff(&out, "x", []byte(a), []byte(a))
	if out.Len() != 0 {
		t.Error("a diff of equal texts")
	}
}

// randomText returns lines drawn from a small alphabet (so that lines
// repeat, as braces do in JSON), sometimes without a final line end.
func randomText(r *rand.Rand, n int) []byte {
	var b bytes.Buffer
	for range n {
		fmt.Fprintf(&b, "line %d\n", r.Intn(8))
	}
	if n > 0 && r.Intn(4) == 0 {
		b.Truncate(b.Len() - 1)
	}
	return b.Bytes()
}

// mutate edits random lines of a text.
func mutate(r *rand.Rand, text []byte) []byte {
	lines := splitLines(text)
	for range r.Intn(6) + 1 {
		switch k := r.Intn(3); {
		case k == 0 && len(lines) > 0:
			i := r.Intn(len(lines))
			lines = append(lines[:i], lines[i+1:]...)
		case k == 1:
			i := r.Intn(len(lines) + 1)
			lines = append(lines[:i], append([]string{fmt.Sprintf("new %d\n", r.Intn(5))}, lines[i:]...)...)
		case len(lines) > 0:
			lines[r.Intn(len(lines))] = fmt.Sprintf("changed %d\n", r.Intn(5))
		}
	}
	out := strings.Join(lines, "")
	if r.Intn(5) == 0 {
		out = strings.TrimSuffix(out, "\n")
	}
	return []byte(out)
}

// TestUnifiedDiffApplies diffs random texts (small ones compared exactly,
// large ones through anchors) and applies each diff.
func TestUnifiedDiffApplies(t *testing.T) {
	seed := int64(1)
	r := rand.New(rand.NewSource(seed))
	for i := range 400 {
		n := r.Intn(30)
		if i%40 == 0 {
			n = 3000 // past dpLimit: anchored comparison
		}
		a := randomText(r, n)
		if i%40 == 0 {
			// Unique lines to anchor on.
			var b bytes.Buffer
			for j, l := range splitLines(a) {
				fmt.Fprintf(&b, "%d %s", j, l)
			}
			a = b.Bytes()
		}
		b := mutate(r, a)
		if i%3 == 0 {
			b = mutate(r, b)
		}
		var out bytes.Buffer
		unifiedDiff(&out, "f", a, b)
		got := applyPatch(t, out.String(), map[string][]byte{"f": a})
		if !bytes.Equal(a, b) && !bytes.Equal(got["f"], b) {
			t.Fatalf("seed %d, case %d: the diff does not give the new text:\n%s", seed, i, out.String())
		}
	}
}

// TestLineDiffApplies checks the streamed diff of NDJSON files against
// random line-for-line changes.
func TestLineDiffApplies(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := range 300 {
		n := r.Intn(40) + 1
		var a, b bytes.Buffer
		var out bytes.Buffer
		d := &lineDiff{w: &out, name: "f"}
		for j := range n {
			old := fmt.Sprintf("{\"n\": %d}\n", r.Intn(4))
			if j == n-1 && r.Intn(3) == 0 {
				old = strings.TrimSuffix(old, "\n")
			}
			nw := old
			if r.Intn(4) == 0 {
				nw = strings.Replace(old, "n", "m", 1)
			}
			a.WriteString(old)
			b.WriteString(nw)
			d.add([]byte(old), []byte(nw))
		}
		d.finish()
		if bytes.Equal(a.Bytes(), b.Bytes()) {
			if out.Len() != 0 {
				t.Fatal("a diff of equal texts")
			}
			continue
		}
		got := applyPatch(t, out.String(), map[string][]byte{"f": a.Bytes()})
		if !bytes.Equal(got["f"], b.Bytes()) {
			t.Fatalf("case %d: the streamed diff does not give the new text:\n%s", i, out.String())
		}
	}
}
