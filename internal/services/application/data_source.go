package application

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

var _ datasource.DataSourceWithConfigure = (*ApplicationDataSource)(nil)

// NewApplicationDataSource returns the azvmapps_application data source.
func NewApplicationDataSource() datasource.DataSource { return &ApplicationDataSource{} }

// ApplicationDataSource reads an existing VM application definition.
type ApplicationDataSource struct {
	client *clients.Client
}

// Metadata names the data source.
func (d *ApplicationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_application"
}

// Schema describes the data source.
func (d *ApplicationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema()
}

// Configure takes the provider's client.
func (d *ApplicationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read looks the application up by id, or by name and gallery_id.
func (d *ApplicationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config ApplicationDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var app ids.Application
	if !config.ID.IsNull() {
		var err error
		if app, err = ids.ParseApplication(config.ID.ValueString()); err != nil {
			resp.Diagnostics.AddError("Invalid application ID", err.Error())
			return
		}
	} else {
		g, err := ids.ParseGallery(config.GalleryID.ValueString())
		if err != nil {
			resp.Diagnostics.AddError("Invalid gallery ID", err.Error())
			return
		}
		app = g.Application(config.Name.ValueString())
	}
	id := app.String()
	f := framework.Compute(d.client, app, &resp.Diagnostics)
	if f == nil {
		return
	}
	got, err := f.NewGalleryApplicationsClient().Get(ctx, app.ResourceGroup, app.Gallery, app.Name, nil)
	if err != nil {
		if azure.IsNotFound(err) {
			resp.Diagnostics.AddError("Application not found", fmt.Sprintf("No VM application %s exists. Check the name and the gallery.\n\n%s", id, azure.Describe("reading application", id, err)))
			return
		}
		resp.Diagnostics.AddError("Error reading application", azure.Describe("reading application", id, err))
		return
	}
	prior := ApplicationResourceModel{
		ID:        config.ID,
		Name:      config.Name,
		GalleryID: config.GalleryID,
		Tags:      types.MapNull(types.StringType),
	}
	m, diags := flattenApplication(ctx, got.GalleryApplication, prior)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m.toDataSourceModel())...)
}
