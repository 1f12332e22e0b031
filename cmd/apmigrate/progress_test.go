package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 10, false)
	start := p.start
	p.draw(start.Add(progressDelay / 2))
	if b.Len() != 0 {
		t.Errorf("drawn before the delay: %q", b.String())
	}
	p.done(3)
	p.done(2)
	p.draw(start.Add(2 * time.Second))
	if got, want := b.String(), "\rapmigrate: 2/10 files, 5 policies, 1 files/s, 8s left\x1b[K"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
	b.Reset()
	p.Write([]byte("a report line\n"))
	if got := b.String(); got != "\r\x1b[Ka report line\n" {
		t.Errorf("the line is not cleared before other output: %q", got)
	}
	b.Reset()
	p.Write([]byte("next\n"))
	if b.String() != "next\n" {
		t.Errorf("cleared twice: %q", b.String())
	}
	p.close()

	// Standard error that is not a terminal never shows progress.
	if isTerminal(&b) {
		t.Error("a buffer is a terminal")
	}
	f, _ := os.Create(filepath.Join(t.TempDir(), "f"))
	defer f.Close()
	if isTerminal(f) {
		t.Error("a file is a terminal")
	}
	// A character device that is not a terminal: a report sent there is
	// buffered, and no progress line is drawn into it.
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		defer null.Close()
		if isTerminal(null) {
			t.Errorf("%s is a terminal", os.DevNull)
		}
	}
	_, errs, _ := cli(t, "", "convert", "--to", "v1.0", "-l", filepath.Join("..", "..", "testdata", "docs", "beta"))
	if strings.Contains(errs, "\r") || strings.Contains(errs, "\x1b") {
		t.Error("progress written to a non-terminal")
	}
}
