package convert

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// policyToV1Reads places the members policyToV1 reads together (gather).
func policyToV1Reads(key string) int {
	switch key {
	case "durationInDays":
		return 0
	case "expirationDateTime":
		return 1
	case "expiration":
		return 2
	case "accessPackage":
		return 3
	case "canExtend":
		return 4
	case "allowedTargetScope":
		return 5
	case "specificAllowedTargets":
		return 6
	case "customExtensionHandlers":
		return 7
	case "customExtensionStageSettings":
		return 8
	}
	return -1
}

// policyToV1 converts the policy object from beta to v1.0.
func policyToV1(c *conv, f *frame) {
	o := f.src
	var in [9]*member
	o.gather(policyToV1Reads, in[:])
	dur, expDT, exp, ap, canExtend, scope, targets, handlers, settings := in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8]
	expDone, reqDone := false, false
	c.walk(f, func(i int, m *member) bool {
		first := i == 0
		switch m.key {
		case "durationInDays", "expirationDateTime":
			if !expDone {
				expDone = true
				c.expirationToV1(f, m, first, dur, expDT, exp)
			}
			return true
		case "accessPackageId":
			if ap != nil && ap.val == "null" {
				c.accessPackageIDToV1(f, m, first, nil)
			} else {
				c.accessPackageIDToV1(f, m, first, ap)
			}
			return true
		case "accessPackage":
			if m.val == "null" && o.get("accessPackageId") != nil {
				c.find(CodeDuplicateDropped, c.at(m.key), "accessPackage", "a null reference next to accessPackageId, which gives the reference; dropped")
				return true
			}
			if c.apID != "" && m.val[0] == '{' {
				id := c.apID
				c.apID = ""
				n, tn := c.push(m.key, m.key)
				f.ow.key(m, first, "")
				ap := c.scanObj(m.val, m.off)
				fr := c.newFrame()
				*fr = frame{t: accessPackageType, src: ap, srcDepth: f.srcDepth + 1, outDepth: f.outDepth + 1}
				fr.ow = c.w.beginObject(ap, fr.outDepth, fr.shift())
				fr.ow.newKey("id")
				c.w.raw(id, 0)
				c.walk(fr, nil)
				fr.ow.end()
				c.frames = append(c.frames, fr)
				c.freeObject(ap)
				c.pop(n, tn)
				return true
			}
		case "canExtend":
			return true // becomes requestorSettings.enableTargetsToSelfUpdateAccess
		case "requestorSettings":
			reqDone = true
			c.requestorsToV1(f, m, first, canExtend, scope, targets)
			return true
		case "verifiableCredentialSettings":
			c.credentialsDropped(m)
			return true
		case "customExtensionHandlers":
			if settings == nil {
				c.handlersToV1(f, m, first, nil)
			} else if isEmptyValue(m.val) {
				c.find(CodeEmptySettingDropped, c.at(m.key), "", "an empty list next to customExtensionStageSettings; dropped")
			}
			return true
		case "customExtensionStageSettings":
			if handlers != nil && !isEmptyValue(handlers.val) {
				c.handlersToV1(f, m, first, handlers)
			} else if m.val != "null" && m.val[0] == '[' {
				c.handlersToV1(f, m, first, nil)
			} else {
				return false
			}
			return true
		}
		return false
	})
	if c.failed() {
		return
	}
	// A complete PUT body (decision 6).
	if !expDone && exp == nil {
		f.ow.newKey("expiration")
		c.expirationObject("noExpiration", "", "", f.outDepth+1)
		c.find(CodeDefaultFilled, "", "expiration", "no durationInDays or expirationDateTime: expiration {type: noExpiration}")
	}
	if !reqDone {
		c.requestorsToV1(f, nil, false, canExtend, scope, targets)
	}
}

// expirationObject writes a new expiration pattern.
func (c *conv) expirationObject(typ, durationISO, endRaw string, depth int) {
	ow := c.w.beginObject(nil, depth, 0)
	ow.newKey("type")
	c.w.str(typ)
	switch {
	case durationISO != "":
		ow.newKey("duration")
		c.w.str(durationISO)
	case endRaw != "":
		ow.newKey("endDateTime")
		c.w.raw(endRaw, 0)
	}
	ow.end()
}

