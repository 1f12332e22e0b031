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
		s, ok := stringValue(m.val)
		if !ok || m.val == "null" {
			f.ow.key(m, i == 0, key)
			c.w.raw(m.val, f.shift())
			return true
		}
		if c.d == toV1 {
			// The beta String must name a member of the v1.0 enum.
			members := catalogTypes
			if key == "state" {
				members = catalogStates
			}
			found := ""
			for _, mem := range members {
				if strings.EqualFold(mem, s) {
					found = mem
				}
			}
			if found == "" {
				code := CodeNoCounterpart
				if s == "" {
					code = CodeEmptySettingDropped
				}
				c.find(code, c.at(m.key), "", c.ar.quote(s), " is no ", key, " v1.0 knows; dropped")
				return true
			}
			s = found
		} else if s != "" {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		f.ow.key(m, i == 0, key)
		c.w.str(s)
		if key != m.key || s != m.val[1:len(m.val)-1] {
			c.find(CodeValueMapped, c.at(m.key), c.tat(key), compact(m.val), " becomes ", s)
		}
		return true
	})
}

// The v1.0 catalog enums (accessPackageCatalogType, accessPackageCatalogState).
var (
	catalogTypes  = []string{"userManaged", "serviceDefault", "serviceManaged", "unknownFutureValue"}
	catalogStates = []string{"unpublished", "published", "unknownFutureValue"}
)
