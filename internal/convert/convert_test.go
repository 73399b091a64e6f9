package convert

import (
	"context"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

func TestStringMapRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := types.MapValueMust(types.StringType, map[string]attr.Value{"env": types.StringValue("test")})
	sdk, diags := ExpandStringMap(ctx, in)
	if diags.HasError() || len(sdk) != 1 || *sdk["env"] != "test" {
		t.Fatalf("expand: %v %v", sdk, diags)
	}
	back, diags := FlattenStringMap(ctx, sdk, types.MapNull(types.StringType))
	if diags.HasError() || !back.Equal(in) {
		t.Fatalf("flatten: %v %v", back, diags)
	}
	if got, _ := ExpandStringMap(ctx, types.MapNull(types.StringType)); got != nil {
		t.Errorf("null map must send nothing, got %v", got)
	}
}

func TestFlattenStringMapEmpty(t *testing.T) {
	ctx := context.Background()
	empty := types.MapValueMust(types.StringType, map[string]attr.Value{})
	if got, _ := FlattenStringMap(ctx, nil, types.MapNull(types.StringType)); !got.IsNull() {
		t.Errorf("no tags and none configured: want null, got %v", got)
	}
	if got, _ := FlattenStringMap(ctx, map[string]*string{}, empty); !got.Equal(empty) {
		t.Errorf("tags = {} configured: want {}, got %v", got)
	}
}

func TestFlattenTimeKeepsSpelling(t *testing.T) {
	at := time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)
	prior := types.StringValue("2030-12-31T01:00:00+01:00")
	if got := FlattenTime(&at, prior); !got.Equal(prior) {
		t.Errorf("same instant: want prior spelling, got %v", got)
	}
	if got := FlattenTime(&at, types.StringValue("2031-01-01T00:00:00Z")); got.ValueString() != "2030-12-31T00:00:00Z" {
		t.Errorf("other instant: want the service's in UTC, got %v", got)
	}
	if got := FlattenTime(nil, prior); !got.IsNull() {
		t.Errorf("nil: want null, got %v", got)
	}
}

func TestKeepFoldAndLocation(t *testing.T) {
	if got := KeepFold(types.StringValue("MyGallery"), "mygallery"); got.ValueString() != "MyGallery" {
		t.Errorf("KeepFold same but case: got %v", got)
	}
	if got := KeepFold(types.StringValue("a"), "b"); got.ValueString() != "b" {
		t.Errorf("KeepFold different: got %v", got)
	}
	if got := FlattenLocation(customtypes.NewLocation("East US 2"), "eastus2"); got.ValueString() != "East US 2" {
		t.Errorf("FlattenLocation same region: got %v", got)
	}
	if got := FlattenLocation(customtypes.NewLocation("westeurope"), "East US 2"); got.ValueString() != "eastus2" {
		t.Errorf("FlattenLocation other region: got %v", got)
	}
	if Deref(nil) != "" || Deref(to.Ptr("x")) != "x" {
		t.Error("Deref")
	}
}
