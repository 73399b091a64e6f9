// Package provider implements the azvmapps provider: its schema, configuration and
// authentication, and the list of resources and data sources it serves.
package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

var _ provider.Provider = (*AzvmappsProvider)(nil)

// AzvmappsProvider is the provider implementation.
type AzvmappsProvider struct {
	version string
	// transport overrides the HTTP transport in unit tests.
	transport policy.Transporter
}

// ProviderModel is the provider block's configuration.
type ProviderModel struct {
	SubscriptionID             types.String        `tfsdk:"subscription_id"`
	TenantID                   types.String        `tfsdk:"tenant_id"`
	ClientID                   types.String        `tfsdk:"client_id"`
	ClientSecret               types.String        `tfsdk:"client_secret"`
	ClientCertificatePath      types.String        `tfsdk:"client_certificate_path"`
	ClientCertificatePassword  types.String        `tfsdk:"client_certificate_password"`
	UseOIDC                    types.Bool          `tfsdk:"use_oidc"`
	OIDCToken                  types.String        `tfsdk:"oidc_token"`
	OIDCTokenFilePath          types.String        `tfsdk:"oidc_token_file_path"`
	OIDCRequestURL             types.String        `tfsdk:"oidc_request_url"`
	OIDCRequestToken           types.String        `tfsdk:"oidc_request_token"`
	OIDCTFCWorkloadIdentityTag types.String        `tfsdk:"oidc_tfc_workload_identity_tag"`
	UseMSI                     types.Bool          `tfsdk:"use_msi"`
	MSIEndpoint                types.String        `tfsdk:"msi_endpoint"`
	UseCLI                     types.Bool          `tfsdk:"use_cli"`
	Environment                types.String        `tfsdk:"environment"`
	Endpoint                   []endpointModel     `tfsdk:"endpoint"`
	SkipBlobChecks             types.Bool          `tfsdk:"skip_blob_checks"`
	ServiceLimits              *serviceLimitsModel `tfsdk:"service_limits"`
}

type endpointModel struct {
	ResourceManagerEndpoint      types.String `tfsdk:"resource_manager_endpoint"`
	ActiveDirectoryAuthorityHost types.String `tfsdk:"active_directory_authority_host"`
	ResourceManagerAudience      types.String `tfsdk:"resource_manager_audience"`
	StorageEndpointSuffix        types.String `tfsdk:"storage_endpoint_suffix"`
}

type serviceLimitsModel struct {
	MaxReplicasPerRegion types.Int64 `tfsdk:"max_replicas_per_region"`
	MaxApplicationsPerVM types.Int64 `tfsdk:"max_applications_per_vm"`
	MaxPackageSizeBytes  types.Int64 `tfsdk:"max_package_size_bytes"`
	AllowedBlobTypes     types.Set   `tfsdk:"allowed_blob_types"`
}

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &AzvmappsProvider{version: version} }
}

