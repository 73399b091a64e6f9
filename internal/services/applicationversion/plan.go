package applicationversion

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

// ValidateConfig runs the checks that need neither Azure nor the provider's limits: each
// target region once (compared normalised), and the version's own location among them.
func (r *ApplicationVersionResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var regions types.Set
	var location customtypes.Location
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("target_region"), &regions)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("location"), &location)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateRegions(ctx, regions, location, &resp.Diagnostics)
}

// validateRegions reports duplicate regions and a location missing from the target regions.
func validateRegions(ctx context.Context, regions types.Set, location customtypes.Location, diags *diag.Diagnostics) {
	if regions.IsNull() || regions.IsUnknown() {
		return
	}
	trs, d := targetRegions(ctx, regions)
	diags.Append(d...)
	var names []string
	for _, tr := range trs {
		if tr.Name.IsUnknown() {
			return // cannot judge until every name is known
		}
		names = append(names, tr.Name.ValueString())
	}
	for _, dup := range validate.DuplicateRegions(names) {
		diags.AddAttributeError(path.Root("target_region"), "Duplicate target region",
			fmt.Sprintf("The target regions %s are the same region (%s): the service accepts each region once. Keep one "+
				"target_region block for %s and remove the others.", quoteAll(dup), azure.NormalizeLocation(dup[0]), azure.NormalizeLocation(dup[0])))
	}
	if location.IsNull() || location.IsUnknown() || len(names) == 0 {
		return
	}
	if !validate.ContainsRegion(names, location.ValueString()) {
		diags.AddAttributeError(path.Root("target_region"), "Location missing from target regions",
			fmt.Sprintf("The version's location %q is not among its target regions (%s): the service requires the version "+
				"to be replicated to its own region. Add a block target_region { name = %q }.",
				location.ValueString(), strings.Join(names, ", "), location.ValueString()))
	}
}

// ModifyPlan plans the version's ID (application ID + name), records the planned version for
// the checks of the assignments planned after it, and runs the checks that need the provider's
// limits or the package blobs. They only read: nothing is written to Azure when they fail.
func (r *ApplicationVersionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return // destroy, or the provider is not configured yet
	}
	var planned ApplicationVersionResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &planned)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The checks see the write-only links of the configuration; the plan keeps them null.
	plan, d := withConfigLinks(ctx, req.Config, &planned)
	resp.Diagnostics.Append(d...)
	var state *ApplicationVersionResourceModel
	if !req.State.Raw.IsNull() {
		state = &ApplicationVersionResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	app, err := ids.ParseApplication(plan.ApplicationID.ValueString())
	known := !plan.ApplicationID.IsUnknown() && !plan.ApplicationID.IsNull() && !plan.Name.IsUnknown() && !plan.Name.IsNull() && err == nil
	id := app.Version(plan.Name.ValueString()).String()
	framework.PlanID(ctx, resp, plan.ID, id, known)
	keys := loadBlobKeys(ctx, req.Private)
	replacing := state != nil && replacementPlanned(&plan, state, keys)
	if replacing {
		r.client.Estate.PlanVersionReplacement(state.ID.ValueString())
	}
	if known {
		r.client.Estate.PlanVersion(plannedVersion(ctx, id, &plan))
	}
	if state != nil && !replacing && !req.Plan.Raw.Equal(req.State.Raw) {
		checkUnsentLinks(&plan, state, keys, &resp.Diagnostics)
	}
	if state != nil {
		warnLinkLeavesState(&plan, state, &resp.Diagnostics)
	}
	if replacing {
		state = nil // the checks of an in-place update do not apply to a new version
	}
	r.checkPlan(ctx, &plan, state, &resp.Diagnostics)
}

