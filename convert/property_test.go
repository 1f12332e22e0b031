package convert

// Property tests over generated policies (gen_test.go): for both source
// versions and both targets, with a fixed default seed (-seed overrides it;
// every failure prints the seed, the index and a shrunk input).
//
//   - with AllowWidening every valid policy converts; without it, the only
//     error is a refusal for the widening findings the allowed conversion
//     reports, and the output is otherwise the same;
//   - the output is JSON and passes model.Validate for the target version
//     (but for the unknown properties and the problems the input had);
//   - converting the output again to the same version returns the same bytes
//     and no findings; a policy converted to the version it already is comes
//     back as the same bytes, with no findings;
//   - source → target → source gives the input back, as JSON, except at
//     the paths the findings name (the same excusing logic as the golden
//     tests; Edm.Duration values compare by length: P2W is P14D);
//   - lists and Graph collections convert item by item as the policies do
//     one by one.
//
// Bugs that the generator still hits and that are not fixed yet are listed
// in propKnownBugs: a generated policy one of them matches is left out of the
// random checks (and counted), and each has a reproducer in
// TestKnownBugRegressions, skipped until the engine is fixed. Fixing a bug
// means removing both.

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

var propSeedFlag = flag.Uint64("seed", 0, "seed of the generated policies of the property tests (0: the fixed default)")

const propDefaultSeed = 20240501

func propSeed() uint64 {
	if *propSeedFlag != 0 {
		return *propSeedFlag
	}
	return propDefaultSeed
}

// propCount is the number of generated policies per source and target.
func propCount() int {
	if testing.Short() {
		return 300
	}
	return 2000
}

// propVersionSalt keeps the policies of the two versions apart for one seed.
func propVersionSalt(v model.Version) uint64 {
	if v == model.Beta {
		return 0
	}
	return 1 << 40
}

// propFailure is a property that does not hold: its kind (which property)
// and what was seen.
type propFailure struct {
	kind   string
	sig    string // kind and where: the shrinker keeps it
	msg    string
	detail string // printed for the shrunk input only
}

func propFailf(kind, format string, args ...any) *propFailure {
	return &propFailure{kind: kind, sig: kind, msg: fmt.Sprintf(format, args...)}
}

func (f *propFailure) at(path string) *propFailure {
	f.sig = f.kind + ":" + propWhere(path)
	return f
}

// propWhere names where a failure is for the shrinker, which keeps it while
// it deletes around it: the last two keys of its path, without indexes,
// cut at the first unknown key or annotation (the shrinker may swap one
// for another).
func propWhere(path string) string {
	var keys []string
	for _, seg := range propSplitPath(path) {
		k, ok := seg.(string)
		if !ok {
			continue
		}
		if genIsUnknownKey(k) || strings.Contains(k, "@") && k != "@odata.type" {
			keys = append(keys, "<unknown>")
			break
		}
		keys = append(keys, k)
	}
	if len(keys) > 2 {
		keys = keys[len(keys)-2:]
	}
	return strings.Join(keys, ".")
}

