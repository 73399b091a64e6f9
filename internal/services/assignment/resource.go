// Package assignment implements the azvmapps_vm_application_assignment resource and the
// azvmapps_vm_applications data source: assigning application versions to VMs and VM scale
// sets through their application profiles, without losing other assignments or extensions.
package assignment

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
)

var (
	_ resource.ResourceWithConfigure   = (*VMApplicationAssignmentResource)(nil)
	_ resource.ResourceWithImportState = (*VMApplicationAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*VMApplicationAssignmentResource)(nil)
)

const typeName = "azvmapps_vm_application_assignment"

// NewVMApplicationAssignmentResource is the constructor the provider registers.
func NewVMApplicationAssignmentResource() resource.Resource {
	return &VMApplicationAssignmentResource{}
}

// VMApplicationAssignmentResource assigns one application version to one VM or scale set.
type VMApplicationAssignmentResource struct {
	client *clients.Client
}

// Metadata names the resource.
func (r *VMApplicationAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vm_application_assignment"
}

// Schema describes the resource.
func (r *VMApplicationAssignmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// Configure receives the provider's client.
func (r *VMApplicationAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Create adds the application to the target's profile and waits for its install.
func (r *VMApplicationAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan VMApplicationAssignmentResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Create, framework.DefaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	// What was unknown at plan time is checked now, before anything is written.
	tid, appID := r.check(ctx, &plan, checkOptions{mode: modeCreate}, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	entry := expandEntry(&plan)
	s := targets{r.client}
	resp.Diagnostics.Append(s.modify(ctx, tid, func(t *target) ([]*armcompute.VMGalleryApplication, diag.Diagnostics) {
		d := checkTargetApps(t, appID, plan.VersionID.ValueString(), modeCreate, r.client.Limits.MaxApplicationsPerVM)
		return withApp(t.apps(), entry), d
	})...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(formatID(plan.TargetID.ValueString(), appID))
	plan.ApplicationID = customtypes.NewARMID(appID)
	r.settle(ctx, &plan, tid, appID, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read refreshes the assignment from the target's profile; a target or an entry that no
// longer exists leaves the state.
func (r *VMApplicationAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state VMApplicationAssignmentResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Read, framework.DefaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	aid, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid assignment ID", err.Error())
		return
	}
	tid, appID := aid.Target, aid.ApplicationID
	s := targets{r.client}
	t, err := s.get(ctx, tid)
	if azure.IsNotFound(err) {
		tflog.Info(ctx, "assignment target no longer exists, removing the assignment from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error reading the assignment target", azure.Describe("reading", tid.String(), err))
		return
	}
	i := findApp(t.apps(), appID)
	if i < 0 {
		tflog.Info(ctx, "application no longer in the target's profile, removing the assignment from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	flattenEntry(t.apps()[i], &state)
	if !azure.IDsEqual(state.TargetID.ValueString(), aid.TargetID) {
		state.TargetID = customtypes.NewARMID(aid.TargetID)
	}
	if !azure.IDsEqual(state.ApplicationID.ValueString(), appID) {
		state.ApplicationID = customtypes.NewARMID(appID)
	}
	// After an import the provider-side settings are null: give them their defaults.
	if state.WaitForInstall.IsNull() {
		state.WaitForInstall = types.BoolValue(true)
	}
	if state.ReinstallOnFailure.IsNull() {
		state.ReinstallOnFailure = types.BoolValue(false)
	}
	st, msg, err := s.status(ctx, tid, nameOf(appID), nameOf(state.VersionID.ValueString()))
	if err != nil {
		resp.Diagnostics.AddError("Error reading the install status", azure.Describe("reading the instance view of", tid.String(), err))
		return
	}
	state.InstallStatus, state.InstallMessage = types.StringValue(st), types.StringValue(msg)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update changes the application's entry in place: a new version of the same application (the
// service runs its update script), order, configuration, tags and flags.
func (r *VMApplicationAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state VMApplicationAssignmentResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Update, framework.DefaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	aid, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid assignment ID", err.Error())
		return
	}
	tid, appID := aid.Target, aid.ApplicationID
	if entryChanged(&plan, &state) {
		if !plan.VersionID.Equal(state.VersionID) {
			r.check(ctx, &plan, checkOptions{mode: modeUpdate}, &resp.Diagnostics)
			if resp.Diagnostics.HasError() {
				return
			}
		}
		entry := expandEntry(&plan)
		resp.Diagnostics.Append(targets{r.client}.modify(ctx, tid, func(t *target) ([]*armcompute.VMGalleryApplication, diag.Diagnostics) {
			return withApp(t.apps(), entry), checkTargetApps(t, appID, plan.VersionID.ValueString(), modeUpdate, r.client.Limits.MaxApplicationsPerVM)
		})...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	plan.ID, plan.ApplicationID = state.ID, state.ApplicationID
	r.settle(ctx, &plan, tid, appID, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete removes the application from the target's profile, keeping everything else.
func (r *VMApplicationAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state VMApplicationAssignmentResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Delete, framework.DefaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	aid, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid assignment ID", err.Error())
		return
	}
	s := targets{r.client}
	if _, err := s.get(ctx, aid.Target); azure.IsNotFound(err) {
		return
	}
	resp.Diagnostics.Append(s.modify(ctx, aid.Target, removeApp(aid.ApplicationID))...)
}

// ImportState imports an assignment by its ID, <target_id>|<application_id>.
func (r *VMApplicationAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	aid, err := parseID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("target_id"), customtypes.NewARMID(aid.TargetID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("application_id"), customtypes.NewARMID(aid.ApplicationID))...)
}

// ModifyPlan derives the computed IDs and runs the plan-time checks: it reads the target, the
// version and the application, and writes nothing.
func (r *VMApplicationAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan VMApplicationAssignmentResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.TargetID.IsUnknown() || plan.VersionID.IsUnknown() {
		return
	}
	appID, err := applicationIDOfVersion(plan.VersionID.ValueString())
	if err != nil {
		return // the attribute validator reports it
	}
	if plan.ApplicationID.IsUnknown() {
		plan.ApplicationID = customtypes.NewARMID(appID)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("application_id"), plan.ApplicationID)...)
	}
	if plan.ID.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), formatID(plan.TargetID.ValueString(), appID))...)
	}
	mode, replaced := modePlanCreate, ""
	if !req.State.Raw.IsNull() {
		var state VMApplicationAssignmentResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		sameTarget := azure.IDsEqual(plan.TargetID.ValueString(), state.TargetID.ValueString())
		if resp.Diagnostics.HasError() || sameTarget && plan.VersionID.Equal(state.VersionID) {
			return // nothing new to check: the assignment is already there
		}
		switch {
		case sameTarget && azure.IDsEqual(appID, state.ApplicationID.ValueString()):
			mode = modeUpdate // another version of the same application, in place
		case sameTarget:
			replaced = state.ApplicationID.ValueString() // replaced by another application: removed first
		}
	}
	if r.client == nil {
		return
	}
	r.check(ctx, &plan, checkOptions{mode: mode, planning: true, replaced: replaced}, &resp.Diagnostics)
}

// check reads what the plan-time checks need and runs them; it returns the parsed target and
// application IDs. Apply runs it again, before any write, for inputs unknown at plan time.
func (r *VMApplicationAssignmentResource) check(ctx context.Context, m *VMApplicationAssignmentResourceModel, o checkOptions, diags *diag.Diagnostics) (*arm.ResourceID, string) {
	tid, err := parseTargetID(m.TargetID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("target_id"), "Invalid target ID", err.Error())
		return nil, ""
	}
	appID, err := applicationIDOfVersion(m.VersionID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("version_id"), "Invalid application version ID", err.Error())
		return nil, ""
	}
	in, d := loadCheckInputs(ctx, targets{r.client}, tid, m.VersionID.ValueString())
	diags.Append(d...)
	if diags.HasError() {
		return nil, ""
	}
	if o.replaced != "" {
		in.target.setApps(withoutApp(in.target.apps(), o.replaced))
	}
	diags.Append(checkTargetApps(in.target, appID, m.VersionID.ValueString(), o.mode, r.client.Limits.MaxApplicationsPerVM)...)
	diags.Append(checkVersionFits(in, m.VersionID.ValueString())...)
	if o.planning {
		diags.Append(checkRebootOrder(in, appID, m.Order)...)
	}
	return tid, appID
}

// settle records the install status after a write: with wait_for_install it waits for the
// result and fails on a failed install, after one remove-and-add-back retry when
// reinstall_on_failure is set.
func (r *VMApplicationAssignmentResource) settle(ctx context.Context, m *VMApplicationAssignmentResourceModel, tid *arm.ResourceID, appID string, diags *diag.Diagnostics) {
	s := targets{r.client}
	name, version := nameOf(appID), nameOf(m.VersionID.ValueString())
	m.InstallStatus, m.InstallMessage = types.StringValue(StatusPending), types.StringValue("")
	if !m.WaitForInstall.ValueBool() {
		st, msg, err := s.status(ctx, tid, name, version)
		if err != nil {
			diags.AddWarning("Could not read the install status", azure.Describe("reading the instance view of", tid.String(), err))
			return
		}
		m.InstallStatus, m.InstallMessage = types.StringValue(st), types.StringValue(msg)
		return
	}
	st, msg, err := s.waitForInstall(ctx, tid, name, version)
	if err != nil {
		diags.AddError("Error waiting for the VM application install", err.Error())
		return
	}
	retried := ""
	if st == StatusFailed && m.ReinstallOnFailure.ValueBool() {
		tflog.Warn(ctx, "VM application install failed, reinstalling once (remove, then add back)", map[string]any{"target": tid.String(), "application": name, "message": msg})
		retried = fmt.Sprintf("\n\nThe provider retried once (reinstall_on_failure: removed the application, then added it back); the first attempt reported: %s", msg)
		entry := expandEntry(m)
		diags.Append(s.modify(ctx, tid, removeApp(appID))...)
		diags.Append(s.modify(ctx, tid, func(t *target) ([]*armcompute.VMGalleryApplication, diag.Diagnostics) {
			return withApp(t.apps(), entry), nil
		})...)
		if diags.HasError() {
			return
		}
		if st, msg, err = s.waitForInstall(ctx, tid, name, version); err != nil {
			diags.AddError("Error waiting for the VM application install", err.Error())
			return
		}
	}
	m.InstallStatus, m.InstallMessage = types.StringValue(st), types.StringValue(msg)
	if st == StatusFailed {
		hint := "The service's only retry is to remove the application and add it back: fix the version's scripts or package " +
			"and apply again (a failed new assignment is tainted, so the next apply removes and adds it)"
		if retried == "" {
			hint += ", or set reinstall_on_failure = true to retry once automatically"
		}
		diags.AddError("VM application install failed",
			fmt.Sprintf("Application %s version %s failed to install on %s: %s%s\n\n%s.", name, version, tid, msg, retried, hint))
	}
}

// removeApp is the change that takes the application off a target (no write when it is not there).
func removeApp(appID string) change {
	return func(t *target) ([]*armcompute.VMGalleryApplication, diag.Diagnostics) {
		if findApp(t.apps(), appID) < 0 {
			return nil, nil
		}
		return withoutApp(t.apps(), appID), nil
	}
}

// checkOptions say how check runs: the mode of the list checks; planning (the advisory
// reboot-order warning is given at plan time only, so it shows once); and replaced, the
// application a replacement on the same target removes first, which the count leaves out.
type checkOptions struct {
	mode     checkMode
	planning bool
	replaced string
}

// entryChanged reports whether the plan changes what is written to the target's profile.
func entryChanged(plan, state *VMApplicationAssignmentResourceModel) bool {
	return !plan.VersionID.Equal(state.VersionID) || !plan.Order.Equal(state.Order) ||
		!plan.ConfigurationReference.Equal(state.ConfigurationReference) || !plan.Tags.Equal(state.Tags) ||
		!plan.TreatFailureAsDeploymentFailure.Equal(state.TreatFailureAsDeploymentFailure) ||
		!plan.EnableAutomaticUpgrade.Equal(state.EnableAutomaticUpgrade)
}