// warnLinkLeavesState explains the plan of a link that moves from its plain to its write-only
// form, after an import (which reads the link the service returns) or an earlier apply with
// the plain attribute: the state held the link, this apply removes it.
func warnLinkLeavesState(plan, state *ApplicationVersionResourceModel, diags *diag.Diagnostics) {
	prior := state.Source.links()
	for i, l := range plan.Source.links() {
		if !l.writeOnly() || prior[i].plain.IsNull() {
			continue
		}
		diags.AddAttributeWarning(l.path(), "Link moves out of the state",
			fmt.Sprintf("The state of application version %s holds source.%s (with its SAS token, if any), read at import or "+
				"stored by an earlier apply. This plan sends %s instead and removes the link from the state; earlier state "+
				"snapshots kept by the backend still hold it, so rotate the SAS token if that matters.", state.ID.ValueString(), l.name, l.attr()))
	}
}

// checkUnsentLinks refuses an in-place update that would send a write-only link, unchanged in
// version, that names another blob than the version's: the service would refuse the update
// (only the SAS token of a link may change), and a new version of the link is how to say
// "publish from this blob", which forces a new version.
func checkUnsentLinks(plan, state *ApplicationVersionResourceModel, keys blobKeys, diags *diag.Diagnostics) {
	prior := state.Source.links()
	for i, l := range plan.Source.links() {
		k := keys.of(l.name)
		if !l.writeOnly() || resent(prior[i], l) || l.wo.IsNull() || l.wo.IsUnknown() || k == "" || blobKey(l.wo.ValueString()) == k {
			continue
		}
		diags.AddAttributeError(l.path(), "Write-only link names another blob",
			fmt.Sprintf("This plan updates application version %s in place, which sends %s again, but it now names another blob "+
				"than the one the version was published from, and the service only lets the SAS token of a link change. To publish "+
				"from the new blob, change source.%s_wo_version as well (this forces a new version to be created); otherwise point "+
				"%s back at the version's blob.", state.ID.ValueString(), l.attr(), l.name, l.attr()))
	}
}

// plannedVersion is what the assignment checks need to know of a planned version.
func plannedVersion(ctx context.Context, id string, plan *ApplicationVersionResourceModel) estate.Version {
	v := estate.Version{ID: id, ApplicationID: plan.ApplicationID.ValueString()}
	if trs, d := targetRegions(ctx, plan.TargetRegion); !d.HasError() && !plan.TargetRegion.IsUnknown() {
		v.RegionsKnown = true
		for _, tr := range trs {
			if tr.Name.IsUnknown() {
				v.RegionsKnown = false
				break
			}
			v.Regions = append(v.Regions, tr.Name.ValueString())
		}
	}
	if ma := plan.ManageActions; ma != nil {
		v.Install, v.Update = ma.Install.ValueString(), ma.Update.ValueString()
	}
	return v
}

// replacementPlanned reports whether the plan changes an attribute that forces a new version
// (the schema's RequiresReplace plan modifiers; the resource-level ModifyPlan does not see
// their result). An unknown value may change, so it counts as a change.
func replacementPlanned(plan, state *ApplicationVersionResourceModel, keys blobKeys) bool {
	changed := func(a, b attr.Value) bool { return a.IsUnknown() || !a.Equal(b) }
	if changed(plan.Name, state.Name) || plan.ApplicationID.IsUnknown() ||
		!azure.IDsEqual(plan.ApplicationID.ValueString(), state.ApplicationID.ValueString()) ||
		plan.Location.IsUnknown() || !azure.LocationsEqual(plan.Location.ValueString(), state.Location.ValueString()) ||
		changed(plan.AdvancedSettings, state.AdvancedSettings) || changed(plan.EnableHealthCheck, state.EnableHealthCheck) ||
		changed(plan.StorageAccountType, state.StorageAccountType) || changed(plan.ReplicationMode, state.ReplicationMode) ||
		changed(plan.CustomAction, state.CustomAction) {
		return true
	}
	if (plan.ManageActions == nil) != (state.ManageActions == nil) || (plan.Settings == nil) != (state.Settings == nil) ||
		(plan.Source == nil) != (state.Source == nil) {
		return true
	}
	if p, s := plan.ManageActions, state.ManageActions; p != nil &&
		(changed(p.Install, s.Install) || changed(p.Remove, s.Remove) || changed(p.Update, s.Update)) {
		return true
	}
	if p, s := plan.Settings, state.Settings; p != nil && (changed(p.PackageFileName, s.PackageFileName) ||
		changed(p.ConfigFileName, s.ConfigFileName) || changed(p.ScriptBehaviorAfterReboot, s.ScriptBehaviorAfterReboot)) {
		return true
	}
	prior := state.Source.links()
	for i, l := range plan.Source.links() {
		if replaces(prior[i], keys.of(l.name), l) {
			return true
		}
	}
	return false
}