// expirationToV1 writes expiration from durationInDays and
// expirationDateTime (decision 10), at the place of the first of them.
func (c *conv) expirationToV1(f *frame, m *member, first bool, dur, expDT, exp *member) {
	days, hasDays := c.intOf(dur)
	if c.failed() || hasDays && !c.nonNegative(dur, days) {
		return
	}
	var date string
	hasDate := expDT != nil && expDT.val != "null"
	if hasDate {
		if _, ok := c.strOf(expDT); !ok {
			return
		}
		date = expDT.val
	}
	typ, iso := "noExpiration", ""
	switch {
	case hasDate:
		typ = "afterDateTime"
		if days > 0 {
			c.find(CodeExpirationBothSet, c.atName("durationInDays"), "expiration", "both durationInDays (", c.ar.num(days), ") and expirationDateTime are set; v1.0 holds one: the date wins")
		}
	case days > 0:
		typ, iso = "afterDuration", c.ar.days(days)
	}
	if exp != nil {
		ours := c.render(func() { c.expirationObject(typ, iso, date, f.outDepth+1) })
		if sameExpiration(ours, exp.val) {
			c.find(CodeDuplicateDropped, c.at(m.key), "expiration", "durationInDays and expirationDateTime say what expiration says; dropped")
		} else {
			c.fail(ErrConflict, c.at(m.key), "expiration", "the same expiration as "+compact(exp.val), "a different one ("+compact(ours)+")")
		}
		return
	}
	f.ow.key(m, first, "expiration")
	c.expirationObject(typ, iso, date, f.outDepth+1)
	switch typ {
	case "afterDateTime":
		c.find(CodeExpirationConverted, c.at(m.key), "expiration", "expires at expirationDateTime: expiration {type: ", typ, "}")
	case "afterDuration":
		c.find(CodeExpirationConverted, c.at(m.key), "expiration", c.ar.num(days), " days become ", iso, ": expiration {type: ", typ, "}")
	default:
		c.find(CodeExpirationConverted, c.at(m.key), "expiration", "no expiration: expiration {type: ", typ, "}")
	}
}

// sameExpiration compares two expiration patterns by meaning.
func sameExpiration(a, b string) bool {
	ga, gb := gjson.Parse(a), gjson.Parse(b)
	ta, tb := ga.Get("type").String(), gb.Get("type").String()
	norm := func(t string) string {
		if t == "notSpecified" {
			return "noExpiration"
		}
		return t
	}
	if norm(ta) != norm(tb) {
		return false
	}
	switch ta {
	case "afterDuration":
		sa, na, ea := parseDuration(ga.Get("duration").String())
		sb, nb, eb := parseDuration(gb.Get("duration").String())
		return ea == nil && eb == nil && sa == sb && na == nb
	case "afterDateTime":
		return ga.Get("endDateTime").String() == gb.Get("endDateTime").String()
	}
	return true
}

// accessPackageIDToV1 turns accessPackageId (m) into the reference
// accessPackage.
func (c *conv) accessPackageIDToV1(f *frame, m *member, first bool, ap *member) {
	if m.val == "null" {
		c.find(CodeEmptySettingDropped, c.at(m.key), "", "accessPackageId is null; dropped")
		return
	}
	if _, ok := c.strOf(m); !ok {
		return
	}
	if ap != nil && ap.val[0] != '{' {
		// Which id it names cannot be told: not a conflict, a wrong value.
		c.fail(ErrInvalidValue, c.atName("accessPackage"), "", "an accessPackage object (a reference {\"id\": …} or the expanded package) next to accessPackageId", kindOf(ap.val))
		return
	}
	if ap != nil && !gjson.Get(ap.val, "id").Exists() {
		// An expanded access package without its id: the id goes into it,
		// where the walk writes accessPackage.
		c.apID = m.val
		c.find(CodeMoved, c.at(m.key), "accessPackage.id", "accessPackageId becomes the id of the expanded accessPackage")
		return
	}
	if ap != nil {
		id := gjson.Get(ap.val, "id")
		if id.Type == gjson.String && jsonEqual(id.Raw, m.val) {
			c.find(CodeDuplicateDropped, c.at(m.key), "accessPackage.id", "same id as accessPackage.id; dropped")
			return
		}
		c.fail(ErrConflict, c.at(m.key), "accessPackage.id", "the id of accessPackage ("+compact(id.Raw)+")", compact(m.val))
		return
	}
	f.ow.key(m, first, "accessPackage")
	ow := c.w.beginObject(nil, f.outDepth+1, 0)
	ow.newKey("id")
	c.w.raw(m.val, 0)
	ow.end()
	c.find(CodeMoved, c.atName("accessPackageId"), "accessPackage.id", "accessPackageId becomes the reference accessPackage {id}")
}

