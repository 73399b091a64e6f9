// Package azure holds the small helpers every resource shares for talking to Azure Resource
// Manager: error classification, region and ID comparison, error text for users, and the
// delete of a parent that waits out the service's lag after its children were deleted.
package azure

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

// IsNotFound reports whether err is Azure's 404: Read removes the resource from state, Delete
// treats it as done.
func IsNotFound(err error) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusNotFound
}

// IsStatus reports whether err is an Azure response error with the given HTTP status.
func IsStatus(err error, status int) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == status
}

// ErrorCode returns the ARM error code of err ("CannotDeleteResource"), or "".
func ErrorCode(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

// Describe turns an SDK error into text for a diagnostic: the operation, the resource ID,
// and the service's message, with secrets redacted.
func Describe(operation, id string, err error) string {
	return clients.Redact(fmt.Sprintf("%s %s: %s", operation, id, err))
}
