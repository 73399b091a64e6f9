package assignment_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// A central gallery in the provider's (platform) subscription, its version assigned to a VM in
// a workload subscription: every read and write of the VM goes to the workload subscription,
// the plan after apply is empty, and the assignment imports.
func TestAccVMApplicationAssignment_targetInAnotherSubscription(t *testing.T) {
	gallery := acctest.RandomName("accsub")
	vm := acctest.Env("TF_VAR_workload_vm_id")
	cfg := linuxApp(gallery, `
variable "workload_vm_id" { type = string }
`, assignment("test", "var.workload_vm_id", "v1", ""))
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sub := acctest.Env("TF_VAR_workload_subscription_id")
			if !strings.Contains(vm, "/subscriptions/"+sub+"/") || strings.EqualFold(sub, acctest.Env("ARM_SUBSCRIPTION_ID")) {
				t.Fatalf("the workload VM %s must be in another subscription than the provider's", vm)
			}
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(checkTargetAppCount(t, vm, 1),
					resource.TestCheckResourceAttr(resourceName, "install_status", "Succeeded")),
			},
			{
				ResourceName:            resourceName,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// A target in a subscription the credential has no role on is refused at plan, naming the
// subscription and the role, and nothing is written.
func TestAccVMApplicationAssignment_targetInInaccessibleSubscription(t *testing.T) {
	testAccEstatePlanFails(t, []string{application("app", "Linux"), version{label: "v1", app: "app"}.hcl(), `
variable "forbidden_vm_id" { type = string }
`, assignment("test", "var.forbidden_vm_id", "v1", "")},
		regexp.MustCompile(`(?s)AuthorizationFailed.*no\s+access\s+to\s+subscription\s+[0-9a-f-]+.*Virtual\s+Machine\s+Contributor`))
}
