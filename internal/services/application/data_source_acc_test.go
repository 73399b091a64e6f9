package application_test

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

func TestAccApplicationDataSource_basic(t *testing.T) {
	gallery, name := acctest.RandomName("accgal"), acctest.RandomName("acc-app-")
	config := appConfig(gallery, minimal(name)+`
  description = "read me"
  eula        = "eula"
  tags = {
    env = "test"
  }
  custom_action {
    name   = "reset"
    script = "echo reset"
    parameter {
      name     = "level"
      type     = "String"
      required = true
    }
  }
`) + `
data "azvmapps_application" "by_name" {
  name       = azvmapps_application.test.name
  gallery_id = azvmapps_application.test.gallery_id
}

data "azvmapps_application" "by_id" {
  id = azvmapps_application.test.id
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application", "azvmapps_gallery"),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(res, tfjsonpath.New("id"), "data.azvmapps_application.by_name", tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.CompareValuePairs(res, tfjsonpath.New("gallery_id"), "data.azvmapps_application.by_id", tfjsonpath.New("gallery_id"), compare.ValuesSame()),
				statecheck.CompareValuePairs(res, tfjsonpath.New("name"), "data.azvmapps_application.by_id", tfjsonpath.New("name"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.azvmapps_application.by_id", tfjsonpath.New("location"), knownvalue.StringExact(acctest.Env("TF_VAR_location"))),
				statecheck.ExpectKnownValue("data.azvmapps_application.by_id", tfjsonpath.New("supported_os_type"), knownvalue.StringExact("Linux")),
				statecheck.ExpectKnownValue("data.azvmapps_application.by_name", tfjsonpath.New("description"), knownvalue.StringExact("read me")),
				statecheck.ExpectKnownValue("data.azvmapps_application.by_name", tfjsonpath.New("eula"), knownvalue.StringExact("eula")),
				statecheck.ExpectKnownValue("data.azvmapps_application.by_name", tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": knownvalue.StringExact("test")})),
				statecheck.ExpectKnownValue("data.azvmapps_application.by_name", tfjsonpath.New("custom_action").AtSliceIndex(0).AtMapKey("parameter").AtSliceIndex(0).AtMapKey("required"), knownvalue.Bool(true)),
			},
		}},
	})
}

func TestAccApplicationDataSource_notFound(t *testing.T) {
	gallery := acctest.RandomName("accgal")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_gallery"),
		Steps: []resource.TestStep{{
			Config: appConfig(gallery, minimal("placeholder")) + `
data "azvmapps_application" "missing" {
  name       = "doesnotexist"
  gallery_id = azvmapps_gallery.test.id
}
`,
			ExpectError: regexp.MustCompile(`Application not found`),
		}},
	})
}
