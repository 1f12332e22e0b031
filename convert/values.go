package convert

import (
	"math"
	"strconv"
	"strings"
)

// Values the converter computes from (decision 15). Values it only copies
// stay as written, whatever their type; values it reads to compute another
// accept the schema's type, and "true", "false" and decimal strings with a
// string-coerced finding; anything else is an invalid-value error.

// boolOf reads a Boolean member. ok is false when m is nil or null, or on
// error (c.err is then set).
func (c *conv) boolOf(m *member) (v, ok bool) {
	if m == nil || m.val == "null" {
		return false, false
	}
	switch m.val {
	case "true":
		return true, true
	case "false":
		return false, true
	case `"true"`, `"True"`, `"TRUE"`:
		c.find(CodeStringCoerced, c.at(m.key), "", "the string ", m.val, " read as the Boolean true")
		return true, true
	case `"false"`, `"False"`, `"FALSE"`:
		c.find(CodeStringCoerced, c.at(m.key), "", "the string ", m.val, " read as the Boolean false")
		return false, true
	}
	c.fail(ErrInvalidValue, c.at(m.key), "", "a Boolean", kindOf(m.val)+" "+compact(m.val))
	return false, false
}

// intOf reads an Int32 member (a whole number, or a decimal string).
func (c *conv) intOf(m *member) (n int64, ok bool) {
	if m == nil || m.val == "null" {
		return 0, false
	}
	s := m.val
	quoted := false
	if s[0] == '"' {
		s = strings.TrimSpace(unquote(s))
		quoted = true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// 365.0 and 3.65e2 are whole numbers too.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.IsInf(f, 0) || s == "" || !isNumberStart(s[0]) {
			c.fail(ErrInvalidValue, c.at(m.key), "", "a whole number (Int32)", kindOf(m.val)+" "+compact(m.val))
			return 0, false
		}
		if f > math.MaxInt32 || f < math.MinInt32 {
			n = math.MaxInt64
		} else {
			n = int64(f)
		}
	}
	if n > math.MaxInt32 || n < math.MinInt32 {
		c.fail(ErrInvalidValue, c.at(m.key), "", "a whole number within Int32 (up to 2147483647)", compact(m.val))
		return 0, false
	}
	if quoted {
		c.find(CodeStringCoerced, c.at(m.key), "", "the string ", c.ar.compact(m.val), " read as the number ", c.ar.num(n))
	}
	return n, true
}

func isNumberStart(c byte) bool { return c == '-' || '0' <= c && c <= '9' }

// strOf reads a String member; ok is false when absent or null.
func (c *conv) strOf(m *member) (string, bool) {
	if m == nil || m.val == "null" {
		return "", false
	}
	s, ok := stringValue(m.val)
	if !ok {
		c.fail(ErrInvalidValue, c.at(m.key), "", "a string", kindOf(m.val)+" "+compact(m.val))
		return "", false
	}
	return s, true
}

// nonNegative fails on a negative count of days or minutes.
func (c *conv) nonNegative(m *member, n int64) bool {
	if n < 0 {
		c.fail(ErrInvalidValue, c.at(m.key), "", "a number that is not negative", strconv.FormatInt(n, 10))
		return false
	}
	return true
}

// durationOf reads an Edm.Duration member.
func (c *conv) durationOf(m *member) (sec, nanos int64, ok bool) {
	s, ok := c.strOf(m)
	if !ok {
		return 0, 0, false
	}
	sec, nanos, err := parseDuration(s)
	if err != nil {
		c.fail(ErrInvalidValue, c.at(m.key), "", "an ISO 8601 day-time duration such as P14D or PT1H30M ("+err.Error()+")", strconv.Quote(s))
		return 0, 0, false
	}
	return sec, nanos, true
}
