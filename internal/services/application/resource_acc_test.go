package application_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

const res = "azvmapps_application.test"

// appConfig is a gallery plus an application with the given body.
func appConfig(gallery, body string) string {
	return fmt.Sprintf(`
variable "resource_group_name" {
  type = string
}
variable "location" {
  type = string
}
variable "secondary_location" {
  type    = string
  default = "westeurope"
}

resource "azvmapps_gallery" "test" {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = var.location
}

resource "azvmapps_application" "test" {
  gallery_id = azvmapps_gallery.test.id
%s
}
`, gallery, body)
}

func minimal(name string) string {
	return fmt.Sprintf(`
  name              = %q
  location          = var.location
  supported_os_type = "Linux"
`, name)
}

func TestAccApplication_basic(t *testing.T) {
	gallery, name := acctest.RandomName("accgal"), acctest.RandomName("acc-app-")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application", "azvmapps_gallery"),
		Steps: append([]resource.TestStep{
			{
				Config: appConfig(gallery, minimal(name)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`(?i)/providers/Microsoft.Compute/galleries/`+gallery+`/applications/`+name+`$`))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("location"), knownvalue.StringExact(acctest.Env("TF_VAR_location"))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("supported_os_type"), knownvalue.StringExact("Linux")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("end_of_life_date"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("custom_action"), knownvalue.ListSizeExact(0)),
				},
			},
		}, acctest.ImportSteps(res, "timeouts")...),
	})
}

func TestAccApplication_update(t *testing.T) {
	gallery, name := acctest.RandomName("accgal"), acctest.RandomName("acc-app-")
	eol := time.Now().Add(365 * 24 * time.Hour).UTC().Truncate(time.Second)
	full := minimal(name) + fmt.Sprintf(`
  description           = "first"
  eula                  = "eula 1"
  privacy_statement_uri = "https://example.com/privacy"
  release_note_uri      = "https://example.com/notes"
  end_of_life_date      = %q
  tags = {
    env = "test"
  }
  custom_action {
    name   = "reset"
    script = "echo reset"
    parameter {
      name          = "level"
      default_value = "soft"
    }
    parameter {
      name     = "log"
      type     = "LogOutputBlob"
      required = true
    }
  }
`, eol.Format(time.RFC3339))
	changed := minimal(name) + fmt.Sprintf(`
  description           = "second"
  eula                  = "eula 2"
  privacy_statement_uri = "https://example.org/privacy"
  release_note_uri      = "https://example.org/notes"
  end_of_life_date      = %q
  tags = {
    env = "prod"
  }
  custom_action {
    name        = "restart"
    script      = "systemctl restart app"
    description = "Restarts the app"
  }
`, eol.Add(24*time.Hour).Format(time.RFC3339))
	inPlace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}}
	imports := acctest.ImportSteps(res, "timeouts")
	replace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)}}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application", "azvmapps_gallery"),
		Steps: []resource.TestStep{
			{Config: appConfig(gallery, minimal(name))},
			{
				Config:           appConfig(gallery, full),
				ConfigPlanChecks: inPlace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.StringExact("first")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("end_of_life_date"), knownvalue.StringExact(eol.Format(time.RFC3339))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("custom_action").AtSliceIndex(0).AtMapKey("parameter").AtSliceIndex(0).AtMapKey("type"), knownvalue.StringExact("String")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("custom_action").AtSliceIndex(0).AtMapKey("parameter").AtSliceIndex(0).AtMapKey("required"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("custom_action").AtSliceIndex(0).AtMapKey("parameter").AtSliceIndex(1).AtMapKey("required"), knownvalue.Bool(true)),
				},
			},
			// Import reads back the parameter defaults the configuration leaves out: no diff.
			imports[0],
			imports[1],
			{
				Config:           appConfig(gallery, changed),
				ConfigPlanChecks: inPlace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("eula"), knownvalue.StringExact("eula 2")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("custom_action").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("restart")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("custom_action").AtSliceIndex(0).AtMapKey("parameter"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				// Every optional attribute removed: cleared in place, not replaced.
				Config:           appConfig(gallery, minimal(name)),
				ConfigPlanChecks: inPlace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("eula"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("privacy_statement_uri"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("release_note_uri"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("end_of_life_date"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tags"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("custom_action"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				// The region as Azure displays it is the same region: not a replacement.
				Config:           appConfig(gallery, strings.Replace(minimal(name), "var.location", `"East US 2"`, 1)),
				ConfigPlanChecks: inPlace,
			},
			{
				Config:           appConfig(gallery, strings.Replace(minimal(name), `"Linux"`, `"Windows"`, 1)),
				ConfigPlanChecks: replace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("supported_os_type"), knownvalue.StringExact("Windows")),
				},
			},
			{
				Config:           appConfig(gallery, strings.Replace(strings.Replace(minimal(name), `"Linux"`, `"Windows"`, 1), "var.location", "var.secondary_location", 1)),
				ConfigPlanChecks: replace,
			},
			{
				Config:           appConfig(gallery, strings.Replace(strings.Replace(minimal(name+"-2"), `"Linux"`, `"Windows"`, 1), "var.location", "var.secondary_location", 1)),
				ConfigPlanChecks: replace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("name"), knownvalue.StringExact(name+"-2")),
				},
			},
		},
	})
}

