package applicationversion_test

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

// From an empty state: an application with four versions (more than a page of the emulator's
// lists) and their list, read after they exist, in version order with their replication.
func TestAccApplicationVersionsDataSource_basic(t *testing.T) {
	gallery := acctest.RandomName("accvers")
	versions := []version{
		{label: "v1", name: "1.2.0"},
		{label: "v2", name: "1.10.0", extra: `  end_of_life_date = "2031-01-01T00:00:00Z"`},
		{label: "v3", name: "1.9.0", regions: regions(region("var.location", ""), region("var.secondary_location", "    regional_replica_count = 2\n"))},
		{label: "v4", name: "2.0.0", extra: "  exclude_from_latest = true\n  tags = { channel = \"beta\" }"},
	}
	ds := `
data "azvmapps_application_versions" "test" {
  application_id = azvmapps_application.test.id
  depends_on     = [azvmapps_application_version.v1, azvmapps_application_version.v2, azvmapps_application_version.v3, azvmapps_application_version.v4]
}
`
	completed := func(regions ...string) knownvalue.Check {
		var rs []knownvalue.Check
		for _, r := range regions {
			rs = append(rs, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"region": knownvalue.StringExact(r), "state": knownvalue.StringExact("Completed"),
				"progress": knownvalue.Int64Exact(100), "details": knownvalue.NotNull(),
			}))
		}
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"aggregated_state": knownvalue.StringExact("Completed"), "regions": knownvalue.ListExact(rs)})
	}
	primary := func(count int64) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"name": knownvalue.StringExact("eastus2"), "regional_replica_count": knownvalue.Int64Exact(count),
			"storage_account_type": knownvalue.StringExact("Standard_LRS"), "exclude_from_latest": knownvalue.Bool(false),
		})
	}
	item := func(name string, checks map[string]knownvalue.Check) knownvalue.Check {
		base := map[string]knownvalue.Check{
			"id":                   knownvalue.StringRegexp(regexp.MustCompile(`(?i)/galleries/` + gallery + `/applications/app/versions/` + regexp.QuoteMeta(name) + `$`)),
			"name":                 knownvalue.StringExact(name),
			"location":             knownvalue.StringExact("eastus2"),
			"exclude_from_latest":  knownvalue.Bool(false),
			"end_of_life_date":     knownvalue.Null(),
			"published_date":       knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)),
			"provisioning_state":   knownvalue.StringExact("Succeeded"),
			"replica_count":        knownvalue.Int64Exact(1),
			"storage_account_type": knownvalue.StringExact("Standard_LRS"),
			"target_region":        knownvalue.ListExact([]knownvalue.Check{primary(1)}),
			"replication_status":   completed("East US 2"),
			"tags":                 knownvalue.Null(),
		}
		for k, v := range checks {
			base[k] = v
		}
		return knownvalue.ObjectExact(base)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{{
			Config: testConfig(gallery, "", versions...) + ds,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.azvmapps_application_versions.test", tfjsonpath.New("id"), "azvmapps_application.test", tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.azvmapps_application_versions.test", tfjsonpath.New("latest_version"), knownvalue.StringExact("1.10.0")),
				statecheck.ExpectKnownValue("data.azvmapps_application_versions.test", tfjsonpath.New("versions"), knownvalue.ListExact([]knownvalue.Check{
					item("1.2.0", nil),
					item("1.9.0", map[string]knownvalue.Check{
						"target_region": knownvalue.ListExact([]knownvalue.Check{primary(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
							"name": knownvalue.StringExact("westeurope"), "regional_replica_count": knownvalue.Int64Exact(2),
							"storage_account_type": knownvalue.StringExact("Standard_LRS"), "exclude_from_latest": knownvalue.Bool(false),
						})}),
						"replication_status": completed("East US 2", "West Europe"),
					}),
					item("1.10.0", map[string]knownvalue.Check{"end_of_life_date": knownvalue.StringExact("2031-01-01T00:00:00Z")}),
					item("2.0.0", map[string]knownvalue.Check{
						"exclude_from_latest": knownvalue.Bool(true),
						"tags":                knownvalue.MapExact(map[string]knownvalue.Check{"channel": knownvalue.StringExact("beta")}),
					}),
				})),
				statecheck.CompareValuePairs("data.azvmapps_application_versions.test", tfjsonpath.New("versions").AtSliceIndex(2).AtMapKey("id"),
					"azvmapps_application_version.v2", tfjsonpath.New("id"), compare.ValuesSame()),
			},
		}},
	})
}

// An application that does not exist is an error that names it, not an empty list: for the
// list, and for the latest version, which lists the versions too.
func TestAccApplicationVersionsDataSource_applicationNotFound(t *testing.T) {
	gallery := acctest.RandomName("accvers")
	appID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/galleries/%s/applications/app",
		acctest.Env("ARM_SUBSCRIPTION_ID"), acctest.Env("TF_VAR_resource_group_name"), gallery)
	var steps []resource.TestStep
	for _, config := range []string{
		fmt.Sprintf("data \"azvmapps_application_versions\" \"test\" {\n  application_id = %q\n}\n", appID),
		fmt.Sprintf("data \"azvmapps_application_version\" \"test\" {\n  application_id = %q\n  name           = \"latest\"\n}\n", appID),
	} {
		steps = append(steps, resource.TestStep{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)Application not found.*No application\s.*` + gallery),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
