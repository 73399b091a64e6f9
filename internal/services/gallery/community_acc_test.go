package gallery_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

func communitySharing(description string) string {
	return fmt.Sprintf(`
  description = %q
  sharing {
    permission = "Community"
    community {
      publisher_uri      = "https://example.com"
      publisher_contact  = "apps@example.com"
      eula               = "https://example.com/eula"
      public_name_prefix = "azvmappscomm"
    }
  }
`, description)
}

// shareCalls checks how many share actions (EnableCommunity, Reset) the provider sent for the
// gallery since the test started; only the emulator records requests.
func shareCalls(t *testing.T, gallery string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if acctest.Emulator() == nil {
			return nil
		}
		got := 0
		for _, r := range acctest.WriteRequestsMatching(t, "/galleries/"+gallery+"/share") {
			if r.Method == "POST" {
				got++
			}
		}
		if got != want {
			return fmt.Errorf("%d share requests for gallery %s so far, want %d", got, gallery, want)
		}
		return nil
	}
}

func TestAccGallery_community(t *testing.T) {
	name := acctest.RandomName("accgal")
	published := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(res, tfjsonpath.New("sharing").AtMapKey("permission"), knownvalue.StringExact("Community")),
		statecheck.ExpectKnownValue(res, tfjsonpath.New("community_gallery_enabled"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(res, tfjsonpath.New("community_public_names"), knownvalue.ListPartial(map[int]knownvalue.Check{
			0: knownvalue.StringRegexp(regexp.MustCompile(`^azvmappscomm`)),
		})),
	}
	imports := acctest.ImportSteps(res, "timeouts")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{
				// Created and published; the data source sees the same publication.
				Config: galleryConfig(name, communitySharing("first")) + `
data "azvmapps_gallery" "test" {
  id = azvmapps_gallery.test.id
}
`,
				ConfigStateChecks: append(published,
					statecheck.ExpectKnownValue(res, tfjsonpath.New("community_public_names"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.azvmapps_gallery.test", tfjsonpath.New("community_gallery_enabled"), knownvalue.Bool(true)),
					statecheck.CompareValuePairs(res, tfjsonpath.New("community_public_names"), "data.azvmapps_gallery.test", tfjsonpath.New("community_public_names"), compare.ValuesSame()),
				),
				Check: shareCalls(t, name, 1),
			},
			// Imported into the same configuration: no diff, nothing published again.
			imports[0],
			imports[1],
			{
				// Another description: updated in place, still published, not published again.
				Config: galleryConfig(name, communitySharing("second")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("community_gallery_enabled"), knownvalue.Bool(true)),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("community_public_names"), knownvalue.ListSizeExact(1)),
				}},
				ConfigStateChecks: append(published,
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.StringExact("second")),
				),
				Check: shareCalls(t, name, 1),
			},
			{
				// Back to Private: community sharing is reset, then the gallery updated in place.
				Config: galleryConfig(name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("community_gallery_enabled"), knownvalue.Bool(false)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("sharing"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("community_gallery_enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("community_public_names"), knownvalue.Null()),
				},
				Check: shareCalls(t, name, 2),
			},
			{
				// Community again: published again in place.
				Config: galleryConfig(name, communitySharing("second")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(res, tfjsonpath.New("community_public_names")),
				}},
				ConfigStateChecks: published,
				Check:             shareCalls(t, name, 3),
			},
			{
				// Community sharing reset outside Terraform: the plan shows it, the apply
				// publishes the gallery again.
				PreConfig: func() {
					ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
					defer cancel()
					p, err := acctest.ComputeClients(t).NewGallerySharingProfileClient().BeginUpdate(ctx, acctest.Env("TF_VAR_resource_group_name"), name,
						armcompute.SharingUpdate{OperationType: to.Ptr(armcompute.SharingUpdateOperationTypesReset)}, nil)
					if err == nil {
						_, err = p.PollUntilDone(ctx, acctest.PollOptions)
					}
					if err != nil {
						t.Fatalf("resetting the gallery's sharing outside Terraform: %v", err)
					}
				},
				Config: galleryConfig(name, communitySharing("second")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("community_gallery_enabled"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: published,
				Check:             shareCalls(t, name, 5),
			},
		},
	})
}
