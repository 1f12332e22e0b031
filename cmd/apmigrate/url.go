package main

// Graph URLs of policies. A request that creates, reads or updates a
// policy names both the API version and the entity set, and both differ
// between the versions:
//
//	beta: /beta/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/{id}
//	v1.0: /v1.0/identityGovernance/entitlementManagement/assignmentPolicies/{id}
//
// and under an access package: /accessPackages/{id}/accessPackageAssignmentPolicies
// in beta, /accessPackages/{id}/assignmentPolicies in v1.0.

import (
	"strings"

	"github.com/apmigrate/apmigrate/model"
)

const (
	setBeta = "accessPackageAssignmentPolicies"
	setV1   = "assignmentPolicies"
)

// policyURL is what rewriteURL makes of a URL.
type policyURL struct {
	url string // the URL for the target version
	// policies: the URL names the policy entity set (or one policy, or
	// something under one); other URLs are left alone.
	policies bool
	// body: the URL is the set itself or one policy, so that a request
	// body sent to it is a policy.
	body bool
}

// rewriteURL rewrites a Graph URL naming policies to version to: the
// version segment (when there is one; batch URLs have none) and the
// entity set. The scheme, host, other segments, query and fragment are
// kept as written; so are URLs that do not name policies.
func rewriteURL(u string, to model.Version) policyURL {
	res := policyURL{url: u}
	end := strings.IndexAny(u, "?#")
	if end < 0 {
		end = len(u)
	}
	start := 0
	if i := strings.Index(u[:end], "://"); i >= 0 {
		j := strings.IndexByte(u[i+3:end], '/')
		if j < 0 {
			return res
		}
		start = i + 3 + j
	}
	segs := strings.Split(u[start:end], "/")
	ig := -1
	for i := 0; i+1 < len(segs); i++ {
		if strings.EqualFold(segs[i], "identityGovernance") && strings.EqualFold(segs[i+1], "entitlementManagement") {
			ig = i
			break
		}
	}
	if ig < 0 {
		return res
	}
	// The entity set: right under entitlementManagement, or under one
	// access package (accessPackages/{id} or accessPackages('{id}')).
	k := ig + 2
	if k < len(segs) {
		if low := strings.ToLower(segs[k]); low == "accesspackages" {
			k += 2
		} else if strings.HasPrefix(low, "accesspackages(") {
			k++
		}
	}
	if k >= len(segs) {
		return res
	}
	name, key := segs[k], ""
	if i := strings.IndexByte(name, '('); i >= 0 {
		name, key = name[:i], name[i:]
	}
	if !strings.EqualFold(name, setBeta) && !strings.EqualFold(name, setV1) {
		return res
	}
	res.policies = true
	// Segments after the set (a trailing slash adds none): none for the
	// set, one for a policy ({id}, or a key in parentheses), more for
	// what is under a policy. $count, $ref and the like are not policies.
	after := segs[k+1:]
	if n := len(after); n > 0 && after[n-1] == "" {
		after = after[:n-1]
	}
	switch {
	case key != "":
		res.body = len(after) == 0
	case len(after) == 0:
		res.body = true
	case len(after) == 1:
		res.body = !strings.HasPrefix(after[0], "$")
	}
	target := setV1
	if to == model.Beta {
		target = setBeta
	}
	if !strings.EqualFold(name, target) {
		segs[k] = target + key
	}
	if ig > 0 {
		if v := strings.ToLower(segs[ig-1]); v == "beta" || v == "v1.0" {
			if v != string(to) {
				segs[ig-1] = string(to)
			}
		}
	}
	res.url = u[:start] + strings.Join(segs, "/") + u[end:]
	return res
}
