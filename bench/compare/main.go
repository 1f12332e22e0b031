//go:build unix

// Command compare measures apmigrate against the performance targets of
// the "Fast and small" issue on this machine and prints a Markdown report
// with PASS or FAIL for each target:
//
//   - single core: beta → v1.0 and v1.0 → beta with a reused Converter,
//     against encoding/json (decode into any + Marshal), json.Valid and
//     gjson.Valid over the same one-line policies, and against a floor
//     pass (floor.go: the least work a single-pass converter does), with
//     what the ratio targets leave beyond it;
//   - both cores: 1 against 2 workers on NDJSON and on a tree of files, in
//     the library and through the CLI when it supports -j, NDJSON and -w;
//   - the ceiling (ceiling.go, not a target): what two processes allow
//     work with nothing of apmigrate in it, a CPU loop, a system call, and
//     the least an atomic file rewrite does on each tree file system;
//   - memory: peak resident memory of the CLI streaming a generated 1 GiB
//     NDJSON file, and of a library reference streaming the same file.
//
// Every measurement also records the CPU the process used and the CPU the
// rest of the machine used meanwhile: a measurement during which other
// work took more than a quarter of a core is repeated (up to twice) and
// flagged if it stays disturbed.
//
// Run it from the repository root (bash bench/compare.sh does). Generated
// files go to bench/out, which is not committed.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/convert"
	"github.com/apmigrate/apmigrate/model"
)

var (
	flagRoot    = flag.String("root", ".", "repository root")
	flagMB      = flag.Int("mb", 64, "size of each in-memory NDJSON corpus, in MB (larger than the L3 cache, so that the input streams from memory)")
	flagTime    = flag.Duration("time", 2*time.Second, "minimum duration of one measurement")
	flagRounds  = flag.Int("rounds", 3, "rounds of every measurement, interleaved; the median is reported")
	flagTree    = flag.Int("tree", 3000, "files in the generated tree (0 skips the tree measurements)")
	flagTreeDir = flag.String("treedir", "bench/out/tree,/dev/shm/apmigrate-tree", "where to generate the tree, comma-separated: it is measured in each (removed afterwards unless -keep); a directory whose parent is missing is skipped. The default measures the disk and, where /dev/shm is, tmpfs: the CPU's scaling without the disk's")
	flagBig     = flag.Int("big", 1024, "size of the generated NDJSON file for the memory target, in MiB (0 skips)")
	flagBigColl = flag.Int("bigcoll", 128, "size of the generated Graph collection response for the memory target, in MiB (0 skips)")
	flagKeep    = flag.Bool("keep", false, "keep the generated files (tree, NDJSON files) under bench/out")
	flagCLI     = flag.Bool("cli", true, "build the CLI (go build -o bench/out/apmigrate ./cmd/apmigrate) and measure it where it supports what a measurement needs")
	flagCPUProf = flag.String("cpuprofile", "", "write a CPU profile of the single-core beta → v1.0 loop to this file (and of v1.0 → beta next to it) and print the top 20 functions")
	flagQuick   = flag.Bool("quick", false, "smaller and shorter, for a first look: -mb 8 -time 500ms -rounds 1 -tree 1000 -big 128 -bigcoll 32 (flags given explicitly win)")
	flagOut     = flag.String("out", "", "also write the report to this file")
	flagOnly    = flag.String("only", "single,scaling,ceiling,memory,profile", "sections to run, comma-separated (profile needs -cpuprofile)")
	flagWait    = flag.Duration("wait", 10*time.Minute, "how long, in total over the run, to wait for other processes to leave the CPUs alone before measuring")
	flagWaitNow = flag.Bool("waitonly", false, "only wait (up to -wait) for other processes to leave the CPUs alone, then exit (compare.sh runs this before go test -bench)")
	flagStream  = flag.String("stream", "", "internal: stream this NDJSON file through one Converter to standard output (the library reference of the memory target)")
	flagTo      = flag.String("to", "v1.0", "internal: target version for -stream")
	flagCopy    = flag.String("copytree", "", "internal: rewrite the .json files of this tree's directories without converting them (read, write a temporary file, rename), for the process-level control of the tree rows; with -part")
	flagPart    = flag.String("part", "0/1", "internal: with -copytree, K/N takes the K-th of every N directories (sorted); with -ceiling, K names the process")
	flagCeil    = flag.String("ceiling", "", "internal: do one process's work of the ceiling section's row KIND (cpu, syscall, rewrite, exchange), in -ceilingdir/K for those that write files; with -part")
	flagCeilDir = flag.String("ceilingdir", "", "internal: with -ceiling, where the row's processes write")
)

// The targets of the issue.
const (
	targetMBps       = 250.0 // single core, MB/s (1 MB = 10^6 bytes)
	targetVsEncoding = 7.0   // × encoding/json decode + re-encode
	targetVsGjson    = 0.4   // × gjson.Valid
	targetScaling    = 1.8   // 2 workers / 1 worker
	targetRSS        = 64 << 20
	cliTimeout       = 30 * time.Minute
	// disturbed is the CPU (in cores) that the rest of the machine may use
	// during a measurement before the measurement is repeated.
	disturbed = 0.25
)

const outDir = "bench/out"

func opts(to model.Version) convert.Options {
	return convert.Options{To: to, AllowWidening: true}
}

var sink atomic.Int64

func main() {
	flag.Parse()
	if *flagStream != "" {
		os.Exit(streamMode(*flagStream, model.Version(*flagTo)))
	}
	if *flagCopy != "" {
		if err := copyPart(*flagCopy, *flagPart); err != nil {
			fmt.Fprintln(os.Stderr, "compare -copytree:", err)
			os.Exit(1)
		}
		return
	}
	if *flagCeil != "" {
		if err := ceilingPart(*flagCeil, *flagCeilDir, *flagPart); err != nil {
			fmt.Fprintln(os.Stderr, "compare -ceiling:", err)
			os.Exit(1)
		}
		return
	}
	if *flagWaitNow {
		waitQuiet()
		if waited >= *flagWait {
			progress("the machine stayed busy for the whole -wait of %s; measuring anyway", *flagWait)
		}
		return
	}
	if *flagQuick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for k, v := range map[string]string{"mb": "8", "time": "500ms", "rounds": "1", "tree": "1000", "big": "128", "bigcoll": "32"} {
			if !set[k] {
				flag.Set(k, v)
			}
		}
	}
	if err := os.Chdir(*flagRoot); err != nil {
		fatalf("%v", err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		fatalf("%v", err)
	}
	r := &report{}
	run(r)
	text := r.String()
	fmt.Print(text)
	if *flagOut != "" {
		if err := os.WriteFile(*flagOut, []byte(text), 0o644); err != nil {
			fatalf("%v", err)
		}
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "compare: "+format+"\n", args...)
	os.Exit(1)
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "# "+format+"\n", args...)
}

// ---------------------------------------------------------------- corpus

// corpus is a set of one-line policies repeated to about -mb MB in one
// buffer (NDJSON). The buffer is mapped outside the Go heap and the lines
// are found by offset, so that the heap stays as small as in a process
// streaming NDJSON and the garbage collector runs as often as it would
// there: a 200 MB live heap would make it run rarely and flatter every
// number that allocates (by about a third for the converter).
type corpus struct {
	name     string
	to       model.Version
	distinct [][]byte
	buf      []byte   // the NDJSON, outside the Go heap
	offs     []uint32 // the start of every line, then one past the last newline
	bytes    int64    // the sum of the line lengths (newlines not counted)
}

func (c *corpus) n() int { return len(c.offs) - 1 }

// line returns line i without its newline.
func (c *corpus) line(i int) []byte {
	start, end := c.offs[i], c.offs[i+1]-1
	return c.buf[start:end:end]
}

