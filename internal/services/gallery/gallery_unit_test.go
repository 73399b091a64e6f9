package gallery

import (
	"context"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

const testID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/galleries/gal1"

func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}

func serverGallery() armcompute.Gallery {
	return armcompute.Gallery{
		ID:       to.Ptr("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG1/providers/Microsoft.Compute/galleries/gal1"),
		Name:     to.Ptr("gal1"),
		Location: to.Ptr("East US 2"),
		Tags:     map[string]*string{"env": to.Ptr("test")},
		Properties: &armcompute.GalleryProperties{
			Description:      to.Ptr("desc"),
			Identifier:       &armcompute.GalleryIdentifier{UniqueName: to.Ptr("00000000-0000-0000-0000-000000000001-GAL1")},
			SharingProfile:   &armcompute.SharingProfile{Permissions: to.Ptr(armcompute.GallerySharingPermissionTypesPrivate)},
			SoftDeletePolicy: &armcompute.SoftDeletePolicy{IsSoftDeleteEnabled: to.Ptr(true)},
		},
	}
}

func TestFlattenGalleryKeepsConfiguredSpelling(t *testing.T) {
	ctx := context.Background()
	prior := GalleryResourceModel{
		ID:                types.StringValue(testID),
		Name:              types.StringValue("gal1"),
		ResourceGroupName: types.StringValue("rg1"),
		Location:          customtypes.NewLocation("eastus2"),
		Tags:              types.MapNull(types.StringType),
		Timeouts:          nullTimeouts(),
	}
	m, diags := flattenGallery(ctx, serverGallery(), prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if m.ID.ValueString() != testID {
		t.Errorf("id = %q, want the prior spelling %q", m.ID.ValueString(), testID)
	}
	if m.ResourceGroupName.ValueString() != "rg1" {
		t.Errorf("resource_group_name = %q, want rg1", m.ResourceGroupName.ValueString())
	}
	if m.Location.ValueString() != "eastus2" {
		t.Errorf("location = %q, want eastus2 (the configured spelling)", m.Location.ValueString())
	}
	if m.Sharing != nil {
		t.Errorf("sharing = %+v, want nil for a Private gallery configured without a sharing block", m.Sharing)
	}
	if !m.SoftDeleteEnabled.ValueBool() || m.Description.ValueString() != "desc" || m.UniqueName.ValueString() != "00000000-0000-0000-0000-000000000001-GAL1" {
		t.Errorf("unexpected flattened values: %+v", m)
	}
	if m.Tags.IsNull() || len(m.Tags.Elements()) != 1 {
		t.Errorf("tags = %v, want env=test", m.Tags)
	}
}

func TestFlattenGalleryOnImportNormalisesLocation(t *testing.T) {
	m, diags := flattenGallery(context.Background(), serverGallery(), GalleryResourceModel{ID: types.StringValue(testID), Tags: types.MapNull(types.StringType)})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if m.Location.ValueString() != "eastus2" {
		t.Errorf("location = %q, want eastus2", m.Location.ValueString())
	}
	if m.Name.ValueString() != "gal1" || m.ResourceGroupName.ValueString() != "RG1" {
		t.Errorf("name/rg = %q/%q", m.Name.ValueString(), m.ResourceGroupName.ValueString())
	}
}

func TestFlattenSharing(t *testing.T) {
	groups := armcompute.GallerySharingPermissionTypesGroups
	private := armcompute.GallerySharingPermissionTypesPrivate
	community := &armcompute.CommunityGalleryInfo{PublisherURI: to.Ptr("https://x"), PublisherContact: to.Ptr("a@b.c"), Eula: to.Ptr("eula"), PublicNamePrefix: to.Ptr("pfx")}
	cases := []struct {
		name     string
		in       *armcompute.SharingProfile
		prior    *sharingModel
		wantNil  bool
		wantPerm string
		wantComm bool
	}{
		{name: "absent, no block", in: nil, wantNil: true},
		{name: "private, no block", in: &armcompute.SharingProfile{Permissions: &private}, wantNil: true},
		{name: "private, block", in: &armcompute.SharingProfile{Permissions: &private}, prior: &sharingModel{Permission: types.StringValue("Private")}, wantPerm: "Private"},
		{name: "groups set outside, no block", in: &armcompute.SharingProfile{Permissions: &groups}, wantPerm: "Groups"},
		{name: "community", in: &armcompute.SharingProfile{Permissions: to.Ptr(armcompute.GallerySharingPermissionTypesCommunity), CommunityGalleryInfo: community}, wantPerm: "Community", wantComm: true},
		{name: "case kept", in: &armcompute.SharingProfile{Permissions: &groups}, prior: &sharingModel{Permission: types.StringValue("Groups")}, wantPerm: "Groups"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := flattenSharing(tc.in, tc.prior)
			if tc.wantNil {
				if got != nil {
					t.Fatalf("got %+v, want nil", got)
				}
				return
			}
			if got == nil || got.Permission.ValueString() != tc.wantPerm || (got.Community != nil) != tc.wantComm {
				t.Fatalf("got %+v, want permission %s community %v", got, tc.wantPerm, tc.wantComm)
			}
		})
	}
}

