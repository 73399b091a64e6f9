package assignment

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
)

// target is a VM or a VM scale set as read from ARM.
type target struct {
	id   ids.Target
	vm   *armcompute.VirtualMachine
	vmss *armcompute.VirtualMachineScaleSet
}

// apps returns the target's gallery applications.
func (t *target) apps() []*armcompute.VMGalleryApplication {
	var p *armcompute.ApplicationProfile
	switch {
	case t.vm != nil && t.vm.Properties != nil:
		p = t.vm.Properties.ApplicationProfile
	case t.vmss != nil && t.vmss.Properties != nil && t.vmss.Properties.VirtualMachineProfile != nil:
		p = t.vmss.Properties.VirtualMachineProfile.ApplicationProfile
	}
	if p == nil {
		return nil
	}
	return p.GalleryApplications
}

// location returns the target's region.
func (t *target) location() string {
	if t.vm != nil {
		return deref(t.vm.Location)
	}
	return deref(t.vmss.Location)
}

// etag returns the ETag to send in If-Match.
func (t *target) etag() *string {
	if t.vm != nil {
		return t.vm.Etag
	}
	return t.vmss.Etag
}

// osInfo returns the target's OS type ("Linux"/"Windows", "" when unknown) and whether its VM
// agent is provisioned.
func (t *target) osInfo() (string, bool) {
	var osDisk *armcompute.OperatingSystemTypes
	var linux *armcompute.LinuxConfiguration
	var windows *armcompute.WindowsConfiguration
	if t.vm != nil && t.vm.Properties != nil {
		p := t.vm.Properties
		if p.StorageProfile != nil && p.StorageProfile.OSDisk != nil {
			osDisk = p.StorageProfile.OSDisk.OSType
		}
		if p.OSProfile != nil {
			linux, windows = p.OSProfile.LinuxConfiguration, p.OSProfile.WindowsConfiguration
		}
	}
	if t.vmss != nil && t.vmss.Properties != nil && t.vmss.Properties.VirtualMachineProfile != nil {
		p := t.vmss.Properties.VirtualMachineProfile
		if p.StorageProfile != nil && p.StorageProfile.OSDisk != nil {
			osDisk = p.StorageProfile.OSDisk.OSType
		}
		if p.OSProfile != nil {
			linux, windows = p.OSProfile.LinuxConfiguration, p.OSProfile.WindowsConfiguration
		}
	}
	os, agent := "", true
	switch {
	case osDisk != nil:
		os = string(*osDisk)
	case windows != nil:
		os = "Windows"
	case linux != nil:
		os = "Linux"
	}
	if windows != nil && windows.ProvisionVMAgent != nil {
		agent = *windows.ProvisionVMAgent
	}
	if linux != nil && linux.ProvisionVMAgent != nil {
		agent = *linux.ProvisionVMAgent
	}
	return os, agent
}

// manualUpgrade reports whether a scale set's instances take a new model only when asked.
func (t *target) manualUpgrade() bool {
	if t.vmss == nil {
		return false
	}
	p := t.vmss.Properties
	return p == nil || p.UpgradePolicy == nil || p.UpgradePolicy.Mode == nil || *p.UpgradePolicy.Mode == armcompute.UpgradeModeManual
}

// targets reads and writes the application profiles of VMs and scale sets.
type targets struct{ c *clients.Client }

// compute returns the client factory of the subscription the target's ID names.
func (s targets) compute(id ids.Target) (*armcompute.ClientFactory, error) {
	return s.c.ComputeFor(id.SubscriptionID)
}

// get reads a target.
func (s targets) get(ctx context.Context, id ids.Target) (*target, error) {
	f, err := s.compute(id)
	if err != nil {
		return nil, err
	}
	if id.IsScaleSet() {
		resp, err := f.NewVirtualMachineScaleSetsClient().Get(ctx, id.ResourceGroup, id.Name, nil)
		if err != nil {
			return nil, err
		}
		return &target{id: id, vmss: &resp.VirtualMachineScaleSet}, nil
	}
	resp, err := f.NewVirtualMachinesClient().Get(ctx, id.ResourceGroup, id.Name, nil)
	if err != nil {
		return nil, err
	}
	return &target{id: id, vm: &resp.VirtualMachine}, nil
}

