package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// treeDocs are documented beta examples that convert to v1.0 whole, as a
// tree of stored policies holds them (indented, about 1 KB each).
var treeDocs = []string{betaPolicy, betaSimple, betaCollection}

// writeTree writes n files into dir, 100 a directory, as the benchmark
// harness's tree does.
func writeTree(tb testing.TB, dir string, n int) {
	tb.Helper()
	docs := make([][]byte, len(treeDocs))
	for i, name := range treeDocs {
		b, err := os.ReadFile(docPath("beta", name))
		if err != nil {
			tb.Fatal(err)
		}
		docs[i] = b
	}
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", i/100))
		if i%100 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				tb.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("p%05d.json", i)), docs[i%len(docs)], 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// rewriteTree runs `convert -w` on dir as the command line would, the
// report discarded, and fails unless every file was rewritten.
func rewriteTree(tb testing.TB, dir string, jobs int) {
	tb.Helper()
	var errb strings.Builder
	args := []string{"convert", "--to", "v1.0", "--allow-widening", "-q", "-w", "-j", fmt.Sprint(jobs), dir}
	if code := run(args, strings.NewReader(""), io.Discard, &headWriter{b: &errb}); code != exitOK {
		tb.Fatalf("convert -w exited %d: %s", code, errb.String())
	}
}

// headWriter keeps the first 4 KiB written, for a failure message,
// without allocating after them.
type headWriter struct{ b *strings.Builder }