func TestExpandGalleryClearsRemovedBlocks(t *testing.T) {
	ctx := context.Background()
	plan := GalleryResourceModel{
		Location:          customtypes.NewLocation("eastus2"),
		Tags:              types.MapNull(types.StringType),
		SoftDeleteEnabled: types.BoolValue(false),
	}
	prior := plan
	prior.Sharing = &sharingModel{Permission: types.StringValue("Groups")}
	prior.Identity = &identityModel{Type: types.StringValue("SystemAssigned"), IdentityIDs: types.SetNull(types.StringType)}

	created, diags := expandGallery(ctx, plan, nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if created.Properties.SharingProfile != nil || created.Identity != nil {
		t.Errorf("create without blocks should send neither sharing nor identity: %+v %+v", created.Properties.SharingProfile, created.Identity)
	}
	updated, diags := expandGallery(ctx, plan, &prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if sp := updated.Properties.SharingProfile; sp == nil || *sp.Permissions != armcompute.GallerySharingPermissionTypesPrivate {
		t.Errorf("removing the sharing block should send Private, got %+v", sp)
	}
	if id := updated.Identity; id == nil || *id.Type != armcompute.ResourceIdentityTypeNone {
		t.Errorf("removing the identity block should send None, got %+v", id)
	}
	if updated.Properties.Description != nil || updated.Tags != nil {
		t.Errorf("removed description/tags should be absent from the PUT: %+v %+v", updated.Properties.Description, updated.Tags)
	}
}

func TestExpandFlattenRoundTrip(t *testing.T) {
	ctx := context.Background()
	ids, _ := types.SetValueFrom(ctx, types.StringType, []string{"/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u1"})
	tags, _ := types.MapValueFrom(ctx, types.StringType, map[string]string{"a": "b"})
	plan := GalleryResourceModel{
		ID:                types.StringValue(testID),
		Name:              types.StringValue("gal1"),
		ResourceGroupName: types.StringValue("rg1"),
		Location:          customtypes.NewLocation("eastus2"),
		Description:       types.StringValue("d"),
		Tags:              tags,
		SoftDeleteEnabled: types.BoolValue(true),
		Sharing: &sharingModel{Permission: types.StringValue("Community"), Community: &communityModel{
			PublisherURI: types.StringValue("https://p"), PublisherContact: types.StringValue("c@p"), Eula: types.StringValue("e"), PublicNamePrefix: types.StringValue("x"),
		}},
		Identity:   &identityModel{Type: types.StringValue("SystemAssigned, UserAssigned"), IdentityIDs: ids, PrincipalID: types.StringUnknown(), TenantID: types.StringUnknown()},
		UniqueName: types.StringUnknown(),
		Timeouts:   nullTimeouts(),
	}
	body, diags := expandGallery(ctx, plan, nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	body.ID, body.Name = to.Ptr(testID), to.Ptr("gal1")
	body.Identity.PrincipalID = to.Ptr("p")
	body.Identity.TenantID = to.Ptr("t")
	body.Properties.Identifier = &armcompute.GalleryIdentifier{UniqueName: to.Ptr("u")}
	got, diags := flattenGallery(ctx, body, plan)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !got.Tags.Equal(plan.Tags) || !got.Description.Equal(plan.Description) || !got.SoftDeleteEnabled.Equal(plan.SoftDeleteEnabled) {
		t.Errorf("simple attributes changed: %+v", got)
	}
	if *got.Sharing.Community != *plan.Sharing.Community || !got.Sharing.Permission.Equal(plan.Sharing.Permission) {
		t.Errorf("sharing changed: %+v", got.Sharing)
	}
	if !got.Identity.IdentityIDs.Equal(ids) || got.Identity.PrincipalID.ValueString() != "p" || got.Identity.TenantID.ValueString() != "t" {
		t.Errorf("identity changed: %+v", got.Identity)
	}
	if got.UniqueName.ValueString() != "u" {
		t.Errorf("unique_name = %v", got.UniqueName)
	}
}

func TestFlattenIdentityNoneIsNull(t *testing.T) {
	got, diags := flattenIdentity(context.Background(), &armcompute.GalleryIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeNone)}, nil)
	if diags.HasError() || got != nil {
		t.Fatalf("got %+v, %v; want nil", got, diags)
	}
}

func TestSchemaModelAgreement(t *testing.T) {
	ctx := context.Background()
	var rresp resource.SchemaResponse
	NewGalleryResource().Schema(ctx, resource.SchemaRequest{}, &rresp)
	if rresp.Diagnostics.HasError() {
		t.Fatal(rresp.Diagnostics)
	}
	if diags := rresp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
	m, diags := flattenGallery(ctx, serverGallery(), GalleryResourceModel{Tags: types.MapNull(types.StringType), Timeouts: nullTimeouts()})
	if diags.HasError() {
		t.Fatal(diags)
	}
	m.Sharing = &sharingModel{Permission: types.StringValue("Private")}
	m.Identity = &identityModel{Type: types.StringValue("SystemAssigned"), IdentityIDs: types.SetNull(types.StringType), PrincipalID: types.StringNull(), TenantID: types.StringNull()}
	st := tfsdk.State{Schema: rresp.Schema, Raw: tftypes.NewValue(rresp.Schema.Type().TerraformType(ctx), nil)}
	if diags := st.Set(ctx, &m); diags.HasError() {
		t.Fatalf("resource model does not fit the schema: %v", diags)
	}
	var back GalleryResourceModel
	if diags := st.Get(ctx, &back); diags.HasError() {
		t.Fatalf("resource schema does not fit the model: %v", diags)
	}

	var dresp datasource.SchemaResponse
	NewGalleryDataSource().Schema(ctx, datasource.SchemaRequest{}, &dresp)
	if diags := dresp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
	ds := tfsdk.State{Schema: dresp.Schema, Raw: tftypes.NewValue(dresp.Schema.Type().TerraformType(ctx), nil)}
	if diags := ds.Set(ctx, m.toDataSourceModel()); diags.HasError() {
		t.Fatalf("data source model does not fit the schema: %v", diags)
	}
}

func TestFlattenCommunityPublication(t *testing.T) {
	ctx := context.Background()
	info := func(enabled *bool, names ...string) *armcompute.SharingProfile {
		ci := &armcompute.CommunityGalleryInfo{PublisherURI: to.Ptr("https://x"), PublisherContact: to.Ptr("a@b.c"), Eula: to.Ptr("e"), PublicNamePrefix: to.Ptr("pfx"), CommunityGalleryEnabled: enabled}
		for _, n := range names {
			ci.PublicNames = append(ci.PublicNames, to.Ptr(n))
		}
		return &armcompute.SharingProfile{Permissions: to.Ptr(armcompute.GallerySharingPermissionTypesCommunity), CommunityGalleryInfo: ci}
	}
	cases := []struct {
		name      string
		sp        *armcompute.SharingProfile
		enabled   bool
		wantNames []string // nil: null
	}{
		{name: "private", sp: serverGallery().Properties.SharingProfile},
		{name: "community not yet published", sp: info(nil)},
		{name: "published", sp: info(to.Ptr(true), "pfx-1234"), enabled: true, wantNames: []string{"pfx-1234"}},
		{name: "reset keeps stale names", sp: info(to.Ptr(false), "pfx-1234")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := serverGallery()
			g.Properties.SharingProfile = tc.sp
			m, diags := flattenGallery(ctx, g, GalleryResourceModel{Tags: types.MapNull(types.StringType)})
			if diags.HasError() {
				t.Fatal(diags)
			}
			if m.CommunityEnabled.IsNull() || m.CommunityEnabled.ValueBool() != tc.enabled {
				t.Errorf("community_gallery_enabled = %v, want %v", m.CommunityEnabled, tc.enabled)
			}
			if tc.wantNames == nil {
				if !m.CommunityNames.IsNull() {
					t.Errorf("community_public_names = %v, want null", m.CommunityNames)
				}
				return
			}
			var names []string
			m.CommunityNames.ElementsAs(ctx, &names, false)
			if len(names) != len(tc.wantNames) || names[0] != tc.wantNames[0] {
				t.Errorf("community_public_names = %v, want %v", names, tc.wantNames)
			}
		})
	}
}