// loadPolicies returns every policy of the documented examples in
// testdata/docs (a list or a collection contributes its elements) as
// one-line JSON, keeping those that convert to `to` without error and
// change: files that fail (the .txt files, placeholder resources) and
// policies already in the target shape are left out. The benchmarks in
// convert/bench_test.go build their corpus the same way.
func loadPolicies(to model.Version) ([][]byte, []string, error) {
	var files []string
	for _, dir := range []string{"beta", "v1.0"} {
		m, err := filepath.Glob(filepath.Join("testdata/docs", dir, "*.json"))
		if err != nil {
			return nil, nil, err
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	seen := map[string]bool{}
	var out [][]byte
	var failed []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		var b bytes.Buffer
		if json.Compact(&b, raw) != nil {
			failed = append(failed, f+": invalid JSON")
			continue
		}
		doc := b.Bytes()
		var policies [][]byte
		switch g := gjson.ParseBytes(doc); {
		case g.IsArray():
			g.ForEach(func(_, v gjson.Result) bool { policies = append(policies, []byte(v.Raw)); return true })
		case g.Get("value").IsArray():
			g.Get("value").ForEach(func(_, v gjson.Result) bool { policies = append(policies, []byte(v.Raw)); return true })
		default:
			policies = [][]byte{doc}
		}
		for _, p := range policies {
			res, err := convert.Convert(p, opts(to))
			switch {
			case err != nil:
				failed = append(failed, fmt.Sprintf("%s: %v", f, err))
				continue
			case !res.Changed || seen[string(p)]:
				continue
			}
			seen[string(p)] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("no documented policy converts to %s (run from the repository root)", to)
	}
	return out, failed, nil
}

func newCorpus(name string, to model.Version, distinct [][]byte, size int) *corpus {
	c := &corpus{name: name, to: to, distinct: distinct}
	n := 0
	for n < size {
		for _, p := range distinct {
			n += len(p) + 1
		}
	}
	buf, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		fatalf("mapping %d bytes for the corpus: %v", n, err)
	}
	c.buf = buf[:0]
	for len(c.buf) < n {
		for _, p := range distinct {
			c.offs = append(c.offs, uint32(len(c.buf)))
			c.buf = append(c.buf, p...)
			c.buf = append(c.buf, '\n')
			c.bytes += int64(len(p))
		}
	}
	c.offs = append(c.offs, uint32(len(c.buf)))
	return c
}

func (c *corpus) mean() float64 {
	n := 0
	for _, p := range c.distinct {
		n += len(p)
	}
	return float64(n) / float64(len(c.distinct))
}

// ---------------------------------------------------------------- timing

// usage is a reading of the clocks: wall time, the CPU time of this
// process and its waited-for children, and the busy time of the machine.
type usage struct {
	at        time.Time
	own, busy time.Duration
}

func readUsage() usage {
	u := usage{at: time.Now()}
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			u.own += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	// The first line of /proc/stat: user nice system idle iowait irq
	// softirq steal ..., in clock ticks (100 a second).
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := bytes.Cut(b, []byte("\n"))
		f := strings.Fields(string(line))
		for i := 1; i < len(f) && i <= 8; i++ {
			if i == 4 || i == 5 { // idle, iowait
				continue
			}
			n, _ := strconv.ParseInt(f[i], 10, 64)
			u.busy += time.Duration(n) * 10 * time.Millisecond
		}
	}
	return u
}

// span is what a measurement took; spans add up.
type span struct{ wall, own, busy time.Duration }

func since(u0 usage) span {
	u1 := readUsage()
	return span{wall: u1.at.Sub(u0.at), own: u1.own - u0.own, busy: u1.busy - u0.busy}
}

func (s *span) add(t span) { s.wall += t.wall; s.own += t.own; s.busy += t.busy }

// obs is one observation: throughput, the cores this process (and its
// children) kept busy, and the cores the rest of the machine used.
type obs struct{ mbps, own, others float64 }

func (s span) obs(bytes int64) obs {
	w := s.wall.Seconds()
	return obs{mbps: float64(bytes) / w / 1e6, own: s.own.Seconds() / w, others: max(0, (s.busy-s.own).Seconds()/w)}
}

// stable waits for a quiet machine, then repeats a measurement, up to
// twice, while the rest of the machine took more than `disturbed` cores,
// and keeps the least disturbed one.
func stable(measure func() obs) obs {
	waitQuiet()
	best := measure()
	for try := 0; try < 2 && best.others > disturbed; try++ {
		progress("disturbed (%.2f cores used by other processes), measuring again", best.others)
		waitQuiet()
		if o := measure(); o.others < best.others {
			best = o
		}
	}
	return best
}

// waited is the time spent in waitQuiet, against -wait.
var waited time.Duration

// waitQuiet returns once other processes use less than a sixth of a core
// over half a second, or when the -wait budget is spent.
func waitQuiet() {
	told := false
	for waited < *flagWait {
		u0 := readUsage()
		time.Sleep(500 * time.Millisecond)
		sp := since(u0)
		others := sp.obs(0).others
		if others < disturbed/1.5 {
			return
		}
		waited += sp.wall
		if !told {
			progress("waiting for other processes to leave the CPUs alone (they use %.2f cores; %s of -wait left)", others, (*flagWait - waited).Round(time.Second))
			told = true
		}
	}
}

// timePasses runs pass until d has elapsed.
func timePasses(bytesPerPass int64, d time.Duration, pass func()) obs {
	runtime.GC()
	u0 := readUsage()
	var n int64
	for {
		pass()
		n++
		if time.Since(u0.at) >= d {
			return since(u0).obs(n * bytesPerPass)
		}
	}
}

// sample is the observations of one measurement over the rounds.
type sample struct{ o []obs }

func (s *sample) add(o obs) { s.o = append(s.o, o) }

