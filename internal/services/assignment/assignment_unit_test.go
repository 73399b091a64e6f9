package assignment

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
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

func TestParseID(t *testing.T) {
	for _, tc := range []struct {
		id, wantErr string
		vmss        bool
	}{
		{id: vmID + "|" + appA},
		{id: vmssID + "|" + appA, vmss: true},
		{id: strings.ToLower(vmID) + "|" + appA},
		{id: vmID, wantErr: "is not an assignment ID"},
		{id: vmID + "|" + appA + "|x", wantErr: "is not an assignment ID"},
		{id: appA + "|" + vmID, wantErr: "the target part"},
		{id: vmID + "|" + appA + "/versions/1.0.0", wantErr: "the application part"},
	} {
		got, err := parseID(tc.id)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "<target_id>|<application_id>") {
				t.Errorf("parseID(%q) error = %v, want one containing %q and the format", tc.id, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseID(%q): %v", tc.id, err)
			continue
		}
		if got.String() != tc.id || isScaleSet(got.Target) != tc.vmss {
			t.Errorf("parseID(%q) = %+v (scale set %v)", tc.id, got, isScaleSet(got.Target))
		}
	}
}

func TestApplicationIDOfVersion(t *testing.T) {
	got, err := applicationIDOfVersion(appA + "/versions/1.2.3")
	if err != nil || got != appA {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := applicationIDOfVersion(appA); err == nil {
		t.Fatal("an application ID is not a version ID")
	}
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
		st, m := installStatus(states, tc.name, tc.version)
		if st != tc.status || m != tc.message {
			t.Errorf("installStatus(%s %s) = %q, %q; want %q, %q", tc.name, tc.version, st, m, tc.status, tc.message)
		}
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
		{nil, StatusPending, "no instance"},
		{[]reportedStates{{States: ok}}, StatusSucceeded, "Install SUCCESS"},
		{[]reportedStates{{Instance: "0", States: ok}, {Instance: "1", States: ok}}, StatusSucceeded, "instance 0: Install SUCCESS; instance 1: Install SUCCESS"},
		{[]reportedStates{{Instance: "0", States: ok}, {Instance: "1"}}, StatusPending, "instance 1: not reported"},
		{[]reportedStates{{Instance: "0", States: bad}, {Instance: "1"}}, StatusFailed, "instance 0: Install FAILED boom"},
	} {
		st, msg := statusOf(tc.per, "a", "1.0.0")
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
		t.Fatalf("withApp replace: %v", ids(updated))
	}
	if !strings.HasSuffix(*current[0].PackageReferenceID, "/versions/1.0.0") {
		t.Fatal("withApp must not change its input")
	}
	appC := apps + "c"
	if added := withApp(current, ref(appC, "1.0.0", nil)); len(added) != 3 {
		t.Fatalf("withApp append: %v", ids(added))
	}

	removed := withoutApp(current, strings.ToLower(appA))
	if len(removed) != 1 || removed[0] != current[1] {
		t.Fatalf("withoutApp: %v", ids(removed))
	}
	last := withoutApp(removed, appB)
	if last == nil || len(last) != 0 {
		t.Fatal("removing the last application must give an empty, non-nil list (sent as [])")
	}
	if findApp(current, appB) != 1 || findApp(current, appC) != -1 {
		t.Fatal("findApp")
	}
}

func ids(apps []*armcompute.VMGalleryApplication) []string {
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
	id, _ := arm.ParseResourceID(vmID)
	return &target{id: id, vm: &armcompute.VirtualMachine{Location: to.Ptr("eastus2"), Properties: &armcompute.VirtualMachineProperties{
		ApplicationProfile: &armcompute.ApplicationProfile{GalleryApplications: apps},
		StorageProfile:     &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{OSType: to.Ptr(armcompute.OperatingSystemTypesLinux)}},
	}}}
}

func TestCheckTargetAppsCountsWhatIsThere(t *testing.T) {
	var five []*armcompute.VMGalleryApplication
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		five = append(five, ref(apps+n, "1.0.0", nil))
	}
	appF := apps + "f"

	d := checkTargetApps(testTarget(five[:4]...), appF, appF+"/versions/1.0.0", modeCreate, 5)
	if d.HasError() {
		t.Fatalf("the 5th application is within the limit: %v", d)
	}
	d = checkTargetApps(testTarget(five...), appF, appF+"/versions/1.0.0", modeCreate, 5)
	if !d.HasError() || !strings.Contains(d[0].Detail(), "already has 5 application(s) (a, b, c, d, e)") || !strings.Contains(d[0].Detail(), "makes 6, over the limit of 5") {
		t.Fatalf("the 6th application must fail: %v", d)
	}
	// Changing the version of an application already there does not add one.
	if d := checkTargetApps(testTarget(five...), appA, appA+"/versions/2.0.0", modeUpdate, 5); d.HasError() {
		t.Fatalf("an update counts the application once: %v", d)
	}
	// A raised limit allows more.
	if d := checkTargetApps(testTarget(five...), appF, appF+"/versions/1.0.0", modeCreate, 25); d.HasError() {
		t.Fatalf("limit 25: %v", d)
	}
}

