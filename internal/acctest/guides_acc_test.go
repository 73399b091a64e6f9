package acctest_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// migrationEstate is the gallery, application, version and VM assignment of the migration
// guide, under resource labels ending in label.
func migrationEstate(gallery, label string) string {
	return fmt.Sprintf(`
resource "azvmapps_gallery" "platform_%[2]s" {
  name                = %[1]q
  resource_group_name = var.resource_group_name
  location            = var.location
}

resource "azvmapps_application" "agent_%[2]s" {
  name              = "monitoring-agent"
  gallery_id        = azvmapps_gallery.platform_%[2]s.id
  location          = var.location
  supported_os_type = "Linux"
}

resource "azvmapps_application_version" "agent_%[2]s" {
  name           = "1.4.0"
  application_id = azvmapps_application.agent_%[2]s.id
  location       = var.location

  source {
    media_link = var.page_blob_url
  }

  manage_actions {
    install = "echo install"
    remove  = "echo remove"
  }

  target_region {
    name = var.location
  }
}

resource "azvmapps_vm_application_assignment" "agent_vm1_%[2]s" {
  target_id  = var.linux_vm_id
  version_id = azvmapps_application_version.agent_%[2]s.id
  order      = 0
}
`, gallery, label)
}

const migrationVariables = `
variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "linux_vm_id" { type = string }
variable "page_blob_url" {
  type      = string
  sensitive = true
}
`

// migrationAddresses are the four resources of migrationEstate.
func migrationAddresses(label string) []string {
	return []string{
		"azvmapps_gallery.platform_" + label,
		"azvmapps_application.agent_" + label,
		"azvmapps_application_version.agent_" + label,
		"azvmapps_vm_application_assignment.agent_vm1_" + label,
	}
}

// migrationStep is the guide's steps 3 and 4 in one configuration: import blocks written as the
// guide writes them (IDs from locals; the assignment's ID derived from azurerm's
// "<VM ID>|<version ID>" by dropping /versions/<version>), and a removed block with
// destroy = false for each resource that managed the objects before.
func migrationStep(gallery, galleryID string) string {
	var removed strings.Builder
	for _, addr := range migrationAddresses("before") {
		fmt.Fprintf(&removed, "\nremoved {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", addr)
	}
	return migrationVariables + migrationEstate(gallery, "after") + fmt.Sprintf(`
locals {
  gallery_id = %q
  vm_id      = var.linux_vm_id
}

import {
  to = azvmapps_gallery.platform_after
  id = local.gallery_id
}

import {
  to = azvmapps_application.agent_after
  id = "${local.gallery_id}/applications/monitoring-agent"
}

import {
  to = azvmapps_application_version.agent_after
  id = "${local.gallery_id}/applications/monitoring-agent/versions/1.4.0"
}

import {
  to = azvmapps_vm_application_assignment.agent_vm1_after
  id = "${local.vm_id}|${local.gallery_id}/applications/monitoring-agent"
}
`, galleryID) + removed.String()
}

// expectMigrationPlan checks the plan of the migration step as the guide's step 5 describes it:
// every new address is imported with no change, every old address is forgotten, and nothing is
// created, updated or destroyed.
type expectMigrationPlan struct{}

func (expectMigrationPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	want := map[string]string{}
	for _, a := range migrationAddresses("after") {
		want[a] = "import"
	}
	for _, a := range migrationAddresses("before") {
		want[a] = "forget"
	}
	var errs []string
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change == nil {
			continue
		}
		got := fmt.Sprint(rc.Change.Actions)
		switch {
		case rc.Change.Actions.NoOp() && rc.Change.Importing != nil:
			got = "import"
		case rc.Change.Actions.Forget():
			got = "forget"
		case rc.Change.Actions.Read():
			continue
		}
		if got != want[rc.Address] {
			errs = append(errs, fmt.Sprintf("%s plans %s, want %q", rc.Address, got, want[rc.Address]))
		}
		delete(want, rc.Address)
	}
	for a, w := range want {
		errs = append(errs, fmt.Sprintf("%s is not in the plan, want %q", a, w))
	}
	sort.Strings(errs)
	if len(errs) > 0 {
		resp.Error = fmt.Errorf("the migration plan is not imports and removals only:\n%s", strings.Join(errs, "\n"))
	}
}