func (s *sample) med(f func(obs) float64) float64 {
	if len(s.o) == 0 {
		return 0
	}
	v := make([]float64, len(s.o))
	for i, o := range s.o {
		v[i] = f(o)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func (s *sample) median() float64 { return s.med(func(o obs) float64 { return o.mbps }) }

func (s *sample) spread() string {
	if len(s.o) < 2 {
		return "–"
	}
	lo, hi := s.o[0].mbps, s.o[0].mbps
	for _, o := range s.o {
		lo, hi = min(lo, o.mbps), max(hi, o.mbps)
	}
	return f1(lo) + "–" + f1(hi)
}

// cpu shows the cores used by this process and by the others, with a
// mark when the others stayed above the threshold.
func (s *sample) cpu() string {
	if len(s.o) == 0 {
		return "–"
	}
	own := s.med(func(o obs) float64 { return o.own })
	others := s.med(func(o obs) float64 { return o.others })
	mark := ""
	if others > disturbed {
		mark = " ⚠"
	}
	return f2(own) + " / " + f2(others) + mark
}

// allocsPerLine runs one pass and returns the allocations and the bytes
// allocated per line.
func allocsPerLine(lines int, pass func()) (float64, float64) {
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	pass()
	runtime.ReadMemStats(&b)
	return float64(b.Mallocs-a.Mallocs) / float64(lines), float64(b.TotalAlloc-a.TotalAlloc) / float64(lines)
}

// convertPass converts every line with one reused Converter.
func convertPass(c *corpus) func() { return convertPassWith(c, opts(c.to)) }

// convertPassWith is convertPass with other options.
func convertPassWith(c *corpus, o convert.Options) func() {
	cv, err := convert.NewConverter(o)
	if err != nil {
		fatalf("%v", err)
	}
	return func() {
		n := 0
		for i := range c.n() {
			res, err := cv.Convert(c.line(i))
			if err != nil {
				fatalf("converting a corpus line to %s: %v", c.to, err)
			}
			n += len(res.Output)
		}
		sink.Add(int64(n))
	}
}

func noEvidence(o convert.Options) convert.Options {
	o.NoEvidence = true
	return o
}

// encodeLine is the encoding/json baseline: decode into any, re-encode.
func encodeLine(l []byte) int {
	var v any
	if err := json.Unmarshal(l, &v); err != nil {
		fatalf("%v", err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		fatalf("%v", err)
	}
	return len(out)
}

func validLine(valid func([]byte) bool) func([]byte) int {
	return func(l []byte) int {
		if !valid(l) {
			fatalf("invalid corpus line")
		}
		return 1
	}
}

// budget says, in time a policy, what the ratio targets leave beyond the
// floor pass, and what the converter spends there.
func budget(c *corpus, conv, enc, gj, floor float64) string {
	if conv <= 0 || enc <= 0 || gj <= 0 || floor <= 0 {
		return ""
	}
	size := float64(c.bytes) / float64(c.n())
	us := func(mbps float64) float64 { return size / mbps } // bytes / (10^6 bytes/s) = µs
	beyond := us(conv) - us(floor)
	allow := func(name string, mbps float64) string {
		left := us(mbps) - us(floor)
		if left <= 0 {
			return fmt.Sprintf("%s allows %.2f µs, less than the floor", name, us(mbps))
		}
		return fmt.Sprintf("%s allows %.2f µs, %.2f beyond the floor (%.1f× less than the converter spends there)",
			name, us(mbps), left, beyond/left)
	}
	findings, out := yield(c)
	return fmt.Sprintf("**Budget, beta → v1.0** (%.0f bytes a policy, converted into %.0f bytes and %.1f findings on "+
		"average): the floor pass takes %.2f µs a policy (%.2f× gjson.Valid's speed), the converter %.2f µs, %.2f beyond "+
		"the floor (what a converter adds to it: recording objects for lookahead, dispatch by type, layout, the rules "+
		"and their findings). %s; %s.",
		size, out, findings, us(floor), floor/gj, us(conv), beyond,
		allow(fmt.Sprintf("%.0f× encoding/json", targetVsEncoding), enc*targetVsEncoding),
		allow(fmt.Sprintf("%.1f× gjson.Valid", targetVsGjson), gj*targetVsGjson))
}

// yield is what converting the corpus's distinct policies gives on
// average: findings and output bytes a policy.
func yield(c *corpus) (findings, out float64) {
	cv, err := convert.NewConverter(opts(c.to))
	if err != nil {
		fatalf("%v", err)
	}
	for _, p := range c.distinct {
		res, err := cv.Convert(p)
		if err != nil {
			fatalf("converting a corpus line to %s: %v", c.to, err)
		}
		findings += float64(len(res.Findings))
		out += float64(len(res.Output))
	}
	n := float64(len(c.distinct))
	return findings / n, out / n
}

func linePass(c *corpus, f func([]byte) int) func() {
	return func() {
		n := 0
		for i := range c.n() {
			n += f(c.line(i))
		}
		sink.Add(int64(n))
	}
}

// parallel runs work(worker, line) over the lines with j goroutines, which
// take chunks of 64 lines in order from a shared counter.
func parallel(c *corpus, j int, work func(w int, l []byte) int) func() {
	const chunk = 64
	return func() {
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := range j {
			wg.Go(func() {
				n := 0
				for {
					i := int(next.Add(chunk)) - chunk
					if i >= c.n() {
						break
					}
					for k := i; k < min(i+chunk, c.n()); k++ {
						n += work(w, c.line(k))
					}
				}
				sink.Add(int64(n))
			})
		}
		wg.Wait()
	}
}

// parallelConvert converts the lines with j goroutines, each with its own
// Converter.
func parallelConvert(c *corpus, j int) func() {
	cvs := make([]*convert.Converter, j)
	for i := range cvs {
		cv, err := convert.NewConverter(opts(c.to))
		if err != nil {
			fatalf("%v", err)
		}
		cvs[i] = cv
	}
	return parallel(c, j, func(w int, l []byte) int {
		res, err := cvs[w].Convert(l)
		if err != nil {
			fatalf("%v", err)
		}
		return len(res.Output)
	})
}

// ---------------------------------------------------------------- report

type report struct {
	env      []string
	targets  [][]string // target, measured, goal, result
	sections []string
}

func (r *report) target(name, measured, goal, result string) {
	r.targets = append(r.targets, []string{name, measured, goal, result})
}

func (r *report) section(s string) { r.sections = append(r.sections, s) }

func passFail(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func (r *report) String() string {
	var b strings.Builder
	b.WriteString("# apmigrate performance against the targets\n\n")
	for _, e := range r.env {
		b.WriteString("- " + e + "\n")
	}
	b.WriteString("\n## Targets\n\n")
	b.WriteString(table([]string{"target", "measured", "goal", "result"}, r.targets))
	for _, s := range r.sections {
		b.WriteString("\n" + s)
	}
	return b.String()
}

func table(head []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
	for range head {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, row := range rows {
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	return b.String()
}

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
func f2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// ---------------------------------------------------------------- run

func run(r *report) {
	r.env = environment()
	betaPolicies, failed, err := loadPolicies(model.V1)
	if err != nil {
		fatalf("%v", err)
	}
	v1Policies, _, err := loadPolicies(model.Beta)
	if err != nil {
		fatalf("%v", err)
	}
	// The beta corpus rendered in v1.0: the same policies in the other
	// shape, so that the two directions compare on the same content.
	var rendered [][]byte
	for _, p := range betaPolicies {
		res, err := convert.Convert(p, opts(model.V1))
		if err != nil {
			fatalf("%v", err)
		}
		if back, err := convert.Convert(res.Output, opts(model.Beta)); err == nil && back.Changed {
			rendered = append(rendered, res.Output)
		}
	}
	size := *flagMB * 1_000_000
	beta := newCorpus("beta (documented)", model.V1, betaPolicies, size)
	v1 := newCorpus("v1.0 (documented)", model.Beta, v1Policies, size)
	v1r := newCorpus("v1.0 (the beta corpus converted)", model.Beta, rendered, size)
	var rows [][]string
	for _, c := range []*corpus{beta, v1, v1r} {
		rows = append(rows, []string{c.name, "→ " + string(c.to), strconv.Itoa(len(c.distinct)), fmt.Sprintf("%.0f B", c.mean()),
			fmt.Sprintf("%d lines, %.1f MB", c.n(), float64(c.bytes)/1e6)})
	}
	r.section("## Corpora\n\n" +
		"Every valid documented example in testdata/docs (lists and collections split into their policies) that the " +
		"conversion changes, compacted to one line, distinct, repeated to the corpus size. Every conversion allows widening " +
		"(as the golden tests do), so no policy of the corpus is refused.\n\n" +
		table([]string{"corpus", "converted to", "distinct policies", "mean size", "in memory"}, rows) +
		fmt.Sprintf("\nLeft out as failing: %d (%s). 1 MB = 10^6 bytes throughout.\n", len(failed), strings.Join(failed, "; ")))

	only := map[string]bool{}
	for _, s := range strings.Split(*flagOnly, ",") {
		only[strings.TrimSpace(s)] = true
	}
	if only["single"] {
		single(r, beta, v1, v1r)
	}
	if only["scaling"] || only["memory"] {
		cli := probeCLI(beta)
		r.section(cli.describe())
		if only["scaling"] {
			scaling(r, beta, cli)
		}
		if only["memory"] {
			memory(r, beta, cli)
		}
	}
	if only["ceiling"] {
		ceiling(r)
	}
	if only["profile"] && *flagCPUProf != "" {
		profile(r, beta, v1)
	}
	r.env = append(r.env, "load average at the end: "+loadavg())
	budget := "within"
	if waited >= *flagWait {
		budget = "the whole of"
	}
	r.env = append(r.env, fmt.Sprintf("waited %s for other processes to leave the CPUs alone (%s the -wait budget of %s)",
		waited.Round(time.Second), budget, *flagWait))
}

// loadavg is the first three fields of /proc/loadavg.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func environment() []string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.*)$`).FindSubmatch(b); m != nil {
			cpu = string(m[1])
		}
	}
	commit := "unknown"
	if out, err := exec.Command("git", "describe", "--always", "--dirty").Output(); err == nil {
		commit = strings.TrimSpace(string(out))
		if strings.HasSuffix(commit, "-dirty") {
			commit += " (the work tree had uncommitted changes, which were measured)"
		}
	}
	env := []string{
		"date: " + time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		fmt.Sprintf("machine: %s, %d logical CPUs, %s/%s, %s", cpu, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version()),
		"commit: " + commit,
		fmt.Sprintf("settings: -mb %d -time %s -rounds %d -tree %d -treedir %s -big %d -bigcoll %d -only %s", *flagMB, *flagTime, *flagRounds, *flagTree, *flagTreeDir, *flagBig, *flagBigColl, *flagOnly),
		"load average at the start: " + loadavg(),
	}
	if *flagQuick {
		env = append(env, "**quick run**: one short round on small inputs, a first look; quote the full run (bash bench/compare.sh)")
	}
	return env
}

// ---------------------------------------------------------------- single core

type measurement struct {
	name   string
	c      *corpus
	pass   func()
	s      sample
	allocs float64
	alloc  float64
}

const (
	nameB2V = "apmigrate beta → v1.0 (Converter)"
	nameV2B = "apmigrate v1.0 → beta (Converter)"
	// The same with Options.NoEvidence, as the command line converts: the
	// targets are read on the rows above, the library's default.
	nameB2VNoEv = "apmigrate beta → v1.0 (Converter, NoEvidence: as the CLI converts)"
	nameV2BNoEv = "apmigrate v1.0 → beta (Converter, NoEvidence: as the CLI converts)"
	nameEnc     = "encoding/json Unmarshal(any) + Marshal"
	nameJV      = "json.Valid"
	nameGJ      = "gjson.Valid"
	nameFloor   = "floor: validate, copy and rename keys in one pass (no rules; floor.go)"
)

// single measures every single-core throughput with GOMAXPROCS=1, so that
// the garbage collector's work is paid on the same core.
func single(r *report, beta, v1, v1r *corpus) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	ms := []*measurement{
		{name: nameB2V, c: beta, pass: convertPass(beta)},
		{name: nameV2B, c: v1, pass: convertPass(v1)},
		{name: nameV2B, c: v1r, pass: convertPass(v1r)},
		{name: nameB2VNoEv, c: beta, pass: convertPassWith(beta, noEvidence(opts(beta.to)))},
		{name: nameV2BNoEv, c: v1, pass: convertPassWith(v1, noEvidence(opts(v1.to)))},
	}
	for _, c := range []*corpus{beta, v1, v1r} {
		ms = append(ms,
			&measurement{name: nameEnc, c: c, pass: linePass(c, encodeLine)},
			&measurement{name: nameJV, c: c, pass: linePass(c, validLine(json.Valid))},
			&measurement{name: nameGJ, c: c, pass: linePass(c, validLine(gjson.ValidBytes))},
			&measurement{name: nameFloor, c: c, pass: linePass(c, validLine(newFloorPass(c.to == model.Beta).valid))},
		)
	}
	for round := range *flagRounds {
		progress("single core, round %d of %d", round+1, *flagRounds)
		for _, m := range ms {
			m.s.add(stable(func() obs { return timePasses(m.c.bytes, *flagTime, m.pass) }))
		}
	}
	for _, m := range ms {
		m.allocs, m.alloc = allocsPerLine(m.c.n(), m.pass)
	}
	var rows [][]string
	for _, m := range ms {
		mb := m.s.median()
		pps := mb * 1e6 / (float64(m.c.bytes) / float64(m.c.n()))
		rows = append(rows, []string{m.name, m.c.name, f1(mb), m.s.spread(), fmt.Sprintf("%.0f", pps),
			f1(m.allocs), fmt.Sprintf("%.0f", m.alloc), m.s.cpu()})
	}
	r.section("## Single core (GOMAXPROCS=1)\n\n" +
		"MB/s: median of the rounds (range next to it). Allocations and bytes allocated per policy: one pass. " +
		"CPU: cores used by this process / by the rest of the machine during the measurement (⚠: above " + f2(disturbed) +
		" even after two retries, so the number is likely low).\n\n" +
		table([]string{"measurement", "corpus", "MB/s", "range", "policies/s", "allocs/policy", "B alloc/policy", "CPU"}, rows))

	get := func(name string, c *corpus) float64 {
		for _, m := range ms {
			if m.name == name && m.c == c {
				return m.s.median()
			}
		}
		return 0
	}
	for _, d := range []struct {
		label, name string
		c           *corpus
	}{
		{"beta → v1.0", nameB2V, beta},
		{"v1.0 → beta", nameV2B, v1},
	} {
		got, enc, gj := get(d.name, d.c), get(nameEnc, d.c), get(nameGJ, d.c)
		r.target(d.label+": single-core throughput, "+d.c.name+" corpus", f1(got)+" MB/s", fmt.Sprintf("≥ %.0f MB/s", targetMBps), passFail(got >= targetMBps))
		r.target(d.label+": × encoding/json decode + re-encode", fmt.Sprintf("%.2f× (encoding/json: %s MB/s)", got/enc, f1(enc)), fmt.Sprintf("≥ %.0f×", targetVsEncoding), passFail(got/enc >= targetVsEncoding))
		r.target(d.label+": × gjson.Valid", fmt.Sprintf("%.3f× (gjson.Valid: %s MB/s)", got/gj, f1(gj)), fmt.Sprintf("≥ %.1f×", targetVsGjson), passFail(got/gj >= targetVsGjson))
	}
	r.section(budget(beta, get(nameB2V, beta), get(nameEnc, beta), get(nameGJ, beta), get(nameFloor, beta)))
	b2v, v2b := get(nameB2V, beta), get(nameV2B, v1r)
	r.target("v1.0 → beta at least as fast as beta → v1.0 (the same policies: "+v1r.name+")",
		fmt.Sprintf("%.2f× (%s vs %s MB/s)", v2b/b2v, f1(v2b), f1(b2v)), "≥ 1.00×", passFail(v2b >= b2v))
}

// ---------------------------------------------------------------- scaling

// pair is a workload measured with 1 and with 2 workers.
// pair is a scaling measurement: its observations with 1 and with 2
// workers, and those of the host check made right after each (hostOne,
// hostTwo; empty for the controls themselves).
type pair struct{ one, two, hostOne, hostTwo sample }

func (p *pair) add(j int, o obs) {
	if j == 1 {
		p.one.add(o)
	} else {
		p.two.add(o)
	}
}

func (p *pair) speedup() float64 { return p.two.median() / p.one.median() }

// hostSpeedup is the machine's own scaling in the rounds of p: gjson.Valid
// with 1 and 2 goroutines, each measured just after p's observation.
func (p *pair) hostSpeedup() float64 { return p.hostTwo.median() / p.hostOne.median() }

// Outside these bounds the machine's own scaling says that the host, not
// the code, set the speed-up. gjson.Valid allocates nothing and shares
// nothing between its goroutines: on a quiet host it scales 1.95–2.03×; in
// a disturbed run (a one-worker rate a third low) it measured 2.52×, and
// the CLI's NDJSON row 2.40× beside it.
const hostScalingLow, hostScalingHigh = 1.85, 2.15

// hostOK reports whether the host scaled as two idle cores do while p was
// measured (true when p has no host check).
func (p *pair) hostOK() bool {
	if len(p.hostOne.o) == 0 {
		return true
	}
	h := p.hostSpeedup()
	return h >= hostScalingLow && h <= hostScalingHigh
}

// hostNote is what the host check says next to p's speed-up.
func (p *pair) hostNote() string {
	if len(p.hostOne.o) == 0 {
		return "–"
	}
	s := f2(p.hostSpeedup()) + "×"
	if !p.hostOK() {
		s += " ⚠"
	}
	return s
}

// result is the target's verdict on p: PASS or FAIL, marked UNRELIABLE when
// the host check fell outside its bounds.
func (p *pair) result() string {
	r := passFail(p.speedup() >= targetScaling)
	if !p.hostOK() {
		r += " (UNRELIABLE: the machine's own scaling was " + f2(p.hostSpeedup()) + "×)"
	}
	return r
}

func (p *pair) row(name string) []string {
	return []string{name, f1(p.one.median()), f1(p.two.median()), f2(p.speedup()) + "×", p.hostNote(), p.one.cpu(), p.two.cpu()}
}

// interleave measures f(1) and f(2) alternately, -rounds times.
//
// One worker runs on one core (GOMAXPROCS=1, in this process and in the
// CLI's), so that the collector's work is paid on that core as it is in
// the single-core measurements: the speed-up is over the single-core rate.
// Two workers run with GOMAXPROCS=2.
//
// With check (nil for the controls), each observation is followed by
// check's with as many goroutines: the machine's own scaling in the same
// rounds, which tells a speed-up the code made from one the host made (a
// shared host's cores do not always run at the same speed, or at all, when
// both are busy).
func interleave(label string, check, f func(j int) obs) *pair {
	var p pair
	for round := range *flagRounds {
		progress("%s, round %d of %d", label, round+1, *flagRounds)
		for _, j := range roundOrder(round) {
			prev := runtime.GOMAXPROCS(j)
			childEnv = []string{"GOMAXPROCS=" + strconv.Itoa(j)}
			p.add(j, f(j))
			childEnv = nil
			if check != nil {
				h := check(j)
				if j == 1 {
					p.hostOne.add(h)
				} else {
					p.hostTwo.add(h)
				}
			}
			runtime.GOMAXPROCS(prev)
		}
	}
	return &p
}

// roundOrder is the order of the worker counts in a round: one first in
// even rounds, two first in odd ones. What a run leaves behind can slow
// the run after it (on ext4 without a journal every file rewritten makes
// the next creations slower; a host drifts), and with one worker always
// first, the two-worker runs always paid for it.
func roundOrder(round int) []int {
	if round%2 == 1 {
		return []int{2, 1}
	}
	return []int{1, 2}
}

// cliScaling times the CLI converting the file at path (size bytes) with
// one worker and with two, runs back to back for at least -time, as the
// in-memory rows time passes: one run lasts a third of a second, and a
// single one swung the speed-up by a fifth (1.50x and 1.75x at one commit
// within minutes). failure is the CLI's error, if it failed.
func cliScaling(cli *cliInfo, label string, check func(j int) obs, path string, size int64) (p *pair, failure string) {
	p = interleave(label, check, func(j int) obs {
		if failure != "" {
			return obs{}
		}
		return stable(func() obs {
			u0 := readUsage()
			var n int64
			for n == 0 || time.Since(u0.at) < *flagTime {
				res := cli.run(cli.convertArgs(j, path), "/dev/null", "/dev/null")
				if res.err != "" {
					failure = res.err
					break
				}
				n += size
			}
			return since(u0).obs(max(n, 1))
		})
	})
	return p, failure
}

// childEnv is added to the environment of the commands runCmd starts.
var childEnv []string

func scaling(r *report, beta *corpus, cli *cliInfo) {
	var rows [][]string
	goal := fmt.Sprintf("≥ %.1f×", targetScaling)
	valid := validLine(gjson.ValidBytes)
	checks := map[int]func(){}
	for _, j := range []int{1, 2} {
		checks[j] = parallel(beta, j, func(_ int, l []byte) int { return valid(l) })
	}
	// hostCheck measures gjson.Valid over the beta corpus with j
	// goroutines for a quarter of -time.
	hostCheck := func(j int) obs { return timePasses(beta.bytes, *flagTime/4, checks[j]) }
	inMemory := func(label string, check func(j int) obs, mk func(j int) func()) *pair {
		passes := map[int]func(){1: mk(1), 2: mk(2)}
		return interleave(label, check, func(j int) obs {
			return stable(func() obs { return timePasses(beta.bytes, *flagTime, passes[j]) })
		})
	}
	// measured is a speed-up with the host check beside it.
	measured := func(p *pair) string { return f2(p.speedup()) + "× (the machine's own scaling: " + p.hostNote() + ")" }

	lib := inMemory("library NDJSON scaling", hostCheck, func(j int) func() { return parallelConvert(beta, j) })
	rows = append(rows, lib.row("NDJSON lines in memory, library: a Converter per goroutine"))
	r.target("NDJSON, 2 workers / 1, library (lines in memory, a Converter per goroutine)", measured(lib), goal, lib.result())
	for _, ctl := range []struct {
		name string
		f    func([]byte) int
	}{
		{"control: encoding/json decode + re-encode, same lines", encodeLine},
		{"control: gjson.Valid, same lines (allocates nothing: the machine's own scaling)", validLine(gjson.ValidBytes)},
	} {
		p := inMemory(ctl.name, nil, func(j int) func() { return parallel(beta, j, func(_ int, l []byte) int { return ctl.f(l) }) })
		rows = append(rows, p.row(ctl.name))
	}

	// NDJSON through the CLI.
	switch {
	case cli.ndjson && cli.jFlag != "":
		path := filepath.Join(outDir, "corpus-beta.ndjson")
		if err := os.WriteFile(path, beta.buf, 0o644); err != nil {
			fatalf("%v", err)
		}
		// Written back before the timing: reading a file while the kernel
		// writes it to disk made -j 2 runs a fifth slower, and the speed-up
		// with them.
		syscall.Sync()
		p, failure := cliScaling(cli, "CLI NDJSON scaling", hostCheck, path, int64(len(beta.buf)))
		if !*flagKeep {
			os.Remove(path)
		}
		if failure == "" {
			rows = append(rows, p.row(fmt.Sprintf("NDJSON file (%.0f MB, run back to back for %s), CLI `convert %s 1` / `%s 2`, output and findings to /dev/null", float64(len(beta.buf))/1e6, *flagTime, cli.jFlag, cli.jFlag)))
			r.target("NDJSON, "+cli.jFlag+" 2 / "+cli.jFlag+" 1, CLI", measured(p), goal, p.result())
		} else {
			r.target("NDJSON, -j 2 / -j 1, CLI", "not measured: the CLI failed: "+failure, goal, "NOT MEASURED")
		}
	default:
		r.target("NDJSON, -j 2 / -j 1, CLI", "not measured: "+cli.why("ndjson"), goal, "NOT MEASURED")
	}

	// The same policies as one Graph collection response through the CLI:
	// one document, whose policies its workers share (convert.Options.Jobs).
	// Not a target of its own (the targets name NDJSON and trees); the
	// other streaming input.
	if cli.jFlag != "" {
		path := filepath.Join(outDir, "corpus-beta-collection.json")
		fi := generate(path, func() error { return writeBigCollection(path, beta.buf, int64(len(beta.buf))) })
		p, failure := cliScaling(cli, "CLI collection scaling", hostCheck, path, fi.Size())
		if !*flagKeep {
			os.Remove(path)
		}
		if failure == "" {
			rows = append(rows, p.row(fmt.Sprintf("the same policies as one Graph collection response on one line (%.0f MB), CLI `convert %s 1` / `%s 2` (not a target)", float64(fi.Size())/1e6, cli.jFlag, cli.jFlag)))
		} else {
			progress("CLI collection scaling: %s", failure)
		}
	}

	// A tree of files, on each file system asked for.
	var treeDirs []string
	var files [][]byte
	if *flagTree > 0 {
		treeDirs = treeDirList()
		files = treeFiles()
	}
	treeNote := ""
	for _, dir := range treeDirs {
		fsName := fsType(dir)
		if fsName == ext4NoJournal {
			treeNote = " " + noJournalNote
		}
		var total int64
		tree := func(label string, regen bool, run func(j int) string) *pair {
			failed := false
			p := interleave(label, hostCheck, func(j int) obs {
				if failed {
					return obs{}
				}
				waitQuiet()
				o, n, err := timeTree(dir, files, regen, func() string { return run(j) })
				if err != "" {
					progress("%s: %s", label, err)
					failed = true
				}
				total = n
				return o
			})
			if failed {
				return nil
			}
			return p
		}
		w := tree("library tree rewrite", true, func(j int) string { return treeLibrary(dir, j, treeWrite) })
		ro := tree("library tree read + convert", false, func(j int) string { return treeLibrary(dir, j, treeNoWrite) })
		cp := tree("tree I/O only", false, func(j int) string { return treeLibrary(dir, j, treeCopy) })
		cpp := tree("tree I/O only, processes", false, func(j int) string { return copyProcesses(dir, j) })
		if w == nil || ro == nil || cp == nil || cpp == nil {
			fatalf("a tree measurement failed (its error is above)")
		}
		name := fmt.Sprintf("tree of %d files (%.1f MB) on %s", *flagTree, float64(total)/1e6, fsName)
		rows = append(rows,
			w.row(name+", library: walk, read, ConvertDocument, write a temporary file, rename it over the file (what -w does)"),
			ro.row(name+", library: walk, read, ConvertDocument, no write (what --check does)"),
			cp.row(name+", control: walk, read, write a temporary file, rename, no conversion (the file system alone)"),
			cpp.row(name+", control: the same in 1 process / 2 processes, each with whole directories of its own and GOMAXPROCS=1 (the file system alone, nothing shared but the kernel)"))
		r.target("tree on "+fsName+", 2 workers / 1, library rewrite (read, ConvertDocument, write, rename)", f2(w.speedup())+"× (the file system alone: "+f2(cp.speedup())+"×, in 2 processes on directories of their own "+f2(cpp.speedup())+"×; the machine's own scaling: "+w.hostNote()+")", goal, w.result())

		switch {
		case cli.tree && cli.jFlag != "":
			p := tree("CLI tree scaling", cli.treeFlag == cli.writeFlag, func(j int) string { return cli.run(cli.treeArgs(j, dir), "/dev/null", "/dev/null").err })
			if p != nil {
				rows = append(rows, p.row(fmt.Sprintf("%s, CLI `convert %s %s 1` / `%s 2`", name, cli.treeFlag, cli.jFlag, cli.jFlag)))
				r.target("tree on "+fsName+", "+cli.jFlag+" 2 / "+cli.jFlag+" 1, CLI "+cli.treeFlag, measured(p), goal, p.result())
			} else {
				r.target("tree on "+fsName+", -j 2 / -j 1, CLI", "not measured: the CLI failed on the tree", goal, "NOT MEASURED")
			}
		default:
			r.target("tree on "+fsName+", -j 2 / -j 1, CLI", "not measured: "+cli.why("tree"), goal, "NOT MEASURED")
		}
		if !*flagKeep {
			os.RemoveAll(dir)
		}
	}
	r.section("## Both cores: 1 worker on one core against 2 on two (beta → v1.0)\n\n" +
		"MB/s of input, median of the rounds. The machine's own scaling: gjson.Valid over the same lines with 1 and 2 " +
		"goroutines, measured for a quarter of -time right after each of the row's observations; outside " +
		f2(hostScalingLow) + "–" + f2(hostScalingHigh) + "× (⚠) the host, not the code, set the row's speed-up, and its target says UNRELIABLE. " +
		"CPU: cores used by the measured process (with its children) / by the rest of " +
		"the machine, for 1 and for 2 workers. One worker runs with GOMAXPROCS=1 (the CLI too, through its environment), so " +
		"that the collector's work is paid on its one core: the speed-up is over the single-core rate, as the target reads. " +
		"Two workers run with GOMAXPROCS=2, the collector sharing their cores. The tree is " +
		"synced before every timed run and, for the runs that rewrite it, regenerated, outside the timing; for the tree, the rest of the machine includes the " +
		"kernel's writeback and journal threads working for the run." + treeNote + "\n\n" +
		table([]string{"workload", "1 worker MB/s", "2 workers MB/s", "speed-up", "the machine's own scaling, same rounds", "CPU, 1 worker", "CPU, 2 workers"}, rows))
}

// treeDirList is -treedir's directories whose parent exists.
func treeDirList() []string {
	var dirs []string
	for _, d := range strings.Split(*flagTreeDir, ",") {
		if d = strings.TrimSpace(d); d == "" {
			continue
		}
		if _, err := os.Stat(filepath.Dir(d)); err != nil {
			progress("tree: skipping %s: %v", d, err)
			continue
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// fsType names the file system holding path, from /proc/mounts; ext4
// without a journal is named so (noJournalNote says why it matters).
func fsType(path string) string {
	abs, _ := filepath.Abs(path)
	b, err := os.ReadFile("/proc/mounts")
	if err != nil {
		return "an unknown file system"
	}
	dev, typ := mountOf(abs, string(b))
	if typ == "ext4" && !ext4HasJournal("/sys", dev) {
		return ext4NoJournal
	}
	return typ
}

const ext4NoJournal = "ext4 without a journal"

// noJournalNote is why a tree on ext4 without a journal measures the
// kernel more than the converter.
const noJournalNote = "On " + ext4NoJournal + " the kernel does not hand out again an inode freed less than 60 s " +
	"before (360 s while its inode table block is unwritten): every file created scans past each such inode of its " +
	"block group (fs/ext4/ialloc.c, recently_deleted). A rewrite frees an inode a file (the rename drops the " +
	"original), so each file rewritten makes the next creation slower, within a run and from one run to the next: " +
	"its rows measure how many files were rewritten in the last minutes (the regenerations and the runs before them " +
	"included) more than the converter."

// mountOf returns the device and file system type of the mount that holds
// the absolute path abs, from the text of /proc/mounts: the longest mount
// point that is abs or a parent of it.
func mountOf(abs, mounts string) (dev, typ string) {
	best := ""
	typ = "an unknown file system"
	for l := range strings.Lines(mounts) {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		if (abs == f[1] || strings.HasPrefix(abs, strings.TrimSuffix(f[1], "/")+"/")) && len(f[1]) >= len(best) {
			best, dev, typ = f[1], f[0], f[2]
		}
	}
	return dev, typ
}

// ext4HasJournal reports whether the ext4 file system on dev (a mount's
// source, /dev/vda) has a journal: its journal_task under sys/fs/ext4
// names the journal's thread, or "<none>". Unknown counts as a journal.
func ext4HasJournal(sys, dev string) bool {
	b, err := os.ReadFile(filepath.Join(sys, "fs", "ext4", filepath.Base(dev), "journal_task"))
	return err != nil || strings.TrimSpace(string(b)) != "<none>"
}

// treeFiles returns the documented beta examples as written (indented)
// that convert to v1.0 as documents, without a failed item, and change.
func treeFiles() [][]byte {
	m, _ := filepath.Glob("testdata/docs/beta/*.json")
	sort.Strings(m)
	var out [][]byte
	for _, f := range m {
		raw, err := os.ReadFile(f)
		if err != nil {
			fatalf("%v", err)
		}
		res, err := convert.ConvertDocument(raw, opts(model.V1))
		if err == nil && res.Failed() == 0 && res.Changed {
			out = append(out, raw)
		}
	}
	return out
}

// makeTree writes n files into dir, 100 a directory, cycling through the
// contents; it returns the bytes written.
func makeTree(dir string, contents [][]byte, n int) int64 {
	if err := os.RemoveAll(dir); err != nil {
		fatalf("%v", err)
	}
	var total int64
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", i/100))
		if i%100 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				fatalf("%v", err)
			}
		}
		c := contents[i%len(contents)]
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("policy-%05d.json", i)), c, 0o644); err != nil {
			fatalf("%v", err)
		}
		total += int64(len(c))
	}
	return total
}

