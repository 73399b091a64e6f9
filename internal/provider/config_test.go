package provider

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// clearARMEnv empties every variable the provider reads, so the developer's own environment
// cannot leak into a test.
func clearARMEnv(t *testing.T) {
	t.Helper()
	for _, n := range []string{
		"ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID", "ARM_TENANT_ID", "AZURE_TENANT_ID",
		"ARM_CLIENT_ID", "AZURE_CLIENT_ID", "ARM_CLIENT_SECRET", "AZURE_CLIENT_SECRET",
		"ARM_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PASSWORD",
		"AZURE_CLIENT_CERTIFICATE_PASSWORD", "ARM_USE_OIDC", "ARM_OIDC_TOKEN", "ARM_OIDC_TOKEN_FILE_PATH",
		"AZURE_FEDERATED_TOKEN_FILE", "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL",
		"ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ARM_OIDC_TFC_WORKLOAD_IDENTITY_TAG",
		"TFC_WORKLOAD_IDENTITY_TOKEN", "TFC_WORKLOAD_IDENTITY_TOKEN_AZURE", "ARM_USE_MSI", "ARM_MSI_ENDPOINT",
		"ARM_USE_CLI", "ARM_ENVIRONMENT", "ARM_RESOURCE_MANAGER_ENDPOINT", "ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST",
		"AZURE_AUTHORITY_HOST", "ARM_RESOURCE_MANAGER_AUDIENCE", "ARM_SKIP_BLOB_CHECKS", "AZVMAPPS_SKIP_BLOB_CHECKS",
		"ARM_STORAGE_ENDPOINT_SUFFIX",
	} {
		t.Setenv(n, "")
	}
}

func emptyModel() ProviderModel {
	return ProviderModel{
		SubscriptionID: types.StringNull(), TenantID: types.StringNull(), ClientID: types.StringNull(),
		ClientSecret: types.StringNull(), ClientCertificatePath: types.StringNull(), ClientCertificatePassword: types.StringNull(),
		UseOIDC: types.BoolNull(), OIDCToken: types.StringNull(), OIDCTokenFilePath: types.StringNull(),
		OIDCRequestURL: types.StringNull(), OIDCRequestToken: types.StringNull(), OIDCTFCWorkloadIdentityTag: types.StringNull(),
		UseMSI: types.BoolNull(), MSIEndpoint: types.StringNull(), UseCLI: types.BoolNull(), Environment: types.StringNull(),
		SkipBlobChecks: types.BoolNull(),
	}
}