// TestAccGuides_migration_removedBlocks runs the migration guide's steps 3 to 5 on the emulator.
// azurerm cannot be installed here, so resources of this provider stand in for the azurerm
// resources the `removed` blocks forget: the Azure objects are created under the "before"
// addresses, then the guide's final configuration imports them under new addresses with its
// import blocks (the IDs azurerm has, the assignment's converted as the guide says) and
// removes the old addresses with destroy = false, in one plan. The plan must only import and
// forget, the apply must write nothing to Azure and leave every object (and the VM's
// application) in place, and the next plan must be empty. `removed` blocks need Terraform 1.7
// (or OpenTofu 1.7).
func TestAccGuides_migration_removedBlocks(t *testing.T) {
	gallery := acctest.RandomName("migrate")
	galleryID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/galleries/%s",
		acctest.Env("ARM_SUBSCRIPTION_ID"), acctest.Env("TF_VAR_resource_group_name"), gallery)
	appID := galleryID + "/applications/monitoring-agent"
	versionID := appID + "/versions/1.4.0"
	vmID := acctest.Env("TF_VAR_linux_vm_id")
	var before time.Time
	migrated := migrationStep(gallery, galleryID)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery", "azvmapps_application", "azvmapps_application_version"),
		Steps: []resource.TestStep{
			{
				// The estate as it is before the migration, managed under the old addresses.
				Config: migrationVariables + migrationEstate(gallery, "before"),
				Check: func(s *terraform.State) error {
					if got := s.RootModule().Resources["azvmapps_vm_application_assignment.agent_vm1_before"].Primary.ID; !strings.EqualFold(got, vmID+"|"+appID) {
						return fmt.Errorf("assignment ID %q, want %q", got, vmID+"|"+appID)
					}
					before = time.Now()
					return nil
				},
			},
			{
				Config: migrated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectMigrationPlan{}},
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						for _, a := range migrationAddresses("before") {
							if _, ok := s.RootModule().Resources[a]; ok {
								return fmt.Errorf("%s is still in state after its removed block", a)
							}
						}
						return nil
					},
					resource.TestCheckResourceAttr("azvmapps_gallery.platform_after", "id", galleryID),
					resource.TestCheckResourceAttr("azvmapps_application_version.agent_after", "id", versionID),
					func(*terraform.State) error { return noARMWritesSince(before, "/galleries/"+gallery, vmID) },
					func(*terraform.State) error { return stillInAzure(vmID, versionID, galleryID, appID, versionID) },
				),
			},
			{
				// The import and removed blocks are no-ops once applied.
				Config: migrated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// noARMWritesSince fails when the emulator saw an ARM write since the given time to a path
// containing one of substrs. Against real Azure it checks nothing.
func noARMWritesSince(since time.Time, substrs ...string) error {
	e := acctest.Emulator()
	if e == nil {
		return nil
	}
	for _, r := range e.Requests() {
		if r.Time.Before(since) || !r.IsARMWrite() {
			continue
		}
		for _, s := range substrs {
			if strings.Contains(strings.ToLower(r.Path), strings.ToLower(s)) {
				return fmt.Errorf("the migration wrote to Azure: %s %s", r.Method, r.Path)
			}
		}
	}
	return nil
}

// stillInAzure checks that each ID still exists and that the VM still holds the version in its
// application profile.
func stillInAzure(vmID, versionID string, ids ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, id := range append(ids, vmID) {
		status, body, err := acctest.ARMGet(ctx, id)
		if err != nil {
			return fmt.Errorf("reading %s: %w", id, err)
		}
		if status != http.StatusOK {
			return fmt.Errorf("%s is gone after the migration (GET → %d): %s", id, status, body)
		}
		if id == vmID && !strings.Contains(strings.ToLower(string(body)), strings.ToLower(versionID)) {
			return fmt.Errorf("VM %s no longer lists %s in its application profile: %s", vmID, versionID, body)
		}
	}
	return nil
}
