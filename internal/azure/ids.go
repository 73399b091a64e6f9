package azure

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
)

// ParseTypedID parses an ARM ID and checks it names a resource of resourceType (for example
// "Microsoft.Compute/galleries/applications"); the error shows the expected format.
func ParseTypedID(id, resourceType, format string) (*arm.ResourceID, error) {
	parsed, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(parsed.ResourceType.String(), resourceType) || parsed.ResourceGroupName == "" {
		return nil, fmt.Errorf("%q is not a %s ID; expected %s", id, resourceType, format)
	}
	return parsed, nil
}
