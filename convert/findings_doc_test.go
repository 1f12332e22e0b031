package convert

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// findingsMarkdown renders the findings table of FINDINGS.md from codeTable.
func findingsMarkdown() string {
	var b strings.Builder
	b.WriteString("# Findings\n\n")
	b.WriteString("<!-- Generated from convert/codes.go by `go test ./convert -run TestFindingsTable -update`. Do not edit. -->\n\n")
	b.WriteString("Every change a conversion makes beyond a rename is reported as a finding: the source path, the target\n")
	b.WriteString("path, one of the codes below, its severity and a message. By default `info` and `loss` findings are\n")
	b.WriteString("reported and the policy converts; a `widening` finding refuses the policy unless widening is allowed\n")
	b.WriteString("(`--allow-widening`, `Options.AllowWidening`); strict mode (`--strict`, `Options.Strict`) refuses any `loss` or\n")
	b.WriteString("`widening`.\n\n")
	for _, sev := range []Severity{Info, Loss, Widening} {
		b.WriteString("## " + string(sev) + "\n\n| code | direction | meaning |\n|---|---|---|\n")
		for _, ci := range codeTable {
			if ci.Severity == sev {
				b.WriteString("| `" + string(ci.Code) + "` | " + ci.Directions + " | " + ci.Meaning + " |\n")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestFindingsTable keeps FINDINGS.md in step with the code table.
func TestFindingsTable(t *testing.T) {
	golden(t, filepath.Join("..", "FINDINGS.md"), []byte(findingsMarkdown()))
	seen := map[Code]bool{}
	for _, ci := range codeTable {
		if seen[ci.Code] {
			t.Errorf("code %s listed twice", ci.Code)
		}
		seen[ci.Code] = true
	}
	// Every code constant in codes.go is in the table.
	src, err := os.ReadFile("codes.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		if f := strings.Fields(line); len(f) >= 4 && strings.HasPrefix(f[0], "Code") && f[1] == "Code" && f[2] == "=" {
			if !seen[Code(strings.Trim(f[3], `"`))] {
				t.Errorf("%s is not in codeTable", f[0])
			}
		}
	}
}
