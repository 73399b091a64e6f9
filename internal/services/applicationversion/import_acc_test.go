package applicationversion_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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

// plainLink is the package link without the sensitivity of its variable. Terraform 1.5 plans an
// in-place update of any resource imported with an import block whose configuration uses a
// sensitive value, only to record the mark in state (it applies it without calling the
// provider; OpenTofu 1.7 no longer plans it). The import-block checks use plainLink so that
// they see the provider's read-back alone; TestAccApplicationVersion_importBlockSensitiveLink
// covers the sensitive link.
const plainLink = "nonsensitive(var.page_blob_url)"

// explicitReplicas is the configuration most users write: every region says how many replicas
// it wants, the same number as replica_count.
func explicitReplicas(link string) version {
	return version{
		mediaLink: link,
		regions:   regions(region("var.location", "    regional_replica_count = 2\n"), region("var.secondary_location", "    regional_replica_count = 2\n")),
		extra:     "  replica_count = 2",
	}
}

// inheritedReplicas is the other way to write it: the regions inherit replica_count.
func inheritedReplicas(link string) version {
	return version{
		mediaLink: link,
		regions:   regions(region("var.location", ""), region("var.secondary_location", "")),
		extra:     "  replica_count = 2",
	}
}

// Issue 9: an imported version whose regions repeat replica_count plans no change.
func TestAccApplicationVersion_importExplicitRegionalReplicas(t *testing.T) {
	gallery := acctest.RandomName("accver")
	steps := []resource.TestStep{{
		Config: testConfig(gallery, "", explicitReplicas(plainLink)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("target_region"), knownvalue.SetExact([]knownvalue.Check{
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("eastus2"), "regional_replica_count": knownvalue.Int64Exact(2)}),
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("westeurope"), "regional_replica_count": knownvalue.Int64Exact(2)}),
			})),
		},
	}}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps:                    append(steps, acctest.ImportSteps(resourceName)...),
	})
}

// Regions that inherit replica_count follow it when it changes, and still import without a diff.
func TestAccApplicationVersion_importInheritedRegionalReplicas(t *testing.T) {
	gallery := acctest.RandomName("accver")
	one := inheritedReplicas(plainLink)
	one.extra = "  replica_count = 1"
	steps := []resource.TestStep{
		{Config: testConfig(gallery, "", one)},
		{
			Config:           testConfig(gallery, "", inheritedReplicas(plainLink)),
			ConfigPlanChecks: planUpdate(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("target_region"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("eastus2"), "regional_replica_count": knownvalue.Int64Exact(2)}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("westeurope"), "regional_replica_count": knownvalue.Int64Exact(2)}),
				})),
			},
		},
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps:                    append(steps, acctest.ImportSteps(resourceName)...),
	})
}

// A version published outside Terraform (portal, CLI) is imported into the configuration a
// user writes for it; the next plan is empty whichever way the regions' counts are written.
func TestAccApplicationVersion_importExisting(t *testing.T) {
	gallery := acctest.RandomName("accver")
	var versionID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{
			{
				Config: testConfig(gallery, ""),
				Check: func(s *terraform.State) error {
					id, err := publishOutOfBand(t, s.RootModule().Resources["azvmapps_application.test"].Primary.ID)
					versionID = id
					return err
				},
			},
			{
				Config:             testConfig(gallery, "", explicitReplicas(plainLink)),
				ResourceName:       resourceName,
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateIdFunc:  func(*terraform.State) (string, error) { return versionID, nil },
			},
			{Config: testConfig(gallery, "", explicitReplicas(plainLink)), PlanOnly: true},
			{Config: testConfig(gallery, "", inheritedReplicas(plainLink)), PlanOnly: true},
			// `terraform import` records no dependencies, and destroy orders by those of the
			// state: an apply (with nothing to change) records them, so the version is
			// destroyed before its application.
			{Config: testConfig(gallery, "", inheritedReplicas(plainLink))},
		},
	})
}

// With the package link in a sensitive variable, as users keep SAS URLs: importing with an
// import block and applying sends nothing to Azure, and leaves an empty plan.
func TestAccApplicationVersion_importBlockSensitiveLink(t *testing.T) {
	gallery := acctest.RandomName("accver")
	id := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/galleries/%s/applications/app/versions/1.0.0",
		acctest.Env("ARM_SUBSCRIPTION_ID"), acctest.Env("TF_VAR_resource_group_name"), gallery)
	importBlock := fmt.Sprintf(`
import {
  to = azvmapps_application_version.test
  id = %q
}
`, id)
	cfg := testConfig(gallery, "", explicitReplicas("")) + importBlock
	var since time.Time
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{
			{
				Config: testConfig(gallery, ""),
				Check: func(s *terraform.State) error {
					_, err := publishOutOfBand(t, s.RootModule().Resources["azvmapps_application.test"].Primary.ID)
					since = time.Now()
					return err
				},
			},
			{
				Config: cfg,
				Check:  func(*terraform.State) error { return noWritesSince(since, "/galleries/"+gallery+"/") },
			},
			{Config: cfg, PlanOnly: true},
			{Config: testConfig(gallery, "", inheritedReplicas("")) + importBlock, PlanOnly: true},
		},
	})
}

// noWritesSince fails when the emulator saw an ARM write to a path containing substr since the
// given time. Against real Azure it checks nothing.
func noWritesSince(since time.Time, substr string) error {
	e := acctest.Emulator()
	if e == nil {
		return nil
	}
	for _, r := range e.Requests() {
		if !r.Time.Before(since) && r.IsARMWrite() && strings.Contains(strings.ToLower(r.Path), strings.ToLower(substr)) {
			return fmt.Errorf("unexpected ARM write: %s %s", r.Method, r.Path)
		}
	}
	return nil
}

// publishOutOfBand creates version 1.0.0 of the application with the SDK, as the portal would:
// two regions, two replicas each.
func publishOutOfBand(t *testing.T, applicationID string) (string, error) {
	app, err := arm.ParseResourceID(applicationID)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	body := armcompute.GalleryApplicationVersion{
		Location: to.Ptr(acctest.Env("TF_VAR_location")),
		Properties: &armcompute.GalleryApplicationVersionProperties{
			PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{
				Source:        &armcompute.UserArtifactSource{MediaLink: to.Ptr(acctest.Env("TF_VAR_page_blob_url"))},
				ManageActions: &armcompute.UserArtifactManage{Install: to.Ptr("echo install"), Remove: to.Ptr("echo remove")},
				ReplicaCount:  to.Ptr[int32](2),
				TargetRegions: []*armcompute.TargetRegion{
					{Name: to.Ptr(acctest.Env("TF_VAR_location")), RegionalReplicaCount: to.Ptr[int32](2)},
					{Name: to.Ptr(acctest.Env("TF_VAR_secondary_location")), RegionalReplicaCount: to.Ptr[int32](2)},
				},
			},
		},
	}
	p, err := acctest.ComputeClients(t).NewGalleryApplicationVersionsClient().BeginCreateOrUpdate(ctx, app.ResourceGroupName, app.Parent.Name, app.Name, "1.0.0", body, nil)
	if err != nil {
		return "", fmt.Errorf("publishing the version out of band: %w", err)
	}
	got, err := p.PollUntilDone(ctx, acctest.PollOptions)
	if err != nil {
		return "", fmt.Errorf("publishing the version out of band: %w", err)
	}
	return *got.ID, nil
}
