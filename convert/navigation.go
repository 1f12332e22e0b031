package convert

import "strings"

// Expanded navigation targets (mapping §11): only an expanded catalog has
// values to map; everything else is copied or dropped by the registry.

// convertCatalog maps the catalog's type and state strings.
func convertCatalog(c *conv, f *frame) {
	c.walk(f, func(i int, m *member) bool {
		var key string
		switch {
		case m.key == "catalogType":
			key = "catalogType"
		case m.key == "catalogStatus" && c.d == toV1:
			key = "state"
		case m.key == "state" && c.d == toBeta:
			key = "catalogStatus"
		default:
			return false
		}
		if f.src.get(key) != nil && key != m.key {
			c.find(CodeDuplicateDropped, c.at(m.key), c.tat(key), "the catalog has ", key, " too; dropped")
			return true
		}
		f.ow.key(m, i == 0, key)
		s, ok := stringValue(m.val)
		if !ok || s == "" {
			c.w.raw(m.val, f.shift())
			return true
		}
		if c.d == toV1 {
			s = strings.ToLower(s[:1]) + s[1:]
		} else {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		c.w.str(s)
		if key != m.key || s != m.val[1:len(m.val)-1] {
			c.find(CodeValueMapped, c.at(m.key), c.tat(key), compact(m.val), " becomes ", s)
		}
		return true
	})
}
