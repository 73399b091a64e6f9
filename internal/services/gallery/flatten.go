package gallery

import (
	"context"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/convert"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

// flattenGallery writes what the service returned into a copy of prior (the state or plan
// being refreshed). Values Azure spells differently from the configuration (ID casing, region
// display names) keep the configuration's spelling, so no plan shows a spurious diff.
func flattenGallery(ctx context.Context, g armcompute.Gallery, prior GalleryResourceModel) (GalleryResourceModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := prior

	id := convert.Deref(g.ID)
	if prior.ID.IsNull() || prior.ID.IsUnknown() || !azure.IDsEqual(prior.ID.ValueString(), id) {
		m.ID = types.StringValue(id)
	}
	m.Name = convert.KeepFold(prior.Name, convert.Deref(g.Name))
	if parsed, err := ids.ParseGallery(id); err == nil {
		m.ResourceGroupName = convert.KeepFold(prior.ResourceGroupName, parsed.ResourceGroup)
	}
	m.Location = convert.FlattenLocation(prior.Location, convert.Deref(g.Location))

	tags, d := convert.FlattenStringMap(ctx, g.Tags, prior.Tags)
	diags.Append(d...)
	m.Tags = tags

	p := g.Properties
	if p == nil {
		p = &armcompute.GalleryProperties{}
	}
	m.Description = types.StringPointerValue(p.Description)
	m.SoftDeleteEnabled = types.BoolValue(p.SoftDeletePolicy != nil && p.SoftDeletePolicy.IsSoftDeleteEnabled != nil && *p.SoftDeletePolicy.IsSoftDeleteEnabled)
	m.UniqueName = types.StringNull()
	if p.Identifier != nil {
		m.UniqueName = types.StringPointerValue(p.Identifier.UniqueName)
	}
	m.Sharing = flattenSharing(p.SharingProfile, prior.Sharing)
	enabled, names := communityPublication(p.SharingProfile)
	m.CommunityEnabled = types.BoolValue(enabled)
	m.CommunityNames = types.ListNull(types.StringType)
	if enabled {
		list, d := types.ListValueFrom(ctx, types.StringType, names)
		diags.Append(d...)
		m.CommunityNames = list
	}

	ident, d := flattenIdentity(ctx, g.Identity, prior.Identity)
	diags.Append(d...)
	m.Identity = ident
	return m, diags
}

// flattenSharing returns nil for the default (Private, no community information) when the
// configuration has no sharing block, so an absent block shows no diff.
func flattenSharing(sp *armcompute.SharingProfile, prior *sharingModel) *sharingModel {
	perm := PermissionPrivate
	var community *armcompute.CommunityGalleryInfo
	if sp != nil {
		if sp.Permissions != nil && *sp.Permissions != "" {
			perm = string(*sp.Permissions)
		}
		community = sp.CommunityGalleryInfo
	}
	hasCommunity := community != nil && (convert.Deref(community.PublisherURI) != "" || convert.Deref(community.PublisherContact) != "" ||
		convert.Deref(community.Eula) != "" || convert.Deref(community.PublicNamePrefix) != "")
	if prior == nil && strings.EqualFold(perm, PermissionPrivate) && !hasCommunity {
		return nil
	}
	out := &sharingModel{Permission: types.StringValue(perm)}
	if prior != nil && strings.EqualFold(prior.Permission.ValueString(), perm) {
		out.Permission = prior.Permission
	}
	if hasCommunity {
		out.Community = &communityModel{
			PublisherURI:     types.StringPointerValue(community.PublisherURI),
			PublisherContact: types.StringPointerValue(community.PublisherContact),
			Eula:             types.StringPointerValue(community.Eula),
			PublicNamePrefix: types.StringPointerValue(community.PublicNamePrefix),
		}
	}
	return out
}

// communityPublication reports whether the gallery is published to the community and its
// public names. Names a service may keep after a Reset are not returned for an unpublished
// gallery: nobody can find it by them.
func communityPublication(sp *armcompute.SharingProfile) (bool, []string) {
	if sp == nil || sp.CommunityGalleryInfo == nil || sp.CommunityGalleryInfo.CommunityGalleryEnabled == nil || !*sp.CommunityGalleryInfo.CommunityGalleryEnabled {
		return false, nil
	}
	names := make([]string, 0, len(sp.CommunityGalleryInfo.PublicNames))
	for _, n := range sp.CommunityGalleryInfo.PublicNames {
		if n != nil {
			names = append(names, *n)
		}
	}
	return true, names
}

// flattenIdentity returns nil when the gallery has no identity (absent or type None).
func flattenIdentity(ctx context.Context, in *armcompute.GalleryIdentity, prior *identityModel) (*identityModel, diag.Diagnostics) {
	if in == nil || in.Type == nil || *in.Type == "" || strings.EqualFold(string(*in.Type), string(armcompute.ResourceIdentityTypeNone)) {
		return nil, nil
	}
	out := &identityModel{
		Type:        types.StringValue(string(*in.Type)),
		PrincipalID: types.StringPointerValue(in.PrincipalID),
		TenantID:    types.StringPointerValue(in.TenantID),
	}
	if prior != nil && strings.EqualFold(prior.Type.ValueString(), string(*in.Type)) {
		out.Type = prior.Type
	}
	var priorIDs []string
	if prior != nil && !prior.IdentityIDs.IsNull() && !prior.IdentityIDs.IsUnknown() {
		_ = prior.IdentityIDs.ElementsAs(ctx, &priorIDs, false)
	}
	ids := make([]string, 0, len(in.UserAssignedIdentities))
	for id := range in.UserAssignedIdentities {
		ids = append(ids, keepSpelling(priorIDs, id))
	}
	sort.Strings(ids)
	if len(ids) == 0 && (prior == nil || prior.IdentityIDs.IsNull() || prior.IdentityIDs.IsUnknown()) {
		out.IdentityIDs = types.SetNull(types.StringType)
		return out, nil
	}
	set, diags := types.SetValueFrom(ctx, types.StringType, ids)
	out.IdentityIDs = set
	return out, diags
}

// keepSpelling returns the element of known equal to s apart from case, or s.
func keepSpelling(known []string, s string) string {
	for _, k := range known {
		if strings.EqualFold(k, s) {
			return k
		}
	}
	return s
}
