package wait

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

var fast = Backoff{Floor: 10 * time.Millisecond, Ceiling: 40 * time.Millisecond}

func TestUntilBacksOffAndRidesOverTransientErrors(t *testing.T) {
	var calls []time.Time
	err := Until(context.Background(), fast, func(context.Context) (bool, error) {
		calls = append(calls, time.Now())
		switch len(calls) {
		case 1:
			return false, nil
		case 2:
			return false, &azcore.ResponseError{StatusCode: http.StatusServiceUnavailable}
		case 3:
			return false, errors.New("connection reset by peer")
		}
		return true, nil
	})
	if err != nil || len(calls) != 4 {
		t.Fatalf("err %v after %d polls", err, len(calls))
	}
	// 10, 20, 40 ms: doubling from the floor.
	if gap := calls[3].Sub(calls[2]); gap < 35*time.Millisecond {
		t.Fatalf("third wait %v, want the doubled backoff (~40 ms)", gap)
	}
}

func TestUntilStopsOnPermanentErrors(t *testing.T) {
	polls := 0
	err := Until(context.Background(), fast, func(context.Context) (bool, error) {
		polls++
		return false, &azcore.ResponseError{StatusCode: http.StatusForbidden, ErrorCode: "AuthorizationFailed"}
	})
	var re *azcore.ResponseError
	if !errors.As(err, &re) || polls != 1 {
		t.Fatalf("a 403 must end the wait at once: %v after %d polls", err, polls)
	}
}

func TestUntilHonoursTheDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := Until(ctx, fast, func(context.Context) (bool, error) {
		return false, &azcore.ResponseError{StatusCode: http.StatusTooManyRequests}
	})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "the last poll failed") {
		t.Fatalf("want the deadline and the last error named: %v", err)
	}
}

// The service's Retry-After decides the wait, within the floor and the ceiling: the poll makes
// a real request through an azcore pipeline, whose response Until reads.
func TestUntilFollowsRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		header, value string
		min, max      time.Duration
	}{
		// The lower bounds are what the header asks for; the upper bounds leave a loaded machine a
		// second of slack and still tell a clamped wait from 120 s.
		{"Retry-After-Ms", "30", 25 * time.Millisecond, time.Second},
		{"Retry-After", "120", 35 * time.Millisecond, time.Second}, // clamped to the 40 ms ceiling
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set(tc.header, tc.value)
			w.WriteHeader(http.StatusOK)
		}))
		pl := runtime.NewPipeline("wait", "test", runtime.PipelineOptions{}, &policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}})
		var calls []time.Time
		err := Until(context.Background(), fast, func(ctx context.Context) (bool, error) {
			calls = append(calls, time.Now())
			req, err := runtime.NewRequest(ctx, http.MethodGet, srv.URL)
			if err != nil {
				return false, err
			}
			resp, err := pl.Do(req)
			if err != nil {
				return false, err
			}
			_ = resp.Body.Close()
			return len(calls) == 2, nil
		})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if gap := calls[1].Sub(calls[0]); gap < tc.min || gap > tc.max {
			t.Errorf("%s: %s waited %v, want %v..%v", tc.header, tc.value, gap, tc.min, tc.max)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	h := func(k, v string) *http.Response {
		return &http.Response{Header: http.Header{http.CanonicalHeaderKey(k): []string{v}}}
	}
	for _, tc := range []struct {
		resp *http.Response
		want time.Duration
	}{
		{nil, 0},
		{h("Retry-After", "120"), 2 * time.Minute},
		{h("Retry-After", "0"), 0},
		{h("Retry-After", "soon"), 0},
		{h("x-ms-retry-after-ms", "250"), 250 * time.Millisecond},
	} {
		if got := RetryAfter(tc.resp); got != tc.want {
			t.Errorf("RetryAfter(%v) = %v, want %v", tc.resp, got, tc.want)
		}
	}
}

func TestJitteredDoublesToTheCeilingWithJitter(t *testing.T) {
	b := Backoff{Floor: time.Second, Ceiling: time.Minute}
	for n, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute} {
		seen := map[time.Duration]bool{}
		for range 20 {
			d := b.Jittered(n + 1)
			if d < want/2 || d >= want {
				t.Fatalf("retry %d: %s outside [%s, %s)", n+1, d, want/2, want)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Fatalf("retry %d: no jitter", n+1)
		}
	}
}

func TestSleepEndsWithTheContext(t *testing.T) {
	if !Sleep(context.Background(), time.Millisecond) {
		t.Fatal("a full wait must report true")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if Sleep(ctx, time.Hour) || time.Since(start) > 5*time.Second {
		t.Fatalf("the wait must end with the context (%s)", time.Since(start))
	}
}

// A steady backoff polls a pending state at its steady pace instead of doubling, but still
// backs off on failed polls and follows Retry-After.
func TestBackoffSteady(t *testing.T) {
	b := Backoff{Floor: time.Second, Ceiling: 15 * time.Second, Steady: time.Second}
	delay := b.Floor
	for i := range 5 {
		var next time.Duration
		if next, delay = b.next(delay, 0, false); next != time.Second {
			t.Fatalf("pending poll %d: wait %v, want the steady 1 s", i+1, next)
		}
	}
	waits := []time.Duration{}
	for range 3 {
		var next time.Duration
		next, delay = b.next(delay, 0, true)
		waits = append(waits, next)
	}
	if waits[0] != time.Second || waits[1] != 2*time.Second || waits[2] != 4*time.Second {
		t.Fatalf("failed polls wait %v, want 1 s, 2 s, 4 s", waits)
	}
	if next, _ := b.next(delay, 5*time.Second, false); next != 5*time.Second {
		t.Fatalf("Retry-After 5 s: wait %v", next)
	}
	if next, _ := Default.next(Default.Floor*4, 0, false); next != 4*time.Second {
		t.Fatalf("without Steady a pending poll backs off: wait %v, want 4 s", next)
	}
}
