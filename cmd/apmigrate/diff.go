package main

// Unified diffs (-d), with three lines of context, in the form that patch
// and git apply read:
//
//	--- name.orig
//	+++ name
//	@@ -l,s +l,s @@
//
// Whole files are compared line by line: lines unique to both sides anchor
// the comparison (as in patience diff), and the stretches between anchors
// are compared exactly (longest common subsequence) when small, or
// replaced as a block when large, which keeps the cost near linear on
// large documents. NDJSON files are streamed: their lines correspond one
// to one, so their diff is built as they are read.

import (
	"bytes"
	"fmt"
	"io"
	"sort"
)

const diffContext = 3

// dpLimit bounds the table of the exact comparison of a stretch.
const dpLimit = 1 << 18

// diffOp is one line of an edit script: '=' kept, '-' deleted, '+'
// inserted. a and b are the positions in both texts (for a deletion, b is
// where the inserted lines would go, and the other way round).
type diffOp struct {
	kind byte
	a, b int
}

// splitLines splits text into lines that keep their "\n" (the last one
// may have none).
func splitLines(text []byte) []string {
	var lines []string
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n') + 1
		if i == 0 {
			i = len(text)
		}
		lines = append(lines, string(text[:i]))
		text = text[i:]
	}
	return lines
}

// unifiedDiff writes the unified diff from a to b, or nothing when they
// are equal.
func unifiedDiff(w io.Writer, name string, a, b []byte) {
	if bytes.Equal(a, b) {
		return
	}
	al, bl := splitLines(a), splitLines(b)
	ops := diffLines(al, bl)
	fmt.Fprintf(w, "--- %s.orig\n+++ %s\n", name, name)
	for i := 0; i < len(ops); {
		for i < len(ops) && ops[i].kind == '=' {
			i++
		}
		if i == len(ops) {
			break
		}
		start := max(i-diffContext, 0)
		// The hunk goes on while the runs of kept lines between changes
		// are short enough for the contexts to touch.
		j := i
		end := len(ops)
		for {
			for j < len(ops) && ops[j].kind != '=' {
				j++
			}
			k := j
			for k < len(ops) && ops[k].kind == '=' {
				k++
			}
			if k == len(ops) || k-j > 2*diffContext {
				end = min(j+diffContext, len(ops))
				break
			}
			j = k
		}
		writeHunk(w, al, bl, ops[start:end])
		i = end
	}
}

func writeHunk(w io.Writer, a, b []string, ops []diffOp) {
	na, nb := 0, 0
	for _, o := range ops {
		if o.kind != '+' {
			na++
		}
		if o.kind != '-' {
			nb++
		}
	}
	fmt.Fprintf(w, "@@ -%s +%s @@\n", hunkRange(ops[0].a, na), hunkRange(ops[0].b, nb))
	for _, o := range ops {
		switch o.kind {
		case '=':
			writeDiffLine(w, ' ', []byte(a[o.a]))
		case '-':
			writeDiffLine(w, '-', []byte(a[o.a]))
		case '+':
			writeDiffLine(w, '+', []byte(b[o.b]))
		}
	}
}

// hunkRange renders the range of a hunk header, as diff -u does: the
// first line (from 1) and the count, which is left out when 1; an empty
// range names the line before it.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func writeDiffLine(w io.Writer, prefix byte, line []byte) {
	w.Write([]byte{prefix})
	w.Write(line)
	if len(line) == 0 || line[len(line)-1] != '\n' {
		io.WriteString(w, "\n\\ No newline at end of file\n")
	}
}

