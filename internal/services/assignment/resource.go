// Package assignment implements the azvmapps_vm_application_assignment resource and the
// azvmapps_vm_applications data source: assigning application versions to VMs and VM scale
// sets through their application profiles, without losing other assignments or extensions.
package assignment

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
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

	// What was unknown at plan time is checked now, before anything is written; the batch
	// then checks this apply's changes to the target together, and writes them at once.
	tid, app := r.checkFits(ctx, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	o := &op{kind: opCreate, appID: app.String(), entry: expandEntry(&plan), rollout: rolloutOf(&plan)}
	if d := batcherFor(r.client).submit(ctx, tid, o); d.HasError() && !r.landed(ctx, o, tid, app.String(), &plan, d, &resp.Diagnostics) {
		resp.Diagnostics.Append(d...)
		return
	}
	plan.ID = types.StringValue(ids.Assignment{Target: tid, Application: app}.String())
	plan.ApplicationID = customtypes.NewARMID(app.String())
	r.settle(ctx, &plan, tid, app.String(), &resp.Diagnostics)
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

	aid, err := ids.ParseAssignment(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid assignment ID", err.Error())
		return
	}
	tid, appID := aid.Target, aid.Application.String()
	s := targets{r.client}
	t, err := s.shared(ctx, tid)
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
	if !azure.IDsEqual(state.TargetID.ValueString(), tid.String()) {
		state.TargetID = customtypes.NewARMID(tid.String())
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
	if state.UpgradeInstances.IsNull() {
		state.UpgradeInstances = types.StringValue(UpgradeAuto)
	}
	per, err := s.sharedStates(ctx, tid)
	if err != nil {
		resp.Diagnostics.AddError("Error reading the install status", azure.Describe("reading the instance view of", tid.String(), err))
		return
	}
	st, msg := statusOf(per, nameOf(appID), nameOf(state.VersionID.ValueString()), state.EnableAutomaticUpgrade.ValueBool())
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

	aid, err := ids.ParseAssignment(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid assignment ID", err.Error())
		return
	}
	tid, appID := aid.Target, aid.Application.String()
	if entryChanged(&plan, &state) {
		if !plan.VersionID.Equal(state.VersionID) {
			r.checkFits(ctx, &plan, &resp.Diagnostics)
			if resp.Diagnostics.HasError() {
				return
			}
		}
		o := &op{kind: opUpdate, appID: appID, entry: expandEntry(&plan), rollout: rolloutOf(&plan)}
		if d := batcherFor(r.client).submit(ctx, tid, o); d.HasError() && !r.landed(ctx, o, tid, appID, &plan, d, &resp.Diagnostics) {
			resp.Diagnostics.Append(d...)
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

	aid, err := ids.ParseAssignment(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid assignment ID", err.Error())
		return
	}
	// Recorded first, so that this apply's other assignments to the target count it as gone.
	r.client.Estate.PlanRemoval(aid.Target.String(), aid.Application.String())
	if _, err := (targets{r.client}).shared(ctx, aid.Target); azure.IsNotFound(err) {
		return
	}
	resp.Diagnostics.Append(batcherFor(r.client).submit(ctx, aid.Target, &op{kind: opRemove, appID: aid.Application.String(), rollout: rolloutOf(&state)})...)
}

// ImportState imports an assignment by its ID, <target_id>|<application_id>.
func (r *VMApplicationAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	aid, err := ids.ParseAssignment(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("target_id"), customtypes.NewARMID(aid.Target.String()))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("application_id"), customtypes.NewARMID(aid.Application.String()))...)
}

// ModifyPlan derives the computed IDs, records the planned assignment in the run's view of
// the planned estate and runs the plan-time checks against what Azure has plus what the run
// plans. It reads the target, and the version and application unless the run plans them; it
// writes nothing.
func (r *VMApplicationAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var view *estate.View
	if r.client != nil {
		view = r.client.Estate
	}
	var state *VMApplicationAssignmentResourceModel
	if !req.State.Raw.IsNull() {
		state = &VMApplicationAssignmentResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if req.Plan.Raw.IsNull() {
		if aid, err := ids.ParseAssignment(state.ID.ValueString()); err == nil {
			view.PlanRemoval(aid.Target.String(), aid.Application.String()) // destroyed: the target loses the application
		}
		return
	}
	var plan VMApplicationAssignmentResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	version, verr := ids.ParseVersion(plan.VersionID.ValueString())
	tid, terr := ids.ParseTarget(plan.TargetID.ValueString())
	appID := version.Parent().String()
	known := !plan.TargetID.IsUnknown() && !plan.VersionID.IsUnknown() && verr == nil && terr == nil
	if known && plan.ApplicationID.IsUnknown() {
		plan.ApplicationID = customtypes.NewARMID(appID)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("application_id"), plan.ApplicationID)...)
	}
	if known && plan.ID.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), ids.Assignment{Target: tid, Application: version.Parent()}.String())...)
	}
	mode := modePlanCreate
	if state != nil {
		sameTarget := !plan.TargetID.IsUnknown() && azure.IDsEqual(plan.TargetID.ValueString(), state.TargetID.ValueString())
		if !known || !sameTarget || !azure.IDsEqual(appID, state.ApplicationID.ValueString()) {
			// Replaced (another target or application): the target loses this application, and
			// Terraform plans the new object in a second call, without prior state.
			view.PlanRemoval(state.TargetID.ValueString(), state.ApplicationID.ValueString())
			return
		}
		mode = modeUpdate // the same application on the same target, in place
		warnIfVersionReplaced(view, &plan, state, &resp.Diagnostics)
		if state.InstallStatus.ValueString() == StatusFailed && plan.VersionID.Equal(state.VersionID) {
			// The install failed (at the last apply, or since: a scale-out instance, a reimage).
			// The service's only retry is to remove the application and add it back: plan that.
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("install_status"), types.StringUnknown())...)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("install_message"), types.StringUnknown())...)
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("install_status"))
			view.PlanRemoval(state.TargetID.ValueString(), state.ApplicationID.ValueString())
			return
		}
	}
	if !known {
		if !plan.TargetID.IsUnknown() && r.client != nil {
			// The application is not known yet, but it takes a place on the target.
			view.PlanAssignment(estate.Assignment{TargetID: plan.TargetID.ValueString(), Key: fmt.Sprintf("unknown-%d", unknownKeys.Add(1))})
		}
		return
	}
	if r.client == nil {
		return
	}
	rec := estate.Assignment{TargetID: plan.TargetID.ValueString(), ApplicationID: appID, VersionID: plan.VersionID.ValueString(),
		Update: mode == modeUpdate, Order: plan.Order.ValueInt32Pointer()}
	planned := view.PlanAssignment(rec)
	if state != nil && !entryChanged(&plan, state) {
		return // already on the target as planned: nothing new to check
	}
	r.planChecks(ctx, &plan, appID, mode, planned, &resp.Diagnostics)
	if state == nil || !plan.ConfigurationReference.Equal(state.ConfigurationReference) {
		r.checkConfigurationReference(ctx, plan.ConfigurationReference, &resp.Diagnostics)
	}
}

