package convert

import (
	"strconv"
	"strings"
)

// Access reviews (mapping §6, §9.4, §9.5, decision 12).

// recurrence is a v1.0 patterned recurrence this tool maps to a beta
// recurrenceType.
type recurrence struct {
	beta     string
	pattern  string
	interval int64
	days     int64 // approximate period, to find the nearest value
}

var recurrences = []recurrence{
	{"weekly", "weekly", 1, 7},
	{"monthly", "absoluteMonthly", 1, 30},
	{"quarterly", "absoluteMonthly", 3, 91},
	{"halfyearly", "absoluteMonthly", 6, 182},
	{"annual", "absoluteYearly", 1, 365},
}

// reviewToV1 converts beta accessReviewSettings.
func reviewToV1(c *conv, f *frame) {
	o := f.src
	start, dur, rec := o.get("startDateTime"), o.get("durationInDays"), o.get("recurrenceType")
	rType, reviewers := o.get("reviewerType"), o.get("reviewers")
	schedDone, revDone := false, false
	c.walk(f, func(i int, m *member) bool {
		first := i == 0
		switch m.key {
		case "startDateTime", "durationInDays", "recurrenceType":
			if !schedDone {
				schedDone = true
				c.scheduleToV1(f, m, first, start, dur, rec)
			}
			return true
		case "reviewerType", "reviewers":
			if !revDone {
				revDone = true
				c.reviewersToV1(f, m, first, rType, reviewers)
			}
			return true
		}
		return false
	})
}

func (c *conv) scheduleToV1(f *frame, m *member, first bool, start, dur, rec *member) {
	if o := f.src.get("schedule"); o != nil {
		c.fail(ErrConflict, c.at(m.key), c.tatName("schedule"), "either schedule or startDateTime, durationInDays and recurrenceType", "both")
		return
	}
	days, hasDays := c.intOf(dur)
	if c.failed() || hasDays && !c.nonNegative(dur, days) {
		return
	}
	recType, hasRec := c.strOf(rec)
	if c.failed() {
		return
	}
	var r *recurrence
	if hasRec {
		for i := range recurrences {
			if strings.EqualFold(recurrences[i].beta, recType) {
				r = &recurrences[i]
			}
		}
		if r == nil {
			c.fail(ErrInvalidValue, c.atName("recurrenceType"), "", "a recurrenceType (weekly, monthly, quarterly, halfyearly, annual)", strconv.Quote(recType))
			return
		}
	}
	f.ow.key(m, first, "schedule")
	ow := c.w.beginObject(nil, f.outDepth+1, 0)
	if start != nil {
		ow.newKey("startDateTime")
		c.w.raw(start.val, 0)
		c.find(CodeMoved, c.atName("startDateTime"), c.ar.join(c.tatName("schedule"), ".startDateTime"), "startDateTime moves into schedule")
	}
	if hasDays {
		ow.newKey("expiration")
		c.expirationObject("afterDuration", c.ar.days(days), "", f.outDepth+2)
		c.find(CodeDurationConverted, c.atName("durationInDays"), c.ar.join(c.tatName("schedule"), ".expiration"), c.ar.num(days), " days become expiration {type: afterDuration, duration: ", c.ar.days(days), "}")
	}
	if r != nil {
		ow.newKey("recurrence")
		c.recurrenceObject(r, f.outDepth+2)
		c.find(CodeValueMapped, c.atName("recurrenceType"), c.ar.join(c.tatName("schedule"), ".recurrence"), "recurrenceType ", recType, " becomes ", r.pattern, " every ", c.ar.num(r.interval), ", no end")
	}
	ow.end()
}

