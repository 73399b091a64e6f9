package applicationversion

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

func TestTargetRegionDefaults(t *testing.T) {
	unknownName := func(count int64) targetRegionModel {
		r := region("x", count)
		r.Name = customtypes.Location{StringValue: basetypes.NewStringUnknown()}
		return r
	}
	withCount := func(r targetRegionModel, v types.Int64) targetRegionModel {
		r.RegionalReplicaCount = v
		return r
	}
	cases := []struct {
		name               string
		replicaCount       types.Int64
		config, plan, want []targetRegionModel
	}{
		{
			name:         "left out: replica_count",
			replicaCount: types.Int64Value(2),
			config:       []targetRegionModel{region("eastus2", 0), region("West Europe", 3)},
			plan:         []targetRegionModel{withCount(region("eastus2", 0), types.Int64Unknown()), region("West Europe", 3)},
			want:         []targetRegionModel{region("eastus2", 2), region("West Europe", 3)},
		},
		{
			// Core proposes the prior count for a region the configuration leaves out; it follows
			// a changed replica_count instead.
			name:         "left out, prior count: the new replica_count",
			replicaCount: types.Int64Value(3),
			config:       []targetRegionModel{region("East US 2", 0)},
			plan:         []targetRegionModel{region("East US 2", 1)},
			want:         []targetRegionModel{region("East US 2", 3)},
		},
		{
			name:         "written equal to replica_count: kept",
			replicaCount: types.Int64Value(2),
			config:       []targetRegionModel{region("eastus2", 2)},
			plan:         []targetRegionModel{region("eastus2", 2)},
			want:         []targetRegionModel{region("eastus2", 2)},
		},
		{
			name:         "replica_count unknown: unknown",
			replicaCount: types.Int64Unknown(),
			config:       []targetRegionModel{region("eastus2", 0)},
			plan:         []targetRegionModel{withCount(region("eastus2", 0), types.Int64Unknown())},
			want:         []targetRegionModel{withCount(region("eastus2", 0), types.Int64Unknown())},
		},
		{
			name:         "unknown region name with a count: kept",
			replicaCount: types.Int64Value(1),
			config:       []targetRegionModel{unknownName(2)},
			plan:         []targetRegionModel{unknownName(2)},
			want:         []targetRegionModel{unknownName(2)},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			plan := planWithResource(t)
			if d := plan.SetAttribute(ctx, path.Root("replica_count"), c.replicaCount); d.HasError() {
				t.Fatal(d)
			}
			req := planmodifier.SetRequest{
				Path:        path.Root("target_region"),
				ConfigValue: regionSet(t, c.config...),
				PlanValue:   regionSet(t, c.plan...),
				Plan:        plan,
			}
			resp := &planmodifier.SetResponse{PlanValue: req.PlanValue}
			targetRegionDefaults().PlanModifySet(ctx, req, resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			if want := regionSet(t, c.want...); !resp.PlanValue.Equal(want) {
				t.Errorf("plan = %v, want %v", resp.PlanValue, want)
			}
		})
	}
}
