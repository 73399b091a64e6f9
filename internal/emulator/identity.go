package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Managed identity and Azure CLI sign-in: the two principals besides the seeded service
// principal. NOTES.md ("Identity") gives the source of each request shape and error.

const (
	// AzureCLIClientID is the Azure CLI's public client (application) ID in Entra ID.
	AzureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	// ManagedIdentityPath is the path of the emulator's managed identity endpoint, the same as IMDS's.
	ManagedIdentityPath = "/metadata/identity/oauth2/token"

	appServiceAPIVersion = "2019-08-01" // IDENTITY_ENDPOINT + X-IDENTITY-HEADER
	cliUserDomain        = "azvmapps.example"
)

// imdsAPIVersions are the api-versions IMDS's identity endpoint accepts.
var imdsAPIVersions = []string{"2018-02-01", "2019-03-11", "2019-06-01", "2019-06-04", "2019-08-01", "2019-08-15", "2019-11-01", "2020-06-01", "2020-09-01", "2020-10-01", "2020-12-01", "2021-01-01", "2021-02-01", "2021-03-01", "2021-05-01", "2021-10-01", "2021-11-01", "2021-11-15", "2021-12-13", "2023-07-01", "2023-11-15", "2024-03-15", "2025-04-07"}

// managedIdentity is the identity of the emulated host: a system-assigned identity and one
// user-assigned identity, and the secret App Service puts in IDENTITY_HEADER.
type managedIdentity struct {
	SystemObjectID string `json:"systemObjectId"`
	SystemClientID string `json:"systemClientId"`
	UserClientID   string `json:"userClientId"`
	UserObjectID   string `json:"userObjectId"`
	UserResourceID string `json:"userResourceId"`
	Header         string `json:"header"`
}

func (m *managedIdentity) fill(subscriptionID string) {
	if m.SystemObjectID == "" {
		m.SystemObjectID, m.SystemClientID = uuid.NewString(), uuid.NewString()
	}
	if m.UserClientID == "" {
		m.UserClientID, m.UserObjectID = uuid.NewString(), uuid.NewString()
		m.UserResourceID = fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-azvmapps", subscriptionID, seedResourceGroup)
	}
	if m.Header == "" {
		m.Header = randomSecret()
	}
}

// cliUser is the user the Azure CLI stand-in signs in as (resource owner password, then
// refresh tokens, as `az login -u -p` does).
type cliUser struct {
	ObjectID     string `json:"objectId"`
	Username     string `json:"username"`
	Password     string `json:"password"`
	RefreshToken string `json:"refreshToken"`
}

func (u *cliUser) fill() {
	if u.ObjectID == "" {
		u.ObjectID = uuid.NewString()
		u.Username = "cli-user@" + cliUserDomain
		u.Password = randomSecret()
		u.RefreshToken = "emu-rt~" + randomSecret()
	}
}

func randomSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ManagedIdentityInfo is what a host with a managed identity exposes to its processes.
type ManagedIdentityInfo struct {
	Endpoint       string // IDENTITY_ENDPOINT / MSI_ENDPOINT value
	Header         string // IDENTITY_HEADER (App Service's secret)
	SystemObjectID string // principal (oid) of the system-assigned identity
	UserClientID   string // client ID of the user-assigned identity
	UserObjectID   string // principal (oid) of the user-assigned identity
	UserResourceID string // ARM ID of the user-assigned identity
}

// ManagedIdentity returns the emulated host's managed identities and endpoint.
func (e *Emulator) ManagedIdentity() ManagedIdentityInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.st.ManagedIdentity
	return ManagedIdentityInfo{Endpoint: e.url + ManagedIdentityPath, Header: m.Header, SystemObjectID: m.SystemObjectID,
		UserClientID: m.UserClientID, UserObjectID: m.UserObjectID, UserResourceID: m.UserResourceID}
}

