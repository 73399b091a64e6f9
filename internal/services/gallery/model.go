package gallery

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

// GalleryResourceModel is the Terraform state of an azvmapps_gallery.
type GalleryResourceModel struct {
	ID                types.String         `tfsdk:"id"`
	Name              types.String         `tfsdk:"name"`
	ResourceGroupName types.String         `tfsdk:"resource_group_name"`
	Location          customtypes.Location `tfsdk:"location"`
	Description       types.String         `tfsdk:"description"`
	Tags              types.Map            `tfsdk:"tags"`
	Sharing           *sharingModel        `tfsdk:"sharing"`
	SoftDeleteEnabled types.Bool           `tfsdk:"soft_delete_enabled"`
	Identity          *identityModel       `tfsdk:"identity"`
	UniqueName        types.String         `tfsdk:"unique_name"`
	CommunityEnabled  types.Bool           `tfsdk:"community_gallery_enabled"`
	CommunityNames    types.List           `tfsdk:"community_public_names"`
	Timeouts          timeouts.Value       `tfsdk:"timeouts"`
}

// GalleryDataSourceModel is the state of the azvmapps_gallery data source: every attribute
// of the resource, without timeouts.
type GalleryDataSourceModel struct {
	ID                types.String         `tfsdk:"id"`
	Name              types.String         `tfsdk:"name"`
	ResourceGroupName types.String         `tfsdk:"resource_group_name"`
	Location          customtypes.Location `tfsdk:"location"`
	Description       types.String         `tfsdk:"description"`
	Tags              types.Map            `tfsdk:"tags"`
	Sharing           *sharingModel        `tfsdk:"sharing"`
	SoftDeleteEnabled types.Bool           `tfsdk:"soft_delete_enabled"`
	Identity          *identityModel       `tfsdk:"identity"`
	UniqueName        types.String         `tfsdk:"unique_name"`
	CommunityEnabled  types.Bool           `tfsdk:"community_gallery_enabled"`
	CommunityNames    types.List           `tfsdk:"community_public_names"`
}

// sharingModel is the sharing block: who may see the gallery.
type sharingModel struct {
	Permission types.String    `tfsdk:"permission"`
	Community  *communityModel `tfsdk:"community"`
}

// communityModel is the public information of a community gallery.
type communityModel struct {
	PublisherURI     types.String `tfsdk:"publisher_uri"`
	PublisherContact types.String `tfsdk:"publisher_contact"`
	Eula             types.String `tfsdk:"eula"`
	PublicNamePrefix types.String `tfsdk:"public_name_prefix"`
}

// identityModel is the gallery's managed identity.
type identityModel struct {
	Type        types.String `tfsdk:"type"`
	IdentityIDs types.Set    `tfsdk:"identity_ids"`
	PrincipalID types.String `tfsdk:"principal_id"`
	TenantID    types.String `tfsdk:"tenant_id"`
}

// toDataSourceModel copies the attributes a data source exposes.
func (m GalleryResourceModel) toDataSourceModel() GalleryDataSourceModel {
	return GalleryDataSourceModel{
		ID:                m.ID,
		Name:              m.Name,
		ResourceGroupName: m.ResourceGroupName,
		Location:          m.Location,
		Description:       m.Description,
		Tags:              m.Tags,
		Sharing:           m.Sharing,
		SoftDeleteEnabled: m.SoftDeleteEnabled,
		Identity:          m.Identity,
		UniqueName:        m.UniqueName,
		CommunityEnabled:  m.CommunityEnabled,
		CommunityNames:    m.CommunityNames,
	}
}
