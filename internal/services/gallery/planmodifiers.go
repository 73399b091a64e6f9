package gallery

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// plannedSharing reads the planned sharing block; known is false while it is not known yet.
func plannedSharing(ctx context.Context, plan tfsdk.Plan, diags *diag.Diagnostics) (s *sharingModel, known bool) {
	var obj types.Object
	diags.Append(plan.GetAttribute(ctx, path.Root("sharing"), &obj)...)
	if diags.HasError() || obj.IsUnknown() {
		return nil, false
	}
	diags.Append(plan.GetAttribute(ctx, path.Root("sharing"), &s)...)
	if diags.HasError() || (s != nil && s.Permission.IsUnknown()) {
		return nil, false
	}
	return s, true
}

func wantsCommunity(s *sharingModel) bool {
	return s != nil && s.Permission.ValueString() == PermissionCommunity
}

// communityEnabledPlan plans community_gallery_enabled from the planned permission: the
// provider publishes a Community gallery and only a Community gallery, so the value is known
// at plan time. A Community gallery that is not published (an earlier publish failed, or it
// was reset outside Terraform) therefore shows a change, and the apply publishes it.
type communityEnabledPlan struct{}

func (communityEnabledPlan) Description(context.Context) string {
	return "true when the planned sharing permission is Community, false otherwise."
}

func (m communityEnabledPlan) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (communityEnabledPlan) PlanModifyBool(ctx context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	s, known := plannedSharing(ctx, req.Plan, &resp.Diagnostics)
	if !known {
		resp.PlanValue = types.BoolUnknown()
		return
	}
	resp.PlanValue = types.BoolValue(wantsCommunity(s))
}

// communityNamesPlan plans community_public_names: null unless the gallery is to be a
// Community gallery; the names in state while it stays published with the same prefix;
// unknown when it is about to be published (Azure assigns them).
type communityNamesPlan struct{}

func (communityNamesPlan) Description(context.Context) string {
	return "Null unless sharing is Community; kept while the published gallery keeps its public name prefix."
}

func (m communityNamesPlan) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (communityNamesPlan) PlanModifyList(ctx context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	s, known := plannedSharing(ctx, req.Plan, &resp.Diagnostics)
	switch {
	case !known:
		resp.PlanValue = types.ListUnknown(types.StringType)
		return
	case !wantsCommunity(s):
		resp.PlanValue = types.ListNull(types.StringType)
		return
	}
	resp.PlanValue = types.ListUnknown(types.StringType)
	if req.State.Raw.IsNull() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	var state GalleryResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.CommunityEnabled.ValueBool() || !wantsCommunity(state.Sharing) {
		return
	}
	if prefix(s) != "" && prefix(s) == prefix(state.Sharing) {
		resp.PlanValue = req.StateValue
	}
}

// prefix returns the public name prefix of a sharing block, or "" (also while unknown).
func prefix(s *sharingModel) string {
	if s == nil || s.Community == nil || s.Community.PublicNamePrefix.IsUnknown() {
		return ""
	}
	return s.Community.PublicNamePrefix.ValueString()
}
