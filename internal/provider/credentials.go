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
	// Skipped says why the method does not apply because it is not configured at all; the
	// chain falls through to the next method.
	Skipped string
	// Problem says what is missing or wrong in a method the user configured (in part); it
	// stops authentication instead of falling through to another identity.
	Problem string
}

// buildCredentials considers each authentication method in the documented order — OIDC,
// client secret, client certificate, managed identity, Azure CLI — and returns one attempt per
// method. A method the user configured only in part is reported as a Problem naming the
// missing attribute and its environment variables. Messages never contain secret values.
func buildCredentials(c Config, cc cloud.Configuration, transport policy.Transporter) []credentialAttempt {
	opts := azcore.ClientOptions{Cloud: cc, Transport: transport}
	disableDiscovery := customAuthority(c)
	var out []credentialAttempt
	built := func(method string, cred azcore.TokenCredential, err error) {
		a := credentialAttempt{Method: method, Cred: cred}
		if err != nil {
			a.Cred, a.Problem = nil, fmt.Sprintf("could not be built: %s", err)
		}
		out = append(out, a)
	}
	skipped := func(method, why string) { out = append(out, credentialAttempt{Method: method, Skipped: why}) }
	problem := func(method, what string) { out = append(out, credentialAttempt{Method: method, Problem: what}) }
	// ids names the service principal attributes that are missing, "" when both are set.
	ids := func(set string) string {
		var missing []string
		if c.TenantID == "" {
			missing = append(missing, setting("tenant_id"))
		}
		if c.ClientID == "" {
			missing = append(missing, setting("client_id"))
		}
		if len(missing) == 0 {
			return ""
		}
		return set + " is set but " + strings.Join(missing, " and ") + " missing"
	}

	// 1. OIDC / workload identity federation.
	if !c.UseOIDC {
		skipped("OIDC", "not enabled (use_oidc / ARM_USE_OIDC)")
	} else if p := ids("use_oidc"); p != "" {
		problem("OIDC", p)
	} else if get, source := oidcAssertion(c, transport); get == nil {
		problem("OIDC", "use_oidc is set but "+oidcSourceMissing(c))
	} else {
		cred, err := azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, get,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
		built("OIDC ("+source+")", cred, err)
	}

	// 2. Client secret.
	if c.ClientSecret == "" {
		skipped("client secret", "not configured (client_secret / ARM_CLIENT_SECRET)")
	} else if p := ids("client_secret"); p != "" {
		problem("client secret", p)
	} else {
		cred, err := azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
		built("client secret", cred, err)
	}

	// 3. Client certificate.
	switch {
	case c.ClientCertificatePath == "" && c.ClientCertificatePassword == "":
		skipped("client certificate", "not configured (client_certificate_path / ARM_CLIENT_CERTIFICATE_PATH)")
	case c.ClientCertificatePath == "":
		problem("client certificate", "client_certificate_password is set but "+setting("client_certificate_path")+" is missing")
	case ids("client_certificate_path") != "":
		problem("client certificate", ids("client_certificate_path"))
	default:
		cred, err := certificateCredential(c, opts, disableDiscovery)
		built("client certificate", cred, err)
	}

	// 4. Managed identity.
	switch {
	case !c.UseMSI && c.MSIEndpoint != "":
		problem("managed identity", "msi_endpoint is set but "+setting("use_msi")+" is not true")
	case !c.UseMSI:
		skipped("managed identity", "not enabled (use_msi / ARM_USE_MSI)")
	default:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if c.ClientID != "" {
			mo.ID = azidentity.ClientID(c.ClientID)
		}
		if c.MSIEndpoint != "" {
			// azidentity reads the endpoint from the environment, as App Service sets it.
			_ = os.Setenv("MSI_ENDPOINT", c.MSIEndpoint)
		}
		cred, err := azidentity.NewManagedIdentityCredential(mo)
		built("managed identity", cred, err)
	}

	// 5. Azure CLI: on by default, so a failure to build it is a skip, not a problem.
	if !c.UseCLI {
		skipped("Azure CLI", "not enabled (use_cli = false)")
	} else if cred, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: c.TenantID}); err != nil {
		skipped("Azure CLI", fmt.Sprintf("could not be built: %s", err))
	} else {
		built("Azure CLI", cred, nil)
	}
	return out
}

// oidcSourceMissing says which OIDC token source is incomplete, or lists them all.
func oidcSourceMissing(c Config) string {
	switch {
	case c.TFCWorkloadIdentityTag != "":
		return "oidc_tfc_workload_identity_tag is " + c.TFCWorkloadIdentityTag + " and TFC_WORKLOAD_IDENTITY_TOKEN_" +
			strings.ToUpper(c.TFCWorkloadIdentityTag) + " is not set (enable HCP Terraform dynamic credentials with that tag)"
	case c.OIDCRequestURL != "" && c.OIDCRequestToken == "":
		return "oidc_request_url is set and " + setting("oidc_request_token") + " is missing"
	case c.OIDCRequestURL == "" && c.OIDCRequestToken != "":
		return "oidc_request_token is set and " + setting("oidc_request_url") + " is missing"
	}
	return "no token source is configured: set " + setting("oidc_token") + ", " + setting("oidc_token_file_path") +
		", TFC_WORKLOAD_IDENTITY_TOKEN (HCP Terraform dynamic credentials) or " + setting("oidc_request_url") +
		" with " + setting("oidc_request_token") + " (GitHub Actions)"
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

// chainCredentials returns one credential trying every built method in order, or an error.
// A method configured only in part is an error even when another method could be built:
// falling through would sign in as an identity the user did not mean. Otherwise the error
// names each method considered and why it did not apply.
func chainCredentials(attempts []credentialAttempt) (azcore.TokenCredential, []string, error) {
	var creds []azcore.TokenCredential
	var used, problems []string
	for _, a := range attempts {
		if a.Problem != "" {
			problems = append(problems, fmt.Sprintf("  - %s: %s", a.Method, a.Problem))
		}
		if a.Cred != nil {
			creds = append(creds, a.Cred)
			used = append(used, a.Method)
		}
	}
	if len(problems) > 0 {
		return nil, nil, fmt.Errorf("an authentication method is configured only in part:\n%s\n"+
			"Complete it, or remove its settings to use another method: the provider does not fall back to "+
			"another method, which could sign in as a different identity", strings.Join(problems, "\n"))
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

// describeAttempts lists each method with its problem, the reason it was skipped, or
// "configured".
func describeAttempts(attempts []credentialAttempt) string {
	var b strings.Builder
	for _, a := range attempts {
		reason := a.Problem
		if reason == "" {
			reason = a.Skipped
		}
		if reason == "" {
			reason = "configured"
		}
		fmt.Fprintf(&b, "  - %s: %s\n", a.Method, reason)
	}
	return b.String()
}