// Metadata names the provider and its version.
func (p *AzvmappsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "azvmapps"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *AzvmappsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	d := clients.DefaultServiceLimits()
	optString := func(desc string, sensitive bool) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Sensitive: sensitive, MarkdownDescription: desc}
	}
	optBool := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Azure Compute Gallery VM Applications: galleries, application definitions, " +
			"application versions and their assignment to virtual machines and scale sets. Every attribute is optional " +
			"and falls back to the `ARM_*` environment variables that the azurerm and azapi providers read.",
		Attributes: map[string]schema.Attribute{
			"subscription_id":                optString("The subscription to manage. Falls back to `ARM_SUBSCRIPTION_ID`, then `AZURE_SUBSCRIPTION_ID`.", false),
			"tenant_id":                      optString("The Microsoft Entra tenant ID. Falls back to `ARM_TENANT_ID`, then `AZURE_TENANT_ID`.", false),
			"client_id":                      optString("The client (application) ID of a service principal or user-assigned managed identity. Falls back to `ARM_CLIENT_ID`, then `AZURE_CLIENT_ID`.", false),
			"client_secret":                  optString("A client secret of the service principal. Falls back to `ARM_CLIENT_SECRET`, then `AZURE_CLIENT_SECRET`.", true),
			"client_certificate_path":        optString("Path to a PEM or PKCS#12 client certificate of the service principal. Falls back to `ARM_CLIENT_CERTIFICATE_PATH`.", false),
			"client_certificate_password":    optString("Password of the client certificate. Falls back to `ARM_CLIENT_CERTIFICATE_PASSWORD`.", true),
			"use_oidc":                       optBool("Authenticate with an OIDC token (workload identity federation): HCP Terraform / Terraform Cloud dynamic credentials, GitHub Actions, or a token file. Falls back to `ARM_USE_OIDC`. Defaults to `false`."),
			"oidc_token":                     optString("An OIDC token to exchange for an Azure token. Falls back to `ARM_OIDC_TOKEN`.", true),
			"oidc_token_file_path":           optString("A file holding an OIDC token, read on every token request. Falls back to `ARM_OIDC_TOKEN_FILE_PATH`, then `AZURE_FEDERATED_TOKEN_FILE`.", false),
			"oidc_request_url":               optString("The URL to request an OIDC token from (GitHub Actions). Falls back to `ARM_OIDC_REQUEST_URL`, then `ACTIONS_ID_TOKEN_REQUEST_URL`.", false),
			"oidc_request_token":             optString("The bearer token for `oidc_request_url`. Falls back to `ARM_OIDC_REQUEST_TOKEN`, then `ACTIONS_ID_TOKEN_REQUEST_TOKEN`.", true),
			"oidc_tfc_workload_identity_tag": optString("When an HCP Terraform workspace requests several workload identity tokens, the tag of the one to use (`TFC_WORKLOAD_IDENTITY_TOKEN_<TAG>`). Without it `TFC_WORKLOAD_IDENTITY_TOKEN` is used. Falls back to `ARM_OIDC_TFC_WORKLOAD_IDENTITY_TAG`.", false),
			"use_msi":                        optBool("Authenticate with a managed identity. Falls back to `ARM_USE_MSI`. Defaults to `false`."),
			"msi_endpoint":                   optString("A custom managed identity endpoint, handed to the Azure SDK as `MSI_ENDPOINT`: it is then asked in Cloud Shell's form (a POST), which serves no user-assigned identity, so leave `client_id` unset. Not needed on App Service, Functions or Container Apps, whose `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` are read directly. Falls back to `ARM_MSI_ENDPOINT`.", false),
			"use_cli":                        optBool("Authenticate with the Azure CLI's signed-in account when no other method applies. Falls back to `ARM_USE_CLI`. Defaults to `true`."),
			"environment": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The Azure cloud: `public`, `usgovernment` or `china`. Falls back to `ARM_ENVIRONMENT`. Defaults to `public`. Use the `endpoint` block for Azure Stack or the local emulator.",
				Validators:          []validator.String{stringvalidator.OneOfCaseInsensitive("public", "usgovernment", "china")},
			},
			"skip_blob_checks": optBool("Skip the plan-time checks of application packages (readable, blob type, size) for runners that cannot reach the storage account. Falls back to `ARM_SKIP_BLOB_CHECKS`. Defaults to `false`."),
		},
		Blocks: map[string]schema.Block{
			"endpoint": schema.ListNestedBlock{
				MarkdownDescription: "Custom endpoints (Azure Stack, the azvmapps emulator), named as the azapi provider names them so one environment drives both. At most one block.",
				Validators:          []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"resource_manager_endpoint":       optString("The Azure Resource Manager endpoint. Falls back to `ARM_RESOURCE_MANAGER_ENDPOINT`.", false),
					"active_directory_authority_host": optString("The Microsoft Entra authority host. Falls back to `ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST`, then `AZURE_AUTHORITY_HOST`.", false),
					"resource_manager_audience":       optString("The audience of tokens for the Resource Manager endpoint. Falls back to `ARM_RESOURCE_MANAGER_AUDIENCE`.", false),
					"storage_endpoint_suffix": optString("The storage endpoint suffix of the cloud, for example `local.azurestack.external` for Azure Stack Hub: "+
						"the provider's credential reads package blobs without a SAS token only at `https://<account>.blob.<suffix>`. Defaults to the `environment`'s "+
						"(`core.windows.net`, `core.usgovcloudapi.net`, `core.chinacloudapi.cn`); other hosts are read anonymously. Not an azapi setting. "+
						"Falls back to `ARM_STORAGE_ENDPOINT_SUFFIX`.", false),
				}},
			},
			"service_limits": schema.SingleNestedBlock{
				MarkdownDescription: "The VM Applications limits validated at plan time. The defaults are the documented service limits the provider was built against; " +
					"raise them where the service has raised its own (current documentation: 10 replicas per region, 25 applications per VM, 2 GB packages, block blobs accepted).",
				Attributes: map[string]schema.Attribute{
					"max_replicas_per_region": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: fmt.Sprintf("The largest `regional_replica_count` / `replica_count` allowed. Defaults to `%d`.", d.MaxReplicasPerRegion),
						Validators:          []validator.Int64{int64validator.AtLeast(1)},
					},
					"max_applications_per_vm": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: fmt.Sprintf("The most applications one VM or scale set may have. Defaults to `%d`.", d.MaxApplicationsPerVM),
						Validators:          []validator.Int64{int64validator.AtLeast(1)},
					},
					"max_package_size_bytes": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: fmt.Sprintf("The largest package (`media_link` blob) in bytes. Defaults to `%d` (1 GiB).", d.MaxPackageSizeBytes),
						Validators:          []validator.Int64{int64validator.AtLeast(1)},
					},
					"allowed_blob_types": schema.SetAttribute{
						Optional:            true,
						ElementType:         types.StringType,
						MarkdownDescription: "The blob types a package may be: `PageBlob`, `BlockBlob`. Defaults to `[\"PageBlob\"]`.",
						Validators: []validator.Set{
							setvalidator.SizeAtLeast(1),
							setvalidator.ValueStringsAre(stringvalidator.OneOf("PageBlob", "BlockBlob")),
						},
					},
				},
			},
		},
	}
}

