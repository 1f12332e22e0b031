package convert

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// registryMarkdown renders REGISTRY.md: every rule of the registry, type by
// type and property by property, with what each direction does, the
// finding it can report and why.
func registryMarkdown() string {
	var b strings.Builder
	b.WriteString("# The rule registry\n\n")
	b.WriteString("<!-- Generated from convert/registry.go by `go test ./convert -run TestRegistryTable -update`. Do not edit. -->\n\n")
	b.WriteString("Every property of every type in both schema closures, and what a conversion does with it in each\n")
	b.WriteString("direction. **keep**: copied (its value walked by its type); **rename**: the same value under another\n")
	b.WriteString("name; **drop**: no counterpart, reported with the code shown (a null, false or empty value is reported\n")
	b.WriteString("as `empty-setting-dropped` instead); **restructure**: the type's converter function writes it (the\n")
	b.WriteString("target column says where); **consumed**: read by the converter of the type that holds it. Severities\n")
	b.WriteString("and meanings of the codes are in [FINDINGS.md](FINDINGS.md). A property that only the target version\n")
	b.WriteString("has is kept when it turns up in a mixed payload.\n\n")
	keys := make([]string, 0, len(registry))
	for k := range registry {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t := registry[k]
		b.WriteString("## " + k + "\n\n")
		b.WriteString("beta: `" + orNone(t.names[0]) + "`; v1.0: `" + orNone(t.names[1]) + "`")
		if t.abstract {
			b.WriteString(" (abstract)")
		}
		b.WriteString("\n\n")
		if len(t.props) == 0 {
			b.WriteString("No properties of its own.\n\n")
			continue
		}
		b.WriteString("| property | in | beta → v1.0 | v1.0 → beta |\n|---|---|---|---|\n")
		for _, p := range t.props {
			in := "both"
			switch p.in {
			case inBeta:
				in = "beta"
			case inV1:
				in = "v1.0"
			}
			b.WriteString("| `" + p.name + "` | " + in + " | " + ruleCell(p, toV1) + " | " + ruleCell(p, toBeta) + " |\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// ruleCell describes what direction d does with p.
func ruleCell(p *prop, d direction) string {
	if p.in&d.source() == 0 {
		return "—"
	}
	r := p.rules[d]
	s := r.act.String()
	if r.to != "" {
		s += " → `" + r.to + "`"
	}
	if r.code != "" {
		s += " (`" + string(r.code) + "`, " + string(r.code.Severity()) + ")"
	}
	if r.note != "" {
		s += ": " + strings.ReplaceAll(r.note, "|", "\\|")
	}
	return s
}

// TestRegistryTable keeps REGISTRY.md in step with the registry.
func TestRegistryTable(t *testing.T) {
	golden(t, filepath.Join("..", "REGISTRY.md"), []byte(registryMarkdown()))
}