// diffLines returns an edit script from a to b. Within each stretch of
// changes the deletions come before the insertions.
func diffLines(a, b []string) []diffOp {
	d := differ{a: a, b: b}
	d.compare(0, len(a), 0, len(b))
	// Deletions first in each stretch of changes, as diff prints them.
	ops := d.ops
	for i := 0; i < len(ops); {
		if ops[i].kind == '=' {
			i++
			continue
		}
		j := i
		for j < len(ops) && ops[j].kind != '=' {
			j++
		}
		run := ops[i:j]
		a0, b0 := run[0].a, run[0].b
		sort.SliceStable(run, func(x, y int) bool { return run[x].kind == '-' && run[y].kind == '+' })
		na := 0
		for k := range run {
			if run[k].kind == '-' {
				run[k].b = b0
				na++
			} else {
				run[k].a = a0 + na
			}
		}
		i = j
	}
	return ops
}

type differ struct {
	a, b []string
	ops  []diffOp
}

// compare appends the script of a[a0:a1] against b[b0:b1].
func (d *differ) compare(a0, a1, b0, b1 int) {
	for a0 < a1 && b0 < b1 && d.a[a0] == d.b[b0] {
		d.ops = append(d.ops, diffOp{'=', a0, b0})
		a0, b0 = a0+1, b0+1
	}
	n := 0
	for a1-n > a0 && b1-n > b0 && d.a[a1-n-1] == d.b[b1-n-1] {
		n++
	}
	d.middle(a0, a1-n, b0, b1-n)
	for i := range n {
		d.ops = append(d.ops, diffOp{'=', a1 - n + i, b1 - n + i})
	}
}

func (d *differ) replace(a0, a1, b0, b1 int) {
	for i := a0; i < a1; i++ {
		d.ops = append(d.ops, diffOp{'-', i, b0})
	}
	for j := b0; j < b1; j++ {
		d.ops = append(d.ops, diffOp{'+', a1, j})
	}
}

// middle compares stretches that start and end with a difference.
func (d *differ) middle(a0, a1, b0, b1 int) {
	if a0 == a1 || b0 == b1 {
		d.replace(a0, a1, b0, b1)
		return
	}
	if (a1-a0+1)*(b1-b0+1) <= dpLimit {
		d.lcs(a0, a1, b0, b1)
		return
	}
	anchors := d.anchors(a0, a1, b0, b1)
	if len(anchors) == 0 {
		d.replace(a0, a1, b0, b1)
		return
	}
	pa, pb := a0, b0
	for _, an := range anchors {
		d.compare(pa, an.a, pb, an.b)
		d.ops = append(d.ops, diffOp{'=', an.a, an.b})
		pa, pb = an.a+1, an.b+1
	}
	d.compare(pa, a1, pb, b1)
}

