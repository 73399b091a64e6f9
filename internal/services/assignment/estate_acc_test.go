package assignment_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// These tests plan whole estates from an empty state, as a new user's first apply does: the
// gallery, applications, versions and assignments all in one configuration, none of them in
// Azure yet. The plan must refuse what Azure would refuse, and write nothing.

// estateTargets are the seeded targets: a Linux VM and both kinds of Linux scale set (the
// flexible one in the secondary region).
var estateTargets = []struct{ name, env, expr, region string }{
	{"vm", "TF_VAR_linux_vm_id", "var.linux_vm_id", "var.location"},
	{"uniform", "TF_VAR_uniform_vmss_id", "var.uniform_vmss_id", "var.location"},
	{"flexible", "TF_VAR_flexible_vmss_id", "var.flexible_vmss_id", "var.secondary_location"},
}

// otherRegion is a region the target is not in.
func otherRegion(region string) string {
	if region == "var.location" {
		return "var.secondary_location"
	}
	return "var.location"
}

// testAccEstatePlanFails plans a configuration from an empty state and expects the plan to
// fail with want, with no ARM write at all.
func testAccEstatePlanFails(t *testing.T, blocks []string, want *regexp.Regexp) {
	t.Helper()
	gallery := acctest.RandomName("accest")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      testConfig(gallery, blocks...),
			PlanOnly:    true,
			ExpectError: want,
		}},
	})
	for _, r := range acctest.WriteRequests(t) {
		t.Errorf("the failing plan wrote to Azure: %s %s", r.Method, r.Path)
	}
}

func TestAccVMApplicationAssignment_newEstateRefusedAtPlan(t *testing.T) {
	for _, tg := range estateTargets {
		ver := func(label, app, name string, regions ...string) string {
			if len(regions) == 0 {
				regions = []string{tg.region}
			}
			return version{label: label, app: app, name: name, location: regions[0], regions: regions}.hcl()
		}
		t.Run(tg.name+"/sixApplications", func(t *testing.T) {
			var blocks []string
			for i := 1; i <= 6; i++ {
				n := fmt.Sprintf("app%d", i)
				blocks = append(blocks, application(n, "Linux"), ver(n, n, "1.0.0"), assignment(n, tg.expr, n, ""))
			}
			testAccEstatePlanFails(t, blocks, regexp.MustCompile(
				`(?s)Too many applications on the target.*would have 6 applications: 6 added by this\s+configuration's\s+azvmapps_vm_application_assignment\s+resources\s+\(app1,\s+app2,\s+app3,\s+app4,\s+app5,\s+app6\).*over\s+the\s+limit\s+of\s+5`))
		})
		t.Run(tg.name+"/notReplicatedToRegion", func(t *testing.T) {
			other := otherRegion(tg.region)
			testAccEstatePlanFails(t, []string{application("app", "Linux"), ver("v1", "app", "1.0.0", other), assignment("test", tg.expr, "v1", "")},
				regexp.MustCompile(`(?s)Application version not replicated to the target's region.*Add a target_region for`))
		})
		t.Run(tg.name+"/windowsOnLinux", func(t *testing.T) {
			testAccEstatePlanFails(t, []string{application("app", "Windows"), ver("v1", "app", "1.0.0"), assignment("test", tg.expr, "v1", "")},
				regexp.MustCompile(`(?s)Application OS type does not match the target.*supports Windows.*runs Linux`))
		})
		t.Run(tg.name+"/twoVersionsOfOneApplication", func(t *testing.T) {
			testAccEstatePlanFails(t, []string{application("app", "Linux"), ver("v1", "app", "1.0.0"), ver("v2", "app", "2.0.0"),
				assignment("one", tg.expr, "v1", ""), assignment("two", tg.expr, "v2", "")},
				regexp.MustCompile(`(?s)Two versions of one application assigned to the same target.*version (1\.0\.0|2\.0\.0) and version (1\.0\.0|2\.0\.0) of\s+application\s+app`))
		})
	}
}

// The everyday version bump: a new version resource and three assignments moved to it, in one
// apply. Known IDs make each move an in-place update (the update script runs), not a
// remove-and-reinstall.
func TestAccVMApplicationAssignment_versionBumpInPlace(t *testing.T) {
	gallery := acctest.RandomName("accest")
	both := []string{"var.location", "var.secondary_location"}
	cfg := func(to string, extra ...string) string {
		blocks := []string{application("app", "Linux"), version{label: "v1", app: "app", regions: both}.hcl()}
		blocks = append(blocks, extra...)
		for _, tg := range estateTargets {
			extra := ""
			if tg.name == "flexible" {
				extra = "  upgrade_instances = \"all\"\n" // its VMs do not report whether they run the latest model
			}
			blocks = append(blocks, assignment(tg.name, tg.expr, to, extra))
		}
		return testConfig(gallery, blocks...)
	}
	v2 := version{label: "v2", app: "app", name: "2.0.0", update: "echo update", regions: both}.hcl()
	var updates []plancheck.PlanCheck
	var checks []statecheck.StateCheck
	for _, tg := range estateTargets {
		addr := "azvmapps_vm_application_assignment." + tg.name
		updates = append(updates, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("version_id"), knownvalue.StringRegexp(regexp.MustCompile(`/versions/2\.0\.0$`))))
		checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New("install_message"), knownvalue.StringRegexp(regexp.MustCompile(`Update SUCCESS`))))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(checkTargetAppCount(t, acctest.Env("TF_VAR_linux_vm_id"), 0),
			checkTargetAppCount(t, acctest.Env("TF_VAR_uniform_vmss_id"), 0), checkTargetAppCount(t, acctest.Env("TF_VAR_flexible_vmss_id"), 0)),
		Steps: []resource.TestStep{
			{
				// From an empty state, every ID is known at plan: it follows from the parent and the name.
				Config: cfg("v1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("azvmapps_gallery.test", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Compute/galleries/`+gallery+`$`))),
					plancheck.ExpectKnownValue("azvmapps_application.app", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`/galleries/`+gallery+`/applications/app$`))),
					plancheck.ExpectKnownValue("azvmapps_application_version.v1", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`/galleries/`+gallery+`/applications/app/versions/1\.0\.0$`))),
					plancheck.ExpectKnownValue("azvmapps_vm_application_assignment.vm", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`/virtualMachines/vm-linux\|/subscriptions/.+/applications/app$`))),
				}},
			},
			{
				Config:            cfg("v2", v2),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: updates},
				ConfigStateChecks: checks,
			},
		},
	})
}

