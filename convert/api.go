// Package convert converts Microsoft Graph access package assignment policy
// payloads between the beta and the v1.0 shapes, in both directions.
//
// A conversion reads the payload once and writes it once: members that no
// rule touches are copied as written (key order, white space inside values,
// number literals), members that a rule renames or restructures take the
// place of the member they replace, and every change that is more than a
// rename is reported as a Finding with its JSON path, a stable Code and a
// Severity. A payload already in the target version comes back unchanged.
//
// What each property becomes is decided by one rule registry, which covers
// every property of both versions' schemas; see Codes for the findings.
package convert

import (
	"bytes"
	"errors"
	"strconv"
	"sync"
	"unsafe"

	"github.com/apmigrate/apmigrate/model"
)

// Options control a conversion.
type Options struct {
	// To is the target version. Required.
	To model.Version
	// From, when set, states the source version: an input whose shape is
	// purely the other version is an error (ErrWrongVersion). Mixed and
	// neutral inputs are accepted. Empty means detect.
	From model.Version
	// Name names the input in errors (a file name); optional.
	Name string
	// Strict refuses any conversion with a loss or widening finding.
	Strict bool
	// AllowWidening converts even when a finding widens access (by default
	// such a policy is refused, with ErrRefused).
	AllowWidening bool
	// Stash keeps what the target version cannot hold in the annotation
	// "@apmigrate.stash" on the policy, so that converting back gives the
	// original again. A stashed payload is for storage, not for Graph.
	// Converting a stashed payload back restores it whether or not Stash
	// is set.
	Stash bool
	// StripStash removes stash annotations.
	StripStash bool
	// ForCreate removes what Graph sets itself (id, createdDateTime,
	// modifiedDateTime, createdBy, modifiedBy, @odata.context, @odata.etag,
	// question ids), so that an exported policy can be created (POSTed) again.
	ForCreate bool
	// ExtensionIDs maps old custom extension ids to new ones, applied when
	// customExtensionHandlers become customExtensionStageSettings (and to
	// references to the retired customAccessPackageWorkflowExtension type).
	ExtensionIDs map[string]string
	// NoEvidence leaves the evidence paths out of every Detection: its
	// Shape is still set. Building the paths is about 5% of a conversion,
	// for callers that never read them (the command line sets it).
	NoEvidence bool
	// Jobs is how many goroutines ConvertStream converts the policies of a
	// streamed document with, each with a Converter of its own (0 or 1: the
	// calling goroutine alone). The output, the results and the order of
	// the callbacks are the same whatever Jobs is; the other functions
	// ignore it.
	Jobs int
}

func (o *Options) check() error {
	if !o.To.Valid() {
		return &Error{Name: o.Name, Item: -1, Err: errors.New("options: To must be model.Beta or model.V1"), Found: string(o.To)}
	}
	if o.From != "" && !o.From.Valid() {
		return &Error{Name: o.Name, Item: -1, Err: errors.New("options: From must be empty, model.Beta or model.V1"), Found: string(o.From)}
	}
	if o.Strict && o.AllowWidening {
		return &Error{Name: o.Name, Item: -1, Err: errors.New("options: Strict and AllowWidening exclude each other")}
	}
	if o.Jobs < 0 {
		return &Error{Name: o.Name, Item: -1, Err: errors.New("options: Jobs must not be negative"), Found: strconv.Itoa(o.Jobs)}
	}
	if o.Stash && o.StripStash {
		return &Error{Name: o.Name, Item: -1, Err: errors.New("options: Stash and StripStash exclude each other")}
	}
	return nil
}

// Result is the outcome of converting one policy.
//
// A Result from a Converter's methods lives in the Converter's memory: its
// Output, Findings and Detection are valid until the next call on the same
// Converter, which reuses them, so that converting many policies costs the
// garbage collector next to nothing. Clone copies what is to be kept. The
// package-level functions return Results that are the caller's own, and an
// error is always the caller's own.
type Result struct {
	// Output is the converted policy. When the policy needed no conversion
	// it is the input itself (the same bytes, the same slice).
	Output []byte
	// Detection is the shape of the input and its evidence.
	Detection Detection
	// Findings lists every change beyond a rename, in document order.
	Findings []Finding
	// Changed reports whether Output differs from the input.
	Changed bool
}

