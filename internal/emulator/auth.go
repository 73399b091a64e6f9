package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

const (
	tokenLifetime       = time.Hour
	federatedAudience   = "api://AzureADTokenExchange"
	clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
)

// tokenClaims are the claims of the access tokens the emulator issues.
type tokenClaims struct {
	TenantID string `json:"tid"`
	ObjectID string `json:"oid"`
	AppID    string `json:"appid"`
	jwt.RegisteredClaims
}

func (e *Emulator) knownTenantLocked(t string) bool {
	return strings.EqualFold(t, e.st.TenantID) || strings.EqualFold(t, e.st.OtherTenantID)
}

func aadError(w http.ResponseWriter, status int, code, desc string, aadsts int) {
	writeJSON(w, status, map[string]any{
		"error":             code,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s", aadsts, desc, uuid.NewString(), uuid.NewString(), time.Now().UTC().Format("2006-01-02 15:04:05Z")),
		"error_codes":       []int{aadsts},
		"timestamp":         time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id":          uuid.NewString(),
		"correlation_id":    uuid.NewString(),
	})
}

// serveOpenIDConfiguration answers GET /{tenant}/v2.0/.well-known/openid-configuration.
func (e *Emulator) serveOpenIDConfiguration(w http.ResponseWriter, tenant string) {
	e.mu.Lock()
	known := e.knownTenantLocked(tenant) || tenant == "organizations" || tenant == "common"
	e.mu.Unlock()
	if !known {
		aadError(w, http.StatusBadRequest, "invalid_tenant", fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant), 90002)
		return
	}
	base := e.url + "/" + tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"end_session_endpoint":                  base + "/oauth2/v2.0/logout",
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"issuer":                                base + "/v2.0",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"tenant_region_scope":                   "NA",
		"cloud_instance_name":                   "emulator",
	})
}

// serveInstanceDiscovery answers GET /common/discovery/instance.
func (e *Emulator) serveInstanceDiscovery(w http.ResponseWriter) {
	host := strings.TrimPrefix(e.url, "https://")
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": e.url + "/common/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata":                  []any{map[string]any{"preferred_network": host, "preferred_cache": host, "aliases": []string{host}}},
	})
}

// serveMetadata answers GET /metadata/endpoints (ARM cloud metadata).
func (e *Emulator) serveMetadata(w http.ResponseWriter, r *http.Request) {
	cloud := map[string]any{
		"name":            "AzureVMAppsEmulator",
		"portal":          e.url,
		"resourceManager": e.url + "/",
		"authentication": map[string]any{
			"loginEndpoint":    e.url + "/",
			"audiences":        []string{e.url, "https://management.azure.com/", "https://management.core.windows.net/"},
			"tenant":           "common",
			"identityProvider": "AAD",
		},
		"suffixes":                     map[string]any{"storage": "core.windows.net"},
		"gallery":                      e.url + "/",
		"activeDirectoryDataLake":      "",
		"media":                        "",
		"microsoftGraphResourceId":     "",
		"graph":                        "",
		"graphAudience":                "",
		"sqlManagement":                "",
		"batch":                        "",
		"vmImageAliasDoc":              "",
		"activeDirectoryResourceId":    e.url + "/",
		"activeDirectoryGraphResource": "",
	}
	v := r.URL.Query().Get("api-version")
	if v >= "2022-09-01" {
		writeJSON(w, http.StatusOK, []any{cloud})
		return
	}
	writeJSON(w, http.StatusOK, cloud)
}