// checkPlan checks replica counts against service_limits.max_replicas_per_region, refuses to
// remove regions without allow_deletion_of_replicated_locations, and checks each package blob
// that is new or changed (unless skip_blob_checks). Unknown values are skipped: Create and
// Update call it again with the final values before they write.
func (r *ApplicationVersionResource) checkPlan(ctx context.Context, plan, state *ApplicationVersionResourceModel, diags *diag.Diagnostics) {
	limit := r.client.Limits.MaxReplicasPerRegion
	if v := plan.ReplicaCount; !v.IsNull() && !v.IsUnknown() {
		if msg := validate.ReplicaCount(v.ValueInt64(), limit); msg != "" {
			diags.AddAttributeError(path.Root("replica_count"), "Replica count out of range", msg)
		}
	}
	if !plan.TargetRegion.IsNull() && !plan.TargetRegion.IsUnknown() {
		for _, ev := range plan.TargetRegion.Elements() {
			obj, ok := ev.(types.Object)
			if !ok {
				continue
			}
			var tr targetRegionModel
			diags.Append(obj.As(ctx, &tr, basetypes.ObjectAsOptions{})...)
			if v := tr.RegionalReplicaCount; !v.IsNull() && !v.IsUnknown() {
				if msg := validate.ReplicaCount(v.ValueInt64(), limit); msg != "" {
					diags.AddAttributeError(path.Root("target_region").AtSetValue(ev).AtName("regional_replica_count"),
						"Replica count out of range", fmt.Sprintf("In target region %s: %s", tr.Name.ValueString(), msg))
				}
			}
		}
	}
	if state != nil {
		r.checkRegionRemoval(ctx, plan, state, diags)
	}
	if r.client.SkipBlobChecks || plan.Source == nil {
		return
	}
	checker := validate.NewBlobChecker(r.client)
	var prior [2]link
	if state != nil {
		prior = state.Source.links()
	}
	for i, l := range plan.Source.links() {
		v := l.value()
		if v.IsNull() || v.IsUnknown() || (state != nil && !resent(prior[i], l)) {
			continue // unknown (checked at apply) or not sent again (a SAS may expire once replicated)
		}
		if p := checker.Check(ctx, l.attr(), v.ValueString(), l.kind); p != nil {
			diags.AddAttributeError(l.path(), p.Summary, p.Detail)
		}
	}
}

// checkRegionRemoval refuses a plan that drops target regions unless deletion of replicated
// locations is allowed: the service rejects that update otherwise.
func (r *ApplicationVersionResource) checkRegionRemoval(ctx context.Context, plan, state *ApplicationVersionResourceModel, diags *diag.Diagnostics) {
	if plan.TargetRegion.IsUnknown() || plan.AllowDeletionOfReplicatedLocations.IsUnknown() || plan.AllowDeletionOfReplicatedLocations.ValueBool() {
		return
	}
	before, d := targetRegions(ctx, state.TargetRegion)
	diags.Append(d...)
	after, d := targetRegions(ctx, plan.TargetRegion)
	diags.Append(d...)
	var b, a []string
	for _, tr := range before {
		b = append(b, tr.Name.ValueString())
	}
	for _, tr := range after {
		if tr.Name.IsUnknown() {
			return
		}
		a = append(a, tr.Name.ValueString())
	}
	removed := validate.RemovedRegions(b, a)
	if len(removed) == 0 {
		return
	}
	diags.AddAttributeError(path.Root("target_region"), "Removing a replicated region is not allowed",
		fmt.Sprintf("This plan removes the target regions %s from application version %s, which is already replicated there. "+
			"The service refuses that unless the version allows it: set allow_deletion_of_replicated_locations = true in this "+
			"resource (it is applied in the same update), or keep the region.", quoteAll(removed), state.ID.ValueString()))
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " and ")
}
