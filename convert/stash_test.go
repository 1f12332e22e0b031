package convert

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/sjson"

	"github.com/apmigrate/apmigrate/model"
)

// TestStashRoundTripExamples: with the stash, every documented example
// comes back JSON-equal after beta → v1.0 → beta (and v1.0 → beta → v1.0).
func TestStashRoundTripExamples(t *testing.T) {
	for _, file := range docExamples(t) {
		if filepath.Ext(file) == ".txt" {
			continue
		}
		in := readFile(t, file)
		for _, to := range model.Versions {
			t.Run(string(to)+"/"+filepath.Base(file), func(t *testing.T) {
				fwd, err := ConvertDocument(in, Options{To: to, Stash: true, AllowWidening: true})
				if err != nil || fwd.Failed() > 0 {
					return // placeholder resources: refused, see their golden files
				}
				if !fwd.Changed {
					return
				}
				if strings.Contains(string(fwd.Output), StashKey) && !json.Valid(fwd.Output) {
					t.Fatal("stashed output is not JSON")
				}
				back, err := ConvertDocument(fwd.Output, Options{To: to.Other(), AllowWidening: true})
				if err != nil || back.Failed() > 0 {
					t.Fatalf("back: %v %v", err, back.Items)
				}
				var a, b any
				json.Unmarshal(in, &a)
				json.Unmarshal(back.Output, &b)
				if diff := cmp.Diff(a, b); diff != "" {
					t.Errorf("round trip with the stash differs (-in +back):\n%s\nstashed:\n%s", diff, fwd.Output)
				}
			})
		}
	}
}

func TestStashEditedIsIgnored(t *testing.T) {
	beta := []byte(`{"id":"p","durationInDays":30,"canExtend":true,"requestorSettings":{"scopeType":"AllExistingConnectedOrganizationSubjects","acceptRequests":true,"allowedRequestors":[]},"accessReviewSettings":{"isAgenticExperienceEnabled":true}}`)
	fwd, err := Convert(beta, Options{To: model.V1, Stash: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(fwd.Output), StashKey) {
		t.Fatalf("no stash in %s", fwd.Output)
	}
	// Unedited: restored.
	back, err := Convert(fwd.Output, Options{To: model.Beta})
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(string(back.Output), string(beta)) {
		t.Errorf("restored %s, want %s", back.Output, beta)
	}
	if len(back.Findings) != 1 || back.Findings[0].Code != CodeStashRestored {
		t.Errorf("findings %v", back.Findings)
	}
	// Edited: the stash is ignored, the visible values win.
	edited, _ := sjson.SetBytes(fwd.Output, "expiration.duration", "P10D")
	back, err = Convert(edited, Options{To: model.Beta})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(back.Output), StashKey) || !strings.Contains(string(back.Output), `"durationInDays":10`) {
		t.Errorf("edited payload: %s", back.Output)
	}
	found := false
	for _, f := range back.Findings {
		found = found || f.Code == CodeStashIgnored
	}
	if !found {
		t.Errorf("no stash-ignored finding in %v", back.Findings)
	}
	// Stripped.
	strip, err := Convert(fwd.Output, Options{To: model.V1, StripStash: true})
	if err != nil || strings.Contains(string(strip.Output), StashKey) || !strip.Changed {
		t.Errorf("strip: %v %s", err, strip.Output)
	}
	// A stash that is not ours is an error naming it.
	if _, err := Convert([]byte(`{"canExtend":true,"@apmigrate.stash":{"version":"v9"}}`), Options{To: model.V1}); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("bad stash: %v", err)
	}
}