// write sends the complete application list. A VM is PATCHed with only its application
// profile, which keeps its extensions (a PUT without them would uninstall them). A scale set is
// PUT with the model just read plus the new list: the SDK's scale-set PATCH model has no
// application profile, and the service drops the applications on an update without one. With a
// Manual upgrade policy the instances then take the new model only as upgrade_instances says
// (the batch's merged rollout, see decideRollout); Automatic and Rolling policies roll it out
// themselves.
func (s targets) write(ctx context.Context, t *target, apps []*armcompute.VMGalleryApplication) error {
	profile := &armcompute.ApplicationProfile{GalleryApplications: apps}
	f, err := s.compute(t.id)
	if err != nil {
		return err
	}
	// The write's own response says when to read its operation first (Retry-After).
	var accepted *http.Response
	if t.vm != nil {
		poller, err := f.NewVirtualMachinesClient().BeginUpdate(policy.WithCaptureResponse(ctx, &accepted), t.id.ResourceGroup, t.id.Name,
			armcompute.VirtualMachineUpdate{Properties: &armcompute.VirtualMachineProperties{ApplicationProfile: profile}},
			&armcompute.VirtualMachinesClientBeginUpdateOptions{IfMatch: t.etag()})
		if err != nil {
			return err
		}
		_, err = wait.PollUntilDoneAfter(ctx, poller, s.c.PollFrequency, accepted)
		return err
	}
	// Which instances were behind the latest model is read before the write changes the model.
	r := rolloutFrom(ctx)
	var ins []instanceModel
	if t.manualUpgrade() && r.mode != UpgradeNone {
		var err error
		if ins, err = s.instanceModels(ctx, t); err != nil {
			return err
		}
	}
	plan := decideRollout(t.manualUpgrade(), t.isFlexible(), r, ins)
	body := *t.vmss
	props := *body.Properties
	vmProfile := armcompute.VirtualMachineScaleSetVMProfile{}
	if props.VirtualMachineProfile != nil {
		vmProfile = *props.VirtualMachineProfile
	}
	vmProfile.ApplicationProfile = profile
	props.VirtualMachineProfile = &vmProfile
	body.Properties = &props
	client := f.NewVirtualMachineScaleSetsClient()
	poller, err := client.BeginCreateOrUpdate(policy.WithCaptureResponse(ctx, &accepted), t.id.ResourceGroup, t.id.Name, body,
		&armcompute.VirtualMachineScaleSetsClientBeginCreateOrUpdateOptions{IfMatch: t.etag()})
	if err != nil {
		return err
	}
	if _, err := wait.PollUntilDoneAfter(ctx, poller, s.c.PollFrequency, accepted); err != nil {
		return err
	}
	return s.rollOut(ctx, t, plan)
}

// instanceStates reads the application states of the VM, or of every scale-set instance: the
// scale set's VM list for Uniform, the VMs of the scale set for Flexible (its instances are VMs,
// read through the VM API: docs orchestration-modes-api-comparison).
func (s targets) instanceStates(ctx context.Context, id ids.Target) ([]reportedStates, error) {
	f, err := s.compute(id)
	if err != nil {
		return nil, err
	}
	if !id.IsScaleSet() {
		resp, err := f.NewVirtualMachinesClient().InstanceView(ctx, id.ResourceGroup, id.Name, nil)
		if err != nil {
			return nil, err
		}
		states, err := extensionStates(resp.Extensions)
		return []reportedStates{{States: states}}, err
	}
	t, err := s.shared(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []reportedStates
	if t.isFlexible() {
		pager := f.NewVirtualMachinesClient().NewListPager(id.ResourceGroup,
			&armcompute.VirtualMachinesClientListOptions{Filter: flexFilter(t), Expand: to.Ptr(armcompute.ExpandTypeForListVMsInstanceView)})
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, vm := range page.Value {
				var exts []*armcompute.VirtualMachineExtensionInstanceView
				if vm.Properties != nil && vm.Properties.InstanceView != nil {
					exts = vm.Properties.InstanceView.Extensions
				}
				states, err := extensionStates(exts)
				if err != nil {
					return nil, err
				}
				out = append(out, reportedStates{Instance: deref(vm.Name), States: states})
			}
		}
		return out, nil
	}
	pager := f.NewVirtualMachineScaleSetVMsClient().NewListPager(id.ResourceGroup, id.Name,
		&armcompute.VirtualMachineScaleSetVMsClientListOptions{Expand: to.Ptr("instanceView")})
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, vm := range page.Value {
			var exts []*armcompute.VirtualMachineExtensionInstanceView
			behind := false
			if vm.Properties != nil {
				if vm.Properties.InstanceView != nil {
					exts = vm.Properties.InstanceView.Extensions
				}
				behind = vm.Properties.LatestModelApplied != nil && !*vm.Properties.LatestModelApplied
			}
			states, err := extensionStates(exts)
			if err != nil {
				return nil, err
			}
			out = append(out, reportedStates{Instance: deref(vm.InstanceID), States: states, Behind: behind})
		}
	}
	return out, nil
}

