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
	}{
		{"nothing", func(c *Config) {}, nil, ""},
		{"client secret", func(c *Config) { c.ClientSecret = testSecret }, nil, "client secret"},
		{"client secret and cli", func(c *Config) { c.ClientSecret = testSecret; c.UseCLI = true }, nil, "client secret,Azure CLI"},
		{"oidc token", func(c *Config) { c.UseOIDC = true; c.OIDCToken = "tok" }, nil, "OIDC"},
		{"oidc file", func(c *Config) { c.UseOIDC = true; c.OIDCTokenFilePath = tokenFile }, nil, "OIDC"},
		{"oidc hcp terraform", func(c *Config) { c.UseOIDC = true }, map[string]string{"TFC_WORKLOAD_IDENTITY_TOKEN": "tfc"}, "OIDC"},
		{"oidc github", func(c *Config) {
			c.UseOIDC = true
			c.OIDCRequestURL = "https://gh.example/token"
			c.OIDCRequestToken = "rt"
		}, nil, "OIDC"},
		{"oidc enabled without source", func(c *Config) { c.UseOIDC = true }, nil, ""},
		{"oidc not enabled ignores token", func(c *Config) { c.OIDCToken = "tok" }, nil, ""},
		{"oidc before secret", func(c *Config) { c.UseOIDC = true; c.OIDCToken = "tok"; c.ClientSecret = testSecret }, nil, "OIDC,client secret"},
		{"msi", func(c *Config) { c.UseMSI = true }, nil, "managed identity"},
		{"secret without tenant", func(c *Config) { c.TenantID = ""; c.ClientSecret = testSecret }, nil, ""},
		{"certificate unreadable", func(c *Config) { c.ClientCertificatePath = filepath.Join(dir, "missing.pem") }, nil, ""},
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
			if got := strings.Join(builtMethods(attempts), ","); got != tc.want {
				t.Fatalf("built %q, want %q\n%s", got, tc.want, describeAttempts(attempts))
			}
		})
	}
}

func TestChainCredentials_nothingConfiguredNamesEachMethod(t *testing.T) {
	clearARMEnv(t)
	c := Config{TenantID: testTenant, ClientID: testClient, UseOIDC: true, ClientCertificatePath: "/nonexistent/cert.pem", ClientCertificatePassword: testSecret}
	_, _, err := chainCredentials(buildCredentials(c, cloud.AzurePublic, nil))
	if err == nil {
		t.Fatal("expected an error when no method applies")
	}
	msg := err.Error()
	for _, want := range []string{"OIDC: enabled but no token source", "client secret: not configured", "client certificate: could not be built", "managed identity: not enabled", "Azure CLI: not enabled"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, testSecret) {
		t.Fatalf("message leaks the certificate password:\n%s", msg)
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
