package clients

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// inProgress is the 409 the service (and the emulator's conflict fault) answers while another
// operation runs on the VM.
const inProgress = `{"error":{"code":"OperationNotAllowed","message":"Operation 'PATCH' is not allowed on VM 'vm1' since another operation is in progress. For more information on your operations, please refer to https://aka.ms/activitylog."}}`

// fastConflicts retries at test speed.
var fastConflicts = ConflictRetry{MaxRetries: 3, Delay: 2 * time.Millisecond, MaxDelay: 8 * time.Millisecond}

// pipeline is an azcore pipeline with the given conflict policy and azcore's retries off.
func (r *recorder) pipeline(p ConflictRetry) runtime.Pipeline {
	return runtime.NewPipeline("test", "v0", runtime.PipelineOptions{}, &policy.ClientOptions{
		Transport:       r.srv.Client(),
		Retry:           policy.RetryOptions{MaxRetries: -1},
		PerCallPolicies: []policy.Policy{p},
	})
}

func (r *recorder) send(ctx context.Context, pl runtime.Pipeline, method string, body any) (*http.Response, error) {
	req, err := runtime.NewRequest(ctx, method, r.srv.URL+"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1")
	if err != nil {
		return nil, err
	}
	if body != nil {
		if err := runtime.MarshalAsJSON(req, body); err != nil {
			return nil, err
		}
	}
	return pl.Do(req)
}

// A transient 409 is retried, and each retry sends the whole body again.
func TestConflictRetry_retriesTransientConflictsWithTheSameBody(t *testing.T) {
	for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
		t.Run(method, func(t *testing.T) {
			r := newRecorder(t,
				answer{status: http.StatusConflict, body: inProgress},
				answer{status: http.StatusConflict, body: `{"error":{"code":"OperationPreempted","message":"Operation execution has been preempted by a more recent operation."}}`},
				answer{status: http.StatusOK, body: `{"name":"vm1"}`})
			var body any
			if method != http.MethodDelete {
				body = map[string]any{"properties": map[string]any{"applicationProfile": map[string]any{"galleryApplications": []any{map[string]string{"packageReferenceId": "/x/versions/1.0.0"}}}}}
			}
			resp, err := r.send(context.Background(), r.pipeline(fastConflicts), method, body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || r.calls() != 3 {
				t.Fatalf("status %d after %d calls, want 200 after 3", resp.StatusCode, r.calls())
			}
			for i, b := range r.bodies {
				if b != r.bodies[0] || (method != http.MethodDelete && b == "") {
					t.Fatalf("try %d sent %q, the first sent %q", i+1, b, r.bodies[0])
				}
			}
		})
	}
}

// A 409 that will never pass is returned at once, its body intact for the caller's error.
func TestConflictRetry_doesNotRetryPermanentConflicts(t *testing.T) {
	for code, message := range map[string]string{
		"CannotDeleteResource":     "Can not delete resource before nested resources are deleted.",
		"PropertyChangeNotAllowed": "Changing property 'osType' is not allowed.",
		"ResourceExists":           "The resource already exists.",
		"OperationNotAllowed":      "Operation could not be completed as it results in exceeding approved Total Regional Cores quota.",
		"Conflict":                 "Operation 'Update Virtual Machine Scale Set' is not allowed on Virtual Machine Scale Set 'ss' since it is marked for deletion.",
	} {
		t.Run(code, func(t *testing.T) {
			r := newRecorder(t, answer{status: http.StatusConflict, body: fmt.Sprintf(`{"error":{"code":%q,"message":%q}}`, code, message)})
			resp, err := r.send(context.Background(), r.pipeline(fastConflicts), http.MethodPut, map[string]string{"location": "eastus"})
			if err != nil {
				t.Fatal(err)
			}
			if r.calls() != 1 {
				t.Fatalf("%s retried: %d calls", code, r.calls())
			}
			var re *azcore.ResponseError
			if err := runtime.NewResponseError(resp); !errors.As(err, &re) || re.ErrorCode != code {
				t.Fatalf("the caller must still read the error: %v", err)
			}
		})
	}
}

// Retries are bounded; the last 409 reaches the caller with its body.
func TestConflictRetry_givesUpAfterMaxRetries(t *testing.T) {
	r := newRecorder(t, answer{status: http.StatusConflict, body: inProgress})
	resp, err := r.send(context.Background(), r.pipeline(fastConflicts), http.MethodPatch, map[string]string{"a": "b"})
	if err != nil {
		t.Fatal(err)
	}
	if r.calls() != fastConflicts.MaxRetries+1 {
		t.Fatalf("%d calls, want %d", r.calls(), fastConflicts.MaxRetries+1)
	}
	if code, ok := TransientConflict(resp); !ok || code != "OperationNotAllowed" {
		t.Fatalf("the last answer must reach the caller intact: %q %v", code, ok)
	}
}

// The wait between tries ends with the request's context.
func TestConflictRetry_honoursTheContext(t *testing.T) {
	r := newRecorder(t, answer{status: http.StatusConflict, body: inProgress})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.send(ctx, r.pipeline(ConflictRetry{MaxRetries: 5, Delay: time.Hour, MaxDelay: time.Hour}), http.MethodPut, map[string]string{"a": "b"})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second || r.calls() != 1 {
		t.Fatalf("err %v after %s and %d calls, want the deadline at once", err, time.Since(start), r.calls())
	}
}

// A Retry-After on the 409 sets the wait.
func TestConflictRetry_followsRetryAfter(t *testing.T) {
	r := newRecorder(t,
		answer{status: http.StatusConflict, body: inProgress, header: map[string]string{"Retry-After-Ms": "150"}},
		answer{status: http.StatusOK, body: `{}`})
	start := time.Now()
	if _, err := r.send(context.Background(), r.pipeline(fastConflicts), http.MethodPut, map[string]string{"a": "b"}); err != nil {
		t.Fatal(err)
	}
	// fastConflicts.MaxDelay (8 ms) caps it: the wait is the cap, not the 2 ms backoff.
	if d := time.Since(start); d < 8*time.Millisecond || r.calls() != 2 {
		t.Fatalf("%d calls in %s", r.calls(), d)
	}
}

func TestTransientConflict(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		header string
		want   bool
	}{
		{http.StatusConflict, inProgress, "", true},
		{http.StatusConflict, `{"error":{"code":"OperationPreempted","message":"Operation execution has been preempted by a more recent operation."}}`, "", true},
		{http.StatusConflict, `{"error":{"code":"AnotherOperationInProgress","message":"Another operation on this or dependent resource is in progress."}}`, "", true},
		{http.StatusConflict, `{"error":{"code":"Conflict","message":"The operation cannot be performed because an operation is in progress."}}`, "", true},
		{http.StatusConflict, ``, "OperationPreempted", true},
		{http.StatusConflict, `{"error":{"code":"CannotDeleteResource","message":"in progress"}}`, "", false},
		{http.StatusConflict, `not json`, "", false},
		{http.StatusPreconditionFailed, `{"error":{"code":"PreconditionFailed","message":"another operation is in progress"}}`, "", false},
		{http.StatusOK, inProgress, "", false},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(tc.body))}
		if tc.header != "" {
			resp.Header.Set("x-ms-error-code", tc.header)
		}
		if _, got := TransientConflict(resp); got != tc.want {
			t.Errorf("%d %s: transient %v, want %v", tc.status, tc.body, got, tc.want)
		}
		if b, _ := io.ReadAll(resp.Body); string(b) != tc.body {
			t.Errorf("body consumed: %q", b)
		}
	}
}

// The provider's own clients retry a VM update refused with "another operation is in progress".
func TestClient_retriesAVMUpdateRefusedByAnotherOperation(t *testing.T) {
	r := newRecorder(t,
		answer{status: http.StatusConflict, body: inProgress},
		answer{status: http.StatusOK, body: `{"name":"vm1","location":"eastus","properties":{"provisioningState":"Succeeded"}}`})
	client, err := New(Options{SubscriptionID: "s", Credential: staticToken{}, Cloud: testCloud(r.srv.URL), Limits: DefaultServiceLimits(), Transport: r.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	poller, err := client.Compute.NewVirtualMachinesClient().BeginUpdate(context.Background(), "rg", "vm1",
		armcompute.VirtualMachineUpdate{Properties: &armcompute.VirtualMachineProperties{ApplicationProfile: &armcompute.ApplicationProfile{}}},
		&armcompute.VirtualMachinesClientBeginUpdateOptions{IfMatch: to.Ptr(`"etag-1"`)})
	if err != nil {
		t.Fatalf("a 409 OperationNotAllowed (in progress) must be retried: %v", err)
	}
	if _, err := poller.PollUntilDone(context.Background(), &runtime.PollUntilDoneOptions{Frequency: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if r.calls() != 2 || r.bodies[0] != r.bodies[1] {
		t.Fatalf("%d calls, bodies %q", r.calls(), r.bodies)
	}
}
