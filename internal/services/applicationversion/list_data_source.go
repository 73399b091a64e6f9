package applicationversion

import (
	"context"
	"fmt"
	"sort"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/listing"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

var _ datasource.DataSourceWithConfigure = (*ApplicationVersionsDataSource)(nil)

// NewApplicationVersionsDataSource is the constructor the provider registers.
func NewApplicationVersionsDataSource() datasource.DataSource {
	return &ApplicationVersionsDataSource{}
}

// ApplicationVersionsDataSource lists the versions of an application with their replication.
type ApplicationVersionsDataSource struct {
	client *clients.Client
}

// ApplicationVersionsDataSourceModel is the state of the azvmapps_application_versions data source.
type ApplicationVersionsDataSourceModel struct {
	ID            types.String       `tfsdk:"id"`
	ApplicationID customtypes.ARMID  `tfsdk:"application_id"`
	Latest        types.String       `tfsdk:"latest_version"`
	Versions      []versionItemModel `tfsdk:"versions"`
}

// versionItemModel is one version of the list.
type versionItemModel struct {
	ID                 types.String `tfsdk:"id"`
	Name               types.String `tfsdk:"name"`
	Location           types.String `tfsdk:"location"`
	ExcludeFromLatest  types.Bool   `tfsdk:"exclude_from_latest"`
	EndOfLifeDate      types.String `tfsdk:"end_of_life_date"`
	PublishedDate      types.String `tfsdk:"published_date"`
	ProvisioningState  types.String `tfsdk:"provisioning_state"`
	ReplicaCount       types.Int64  `tfsdk:"replica_count"`
	StorageAccountType types.String `tfsdk:"storage_account_type"`
	TargetRegion       types.List   `tfsdk:"target_region"`
	ReplicationStatus  types.Object `tfsdk:"replication_status"`
	Tags               types.Map    `tfsdk:"tags"`
}

// Metadata names the data source.
func (d *ApplicationVersionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_application_versions"
}

// Schema describes the data source.
func (d *ApplicationVersionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = listing.Schema(
		"Lists the versions of a VM application, oldest first (by Major.Minor.Patch), each with its "+
			"latest exclusion, end-of-life date, publishing date and replication state, so modules can pick versions "+
			"without hard-coding IDs.",
		"The ID of the application that was listed.",
		map[string]schema.Attribute{
			"application_id": schema.StringAttribute{
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				MarkdownDescription: "The ID of the application whose versions to list.",
				Validators:          []validator.String{validate.ApplicationID()},
			},
			"latest_version": listing.String("The name of the version VMs asking for `latest` get: the highest version not excluded " +
				"from latest. Null when every version is excluded, or there is none."),
		},
		"versions", "The versions, sorted by Major.Minor.Patch, lowest first.",
		map[string]schema.Attribute{
			"id":                   listing.String("The ARM ID of the version."),
			"name":                 listing.String("The version name (`1.0.0`)."),
			"location":             listing.String("The version's region, short name (`eastus2`)."),
			"exclude_from_latest":  listing.Bool("Whether VMs asking for `latest` skip this version."),
			"end_of_life_date":     listing.String("The end-of-life date (RFC 3339); null when none is set."),
			"published_date":       listing.String("When the version was published (RFC 3339)."),
			"provisioning_state":   listing.String("The provisioning state (`Creating`, `Updating`, `Succeeded`, `Failed`…)."),
			"replica_count":        schema.Int64Attribute{Computed: true, MarkdownDescription: "The default replicas per region."},
			"storage_account_type": listing.String("The default storage account type of the replicas."),
			"target_region": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The regions the version is replicated to.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":                   listing.String("The region, short name (`eastus2`)."),
					"regional_replica_count": schema.Int64Attribute{Computed: true, MarkdownDescription: "Replicas in the region."},
					"storage_account_type":   listing.String("The storage account type of the replicas in the region."),
					"exclude_from_latest":    listing.Bool("Whether `latest` skips this version in the region."),
				}},
			},
			"replication_status": replicationStatusAttribute(),
			"tags":               listing.Tags("The version's tags."),
		})
}

