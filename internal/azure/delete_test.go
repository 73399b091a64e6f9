package azure

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

func TestDeleteRetrying(t *testing.T) {
	conflict := &azcore.ResponseError{StatusCode: http.StatusConflict, ErrorCode: codeCannotDeleteResource}
	notFound := &azcore.ResponseError{StatusCode: http.StatusNotFound, ErrorCode: "ResourceNotFound"}
	other := &azcore.ResponseError{StatusCode: http.StatusBadRequest, ErrorCode: "InvalidParameter"}
	unavailable := &azcore.ResponseError{StatusCode: http.StatusServiceUnavailable, ErrorCode: "ServiceUnavailable"}
	forbidden := &azcore.ResponseError{StatusCode: http.StatusForbidden, ErrorCode: "AuthorizationFailed"}
	cases := []struct {
		name       string
		results    []error // what each delete attempt returns
		children   []string
		listErrs   []error // what each listing returns (the last one repeats)
		wantCalls  int
		wantErr    string // substring; "" = success
		wantNested bool
		shortCtx   bool
	}{
		{name: "success", results: []error{nil}, wantCalls: 1},
		{name: "already gone", results: []error{notFound}, wantCalls: 1},
		{name: "other error is not retried", results: []error{other}, wantCalls: 1, wantErr: "InvalidParameter"},
		{name: "children remain", results: []error{conflict}, children: []string{"/x/applications/a"}, wantCalls: 1, wantNested: true},
		{name: "lag after last child delete is retried", results: []error{conflict, conflict, nil}, wantCalls: 3},
		{name: "listing is refused", results: []error{conflict}, listErrs: []error{forbidden}, wantCalls: 1, wantErr: "AuthorizationFailed"},
		{name: "listing fails for a while", results: []error{conflict, conflict, nil}, listErrs: []error{errors.New("connection reset by peer"), nil}, wantCalls: 3},
		{name: "transient delete errors are ridden over", results: []error{unavailable, errors.New("connection reset by peer"), nil}, wantCalls: 3},
		{name: "transient delete errors until the timeout", results: []error{unavailable}, shortCtx: true, wantErr: "the last poll failed"},
		{name: "lag outlasts the timeout", results: []error{conflict, conflict, conflict, conflict, conflict, conflict, conflict, conflict}, shortCtx: true, wantErr: "delete timeout ran out"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.shortCtx {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 20*time.Millisecond)
				defer cancel()
			}
			calls := 0
			del := func() error {
				calls++
				if calls > len(tc.results) {
					return tc.results[len(tc.results)-1]
				}
				return tc.results[calls-1]
			}
			lists := 0
			list := func() ([]string, error) {
				lists++
				if len(tc.listErrs) == 0 {
					return tc.children, nil
				}
				return tc.children, tc.listErrs[min(lists, len(tc.listErrs))-1]
			}
			err := deleteRetrying(ctx, del, list, time.Millisecond, 4*time.Millisecond)
			if tc.wantErr == "" && !tc.wantNested {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
			} else if tc.wantNested {
				var nested *NestedResourcesError
				if !errors.As(err, &nested) || nested.Children[0] != tc.children[0] {
					t.Fatalf("want a NestedResourcesError naming the children, got %v", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want it to mention %q", err, tc.wantErr)
			}
			if tc.wantCalls > 0 && calls != tc.wantCalls {
				t.Errorf("delete called %d times, want %d", calls, tc.wantCalls)
			}
		})
	}
}