// propSplitPath parses the package's path notation into keys (string) and
// indexes (int).
func propSplitPath(p string) []any {
	var segs []any
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			i++
		case '[':
			if i+1 < len(p) && p[i+1] == '"' {
				j := i + 2
				for j < len(p) && (p[j] != '"' || p[j-1] == '\\' && p[j-2] != '\\') {
					j++
				}
				k, err := strconv.Unquote(p[i+1 : min(j+1, len(p))])
				if err != nil {
					return append(segs, p[i:])
				}
				segs = append(segs, k)
				i = j + 2
			} else {
				j := strings.IndexByte(p[i:], ']')
				if j < 0 {
					return append(segs, p[i:])
				}
				n, _ := strconv.Atoi(p[i+1 : i+j])
				segs = append(segs, n)
				i += j + 1
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

// propKnownBug recognises generated policies that hit a bug not fixed yet.
type propKnownBug struct {
	name  string
	match func(in genObj, from, to model.Version) bool
	stash bool // only with Options.Stash
}

var propKnownBugs = []propKnownBug{}

// propAnyObject reports whether fn holds for an object at path (keys
// joined by dots, indexes left out).
func propAnyObject(in genObj, path string, fn func(genObj) bool) bool {
	found := false
	propWalk(in, "", func(p string, o genObj) {
		if p == path && fn(o) {
			found = true
		}
	})
	return found
}

// propAnyObjectUnder is propAnyObject for the objects at or below path.
func propAnyObjectUnder(in genObj, path string, fn func(genObj) bool) bool {
	found := false
	propWalk(in, "", func(p string, o genObj) {
		if (p == path || strings.HasPrefix(p, path+".")) && fn(o) {
			found = true
		}
	})
	return found
}

func propWalk(v any, path string, fn func(string, genObj)) { propWalkBut(v, path, nil, fn) }

// propWalkBut is propWalk that does not descend into the members whose
// keys skip reports (nil: none).
func propWalkBut(v any, path string, skip func(key string) bool, fn func(string, genObj)) {
	switch x := v.(type) {
	case genObj:
		fn(path, x)
		for _, m := range x {
			if skip != nil && skip(m.K) {
				continue
			}
			p := m.K
			if path != "" {
				p = path + "." + m.K
			}
			propWalkBut(m.V, p, skip, fn)
		}
	case []any:
		for _, e := range x {
			propWalkBut(e, path, skip, fn)
		}
	}
}

// propHasKey reports whether an object of the tree has the key k.
func propHasKey(in genObj, k string) bool {
	found := false
	propWalk(in, "", func(_ string, o genObj) {
		_, ok := o.get(k)
		found = found || ok
	})
	return found
}

// propHasOther reports whether o has a member not in names.
func propHasOther(o genObj, names ...string) bool {
	for _, m := range o {
		known := false
		for _, n := range names {
			known = known || m.K == n
		}
		if !known {
			return true
		}
	}
	return false
}

func propHasAnnotation(o genObj) bool {
	for _, m := range o {
		if strings.Contains(m.K, "@") {
			return true
		}
	}
	return false
}

func propMatchKnownBug(in []byte, from, to model.Version, stash bool) string {
	if len(propKnownBugs) == 0 || *propRunKnown {
		return ""
	}
	tree, err := genParse(in)
	if err != nil {
		return ""
	}
	o, ok := tree.(genObj)
	if !ok {
		return ""
	}
	for _, b := range propKnownBugs {
		if (!b.stash || stash) && b.match(o, from, to) {
			return b.name
		}
	}
	return ""
}

// propInputFacts are what model.Validate says about an input in its own
// version: the unknown keys (by name) and the other problems.
type propInputFacts struct {
	unknown  map[string]bool
	problems map[string]bool
}

func propFactsOf(in []byte, v model.Version) (propInputFacts, error) {
	f := propInputFacts{unknown: map[string]bool{}, problems: map[string]bool{}}
	ps, err := model.Validate(in, v)
	if err != nil {
		return f, err
	}
	for _, p := range ps {
		if p.Code == model.CodeUnknownProperty {
			k, _ := strconv.Unquote(p.Found)
			f.unknown[k] = true
			continue
		}
		f.problems[string(p.Code)+":"+p.Found] = true
	}
	return f, nil
}

// propValidInput reports whether a (shrunk) input is still a generated-like
// policy: nothing but unknown keys wrong with it.
func propValidInput(in []byte, v model.Version) bool {
	f, err := propFactsOf(in, v)
	if err != nil || len(f.problems) > 0 {
		return false
	}
	for k := range f.unknown {
		if !genIsUnknownKey(k) {
			return false
		}
	}
	return true
}

// propRulesValid reports whether a policy follows the rules beyond the
// schema that the generator follows and the converter rightly enforces (see
// gen_test.go): each key once, beta value tables and non-negative counts,
// one access package id, durations without a sign that beta's Int32 counts
// can hold.
func propRulesValid(in []byte, v model.Version) bool {
	tree, err := genParse(in)
	if err != nil {
		return false
	}
	o, ok := tree.(genObj)
	if !ok {
		return false
	}
	good := true
	// Each member once: a JSON object with a key twice is refused.
	propWalk(o, "", func(_ string, obj genObj) {
		seen := map[string]bool{}
		for _, m := range obj {
			good = good && !seen[m.K]
			seen[m.K] = true
		}
	})
	inTable := func(x any, vals []string) bool {
		s, ok := x.(string)
		if !ok {
			return x == nil
		}
		for _, v := range vals {
			if strings.EqualFold(s, v) {
				return true
			}
		}
		return false
	}
	if v == model.Beta {
		tables := map[string][]string{
			"requestorSettings.scopeType":          model.BetaValueTable("microsoft.graph.requestorSettings", "scopeType"),
			"requestApprovalSettings.approvalMode": model.BetaValueTable("microsoft.graph.approvalSettings", "approvalMode"),
			"accessReviewSettings.recurrenceType":  model.BetaValueTable("microsoft.graph.assignmentReviewSettings", "recurrenceType"),
			"accessReviewSettings.reviewerType":    model.BetaValueTable("microsoft.graph.assignmentReviewSettings", "reviewerType"),
			"accessPackageCatalog.catalogType":     {"UserManaged", "ServiceDefault", "ServiceManaged"},
			"accessPackageCatalog.catalogStatus":   {"Published", "Unpublished"},
		}
		propWalkKnown(o, "", func(path string, obj genObj) {
			for _, m := range obj {
				if genIsUnknownKey(m.K) || strings.Contains(m.K, "@") {
					continue
				}
				p := m.K
				if path != "" {
					p = path + "." + m.K
				}
				if vals := tables[p]; vals != nil && !inTable(m.V, vals) {
					good = false
				}
				switch m.K {
				case "durationInDays", "approvalStageTimeOutInDays", "escalationTimeInMinutes":
					if n, ok := m.V.(json.Number); ok && strings.HasPrefix(string(n), "-") && n != "-0" {
						good = false
					}
				}
			}
		})
		id, hasID := o.get("accessPackageId")
		ap, _ := o.get("accessPackage")
		if apo, ok := ap.(genObj); ok && hasID && id != nil {
			if apID, ok := apo.get("id"); ok && apID != id {
				good = false
			}
		}
		return good
	}
	{
		propWalkKnown(o, "", func(_ string, obj genObj) {
			for _, m := range obj {
				if genIsUnknownKey(m.K) || strings.Contains(m.K, "@") {
					continue
				}
				s, ok := m.V.(string)
				if !ok || !strings.HasPrefix(s, "-P") && !strings.HasPrefix(s, "P") {
					continue
				}
				if strings.HasPrefix(s, "-P") {
					good = false
				} else if sec, _, err := parseDuration(s); err == nil && sec/60 > 1<<31-1 {
					good = false
				}
			}
		})
		return good
	}
}

// propWalkKnown is propWalk that does not descend into unknown keys and
// annotations, whose values mean nothing to the converter.
func propWalkKnown(v any, path string, fn func(string, genObj)) {
	propWalkBut(v, path, func(k string) bool { return genIsUnknownKey(k) || strings.Contains(k, "@") }, fn)
}

// propCheckOutput holds out against the target schema.
func propCheckOutput(in, out []byte, from, to model.Version) *propFailure {
	facts, err := propFactsOf(in, from)
	if err != nil {
		return propFailf("input", "the input does not validate: %v", err)
	}
	ps, err := model.Validate(out, to)
	if err != nil {
		return propFailf("invalid-output", "the output does not validate: %v", err)
	}
	var bad []string
	var first string
	for _, p := range ps {
		if p.Code == model.CodeUnknownProperty {
			if k, _ := strconv.Unquote(p.Found); facts.unknown[k] {
				continue
			}
		} else if facts.problems[string(p.Code)+":"+p.Found] {
			continue
		}
		if bad == nil {
			first = string(p.Code) + ":" + p.Path
		}
		bad = append(bad, p.String())
	}
	if len(bad) > 0 {
		return propFailf("invalid-output", "the %s output is not valid:\n\t%s", to, strings.Join(bad, "\n\t")).at(first)
	}
	return nil
}

func propFindings(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("\n\t")
		b.WriteString(f.String())
	}
	return b.String()
}

// propCheck checks every property of one conversion of a generated
// policy of version from to version to.
func propCheck(in []byte, from, to model.Version) *propFailure {
	opts := Options{To: to, AllowWidening: true}
	res, err := Convert(in, opts)
	if err != nil {
		return propFailf("error", "a valid %s policy does not convert to %s with AllowWidening: %v", from, to, err).at(propErrWhere(err))
	}
	if s := res.Detection.Shape; s != Shape(from) && s != ShapeNeutral {
		return propFailf("shape", "a generated %s policy is detected as %s (evidence %v)", from, s, res.Detection)
	}
	if !json.Valid(res.Output) {
		return propFailf("invalid-json", "the output is not JSON:\n%s", res.Output)
	}
	if from == to {
		if res.Changed || !bytes.Equal(res.Output, in) || len(res.Findings) > 0 {
			return propFailf("same-version", "converting a %s policy to %s changed it (changed %v)%s", from, to, res.Changed, propFindings(res.Findings))
		}
		dres, err := ConvertDocument(in, Options{To: to})
		if err != nil || dres.Changed || !bytes.Equal(dres.Output, in) || len(dres.Items) != 1 || dres.Items[0].Err != nil || len(dres.Items[0].Findings) > 0 {
			return propFailf("same-version", "ConvertDocument of a %s policy to %s changed it: %v %+v", from, to, err, dres.Items)
		}
		return nil
	}
	// Without AllowWidening: refused for the widening findings, or the same.
	widening := 0
	for _, f := range res.Findings {
		if f.Severity == Widening {
			widening++
		}
	}
	plain, perr := Convert(in, Options{To: to})
	switch {
	case widening == 0 && perr != nil:
		return propFailf("widening", "converts with AllowWidening without a widening finding, but not without it: %v", perr)
	case widening > 0 && !errors.Is(perr, ErrRefused):
		return propFailf("widening", "%d widening finding(s) but no refusal without AllowWidening: %v%s", widening, perr, propFindings(res.Findings))
	case widening > 0:
		var e *Error
		errors.As(perr, &e)
		if len(e.Findings) != widening {
			return propFailf("widening", "the refusal names %d findings, the conversion reports %d widening ones%s", len(e.Findings), widening, propFindings(e.Findings))
		}
	case !bytes.Equal(plain.Output, res.Output):
		return propFailf("widening", "the output without AllowWidening differs from the one with it")
	}
	if f := propCheckOutput(in, res.Output, from, to); f != nil {
		return f
	}
	// Idempotent.
	again, err := Convert(res.Output, opts)
	if err != nil {
		return propFailf("idempotent", "converting the %s output to %s again: %v\noutput: %s", to, to, err, res.Output)
	}
	if again.Changed || !bytes.Equal(again.Output, res.Output) || len(again.Findings) > 0 {
		return propFailf("idempotent", "converting the %s output again changed it (changed %v)%s\noutput: %s\nagain:  %s", to, again.Changed, propFindings(again.Findings), res.Output, again.Output)
	}
	// Round trip.
	back, err := Convert(res.Output, Options{To: from, AllowWidening: true})
	if err != nil {
		return propFailf("round-trip-error", "converting the %s output back to %s: %v\noutput: %s", to, from, err, res.Output).at(propErrWhere(err))
	}
	if !json.Valid(back.Output) {
		return propFailf("invalid-json", "the round trip output is not JSON:\n%s", back.Output)
	}
	legs := []DocumentResult{
		{Kind: KindPolicy, Items: []ItemResult{{Index: -1, Result: res}}},
		{Kind: KindPolicy, Items: []ItemResult{{Index: -1, Result: back}}},
	}
	excused := excusedPaths(legs...)
	// A move changes the path of a value by design, and a dropped
	// annotation is named where it was.
	for _, leg := range legs {
		for _, f := range leg.Items[0].Findings {
			if f.Code == CodeMoved || f.Code == CodeAnnotationDropped {
				excused = append(excused, f.Path, f.TargetPath)
			}
		}
	}
	a, errA := propDecode(in)
	b, errB := propDecode(back.Output)
	if errA != nil || errB != nil {
		return propFailf("invalid-json", "round trip: %v %v", errA, errB)
	}
	var diffs []propDiff
	for _, d := range propDiffs("", a, b, "lost or changed") {
		if !propExcusedBy(d.path, excused) {
			diffs = append(diffs, d)
		}
	}
	// What the round trip adds: only neutral defaults (a complete PUT body).
	for _, d := range propDiffs("", b, a, "added") {
		if !propExcusedBy(d.path, excused) && !propNeutralDefault(d.desc) {
			diffs = append(diffs, d)
		}
	}
	if len(diffs) > 0 {
		var lines []string
		for _, d := range diffs {
			lines = append(lines, d.String())
		}
		what, _, _ := strings.Cut(diffs[0].desc, ":")
		return &propFailure{kind: "round-trip", sig: "round-trip:" + propWhere(diffs[0].path) + " (" + what + ")",
			msg: fmt.Sprintf("%s → %s → %s changed what no finding names:\n\t%s", from, to, from, strings.Join(lines, "\n\t")),
			detail: fmt.Sprintf("findings there:%s\nfindings back:%s\n%s output: %s\nback: %s",
				propFindings(res.Findings), propFindings(back.Findings), to, res.Output, back.Output)}
	}
	return nil
}

// propNeutralDefault reports whether an "added" diff is a neutral default.
func propNeutralDefault(desc string) bool {
	v, ok := strings.CutPrefix(desc, "added: ")
	if v, ok = strings.CutSuffix(v, " → <nil>"); !ok {
		return false
	}
	switch v {
	case "false", "0", "PT0S", "notSpecified", "noExpiration", "NoSubjects", "noEnd", "[]", "map[]":
		return true
	}
	return false
}

func propErrWhere(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code() + ":" + e.Path
	}
	return ""
}

