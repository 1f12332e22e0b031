package model

import "fmt"

// UnknownTypeError is returned when the typed structs of packages beta and v1
// decode a polymorphic value (one declared with an abstract type, or with a
// type that has derived types) whose "@odata.type" does not name the
// declared type or a concrete type derived from it.
type UnknownTypeError struct {
	// Declared is the qualified name of the declared type.
	Declared string
	// Found is the "@odata.type" value without its leading '#'; "" when the
	// annotation is missing.
	Found string
}

// Error describes the missing or unexpected "@odata.type".
func (e *UnknownTypeError) Error() string {
	if e.Found == "" {
		return fmt.Sprintf("a value of abstract type %s needs an \"@odata.type\" naming a concrete derived type", e.Declared)
	}
	return fmt.Sprintf("\"@odata.type\" %q is not %s or a type derived from it", e.Found, e.Declared)
}