// recurrenceObject writes a patterned recurrence with the members v1.0
// declares not nullable (decision notes B.18).
func (c *conv) recurrenceObject(r *recurrence, depth int) {
	ow := c.w.beginObject(nil, depth, 0)
	ow.newKey("pattern")
	pw := c.w.beginObject(nil, depth+1, 0)
	pw.newKey("type")
	c.w.str(r.pattern)
	pw.newKey("interval")
	c.w.int(r.interval)
	pw.newKey("month")
	c.w.int(0)
	pw.newKey("dayOfMonth")
	c.w.int(0)
	pw.newKey("daysOfWeek")
	c.w.buf = append(c.w.buf, "[]"...)
	pw.end()
	ow.newKey("range")
	rw := c.w.beginObject(nil, depth+1, 0)
	rw.newKey("type")
	c.w.str("noEnd")
	rw.newKey("numberOfOccurrences")
	c.w.int(0)
	rw.end()
	ow.end()
}

func (c *conv) reviewersToV1(f *frame, m *member, first bool, rType, reviewers *member) {
	typ, hasType := c.strOf(rType)
	if c.failed() {
		return
	}
	self := false
	manager := false
	switch {
	case !hasType:
	case strings.EqualFold(typ, "Self"):
		self = true
	case strings.EqualFold(typ, "Reviewers"):
	case strings.EqualFold(typ, "Manager"):
		manager = true
	default:
		c.fail(ErrInvalidValue, c.atName("reviewerType"), "", "a reviewerType (Self, Reviewers or Manager)", strconv.Quote(typ))
		return
	}
	at := placer{ow: &f.ow, m: m, first: first}
	emit := at.key
	if hasType {
		if o := f.src.get("isSelfReview"); o != nil {
			if v, _ := c.boolOf(o); v != self {
				c.fail(ErrConflict, c.atName("reviewerType"), c.tatName("isSelfReview"), "the meaning of isSelfReview", typ)
				return
			}
		} else {
			emit("isSelfReview")
			c.w.bool(self)
		}
		c.find(CodeValueMapped, c.atName("reviewerType"), c.tatName("isSelfReview"), "reviewerType ", typ, " becomes isSelfReview ", strconv.FormatBool(self))
	}
	if f.src.get("primaryReviewers") != nil {
		if reviewers != nil && !isEmptyValue(reviewers.val) {
			c.fail(ErrConflict, c.atName("reviewers"), c.tatName("primaryReviewers"), "either reviewers or primaryReviewers", "both")
		}
		return
	}
	if manager {
		emit("primaryReviewers")
		n, tn := c.pushName("reviewerType", "primaryReviewers")
		aw := c.w.beginArray(nil, f.outDepth+1, 0)
		aw.newElem()
		ow := c.w.beginObject(nil, f.outDepth+2, 0)
		ow.newKey("@odata.type")
		c.w.str("#microsoft.graph.requestorManager")
		ow.newKey("managerLevel")
		c.w.int(1)
		ow.end()
		aw.end()
		c.find(CodeValueMapped, c.ar.str(c.path), c.ar.str(c.tpath), "reviewerType Manager becomes a requestorManager (managerLevel 1) primary reviewer")
		c.pop(n, tn)
		if reviewers != nil && !isEmptyValue(reviewers.val) {
			f.ow.newKey("fallbackReviewers")
			n, tn = c.pushName("reviewers", "fallbackReviewers")
			c.subjectList([]listPart{{m: reviewers, want: anyBackup, set: noBackup}}, f.srcDepth, f.outDepth)
			c.find(CodeMoved, c.ar.str(c.path), c.ar.str(c.tpath), "with reviewerType Manager, the listed reviewers become fallback reviewers")
			c.pop(n, tn)
		}
		return
	}
	if reviewers == nil {
		return
	}
	if !at.wrote {
		c.splitToV1(f, reviewers, first && reviewers == m, "primaryReviewers", "fallbackReviewers", f.src.get("fallbackReviewers"))
		return
	}
	// The split list comes after isSelfReview: write it as new members.
	c.splitAfter(f, reviewers, "primaryReviewers", "fallbackReviewers", f.src.get("fallbackReviewers"))
}