// credentialsDropped reports verifiableCredentialSettings, which v1.0 lacks.
func (c *conv) credentialsDropped(m *member) {
	n := 0
	if m.val != "null" {
		gjson.Get(m.val, "credentialTypes").ForEach(func(_, v gjson.Result) bool {
			if v.IsObject() {
				n++
			}
			return true
		})
	}
	if n == 0 {
		c.find(CodeEmptySettingDropped, c.at(m.key), "", "verifiableCredentialSettings requires no credential; v1.0 has no such property")
		return
	}
	c.find(CodeVerifiableCredentialsDropped, c.at(m.key), "", "the policy requires ", c.ar.num(int64(n)), " verifiable credential type(s); v1.0 cannot hold this, so requestors would no longer have to present them")
}

// policyToBetaReads places the members policyToBeta reads together
// (gather); either name of the review settings tells that there are some.
func policyToBetaReads(key string) int {
	switch key {
	case "durationInDays":
		return 0
	case "expirationDateTime":
		return 1
	case "accessPackageId":
		return 2
	case "canExtend":
		return 3
	case "requestorSettings":
		return 4
	case "allowedTargetScope":
		return 5
	case "specificAllowedTargets":
		return 6
	case "reviewSettings", "accessReviewSettings":
		return 7
	}
	return -1
}

// policyToBeta converts the policy object from v1.0 to beta.
func policyToBeta(c *conv, f *frame) {
	o := f.src
	var in [8]*member
	o.gather(policyToBetaReads, in[:])
	dur, expDT, apID, canExtend, req, scope, targets, reviews := in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7]
	reqDone, expDone := false, false
	c.walk(f, func(i int, m *member) bool {
		first := i == 0
		switch m.key {
		case "accessPackage":
			if m.val != "null" && m.val[0] != '{' {
				// Not the schema's shape (a list, a scalar): the registry's
				// rule for a typed value, as v1.0 reads it, whose objects'
				// types are evidence there and so must be read here too.
				return false
			}
			c.accessPackageToBeta(f, m, first, apID)
			return true
		case "expiration":
			expDone = true
			c.expirationToBeta(f, m, first, dur, expDT)
			return true
		case "requestorSettings", "allowedTargetScope", "specificAllowedTargets":
			if !reqDone {
				reqDone = true
				c.requestorsToBeta(f, m, first, req, scope, targets, canExtend)
			}
			return true
		case "automaticRequestSettings":
			c.automaticDropped(m)
			return true
		}
		return false
	})
	if c.failed() {
		return
	}
	if !expDone && dur == nil && expDT == nil {
		f.ow.newKey("durationInDays")
		c.w.int(0)
		f.ow.newKey("expirationDateTime")
		c.w.null()
		c.find(CodeDefaultFilled, "", "durationInDays", "no expiration: durationInDays 0 and expirationDateTime null")
	}
	if !reqDone {
		c.requestorsToBeta(f, nil, false, nil, nil, nil, canExtend)
	}
	if reviews == nil {
		f.ow.newKey("accessReviewSettings")
		c.w.null()
		c.find(CodeDefaultFilled, "", "accessReviewSettings", "no reviewSettings: accessReviewSettings null (no reviews)")
	}
}

// accessPackageToBeta gives accessPackageId from the accessPackage reference
// (m is null or an object).
func (c *conv) accessPackageToBeta(f *frame, m *member, first bool, apID *member) {
	if m.val == "null" {
		f.ow.copyMember(m, first)
		return
	}
	ap := c.scanObj(m.val, m.off)
	defer c.freeObject(ap)
	if c.failed() {
		return
	}
	id := ap.get("id")
	expanded := false
	for i := range ap.members {
		if ap.members[i].key != "id" {
			expanded = true // more than a reference (annotations count: they must survive)
		}
	}
	if id != nil && apID == nil {
		f.ow.key(m, first, "accessPackageId")
		c.w.raw(id.val, 0)
		c.find(CodeMoved, c.at(m.key), "accessPackageId", "the reference accessPackage {id} becomes accessPackageId")
	} else if id != nil && !jsonEqual(id.val, apID.val) {
		c.fail(ErrConflict, c.atName("accessPackage")+".id", c.atName("accessPackageId"), "the same id as accessPackageId ("+compact(apID.val)+")", compact(id.val))
		return
	}
	if !expanded && id != nil {
		return
	}
	n, tn := c.push(m.key, m.key)
	if id != nil && apID == nil {
		f.ow.newKey("accessPackage")
	} else {
		f.ow.key(m, first, "")
	}
	c.objectAt(m.val, m.off, accessPackageType, f.srcDepth+1, f.outDepth+1)
	c.pop(n, tn)
}

