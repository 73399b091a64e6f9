package emulator

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// publishApp creates gallery/app/version (replicated to regions) without Azurite and returns the version ID.
func publishApp(t *testing.T, e *Emulator, gallery, app, os, install string, regions ...string) string {
	t.Helper()
	tok := token(t, e)
	g := e.galleryPath(gallery)
	if r := do(t, e, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"}); r.Status >= 300 {
		t.Fatalf("gallery: %s", r.Raw)
	}
	if r := do(t, e, "PUT", withAPI(g+"/applications/"+app, galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": os}}); r.Status >= 300 {
		t.Fatalf("app: %s", r.Raw)
	}
	var trs []any
	for _, r := range append([]string{"eastus2"}, regions...) {
		trs = append(trs, map[string]any{"name": r})
	}
	body := map[string]any{"location": "eastus2", "properties": map[string]any{"publishingProfile": map[string]any{
		"source":        map[string]any{"mediaLink": "https://example.invalid/pkg?sig=x"},
		"manageActions": map[string]any{"install": install, "remove": "echo remove"},
		"targetRegions": trs,
	}}}
	v := g + "/applications/" + app + "/versions/1.0.0"
	if r := do(t, e, "PUT", withAPI(v, galleryAPI), tok, body); r.Status >= 300 {
		t.Fatalf("version: %s", r.Raw)
	}
	time.Sleep(e.cfg.ReplicationTime + 50*time.Millisecond)
	return v
}

func TestVMApplicationsAndETag(t *testing.T) {
	e := startNoStorage(t)
	f := factory(t, e)
	c := ctx(t)
	env := e.Env()
	good := publishApp(t, e, "galVM", "good", "Linux", "echo ok")
	bad := publishApp(t, e, "galVM", "bad", "Linux", "echo x; exit 3")
	win := publishApp(t, e, "galVM", "win", "Windows", "echo ok")
	vmc := f.NewVirtualMachinesClient()

	vm, err := vmc.Get(c, seedResourceGroup, "vm-linux", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *vm.ID != env["TF_VAR_linux_vm_id"] || vm.Etag == nil {
		t.Fatalf("seed VM: %v %v", *vm.ID, vm.Etag)
	}
	etag := *vm.Etag

	// Two writers with the same etag: one wins, the other gets 412.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, ref := range []string{good, bad} {
		wg.Add(1)
		go func(i int, ref string) {
			defer wg.Done()
			upd := armcompute.VirtualMachineUpdate{Properties: &armcompute.VirtualMachineProperties{ApplicationProfile: &armcompute.ApplicationProfile{
				GalleryApplications: []*armcompute.VMGalleryApplication{{PackageReferenceID: to.Ptr(ref)}}}}}
			p, err := vmc.BeginUpdate(c, seedResourceGroup, "vm-linux", upd, &armcompute.VirtualMachinesClientBeginUpdateOptions{IfMatch: to.Ptr(etag)})
			if err == nil {
				_, err = p.PollUntilDone(c, fastPoll)
			}
			errs[i] = err
		}(i, ref)
	}
	wg.Wait()
	var failed int
	for _, err := range errs {
		if err != nil {
			var re *azcore.ResponseError
			if !errors.As(err, &re) || re.StatusCode != 412 || re.ErrorCode != "PreconditionFailed" || !strings.Contains(re.Error(), "does not match etag") {
				t.Fatalf("loser: %v", err)
			}
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("want exactly one 412, got %d (%v)", failed, errs)
	}

	// Read-modify-write with both applications, treatFailureAsDeploymentFailure on the failing one.
	vm, _ = vmc.Get(c, seedResourceGroup, "vm-linux", nil)
	vm.Properties.ApplicationProfile = &armcompute.ApplicationProfile{GalleryApplications: []*armcompute.VMGalleryApplication{
		{PackageReferenceID: to.Ptr(good), Order: to.Ptr[int32](1)},
		{PackageReferenceID: to.Ptr(bad), TreatFailureAsDeploymentFailure: to.Ptr(true)},
	}}
	p, err := vmc.BeginCreateOrUpdate(c, seedResourceGroup, "vm-linux", vm.VirtualMachine, &armcompute.VirtualMachinesClientBeginCreateOrUpdateOptions{IfMatch: vm.Etag})
	if err != nil {
		t.Fatal(err)
	}
	// The failed install fails the VM operation itself, and the VM reports Failed.
	_, err = p.PollUntilDone(c, fastPoll)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.ErrorCode != "VMExtensionProvisioningError" {
		t.Fatalf("treatFailureAsDeploymentFailure: want the operation to fail with VMExtensionProvisioningError, got %v", err)
	}
	got, err := vmc.Get(c, seedResourceGroup, "vm-linux", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.Properties.ProvisioningState != "Failed" {
		t.Fatalf("treatFailureAsDeploymentFailure: state %s", *got.Properties.ProvisioningState)
	}
	iv, err := vmc.InstanceView(c, seedResourceGroup, "vm-linux", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(iv.Extensions) != 1 || *iv.Extensions[0].Name != "VMAppExtension" || *iv.Extensions[0].Type != "Microsoft.CPlat.Core.VMApplicationManagerLinux" {
		t.Fatalf("instance view extensions: %+v", iv.Extensions)
	}
	st := iv.Extensions[0].Statuses[0]
	msg := strings.TrimPrefix(*st.Message, "Enable failed: ")
	var parsed struct {
		CurrentState []struct{ ApplicationName, Version, Result string }
	}
	if *st.Code != "ProvisioningState/failed" || json.Unmarshal([]byte(msg), &parsed) != nil || len(parsed.CurrentState) != 2 {
		t.Fatalf("status: %s %s", *st.Code, *st.Message)
	}
	if parsed.CurrentState[0].Result != "Install SUCCESS" || !strings.Contains(parsed.CurrentState[1].Result, "Install FAILED Error executing command 'echo x; exit 3': command terminated with exit status=3") {
		t.Fatalf("results: %+v", parsed.CurrentState)
	}

	// Service rules.
	expect := func(name string, refs []string, status int, code string) {
		t.Helper()
		var apps []*armcompute.VMGalleryApplication
		for _, r := range refs {
			apps = append(apps, &armcompute.VMGalleryApplication{PackageReferenceID: to.Ptr(r)})
		}
		_, err := vmc.BeginUpdate(c, seedResourceGroup, name, armcompute.VirtualMachineUpdate{Properties: &armcompute.VirtualMachineProperties{ApplicationProfile: &armcompute.ApplicationProfile{GalleryApplications: apps}}}, nil)
		mustCode(t, err, status, code)
	}
	expect("vm-agentless", []string{good}, 409, "OperationNotAllowed")
	expect("vm-windows", []string{good}, 400, "InvalidParameter")
	expect("vm-linux", []string{win}, 400, "InvalidParameter")
	expect("vm-linux", []string{good, strings.Replace(good, "1.0.0", "latest", 1)}, 400, "InvalidParameter")
	expect("vm-linux", []string{good, good, good, good, good, good}, 400, "InvalidParameter")
	expect("vm-linux", []string{strings.Replace(good, "1.0.0", "9.9.9", 1)}, 400, "InvalidParameter")
}

func TestVMExtensionsDroppedByPUT(t *testing.T) {
	e := startNoStorage(t)
	f := factory(t, e)
	c := ctx(t)
	xc := f.NewVirtualMachineExtensionsClient()
	p, err := xc.BeginCreateOrUpdate(c, seedResourceGroup, "vm-linux", "monitor", armcompute.VirtualMachineExtension{Location: to.Ptr("eastus2"), Properties: &armcompute.VirtualMachineExtensionProperties{Publisher: to.Ptr("p"), Type: to.Ptr("t"), TypeHandlerVersion: to.Ptr("1.0")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(c, fastPoll); err != nil {
		t.Fatal(err)
	}
	vmc := f.NewVirtualMachinesClient()
	vm, _ := vmc.Get(c, seedResourceGroup, "vm-linux", nil)
	if len(vm.Resources) != 1 {
		t.Fatalf("extension not listed: %+v", vm.Resources)
	}
	// A PUT with the resources kept keeps the extension.
	put := func(v armcompute.VirtualMachine) {
		p, err := vmc.BeginCreateOrUpdate(c, seedResourceGroup, "vm-linux", v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.PollUntilDone(c, fastPoll); err != nil {
			t.Fatal(err)
		}
	}
	put(vm.VirtualMachine)
	vm, _ = vmc.Get(c, seedResourceGroup, "vm-linux", nil)
	if len(vm.Resources) != 1 {
		t.Fatalf("extension lost by a PUT that kept it")
	}
	vm.Resources = nil
	put(vm.VirtualMachine)
	vm, _ = vmc.Get(c, seedResourceGroup, "vm-linux", nil)
	if len(vm.Resources) != 0 {
		t.Fatalf("the documented bug: a PUT without the extension uninstalls it; still have %d", len(vm.Resources))
	}
}

func TestVMSSApplications(t *testing.T) {
	e := startNoStorage(t)
	f := factory(t, e)
	c := ctx(t)
	good := publishApp(t, e, "galSS", "good", "Linux", "echo ok")
	sc := f.NewVirtualMachineScaleSetsClient()
	ic := f.NewVirtualMachineScaleSetVMsClient()
	ss, err := sc.Get(c, seedResourceGroup, "vmss-uniform", nil)
	if err != nil {
		t.Fatal(err)
	}
	ss.Properties.VirtualMachineProfile.ApplicationProfile = &armcompute.ApplicationProfile{GalleryApplications: []*armcompute.VMGalleryApplication{{PackageReferenceID: to.Ptr(good)}}}
	p, err := sc.BeginCreateOrUpdate(c, seedResourceGroup, "vmss-uniform", ss.VirtualMachineScaleSet, &armcompute.VirtualMachineScaleSetsClientBeginCreateOrUpdateOptions{IfMatch: ss.Etag})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(c, fastPoll); err != nil {
		t.Fatal(err)
	}
	// Manual upgrade policy: instances keep the old model until updateInstances.
	in, err := ic.Get(c, seedResourceGroup, "vmss-uniform", "0", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *in.Properties.LatestModelApplied {
		t.Fatal("manual policy applied the model")
	}
	up, err := sc.BeginUpdateInstances(c, seedResourceGroup, "vmss-uniform", armcompute.VirtualMachineScaleSetVMInstanceRequiredIDs{InstanceIDs: []*string{to.Ptr("*")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.PollUntilDone(c, fastPoll); err != nil {
		t.Fatal(err)
	}
	iv, err := ic.GetInstanceView(c, seedResourceGroup, "vmss-uniform", "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(iv.Extensions) != 1 || !strings.Contains(*iv.Extensions[0].Statuses[0].Message, `"result": "Install SUCCESS"`) {
		t.Fatalf("instance view: %+v", iv.Extensions)
	}
	// Stale etag → 412.
	_, err = sc.BeginCreateOrUpdate(c, seedResourceGroup, "vmss-uniform", ss.VirtualMachineScaleSet, &armcompute.VirtualMachineScaleSetsClientBeginCreateOrUpdateOptions{IfMatch: ss.Etag})
	mustCode(t, err, 412, "PreconditionFailed")
	// The documented bug: an update without the application profile drops the applications.
	pu, err := sc.BeginUpdate(c, seedResourceGroup, "vmss-uniform", armcompute.VirtualMachineScaleSetUpdate{Tags: map[string]*string{"a": to.Ptr("b")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pu.PollUntilDone(c, fastPoll); err != nil {
		t.Fatal(err)
	}
	ss2, _ := sc.Get(c, seedResourceGroup, "vmss-uniform", nil)
	if ss2.Properties.VirtualMachineProfile.ApplicationProfile != nil {
		t.Fatal("applications survived an update without applicationProfile")
	}
	// The flexible scale set is in westeurope, where the version is not replicated.
	fs, _ := sc.Get(c, seedResourceGroup, "vmss-flexible", nil)
	fs.Properties.VirtualMachineProfile.ApplicationProfile = &armcompute.ApplicationProfile{GalleryApplications: []*armcompute.VMGalleryApplication{{PackageReferenceID: to.Ptr(good)}}}
	_, err = sc.BeginCreateOrUpdate(c, seedResourceGroup, "vmss-flexible", fs.VirtualMachineScaleSet, nil)
	re := mustResponseError(t, err, 400, "InvalidParameter")
	if !strings.Contains(re.Error(), "not available in westeurope") {
		t.Fatalf("region message: %v", re)
	}
}
