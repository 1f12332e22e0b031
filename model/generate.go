package model

// The typed structs of packages beta and v1 are generated from the schema
// facts by model/internal/structgen. Regenerate them after changing the
// schema files or the generator:
//
//	go generate ./model/...
//
//go:generate go run ./internal/structgen/cmd