// serveToken answers POST /{tenant}/oauth2/v2.0/token: client credentials for the service
// principal; password and refresh_token grants for the Azure CLI user (identity.go).
func (e *Emulator) serveToken(w http.ResponseWriter, r *http.Request, tenant string) {
	if err := r.ParseForm(); err != nil {
		aadError(w, http.StatusBadRequest, "invalid_request", "The request body must contain the following parameter: 'grant_type'.", 900144)
		return
	}
	e.mu.Lock()
	st := e.st
	knownTenant := e.knownTenantLocked(tenant)
	clientID, secret, tenantID := st.ClientID, st.ClientSecret, st.TenantID
	if strings.EqualFold(tenant, st.OtherTenantID) {
		tenantID = st.OtherTenantID
	}
	key, oid := st.SigningKey, st.ClientObjectID
	e.mu.Unlock()
	if !knownTenant {
		aadError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant), 90002)
		return
	}
	f := r.PostForm
	if gt := f.Get("grant_type"); gt == "password" || gt == "refresh_token" {
		e.serveUserGrant(w, f, tenant, gt)
		return
	}
	if gt := f.Get("grant_type"); gt != "client_credentials" {
		aadError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("The provided value for the input parameter 'grant_type' is not valid. Expected 'client_credentials', got '%s'.", gt), 70003)
		return
	}
	cid := f.Get("client_id")
	if u, p, ok := r.BasicAuth(); ok && cid == "" {
		cid = u
		if f.Get("client_secret") == "" {
			f.Set("client_secret", p)
		}
	}
	if !strings.EqualFold(cid, clientID) {
		aadError(w, http.StatusBadRequest, "unauthorized_client", fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'.", cid, tenant), 700016)
		return
	}
	switch {
	case f.Get("client_secret") != "":
		if f.Get("client_secret") != secret {
			aadError(w, http.StatusUnauthorized, "invalid_client", fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID), 7000215)
			return
		}
	case f.Get("client_assertion") != "":
		if f.Get("client_assertion_type") != clientAssertionType {
			aadError(w, http.StatusBadRequest, "invalid_request", "The 'client_assertion_type' must be '"+clientAssertionType+"'.", 50027)
			return
		}
		if msg := e.checkAssertion(f.Get("client_assertion"), clientID); msg != "" {
			aadError(w, http.StatusUnauthorized, "invalid_client", msg, 700027)
			return
		}
	default:
		aadError(w, http.StatusUnauthorized, "invalid_client", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 7000218)
		return
	}
	scope := f.Get("scope")
	if scope == "" && f.Get("resource") != "" { // v1 endpoint
		scope = f.Get("resource") + "/.default"
	}
	aud := strings.TrimSuffix(strings.Fields(scope + " x")[0], "/.default")
	if aud == "" || aud == "x" {
		aadError(w, http.StatusBadRequest, "invalid_scope", "The provided request must include a 'scope' input parameter.", 900144)
		return
	}
	now := time.Now()
	claims := tokenClaims{
		TenantID: tenantID, ObjectID: oid, AppID: clientID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    "https://sts.windows.net/" + tenantID + "/",
			Subject:   oid,
			Audience:  jwt.ClaimStrings{aud},
			ExpiresAt: jwt.NewNumericDate(now.Add(tokenLifetime)),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Minute)),
			ID:        uuid.NewString(),
		},
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	if err != nil {
		aadError(w, http.StatusInternalServerError, "server_error", err.Error(), 90000)
		return
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     int(tokenLifetime.Seconds()),
		"ext_expires_in": int(tokenLifetime.Seconds()),
		"access_token":   tok,
	})
}

// checkAssertion accepts a federated OIDC token (audience api://AzureADTokenExchange) or a client
// certificate assertion whose issuer and subject are the client id. Signatures are not checked.
func (e *Emulator) checkAssertion(assertion, clientID string) string {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(assertion, claims); err != nil {
		return "Client assertion failed signature validation or is malformed: " + err.Error()
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return "Client assertion contains no 'exp' claim."
	}
	if time.Now().After(exp.Time) {
		return fmt.Sprintf("Client assertion is not within its valid time range. Current time: %s, assertion valid to: %s.", time.Now().UTC().Format(time.RFC3339), exp.UTC().Format(time.RFC3339))
	}
	aud, _ := claims.GetAudience()
	if slices.Contains(aud, federatedAudience) {
		return ""
	}
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	if strings.EqualFold(iss, clientID) && strings.EqualFold(sub, clientID) {
		return ""
	}
	return fmt.Sprintf("Client assertion audience claim does not match Realm issuer: expected '%s' (federated) or issuer/subject '%s'.", federatedAudience, clientID)
}

