package convert

// A random policy generator for the property and fuzz tests. It builds
// policies of either version from the schema facts (model.Schema), starting
// at microsoft.graph.accessPackageAssignmentPolicy, so that a property
// Microsoft adds is generated as soon as the schema facts have it. It is
// deterministic from its random source (math/rand/v2 with a PCG source).
//
// What "valid" means here: model.Validate reports no problem for a
// generated policy but unknown-property for the awkward unknown keys the
// generator sprinkles in on purpose (TestGeneratorValid proves it). Beyond
// the schema, a few values follow the rules the documentation states and the
// converter rightly enforces (propRulesValid checks them): beta strings that
// have value tables take their documented values (in any case), beta counts
// of days and minutes are not negative, accessPackageId and an expanded
// accessPackage's id agree, and v1.0 durations fit beta's Int32 counts.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/apmigrate/apmigrate/model"
)

// JSON trees that keep key order and number literals: nil, bool, string,
// json.Number, []any and genObj.
type genObj []genKV

type genKV struct {
	K string
	V any
}

func (o genObj) get(k string) (any, bool) {
	for _, m := range o {
		if m.K == k {
			return m.V, true
		}
	}
	return nil, false
}

func (o genObj) set(k string, v any) genObj {
	for i := range o {
		if o[i].K == k {
			o[i].V = v
			return o
		}
	}
	return append(o, genKV{k, v})
}

func (o genObj) del(k string) genObj {
	out := o[:0:0]
	for _, m := range o {
		if m.K != k {
			out = append(out, m)
		}
	}
	return out
}

// genClone deep-copies a tree.
func genClone(v any) any {
	switch x := v.(type) {
	case genObj:
		o := make(genObj, len(x))
		for i, m := range x {
			o[i] = genKV{m.K, genClone(m.V)}
		}
		return o
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = genClone(e)
		}
		return a
	}
	return v
}

// genParse parses JSON into a tree (key order and number literals kept).
func genParse(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := genParseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the top-level value")
	}
	return v, nil
}

func genParseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := genObj{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := genParseValue(dec)
				if err != nil {
					return nil, err
				}
				o = append(o, genKV{kt.(string), v})
			}
			_, err := dec.Token()
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := genParseValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token()
			return a, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	}
	return tok, nil
}

// genEncoding says how strings are written.
type genEncoding struct {
	asciiOnly   bool // non-ASCII as \uXXXX (surrogate pairs beyond the BMP)
	escapeSlash bool // "/" as "\/"
	escapeHTML  bool // <, > and & as \u003c, \u003e, \u0026
}

// genWrite writes v as compact JSON.
func genWrite(b *bytes.Buffer, v any, enc genEncoding) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case json.Number:
		b.WriteString(string(x))
	case string:
		genWriteString(b, x, enc)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			genWrite(b, e, enc)
		}
		b.WriteByte(']')
	case genObj:
		b.WriteByte('{')
		for i, m := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			genWriteString(b, m.K, enc)
			b.WriteByte(':')
			genWrite(b, m.V, enc)
		}
		b.WriteByte('}')
	default:
		panic(fmt.Sprintf("genWrite: %T", v))
	}
}

