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

// envVars lists, per provider attribute, the environment variables it falls back to, in order
// (ARM_* first, then the AZURE_* names that azidentity users know).
var envVars = map[string][]string{
	"subscription_id":                 {"ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID"},
	"tenant_id":                       {"ARM_TENANT_ID", "AZURE_TENANT_ID"},
	"client_id":                       {"ARM_CLIENT_ID", "AZURE_CLIENT_ID"},
	"client_secret":                   {"ARM_CLIENT_SECRET", "AZURE_CLIENT_SECRET"},
	"client_certificate_path":         {"ARM_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"},
	"client_certificate_password":     {"ARM_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD"},
	"use_oidc":                        {"ARM_USE_OIDC"},
	"oidc_token":                      {"ARM_OIDC_TOKEN"},
	"oidc_token_file_path":            {"ARM_OIDC_TOKEN_FILE_PATH", "AZURE_FEDERATED_TOKEN_FILE"},
	"oidc_request_url":                {"ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL"},
	"oidc_request_token":              {"ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"},
	"oidc_tfc_workload_identity_tag":  {"ARM_OIDC_TFC_WORKLOAD_IDENTITY_TAG"},
	"use_msi":                         {"ARM_USE_MSI"},
	"msi_endpoint":                    {"ARM_MSI_ENDPOINT"},
	"use_cli":                         {"ARM_USE_CLI"},
	"environment":                     {"ARM_ENVIRONMENT"},
	"skip_blob_checks":                {"ARM_SKIP_BLOB_CHECKS", "AZVMAPPS_SKIP_BLOB_CHECKS"},
	"resource_manager_endpoint":       {"ARM_RESOURCE_MANAGER_ENDPOINT"},
	"active_directory_authority_host": {"ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"},
	"resource_manager_audience":       {"ARM_RESOURCE_MANAGER_AUDIENCE"},
	"storage_endpoint_suffix":         {"ARM_STORAGE_ENDPOINT_SUFFIX"},
}

// setting names an attribute and its environment variables for messages:
// "tenant_id (ARM_TENANT_ID or AZURE_TENANT_ID)".
func setting(attr string) string {
	if envs := envVars[attr]; len(envs) > 0 {
		return attr + " (" + strings.Join(envs, " or ") + ")"
	}
	return attr
}

// resolveConfig applies the environment fallbacks (envVars) to the HCL configuration.
func resolveConfig(m ProviderModel) Config {
	str := func(v types.String, attr string) string { return stringOr(v, envVars[attr]...) }
	flag := func(v types.Bool, def bool, attr string) bool { return boolOr(v, def, envVars[attr]...) }
	c := Config{
		SubscriptionID:            str(m.SubscriptionID, "subscription_id"),
		TenantID:                  str(m.TenantID, "tenant_id"),
		ClientID:                  str(m.ClientID, "client_id"),
		ClientSecret:              str(m.ClientSecret, "client_secret"),
		ClientCertificatePath:     str(m.ClientCertificatePath, "client_certificate_path"),
		ClientCertificatePassword: str(m.ClientCertificatePassword, "client_certificate_password"),
		UseOIDC:                   flag(m.UseOIDC, false, "use_oidc"),
		OIDCToken:                 str(m.OIDCToken, "oidc_token"),
		OIDCTokenFilePath:         str(m.OIDCTokenFilePath, "oidc_token_file_path"),
		OIDCRequestURL:            str(m.OIDCRequestURL, "oidc_request_url"),
		OIDCRequestToken:          str(m.OIDCRequestToken, "oidc_request_token"),
		TFCWorkloadIdentityTag:    str(m.OIDCTFCWorkloadIdentityTag, "oidc_tfc_workload_identity_tag"),
		UseMSI:                    flag(m.UseMSI, false, "use_msi"),
		MSIEndpoint:               str(m.MSIEndpoint, "msi_endpoint"),
		UseCLI:                    flag(m.UseCLI, true, "use_cli"),
		Environment:               strings.ToLower(str(m.Environment, "environment")),
		SkipBlobChecks:            flag(m.SkipBlobChecks, false, "skip_blob_checks"),
	}
	if c.Environment == "" {
		c.Environment = "public"
	}
	var ep endpointModel
	if len(m.Endpoint) > 0 {
		ep = m.Endpoint[0]
	}
	c.ResourceManagerEndpoint = str(ep.ResourceManagerEndpoint, "resource_manager_endpoint")
	c.ActiveDirectoryAuthorityHost = str(ep.ActiveDirectoryAuthorityHost, "active_directory_authority_host")
	c.ResourceManagerAudience = str(ep.ResourceManagerAudience, "resource_manager_audience")
	c.StorageEndpointSuffix = str(ep.StorageEndpointSuffix, "storage_endpoint_suffix")
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
