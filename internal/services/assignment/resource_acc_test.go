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

// The tests of this package share the emulator's seeded VMs and scale sets, so they run one
// after the other (resource.Test): each leaves its target as it found it.

func linuxApp(gallery string, blocks ...string) string {
	return testConfig(gallery, append([]string{application("app", "Linux"), version{label: "v1", app: "app"}.hcl()}, blocks...)...)
}

func TestAccVMApplicationAssignment_basic(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: append([]resource.TestStep{
			{
				Config: linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`(?i)/virtualMachines/vm-linux\|/subscriptions/.+/galleries/`+gallery+`/applications/app$`))),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("application_id"), knownvalue.StringRegexp(regexp.MustCompile(`(?i)/galleries/`+gallery+`/applications/app$`))),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_status"), knownvalue.StringExact("Succeeded")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_message"), knownvalue.StringExact("Install SUCCESS")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("treat_failure_as_deployment_failure"), knownvalue.Bool(false)),
				},
				Check: checkTargetAppCount(t, vm, 1),
			},
		}, acctest.ImportSteps(resourceName, "timeouts")...),
	})
}

func TestAccVMApplicationAssignment_updateVersion(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	v2 := version{label: "v2", app: "app", name: "2.0.0", update: "echo update"}.hcl()
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{
				Config: linuxApp(gallery, v2, assignment("test", "var.linux_vm_id", "v1", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("version_id"), knownvalue.StringRegexp(regexp.MustCompile(`/versions/1\.0\.0$`))),
				},
			},
			{
				// Another version of the same application: in place, and the service runs its update script.
				Config: linuxApp(gallery, v2, assignment("test", "var.linux_vm_id", "v2", "  order = 3\n")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("version_id"), knownvalue.StringRegexp(regexp.MustCompile(`/versions/2\.0\.0$`))),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("order"), knownvalue.Int32Exact(3)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_status"), knownvalue.StringExact("Succeeded")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_message"), knownvalue.StringExact("Update SUCCESS")),
				},
				Check: checkTargetAppCount(t, vm, 1),
			},
		},
	})
}

func TestAccVMApplicationAssignment_vmssUniform(t *testing.T) {
	testAccScaleSet(t, "TF_VAR_uniform_vmss_id", "var.uniform_vmss_id", "", "instance 0: Install SUCCESS; instance 1: Install SUCCESS")
}

// The instances of a Flexible scale set are VMs, named by VM name; they do not report whether
// they run the latest model, so they are rolled only when asked.
func TestAccVMApplicationAssignment_vmssFlexible(t *testing.T) {
	testAccScaleSet(t, "TF_VAR_flexible_vmss_id", "var.flexible_vmss_id", "  upgrade_instances = \"all\"\n",
		"instance vmss-flexible_0: Install SUCCESS; instance vmss-flexible_1: Install SUCCESS")
}

// testAccScaleSet assigns a version to a scale set (Manual upgrade policy: the instances are
// updated), updates it in place, and removes it again (the last application: an explicit empty
// list, which the scale set must accept without keeping the application).
// scaleSetImportSteps imports the scale-set assignment: with the import-block plan check when the
// configuration leaves the provider-side setting upgrade_instances at its default (an import
// cannot know a value only the configuration holds).
func scaleSetImportSteps(extra string) []resource.TestStep {
	if extra == "" {
		return acctest.ImportSteps(resourceName, "timeouts")
	}
	return acctest.ImportSteps(resourceName, "timeouts", "upgrade_instances")[:1]
}

func testAccScaleSet(t *testing.T, env, expr, extra, wantMessage string) {
	gallery := acctest.RandomName("accasg")
	ss := acctest.Env(env)
	both := []string{"var.location", "var.secondary_location"}
	cfg := func(v string) string {
		return testConfig(gallery, application("app", "Linux"),
			version{label: "v1", app: "app", regions: both}.hcl(),
			version{label: "v2", app: "app", name: "2.0.0", regions: both}.hcl(),
			assignment("test", expr, v, extra))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, ss, 0),
		Steps: append([]resource.TestStep{
			{
				Config: cfg("v1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_status"), knownvalue.StringExact("Succeeded")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_message"), knownvalue.StringExact(wantMessage)),
				},
				Check: checkTargetAppCount(t, ss, 1),
			},
			{
				Config: cfg("v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("install_status"), knownvalue.StringExact("Succeeded")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("version_id"), knownvalue.StringRegexp(regexp.MustCompile(`/versions/2\.0\.0$`))),
				},
			},
		}, scaleSetImportSteps(extra)...),
	})
}

