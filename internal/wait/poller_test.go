package wait

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// lro serves a PUT that starts an operation (Azure-AsyncOperation) whose status reads answer
// the given statuses in turn (the last repeats): a number is an HTTP error, a word an
// operation status.
func lro(t *testing.T, statuses ...string) (*httptest.Server, func() int) {
	t.Helper()
	var mu sync.Mutex
	polls := 0
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPut:
			w.Header().Set("Azure-AsyncOperation", srv.URL+"/operations/1")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"name":"v","properties":{"provisioningState":"Creating"}}`)
		case strings.HasPrefix(r.URL.Path, "/operations/"):
			mu.Lock()
			s := statuses[min(polls, len(statuses)-1)]
			polls++
			mu.Unlock()
			switch s {
			case "503":
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, `{"error":{"code":"ServiceUnavailable","message":"try later"}}`)
			case "403":
				w.WriteHeader(http.StatusForbidden)
				_, _ = io.WriteString(w, `{"error":{"code":"AuthorizationFailed","message":"no"}}`)
			case "Failed":
				_, _ = io.WriteString(w, `{"status":"Failed","error":{"code":"ReplicationFailed","message":"westus failed"}}`)
			default:
				_, _ = io.WriteString(w, `{"status":"`+s+`"}`)
			}
		default: // the final GET of the resource
			_, _ = io.WriteString(w, `{"name":"v","properties":{"provisioningState":"Succeeded"}}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() int { mu.Lock(); defer mu.Unlock(); return polls }
}

func startLRO(t *testing.T, srv *httptest.Server) *runtime.Poller[map[string]any] {
	t.Helper()
	pl := runtime.NewPipeline("wait", "test", runtime.PipelineOptions{}, &policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}})
	req, err := runtime.NewRequest(context.Background(), http.MethodPut, srv.URL+"/versions/v")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := pl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	p, err := runtime.NewPoller[map[string]any](resp, pl, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPollUntilDoneRidesOverTransientPollErrors(t *testing.T) {
	srv, polls := lro(t, "InProgress", "503", "503", "InProgress", "Succeeded")
	got, err := PollUntilDoneAfter(context.Background(), startLRO(t, srv), time.Millisecond, nil)
	if err != nil {
		t.Fatalf("transient poll errors must not end the wait: %v", err)
	}
	if got["name"] != "v" || polls() != 5 {
		t.Fatalf("result %v after %d polls", got, polls())
	}
	// azcore's own loop gives up at the first failed poll (its retries are off here).
	srv2, _ := lro(t, "InProgress", "503", "Succeeded")
	if _, err := startLRO(t, srv2).PollUntilDone(context.Background(), &runtime.PollUntilDoneOptions{Frequency: time.Millisecond}); err == nil {
		t.Fatal("expected azcore's PollUntilDone to fail on the 503 (the reason for this helper)")
	}
}

func TestPollUntilDoneEndsOnFailureAndPermanentErrors(t *testing.T) {
	for _, tc := range []struct{ status, code string }{{"Failed", "ReplicationFailed"}, {"403", "AuthorizationFailed"}} {
		srv, polls := lro(t, "InProgress", tc.status)
		_, err := PollUntilDoneAfter(context.Background(), startLRO(t, srv), time.Millisecond, nil)
		var re *azcore.ResponseError
		if !errors.As(err, &re) || re.ErrorCode != tc.code || polls() != 2 {
			t.Fatalf("%s: err %v after %d polls, want %s at once", tc.status, err, polls(), tc.code)
		}
	}
}

func TestPollUntilDoneHonoursTheDeadline(t *testing.T) {
	srv, _ := lro(t, "503")
	p := startLRO(t, srv)
	// Long enough for a poll to fail first even on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := PollUntilDoneAfter(ctx, p, 5*time.Millisecond, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "the last poll failed") {
		t.Fatalf("want the deadline and the last error named: %v", err)
	}
}

// Without Retry-After an operation is polled after 1 s, then backing off up to the provider's
// poll frequency (a short operation is seen done in about a second, not after the frequency);
// Retry-After is followed within a floor and a ceiling.
func TestPollWaits(t *testing.T) {
	b := Backoff{Floor: time.Second, Ceiling: 5 * time.Second}
	delay := b.Floor
	var got []time.Duration
	for range 5 {
		var next time.Duration
		next, delay = b.pollNext(delay, 0, false)
		got = append(got, next)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("waits without Retry-After: %v, want %v", got, want)
		}
	}
	for _, tc := range []struct{ ra, want time.Duration }{
		{2 * time.Second, 2 * time.Second}, {10 * time.Minute, MaxRetryAfter}, {10 * time.Millisecond, time.Second},
	} {
		if next, _ := b.pollNext(b.Floor, tc.ra, false); next != tc.want {
			t.Errorf("Retry-After %v: wait %v, want %v", tc.ra, next, tc.want)
		}
	}
}

