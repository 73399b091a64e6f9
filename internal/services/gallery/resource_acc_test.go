package gallery_test

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

const res = "azvmapps_gallery.test"

const variables = `
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
`

func galleryConfig(name, body string) string {
	return variables + fmt.Sprintf(`
resource "azvmapps_gallery" "test" {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = var.location
%s
}
`, name, body)
}

func TestAccGallery_basic(t *testing.T) {
	name := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: append([]resource.TestStep{
			{
				Config: galleryConfig(name, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Compute/galleries/`+name+`$`))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("location"), knownvalue.StringExact(acctest.Env("TF_VAR_location"))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("unique_name"), knownvalue.StringRegexp(regexp.MustCompile(`-`+regexp.QuoteMeta(strToUpper(name))+`$`))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("soft_delete_enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("sharing"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("identity"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.Null()),
				},
			},
		}, acctest.ImportSteps(res, "timeouts")...),
	})
}

func TestAccGallery_update(t *testing.T) {
	name := acctest.RandomName("accgal")
	full := `
  description         = "first"
  soft_delete_enabled = true
  tags = {
    env = "test"
  }
  sharing {
    permission = "Groups"
  }
  identity {
    type = "SystemAssigned"
  }
`
	changed := `
  description = "second"
  tags = {
    env  = "prod"
    team = "apps"
  }
  sharing {
    permission = "Community"
    community {
      publisher_uri      = "https://example.com"
      publisher_contact  = "apps@example.com"
      eula               = "https://example.com/eula"
      public_name_prefix = "azvmapps"
    }
  }
`
	imports := acctest.ImportSteps(res, "timeouts")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{
				Config: galleryConfig(name, ""),
			},
			{
				// Every updatable attribute set: in place.
				Config: galleryConfig(name, full),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.StringExact("first")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("soft_delete_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": knownvalue.StringExact("test")})),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("sharing").AtMapKey("permission"), knownvalue.StringExact("Groups")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("identity").AtMapKey("type"), knownvalue.StringExact("SystemAssigned")),
				},
			},
			{
				// Another identity type with user-assigned identities: in place.
				Config: galleryConfig(name, strings.Replace(full, `type = "SystemAssigned"`,
					`type         = "SystemAssigned, UserAssigned"
    identity_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai1"]`, 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("identity").AtMapKey("type"), knownvalue.StringExact("SystemAssigned, UserAssigned")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("identity").AtMapKey("identity_ids"), knownvalue.SetSizeExact(1)),
				},
			},
			// Imported with description, tags, soft delete, sharing and identities: no diff.
			imports[0],
			imports[1],
			{
				// Changed values, identity removed, community sharing: in place.
				Config: galleryConfig(name, changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.StringExact("second")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("soft_delete_enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tags"), knownvalue.MapSizeExact(2)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("sharing").AtMapKey("community").AtMapKey("public_name_prefix"), knownvalue.StringExact("azvmapps")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("community_gallery_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("identity"), knownvalue.Null()),
				},
			},
			{
				// Everything optional removed: cleared in place, not replaced.
				Config: galleryConfig(name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tags"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("sharing"), knownvalue.Null()),
				},
			},
			{
				// The same region spelled as Azure displays it: not a replacement.
				Config: variables + fmt.Sprintf(`
resource "azvmapps_gallery" "test" {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = "East US 2"
}
`, name),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
			},
			{
				// location is immutable: replace.
				Config: variables + fmt.Sprintf(`
resource "azvmapps_gallery" "test" {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = var.secondary_location
}
`, name),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("location"), knownvalue.StringExact(acctest.Env("TF_VAR_secondary_location"))),
				},
			},
			{
				// name is immutable: replace.
				Config: variables + fmt.Sprintf(`
resource "azvmapps_gallery" "test" {
  name                = "%s_2"
  resource_group_name = var.resource_group_name
  location            = var.secondary_location
}
`, name),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
		},
	})
}

func TestAccGallery_requiresImport(t *testing.T) {
	name := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{Config: galleryConfig(name, "")},
			{
				Config: galleryConfig(name, "") + `
resource "azvmapps_gallery" "import" {
  name                = azvmapps_gallery.test.name
  resource_group_name = azvmapps_gallery.test.resource_group_name
  location            = azvmapps_gallery.test.location
}
`,
				ExpectError: regexp.MustCompile(`already exists - to be managed via Terraform this resource needs to be\s+imported into the State`),
			},
		},
	})
}

func TestAccGallery_disappears(t *testing.T) {
	name := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{
				Config: galleryConfig(name, ""),
				Check: func(s *terraform.State) error {
					f := acctest.ComputeClients(t)
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					defer cancel()
					p, err := f.NewGalleriesClient().BeginDelete(ctx, acctest.Env("TF_VAR_resource_group_name"), name, nil)
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
			},
		},
	})
}

// A gallery still holding an application cannot be deleted: the error names the application.
func TestAccGallery_deleteWithChildren(t *testing.T) {
	name := acctest.RandomName("accgal")
	rg := acctest.Env("TF_VAR_resource_group_name")
	var appDeleted bool
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{
				Config: galleryConfig(name, ""),
				Check: func(*terraform.State) error {
					f := acctest.ComputeClients(t)
					ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
					defer cancel()
					p, err := f.NewGalleryApplicationsClient().BeginCreateOrUpdate(ctx, rg, name, "orphan", armcompute.GalleryApplication{
						Location:   to.Ptr(acctest.Env("TF_VAR_location")),
						Properties: &armcompute.GalleryApplicationProperties{SupportedOSType: to.Ptr(armcompute.OperatingSystemTypesLinux)},
					}, nil)
					if err != nil {
						return err
					}
					_, err = p.PollUntilDone(ctx, acctest.PollOptions)
					return err
				},
			},
			{
				Config:      galleryConfig(name, ""),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Gallery still has applications.*applications/orphan`),
			},
			{
				PreConfig: func() {
					f := acctest.ComputeClients(t)
					ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
					defer cancel()
					p, err := f.NewGalleryApplicationsClient().BeginDelete(ctx, rg, name, "orphan", nil)
					if err == nil {
						_, err = p.PollUntilDone(ctx, acctest.PollOptions)
					}
					if err != nil {
						t.Fatalf("deleting the test application: %v", err)
					}
					appDeleted = true
				},
				Config: galleryConfig(name, ""),
			},
		},
	})
	if !appDeleted {
		t.Fatal("the cleanup step did not run")
	}
}

func strToUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
