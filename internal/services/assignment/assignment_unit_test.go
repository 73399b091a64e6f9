package assignment

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

const (
	vmID   = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"
	vmssID = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss1"
	apps   = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/applications/"
	appA   = apps + "a"
	appB   = apps + "b"
)

func ref(appID, version string, order *int32) *armcompute.VMGalleryApplication {
	return &armcompute.VMGalleryApplication{PackageReferenceID: to.Ptr(appID + "/versions/" + version), Order: order}
}

func TestParseStatusMessage(t *testing.T) {
	// The service's format (AZURE-API-NOTES §4, vm-applications-manage.md).
	msg := "Enable succeeded: {\n \"CurrentState\": [ {\"applicationName\":\"doNothingLinux\",\"version\":\"1.0.0\",\"result\":\"Install SUCCESS\"}, " +
		"{\"applicationName\":\"badapplinux\",\"version\":\"1.0.0\",\"result\":\"Install FAILED Error executing command 'exit 1': command terminated with exit status=1\"} ],\n \"ActionsPerformed\": []\n}"
	states, err := parseStatusMessage(msg)
	if err != nil || len(states) != 2 {
		t.Fatalf("got %v, %v", states, err)
	}
	for _, tc := range []struct{ name, version, status, message string }{
		{"doNothingLinux", "1.0.0", StatusSucceeded, "Install SUCCESS"},
		{"BADAPPLINUX", "1.0.0", StatusFailed, "Install FAILED Error executing command 'exit 1': command terminated with exit status=1"},
		{"doNothingLinux", "2.0.0", StatusPending, "version 1.0.0 is reported, waiting for 2.0.0"},
		{"doNothingLinux", "latest", StatusSucceeded, "Install SUCCESS"},
		{"other", "1.0.0", StatusPending, "not reported by the VMAppExtension yet"},
	} {
		st, m := installStatus(states, tc.name, tc.version, false)
		if st != tc.status || m != tc.message {
			t.Errorf("installStatus(%s %s) = %q, %q; want %q, %q", tc.name, tc.version, st, m, tc.status, tc.message)
		}
	}
	// With automatic upgrades, a newer version the platform installed is the outcome; an older one is not.
	upgraded := []appState{{ApplicationName: "a", Version: "1.10.0", Result: "Update SUCCESS"}}
	if st, _ := installStatus(upgraded, "a", "1.9.0", true); st != StatusSucceeded {
		t.Errorf("auto-upgraded to a newer version: %s", st)
	}
	if st, _ := installStatus(upgraded, "a", "1.9.0", false); st != StatusPending {
		t.Errorf("without automatic upgrade, another version is pending: %s", st)
	}
	if st, _ := installStatus(upgraded, "a", "2.0.0", true); st != StatusPending {
		t.Errorf("an older version than the assigned one is pending: %s", st)
	}
	if s, err := parseStatusMessage("Enable in progress"); err != nil || s != nil {
		t.Errorf("a message without JSON is no states: %v, %v", s, err)
	}
	if _, err := parseStatusMessage("Enable succeeded: {broken"); err == nil {
		t.Error("broken JSON must be reported")
	}
}

func TestStatusOfScaleSetAggregates(t *testing.T) {
	ok := []appState{{ApplicationName: "a", Version: "1.0.0", Result: "Install SUCCESS"}}
	bad := []appState{{ApplicationName: "a", Version: "1.0.0", Result: "Install FAILED boom"}}
	for _, tc := range []struct {
		per        []reportedStates
		status     string
		msgContain string
	}{
		{nil, StatusSucceeded, "the scale set has no instances"}, // nothing to wait for
		{[]reportedStates{{States: ok}}, StatusSucceeded, "Install SUCCESS"},
		{[]reportedStates{{Instance: "0", States: ok}, {Instance: "1", States: ok}}, StatusSucceeded, "instance 0: Install SUCCESS; instance 1: Install SUCCESS"},
		{[]reportedStates{{Instance: "0", States: ok}, {Instance: "1"}}, StatusPending, "instance 1: not reported"},
		{[]reportedStates{{Instance: "0", States: bad}, {Instance: "1"}}, StatusFailed, "instance 0: Install FAILED boom"},
	} {
		st, msg := statusOf(tc.per, "a", "1.0.0", false)
		if st != tc.status || !strings.Contains(msg, tc.msgContain) {
			t.Errorf("statusOf(%+v) = %q, %q; want %q containing %q", tc.per, st, msg, tc.status, tc.msgContain)
		}
	}
}

