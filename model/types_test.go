package model_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apmigrate/apmigrate/model"
	"github.com/apmigrate/apmigrate/model/beta"
	"github.com/apmigrate/apmigrate/model/internal/structgen"
	v1 "github.com/apmigrate/apmigrate/model/v1"
)

// typedPackage describes one generated package.
type typedPackage struct {
	version     model.Version
	dir         string // testdata folder name
	pkgPath     string
	goType      func(string) (reflect.Type, bool)
	goInterface func(string) (reflect.Type, bool)
	newPolicy   func() any
}

var typedPackages = []typedPackage{
	{model.Beta, "beta", "github.com/apmigrate/apmigrate/model/beta", beta.GoType, beta.GoInterface,
		func() any { return new(beta.AccessPackageAssignmentPolicy) }},
	{model.V1, "v1.0", "github.com/apmigrate/apmigrate/model/v1", v1.GoType, v1.GoInterface,
		func() any { return new(v1.AccessPackageAssignmentPolicy) }},
}

// TestGeneratedCodeIsFresh regenerates the structs in memory and compares
// them with the checked-in files.
func TestGeneratedCodeIsFresh(t *testing.T) {
	for _, v := range model.Versions {
		want, err := structgen.Generate(v)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.FromSlash(structgen.OutputFile(v))
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go generate ./model/...)", err)
		}
		if !bytes.Equal(got, want) {
			gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
			line := 0
			for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
				line++
			}
			t.Errorf("model/%s is stale (first difference at line %d): run go generate ./model/...", filepath.ToSlash(file), line+1)
		}
	}
}

var (
	enumGoTypes = func() map[string]reflect.Type {
		m := map[string]reflect.Type{}
		for _, e := range goEnums {
			m[e.typ.SchemaName()] = reflect.TypeOf(e.typ)
		}
		return m
	}()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	extraType      = reflect.TypeFor[map[string]json.RawMessage]()
	primitiveTypes = map[string]reflect.Type{
		"Edm.String":         reflect.TypeFor[string](),
		"Edm.DateTimeOffset": reflect.TypeFor[string](),
		"Edm.Date":           reflect.TypeFor[string](),
		"Edm.Duration":       reflect.TypeFor[string](),
		"Edm.Boolean":        reflect.TypeFor[bool](),
		"Edm.Int32":          reflect.TypeFor[int32](),
	}
)

// TestStructsMatchSchema walks the schema facts of both versions and proves,
// property by property, that each generated struct has exactly the fields of
// its type, and that the interfaces are implemented by exactly the structs
// of the types derived from them.
func TestStructsMatchSchema(t *testing.T) {
	for _, pkg := range typedPackages {
		s := model.Schema(pkg.version)
		for _, name := range s.TypeNames() {
			typ := s.Types[name]
			gt, ok := pkg.goType("#" + name)
			if !ok {
				t.Errorf("%s: no Go type for %s", pkg.version, name)
				continue
			}
			if gt.PkgPath() != pkg.pkgPath {
				t.Errorf("%s: %s: Go type %v is in %s", pkg.version, name, gt, gt.PkgPath())
			}
			if s.IsPolymorphic(name) {
				it, ok := pkg.goInterface(name)
				if !ok || it.Kind() != reflect.Interface || it.Name() != structgen.InterfaceName(s, name) {
					t.Errorf("%s: %s: interface %v", pkg.version, name, it)
				}
			} else if _, ok := pkg.goInterface(name); ok {
				t.Errorf("%s: %s is not polymorphic but has an interface", pkg.version, name)
			}
			if typ.Abstract {
				if gt.Kind() != reflect.Interface || gt.Name() != structgen.StructName(name) {
					t.Errorf("%s: abstract %s: Go type %v, want interface %s", pkg.version, name, gt, structgen.StructName(name))
				}
				continue
			}
			if gt.Kind() != reflect.Struct || gt.Name() != structgen.StructName(name) {
				t.Errorf("%s: %s: Go type %v, want struct %s", pkg.version, name, gt, structgen.StructName(name))
				continue
			}
			checkStruct(t, pkg, s, typ, gt)
		}
		// Interfaces are implemented by exactly the derived concrete types.
		for _, iname := range s.TypeNames() {
			it, ok := pkg.goInterface(iname)
			if !ok {
				continue
			}
			for _, cname := range s.TypeNames() {
				if s.Types[cname].Abstract {
					continue
				}
				ct, _ := pkg.goType(cname)
				want := s.IsDerivedFrom(cname, iname)
				if got := reflect.PointerTo(ct).Implements(it); got != want {
					t.Errorf("%s: *%v implements %v = %v, want %v", pkg.version, ct, it, got, want)
				}
			}
		}
		if _, ok := pkg.goType("microsoft.graph.nope"); ok {
			t.Errorf("%s: GoType of an unknown type", pkg.version)
		}
	}
}

