package applicationversion_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

func planUpdate() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)}}
}

func planReplace() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate)}}
}

func TestAccApplicationVersion_basic(t *testing.T) {
	gallery := acctest.RandomName("accver")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		// Import, with regional_replica_count left out as here, plans no change.
		Steps: append([]resource.TestStep{
			{
				Config: testConfig(gallery, "", version{mediaLink: plainLink}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`(?i)/galleries/`+gallery+`/applications/app/versions/1\.0\.0$`))),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("provisioning_state"), knownvalue.StringExact("Succeeded")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("replica_count"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("storage_account_type"), knownvalue.StringExact("Standard_LRS")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("published_date"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("replication_status").AtMapKey("aggregated_state"), knownvalue.StringExact("Completed")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("replication_status").AtMapKey("regions"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"state": knownvalue.StringExact("Completed"), "progress": knownvalue.Int64Exact(100)}),
					})),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("target_region"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"name": knownvalue.StringExact("eastus2"), "regional_replica_count": knownvalue.Int64Exact(1),
							"storage_account_type": knownvalue.Null(), "exclude_from_latest": knownvalue.Null(),
						}),
					})),
				},
			},
		}, acctest.ImportSteps(resourceName)...),
	})
}

func TestAccApplicationVersion_update(t *testing.T) {
	gallery := acctest.RandomName("accver")
	rotated := rotatedSAS(t, acctest.Env("TF_VAR_page_blob_url"))
	twoRegions := regions(region("var.location", ""), region("var.secondary_location", "    regional_replica_count = 2\n"))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{
			{
				Config: testConfig(gallery, "", version{regions: twoRegions}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("target_region"), knownvalue.SetSizeExact(2)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("replication_status").AtMapKey("regions"), knownvalue.ListSizeExact(2)),
				},
			},
			{
				// Replica counts, latest exclusion, end of life and tags change in place.
				Config: testConfig(gallery, "", version{
					regions: regions(region("var.location", ""), region("var.secondary_location", "    regional_replica_count = 3\n    exclude_from_latest = true\n")),
					extra: `  replica_count       = 2
  exclude_from_latest = true
  end_of_life_date    = "2030-12-31T00:00:00Z"
  tags = { team = "apps" }`,
				}),
				ConfigPlanChecks: planUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("replica_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("exclude_from_latest"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("end_of_life_date"), knownvalue.StringExact("2030-12-31T00:00:00Z")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("apps")})),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("target_region"), knownvalue.SetPartial([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"regional_replica_count": knownvalue.Int64Exact(3), "exclude_from_latest": knownvalue.Bool(true)}),
					})),
				},
			},
			{
				// Removing a replicated region without the safety switch fails at plan.
				Config:      testConfig(gallery, "", version{}),
				ExpectError: regexp.MustCompile(`(?s)Removing a replicated region is not allowed.*allow_deletion_of_replicated_locations\s+=\s+true`),
			},
			{
				// With the switch, the region goes in the same in-place update.
				Config:           testConfig(gallery, "", version{extra: "  allow_deletion_of_replicated_locations = true"}),
				ConfigPlanChecks: planUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("target_region"), knownvalue.SetSizeExact(1)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("replication_status").AtMapKey("regions"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags"), knownvalue.Null()),
				},
			},
			{
				// Adding a region back is in place too; the display name and the short name are one region.
				Config:           testConfig(gallery, "", version{regions: regions(region(`"East US 2"`, ""), region("var.secondary_location", "")), extra: "  allow_deletion_of_replicated_locations = true"}),
				ConfigPlanChecks: planUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("target_region"), knownvalue.SetSizeExact(2)),
				},
			},
			{
				// A new SAS token for the same blob is an in-place update.
				Config:           testConfig(gallery, "", version{mediaLink: fmt.Sprintf("%q", rotated), regions: regions(region(`"East US 2"`, ""), region("var.secondary_location", "")), extra: "  allow_deletion_of_replicated_locations = true"}),
				ConfigPlanChecks: planUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("source").AtMapKey("media_link"), knownvalue.StringExact(rotated)),
				},
			},
			{
				// wait_for_replication is the provider's own setting: in place.
				Config:           testConfig(gallery, "", version{mediaLink: fmt.Sprintf("%q", rotated), regions: regions(region(`"East US 2"`, ""), region("var.secondary_location", "")), extra: "  allow_deletion_of_replicated_locations = true\n  wait_for_replication = false"}),
				ConfigPlanChecks: planUpdate(),
			},
			{
				ResourceName:            resourceName,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"wait_for_replication", "target_region"},
			},
		},
	})
}