// splitAfter is splitToV1 for a list written as new members (its own place
// is taken by a member written before it).
func (c *conv) splitAfter(f *frame, m *member, primary, fbKey string, existing *member) {
	// Write through a member copy with no gap of its own: newKey's layout.
	f.ow.newKeyPending = true
	c.splitToV1(f, m, false, primary, fbKey, existing)
	f.ow.newKeyPending = false
}

// reviewToBeta converts v1.0 reviewSettings.
func reviewToBeta(c *conv, f *frame) {
	o := f.src
	self, prim, fb := o.get("isSelfReview"), o.get("primaryReviewers"), o.get("fallbackReviewers")
	revDone := false
	c.walk(f, func(i int, m *member) bool {
		first := i == 0
		switch m.key {
		case "schedule":
			c.scheduleToBeta(f, m, first)
			return true
		case "isSelfReview", "primaryReviewers", "fallbackReviewers":
			if !revDone {
				revDone = true
				c.reviewersToBeta(f, m, first, self, prim, fb)
			}
			return true
		}
		return false
	})
}

func (c *conv) scheduleToBeta(f *frame, m *member, first bool) {
	n, tn := c.push(m.key, "")
	defer c.pop(n, tn)
	if m.val == "null" {
		c.find(CodeEmptySettingDropped, c.ar.str(c.path), "", "schedule is null; beta has no schedule object")
		return
	}
	if m.val[0] != '{' {
		c.fail(ErrInvalidValue, c.ar.str(c.path), "", "a schedule object", kindOf(m.val))
		return
	}
	s := c.scanObj(m.val, m.off)
	defer c.freeObject(s)
	if c.failed() {
		return
	}
	at := placer{ow: &f.ow, m: m, first: first}
	emit := at.key
	for i := range s.members {
		sm := &s.members[i]
		switch sm.key {
		case "startDateTime":
			if f.src.get("startDateTime") == nil {
				emit("startDateTime")
				c.w.raw(sm.val, 0)
				c.find(CodeMoved, c.at(sm.key), "", "schedule.startDateTime becomes startDateTime")
			}
		case "expiration":
			c.reviewExpirationToBeta(f, sm, emit)
		case "recurrence":
			c.recurrenceToBeta(f, sm, emit)
		default:
			if sm.isAnnotation() {
				c.find(CodeAnnotationDropped, c.at(sm.key), "", "an annotation of the schedule, which the conversion takes apart; dropped")
				continue
			}
			if isEmptyValue(sm.val) {
				c.find(CodeEmptySettingDropped, c.at(sm.key), "", sm.key, " is empty; dropped with the schedule")
				continue
			}
			c.find(CodeNoCounterpart, c.at(sm.key), "", "not a member of entitlementManagementSchedule; dropped with the schedule")
		}
		if c.failed() {
			return
		}
	}
}

func (c *conv) reviewExpirationToBeta(f *frame, m *member, emit func(string)) {
	n, tn := c.push(m.key, "")
	defer c.pop(n, tn)
	if m.val == "null" {
		return
	}
	e := c.scanObj(m.val, m.off)
	defer c.freeObject(e)
	if c.failed() {
		return
	}
	typ, _ := c.strOf(e.get("type"))
	c.leftovers(e, func(k string) bool {
		return k == "type" || k == "duration" && typ == "afterDuration" || k == "endDateTime" && typ == "afterDateTime"
	}, "the review's expiration pattern")
	switch typ {
	case "afterDuration":
		dm := e.get("duration")
		sec, nanos, ok := c.durationOf(dm)
		if !ok {
			if !c.failed() {
				c.find(CodeReviewScheduleNotExpressed, c.ar.str(c.path), "", "afterDuration without a duration: the review's length is unknown, durationInDays is left out")
			}
			return
		}
		days := c.wholeDays(dm, "accessReviewSettings.durationInDays", sec, nanos, false)
		if f.src.get("durationInDays") == nil {
			emit("durationInDays")
			c.w.int(days)
		}
	case "", "notSpecified", "noExpiration":
		c.find(CodeReviewScheduleNotExpressed, c.ar.str(c.path), "", "a review without a set length (", c.ar.quote(typ), ") cannot be expressed in beta; durationInDays is left out")
	default:
		c.find(CodeReviewScheduleNotExpressed, c.ar.str(c.path), "", "a review that ends at a date cannot be expressed in beta; durationInDays is left out")
	}
}

