package applicationversion

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

// targetRegionDefaults plans each target region's regional_replica_count that the
// configuration leaves out as the version's replica_count, the count the service gives the
// region. The attribute is optional and computed, so the state always holds the region's real
// count: an imported version then plans no change whether the configuration writes the count
// (equal to replica_count, as most do) or leaves it out, and a change of replica_count still
// reaches the regions that inherit it.
func targetRegionDefaults() planmodifier.Set { return targetRegionDefaultsModifier{} }

type targetRegionDefaultsModifier struct{}

func (targetRegionDefaultsModifier) Description(context.Context) string {
	return "regional_replica_count defaults to replica_count"
}

func (m targetRegionDefaultsModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (targetRegionDefaultsModifier) PlanModifySet(ctx context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if req.PlanValue.IsNull() || req.PlanValue.IsUnknown() || req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var replicaCount types.Int64
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("replica_count"), &replicaCount)...)
	configured, d := targetRegions(ctx, req.ConfigValue)
	resp.Diagnostics.Append(d...)
	planned, d := targetRegions(ctx, req.PlanValue)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	for i := range planned {
		c, ok := configuredRegion(configured, planned[i].Name)
		if ok && !c.RegionalReplicaCount.IsNull() {
			continue // written in the configuration: the plan already holds it
		}
		if !ok && !planned[i].RegionalReplicaCount.IsNull() && !planned[i].RegionalReplicaCount.IsUnknown() {
			continue // cannot tell which configured region this is (unknown name): keep the plan
		}
		planned[i].RegionalReplicaCount = replicaCount
	}
	set, d := types.SetValueFrom(ctx, req.PlanValue.ElementType(ctx), planned)
	resp.Diagnostics.Append(d...)
	if !d.HasError() {
		resp.PlanValue = set
	}
}

// configuredRegion finds the configured target region of the given name (compared normalised).
func configuredRegion(configured []targetRegionModel, name customtypes.Location) (targetRegionModel, bool) {
	if name.IsUnknown() || name.IsNull() {
		return targetRegionModel{}, false
	}
	for _, c := range configured {
		if !c.Name.IsUnknown() && !c.Name.IsNull() && azure.LocationsEqual(c.Name.ValueString(), name.ValueString()) {
			return c, true
		}
	}
	return targetRegionModel{}, false
}