// Every attribute the service does not let change forces a new version.
func TestAccApplicationVersion_replace(t *testing.T) {
	gallery := acctest.RandomName("accver")
	steps := []struct {
		name string
		v    version
	}{
		{"install", version{install: "echo install v2"}},
		{"remove", version{install: "echo install v2", remove: "echo remove v2"}},
		{"update", version{install: "echo install v2", remove: "echo remove v2", update: "echo update"}},
		{"default_configuration_link", version{install: "echo install v2", remove: "echo remove v2", update: "echo update", configLink: "var.config_blob_url"}},
		{"settings", version{install: "echo install v2", remove: "echo remove v2", update: "echo update", configLink: "var.config_blob_url",
			extra: "  settings {\n    package_file_name = \"app.sh\"\n    script_behavior_after_reboot = \"Rerun\"\n  }"}},
		{"storage_account_type", version{install: "echo install v2", remove: "echo remove v2", update: "echo update", configLink: "var.config_blob_url",
			extra: "  storage_account_type = \"Standard_ZRS\""}},
		{"enable_health_check and advanced_settings", version{install: "echo install v2", remove: "echo remove v2", update: "echo update", configLink: "var.config_blob_url",
			extra: "  storage_account_type = \"Standard_ZRS\"\n  enable_health_check = true\n  advanced_settings = { verbosity = \"2\" }"}},
		{"name", version{name: "1.0.1"}},
	}
	tc := resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps:                    []resource.TestStep{{Config: testConfig(gallery, "", version{})}},
	}
	for _, s := range steps {
		tc.Steps = append(tc.Steps, resource.TestStep{Config: testConfig(gallery, "", s.v), ConfigPlanChecks: planReplace()})
	}
	// Pointing media_link at another blob (another page blob of the same account) replaces too.
	tc.Steps = append(tc.Steps,
		resource.TestStep{Config: testConfig(gallery, "", version{name: "1.0.1", mediaLink: "var.config_blob_url"}), ConfigPlanChecks: planReplace()},
	)
	resource.ParallelTest(t, tc)
}

// A change that forces a new version may also drop regions: the new version is simply
// published to fewer regions, so the in-place rule (allow_deletion_of_replicated_locations)
// does not apply.
func TestAccApplicationVersion_replaceWithFewerRegions(t *testing.T) {
	gallery := acctest.RandomName("accver")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{
			{Config: testConfig(gallery, "", version{regions: regions(region("var.location", ""), region("var.secondary_location", ""))})},
			{
				Config:           testConfig(gallery, "", version{name: "1.0.1"}),
				ConfigPlanChecks: planReplace(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("target_region"), knownvalue.SetSizeExact(1)),
				},
			},
		},
	})
}

func TestAccApplicationVersion_requiresImport(t *testing.T) {
	gallery := acctest.RandomName("accver")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{
			{Config: testConfig(gallery, "", version{})},
			{
				Config:      testConfig(gallery, "", version{}, version{label: "import"}),
				ExpectError: regexp.MustCompile(`already\s+exists\s+-\s+to\s+be\s+managed\s+via\s+Terraform\s+this\s+resource\s+needs\s+to\s+be\s+imported`),
			},
		},
	})
}