// unknownKeys numbers the planned assignments whose application is not known yet.
var unknownKeys atomic.Int64

// Settling before a check fails for what Azure has: see estate.View.Settle.
const (
	settleQuiet = time.Second
	settleMax   = 10 * time.Second
)

// planChecks runs the checks of a planned assignment. When they fail while the target has
// applications whose fate this run has not planned yet (Terraform plans unrelated resources
// concurrently: an assignment being destroyed may be planned next), it lets the rest of the
// plan settle and checks once more. A failure is recorded for the target, so that at apply
// nothing of the run is written to it.
func (r *VMApplicationAssignmentResource) planChecks(ctx context.Context, plan *VMApplicationAssignmentResourceModel, appID string, mode checkMode,
	planned estate.Target, diags *diag.Diagnostics) {
	tid, err := ids.ParseTarget(plan.TargetID.ValueString())
	if err != nil {
		return // the attribute validator reports it
	}
	view := r.client.Estate
	in, d := loadCheckInputs(ctx, r.client, tid, plan.VersionID.ValueString())
	if d.HasError() {
		diags.Append(d...)
		view.FailTarget(tid.String(), summaries(d))
		return
	}
	versionID, limit := plan.VersionID.ValueString(), r.client.Limits.MaxApplicationsPerVM
	d = checkTargetApps(in.target, planned, appID, versionID, mode, limit)
	if d.HasError() && unclaimed(in.target, planned) {
		tflog.Debug(ctx, "assignment check failed while other changes to the target may still be planned; waiting for the plan to settle",
			map[string]any{"target": tid.String()})
		view.Settle(settleQuiet, settleMax)
		planned = view.Target(tid.String())
		d = checkTargetApps(in.target, planned, appID, versionID, mode, limit)
	}
	d.Append(checkVersionFits(in, versionID)...)
	if d.HasError() {
		view.FailTarget(tid.String(), summaries(d))
	}
	diags.Append(d...)
	diags.Append(checkRebootOrder(in, planned, appID, plan.Order)...)
	diags.Append(checkRollout(ctx, r.client, in.target, rolloutOf(plan))...)
}

