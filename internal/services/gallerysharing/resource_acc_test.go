package gallerysharing_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
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

const (
	res     = "azvmapps_gallery_sharing.test"
	sub1    = "11111111-1111-1111-1111-111111111111"
	sub2    = "22222222-2222-2222-2222-222222222222"
	tenant1 = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
)

// sharingConfig declares galleries, each with its name as its resource label and shared with
// groups unless its name ends in "priv", and a sharing resource on the gallery named target.
func sharingConfig(galleries []string, target, body string) string {
	var b strings.Builder
	b.WriteString(`
variable "resource_group_name" {
  type = string
}
variable "location" {
  type = string
}
`)
	for _, g := range galleries {
		perm := "Groups"
		if strings.HasSuffix(g, "priv") {
			perm = "Private"
		}
		fmt.Fprintf(&b, `
resource "azvmapps_gallery" %q {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = var.location
  sharing {
    permission = %q
  }
}
`, g, g, perm)
	}
	if target != "" {
		fmt.Fprintf(&b, `
resource "azvmapps_gallery_sharing" "test" {
  gallery_id = azvmapps_gallery.%s.id
%s
}
`, target, body)
	}
	return b.String()
}

func ids(field string, v ...string) string {
	if len(v) == 0 {
		return ""
	}
	quoted := make([]string, len(v))
	for i, x := range v {
		quoted[i] = fmt.Sprintf("%q", x)
	}
	return fmt.Sprintf("  %s = [%s]\n", field, strings.Join(quoted, ", "))
}

func TestAccGallerySharing_basic(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: append([]resource.TestStep{
			{
				Config: sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1)+ids("tenant_ids", tenant1)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(res, tfjsonpath.New("id"), "azvmapps_gallery."+gallery, tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("subscription_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(sub1)})),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tenant_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(tenant1)})),
				},
			},
		}, acctest.ImportSteps(res, "timeouts")...),
	})
}

func TestAccGallerySharing_update(t *testing.T) {
	g1, g2 := acctest.RandomName("accgal"), acctest.RandomName("accgal")
	inPlace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{Config: sharingConfig([]string{g1, g2}, g1, ids("subscription_ids", sub1))},
			{
				// Add a subscription and a tenant: in place.
				Config:           sharingConfig([]string{g1, g2}, g1, ids("subscription_ids", sub1, sub2)+ids("tenant_ids", tenant1)),
				ConfigPlanChecks: inPlace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("subscription_ids"), knownvalue.SetSizeExact(2)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tenant_ids"), knownvalue.SetSizeExact(1)),
				},
			},
			{
				// Swap every member: in place, the gallery is never shared with nobody.
				Config:           sharingConfig([]string{g1, g2}, g1, ids("tenant_ids", tenant1)),
				ConfigPlanChecks: inPlace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("subscription_ids"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tenant_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(tenant1)})),
				},
			},
			{
				// Another gallery: replace. The first gallery leaves the configuration, so its
				// reset sharing shows no drift.
				Config: sharingConfig([]string{g2}, g2, ids("tenant_ids", tenant1)) + "\n",
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(res, tfjsonpath.New("gallery_id"), "azvmapps_gallery."+g2, tfjsonpath.New("id"), compare.ValuesSame()),
				},
			},
		},
	})
}

func TestAccGallerySharing_requiresImport(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{
			{Config: sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1))},
			{
				Config: sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1)) + `
resource "azvmapps_gallery_sharing" "import" {
  gallery_id       = azvmapps_gallery_sharing.test.gallery_id
  subscription_ids = azvmapps_gallery_sharing.test.subscription_ids
}
`,
				ExpectError: regexp.MustCompile(`(?s)already exists - to be managed via Terraform.*terraform import azvmapps_gallery_sharing`),
			},
		},
	})
}

func TestAccGallerySharing_disappears(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{{
			Config: sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1)),
			Check: func(*terraform.State) error {
				f := acctest.ComputeClients(t)
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				p, err := f.NewGallerySharingProfileClient().BeginUpdate(ctx, acctest.Env("TF_VAR_resource_group_name"), gallery,
					armcompute.SharingUpdate{OperationType: to.Ptr(armcompute.SharingUpdateOperationTypesReset)}, nil)
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

// A gallery whose permission is not Groups cannot be shared; the error says how to fix it and
// no share action is sent.
func TestAccGallerySharing_galleryNotGroups(t *testing.T) {
	gallery := acctest.RandomName("accgal") + "priv"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{{
			Config:      sharingConfig([]string{gallery}, gallery, ids("subscription_ids", sub1)),
			ExpectError: regexp.MustCompile(`(?s)has\s+sharing\s+permission\s+"Private".*sharing\s+\{\s+permission\s+=\s+"Groups"\s+\}`),
		}},
	})
	if w := acctest.WriteRequestsMatching(t, "/share"); len(w) > 0 {
		t.Fatalf("a share action was sent: %+v", w)
	}
}

func TestAccGallerySharing_invalidInput(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	cases := []struct {
		name string
		body string
		want string
	}{
		{"bad subscription id", ids("subscription_ids", "not-a-guid"), `must be a subscription ID: a GUID`},
		{"bad tenant id", ids("tenant_ids", "12345"), `must be a tenant ID: a GUID`},
		{"nobody", "", `(?s)At least one.*tenant_ids`},
		{"empty set", "  subscription_ids = []\n", `(?s)subscription_ids.*at least 1`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      sharingConfig([]string{gallery}, gallery, tc.body),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(strings.ReplaceAll(tc.want, " ", `\s+`)),
				}},
			})
			if w := acctest.WriteRequests(t); len(w) > 0 {
				t.Fatalf("plan-time validation wrote to Azure: %+v", w)
			}
		})
	}
	t.Run("bad gallery id", func(t *testing.T) {
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: `
resource "azvmapps_gallery_sharing" "test" {
  gallery_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  subscription_ids = ["` + sub1 + `"]
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`is\s+not\s+a\s+gallery\s+ID`),
			}},
		})
		if w := acctest.WriteRequests(t); len(w) > 0 {
			t.Fatalf("plan-time validation wrote to Azure: %+v", w)
		}
	})
}