func checkStruct(t *testing.T, pkg typedPackage, s *model.SchemaFacts, typ *model.Type, st reflect.Type) {
	t.Helper()
	where := string(pkg.version) + ": " + typ.Name
	props := s.AllProperties(typ.Name)
	if st.NumField() != len(props)+2 {
		t.Errorf("%s: %d fields, want %d properties + ODataType + Extra", where, st.NumField(), len(props))
	}
	if f, ok := st.FieldByName("ODataType"); !ok || f.Type != reflect.TypeFor[string]() || f.Tag.Get("json") != "@odata.type,omitempty" {
		t.Errorf("%s: ODataType field %+v", where, f)
	}
	if f, ok := st.FieldByName("Extra"); !ok || f.Type != extraType || f.Tag.Get("json") != "-" {
		t.Errorf("%s: Extra field %+v", where, f)
	}
	byTag := map[string]reflect.StructField{}
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if _, dup := byTag[name]; dup {
			t.Errorf("%s: two fields tagged %q", where, name)
		}
		byTag[name] = f
	}
	for _, p := range props {
		f, ok := byTag[p.Name]
		if !ok {
			t.Errorf("%s.%s: no field", where, p.Name)
			continue
		}
		if f.Name != structgen.FieldName(p.Name) || f.Tag.Get("json") != p.Name+",omitempty" {
			t.Errorf("%s.%s: field %s tagged %q", where, p.Name, f.Name, f.Tag.Get("json"))
		}
		if msg := fieldTypeProblem(pkg, s, p, f.Type); msg != "" {
			t.Errorf("%s.%s: field %s %v: %s", where, p.Name, f.Name, f.Type, msg)
		}
	}
	pt := reflect.PointerTo(st)
	if !pt.Implements(reflect.TypeFor[json.Unmarshaler]()) || !st.Implements(reflect.TypeFor[json.Marshaler]()) {
		t.Errorf("%s: not a json.Marshaler and *json.Unmarshaler", where)
	}
}

// fieldTypeProblem checks the Go type of the field of p against the schema.
func fieldTypeProblem(pkg typedPackage, s *model.SchemaFacts, p *model.Property, ft reflect.Type) string {
	if !p.Followed {
		if ft != rawMessageType {
			return "a navigation property that is not followed must be json.RawMessage"
		}
		return ""
	}
	elem := ft
	if p.Collection {
		if ft.Kind() != reflect.Slice {
			return "a collection must be a slice"
		}
		elem = ft.Elem()
	}
	switch p.TypeKind {
	case model.KindPrimitive, model.KindEnum:
		want := primitiveTypes[p.Type]
		if p.TypeKind == model.KindEnum {
			want = enumGoTypes[p.Type]
		}
		if want == nil {
			return "no Go type known for " + p.Type
		}
		if !p.Collection && p.Nullable {
			if elem.Kind() != reflect.Pointer {
				return "a nullable scalar must be a pointer"
			}
			elem = elem.Elem()
		}
		if elem != want {
			return "want " + want.String()
		}
	default:
		if s.IsPolymorphic(p.Type) {
			it, _ := pkg.goInterface(p.Type)
			if elem != it {
				return "a polymorphic value must be the interface " + it.String()
			}
			return ""
		}
		want, _ := pkg.goType(p.Type)
		if elem.Kind() != reflect.Pointer || elem.Elem() != want {
			return "want a pointer to " + want.String()
		}
	}
	return ""
}

