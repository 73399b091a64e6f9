package assignment

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

// rebootRe matches scripts that restart the machine.
var rebootRe = regexp.MustCompile(`(?i)\breboot\b|shutdown\s+[-/]r\b|\bRestart-Computer\b`)

// scriptReboots reports whether a script restarts the machine.
func scriptReboots(script string) bool { return rebootRe.MatchString(script) }

// checkInputs is what the checks of an assignment read: the target from Azure, and the
// version and its application from this run's plan (objects created or changed in the same
// configuration) or, when the run does not plan them, from Azure.
type checkInputs struct {
	target  *target
	version estate.Version
	app     estate.Application
}

// loadCheckInputs reads the target, the version and its application.
func loadCheckInputs(ctx context.Context, c *clients.Client, targetID ids.Target, versionID string) (*checkInputs, diag.Diagnostics) {
	var diags diag.Diagnostics
	t, err := targets{c}.shared(ctx, targetID)
	if err != nil {
		if azure.IsNotFound(err) {
			diags.AddAttributeError(path.Root("target_id"), "Assignment target not found",
				fmt.Sprintf("The virtual machine or scale set %s does not exist. Check target_id.", targetID))
		} else {
			diags.AddAttributeError(path.Root("target_id"), "Error reading the assignment target", azure.Describe("reading", targetID.String(), err)+
				noAccessHint(targetID.SubscriptionID, err))
		}
		return nil, diags
	}
	v, err := ids.ParseVersion(versionID)
	if err != nil {
		diags.AddAttributeError(path.Root("version_id"), "Invalid application version ID", err.Error())
		return nil, diags
	}
	in := &checkInputs{target: t}
	gallery, application := v.Gallery, v.Application
	f, err := c.ComputeFor(v.SubscriptionID) // the gallery may live in another subscription
	if err != nil {
		diags.AddAttributeError(path.Root("version_id"), "Unable to build the Azure client", err.Error())
		return nil, diags
	}
	if planned, ok := c.Estate.Version(versionID); ok {
		in.version = planned
	} else {
		vr, err := clients.Shared(c.Reads, "version|"+versionID, func() (armcompute.GalleryApplicationVersionsClientGetResponse, error) {
			return f.NewGalleryApplicationVersionsClient().Get(ctx, v.ResourceGroup, gallery, application, v.Name, nil)
		})
		if err != nil {
			detail := azure.Describe("reading", versionID, err)
			if azure.IsNotFound(err) {
				detail += "\n\nThe version neither exists nor is planned by this configuration. If this configuration creates it, " +
					"refer to the resource (version_id = azvmapps_application_version.<name>.id), so that Terraform plans it first."
			}
			diags.AddAttributeError(path.Root("version_id"), "Error reading the application version", detail)
			return nil, diags
		}
		in.version = versionFromAzure(versionID, &vr.GalleryApplicationVersion)
	}
	appID := v.Parent().String()
	if planned, ok := c.Estate.Application(appID); ok {
		in.app = planned
	} else {
		ar, err := clients.Shared(c.Reads, "application|"+appID, func() (armcompute.GalleryApplicationsClientGetResponse, error) {
			return f.NewGalleryApplicationsClient().Get(ctx, v.ResourceGroup, gallery, application, nil)
		})
		if err != nil {
			diags.AddAttributeError(path.Root("version_id"), "Error reading the application", azure.Describe("reading", appID, err))
			return nil, diags
		}
		in.app = estate.Application{ID: appID}
		if p := ar.Properties; p != nil && p.SupportedOSType != nil {
			in.app.OSType = string(*p.SupportedOSType)
		}
	}
	return in, diags
}