func genWriteString(b *bytes.Buffer, s string, enc genEncoding) {
	const hex = "0123456789abcdef"
	u := func(r rune) {
		b.WriteString(`\u`)
		b.WriteByte(hex[r>>12&15])
		b.WriteByte(hex[r>>8&15])
		b.WriteByte(hex[r>>4&15])
		b.WriteByte(hex[r&15])
	}
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			u(r)
		case r == '/' && enc.escapeSlash:
			b.WriteString(`\/`)
		case (r == '<' || r == '>' || r == '&') && enc.escapeHTML:
			u(r)
		case r >= 0x80 && enc.asciiOnly:
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				u(r1)
				u(r2)
			} else {
				u(r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// genCompact renders a tree as compact JSON with the plain encoding.
func genCompact(v any) []byte {
	var b bytes.Buffer
	genWrite(&b, v, genEncoding{})
	return b.Bytes()
}

// genRender writes a generated tree as a document: compact, or indented with
// two or four spaces or a tab (json.Indent or json.MarshalIndent, which
// also escapes <, > and &), with a random string encoding.
func genRender(r *rand.Rand, v any) []byte {
	enc := genEncoding{asciiOnly: r.IntN(4) == 0, escapeSlash: r.IntN(8) == 0, escapeHTML: r.IntN(4) == 0}
	var b bytes.Buffer
	genWrite(&b, v, enc)
	if r.IntN(3) == 0 {
		return b.Bytes()
	}
	indent := [...]string{"  ", "    ", "\t"}[r.IntN(3)]
	if r.IntN(2) == 0 {
		out, err := json.MarshalIndent(json.RawMessage(b.Bytes()), "", indent)
		if err != nil {
			panic(err)
		}
		return out
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", indent); err != nil {
		panic(err)
	}
	if r.IntN(2) == 0 {
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// Unknown keys with awkward names, which neither schema has anywhere.
var genUnknownKeys = []string{"a.b", "*", "?", "#", "|", `\`, "ключ", "x y", "ünknown", "🔑", `"q"`, "a[0]", "", "$ref"}

// Annotations: keys with '@' that the schema never checks.
var genAnnotationKeys = []string{"@x.y", "@odata.etag", "displayName@x.note", "@a.b.c"}

func genIsUnknownKey(k string) bool {
	for _, u := range genUnknownKeys {
		if u == k {
			return true
		}
	}
	return false
}

// Strings with accents, CJK, emoji, quotes, backslashes and controls.
var genStringParts = []string{
	"Zoë", "café crème", "naïve", "日本語のテキスト", "中文", "한국어", "😀", "👍🏽", "👨‍👩‍👧", `"quoted"`, `back\slash`, `\"`,
	"tab\there", "line\nbreak", "<b>&amp;</b>", "\u2028", "\u00a0", "ключ", "a.b", "/path/x", "Policy", "Sales", " ",
	"P14D", "true", "null", "0", "{}", "[", "\x01", "ÿ", "Ω≈ç√", "\U0001F9EA",
}

// policyGen generates policies of one version.
type policyGen struct {
	r        *rand.Rand
	v        model.Version
	s        *model.SchemaFacts
	maxDepth int
	unknown  float64 // chance of an unknown key in an object
	seen     map[string]int
}

func newPolicyGen(r *rand.Rand, v model.Version) *policyGen {
	return &policyGen{r: r, v: v, s: model.Schema(v), maxDepth: 6, unknown: 0.12, seen: map[string]int{}}
}

// genRand returns the random source of case i of a run with seed.
func genRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(i)*0x9e3779b97f4a7c15+1))
}

// genPolicy generates one policy of version v as a tree.
func genPolicy(r *rand.Rand, v model.Version) genObj {
	g := newPolicyGen(r, v)
	return g.policy()
}

// genPolicyBytes generates one rendered policy.
func genPolicyBytes(r *rand.Rand, v model.Version) []byte {
	return genRender(r, genPolicy(r, v))
}

func (g *policyGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *policyGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *policyGen) policy() genObj {
	o := g.object(g.s.Root, g.s.Root, 0, false)
	if g.chance(0.15) {
		ctx := "https://graph.microsoft.com/" + string(g.v) + "/$metadata#identityGovernance/entitlementManagement/"
		if g.v == model.Beta {
			ctx += "accessPackageAssignmentPolicies/$entity"
		} else {
			ctx += "assignmentPolicies/$entity"
		}
		o = append(genObj{{"@odata.context", ctx}}, o...)
	}
	return g.coherent(o)
}

// object generates an object declared as type declared, of the concrete
// type typeName. nav: reached through a navigation property (an expanded
// entity, kept small).
func (g *policyGen) object(declared, typeName string, depth int, nav bool) genObj {
	t := g.s.Type(typeName)
	g.seen[typeName]++
	props := g.s.AllProperties(typeName)
	var o genObj
	limit := len(props)
	if nav {
		limit = 1 + g.r.IntN(3)
	}
	order := g.r.Perm(len(props))
	if g.chance(0.6) {
		sort.Ints(order) // mostly schema order, sometimes shuffled
	}
	pAbsent := 0.25 + 0.08*float64(depth)
	for _, i := range order {
		if len(o) >= limit {
			break
		}
		p := props[i]
		if p.Navigation && !p.Followed {
			continue
		}
		if g.chance(pAbsent) {
			continue
		}
		v, ok := g.value(t, p, depth)
		if !ok {
			continue
		}
		o = append(o, genKV{p.Name, v})
	}
	// @odata.type: needed for an abstract declared type or a derived type;
	// sometimes written for the declared type itself.
	if typeName != declared || g.s.Type(declared).Abstract || g.chance(0.1) {
		pos := 0
		if g.chance(0.3) {
			pos = g.r.IntN(len(o) + 1)
		}
		name := "#" + typeName
		if g.chance(0.1) {
			name = typeName // the '#' is optional
		}
		o = append(o[:pos], append(genObj{{"@odata.type", name}}, o[pos:]...)...)
	}
	if typeName == "microsoft.graph.expirationPattern" {
		o = g.coherentPattern(o)
	}
	if g.chance(g.unknown) {
		o = g.addUnknown(o, depth)
	}
	if g.chance(g.unknown / 2) {
		k := g.pick(genAnnotationKeys)
		if _, dup := o.get(k); !dup {
			o = append(o, genKV{k, g.anyJSON(depth + 1)})
		}
	}
	return o
}

func (g *policyGen) addUnknown(o genObj, depth int) genObj {
	k := g.pick(genUnknownKeys)
	if _, dup := o.get(k); dup {
		return o
	}
	pos := g.r.IntN(len(o) + 1)
	return append(o[:pos], append(genObj{{k, g.anyJSON(depth + 1)}}, o[pos:]...)...)
}

// value generates the value of property p of type t, or reports that it
// stays absent.
func (g *policyGen) value(t *model.Type, p *model.Property, depth int) (any, bool) {
	complexKind := p.TypeKind == model.KindComplex || p.TypeKind == model.KindEntity
	if complexKind && depth >= g.maxDepth {
		return nil, false
	}
	if p.Nullable && g.chance(0.08) {
		return nil, true
	}
	if !p.Collection {
		return g.element(t, p, depth), true
	}
	n := g.r.IntN(4)
	if g.chance(0.05) {
		n = 4 + g.r.IntN(4)
	}
	if depth >= 3 {
		n = min(n, 2)
	}
	a := make([]any, 0, n)
	for range n {
		if p.Nullable && !complexKind && g.chance(0.03) {
			a = append(a, nil)
			continue
		}
		a = append(a, g.element(t, p, depth))
	}
	return a, true
}

// element generates one non-null value of the type of p.
func (g *policyGen) element(t *model.Type, p *model.Property, depth int) any {
	if vals := g.table(t, p); vals != nil {
		v := g.pick(vals)
		switch {
		case g.chance(0.05):
			v = strings.ToLower(v) // the tables are read case-insensitively
		case g.chance(0.05):
			v = strings.ToUpper(v)
		}
		return v
	}
	switch p.TypeKind {
	case model.KindEnum:
		return g.pick(g.s.Enum(p.Type).MemberNames())
	case model.KindComplex, model.KindEntity:
		concrete := g.s.ConcreteTypes(p.Type)
		expanded := p.Type == "microsoft.graph.accessPackage" || p.Type == "microsoft.graph.accessPackageCatalog"
		return g.object(p.Type, concrete[g.r.IntN(len(concrete))], depth+1, expanded)
	}
	return g.primitive(t, p)
}

// table returns the documented values of a beta string that has a value
// table, or nil.
func (g *policyGen) table(t *model.Type, p *model.Property) []string {
	if g.v != model.Beta || p.Type != "Edm.String" {
		return nil
	}
	if vals := model.BetaValueTable(t.Name, p.Name); vals != nil {
		return vals
	}
	if t.Name == "microsoft.graph.accessPackageCatalog" {
		switch p.Name {
		case "catalogType":
			return []string{"UserManaged", "ServiceDefault", "ServiceManaged"}
		case "catalogStatus":
			return []string{"Published", "Unpublished"}
		}
	}
	return nil
}

// genNonNegative reports beta counts of days and minutes.
func genNonNegative(p *model.Property) bool {
	switch p.Name {
	case "durationInDays", "approvalStageTimeOutInDays", "escalationTimeInMinutes":
		return true
	}
	return false
}

func (g *policyGen) primitive(t *model.Type, p *model.Property) any {
	switch p.Type {
	case "Edm.String":
		return g.str()
	case "Edm.Boolean":
		return g.chance(0.5)
	case "Edm.Int32":
		return json.Number(strconv.FormatInt(g.int32(genNonNegative(p)), 10))
	case "Edm.DateTimeOffset":
		return g.dateTime()
	case "Edm.Date":
		return g.dateTimeValue().Format(time.DateOnly)
	case "Edm.Duration":
		return g.duration()
	}
	panic("generator: no values for " + p.Type + " (" + t.Name + "." + p.Name + ")")
}

func (g *policyGen) int32(nonNeg bool) int64 {
	var n int64
	switch g.r.IntN(8) {
	case 0:
		n = 0
	case 1:
		n = 1
	case 2:
		n = 1<<31 - 1
	case 3:
		n = g.r.Int64N(1 << 31)
	case 4:
		n = -g.r.Int64N(1<<31 + 1)
	default:
		n = g.r.Int64N(400)
	}
	if nonNeg && n < 0 {
		n = -n
		if n > 1<<31-1 {
			n = 1<<31 - 1
		}
	}
	return n
}

func (g *policyGen) str() string {
	switch g.r.IntN(6) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", g.r.Uint32(), g.r.IntN(1<<16), g.r.IntN(1<<16), g.r.IntN(1<<16), g.r.Uint64()&(1<<48-1))
	}
	var b strings.Builder
	for n := 1 + g.r.IntN(4); n > 0; n-- {
		b.WriteString(g.pick(genStringParts))
	}
	return b.String()
}

