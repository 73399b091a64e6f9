package emulator

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/golang-jwt/jwt/v5"
)

func TestAuthMissingAndInvalidToken(t *testing.T) {
	e := startNoStorage(t)
	p := withAPI(e.rgPath(seedResourceGroup), "2021-04-01")
	r := do(t, e, "GET", p, "", nil)
	if r.Status != 401 || r.errCode() != "AuthenticationFailed" {
		t.Fatalf("no token: %d %s", r.Status, r.Raw)
	}
	r = do(t, e, "GET", p, "not-a-jwt", nil)
	if r.Status != 401 || r.errCode() != "InvalidAuthenticationToken" {
		t.Fatalf("bad token: %d %s", r.Status, r.Raw)
	}
	// A token signed with another key.
	forged, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"aud": e.URL(), "tid": e.Identity().TenantID, "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte("other"))
	if r = do(t, e, "GET", p, forged, nil); r.Status != 401 || r.errCode() != "InvalidAuthenticationToken" {
		t.Fatalf("forged token: %d %s", r.Status, r.Raw)
	}
	if r = do(t, e, "GET", p, token(t, e), nil); r.Status != 200 {
		t.Fatalf("good token: %d %s", r.Status, r.Raw)
	}
}

func TestAuthWrongTenantAndUnknownSubscription(t *testing.T) {
	e := startNoStorage(t)
	id := e.Identity()
	other, err := credential(t, e, id.OtherTenantID).GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL() + "/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, e, "GET", withAPI(e.rgPath(seedResourceGroup), "2021-04-01"), other.Token, nil)
	if r.Status != 403 || r.errCode() != "InvalidAuthenticationTokenTenant" {
		t.Fatalf("other tenant: %d %s", r.Status, r.Raw)
	}
	r = do(t, e, "GET", "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/x?api-version=2021-04-01", token(t, e), nil)
	if r.Status != 404 || r.errCode() != "SubscriptionNotFound" {
		t.Fatalf("unknown subscription: %d %s", r.Status, r.Raw)
	}
}

func TestTokenEndpoint(t *testing.T) {
	e := startNoStorage(t)
	id := e.Identity()
	formPost := func(tenant string, form url.Values) rawResp {
		req, _ := http.NewRequest("POST", e.URL()+"/"+tenant+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := e.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return rawResp{Status: resp.StatusCode}
	}
	base := url.Values{"grant_type": {"client_credentials"}, "client_id": {id.ClientID}, "scope": {e.URL() + "/.default"}}
	bad := cloneValues(base)
	bad.Set("client_secret", "wrong")
	if r := formPost(id.TenantID, bad); r.Status != 401 {
		t.Fatalf("wrong secret: %d", r.Status)
	}
	// Federated OIDC token: no signature check, audience api://AzureADTokenExchange, not expired.
	fed := func(exp time.Time, aud string) string {
		s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "https://token.actions.githubusercontent.com", "sub": "repo:x/y:ref:refs/heads/main", "aud": aud, "exp": exp.Unix()}).SignedString([]byte("k"))
		return s
	}
	ok := cloneValues(base)
	ok.Set("client_assertion_type", clientAssertionType)
	ok.Set("client_assertion", fed(time.Now().Add(time.Hour), federatedAudience))
	if r := formPost(id.TenantID, ok); r.Status != 200 {
		t.Fatalf("federated: %d", r.Status)
	}
	expired := cloneValues(ok)
	expired.Set("client_assertion", fed(time.Now().Add(-time.Minute), federatedAudience))
	if r := formPost(id.TenantID, expired); r.Status != 401 {
		t.Fatalf("expired assertion: %d", r.Status)
	}
	wrongAud := cloneValues(ok)
	wrongAud.Set("client_assertion", fed(time.Now().Add(time.Hour), "api://other"))
	if r := formPost(id.TenantID, wrongAud); r.Status != 401 {
		t.Fatalf("wrong audience: %d", r.Status)
	}
	if r := formPost("11111111-1111-1111-1111-111111111111", ok); r.Status != 400 {
		t.Fatalf("unknown tenant: %d", r.Status)
	}
	r := do(t, e, "GET", "/"+id.TenantID+"/v2.0/.well-known/openid-configuration", "", nil)
	if r.Status != 200 || r.Body["token_endpoint"] == nil || r.Body["issuer"] == nil || r.Body["authorization_endpoint"] == nil {
		t.Fatalf("openid configuration: %s", r.Raw)
	}
	if r := do(t, e, "GET", "/metadata/endpoints?api-version=2022-09-01", "", nil); r.Status != 200 || !strings.Contains(string(r.Raw), "resourceManager") {
		t.Fatalf("metadata: %d %s", r.Status, r.Raw)
	}
	if r := do(t, e, "GET", "/common/discovery/instance?api-version=1.1", "", nil); r.Status != 200 || r.Body["tenant_discovery_endpoint"] == nil {
		t.Fatalf("instance discovery: %d %s", r.Status, r.Raw)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}

func TestCertificateAndAssertionCredentials(t *testing.T) {
	e := startNoStorage(t)
	id := e.Identity()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "client"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	rsaDER, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &rsaKey.PublicKey, rsaKey)
	rsaCert, _ := x509.ParseCertificate(rsaDER)
	cc, err := azidentity.NewClientCertificateCredential(id.TenantID, id.ClientID, []*x509.Certificate{rsaCert}, rsaKey, &azidentity.ClientCertificateCredentialOptions{ClientOptions: clientOptions(e), DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cc.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL() + "/.default"}}); err != nil {
		t.Fatalf("certificate credential: %v", err)
	}
	fed := func(context.Context) (string, error) {
		return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "https://app.terraform.io", "sub": "organization:o:workspace:w", "aud": federatedAudience, "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte("k"))
	}
	ac, err := azidentity.NewClientAssertionCredential(id.TenantID, id.ClientID, fed, &azidentity.ClientAssertionCredentialOptions{ClientOptions: clientOptions(e), DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ac.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL() + "/.default"}})
	if err != nil {
		t.Fatalf("assertion credential: %v", err)
	}
	if r := do(t, e, "GET", withAPI(e.rgPath(seedResourceGroup), "2021-04-01"), tok.Token, nil); r.Status != 200 {
		t.Fatalf("ARM with a federated token: %d", r.Status)
	}
}
