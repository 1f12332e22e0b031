// Command cmd writes the generated structs of both API versions:
// beta/types_gen.go and v1/types_gen.go under the model directory.
//
// It is run by "go generate ./model/..." (see model/generate.go), from the
// model directory; -dir names another model directory.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apmigrate/apmigrate/model"
	"github.com/apmigrate/apmigrate/model/internal/structgen"
)

func main() {
	dir := flag.String("dir", ".", "the model directory")
	flag.Parse()
	for _, v := range model.Versions {
		src, err := structgen.Generate(v)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out := filepath.Join(*dir, filepath.FromSlash(structgen.OutputFile(v)))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := os.WriteFile(out, src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