// expirationToBeta splits expiration into durationInDays and
// expirationDateTime (decision 10).
func (c *conv) expirationToBeta(f *frame, m *member, first bool, dur, expDT *member) {
	n, tn := c.push(m.key, "")
	var e *object
	defer func() { // one deferred call (see localizedToV1)
		if e != nil {
			c.freeObject(e)
		}
		c.pop(n, tn)
	}()
	days, date := int64(0), "null"
	var typ string
	if m.val != "null" {
		if m.val[0] != '{' {
			c.fail(ErrInvalidValue, c.ar.str(c.path), "", "an expiration pattern object", kindOf(m.val))
			return
		}
		e = c.scanObj(m.val, m.off)
		if c.failed() {
			return
		}
		typ, _ = c.strOf(e.get("type"))
		switch typ {
		case "afterDuration":
			dm := e.get("duration")
			sec, nanos, ok := c.durationOf(dm)
			switch {
			case ok:
				days = c.wholeDays(dm, "durationInDays", sec, nanos, true)
			case !c.failed():
				c.find(CodeDurationLengthened, c.ar.str(c.path), "durationInDays", "afterDuration without a duration: beta gets no expiration, so access would not end")
			default:
				return
			}
		case "afterDateTime":
			em := e.get("endDateTime")
			if _, ok := c.strOf(em); ok {
				date = em.val
			} else if !c.failed() {
				c.find(CodeDurationLengthened, c.ar.str(c.path), "expirationDateTime", "afterDateTime without an endDateTime: beta gets no expiration, so access would not end")
			} else {
				return
			}
		case "noExpiration":
		case "notSpecified", "":
			c.find(CodeExpirationUnspecified, c.ar.str(c.path), "durationInDays", "expiration type ", c.ar.quote(typ), " becomes no expiration (durationInDays 0)")
		default:
			c.fail(ErrInvalidValue, c.atName("type"), "", "an expirationPatternType (notSpecified, noExpiration, afterDateTime, afterDuration)", strconv.Quote(typ))
			return
		}
		if c.failed() {
			return
		}
		c.leftovers(e, func(k string) bool {
			return k == "type" || k == "duration" && typ == "afterDuration" || k == "endDateTime" && typ == "afterDateTime"
		}, "the expiration pattern")
	}
	if dur != nil || expDT != nil { // both forms present: the beta form stays
		d0, _ := c.intOf(dur)
		dt := "null"
		if expDT != nil {
			dt = expDT.val
		}
		if d0 != days || !jsonEqual(dt, date) {
			c.fail(ErrConflict, c.ar.str(c.path), c.atName("durationInDays"), "the same expiration as durationInDays and expirationDateTime", compact(m.val))
			return
		}
		c.find(CodeDuplicateDropped, c.ar.str(c.path), "durationInDays", "expiration says what durationInDays and expirationDateTime say; dropped")
		return
	}
	f.ow.key(m, first, "durationInDays")
	c.w.int(days)
	f.ow.newKey("expirationDateTime")
	c.w.raw(date, 0)
	if typ != "" && typ != "notSpecified" {
		c.find(CodeExpirationConverted, c.ar.str(c.path), "durationInDays", "expiration {type: ", typ, "} becomes durationInDays ", c.ar.num(days), " and expirationDateTime ", c.ar.compact(date))
	}
}