func (c *conv) recurrenceToBeta(f *frame, m *member, emit func(string)) {
	n, tn := c.push(m.key, "")
	defer c.pop(n, tn)
	if m.val == "null" {
		return
	}
	r := c.scanObj(m.val, m.off)
	defer c.freeObject(r)
	if c.failed() {
		return
	}
	var typ string
	var interval int64 = 1
	var lost []string
	c.leftovers(r, func(k string) bool { return k == "pattern" || k == "range" }, "the recurrence")
	if pm := r.get("pattern"); pm != nil && pm.val != "null" {
		np, tp := c.pushName("pattern", "")
		p := c.scanObj(pm.val, pm.off)
		typ, _ = c.strOf(p.get("type"))
		c.leftovers(p, func(k string) bool {
			switch k {
			case "type", "interval", "month", "dayOfMonth", "daysOfWeek", "firstDayOfWeek", "index":
				return true
			}
			return false
		}, "the recurrence pattern")
		if v, ok := c.intOf(p.get("interval")); ok {
			interval = v
		}
		for _, k := range []string{"month", "dayOfMonth"} {
			if v, _ := c.intOf(p.get(k)); v != 0 {
				lost = append(lost, "pattern."+k)
			}
		}
		for _, k := range []string{"daysOfWeek", "firstDayOfWeek", "index"} {
			if mm := p.get(k); mm != nil && !isEmptyValue(mm.val) {
				lost = append(lost, "pattern."+k)
			}
		}
		c.freeObject(p)
		c.pop(np, tp)
	}
	if rm := r.get("range"); rm != nil && rm.val != "null" {
		np, tp := c.pushName("range", "")
		rg := c.scanObj(rm.val, rm.off)
		c.leftovers(rg, func(k string) bool {
			switch k {
			case "type", "startDate", "endDate", "recurrenceTimeZone", "numberOfOccurrences":
				return true
			}
			return false
		}, "the recurrence range")
		if rt, _ := c.strOf(rg.get("type")); rt != "" && rt != "noEnd" {
			lost = append(lost, "range.type "+rt)
		}
		for _, k := range []string{"startDate", "endDate", "recurrenceTimeZone"} {
			if mm := rg.get(k); mm != nil && !isEmptyValue(mm.val) {
				lost = append(lost, "range."+k)
			}
		}
		if v, _ := c.intOf(rg.get("numberOfOccurrences")); v != 0 {
			lost = append(lost, "range.numberOfOccurrences")
		}
		c.freeObject(rg)
		c.pop(np, tp)
	}
	if c.failed() {
		return
	}
	if typ == "" {
		c.find(CodeReviewScheduleNotExpressed, c.ar.str(c.path), "", "a recurrence without a pattern type cannot be expressed in beta; recurrenceType is left out")
		return
	}
	if interval < 1 {
		interval = 1
	}
	var period int64
	switch typ {
	case "daily":
		period = interval
	case "weekly":
		period = 7 * interval
	case "absoluteMonthly", "relativeMonthly":
		period = 30 * interval
		if interval%12 == 0 {
			period = 365 * (interval / 12)
		} else if interval == 3 {
			period = 91
		} else if interval == 6 {
			period = 182
		}
	case "absoluteYearly", "relativeYearly":
		period = 365 * interval
	default:
		c.fail(ErrInvalidValue, c.atName("pattern")+".type", "", "a recurrencePatternType", strconv.Quote(typ))
		return
	}
	// The exact rows of the table, then the nearest value that reviews at
	// least as often.
	var pick *recurrence
	exact := false
	for i := range recurrences {
		r := &recurrences[i]
		if r.pattern == typ && r.interval == interval || typ == "absoluteMonthly" && interval == 12 && r.beta == "annual" {
			pick, exact = r, true
		}
	}
	if pick == nil {
		for i := range recurrences {
			if recurrences[i].days <= period {
				pick = &recurrences[i]
			}
		}
	}
	if f.src.get("recurrenceType") == nil {
		if pick == nil {
			pick = &recurrences[0]
			emit("recurrenceType")
			c.w.str(pick.beta)
			c.find(CodeReviewLessFrequent, c.ar.str(c.path), "", "a review every ", c.ar.num(period), " day(s) is more frequent than any beta recurrenceType: weekly, so reviews happen less often")
		} else {
			emit("recurrenceType")
			c.w.str(pick.beta)
			if exact {
				c.find(CodeValueMapped, c.ar.str(c.path), "", typ, " every ", c.ar.num(interval), " becomes recurrenceType ", pick.beta)
			} else {
				c.find(CodeRecurrenceApproximated, c.ar.str(c.path), "", typ, " every ", c.ar.num(interval), " has no beta value: recurrenceType ", pick.beta, ", which reviews at least as often")
			}
		}
	}
	if len(lost) > 0 {
		c.find(CodeReviewScheduleNotExpressed, c.ar.str(c.path), "", "beta cannot hold ", strings.Join(lost, ", "), "; the recurrence runs with no end")
	}
}

