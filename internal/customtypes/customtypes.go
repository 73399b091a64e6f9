// Package customtypes holds string types whose values Terraform compares the way Azure does,
// so that the service's different spelling of the same value never shows as a diff:
// Location ("East US 2" == "eastus2") and ARMID (IDs compared without letter case).
package customtypes

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
)

var (
	_ basetypes.StringTypable                    = LocationType{}
	_ basetypes.StringValuableWithSemanticEquals = Location{}
	_ basetypes.StringTypable                    = ARMIDType{}
	_ basetypes.StringValuableWithSemanticEquals = ARMID{}
)

// LocationType is the schema type of region attributes.
type LocationType struct{ basetypes.StringType }

// Location is a region name compared by its normalised form.
type Location struct{ basetypes.StringValue }

// String names the type in messages.
func (t LocationType) String() string { return "customtypes.LocationType" }

// Equal reports whether o is also a LocationType.
func (t LocationType) Equal(o attr.Type) bool { _, ok := o.(LocationType); return ok }

// ValueType returns the value type of this type.
func (t LocationType) ValueType(context.Context) attr.Value { return Location{} }

// ValueFromString wraps a framework string.
func (t LocationType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return Location{StringValue: in}, nil
}

// ValueFromTerraform converts a Terraform value.
func (t LocationType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return Location{StringValue: s}, nil
}

// Type returns LocationType.
func (v Location) Type(context.Context) attr.Type { return LocationType{} }

// Equal compares exactly (Terraform's notion); StringSemanticEquals compares as Azure does.
func (v Location) Equal(o attr.Value) bool {
	ov, ok := o.(Location)
	return ok && v.StringValue.Equal(ov.StringValue)
}

// StringSemanticEquals treats "East US 2" and "eastus2" as the same region.
func (v Location) StringSemanticEquals(_ context.Context, o basetypes.StringValuable) (bool, diag.Diagnostics) {
	ov, diags := o.ToStringValue(context.Background())
	return azure.LocationsEqual(v.ValueString(), ov.ValueString()), diags
}

// NewLocation returns a known Location.
func NewLocation(s string) Location { return Location{StringValue: basetypes.NewStringValue(s)} }

// ARMIDType is the schema type of attributes holding Azure resource IDs.
type ARMIDType struct{ basetypes.StringType }

// ARMID is a resource ID compared without letter case.
type ARMID struct{ basetypes.StringValue }

// String names the type in messages.
func (t ARMIDType) String() string { return "customtypes.ARMIDType" }

// Equal reports whether o is also an ARMIDType.
func (t ARMIDType) Equal(o attr.Type) bool { _, ok := o.(ARMIDType); return ok }

// ValueType returns the value type of this type.
func (t ARMIDType) ValueType(context.Context) attr.Value { return ARMID{} }

// ValueFromString wraps a framework string.
func (t ARMIDType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return ARMID{StringValue: in}, nil
}

// ValueFromTerraform converts a Terraform value.
func (t ARMIDType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return ARMID{StringValue: s}, nil
}

// Type returns ARMIDType.
func (v ARMID) Type(context.Context) attr.Type { return ARMIDType{} }

// Equal compares exactly (Terraform's notion); StringSemanticEquals compares as ARM does.
func (v ARMID) Equal(o attr.Value) bool {
	ov, ok := o.(ARMID)
	return ok && v.StringValue.Equal(ov.StringValue)
}

// StringSemanticEquals compares IDs without letter case.
func (v ARMID) StringSemanticEquals(_ context.Context, o basetypes.StringValuable) (bool, diag.Diagnostics) {
	ov, diags := o.ToStringValue(context.Background())
	return azure.IDsEqual(v.ValueString(), ov.ValueString()), diags
}

// NewARMID returns a known ARMID.
func NewARMID(s string) ARMID { return ARMID{StringValue: basetypes.NewStringValue(s)} }
