package convert

import "strconv"

// Requestor scope (mapping §9.1, decision 7). Beta's requestorSettings
// holds who may request (scopeType, allowedRequestors, acceptRequests);
// v1.0 moves scope and targets to the policy and splits self-service into
// three booleans, plus on-behalf-of settings that beta cannot hold.

var scopeToV1 = map[string]string{
	"NoSubjects":                                 "notSpecified",
	"SpecificDirectorySubjects":                  "specificDirectoryUsers",
	"SpecificConnectedOrganizationSubjects":      "specificConnectedOrganizationUsers",
	"AllConfiguredConnectedOrganizationSubjects": "allConfiguredConnectedOrganizationUsers",
	"AllExistingConnectedOrganizationSubjects":   "allConfiguredConnectedOrganizationUsers",
	"AllExistingDirectoryMemberUsers":            "allMemberUsers",
	"AllExistingDirectorySubjects":               "allDirectoryUsers",
	"AllExternalSubjects":                        "allExternalUsers",
}

var scopeToBeta = map[string]string{
	"notSpecified":                            "NoSubjects",
	"specificDirectoryUsers":                  "SpecificDirectorySubjects",
	"specificConnectedOrganizationUsers":      "SpecificConnectedOrganizationSubjects",
	"allMemberUsers":                          "AllExistingDirectoryMemberUsers",
	"allDirectoryUsers":                       "AllExistingDirectorySubjects",
	"allConfiguredConnectedOrganizationUsers": "AllConfiguredConnectedOrganizationSubjects",
	"allExternalUsers":                        "AllExternalSubjects",
}

// v1.0 scopes that beta cannot express (mapping §9.1, notes B.2).
var scopeNoBeta = map[string]bool{
	"specificDirectoryServicePrincipals": true,
	"allDirectoryServicePrincipals":      true,
	"allDirectoryAgentIdentities":        true,
	"unknownFutureValue":                 true,
}

// The v1.0 requestor settings a PUT carries, in the order the docs use.
var v1RequestorMembers = []string{
	"enableTargetsToSelfAddAccess", "enableTargetsToSelfUpdateAccess", "enableTargetsToSelfRemoveAccess",
	"allowCustomAssignmentSchedule", "enableOnBehalfRequestorsToAddAccess", "enableOnBehalfRequestorsToUpdateAccess",
	"enableOnBehalfRequestorsToRemoveAccess", "onBehalfRequestors",
}

// selfAddBit is enableTargetsToSelfAddAccess's bit in a set of
// v1RequestorMembers (its index there is 0).
const selfAddBit = 1 << 0

// v1RequestorIndex returns the index of key in v1RequestorMembers, or -1:
// a switch, as it is asked for every member of every requestorSettings.
func v1RequestorIndex(key string) int {
	switch key {
	case "enableTargetsToSelfAddAccess":
		return 0
	case "enableTargetsToSelfUpdateAccess":
		return 1
	case "enableTargetsToSelfRemoveAccess":
		return 2
	case "allowCustomAssignmentSchedule":
		return 3
	case "enableOnBehalfRequestorsToAddAccess":
		return 4
	case "enableOnBehalfRequestorsToUpdateAccess":
		return 5
	case "enableOnBehalfRequestorsToRemoveAccess":
		return 6
	case "onBehalfRequestors":
		return 7
	}
	return -1
}

