package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

const (
	testTenant = "00000000-0000-0000-0000-000000000001"
	testClient = "00000000-0000-0000-0000-000000000002"
	testSecret = "very-secret-value-that-must-not-leak"
)

// builtMethods returns the methods whose credential was built, in chain order.
func builtMethods(attempts []credentialAttempt) []string {
	var out []string
	for _, a := range attempts {
		if a.Cred != nil {
			out = append(out, strings.SplitN(a.Method, " (", 2)[0])
		}
	}
	return out
}

func TestBuildCredentials_choicePerCombination(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("header.payload.sig\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := Config{TenantID: testTenant, ClientID: testClient}
	cases := []struct {
		name string
		mod  func(c *Config)
		env  map[string]string
		want string
		// problem is "" when every method is either complete or not configured at all;
		// otherwise the substrings the error must contain (method, attribute, variable).
		problem []string
	}{
		{name: "nothing", mod: func(c *Config) {}, want: ""},
		{name: "ids alone are no method", mod: func(c *Config) { c.UseCLI = true }, want: "Azure CLI"},
		{name: "client secret", mod: func(c *Config) { c.ClientSecret = testSecret }, want: "client secret"},
		{name: "client secret and cli", mod: func(c *Config) { c.ClientSecret = testSecret; c.UseCLI = true }, want: "client secret,Azure CLI"},
		{name: "oidc token", mod: func(c *Config) { c.UseOIDC = true; c.OIDCToken = "tok" }, want: "OIDC"},
		{name: "oidc file", mod: func(c *Config) { c.UseOIDC = true; c.OIDCTokenFilePath = tokenFile }, want: "OIDC"},
		{name: "oidc hcp terraform", mod: func(c *Config) { c.UseOIDC = true }, env: map[string]string{"TFC_WORKLOAD_IDENTITY_TOKEN": "tfc"}, want: "OIDC"},
		{name: "oidc hcp terraform tagged", mod: func(c *Config) { c.UseOIDC = true; c.TFCWorkloadIdentityTag = "azure" }, env: map[string]string{"TFC_WORKLOAD_IDENTITY_TOKEN_AZURE": "tfc"}, want: "OIDC"},
		{name: "oidc github", mod: func(c *Config) {
			c.UseOIDC = true
			c.OIDCRequestURL = "https://gh.example/token"
			c.OIDCRequestToken = "rt"
		}, want: "OIDC"},
		{name: "oidc not enabled ignores token", mod: func(c *Config) { c.OIDCToken = "tok" }, want: ""},
		{name: "oidc before secret", mod: func(c *Config) { c.UseOIDC = true; c.OIDCToken = "tok"; c.ClientSecret = testSecret }, want: "OIDC,client secret"},
		{name: "msi", mod: func(c *Config) { c.UseMSI = true }, want: "managed identity"},

		// Partly configured methods stop authentication, even with the Azure CLI available.
		{name: "secret without tenant", mod: func(c *Config) { c.TenantID = ""; c.ClientSecret = testSecret; c.UseCLI = true },
			problem: []string{"client secret: client_secret is set but tenant_id (ARM_TENANT_ID or AZURE_TENANT_ID) missing"}},
		{name: "secret without client id", mod: func(c *Config) { c.ClientID = ""; c.ClientSecret = testSecret; c.UseCLI = true },
			problem: []string{"client secret:", "client_id (ARM_CLIENT_ID or AZURE_CLIENT_ID)"}},
		{name: "secret without either id", mod: func(c *Config) { c.TenantID, c.ClientID = "", ""; c.ClientSecret = testSecret; c.UseMSI = true },
			problem: []string{"client secret:", "tenant_id (ARM_TENANT_ID", "client_id (ARM_CLIENT_ID"}},
		{name: "certificate without client id", mod: func(c *Config) {
			c.ClientID = ""
			c.ClientCertificatePath = filepath.Join(dir, "c.pem")
			c.UseCLI = true
		},
			problem: []string{"client certificate: client_certificate_path is set but client_id (ARM_CLIENT_ID"}},
		{name: "certificate without tenant", mod: func(c *Config) { c.TenantID = ""; c.ClientCertificatePath = filepath.Join(dir, "c.pem") },
			problem: []string{"client certificate:", "tenant_id (ARM_TENANT_ID"}},
		{name: "certificate password without path", mod: func(c *Config) { c.ClientCertificatePassword = testSecret; c.UseCLI = true },
			problem: []string{"client certificate: client_certificate_password is set but client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH"}},
		{name: "certificate unreadable", mod: func(c *Config) { c.ClientCertificatePath = filepath.Join(dir, "missing.pem"); c.UseCLI = true },
			problem: []string{"client certificate: could not be built", "missing.pem"}},
		{name: "oidc without ids", mod: func(c *Config) {
			c.TenantID, c.ClientID = "", ""
			c.UseOIDC = true
			c.OIDCToken = "tok"
			c.UseCLI = true
		},
			problem: []string{"OIDC: use_oidc is set but tenant_id (ARM_TENANT_ID", "client_id (ARM_CLIENT_ID"}},
		{name: "oidc enabled without source", mod: func(c *Config) { c.UseOIDC = true; c.UseCLI = true },
			problem: []string{"OIDC: use_oidc is set but no token source", "oidc_token (ARM_OIDC_TOKEN)", "ACTIONS_ID_TOKEN_REQUEST_URL"}},
		{name: "oidc request url without token", mod: func(c *Config) { c.UseOIDC = true; c.OIDCRequestURL = "https://gh.example/token" },
			problem: []string{"OIDC:", "oidc_request_token (ARM_OIDC_REQUEST_TOKEN or ACTIONS_ID_TOKEN_REQUEST_TOKEN) is missing"}},
		{name: "oidc request token without url", mod: func(c *Config) { c.UseOIDC = true; c.OIDCRequestToken = "rt" },
			problem: []string{"OIDC:", "oidc_request_url (ARM_OIDC_REQUEST_URL or ACTIONS_ID_TOKEN_REQUEST_URL) is missing"}},
		{name: "oidc tag without tagged token", mod: func(c *Config) { c.UseOIDC = true; c.TFCWorkloadIdentityTag = "azure" },
			env: map[string]string{"TFC_WORKLOAD_IDENTITY_TOKEN": "untagged"}, problem: []string{"OIDC:", "TFC_WORKLOAD_IDENTITY_TOKEN_AZURE is not set"}},
		{name: "msi endpoint without use_msi", mod: func(c *Config) { c.MSIEndpoint = "http://169.254.169.254/x"; c.UseCLI = true },
			problem: []string{"managed identity: msi_endpoint is set but use_msi (ARM_USE_MSI) is not true"}},
		{name: "a complete method does not excuse a partial one", mod: func(c *Config) { c.UseOIDC = true; c.OIDCToken = "tok"; c.ClientCertificatePassword = testSecret },
			want: "OIDC", problem: []string{"client certificate:"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearARMEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c := base
			tc.mod(&c)
			attempts := buildCredentials(c, cloud.AzurePublic, nil)
			if len(attempts) != 5 {
				t.Fatalf("every method must be reported, got %d", len(attempts))
			}
			// With a problem, what else was built does not matter: the chain refuses.
			if got := strings.Join(builtMethods(attempts), ","); got != tc.want && (len(tc.problem) == 0 || tc.want != "") {
				t.Fatalf("built %q, want %q\n%s", got, tc.want, describeAttempts(attempts))
			}
			cred, _, err := chainCredentials(attempts)
			if len(tc.problem) == 0 {
				if tc.want != "" && (err != nil || cred == nil) {
					t.Fatalf("want a credential, got %v", err)
				}
				return
			}
			if err == nil || cred != nil {
				t.Fatalf("a partly configured method must fail authentication, got no error\n%s", describeAttempts(attempts))
			}
			for _, want := range append(tc.problem, "configured only in part") {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%s", want, err)
				}
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Fatalf("error leaks a secret:\n%s", err)
			}
		})
	}
}