func TestExtensionStatesReadsOnlyTheAppExtension(t *testing.T) {
	exts := []*armcompute.VirtualMachineExtensionInstanceView{
		{Name: to.Ptr("other"), Statuses: []*armcompute.InstanceViewStatus{{Message: to.Ptr("not json {")}}},
		{Name: to.Ptr("VMAppExtension"), Statuses: []*armcompute.InstanceViewStatus{{Message: to.Ptr(`Enable succeeded: {"CurrentState":[{"applicationName":"a","version":"1.0.0","result":"Install SUCCESS"}]}`)}}},
	}
	states, err := extensionStates(exts)
	if err != nil || len(states) != 1 || states[0].ApplicationName != "a" {
		t.Fatalf("got %v, %v", states, err)
	}
}

func TestListMergeAndRemove(t *testing.T) {
	current := []*armcompute.VMGalleryApplication{ref(appA, "1.0.0", nil), ref(appB, "1.0.0", to.Ptr[int32](2))}

	// Replacing a's entry keeps b and the position; the case of the ID does not matter.
	updated := withApp(current, ref(strings.ToUpper(appA), "2.0.0", nil))
	if len(updated) != 2 || !strings.HasSuffix(*updated[0].PackageReferenceID, "/versions/2.0.0") || updated[1] != current[1] {
		t.Fatalf("withApp replace: %v", refIDs(updated))
	}
	if !strings.HasSuffix(*current[0].PackageReferenceID, "/versions/1.0.0") {
		t.Fatal("withApp must not change its input")
	}
	appC := apps + "c"
	if added := withApp(current, ref(appC, "1.0.0", nil)); len(added) != 3 {
		t.Fatalf("withApp append: %v", refIDs(added))
	}

	removed := withoutApp(current, strings.ToLower(appA))
	if len(removed) != 1 || removed[0] != current[1] {
		t.Fatalf("withoutApp: %v", refIDs(removed))
	}
	last := withoutApp(removed, appB)
	if last == nil || len(last) != 0 {
		t.Fatal("removing the last application must give an empty, non-nil list (sent as [])")
	}
	if findApp(current, appB) != 1 || findApp(current, appC) != -1 {
		t.Fatal("findApp")
	}
}

func refIDs(apps []*armcompute.VMGalleryApplication) []string {
	var out []string
	for _, a := range apps {
		out = append(out, *a.PackageReferenceID)
	}
	return out
}

func TestScriptReboots(t *testing.T) {
	for script, want := range map[string]bool{
		"sudo reboot":                        true,
		"install.sh && shutdown -r now":      true,
		"shutdown /r /t 0":                   true,
		"powershell Restart-Computer -Force": true,
		"echo install":                       false,
		"./rebooter-free-install.sh":         false,
		"shutdown -h now":                    false,
	} {
		if got := scriptReboots(script); got != want {
			t.Errorf("scriptReboots(%q) = %v, want %v", script, got, want)
		}
	}
}

func testTarget(apps ...*armcompute.VMGalleryApplication) *target {
	id, _ := ids.ParseTarget(vmID)
	return &target{id: id, vm: &armcompute.VirtualMachine{Location: to.Ptr("eastus2"), Properties: &armcompute.VirtualMachineProperties{
		ApplicationProfile: &armcompute.ApplicationProfile{GalleryApplications: apps},
		StorageProfile:     &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{OSType: to.Ptr(armcompute.OperatingSystemTypesLinux)}},
	}}}
}

