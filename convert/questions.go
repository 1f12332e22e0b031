package convert

// Questions and answer choices (mapping §7, decision 11): beta localized
// content {defaultText, localizedTexts} becomes v1.0 text and
// localizations, and back.

// questionToV1 converts one beta question.
func questionToV1(c *conv, f *frame) {
	c.walk(f, func(i int, m *member) bool {
		if m.key != "text" {
			return false
		}
		return c.localizedToV1(f, m, i == 0, "text")
	})
}

// choiceToV1 converts one beta answer choice.
func choiceToV1(c *conv, f *frame) {
	c.walk(f, func(i int, m *member) bool {
		if m.key != "displayValue" {
			return false
		}
		return c.localizedToV1(f, m, i == 0, "displayValue")
	})
}

// localizedToV1 writes beta localized content m as text (and
// localizations) at its place. It returns false when m is already a v1.0
// plain text, which the caller keeps.
func (c *conv) localizedToV1(f *frame, m *member, first bool, from string) bool {
	if m.val[0] == '"' {
		return false
	}
	n, tn := c.push(m.key, "text")
	// One deferred call, so that the compiler writes it in line at each
	// return (two of them, at this many returns, went through the runtime).
	var o *object
	defer func() {
		if o != nil {
			c.freeObject(o)
		}
		c.pop(n, tn)
	}()
	if m.val == "null" {
		if from == "displayValue" && f.src.get("text") == nil {
			f.ow.key(m, first, "text")
			c.w.null()
			return true
		}
		return from == "displayValue" || false
	}
	if m.val[0] != '{' {
		c.fail(ErrInvalidValue, c.ar.str(c.path), "", "a localized content object {defaultText, localizedTexts}", kindOf(m.val))
		return true
	}
	o = c.scanObj(m.val, m.off)
	if c.failed() {
		return true
	}
	def, lts := o.get("defaultText"), o.get("localizedTexts")
	_, hasText := c.strOf(def)
	if c.failed() {
		return true
	}
	textRaw := ""
	if hasText {
		textRaw = def.val
	} else if lts != nil && lts.val != "null" && lts.val[0] == '[' {
		a := c.scanArr(lts.off)
		for i := range a.elems {
			if a.elems[i].val[0] != '{' {
				continue
			}
			e := c.scanObj(a.elems[i].val, a.elems[i].off)
			if t := e.get("text"); t != nil && t.val != "null" {
				if _, ok := stringValue(t.val); ok {
					textRaw = t.val
				}
			}
			c.freeObject(e)
			if textRaw != "" {
				break
			}
		}
		c.freeArray(a)
	}
	if other := f.src.get("text"); other != nil && from == "displayValue" {
		if textRaw != "" && !jsonEqual(textRaw, other.val) {
			c.fail(ErrConflict, c.ar.str(c.path), c.tatName("text"), "the same text as "+c.tatName("text"), compact(textRaw))
		}
		return true
	}
	f.ow.key(m, first, "text")
	if textRaw == "" {
		c.w.null()
		c.find(CodeQuestionDefaultTextMissing, c.ar.str(c.path), c.ar.str(c.tpath), "no defaultText and no localized text: text is null")
	} else {
		c.w.raw(textRaw, 0)
		if hasText {
			c.find(CodeQuestionTextConverted, c.ar.str(c.path), c.ar.str(c.tpath), m.key, ".defaultText becomes text")
		} else {
			c.find(CodeQuestionDefaultTextMissing, c.ar.str(c.path), c.ar.str(c.tpath), "no defaultText: the first localized text becomes text")
		}
	}
	if lts != nil && f.src.get("localizations") == nil {
		f.ow.newKey("localizations")
		np := len(c.path)
		c.path = appendIdent(c.path, "localizedTexts")
		c.tpath = appendIdent(c.tpath[:tn], "localizations")
		c.valueAt(lts.val, lts.off, localizedTextType, f.srcDepth+1, f.outDepth)
		c.path = c.path[:np]
		c.tpath = appendIdent(c.tpath[:tn], "text")
	}
	// What else the localized content has has no place in v1.0.
	c.leftovers(o, func(k string) bool { return k == "defaultText" || k == "localizedTexts" }, "the localized content")
	return true
}

// questionToBeta converts one v1.0 question.
func questionToBeta(c *conv, f *frame) {
	text, locs := f.src.get("text"), f.src.get("localizations")
	c.walk(f, func(i int, m *member) bool {
		return c.localizedToBeta(f, m, i == 0, "text", text, locs)
	})
}

// choiceToBeta converts one v1.0 answer choice.
func choiceToBeta(c *conv, f *frame) {
	text, locs := f.src.get("text"), f.src.get("localizations")
	if f.src.get("displayValue") != nil {
		text, locs = nil, nil // a beta form is there already (mixed): keep it
	}
	c.walk(f, func(i int, m *member) bool {
		return c.localizedToBeta(f, m, i == 0, "displayValue", text, locs)
	})
}

// localizedToBeta writes v1.0 text and localizations as the beta localized
// content key at the place of the first of them.
func (c *conv) localizedToBeta(f *frame, m *member, first bool, key string, text, locs *member) bool {
	if m != text && m != locs {
		return false
	}
	if text != nil && text.val != "null" && text.val[0] == '{' {
		return false // already beta-shaped
	}
	if m == locs && text != nil {
		return true // written with text
	}
	n, tn := c.push(m.key, key)
	defer c.pop(n, tn)
	f.ow.key(m, first, key)
	ow := c.w.beginObject(nil, f.outDepth+1, 0)
	if text != nil {
		ow.newKey("defaultText")
		c.w.raw(text.val, 0)
	}
	if locs != nil {
		ow.newKey("localizedTexts")
		np, tp := c.pushName("localizations", "localizedTexts")
		c.valueAt(locs.val, locs.off, localizedTextType, f.srcDepth, f.outDepth+1)
		c.pop(np, tp)
	}
	ow.end()
	c.find(CodeQuestionTextConverted, c.ar.str(c.path), c.ar.str(c.tpath), "text and localizations become ", key, " {defaultText, localizedTexts}")
	return true
}