// timeTree generates the tree, and with regen generates it again before
// every run (for runs that convert it in place), syncs it (none of which
// is timed), then times run, until -time has elapsed in total. It returns
// the observation, the size of the tree and run's failure, if any.
func timeTree(dir string, contents [][]byte, regen bool, run func() string) (obs, int64, string) {
	var sp span
	var done, total int64
	for sp.wall < *flagTime || done == 0 {
		if regen || done == 0 {
			total = makeTree(dir, contents, *flagTree)
		}
		syscall.Sync()
		runtime.GC()
		u0 := readUsage()
		if msg := run(); msg != "" {
			return obs{}, total, msg
		}
		sp.add(since(u0))
		done += total
	}
	return sp.obs(done), total, ""
}

type treeMode int

const (
	treeWrite   treeMode = iota // read, convert, write a temporary file, rename
	treeNoWrite                 // read, convert
	treeCopy                    // read, write a temporary file, rename: no conversion
)

// treeLibrary converts every .json file under dir with j workers, each
// with its own Converter; treeWrite does what a -w run does. The walk
// hands the files over sixteen at a time: a hand-over a file woke a
// goroutine for every file, which cost more than converting a small one,
// and walking the whole tree first left the workers idle for a tenth of
// a run.
func treeLibrary(dir string, j int, mode treeMode) string {
	const chunk = 16
	paths := make(chan []string, 64)
	var failed atomic.Int64
	var first sync.Once
	var why string
	var wg sync.WaitGroup
	for range j {
		cv, err := convert.NewConverter(opts(model.V1))
		if err != nil {
			fatalf("%v", err)
		}
		wg.Go(func() {
			var buf bytes.Buffer
			for ps := range paths {
				for _, p := range ps {
					if err := treeFile(cv, p, mode, &buf); err != nil {
						failed.Add(1)
						first.Do(func() { why = err.Error() })
					}
				}
			}
		})
	}
	var ps []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			if ps = append(ps, p); len(ps) == chunk {
				paths <- ps
				ps = nil
			}
		}
		return nil
	})
	if len(ps) > 0 {
		paths <- ps
	}
	close(paths)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		return fmt.Sprintf("%d files failed, the first: %s", n, why)
	}
	return ""
}

