package azure

import "strings"

// NormalizeLocation returns Azure's short region name: "East US 2" and "eastus2" are the same
// region, and the service answers with display names.
func NormalizeLocation(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// LocationsEqual compares two regions by their normalised names.
func LocationsEqual(a, b string) bool {
	return NormalizeLocation(a) == NormalizeLocation(b)
}

// IDsEqual compares two ARM resource IDs: ARM may answer with different letter case.
func IDsEqual(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
}
