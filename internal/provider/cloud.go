package provider

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

// cloudConfiguration maps `environment` and the custom endpoints to azcore's cloud
// configuration. Custom endpoints (Azure Stack, the local emulator) override the environment's.
func cloudConfiguration(c Config) (cloud.Configuration, error) {
	var base cloud.Configuration
	switch c.Environment {
	case "", "public":
		base = cloud.AzurePublic
	case "usgovernment":
		base = cloud.AzureGovernment
	case "china":
		base = cloud.AzureChina
	default:
		return cloud.Configuration{}, fmt.Errorf("unknown environment %q: use one of public, usgovernment, china (or set the endpoint block for a custom cloud)", c.Environment)
	}
	out := cloud.Configuration{
		ActiveDirectoryAuthorityHost: base.ActiveDirectoryAuthorityHost,
		Services:                     map[cloud.ServiceName]cloud.ServiceConfiguration{},
	}
	rm := base.Services[cloud.ResourceManager]
	if c.ResourceManagerEndpoint != "" {
		if err := checkURL(c.ResourceManagerEndpoint); err != nil {
			return cloud.Configuration{}, fmt.Errorf("resource_manager_endpoint: %w", err)
		}
		rm.Endpoint = strings.TrimSuffix(c.ResourceManagerEndpoint, "/")
	}
	if c.ResourceManagerAudience != "" {
		rm.Audience = c.ResourceManagerAudience
	}
	out.Services[cloud.ResourceManager] = rm
	if c.ActiveDirectoryAuthorityHost != "" {
		if err := checkURL(c.ActiveDirectoryAuthorityHost); err != nil {
			return cloud.Configuration{}, fmt.Errorf("active_directory_authority_host: %w", err)
		}
		out.ActiveDirectoryAuthorityHost = strings.TrimSuffix(c.ActiveDirectoryAuthorityHost, "/") + "/"
	}
	return out, nil
}

// storageSuffixes are the storage endpoint suffixes of Azure's clouds (az cloud show:
// suffixes.storageEndpoint); a blob endpoint is "<account>.blob.<suffix>".
var storageSuffixes = map[string]string{
	"public":       "core.windows.net",
	"usgovernment": "core.usgovcloudapi.net",
	"china":        "core.chinacloudapi.cn",
}

// storageSuffix returns the storage endpoint suffix whose blob endpoints may receive the
// provider's credential: the one configured (Azure Stack, custom DNS), else the environment's.
func storageSuffix(c Config) string {
	if c.StorageEndpointSuffix != "" {
		return strings.Trim(c.StorageEndpointSuffix, ".")
	}
	env := c.Environment
	if env == "" {
		env = "public"
	}
	return storageSuffixes[env]
}

// customAuthority reports whether the authority host is not one of Azure's public clouds, in
// which case azidentity's instance discovery (which asks login.microsoftonline.com) is disabled.
func customAuthority(c Config) bool {
	return c.ActiveDirectoryAuthorityHost != ""
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}
