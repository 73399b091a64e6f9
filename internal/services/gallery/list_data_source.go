package gallery

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
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
	resp.Schema = dsschema.Schema{
		MarkdownDescription: "Lists the Azure Compute Galleries of a resource group, or of the whole subscription when " +
			"`resource_group_name` is left out, sorted by name, so modules can find a gallery without hard-coding its ID.",
		Attributes: map[string]dsschema.Attribute{
			"id": dsschema.StringAttribute{
				MarkdownDescription: "The scope that was listed: the resource group's ID, or `/subscriptions/{subscription}`.",
				Computed:            true,
			},
			"resource_group_name": dsschema.StringAttribute{
				MarkdownDescription: "The resource group whose galleries to list. Leave it out to list every gallery of the provider's subscription.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"galleries": dsschema.ListNestedAttribute{
				MarkdownDescription: "The galleries, sorted by name (then resource group).",
				Computed:            true,
				NestedObject: dsschema.NestedAttributeObject{Attributes: map[string]dsschema.Attribute{
					"id":                        dsschema.StringAttribute{MarkdownDescription: descID, Computed: true},
					"name":                      dsschema.StringAttribute{MarkdownDescription: "The name of the gallery.", Computed: true},
					"resource_group_name":       dsschema.StringAttribute{MarkdownDescription: descResourceGroupName, Computed: true},
					"location":                  dsschema.StringAttribute{MarkdownDescription: "The Azure region of the gallery, short name (`eastus2`).", Computed: true},
					"description":               dsschema.StringAttribute{MarkdownDescription: descDescription, Computed: true},
					"unique_name":               dsschema.StringAttribute{MarkdownDescription: descUniqueName, Computed: true},
					"sharing_permission":        dsschema.StringAttribute{MarkdownDescription: "Who the gallery is shared with: `Private`, `Groups` or `Community`.", Computed: true},
					"community_gallery_enabled": dsschema.BoolAttribute{MarkdownDescription: "Whether the gallery is published to the community (public to all Azure users).", Computed: true},
					"soft_delete_enabled":       dsschema.BoolAttribute{MarkdownDescription: "Whether soft delete is enabled for resources of the gallery.", Computed: true},
					"tags":                      dsschema.MapAttribute{MarkdownDescription: "The tags of the gallery.", Computed: true, ElementType: types.StringType},
				}},
			},
		},
	}
}

// Configure takes the provider's client.
func (d *GalleriesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read lists the galleries, following every page of the list.
func (d *GalleriesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config GalleriesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, framework.DefaultReadTimeout)
	defer cancel()

	client := d.client.Compute.NewGalleriesClient()
	scope := "/subscriptions/" + d.client.SubscriptionID
	var galleries []*armcompute.Gallery
	var err error
	if rg := config.ResourceGroupName.ValueString(); rg != "" {
		scope += "/resourceGroups/" + rg
		pager := client.NewListByResourceGroupPager(rg, nil)
		for pager.More() && err == nil {
			var page armcompute.GalleriesClientListByResourceGroupResponse
			if page, err = pager.NextPage(ctx); err == nil {
				galleries = append(galleries, page.Value...)
			}
		}
		if azure.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("resource_group_name"), "Resource group not found",
				fmt.Sprintf("Resource group %q does not exist in subscription %s. Check the name and the provider's subscription_id.\n\n%s",
					rg, d.client.SubscriptionID, azure.Describe("listing the galleries of", scope, err)))
			return
		}
	} else {
		pager := client.NewListPager(nil)
		for pager.More() && err == nil {
			var page armcompute.GalleriesClientListResponse
			if page, err = pager.NextPage(ctx); err == nil {
				galleries = append(galleries, page.Value...)
			}
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Error listing galleries", azure.Describe("listing the galleries of", scope, err))
		return
	}
	items, diags := flattenGalleryList(ctx, galleries)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	config.ID = types.StringValue(scope)
	config.Galleries = items
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// flattenGalleryList converts the listed galleries with flattenGallery, sorted by name and
// resource group (case-insensitive) so the list, and plans that use it, do not churn.
func flattenGalleryList(ctx context.Context, galleries []*armcompute.Gallery) ([]galleryItemModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	items := []galleryItemModel{}
	for _, g := range galleries {
		if g == nil {
			continue
		}
		m, d := flattenGallery(ctx, *g, GalleryResourceModel{Tags: types.MapNull(types.StringType)})
		diags.Append(d...)
		permission := PermissionPrivate
		if m.Sharing != nil && !m.Sharing.Permission.IsNull() {
			permission = m.Sharing.Permission.ValueString()
		}
		items = append(items, galleryItemModel{
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
		})
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := strings.ToLower(items[i].Name.ValueString()), strings.ToLower(items[j].Name.ValueString())
		if a != b {
			return a < b
		}
		return strings.ToLower(items[i].ResourceGroupName.ValueString()) < strings.ToLower(items[j].ResourceGroupName.ValueString())
	})
	return items, diags
}
