package applicationversion

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/convert"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

var _ datasource.DataSourceWithConfigure = (*ApplicationVersionDataSource)(nil)

// NewApplicationVersionDataSource is the constructor the provider registers.
func NewApplicationVersionDataSource() datasource.DataSource { return &ApplicationVersionDataSource{} }

// ApplicationVersionDataSource reads one application version, or the latest one.
type ApplicationVersionDataSource struct {
	client *clients.Client
}

// ApplicationVersionDataSourceModel is the data source's state.
type ApplicationVersionDataSourceModel struct {
	ApplicationID            customtypes.ARMID `tfsdk:"application_id"`
	Name                     types.String      `tfsdk:"name"`
	ID                       types.String      `tfsdk:"id"`
	ResolvedName             types.String      `tfsdk:"resolved_name"`
	Location                 types.String      `tfsdk:"location"`
	MediaLink                types.String      `tfsdk:"media_link"`
	DefaultConfigurationLink types.String      `tfsdk:"default_configuration_link"`
	ManageActions            types.Object      `tfsdk:"manage_actions"`
	TargetRegion             types.List        `tfsdk:"target_region"`
	ReplicaCount             types.Int64       `tfsdk:"replica_count"`
	StorageAccountType       types.String      `tfsdk:"storage_account_type"`
	ExcludeFromLatest        types.Bool        `tfsdk:"exclude_from_latest"`
	EndOfLifeDate            types.String      `tfsdk:"end_of_life_date"`
	PublishedDate            types.String      `tfsdk:"published_date"`
	ProvisioningState        types.String      `tfsdk:"provisioning_state"`
	ReplicationStatus        types.Object      `tfsdk:"replication_status"`
	Tags                     types.Map         `tfsdk:"tags"`
}

var manageActionsAttrTypes = map[string]attr.Type{
	"install": types.StringType,
	"remove":  types.StringType,
	"update":  types.StringType,
}

var dataTargetRegionAttrTypes = map[string]attr.Type{
	"name":                   types.StringType,
	"regional_replica_count": types.Int64Type,
	"storage_account_type":   types.StringType,
	"exclude_from_latest":    types.BoolType,
}

// Metadata names the data source.
func (d *ApplicationVersionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_application_version"
}

// Schema describes the data source.
func (d *ApplicationVersionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a version of a VM application, by name or as `latest`: the highest version " +
			"(by Major.Minor.Patch) not excluded from latest, as VMs asking for `latest` get it.",
		Attributes: map[string]schema.Attribute{
			"application_id": schema.StringAttribute{
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				MarkdownDescription: "The ID of the application.",
				Validators:          []validator.String{validate.ApplicationID()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The version name (`1.0.0`), or `latest` for the highest version not excluded from latest.",
				Validators: []validator.String{stringvalidator.Any(
					stringvalidator.OneOf("latest"),
					validate.VersionName(),
				)},
			},
			"id":                         computed("The ARM ID of the version."),
			"resolved_name":              computed("The version's name; with `name = \"latest\"`, the version it resolved to."),
			"location":                   computed("The version's region."),
			"media_link":                 schema.StringAttribute{Computed: true, Sensitive: true, MarkdownDescription: "The package URL."},
			"default_configuration_link": schema.StringAttribute{Computed: true, Sensitive: true, MarkdownDescription: "The default configuration file URL."},
			"manage_actions": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The install, remove and update scripts.",
				Attributes: map[string]schema.Attribute{
					"install": computed("The install command."),
					"remove":  computed("The remove command."),
					"update":  computed("The update command."),
				},
			},
			"target_region": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The regions the version is replicated to.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":                   computed("The region, short name (`eastus2`)."),
					"regional_replica_count": schema.Int64Attribute{Computed: true, MarkdownDescription: "Replicas in the region."},
					"storage_account_type":   computed("The storage account type of the replicas."),
					"exclude_from_latest":    schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether `latest` skips this version in the region."},
				}},
			},
			"replica_count":        schema.Int64Attribute{Computed: true, MarkdownDescription: "The default replicas per region."},
			"storage_account_type": computed("The default storage account type."),
			"exclude_from_latest":  schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether `latest` skips this version."},
			"end_of_life_date":     computed("The end-of-life date (RFC 3339)."),
			"published_date":       computed("When the version was published (RFC 3339)."),
			"provisioning_state":   computed("The provisioning state."),
			"replication_status":   replicationStatusAttribute(),
			"tags":                 schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The version's tags."},
		},
	}
}

// replicationStatusAttribute is the replication status of a version as the data sources show it.
func replicationStatusAttribute() schema.SingleNestedAttribute {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	return schema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: "The replication status of the version.",
		Attributes: map[string]schema.Attribute{
			"aggregated_state": computed("The overall state: `InProgress`, `Completed`, `Failed` or `Unknown`."),
			"regions": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The state of each target region.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"region":   computed("The region, as the service names it (`East US 2`)."),
					"state":    computed("`Replicating`, `Completed`, `Failed` or `Unknown`."),
					"progress": schema.Int64Attribute{Computed: true, MarkdownDescription: "Replication progress in percent."},
					"details":  computed("The service's details, for example why replication failed."),
				}},
			},
		},
	}
}