// versionFromAzure is what the checks need to know of a version Azure has.
func versionFromAzure(id string, v *armcompute.GalleryApplicationVersion) estate.Version {
	out := estate.Version{ID: id, RegionsKnown: true}
	if p := v.Properties; p != nil && p.PublishingProfile != nil {
		for _, r := range p.PublishingProfile.TargetRegions {
			if r != nil && r.Name != nil {
				out.Regions = append(out.Regions, *r.Name)
			}
		}
		if ma := p.PublishingProfile.ManageActions; ma != nil {
			out.Install, out.Update = deref(ma.Install), deref(ma.Update)
		}
	}
	return out
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

// checkTargetApps checks the application list the target will have once this run is applied
// against adding or changing this application: what Azure has, less the assignments the run
// removes, plus those it adds (planned holds them; at apply, the batch being written). It
// checks one version of an application per target and the limit of applications per VM.
func checkTargetApps(t *target, planned estate.Target, applicationID, versionID string, mode checkMode, limit int64) diag.Diagnostics {
	var diags diag.Diagnostics
	appKey := strings.ToLower(applicationID)
	for _, other := range planned.Adds[appKey] {
		if !azure.IDsEqual(other.VersionID, versionID) {
			diags.AddAttributeError(path.Root("version_id"), "Two versions of one application assigned to the same target",
				fmt.Sprintf("This configuration assigns version %s and version %s of application %s to %s (two %s resources). "+
					"Only one version of an application can be deployed to a VM or scale set: remove one of the assignments, or "+
					"give both the same version_id.", nameOf(versionID), nameOf(other.VersionID), nameOf(applicationID), t.id, typeName))
			return diags
		}
	}
	apps := t.apps()
	if i := findApp(apps, applicationID); i >= 0 && mode != modeUpdate && !planned.Removes[appKey] {
		if d := checkExistingEntry(apps[i], t, applicationID, versionID, mode); d != nil {
			diags.Append(d...)
			return diags
		}
	}
	kept, added := plannedApps(apps, planned, applicationID)
	if total := int64(len(kept) + len(added) + planned.Unknown); total > limit {
		diags.AddAttributeError(path.Root("target_id"), "Too many applications on the target", tooManyDetail(t, kept, added, planned.Unknown, total, limit))
	}
	return diags
}

// checkExistingEntry checks a new assignment against the entry of the same application the
// target already has: the same version is this resource (already exists, or its own tainted
// earlier object at plan time), another version is someone else's assignment.
func checkExistingEntry(existing *armcompute.VMGalleryApplication, t *target, applicationID, versionID string, mode checkMode) diag.Diagnostics {
	var diags diag.Diagnostics
	ref := deref(existing.PackageReferenceID)
	switch {
	case strings.EqualFold(ref, versionID) && mode == modeCreate:
		framework.AddAlreadyExists(&diags, typeName, importID(t.id, applicationID))
		return diags
	case !strings.EqualFold(ref, versionID):
		diags.AddAttributeError(path.Root("version_id"), "Another version of this application is already assigned",
			fmt.Sprintf("Version %s of application %s is already assigned to %s (by another configuration or outside Terraform). "+
				"Only one version of an application can be deployed to a VM or scale set. Either manage that assignment here "+
				"(terraform import %s.<name> %q) and change its version_id, or remove it from the target first. If it is this "+
				"resource's own earlier assignment, tainted after a failed install, run terraform untaint on it: the version change "+
				"then updates it in place.",
				nameOf(ref), nameOf(applicationID), t.id, typeName, importID(t.id, applicationID)))
		return diags
	}
	return nil
}

// importID is the import ID of the assignment of applicationID (an application ID this
// package formatted) to t.
func importID(t ids.Target, applicationID string) string {
	app, err := ids.ParseApplication(applicationID)
	if err != nil {
		return applicationID // not reached: the application IDs here come parsed
	}
	return ids.Assignment{Target: t, Application: app}.String()
}

// plannedApps returns the names of the applications the target keeps (on it now, not removed
// by this run) and of those this run adds, this application included, each once.
func plannedApps(apps []*armcompute.VMGalleryApplication, planned estate.Target, applicationID string) (kept, added []string) {
	seen := map[string]bool{}
	for _, a := range apps {
		id := refApplicationID(a)
		k := strings.ToLower(id)
		if id == "" {
			k = strings.ToLower(deref(a.PackageReferenceID))
		}
		if planned.Removes[k] || seen[k] {
			continue
		}
		seen[k] = true
		kept = append(kept, nameOf(orDefault(id, deref(a.PackageReferenceID))))
	}
	spelling := map[string]string{strings.ToLower(applicationID): applicationID}
	for k, as := range planned.Adds {
		spelling[k] = as[0].ApplicationID
	}
	keys := make([]string, 0, len(spelling))
	for k := range spelling {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		added = append(added, nameOf(spelling[k]))
	}
	return kept, added
}

// tooManyDetail explains an application count over the limit and the ways out.
func tooManyDetail(t *target, kept, added []string, unknown int, total, limit int64) string {
	parts := []string{}
	if len(kept) > 0 {
		parts = append(parts, fmt.Sprintf("%d already on it and kept (%s)", len(kept), strings.Join(kept, ", ")))
	}
	if len(added) > 0 {
		parts = append(parts, fmt.Sprintf("%d added by this configuration's %s resources (%s)", len(added), typeName, strings.Join(added, ", ")))
	}
	if unknown > 0 {
		parts = append(parts, fmt.Sprintf("%d more whose version is not known until apply", unknown))
	}
	return fmt.Sprintf("%s would have %d applications: %s. That is over the limit of %d applications per VM "+
		"(provider service_limits.max_applications_per_vm). Remove assignments from the configuration or from the target, or "+
		"raise max_applications_per_vm if the service allows more for you (current Azure documentation: 25).",
		t.id, total, strings.Join(parts, "; "), limit)
}

// unclaimed reports whether the target has applications whose fate this run has not planned
// yet: neither kept nor changed by a planned assignment, nor removed.
func unclaimed(t *target, planned estate.Target) bool {
	for _, a := range t.apps() {
		k := strings.ToLower(refApplicationID(a))
		if _, added := planned.Adds[k]; !added && !planned.Removes[k] {
			return true
		}
	}
	return false
}

// checkVersionFits checks that the version can be installed on the target: replicated to its
// region, built for its OS, and a provisioned VM agent. Values unknown at plan time (regions,
// OS type) are checked at apply.
func checkVersionFits(in *checkInputs, versionID string) diag.Diagnostics {
	var diags diag.Diagnostics
	t := in.target
	osType, agent := t.osInfo()
	if !agent {
		diags.AddAttributeError(path.Root("target_id"), "The target has no VM agent",
			fmt.Sprintf("%s was created with provisionVMAgent = false. VM applications are installed by the VM agent, "+
				"which must exist and receive goal states. Assign the application to a VM or scale set with the VM agent provisioned.", t.id))
	}
	if in.version.RegionsKnown {
		replicated := false
		for _, r := range in.version.Regions {
			replicated = replicated || azure.LocationsEqual(r, t.location())
		}
		if !replicated {
			diags.AddAttributeError(path.Root("version_id"), "Application version not replicated to the target's region",
				fmt.Sprintf("Version %s is replicated to %s, but %s is in %s. Add a target_region for %q to the application "+
					"version (in the same apply is fine) before assigning it.", versionID, strings.Join(in.version.Regions, ", "),
					t.id, t.location(), azure.NormalizeLocation(t.location())))
		}
	}
	if in.app.OSType != "" && osType != "" && !strings.EqualFold(in.app.OSType, osType) {
		diags.AddAttributeError(path.Root("version_id"), "Application OS type does not match the target",
			fmt.Sprintf("Application %s supports %s, but %s runs %s. Assign a %s application, or choose a %s target.",
				nameOf(in.app.ID), in.app.OSType, t.id, osType, osType, in.app.OSType))
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
// not installed strictly after every other application the target keeps or this run adds.
func checkRebootOrder(in *checkInputs, planned estate.Target, applicationID string, order types.Int32) diag.Diagnostics {
	var diags diag.Diagnostics
	if !scriptReboots(in.version.Install) && !scriptReboots(in.version.Update) {
		return diags
	}
	own := order.ValueInt32Pointer()
	var before []string
	seen := map[string]bool{strings.ToLower(applicationID): true}
	consider := func(appID string, o *int32) {
		k := strings.ToLower(appID)
		if seen[k] || planned.Removes[k] {
			return
		}
		seen[k] = true
		if effectiveOrder(o) >= effectiveOrder(own) {
			before = append(before, nameOf(appID))
		}
	}
	for _, as := range planned.Adds {
		consider(as[0].ApplicationID, as[0].Order)
	}
	for _, a := range in.target.apps() {
		consider(refApplicationID(a), a.Order)
	}
	sort.Strings(before)
	if len(before) > 0 {
		diags.AddAttributeWarning(path.Root("order"), "Application that reboots is not installed last",
			fmt.Sprintf("The scripts of %s restart the machine, but %s is not installed strictly after %s on %s, so their installation "+
				"may be interrupted. Give this assignment an order higher than every other application on the target.",
				nameOf(applicationID), nameOf(applicationID), strings.Join(before, ", "), in.target.id))
	}
	return diags
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// noAccessHint explains a 403 from a subscription: the credential has no role there.
func noAccessHint(subscriptionID string, err error) string {
	if !azure.IsStatus(err, http.StatusForbidden) {
		return ""
	}
	return fmt.Sprintf("\n\nThe provider's credential has no access to subscription %s. Give it a role there that can read and write "+
		"virtual machines and scale sets (for example Virtual Machine Contributor on the target or its resource group), or "+
		"assign the application to a target in a subscription it can reach.", subscriptionID)
}
