package wait

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// Operation starts a long-running operation with begin, which is given a context that captures
// the operation's initial response, and waits for it as PollUntilDoneAfter does (the first status
// read when that response's Retry-After says). An error from begin is returned as it is.
func Operation[T any](ctx context.Context, freq time.Duration, begin func(context.Context) (*runtime.Poller[T], error)) (T, error) {
	var initial *http.Response
	p, err := begin(policy.WithCaptureResponse(ctx, &initial))
	if err != nil {
		var zero T
		return zero, err
	}
	return PollUntilDoneAfter(ctx, p, freq, initial)
}

// PollUntilDoneAfter waits for a long-running operation like azcore's Poller.PollUntilDone, but
// follows the service more closely and rides over transient poll errors until ctx ends. initial
// is the operation's initial response (captured with policy.WithCaptureResponse; Operation does
// that), or nil. Like azcore, the first status read waits that response's Retry-After; without
// one it waits the floor (Azure's Retry-After is rarely shorter): an operation just accepted
// would only answer InProgress. A response that names no operation to follow (no
// Azure-AsyncOperation, Operation-Location or Location) and no Retry-After is read back at once,
// and one the poller already knows to be final (a synchronous 200 or 204) ends the wait without
// a read. Later reads follow each answer's Retry-After (within MaxRetryAfter, and not more often
// than every Default.Floor); without one they back off doubling from Default.Floor up to freq, so
// that a short operation is seen done within a second instead of after freq. A status read that
// fails with throttling, a 5xx or no answer, once azcore's own retries are spent, is repeated
// instead of failing a replication or a delete that is going well. The operation's own failure,
// and any other error, still ends the wait.
func PollUntilDoneAfter[T any](ctx context.Context, p *runtime.Poller[T], freq time.Duration, initial *http.Response) (T, error) {
	var zero T
	if freq <= 0 {
		freq = Default.Floor
	}
	if p.Done() {
		// The service answered synchronously (a 200 or 204 with no operation to follow).
		return p.Result(ctx)
	}
	b := Backoff{Floor: min(Default.Floor, freq), Ceiling: freq}
	first, _ := b.pollNext(b.Floor, RetryAfter(initial), false)
	if initial != nil && !hasOperation(initial) && RetryAfter(initial) == 0 {
		// Nothing to follow (a synchronous 201, such as an application's PUT): the service
		// has done the work, and the read of the resource that ends the wait can be made now.
		first = 0
	}
	if !Sleep(ctx, first) {
		return zero, ctx.Err()
	}
	delay := b.Floor
	var failed error // the last transient failure of a status read
	for {
		resp, err := p.Poll(ctx)
		switch {
		case err == nil && p.Done():
			return p.Result(ctx)
		case err != nil && ctx.Err() != nil:
			err = failed // the context ended during the read
		case err != nil && !Transient(err):
			return zero, err
		}
		failed = err
		var next time.Duration
		next, delay = b.pollNext(delay, RetryAfter(resp), err != nil)
		if ctx.Err() != nil || !Sleep(ctx, next) {
			if failed != nil {
				return zero, fmt.Errorf("%w (the last poll failed: %v)", ctx.Err(), failed)
			}
			return zero, ctx.Err()
		}
	}
}

// pollNext is the wait before the next status read of an operation and the backoff after it:
// the Retry-After of a successful read (within Floor and MaxRetryAfter), else the backoff.
func (b Backoff) pollNext(delay, retryAfter time.Duration, failed bool) (next, backoff time.Duration) {
	if retryAfter > 0 && !failed {
		return min(max(retryAfter, b.Floor), MaxRetryAfter), delay
	}
	return b.next(delay, 0, failed)
}

// MaxRetryAfter is the longest Retry-After an operation poll honours: a longer one (a service
// bug, or a date far ahead) is polled after this.
const MaxRetryAfter = time.Minute

// hasOperation reports whether a long-running operation's initial response names an operation
// to follow.
func hasOperation(resp *http.Response) bool {
	for _, h := range []string{"Azure-AsyncOperation", "Operation-Location", "Location"} {
		if resp.Header.Get(h) != "" {
			return true
		}
	}
	return false
}