// Configure receives the provider's client.
func (d *ApplicationVersionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read lists the application's versions (every page), then reads each with its replication
// status, which the list does not carry.
func (d *ApplicationVersionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	listing.Read(ctx, req, resp, d.list)
}

// list fills in the versions of the configured application.
func (d *ApplicationVersionsDataSource) list(ctx context.Context, m *ApplicationVersionsDataSourceModel, diags *diag.Diagnostics) {
	appID := m.ApplicationID.ValueString()
	app, err := ids.ParseApplication(appID)
	if err != nil {
		diags.AddAttributeError(path.Root("application_id"), "Invalid application ID", err.Error())
		return
	}
	compute, err := d.client.ComputeFor(app.SubscriptionID)
	if err != nil {
		diags.AddError("Error listing application versions", fmt.Sprintf("Building the client for subscription %s: %s", app.SubscriptionID, err))
		return
	}
	rg, gallery, application := app.ResourceGroup, app.Gallery, app.Name
	client := compute.NewGalleryApplicationVersionsClient()
	listed, err := listVersions(ctx, client, rg, gallery, application)
	if err != nil {
		versionsScope(appID).AddError(diags, err)
		return
	}
	var versions []*armcompute.GalleryApplicationVersion
	for _, v := range listed {
		if v == nil || v.Name == nil {
			continue
		}
		got, err := client.Get(ctx, rg, gallery, application, *v.Name,
			&armcompute.GalleryApplicationVersionsClientGetOptions{Expand: to.Ptr(armcompute.ReplicationStatusTypesReplicationStatus)})
		if azure.IsNotFound(err) {
			continue // deleted between the list and the read
		}
		if err != nil {
			diags.AddError("Error reading application version", azure.Describe("reading", appID+"/versions/"+*v.Name, err))
			return
		}
		versions = append(versions, &got.GalleryApplicationVersion)
	}
	items, ds := flattenVersionList(versions)
	diags.Append(ds...)
	m.ID = types.StringValue(appID)
	m.Versions = items
	m.Latest = types.StringNull()
	if latest, ok := latestVersion(versions); ok {
		m.Latest = types.StringValue(latest)
	}
}

// listVersions reads every page of an application's versions, as the list returns them
// (without replication status).
func listVersions(ctx context.Context, client *armcompute.GalleryApplicationVersionsClient, rg, gallery, application string) ([]*armcompute.GalleryApplicationVersion, error) {
	return listing.All(ctx, client.NewListByGalleryApplicationPager(rg, gallery, application, nil),
		func(p armcompute.GalleryApplicationVersionsClientListByGalleryApplicationResponse) []*armcompute.GalleryApplicationVersion {
			return p.Value
		})
}

// versionsScope is an application whose versions are listed, for the errors of the list.
func versionsScope(appID string) listing.Scope {
	return listing.Scope{
		What: "application versions", ID: appID, Attribute: path.Root("application_id"), NotFound: "Application not found",
		NotFoundDetail: fmt.Sprintf("No application %s exists (or its gallery does not), so it has no versions to list. Check the ID, or "+
			"create the application first (with depends_on when it is in the same configuration).", appID),
	}
}

// flattenVersionList converts the versions with the azvmapps_application_version data source's
// flatten, sorted by Major.Minor.Patch (names that are not semantic versions last, by name).
func flattenVersionList(versions []*armcompute.GalleryApplicationVersion) ([]versionItemModel, diag.Diagnostics) {
	items, diags := listing.Items(versions, func(v *armcompute.GalleryApplicationVersion) (versionItemModel, diag.Diagnostics) {
		var one ApplicationVersionDataSourceModel
		diags := flattenDataSource(v, &one)
		return versionItemModel{
			ID:                 one.ID,
			Name:               one.ResolvedName,
			Location:           one.Location,
			ExcludeFromLatest:  one.ExcludeFromLatest,
			EndOfLifeDate:      one.EndOfLifeDate,
			PublishedDate:      one.PublishedDate,
			ProvisioningState:  one.ProvisioningState,
			ReplicaCount:       one.ReplicaCount,
			StorageAccountType: one.StorageAccountType,
			TargetRegion:       one.TargetRegion,
			ReplicationStatus:  one.ReplicationStatus,
			Tags:               one.Tags,
		}, diags
	})
	sort.SliceStable(items, func(i, j int) bool {
		a, errA := validate.ParseVersionName(items[i].Name.ValueString())
		b, errB := validate.ParseVersionName(items[j].Name.ValueString())
		switch {
		case errA == nil && errB == nil:
			return a.Compare(b) < 0
		case errA == nil || errB == nil:
			return errA == nil
		}
		return items[i].Name.ValueString() < items[j].Name.ValueString()
	})
	return items, diags
}
