package azure

import (
	"context"
	"time"
)

// ReadBackTimeout bounds the read that tells whether a write that reported an error landed.
const ReadBackTimeout = 2 * time.Minute

// ReadBack runs read after a write reported an error, to tell whether the write landed all the
// same: a response lost after the service applied it, an operation that ended Failed or
// Canceled after the change was made, a timeout or an interrupt after the service took it. The
// write's ctx may be done (a timeout or an interrupt is often why the write failed), so read
// gets a context of its own: ctx's values (the logger) without its cancellation, bounded by
// ReadBackTimeout.
func ReadBack[T any](ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	readCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ReadBackTimeout)
	defer cancel()
	return read(readCtx)
}