func propDecode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// propDiff is one difference: its path and what it is.
type propDiff struct{ path, desc string }

func (d propDiff) String() string { return d.path + " (" + d.desc + ")" }

// propDiffs lists the paths where b lacks or changes a leaf of a (null and
// absent are the same; so are two Edm.Duration strings of the same length).
func propDiffs(path string, a, b any, what string) []propDiff {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if b == nil {
			bv, ok = map[string]any{}, true
		}
		if !ok {
			return []propDiff{{path, "an object " + what}}
		}
		keys := make([]string, 0, len(av))
		for k := range av {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []propDiff
		for _, k := range keys {
			if k == "@odata.context" {
				continue // rewritten to the target version by design
			}
			out = append(out, propDiffs(model.JoinPath(path, k), av[k], bv[k], what)...)
		}
		return out
	case []any:
		bv, ok := b.([]any)
		if b == nil {
			bv, ok = []any{}, true
		}
		if !ok {
			return []propDiff{{path, "an array " + what}}
		}
		var out []propDiff
		for i := range av {
			var bi any
			if i < len(bv) {
				bi = bv[i]
			}
			out = append(out, propDiffs(fmt.Sprintf("%s[%d]", path, i), av[i], bi, what)...)
		}
		return out
	}
	if a == nil {
		return nil // nothing to lose
	}
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok && propSameDuration(sa, sb) {
			return nil
		}
	}
	if propSameNumber(a, b) {
		return nil
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		return []propDiff{{path, fmt.Sprintf("%s: %v → %v", what, a, b)}}
	}
	return nil
}

