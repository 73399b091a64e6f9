package emulator

import (
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// putScaleSet sends the scale set back with change applied (read-modify-write, If-Match).
func putScaleSet(t *testing.T, f *armcompute.ClientFactory, name string, change func(*armcompute.VirtualMachineScaleSet)) {
	t.Helper()
	sc := f.NewVirtualMachineScaleSetsClient()
	ss, err := sc.Get(ctx(t), seedResourceGroup, name, nil)
	must(t, err)
	change(&ss.VirtualMachineScaleSet)
	p, err := sc.BeginCreateOrUpdate(ctx(t), seedResourceGroup, name, ss.VirtualMachineScaleSet, &armcompute.VirtualMachineScaleSetsClientBeginCreateOrUpdateOptions{IfMatch: ss.Etag})
	must(t, err)
	_, err = p.PollUntilDone(ctx(t), fastPoll)
	must(t, err)
}

func withApp(ref string) func(*armcompute.VirtualMachineScaleSet) {
	return func(ss *armcompute.VirtualMachineScaleSet) {
		ss.Properties.VirtualMachineProfile.ApplicationProfile = &armcompute.ApplicationProfile{GalleryApplications: []*armcompute.VMGalleryApplication{{PackageReferenceID: to.Ptr(ref)}}}
	}
}

// stageImage changes only the image reference: an unrelated model change.
func stageImage(sku string) func(*armcompute.VirtualMachineScaleSet) {
	return func(ss *armcompute.VirtualMachineScaleSet) {
		ss.Properties.VirtualMachineProfile.StorageProfile.ImageReference = &armcompute.ImageReference{
			Publisher: to.Ptr("Canonical"), Offer: to.Ptr("ubuntu-24_04-lts"), SKU: to.Ptr(sku), Version: to.Ptr("latest")}
	}
}

// instances returns instance ID → (latestModelApplied, instance-view extension message).
func instances(t *testing.T, f *armcompute.ClientFactory, name string) map[string][2]string {
	t.Helper()
	out := map[string][2]string{}
	pager := f.NewVirtualMachineScaleSetVMsClient().NewListPager(seedResourceGroup, name, &armcompute.VirtualMachineScaleSetVMsClientListOptions{Expand: to.Ptr("instanceView")})
	for pager.More() {
		page, err := pager.NextPage(ctx(t))
		must(t, err)
		for _, vm := range page.Value {
			msg := ""
			if iv := vm.Properties.InstanceView; iv != nil && len(iv.Extensions) > 0 {
				msg = *iv.Extensions[0].Statuses[0].Message
			}
			latest := "behind"
			if *vm.Properties.LatestModelApplied {
				latest = "latest"
			}
			out[*vm.InstanceID] = [2]string{latest, msg}
		}
	}
	return out
}

func updateInstances(t *testing.T, f *armcompute.ClientFactory, name string, ids ...string) {
	t.Helper()
	var req armcompute.VirtualMachineScaleSetVMInstanceRequiredIDs
	for _, id := range ids {
		req.InstanceIDs = append(req.InstanceIDs, to.Ptr(id))
	}
	p, err := f.NewVirtualMachineScaleSetsClient().BeginUpdateInstances(ctx(t), seedResourceGroup, name, req, nil)
	must(t, err)
	_, err = p.PollUntilDone(ctx(t), fastPoll)
	must(t, err)
}

// A Manual scale set with a staged image change keeps its instances untouched unless asked;
// updateInstances applies the model to the named instances only, and only they get the
// application.
func TestVMSSManualKeepsInstancesUntilAsked(t *testing.T) {
	e := startNoStorage(t)
	f := factory(t, e)
	good := publishApp(t, e, "galRoll", "good", "Linux", "echo ok")

	putScaleSet(t, f, "vmss-uniform", stageImage("server"))
	for id, in := range instances(t, f, "vmss-uniform") {
		if in[0] != "behind" || in[1] != "" {
			t.Fatalf("staged image change: instance %s %v, want behind and untouched", id, in)
		}
	}
	putScaleSet(t, f, "vmss-uniform", withApp(good))
	time.Sleep(e.cfg.InstallTime + 100*time.Millisecond)
	for id, in := range instances(t, f, "vmss-uniform") {
		if in[0] != "behind" || in[1] != "" {
			t.Fatalf("application added on Manual: instance %s %v, want behind without the application", id, in)
		}
	}
	updateInstances(t, f, "vmss-uniform", "1")
	time.Sleep(e.cfg.InstallTime + 100*time.Millisecond)
	got := instances(t, f, "vmss-uniform")
	if got["1"][0] != "latest" || !strings.Contains(got["1"][1], "Install SUCCESS") {
		t.Fatalf("instance 1 after updateInstances([1]): %v", got["1"])
	}
	if got["0"][0] != "behind" || got["0"][1] != "" {
		t.Fatalf("instance 0 was not asked for but changed: %v", got["0"])
	}
	updateInstances(t, f, "vmss-uniform", "*")
	if got := instances(t, f, "vmss-uniform"); got["0"][0] != "latest" {
		t.Fatalf("updateInstances(*): %v", got)
	}
	calls := 0
	for _, r := range e.Requests() {
		if strings.HasSuffix(strings.ToLower(r.Path), "/manualupgrade") {
			calls++
		}
	}
	if calls != 2 {
		t.Fatalf("the request log shows %d manualupgrade calls, want 2", calls)
	}
}

// Automatic and Rolling policies apply a model change to the instances without updateInstances;
// Rolling in batches (maxBatchInstancePercent 50: instance 1 after instance 0).
func TestVMSSAutomaticAndRollingApplyTheModel(t *testing.T) {
	e := startNoStorage(t)
	f := factory(t, e)
	good := publishApp(t, e, "galRoll", "good", "Linux", "echo ok")
	for _, name := range []string{"vmss-automatic", "vmss-rolling"} {
		putScaleSet(t, f, name, withApp(good))
		for id, in := range instances(t, f, name) {
			if in[0] != "latest" || !strings.Contains(in[1], "Install SUCCESS") {
				t.Fatalf("%s instance %s: %v", name, id, in)
			}
		}
	}
	putScaleSet(t, f, "vmss-rolling", stageImage("server"))
	for _, r := range e.Requests() {
		if p := strings.ToLower(r.Path); strings.HasSuffix(p, "/updateinstances") || strings.HasSuffix(p, "/manualupgrade") {
			t.Fatalf("unexpected %s %s", r.Method, r.Path)
		}
	}
}

// The rolling batches finish one after the other.
func TestVMSSRollingBatches(t *testing.T) {
	e := startNoStorage(t, func(c *Config) { c.InstallTime = 2 * time.Second })
	f := factory(t, e)
	good := publishApp(t, e, "galRoll", "good", "Linux", "echo ok")
	sc := f.NewVirtualMachineScaleSetsClient()
	ss, err := sc.Get(ctx(t), seedResourceGroup, "vmss-rolling", nil)
	must(t, err)
	withApp(good)(&ss.VirtualMachineScaleSet)
	_, err = sc.BeginCreateOrUpdate(ctx(t), seedResourceGroup, "vmss-rolling", ss.VirtualMachineScaleSet, nil)
	must(t, err)
	time.Sleep(2*time.Second + 300*time.Millisecond)
	got := instances(t, f, "vmss-rolling")
	if !strings.Contains(got["0"][1], "SUCCESS") || strings.Contains(got["1"][1], "SUCCESS") {
		t.Fatalf("after the first batch: %v", got)
	}
}

// Flexible: the instances are VMs, read through the VM API; the scale set's VM API refuses;
// updateInstances names instances by VM name.
func TestVMSSFlexibleInstancesAreVMs(t *testing.T) {
	e := startNoStorage(t)
	f := factory(t, e)
	env := e.Env()
	good := publishApp(t, e, "galFlex", "good", "Linux", "echo ok", "westeurope")
	vmc := f.NewVirtualMachinesClient()
	filter := "'virtualMachineScaleSet/id' eq '" + env["TF_VAR_flexible_vmss_id"] + "'"
	list := func() map[string]string {
		out := map[string]string{}
		pager := vmc.NewListPager(seedResourceGroup, &armcompute.VirtualMachinesClientListOptions{Filter: &filter, Expand: to.Ptr(armcompute.ExpandTypeForListVMsInstanceView)})
		for pager.More() {
			page, err := pager.NextPage(ctx(t))
			must(t, err)
			for _, vm := range page.Value {
				if vm.Properties.VirtualMachineScaleSet == nil || !strings.EqualFold(*vm.Properties.VirtualMachineScaleSet.ID, env["TF_VAR_flexible_vmss_id"]) {
					t.Fatalf("VM %s lacks its scale set: %+v", *vm.Name, vm.Properties.VirtualMachineScaleSet)
				}
				msg := ""
				if iv := vm.Properties.InstanceView; iv != nil && len(iv.Extensions) > 0 {
					msg = *iv.Extensions[0].Statuses[0].Message
				}
				out[*vm.Name] = msg
			}
		}
		return out
	}
	if got := list(); len(got) != 2 || got["vmss-flexible_0"] != "" {
		t.Fatalf("flexible instances: %v", got)
	}
	if _, err := vmc.Get(ctx(t), seedResourceGroup, "vmss-flexible_1", nil); err != nil {
		t.Fatal(err)
	}
	_, err := f.NewVirtualMachineScaleSetVMsClient().Get(ctx(t), seedResourceGroup, "vmss-flexible", "0", nil)
	mustCode(t, err, 400, "OperationNotAllowed")

	putScaleSet(t, f, "vmss-flexible", withApp(good))
	time.Sleep(e.cfg.InstallTime + 100*time.Millisecond)
	if got := list(); got["vmss-flexible_0"] != "" {
		t.Fatalf("Manual Flexible scale set: the model change reached the instances: %v", got)
	}
	updateInstances(t, f, "vmss-flexible", "vmss-flexible_0")
	time.Sleep(e.cfg.InstallTime + 100*time.Millisecond)
	got := list()
	if !strings.Contains(got["vmss-flexible_0"], "Install SUCCESS") || got["vmss-flexible_1"] != "" {
		t.Fatalf("after updateInstances([vmss-flexible_0]): %v", got)
	}
	iv, err := vmc.InstanceView(ctx(t), seedResourceGroup, "vmss-flexible_0", nil)
	must(t, err)
	if len(iv.Extensions) != 1 {
		t.Fatalf("instance view of the Flexible instance: %+v", iv.Extensions)
	}
}