// requestorsToV1 writes allowedTargetScope, specificAllowedTargets and
// requestorSettings at the place of the beta requestorSettings m (nil: at
// the end, made up from defaults).
func (c *conv) requestorsToV1(f *frame, m *member, first bool, canExtend, scope, targets *member) {
	var o *object
	// One deferred call (see localizedToV1): the path pushed for the
	// settings' members (popN >= 0) and o.
	popN, popTN := -1, 0
	defer func() {
		if popN >= 0 {
			c.pop(popN, popTN)
		}
		if o != nil {
			c.freeObject(o)
		}
	}()
	if m != nil && m.val != "null" {
		if m.val[0] != '{' {
			c.fail(ErrInvalidValue, c.at(m.key), "", "a requestorSettings object", kindOf(m.val))
			return
		}
		o = c.scanObj(m.val, m.off)
		if c.failed() {
			return
		}
	}
	// (m, when there is one, is the policy's member of this name.)
	n, tn := c.pushName("requestorSettings", "requestorSettings")
	var sType, accept, allowed *member
	if o != nil {
		sType, accept, allowed = o.get("scopeType"), o.get("acceptRequests"), o.get("allowedRequestors")
	}
	// Scope.
	st, hasScope := c.strOf(sType)
	if c.failed() {
		c.pop(n, tn)
		return
	}
	scopeV1, known := scopeToV1[st]
	if !known {
		scopeV1 = "notSpecified"
	}
	noSubjects := !known || st == "NoSubjects"
	c.pop(n, tn)
	at := placer{ow: &f.ow, m: m, first: first}
	emit := at.key
	scopePath, allowedPath := "requestorSettings.scopeType", "requestorSettings.allowedRequestors"
	if len(c.path) > 0 {
		at := c.ar.str(c.path)
		scopePath, allowedPath = c.ar.join(at, ".", scopePath), c.ar.join(at, ".", allowedPath)
	}
	if scope != nil {
		if v, _ := stringValue(scope.val); v != scopeV1 && sType != nil {
			c.fail(ErrConflict, scopePath, c.atName("allowedTargetScope"), "the scope "+strconv.Quote(v)+" of allowedTargetScope", strconv.Quote(st)+" ("+scopeV1+")")
			return
		}
		if sType != nil {
			c.find(CodeDuplicateDropped, scopePath, "allowedTargetScope", "same scope as allowedTargetScope; dropped")
		}
	} else {
		emit("allowedTargetScope")
		c.w.str(scopeV1)
		switch {
		case !hasScope:
			c.find(CodeScopeUnknown, scopePath, "allowedTargetScope", "no scopeType: allowedTargetScope notSpecified (nobody can request)")
		case !known:
			c.find(CodeScopeUnknown, scopePath, "allowedTargetScope", "unknown scopeType ", c.ar.quote(st), ": allowedTargetScope notSpecified (nobody can request)")
		case st == "AllExistingConnectedOrganizationSubjects":
			c.find(CodeScopeCollapsed, scopePath, "allowedTargetScope", st, " becomes ", scopeV1, " (v1.0 has one connected-organization scope; it comes back as AllConfiguredConnectedOrganizationSubjects)")
		default:
			c.find(CodeValueMapped, scopePath, "allowedTargetScope", st, " becomes ", scopeV1)
		}
	}
	// Targets.
	if targets != nil {
		if allowed != nil && !isEmptyValue(allowed.val) {
			ours := c.render(func() { c.allowedList(allowed, f, allowedPath) })
			if !jsonEqual(ours, targets.val) {
				c.fail(ErrConflict, allowedPath, c.atName("specificAllowedTargets"), "the same subjects as specificAllowedTargets", compact(allowed.val))
				return
			}
			c.find(CodeDuplicateDropped, allowedPath, "specificAllowedTargets", "same subjects as specificAllowedTargets; dropped")
		}
	} else {
		emit("specificAllowedTargets")
		if allowed != nil && allowed.val != "null" {
			c.allowedList(allowed, f, allowedPath)
			if !isEmptyValue(allowed.val) {
				c.find(CodeMoved, allowedPath, "specificAllowedTargets", "allowedRequestors become specificAllowedTargets")
			}
		} else {
			c.w.buf = append(c.w.buf, "[]"...)
			c.find(CodeDefaultFilled, allowedPath, "specificAllowedTargets", "no allowedRequestors: specificAllowedTargets []")
		}
	}
	if c.failed() {
		return
	}
	// The settings themselves.
	emit("requestorSettings")
	popN, popTN = c.pushName("requestorSettings", "requestorSettings")
	fr := frame{t: requestorSettingsType, src: o, srcDepth: f.srcDepth + 1, outDepth: f.outDepth + 1}
	fr.ow = c.w.beginObject(o, fr.outDepth, fr.shift())
	// Which of the v1.0 requestor settings the (mixed) source has already.
	var haveBits uint16
	add, hasAdd := false, false
	if o != nil {
		for i := range o.members {
			if j := v1RequestorIndex(o.members[i].key); j >= 0 {
				haveBits |= 1 << j
			}
		}
		c.walk(&fr, func(i int, mm *member) bool {
			switch mm.key {
			case "scopeType", "allowedRequestors":
				return true
			case "acceptRequests":
				v, ok := c.boolOf(mm)
				if c.failed() {
					return true
				}
				if noSubjects && v {
					c.find(CodeAcceptRequestsIgnored, c.at(mm.key), c.tatName("enableTargetsToSelfAddAccess"), "acceptRequests is true but scopeType is ", c.ar.quote(st), ": nobody can request, so enableTargetsToSelfAddAccess is false")
					v = false
				}
				add, hasAdd = v, ok
				if haveBits&selfAddBit != 0 {
					if x, _ := c.boolOf(o.get("enableTargetsToSelfAddAccess")); x != v {
						c.fail(ErrConflict, c.at(mm.key), c.tatName("enableTargetsToSelfAddAccess"), "the value of enableTargetsToSelfAddAccess", mm.val)
					}
					return true
				}
				fr.ow.key(mm, i == 0, "enableTargetsToSelfAddAccess")
				if ok {
					c.w.bool(v)
				} else {
					c.w.null()
				}
				return true
			case "enableTargetsToSelfAddAccess":
				if v, ok := c.boolOf(mm); ok && !hasAdd && accept == nil {
					add, hasAdd = v, true
				}
			}
			return false
		})
		if c.failed() {
			return
		}
		if accept != nil {
			// enableTargetsToSelfAddAccess is written from acceptRequests.
			haveBits |= selfAddBit
		}
	}
	var filled [8]string
	nf := 0
	fill := func(k string) { filled[nf] = k; nf++ }
	for j, k := range v1RequestorMembers {
		if haveBits&(1<<j) != 0 {
			if k == "enableTargetsToSelfUpdateAccess" && canExtend != nil {
				x, _ := c.boolOf(o.get(k))
				y, _ := c.boolOf(canExtend)
				if x != y {
					c.fail(ErrConflict, "canExtend", c.tat(k), "the value of "+c.tat(k), canExtend.val)
					return
				}
				c.find(CodeDuplicateDropped, "canExtend", c.tat(k), "same value as ", c.tat(k), "; dropped")
			}
			continue
		}
		fr.ow.newKey(k)
		switch k {
		case "enableTargetsToSelfAddAccess":
			c.w.bool(add)
			fill(k)
		case "enableTargetsToSelfUpdateAccess":
			v, ok := c.boolOf(canExtend)
			if c.failed() {
				return
			}
			c.w.bool(v)
			if ok {
				c.find(CodeMoved, "canExtend", c.tat(k), "canExtend becomes ", k)
			} else {
				fill(k)
			}
		case "enableTargetsToSelfRemoveAccess":
			c.w.bool(add)
			if hasAdd {
				c.find(CodeValueMapped, c.atName("acceptRequests"), c.tat(k), k, " takes the value of enableTargetsToSelfAddAccess (", strconv.FormatBool(add), ")")
			} else {
				fill(k)
			}
		case "onBehalfRequestors":
			c.w.buf = append(c.w.buf, "[]"...)
			fill(k)
		default:
			c.w.bool(false)
			fill(k)
		}
	}
	fr.ow.end()
	if nf > 0 {
		c.find(CodeDefaultFilled, c.ar.str(c.path), c.ar.str(c.tpath), "filled for a complete PUT body: ", c.ar.joinList(filled[:nf], ", "), " (false, or [])")
	}
}