func TestChainCredentials_nothingConfiguredNamesEachMethod(t *testing.T) {
	clearARMEnv(t)
	_, _, err := chainCredentials(buildCredentials(Config{TenantID: testTenant, ClientID: testClient}, cloud.AzurePublic, nil))
	if err == nil {
		t.Fatal("expected an error when no method applies")
	}
	msg := err.Error()
	for _, want := range []string{"no authentication method is configured", "OIDC: not enabled", "client secret: not configured",
		"client certificate: not configured", "managed identity: not enabled", "Azure CLI: not enabled"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

// fakeAAD answers azidentity's discovery request and refuses every token request.
func fakeAAD(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
			tenant := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0]
			_ = json.NewEncoder(w).Encode(map[string]string{
				"token_endpoint":         srv.URL + "/" + tenant + "/oauth2/v2.0/token",
				"authorization_endpoint": srv.URL + "/" + tenant + "/oauth2/v2.0/authorize",
				"issuer":                 srv.URL + "/" + tenant + "/v2.0",
			})
		case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{
				"error":             "invalid_client",
				"error_description": "AADSTS7000215: Invalid client secret provided.",
			})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTokenFailure_namesMethodsAndHidesSecrets(t *testing.T) {
	clearARMEnv(t)
	srv := fakeAAD(t)
	c := Config{TenantID: testTenant, ClientID: testClient, ClientSecret: testSecret, ActiveDirectoryAuthorityHost: srv.URL, Environment: "public"}
	cc, err := cloudConfiguration(c)
	if err != nil {
		t.Fatal(err)
	}
	attempts := buildCredentials(c, cc, srv.Client())
	cred, _, err := chainCredentials(attempts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{scopeFor("https://management.azure.com/")}})
	if err == nil {
		t.Fatal("the fake authority refuses every token; GetToken must fail")
	}
	msg := tokenFailure(attempts, err)
	if !strings.Contains(msg, "client secret: configured") || !strings.Contains(msg, "AADSTS7000215") {
		t.Fatalf("message should name the method and the service's reason:\n%s", msg)
	}
	if strings.Contains(msg, testSecret) {
		t.Fatalf("message leaks the client secret:\n%s", msg)
	}
}

func TestRequestGitHubToken(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer request-token" || r.URL.Query().Get("audience") != oidcAudience {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		_, _ = w.Write([]byte(`{"value":"federated-token"}`))
	}))
	defer srv.Close()
	got, err := requestGitHubToken(context.Background(), srv.URL+"/token?api-version=2.0", "request-token", srv.Client())
	if err != nil || got != "federated-token" {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err = requestGitHubToken(context.Background(), srv.URL+"/token", "wrong", srv.Client())
	if err == nil || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("want an error without the request token, got %v", err)
	}
}