func (g *policyGen) dateTimeValue() time.Time {
	sec := g.r.Int64N(40 * 365 * 86400)
	return time.Unix(946684800+sec, 0).UTC()
}

func (g *policyGen) dateTime() string {
	t := g.dateTimeValue()
	switch g.r.IntN(4) {
	case 0:
		return t.Add(time.Duration(g.r.IntN(1e9))).Format(time.RFC3339Nano)
	case 1:
		return t.In(time.FixedZone("", (g.r.IntN(27)-12)*3600+g.r.IntN(2)*1800)).Format(time.RFC3339)
	case 2:
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	return t.Format(time.RFC3339)
}

// duration generates a valid ISO 8601 day-time duration (no years, months
// or sign), with at most about 2^31 minutes.
func (g *policyGen) duration() string {
	switch g.r.IntN(12) {
	case 0:
		return "PT0S"
	case 1:
		return fmt.Sprintf("P%dD", g.r.IntN(400))
	case 2:
		return fmt.Sprintf("PT%dH%dM", g.r.IntN(48), 1+g.r.IntN(59))
	case 3:
		return fmt.Sprintf("P%dDT%dH", g.r.IntN(30), 1+g.r.IntN(23))
	case 4:
		return fmt.Sprintf("P%dW", g.r.IntN(60))
	case 5:
		return fmt.Sprintf("PT%dM", g.r.IntN(100000))
	case 6:
		return fmt.Sprintf("PT%dS", g.r.IntN(200000))
	case 7:
		return fmt.Sprintf("PT%d.%dS", g.r.IntN(100), g.r.IntN(1000))
	case 8:
		return fmt.Sprintf("P%dWT%dM", g.r.IntN(5), g.r.IntN(100))
	case 9:
		return fmt.Sprintf("P%dDT%dH%dM%dS", g.r.IntN(10), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60))
	case 10:
		return fmt.Sprintf("PT%dH", g.r.IntN(10000))
	}
	return fmt.Sprintf("P%dD", 1+g.r.IntN(3650))
}