// jsonValue decodes JSON keeping numbers as written.
func jsonValue(t *testing.T, data []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	return v
}

// rawJSONEqual compares json.RawMessage values as JSON (whitespace and
// string escapes aside).
var rawJSONEqual = cmp.Comparer(func(a, b json.RawMessage) bool {
	var x, y any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	if da.Decode(&x) != nil || db.Decode(&y) != nil {
		return bytes.Equal(a, b)
	}
	return cmp.Equal(x, y)
})

// roundTrip decodes data into the policy struct of pkg, encodes it again
// and checks that nothing was lost. It reports whether data decoded.
func roundTrip(t *testing.T, pkg typedPackage, name string, data []byte) bool {
	t.Helper()
	p := pkg.newPolicy()
	if err := json.Unmarshal(data, p); err != nil {
		t.Logf("%s: skipped, does not decode as %s: %v", name, pkg.version, err)
		return false
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Errorf("%s: Marshal: %v", name, err)
		return true
	}
	if diff := cmp.Diff(jsonValue(t, data), jsonValue(t, out)); diff != "" {
		t.Errorf("%s: round trip is not JSON-equal (-in +out):\n%s", name, diff)
	}
	p2 := pkg.newPolicy()
	if err := json.Unmarshal(out, p2); err != nil {
		t.Errorf("%s: decoding the output: %v", name, err)
		return true
	}
	if diff := cmp.Diff(p, p2, rawJSONEqual); diff != "" {
		t.Errorf("%s: second decode differs:\n%s", name, diff)
	}
	out2, _ := json.Marshal(p2)
	if !bytes.Equal(out, out2) {
		t.Errorf("%s: encoding is not stable:\n%s\n%s", name, out, out2)
	}
	return true
}

// TestTypedRoundTrip decodes and re-encodes our fixtures (which must all
// decode) and, when present, the documented examples under testdata/docs
// (which are skipped when they do not decode as their folder's version).
func TestTypedRoundTrip(t *testing.T) {
	for _, pkg := range typedPackages {
		files, _ := filepath.Glob(filepath.Join("..", "testdata", "validate", "valid", pkg.dir, "*.json"))
		more, _ := filepath.Glob(filepath.Join("..", "testdata", "validate", "roundtrip", pkg.dir, "*.json"))
		files = append(files, more...)
		if len(files) < 3 {
			t.Fatalf("%s: fixtures missing: %v", pkg.version, files)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !roundTrip(t, pkg, f, data) {
				t.Errorf("%s: fixture does not decode", f)
			}
		}
		docs, _ := filepath.Glob(filepath.Join(docsDir(), pkg.dir, "*.json"))
		decoded := 0
		for _, f := range docs {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(data) {
				t.Logf("%s: skipped, not valid JSON", f)
				continue
			}
			if roundTrip(t, pkg, f, data) {
				decoded++
			}
		}
		if len(docs) > 0 {
			t.Logf("%s: %d of %d documented examples decode and round-trip", pkg.version, decoded, len(docs))
		}
	}
}

// docsDir is the folder of the documented examples: ../testdata/docs, or
// $APMIGRATE_DOCS when set.
func docsDir() string {
	if d := os.Getenv("APMIGRATE_DOCS"); d != "" {
		return d
	}
	return filepath.Join("..", "testdata", "docs")
}