func TestAccApplicationVersion_disappears(t *testing.T) {
	gallery := acctest.RandomName("accver")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             testConfig(gallery, "", version{}),
				Check:              deleteOutOfBand(t, resourceName),
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Several versions of one application created in one apply, as a module with count would.
func TestAccApplicationVersion_parallel(t *testing.T) {
	gallery := acctest.RandomName("accver")
	cfg := testConfig(gallery, "", version{name: `1.0.${count.index}`, extra: "  count = 3"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName+"[0]", tfjsonpath.New("name"), knownvalue.StringExact("1.0.0")),
				statecheck.ExpectKnownValue(resourceName+"[1]", tfjsonpath.New("provisioning_state"), knownvalue.StringExact("Succeeded")),
				statecheck.ExpectKnownValue(resourceName+"[2]", tfjsonpath.New("name"), knownvalue.StringExact("1.0.2")),
			},
		}},
	})
}

func TestAccApplicationVersionDataSource_latest(t *testing.T) {
	gallery := acctest.RandomName("accver")
	versions := []version{
		{label: "v1", name: "1.2.0"},
		{label: "v2", name: "1.10.0"},
		{label: "v3", name: "1.9.0"},
		{label: "v4", name: "2.0.0", extra: "  exclude_from_latest = true"},
	}
	ds := `
data "azvmapps_application_version" "latest" {
  application_id = azvmapps_application.test.id
  name           = "latest"
  depends_on     = [azvmapps_application_version.v1, azvmapps_application_version.v2, azvmapps_application_version.v3, azvmapps_application_version.v4]
}

data "azvmapps_application_version" "named" {
  application_id = azvmapps_application.test.id
  name           = azvmapps_application_version.v1.name
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testConfig(gallery, "", versions...) + ds,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.azvmapps_application_version.latest", tfjsonpath.New("resolved_name"), knownvalue.StringExact("1.10.0")),
				statecheck.ExpectKnownValue("data.azvmapps_application_version.latest", tfjsonpath.New("replication_status").AtMapKey("aggregated_state"), knownvalue.StringExact("Completed")),
				statecheck.ExpectKnownValue("data.azvmapps_application_version.latest", tfjsonpath.New("target_region"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("eastus2"), "regional_replica_count": knownvalue.Int64Exact(1)}),
				})),
				statecheck.ExpectKnownValue("data.azvmapps_application_version.named", tfjsonpath.New("resolved_name"), knownvalue.StringExact("1.2.0")),
				statecheck.ExpectKnownValue("data.azvmapps_application_version.named", tfjsonpath.New("manage_actions").AtMapKey("install"), knownvalue.StringExact("echo install")),
				statecheck.CompareValuePairs("data.azvmapps_application_version.latest", tfjsonpath.New("id"), "azvmapps_application_version.v2", tfjsonpath.New("id"), compare.ValuesSame()),
			},
		}},
	})
}

// TestAccApplicationVersion_logsHaveNoSecrets applies a version with TRACE logging (provider,
// Azure SDK and Terraform CLI) and proves the log shows the work — the SDK's requests and the
// per-region replication progress — but no SAS signature, client secret or bearer token.
func TestAccApplicationVersion_logsHaveNoSecrets(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1 (resource.Test skips the same way)", resource.EnvTfAcc)
	}
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	sasURL, err := url.Parse(acctest.Env("TF_VAR_page_blob_url"))
	if err != nil || sasURL.Query().Get("sig") == "" {
		t.Fatalf("the page blob URL should carry a SAS signature: %v", err)
	}
	secrets := map[string]string{
		"SAS signature": sasURL.Query().Get("sig"),
		"client secret": acctest.Env("ARM_CLIENT_SECRET"),
	}
	jwt := regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			b, err := os.ReadFile(logFile)
			if err != nil {
				return err
			}
			log := string(b)
			for _, want := range []string{"replicating application version", "azure-sdk", "/applications/app/versions/1.0.0"} {
				if !strings.Contains(log, want) {
					return fmt.Errorf("the trace log should contain %q", want)
				}
			}
			for what, s := range secrets {
				if s != "" && (strings.Contains(log, s) || strings.Contains(log, url.QueryEscape(s))) {
					return fmt.Errorf("the trace log contains the %s", what)
				}
			}
			if m := jwt.FindString(log); m != "" {
				return fmt.Errorf("the trace log contains a bearer token (%s…)", m[:12])
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: testConfig(acctest.RandomName("acclog"), "", version{})}},
	})
}