// propExcusedBy is golden_test.go's excusedBy for a path (whose keys may
// hold spaces).
func propExcusedBy(p string, excused []string) bool {
	for _, e := range excused {
		if e == "" {
			continue
		}
		if strings.HasPrefix(p, e) || strings.HasPrefix(indexRE.ReplaceAllString(p, "[]"), indexRE.ReplaceAllString(e, "[]")) {
			return true
		}
	}
	return false
}

// propSameNumber reports whether a and b are numbers of the same value
// (-0 and 0, 1e3 and 1000).
func propSameNumber(a, b any) bool {
	na, ok := a.(json.Number)
	nb, ok2 := b.(json.Number)
	if !ok || !ok2 {
		return false
	}
	ra, okA := new(big.Rat).SetString(string(na))
	rb, okB := new(big.Rat).SetString(string(nb))
	return okA && okB && ra.Cmp(rb) == 0
}

func propSameDuration(a, b string) bool {
	if !strings.HasPrefix(a, "P") || !strings.HasPrefix(b, "P") {
		return false
	}
	sa, na, ea := parseDuration(a)
	sb, nb, eb := parseDuration(b)
	return ea == nil && eb == nil && sa == sb && na == nb
}

// propShrink reduces a failing input: it deletes object members and array
// elements and replaces values by propSimpler ones while the input stays valid
// and fails with the same kind, trying at most budget candidates. It
// returns the smallest failing input, compact unless only an indented one
// fails.
func propShrink(in []byte, v model.Version, sig string, check func([]byte) *propFailure, budget int) []byte {
	tree, err := genParse(in)
	if err != nil {
		return in
	}
	fails := func(b []byte) bool {
		if !propValidInput(b, v) {
			return false
		}
		f := check(b)
		return f != nil && f.sig == sig
	}
	// The layout: compact if that fails too, else the first indentation
	// that does.
	renderAs := func(t any) []byte { return genCompact(t) }
	if !fails(genCompact(tree)) {
		found := false
		for _, ind := range []string{"\t", "  ", "    "} {
			var b bytes.Buffer
			json.Indent(&b, genCompact(tree), "", ind)
			if fails(b.Bytes()) {
				renderAs = func(t any) []byte {
					var b bytes.Buffer
					json.Indent(&b, genCompact(t), "", ind)
					return b.Bytes()
				}
				found = true
				break
			}
		}
		if !found {
			return in
		}
	}
	best := tree
	attempts := 0
	for attempts < budget {
		improved := false
		propShrinkCandidates(best, true, func(c any) bool {
			attempts++
			if attempts > budget {
				return true
			}
			if fails(renderAs(c)) {
				best, improved = c, true
				return true
			}
			return false
		})
		if !improved {
			break
		}
	}
	return renderAs(best)
}

