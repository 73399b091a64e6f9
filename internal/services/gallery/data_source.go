package gallery

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

var _ datasource.DataSourceWithConfigure = (*GalleryDataSource)(nil)

// NewGalleryDataSource returns the azvmapps_gallery data source.
func NewGalleryDataSource() datasource.DataSource { return &GalleryDataSource{} }

// GalleryDataSource reads an existing gallery.
type GalleryDataSource struct {
	client *clients.Client
}

// Metadata names the data source.
func (d *GalleryDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gallery"
}

// Schema describes the data source.
func (d *GalleryDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema()
}

// Configure takes the provider's client.
func (d *GalleryDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read looks the gallery up by id, or by name and resource group.
func (d *GalleryDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config GalleryDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var g ids.Gallery
	if !config.ID.IsNull() {
		var err error
		if g, err = ids.ParseGallery(config.ID.ValueString()); err != nil {
			resp.Diagnostics.AddError("Invalid gallery ID", err.Error())
			return
		}
	} else {
		g = ids.NewGallery(d.client.SubscriptionID, config.ResourceGroupName.ValueString(), config.Name.ValueString())
	}
	id := g.String()
	f := framework.Compute(d.client, g, &resp.Diagnostics)
	if f == nil {
		return
	}
	got, err := f.NewGalleriesClient().Get(ctx, g.ResourceGroup, g.Name, nil)
	if err != nil {
		if azure.IsNotFound(err) {
			resp.Diagnostics.AddError("Gallery not found", fmt.Sprintf("No gallery %s exists. Check the name, the resource group and the subscription (%s).\n\n%s", id, g.SubscriptionID, azure.Describe("reading gallery", id, err)))
			return
		}
		resp.Diagnostics.AddError("Error reading gallery", azure.Describe("reading gallery", id, err))
		return
	}
	prior := GalleryResourceModel{
		ID:                config.ID,
		Name:              config.Name,
		ResourceGroupName: config.ResourceGroupName,
		Tags:              types.MapNull(types.StringType),
	}
	m, diags := flattenGallery(ctx, got.Gallery, prior)
	resp.Diagnostics.Append(diags...)
	ds := m.toDataSourceModel()
	resp.Diagnostics.Append(resp.State.Set(ctx, ds)...)
}