// treeFile is treeLibrary's work on one file. buf is the worker's, reused
// from file to file as the command line reuses its buffers: with
// os.ReadFile's new buffer a file (4 KB), the collector ran so often that
// reading 3,000 files scaled 1.40-1.52x on two workers, and 1.84-1.90x
// into a reused buffer (tmpfs, 2026-11-25).
func treeFile(cv *convert.Converter, p string, mode treeMode, buf *bytes.Buffer) error {
	raw, err := readInto(p, buf)
	if err != nil {
		return err
	}
	out := raw
	if mode != treeCopy {
		res, err := cv.ConvertDocument(raw)
		switch {
		case err != nil:
			return fmt.Errorf("%s: %w", p, err)
		case res.Failed() > 0 || !res.Changed:
			return fmt.Errorf("%s: not converted", p)
		}
		out = res.Output
	}
	if mode == treeNoWrite {
		return nil
	}
	tmp := p + ".tmp"
	if err := writeOpen(tmp, os.O_CREATE|os.O_TRUNC, out); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// readInto reads the file p into buf, which keeps its memory from call to
// call, and returns its content (valid until buf's next use).
func readInto(p string, buf *bytes.Buffer) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// copyProcesses runs the harness itself j times at once, each process
// rewriting (without converting) every j-th directory of the tree: the
// file system's own scaling for what -w does, with no directory, lock or
// Go runtime shared between the workers, only the kernel.
func copyProcesses(dir string, j int) string {
	if err := runParts(j, "-copytree", dir); err != nil {
		return err.Error()
	}
	return ""
}

// runParts runs the harness itself j times at once with args and -part
// K/j (K from 0), each with GOMAXPROCS=1, and returns their failures.
func runParts(j int, args ...string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	errs := make([]error, j)
	var wg sync.WaitGroup
	for k := range j {
		wg.Go(func() {
			cmd := exec.Command(self, append(args, "-part", fmt.Sprintf("%d/%d", k, j))...)
			cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[k] = fmt.Errorf("%v: %s", err, bytes.TrimSpace(out))
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// parsePart reads -part K/N.
func parsePart(part string) (k, n int, err error) {
	if _, err := fmt.Sscanf(part, "%d/%d", &k, &n); err != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, fmt.Errorf("-part %q: want K/N with 0 <= K < N", part)
	}
	return k, n, nil
}

// copyPart is the work of one copyProcesses process: part "K/N" takes
// the directories of dir whose index in sorted order is K modulo N.
func copyPart(dir, part string) error {
	k, n, err := parsePart(part)
	if err != nil {
		return err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var sub []string
	for _, e := range ents {
		if e.IsDir() {
			sub = append(sub, e.Name())
		}
	}
	if len(sub) == 0 {
		return fmt.Errorf("%s has no directories", dir)
	}
	var buf bytes.Buffer
	for i, name := range sub {
		if i%n != k {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		for _, f := range files {
			if f.Type().IsRegular() && strings.HasSuffix(f.Name(), ".json") {
				if err := treeFile(nil, filepath.Join(dir, name, f.Name()), treeCopy, &buf); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ---------------------------------------------------------------- CLI

type cliInfo struct {
	path          string
	reason        string // why the CLI cannot be used at all
	help          string
	jFlag         string
	writeFlag     string
	checkFlag     string
	allowWidening bool
	ndjson        bool
	ndjsonNote    string
	tree          bool
	treeFlag      string
	treeNote      string
}

func (c *cliInfo) why(what string) string {
	switch {
	case c.reason != "":
		return c.reason
	case c.jFlag == "":
		return "`apmigrate convert -h` shows no -j flag"
	case what == "ndjson":
		return c.ndjsonNote
	}
	return c.treeNote
}

func (c *cliInfo) describe() string {
	var b strings.Builder
	b.WriteString("## The CLI\n\n")
	if c.reason != "" {
		fmt.Fprintf(&b, "Not measured: %s. The CLI measurements (NDJSON and tree scaling, memory) run as soon as "+
			"`go build ./cmd/apmigrate` succeeds and `apmigrate convert -h` shows the flags; the library measurements stand in "+
			"for them meanwhile.\n", c.reason)
		return b.String()
	}
	flag := func(s string) string {
		if s == "" {
			return "none"
		}
		return "`" + s + "`"
	}
	fmt.Fprintf(&b, "Built %s from the work tree. `convert -h` shows: jobs %s, write %s, check %s, `--allow-widening` %v "+
		"(passed to every run when shown).\n\n", c.path, flag(c.jFlag), flag(c.writeFlag), flag(c.checkFlag), c.allowWidening)
	fmt.Fprintf(&b, "- NDJSON: %s\n- tree: %s\n", c.ndjsonNote, c.treeNote)
	return b.String()
}

var (
	reJobs   = regexp.MustCompile(`(?m)(^|[\s,])(--?j(obs)?)\b`)
	reWrite  = regexp.MustCompile(`(?m)(^|[\s,])(--?w(rite)?)\b`)
	reCheck  = regexp.MustCompile(`(?m)(^|[\s,])(--?check)\b`)
	reWiden  = regexp.MustCompile(`--?allow-widening\b`)
	reNDJSON = regexp.MustCompile(`(?i)ndjson`)
)

func (c *cliInfo) baseArgs() []string {
	a := []string{"convert", "--to", "v1.0"}
	if c.allowWidening {
		a = append(a, "--allow-widening")
	}
	return a
}

func (c *cliInfo) convertArgs(j int, file string) []string {
	return append(c.baseArgs(), c.jFlag, strconv.Itoa(j), file)
}

func (c *cliInfo) treeArgs(j int, dir string) []string {
	return append(c.baseArgs(), c.treeFlag, c.jFlag, strconv.Itoa(j), dir)
}

// probeCLI builds the CLI and finds out what it supports: the flags from
// `convert -h`, and NDJSON and tree rewriting by trying them on small
// inputs and comparing the results with the library's.
func probeCLI(beta *corpus) *cliInfo {
	c := &cliInfo{path: filepath.Join(outDir, "apmigrate")}
	if !*flagCLI {
		c.reason = "skipped (-cli=false)"
		return c
	}
	if _, err := os.Stat("cmd/apmigrate"); err != nil {
		c.reason = "cmd/apmigrate does not exist yet"
		return c
	}
	progress("building the CLI")
	if out, err := exec.Command("go", "build", "-o", c.path, "./cmd/apmigrate").CombinedOutput(); err != nil {
		first := strings.SplitN(strings.TrimSpace(string(out)), "\n", 4)
		c.reason = "`go build ./cmd/apmigrate` fails (" + strings.Join(first[:min(3, len(first))], "; ") + ")"
		return c
	}
	help := c.run([]string{"convert", "-h"}, "", "")
	c.help = help.stdout + help.stderr
	if m := reJobs.FindStringSubmatch(c.help); m != nil {
		c.jFlag = m[2]
	}
	if m := reWrite.FindStringSubmatch(c.help); m != nil {
		c.writeFlag = m[2]
	}
	if m := reCheck.FindStringSubmatch(c.help); m != nil {
		c.checkFlag = m[2]
	}
	c.allowWidening = reWiden.MatchString(c.help)

	// NDJSON: five policies, one a line; the output must be five lines,
	// each the library's conversion of its line.
	probe := filepath.Join(outDir, "probe.ndjson")
	var in, want bytes.Buffer
	n := min(5, len(beta.distinct))
	for _, p := range beta.distinct[:n] {
		in.Write(p)
		in.WriteByte('\n')
		res, _ := convert.Convert(p, opts(model.V1))
		want.Write(res.Output)
		want.WriteByte('\n')
	}
	if err := os.WriteFile(probe, in.Bytes(), 0o644); err != nil {
		fatalf("%v", err)
	}
	defer os.Remove(probe)
	helpNote := ""
	if !reNDJSON.MatchString(c.help) {
		helpNote = " (`convert -h` does not mention NDJSON)"
	}
	args := c.baseArgs()
	if c.jFlag != "" {
		args = append(args, c.jFlag, "1")
	}
	res := c.run(append(args, probe), "", "")
	switch got := res.stdout; {
	case res.err != "":
		c.ndjsonNote = "`convert --to v1.0 FILE.ndjson` failed: " + res.err + helpNote + "."
	case got == want.String():
		c.ndjson = true
		c.ndjsonNote = "`convert --to v1.0 FILE.ndjson` writes one converted policy a line, identical to the library's output" + helpNote + "."
	case strings.Count(got, "\n") == n && allValidLines(got):
		c.ndjson = true
		c.ndjsonNote = fmt.Sprintf("`convert --to v1.0 FILE.ndjson` writes %d valid lines for %d, but not the library's output; measured anyway%s.", n, n, helpNote)
	default:
		c.ndjsonNote = fmt.Sprintf("`convert --to v1.0 FILE.ndjson` does not convert line by line yet (%d bytes, %d lines out for %d lines in)%s.",
			len(got), strings.Count(got, "\n"), n, helpNote)
	}

	// A tree: two files, rewritten in place (-w) or else checked (--check).
	c.treeFlag = c.writeFlag
	if c.treeFlag == "" {
		c.treeFlag = c.checkFlag
	}
	if c.treeFlag == "" || c.jFlag == "" {
		c.treeNote = "`convert -h` shows no -w or --check flag, or no -j flag."
		return c
	}
	dir := filepath.Join(outDir, "probe-tree")
	files := treeFiles()[:2]
	makeTree(dir, files, 2)
	defer os.RemoveAll(dir)
	if res := c.run(c.treeArgs(1, dir), "", ""); res.err != "" {
		c.treeNote = "`convert " + c.treeFlag + " " + c.jFlag + " 1 DIR` failed: " + res.err + "."
		return c
	}
	c.tree = true
	if c.treeFlag != c.writeFlag {
		c.treeNote = "timed with `convert " + c.treeFlag + " " + c.jFlag + " N DIR` (the CLI shows no write flag)."
		return c
	}
	c.treeNote = "`convert " + c.treeFlag + " " + c.jFlag + " N DIR` rewrites the files as the library does."
	for i, raw := range files {
		got, _ := os.ReadFile(filepath.Join(dir, "d000", fmt.Sprintf("policy-%05d.json", i)))
		exp, _ := convert.ConvertDocument(raw, opts(model.V1))
		if !bytes.Equal(got, exp.Output) {
			if bytes.Equal(got, raw) {
				c.tree = false
				c.treeNote = "`convert " + c.treeFlag + " " + c.jFlag + " 1 DIR` left the files unchanged."
				return c
			}
			c.treeNote = "`convert " + c.treeFlag + " DIR` rewrites the files, but not as the library does; measured anyway."
		}
	}
	return c
}

func allValidLines(s string) bool {
	for l := range strings.Lines(s) {
		if !json.Valid([]byte(l)) {
			return false
		}
	}
	return true
}

type runResult struct {
	wall           time.Duration
	maxRSS         int64 // bytes
	exit           int
	stdout, stderr string // when captured
	err            string // empty when the run succeeded
}

// run runs the CLI. Empty stdout or stderr paths capture the stream
// (stderr: its last 64 KB); otherwise the stream goes to that file.
func (c *cliInfo) run(args []string, stdout, stderr string) runResult {
	return runCmd(c.path, args, stdout, stderr, false)
}

// okExit reports whether an exit status is success: 0, or 3 for a check
// run (something would change, nothing failed).
func okExit(args []string, exit int) bool {
	return exit == 0 || exit == 3 && slices.Contains(args, "--check")
}

// runCmd runs a command in its own process group (killed as a group on
// timeout). With timeV it runs under /usr/bin/time -v when that exists and
// takes the peak resident memory from its report; otherwise from the
// wait4 rusage of the child, which is where time gets it too.
func runCmd(name string, args []string, stdoutPath, stderrPath string, timeV bool) runResult {
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmdArgs := args
	timeOut := ""
	if timeV {
		if _, err := os.Stat("/usr/bin/time"); err == nil {
			timeOut = filepath.Join(outDir, "time-v.txt")
			cmdArgs = append([]string{"-v", "-o", timeOut, name}, args...)
			name = "/usr/bin/time"
		}
	}
	cmd := exec.CommandContext(ctx, name, cmdArgs...)
	if childEnv != nil {
		cmd.Env = append(os.Environ(), childEnv...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout bytes.Buffer
	stderr := &tail{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	for _, s := range []struct {
		path string
		dst  *io.Writer
	}{{stdoutPath, &cmd.Stdout}, {stderrPath, &cmd.Stderr}} {
		if s.path == "" {
			continue
		}
		f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			fatalf("%v", err)
		}
		defer f.Close()
		*s.dst = f
	}
	start := time.Now()
	err := cmd.Run()
	res := runResult{wall: time.Since(start), stdout: stdout.String(), stderr: stderr.String()}
	if cmd.ProcessState != nil {
		res.exit = cmd.ProcessState.ExitCode()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.maxRSS = int64(ru.Maxrss) << 10 // KiB on Linux and the BSDs
			if runtime.GOOS == "darwin" {
				res.maxRSS = int64(ru.Maxrss) // bytes on macOS
			}
		}
	}
	if timeOut != "" {
		b, _ := os.ReadFile(timeOut)
		os.Remove(timeOut)
		if m := regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`).FindSubmatch(b); m != nil {
			kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
			res.maxRSS = kb << 10
		}
		if m := regexp.MustCompile(`Exit status: (\d+)`).FindSubmatch(b); m != nil {
			res.exit, _ = strconv.Atoi(string(m[1]))
		}
	}
	switch {
	case ctx.Err() != nil:
		res.err = "timed out after " + cliTimeout.String()
	case okExit(args, res.exit):
	case err != nil && cmd.ProcessState == nil:
		res.err = err.Error()
	default:
		res.err = fmt.Sprintf("exit status %d", res.exit)
		if s := lastLines(res.stderr, 2); s != "" {
			res.err += ": " + s
		}
	}
	return res
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}

// tail is a writer that keeps the last max bytes written.
type tail struct {
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	if len(t.buf) > t.max {
		return string(t.buf[len(t.buf)-t.max:])
	}
	return string(t.buf)
}

// ---------------------------------------------------------------- memory

func memory(r *report, beta *corpus, cli *cliInfo) {
	goal := fmt.Sprintf("≤ %d MiB", targetRSS>>20)
	method := "/usr/bin/time -v"
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		method = "the wait4 rusage of the child (install the Debian package time for /usr/bin/time -v)"
	}
	var rows [][]string
	measured := func(what, name string, args []string, stderr string, size int64) runResult {
		waitQuiet()
		u0 := readUsage()
		res := runCmd(name, args, "/dev/null", stderr, true)
		var s sample
		s.add(since(u0).obs(size))
		if res.err != "" {
			rows = append(rows, []string{what, "failed: " + res.err, "", "", ""})
			return res
		}
		rows = append(rows, []string{what, fmt.Sprintf("%.1f s", res.wall.Seconds()),
			f1(float64(size) / res.wall.Seconds() / 1e6), fmt.Sprintf("%.1f MiB", float64(res.maxRSS)/(1<<20)), s.cpu()})
		return res
	}
	cliTarget := func(name string, res runResult) {
		if res.err != "" {
			r.target(name, "the CLI failed: "+res.err, goal, "FAIL")
			return
		}
		r.target(name, fmt.Sprintf("%.1f MiB", float64(res.maxRSS)/(1<<20)), goal, passFail(res.maxRSS <= targetRSS))
	}
	var titles []string

	if *flagBig <= 0 {
		r.target("peak RSS streaming NDJSON, CLI", "not measured (-big 0)", goal, "NOT MEASURED")
	} else {
		label := sizeLabel(*flagBig)
		path := filepath.Join(outDir, fmt.Sprintf("big-%dMiB.ndjson", *flagBig))
		fi := generate(path, func() error { return writeBig(path, beta.buf, int64(*flagBig)<<20) })
		if !*flagKeep {
			defer os.Remove(path)
		}
		titles = append(titles, fmt.Sprintf("a %s NDJSON file (%d bytes)", label, fi.Size()))
		name := "peak RSS streaming a " + label + " NDJSON file, CLI"
		if cli.ndjson {
			progress("CLI streaming %s", path)
			args := cli.baseArgs()
			cliTarget(name, measured("CLI `"+strings.Join(args, " ")+" FILE.ndjson`, output and findings to /dev/null", cli.path, append(args, path), "/dev/null", fi.Size()))
		} else {
			r.target(name, "not measured: "+cli.why("ndjson"), goal, "NOT MEASURED")
		}

		// The library reference: this program in -stream mode, with one
		// Converter between a bufio.Scanner and a bufio.Writer.
		self, err := os.Executable()
		if err != nil {
			fatalf("%v", err)
		}
		progress("library reference streaming %s", path)
		res := measured("library reference: bufio.Scanner → one Converter → bufio.Writer (bench/compare -stream)", self, []string{"-stream", path, "-to", "v1.0"}, "", fi.Size())
		if res.err == "" {
			r.target("peak RSS streaming a "+label+" NDJSON file, library reference (what the CLI could reach)",
				fmt.Sprintf("%.1f MiB", float64(res.maxRSS)/(1<<20)), goal, passFail(res.maxRSS <= targetRSS))
		}
	}

	// A big collection: one Graph list response whose value array holds
	// the corpus's policies, the other streaming input the target names.
	if *flagBigColl <= 0 {
		r.target("peak RSS converting a big collection response, CLI", "not measured (-bigcoll 0)", goal, "NOT MEASURED")
	} else {
		label := sizeLabel(*flagBigColl)
		path := filepath.Join(outDir, fmt.Sprintf("big-%dMiB-collection.json", *flagBigColl))
		fi := generate(path, func() error { return writeBigCollection(path, beta.buf, int64(*flagBigColl)<<20) })
		if !*flagKeep {
			defer os.Remove(path)
		}
		titles = append(titles, fmt.Sprintf("a %s Graph collection response (%d bytes)", label, fi.Size()))
		progress("CLI converting %s", path)
		args := cli.baseArgs()
		cliTarget("peak RSS converting a "+label+" Graph collection response (one JSON document), CLI",
			measured("CLI `"+strings.Join(args, " ")+" FILE.json` on the collection, output and findings to /dev/null", cli.path, append(args, path), "/dev/null", fi.Size()))
	}
	if len(rows) == 0 {
		return
	}
	r.section("## Memory: " + strings.Join(titles, " and ") + ", beta → v1.0\n\n" +
		"Peak resident set size measured with " + method + ". CPU: cores used by the process / by the rest of the machine.\n\n" +
		table([]string{"process", "wall time", "MB/s", "peak RSS", "CPU"}, rows))
}

// generate writes a generated input with write and returns its file info,
// written back to disk before any timing (as for the NDJSON scaling).
func generate(path string, write func() error) os.FileInfo {
	progress("writing %s", path)
	if err := write(); err != nil {
		fatalf("%v", err)
	}
	syscall.Sync()
	fi, err := os.Stat(path)
	if err != nil {
		fatalf("%v", err)
	}
	return fi
}

// sizeLabel names a size in MiB as the reports do (1 GiB, 128 MiB).
func sizeLabel(mib int) string {
	if mib%1024 == 0 {
		return fmt.Sprintf("%d GiB", mib/1024)
	}
	return fmt.Sprintf("%d MiB", mib)
}

// writeBigCollection writes a Graph collection response of about size
// bytes: the NDJSON lines of corpus, repeated, as its value array.
func writeBigCollection(path string, corpus []byte, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageAssignmentPolicies","value":[`)
	n, first := int64(0), true
	for n < size {
		for l := range bytes.Lines(corpus) {
			l = bytes.TrimSpace(l)
			if len(l) == 0 {
				continue
			}
			if n >= size {
				break
			}
			if !first {
				w.WriteByte(',')
			}
			first = false
			w.Write(l)
			n += int64(len(l)) + 1
		}
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeBig(path string, chunk []byte, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for n := int64(0); n < size; n += int64(len(chunk)) {
		if _, err := w.Write(chunk); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// streamMode is the library reference of the memory target: it streams an
// NDJSON file through one Converter to standard output.
func streamMode(path string, to model.Version) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer f.Close()
	cv, err := convert.NewConverter(opts(to))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 256<<10), 64<<20)
	w := bufio.NewWriterSize(os.Stdout, 256<<10)
	lines, failed := 0, 0
	for sc.Scan() {
		l := sc.Bytes()
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		lines++
		res, err := cv.Convert(l)
		if err != nil {
			failed++
			continue
		}
		w.Write(res.Output)
		w.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := w.Flush(); err != nil && !errors.Is(err, syscall.EPIPE) {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Fprintf(os.Stderr, "%d lines, %d failed\n", lines, failed)
	if failed > 0 {
		return 1
	}
	return 0
}

// ---------------------------------------------------------------- profile

// profile writes CPU profiles of the single-core conversion loops and
// adds the top 20 functions of each to the report.
func profile(r *report, beta, v1 *corpus) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	d := max(3**flagTime, 2*time.Second)
	var b strings.Builder
	fmt.Fprintf(&b, "## CPU profiles of the single-core conversion loops (%s each, GOMAXPROCS=1)\n\n", d)
	for _, p := range []struct {
		path string
		c    *corpus
	}{
		{*flagCPUProf, beta},
		{strings.TrimSuffix(*flagCPUProf, ".pprof") + "-v1.0-beta.pprof", v1},
	} {
		progress("profiling %s → %s into %s", p.c.name, p.c.to, p.path)
		f, err := os.Create(p.path)
		if err != nil {
			fatalf("%v", err)
		}
		pass := convertPass(p.c)
		waitQuiet()
		if err := pprof.StartCPUProfile(f); err != nil {
			fatalf("%v", err)
		}
		o := timePasses(p.c.bytes, d, pass)
		pprof.StopCPUProfile()
		f.Close()
		fmt.Fprintf(&b, "### %s → %s (%s MB/s while profiling): `go tool pprof -top -nodecount=20 %s`\n\n", p.c.name, p.c.to, f1(o.mbps), p.path)
		out, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=20", p.path).CombinedOutput()
		if err != nil {
			fmt.Fprintf(&b, "(go tool pprof failed: %v)\n\n", err)
			continue
		}
		b.WriteString("```\n" + strings.TrimSpace(string(out)) + "\n```\n\n")
	}
	b.WriteString("Cumulative view: `go tool pprof -top -cum " + *flagCPUProf + "`; call graph in a browser: `go tool pprof -http=: " + *flagCPUProf + "`.\n")
	r.section(b.String())
}