// checkFits reads the version and the target again at apply and checks that the version can
// be installed there (for values unknown at plan time); it returns the parsed target and
// application IDs. A failure is recorded for the target: nothing of this apply is written to it.
func (r *VMApplicationAssignmentResource) checkFits(ctx context.Context, m *VMApplicationAssignmentResourceModel, diags *diag.Diagnostics) (ids.Target, ids.Application) {
	tid, err := ids.ParseTarget(m.TargetID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("target_id"), "Invalid target ID", err.Error())
		return ids.Target{}, ids.Application{}
	}
	v, err := ids.ParseVersion(m.VersionID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("version_id"), "Invalid application version ID", err.Error())
		return ids.Target{}, ids.Application{}
	}
	in, d := loadCheckInputs(ctx, r.client, tid, m.VersionID.ValueString())
	if !d.HasError() {
		d.Append(checkVersionFits(in, m.VersionID.ValueString())...)
	}
	if d.HasError() {
		r.client.Estate.FailTarget(tid.String(), summaries(d))
	}
	diags.Append(d...)
	return tid, v.Parent()
}

// checkConfigurationReference checks a known configuration_reference blob like a version's
// default configuration link: readable, of an allowed type, within the size limit.
func (r *VMApplicationAssignmentResource) checkConfigurationReference(ctx context.Context, link types.String, diags *diag.Diagnostics) {
	if r.client.SkipBlobChecks || link.IsNull() || link.IsUnknown() {
		return
	}
	if p := validate.NewBlobChecker(r.client).Check(ctx, "configuration_reference", link.ValueString(), validate.ConfigurationLink); p != nil {
		diags.AddAttributeError(path.Root("configuration_reference"), p.Summary, p.Detail)
	}
}

// warnIfVersionReplaced warns when the version this assignment installs now is replaced in
// this plan: without create_before_destroy, Terraform deletes it while the machine still
// refers to it. Terraform does not tell providers whether create_before_destroy is set.
func warnIfVersionReplaced(view *estate.View, plan, state *VMApplicationAssignmentResourceModel, diags *diag.Diagnostics) {
	old := state.VersionID.ValueString()
	if !view.VersionReplaced(old) {
		return
	}
	move := ""
	if !plan.VersionID.Equal(state.VersionID) {
		move = fmt.Sprintf(" and before this assignment moves to version %s", nameOf(plan.VersionID.ValueString()))
	}
	diags.AddAttributeWarning(path.Root("version_id"), "Application version in use is replaced",
		fmt.Sprintf("Version %s, which this assignment installs on %s, is replaced by this plan. Unless its "+
			"azvmapps_application_version resource has lifecycle { create_before_destroy = true }, Terraform deletes it before "+
			"the new version exists%s, while the machine still refers to it. Add create_before_destroy to the version resource "+
			"(providers cannot see whether it is set, so this warning shows either way).", old, state.TargetID.ValueString(), move))
}

// summaries joins the summaries of the errors in d.
func summaries(d diag.Diagnostics) string {
	var out []string
	for _, e := range d.Errors() {
		out = append(out, e.Summary())
	}
	return strings.Join(out, "; ")
}

