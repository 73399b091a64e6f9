package validate

import (
	"reflect"
	"testing"
)

func TestDuplicateRegions(t *testing.T) {
	cases := []struct {
		in   []string
		want [][]string
	}{
		{[]string{"eastus2", "westeurope"}, nil},
		{[]string{"East US 2", "eastus2"}, [][]string{{"East US 2", "eastus2"}}},
		{[]string{"eastus2", "westeurope", "West Europe", "EASTUS2"}, [][]string{{"eastus2", "EASTUS2"}, {"westeurope", "West Europe"}}},
		{nil, nil},
	}
	for _, c := range cases {
		if got := DuplicateRegions(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("DuplicateRegions(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestContainsRegion(t *testing.T) {
	cases := []struct {
		names  []string
		region string
		want   bool
	}{
		{[]string{"East US 2", "westeurope"}, "eastus2", true},
		{[]string{"eastus2"}, "East US 2", true},
		{[]string{"westeurope"}, "eastus2", false},
		{nil, "eastus2", false},
	}
	for _, c := range cases {
		if got := ContainsRegion(c.names, c.region); got != c.want {
			t.Errorf("ContainsRegion(%q, %q) = %v, want %v", c.names, c.region, got, c.want)
		}
	}
}

func TestRemovedRegions(t *testing.T) {
	cases := []struct {
		before, after []string
		want          []string
	}{
		{[]string{"eastus2", "westeurope"}, []string{"East US 2", "West Europe"}, nil},
		{[]string{"eastus2", "westeurope", "northeurope"}, []string{"eastus2"}, []string{"northeurope", "westeurope"}},
		{[]string{"eastus2"}, []string{"eastus2", "westeurope"}, nil},
	}
	for _, c := range cases {
		if got := RemovedRegions(c.before, c.after); !reflect.DeepEqual(got, c.want) {
			t.Errorf("RemovedRegions(%q, %q) = %q, want %q", c.before, c.after, got, c.want)
		}
	}
}
