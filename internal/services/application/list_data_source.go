package application

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
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
	computed := func(desc string) dsschema.StringAttribute {
		return dsschema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = dsschema.Schema{
		MarkdownDescription: "Lists the VM application definitions of a gallery, sorted by name, so modules can find an " +
			"application without hard-coding its ID.",
		Attributes: map[string]dsschema.Attribute{
			"id": computed("The ID of the gallery that was listed."),
			"gallery_id": dsschema.StringAttribute{
				MarkdownDescription: "The ID of the gallery whose applications to list.",
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				Validators:          []validator.String{validate.GalleryID()},
			},
			"applications": dsschema.ListNestedAttribute{
				MarkdownDescription: "The applications of the gallery, sorted by name.",
				Computed:            true,
				NestedObject: dsschema.NestedAttributeObject{Attributes: map[string]dsschema.Attribute{
					"id":                    computed(descID),
					"name":                  computed("The name of the application."),
					"location":              computed("The Azure region of the application, short name (`eastus2`)."),
					"supported_os_type":     computed("The operating system the application is built for: `Linux` or `Windows`."),
					"description":           computed(descDescription),
					"eula":                  computed(descEula),
					"privacy_statement_uri": computed(descPrivacy),
					"release_note_uri":      computed(descReleaseNote),
					"end_of_life_date":      computed("The end-of-life date of the application (RFC 3339)."),
					"tags":                  dsschema.MapAttribute{MarkdownDescription: "The tags of the application.", Computed: true, ElementType: types.StringType},
				}},
			},
		},
	}
}

// Configure takes the provider's client.
func (d *ApplicationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read lists the gallery's applications, following every page of the list.
func (d *ApplicationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config ApplicationsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, framework.DefaultReadTimeout)
	defer cancel()

	galleryID := config.GalleryID.ValueString()
	g, err := ids.ParseGallery(galleryID)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("gallery_id"), "Invalid gallery ID", err.Error())
		return
	}
	compute, err := d.client.ComputeFor(g.SubscriptionID)
	if err != nil {
		resp.Diagnostics.AddError("Error listing applications", fmt.Sprintf("Building the client for subscription %s: %s", g.SubscriptionID, err))
		return
	}
	var apps []*armcompute.GalleryApplication
	pager := compute.NewGalleryApplicationsClient().NewListByGalleryPager(g.ResourceGroup, g.Name, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if azure.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("gallery_id"), "Gallery not found",
				fmt.Sprintf("No gallery %s exists, so it has no applications to list. Check the ID, or create the gallery first "+
					"(with depends_on when it is in the same configuration).\n\n%s", galleryID, azure.Describe("listing the applications of", galleryID, err)))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Error listing applications", azure.Describe("listing the applications of", galleryID, err))
			return
		}
		apps = append(apps, page.Value...)
	}
	items, diags := flattenApplicationList(ctx, apps)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	config.ID = types.StringValue(galleryID)
	config.Applications = items
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// flattenApplicationList converts the listed applications with flattenApplication, sorted by
// name (case-insensitive) so the list, and plans that use it, do not churn.
func flattenApplicationList(ctx context.Context, apps []*armcompute.GalleryApplication) ([]applicationItemModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	items := []applicationItemModel{}
	for _, a := range apps {
		if a == nil {
			continue
		}
		m, d := flattenApplication(ctx, *a, ApplicationResourceModel{Tags: types.MapNull(types.StringType)})
		diags.Append(d...)
		items = append(items, applicationItemModel{
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
		})
	}
	sort.SliceStable(items, func(i, j int) bool {
		return strings.ToLower(items[i].Name.ValueString()) < strings.ToLower(items[j].Name.ValueString())
	})
	return items, diags
}