// anyJSON generates arbitrary JSON for unknown keys and annotations, with
// 64-bit and exponent number literals and keys that look like properties.
func (g *policyGen) anyJSON(depth int) any {
	k := g.r.IntN(10)
	if depth > 8 && k >= 7 {
		k = 0
	}
	switch k {
	case 0:
		return g.str()
	case 1:
		return json.Number(g.pick([]string{"9007199254740993", "1e3", "-0", "1.5e-7", "18446744073709551616", "0.1", "-12", "2147483648", "1E+2", "123456789012345678901234567890"}))
	case 2:
		return g.chance(0.5)
	case 3:
		return nil
	case 4, 5, 6:
		return json.Number(strconv.FormatInt(g.r.Int64()-g.r.Int64(), 10))
	case 7, 8:
		var o genObj
		for n := g.r.IntN(4); n > 0; n-- {
			k := g.pick([]string{"id", "@odata.type", "durationInDays", "scopeType", "expiration", "a", "b", "ключ", "a.b", "isBackup", "value"})
			if _, dup := o.get(k); !dup {
				v := g.anyJSON(depth + 1)
				if k == "@odata.type" {
					v = g.pick([]string{"#microsoft.graph.singleUser", "#microsoft.graph.targetManager", "x"})
				}
				o = append(o, genKV{k, v})
			}
		}
		if o == nil {
			o = genObj{}
		}
		return o
	}
	a := []any{}
	for n := g.r.IntN(4); n > 0; n-- {
		a = append(a, g.anyJSON(depth+1))
	}
	return a
}