// propShrinkCandidates offers propSimpler versions of v to emit, simplest first,
// until emit returns true.
func propShrinkCandidates(v any, root bool, emit func(any) bool) bool {
	if !root {
		for _, s := range propSimpler(v) {
			if emit(s) {
				return true
			}
		}
	}
	switch x := v.(type) {
	case genObj:
		for i := range x {
			c := append(append(genObj{}, x[:i]...), x[i+1:]...)
			if emit(c) {
				return true
			}
		}
		for i := range x {
			if propShrinkCandidates(x[i].V, false, func(nv any) bool {
				c := append(genObj{}, x...)
				c[i] = genKV{x[i].K, nv}
				return emit(c)
			}) {
				return true
			}
		}
	case []any:
		for i := range x {
			c := append(append([]any{}, x[:i]...), x[i+1:]...)
			if emit(c) {
				return true
			}
		}
		for i := range x {
			if propShrinkCandidates(x[i], false, func(nv any) bool {
				c := append([]any{}, x...)
				c[i] = nv
				return emit(c)
			}) {
				return true
			}
		}
	}
	return false
}

func propSimpler(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case genObj:
		if len(x) > 0 {
			return []any{nil, genObj{}}
		}
	case []any:
		if len(x) > 0 {
			return []any{nil, []any{}}
		}
	case string:
		if x != "" && x != "a" {
			return []any{nil, "", "a"}
		}
	case json.Number:
		if x != "0" && x != "1" {
			return []any{nil, json.Number("0"), json.Number("1")}
		}
	case bool:
		if x {
			return []any{nil, false}
		}
	}
	return []any{nil}
}

// propReport shrinks and reports a failing generated policy.
func propReport(t *testing.T, seed uint64, i int, in []byte, from model.Version, f *propFailure, check func([]byte) *propFailure) {
	t.Helper()
	small := propShrink(in, from, f.sig, check, 3000)
	var fs *propFailure
	if !bytes.Equal(small, in) {
		fs = check(small)
	}
	msg := fmt.Sprintf("seed %d, %s policy %d (go test ./convert -run '%s' -seed %d): %s: %s\nshrunk input (%d bytes from %d):\n%s",
		seed, from, i, t.Name(), seed, f.sig, f.msg, len(small), len(in), small)
	if fs == nil {
		fs = f
	}
	msg += "\nwhich fails so: " + fs.msg
	if fs.detail != "" {
		msg += "\n" + fs.detail
	}
	t.Error(msg)
}

// TestPropertyConvert runs propCheck over generated policies of both
// versions to both versions.
func TestPropertyConvert(t *testing.T) {
	seed := propSeed()
	n := propCount()
	for _, from := range model.Versions {
		for _, to := range model.Versions {
			t.Run(string(from)+"-to-"+string(to), func(t *testing.T) {
				t.Parallel()
				known := map[string]int{}
				failures := map[string]int{}
				for i := range n {
					r := genRand(seed^propVersionSalt(from), i)
					in := genPolicyBytes(r, from)
					if b := propMatchKnownBug(in, from, to, false); b != "" {
						known[b]++
						continue
					}
					check := func(b []byte) *propFailure { return propCheck(b, from, to) }
					f := check(in)
					if f == nil {
						continue
					}
					failures[f.sig]++
					if failures[f.sig] <= 1 {
						propReport(t, seed, i, in, from, f, check)
					}
				}
				for k, c := range failures {
					t.Errorf("seed %d: %d of %d %s policies failed %s", seed, c, n, from, k)
				}
				for b, c := range known {
					t.Logf("%d of %d policies left out for the known bug %q", c, n, b)
				}
			})
		}
	}
}