func (w *headWriter) Write(p []byte) (int, error) {
	if room := 4<<10 - w.b.Len(); room > 0 {
		w.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// treeAllocs returns the bytes and allocations of rewriting a tree of n
// files on one worker.
func treeAllocs(t *testing.T, dir string, n int) (bytes, allocs uint64) {
	writeTree(t, dir, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rewriteTree(t, dir, 1)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs
}

// treeFileBytes and treeFileAllocs bound what rewriting one more file of a
// tree allocates. In a tree of 1 KB files what a file allocated drove the
// collector, which stopped both workers of `-j 2` every few milliseconds:
// 10 KB a file (a read buffer grown step by step, a reader, report
// buffers, each new for every file) made `-j 2` run a sixth slower than
// with the collector four times as rare.
const (
	treeFileBytes  = 6 << 10
	treeFileAllocs = 75
)

func TestTreeRewriteAllocsBounded(t *testing.T) {
	switch {
	case testing.Short():
		t.Skip("writes 1,100 files")
	case raceEnabled:
		t.Skip("allocation counts do not hold under the race detector")
	}
	dir := t.TempDir()
	b1, a1 := treeAllocs(t, filepath.Join(dir, "small"), 100)
	b2, a2 := treeAllocs(t, filepath.Join(dir, "large"), 1000)
	perBytes, perAllocs := (int64(b2)-int64(b1))/900, (int64(a2)-int64(a1))/900
	t.Logf("one more file: %d bytes, %d allocations (100 files: %d bytes, %d allocations)", perBytes, perAllocs, b1, a1)
	if perBytes > treeFileBytes || perAllocs > treeFileAllocs {
		t.Errorf("rewriting one more file of a tree allocates %d bytes in %d allocations; the bound is %d bytes, %d allocations",
			perBytes, perAllocs, treeFileBytes, treeFileAllocs)
	}
}

// BenchmarkTreeRewrite rewrites a tree of 300 files with `convert -w`
// in-process; the tree is written again, outside the timing, before each
// run. bytes/file and allocs/file are what a run allocates over its files
// (its fixed costs, such as the converters and a worker's buffers,
// included; TestTreeRewriteAllocsBounded measures one more file alone).
func BenchmarkTreeRewrite(b *testing.B) {
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("j%d", jobs), func(b *testing.B) {
			const n = 300
			dir := filepath.Join(b.TempDir(), "tree")
			var size int64
			for _, name := range treeDocs {
				fi, err := os.Stat(docPath("beta", name))
				if err != nil {
					b.Fatal(err)
				}
				size += fi.Size()
			}
			b.SetBytes(size * n / int64(len(treeDocs)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			var bytes, allocs uint64
			for b.Loop() {
				b.StopTimer()
				writeTree(b, dir, n)
				runtime.ReadMemStats(&before)
				b.StartTimer()
				rewriteTree(b, dir, jobs)
				b.StopTimer()
				runtime.ReadMemStats(&after)
				bytes += after.TotalAlloc - before.TotalAlloc
				allocs += after.Mallocs - before.Mallocs
				b.StartTimer()
			}
			b.ReportMetric(float64(bytes)/float64(b.N*n), "bytes/file")
			b.ReportMetric(float64(allocs)/float64(b.N*n), "allocs/file")
		})
	}
}

// TestWorkerBuffersAcrossInputs runs one worker through inputs of every
// kind, one after another, each read with the buffers the one before it
// used: a document larger than the text buffer a worker keeps, a large
// list that streams, small documents, NDJSON and UTF-16. Each must come
// out as it does when converted alone, printed and rewritten.
func TestWorkerBuffersAcrossInputs(t *testing.T) {
	simple := readDoc(t, "beta", betaSimple)
	policy := readDoc(t, "beta", betaPolicy)
	huge := bytes.Replace(simple, []byte(`"direct assignments by administrator"`),
		[]byte(`"`+strings.Repeat("long text ", maxKeptText/5)+`"`), 1)
	var list bytes.Buffer
	list.WriteString("[")
	for i := 0; list.Len() <= streamMin; i++ {
		if i > 0 {
			list.WriteString(",\n")
		}
		list.Write(compact(t, policy))
	}
	list.WriteString("]\n")
	lines := append(append(compact(t, simple), '\n'), compact(t, policy)...)
	inputs := []struct {
		name string
		text []byte
	}{
		{"1-huge.json", huge},
		{"2-simple.json", simple},
		{"3-list.json", list.Bytes()},
		{"4-policy.json", policy},
		{"5-lines.jsonl", lines},
		{"6-utf16.json", utf16Bytes(string(simple), false, true)},
		{"7-huge.json", huge},
		{"8-simple.json", simple},
	}
	if len(huge) <= maxKeptText {
		t.Fatalf("the huge document (%d bytes) is not larger than the text a worker keeps", len(huge))
	}
	dir := t.TempDir()
	write := func() (paths []string) {
		for _, in := range inputs {
			p := filepath.Join(dir, in.name)
			if err := os.WriteFile(p, in.text, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		return paths
	}
	paths := write()
	var wantOut bytes.Buffer
	wantFiles := map[string][]byte{}
	for _, p := range paths {
		out, errs, code := cli(t, "", "convert", "--to", "v1.0", "--allow-widening", "-q", p)
		if code != exitOK {
			t.Fatalf("%s alone: exit %d: %.400s", p, code, errs)
		}
		wantOut.WriteString(out)
		if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "--allow-widening", "-q", "-w", p); code != exitOK {
			t.Fatalf("%s alone, -w: exit %d: %.400s", p, code, errs)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		wantFiles[p] = b
	}
	paths = write()
	out, errs, code := cli(t, "", append([]string{"convert", "--to", "v1.0", "--allow-widening", "-q", "-j", "1"}, paths...)...)
	if code != exitOK {
		t.Fatalf("one worker through all the inputs: exit %d: %.400s", code, errs)
	}
	if diff := cmp.Diff(wantOut.String(), out); diff != "" {
		t.Fatalf("one worker through all the inputs prints other than the inputs alone (-alone +together):\n%.4000s", diff)
	}
	if _, errs, code := cli(t, "", append([]string{"convert", "--to", "v1.0", "--allow-widening", "-q", "-w", "-j", "1"}, paths...)...); code != exitOK {
		t.Fatalf("-w: exit %d: %.400s", code, errs)
	}
	for _, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, wantFiles[p]) {
			t.Errorf("%s rewritten with the others differs from %s rewritten alone", p, p)
		}
	}
}

// TestReadBufsRelease: a worker keeps a small text buffer for its next
// input, not the memory of one large document.
func TestReadBufsRelease(t *testing.T) {
	var b readBufs
	b.text.Grow(4 << 10)
	b.release()
	if b.text.Cap() < 4<<10 {
		t.Errorf("a 4 KiB text buffer was dropped (capacity %d)", b.text.Cap())
	}
	b.text.Grow(maxKeptText + 1)
	b.release()
	if b.text.Cap() != 0 {
		t.Errorf("a text buffer of %d bytes is kept for the next input", b.text.Cap())
	}
}

// TestTakeBackLongLine: the first line of a document on one line, which
// sniffing read (up to megabytes), becomes its text buffer as it is; a
// copy into the worker's buffer was as much memory again (RSS 22 → 32 MB
// converting a 128 MiB collection). Short lines go to the worker's
// buffer.
func TestTakeBackLongLine(t *testing.T) {
	var bufs readBufs
	long := bytes.Repeat([]byte("x"), maxKeptText+1)
	s := &source{bufs: &bufs, back: [][]byte{long}}
	if b := s.takeBack(); &b.Bytes()[0] != &long[0] {
		t.Error("a long first line was copied")
	}
	short := []byte("{\n")
	s = &source{bufs: &bufs, back: [][]byte{short, short}}
	if b := s.takeBack(); b != &bufs.text || b.String() != "{\n{\n" {
		t.Errorf("short lines: %q, in the worker's buffer: %v", b.String(), b == &bufs.text)
	}
}
