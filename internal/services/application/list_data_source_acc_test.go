package application_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// From an empty state: a gallery, four applications (more than a page of the emulator's
// lists) and their list, read after they exist.
func TestAccApplicationsDataSource_basic(t *testing.T) {
	gallery := acctest.RandomName("accapps")
	config := appConfig(gallery, minimal("zeta")) + `
locals {
  apps = [{ name = "gamma", os = "Linux" }, { name = "alpha", os = "Linux" }, { name = "beta", os = "Windows" }]
}

resource "azvmapps_application" "more" {
  count             = length(local.apps)
  name              = local.apps[count.index].name
  gallery_id        = azvmapps_gallery.test.id
  location          = var.location
  supported_os_type = local.apps[count.index].os
  description       = "the ${local.apps[count.index].name} app"
  end_of_life_date  = "2031-01-01T00:00:00Z"
  tags = {
    name = local.apps[count.index].name
  }
}

data "azvmapps_applications" "test" {
  gallery_id = azvmapps_gallery.test.id
  depends_on = [azvmapps_application.test, azvmapps_application.more]
}
`
	item := func(name, os string, described bool) knownvalue.Check {
		checks := map[string]knownvalue.Check{
			"id":                    knownvalue.StringRegexp(regexp.MustCompile(`(?i)/galleries/` + gallery + `/applications/` + name + `$`)),
			"name":                  knownvalue.StringExact(name),
			"location":              knownvalue.StringExact(acctest.Env("TF_VAR_location")),
			"supported_os_type":     knownvalue.StringExact(os),
			"description":           knownvalue.Null(),
			"eula":                  knownvalue.Null(),
			"privacy_statement_uri": knownvalue.Null(),
			"release_note_uri":      knownvalue.Null(),
			"end_of_life_date":      knownvalue.Null(),
			"tags":                  knownvalue.Null(),
		}
		if described {
			checks["description"] = knownvalue.StringExact("the " + name + " app")
			checks["end_of_life_date"] = knownvalue.StringExact("2031-01-01T00:00:00Z")
			checks["tags"] = knownvalue.MapExact(map[string]knownvalue.Check{"name": knownvalue.StringExact(name)})
		}
		return knownvalue.ObjectExact(checks)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application"),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.azvmapps_applications.test", tfjsonpath.New("id"), "azvmapps_gallery.test", tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.azvmapps_applications.test", tfjsonpath.New("applications"), knownvalue.ListExact([]knownvalue.Check{
					item("alpha", "Linux", true), item("beta", "Windows", true), item("gamma", "Linux", true), item("zeta", "Linux", false),
				})),
			},
		}},
	})
}

// A gallery that does not exist is an error that names it, not an empty list.
func TestAccApplicationsDataSource_galleryNotFound(t *testing.T) {
	id := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/galleries/%s",
		acctest.Env("ARM_SUBSCRIPTION_ID"), acctest.Env("TF_VAR_resource_group_name"), acctest.RandomName("accmissing"))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
data "azvmapps_applications" "test" {
  gallery_id = %q
}
`, id),
			ExpectError: regexp.MustCompile(`(?s)Gallery not found.*No gallery\s.*accmissing`),
		}},
	})
}
