package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// vmClient returns a VM client for the emulator, authenticated as its seeded service principal
// (the same ARM requests a user's tooling would make to create the targets).
func vmClient(e *emulator.Emulator) (*armcompute.VirtualMachinesClient, error) {
	env := e.Env()
	cl := cloud.Configuration{ActiveDirectoryAuthorityHost: e.URL() + "/", Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
		cloud.ResourceManager: {Endpoint: e.URL(), Audience: e.URL()}}}
	id := e.Identity()
	cred, err := azidentity.NewClientSecretCredential(id.TenantID, id.ClientID, id.ClientSecret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: azcore.ClientOptions{Cloud: cl, Transport: e.HTTPClient()}, DisableInstanceDiscovery: true})
	if err != nil {
		return nil, err
	}
	f, err := armcompute.NewClientFactory(env["ARM_SUBSCRIPTION_ID"], cred,
		&arm.ClientOptions{ClientOptions: clients.ClientOptions(cl, "azvmapps-bench", e.HTTPClient())})
	if err != nil {
		return nil, err
	}
	return f.NewVirtualMachinesClient(), nil
}

// createTargets creates n Linux VMs with a provisioned VM agent in the seed resource group and
// location, eight at a time, and returns their IDs in order.
func createTargets(ctx context.Context, e *emulator.Emulator, n int) ([]string, error) {
	c, err := vmClient(e)
	if err != nil {
		return nil, err
	}
	env := e.Env()
	rg, loc := env["TF_VAR_resource_group_name"], env["TF_VAR_location"]
	ids := make([]string, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			name := fmt.Sprintf("bench-vm-%03d", i)
			p, err := c.BeginCreateOrUpdate(ctx, rg, name, linuxVM(loc, name), nil)
			if err == nil {
				var r armcompute.VirtualMachinesClientCreateOrUpdateResponse
				r, err = p.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: time.Second})
				if err == nil {
					ids[i] = *r.ID
				}
			}
			if err != nil {
				errs[i] = fmt.Errorf("creating VM %s: %w", name, err)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// linuxVM is the body of a small Linux VM whose agent is provisioned (VM applications need it).
func linuxVM(location, name string) armcompute.VirtualMachine {
	return armcompute.VirtualMachine{
		Location: to.Ptr(location),
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypesStandardB2S)},
			StorageProfile: &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{
				OSType: to.Ptr(armcompute.OperatingSystemTypesLinux), CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage)}},
			OSProfile: &armcompute.OSProfile{ComputerName: to.Ptr(name), AdminUsername: to.Ptr("azureuser"),
				LinuxConfiguration: &armcompute.LinuxConfiguration{ProvisionVMAgent: to.Ptr(true)}},
		},
	}
}