func TestAccVMApplicationAssignment_requiresImport(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	first := assignment("test", "var.linux_vm_id", "v1", "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, acctest.Env("TF_VAR_linux_vm_id"), 0),
		Steps: []resource.TestStep{
			{Config: linuxApp(gallery, first)},
			{
				Config:      linuxApp(gallery, first, assignment("import", "var.linux_vm_id", "v1", "")),
				ExpectError: regexp.MustCompile(`(?s)already exists.*terraform import azvmapps_vm_application_assignment`),
			},
		},
	})
}

func TestAccVMApplicationAssignment_disappears(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{
				Config:             linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "")),
				Check:              removeAppsOutOfBand(t, vm),
				ExpectNonEmptyPlan: true,
			},
			{
				// The application was removed behind Terraform's back: the next plan adds it again.
				Config: linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
				}},
				Check: checkTargetAppCount(t, vm, 1),
			},
		},
	})
}

func TestAccVMApplicationAssignment_parallel(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	var blocks []string
	for _, n := range []string{"a", "b", "c"} {
		blocks = append(blocks, application(n, "Linux"), version{label: n, app: n}.hcl(),
			assignment(n, "var.linux_vm_id", n, ""))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{
				// Three assignments to one VM in one apply: none of them may overwrite another.
				Config: testConfig(gallery, blocks...),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTargetAppCount(t, vm, 3),
					resource.TestCheckResourceAttr("azvmapps_vm_application_assignment.a", "install_status", "Succeeded"),
					resource.TestCheckResourceAttr("azvmapps_vm_application_assignment.b", "install_status", "Succeeded"),
					resource.TestCheckResourceAttr("azvmapps_vm_application_assignment.c", "install_status", "Succeeded"),
				),
			},
		},
	})
}

func TestAccVMApplicationAssignment_preservesExtensions(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	const ext = "monitoring"
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			addExtension(t, vm, ext)
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{
				Config: linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "")),
				Check:  resource.ComposeAggregateTestCheckFunc(checkTargetAppCount(t, vm, 1), checkExtension(t, vm, ext)),
			},
			{
				// Unassigned again: the extension is still there.
				Config: linuxApp(gallery),
				Check:  resource.ComposeAggregateTestCheckFunc(checkTargetAppCount(t, vm, 0), checkExtension(t, vm, ext)),
			},
		},
	})
}

func TestAccVMApplicationAssignment_failedInstall(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	cfg := func(extra string) string {
		return testConfig(gallery, application("app", "Linux"),
			version{label: "bad", app: "app", install: "var.failing_install_script"}.hcl(),
			assignment("test", "var.linux_vm_id", "bad", extra))
	}
	var writes int
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{
				Config:      cfg(""),
				ExpectError: regexp.MustCompile(`(?s)failed\s+to\s+install.*Install\s+FAILED\s+Error\s+executing\s+command.*exit\s+status=1`),
			},
			{
				// The failed assignment is tainted; with reinstall_on_failure the replacement retries once
				// (remove, then add back) before failing.
				PreConfig:   func() { writes = targetWrites(t, vm) },
				Config:      cfg("  reinstall_on_failure = true\n"),
				ExpectError: regexp.MustCompile(`(?s)Install FAILED.*retried\s+once\s+\(reinstall_on_failure:\s+removed\s+the\s+application,\s+then\s+added\s+it\s+back\)`),
			},
			{
				PreConfig: func() {
					// Replace = remove + add, then the retry's remove + add.
					if got := targetWrites(t, vm) - writes; got != 4 {
						t.Errorf("the reinstall step wrote %d times to the VM, want 4 (replace: remove, add; retry: remove, add)", got)
					}
				},
				Config:             cfg("  wait_for_install = false\n"),
				ExpectNonEmptyPlan: true,
				PlanOnly:           true,
			},
		},
	})
}

