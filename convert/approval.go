package convert

import "strings"

// Approval settings (mapping §4, §9.3) and stages (§4.1).

// countStages counts the entries of a stage list (-1 when it is not a
// list), through the scanner: the document is validated and its
// containers' ends are known, where gjson read every stage again.
func (c *conv) countStages(m *member) int {
	if m == nil || m.val == "null" {
		return 0
	}
	if m.val[0] != '[' {
		return -1
	}
	a := c.scanArr(m.off)
	n := len(a.elems)
	c.freeArray(a)
	return n
}

// approvalToV1 drops approvalMode: v1.0 derives it from the stages.
func approvalToV1(c *conv, f *frame) {
	stages := f.src.get("approvalStages")
	if stages == nil {
		stages = f.src.get("stages")
	}
	required := f.src.get("isApprovalRequired")
	c.walk(f, func(i int, m *member) bool {
		if m.key != "approvalMode" {
			return false
		}
		mode, ok := c.strOf(m)
		if c.failed() {
			return true
		}
		n := c.countStages(stages)
		noApproval := false
		if v, ok := c.boolOf(required); ok && !v {
			noApproval = true
		}
		path := c.atName("approvalMode") // m's key
		switch {
		case !ok:
			c.find(CodeEmptySettingDropped, path, "", "approvalMode is null; v1.0 has none")
		case mode == "Parallel":
			c.find(CodeParallelApprovalSerialized, path, c.tatName("stages"), "approvalMode Parallel cannot be expressed: v1.0 stages are sequential")
		case mode == "NoApproval" && (n == 0 || noApproval),
			mode == "SingleStage" && n == 1,
			mode == "Serial" && n >= 2:
			c.find(CodeApprovalModeDerived, path, "", "approvalMode ", mode, " is implied by the ", c.ar.num(int64(n)), " stage(s); dropped")
		default:
			c.find(CodeApprovalModeMismatch, path, "", "approvalMode ", c.ar.quote(mode), " disagrees with the ", c.ar.num(int64(n)), " stage(s); the stages win")
		}
		return true
	})
}

// approvalToBeta adds approvalMode, derived from the number of stages
// (decision 8), before approvalStages.
func approvalToBeta(c *conv, f *frame) {
	hasMode := f.src.get("approvalMode") != nil
	c.walk(f, func(i int, m *member) bool {
		if m.key != "stages" || hasMode {
			return false
		}
		if f.src.get("approvalStages") != nil {
			return false // the generic rename compares the two
		}
		n := c.countStages(m)
		mode := "NoApproval"
		switch {
		case n == 1:
			mode = "SingleStage"
		case n >= 2:
			mode = "Serial"
		}
		f.ow.key(m, i == 0, "approvalMode")
		c.w.str(mode)
		c.find(CodeApprovalModeDerived, c.at(m.key), c.tatName("approvalMode"), "approvalMode ", mode, " from ", c.ar.num(int64(max(n, 0))), " stage(s)")
		np, tn := c.push(m.key, "approvalStages")
		f.ow.newKey("approvalStages")
		c.value(f, m, approvalStageType)
		c.pop(np, tn)
		return true
	})
}

// stageToV1 converts one beta approval stage.
func stageToV1(c *conv, f *frame) {
	o := f.src
	prim, esc := o.get("primaryApprovers"), o.get("escalationApprovers")
	fbPrim, fbEsc := o.get("fallbackPrimaryApprovers"), o.get("fallbackEscalationApprovers")
	c.walk(f, func(i int, m *member) bool {
		first := i == 0
		switch m.key {
		case "approvalStageTimeOutInDays":
			c.countToDuration(f, m, first, "durationBeforeAutomaticDenial", false)
		case "escalationTimeInMinutes":
			c.countToDuration(f, m, first, "durationBeforeEscalation", true)
		case "primaryApprovers":
			c.splitToV1(f, m, first, "primaryApprovers", "fallbackPrimaryApprovers", fbPrim)
		case "escalationApprovers":
			c.splitToV1(f, m, first, "escalationApprovers", "fallbackEscalationApprovers", fbEsc)
		case "fallbackPrimaryApprovers":
			return prim != nil && prim.val != "null"
		case "fallbackEscalationApprovers":
			return esc != nil && esc.val != "null"
		default:
			return false
		}
		return true
	})
}

