package gallery

import (
	"context"
	"regexp"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/convert"
)

var userIdentityIDPattern = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.ManagedIdentity/userAssignedIdentities/[^/]+$`)

// expandGallery builds the PUT body from the planned model. prior is the current state on
// update (nil on create): a block removed from the configuration is sent as its "off" value
// (Private sharing, identity None) so the service clears it.
func expandGallery(ctx context.Context, m GalleryResourceModel, prior *GalleryResourceModel) (armcompute.Gallery, diag.Diagnostics) {
	var diags diag.Diagnostics
	g := armcompute.Gallery{
		Location: to.Ptr(m.Location.ValueString()),
		Properties: &armcompute.GalleryProperties{
			Description:      m.Description.ValueStringPointer(),
			SoftDeletePolicy: &armcompute.SoftDeletePolicy{IsSoftDeleteEnabled: to.Ptr(m.SoftDeleteEnabled.ValueBool())},
		},
	}
	tags, d := convert.ExpandStringMap(ctx, m.Tags)
	diags.Append(d...)
	g.Tags = tags

	switch {
	case m.Sharing != nil:
		g.Properties.SharingProfile = expandSharing(m.Sharing)
	case prior != nil && prior.Sharing != nil:
		g.Properties.SharingProfile = &armcompute.SharingProfile{Permissions: to.Ptr(armcompute.GallerySharingPermissionTypesPrivate)}
	}

	switch {
	case m.Identity != nil:
		id, d := expandIdentity(ctx, m.Identity)
		diags.Append(d...)
		g.Identity = id
	case prior != nil && prior.Identity != nil:
		g.Identity = &armcompute.GalleryIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeNone)}
	}
	return g, diags
}

func expandSharing(s *sharingModel) *armcompute.SharingProfile {
	sp := &armcompute.SharingProfile{
		Permissions: to.Ptr(armcompute.GallerySharingPermissionTypes(s.Permission.ValueString())),
	}
	if c := s.Community; c != nil {
		sp.CommunityGalleryInfo = &armcompute.CommunityGalleryInfo{
			PublisherURI:     c.PublisherURI.ValueStringPointer(),
			PublisherContact: c.PublisherContact.ValueStringPointer(),
			Eula:             c.Eula.ValueStringPointer(),
			PublicNamePrefix: c.PublicNamePrefix.ValueStringPointer(),
		}
	}
	return sp
}

func expandIdentity(ctx context.Context, i *identityModel) (*armcompute.GalleryIdentity, diag.Diagnostics) {
	out := &armcompute.GalleryIdentity{Type: to.Ptr(armcompute.ResourceIdentityType(i.Type.ValueString()))}
	if i.IdentityIDs.IsNull() || i.IdentityIDs.IsUnknown() {
		return out, nil
	}
	var ids []string
	diags := i.IdentityIDs.ElementsAs(ctx, &ids, false)
	if len(ids) > 0 {
		out.UserAssignedIdentities = make(map[string]*armcompute.UserAssignedIdentitiesValue, len(ids))
		for _, id := range ids {
			out.UserAssignedIdentities[id] = &armcompute.UserAssignedIdentitiesValue{}
		}
	}
	return out, diags
}
