package gallery_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

func TestAccGalleryDataSource_basic(t *testing.T) {
	name := acctest.RandomName("accgal")
	config := galleryConfig(name, `
  description = "read me"
  tags = {
    env = "test"
  }
  sharing {
    permission = "Groups"
  }
`) + `
data "azvmapps_gallery" "by_name" {
  name                = azvmapps_gallery.test.name
  resource_group_name = azvmapps_gallery.test.resource_group_name
}

data "azvmapps_gallery" "by_id" {
  id = azvmapps_gallery.test.id
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(res, tfjsonpath.New("id"), "data.azvmapps_gallery.by_name", tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.CompareValuePairs(res, tfjsonpath.New("unique_name"), "data.azvmapps_gallery.by_id", tfjsonpath.New("unique_name"), compare.ValuesSame()),
				statecheck.CompareValuePairs(res, tfjsonpath.New("name"), "data.azvmapps_gallery.by_id", tfjsonpath.New("name"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.azvmapps_gallery.by_name", tfjsonpath.New("description"), knownvalue.StringExact("read me")),
				statecheck.ExpectKnownValue("data.azvmapps_gallery.by_id", tfjsonpath.New("location"), knownvalue.StringExact(acctest.Env("TF_VAR_location"))),
				statecheck.ExpectKnownValue("data.azvmapps_gallery.by_id", tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": knownvalue.StringExact("test")})),
				statecheck.ExpectKnownValue("data.azvmapps_gallery.by_id", tfjsonpath.New("sharing").AtMapKey("permission"), knownvalue.StringExact("Groups")),
				statecheck.ExpectKnownValue("data.azvmapps_gallery.by_id", tfjsonpath.New("soft_delete_enabled"), knownvalue.Bool(false)),
			},
		}},
	})
}

func TestAccGalleryDataSource_notFound(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: variables + `
data "azvmapps_gallery" "test" {
  name                = "doesnotexist"
  resource_group_name = var.resource_group_name
}
`,
			ExpectError: regexp.MustCompile(`Gallery not found`),
		}},
	})
}