// planned builds what a run plans for a target: the given assignments added (application
// ID and version), the given applications removed.
func planned(adds [][2]string, removes ...string) estate.Target {
	v := estate.New()
	for _, a := range adds {
		v.PlanAssignment(estate.Assignment{TargetID: vmID, ApplicationID: a[0], VersionID: a[0] + "/versions/" + a[1]})
	}
	for _, r := range removes {
		v.PlanRemoval(vmID, r)
	}
	return v.Target(vmID)
}

func TestCheckTargetAppsCountsWhatIsThere(t *testing.T) {
	var five []*armcompute.VMGalleryApplication
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		five = append(five, ref(apps+n, "1.0.0", nil))
	}
	appF := apps + "f"
	none := estate.Target{}

	d := checkTargetApps(testTarget(five[:4]...), none, appF, appF+"/versions/1.0.0", modeCreate, 5)
	if d.HasError() {
		t.Fatalf("the 5th application is within the limit: %v", d)
	}
	d = checkTargetApps(testTarget(five...), none, appF, appF+"/versions/1.0.0", modeCreate, 5)
	if !d.HasError() || !strings.Contains(d[0].Detail(), "would have 6 applications: 5 already on it and kept (a, b, c, d, e); 1 added") ||
		!strings.Contains(d[0].Detail(), "over the limit of 5") {
		t.Fatalf("the 6th application must fail: %v", d)
	}
	// Changing the version of an application already there does not add one.
	if d := checkTargetApps(testTarget(five...), none, appA, appA+"/versions/2.0.0", modeUpdate, 5); d.HasError() {
		t.Fatalf("an update counts the application once: %v", d)
	}
	// A raised limit allows more.
	if d := checkTargetApps(testTarget(five...), none, appF, appF+"/versions/1.0.0", modeCreate, 25); d.HasError() {
		t.Fatalf("limit 25: %v", d)
	}
}

// The count is over the planned estate: what Azure has, less what the run removes, plus every
// assignment the run adds.
func TestCheckTargetAppsCountsThePlan(t *testing.T) {
	var adds [][2]string
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		adds = append(adds, [2]string{apps + n, "1.0.0"})
	}
	appF := apps + "f"
	// Five new assignments planned, a sixth one: over the limit on an empty VM.
	d := checkTargetApps(testTarget(), planned(append(adds, [2]string{appF, "1.0.0"})), appF, appF+"/versions/1.0.0", modePlanCreate, 5)
	if !d.HasError() || !strings.Contains(d[0].Detail(), "6 added by this configuration's azvmapps_vm_application_assignment resources (a, b, c, d, e, f)") {
		t.Fatalf("six planned applications: %v", d)
	}
	// Three on the VM, two of them removed by the run, four added: 5.
	tg := testTarget(ref(apps+"x", "1.0.0", nil), ref(apps+"y", "1.0.0", nil), ref(apps+"z", "1.0.0", nil))
	if d := checkTargetApps(tg, planned(adds[:4], apps+"x", apps+"y"), appA, appA+"/versions/1.0.0", modePlanCreate, 5); d.HasError() {
		t.Fatalf("removals make room: %v", d)
	}
	if d := checkTargetApps(tg, planned(adds[:4], apps+"x"), appA, appA+"/versions/1.0.0", modePlanCreate, 5); !d.HasError() {
		t.Fatal("one removal is not enough room for four additions on three")
	}
	// Applications whose version is not known until apply still take a place.
	v := estate.New()
	for i := 0; i < 5; i++ {
		v.PlanAssignment(estate.Assignment{TargetID: vmID, Key: strconv.Itoa(i)})
	}
	if d := checkTargetApps(testTarget(), v.PlanAssignment(estate.Assignment{TargetID: vmID, ApplicationID: appA, VersionID: appA + "/versions/1.0.0"}),
		appA, appA+"/versions/1.0.0", modePlanCreate, 5); !d.HasError() || !strings.Contains(d[0].Detail(), "5 more whose version is not known until apply") {
		t.Fatalf("unknown applications: %v", d)
	}
}