func TestResolveConfig_envFallbackPerAttribute(t *testing.T) {
	cases := []struct {
		env   string
		value string
		get   func(Config) any
		want  any
	}{
		{"ARM_SUBSCRIPTION_ID", "sub-1", func(c Config) any { return c.SubscriptionID }, "sub-1"},
		{"AZURE_SUBSCRIPTION_ID", "sub-2", func(c Config) any { return c.SubscriptionID }, "sub-2"},
		{"ARM_TENANT_ID", "tenant-1", func(c Config) any { return c.TenantID }, "tenant-1"},
		{"AZURE_TENANT_ID", "tenant-2", func(c Config) any { return c.TenantID }, "tenant-2"},
		{"ARM_CLIENT_ID", "client-1", func(c Config) any { return c.ClientID }, "client-1"},
		{"AZURE_CLIENT_ID", "client-2", func(c Config) any { return c.ClientID }, "client-2"},
		{"ARM_CLIENT_SECRET", "s3cret", func(c Config) any { return c.ClientSecret }, "s3cret"},
		{"AZURE_CLIENT_SECRET", "s3cret2", func(c Config) any { return c.ClientSecret }, "s3cret2"},
		{"ARM_CLIENT_CERTIFICATE_PATH", "/c.pem", func(c Config) any { return c.ClientCertificatePath }, "/c.pem"},
		{"ARM_CLIENT_CERTIFICATE_PASSWORD", "pw", func(c Config) any { return c.ClientCertificatePassword }, "pw"},
		{"ARM_USE_OIDC", "true", func(c Config) any { return c.UseOIDC }, true},
		{"ARM_OIDC_TOKEN", "tok", func(c Config) any { return c.OIDCToken }, "tok"},
		{"ARM_OIDC_TOKEN_FILE_PATH", "/t", func(c Config) any { return c.OIDCTokenFilePath }, "/t"},
		{"AZURE_FEDERATED_TOKEN_FILE", "/f", func(c Config) any { return c.OIDCTokenFilePath }, "/f"},
		{"ARM_OIDC_REQUEST_URL", "https://gh", func(c Config) any { return c.OIDCRequestURL }, "https://gh"},
		{"ACTIONS_ID_TOKEN_REQUEST_URL", "https://gh2", func(c Config) any { return c.OIDCRequestURL }, "https://gh2"},
		{"ARM_OIDC_REQUEST_TOKEN", "rt", func(c Config) any { return c.OIDCRequestToken }, "rt"},
		{"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "rt2", func(c Config) any { return c.OIDCRequestToken }, "rt2"},
		{"ARM_OIDC_TFC_WORKLOAD_IDENTITY_TAG", "AZURE", func(c Config) any { return c.TFCWorkloadIdentityTag }, "AZURE"},
		{"ARM_USE_MSI", "1", func(c Config) any { return c.UseMSI }, true},
		{"ARM_MSI_ENDPOINT", "http://msi", func(c Config) any { return c.MSIEndpoint }, "http://msi"},
		{"ARM_USE_CLI", "false", func(c Config) any { return c.UseCLI }, false},
		{"ARM_ENVIRONMENT", "USGovernment", func(c Config) any { return c.Environment }, "usgovernment"},
		{"ARM_RESOURCE_MANAGER_ENDPOINT", "https://rm", func(c Config) any { return c.ResourceManagerEndpoint }, "https://rm"},
		{"ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST", "https://aad", func(c Config) any { return c.ActiveDirectoryAuthorityHost }, "https://aad"},
		{"AZURE_AUTHORITY_HOST", "https://aad2", func(c Config) any { return c.ActiveDirectoryAuthorityHost }, "https://aad2"},
		{"ARM_RESOURCE_MANAGER_AUDIENCE", "https://aud", func(c Config) any { return c.ResourceManagerAudience }, "https://aud"},
		{"ARM_SKIP_BLOB_CHECKS", "true", func(c Config) any { return c.SkipBlobChecks }, true},
		{"ARM_STORAGE_ENDPOINT_SUFFIX", "local.azurestack.external", func(c Config) any { return c.StorageEndpointSuffix }, "local.azurestack.external"},
	}
	for _, tc := range cases {
		t.Run(tc.env, func(t *testing.T) {
			clearARMEnv(t)
			t.Setenv(tc.env, tc.value)
			if got := tc.get(resolveConfig(emptyModel())); got != tc.want {
				t.Fatalf("%s=%q: got %v, want %v", tc.env, tc.value, got, tc.want)
			}
		})
	}
}

func TestResolveConfig_hclWinsOverEnvironment(t *testing.T) {
	clearARMEnv(t)
	t.Setenv("ARM_SUBSCRIPTION_ID", "from-env")
	t.Setenv("AZURE_SUBSCRIPTION_ID", "from-azure-env")
	t.Setenv("ARM_USE_CLI", "true")
	m := emptyModel()
	m.SubscriptionID = types.StringValue("from-hcl")
	m.UseCLI = types.BoolValue(false)
	m.Endpoint = []endpointModel{{
		ResourceManagerEndpoint:      types.StringValue("https://hcl-rm"),
		ActiveDirectoryAuthorityHost: types.StringNull(),
		ResourceManagerAudience:      types.StringNull(),
		StorageEndpointSuffix:        types.StringNull(),
	}}
	t.Setenv("ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST", "https://env-aad")
	c := resolveConfig(m)
	if c.SubscriptionID != "from-hcl" || c.UseCLI {
		t.Fatalf("HCL values must win: %+v", c)
	}
	if c.ResourceManagerEndpoint != "https://hcl-rm" || c.ActiveDirectoryAuthorityHost != "https://env-aad" {
		t.Fatalf("endpoint block and env must combine per attribute: %+v", c)
	}
}

func TestResolveConfig_defaults(t *testing.T) {
	clearARMEnv(t)
	c := resolveConfig(emptyModel())
	if c.Environment != "public" || !c.UseCLI || c.UseMSI || c.UseOIDC || c.SkipBlobChecks {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestTFCWorkloadIdentityToken(t *testing.T) {
	clearARMEnv(t)
	t.Setenv("TFC_WORKLOAD_IDENTITY_TOKEN", "default-aud")
	t.Setenv("TFC_WORKLOAD_IDENTITY_TOKEN_AZURE", "tagged-aud")
	if got := (Config{}).tfcWorkloadIdentityToken(); got != "default-aud" {
		t.Fatalf("untagged: got %q", got)
	}
	if got := (Config{TFCWorkloadIdentityTag: "azure"}).tfcWorkloadIdentityToken(); got != "tagged-aud" {
		t.Fatalf("tagged: got %q", got)
	}
}

func TestCloudConfiguration(t *testing.T) {
	cases := []struct {
		name      string
		c         Config
		authority string
		endpoint  string
		audience  string
		wantErr   string
	}{
		{"public", Config{Environment: "public"}, cloud.AzurePublic.ActiveDirectoryAuthorityHost, "https://management.azure.com", "https://management.core.windows.net/", ""},
		{"usgovernment", Config{Environment: "usgovernment"}, cloud.AzureGovernment.ActiveDirectoryAuthorityHost, "https://management.usgovcloudapi.net", "https://management.core.usgovcloudapi.net/", ""},
		{"china", Config{Environment: "china"}, cloud.AzureChina.ActiveDirectoryAuthorityHost, "https://management.chinacloudapi.cn", "https://management.core.chinacloudapi.cn/", ""},
		{"emulator endpoints override", Config{Environment: "public", ResourceManagerEndpoint: "https://127.0.0.1:8443/", ActiveDirectoryAuthorityHost: "https://127.0.0.1:8443", ResourceManagerAudience: "https://management.azure.com/"},
			"https://127.0.0.1:8443/", "https://127.0.0.1:8443", "https://management.azure.com/", ""},
		{"unknown environment", Config{Environment: "mars"}, "", "", "", "unknown environment"},
		{"relative endpoint", Config{Environment: "public", ResourceManagerEndpoint: "localhost:80"}, "", "", "", "resource_manager_endpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cloudConfiguration(tc.c)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want error containing %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rm := got.Services[cloud.ResourceManager]
			if got.ActiveDirectoryAuthorityHost != tc.authority || rm.Endpoint != tc.endpoint || rm.Audience != tc.audience {
				t.Fatalf("got authority %q endpoint %q audience %q", got.ActiveDirectoryAuthorityHost, rm.Endpoint, rm.Audience)
			}
		})
	}
	// The package-level clouds must not be modified by an override.
	if cloud.AzurePublic.Services[cloud.ResourceManager].Endpoint != "https://management.azure.com" {
		t.Fatal("cloudConfiguration mutated cloud.AzurePublic")
	}
}

func TestStorageSuffix(t *testing.T) {
	cases := []struct {
		c    Config
		want string
	}{
		{Config{}, "core.windows.net"},
		{Config{Environment: "public"}, "core.windows.net"},
		{Config{Environment: "usgovernment"}, "core.usgovcloudapi.net"},
		{Config{Environment: "china"}, "core.chinacloudapi.cn"},
		{Config{Environment: "mars"}, ""},
		// A configured suffix replaces the environment's: an Azure Stack token is not sent to
		// public storage.
		{Config{Environment: "public", StorageEndpointSuffix: ".local.azurestack.external"}, "local.azurestack.external"},
	}
	for _, tc := range cases {
		if got := storageSuffix(tc.c); got != tc.want {
			t.Errorf("storageSuffix(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}