// CLIUserInfo is the user the Azure CLI stand-in signs in as.
type CLIUserInfo struct {
	Username, Password, ObjectID, TenantID string
}

// CLIUser returns the seeded Azure CLI user.
func (e *Emulator) CLIUser() CLIUserInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.CLIUser
	return CLIUserInfo{Username: u.Username, Password: u.Password, ObjectID: u.ObjectID, TenantID: e.st.TenantID}
}

// issueAccessToken signs an access token the emulator's ARM accepts.
func (e *Emulator) issueAccessToken(tenantID, oid, appID, aud string) (string, time.Time, error) {
	e.mu.Lock()
	key := e.st.SigningKey
	e.mu.Unlock()
	now := time.Now()
	exp := now.Add(tokenLifetime)
	claims := tokenClaims{
		TenantID: tenantID, ObjectID: oid, AppID: appID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    "https://sts.windows.net/" + tenantID + "/",
			Subject:   oid,
			Audience:  jwt.ClaimStrings{aud},
			ExpiresAt: jwt.NewNumericDate(exp),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Minute)),
			ID:        uuid.NewString(),
		},
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	return tok, exp, err
}

// miError answers as the managed identity endpoints do: {"error","error_description"}.
func miError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
}

// serveManagedIdentityToken answers the managed identity endpoint in the three shapes azidentity
// (MSAL) sends to an endpoint it is given: App Service (GET + X-IDENTITY-HEADER, api-version
// 2019-08-01), Cloud Shell (POST form + Metadata: true, what MSI_ENDPOINT alone selects) and IMDS
// (GET + Metadata: true, what ADAL-based tools send to a custom MSI endpoint).
func (e *Emulator) serveManagedIdentityToken(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	m, tenantID := e.st.ManagedIdentity, e.st.TenantID
	e.mu.Unlock()
	q := r.URL.Query()
	var resource string
	appService := r.Header.Get("X-IDENTITY-HEADER") != ""
	switch {
	case appService && r.Method == http.MethodGet:
		if r.Header.Get("X-IDENTITY-HEADER") != m.Header {
			// App Service answers a wrong secret with 401 and no token.
			miError(w, http.StatusUnauthorized, "invalid_request", "The X-IDENTITY-HEADER header is not valid.")
			return
		}
		if v := q.Get("api-version"); v != appServiceAPIVersion {
			miError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("The api-version '%s' could not be found. Supported api-version: %s.", v, appServiceAPIVersion))
			return
		}
		resource = q.Get("resource")
	case r.Header.Get("Metadata") != "true":
		// IMDS and Cloud Shell refuse requests without the header (a guard against SSRF).
		miError(w, http.StatusBadRequest, "invalid_request", "Required metadata header not specified")
		return
	case r.Method == http.MethodPost: // Cloud Shell: the resource is in the form body.
		if err := r.ParseForm(); err != nil {
			miError(w, http.StatusBadRequest, "invalid_request", "The request body is not a form.")
			return
		}
		resource = r.PostForm.Get("resource")
		if q.Get("client_id") != "" || q.Get("mi_res_id") != "" || q.Get("msi_res_id") != "" || q.Get("object_id") != "" {
			miError(w, http.StatusBadRequest, "invalid_request", "Cloud Shell does not support user-assigned managed identities.")
			return
		}
	case r.Method == http.MethodGet: // IMDS
		v := q.Get("api-version")
		if v == "" {
			miError(w, http.StatusBadRequest, "invalid_request", "Required query variable 'api-version' is missing")
			return
		}
		if !slices.Contains(imdsAPIVersions, v) {
			miError(w, http.StatusBadRequest, "invalid_request", "Invalid version of API requested")
			return
		}
		resource = q.Get("resource")
	default:
		miError(w, http.StatusMethodNotAllowed, "invalid_request", "The method is not allowed.")
		return
	}
	if resource == "" {
		miError(w, http.StatusBadRequest, "invalid_request", "Required query variable 'resource' is missing")
		return
	}
	// A user-assigned identity is selected by client_id, object_id or its ARM ID (mi_res_id for
	// App Service, msi_res_id for IMDS/Arc); an identity not on this host is a 400.
	oid, appID := m.SystemObjectID, m.SystemClientID
	selectors := []struct{ key, want string }{
		{"client_id", m.UserClientID}, {"object_id", m.UserObjectID}, {"principal_id", m.UserObjectID},
		{"mi_res_id", m.UserResourceID}, {"msi_res_id", m.UserResourceID},
	}
	for _, s := range selectors {
		got := q.Get(s.key)
		if got == "" {
			continue
		}
		if !strings.EqualFold(got, s.want) {
			miError(w, http.StatusBadRequest, "invalid_request", "Identity not found")
			return
		}
		oid, appID = m.UserObjectID, m.UserClientID
	}
	aud := strings.TrimSuffix(resource, "/.default")
	tok, exp, err := e.issueAccessToken(tenantID, oid, appID, aud)
	if err != nil {
		miError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	body := map[string]any{
		"access_token": tok,
		"expires_on":   strconv.FormatInt(exp.Unix(), 10),
		"resource":     resource,
		"token_type":   "Bearer",
	}
	if appService {
		body["client_id"] = appID
	} else {
		body["expires_in"] = strconv.Itoa(int(tokenLifetime.Seconds()))
		body["ext_expires_in"] = body["expires_in"]
		body["not_before"] = strconv.FormatInt(exp.Add(-tokenLifetime).Unix(), 10)
		body["client_id"] = appID
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, body)
}