// TestPropertyDocuments converts lists and Graph collections of generated
// policies (of both versions, mixed) and compares each item with the policy
// converted alone.
func TestPropertyDocuments(t *testing.T) {
	seed := propSeed()
	n := propCount() / 10
	for _, to := range model.Versions {
		for _, widen := range []bool{true, false} {
			t.Run(fmt.Sprintf("to-%s/widening-%v", to, widen), func(t *testing.T) {
				t.Parallel()
				opts := Options{To: to, AllowWidening: widen}
				fails := 0
				for i := range n {
					r := genRand(seed^0xd0c, i)
					k := 1 + r.IntN(5)
					var items [][]byte
					for range k {
						v := model.Versions[r.IntN(2)]
						items = append(items, genRender(r, genPolicy(r, v)))
					}
					doc, kind := propDocumentOf(r, items, to)
					if f := propCheckDocument(doc, kind, items, opts); f != nil {
						fails++
						if fails <= 3 {
							t.Errorf("seed %d, document %d (%s of %d policies, to %s, AllowWidening %v): %s\ndocument: %s", seed, i, kind, k, to, widen, f.msg, doc)
						}
					}
				}
				if fails > 0 {
					t.Errorf("seed %d: %d of %d documents failed", seed, fails, n)
				}
			})
		}
	}
}

// propDocumentOf wraps policies into a list or a Graph collection.
func propDocumentOf(r *rand.Rand, items [][]byte, to model.Version) ([]byte, Kind) {
	var b bytes.Buffer
	sep := [...]string{",", ", ", ",\n", "\n,\n  "}[r.IntN(4)]
	list := func() {
		b.WriteString("[")
		for i, it := range items {
			if i > 0 {
				b.WriteString(sep)
			}
			b.Write(it)
		}
		b.WriteString("]")
	}
	if r.IntN(2) == 0 {
		list()
		return b.Bytes(), KindList
	}
	v := model.Versions[r.IntN(2)]
	set := "accessPackageAssignmentPolicies"
	if v == model.V1 {
		set = "assignmentPolicies"
	}
	fmt.Fprintf(&b, `{"@odata.context": "https://graph.microsoft.com/%s/$metadata#identityGovernance/entitlementManagement/%s", "value": `, v, set)
	list()
	if r.IntN(2) == 0 {
		b.WriteString(`, "@odata.nextLink": "https://graph.microsoft.com/` + string(v) + `/identityGovernance/entitlementManagement/` + set + `?$skiptoken=ключ"`)
	}
	b.WriteString("}")
	return b.Bytes(), KindCollection
}

// propCheckDocument compares a document's conversion with its items'.
func propCheckDocument(doc []byte, kind Kind, items [][]byte, opts Options) *propFailure {
	dres, err := ConvertDocument(doc, opts)
	if err != nil {
		return propFailf("document", "the document does not convert: %v", err)
	}
	if dres.Kind != kind {
		return propFailf("document", "read as a %s, want a %s", dres.Kind, kind)
	}
	if !json.Valid(dres.Output) {
		return propFailf("document", "the output is not JSON:\n%s", dres.Output)
	}
	if len(dres.Items) != len(items) {
		return propFailf("document", "%d items, want %d", len(dres.Items), len(items))
	}
	var outs []json.RawMessage
	if kind == KindList {
		if err := json.Unmarshal(dres.Output, &outs); err != nil {
			return propFailf("document", "the output is not a list: %v", err)
		}
	} else {
		var c struct{ Value []json.RawMessage }
		if err := json.Unmarshal(dres.Output, &c); err != nil {
			return propFailf("document", "the output is not a collection: %v", err)
		}
		outs = c.Value
	}
	j := 0
	anyChanged := false
	for i, it := range items {
		one, oerr := Convert(it, opts)
		got := dres.Items[i]
		if got.Index != i {
			return propFailf("document", "item %d has index %d", i, got.Index)
		}
		if (oerr == nil) != (got.Err == nil) || oerr != nil && errCode(oerr) != errCode(got.Err) {
			return propFailf("document", "item %d: error %v, alone %v", i, got.Err, oerr)
		}
		if len(one.Findings) != len(got.Findings) {
			return propFailf("document", "item %d: findings%s\nalone:%s", i, propFindings(got.Findings), propFindings(one.Findings))
		}
		for k := range one.Findings {
			a, b := one.Findings[k], got.Findings[k]
			a.Item = i
			if a != b {
				return propFailf("document", "item %d: finding %v, alone %v", i, b, a)
			}
		}
		if one.Detection.Shape != got.Detection.Shape {
			return propFailf("document", "item %d: shape %s, alone %s", i, got.Detection.Shape, one.Detection.Shape)
		}
		if oerr != nil {
			anyChanged = true
			continue // left out of the output
		}
		if one.Changed {
			anyChanged = true
		}
		if j >= len(outs) {
			return propFailf("document", "item %d missing from the output", i)
		}
		var ca, cb bytes.Buffer
		json.Compact(&ca, one.Output)
		json.Compact(&cb, outs[j])
		if !bytes.Equal(ca.Bytes(), cb.Bytes()) {
			return propFailf("document", "item %d differs from the policy converted alone:\nin the document: %s\nalone:           %s", i, cb.Bytes(), ca.Bytes())
		}
		j++
	}
	if j != len(outs) {
		return propFailf("document", "%d policies in the output, want %d", len(outs), j)
	}
	if !anyChanged && (dres.Changed || !bytes.Equal(dres.Output, doc)) {
		return propFailf("document", "no policy changed, but the document did")
	}
	return nil
}

