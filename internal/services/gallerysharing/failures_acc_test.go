package gallerysharing_test

import (
	"context"
	"fmt"
	"net/http"
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
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// isShare reports whether r is a share action (POST .../galleries/{g}/share).
func isShare(r emulator.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(strings.ToLower(r.Path), "/share")
}

// shareFaults injects f into share actions until n of them were answered.
func shareFaults(t *testing.T, f emulator.Faults, n int) {
	t.Helper()
	f.Methods, f.PathContains = []string{http.MethodPost}, "/share"
	seen := map[time.Time]bool{}
	acctest.FaultUntil(t, f, func(r emulator.Request) bool {
		if isShare(r) {
			seen[r.Time] = true
		}
		return len(seen) >= n
	})
}

// checkShareFault fails unless a share action of the test met the fault: without it the test
// tested nothing.
func checkShareFault(t *testing.T, fault string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range acctest.WriteRequestsMatching(t, "/share") {
			if isShare(r) && r.Fault == fault {
				return nil
			}
		}
		return fmt.Errorf("no share action met the %q fault: the test did not test anything", fault)
	}
}

// checkGalleryShared checks, in Azure, who the gallery is shared with.
func checkGalleryShared(t *testing.T, gallery string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		g, err := acctest.ComputeClients(t).NewGalleriesClient().Get(ctx, acctest.Env("TF_VAR_resource_group_name"), gallery,
			&armcompute.GalleriesClientGetOptions{Select: to.Ptr(armcompute.SelectPermissionsPermissions)})
		if err != nil {
			return err
		}
		var got []string
		if sp := g.Properties.SharingProfile; sp != nil {
			for _, grp := range sp.Groups {
				for _, id := range grp.IDs {
					got = append(got, *id)
				}
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("gallery %s is shared with %v, want %v", gallery, got, want)
		}
		return nil
	}
}

// From empty state, the gallery's share action takes the change but its operation ends Failed:
// the provider reads the gallery back, finds it shared as planned and records the sharing (with
// a warning) in the same apply; the next plan is empty.
func TestAccGallerySharing_shareFailedAfterLandingConverges(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{{
			PreConfig: func() { shareFaults(t, emulator.Faults{Seed: 1, RateLROFailed: 1}, 1) },
			Config:    sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1)+ids("tenant_ids", tenant1)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(res, tfjsonpath.New("subscription_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(sub1)})),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("tenant_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(tenant1)})),
			},
			Check: resource.ComposeAggregateTestCheckFunc(checkShareFault(t, "lrofail"), checkGalleryShared(t, gallery, sub1, tenant1)),
		}},
	})
}

// From empty state, the share action reaches the gallery but every response is lost until the
// create timeout runs out (as an interrupt would cut it short): the provider reads the gallery
// back in a context of its own and records the sharing in the same apply.
func TestAccGallerySharing_shareResponseLostConverges(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	timeouts := "  timeouts {\n    create = \"5s\"\n  }\n"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{{
			PreConfig: func() { shareFaults(t, emulator.Faults{Seed: 1, RateLost: 1}, 2) },
			Config:    sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1)+timeouts),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(res, tfjsonpath.New("subscription_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(sub1)})),
			},
			Check: resource.ComposeAggregateTestCheckFunc(checkShareFault(t, "lost"), checkGalleryShared(t, gallery, sub1)),
		}},
	})
}

// An in-place swap of every member runs two share actions (add, then remove); both operations
// end Failed after the change landed. The update is recorded and the next plan is empty.
func TestAccGallerySharing_updateFailedAfterLandingConverges(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{Config: sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1))},
			{
				PreConfig: func() { shareFaults(t, emulator.Faults{Seed: 1, RateLROFailed: 1}, 2) },
				Config:    sharingConfig([]string{gallery}, gallery, ids("tenant_ids", tenant1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("subscription_ids"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tenant_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(tenant1)})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(checkShareFault(t, "lrofail"), checkGalleryShared(t, gallery, tenant1)),
			},
		},
	})
}

// Destroying the estate: the sharing's reset reaches the gallery but every response is lost
// until the delete timeout runs out (as an interrupt would cut it short). The provider reads the
// gallery back, finds it shared with nobody, and the destroy goes on to delete the gallery.
func TestAccGallerySharing_resetResponseLostConverges(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	timeouts := "  timeouts {\n    delete = \"5s\"\n  }\n"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{Config: sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1)+timeouts)},
			{
				PreConfig: func() { shareFaults(t, emulator.Faults{Seed: 1, RateLost: 1}, 2) },
				Config:    sharingConfig(nil, "", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroy),
				}},
				Check: checkShareFault(t, "lost"),
			},
		},
	})
}
