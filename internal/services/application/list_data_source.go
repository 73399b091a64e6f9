package application

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/listing"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

var _ datasource.DataSourceWithConfigure = (*ApplicationsDataSource)(nil)

// NewApplicationsDataSource returns the azvmapps_applications data source.
func NewApplicationsDataSource() datasource.DataSource { return &ApplicationsDataSource{} }

// ApplicationsDataSource lists the VM application definitions of a gallery.
type ApplicationsDataSource struct {
	client *clients.Client
}

// ApplicationsDataSourceModel is the state of the azvmapps_applications data source.
type ApplicationsDataSourceModel struct {
	ID           types.String           `tfsdk:"id"`
	GalleryID    customtypes.ARMID      `tfsdk:"gallery_id"`
	Applications []applicationItemModel `tfsdk:"applications"`
}

// applicationItemModel is one application of the list.
type applicationItemModel struct {
	ID                  types.String `tfsdk:"id"`
	Name                types.String `tfsdk:"name"`
	Location            types.String `tfsdk:"location"`
	SupportedOSType     types.String `tfsdk:"supported_os_type"`
	Description         types.String `tfsdk:"description"`
	Eula                types.String `tfsdk:"eula"`
	PrivacyStatementURI types.String `tfsdk:"privacy_statement_uri"`
	ReleaseNoteURI      types.String `tfsdk:"release_note_uri"`
	EndOfLifeDate       types.String `tfsdk:"end_of_life_date"`
	Tags                types.Map    `tfsdk:"tags"`
}

// Metadata names the data source.
func (d *ApplicationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_applications"
}

// Schema describes the data source.
func (d *ApplicationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = listing.Schema(
		"Lists the VM application definitions of a gallery, sorted by name, so modules can find an "+
			"application without hard-coding its ID.",
		"The ID of the gallery that was listed.",
		map[string]dsschema.Attribute{
			"gallery_id": dsschema.StringAttribute{
				MarkdownDescription: "The ID of the gallery whose applications to list.",
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				Validators:          []validator.String{validate.GalleryID()},
			},
		},
		"applications", "The applications of the gallery, sorted by name.",
		map[string]dsschema.Attribute{
			"id":                    listing.String(descID),
			"name":                  listing.String("The name of the application."),
			"location":              listing.String("The Azure region of the application, short name (`eastus2`)."),
			"supported_os_type":     listing.String("The operating system the application is built for: `Linux` or `Windows`."),
			"description":           listing.String(descDescription),
			"eula":                  listing.String(descEula),
			"privacy_statement_uri": listing.String(descPrivacy),
			"release_note_uri":      listing.String(descReleaseNote),
			"end_of_life_date":      listing.String("The end-of-life date of the application (RFC 3339)."),
			"tags":                  listing.Tags("The tags of the application."),
		})
}

// Configure takes the provider's client.
func (d *ApplicationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read lists the gallery's applications, following every page of the list.
func (d *ApplicationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	listing.Read(ctx, req, resp, d.list)
}

// list fills in the applications of the configured gallery.
func (d *ApplicationsDataSource) list(ctx context.Context, config *ApplicationsDataSourceModel, diags *diag.Diagnostics) {
	galleryID := config.GalleryID.ValueString()
	g, err := ids.ParseGallery(galleryID)
	if err != nil {
		diags.AddAttributeError(path.Root("gallery_id"), "Invalid gallery ID", err.Error())
		return
	}
	compute, err := d.client.ComputeFor(g.SubscriptionID)
	if err != nil {
		diags.AddError("Error listing applications", fmt.Sprintf("Building the client for subscription %s: %s", g.SubscriptionID, err))
		return
	}
	apps, err := listing.All(ctx, compute.NewGalleryApplicationsClient().NewListByGalleryPager(g.ResourceGroup, g.Name, nil),
		func(p armcompute.GalleryApplicationsClientListByGalleryResponse) []*armcompute.GalleryApplication {
			return p.Value
		})
	if err != nil {
		listing.Scope{
			What: "applications", ID: galleryID, Attribute: path.Root("gallery_id"), NotFound: "Gallery not found",
			NotFoundDetail: fmt.Sprintf("No gallery %s exists, so it has no applications to list. Check the ID, or create the gallery first "+
				"(with depends_on when it is in the same configuration).", galleryID),
		}.AddError(diags, err)
		return
	}
	items, ds := flattenApplicationList(ctx, apps)
	diags.Append(ds...)
	config.ID = types.StringValue(galleryID)
	config.Applications = items
}

// flattenApplicationList converts the listed applications with flattenApplication, sorted by
// name (case-insensitive) so the list, and plans that use it, do not churn.
func flattenApplicationList(ctx context.Context, apps []*armcompute.GalleryApplication) ([]applicationItemModel, diag.Diagnostics) {
	items, diags := listing.Items(apps, func(a *armcompute.GalleryApplication) (applicationItemModel, diag.Diagnostics) {
		m, diags := flattenApplication(ctx, *a, ApplicationResourceModel{Tags: types.MapNull(types.StringType)})
		return applicationItemModel{
			ID:                  m.ID,
			Name:                m.Name,
			Location:            m.Location.StringValue,
			SupportedOSType:     m.SupportedOSType,
			Description:         m.Description,
			Eula:                m.Eula,
			PrivacyStatementURI: m.PrivacyStatementURI,
			ReleaseNoteURI:      m.ReleaseNoteURI,
			EndOfLifeDate:       m.EndOfLifeDate,
			Tags:                m.Tags,
		}, diags
	})
	listing.SortFold(items, func(i applicationItemModel) string { return i.Name.ValueString() })
	return items, diags
}