// propKnownBugCase is a reproducer of a bug not fixed yet.
type propKnownBugCase struct {
	name     string
	in       string
	from, to model.Version
	check    string // "convert" (propCheck), "stash" (propCheckStash) or "fuzz" (fuzzConvert: the input need not be valid)
	want     string // for "fuzz": what the output must hold too ("!…": must not hold)
}

var propKnownBugCases = []propKnownBugCase{}

var propRunKnown = flag.Bool("knownbugs", false, "run the known-bug reproducers of TestKnownBugRegressions instead of skipping them, and leave no generated policy out for a known bug")

// TestKnownBugRegressions runs the reproducers of known bugs through the
// same checks as the generated policies; each is skipped until its bug is
// fixed.
func TestKnownBugRegressions(t *testing.T) {
	for _, c := range propKnownBugCases {
		t.Run(c.name, func(t *testing.T) {
			if !*propRunKnown {
				t.Skip("known bug: " + c.name)
			}
			if c.check == "fuzz" {
				fuzzConvert(t, []byte(c.in), c.to)
				// Refusing the input is a fix too.
				if res, err := Convert([]byte(c.in), Options{To: c.to, AllowWidening: true}); err == nil {
					if not, ok := strings.CutPrefix(c.want, "!"); ok && bytes.Contains(res.Output, []byte(not)) {
						t.Errorf("the output holds %s:\n%s", not, res.Output)
					} else if !ok && !bytes.Contains(res.Output, []byte(c.want)) {
						t.Errorf("the output does not hold %s:\n%s", c.want, res.Output)
					}
				}
				return
			}
			if !propValidInput([]byte(c.in), c.from) {
				t.Fatalf("the reproducer is not a valid %s policy", c.from)
			}
			f := propCheck([]byte(c.in), c.from, c.to)
			if c.check == "stash" {
				if f = propCheckStash([]byte(c.in), c.from, c.to, "✎ edited"); f != nil && f.kind == "stashed" {
					f = nil
				}
			}
			if f != nil {
				t.Errorf("%s: %s\n%s", f.kind, f.msg, f.detail)
			}
		})
	}
}

// TestPropertyStash checks lossless round trips through the stash: with
// Stash both ways, source → target → source gives the input back, JSON-equal
// in full; the stashed output is valid for the target, converts to the
// target again unchanged, and survives reformatting; and once a visible
// value is edited, converting back ignores the stash with a finding and
// gives what the edited policy gives without it.
func TestPropertyStash(t *testing.T) {
	seed := propSeed()
	n := propCount() * 3 / 10 // a stash round trip costs four conversions and more
	for _, from := range model.Versions {
		to := from.Other()
		t.Run(string(from)+"-to-"+string(to), func(t *testing.T) {
			t.Parallel()
			known := map[string]int{}
			failures := map[string]int{}
			stashed := 0
			for i := range n {
				r := genRand(seed^propVersionSalt(from)^0x57a5, i)
				in := genPolicyBytes(r, from)
				if b := propMatchKnownBug(in, from, to, true); b != "" {
					known[b]++
					continue
				}
				edit := fmt.Sprintf("✎ edited %d", r.IntN(1000))
				check := func(b []byte) *propFailure { return propCheckStash(b, from, to, edit) }
				f := check(in)
				if f == nil {
					if bytes.Contains(in, []byte(StashKey)) {
						t.Fatalf("a generated policy holds %s", StashKey)
					}
					continue
				}
				if f.kind == "stashed" {
					stashed++
					continue
				}
				failures[f.sig]++
				if failures[f.sig] <= 1 {
					propReport(t, seed, i, in, from, f, check)
				}
			}
			for k, c := range failures {
				t.Errorf("seed %d: %d of %d %s policies failed %s", seed, c, n, from, k)
			}
			for b, c := range known {
				t.Logf("%d of %d policies left out for the known bug %q", c, n, b)
			}
			t.Logf("%d of %d policies had a stash, and were edited", stashed, n)
		})
	}
}