func TestForCreate(t *testing.T) {
	in := []byte(`{"@odata.context":"x","id":"p","createdDateTime":"2020-01-01T00:00:00Z","modifiedDateTime":"2020-01-01T00:00:00Z","@odata.etag":"W/1","displayName":"d","questions":[{"id":"q1","@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","text":"t"}],"allowedTargetScope":"notSpecified"}`)
	res, err := Convert(in, Options{To: model.V1, ForCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"displayName":"d","questions":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion","text":"t"}],"allowedTargetScope":"notSpecified"}`
	if string(res.Output) != want {
		t.Errorf("got  %s\nwant %s", res.Output, want)
	}
	var n int
	for _, f := range res.Findings {
		if f.Code == CodeRemovedForCreate {
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d removed-for-create findings: %v", n, res.Findings)
	}
}

func TestExtensionIDs(t *testing.T) {
	in := []byte(`{"customExtensionHandlers":[{"stage":"assignmentRequestGranted","customExtension":{"id":"old"}}]}`)
	res, err := Convert(in, Options{To: model.V1, ExtensionIDs: map[string]string{"old": "new"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Output), `"customExtension":{"@odata.type":"#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension","id":"new"}`) {
		t.Errorf("output %s", res.Output)
	}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Path, "customExtensionHandlers") && f.Severity != Info {
			t.Errorf("with a map, the retype is no loss: %v", f)
		}
	}
}

// TestSameBytesIsNoChange: a conversion that keeps what the target cannot
// hold as it was (the retired extension type under a stage setting given as
// an object, not a list) can write the input's bytes again. Changed then
// says false and the Output is the input, with the findings still reported;
// and a beta stash beside such a policy stays as it is instead of being
// replaced by one of the policy's own values (found by FuzzConvertMutated:
// converting the output again reported a change, and with Stash wrote
// another stash).
func TestSameBytesIsNoChange(t *testing.T) {
	policy := `{"displayName":"p","customExtensionStageSettings":{"customExtension":{"@odata.type":"#microsoft.graph.customAccessPackageWorkflowExtension","id":"x"}},` +
		`"allowedTargetScope":"notSpecified","specificAllowedTargets":[],"requestorSettings":{"enableTargetsToSelfAddAccess":false,"enableTargetsToSelfUpdateAccess":false,"enableTargetsToSelfRemoveAccess":false,"allowCustomAssignmentSchedule":false,"enableOnBehalfRequestorsToAddAccess":false,"enableOnBehalfRequestorsToUpdateAccess":false,"enableOnBehalfRequestorsToRemoveAccess":false,"onBehalfRequestors":[]},"expiration":{"type":"noExpiration"}}`
	for _, opts := range []Options{{To: model.V1}, {To: model.V1, Stash: true, AllowWidening: true}} {
		res, err := Convert([]byte(policy), opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Changed || string(res.Output) != policy {
			t.Errorf("%+v: Changed %v, output:\n%s", opts, res.Changed, res.Output)
		}
		if !slices.ContainsFunc(res.Findings, func(f Finding) bool { return f.Code == CodeCustomExtensionRetyped }) {
			t.Errorf("%+v: the kept type is not reported: %v", opts, res.Findings)
		}
		doc, err := ConvertDocument([]byte("["+policy+"]"), opts)
		if err != nil || doc.Changed || doc.Items[0].Changed {
			t.Errorf("%+v: ConvertDocument: Changed %v (item %v), err %v", opts, doc.Changed, doc.Items[0].Changed, err)
		}
	}

	// Same bytes or not, what was kept as it was is a loss: strict mode
	// still refuses it, naming where (the same-bytes check comes after the
	// loss policy).
	if _, err := Convert([]byte(policy), Options{To: model.V1, Strict: true}); !errors.Is(err, ErrRefused) ||
		!strings.Contains(err.Error(), "customExtensionStageSettings.customExtension") {
		t.Errorf("strict: %v, want the loss refused with its path", err)
	}

	// A stash of beta values beside it (as a conversion to v1.0 with Stash
	// writes) stays: it is for converting back to beta.
	withStash, err := sjson.SetRaw(policy, StashKey, `{"version":"beta","digest":"sha256:00","values":[{"path":"canExtend","value":true}]}`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Convert([]byte(withStash), Options{To: model.V1, Stash: true, AllowWidening: true})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Output) != withStash {
		t.Errorf("the beta stash was not kept as it was:\n got %s\nwant %s", res.Output, withStash)
	}
}