// serveUserGrant answers the password and refresh_token grants of the Azure CLI's public client
// for the CLI user (az login -u -p, then the refresh token for every later token).
func (e *Emulator) serveUserGrant(w http.ResponseWriter, f map[string][]string, tenant, grant string) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	e.mu.Lock()
	u, tenantID := e.st.CLIUser, e.st.TenantID
	e.mu.Unlock()
	if !strings.EqualFold(get("client_id"), AzureCLIClientID) {
		aadError(w, http.StatusUnauthorized, "invalid_client", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 7000218)
		return
	}
	if !strings.EqualFold(tenant, tenantID) && tenant != "organizations" && tenant != "common" {
		aadError(w, http.StatusBadRequest, "invalid_grant", fmt.Sprintf("User account '%s' from identity provider 'https://sts.windows.net/%s/' does not exist in tenant '%s' and cannot access the application '%s'(Microsoft Azure CLI) in that tenant.", u.Username, tenantID, tenant, AzureCLIClientID), 50020)
		return
	}
	switch grant {
	case "password":
		if !strings.EqualFold(get("username"), u.Username) || get("password") != u.Password {
			aadError(w, http.StatusBadRequest, "invalid_grant", "Error validating credentials due to invalid username or password.", 50126)
			return
		}
	case "refresh_token":
		if get("refresh_token") != u.RefreshToken {
			aadError(w, http.StatusBadRequest, "invalid_grant", "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid.", 9002313)
			return
		}
	}
	aud := ""
	for _, s := range strings.Fields(get("scope")) {
		if strings.HasSuffix(s, "/.default") {
			aud = strings.TrimSuffix(s, "/.default")
			break
		}
	}
	if aud == "" {
		aadError(w, http.StatusBadRequest, "invalid_scope", "The provided request must include a 'scope' input parameter.", 900144)
		return
	}
	tok, _, err := e.issueAccessToken(tenantID, u.ObjectID, AzureCLIClientID, aud)
	if err != nil {
		aadError(w, http.StatusInternalServerError, "server_error", err.Error(), 90000)
		return
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"scope":          get("scope"),
		"expires_in":     int(tokenLifetime.Seconds()),
		"ext_expires_in": int(tokenLifetime.Seconds()),
		"access_token":   tok,
		"refresh_token":  u.RefreshToken,
	})
}
