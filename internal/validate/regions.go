package validate

import (
	"sort"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
)

// DuplicateRegions returns, for every region named more than once (after normalisation, so
// "East US 2" and "eastus2" are the same), the spellings used, in input order.
func DuplicateRegions(names []string) [][]string {
	groups := map[string][]string{}
	var order []string
	for _, n := range names {
		k := azure.NormalizeLocation(n)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], n)
	}
	var out [][]string
	for _, k := range order {
		if len(groups[k]) > 1 {
			out = append(out, groups[k])
		}
	}
	return out
}

// ContainsRegion reports whether names holds region (compared normalised).
func ContainsRegion(names []string, region string) bool {
	for _, n := range names {
		if azure.LocationsEqual(n, region) {
			return true
		}
	}
	return false
}

// RemovedRegions returns the regions of before that are not in after (compared normalised),
// sorted by their normalised name.
func RemovedRegions(before, after []string) []string {
	var out []string
	for _, b := range before {
		if !ContainsRegion(after, b) {
			out = append(out, b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return azure.NormalizeLocation(out[i]) < azure.NormalizeLocation(out[j]) })
	return out
}
