package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// miCall sends one request to the managed identity endpoint and returns the status and body.
func miCall(t *testing.T, e *Emulator, method, query string, header map[string]string, form url.Values) (int, map[string]any) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.URL()+ManagedIdentityPath+"?"+query, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestManagedIdentityEndpoint(t *testing.T) {
	e := startNoStorage(t)
	mi := e.ManagedIdentity()
	res := url.QueryEscape(e.URL())
	appSvc := map[string]string{"X-IDENTITY-HEADER": mi.Header}
	meta := map[string]string{"Metadata": "true"}
	cases := []struct {
		name, method, query string
		header              map[string]string
		form                url.Values
		status              int
		oid                 string
	}{
		{"app service, system-assigned", "GET", "api-version=2019-08-01&resource=" + res, appSvc, nil, 200, mi.SystemObjectID},
		{"app service, client_id", "GET", "api-version=2019-08-01&resource=" + res + "&client_id=" + mi.UserClientID, appSvc, nil, 200, mi.UserObjectID},
		{"app service, mi_res_id", "GET", "api-version=2019-08-01&resource=" + res + "&mi_res_id=" + url.QueryEscape(mi.UserResourceID), appSvc, nil, 200, mi.UserObjectID},
		{"app service, unknown client_id", "GET", "api-version=2019-08-01&resource=" + res + "&client_id=00000000-0000-0000-0000-000000000001", appSvc, nil, 400, ""},
		{"app service, wrong secret", "GET", "api-version=2019-08-01&resource=" + res, map[string]string{"X-IDENTITY-HEADER": "x"}, nil, 401, ""},
		{"app service, wrong api-version", "GET", "api-version=2018-02-01&resource=" + res, appSvc, nil, 400, ""},
		{"app service, no resource", "GET", "api-version=2019-08-01", appSvc, nil, 400, ""},
		{"imds, system-assigned", "GET", "api-version=2018-02-01&resource=" + res, meta, nil, 200, mi.SystemObjectID},
		{"imds, msi_res_id", "GET", "api-version=2018-02-01&resource=" + res + "&msi_res_id=" + url.QueryEscape(mi.UserResourceID), meta, nil, 200, mi.UserObjectID},
		{"imds, no api-version", "GET", "resource=" + res, meta, nil, 400, ""},
		{"imds, no Metadata header", "GET", "api-version=2018-02-01&resource=" + res, nil, nil, 400, ""},
		{"cloud shell", "POST", "", meta, url.Values{"resource": {e.URL()}}, 200, mi.SystemObjectID},
		{"cloud shell, no resource", "POST", "", meta, url.Values{}, 400, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := miCall(t, e, c.method, c.query, c.header, c.form)
			if status != c.status {
				t.Fatalf("status %d, want %d: %v", status, c.status, body)
			}
			if c.status != 200 {
				if body["error"] == nil {
					t.Fatalf("error without an error code: %v", body)
				}
				return
			}
			tok, _ := body["access_token"].(string)
			if _, ok := body["expires_on"].(string); !ok || tok == "" {
				t.Fatalf("token response: %v", body)
			}
			// ARM accepts the token and logs the identity's principal.
			if r := do(t, e, "GET", withAPI(e.rgPath(seedResourceGroup), "2021-04-01"), tok, nil); r.Status != 200 {
				t.Fatalf("ARM with the managed identity token: %d %s", r.Status, r.Raw)
			}
			reqs := e.Requests()
			if got := reqs[len(reqs)-1].Principal; got != c.oid {
				t.Fatalf("principal %q, want %q", got, c.oid)
			}
		})
	}
}

func TestAzureCLIUserGrants(t *testing.T) {
	e := startNoStorage(t)
	u := e.CLIUser()
	post := func(form url.Values) (int, map[string]any) {
		t.Helper()
		resp, err := e.HTTPClient().PostForm(e.URL()+"/"+u.TenantID+"/oauth2/v2.0/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		out := map[string]any{}
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	scope := e.URL() + "/.default offline_access"
	login := url.Values{"grant_type": {"password"}, "client_id": {AzureCLIClientID}, "username": {u.Username}, "password": {u.Password}, "scope": {scope}}
	status, body := post(login)
	rt, _ := body["refresh_token"].(string)
	if status != 200 || rt == "" {
		t.Fatalf("password grant: %d %v", status, body)
	}
	wrong := cloneValues(login)
	wrong.Set("password", "nope")
	if status, body := post(wrong); status != 400 || !strings.Contains(fmt.Sprint(body["error_description"]), "AADSTS50126") {
		t.Fatalf("wrong password: %d %v", status, body)
	}
	status, body = post(url.Values{"grant_type": {"refresh_token"}, "client_id": {AzureCLIClientID}, "refresh_token": {rt}, "scope": {scope}})
	tok, _ := body["access_token"].(string)
	if status != 200 || tok == "" {
		t.Fatalf("refresh grant: %d %v", status, body)
	}
	if status, _ := post(url.Values{"grant_type": {"refresh_token"}, "client_id": {AzureCLIClientID}, "refresh_token": {"x"}, "scope": {scope}}); status != 400 {
		t.Fatalf("bad refresh token: %d", status)
	}
	if r := do(t, e, "GET", withAPI(e.rgPath(seedResourceGroup), "2021-04-01"), tok, nil); r.Status != 200 {
		t.Fatalf("ARM with the CLI user's token: %d", r.Status)
	}
	if reqs := e.Requests(); reqs[len(reqs)-1].Principal != u.ObjectID {
		t.Fatalf("principal %q, want the CLI user %q", reqs[len(reqs)-1].Principal, u.ObjectID)
	}
}