// Configure receives the provider's client.
func (d *ApplicationVersionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read resolves the version (listing the application's versions for "latest") and reads it
// with its replication status.
func (d *ApplicationVersionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m ApplicationVersionDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, framework.DefaultReadTimeout)
	defer cancel()
	appID := m.ApplicationID.ValueString()
	app, err := ids.ParseApplication(appID)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("application_id"), "Invalid application ID", err.Error())
		return
	}
	rg, gallery, application := app.ResourceGroup, app.Gallery, app.Name
	f := framework.Compute(d.client, app, &resp.Diagnostics)
	if f == nil {
		return
	}
	client := f.NewGalleryApplicationVersionsClient()

	name := m.Name.ValueString()
	if strings.EqualFold(name, "latest") {
		versions, err := listVersions(ctx, client, rg, gallery, application)
		if err != nil {
			versionsScope(appID).AddError(&resp.Diagnostics, err)
			return
		}
		latest, ok := latestVersion(versions)
		if !ok {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "No latest application version",
				fmt.Sprintf("Application %s has no version that is not excluded from latest (%d versions in all). Publish a "+
					"version with exclude_from_latest = false, or ask for a version by name.", appID, len(versions)))
			return
		}
		name = latest
	}
	got, err := client.Get(ctx, rg, gallery, application, name,
		&armcompute.GalleryApplicationVersionsClientGetOptions{Expand: to.Ptr(armcompute.ReplicationStatusTypesReplicationStatus)})
	if err != nil {
		if azure.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Application version not found",
				fmt.Sprintf("Application %s has no version %q (or the application does not exist).", appID, name))
			return
		}
		resp.Diagnostics.AddError("Error reading application version", azure.Describe("reading", appID+"/versions/"+name, err))
		return
	}
	resp.Diagnostics.Append(flattenDataSource(&got.GalleryApplicationVersion, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// latestVersion picks the highest Major.Minor.Patch among versions not excluded from latest.
func latestVersion(versions []*armcompute.GalleryApplicationVersion) (string, bool) {
	var best validate.Version
	bestName, found := "", false
	for _, v := range versions {
		if v == nil || v.Name == nil {
			continue
		}
		if p := v.Properties; p != nil && p.PublishingProfile != nil && p.PublishingProfile.ExcludeFromLatest != nil && *p.PublishingProfile.ExcludeFromLatest {
			continue
		}
		parsed, err := validate.ParseVersionName(*v.Name)
		if err != nil {
			continue
		}
		if !found || parsed.Compare(best) > 0 {
			best, bestName, found = parsed, *v.Name, true
		}
	}
	return bestName, found
}

func flattenDataSource(v *armcompute.GalleryApplicationVersion, m *ApplicationVersionDataSourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringPointerValue(v.ID)
	m.ResolvedName = types.StringPointerValue(v.Name)
	m.Location = types.StringNull()
	if v.Location != nil {
		m.Location = types.StringValue(azure.NormalizeLocation(*v.Location))
	}
	tags, d := convert.FlattenStringMap(context.Background(), v.Tags, types.MapNull(types.StringType))
	diags.Append(d...)
	m.Tags = tags
	props := v.Properties
	if props == nil {
		props = &armcompute.GalleryApplicationVersionProperties{}
	}
	m.ProvisioningState = enumString(props.ProvisioningState)
	rs, d := flattenReplicationStatus(props.ReplicationStatus)
	diags.Append(d...)
	m.ReplicationStatus = rs
	pp := props.PublishingProfile
	if pp == nil {
		pp = &armcompute.GalleryApplicationVersionPublishingProfile{}
	}
	m.MediaLink, m.DefaultConfigurationLink = types.StringNull(), types.StringNull()
	if pp.Source != nil {
		m.MediaLink = types.StringPointerValue(pp.Source.MediaLink)
		m.DefaultConfigurationLink = emptyAsNull(pp.Source.DefaultConfigurationLink)
	}
	m.ManageActions = types.ObjectNull(manageActionsAttrTypes)
	if ma := pp.ManageActions; ma != nil {
		o, d := types.ObjectValueFrom(context.Background(), manageActionsAttrTypes, manageActionsModel{
			Install: types.StringPointerValue(ma.Install), Remove: types.StringPointerValue(ma.Remove), Update: emptyAsNull(ma.Update),
		})
		diags.Append(d...)
		m.ManageActions = o
	}
	type region struct {
		Name                 types.String `tfsdk:"name"`
		RegionalReplicaCount types.Int64  `tfsdk:"regional_replica_count"`
		StorageAccountType   types.String `tfsdk:"storage_account_type"`
		ExcludeFromLatest    types.Bool   `tfsdk:"exclude_from_latest"`
	}
	regions := []region{}
	for _, tr := range pp.TargetRegions {
		if tr == nil || tr.Name == nil {
			continue
		}
		r := region{
			Name:                 types.StringValue(azure.NormalizeLocation(*tr.Name)),
			RegionalReplicaCount: types.Int64Null(),
			StorageAccountType:   enumString(tr.StorageAccountType),
			ExcludeFromLatest:    types.BoolValue(tr.ExcludeFromLatest != nil && *tr.ExcludeFromLatest),
		}
		if tr.RegionalReplicaCount != nil {
			r.RegionalReplicaCount = types.Int64Value(int64(*tr.RegionalReplicaCount))
		}
		regions = append(regions, r)
	}
	l, d := types.ListValueFrom(context.Background(), types.ObjectType{AttrTypes: dataTargetRegionAttrTypes}, regions)
	diags.Append(d...)
	m.TargetRegion = l
	m.ReplicaCount = types.Int64Null()
	if pp.ReplicaCount != nil {
		m.ReplicaCount = types.Int64Value(int64(*pp.ReplicaCount))
	}
	m.StorageAccountType = enumString(pp.StorageAccountType)
	m.ExcludeFromLatest = types.BoolValue(pp.ExcludeFromLatest != nil && *pp.ExcludeFromLatest)
	m.EndOfLifeDate = convert.FlattenTime(pp.EndOfLifeDate, types.StringNull())
	m.PublishedDate = convert.FlattenTime(pp.PublishedDate, types.StringNull())
	return diags
}
