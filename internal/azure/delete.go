package azure

import (
	"context"
	"fmt"
	"time"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
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
// ends. Transient errors of either call (throttling, 5xx, a dropped connection, once azcore's
// own retries are spent) are ridden over the same way (see wait.Until).
func DeleteRetryingNestedLag(ctx context.Context, deleteOnce func() error, listChildren func() ([]string, error)) error {
	return deleteRetrying(ctx, deleteOnce, listChildren, time.Second, 15*time.Second)
}

func deleteRetrying(ctx context.Context, deleteOnce func() error, listChildren func() ([]string, error), floor, ceiling time.Duration) error {
	var refused error // the last CannotDeleteResource with no child listed
	// The lag ends soon after the last child is gone, at a moment the service does not announce:
	// retry it at the floor's steady pace rather than backing off past its end.
	err := wait.Until(ctx, wait.Backoff{Floor: floor, Ceiling: ceiling, Steady: floor}, func(context.Context) (bool, error) {
		refused = nil
		err := deleteOnce()
		if err == nil || IsNotFound(err) {
			return true, nil
		}
		if ErrorCode(err) != codeCannotDeleteResource {
			return false, err // wait.Until rides over it if it is transient
		}
		children, lerr := listChildren()
		switch {
		case lerr != nil && wait.Transient(lerr):
			return false, lerr
		case lerr != nil:
			return false, fmt.Errorf("%w\n\n(listing the nested resources to tell which remain failed too: %v)", err, lerr)
		case len(children) > 0:
			return false, &NestedResourcesError{Children: children, Err: err}
		}
		refused = err
		return false, nil
	})
	if err != nil && refused != nil && ctx.Err() != nil {
		return fmt.Errorf("the service still refused the delete when the delete timeout ran out although no nested resource is listed any more: %w", refused)
	}
	return err
}
