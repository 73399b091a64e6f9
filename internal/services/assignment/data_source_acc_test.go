package assignment_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

func TestAccVMApplicationsDataSource_basic(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	dataSource := `
data "azvmapps_vm_applications" "test" {
  target_id  = azvmapps_vm_application_assignment.test.target_id
  depends_on = [azvmapps_vm_application_assignment.test]
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, acctest.Env("TF_VAR_linux_vm_id"), 0),
		Steps: []resource.TestStep{
			{
				Config: linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "  order = 4\n"), dataSource),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.azvmapps_vm_applications.test", tfjsonpath.New("applications"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"application_id":                      knownvalue.StringRegexp(regexp.MustCompile(`(?i)/galleries/` + gallery + `/applications/app$`)),
							"version_id":                          knownvalue.StringRegexp(regexp.MustCompile(`(?i)/galleries/` + gallery + `/applications/app/versions/1\.0\.0$`)),
							"order":                               knownvalue.Int32Exact(4),
							"treat_failure_as_deployment_failure": knownvalue.Bool(false),
							"enable_automatic_upgrade":            knownvalue.Bool(false),
							"install_status":                      knownvalue.StringExact("Succeeded"),
							"install_message":                     knownvalue.StringExact("Install SUCCESS"),
						}),
					})),
				},
			},
		},
	})
}