func TestCheckTargetAppsOneVersionPerApplication(t *testing.T) {
	tg := testTarget(ref(appA, "1.0.0", nil))
	none := estate.Target{}
	d := checkTargetApps(tg, none, appA, appA+"/versions/2.0.0", modePlanCreate, 5)
	if !d.HasError() || !strings.Contains(d[0].Detail(), "Version 1.0.0 of application a is already assigned") {
		t.Fatalf("second version: %v", d)
	}
	d = checkTargetApps(tg, none, appA, strings.ToLower(appA)+"/versions/1.0.0", modeCreate, 5)
	if !d.HasError() || !strings.Contains(d[0].Detail(), "terraform import azvmapps_vm_application_assignment") {
		t.Fatalf("same version: import hint expected: %v", d)
	}
	// Planning a new assignment whose version is already there may be this resource's own,
	// tainted entry (Terraform plans it without prior state): only apply refuses it.
	if d := checkTargetApps(tg, none, appA, appA+"/versions/1.0.0", modePlanCreate, 5); d.HasError() {
		t.Fatalf("plan of a possibly tainted assignment: %v", d)
	}
	// The existing assignment is destroyed by the run: another version may take its place.
	if d := checkTargetApps(tg, planned(nil, appA), appA, appA+"/versions/2.0.0", modePlanCreate, 5); d.HasError() {
		t.Fatalf("the old version is removed in the same run: %v", d)
	}
	// Two versions of one application planned by two assignments of the same run.
	d = checkTargetApps(testTarget(), planned([][2]string{{appA, "1.0.0"}, {appA, "2.0.0"}}), appA, appA+"/versions/2.0.0", modePlanCreate, 5)
	if !d.HasError() || !strings.Contains(d[0].Summary(), "Two versions of one application") || !strings.Contains(d[0].Detail(), "version 2.0.0 and version 1.0.0 of application a") {
		t.Fatalf("two planned versions: %v", d)
	}
}

func TestCheckVersionFits(t *testing.T) {
	version := func(regions ...string) estate.Version {
		return estate.Version{ID: appA + "/versions/1.0.0", Regions: regions, RegionsKnown: true}
	}
	app := func(os string) estate.Application { return estate.Application{ID: appA, OSType: os} }
	if d := checkVersionFits(&checkInputs{target: testTarget(), version: version("East US 2"), app: app("Linux")}, "v"); d.HasError() {
		t.Fatalf("display name of the same region: %v", d)
	}
	d := checkVersionFits(&checkInputs{target: testTarget(), version: version("westeurope"), app: app("Windows")}, "v")
	if len(d) != 2 || !strings.Contains(d[0].Detail(), `target_region for "eastus2"`) || !strings.Contains(d[1].Detail(), "supports Windows, but") {
		t.Fatalf("region and OS: %v", d)
	}
	// Regions and OS type unknown at plan time are checked at apply.
	if d := checkVersionFits(&checkInputs{target: testTarget(), version: estate.Version{}, app: app("")}, "v"); d.HasError() {
		t.Fatalf("unknown values: %v", d)
	}
	agentless := testTarget()
	agentless.vm.Properties.OSProfile = &armcompute.OSProfile{LinuxConfiguration: &armcompute.LinuxConfiguration{ProvisionVMAgent: to.Ptr(false)}}
	d = checkVersionFits(&checkInputs{target: agentless, version: version("eastus2"), app: app("Linux")}, "v")
	if len(d) != 1 || !strings.Contains(d[0].Detail(), "provisionVMAgent = false") {
		t.Fatalf("agent: %v", d)
	}
}