// Five applications on one VM from an empty state: one write to the VM carries all five, and
// every install is awaited.
func TestAccVMApplicationAssignment_fiveInOneWrite(t *testing.T) {
	gallery := acctest.RandomName("accest")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	var blocks []string
	var checks []resource.TestCheckFunc
	for i := 1; i <= 5; i++ {
		n := fmt.Sprintf("app%d", i)
		blocks = append(blocks, application(n, "Linux"), version{label: n, app: n}.hcl(), assignment(n, "var.linux_vm_id", n, ""))
		checks = append(checks, resource.TestCheckResourceAttr("azvmapps_vm_application_assignment."+n, "install_status", "Succeeded"))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{{
			Config: testConfig(gallery, blocks...),
			Check: resource.ComposeAggregateTestCheckFunc(append(checks, checkTargetAppCount(t, vm, 5),
				func(*terraform.State) error {
					if n := targetWrites(t, vm); n != 1 {
						return fmt.Errorf("%d writes to the VM, want 1 carrying all five applications", n)
					}
					return nil
				})...),
		}},
	})
}

// At the limit, one assignment swapped for another in one apply: the plan counts the removal,
// and the apply writes the swap without ever going over the limit.
func TestAccVMApplicationAssignment_swapAtTheLimit(t *testing.T) {
	gallery := acctest.RandomName("accest")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	cfg := func(assigned ...int) string {
		var blocks []string
		for i := 1; i <= 6; i++ {
			n := fmt.Sprintf("app%d", i)
			blocks = append(blocks, application(n, "Linux"), version{label: n, app: n}.hcl())
		}
		for _, i := range assigned {
			n := fmt.Sprintf("app%d", i)
			blocks = append(blocks, assignment(n, "var.linux_vm_id", n, ""))
		}
		return testConfig(gallery, blocks...)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{Config: cfg(1, 2, 3, 4, 5), Check: checkTargetAppCount(t, vm, 5)},
			{
				Config: cfg(1, 2, 3, 4, 6),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("azvmapps_vm_application_assignment.app5", plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction("azvmapps_vm_application_assignment.app6", plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(checkTargetAppCount(t, vm, 5),
					resource.TestCheckResourceAttr("azvmapps_vm_application_assignment.app6", "install_status", "Succeeded")),
			},
		},
	})
}

// A version ID the plan cannot know (it passes through terraform_data, whose output is only
// known after apply) turns out, at apply, to be a Windows application for the Linux VM. The
// four valid assignments of the same apply are not written either: nothing of this apply
// reaches the VM.
func TestAccVMApplicationAssignment_unknownAtPlanAllOrNothing(t *testing.T) {
	gallery := acctest.RandomName("accest")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	var setup []string
	for i := 1; i <= 4; i++ {
		n := fmt.Sprintf("app%d", i)
		setup = append(setup, application(n, "Linux"), version{label: n, app: n}.hcl())
	}
	setup = append(setup, application("win", "Windows"), version{label: "win", app: "win"}.hcl())
	var assignments []string
	for i := 1; i <= 4; i++ {
		n := fmt.Sprintf("app%d", i)
		assignments = append(assignments, assignment(n, "var.linux_vm_id", n, ""))
	}
	assignments = append(assignments, `
resource "terraform_data" "win_version" {
  input = azvmapps_application_version.win.id
}

resource "azvmapps_vm_application_assignment" "win" {
  target_id  = var.linux_vm_id
  version_id = terraform_data.win_version.output
}
`)
	var writes int
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{Config: testConfig(gallery, setup...), Check: func(*terraform.State) error { writes = targetWrites(t, vm); return nil }},
			{
				Config:      testConfig(gallery, append(setup, assignments...)...),
				ExpectError: regexp.MustCompile(`(?s)Application OS type does not match the target.*supports Windows`),
			},
			{
				PreConfig: func() { checkWritesSince(t, vm, writes) },
				Config:    testConfig(gallery, setup...),
				Check:     checkTargetAppCount(t, vm, 0),
			},
		},
	})
}