func TestCheckTargetAppsOneVersionPerApplication(t *testing.T) {
	tg := testTarget(ref(appA, "1.0.0", nil))
	d := checkTargetApps(tg, appA, appA+"/versions/2.0.0", modePlanCreate, 5)
	if !d.HasError() || !strings.Contains(d[0].Detail(), "Version 1.0.0 of application a is already assigned") {
		t.Fatalf("second version: %v", d)
	}
	d = checkTargetApps(tg, appA, strings.ToLower(appA)+"/versions/1.0.0", modeCreate, 5)
	if !d.HasError() || !strings.Contains(d[0].Detail(), "terraform import azvmapps_vm_application_assignment") {
		t.Fatalf("same version: import hint expected: %v", d)
	}
	// Planning a new assignment whose version is already there may be this resource's own,
	// tainted entry (Terraform plans it without prior state): only apply refuses it.
	if d := checkTargetApps(tg, appA, appA+"/versions/1.0.0", modePlanCreate, 5); d.HasError() {
		t.Fatalf("plan of a possibly tainted assignment: %v", d)
	}
}

func TestCheckVersionFits(t *testing.T) {
	version := func(regions ...string) *armcompute.GalleryApplicationVersion {
		var tr []*armcompute.TargetRegion
		for _, r := range regions {
			tr = append(tr, &armcompute.TargetRegion{Name: to.Ptr(r)})
		}
		return &armcompute.GalleryApplicationVersion{Properties: &armcompute.GalleryApplicationVersionProperties{
			PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{TargetRegions: tr}}}
	}
	app := func(os armcompute.OperatingSystemTypes) *armcompute.GalleryApplication {
		return &armcompute.GalleryApplication{Name: to.Ptr("a"), Properties: &armcompute.GalleryApplicationProperties{SupportedOSType: to.Ptr(os)}}
	}
	if d := checkVersionFits(&checkInputs{target: testTarget(), version: version("East US 2"), app: app(armcompute.OperatingSystemTypesLinux)}, "v"); d.HasError() {
		t.Fatalf("display name of the same region: %v", d)
	}
	d := checkVersionFits(&checkInputs{target: testTarget(), version: version("westeurope"), app: app(armcompute.OperatingSystemTypesWindows)}, "v")
	if len(d) != 2 || !strings.Contains(d[0].Detail(), `target_region for "eastus2"`) || !strings.Contains(d[1].Detail(), "supports Windows, but") {
		t.Fatalf("region and OS: %v", d)
	}
	agentless := testTarget()
	agentless.vm.Properties.OSProfile = &armcompute.OSProfile{LinuxConfiguration: &armcompute.LinuxConfiguration{ProvisionVMAgent: to.Ptr(false)}}
	d = checkVersionFits(&checkInputs{target: agentless, version: version("eastus2"), app: app(armcompute.OperatingSystemTypesLinux)}, "v")
	if len(d) != 1 || !strings.Contains(d[0].Detail(), "provisionVMAgent = false") {
		t.Fatalf("agent: %v", d)
	}
}

func TestOSInfoFromOSProfile(t *testing.T) {
	id, _ := arm.ParseResourceID(vmssID)
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
		return &checkInputs{target: testTarget(others...), version: &armcompute.GalleryApplicationVersion{Properties: &armcompute.GalleryApplicationVersionProperties{
			PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{ManageActions: &armcompute.UserArtifactManage{Install: to.Ptr(install)}}}}}
	}
	order := func(o int32) types.Int32 { return types.Int32Value(o) }
	if d := checkRebootOrder(in("sudo reboot", ref(appB, "1.0.0", to.Ptr[int32](5))), appA, order(3)); len(d) != 1 || d[0].Severity().String() != "Warning" {
		t.Fatalf("rebooting app before another: %v", d)
	}
	if d := checkRebootOrder(in("sudo reboot", ref(appB, "1.0.0", to.Ptr[int32](5))), appA, order(9)); len(d) != 0 {
		t.Fatalf("rebooting app last: %v", d)
	}
	if d := checkRebootOrder(in("sudo reboot", ref(appB, "1.0.0", nil)), appA, order(9)); len(d) != 1 {
		t.Fatalf("unordered applications install last: %v", d)
	}
	if d := checkRebootOrder(in("echo install", ref(appB, "1.0.0", to.Ptr[int32](5))), appA, order(1)); len(d) != 0 {
		t.Fatalf("no reboot, no warning: %v", d)
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
			st, msg := statusOf(per, "a", "1.0.0")
			if st != StatusFailed || strings.Contains(msg, sig[:10]) || !strings.Contains(msg, "REDACTED") {
				t.Errorf("statusOf = %q, %q: want Failed with the signature redacted", st, msg)
			}
		}
	}
}
