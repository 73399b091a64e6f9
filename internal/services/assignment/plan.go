package assignment

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
)

// rebootRe matches scripts that restart the machine.
var rebootRe = regexp.MustCompile(`(?i)\breboot\b|shutdown\s+[-/]r\b|\bRestart-Computer\b`)

// scriptReboots reports whether a script restarts the machine.
func scriptReboots(script string) bool { return rebootRe.MatchString(script) }

// checkInputs is what the plan-time checks of an assignment read from Azure.
type checkInputs struct {
	target  *target
	version *armcompute.GalleryApplicationVersion
	app     *armcompute.GalleryApplication
}

// loadCheckInputs reads the target, the version and its application.
func loadCheckInputs(ctx context.Context, s targets, targetID *arm.ResourceID, versionID string) (*checkInputs, diag.Diagnostics) {
	var diags diag.Diagnostics
	t, err := s.get(ctx, targetID)
	if err != nil {
		if azure.IsNotFound(err) {
			diags.AddAttributeError(path.Root("target_id"), "Assignment target not found",
				fmt.Sprintf("The virtual machine or scale set %s does not exist. Check target_id.", targetID))
		} else {
			diags.AddAttributeError(path.Root("target_id"), "Error reading the assignment target", azure.Describe("reading", targetID.String(), err))
		}
		return nil, diags
	}
	v, err := azure.ParseTypedID(versionID, versionType, versionFormat)
	if err != nil {
		diags.AddAttributeError(path.Root("version_id"), "Invalid application version ID", err.Error())
		return nil, diags
	}
	gallery, application := v.Parent.Parent.Name, v.Parent.Name
	vr, err := s.c.Compute.NewGalleryApplicationVersionsClient().Get(ctx, v.ResourceGroupName, gallery, application, v.Name, nil)
	if err != nil {
		diags.AddAttributeError(path.Root("version_id"), "Error reading the application version", azure.Describe("reading", versionID, err))
		return nil, diags
	}
	ar, err := s.c.Compute.NewGalleryApplicationsClient().Get(ctx, v.ResourceGroupName, gallery, application, nil)
	if err != nil {
		diags.AddAttributeError(path.Root("version_id"), "Error reading the application", azure.Describe("reading", v.Parent.String(), err))
		return nil, diags
	}
	return &checkInputs{target: t, version: &vr.GalleryApplicationVersion, app: &ar.GalleryApplication}, diags
}

// checkMode says what the target's current list means for the assignment being checked.
type checkMode int

const (
	// modeUpdate: the application's entry is this resource's own.
	modeUpdate checkMode = iota
	// modePlanCreate: planning a new assignment. An entry of the application with the same
	// version may still be this resource's own: Terraform plans a tainted resource (after a
	// failed install) as a new one without its prior state, and destroys it before creating.
	modePlanCreate
	// modeCreate: applying a new assignment; any entry of the application is someone else's.
	modeCreate
)

// checkTargetApps checks the target's current application list against adding or changing
// this application: the limit per VM counting what is already there, and one version of an
// application per target. It runs at plan time and again under the target's lock.
func checkTargetApps(t *target, applicationID, versionID string, mode checkMode, limit int64) diag.Diagnostics {
	var diags diag.Diagnostics
	apps := t.apps()
	if i := findApp(apps, applicationID); i >= 0 && mode != modeUpdate {
		existing := deref(apps[i].PackageReferenceID)
		switch {
		case strings.EqualFold(existing, versionID) && mode == modeCreate:
			framework.AddAlreadyExists(&diags, typeName, formatID(t.id.String(), applicationID))
			return diags
		case !strings.EqualFold(existing, versionID):
			diags.AddAttributeError(path.Root("version_id"), "Another version of this application is already assigned",
				fmt.Sprintf("Version %s of application %s is already assigned to %s (by another configuration or outside Terraform). "+
					"Only one version of an application can be deployed to a VM or scale set. Either manage that assignment here "+
					"(terraform import %s.<name> %q) and change its version_id, or remove it from the target first. If it is this "+
					"resource's own earlier assignment, tainted after a failed install, run terraform untaint on it: the version change "+
					"then updates it in place.",
					nameOf(existing), nameOf(applicationID), t.id, typeName, formatID(t.id.String(), applicationID)))
			return diags
		}
	}
	others := withoutApp(apps, applicationID)
	if total := int64(len(others)) + 1; total > limit {
		names := make([]string, 0, len(others))
		for _, a := range others {
			names = append(names, nameOf(refApplicationID(a)))
		}
		diags.AddAttributeError(path.Root("target_id"), "Too many applications on the target",
			fmt.Sprintf("%s already has %d application(s) (%s); assigning %s makes %d, over the limit of %d applications per VM "+
				"(provider service_limits.max_applications_per_vm). Remove an application from the target, or raise "+
				"max_applications_per_vm if the service allows more for you (current Azure documentation: 25).",
				t.id, len(others), strings.Join(names, ", "), nameOf(applicationID), total, limit))
	}
	return diags
}

