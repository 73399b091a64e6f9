package clients

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
)

// ConflictRetry retries a request that the service refused with a transient 409: another
// operation on the resource is in progress, or preempted this one. azcore retries by status code
// only and cannot tell those from a 409 that will never pass (CannotDeleteResource,
// PropertyChangeNotAllowed, an existing resource, a quota), so this policy reads the error code
// and message and retries only the transient ones, with jittered exponential backoff (or the
// response's Retry-After), a bounded number of times, and never past the request's context.
//
// It is a per-call policy: each retry goes through azcore's retry policy again, so a 429 or 5xx
// met while retrying is handled as usual and every try gets a current token.
type ConflictRetry struct {
	// MaxRetries bounds the retries after the first try.
	MaxRetries int
	// Delay is the first wait; each further wait doubles, up to MaxDelay.
	Delay    time.Duration
	MaxDelay time.Duration
}

// DefaultConflictRetry waits up to 1, 2, 4, 8, 16, 32, 60, 60 s (each spread over its upper
// half): two to three minutes in all, the time a VM's other operation (an extension, a restart)
// usually takes to finish.
var DefaultConflictRetry = ConflictRetry{MaxRetries: 8, Delay: time.Second, MaxDelay: time.Minute}

// Do sends the request, and sends it again while the answer is a transient 409.
func (p ConflictRetry) Do(req *policy.Request) (*http.Response, error) {
	ctx := req.Raw().Context()
	for try := 0; ; try++ {
		if try > 0 {
			// ARM request bodies are seekable (azcore requires it for its own retries).
			if err := req.RewindBody(); err != nil {
				return nil, err
			}
		}
		resp, err := req.Next()
		if err != nil || try >= p.MaxRetries {
			return resp, err
		}
		code, transient := TransientConflict(resp)
		if !transient {
			return resp, nil
		}
		delay := wait.Backoff{Floor: p.Delay, Ceiling: p.MaxDelay}.Jittered(try + 1)
		if ra := wait.RetryAfter(resp); ra > 0 {
			delay = min(ra, p.MaxDelay)
		}
		tflog.Info(ctx, "the service refused the request because another operation on the resource is in progress; retrying", map[string]any{
			"method": req.Raw().Method, "code": code, "try": try + 1, "delay": delay.String(),
		})
		runtime.Drain(resp)
		if !wait.Sleep(ctx, delay) {
			return nil, ctx.Err()
		}
	}
}

// TransientConflict reports whether resp is a 409 that the same request can pass later, and its
// error code. Transient: OperationPreempted, AnotherOperationInProgress, RetryableError, and
// OperationNotAllowed or Conflict whose message says an operation is in progress ("Operation
// 'PUT' is not allowed on VM 'x' since another operation is in progress"). Not transient: any
// other 409, including OperationNotAllowed for a quota or a resource marked for deletion. The
// body stays readable for the caller (azcore has buffered it; runtime.Payload keeps it).
func TransientConflict(resp *http.Response) (code string, transient bool) {
	if resp == nil || resp.StatusCode != http.StatusConflict {
		return "", false
	}
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if b, err := runtime.Payload(resp); err == nil && len(b) > 0 {
		_ = json.Unmarshal(b, &body) // a body that is not ARM's error shape leaves the code empty
	}
	code = body.Error.Code
	if code == "" {
		code = resp.Header.Get("x-ms-error-code")
	}
	switch strings.ToLower(code) {
	case "operationpreempted", "anotheroperationinprogress", "retryableerror":
		return code, true
	case "operationnotallowed", "conflict":
		return code, strings.Contains(strings.ToLower(body.Error.Message), "in progress")
	}
	return code, false
}
