package provider

import (
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Config is the provider configuration after environment fallbacks were applied: plain Go
// values, so credential and cloud selection can be tested without Terraform.
type Config struct {
	SubscriptionID            string
	TenantID                  string
	ClientID                  string
	ClientSecret              string
	ClientCertificatePath     string
	ClientCertificatePassword string

	UseOIDC                bool
	OIDCToken              string
	OIDCTokenFilePath      string
	OIDCRequestURL         string
	OIDCRequestToken       string
	TFCWorkloadIdentityTag string
	UseMSI                 bool
	MSIEndpoint            string
	UseCLI                 bool

	Environment                  string
	ResourceManagerEndpoint      string
	ActiveDirectoryAuthorityHost string
	ResourceManagerAudience      string
	StorageEndpointSuffix        string

	SkipBlobChecks bool
}

// envLookup is os.LookupEnv, replaceable in tests.
var envLookup = os.LookupEnv

// firstEnv returns the first non-empty value among the named environment variables.
func firstEnv(names ...string) string {
	for _, n := range names {
		if v, ok := envLookup(n); ok && v != "" {
			return v
		}
	}
	return ""
}

// stringOr returns the configured value, else the first environment variable that is set.
func stringOr(v types.String, envs ...string) string {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return v.ValueString()
	}
	return firstEnv(envs...)
}

// boolOr returns the configured value, else the environment's (strconv.ParseBool), else def.
func boolOr(v types.Bool, def bool, envs ...string) bool {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool()
	}
	if s := firstEnv(envs...); s != "" {
		if b, err := strconv.ParseBool(strings.TrimSpace(s)); err == nil {
			return b
		}
	}
	return def
}

// resolveConfig applies the environment fallbacks (ARM_* first, then the AZURE_* names that
// azidentity users know) to the HCL configuration.
func resolveConfig(m ProviderModel) Config {
	c := Config{
		SubscriptionID:            stringOr(m.SubscriptionID, "ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID"),
		TenantID:                  stringOr(m.TenantID, "ARM_TENANT_ID", "AZURE_TENANT_ID"),
		ClientID:                  stringOr(m.ClientID, "ARM_CLIENT_ID", "AZURE_CLIENT_ID"),
		ClientSecret:              stringOr(m.ClientSecret, "ARM_CLIENT_SECRET", "AZURE_CLIENT_SECRET"),
		ClientCertificatePath:     stringOr(m.ClientCertificatePath, "ARM_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"),
		ClientCertificatePassword: stringOr(m.ClientCertificatePassword, "ARM_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD"),
		UseOIDC:                   boolOr(m.UseOIDC, false, "ARM_USE_OIDC"),
		OIDCToken:                 stringOr(m.OIDCToken, "ARM_OIDC_TOKEN"),
		OIDCTokenFilePath:         stringOr(m.OIDCTokenFilePath, "ARM_OIDC_TOKEN_FILE_PATH", "AZURE_FEDERATED_TOKEN_FILE"),
		OIDCRequestURL:            stringOr(m.OIDCRequestURL, "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL"),
		OIDCRequestToken:          stringOr(m.OIDCRequestToken, "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
		TFCWorkloadIdentityTag:    stringOr(m.OIDCTFCWorkloadIdentityTag, "ARM_OIDC_TFC_WORKLOAD_IDENTITY_TAG"),
		UseMSI:                    boolOr(m.UseMSI, false, "ARM_USE_MSI"),
		MSIEndpoint:               stringOr(m.MSIEndpoint, "ARM_MSI_ENDPOINT"),
		UseCLI:                    boolOr(m.UseCLI, true, "ARM_USE_CLI"),
		Environment:               strings.ToLower(stringOr(m.Environment, "ARM_ENVIRONMENT")),
		SkipBlobChecks:            boolOr(m.SkipBlobChecks, false, "ARM_SKIP_BLOB_CHECKS", "AZVMAPPS_SKIP_BLOB_CHECKS"),
	}
	if c.Environment == "" {
		c.Environment = "public"
	}
	var ep endpointModel
	if len(m.Endpoint) > 0 {
		ep = m.Endpoint[0]
	}
	c.ResourceManagerEndpoint = stringOr(ep.ResourceManagerEndpoint, "ARM_RESOURCE_MANAGER_ENDPOINT")
	c.ActiveDirectoryAuthorityHost = stringOr(ep.ActiveDirectoryAuthorityHost, "ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST")
	c.ResourceManagerAudience = stringOr(ep.ResourceManagerAudience, "ARM_RESOURCE_MANAGER_AUDIENCE")
	c.StorageEndpointSuffix = stringOr(ep.StorageEndpointSuffix, "ARM_STORAGE_ENDPOINT_SUFFIX")
	return c
}

// tfcWorkloadIdentityToken is the token HCP Terraform / Terraform Cloud injects for dynamic
// credentials: TFC_WORKLOAD_IDENTITY_TOKEN, or TFC_WORKLOAD_IDENTITY_TOKEN_<TAG> when the
// workspace asks for several audiences.
func (c Config) tfcWorkloadIdentityToken() string {
	if c.TFCWorkloadIdentityTag != "" {
		return firstEnv("TFC_WORKLOAD_IDENTITY_TOKEN_" + strings.ToUpper(c.TFCWorkloadIdentityTag))
	}
	return firstEnv("TFC_WORKLOAD_IDENTITY_TOKEN")
}