// Keys of the run's shared reads (clients.RunCache).
func targetKey(id ids.Target) string       { return "target|" + id.String() }
func instanceViewKey(id ids.Target) string { return "instanceview|" + id.String() }

// shared reads a target once per run for every resource that only looks at it (refresh, plan
// checks, the data source); writes read it afresh (get), for its ETag.
func (s targets) shared(ctx context.Context, id ids.Target) (*target, error) {
	return clients.Shared(s.c.Reads, targetKey(id), func() (*target, error) { return s.get(ctx, id) })
}

// sharedStates reads the instance view(s) of a target once per run, for refreshes.
func (s targets) sharedStates(ctx context.Context, id ids.Target) ([]reportedStates, error) {
	return clients.Shared(s.c.Reads, instanceViewKey(id), func() ([]reportedStates, error) { return s.instanceStates(ctx, id) })
}

// forget drops the shared reads of a target after a write to it.
func (s targets) forget(id ids.Target) {
	s.c.Reads.Forget(targetKey(id))
	s.c.Reads.Forget(instanceViewKey(id))
	s.c.Reads.Forget("instances|" + id.String())
}

// leftOnOldModel reports whether the last write left the scale set's instances on their model
// (upgrade_instances): what is pending then will not install until they are upgraded, so
// waiting for it would never end.
func (s targets) leftOnOldModel(id ids.Target) bool {
	_, ok := notRolled.Load(strings.ToLower(id.String()))
	return ok
}

// status returns the install status of an application version on a target.
func (s targets) status(ctx context.Context, id ids.Target, applicationName, version string, newerOK bool) (string, string, error) {
	per, err := s.instanceStates(ctx, id)
	if err != nil {
		return "", "", err
	}
	st, msg := statusOf(per, applicationName, version, newerOK)
	return st, msg, nil
}

// waitForInstall polls the install status until it is final or the context ends (see
// wait.Until: backoff from 1 s, transient read errors ridden over).
func (s targets) waitForInstall(ctx context.Context, id ids.Target, applicationName, version string, newerOK bool) (string, string, error) {
	var st, msg string
	err := wait.Until(ctx, wait.Default, func(ctx context.Context) (bool, error) {
		var err error
		if st, msg, err = s.status(ctx, id, applicationName, version, newerOK); err != nil {
			return false, err
		}
		tflog.Debug(ctx, "VM application install status", map[string]any{"target": id.String(), "application": applicationName, "status": st, "message": msg})
		return st != StatusPending || s.leftOnOldModel(id), nil
	})
	switch {
	case err == nil:
		return st, msg, nil
	case ctx.Err() != nil:
		return st, msg, fmt.Errorf("timed out waiting for %s %s to install on %s (last status: %s). "+
			"Raise timeouts.create/update, or set wait_for_install = false", applicationName, version, id.String(), orDefault(strings.TrimSpace(msg), clients.Redact(err.Error())))
	}
	return "", "", fmt.Errorf("%s", azure.Describe("reading the install status on", id.String(), err))
}
