package applicationversion

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/convert"
)

// expandVersion builds the PUT body of a version from the planned model.
func expandVersion(ctx context.Context, m *ApplicationVersionResourceModel) (armcompute.GalleryApplicationVersion, diag.Diagnostics) {
	pp, diags := expandPublishingProfile(ctx, m)
	tags, d := convert.ExpandStringMap(ctx, m.Tags)
	diags.Append(d...)
	return armcompute.GalleryApplicationVersion{
		Location: to.Ptr(m.Location.ValueString()),
		Tags:     tags,
		Properties: &armcompute.GalleryApplicationVersionProperties{
			PublishingProfile: pp,
			SafetyProfile:     expandSafetyProfile(m),
		},
	}, diags
}

// expandVersionUpdate builds the PATCH body: the whole publishing profile (the immutable parts
// unchanged, so the service accepts them), the safety profile and the tags. Tags removed in
// the configuration are sent as an empty map so the service clears them.
func expandVersionUpdate(ctx context.Context, m *ApplicationVersionResourceModel) (armcompute.GalleryApplicationVersionUpdate, diag.Diagnostics) {
	pp, diags := expandPublishingProfile(ctx, m)
	tags, d := convert.ExpandStringMap(ctx, m.Tags)
	diags.Append(d...)
	if tags == nil {
		tags = map[string]*string{}
	}
	return armcompute.GalleryApplicationVersionUpdate{
		Tags: tags,
		Properties: &armcompute.GalleryApplicationVersionProperties{
			PublishingProfile: pp,
			SafetyProfile:     expandSafetyProfile(m),
		},
	}, diags
}

func expandSafetyProfile(m *ApplicationVersionResourceModel) *armcompute.GalleryApplicationVersionSafetyProfile {
	return &armcompute.GalleryApplicationVersionSafetyProfile{
		AllowDeletionOfReplicatedLocations: to.Ptr(m.AllowDeletionOfReplicatedLocations.ValueBool()),
	}
}

func expandPublishingProfile(ctx context.Context, m *ApplicationVersionResourceModel) (*armcompute.GalleryApplicationVersionPublishingProfile, diag.Diagnostics) {
	var diags diag.Diagnostics
	pp := &armcompute.GalleryApplicationVersionPublishingProfile{
		EnableHealthCheck: boolPtr(m.EnableHealthCheck),
		ExcludeFromLatest: boolPtr(m.ExcludeFromLatest),
		ReplicaCount:      int32Ptr(m.ReplicaCount),
	}
	if m.Source != nil {
		links := m.Source.links() // write-only links only when m came from withConfigLinks
		pp.Source = &armcompute.UserArtifactSource{
			MediaLink:                stringPtr(links[0].value()),
			DefaultConfigurationLink: stringPtr(links[1].value()),
		}
	}
	if m.ManageActions != nil {
		pp.ManageActions = &armcompute.UserArtifactManage{
			Install: stringPtr(m.ManageActions.Install),
			Remove:  stringPtr(m.ManageActions.Remove),
			Update:  stringPtr(m.ManageActions.Update),
		}
	}
	if s := m.Settings; s != nil {
		pp.Settings = &armcompute.UserArtifactSettings{
			PackageFileName: stringPtr(s.PackageFileName),
			ConfigFileName:  stringPtr(s.ConfigFileName),
		}
		if v := stringPtr(s.ScriptBehaviorAfterReboot); v != nil {
			pp.Settings.ScriptBehaviorAfterReboot = to.Ptr(armcompute.GalleryApplicationScriptRebootBehavior(*v))
		}
	}
	adv, d := convert.ExpandStringMap(ctx, m.AdvancedSettings)
	diags.Append(d...)
	pp.AdvancedSettings = adv
	if v := stringPtr(m.StorageAccountType); v != nil {
		pp.StorageAccountType = to.Ptr(armcompute.StorageAccountType(*v))
	}
	if v := stringPtr(m.ReplicationMode); v != nil {
		pp.ReplicationMode = to.Ptr(armcompute.ReplicationMode(*v))
	}
	if v := stringPtr(m.EndOfLifeDate); v != nil {
		t, err := time.Parse(time.RFC3339, *v)
		if err == nil {
			pp.EndOfLifeDate = &t
		}
	}
	regions, d := targetRegions(ctx, m.TargetRegion)
	diags.Append(d...)
	for _, r := range regions {
		tr := &armcompute.TargetRegion{
			Name:                 to.Ptr(r.Name.ValueString()),
			RegionalReplicaCount: int32Ptr(r.RegionalReplicaCount),
			ExcludeFromLatest:    boolPtr(r.ExcludeFromLatest),
		}
		if v := stringPtr(r.StorageAccountType); v != nil {
			tr.StorageAccountType = to.Ptr(armcompute.StorageAccountType(*v))
		}
		pp.TargetRegions = append(pp.TargetRegions, tr)
	}
	actions, d := expandCustomActions(ctx, m.CustomAction)
	diags.Append(d...)
	pp.CustomActions = actions
	return pp, diags
}

func expandCustomActions(ctx context.Context, l types.List) ([]*armcompute.GalleryApplicationCustomAction, diag.Diagnostics) {
	var diags diag.Diagnostics
	if l.IsNull() || l.IsUnknown() {
		return nil, diags
	}
	var actions []customActionModel
	diags.Append(l.ElementsAs(ctx, &actions, false)...)
	var out []*armcompute.GalleryApplicationCustomAction
	for _, a := range actions {
		ca := &armcompute.GalleryApplicationCustomAction{
			Name:        stringPtr(a.Name),
			Script:      stringPtr(a.Script),
			Description: stringPtr(a.Description),
		}
		var params []customActionParameterModel
		if !a.Parameter.IsNull() && !a.Parameter.IsUnknown() {
			diags.Append(a.Parameter.ElementsAs(ctx, &params, false)...)
		}
		for _, p := range params {
			cp := &armcompute.GalleryApplicationCustomActionParameter{
				Name:         stringPtr(p.Name),
				Required:     boolPtr(p.Required),
				DefaultValue: stringPtr(p.DefaultValue),
				Description:  stringPtr(p.Description),
			}
			if v := stringPtr(p.Type); v != nil {
				cp.Type = to.Ptr(armcompute.GalleryApplicationCustomActionParameterType(*v))
			}
			ca.Parameters = append(ca.Parameters, cp)
		}
		out = append(out, ca)
	}
	return out, diags
}

// targetRegions reads the target_region set; an unknown or null set gives none.
func targetRegions(ctx context.Context, s types.Set) ([]targetRegionModel, diag.Diagnostics) {
	var out []targetRegionModel
	if s.IsNull() || s.IsUnknown() {
		return nil, nil
	}
	diags := s.ElementsAs(ctx, &out, false)
	return out, diags
}

func stringPtr(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return to.Ptr(v.ValueString())
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return to.Ptr(v.ValueBool())
}

func int32Ptr(v types.Int64) *int32 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return to.Ptr(int32(v.ValueInt64()))
}