// propCheckStash checks the stash properties of one policy. A nil result
// means nothing was stashed; a "stashed" kind, that everything held.
func propCheckStash(in []byte, from, to model.Version, edit string) *propFailure {
	opts := Options{To: to, Stash: true, AllowWidening: true}
	res, err := Convert(in, opts)
	if err != nil {
		return propFailf("stash-error", "a valid %s policy does not convert to %s with Stash: %v", from, to, err).at(propErrWhere(err))
	}
	if !json.Valid(res.Output) {
		return propFailf("invalid-json", "the stashed output is not JSON:\n%s", res.Output)
	}
	if f := propCheckOutput(in, res.Output, from, to); f != nil {
		f.kind, f.sig = "stash-"+f.kind, "stash-"+f.sig
		return f
	}
	again, err := Convert(res.Output, opts)
	if err != nil || again.Changed || !bytes.Equal(again.Output, res.Output) || len(again.Findings) > 0 {
		return propFailf("stash-idempotent", "converting the stashed %s output to %s again changed it: %v%s\noutput: %s", to, to, err, propFindings(again.Findings), res.Output)
	}
	backOpts := Options{To: from, Stash: true, AllowWidening: true}
	want, _ := propDecode(in)
	for _, layout := range []string{"as written", "reformatted"} {
		out := res.Output
		if layout == "reformatted" {
			tree, err := genParse(out)
			if err != nil {
				return propFailf("stash-error", "the stashed output does not parse: %v", err)
			}
			out = genCompact(tree)
			if bytes.Equal(out, res.Output) {
				var b bytes.Buffer
				json.Indent(&b, out, "", "\t")
				out = b.Bytes()
			}
		}
		back, err := Convert(out, backOpts)
		if err != nil {
			return propFailf("stash-back-error", "converting the stashed output (%s) back to %s: %v\noutput: %s", layout, from, err, out).at(propErrWhere(err))
		}
		got, err := propDecode(back.Output)
		if err != nil {
			return propFailf("invalid-json", "the stash round trip output is not JSON:\n%s", back.Output)
		}
		if len(propStrictDiffs("", want, got))+len(propStrictDiffs("", got, want)) > 0 {
			var lines []string
			for _, d := range append(propStrictDiffs("", want, got), propStrictDiffs("", got, want)...) {
				lines = append(lines, d.String())
			}
			sig := "stash-round-trip"
			if len(lines) > 0 {
				sig += ":" + propWhere(propStrictDiffs("", want, got)[0].path)
			}
			return &propFailure{kind: "stash-round-trip", sig: sig,
				msg: fmt.Sprintf("%s → %s → %s with Stash (%s) is not the input:\n\t%s", from, to, from, layout, strings.Join(lines, "\n\t")),
				detail: fmt.Sprintf("findings there:%s\nfindings back:%s\nstashed output: %s\nback: %s",
					propFindings(res.Findings), propFindings(back.Findings), out, back.Output)}
		}
	}
	if !bytes.Contains(res.Output, []byte(StashKey)) {
		return nil
	}
	// Edit a visible value: the stash no longer applies.
	tree, err := genParse(res.Output)
	if err != nil {
		return propFailf("stash-error", "the stashed output does not parse: %v", err)
	}
	edited := tree.(genObj).set("displayName", edit)
	editedOut := genCompact(edited)
	plainIn := genCompact(edited.del(StashKey))
	back, err := Convert(editedOut, backOpts)
	plain, perr := Convert(plainIn, backOpts)
	if (err == nil) != (perr == nil) {
		return propFailf("stash-edited", "an edited stashed policy converts back with error %v, without its stash with %v", err, perr)
	}
	if err != nil {
		return &propFailure{kind: "stashed", sig: "stashed"}
	}
	if len(back.Findings) == 0 || back.Findings[0].Code != CodeStashIgnored {
		return propFailf("stash-edited", "converting an edited stashed policy back does not start with a stash-ignored finding:%s", propFindings(back.Findings))
	}
	for _, f := range back.Findings[1:] {
		if f.Code == CodeStashRestored || f.Code == CodeStashIgnored {
			return propFailf("stash-edited", "converting an edited stashed policy back reports%s", propFindings(back.Findings))
		}
	}
	// What is left is the conversion of the visible values, with a new
	// stash for the way back.
	a, _ := propDecode(back.Output)
	b, _ := propDecode(plain.Output)
	for _, m := range []any{a, b} {
		if o, ok := m.(map[string]any); ok {
			if st, ok := o[StashKey].(map[string]any); ok {
				if st["version"] != string(to) {
					return propFailf("stash-edited", "the output keeps a %v stash:\n%s", st["version"], back.Output)
				}
				delete(st, "digest") // of what was converted, which the edit changed
			}
		}
	}
	if len(propStrictDiffs("", b, a))+len(propStrictDiffs("", a, b)) > 0 {
		var lines []string
		for _, d := range append(propStrictDiffs("", b, a), propStrictDiffs("", a, b)...) {
			lines = append(lines, d.String())
		}
		return propFailf("stash-edited", "an edited stashed policy converts back otherwise than without its stash:\n\t%s\nedited: %s\nback: %s\nwithout the stash: %s",
			strings.Join(lines, "\n\t"), editedOut, back.Output, plain.Output)
	}
	if len(back.Findings)-1 != len(plain.Findings) {
		return propFailf("stash-edited", "an edited stashed policy converts back with other findings than without its stash:%s\nwithout:%s", propFindings(back.Findings), propFindings(plain.Findings))
	}
	return &propFailure{kind: "stashed", sig: "stashed"}
}

// propStrictDiffs lists where b lacks or changes a value of a, null and
// absent apart.
func propStrictDiffs(path string, a, b any) []propDiff {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return []propDiff{{path, fmt.Sprintf("%v → %v", a, b)}}
		}
		keys := make([]string, 0, len(av))
		for k := range av {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []propDiff
		for _, k := range keys {
			bx, ok := bv[k]
			if !ok {
				out = append(out, propDiff{model.JoinPath(path, k), fmt.Sprintf("%v → absent", av[k])})
				continue
			}
			out = append(out, propStrictDiffs(model.JoinPath(path, k), av[k], bx)...)
		}
		return out
	case []any:
		bv, ok := b.([]any)
		if !ok || len(bv) != len(av) {
			return []propDiff{{path, fmt.Sprintf("%v → %v", a, b)}}
		}
		var out []propDiff
		for i := range av {
			out = append(out, propStrictDiffs(fmt.Sprintf("%s[%d]", path, i), av[i], bv[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(a, b) && !propSameNumber(a, b) {
		return []propDiff{{path, fmt.Sprintf("%v → %v", a, b)}}
	}
	return nil
}