// testAccPlanFails runs a configuration whose versions exist first, then adds an assignment
// that the plan must reject without writing to the target.
func testAccPlanFails(t *testing.T, targetEnv string, setup []string, assign string, want *regexp.Regexp) {
	gallery := acctest.RandomName("accasg")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testConfig(gallery, setup...)},
			{
				Config:      testConfig(gallery, append(setup, assign)...),
				PlanOnly:    true,
				ExpectError: want,
			},
		},
	})
	checkNoTargetWrites(t, acctest.Env(targetEnv))
}

func TestAccVMApplicationAssignment_notReplicatedToRegion(t *testing.T) {
	testAccPlanFails(t, "TF_VAR_linux_vm_id",
		[]string{application("app", "Linux"), version{label: "v1", app: "app", location: "var.secondary_location", regions: []string{"var.secondary_location"}}.hcl()},
		assignment("test", "var.linux_vm_id", "v1", ""),
		regexp.MustCompile(`(?s)not replicated to the target's region.*(West Europe|westeurope).*is in (East US 2|eastus2).*target_region for "eastus2"`))
}

func TestAccVMApplicationAssignment_osMismatch(t *testing.T) {
	testAccPlanFails(t, "TF_VAR_linux_vm_id",
		[]string{application("app", "Windows"), version{label: "v1", app: "app"}.hcl()},
		assignment("test", "var.linux_vm_id", "v1", ""),
		regexp.MustCompile(`(?s)OS type does not match.*supports Windows.*runs Linux`))
}

func TestAccVMApplicationAssignment_agentless(t *testing.T) {
	testAccPlanFails(t, "TF_VAR_agentless_vm_id",
		[]string{application("app", "Linux"), version{label: "v1", app: "app"}.hcl()},
		assignment("test", "var.agentless_vm_id", "v1", ""),
		regexp.MustCompile(`(?s)no VM agent.*provisionVMAgent = false`))
}

func TestAccVMApplicationAssignment_secondVersionOfApplication(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	setup := []string{application("app", "Linux"), version{label: "v1", app: "app"}.hcl(), version{label: "v2", app: "app", name: "2.0.0"}.hcl(),
		assignment("test", "var.linux_vm_id", "v1", "")}
	var writes int
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{Config: testConfig(gallery, setup...), Check: func(_ *terraform.State) error { writes = targetWrites(t, vm); return nil }},
			{
				Config:   testConfig(gallery, append(setup, assignment("second", "var.linux_vm_id", "v2", ""))...),
				PlanOnly: true,
				// Which of the two is reported depends on whether the existing assignment was planned
				// first (then two versions are planned for the target) or not yet (then Azure has one).
				ExpectError: regexp.MustCompile(`(?s)(Another version of this application is already assigned.*Version 1\.0\.0 of application app|` +
					`Two versions of one application assigned to the same target.*version\s+[12]\.0\.0\s+and\s+version\s+[12]\.0\.0\s+of\s+application\s+app)`),
			},
			{
				PreConfig: func() { checkWritesSince(t, vm, writes) },
				Config:    testConfig(gallery, setup...),
			},
		},
	})
}

func TestAccVMApplicationAssignment_tooManyApplications(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	var setup []string
	for i := 1; i <= 6; i++ {
		n := fmt.Sprintf("app%d", i)
		setup = append(setup, application(n, "Linux"), version{label: n, app: n}.hcl())
		if i <= 5 {
			setup = append(setup, assignment(n, "var.linux_vm_id", n, ""))
		}
	}
	var writes int
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkTargetAppCount(t, vm, 0),
		Steps: []resource.TestStep{
			{Config: testConfig(gallery, setup...), Check: func(_ *terraform.State) error { writes = targetWrites(t, vm); return nil }},
			{
				Config:      testConfig(gallery, append(setup, assignment("app6", "var.linux_vm_id", "app6", ""))...),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Too many applications on the target.*would\s+have\s+6\s+applications:\s+5\s+already\s+on\s+it\s+and\s+kept.*1\s+added.*over\s+the\s+limit\s+of\s+5.*max_applications_per_vm`),
			},
			{
				PreConfig: func() { checkWritesSince(t, vm, writes) },
				Config:    testConfig(gallery, setup...),
			},
		},
	})
}

// checkWritesSince fails the test when the target was written to after the count was taken.
func checkWritesSince(t *testing.T, targetID string, before int) {
	if got := targetWrites(t, targetID); got != before {
		t.Errorf("the failing plan wrote to %s (%d writes, %d before)", targetID, got, before)
	}
}
