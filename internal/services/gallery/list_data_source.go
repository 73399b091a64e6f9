package gallery

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/listing"
)

var _ datasource.DataSourceWithConfigure = (*GalleriesDataSource)(nil)

// NewGalleriesDataSource returns the azvmapps_galleries data source.
func NewGalleriesDataSource() datasource.DataSource { return &GalleriesDataSource{} }

// GalleriesDataSource lists the galleries of a resource group or of the whole subscription.
type GalleriesDataSource struct {
	client *clients.Client
}

// GalleriesDataSourceModel is the state of the azvmapps_galleries data source.
type GalleriesDataSourceModel struct {
	ID                types.String       `tfsdk:"id"`
	ResourceGroupName types.String       `tfsdk:"resource_group_name"`
	Galleries         []galleryItemModel `tfsdk:"galleries"`
}

// galleryItemModel is one gallery of the list.
type galleryItemModel struct {
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	ResourceGroupName types.String `tfsdk:"resource_group_name"`
	Location          types.String `tfsdk:"location"`
	Description       types.String `tfsdk:"description"`
	UniqueName        types.String `tfsdk:"unique_name"`
	SharingPermission types.String `tfsdk:"sharing_permission"`
	CommunityEnabled  types.Bool   `tfsdk:"community_gallery_enabled"`
	SoftDeleteEnabled types.Bool   `tfsdk:"soft_delete_enabled"`
	Tags              types.Map    `tfsdk:"tags"`
}

// Metadata names the data source.
func (d *GalleriesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_galleries"
}

// Schema describes the data source.
func (d *GalleriesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = listing.Schema(
		"Lists the Azure Compute Galleries of a resource group, or of the whole subscription when "+
			"`resource_group_name` is left out, sorted by name, so modules can find a gallery without hard-coding its ID.",
		"The scope that was listed: the resource group's ID, or `/subscriptions/{subscription}`.",
		map[string]dsschema.Attribute{
			"resource_group_name": dsschema.StringAttribute{
				MarkdownDescription: "The resource group whose galleries to list. Leave it out to list every gallery of the provider's subscription.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
		"galleries", "The galleries, sorted by name (then resource group).",
		map[string]dsschema.Attribute{
			"id":                        listing.String(descID),
			"name":                      listing.String("The name of the gallery."),
			"resource_group_name":       listing.String(descResourceGroupName),
			"location":                  listing.String("The Azure region of the gallery, short name (`eastus2`)."),
			"description":               listing.String(descDescription),
			"unique_name":               listing.String(descUniqueName),
			"sharing_permission":        listing.String("Who the gallery is shared with: `Private`, `Groups` or `Community`."),
			"community_gallery_enabled": listing.Bool("Whether the gallery is published to the community (public to all Azure users)."),
			"soft_delete_enabled":       listing.Bool("Whether soft delete is enabled for resources of the gallery."),
			"tags":                      listing.Tags("The tags of the gallery."),
		})
}

// Configure takes the provider's client.
func (d *GalleriesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read lists the galleries, following every page of the list.
func (d *GalleriesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	listing.Read(ctx, req, resp, d.list)
}

// list fills in the galleries of the configured scope.
func (d *GalleriesDataSource) list(ctx context.Context, config *GalleriesDataSourceModel, diags *diag.Diagnostics) {
	client := d.client.Compute.NewGalleriesClient()
	scope := listing.Scope{What: "galleries", ID: "/subscriptions/" + d.client.SubscriptionID}
	var galleries []*armcompute.Gallery
	var err error
	if rg := config.ResourceGroupName.ValueString(); rg != "" {
		scope.ID += "/resourceGroups/" + rg
		scope.Attribute, scope.NotFound = path.Root("resource_group_name"), "Resource group not found"
		scope.NotFoundDetail = fmt.Sprintf("Resource group %q does not exist in subscription %s. Check the name and the provider's subscription_id.",
			rg, d.client.SubscriptionID)
		galleries, err = listing.All(ctx, client.NewListByResourceGroupPager(rg, nil),
			func(p armcompute.GalleriesClientListByResourceGroupResponse) []*armcompute.Gallery { return p.Value })
	} else {
		galleries, err = listing.All(ctx, client.NewListPager(nil),
			func(p armcompute.GalleriesClientListResponse) []*armcompute.Gallery { return p.Value })
	}
	if err != nil {
		scope.AddError(diags, err)
		return
	}
	items, ds := flattenGalleryList(ctx, galleries)
	diags.Append(ds...)
	config.ID = types.StringValue(scope.ID)
	config.Galleries = items
}

// flattenGalleryList converts the listed galleries with flattenGallery, sorted by name and
// resource group (case-insensitive) so the list, and plans that use it, do not churn.
func flattenGalleryList(ctx context.Context, galleries []*armcompute.Gallery) ([]galleryItemModel, diag.Diagnostics) {
	items, diags := listing.Items(galleries, func(g *armcompute.Gallery) (galleryItemModel, diag.Diagnostics) {
		m, diags := flattenGallery(ctx, *g, GalleryResourceModel{Tags: types.MapNull(types.StringType)})
		permission := PermissionPrivate
		if m.Sharing != nil && !m.Sharing.Permission.IsNull() {
			permission = m.Sharing.Permission.ValueString()
		}
		return galleryItemModel{
			ID:                m.ID,
			Name:              m.Name,
			ResourceGroupName: m.ResourceGroupName,
			Location:          m.Location.StringValue,
			Description:       m.Description,
			UniqueName:        m.UniqueName,
			SharingPermission: types.StringValue(permission),
			CommunityEnabled:  m.CommunityEnabled,
			SoftDeleteEnabled: m.SoftDeleteEnabled,
			Tags:              m.Tags,
		}, diags
	})
	listing.SortFold(items,
		func(i galleryItemModel) string { return i.Name.ValueString() },
		func(i galleryItemModel) string { return i.ResourceGroupName.ValueString() })
	return items, diags
}