// allowedList writes beta allowedRequestors as v1.0 subjects (isBackup,
// meaningless there, dropped). The path is the policy's own.
func (c *conv) allowedList(allowed *member, f *frame, _ string) {
	n, tn := c.pushName("requestorSettings", "")
	n2, tn2 := c.pushName("allowedRequestors", "specificAllowedTargets")
	c.subjectList([]listPart{{m: allowed, want: anyBackup, set: noBackup, noteBackup: true}}, f.srcDepth+1, f.outDepth)
	c.pop(n2, tn2)
	c.pop(n, tn)
}

// requestorsToBeta writes canExtend and the beta requestorSettings at the
// place of m (the first of requestorSettings, allowedTargetScope and
// specificAllowedTargets; nil: at the end).
func (c *conv) requestorsToBeta(f *frame, m *member, first bool, req, scope, targets, canExtend *member) {
	var o *object
	// One deferred call (see localizedToV1): the names list lent out
	// (dropped, when lent), the path pushed for the settings' members
	// (popN >= 0) and o.
	popN, popTN := -1, 0
	var dropped []string
	lent := false
	defer func() {
		if lent {
			c.names = dropped[:0]
		}
		if popN >= 0 {
			c.pop(popN, popTN)
		}
		if o != nil {
			c.freeObject(o)
		}
	}()
	if req != nil && req.val != "null" {
		if req.val[0] != '{' {
			c.fail(ErrInvalidValue, c.at(req.key), "", "a requestorSettings object", kindOf(req.val))
			return
		}
		o = c.scanObj(req.val, req.off)
		if c.failed() {
			return
		}
	}
	at := placer{ow: &f.ow, m: m, first: first}
	emit := at.key
	get := func(k string) *member {
		if o == nil {
			return nil
		}
		return o.get(k)
	}
	// canExtend.
	n, tn := c.pushName("requestorSettings", "")
	upd, hasUpd := c.boolOf(get("enableTargetsToSelfUpdateAccess"))
	add, hasAdd := c.boolOf(get("enableTargetsToSelfAddAccess"))
	c.pop(n, tn)
	if c.failed() {
		return
	}
	if canExtend != nil {
		if v, _ := c.boolOf(canExtend); hasUpd && v != upd {
			c.fail(ErrConflict, "requestorSettings.enableTargetsToSelfUpdateAccess", "canExtend", "the value of canExtend", strconv.FormatBool(upd))
			return
		}
	} else {
		emit("canExtend")
		c.w.bool(upd)
		if hasUpd {
			c.find(CodeMoved, "requestorSettings.enableTargetsToSelfUpdateAccess", "canExtend", "enableTargetsToSelfUpdateAccess becomes canExtend")
		} else {
			c.find(CodeDefaultFilled, "", "canExtend", "no enableTargetsToSelfUpdateAccess: canExtend false")
		}
	}
	// Scope.
	sv, hasScope := c.strOf(scope)
	if c.failed() {
		return
	}
	st, known := scopeToBeta[sv]
	switch {
	case !hasScope:
		st = "NoSubjects"
		c.find(CodeDefaultFilled, "allowedTargetScope", "requestorSettings.scopeType", "no allowedTargetScope: scopeType NoSubjects (nobody can request)")
	case scopeNoBeta[sv] || !known:
		st = "NoSubjects"
		c.find(CodeScopeNotExpressible, "allowedTargetScope", "requestorSettings.scopeType", "allowedTargetScope ", c.ar.quote(sv), " has no beta value: scopeType NoSubjects, so nobody can request")
	case sv == "allConfiguredConnectedOrganizationUsers":
		c.find(CodeValueMapped, "allowedTargetScope", "requestorSettings.scopeType", sv, " becomes ", st)
	default:
		c.find(CodeValueMapped, "allowedTargetScope", "requestorSettings.scopeType", sv, " becomes ", st)
	}
	emit("requestorSettings")
	popN, popTN = c.pushName("requestorSettings", "requestorSettings")
	fr := frame{t: requestorSettingsType, src: o, srcDepth: f.srcDepth + 1, outDepth: f.outDepth + 1}
	fr.ow = c.w.beginObject(o, fr.outDepth, fr.shift())
	if get("scopeType") == nil {
		fr.ow.newKey("scopeType")
		c.w.str(st)
	}
	if get("acceptRequests") == nil {
		fr.ow.newKey("acceptRequests")
		c.w.bool(add)
		if hasAdd {
			c.find(CodeMoved, c.atName("enableTargetsToSelfAddAccess"), c.tatName("acceptRequests"), "enableTargetsToSelfAddAccess becomes acceptRequests")
		} else {
			c.find(CodeDefaultFilled, "", c.tatName("acceptRequests"), "no enableTargetsToSelfAddAccess: acceptRequests false")
		}
	}
	if get("allowedRequestors") == nil {
		fr.ow.newKey("allowedRequestors")
		switch {
		case targets == nil || targets.val == "null":
			c.w.buf = append(c.w.buf, "[]"...)
		case scopeNoBeta[sv]:
			c.w.buf = append(c.w.buf, "[]"...)
			if !isEmptyValue(targets.val) {
				c.find(CodeSubjectNotExpressible, "specificAllowedTargets", "", "the targets of scope ", sv, " cannot be expressed in beta; dropped")
			}
		default:
			// The targets are a member of the policy, not of requestorSettings.
			inner := c.ar.str(c.path)
			c.path = append(c.path[:0], "specificAllowedTargets"...)
			tn2 := len(c.tpath)
			c.tpath = appendIdent(c.tpath, "allowedRequestors")
			c.subjectList([]listPart{{m: targets, want: anyBackup, set: noBackup}}, f.srcDepth, f.outDepth+1)
			c.path = append(c.path[:0], inner...)
			c.tpath = c.tpath[:tn2]
			if !isEmptyValue(targets.val) {
				c.find(CodeMoved, "specificAllowedTargets", c.tatName("allowedRequestors"), "specificAllowedTargets become allowedRequestors")
			}
		}
	}
	if o == nil {
		fr.ow.end()
		return
	}
	dropped, lent = c.names[:0], true
	c.names = nil // so that a nested use cannot share it
	c.walk(&fr, func(i int, mm *member) bool {
		k := mm.key
		switch k {
		case "enableTargetsToSelfAddAccess", "enableTargetsToSelfUpdateAccess":
			return true
		case "enableTargetsToSelfRemoveAccess":
			if v, ok := c.boolOf(mm); ok && v != add {
				c.find(CodeSelfServiceSettingDropped, c.at(k), "", k, " is ", strconv.FormatBool(v), " while enableTargetsToSelfAddAccess is ", strconv.FormatBool(add), "; beta cannot hold the difference (it comes back equal to acceptRequests)")
			} else {
				dropped = append(dropped, k)
			}
			return true
		case "allowCustomAssignmentSchedule":
			if v, _ := c.boolOf(mm); v {
				c.find(CodeSelfServiceSettingDropped, c.at(k), "", "requestors may choose their own assignment schedule; beta cannot hold this")
			} else {
				dropped = append(dropped, k)
			}
			return true
		case "enableOnBehalfRequestorsToAddAccess", "enableOnBehalfRequestorsToUpdateAccess", "enableOnBehalfRequestorsToRemoveAccess":
			if v, _ := c.boolOf(mm); v {
				c.find(CodeOnBehalfNotExpressible, c.at(k), "", k, " is true; beta has no on-behalf-of requestors, so they could no longer request")
			} else {
				dropped = append(dropped, k)
			}
			return true
		case "onBehalfRequestors":
			if !isEmptyValue(mm.val) {
				c.find(CodeOnBehalfNotExpressible, c.at(k), "", "beta has no on-behalf-of requestors; dropped")
			} else {
				dropped = append(dropped, k)
			}
			return true
		}
		return false
	})
	fr.ow.end()
	if len(dropped) > 0 && !c.failed() {
		c.find(CodeEmptySettingDropped, c.ar.str(c.path), "", "false or empty, and beta has no such settings: ", c.ar.joinList(dropped, ", "))
	}
}