func TestOSInfoFromOSProfile(t *testing.T) {
	id, _ := ids.ParseTarget(vmssID)
	ss := &target{id: id, vmss: &armcompute.VirtualMachineScaleSet{Properties: &armcompute.VirtualMachineScaleSetProperties{
		VirtualMachineProfile: &armcompute.VirtualMachineScaleSetVMProfile{OSProfile: &armcompute.VirtualMachineScaleSetOSProfile{
			WindowsConfiguration: &armcompute.WindowsConfiguration{ProvisionVMAgent: to.Ptr(true)}}}}}}
	if os, agent := ss.osInfo(); os != "Windows" || !agent {
		t.Fatalf("got %s, %v", os, agent)
	}
	if !ss.manualUpgrade() {
		t.Fatal("no upgrade policy means Manual")
	}
}

func TestCheckRebootOrder(t *testing.T) {
	in := func(install string, others ...*armcompute.VMGalleryApplication) *checkInputs {
		return &checkInputs{target: testTarget(others...), version: estate.Version{Install: install}}
	}
	order := func(o int32) types.Int32 { return types.Int32Value(o) }
	none := estate.Target{}
	if d := checkRebootOrder(in("sudo reboot", ref(appB, "1.0.0", to.Ptr[int32](5))), none, appA, order(3)); len(d) != 1 || d[0].Severity().String() != "Warning" {
		t.Fatalf("rebooting app before another: %v", d)
	}
	if d := checkRebootOrder(in("sudo reboot", ref(appB, "1.0.0", to.Ptr[int32](5))), none, appA, order(9)); len(d) != 0 {
		t.Fatalf("rebooting app last: %v", d)
	}
	if d := checkRebootOrder(in("sudo reboot", ref(appB, "1.0.0", nil)), none, appA, order(9)); len(d) != 1 {
		t.Fatalf("unordered applications install last: %v", d)
	}
	if d := checkRebootOrder(in("echo install", ref(appB, "1.0.0", to.Ptr[int32](5))), none, appA, order(1)); len(d) != 0 {
		t.Fatalf("no reboot, no warning: %v", d)
	}
	// Another application this run adds (unordered: installed last) comes after it too.
	if d := checkRebootOrder(in("sudo reboot"), planned([][2]string{{appB, "1.0.0"}}), appA, order(9)); len(d) != 1 || !strings.Contains(d[0].Detail(), "strictly after b") {
		t.Fatalf("planned application: %v", d)
	}
}

// nullObject returns an object of typ whose attributes are all null.
func nullObject(t testing.TB, typ tftypes.Type) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T, want an object", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	return tftypes.NewValue(typ, vals)
}

// The models' tfsdk tags must match the schemas exactly: Get fails on any missing or extra field.
func TestSchemasMatchModels(t *testing.T) {
	ctx := context.Background()
	rs := resourceSchema(ctx)
	if d := rs.ValidateImplementation(ctx); d.HasError() {
		t.Fatalf("resource schema: %v", d)
	}
	var m VMApplicationAssignmentResourceModel
	if d := (tfsdk.State{Schema: rs, Raw: nullObject(t, rs.Type().TerraformType(ctx))}).Get(ctx, &m); d.HasError() {
		t.Fatalf("resource model does not match the schema: %v", d)
	}
	ds := dataSourceSchema()
	if d := ds.ValidateImplementation(ctx); d.HasError() {
		t.Fatalf("data source schema: %v", d)
	}
	var dm VMApplicationsDataSourceModel
	if d := (tfsdk.State{Schema: ds, Raw: nullObject(t, ds.Type().TerraformType(ctx))}).Get(ctx, &dm); d.HasError() {
		t.Fatalf("data source model does not match the schema: %v", d)
	}
}