// coherent applies the rules beyond the schema that the converter rightly
// enforces (see the file comment).
func (g *policyGen) coherent(o genObj) genObj {
	if g.v == model.Beta {
		// accessPackageId and an expanded accessPackage with an id name the
		// same one (and the expanded one mostly has its id).
		if id, ok := o.get("accessPackageId"); ok {
			if ap, ok := o.get("accessPackage"); ok {
				if apo, ok := ap.(genObj); ok {
					if _, hasID := apo.get("id"); hasID || g.chance(0.85) {
						if id == nil {
							o = o.set("accessPackageId", "ap-"+strconv.Itoa(g.r.IntN(100)))
							id, _ = o.get("accessPackageId")
						}
						o = o.set("accessPackage", apo.set("id", id))
					}
				}
			}
		}
		return o
	}
	return o
}

// coherentPattern makes a v1.0 expiration pattern mostly carry the member
// its type needs and only that one.
func (g *policyGen) coherentPattern(o genObj) genObj {
	typ, _ := o.get("type")
	tidy := g.chance(0.85)
	if g.chance(0.1) {
		return o // as it came, perhaps without what its type needs
	}
	switch typ {
	case "afterDuration":
		if d, _ := o.get("duration"); d == nil {
			o = o.set("duration", g.duration())
		}
		if tidy {
			o = o.del("endDateTime")
		}
	case "afterDateTime":
		if d, _ := o.get("endDateTime"); d == nil {
			o = o.set("endDateTime", g.dateTime())
		}
		if tidy {
			o = o.del("duration")
		}
	default:
		if tidy {
			o = o.del("duration").del("endDateTime")
		}
	}
	return o
}

// TestGeneratorValid proves the generator: its policies pass model.Validate
// but for the unknown keys it adds on purpose, are deterministic from the
// seed, and cover every concrete type and enum member of both schemas that
// a policy can hold.
func TestGeneratorValid(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 100
	}
	seed := propSeed()
	for _, v := range model.Versions {
		seen := map[string]int{}
		for i := range n {
			r := genRand(seed, i)
			g := newPolicyGen(r, v)
			doc := genRender(r, g.policy())
			for k, c := range g.seen {
				seen[k] += c
			}
			if !json.Valid(doc) {
				t.Fatalf("seed %d, %s policy %d: not JSON:\n%s", seed, v, i, doc)
			}
			ps, err := model.Validate(doc, v)
			if err != nil {
				t.Fatalf("seed %d, %s policy %d: %v", seed, v, i, err)
			}
			for _, p := range ps {
				if p.Code == model.CodeUnknownProperty {
					var key string
					if err := json.Unmarshal([]byte(p.Found), &key); err == nil && genIsUnknownKey(key) {
						continue
					}
				}
				t.Errorf("seed %d, %s policy %d: %s\n%s", seed, v, i, p, doc)
			}
			if !propRulesValid(doc, v) {
				t.Errorf("seed %d, %s policy %d: breaks a rule beyond the schema:\n%s", seed, v, i, doc)
			}
			again := genPolicyBytes(genRand(seed, i), v)
			if !bytes.Equal(again, doc) {
				t.Fatalf("seed %d, %s policy %d: not deterministic", seed, v, i)
			}
		}
		// Coverage: every concrete type reachable from the policy.
		s := model.Schema(v)
		for _, name := range genReachableConcrete(s) {
			if seen[name] == 0 {
				t.Errorf("%s: %d policies never generated %s", v, n, name)
			}
		}
	}
}

// genReachableConcrete lists the concrete types a policy of s can hold
// (through structural and followed navigation properties).
func genReachableConcrete(s *model.SchemaFacts) []string {
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		for _, c := range s.ConcreteTypes(name) {
			if seen[c] {
				continue
			}
			seen[c] = true
			for _, p := range s.AllProperties(c) {
				if (p.TypeKind == model.KindComplex || p.TypeKind == model.KindEntity) && (!p.Navigation || p.Followed) {
					visit(p.Type)
				}
			}
		}
	}
	visit(s.Root)
	var out []string
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// TestGeneratorRender checks the tree writer and parser against each other
// and encoding/json on awkward strings.
func TestGeneratorRender(t *testing.T) {
	r := genRand(1, 0)
	for i := range 200 {
		g := newPolicyGen(r, model.V1)
		tree := genObj{{"k", g.anyJSON(0)}, {"s", g.str()}}
		doc := genRender(r, tree)
		back, err := genParse(doc)
		if err != nil {
			t.Fatalf("%d: %v\n%s", i, err, doc)
		}
		if !bytes.Equal(genCompact(back), genCompact(tree)) {
			t.Fatalf("%d: the tree does not survive rendering:\n%s", i, doc)
		}
		var x any
		if err := json.Unmarshal(doc, &x); err != nil || !utf8.Valid(doc) {
			t.Fatalf("%d: %v", i, err)
		}
	}
}