// lcs compares exactly, through the table of longest common subsequences.
func (d *differ) lcs(a0, a1, b0, b1 int) {
	n, m := a1-a0, b1-b0
	t := make([]int32, (n+1)*(m+1))
	at := func(i, j int) *int32 { return &t[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if d.a[a0+i] == d.b[b0+j] {
				*at(i, j) = *at(i+1, j+1) + 1
			} else {
				*at(i, j) = max(*at(i+1, j), *at(i, j+1))
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case d.a[a0+i] == d.b[b0+j]:
			d.ops = append(d.ops, diffOp{'=', a0 + i, b0 + j})
			i, j = i+1, j+1
		case *at(i+1, j) >= *at(i, j+1):
			d.ops = append(d.ops, diffOp{'-', a0 + i, b0 + j})
			i++
		default:
			d.ops = append(d.ops, diffOp{'+', a0 + i, b0 + j})
			j++
		}
	}
	d.replace(a0+i, a1, b0+j, b1)
}

// anchors returns the lines that occur exactly once in both stretches, in
// the longest sequence whose order agrees in both (patience sorting).
func (d *differ) anchors(a0, a1, b0, b1 int) []diffOp {
	type count struct{ na, nb, ia, ib int }
	counts := map[string]*count{}
	for i := a0; i < a1; i++ {
		c := counts[d.a[i]]
		if c == nil {
			c = &count{}
			counts[d.a[i]] = c
		}
		c.na++
		c.ia = i
	}
	for j := b0; j < b1; j++ {
		if c := counts[d.b[j]]; c != nil {
			c.nb++
			c.ib = j
		}
	}
	var pairs []diffOp
	for i := a0; i < a1; i++ {
		if c := counts[d.a[i]]; c.na == 1 && c.nb == 1 {
			pairs = append(pairs, diffOp{'=', c.ia, c.ib})
		}
	}
	// Longest increasing subsequence of the b positions.
	var tails []int // index in pairs of the smallest tail of each length
	prev := make([]int, len(pairs))
	for k, p := range pairs {
		n := sort.Search(len(tails), func(x int) bool { return pairs[tails[x]].b >= p.b })
		prev[k] = -1
		if n > 0 {
			prev[k] = tails[n-1]
		}
		if n == len(tails) {
			tails = append(tails, k)
		} else {
			tails[n] = k
		}
	}
	if len(tails) == 0 {
		return nil
	}
	seq := make([]diffOp, len(tails))
	for k, n := tails[len(tails)-1], len(tails)-1; n >= 0; k, n = prev[k], n-1 {
		seq[n] = pairs[k]
	}
	return seq
}

// lineDiff builds the diff of a streamed file whose lines correspond one
// to one (an NDJSON file and its conversion), keeping only the lines of
// the hunk being built.
type lineDiff struct {
	w              io.Writer
	name           string
	headerDone     bool
	a, b           int      // lines seen on each side
	before         [][]byte // the last kept lines, context of the next hunk
	open           bool
	startA, startB int
	na, nb         int
	hunk           spill    // lines of the open hunk, up to the pending changes
	minus, plus    spill    // the pending stretch of changes
	trail          [][]byte // kept lines after the last change
}

// add records line old becoming line new (nil when it is left out).
func (d *lineDiff) add(old, new []byte) {
	if new != nil && bytes.Equal(old, new) {
		d.a++
		d.b++
		if d.open {
			d.trail = append(d.trail, bytes.Clone(old))
			if len(d.trail) > 2*diffContext {
				d.close()
			}
			return
		}
		d.before = append(d.before, bytes.Clone(old))
		if len(d.before) > diffContext {
			d.before = d.before[1:]
		}
		return
	}
	if !d.open {
		d.open = true
		d.startA, d.startB = d.a-len(d.before), d.b-len(d.before)
		d.na, d.nb = len(d.before), len(d.before)
		for _, l := range d.before {
			writeDiffLine(&d.hunk, ' ', l)
		}
		d.before = nil
	} else if len(d.trail) > 0 {
		d.flushChanges()
		for _, l := range d.trail {
			writeDiffLine(&d.hunk, ' ', l)
		}
		d.na += len(d.trail)
		d.nb += len(d.trail)
		d.trail = nil
	}
	writeDiffLine(&d.minus, '-', old)
	d.na++
	d.a++
	if new != nil {
		writeDiffLine(&d.plus, '+', new)
		d.nb++
		d.b++
	}
}

func (d *lineDiff) flushChanges() {
	d.minus.flushTo(&d.hunk)
	d.plus.flushTo(&d.hunk)
}

// close ends the open hunk with up to diffContext kept lines.
func (d *lineDiff) close() {
	d.flushChanges()
	n := min(len(d.trail), diffContext)
	for _, l := range d.trail[:n] {
		writeDiffLine(&d.hunk, ' ', l)
	}
	if !d.headerDone {
		fmt.Fprintf(d.w, "--- %s.orig\n+++ %s\n", d.name, d.name)
		d.headerDone = true
	}
	fmt.Fprintf(d.w, "@@ -%s +%s @@\n", hunkRange(d.startA, d.na+n), hunkRange(d.startB, d.nb+n))
	d.hunk.flushTo(d.w)
	d.before = d.trail[n:]
	if len(d.before) > diffContext {
		d.before = d.before[len(d.before)-diffContext:]
	}
	d.trail = nil
	d.open = false
}

// finish ends the diff.
func (d *lineDiff) finish() {
	if d.open {
		d.close()
	}
	d.minus.reset()
	d.plus.reset()
	d.hunk.reset()
}