// Clone returns a copy of r that shares no memory with a Converter or with
// the input.
func (r Result) Clone() Result {
	r.Output = bytes.Clone(r.Output)
	return r.own()
}

// own copies r's findings and detection (not its Output) out of the
// Converter's memory. Their strings share one allocation: a string apiece
// was most of what copying a result allocated.
func (r Result) own() Result {
	n := findingBytes(r.Findings)
	for _, ps := range [][]string{r.Detection.Beta, r.Detection.V1} {
		for _, p := range ps {
			n += len(p)
		}
	}
	pk := packer{buf: make([]byte, 0, n)}
	if r.Findings != nil {
		r.Findings = pk.findings(append([]Finding(nil), r.Findings...))
	}
	r.Detection.Beta, r.Detection.V1 = pk.addAll(r.Detection.Beta), pk.addAll(r.Detection.V1)
	return r
}

// packer copies strings into one buffer. A string stays valid when the
// buffer grows (it keeps the old array alive); sized right, it never does.
type packer struct{ buf []byte }

func (p *packer) add(s string) string {
	if s == "" {
		return ""
	}
	start := len(p.buf)
	p.buf = append(p.buf, s...)
	return unsafe.String(&p.buf[start], len(s))
}

// addAll copies ps and their strings (nil stays nil).
func (p *packer) addAll(ps []string) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, len(ps))
	for i, s := range ps {
		out[i] = p.add(s)
	}
	return out
}

// findings replaces the strings of fs with copies, in place.
func (p *packer) findings(fs []Finding) []Finding {
	for i := range fs {
		f := &fs[i]
		f.Path, f.TargetPath, f.Message = p.add(f.Path), p.add(f.TargetPath), p.add(f.Message)
	}
	return fs
}

// findingBytes is the length of the strings of fs.
func findingBytes(fs []Finding) int {
	n := 0
	for i := range fs {
		n += len(fs[i].Path) + len(fs[i].TargetPath) + len(fs[i].Message)
	}
	return n
}

// cloneFindings replaces the strings of fs with copies, in place.
func cloneFindings(fs []Finding) []Finding {
	pk := packer{buf: make([]byte, 0, findingBytes(fs))}
	return pk.findings(fs)
}

// Convert converts one policy (a JSON object) to opts.To.
//
// On error the Result still carries the detection and, for ErrRefused, the
// findings; Output is nil.
func Convert(doc []byte, opts Options) (Result, error) {
	cv, err := pooledConverter(opts)
	if err != nil {
		return Result{}, err
	}
	defer releaseConverter(cv)
	res, err := cv.Convert(doc)
	if res.Changed {
		res.Output = bytes.Clone(res.Output)
	}
	return res.own(), err
}

// converters keeps Converters for the package-level functions: a new one
// grows every buffer again, which cost a typical policy 55 KB and 72
// allocations, three times the conversion's own time.
var converters sync.Pool

// pooledConverter returns a Converter for opts from the pool; what it
// returns must be copied out of it (own, Clone) before releaseConverter.
func pooledConverter(opts Options) (*Converter, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	cv, _ := converters.Get().(*Converter)
	if cv == nil {
		cv = new(Converter)
	}
	cv.setOptions(opts)
	return cv, nil
}

// releaseConverter puts cv back in the pool, unless a large document left
// it with buffers that one policy would not need.
func releaseConverter(cv *Converter) {
	if cv.oversized() {
		return
	}
	cv.opts.ExtensionIDs = nil // not kept alive by the pool
	cv.batches = nil
	converters.Put(cv)
}

