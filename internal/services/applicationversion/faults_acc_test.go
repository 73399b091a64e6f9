package applicationversion_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// Replication fails in one region while the other completes: the apply fails naming the
// region, the version is in state (tainted), and the next apply replaces it and converges.
func TestAccApplicationVersion_replicationFailsInOneRegion(t *testing.T) {
	gallery := acctest.RandomName("accver")
	cfg := testConfig(gallery, "", version{regions: regions(region("var.location", ""), region("var.secondary_location", ""))})
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			if acctest.Emulator() == nil {
				t.Skip("fault injection needs the emulator")
			}
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					acctest.Emulator().SetFaults(emulator.Faults{Seed: 1, RateReplFail: 1})
					t.Cleanup(func() { acctest.Emulator().SetFaults(emulator.Faults{}) })
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Error (replicating|creating) application version.*failed`),
			},
			{
				PreConfig: func() { acctest.Emulator().SetFaults(emulator.Faults{}) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.TestCheckResourceAttr(resourceName, "replication_status.aggregated_state", "Completed"),
			},
		},
	})
}
