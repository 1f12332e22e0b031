// Package model holds what apmigrate knows about the two Microsoft Graph API
// versions of an access package assignment policy: the versions themselves,
// the schema facts taken from Microsoft's CSDL metadata, the enums and value
// tables of both versions, typed Go structs (packages beta and v1) and a
// schema validator.
package model

import "fmt"

// Version is a Microsoft Graph API version.
type Version string

const (
	// Beta is the /beta endpoint shape of accessPackageAssignmentPolicy.
	Beta Version = "beta"
	// V1 is the /v1.0 endpoint shape of accessPackageAssignmentPolicy.
	V1 Version = "v1.0"
)

// Versions lists the supported versions.
var Versions = []Version{Beta, V1}

// ParseVersion accepts "beta", "v1.0", "v1" and "1.0".
func ParseVersion(s string) (Version, error) {
	switch s {
	case "beta":
		return Beta, nil
	case "v1.0", "v1", "1.0":
		return V1, nil
	}
	return "", fmt.Errorf("unknown API version %q (want beta or v1.0)", s)
}

// Other returns the version that is not v.
func (v Version) Other() Version {
	if v == Beta {
		return V1
	}
	return Beta
}

// Valid reports whether v is Beta or V1.
func (v Version) Valid() bool { return v == Beta || v == V1 }

func (v Version) String() string { return string(v) }
