package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// repeatReader yields its lines cyclically until n lines are read,
// without holding more than one copy.
type repeatReader struct {
	lines [][]byte
	n     int
	i     int // lines read
	off   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.i == r.n {
		return 0, io.EOF
	}
	line := r.lines[r.i%len(r.lines)]
	k := copy(p, line[r.off:])
	r.off += k
	if r.off == len(line) {
		r.off = 0
		r.i++
	}
	return k, nil
}

// TestNDJSONStreams converts far more NDJSON than the heap ever holds:
// the input is streamed line by line to the output.
func TestNDJSONStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("converts 40 MiB")
	}
	// Mostly policies already in v1.0 (cheap), and every tenth to convert.
	beta := append(compact(t, readDoc(t, "beta", betaSimple)), '\n')
	v1 := append(compact(t, readDoc(t, "v1.0", v1Policy)), '\n')
	lines := [][]byte{beta}
	for range 9 {
		lines = append(lines, v1)
	}
	size := len(beta) + 9*len(v1)
	n := 10 * ((40 << 20) / size)
	// Garbage of earlier tests is not this test's.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var out countingWriter
	code := run([]string{"convert", "--to", "v1.0", "-q"}, &repeatReader{lines: lines, n: n}, &out, io.Discard)
	close(stop)
	wg.Wait()
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	want := int64(n/10) * int64(len(expected(t, beta[:len(beta)-1]))+1+9*len(v1))
	if out.n != want {
		t.Errorf("wrote %d bytes, want %d", out.n, want)
	}
	grew := peak.Load() - min(base, peak.Load())
	t.Logf("%d lines, %d MiB in, heap in use grew by %d MiB at most", n, n/10*size>>20, grew>>20)
	if grew > 24<<20 {
		t.Errorf("the heap grew by %d MiB for a streamed input", grew>>20)
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// TestNDJSONLineTooLong: a line past the limit is an error, and the file
// is not rewritten.
func TestNDJSONLineTooLong(t *testing.T) {
	defer func(n int) { maxLine = n }(maxLine)
	maxLine = 1 << 16
	dir := t.TempDir()
	p := filepath.Join(dir, "p.jsonl")
	short := compact(t, readDoc(t, "beta", betaSimple))
	long := bytes.Replace(short, []byte(`"direct assignments by administrator"`), []byte(`"`+strings.Repeat("x", 1<<16)+`"`), 1)
	in := append(append(append(short, '\n'), long...), '\n')
	os.WriteFile(p, in, 0o644)
	_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", p)
	if code != 1 || !strings.Contains(errs, "p.jsonl: line 2: error: line-too-long: the line is longer than 64 MiB") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, in) {
		t.Error("the file was rewritten")
	}
	assertNoTempFiles(t, dir)
}
