package wait

import (
	"context"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// PollUntilDone waits for a long-running operation like azcore's Poller.PollUntilDone (every
// freq, or as the service's Retry-After says), but rides over transient poll errors until ctx
// ends: a status read that fails with throttling, a 5xx or no answer, once azcore's own retries
// are spent, is repeated instead of failing a replication or a delete that is going well. The
// operation's own failure, and any other error, still ends the wait.
func PollUntilDone[T any](ctx context.Context, p *runtime.Poller[T], freq time.Duration) (T, error) {
	var zero T
	if freq <= 0 {
		freq = Default.Floor
	}
	for {
		resp, err := p.Poll(ctx)
		switch {
		case err == nil && p.Done():
			return p.Result(ctx)
		case err != nil && !Transient(err):
			return zero, err
		}
		next := freq
		if ra := RetryAfter(resp); err == nil && ra > 0 {
			next = ra
		}
		if !Sleep(ctx, next) {
			if err != nil {
				return zero, fmt.Errorf("%w (the last poll failed: %v)", ctx.Err(), err)
			}
			return zero, ctx.Err()
		}
	}
}