func TestExpandFlattenRoundTrip(t *testing.T) {
	m := VMApplicationAssignmentResourceModel{
		VersionID: customtypes.NewARMID(appA + "/versions/1.0.0"), Order: types.Int32Value(2), Tags: types.StringValue("t"),
		ConfigurationReference: types.StringNull(), TreatFailureAsDeploymentFailure: types.BoolValue(true), EnableAutomaticUpgrade: types.BoolValue(false),
	}
	e := expandEntry(&m)
	if e.ConfigurationReference != nil || *e.Order != 2 || !*e.TreatFailureAsDeploymentFailure {
		t.Fatalf("expand: %+v", e)
	}
	var back VMApplicationAssignmentResourceModel
	back.VersionID = customtypes.NewARMID(strings.ToUpper(appA) + "/versions/1.0.0")
	flattenEntry(e, &back)
	if !back.Order.Equal(m.Order) || !back.Tags.Equal(m.Tags) || !back.ConfigurationReference.IsNull() || !back.TreatFailureAsDeploymentFailure.ValueBool() {
		t.Fatalf("flatten: %+v", back)
	}
	if back.VersionID.ValueString() != strings.ToUpper(appA)+"/versions/1.0.0" {
		t.Fatal("flatten must keep the configured spelling of an equal ID")
	}
}

// A version in use that the plan replaces gets a warning on the assignment, whether or not the
// assignment moves to another version; other versions do not.
func TestWarnIfVersionReplaced(t *testing.T) {
	v1, v2 := appA+"/versions/1.0.0", appA+"/versions/2.0.0"
	state := &VMApplicationAssignmentResourceModel{TargetID: customtypes.NewARMID(vmID), VersionID: customtypes.NewARMID(v1)}
	view := estate.New()
	var d diag.Diagnostics
	warnIfVersionReplaced(view, &VMApplicationAssignmentResourceModel{VersionID: customtypes.NewARMID(v2)}, state, &d)
	if len(d) != 0 {
		t.Fatalf("version not replaced: %v", d)
	}
	view.PlanVersionReplacement(v1)
	warnIfVersionReplaced(view, &VMApplicationAssignmentResourceModel{VersionID: customtypes.NewARMID(v2)}, state, &d)
	if len(d) != 1 || d[0].Severity() != diag.SeverityWarning || !strings.Contains(d[0].Detail(), "create_before_destroy = true") ||
		!strings.Contains(d[0].Detail(), "before this assignment moves to version 2.0.0") {
		t.Fatalf("moving off a replaced version: %v", d)
	}
	d = nil
	warnIfVersionReplaced(view, &VMApplicationAssignmentResourceModel{VersionID: customtypes.NewARMID(v1)}, state, &d)
	if len(d) != 1 || strings.Contains(d[0].Detail(), "moves to") {
		t.Fatalf("a version replaced under the same ID: %v", d)
	}
}

// A failing install script's output can quote the package link with its SAS token: the
// install message (state, diagnostics, logs) carries it redacted, in every spelling.
func TestInstallMessageRedacted(t *testing.T) {
	sig := "Sig" + strconv.FormatInt(time.Now().UnixNano(), 36) + "%2B%3D"
	for _, result := range []string{
		"Install FAILED Error downloading https://a.blob.core.windows.net/c/app?sv=1&sr=b&sig=" + sig + "&sp=r: 403",
		`Install FAILED {"url":"https://a.blob.core.windows.net/c/app?sv=1\u0026sig=` + sig + `\u0026sp=r"}`,
		"Install FAILED url=https%3A%2F%2Fa%2Fc%2Fapp%3Fsv%3D1%26sig%3D" + strings.ReplaceAll(sig, "%", "%25") + "%26sp%3Dr",
	} {
		b, err := json.Marshal(map[string]any{"CurrentState": []appState{{ApplicationName: "a", Version: "1.0.0", Result: result}}})
		if err != nil {
			t.Fatal(err)
		}
		states, err := parseStatusMessage("Enable succeeded: " + string(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, per := range [][]reportedStates{{{States: states}}, {{Instance: "0", States: states}, {Instance: "1", States: states}}} {
			st, msg := statusOf(per, "a", "1.0.0", false)
			if st != StatusFailed || strings.Contains(msg, sig[:10]) || !strings.Contains(msg, "REDACTED") {
				t.Errorf("statusOf = %q, %q: want Failed with the signature redacted", st, msg)
			}
		}
	}
}
