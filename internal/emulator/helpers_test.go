package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// testConfig is fast: short LROs, replication and lags.
func testConfig(t testing.TB) Config {
	return Config{
		StateDir:        t.TempDir(),
		ReplicationTime: 800 * time.Millisecond,
		RetryAfter:      100 * time.Millisecond,
		OperationTime:   300 * time.Millisecond,
		DeleteLag:       time.Second,
		InstallTime:     300 * time.Millisecond,
		PageSize:        2,
		Logf:            t.Logf,
	}
}

// startStorage starts an emulator with Azurite; it fails when AZURITE_BIN is unset.
func startStorage(t testing.TB) *Emulator {
	t.Helper()
	if os.Getenv("AZURITE_BIN") == "" {
		t.Fatal(`AZURITE_BIN is not set: run eval "$(tools/install-tools.sh --env)" (make test sets it)`)
	}
	return startWith(t, testConfig(t))
}

// asMap returns v as a decoded JSON object, failing the test when it is something else.
func asMap(t testing.TB, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("want a JSON object, got %T: %v", v, v)
	}
	return m
}

// asSlice returns v as a decoded JSON array, failing the test when it is something else.
func asSlice(t testing.TB, v any) []any {
	t.Helper()
	s, ok := v.([]any)
	if !ok {
		t.Fatalf("want a JSON array, got %T: %v", v, v)
	}
	return s
}

// startNoStorage starts an emulator without Azurite (blob checks skipped).
func startNoStorage(t testing.TB, mutate ...func(*Config)) *Emulator {
	t.Helper()
	cfg := testConfig(t)
	cfg.NoStorage = true
	for _, m := range mutate {
		m(&cfg)
	}
	return startWith(t, cfg)
}

func startWith(t testing.TB, cfg Config) *Emulator {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	e, err := Start(ctx, cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

func (e *Emulator) cloudConfig() cloud.Configuration {
	return cloud.Configuration{
		ActiveDirectoryAuthorityHost: e.URL() + "/",
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: e.URL(), Audience: e.URL()},
		},
	}
}

func clientOptions(e *Emulator) azcore.ClientOptions {
	return azcore.ClientOptions{Cloud: e.cloudConfig(), Transport: e.HTTPClient(), Retry: policy.RetryOptions{RetryDelay: 50 * time.Millisecond, MaxRetryDelay: 200 * time.Millisecond}}
}

func credential(t testing.TB, e *Emulator, tenant string) azcore.TokenCredential {
	t.Helper()
	id := e.Identity()
	if tenant == "" {
		tenant = id.TenantID
	}
	cred, err := azidentity.NewClientSecretCredential(tenant, id.ClientID, id.ClientSecret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: clientOptions(e), DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

func factory(t testing.TB, e *Emulator) *armcompute.ClientFactory {
	t.Helper()
	f, err := armcompute.NewClientFactory(e.Identity().SubscriptionID, credential(t, e, ""), &arm.ClientOptions{ClientOptions: clientOptions(e)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var fastPoll = &runtime.PollUntilDoneOptions{Frequency: 50 * time.Millisecond}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

// token fetches an ARM token for the seeded client.
func token(t testing.TB, e *Emulator) string {
	t.Helper()
	tok, err := credential(t, e, "").GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL() + "/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

// rawResp is a raw HTTP answer.
type rawResp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

func (r rawResp) errCode() string {
	if e, ok := r.Body["error"].(map[string]any); ok {
		s, _ := e["code"].(string)
		return s
	}
	return ""
}

func (r rawResp) errField(k string) string {
	if e, ok := r.Body["error"].(map[string]any); ok {
		s, _ := e[k].(string)
		return s
	}
	return ""
}

// do sends a raw request; path may be absolute or relative to the emulator; tok "" sends no Authorization.
func do(t testing.TB, e *Emulator, method, path, tok string, body any) rawResp {
	t.Helper()
	u := path
	if !strings.HasPrefix(u, "https://") {
		u = e.URL() + path
	}
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		case []byte:
			rd = strings.NewReader(string(b))
		default:
			j, _ := json.Marshal(b)
			rd = strings.NewReader(string(j))
		}
	}
	req, _ := http.NewRequest(method, u, rd)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	out := rawResp{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		_ = json.Unmarshal(raw, &out.Body)
	}
	return out
}

func (e *Emulator) rgPath(rg string) string {
	return "/subscriptions/" + e.Identity().SubscriptionID + "/resourceGroups/" + rg
}

func (e *Emulator) galleryPath(g string) string {
	return e.rgPath(seedResourceGroup) + "/providers/Microsoft.Compute/galleries/" + g
}

func withAPI(p, v string) string {
	if strings.Contains(p, "?") {
		return p + "&api-version=" + url.QueryEscape(v)
	}
	return p + "?api-version=" + url.QueryEscape(v)
}

const galleryAPI = "2026-03-03"

func sharingUpdate(op, id string) armcompute.SharingUpdate {
	t := armcompute.SharingProfileGroupTypesSubscriptions
	return armcompute.SharingUpdate{OperationType: (*armcompute.SharingUpdateOperationTypes)(&op), Groups: []*armcompute.SharingProfileGroup{{Type: &t, IDs: []*string{&id}}}}
}

func newReq(t testing.TB, e *Emulator, method, path, tok string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, e.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return req
}

func galleryBody() armcompute.Gallery {
	loc := "eastus2"
	return armcompute.Gallery{Location: &loc}
}

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }
