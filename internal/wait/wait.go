// Package wait polls Azure until something is done: an install, a replication, a delete. It
// waits as long as the service asks (Retry-After) within a floor and a ceiling, backs off when
// the service says nothing, and rides over transient errors (throttling, 5xx, dropped
// connections) until the deadline, so that one bad poll does not fail a long wait.
package wait

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Backoff bounds the wait between two polls.
type Backoff struct {
	// Floor is the first wait when the service does not say, and the shortest wait.
	Floor time.Duration
	// Ceiling is the longest wait, even when the service asks for more.
	Ceiling time.Duration
	// Steady, when set, is the wait after a poll that succeeded but is not done yet and got no
	// Retry-After: for a state that ends soon at a moment the service does not announce (the
	// CannotDeleteResource lag), where backing off only makes the client late. Failed polls
	// still back off from Floor.
	Steady time.Duration
}

// Default polls after 1 s, then 2, 4, 8 s and every 15 s, unless the service says otherwise.
var Default = Backoff{Floor: time.Second, Ceiling: 15 * time.Second}

// Until calls poll until it reports done, returns an error that is not transient, or ctx ends.
// poll gets a context that captures the raw response of the request it makes, so that its
// Retry-After is honoured. A context that ends returns an error that wraps ctx.Err() and, if
// the last poll failed, names that error.
func Until(ctx context.Context, b Backoff, poll func(ctx context.Context) (done bool, err error)) error {
	if b.Floor <= 0 {
		b.Floor = Default.Floor
	}
	if b.Ceiling < b.Floor {
		b.Ceiling = b.Floor
	}
	delay := b.Floor
	for {
		var raw *http.Response
		done, err := poll(policy.WithCaptureResponse(ctx, &raw))
		switch {
		case err == nil && done:
			return nil
		case err != nil && !Transient(err):
			return err
		}
		var next time.Duration
		next, delay = b.next(delay, RetryAfter(raw), err != nil)
		t := time.NewTimer(next)
		select {
		case <-ctx.Done():
			t.Stop()
			if err != nil {
				return fmt.Errorf("%w (the last poll failed: %v)", ctx.Err(), err)
			}
			return ctx.Err()
		case <-t.C:
		}
	}
}

// next is the wait before the next poll and the backoff after it, given the current backoff,
// the Retry-After of the last poll (0: none) and whether it failed.
func (b Backoff) next(delay, retryAfter time.Duration, failed bool) (next, backoff time.Duration) {
	switch {
	case retryAfter > 0:
		return min(max(retryAfter, b.Floor), b.Ceiling), delay
	case b.Steady > 0 && !failed:
		return b.Steady, delay
	}
	return delay, min(delay*2, b.Ceiling)
}

// Jittered is the wait before retry n (1, 2, ...) of a refused write: Floor doubled per retry up
// to Ceiling, spread at random over [d/2, d) so that writers refused together (two Terraform
// runs, parallel resources) do not all come back at the same moment.
func (b Backoff) Jittered(n int) time.Duration {
	d := max(b.Floor, 0)
	for i := 1; i < n && d < b.Ceiling; i++ {
		d *= 2
	}
	d = min(d, max(b.Ceiling, b.Floor))
	if d < 2 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// Sleep waits d, or less if ctx ends first; it reports whether the whole wait passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Transient reports whether a failed poll is worth repeating: throttling, a server error or a
// timeout answered by the service, or a request that got no answer. A context that ended is not.
func Transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode == http.StatusRequestTimeout || re.StatusCode == http.StatusTooManyRequests || re.StatusCode >= 500
	}
	return true // no answer: a dropped connection, a reset, DNS
}

// RetryAfter is how long the response asks the client to wait (Retry-After-Ms,
// x-ms-retry-after-ms, or Retry-After in seconds or as a date); 0 when it does not say.
func RetryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	for _, h := range []string{"Retry-After-Ms", "X-Ms-Retry-After-Ms"} {
		if ms, err := strconv.Atoi(resp.Header.Get(h)); err == nil && ms > 0 {
			return time.Duration(ms) * time.Millisecond
		}
	}
	v := resp.Header.Get("Retry-After")
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := time.Until(at); d > 0 {
			return d
		}
	}
	return 0
}
