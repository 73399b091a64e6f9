package assignment_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

const resourceName = "azvmapps_vm_application_assignment.test"

// testConfig is a gallery plus the given blocks (applications, versions, assignments).
func testConfig(gallery string, blocks ...string) string {
	return fmt.Sprintf(`
variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "secondary_location" { type = string }
variable "linux_vm_id" { type = string }
variable "windows_vm_id" { type = string }
variable "agentless_vm_id" { type = string }
variable "uniform_vmss_id" { type = string }
variable "flexible_vmss_id" { type = string }
variable "failing_install_script" { type = string }
variable "page_blob_url" {
  type      = string
  sensitive = true
}

resource "azvmapps_gallery" "test" {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = var.location
}
%s`, gallery, strings.Join(blocks, "\n"))
}

// application is an azvmapps_application block named label (application name label too).
func application(label, os string) string {
	return fmt.Sprintf(`
resource "azvmapps_application" %[1]q {
  name              = %[1]q
  gallery_id        = azvmapps_gallery.test.id
  location          = var.location
  supported_os_type = %[2]q
}
`, label, os)
}

// version describes an azvmapps_application_version block.
type version struct {
	label    string // resource label
	app      string // application resource label
	name     string // "1.0.0" by default
	location string // HCL expression, var.location by default
	install  string // HCL expression, "echo install" by default
	update   string // literal update script, none by default
	regions  []string
}

func (v version) hcl() string {
	def := func(s, d string) string {
		if s == "" {
			return d
		}
		return s
	}
	update := ""
	if v.update != "" {
		update = fmt.Sprintf("\n    update  = %q", v.update)
	}
	regions := v.regions
	if len(regions) == 0 {
		regions = []string{"var.location"}
	}
	var tr strings.Builder
	for _, r := range regions {
		fmt.Fprintf(&tr, "  target_region {\n    name = %s\n  }\n", r)
	}
	return fmt.Sprintf(`
resource "azvmapps_application_version" %q {
  name           = %q
  application_id = azvmapps_application.%s.id
  location       = %s

  source {
    media_link = var.page_blob_url
  }

  manage_actions {
    install = %s
    remove  = "echo remove"%s
  }
%s}
`, v.label, def(v.name, "1.0.0"), v.app, def(v.location, "var.location"), def(v.install, `"echo install"`), update, tr.String())
}

// assignment is an azvmapps_vm_application_assignment block.
func assignment(label, targetExpr, versionLabel, extra string) string {
	return fmt.Sprintf(`
resource "azvmapps_vm_application_assignment" %q {
  target_id  = %s
  version_id = azvmapps_application_version.%s.id
%s}
`, label, targetExpr, versionLabel, extra)
}

// compute returns the shared test client factory, for changes made behind Terraform's back
// and for checking what Terraform did.
func compute(t *testing.T) *armcompute.ClientFactory {
	t.Helper()
	return acctest.ComputeClients(t)
}

func testCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*time.Minute)
}

var pollOpts = acctest.PollOptions

// targetApps reads the packageReferenceIds on a VM or scale set.
func targetApps(t *testing.T, targetID string) ([]string, error) {
	id, err := arm.ParseResourceID(targetID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := testCtx()
	defer cancel()
	var apps []*armcompute.VMGalleryApplication
	compute := func(t *testing.T) *armcompute.ClientFactory { return acctest.ComputeClientsFor(t, id.SubscriptionID) }
	if strings.EqualFold(id.ResourceType.Type, "virtualMachineScaleSets") {
		ss, err := compute(t).NewVirtualMachineScaleSetsClient().Get(ctx, id.ResourceGroupName, id.Name, nil)
		if err != nil {
			return nil, err
		}
		if p := ss.Properties.VirtualMachineProfile.ApplicationProfile; p != nil {
			apps = p.GalleryApplications
		}
	} else {
		vm, err := compute(t).NewVirtualMachinesClient().Get(ctx, id.ResourceGroupName, id.Name, nil)
		if err != nil {
			return nil, err
		}
		if p := vm.Properties.ApplicationProfile; p != nil {
			apps = p.GalleryApplications
		}
	}
	out := make([]string, 0, len(apps))
	for _, a := range apps {
		out = append(out, *a.PackageReferenceID)
	}
	return out, nil
}

// checkTargetAppCount checks how many applications a target has.
func checkTargetAppCount(t *testing.T, targetID string, want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		apps, err := targetApps(t, targetID)
		if err != nil {
			return err
		}
		if len(apps) != want {
			return fmt.Errorf("%s has %d applications, want %d: %v", targetID, len(apps), want, apps)
		}
		return nil
	}
}

