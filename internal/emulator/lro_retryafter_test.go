package emulator

import (
	"net/http/httptest"
	"testing"
	"time"
)

// What AdvertisedRetryAfter says is what the headers say (a benchmark's bound is computed
// from it).
func TestAdvertisedRetryAfterMatchesTheHeaders(t *testing.T) {
	for _, d := range []time.Duration{250 * time.Millisecond, time.Second, 4250 * time.Millisecond, 9 * time.Second} {
		e := &Emulator{cfg: Config{RetryAfter: d}}
		w := httptest.NewRecorder()
		e.setRetryAfter(w)
		resp := w.Result()
		var got time.Duration
		if ms := resp.Header.Get("Retry-After-Ms"); ms != "" {
			n, _ := time.ParseDuration(ms + "ms")
			got = n
		} else {
			n, _ := time.ParseDuration(resp.Header.Get("Retry-After") + "s")
			got = n
		}
		if want := AdvertisedRetryAfter(d); got != want {
			t.Errorf("RetryAfter %v: headers say %v, AdvertisedRetryAfter %v", d, got, want)
		}
	}
	if AdvertisedRetryAfter(-1) != 0 {
		t.Error("no header: want 0")
	}
}