// countToDuration writes a beta count of days (or minutes) as the v1.0
// duration key, at m's place.
func (c *conv) countToDuration(f *frame, m *member, first bool, key string, minutes bool) {
	n, ok := c.intOf(m)
	if c.failed() || ok && !c.nonNegative(m, n) {
		return
	}
	iso := ""
	if ok {
		iso = c.ar.days(n)
		if minutes {
			iso = c.ar.minutes(n)
		}
	}
	if other := f.src.get(key); other != nil {
		s, _ := stringValue(other.val)
		a, an, e1 := parseDuration(s)
		b, bn, e2 := parseDuration(iso)
		if other.val == "null" && !ok || e1 == nil && e2 == nil && a == b && an == bn {
			c.find(CodeDuplicateDropped, c.at(m.key), c.tat(key), "same duration as ", key, "; dropped")
			return
		}
		c.fail(ErrConflict, c.at(m.key), c.tat(key), "the duration of "+key+" ("+compact(other.val)+")", compact(m.val))
		return
	}
	f.ow.key(m, first, key)
	if !ok {
		c.w.null()
		return
	}
	c.w.str(iso)
	unit := " days"
	if minutes {
		unit = " minutes"
	}
	c.find(CodeDurationConverted, c.at(m.key), c.tat(key), c.ar.num(n), unit, " become ", iso)
}

// stageToBeta converts one v1.0 approval stage.
func stageToBeta(c *conv, f *frame) {
	o := f.src
	prim, esc := o.get("primaryApprovers"), o.get("escalationApprovers")
	fbPrim, fbEsc := o.get("fallbackPrimaryApprovers"), o.get("fallbackEscalationApprovers")
	c.walk(f, func(i int, m *member) bool {
		first := i == 0
		switch m.key {
		case "durationBeforeAutomaticDenial":
			c.durationToCount(f, m, first, "approvalStageTimeOutInDays", false)
		case "durationBeforeEscalation":
			c.durationToCount(f, m, first, "escalationTimeInMinutes", true)
		case "primaryApprovers":
			c.mergeToBeta(f, m, first, "primaryApprovers", prim, fbPrim)
		case "fallbackPrimaryApprovers":
			if prim == nil {
				c.mergeToBeta(f, m, first, "primaryApprovers", nil, fbPrim)
			}
		case "escalationApprovers":
			c.mergeToBeta(f, m, first, "escalationApprovers", esc, fbEsc)
		case "fallbackEscalationApprovers":
			if esc == nil {
				c.mergeToBeta(f, m, first, "escalationApprovers", nil, fbEsc)
			}
		default:
			return false
		}
		return true
	})
}

// durationToCount writes a v1.0 duration as beta whole days (or minutes),
// rounded down (earlier denial or escalation).
func (c *conv) durationToCount(f *frame, m *member, first bool, key string, minutes bool) {
	var n int64
	ok := m.val != "null"
	if ok {
		sec, nanos, good := c.durationOf(m)
		if !good {
			return
		}
		if minutes {
			n = sec / secondsPerMinute
			if sec%secondsPerMinute != 0 || nanos != 0 {
				c.find(CodeDurationRounded, c.at(m.key), c.tat(key), strings.Trim(m.val, `"`), " is not a whole number of minutes; rounded down to ", c.ar.num(n), " (earlier escalation)")
			} else {
				c.find(CodeDurationConverted, c.at(m.key), c.tat(key), strings.Trim(m.val, `"`), " is ", c.ar.num(n), " minutes")
			}
		} else {
			n = c.wholeDays(m, c.tat(key), sec, nanos, false)
		}
		if n > 1<<31-1 {
			c.fail(ErrInvalidValue, c.at(m.key), "", "a duration that fits beta's Int32 "+key, compact(m.val))
			return
		}
	}
	if other := f.src.get(key); other != nil {
		x, xok := c.intOf(other)
		if xok == ok && x == n {
			c.find(CodeDuplicateDropped, c.at(m.key), c.tat(key), "same duration as ", key, "; dropped")
			return
		}
		c.fail(ErrConflict, c.at(m.key), c.tat(key), "the duration of "+key+" ("+compact(other.val)+")", compact(m.val))
		return
	}
	f.ow.key(m, first, key)
	if !ok {
		c.w.null()
		return
	}
	c.w.int(n)
}
