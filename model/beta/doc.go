// Package beta holds typed Go structs for the beta shape of Microsoft Graph's
// accessPackageAssignmentPolicy and every type it reaches, generated from
// the schema facts (model.Schema(model.Beta)) by model/internal/structgen into
// types_gen.go. Do not edit that file: run "go generate ./model/...".
//
// Conventions:
//
//   - One struct per non-abstract schema type, with a field for every
//     property (own and inherited) tagged with its JSON name and
//     ",omitempty". Nullable scalars are pointers (*string, *bool, *int32,
//     *enum), non-nullable ones are values; collections are slices;
//     single complex or entity values are pointers to structs.
//   - Edm.DateTimeOffset, Edm.Date and Edm.Duration are strings, so that the
//     text sent survives a round trip and invalid values can be reported by
//     model.Validate rather than failing the decode.
//   - Enum-typed fields use the enum types of package model, aliased here.
//   - Navigation properties that the schema closure does not follow are
//     json.RawMessage.
//   - Every struct has ODataType ("@odata.type") and Extra. Extra holds what
//     the fields cannot reproduce: unknown members and annotations
//     ("@odata.context", "x@odata.bind", ...), and known members whose value
//     is null or the zero value of a non-pointer field. MarshalJSON writes a
//     field that is set, or else the Extra value of its key, then the other
//     Extra members sorted by key; a round trip is therefore JSON-equal to
//     its input.
//   - Polymorphism: a property declared with an abstract type, or with a
//     type that has derived types, is an interface (UserSet, AnyApprovalStage,
//     ...) implemented by the pointers to the concrete structs. The
//     containing struct's UnmarshalJSON dispatches on "@odata.type" (with
//     or without '#') through UnmarshalUserSet and friends; an "@odata.type"
//     that is missing (for an abstract type) or names no type derived from
//     the declared one is a *model.UnknownTypeError. When writing, a value
//     of a derived type without ODataType gets "@odata.type" written for it.
//   - GoType and GoInterface map schema type names to these Go types.
package beta
