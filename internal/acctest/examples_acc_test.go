package acctest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// terraformCLI runs the Terraform CLI in dir against a provider binary in providerDir, the way
// scripts/demo.sh does (dev_overrides, no registry), with state and data in a temporary folder.
// The CLI is TF_ACC_TERRAFORM_PATH: Terraform or OpenTofu, which looks azvmapps/azvmapps up on
// registry.opentofu.org, hence an override for each registry.
// The examples use modules, which terraform-plugin-testing's state handling does not support,
// so this test drives the CLI itself.
type terraformCLI struct {
	t    *testing.T
	bin  string
	dir  string
	env  []string
	work string
}

func newTerraformCLI(t *testing.T, dir string) *terraformCLI {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		t.Skip("needs TF_ACC_TERRAFORM_PATH (eval \"$(tools/install-tools.sh --env)\")")
	}
	work := t.TempDir()
	providerDir := filepath.Join(work, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(providerDir, "terraform-provider-azvmapps"), ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/azvmapps/azvmapps" = %[1]q
    "registry.opentofu.org/azvmapps/azvmapps" = %[1]q
  }
  direct {}
}
`, providerDir)), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_DATA_DIR="+filepath.Join(work, "data"),
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return &terraformCLI{t: t, bin: bin, dir: dir, env: env, work: work}
}

// run runs a Terraform command (the state file is added to the commands that take one) and
// returns its standard output; it fails the test on a non-zero exit unless allowed.
func (c *terraformCLI) run(args []string, allowExit ...int) (string, int) {
	c.t.Helper()
	switch args[0] {
	case "apply", "plan", "destroy", "output":
		args = append([]string{args[0], "-state=" + filepath.Join(c.work, "terraform.tfstate")}, args[1:]...)
	}
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	cmd.Env = c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if err != nil && !slices.Contains(allowExit, code) {
		c.t.Fatalf("terraform %s: %v\n%s\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), code
}

// TestAccExamples_fleet applies examples/fleet (two applications published with the
// examples/modules/vm-application module onto a VM and both kinds of scale set) on the
// emulator, checks the module's outputs, rolls one application to a new version, proves the
// roll creates the new version before destroying the old one while the assignments update in
// place, and destroys everything.
func TestAccExamples_fleet(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	acctest.PreCheck(t)
	for _, k := range []string{"TF_VAR_secondary_location", "TF_VAR_page_blob_url", "TF_VAR_linux_vm_id", "TF_VAR_uniform_vmss_id", "TF_VAR_flexible_vmss_id"} {
		if acctest.Env(k) == "" {
			t.Skipf("needs %s", k)
		}
	}
	fleet, err := filepath.Abs("../../examples/fleet")
	if err != nil {
		t.Fatal(err)
	}
	tf := newTerraformCLI(t, fleet)
	gallery := "-var=gallery_name=" + acctest.RandomName("fleet")
	tf.run([]string{"get", "-no-color"})
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			tf.run([]string{"destroy", "-auto-approve", "-input=false", "-no-color", gallery})
		}
	})

	tf.run([]string{"apply", "-auto-approve", "-input=false", "-no-color", gallery})
	checkFleetOutputs(t, tf)

	plan := filepath.Join(tf.work, "roll.tfplan")
	tf.run([]string{"plan", "-input=false", "-no-color", gallery, "-var=agent_version=1.1.0", "-out=" + plan})
	show, _ := tf.run([]string{"show", "-json", plan})
	actions := planActions(t, show)
	want := map[string]string{
		"module.agent.azvmapps_application_version.this":                        "create,delete",
		`module.agent.azvmapps_vm_application_assignment.this["vm"]`:            "update",
		`module.agent.azvmapps_vm_application_assignment.this["uniform_vmss"]`:  "update",
		`module.agent.azvmapps_vm_application_assignment.this["flexible_vmss"]`: "update",
		"module.shipper.azvmapps_application_version.this":                      "",
		`module.shipper.azvmapps_vm_application_assignment.this["vm"]`:          "",
	}
	for addr, w := range want {
		if got := actions[addr]; got != w {
			t.Errorf("rolling the agent to 1.1.0: %s plans %q, want %q (create,delete = create before destroy)", addr, got, w)
		}
	}
	tf.run([]string{"apply", "-input=false", "-no-color", plan})
	checkFleetOutputs(t, tf)

	if out, code := tf.run([]string{"plan", "-input=false", "-no-color", "-detailed-exitcode", gallery, "-var=agent_version=1.1.0"}, 2); code != 0 {
		t.Errorf("the plan after the roll is not empty:\n%s", out)
	}
	tf.run([]string{"destroy", "-auto-approve", "-input=false", "-no-color", gallery, "-var=agent_version=1.1.0"})
	destroyed = true
}

// planActions maps each changing resource address of a JSON plan to its actions ("create,delete").
func planActions(t *testing.T, planJSON string) map[string]string {
	t.Helper()
	var p struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON), &p); err != nil {
		t.Fatalf("reading the plan: %v", err)
	}
	out := map[string]string{}
	for _, rc := range p.ResourceChanges {
		if a := strings.Join(rc.Change.Actions, ","); a != "no-op" && a != "read" {
			out[rc.Address] = a
		}
	}
	return out
}

// checkFleetOutputs checks that both applications replicated and installed on every target.
func checkFleetOutputs(t *testing.T, tf *terraformCLI) {
	t.Helper()
	out, _ := tf.run([]string{"output", "-json"})
	var o struct {
		Replication struct {
			Value map[string]string `json:"value"`
		} `json:"replication"`
		InstallStatus struct {
			Value map[string]map[string]struct {
				Status  string `json:"status"`
				Message string `json:"message"`
			} `json:"value"`
		} `json:"install_status"`
	}
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("reading the outputs: %v\n%s", err, out)
	}
	for _, app := range []string{"agent", "shipper"} {
		if got := o.Replication.Value[app]; got != "Completed" {
			t.Errorf("replication of %s is %q, want Completed", app, got)
		}
		for _, target := range []string{"vm", "uniform_vmss", "flexible_vmss"} {
			if s := o.InstallStatus.Value[app][target]; s.Status != "Succeeded" {
				t.Errorf("install of %s on %s is %q (%s), want Succeeded", app, target, s.Status, s.Message)
			}
		}
	}
}