// oversized reports whether a large document left cv with buffers that
// one policy would not need.
func (cv *Converter) oversized() bool {
	return cap(cv.c.w.buf) > 1<<20 || cap(cv.ends) > 1<<16 || cap(cv.starts) > 1<<14 || tapeCap(cv.tapes) > 1<<12
}

// tapeCap returns how many members the tapes have room for.
func tapeCap(tapes [][]member) int {
	n := 0
	for _, t := range tapes {
		n += cap(t)
	}
	return n
}

// Detect reports the shape of one policy and its evidence.
func Detect(doc []byte) (Detection, error) {
	d := detector{sc: scanner{doc: bytesToString(doc)}}
	start, _, err := rootObject(d.sc.doc, "", -1)
	if err != nil {
		return Detection{}, err
	}
	d.sc.trusted = true // rootObject validated it
	if !d.object(start, policyType) {
		return Detection{}, &Error{Item: -1, Err: d.sc.err}
	}
	d.ev.settle()
	return d.ev, nil
}

// Converter converts many policies with the same options, reusing its
// memory: what Convert and ConvertDocument return is valid until the next
// call on the same Converter (Clone keeps it), and a warm Converter
// allocates nothing per policy. It is not safe for concurrent use; give
// each goroutine its own.
type Converter struct {
	opts    Options
	c       conv
	det     detector
	items   []ItemResult // ConvertDocument's, reused
	ends    []span       // containers of the last validated document
	tapes   [][]member   // the members of its objects (scanner.tapes)
	starts  []uint64     // where they start (scanner.starts)
	below   []uint32
	endsDoc string         // that document
	batches []*streamBatch // ConvertStream's, with Options.Jobs, for reuse
}

// validate checks the whole value at start, recording its containers for
// the trusted scans that follow when the document is not too large.
// depth is the nesting of the value in the whole input (0 for the
// top-level value; a streamed policy's is its array's, see ConvertStream).
func (cv *Converter) validate(s string, start, depth int) (int, *SyntaxError) {
	for i := range cv.tapes {
		cv.tapes[i] = cv.tapes[i][:0]
	}
	sc := scanner{doc: s, ends: cv.ends[:0], record: len(s) <= maxRecorded, tapes: cv.tapes}
	end := sc.skipValue(start, depth)
	cv.ends, cv.tapes, cv.endsDoc = sc.ends, sc.tapes, ""
	if end < 0 {
		return end, sc.err
	}
	if sc.record {
		sc.starts, sc.below = cv.starts, cv.below
		sc.index()
		cv.starts, cv.below, cv.endsDoc = sc.starts, sc.below, s
	}
	return end, nil
}

// trustedScanner returns a trusted scanner of doc, with the container
// table when doc is the document it was made for.
func (cv *Converter) trustedScanner(doc string) scanner {
	sc := scanner{doc: doc, trusted: true}
	if sameDoc(doc, cv.endsDoc) {
		sc.ends, sc.tapes, sc.starts, sc.below = cv.ends, cv.tapes, cv.starts, cv.below
	}
	return sc
}

// NewConverter returns a Converter for opts.
func NewConverter(opts Options) (*Converter, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	cv := new(Converter)
	cv.setOptions(opts)
	return cv, nil
}

// setOptions makes cv convert by opts (checked).
func (cv *Converter) setOptions(opts Options) {
	cv.opts = opts
	cv.c.opts = &cv.opts
	cv.c.d = dirTo(opts.To)
	cv.c.tgtIdx = versionIndex(opts.To)
	cv.c.srcIdx = 1 - cv.c.tgtIdx
}

// Convert converts one policy. The Result is valid until the next call on
// cv (see Result); its Output is the input itself when nothing changed.
func (cv *Converter) Convert(doc []byte) (Result, error) {
	cv.begin()
	s := bytesToString(doc)
	start, end, err := cv.rootObject(s)
	if err != nil {
		return Result{}, err
	}
	cv.c.w.buf = cv.c.w.buf[:0]
	cv.c.w.buf = append(cv.c.w.buf, s[:start]...)
	res, changed, err := cv.convertItem(s, start, end, -1, 1, detectLayout(s))
	if err != nil || !changed {
		res.Output = nil
		if err == nil {
			res.Output = doc
		}
		return res, err
	}
	cv.c.w.buf = append(cv.c.w.buf, s[end:]...)
	res.Output = cv.c.w.buf
	res.Changed = true
	return res, nil
}

