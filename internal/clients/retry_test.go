package clients

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

// recorder is a test server that answers each request with the next of its answers (the last
// one repeats) and records the bodies it received.
type recorder struct {
	mu      sync.Mutex
	answers []answer
	bodies  []string
	srv     *httptest.Server
}

type answer struct {
	status int
	body   string
	header map[string]string
}

func newRecorder(t *testing.T, answers ...answer) *recorder {
	t.Helper()
	r := &recorder{answers: answers}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		a := r.answers[min(len(r.bodies), len(r.answers))-1]
		r.mu.Unlock()
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

// A Retry-After of 120 s is waited out, not refused: azcore returns a throttled answer at once
// when its Retry-After exceeds MaxRetryDelay (60 s by default), so with the old cap this request
// failed with the 429 immediately. Here the client must still be waiting when the test's short
// deadline ends. A Retry-After beyond MaxRetryDelay is still refused at once.
func TestClient_waitsOutALongRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		retryAfter string
		waits      bool
	}{
		{"120", true},
		{fmt.Sprint(int(MaxRetryDelay.Seconds()) + 60), false},
	} {
		t.Run(tc.retryAfter, func(t *testing.T) {
			r := newRecorder(t, answer{status: http.StatusTooManyRequests, body: `{"error":{"code":"TooManyRequests","message":"throttled"}}`, header: map[string]string{"Retry-After": tc.retryAfter}})
			client, err := New(Options{SubscriptionID: "s", Credential: staticToken{}, Cloud: testCloud(r.srv.URL), Limits: DefaultServiceLimits(), Transport: r.srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			_, err = client.Compute.NewGalleriesClient().Get(ctx, "rg", "g", nil)
			if r.calls() != 1 {
				t.Fatalf("%d calls", r.calls())
			}
			if waited := errors.Is(err, context.DeadlineExceeded); waited != tc.waits {
				t.Fatalf("Retry-After %s: waited %v, want %v (err %v)", tc.retryAfter, waited, tc.waits, err)
			}
		})
	}
}

// TestClient_retryAfter120IsWaitedOut is the acceptance check run for real: a 429 with
// Retry-After: 120 and then success. It takes two minutes, so it runs only when
// AZVMAPPS_SLOW_TESTS=1.
func TestClient_retryAfter120IsWaitedOut(t *testing.T) {
	if os.Getenv("AZVMAPPS_SLOW_TESTS") != "1" {
		t.Skip("takes 2 minutes; set AZVMAPPS_SLOW_TESTS=1")
	}
	r := newRecorder(t,
		answer{status: http.StatusTooManyRequests, body: `{"error":{"code":"TooManyRequests","message":"throttled"}}`, header: map[string]string{"Retry-After": "120"}},
		answer{status: http.StatusOK, body: `{"name":"g","location":"eastus","properties":{}}`})
	client, err := New(Options{SubscriptionID: "s", Credential: staticToken{}, Cloud: testCloud(r.srv.URL), Limits: DefaultServiceLimits(), Transport: r.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := client.Compute.NewGalleriesClient().Get(context.Background(), "rg", "g", nil); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 120*time.Second || r.calls() != 2 {
		t.Fatalf("%d calls in %s", r.calls(), d)
	}
	t.Logf("waited %s", time.Since(start).Round(time.Millisecond))
}

func testCloud(url string) cloud.Configuration {
	return cloud.Configuration{
		ActiveDirectoryAuthorityHost: url + "/",
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: url, Audience: "https://management.azure.com/"},
		},
	}
}