// checkVersionFits checks that the version can be installed on the target: replicated to its
// region, built for its OS, and a provisioned VM agent.
func checkVersionFits(in *checkInputs, versionID string) diag.Diagnostics {
	var diags diag.Diagnostics
	t := in.target
	osType, agent := t.osInfo()
	if !agent {
		diags.AddAttributeError(path.Root("target_id"), "The target has no VM agent",
			fmt.Sprintf("%s was created with provisionVMAgent = false. VM applications are installed by the VM agent, "+
				"which must exist and receive goal states. Assign the application to a VM or scale set with the VM agent provisioned.", t.id))
	}
	var regions []string
	if p := in.version.Properties; p != nil && p.PublishingProfile != nil {
		for _, r := range p.PublishingProfile.TargetRegions {
			if r != nil && r.Name != nil {
				regions = append(regions, *r.Name)
			}
		}
	}
	replicated := false
	for _, r := range regions {
		replicated = replicated || azure.LocationsEqual(r, t.location())
	}
	if !replicated {
		diags.AddAttributeError(path.Root("version_id"), "Application version not replicated to the target's region",
			fmt.Sprintf("Version %s is replicated to %s, but %s is in %s. Add a target_region for %q to the application "+
				"version and apply it before assigning it.", versionID, strings.Join(regions, ", "), t.id, t.location(), azure.NormalizeLocation(t.location())))
	}
	if in.app.Properties != nil && in.app.Properties.SupportedOSType != nil && osType != "" &&
		!strings.EqualFold(string(*in.app.Properties.SupportedOSType), osType) {
		diags.AddAttributeError(path.Root("version_id"), "Application OS type does not match the target",
			fmt.Sprintf("Application %s supports %s, but %s runs %s. Assign a %s application, or choose a %s target.",
				deref(in.app.Name), *in.app.Properties.SupportedOSType, t.id, osType, osType, *in.app.Properties.SupportedOSType))
	}
	return diags
}

// effectiveOrder is the install position of an order value: unordered applications install last.
func effectiveOrder(o *int32) int64 {
	if o == nil {
		return math.MaxInt32 + 1
	}
	return int64(*o)
}

// checkRebootOrder warns when the version's scripts restart the machine and the application is
// not installed strictly after every other application on the target.
func checkRebootOrder(in *checkInputs, applicationID string, order types.Int32) diag.Diagnostics {
	var diags diag.Diagnostics
	p := in.version.Properties
	if p == nil || p.PublishingProfile == nil || p.PublishingProfile.ManageActions == nil {
		return diags
	}
	ma := p.PublishingProfile.ManageActions
	if !scriptReboots(deref(ma.Install)) && !scriptReboots(deref(ma.Update)) {
		return diags
	}
	own := order.ValueInt32Pointer()
	var before []string
	for _, a := range withoutApp(in.target.apps(), applicationID) {
		if effectiveOrder(a.Order) >= effectiveOrder(own) {
			before = append(before, nameOf(refApplicationID(a)))
		}
	}
	if len(before) > 0 {
		diags.AddAttributeWarning(path.Root("order"), "Application that reboots is not installed last",
			fmt.Sprintf("The scripts of %s restart the machine, but %s is not installed strictly after %s on %s, so their installation "+
				"may be interrupted. Give this assignment an order higher than every other application on the target.",
				nameOf(applicationID), nameOf(applicationID), strings.Join(before, ", "), in.target.id))
	}
	return diags
}
