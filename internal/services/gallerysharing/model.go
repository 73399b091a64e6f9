package gallerysharing

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

// GallerySharingResourceModel is the Terraform state of an azvmapps_gallery_sharing.
type GallerySharingResourceModel struct {
	ID              types.String      `tfsdk:"id"`
	GalleryID       customtypes.ARMID `tfsdk:"gallery_id"`
	SubscriptionIDs types.Set         `tfsdk:"subscription_ids"`
	TenantIDs       types.Set         `tfsdk:"tenant_ids"`
	Timeouts        timeouts.Value    `tfsdk:"timeouts"`
}
