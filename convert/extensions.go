package convert

import (
	"strconv"
	"strings"

	"github.com/apmigrate/apmigrate/model"
)

// Custom extensions (mapping §8, decision 13).

// Stages that belong to each surviving workflow extension type.
var stageExtensionType = map[string]string{
	"assignmentRequestCreated":               "microsoft.graph.accessPackageAssignmentRequestWorkflowExtension",
	"assignmentRequestApproved":              "microsoft.graph.accessPackageAssignmentRequestWorkflowExtension",
	"assignmentRequestGranted":               "microsoft.graph.accessPackageAssignmentRequestWorkflowExtension",
	"assignmentRequestRemoved":               "microsoft.graph.accessPackageAssignmentRequestWorkflowExtension",
	"assignmentFourteenDaysBeforeExpiration": "microsoft.graph.accessPackageAssignmentWorkflowExtension",
	"assignmentOneDayBeforeExpiration":       "microsoft.graph.accessPackageAssignmentWorkflowExtension",
}

const retiredExtension = "microsoft.graph.customAccessPackageWorkflowExtension"

// handlersToV1 writes customExtensionStageSettings from beta
// customExtensionHandlers at m's place. When the policy has stage settings
// too (settings is m then, and handlers is given), the handlers are
// appended to them.
func (c *conv) handlersToV1(f *frame, m *member, first bool, handlers *member) {
	var parts []*member
	if handlers != nil {
		parts = []*member{m, handlers}
	} else {
		parts = []*member{m}
	}
	n, tn := c.push(m.key, "customExtensionStageSettings")
	defer c.pop(n, tn)
	f.ow.key(m, first, "customExtensionStageSettings")
	if len(parts) == 1 && m.val == "null" {
		c.w.null()
		return
	}
	var layout *array
	arrays := make([]*array, len(parts))
	for i, p := range parts {
		if p.val == "null" {
			continue
		}
		if p.val[0] != '[' {
			c.fail(ErrInvalidValue, c.at(p.key), "", "a list", kindOf(p.val))
			return
		}
		arrays[i] = c.scanArr(p.off)
		if c.failed() {
			return
		}
		if layout == nil && len(arrays[i].elems) > 0 {
			layout = arrays[i]
		}
	}
	defer func() {
		for _, a := range arrays {
			if a != nil {
				c.freeArray(a)
			}
		}
	}()
	aw := c.w.beginArray(layout, f.outDepth+1, f.shift())
	base := len(c.path) - len(lastSegment(c.path))
	orig := string(c.path[base:])
	defer func() { c.path = append(c.path[:base], orig...) }()
	for i, p := range parts {
		a := arrays[i]
		if a == nil {
			continue
		}
		isHandler := p.key == "customExtensionHandlers"
		for j := range a.elems {
			e := &a.elems[j]
			c.path = model.AppendKey(c.path[:base], p.key)
			np, tp := len(c.path), len(c.tpath)
			c.path = appendIdx(c.path, j)
			if e.val[0] == '{' && !c.extensionConvertible(e, isHandler) {
				c.path, c.tpath = c.path[:np], c.tpath[:tp]
				if c.failed() {
					return
				}
				continue
			}
			if a == layout {
				aw.elem(e, j == 0)
			} else {
				aw.newElem()
			}
			c.tpath = appendIdx(c.tpath, aw.n-1)
			if e.val[0] == '{' {
				t := stageSettingType
				if isHandler {
					t = handlerType
				}
				c.objectAt(e.val, e.off, t, f.srcDepth+2, f.outDepth+2)
			} else {
				c.w.raw(e.val, f.shift())
			}
			if isHandler && !c.failed() {
				c.find(CodeDeprecatedNormalized, c.ar.str(c.path), c.ar.str(c.tpath), "the deprecated custom extension handler becomes a stage setting")
			}
			c.path, c.tpath = c.path[:np], c.tpath[:tp]
			if c.failed() {
				return
			}
		}
	}
	aw.end()
}

func appendIdx(p []byte, i int) []byte {
	p = append(p, '[')
	p = strconv.AppendInt(p, int64(i), 10)
	return append(p, ']')
}

// extensionConvertible reports whether a handler (or a stage setting) can
// be a v1.0 stage setting: it needs a stage, and its extension a type
// v1.0 has; the retired extension type takes one from the stage. What
// cannot is reported as dropped.
func (c *conv) extensionConvertible(e *element, isHandler bool) bool {
	o := c.scanObj(e.val, e.off)
	defer c.freeObject(o)
	stage, hasStage := "", false
	if s := o.get("stage"); s != nil && s.val != "null" {
		stage, hasStage = stringValue(s.val)
	}
	if isHandler && !hasStage {
		c.find(CodeCustomExtensionDropped, c.ar.str(c.path), "", "a custom extension handler without a stage cannot become a stage setting (v1.0 requires the stage); dropped")
		return false
	}
	ext := o.get("customExtension")
	if ext == nil || ext.val == "null" || ext.val[0] != '{' {
		return true
	}
	xo := c.scanObj(ext.val, ext.off)
	name, _ := stringValue(valOf(xo.odataType()))
	c.freeObject(xo)
	retired := strings.TrimPrefix(name, "#") == retiredExtension || name == "" && isHandler
	if !retired {
		return true
	}
	if _, ok := stageExtensionType[stage]; ok {
		return true
	}
	c.find(CodeCustomExtensionDropped, c.ar.str(c.path), "", "the retired customAccessPackageWorkflowExtension has no successor type for stage ", c.ar.quote(stage), ", and v1.0 needs one; dropped (migrate the extension, then set the stage by hand)")
	return false
}

