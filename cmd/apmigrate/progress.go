package main

// The progress line. A long run on a terminal shows how far it is; a
// short run, a run whose standard error is a file or a pipe, and a quiet
// run (-q) never print it, so that logs and CI output stay clean.

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// progressDelay is how long a run goes before it shows progress.
const progressDelay = time.Second

// progress draws the progress line on a terminal and clears it before any
// other output to the same terminal.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool // drawing is enabled
	shown bool // the line is on the screen
	start time.Time
	total int
	files atomic.Int64 // inputs done
	pols  atomic.Int64 // policies done
	stop  chan struct{}
	wg    sync.WaitGroup
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminalFile(f)
}

// newProgress returns the progress of a run over total inputs; it draws
// only when enabled.
func newProgress(w io.Writer, total int, enabled bool) *progress {
	p := &progress{w: w, on: enabled, total: total, start: time.Now(), stop: make(chan struct{})}
	if enabled {
		p.wg.Add(1)
		go p.loop()
	}
	return p
}

func (p *progress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case now := <-t.C:
			p.draw(now)
		}
	}
}

// draw shows the line, once the run has taken longer than progressDelay.
func (p *progress) draw(now time.Time) {
	if now.Sub(p.start) < progressDelay {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	io.WriteString(p.w, "\r"+p.line(now)+"\x1b[K")
	p.shown = true
}

// line renders the progress: inputs and policies done, rate, time left.
func (p *progress) line(now time.Time) string {
	done := p.files.Load()
	el := now.Sub(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(done) / el
	}
	s := fmt.Sprintf("apmigrate: %d/%d files, %d policies, %.0f files/s", done, p.total, p.pols.Load(), rate)
	if rate > 0 && int(done) < p.total {
		left := time.Duration(float64(p.total-int(done)) / rate * float64(time.Second)).Round(time.Second)
		s += fmt.Sprintf(", %s left", left)
	}
	return s
}

// Write writes to the terminal below the progress line, clearing it first.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
	return p.w.Write(b)
}

// done records a finished input.
func (p *progress) done(policies int) {
	p.files.Add(1)
	p.pols.Add(int64(policies))
}

// close stops drawing and clears the line.
func (p *progress) close() {
	if !p.on {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
}