// An operation just accepted is not read back at once: the first status read waits the floor
// (here the 30 ms frequency), which saves a read that would only say InProgress.
func TestPollUntilDoneWaitsBeforeTheFirstRead(t *testing.T) {
	srv, polls := lro(t, "Succeeded")
	p := startLRO(t, srv)
	start := time.Now()
	if _, err := PollUntilDoneAfter(context.Background(), p, 30*time.Millisecond, nil); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 30*time.Millisecond || polls() != 1 {
		t.Fatalf("done after %v and %d status reads, want one read after the 30 ms floor", elapsed, polls())
	}
}

// With the operation's initial response known, the first status read waits its Retry-After
// (here 60 ms, beyond the 30 ms frequency), as azcore does.
func TestPollUntilDoneAfterFollowsTheInitialRetryAfter(t *testing.T) {
	srv, polls := lro(t, "Succeeded")
	p := startLRO(t, srv)
	initial := &http.Response{Header: http.Header{"Retry-After-Ms": []string{"60"}}}
	start := time.Now()
	if _, err := PollUntilDoneAfter(context.Background(), p, 30*time.Millisecond, initial); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 60*time.Millisecond || polls() != 1 {
		t.Fatalf("done after %v and %d status reads, want one read after the initial 60 ms", elapsed, polls())
	}
}

// syncLRO serves a PUT answered as the service answers an application's: 201 with the
// resource and nothing to follow; the poller then reads the resource back (GET).
func syncLRO(t *testing.T, status int) (*runtime.Poller[map[string]any], func() int) {
	t.Helper()
	var mu sync.Mutex
	gets := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			mu.Lock()
			gets++
			mu.Unlock()
		} else {
			w.WriteHeader(status)
		}
		_, _ = io.WriteString(w, `{"name":"app","properties":{"supportedOSType":"Linux"}}`)
	}))
	t.Cleanup(srv.Close)
	return startLRO(t, srv), func() int { mu.Lock(); defer mu.Unlock(); return gets }
}

// A synchronous answer is not waited on: a 201 with nothing to follow is read back at once (not
// after the floor), and a 200 the poller already knows to be final ends the wait without a read.
func TestPollUntilDoneAfterSynchronousAnswers(t *testing.T) {
	p, gets := syncLRO(t, http.StatusCreated)
	initial := &http.Response{StatusCode: http.StatusCreated, Header: http.Header{}}
	start := time.Now()
	got, err := PollUntilDoneAfter(context.Background(), p, time.Minute, initial)
	if err != nil || got["name"] != "app" {
		t.Fatalf("result %v, err %v", got, err)
	}
	if elapsed := time.Since(start); elapsed >= Default.Floor || gets() != 1 {
		t.Fatalf("a synchronous 201 took %v with %d reads, want one read at once (not after the %v floor)", elapsed, gets(), Default.Floor)
	}

	p, gets = syncLRO(t, http.StatusOK)
	start = time.Now()
	if _, err := PollUntilDoneAfter(context.Background(), p, time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed >= Default.Floor || gets() != 0 {
		t.Fatalf("a synchronous 200 waited %v with %d reads, want neither", elapsed, gets())
	}
}

// Operation captures the operation's initial response, so that the first status read waits
// the Retry-After the service sent with it (here 80 ms), not the floor.
func TestOperationFollowsTheInitialRetryAfter(t *testing.T) {
	var mu sync.Mutex
	var accepted, firstRead time.Time
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.Method == http.MethodPut:
			accepted = time.Now()
			w.Header().Set("Azure-AsyncOperation", srv.URL+"/operations/1")
			w.Header().Set("Retry-After-Ms", "80")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"properties":{"provisioningState":"Creating"}}`)
		case strings.HasPrefix(r.URL.Path, "/operations/"):
			if firstRead.IsZero() {
				firstRead = time.Now()
			}
			_, _ = io.WriteString(w, `{"status":"Succeeded"}`)
		default:
			_, _ = io.WriteString(w, `{"name":"g","properties":{"provisioningState":"Succeeded"}}`)
		}
	}))
	t.Cleanup(srv.Close)
	pl := runtime.NewPipeline("wait", "test", runtime.PipelineOptions{}, &policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}})
	got, err := Operation(context.Background(), 10*time.Millisecond, func(ctx context.Context) (*runtime.Poller[map[string]any], error) {
		req, err := runtime.NewRequest(ctx, http.MethodPut, srv.URL+"/galleries/g")
		if err != nil {
			return nil, err
		}
		resp, err := pl.Do(req)
		if err != nil {
			return nil, err
		}
		return runtime.NewPoller[map[string]any](resp, pl, nil)
	})
	if err != nil || got["name"] != "g" {
		t.Fatalf("result %v, err %v", got, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if wait := firstRead.Sub(accepted); wait < 80*time.Millisecond {
		t.Fatalf("first status read %v after the operation was accepted, want the initial Retry-After of 80 ms", wait)
	}
}
