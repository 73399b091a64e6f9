package clients

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

type staticToken struct{}

func (staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// TestClient_retriesThrottlingAndSendsUserAgent proves a throttled GET is retried after the
// service's Retry-After and that every request carries the provider's user agent.
func TestClient_retriesThrottlingAndSendsUserAgent(t *testing.T) {
	var calls int32
	var agents []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.Header.Get("User-Agent"))
		if atomic.AddInt32(&calls, 1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"slow down"}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g","name":"g","location":"eastus2","properties":{}}`))
	}))
	defer srv.Close()

	c := cloud.Configuration{
		ActiveDirectoryAuthorityHost: srv.URL + "/",
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: srv.URL, Audience: "https://management.azure.com/"},
		},
	}
	client, err := New(Options{SubscriptionID: "s", Credential: staticToken{}, Cloud: c, Version: "9.9.9", Limits: DefaultServiceLimits(), Transport: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.Compute.NewGalleriesClient().Get(context.Background(), "rg", "g", nil)
	if err != nil {
		t.Fatalf("a 429 with Retry-After must be retried: %v", err)
	}
	if *got.Name != "g" || calls != 2 {
		t.Fatalf("name %q after %d calls", *got.Name, calls)
	}
	for _, ua := range agents {
		if !strings.HasPrefix(ua, "terraform-provider-azvmapps/9.9.9 ") || !strings.Contains(ua, "azsdk-go-armcompute") {
			t.Fatalf("user agent %q", ua)
		}
	}
	if client.PollFrequency != DefaultPollFrequency {
		t.Fatalf("poll frequency %s", client.PollFrequency)
	}
}

func TestNew_requiresSubscription(t *testing.T) {
	if _, err := New(Options{Credential: staticToken{}}); err == nil || !strings.Contains(err.Error(), "ARM_SUBSCRIPTION_ID") {
		t.Fatalf("got %v", err)
	}
}