// begin starts a call: the memory of the previous call's results is
// taken back.
func (cv *Converter) begin() {
	c := &cv.c
	c.findings = c.findings[:0]
	c.evOut = c.evOut[:0]
	c.ar.reset()
	cv.det.ar.reset()
}

// convertItem converts the policy object doc[start:end] (the members at
// depth depth, in a document laid out as lay), appending the output to the
// writer's buffer. When the policy needs no change it appends nothing and
// reports changed false.
func (cv *Converter) convertItem(doc string, start, end, item, depth int, lay layout) (Result, bool, error) {
	if cv.needsPolicyPass(doc[start:end]) {
		return cv.convertPolicyPass(doc, start, end, item, depth, lay)
	}
	return cv.convertPlain(doc, start, end, item, depth, lay)
}

// convertPlain converts one policy by the registry alone.
func (cv *Converter) convertPlain(doc string, start, end, item, depth int, lay layout) (Result, bool, error) {
	c := &cv.c
	var res Result
	// The document was validated before (Convert, ConvertDocument), so
	// every scan from here on is trusted.
	// Detection first, stopping at the first evidence of the source version.
	d := &cv.det
	stop := c.d.source()
	if cv.opts.From != "" {
		stop = 0 // the whole shape, to hold it against From
	}
	d.reset(cv.trustedScanner(doc), stop)
	if !d.object(start, policyType) {
		return res, false, &Error{Name: cv.opts.Name, Item: item, Err: d.sc.err}
	}
	if cv.opts.From != "" {
		d.ev.settle()
		if d.ev.Shape == Shape(cv.opts.From.Other()) {
			res.Detection = c.handOut(&d.ev)
			return res, false, &Error{Name: cv.opts.Name, Item: item, Err: ErrWrongVersion,
				Expected: "a " + string(cv.opts.From) + " payload (or a mixed one)", Found: "a " + string(res.Detection.Shape) + " payload"}
		}
	}
	if !d.ev.Has(cv.opts.To.Other()) {
		d.ev.settle()
		res.Detection = c.handOut(&d.ev)
		return res, false, nil
	}
	mark := len(c.w.buf)
	c.doc = doc
	c.ar.input = doc
	c.sc = cv.trustedScanner(doc)
	c.w.lay = lay
	c.path, c.tpath = c.path[:0], c.tpath[:0]
	c.item = item
	// Findings collect in the call's slice; this policy's are the ones from
	// here on.
	nf := len(c.findings)
	c.apID = ""
	c.err = nil
	c.evBuf = Detection{Beta: c.evBuf.Beta[:0], V1: c.evBuf.V1[:0]}
	c.ev, c.evSeen = &c.evBuf, 0
	c.objectAt(doc[start:end], start, policyType, depth, depth)
	if cv.opts.NoEvidence {
		res.Detection = Detection{Shape: shapeOf(c.evSeen)}
	} else {
		c.ev.settle()
		res.Detection = c.handOut(c.ev)
	}
	if n := len(c.findings); n > nf {
		res.Findings = c.findings[nf:n:n]
	}
	c.ev = nil
	if c.err != nil {
		c.w.buf = c.w.buf[:mark]
		return res, false, c.err.own()
	}
	if err := cv.policyCheck(res.Findings, item); err != nil {
		c.w.buf = c.w.buf[:mark]
		return res, false, err
	}
	if string(c.w.buf[mark:]) == doc[start:end] {
		// Converted into the same bytes (what the target cannot hold was
		// kept as it was, and reported): Changed says whether the output
		// differs from the input, and a stash stays as it is.
		c.w.buf = c.w.buf[:mark]
		return res, false, nil
	}
	return res, true, nil
}

// handOut returns a settled detection whose paths are in the call's
// evidence slice, so that the buffers it was collected in can be reused
// (its shape alone with Options.NoEvidence).
func (c *conv) handOut(d *Detection) Detection {
	out := Detection{Shape: d.Shape}
	if c.opts.NoEvidence {
		return out
	}
	out.Beta, c.evOut = appendPaths(c.evOut, d.Beta)
	out.V1, c.evOut = appendPaths(c.evOut, d.V1)
	return out
}

// appendPaths appends ps to buf and returns them as a slice of it (nil
// when there are none), and buf.
func appendPaths(buf, ps []string) ([]string, []string) {
	if len(ps) == 0 {
		return nil, buf
	}
	n := len(buf)
	buf = append(buf, ps...)
	return buf[n:len(buf):len(buf)], buf
}

// policyCheck applies the loss policy to a policy's findings.
func (cv *Converter) policyCheck(fs []Finding, item int) error {
	var refused []Finding
	for _, f := range fs {
		if f.Severity == Widening && !cv.opts.AllowWidening || f.Severity == Loss && cv.opts.Strict {
			refused = append(refused, f)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	cloneFindings(refused) // an error is the caller's own
	exp := "no finding that widens access, unless widening is allowed"
	if cv.opts.Strict {
		exp = "no loss or widening finding, in strict mode"
	}
	return &Error{Name: cv.opts.Name, Item: item, Err: ErrRefused, Expected: exp, Findings: refused}
}

// rootObject validates doc, which must hold one object, and returns its
// start and end offsets.
func (cv *Converter) rootObject(doc string) (int, int, error) {
	sc := scanner{doc: doc}
	start := sc.skipSpace(0)
	if start >= len(doc) || doc[start] != '{' {
		_, _, err := rootObject(doc, cv.opts.Name, -1) // its messages for what is not an object
		return 0, 0, err
	}
	end, serr := cv.validate(doc, start, 0)
	if serr != nil {
		return 0, 0, &Error{Name: cv.opts.Name, Item: -1, Err: serr}
	}
	if rest := sc.skipSpace(end); rest < len(doc) {
		sc.fail(rest, "the end of the input after the top-level value")
		return 0, 0, &Error{Name: cv.opts.Name, Item: -1, Err: sc.err}
	}
	return start, end, nil
}

// rootObject finds the top-level object of doc: its start and end offsets.
func rootObject(doc, name string, item int) (int, int, error) {
	sc := scanner{doc: doc}
	start := sc.skipSpace(0)
	if start >= len(doc) || doc[start] != '{' {
		if start < len(doc) && doc[start] != '[' && doc[start] != '"' && !isValueStart(doc[start]) {
			sc.fail(start, "'{' to start a policy object")
			return 0, 0, &Error{Name: name, Item: item, Err: sc.err}
		}
		if start >= len(doc) {
			sc.fail(start, "a JSON object")
			return 0, 0, &Error{Name: name, Item: item, Err: sc.err}
		}
		return 0, 0, &Error{Name: name, Item: item, Err: ErrNotPolicy, Expected: "a JSON object", Found: kindOf(doc[start:])}
	}
	end := sc.skipValue(start, 0)
	if end < 0 {
		return 0, 0, &Error{Name: name, Item: item, Err: sc.err}
	}
	if rest := sc.skipSpace(end); rest < len(doc) {
		sc.fail(rest, "the end of the input after the top-level value")
		return 0, 0, &Error{Name: name, Item: item, Err: sc.err}
	}
	return start, end, nil
}

func isValueStart(c byte) bool {
	return c == '{' || c == '[' || c == '"' || c == 't' || c == 'f' || c == 'n' || c == '-' || '0' <= c && c <= '9'
}

// bytesToString views b as a string without copying. The converter never
// writes to its input, and nothing it returns keeps the view past the call
// except findings and errors, which copy what they keep.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
