package assignment_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// The VM takes the write but its response is lost: the client's retry then meets 412 (the
// ETag moved with our own write). The assignment must be recorded, not refused as "already
// exists", and the next plan is empty.
func TestAccVMApplicationAssignment_responseLostConverges(t *testing.T) {
	gallery := acctest.RandomName("accfail")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{Config: linuxApp(gallery)},
			{
				PreConfig: func() {
					acctest.FaultOnce(t, emulator.Faults{Seed: 1, RateLost: 1, Methods: []string{"PATCH"}, PathContains: "/virtualMachines/vm-linux"})
				},
				Config: linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "")),
				Check: resource.ComposeAggregateTestCheckFunc(checkTargetAppCount(t, vm, 1),
					resource.TestCheckResourceAttr(resourceName, "install_status", "Succeeded"),
					func(*terraform.State) error {
						for _, r := range acctest.WriteRequestsMatching(t, "/virtualMachines/vm-linux") {
							if r.Fault == "lost" {
								return nil
							}
						}
						return fmt.Errorf("no write to the VM lost its response: the test did not test anything")
					}),
			},
		},
	})
}

// An in-place upgrade whose install fails leaves the new version in state with a failed
// install; the next plan shows the assignment replaced (the service's only retry: remove it
// and add it back), and applying it installs the application.
func TestAccVMApplicationAssignment_failedUpgradeShowsInPlan(t *testing.T) {
	gallery := acctest.RandomName("accfail")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	v2 := version{label: "v2", app: "app", name: "2.0.0", update: "echo update"}.hcl()
	cfg := func(to string) string { return linuxApp(gallery, v2, assignment("test", "var.linux_vm_id", to, "")) }
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{Config: cfg("v1")},
			{
				PreConfig:   func() { acctest.FaultOnce(t, emulator.Faults{Seed: 1, RateInstall: 1}) }, // installs fail until step 3
				Config:      cfg("v2"),
				ExpectError: regexp.MustCompile(`(?s)VM application install failed.*version 2\.0\.0`),
			},
			{
				// The failure is in state: the plan replaces the assignment, the apply installs it.
				PreConfig: func() { acctest.Emulator().SetFaults(emulator.Faults{}) },
				Config:    cfg("v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(resourceName, "install_status", "Succeeded"),
					resource.TestMatchResourceAttr(resourceName, "version_id", regexp.MustCompile(`/versions/2\.0\.0$`))),
			},
		},
	})
}

// The service applies the VM write, then cancels its operation for another one
// (OperationPreempted): the provider reads the VM again, finds the entry as planned and records
// the assignment in one apply.
func TestAccVMApplicationAssignment_preemptedWriteConverges(t *testing.T) {
	gallery := acctest.RandomName("accfail")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{Config: linuxApp(gallery)},
			{
				PreConfig: func() {
					acctest.FaultUntil(t, emulator.Faults{Seed: 1, RatePreempt: 1}, func(r emulator.Request) bool {
						return r.Method == "PATCH" && strings.Contains(r.Path, "/virtualMachines/vm-linux")
					})
				},
				Config: linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "")),
				Check: resource.ComposeAggregateTestCheckFunc(checkTargetAppCount(t, vm, 1),
					resource.TestCheckResourceAttr(resourceName, "install_status", "Succeeded")),
			},
		},
	})
}

// With treat_failure_as_deployment_failure, a failed install fails the VM's operation itself:
// the write reports an error although the entry is on the VM. The assignment is recorded
// (tainted, its install failed), and the next apply replaces it and converges.
func TestAccVMApplicationAssignment_treatFailureAsDeploymentFailure(t *testing.T) {
	gallery := acctest.RandomName("accfail")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	cfg := linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "  treat_failure_as_deployment_failure = true\n"))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { acctest.FaultOnce(t, emulator.Faults{Seed: 1, RateInstall: 1}) }, // installs fail until step 2
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)VM application install failed`),
			},
			{
				PreConfig: func() { acctest.Emulator().SetFaults(emulator.Faults{}) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(checkTargetAppCount(t, vm, 1),
					resource.TestCheckResourceAttr(resourceName, "install_status", "Succeeded")),
			},
		},
	})
}
