package emulator

import (
	"sort"
	"strings"
)

// regions maps normalised region names to their display names.
var regions = map[string]string{
	"eastus": "East US", "eastus2": "East US 2", "centralus": "Central US", "northcentralus": "North Central US",
	"southcentralus": "South Central US", "westcentralus": "West Central US", "westus": "West US",
	"westus2": "West US 2", "westus3": "West US 3", "canadacentral": "Canada Central", "canadaeast": "Canada East",
	"brazilsouth": "Brazil South", "northeurope": "North Europe", "westeurope": "West Europe",
	"uksouth": "UK South", "ukwest": "UK West", "francecentral": "France Central", "germanywestcentral": "Germany West Central",
	"switzerlandnorth": "Switzerland North", "norwayeast": "Norway East", "swedencentral": "Sweden Central",
	"polandcentral": "Poland Central", "italynorth": "Italy North", "spaincentral": "Spain Central",
	"eastasia": "East Asia", "southeastasia": "Southeast Asia", "japaneast": "Japan East", "japanwest": "Japan West",
	"koreacentral": "Korea Central", "centralindia": "Central India", "southindia": "South India",
	"australiaeast": "Australia East", "australiasoutheast": "Australia Southeast", "uaenorth": "UAE North",
	"southafricanorth": "South Africa North", "qatarcentral": "Qatar Central", "israelcentral": "Israel Central",
	"mexicocentral": "Mexico Central",
}

// NormalizeRegion returns the normalised form of a region name ("East US 2" → "eastus2") and whether it is known.
func NormalizeRegion(name string) (string, bool) {
	n := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), " ", ""))
	_, ok := regions[n]
	return n, ok
}

// RegionDisplayName returns the display name of a region ("eastus2" → "East US 2"), or the input when unknown.
func RegionDisplayName(name string) string {
	n, ok := NormalizeRegion(name)
	if !ok {
		return name
	}
	return regions[n]
}

func regionNames() []string {
	out := make([]string, 0, len(regions))
	for _, d := range regions {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}
