package assignment

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

var _ datasource.DataSourceWithConfigure = (*VMApplicationsDataSource)(nil)

// NewVMApplicationsDataSource is the constructor the provider registers.
func NewVMApplicationsDataSource() datasource.DataSource { return &VMApplicationsDataSource{} }

// VMApplicationsDataSource lists the applications of a VM or scale set.
type VMApplicationsDataSource struct {
	client *clients.Client
}

// Metadata names the data source.
func (d *VMApplicationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vm_applications"
}

// Schema describes the data source.
func (d *VMApplicationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema()
}

// Configure receives the provider's client.
func (d *VMApplicationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Read lists the target's applications with their install status.
func (d *VMApplicationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m VMApplicationsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tid, err := ids.ParseTarget(m.TargetID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("target_id"), "Invalid target ID", err.Error())
		return
	}
	s := targets{d.client}
	t, err := s.shared(ctx, tid)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("target_id"), "Error reading the VM or scale set", azure.Describe("reading", tid.String(), err))
		return
	}
	per, err := s.sharedStates(ctx, tid)
	if err != nil {
		resp.Diagnostics.AddError("Error reading the install status", azure.Describe("reading the instance view of", tid.String(), err))
		return
	}
	m.ID = types.StringValue(m.TargetID.ValueString())
	m.Applications = make([]vmApplicationModel, 0, len(t.apps()))
	for _, a := range t.apps() {
		ref := deref(a.PackageReferenceID)
		appID := refApplicationID(a)
		st, msg := statusOf(per, nameOf(appID), nameOf(ref), flagValue(a.EnableAutomaticUpgrade).ValueBool())
		m.Applications = append(m.Applications, vmApplicationModel{
			ApplicationID:                   types.StringValue(appID),
			VersionID:                       types.StringValue(ref),
			Order:                           types.Int32PointerValue(a.Order),
			TreatFailureAsDeploymentFailure: flagValue(a.TreatFailureAsDeploymentFailure),
			EnableAutomaticUpgrade:          flagValue(a.EnableAutomaticUpgrade),
			InstallStatus:                   types.StringValue(st),
			InstallMessage:                  types.StringValue(msg),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
