package gallerysharing

import (
	"context"
	"reflect"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

const (
	galleryID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/galleries/gal1"
	sub1      = "11111111-1111-1111-1111-111111111111"
	sub2      = "22222222-2222-2222-2222-222222222222"
	tenant1   = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
)

func setOf(t *testing.T, ids ...string) types.Set {
	t.Helper()
	s, d := types.SetValueFrom(context.Background(), types.StringType, ids)
	if d.HasError() {
		t.Fatal(d)
	}
	return s
}

func TestExpandSharingUpdate(t *testing.T) {
	got := expandSharingUpdate(armcompute.SharingUpdateOperationTypesAdd, []string{sub1}, []string{tenant1})
	if *got.OperationType != armcompute.SharingUpdateOperationTypesAdd || len(got.Groups) != 2 {
		t.Fatalf("got %+v", got)
	}
	if *got.Groups[0].Type != armcompute.SharingProfileGroupTypesSubscriptions || *got.Groups[0].IDs[0] != sub1 {
		t.Errorf("subscriptions group = %+v", got.Groups[0])
	}
	if *got.Groups[1].Type != armcompute.SharingProfileGroupTypesAADTenants || *got.Groups[1].IDs[0] != tenant1 {
		t.Errorf("tenants group = %+v", got.Groups[1])
	}
	if reset := expandSharingUpdate(armcompute.SharingUpdateOperationTypesReset, nil, nil); reset.Groups != nil {
		t.Errorf("reset should carry no groups: %+v", reset)
	}
}

func TestMinusIgnoresCase(t *testing.T) {
	cases := []struct {
		a, b, want []string
	}{
		{[]string{sub1, sub2}, []string{sub1}, []string{sub2}},
		{[]string{"ABCDEF00-0000-0000-0000-000000000000"}, []string{"abcdef00-0000-0000-0000-000000000000"}, nil},
		{nil, []string{sub1}, nil},
	}
	for _, tc := range cases {
		if got := minus(tc.a, tc.b); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("minus(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSharingOf(t *testing.T) {
	g := armcompute.Gallery{Properties: &armcompute.GalleryProperties{SharingProfile: &armcompute.SharingProfile{
		Permissions: to.Ptr(armcompute.GallerySharingPermissionTypesGroups),
		Groups: []*armcompute.SharingProfileGroup{
			{Type: to.Ptr(armcompute.SharingProfileGroupTypes("subscriptions")), IDs: to.SliceOfPtrs(sub1, sub2)},
			{Type: to.Ptr(armcompute.SharingProfileGroupTypesAADTenants), IDs: to.SliceOfPtrs(tenant1)},
		},
	}}}
	got := sharingOf(g)
	if got.permission != "Groups" || !reflect.DeepEqual(got.subscriptions, []string{sub1, sub2}) || !reflect.DeepEqual(got.tenants, []string{tenant1}) {
		t.Fatalf("sharingOf = %+v", got)
	}
	if empty := sharingOf(armcompute.Gallery{}); empty.permission != "Private" || empty.subscriptions != nil {
		t.Errorf("a gallery without sharing profile is Private: %+v", empty)
	}
}

func TestFlattenSharingKeepsSpellingAndNulls(t *testing.T) {
	ctx := context.Background()
	prior := GallerySharingResourceModel{
		SubscriptionIDs: setOf(t, "11111111-1111-1111-1111-11111111111A"),
		TenantIDs:       types.SetNull(types.StringType),
	}
	got, d := flattenSharing(ctx, sharing{subscriptions: []string{"11111111-1111-1111-1111-11111111111a"}}, prior)
	if d.HasError() {
		t.Fatal(d)
	}
	if !got.SubscriptionIDs.Equal(prior.SubscriptionIDs) {
		t.Errorf("subscription_ids = %v, want the configured spelling", got.SubscriptionIDs)
	}
	if !got.TenantIDs.IsNull() {
		t.Errorf("tenant_ids = %v, want null", got.TenantIDs)
	}
	// On import nothing is known: everything the gallery has is filled in.
	imported, _ := flattenSharing(ctx, sharing{subscriptions: []string{sub2}, tenants: []string{tenant1}},
		GallerySharingResourceModel{SubscriptionIDs: types.SetNull(types.StringType), TenantIDs: types.SetNull(types.StringType)})
	if !imported.SubscriptionIDs.Equal(setOf(t, sub2)) || !imported.TenantIDs.Equal(setOf(t, tenant1)) {
		t.Errorf("imported = %+v", imported)
	}
}

func TestSchemaModelAgreement(t *testing.T) {
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewGallerySharingResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	if d := resp.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(d)
	}
	m := GallerySharingResourceModel{
		ID:              types.StringValue(galleryID),
		GalleryID:       customtypes.NewARMID(galleryID),
		SubscriptionIDs: setOf(t, sub1),
		TenantIDs:       types.SetNull(types.StringType),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
			"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
		})},
	}
	st := tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)}
	if d := st.Set(ctx, &m); d.HasError() {
		t.Fatalf("model does not fit the schema: %v", d)
	}
	var back GallerySharingResourceModel
	if d := st.Get(ctx, &back); d.HasError() {
		t.Fatalf("schema does not fit the model: %v", d)
	}
}

// A share action that reported an error counts as landed only when the gallery shows all of it.
func TestShareActionDone(t *testing.T) {
	shared := sharing{subscriptions: []string{"11111111-1111-1111-1111-111111111111"}, tenants: []string{tenant1}}
	cases := []struct {
		name string
		a    shareAction
		s    sharing
		want bool
	}{
		{"add, all there (other case)", addAction([]string{sub1}, []string{"AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA"}), shared, true},
		{"add, a subscription missing", addAction([]string{sub1, sub2}, nil), shared, false},
		{"add, nothing there", addAction([]string{sub1}, nil), sharing{}, false},
		{"remove, gone", removeAction([]string{sub2}, nil), shared, true},
		{"remove, a tenant still there", removeAction(nil, []string{tenant1}), shared, false},
		{"reset, shared with nobody", resetAction(), sharing{}, true},
		{"reset, still shared", resetAction(), shared, false},
	}
	for _, tc := range cases {
		if got := tc.a.done(tc.s); got != tc.want {
			t.Errorf("%s: done = %v, want %v", tc.name, got, tc.want)
		}
	}
}