func (c *conv) reviewersToBeta(f *frame, m *member, first bool, self, prim, fb *member) {
	isSelf, hasSelf := c.boolOf(self)
	if c.failed() {
		return
	}
	typ := ""
	manager := false
	switch {
	case hasSelf && isSelf:
		typ = "Self"
	case hasSelf && prim != nil && c.isSingleManager(prim):
		// Only with isSelfReview said: a policy that does not say keeps its
		// list as it is.
		typ, manager = "Manager", true
	case hasSelf || prim != nil || fb != nil:
		typ = "Reviewers"
	}
	wrote := false
	if typ != "" && f.src.get("reviewerType") == nil {
		f.ow.key(m, first, "reviewerType")
		wrote = true
		c.w.str(typ)
		c.find(CodeValueMapped, c.at(m.key), c.tatName("reviewerType"), "isSelfReview and primaryReviewers give reviewerType ", typ)
	}
	if f.src.get("reviewers") != nil || prim == nil && fb == nil {
		return
	}
	if manager {
		prim = nil
	}
	var anchor *member = prim
	if anchor == nil {
		anchor = fb
	}
	if anchor == nil {
		return
	}
	if wrote {
		f.ow.newKeyPending = true
	}
	// The list takes the place of its own member (first: the first of the
	// object), unless reviewerType took a place already.
	c.mergeToBeta(f, anchor, anchor == &f.src.members[0], "reviewers", prim, fb)
	f.ow.newKeyPending = false
}

// isSingleManager reports whether the v1.0 reviewer list m is exactly one
// requestorManager at managerLevel 1 (beta's reviewerType Manager). The
// list is read by the conversion's own (trusted, pooled) scans: a scanner
// of its own validated it again and allocated three times a policy.
func (c *conv) isSingleManager(m *member) bool {
	if len(m.val) < 2 || m.val[0] != '[' {
		return false
	}
	a := c.scanArr(m.off)
	defer c.freeArray(a)
	if c.failed() || len(a.elems) != 1 || a.elems[0].val[0] != '{' {
		return false
	}
	o := c.scanObj(a.elems[0].val, a.elems[0].off)
	defer c.freeObject(o)
	if c.failed() {
		return false
	}
	t := o.odataType()
	lvl := o.get("managerLevel")
	if t == nil || lvl == nil || strings.TrimPrefix(strings.Trim(t.val, `"`), "#") != "microsoft.graph.requestorManager" || lvl.val != "1" {
		return false
	}
	for i := range o.members {
		if k := o.members[i].key; k != "@odata.type" && k != "managerLevel" {
			return false
		}
	}
	return true
}