// Configure resolves the configuration, builds the credential chain and the Azure client, and
// proves the credentials work by fetching a token.
func (p *AzvmappsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m ProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	clients.RouteSDKLogs(ctx)
	c := resolveConfig(m)

	limits, diags := serviceLimits(ctx, m.ServiceLimits)
	resp.Diagnostics.Append(diags...)
	if c.SubscriptionID == "" {
		resp.Diagnostics.AddAttributeError(path.Root("subscription_id"), "Missing subscription ID",
			"Set subscription_id in the provider block or the ARM_SUBSCRIPTION_ID environment variable.")
	}
	cc, err := cloudConfiguration(c)
	if err != nil {
		resp.Diagnostics.AddError("Invalid cloud configuration", err.Error())
	}
	if resp.Diagnostics.HasError() {
		return
	}

	attempts := buildCredentials(c, cc, p.transport)
	for _, a := range attempts {
		if a.Skipped != "" {
			tflog.Debug(ctx, "authentication method skipped", map[string]any{"method": a.Method, "reason": a.Skipped})
		}
	}
	cred, used, err := chainCredentials(attempts)
	if err != nil {
		resp.Diagnostics.AddError("Unable to authenticate to Azure", err.Error())
		return
	}
	tflog.Info(ctx, "authentication methods configured", map[string]any{"methods": strings.Join(used, ", ")})

	// The token proves the credentials before any resource runs, and it is the one ARM token of
	// this provider process: the credential caches it, and the ARM pipeline asks the credential
	// for exactly this (scope and CAE, see armTokenRequest), so it is not requested again.
	tokenCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := cred.GetToken(tokenCtx, armTokenRequest(cc)); err != nil {
		resp.Diagnostics.AddError("Unable to authenticate to Azure", tokenFailure(attempts, err))
		return
	}

	client, err := clients.New(clients.Options{
		SubscriptionID: c.SubscriptionID,
		Credential:     cred,
		Cloud:          cc,
		StorageSuffix:  storageSuffix(c),
		Version:        p.version,
		Limits:         limits,
		SkipBlobChecks: c.SkipBlobChecks,
		Transport:      p.transport,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to build the Azure client", err.Error())
		return
	}
	resp.ResourceData = client
	resp.DataSourceData = client
}

// tokenFailure explains a failed token request: every method considered and the redacted
// errors of those that were tried.
func tokenFailure(attempts []credentialAttempt, err error) string {
	return fmt.Sprintf("No configured authentication method obtained a token. Methods considered:\n%s\nErrors: %s",
		describeAttempts(attempts), clients.Redact(err.Error()))
}

// armTokenRequest is the token request azcore's ARM bearer policy makes: the resource manager's
// ".default" scope with Continuous Access Evaluation enabled. azidentity caches CAE and non-CAE
// tokens apart, so a request that differs in either would fetch a second token.
func armTokenRequest(cc cloud.Configuration) policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{scopeFor(cc.Services[cloud.ResourceManager].Audience)}, EnableCAE: true}
}

// scopeFor turns a token audience into the ".default" scope azidentity asks for.
func scopeFor(audience string) string {
	return strings.TrimSuffix(audience, "/") + "/.default"
}

// serviceLimits applies the service_limits block over the default (documented) limits.
func serviceLimits(ctx context.Context, m *serviceLimitsModel) (clients.ServiceLimits, diag.Diagnostics) {
	l := clients.DefaultServiceLimits()
	var diags diag.Diagnostics
	if m == nil {
		return l, diags
	}
	if v := m.MaxReplicasPerRegion; !v.IsNull() && !v.IsUnknown() {
		l.MaxReplicasPerRegion = v.ValueInt64()
	}
	if v := m.MaxApplicationsPerVM; !v.IsNull() && !v.IsUnknown() {
		l.MaxApplicationsPerVM = v.ValueInt64()
	}
	if v := m.MaxPackageSizeBytes; !v.IsNull() && !v.IsUnknown() {
		l.MaxPackageSizeBytes = v.ValueInt64()
	}
	if v := m.AllowedBlobTypes; !v.IsNull() && !v.IsUnknown() {
		var types []string
		diags.Append(v.ElementsAs(ctx, &types, false)...)
		l.AllowedBlobTypes = types
	}
	return l, diags
}

// Resources lists the provider's resources.
func (p *AzvmappsProvider) Resources(_ context.Context) []func() resource.Resource {
	return resources()
}

// DataSources lists the provider's data sources.
func (p *AzvmappsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return dataSources()
}
