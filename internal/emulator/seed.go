package emulator

import (
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// seedComputeLocked creates the seed's VMs and scale sets in the demo resource group.
func (e *Emulator) seedComputeLocked(now time.Time) {
	st := e.st
	rgID := "/subscriptions/" + st.SubscriptionID + "/resourceGroups/" + seedResourceGroup
	linux := func(agent bool) *armcompute.VirtualMachineProperties {
		return &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypesStandardB2S)},
			StorageProfile:  &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{OSType: to.Ptr(armcompute.OperatingSystemTypesLinux), CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage)}},
			OSProfile:       &armcompute.OSProfile{ComputerName: to.Ptr("linux"), AdminUsername: to.Ptr("azureuser"), LinuxConfiguration: &armcompute.LinuxConfiguration{ProvisionVMAgent: to.Ptr(agent)}},
			VMID:            to.Ptr(newGUID()),
		}
	}
	windows := &armcompute.VirtualMachineProperties{
		HardwareProfile: &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypesStandardB2S)},
		StorageProfile:  &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{OSType: to.Ptr(armcompute.OperatingSystemTypesWindows), CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage)}},
		OSProfile:       &armcompute.OSProfile{ComputerName: to.Ptr("windows"), AdminUsername: to.Ptr("azureuser"), WindowsConfiguration: &armcompute.WindowsConfiguration{ProvisionVMAgent: to.Ptr(true)}},
		VMID:            to.Ptr(newGUID()),
	}
	vms := []struct {
		env, name string
		props     *armcompute.VirtualMachineProperties
	}{
		{"TF_VAR_linux_vm_id", "vm-linux", linux(true)},
		{"TF_VAR_windows_vm_id", "vm-windows", windows},
		{"TF_VAR_agentless_vm_id", "vm-agentless", linux(false)},
	}
	// A Linux VM in the workload subscription: a central gallery's applications assigned there.
	wlRG := "/subscriptions/" + st.WorkloadSubscriptionID + "/resourceGroups/" + seedWorkloadResourceGroup
	vms = append(vms, struct {
		env, name string
		props     *armcompute.VirtualMachineProperties
	}{"TF_VAR_workload_vm_id", "vm-workload", linux(true)})
	for _, v := range vms {
		rg := rgID
		if v.env == "TF_VAR_workload_vm_id" {
			rg = wlRG
		}
		id := rg + "/providers/Microsoft.Compute/virtualMachines/" + v.name
		rec := &vmRecord{RG: strings.ToLower(rg), Etag: 1, Extensions: map[string]*armcompute.VirtualMachineExtension{},
			VM: armcompute.VirtualMachine{ID: to.Ptr(id), Name: to.Ptr(v.name), Type: to.Ptr("Microsoft.Compute/virtualMachines"), Location: to.Ptr(seedLocation), Properties: v.props}}
		rec.Created, rec.ReadyAt = now, now
		st.VMs[strings.ToLower(id)] = rec
		st.SeedVMs[v.env] = id
	}
	sets := []struct {
		env, name, loc string
		mode           armcompute.OrchestrationMode
		upgrade        armcompute.UpgradeMode
	}{
		{"TF_VAR_uniform_vmss_id", "vmss-uniform", seedLocation, armcompute.OrchestrationModeUniform, armcompute.UpgradeModeManual},
		{"TF_VAR_flexible_vmss_id", "vmss-flexible", seedSecondaryLocation, armcompute.OrchestrationModeFlexible, armcompute.UpgradeModeManual},
		{"TF_VAR_automatic_vmss_id", "vmss-automatic", seedLocation, armcompute.OrchestrationModeUniform, armcompute.UpgradeModeAutomatic},
		{"TF_VAR_rolling_vmss_id", "vmss-rolling", seedLocation, armcompute.OrchestrationModeUniform, armcompute.UpgradeModeRolling},
	}
	for _, s := range sets {
		id := rgID + "/providers/Microsoft.Compute/virtualMachineScaleSets/" + s.name
		rec := &vmssRecord{RG: strings.ToLower(rgID), Etag: 1, ModelVersion: 1,
			Instances: []*vmssInstance{{ID: "0", ModelVersion: 1}, {ID: "1", ModelVersion: 1}},
			SS: armcompute.VirtualMachineScaleSet{ID: to.Ptr(id), Name: to.Ptr(s.name), Type: to.Ptr("Microsoft.Compute/virtualMachineScaleSets"), Location: to.Ptr(s.loc),
				SKU: &armcompute.SKU{Name: to.Ptr("Standard_B2s"), Capacity: to.Ptr[int64](2)},
				Properties: &armcompute.VirtualMachineScaleSetProperties{
					OrchestrationMode: to.Ptr(s.mode),
					UpgradePolicy:     &armcompute.UpgradePolicy{Mode: to.Ptr(s.upgrade)},
					VirtualMachineProfile: &armcompute.VirtualMachineScaleSetVMProfile{
						StorageProfile: &armcompute.VirtualMachineScaleSetStorageProfile{OSDisk: &armcompute.VirtualMachineScaleSetOSDisk{OSType: to.Ptr(armcompute.OperatingSystemTypesLinux), CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage)}},
						OSProfile:      &armcompute.VirtualMachineScaleSetOSProfile{ComputerNamePrefix: to.Ptr(s.name), AdminUsername: to.Ptr("azureuser"), LinuxConfiguration: &armcompute.LinuxConfiguration{ProvisionVMAgent: to.Ptr(true)}},
					},
				}}}
		if s.upgrade == armcompute.UpgradeModeRolling {
			rec.SS.Properties.UpgradePolicy.RollingUpgradePolicy = &armcompute.RollingUpgradePolicy{MaxBatchInstancePercent: to.Ptr[int32](50)}
		}
		rec.Created, rec.ReadyAt = now, now
		st.ScaleSets[strings.ToLower(id)] = rec
		st.SeedVMs[s.env] = id
	}
}

// seedVMEnvLocked returns the TF_VAR_*_id variables of the seeded VMs and scale sets.
func (e *Emulator) seedVMEnvLocked() map[string]string {
	out := map[string]string{}
	for k, v := range e.st.SeedVMs {
		out[k] = v
	}
	return out
}

// settleComputeLocked removes VMs and scale sets whose deletion completed.
func (e *Emulator) settleComputeLocked(now time.Time) {
	for k, vm := range e.st.VMs {
		if vm.deleting() && !now.Before(vm.DeleteAt) {
			delete(e.st.VMs, k)
		}
	}
	for k, ss := range e.st.ScaleSets {
		if ss.deleting() && !now.Before(ss.DeleteAt) {
			delete(e.st.ScaleSets, k)
		}
	}
}

func (e *Emulator) computeInventoryLocked(now time.Time) []InventoryItem {
	var out []InventoryItem
	c := &call{now: now}
	for _, vm := range e.st.VMs {
		out = append(out, InventoryItem{*vm.VM.ID, *vm.VM.Type, *e.renderVM(c, vm).Properties.ProvisioningState})
	}
	for _, ss := range e.st.ScaleSets {
		out = append(out, InventoryItem{*ss.SS.ID, *ss.SS.Type, *e.renderVMSS(c, ss).Properties.ProvisioningState})
	}
	return out
}