// handlerToV1 and stageSettingToV1 convert one handler or stage setting:
// a customExtension of the retired type is retyped by the stage.
func stageSettingToV1(c *conv, f *frame) {
	stage, _ := stringValue(valOf(f.src.get("stage")))
	c.walk(f, func(i int, m *member) bool {
		if m.key != "customExtension" || m.val == "null" || m.val[0] != '{' {
			return false
		}
		n, tn := c.push(m.key, m.key)
		defer c.pop(n, tn)
		f.ow.key(m, i == 0, "")
		c.extensionToV1(m, stage, f.srcDepth+1, f.outDepth+1)
		return true
	})
}

func valOf(m *member) string {
	if m == nil {
		return "null"
	}
	return m.val
}

// extensionToV1 writes a custom extension reference, retyping the retired
// customAccessPackageWorkflowExtension (or a handler's untyped reference,
// which the beta schema types as that) by the stage, and mapping its id
// through Options.ExtensionIDs.
func (c *conv) extensionToV1(m *member, stage string, srcDepth, outDepth int) {
	o := c.scanObj(m.val, m.off)
	defer c.freeObject(o)
	if c.failed() {
		return
	}
	tm := o.odataType()
	name := ""
	if tm != nil {
		name, _ = stringValue(tm.val)
	}
	bare := strings.TrimPrefix(name, "#")
	retired := bare == retiredExtension || bare == "" && c.inHandler
	oldID, _ := stringValue(valOf(o.get("id")))
	newID, mapped := c.opts.ExtensionIDs[oldID]
	if !retired && !mapped {
		c.objectAt(m.val, m.off, calloutType, srcDepth, outDepth)
		return
	}
	t := calloutType
	newType := ""
	if retired {
		var ok bool
		if newType, ok = stageExtensionType[stage]; !ok {
			c.find(CodeCustomExtensionRetyped, c.ar.str(c.path), "", "the retired customAccessPackageWorkflowExtension type has no successor for stage ", c.ar.quote(stage), "; kept as it was, migrate it by hand")
			c.w.raw(m.val, outDepth-srcDepth)
			return
		}
		t = typeByName[1][newType]
	} else if rt := calloutType.resolve(name, c.srcIdx); rt != nil {
		t = rt
	}
	f := frame{t: t, src: o, srcDepth: srcDepth, outDepth: outDepth}
	f.ow = c.w.beginObject(o, outDepth, outDepth-srcDepth)
	if tm == nil && newType != "" {
		f.ow.newKey("@odata.type")
		c.w.str(c.ar.join("#", newType))
	}
	c.walk(&f, func(i int, mm *member) bool {
		switch {
		case mm.key == "@odata.type" && newType != "":
			f.ow.key(mm, i == 0, "")
			if strings.HasPrefix(name, "#") {
				c.w.str(c.ar.join("#", newType))
			} else {
				c.w.str(newType)
			}
			return true
		case mm.key == "id" && mapped:
			f.ow.key(mm, i == 0, "")
			c.w.str(newID)
			c.find(CodeExtensionIDMapped, c.atName("id"), c.tatName("id"), "custom extension ", oldID, " becomes ", newID, " (extension map)")
			return true
		}
		return false
	})
	f.ow.end()
	switch {
	case retired && mapped:
		c.find(CodeMoved, c.ar.str(c.path), c.ar.str(c.tpath), "the reference to the retired customAccessPackageWorkflowExtension ", oldID, " now names the migrated ", newType[len(ns):], " ", newID)
	case retired:
		c.find(CodeCustomExtensionRetyped, c.ar.str(c.path), "", "the reference to the retired customAccessPackageWorkflowExtension is retyped as ", newType[len(ns):], " for stage ", stage, "; the extension itself must be migrated to that type too (or give its new id in an extension map)")
	}
}

// handlerToV1 converts one beta custom extension handler into a stage
// setting (its members are the same but for the extension's type).
func handlerToV1(c *conv, f *frame) {
	stage, _ := stringValue(valOf(f.src.get("stage")))
	c.walk(f, func(i int, m *member) bool {
		switch m.key {
		case "@odata.type":
			f.ow.key(m, i == 0, "")
			if strings.HasPrefix(m.val, `"#`) {
				c.w.str("#" + ns + "customExtensionStageSetting")
			} else {
				c.w.str(ns + "customExtensionStageSetting")
			}
			return true
		case "id", "stage":
			f.ow.copyMember(m, i == 0)
			return true
		case "customExtension":
			if m.val == "null" {
				f.ow.copyMember(m, i == 0)
				return true
			}
			n, tn := c.push(m.key, m.key)
			defer c.pop(n, tn)
			f.ow.key(m, i == 0, "")
			if m.val[0] != '{' {
				// Not the object the schemas have: converted as a stage
				// setting's customExtension is (the entries of a list
				// by their types), or converting the output again
				// would change it.
				c.value(f, m, stageSettingType.prop(m.key).elem)
				return true
			}
			c.inHandler = true
			c.extensionToV1(m, stage, f.srcDepth+1, f.outDepth+1)
			c.inHandler = false
			return true
		}
		return false
	})
}