// authenticate validates the bearer token of an ARM request.
func (e *Emulator) authenticate(r *http.Request) (*tokenClaims, *armError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, newErr(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
	}
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil, newErr(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is provided in an invalid format.")
	}
	e.mu.Lock()
	key := e.st.SigningKey
	e.mu.Unlock()
	claims := &tokenClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return key, nil }, jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		if strings.Contains(err.Error(), "expired") {
			return nil, newErr(401, "ExpiredAuthenticationToken", "The access token expiry UTC time '"+expiry(claims)+"' is earlier than current UTC time '"+time.Now().UTC().Format("1/2/2006 3:04:05 PM")+"'.")
		}
		return nil, newErr(401, "InvalidAuthenticationToken", "The access token is invalid.")
	}
	okAud := false
	for _, a := range claims.Audience {
		a = strings.TrimSuffix(a, "/")
		if strings.EqualFold(a, e.url) || a == "https://management.azure.com" || a == "https://management.core.windows.net" {
			okAud = true
		}
	}
	if !okAud {
		return nil, newErr(401, "InvalidAuthenticationToken", fmt.Sprintf("The access token has been obtained for wrong audience or resource '%s'. It should exactly match with one of the allowed audiences '%s/','%s','https://management.azure.com/','https://management.core.windows.net/'.", strings.Join(claims.Audience, ","), e.url, e.url))
	}
	return claims, nil
}

func expiry(c *tokenClaims) string {
	if c.ExpiresAt == nil {
		return ""
	}
	return c.ExpiresAt.UTC().Format("1/2/2006 3:04:05 PM")
}

// authorizeSubscription checks the token's tenant owns the subscription.
func (e *Emulator) authorizeSubscriptionLocked(c *tokenClaims, sub string) *armError {
	if e.st.ForbiddenSubscriptionID != "" && strings.EqualFold(sub, e.st.ForbiddenSubscriptionID) && strings.EqualFold(c.TenantID, e.st.TenantID) {
		// ARM's answer when the principal has no role assignment on the scope.
		return newErr(403, "AuthorizationFailed", fmt.Sprintf("The client '%s' with object id '%s' does not have authorization to perform action "+
			"'Microsoft.Compute/read' over scope '/subscriptions/%s' or the scope is invalid. If access was recently granted, please refresh your credentials.",
			c.AppID, c.ObjectID, sub))
	}
	workload := e.st.WorkloadSubscriptionID != "" && strings.EqualFold(sub, e.st.WorkloadSubscriptionID)
	if !strings.EqualFold(sub, e.st.SubscriptionID) && !workload {
		if !strings.EqualFold(c.TenantID, e.st.TenantID) {
			return newErr(403, "InvalidAuthenticationTokenTenant", fmt.Sprintf("The access token is from the wrong issuer 'https://sts.windows.net/%s/'. It must match the tenant associated with this subscription. Please use the authority (URL) 'https://login.windows.net/%s' to get the token.", c.TenantID, c.TenantID))
		}
		return newErr(404, "SubscriptionNotFound", fmt.Sprintf("The subscription '%s' could not be found.", sub))
	}
	if !strings.EqualFold(c.TenantID, e.st.TenantID) {
		return newErr(403, "InvalidAuthenticationTokenTenant", fmt.Sprintf("The access token is from the wrong issuer 'https://sts.windows.net/%s/'. It must match the tenant 'https://sts.windows.net/%s/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/%s' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.", c.TenantID, e.st.TenantID, e.st.TenantID))
	}
	return nil
}