// wholeDays converts a duration to days for beta. Rounding goes down
// (shorter access, earlier denial); a positive duration under a day
// becomes one day, since zero means something else (no expiration, no
// timeout): for an access duration that lengthens access.
func (c *conv) wholeDays(m *member, target string, sec, nanos int64, access bool) int64 {
	days := sec / secondsPerDay
	if access && sec == 0 && nanos == 0 {
		c.find(CodeDurationLengthened, c.at(m.key), target, "an access duration of zero cannot be expressed in beta, where 0 means no expiration: 1 day")
		return 1
	}
	if sec%secondsPerDay == 0 && nanos == 0 {
		c.find(CodeDurationConverted, c.at(m.key), target, strings.Trim(m.val, `"`), " is ", c.ar.num(days), " days")
		return days
	}
	if days == 0 {
		code := CodeDurationRounded
		if access {
			code = CodeDurationLengthened
		}
		c.find(code, c.at(m.key), target, strings.Trim(m.val, `"`), " is less than a day; beta holds whole days, and 0 would mean none: 1 day")
		return 1
	}
	c.find(CodeDurationRounded, c.at(m.key), target, strings.Trim(m.val, `"`), " is not a whole number of days; rounded down to ", c.ar.num(days))
	return days
}

// automaticDropped reports automaticRequestSettings, which beta lacks.
func (c *conv) automaticDropped(m *member) {
	g := gjson.Parse(m.val)
	switch {
	case g.Get("removeAccessWhenTargetLeavesAllowedTargets").Bool():
		c.find(CodeAutomaticRemovalDropped, c.at(m.key), "", "removeAccessWhenTargetLeavesAllowedTargets is true; beta cannot hold it, so access would stay after a target leaves the allowed targets")
		if g.Get("requestAccessForAllowedTargets").Bool() {
			c.find(CodeAutomaticAssignmentDropped, c.at(m.key)+".requestAccessForAllowedTargets", "", "automatic assignment to the allowed targets cannot be expressed in beta; the beta policy assigns nobody automatically")
		}
	case g.Get("requestAccessForAllowedTargets").Bool() || g.Get("gracePeriodBeforeAccessRemoval").Exists() && g.Get("gracePeriodBeforeAccessRemoval").Type != gjson.Null:
		c.find(CodeAutomaticAssignmentDropped, c.at(m.key), "", "automatic assignment settings cannot be expressed in beta; the beta policy assigns nobody automatically")
	default:
		c.find(CodeEmptySettingDropped, c.at(m.key), "", "automaticRequestSettings sets nothing; beta has no such property")
	}
}

// context rewrites @odata.context to the target version's entity set.
func (c *conv) context(m *member) {
	s, ok := stringValue(m.val)
	if ok {
		var changed bool
		if c.scratch, changed = appendContext(c.scratch[:0], s, c.d); changed {
			c.w.str(bytesToString(c.scratch))
			return
		}
	}
	c.w.raw(m.val, 0)
	c.find(CodeContextKept, c.at(m.key), "", "not a policy context URL this tool knows; kept as it was")
}

// appendContext appends the context URL s rewritten to the target version
// to dst, and reports whether s is a context URL it knows: such as
// https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/$entity,
// whose version segment and entity set name change.
func appendContext(dst []byte, s string, d direction) ([]byte, bool) {
	hash := strings.Index(s, "$metadata#")
	if hash < 0 {
		return dst, false
	}
	start := len(dst)
	base, frag := s[:hash], s[hash:]
	from, to := "/beta/", "/v1.0/"
	setFrom, setTo := "accessPackageAssignmentPolicies", "assignmentPolicies"
	if d == toBeta {
		from, to = to, from
		setFrom, setTo = setTo, setFrom
	}
	known := false
	if strings.HasSuffix(base, from) {
		dst = append(append(dst, base[:len(base)-len(from)]...), to...)
		known = true
	} else {
		dst = append(dst, base...)
		known = strings.HasSuffix(base, to)
	}
	for rest := frag; ; {
		i := strings.Index(rest, setFrom)
		if i < 0 {
			dst = append(dst, rest...)
			break
		}
		before := byte('#')
		if i > 0 {
			before = rest[i-1]
		}
		after := byte('/')
		if j := i + len(setFrom); j < len(rest) {
			after = rest[j]
		}
		if (before == '/' || before == '#') && (after == '/' || after == '(' || after == '$' || after == '?') {
			dst = append(append(dst, rest[:i]...), setTo...)
			known = true
		} else {
			dst = append(dst, rest[:i+len(setFrom)]...)
		}
		rest = rest[i+len(setFrom):]
	}
	if !known && !strings.Contains(frag, setTo) {
		return dst[:start], false
	}
	return dst, true
}