func TestTypedPolymorphism(t *testing.T) {
	// Dispatch, with and without '#'.
	var rs v1.AccessPackageAssignmentRequestorSettings
	err := json.Unmarshal([]byte(`{"onBehalfRequestors":[
		{"@odata.type":"#microsoft.graph.singleUser","userId":"u"},
		{"@odata.type":"microsoft.graph.groupMembers","groupId":"g"},
		null]}`), &rs)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.OnBehalfRequestors) != 3 || rs.OnBehalfRequestors[2] != nil {
		t.Fatalf("%#v", rs.OnBehalfRequestors)
	}
	if su, ok := rs.OnBehalfRequestors[0].(*v1.SingleUser); !ok || *su.UserID != "u" {
		t.Errorf("%#v", rs.OnBehalfRequestors[0])
	}
	if gm, ok := rs.OnBehalfRequestors[1].(*v1.GroupMembers); !ok || *gm.GroupID != "g" {
		t.Errorf("%#v", rs.OnBehalfRequestors[1])
	}

	// Abstract without @odata.type, unknown type, type of the other version,
	// type that is not derived from the declared one.
	for _, doc := range []string{
		`{"reviewers":[{"id":"x"}]}`,
		`{"reviewers":[{"@odata.type":"#microsoft.graph.nope"}]}`,
		`{"reviewers":[{"@odata.type":"#microsoft.graph.targetManager"}]}`,
		`{"reviewers":[{"@odata.type":"#microsoft.graph.accessPackageTextInputQuestion"}]}`,
	} {
		var ar beta.AssignmentReviewSettings
		err := json.Unmarshal([]byte(doc), &ar)
		var ute *model.UnknownTypeError
		if !errors.As(err, &ute) || ute.Declared != "microsoft.graph.userSet" {
			t.Errorf("%s: err = %v", doc, err)
		}
	}
	var ar beta.AssignmentReviewSettings
	if err := json.Unmarshal([]byte(`{"reviewers":[{"@odata.type":7}]}`), &ar); err == nil {
		t.Error("a non-string @odata.type must fail")
	}
	if err := json.Unmarshal([]byte(`{"reviewers":{}}`), &ar); err == nil {
		t.Error("an object for a collection must fail")
	}
	if err := json.Unmarshal([]byte(`{"reviewers":[[]]}`), &ar); err == nil {
		t.Error("an array for an element must fail")
	}

	// Non-abstract polymorphic type: no @odata.type is the base type.
	var as beta.ApprovalSettings
	if err := json.Unmarshal([]byte(`{"approvalStages":[{"approvalStageTimeOutInDays":1},
		{"@odata.type":"#microsoft.graph.approvalStage"},
		{"@odata.type":"#microsoft.graph.accessPackageDynamicApprovalStage","customExtension":{"id":"c"}}]}`), &as); err != nil {
		t.Fatal(err)
	}
	if _, ok := as.ApprovalStages[0].(*beta.ApprovalStage); !ok {
		t.Errorf("%#v", as.ApprovalStages[0])
	}
	if _, ok := as.ApprovalStages[1].(*beta.ApprovalStage); !ok {
		t.Errorf("%#v", as.ApprovalStages[1])
	}
	if d, ok := as.ApprovalStages[2].(*beta.AccessPackageDynamicApprovalStage); !ok || string(d.CustomExtension) != `{"id":"c"}` {
		t.Errorf("%#v", as.ApprovalStages[2])
	}

	// Nested abstract types: customExtension.endpointConfiguration.
	var cess v1.CustomExtensionStageSetting
	if err := json.Unmarshal([]byte(`{"stage":"assignmentRequestCreated","customExtension":{
		"@odata.type":"#microsoft.graph.onOtpSendCustomExtension",
		"endpointConfiguration":{"@odata.type":"#microsoft.graph.httpRequestEndpoint","targetUrl":"https://x"}}}`), &cess); err != nil {
		t.Fatal(err)
	}
	ext, ok := cess.CustomExtension.(*v1.OnOtpSendCustomExtension)
	if !ok {
		t.Fatalf("%#v", cess.CustomExtension)
	}
	if ep, ok := ext.EndpointConfiguration.(*v1.HTTPRequestEndpoint); !ok || *ep.TargetURL != "https://x" {
		t.Errorf("%#v", ext.EndpointConfiguration)
	}
	var _ v1.CustomAuthenticationExtension = ext
	var _ v1.CustomCalloutExtension = ext
	var _ v1.Entity = ext

	// Values built in Go get @odata.type when a derived type is written
	// where its base is declared, and only then.
	uid := "u"
	one := int32(1)
	p := v1.AccessPackageAssignmentPolicy{
		AllowedTargetScope:     ptr(v1.AllowedTargetScopeSpecificDirectoryUsers),
		SpecificAllowedTargets: []v1.SubjectSet{&v1.SingleUser{UserID: &uid}, &v1.TargetManager{ODataType: "#microsoft.graph.targetManager", ManagerLevel: &one}},
		RequestApprovalSettings: &v1.AccessPackageAssignmentApprovalSettings{Stages: []v1.AnyAccessPackageApprovalStage{
			&v1.AccessPackageApprovalStage{DurationBeforeAutomaticDenial: ptr("P14D")},
			&v1.AccessPackageDynamicApprovalStage{},
		}},
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"allowedTargetScope":"specificDirectoryUsers","requestApprovalSettings":{"stages":[{"durationBeforeAutomaticDenial":"P14D"},{"@odata.type":"#microsoft.graph.accessPackageDynamicApprovalStage"}]},"specificAllowedTargets":[{"@odata.type":"#microsoft.graph.singleUser","userId":"u"},{"@odata.type":"#microsoft.graph.targetManager","managerLevel":1}]}`
	if string(out) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", out, want)
	}
	var back v1.AccessPackageAssignmentPolicy
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p.SpecificAllowedTargets[1], back.SpecificAllowedTargets[1]); diff != "" {
		t.Error(diff)
	}
}

func TestTypedExtra(t *testing.T) {
	in := `{"id":"","displayName":null,"isDenyPolicy":false,"@odata.etag":"W/\"1\"","x@odata.bind":"u","notificationSettings":{"isAssignmentNotificationDisabled":false}}`
	var p v1.AccessPackageAssignmentPolicy
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	keys := []string{}
	for k := range p.Extra {
		keys = append(keys, k)
	}
	if len(p.Extra) != 5 || p.ID != "" || p.DisplayName != nil || p.NotificationSettings.IsAssignmentNotificationDisabled {
		t.Errorf("Extra keys %v, %+v", keys, p)
	}
	// Setting a field overrides the Extra value of its key.
	p.ID = "new"
	p.DisplayName = ptr("name")
	p.NotificationSettings.IsAssignmentNotificationDisabled = true
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"displayName":"name","id":"new","notificationSettings":{"isAssignmentNotificationDisabled":true},"@odata.etag":"W/\"1\"","isDenyPolicy":false,"x@odata.bind":"u"}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	// null leaves a decoded struct unchanged; a non-object is an error.
	if err := json.Unmarshal([]byte(`null`), &p); err != nil || p.ID != "new" {
		t.Errorf("null: %v %q", err, p.ID)
	}
	if err := json.Unmarshal([]byte(`[]`), &p); err == nil {
		t.Error("an array must not decode as a policy")
	}
	for _, bad := range []string{`{"displayName":true}`, `{"notificationSettings":{"isAssignmentNotificationDisabled":"true"}}`, `{"requestApprovalSettings":{"stages":[{"approverInformationVisibility":1}]}}`} {
		if err := json.Unmarshal([]byte(bad), new(v1.AccessPackageAssignmentPolicy)); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
	if _, err := json.Marshal(v1.AccessPackageAssignmentPolicy{Extra: map[string]json.RawMessage{"bad": json.RawMessage("{")}}); err == nil {
		t.Error("invalid Extra JSON must fail to marshal")
	}
}

func ptr[T any](v T) *T { return &v }
