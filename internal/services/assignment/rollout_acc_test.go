package assignment_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// changeScaleSetModel changes a scale set's model behind Terraform's back (read-modify-write
// with If-Match): the way a user stages an image or extension change on a Manual scale set.
func changeScaleSetModel(t *testing.T, ssID string, change func(*armcompute.VirtualMachineScaleSetVMProfile)) error {
	id, err := arm.ParseResourceID(ssID)
	if err != nil {
		return err
	}
	ctx, cancel := testCtx()
	defer cancel()
	sc := compute(t).NewVirtualMachineScaleSetsClient()
	ss, err := sc.Get(ctx, id.ResourceGroupName, id.Name, nil)
	if err != nil {
		return err
	}
	change(ss.Properties.VirtualMachineProfile)
	p, err := sc.BeginCreateOrUpdate(ctx, id.ResourceGroupName, id.Name, ss.VirtualMachineScaleSet,
		&armcompute.VirtualMachineScaleSetsClientBeginCreateOrUpdateOptions{IfMatch: ss.Etag})
	if err != nil {
		return err
	}
	_, err = p.PollUntilDone(ctx, pollOpts)
	return err
}

// upgradeAllInstances brings every instance onto the scale set's latest model.
func upgradeAllInstances(t *testing.T, ssID string) error {
	id, err := arm.ParseResourceID(ssID)
	if err != nil {
		return err
	}
	ctx, cancel := testCtx()
	defer cancel()
	p, err := compute(t).NewVirtualMachineScaleSetsClient().BeginUpdateInstances(ctx, id.ResourceGroupName, id.Name,
		armcompute.VirtualMachineScaleSetVMInstanceRequiredIDs{InstanceIDs: []*string{to.Ptr("*")}}, nil)
	if err != nil {
		return err
	}
	_, err = p.PollUntilDone(ctx, pollOpts)
	return err
}

// checkInstancesLatest checks latestModelApplied on every instance of a Uniform scale set.
func checkInstancesLatest(t *testing.T, ssID string, want bool) func(*terraform.State) error {
	return func(*terraform.State) error {
		id, err := arm.ParseResourceID(ssID)
		if err != nil {
			return err
		}
		ctx, cancel := testCtx()
		defer cancel()
		pager := compute(t).NewVirtualMachineScaleSetVMsClient().NewListPager(id.ResourceGroupName, id.Name, nil)
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, vm := range page.Value {
				if got := *vm.Properties.LatestModelApplied; got != want {
					return fmt.Errorf("instance %s: latestModelApplied = %v, want %v", *vm.InstanceID, got, want)
				}
			}
		}
		return nil
	}
}

// checkUpdateInstancesCalls checks how many updateInstances calls the scale set received since
// the test started.
func checkUpdateInstancesCalls(t *testing.T, ssID string, want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		// armcompute v8 sends updateInstances as POST …/manualupgrade (the older name is …/updateInstances).
		n := 0
		for _, r := range acctest.WriteRequestsMatching(t, ssID[strings.LastIndex(ssID, "/"):]+"/") {
			if p := strings.ToLower(r.Path); strings.HasSuffix(p, "/manualupgrade") || strings.HasSuffix(p, "/updateinstances") {
				n++
			}
		}
		if acctest.Emulator() != nil && n != want {
			return fmt.Errorf("%d updateInstances calls to %s, want %d", n, ssID, want)
		}
		return nil
	}
}

// Issue 9: a Manual scale set with a staged image change keeps its instances on their model
// after an assignment with the default upgrade_instances; the application is then pending on
// them (and wait_for_install does not wait forever); upgrade_instances = "all" rolls them.
func TestAccVMApplicationAssignment_vmssManualStagedChange(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	ss := acctest.Env("TF_VAR_uniform_vmss_id")
	cfg := func(v, extra string) string {
		return testConfig(gallery, application("app", "Linux"),
			version{label: "v1", app: "app"}.hcl(),
			version{label: "v2", app: "app", name: "2.0.0"}.hcl(),
			assignment("test", "var.uniform_vmss_id", v, extra))
	}
	stage := func() {
		t.Cleanup(func() {
			// Leave the scale set as the seed made it: no image reference, every instance on the model.
			if err := changeScaleSetModel(t, ss, func(p *armcompute.VirtualMachineScaleSetVMProfile) { p.StorageProfile.ImageReference = nil }); err != nil {
				t.Errorf("restoring the scale set: %v", err)
			}
			if err := upgradeAllInstances(t, ss); err != nil {
				t.Errorf("restoring the scale set's instances: %v", err)
			}
		})
		if err := changeScaleSetModel(t, ss, func(p *armcompute.VirtualMachineScaleSetVMProfile) {
			p.StorageProfile.ImageReference = &armcompute.ImageReference{Publisher: to.Ptr("Canonical"), Offer: to.Ptr("ubuntu-24_04-lts"),
				SKU: to.Ptr("server"), Version: to.Ptr("latest")}
		}); err != nil {
			t.Fatalf("staging an image change: %v", err)
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, ss, 0),
		Steps: []resource.TestStep{
			{
				PreConfig: stage,
				Config:    cfg("v1", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("upgrade_instances"), knownvalue.StringExact("auto")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_status"), knownvalue.StringExact("Pending")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_message"), knownvalue.StringRegexp(
						regexp.MustCompile(`^instance 0: not on the scale set's latest model .*; instance 1: not on the scale set's latest model`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTargetAppCount(t, ss, 1),
					checkInstancesLatest(t, ss, false),
					checkUpdateInstancesCalls(t, ss, 0),
				),
			},
			{
				// Asked explicitly: every instance takes the model (the staged image included) and the application.
				Config: cfg("v2", "  upgrade_instances = \"all\"\n  max_batch_instance_percent = 50\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_status"), knownvalue.StringExact("Succeeded")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_message"), knownvalue.StringExact("instance 0: Install SUCCESS; instance 1: Install SUCCESS")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkInstancesLatest(t, ss, true),
					checkUpdateInstancesCalls(t, ss, 2), // two batches of 50 %
				),
			},
		},
	})
}

// Automatic and Rolling upgrade policies roll the model out themselves: the provider makes no
// updateInstances call, and the application reaches every instance.
func TestAccVMApplicationAssignment_vmssAutomaticRolling(t *testing.T) {
	for _, env := range []string{"TF_VAR_automatic_vmss_id", "TF_VAR_rolling_vmss_id"} {
		t.Run(env, func(t *testing.T) {
			gallery := acctest.RandomName("accasg")
			ss := acctest.Env(env)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             checkTargetAppCount(t, ss, 0),
				Steps: []resource.TestStep{{
					Config: linuxApp(gallery, assignment("test", fmt.Sprintf("%q", ss), "v1", "")),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_status"), knownvalue.StringExact("Succeeded")),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_message"), knownvalue.StringExact("instance 0: Install SUCCESS; instance 1: Install SUCCESS")),
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						checkTargetAppCount(t, ss, 1),
						checkInstancesLatest(t, ss, true),
						checkUpdateInstancesCalls(t, ss, 0),
					),
				}},
			})
		})
	}
}