// landed decides, after a write that failed, whether the assignment's entry reached the
// target all the same (a lost response, a timeout or interrupt after the service took the
// write, an operation that failed after it was applied): it reads the target afresh and
// reports true when the entry is there as planned. The caller then records the assignment in
// state, so that the next apply converges from it instead of failing on an untracked entry;
// the write's error is kept as a warning.
func (r *VMApplicationAssignmentResource) landed(ctx context.Context, o *op, tid ids.Target, appID string,
	plan *VMApplicationAssignmentResourceModel, writeErr diag.Diagnostics, diags *diag.Diagnostics) bool {
	if !o.attempted.Load() {
		return false // refused before any write: nothing can have landed
	}
	t, err := azure.ReadBack(ctx, func(ctx context.Context) (*target, error) { return targets{r.client}.get(ctx, tid) })
	if err != nil {
		return false
	}
	i := findApp(t.apps(), appID)
	if i < 0 || !strings.EqualFold(deref(t.apps()[i].PackageReferenceID), plan.VersionID.ValueString()) {
		return false
	}
	tflog.Warn(ctx, "the write reported an error, but the entry is on the target: recording it", map[string]any{"target": tid.String(), "application": appID})
	diags.AddWarning("The target reported an error, but the application was assigned",
		fmt.Sprintf("Writing to %s reported: %s\n\nReading the target again shows %s assigned as planned, so it is recorded in the "+
			"state; its install status below tells whether it installed.", tid, summaries(writeErr)+detailOf(writeErr), nameOf(plan.VersionID.ValueString())))
	return true
}

// detailOf returns the detail of the first error in d, after a colon.
func detailOf(d diag.Diagnostics) string {
	if errs := d.Errors(); len(errs) > 0 && errs[0].Detail() != "" {
		return ": " + errs[0].Detail()
	}
	return ""
}

// settle records the install status after a write: with wait_for_install it waits for the
// result and fails on a failed install, after one remove-and-add-back retry when
// reinstall_on_failure is set.
func (r *VMApplicationAssignmentResource) settle(ctx context.Context, m *VMApplicationAssignmentResourceModel, tid ids.Target, appID string, diags *diag.Diagnostics) {
	s := targets{r.client}
	name, version, newerOK := nameOf(appID), nameOf(m.VersionID.ValueString()), m.EnableAutomaticUpgrade.ValueBool()
	m.InstallStatus, m.InstallMessage = types.StringValue(StatusPending), types.StringValue("")
	if !m.WaitForInstall.ValueBool() {
		st, msg, err := s.status(ctx, tid, name, version, newerOK)
		if err != nil {
			diags.AddWarning("Could not read the install status", azure.Describe("reading the instance view of", tid.String(), err))
			return
		}
		m.InstallStatus, m.InstallMessage = types.StringValue(st), types.StringValue(msg)
		return
	}
	st, msg, err := s.waitForInstall(ctx, tid, name, version, newerOK)
	if err != nil {
		diags.AddError("Error waiting for the VM application install", err.Error())
		return
	}
	retried := ""
	if st == StatusFailed && m.ReinstallOnFailure.ValueBool() {
		tflog.Warn(ctx, "VM application install failed, reinstalling once (remove, then add back)", map[string]any{"target": tid.String(), "application": name, "message": msg})
		retried = fmt.Sprintf("\n\nThe provider retried once (reinstall_on_failure: removed the application, then added it back); the first attempt reported: %s", msg)
		b := batcherFor(r.client)
		diags.Append(b.submit(ctx, tid, &op{kind: opRemove, appID: appID, rollout: rolloutOf(m)})...)
		if !diags.HasError() {
			diags.Append(b.submit(ctx, tid, &op{kind: opUpdate, appID: appID, entry: expandEntry(m), rollout: rolloutOf(m)})...)
		}
		if diags.HasError() {
			return
		}
		if st, msg, err = s.waitForInstall(ctx, tid, name, version, newerOK); err != nil {
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

// entryChanged reports whether the plan changes what is written to the target's profile.
func entryChanged(plan, state *VMApplicationAssignmentResourceModel) bool {
	return !plan.VersionID.Equal(state.VersionID) || !plan.Order.Equal(state.Order) ||
		!plan.ConfigurationReference.Equal(state.ConfigurationReference) || !plan.Tags.Equal(state.Tags) ||
		!plan.TreatFailureAsDeploymentFailure.Equal(state.TreatFailureAsDeploymentFailure) ||
		!plan.EnableAutomaticUpgrade.Equal(state.EnableAutomaticUpgrade)
}