// removeAppsOutOfBand empties the VM's application profile behind Terraform's back.
func removeAppsOutOfBand(t *testing.T, vmID string) func(*terraform.State) error {
	return func(*terraform.State) error {
		id, err := arm.ParseResourceID(vmID)
		if err != nil {
			return err
		}
		ctx, cancel := testCtx()
		defer cancel()
		p, err := compute(t).NewVirtualMachinesClient().BeginUpdate(ctx, id.ResourceGroupName, id.Name, armcompute.VirtualMachineUpdate{
			Properties: &armcompute.VirtualMachineProperties{ApplicationProfile: &armcompute.ApplicationProfile{GalleryApplications: []*armcompute.VMGalleryApplication{}}},
		}, nil)
		if err != nil {
			return err
		}
		_, err = p.PollUntilDone(ctx, pollOpts)
		return err
	}
}

// addExtension installs a VM extension through the SDK and removes it when the test ends.
func addExtension(t *testing.T, vmID, name string) {
	t.Helper()
	id, err := arm.ParseResourceID(vmID)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := testCtx()
	defer cancel()
	client := compute(t).NewVirtualMachineExtensionsClient()
	p, err := client.BeginCreateOrUpdate(ctx, id.ResourceGroupName, id.Name, name, armcompute.VirtualMachineExtension{
		Location: to.Ptr(acctest.Env("TF_VAR_location")),
		Properties: &armcompute.VirtualMachineExtensionProperties{Publisher: to.Ptr("Microsoft.Azure.Monitor"),
			Type: to.Ptr("AzureMonitorLinuxAgent"), TypeHandlerVersion: to.Ptr("1.0")},
	}, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, pollOpts)
	}
	if err != nil {
		t.Fatalf("adding extension %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := testCtx()
		defer cancel()
		if p, err := client.BeginDelete(ctx, id.ResourceGroupName, id.Name, name, nil); err == nil {
			_, _ = p.PollUntilDone(ctx, pollOpts)
		}
	})
}

// checkExtension checks that the VM still has the extension.
func checkExtension(t *testing.T, vmID, name string) func(*terraform.State) error {
	return func(*terraform.State) error {
		id, err := arm.ParseResourceID(vmID)
		if err != nil {
			return err
		}
		ctx, cancel := testCtx()
		defer cancel()
		if _, err := compute(t).NewVirtualMachineExtensionsClient().Get(ctx, id.ResourceGroupName, id.Name, name, nil); err != nil {
			return fmt.Errorf("extension %s of %s is gone: %w", name, vmID, err)
		}
		return nil
	}
}

// targetWrites counts the ARM writes to a target since the test started.
func targetWrites(t *testing.T, targetID string) int {
	return len(acctest.WriteRequestsMatching(t, targetID[strings.LastIndex(targetID, "/"):]))
}

// checkNoTargetWrites fails the test when the target was written to since the test started.
func checkNoTargetWrites(t *testing.T, targetID string) {
	t.Helper()
	for _, r := range acctest.WriteRequestsMatching(t, targetID[strings.LastIndex(targetID, "/"):]) {
		t.Errorf("unexpected ARM write to the target during a failing plan: %s %s", r.Method, r.Path)
	}
}
