package emulator

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// GalleryAPIVersions are the stable GalleryRP api-versions the emulator accepts.
var GalleryAPIVersions = []string{"2021-07-01", "2021-10-01", "2022-01-03", "2022-03-03", "2022-08-03", "2023-07-03", "2024-03-03", "2025-03-03", "2026-03-03"}

// ComputeAPIVersions are the ComputeRP (virtual machine / scale set) api-versions the emulator accepts.
var ComputeAPIVersions = []string{"2021-07-01", "2021-11-01", "2022-03-01", "2022-08-01", "2022-11-01", "2023-03-01", "2023-07-01", "2023-09-01", "2024-03-01", "2024-07-01", "2024-11-01", "2025-04-01", "2025-11-01", "2026-04-01"}

// ResourcesAPIVersions are the Microsoft.Resources api-versions accepted for subscriptions and resource groups.
var ResourcesAPIVersions = []string{"2016-09-01", "2018-05-01", "2019-05-01", "2019-10-01", "2020-06-01", "2020-10-01", "2021-01-01", "2021-04-01", "2022-09-01", "2023-07-01", "2024-03-01", "2024-07-01", "2024-11-01", "2025-01-01", "2025-03-01", "2025-04-01"}

var apiVersionRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(-preview)?$`)

// checkAPIVersion validates the api-version query parameter for a resource type.
func checkAPIVersion(v, resourceType string, supported []string) *armError {
	if v == "" {
		return newErr(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
	}
	if slices.Contains(supported, v) {
		return nil
	}
	list := strings.Join(supported, ", ")
	if !apiVersionRe.MatchString(v) {
		return newErr(400, "InvalidApiVersionParameter", fmt.Sprintf("The api-version '%s' is invalid. The supported versions are '%s'.", v, list))
	}
	return newErr(400, "NoRegisteredProviderFound", fmt.Sprintf("No registered resource provider found for location '%s' and API version '%s' for type '%s'. The supported api-versions are '%s'. The supported locations are '%s'.", seedLocation, v, resourceType, list, strings.Join(regionNames(), ", ")))
}