func TestAccApplication_requiresImport(t *testing.T) {
	gallery, name := acctest.RandomName("accgal"), acctest.RandomName("acc-app-")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application", "azvmapps_gallery"),
		Steps: []resource.TestStep{
			{Config: appConfig(gallery, minimal(name))},
			{
				Config: appConfig(gallery, minimal(name)) + `
resource "azvmapps_application" "import" {
  name              = azvmapps_application.test.name
  gallery_id        = azvmapps_application.test.gallery_id
  location          = azvmapps_application.test.location
  supported_os_type = azvmapps_application.test.supported_os_type
}
`,
				ExpectError: regexp.MustCompile(`(?s)already exists - to be managed via Terraform.*terraform import azvmapps_application`),
			},
		},
	})
}

func TestAccApplication_disappears(t *testing.T) {
	gallery, name := acctest.RandomName("accgal"), acctest.RandomName("acc-app-")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application", "azvmapps_gallery"),
		Steps: []resource.TestStep{{
			Config: appConfig(gallery, minimal(name)),
			Check: func(*terraform.State) error {
				f := acctest.ComputeClients(t)
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				p, err := f.NewGalleryApplicationsClient().BeginDelete(ctx, acctest.Env("TF_VAR_resource_group_name"), gallery, name, nil)
				if err != nil {
					return err
				}
				_, err = p.PollUntilDone(ctx, acctest.PollOptions)
				return err
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
			}},
			ExpectNonEmptyPlan: true,
		}},
	})
}

// An application with a version cannot be deleted and the error names the version; right
// after the version is deleted, the delete succeeds despite the service's short 409 lag.
func TestAccApplication_deleteWithVersions(t *testing.T) {
	gallery, name := acctest.RandomName("accgal"), acctest.RandomName("acc-app-")
	rg, loc := acctest.Env("TF_VAR_resource_group_name"), acctest.Env("TF_VAR_location")
	versions := func() *armcompute.GalleryApplicationVersionsClient {
		f := acctest.ComputeClients(t)
		return f.NewGalleryApplicationVersionsClient()
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application", "azvmapps_gallery"),
		Steps: []resource.TestStep{
			{
				Config: appConfig(gallery, minimal(name)),
				Check: func(*terraform.State) error {
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					defer cancel()
					p, err := versions().BeginCreateOrUpdate(ctx, rg, gallery, name, "1.0.0", armcompute.GalleryApplicationVersion{
						Location: to.Ptr(loc),
						Properties: &armcompute.GalleryApplicationVersionProperties{PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{
							Source:        &armcompute.UserArtifactSource{MediaLink: to.Ptr(acctest.Env("TF_VAR_page_blob_url"))},
							ManageActions: &armcompute.UserArtifactManage{Install: to.Ptr("true"), Remove: to.Ptr("true")},
							TargetRegions: []*armcompute.TargetRegion{{Name: to.Ptr(loc), RegionalReplicaCount: to.Ptr[int32](1)}},
						}},
					}, nil)
					if err != nil {
						return err
					}
					_, err = p.PollUntilDone(ctx, acctest.PollOptions)
					return err
				},
			},
			{
				Config:      appConfig(gallery, minimal(name)),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Application still has versions.*versions/1\.0\.0`),
			},
			{
				PreConfig: func() {
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					defer cancel()
					p, err := versions().BeginDelete(ctx, rg, gallery, name, "1.0.0", nil)
					if err == nil {
						_, err = p.PollUntilDone(ctx, acctest.PollOptions)
					}
					if err != nil {
						t.Fatalf("deleting the test version: %v", err)
					}
				},
				Config:  appConfig(gallery, minimal(name)),
				Destroy: true,
			},
		},
	})
}
