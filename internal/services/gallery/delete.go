package gallery

import (
	"context"
	"fmt"
	"time"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
)

// codeCannotDeleteResource is the ARM error code for deleting a parent that still has children.
const codeCannotDeleteResource = "CannotDeleteResource"

// NestedResourcesError says a delete was refused because the resource still has children.
type NestedResourcesError struct {
	Children []string
	Err      error
}

func (e *NestedResourcesError) Error() string {
	return fmt.Sprintf("%d nested resources remain: %v", len(e.Children), e.Err)
}

func (e *NestedResourcesError) Unwrap() error { return e.Err }

// DeleteRetryingNestedLag runs deleteOnce until it succeeds or the resource is gone (404).
// When the service refuses with 409 CannotDeleteResource, listChildren tells why: if children
// remain it returns a *NestedResourcesError naming them; if none remain, the refusal is the
// service's short lag after a child's delete, and the delete is retried with backoff until ctx
// ends.
func DeleteRetryingNestedLag(ctx context.Context, deleteOnce func() error, listChildren func() ([]string, error)) error {
	return deleteRetrying(ctx, deleteOnce, listChildren, time.Second, 15*time.Second)
}

func deleteRetrying(ctx context.Context, deleteOnce func() error, listChildren func() ([]string, error), wait, maxWait time.Duration) error {
	for {
		err := deleteOnce()
		if err == nil || azure.IsNotFound(err) {
			return nil
		}
		if azure.ErrorCode(err) != codeCannotDeleteResource {
			return err
		}
		children, lerr := listChildren()
		if lerr != nil {
			return fmt.Errorf("%w\n\n(listing the nested resources to tell which remain failed too: %v)", err, lerr)
		}
		if len(children) > 0 {
			return &NestedResourcesError{Children: children, Err: err}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the service still refused the delete when the delete timeout ran out although no nested resource is listed any more: %w", err)
		case <-time.After(wait):
		}
		if wait *= 2; wait > maxWait {
			wait = maxWait
		}
	}
}
