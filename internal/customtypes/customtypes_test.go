package customtypes

import (
	"context"
	"testing"
)

func TestLocationSemanticEquals(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"eastus2", "East US 2", true},
		{"West Europe", "westeurope", true},
		{"eastus", "eastus2", false},
	}
	for _, tc := range cases {
		got, diags := NewLocation(tc.a).StringSemanticEquals(context.Background(), NewLocation(tc.b))
		if diags.HasError() || got != tc.want {
			t.Errorf("%q vs %q: got %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestARMIDSemanticEquals(t *testing.T) {
	a := NewARMID("/subscriptions/x/resourceGroups/RG/providers/Microsoft.Compute/galleries/g")
	b := NewARMID("/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/galleries/G")
	c := NewARMID("/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/galleries/other")
	if ok, _ := a.StringSemanticEquals(context.Background(), b); !ok {
		t.Error("IDs differing only in case must be equal")
	}
	if ok, _ := a.StringSemanticEquals(context.Background(), c); ok {
		t.Error("different IDs must differ")
	}
	if a.Equal(b) {
		t.Error("Equal is Terraform's exact comparison and must see the case difference")
	}
}
