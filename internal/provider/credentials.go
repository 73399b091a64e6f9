package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// oidcAudience is the audience Entra ID expects of federated (workload identity) tokens.
const oidcAudience = "api://AzureADTokenExchange"

// credentialAttempt records one authentication method the provider considered.
type credentialAttempt struct {
	Method string
	Cred   azcore.TokenCredential
	// Skipped says why the method did not apply; empty when Cred was built.
	Skipped string
}

// buildCredentials considers each authentication method in the documented order — OIDC,
// client secret, client certificate, managed identity, Azure CLI — and returns one attempt per
// method. Messages never contain secret values.
func buildCredentials(c Config, cc cloud.Configuration, transport policy.Transporter) []credentialAttempt {
	opts := azcore.ClientOptions{Cloud: cc, Transport: transport}
	disableDiscovery := customAuthority(c)
	var out []credentialAttempt
	add := func(method string, cred azcore.TokenCredential, err error, skipped string) {
		if err != nil {
			skipped = fmt.Sprintf("could not be built: %s", err)
		}
		out = append(out, credentialAttempt{Method: method, Cred: cred, Skipped: skipped})
	}
	missing := func(what ...string) string {
		return "not configured: needs " + strings.Join(what, ", ")
	}

	// 1. OIDC / workload identity federation.
	switch {
	case !c.UseOIDC:
		add("OIDC", nil, nil, "not enabled (use_oidc / ARM_USE_OIDC)")
	case c.TenantID == "" || c.ClientID == "":
		add("OIDC", nil, nil, missing("tenant_id", "client_id"))
	default:
		get, source := oidcAssertion(c, transport)
		if get == nil {
			add("OIDC", nil, nil, "enabled but no token source: set oidc_token, oidc_token_file_path, TFC_WORKLOAD_IDENTITY_TOKEN (HCP Terraform dynamic credentials) or oidc_request_url + oidc_request_token (GitHub Actions)")
			break
		}
		cred, err := azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, get,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
		add("OIDC ("+source+")", cred, err, "")
	}

	// 2. Client secret.
	if c.ClientSecret == "" || c.TenantID == "" || c.ClientID == "" {
		add("client secret", nil, nil, missing("tenant_id", "client_id", "client_secret"))
	} else {
		cred, err := azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
		add("client secret", cred, err, "")
	}

	// 3. Client certificate.
	if c.ClientCertificatePath == "" || c.TenantID == "" || c.ClientID == "" {
		add("client certificate", nil, nil, missing("tenant_id", "client_id", "client_certificate_path"))
	} else {
		cred, err := certificateCredential(c, opts, disableDiscovery)
		add("client certificate", cred, err, "")
	}

	// 4. Managed identity.
	if !c.UseMSI {
		add("managed identity", nil, nil, "not enabled (use_msi / ARM_USE_MSI)")
	} else {
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if c.ClientID != "" {
			mo.ID = azidentity.ClientID(c.ClientID)
		}
		if c.MSIEndpoint != "" {
			// azidentity reads the endpoint from the environment, as App Service sets it.
			_ = os.Setenv("MSI_ENDPOINT", c.MSIEndpoint)
		}
		cred, err := azidentity.NewManagedIdentityCredential(mo)
		add("managed identity", cred, err, "")
	}

	// 5. Azure CLI.
	if !c.UseCLI {
		add("Azure CLI", nil, nil, "not enabled (use_cli = false)")
	} else {
		cred, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: c.TenantID})
		add("Azure CLI", cred, err, "")
	}
	return out
}

func certificateCredential(c Config, opts azcore.ClientOptions, disableDiscovery bool) (azcore.TokenCredential, error) {
	data, err := os.ReadFile(c.ClientCertificatePath)
	if err != nil {
		return nil, fmt.Errorf("reading client_certificate_path: %w", err)
	}
	var pw []byte
	if c.ClientCertificatePassword != "" {
		pw = []byte(c.ClientCertificatePassword)
	}
	certs, key, err := azidentity.ParseCertificates(data, pw)
	if err != nil {
		// The parse error names no secret; keep its text short and generic.
		return nil, fmt.Errorf("the certificate in %s could not be parsed (wrong password or not PEM/PKCS#12)", c.ClientCertificatePath)
	}
	return azidentity.NewClientCertificateCredential(c.TenantID, c.ClientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
}

// oidcAssertion picks the OIDC token source: a token given directly, a token file (read on
// every request, since platforms rotate it), HCP Terraform's injected token, or a token
// requested from the GitHub Actions endpoint.
func oidcAssertion(c Config, transport policy.Transporter) (func(context.Context) (string, error), string) {
	switch {
	case c.OIDCToken != "":
		tok := c.OIDCToken
		return func(context.Context) (string, error) { return tok, nil }, "oidc_token"
	case c.OIDCTokenFilePath != "":
		path := c.OIDCTokenFilePath
		return func(context.Context) (string, error) {
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("reading the OIDC token file %s: %w", path, err)
			}
			return strings.TrimSpace(string(b)), nil
		}, "oidc_token_file_path"
	case c.tfcWorkloadIdentityToken() != "":
		tok := c.tfcWorkloadIdentityToken()
		return func(context.Context) (string, error) { return tok, nil }, "HCP Terraform workload identity"
	case c.OIDCRequestURL != "" && c.OIDCRequestToken != "":
		return func(ctx context.Context) (string, error) {
			return requestGitHubToken(ctx, c.OIDCRequestURL, c.OIDCRequestToken, transport)
		}, "GitHub Actions"
	}
	return nil, ""
}

// requestGitHubToken asks the GitHub Actions OIDC endpoint for a token with Entra ID's audience.
func requestGitHubToken(ctx context.Context, requestURL, bearer string, transport policy.Transporter) (string, error) {
	u, err := url.Parse(requestURL)
	if err != nil {
		return "", fmt.Errorf("oidc_request_url is not a URL")
	}
	q := u.Query()
	q.Set("audience", oidcAudience)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+bearer)
	req.Header.Set("Accept", "application/json")
	var doer policy.Transporter = &http.Client{Timeout: 30 * time.Second}
	if transport != nil {
		doer = transport
	}
	resp, err := doer.Do(req)
	if err != nil {
		return "", fmt.Errorf("requesting an OIDC token from %s: %w", u.Host, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("requesting an OIDC token from %s: HTTP %d", u.Host, resp.StatusCode)
	}
	var out struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Value == "" {
		return "", fmt.Errorf("the OIDC token response from %s has no token", u.Host)
	}
	return out.Value, nil
}

// chainCredentials returns one credential trying every built method in order, or an error
// that names each method considered and why it did not apply.
func chainCredentials(attempts []credentialAttempt) (azcore.TokenCredential, []string, error) {
	var creds []azcore.TokenCredential
	var used []string
	for _, a := range attempts {
		if a.Cred != nil {
			creds = append(creds, a.Cred)
			used = append(used, a.Method)
		}
	}
	if len(creds) == 0 {
		return nil, nil, fmt.Errorf("no authentication method is configured. Tried:\n%s", describeAttempts(attempts))
	}
	chain, err := azidentity.NewChainedTokenCredential(creds, nil)
	if err != nil {
		return nil, nil, err
	}
	return chain, used, nil
}

// describeAttempts lists each method with the reason it was skipped (or "configured").
func describeAttempts(attempts []credentialAttempt) string {
	var b strings.Builder
	for _, a := range attempts {
		reason := a.Skipped
		if reason == "" {
			reason = "configured"
		}
		fmt.Fprintf(&b, "  - %s: %s\n", a.Method, reason)
	}
	return b.String()
}
