package gallery_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// From an empty state: four galleries in a resource group of their own (more than a page of
// the emulator's lists) and the lists of that group and of the whole subscription, read after
// the galleries exist.
func TestAccGalleriesDataSource_basic(t *testing.T) {
	rg := acctest.RandomName("rg-accgals-")
	prefix := acctest.RandomName("accgals")
	config := variables + fmt.Sprintf(`
resource "azvmapps_gallery" "test" {
  count               = 4
  name                = "%s${count.index}"
  resource_group_name = %q
  location            = var.location
  description         = "gallery ${count.index}"
  tags = {
    index = tostring(count.index)
  }
}

data "azvmapps_galleries" "group" {
  resource_group_name = %q
  depends_on          = [azvmapps_gallery.test]
}

data "azvmapps_galleries" "subscription" {
  depends_on = [azvmapps_gallery.test]
}
`, prefix, rg, rg)
	item := func(i int) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":                        knownvalue.StringRegexp(regexp.MustCompile(fmt.Sprintf(`(?i)^/subscriptions/[^/]+/resourceGroups/%s/providers/Microsoft\.Compute/galleries/%s%d$`, rg, prefix, i))),
			"name":                      knownvalue.StringExact(fmt.Sprintf("%s%d", prefix, i)),
			"resource_group_name":       knownvalue.StringExact(rg),
			"location":                  knownvalue.StringExact(acctest.Env("TF_VAR_location")),
			"description":               knownvalue.StringExact(fmt.Sprintf("gallery %d", i)),
			"unique_name":               knownvalue.NotNull(),
			"sharing_permission":        knownvalue.StringExact("Private"),
			"community_gallery_enabled": knownvalue.Bool(false),
			"soft_delete_enabled":       knownvalue.Bool(false),
			"tags":                      knownvalue.MapExact(map[string]knownvalue.Check{"index": knownvalue.StringExact(fmt.Sprint(i))}),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			acctest.CreateResourceGroup(t, rg, acctest.Env("TF_VAR_location"))
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.azvmapps_galleries.group", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^/subscriptions/[^/]+/resourceGroups/`+rg+`$`))),
				statecheck.ExpectKnownValue("data.azvmapps_galleries.group", tfjsonpath.New("galleries"), knownvalue.ListExact([]knownvalue.Check{item(0), item(1), item(2), item(3)})),
				statecheck.ExpectKnownValue("data.azvmapps_galleries.subscription", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^/subscriptions/[^/]+$`))),
			},
			Check: checkListHasGalleries("data.azvmapps_galleries.subscription", rg, prefix, 4),
		}},
	})
}

// checkListHasGalleries checks that the subscription-wide list holds the test's galleries (it
// holds other tests' too), sorted by name.
func checkListHasGalleries(address, rg, prefix string, count int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s not in state", address)
		}
		var n int
		if _, err := fmt.Sscan(rs.Primary.Attributes["galleries.#"], &n); err != nil {
			return err
		}
		found, prev := 0, ""
		for i := range n {
			name := rs.Primary.Attributes[fmt.Sprintf("galleries.%d.name", i)]
			if strings.ToLower(name) < strings.ToLower(prev) {
				return fmt.Errorf("galleries not sorted: %q before %q", prev, name)
			}
			prev = name
			if rs.Primary.Attributes[fmt.Sprintf("galleries.%d.resource_group_name", i)] == rg && regexp.MustCompile("^"+prefix+`\d$`).MatchString(name) {
				found++
			}
		}
		if found != count {
			return fmt.Errorf("the subscription's %d galleries hold %d of the test's %d", n, found, count)
		}
		return nil
	}
}

func TestAccGalleriesDataSource_resourceGroupNotFound(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "azvmapps_galleries" "test" {
  resource_group_name = "rg-does-not-exist-azvmapps"
}
`,
			ExpectError: regexp.MustCompile(`Resource group not found`),
		}},
	})
}
