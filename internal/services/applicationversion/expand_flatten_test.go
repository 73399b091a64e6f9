package applicationversion

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

const (
	testAppID     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/gal/applications/app"
	testVersionID = testAppID + "/versions/1.2.3"
	testLink      = "https://acct.blob.core.windows.net/packages/app.pagebin?sv=2025-01-05&sp=r&sig=abc"
)

func nullTimeouts(t *testing.T, s schema.Schema) types.Object {
	t.Helper()
	typ, ok := s.Blocks["timeouts"].Type().(timeouts.Type)
	if !ok {
		t.Fatalf("timeouts block type is %T, want timeouts.Type", s.Blocks["timeouts"].Type())
	}
	return types.ObjectNull(typ.AttrTypes)
}

func regionSet(t *testing.T, regions ...targetRegionModel) types.Set {
	t.Helper()
	s, d := types.SetValueFrom(context.Background(), types.ObjectType{AttrTypes: targetRegionAttrTypes}, regions)
	if d.HasError() {
		t.Fatal(d)
	}
	return s
}

func region(name string, count int64) targetRegionModel {
	r := targetRegionModel{Name: customtypes.NewLocation(name), RegionalReplicaCount: types.Int64Null(), StorageAccountType: types.StringNull(), ExcludeFromLatest: types.BoolNull()}
	if count > 0 {
		r.RegionalReplicaCount = types.Int64Value(count)
	}
	return r
}

// configured is a model as a user would plan it: spellings and omissions the service changes.
func configured(t *testing.T) ApplicationVersionResourceModel {
	t.Helper()
	ctx := context.Background()
	tags, _ := types.MapValueFrom(ctx, types.StringType, map[string]string{"env": "test"})
	actions, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: customActionAttrTypes}, []customActionModel{})
	if d.HasError() {
		t.Fatal(d)
	}
	return ApplicationVersionResourceModel{
		ID:                                 types.StringValue(testVersionID),
		Name:                               types.StringValue("1.2.3"),
		ApplicationID:                      customtypes.NewARMID(testAppID),
		Location:                           customtypes.NewLocation("eastus2"),
		Source:                             &sourceModel{MediaLink: types.StringValue(testLink), DefaultConfigurationLink: types.StringNull()},
		ManageActions:                      &manageActionsModel{Install: types.StringValue("sh install.sh"), Remove: types.StringValue("sh remove.sh"), Update: types.StringNull()},
		AdvancedSettings:                   types.MapNull(types.StringType),
		EnableHealthCheck:                  types.BoolValue(false),
		CustomAction:                       actions,
		TargetRegion:                       regionSet(t, region("eastus2", 1), region("West Europe", 2)), // eastus2's count planned from replica_count
		ReplicaCount:                       types.Int64Value(1),
		StorageAccountType:                 types.StringValue("Standard_LRS"),
		ReplicationMode:                    types.StringNull(),
		ExcludeFromLatest:                  types.BoolValue(false),
		EndOfLifeDate:                      types.StringValue("2030-12-31T00:00:00+00:00"),
		AllowDeletionOfReplicatedLocations: types.BoolValue(false),
		WaitForReplication:                 types.BoolValue(true),
		Tags:                               tags,
		PublishedDate:                      types.StringNull(),
		ProvisioningState:                  types.StringNull(),
		ReplicationStatus:                  types.ObjectNull(replicationStatusAttrTypes),
		Timeouts:                           timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})},
	}
}

// serve imitates the service: it echoes the body with its defaults and display names filled in.
func serve(body armcompute.GalleryApplicationVersion) armcompute.GalleryApplicationVersion {
	pp := body.Properties.PublishingProfile
	for _, tr := range pp.TargetRegions {
		switch *tr.Name {
		case "eastus2":
			tr.Name = to.Ptr("East US 2")
		case "westeurope", "West Europe":
			tr.Name = to.Ptr("West Europe")
		}
		if tr.RegionalReplicaCount == nil {
			tr.RegionalReplicaCount = pp.ReplicaCount
		}
		if tr.StorageAccountType == nil {
			tr.StorageAccountType = pp.StorageAccountType
		}
	}
	pp.PublishedDate = to.Ptr(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	body.ID, body.Name, body.Location = to.Ptr(testVersionID), to.Ptr("1.2.3"), to.Ptr("East US 2")
	body.Properties.ProvisioningState = to.Ptr(armcompute.GalleryProvisioningStateSucceeded)
	body.Properties.ReplicationStatus = &armcompute.ReplicationStatus{
		AggregatedState: to.Ptr(armcompute.AggregatedReplicationStateCompleted),
		Summary: []*armcompute.RegionalReplicationStatus{
			{Region: to.Ptr("East US 2"), State: to.Ptr(armcompute.ReplicationStateCompleted), Progress: to.Ptr[int32](100), Details: to.Ptr("")},
			{Region: to.Ptr("West Europe"), State: to.Ptr(armcompute.ReplicationStateCompleted), Progress: to.Ptr[int32](100), Details: to.Ptr("")},
		},
	}
	return body
}

func serviceAnswer() armcompute.GalleryApplicationVersion {
	return serve(armcompute.GalleryApplicationVersion{
		Location: to.Ptr("eastus2"),
		Properties: &armcompute.GalleryApplicationVersionProperties{PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{
			Source:             &armcompute.UserArtifactSource{MediaLink: to.Ptr(testLink)},
			ManageActions:      &armcompute.UserArtifactManage{Install: to.Ptr("sh install.sh"), Remove: to.Ptr("sh remove.sh")},
			ReplicaCount:       to.Ptr[int32](1),
			StorageAccountType: to.Ptr(armcompute.StorageAccountTypeStandardLRS),
			ExcludeFromLatest:  to.Ptr(false),
			EnableHealthCheck:  to.Ptr(false),
			TargetRegions:      []*armcompute.TargetRegion{{Name: to.Ptr("eastus2")}, {Name: to.Ptr("westeurope"), RegionalReplicaCount: to.Ptr[int32](3)}},
		}},
	})
}

func TestExpandVersion(t *testing.T) {
	m := configured(t)
	body, d := expandVersion(context.Background(), &m)
	if d.HasError() {
		t.Fatal(d)
	}
	pp := body.Properties.PublishingProfile
	if *body.Location != "eastus2" || *pp.Source.MediaLink != testLink || pp.Source.DefaultConfigurationLink != nil {
		t.Errorf("location/source wrong: %v %+v", *body.Location, pp.Source)
	}
	if *pp.ManageActions.Install != "sh install.sh" || pp.ManageActions.Update != nil {
		t.Errorf("manage actions wrong: %+v", pp.ManageActions)
	}
	if len(pp.TargetRegions) != 2 {
		t.Fatalf("target regions: %d", len(pp.TargetRegions))
	}
	for _, tr := range pp.TargetRegions {
		switch *tr.Name {
		case "eastus2":
			if tr.RegionalReplicaCount == nil || *tr.RegionalReplicaCount != 1 || tr.StorageAccountType != nil {
				t.Errorf("eastus2 should send its planned count and inherit the storage: %+v", tr)
			}
		case "West Europe":
			if tr.RegionalReplicaCount == nil || *tr.RegionalReplicaCount != 2 {
				t.Errorf("West Europe count: %+v", tr)
			}
		default:
			t.Errorf("unexpected region %q", *tr.Name)
		}
	}
	if pp.EndOfLifeDate == nil || !pp.EndOfLifeDate.Equal(time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("end of life: %v", pp.EndOfLifeDate)
	}
	if sp := body.Properties.SafetyProfile; sp == nil || *sp.AllowDeletionOfReplicatedLocations {
		t.Errorf("safety profile: %+v", sp)
	}
	if *body.Tags["env"] != "test" {
		t.Errorf("tags: %v", body.Tags)
	}
}

func TestExpandVersionUpdateClearsTags(t *testing.T) {
	m := configured(t)
	m.Tags = types.MapNull(types.StringType)
	body, d := expandVersionUpdate(context.Background(), &m)
	if d.HasError() {
		t.Fatal(d)
	}
	if body.Tags == nil || len(body.Tags) != 0 {
		t.Errorf("removed tags must be sent as {} to clear them, got %v", body.Tags)
	}
}

// What the service echoes back (display names, filled-in defaults, another date spelling)
// flattens to exactly the planned model, so no diff follows an apply.
func TestFlattenKeepsConfiguredForm(t *testing.T) {
	ctx := context.Background()
	m := configured(t)
	body, d := expandVersion(ctx, &m)
	if d.HasError() {
		t.Fatal(d)
	}
	got, d := flattenVersion(ctx, to.Ptr(serve(body)), &m)
	if d.HasError() {
		t.Fatal(d)
	}
	if !got.TargetRegion.Equal(m.TargetRegion) {
		t.Errorf("target_region = %v, want %v", got.TargetRegion, m.TargetRegion)
	}
	if !got.Location.Equal(m.Location) || !got.ApplicationID.Equal(m.ApplicationID) {
		t.Errorf("location/application_id = %v %v", got.Location, got.ApplicationID)
	}
	if got.EndOfLifeDate != m.EndOfLifeDate {
		t.Errorf("end_of_life_date = %v, want %v", got.EndOfLifeDate, m.EndOfLifeDate)
	}
	if got.Source.MediaLink != m.Source.MediaLink || !got.Source.DefaultConfigurationLink.IsNull() {
		t.Errorf("source = %+v", got.Source)
	}
	if *got.ManageActions != *m.ManageActions || got.Settings != nil {
		t.Errorf("manage_actions/settings = %+v %+v", got.ManageActions, got.Settings)
	}
	if !got.Tags.Equal(m.Tags) || !got.AdvancedSettings.IsNull() || !got.CustomAction.Equal(m.CustomAction) {
		t.Errorf("tags/advanced/custom = %v %v %v", got.Tags, got.AdvancedSettings, got.CustomAction)
	}
	if got.PublishedDate.ValueString() != "2026-01-02T03:04:05Z" || got.ProvisioningState.ValueString() != "Succeeded" {
		t.Errorf("computed = %v %v", got.PublishedDate, got.ProvisioningState)
	}
	var rs replicationStatusModel
	if d := got.ReplicationStatus.As(ctx, &rs, basetypes.ObjectAsOptions{}); d.HasError() || rs.AggregatedState.ValueString() != "Completed" || len(rs.Regions.Elements()) != 2 {
		t.Errorf("replication_status = %v", got.ReplicationStatus)
	}
}

// On import there is no prior: regions get short names, storage and latest exclusion equal to
// the inherited defaults stay null, so a configuration that left them out imports without a
// diff; each region's replica count is read back (the plan fills it from replica_count when
// the configuration leaves it out, so both ways of writing it import without a diff).
func TestFlattenImport(t *testing.T) {
	ctx := context.Background()
	v := serviceAnswer()
	got, d := flattenVersion(ctx, &v, nil)
	if d.HasError() {
		t.Fatal(d)
	}
	want := regionSet(t, region("eastus2", 1), region("westeurope", 3))
	if !got.TargetRegion.Equal(want) {
		t.Errorf("target_region = %v, want %v", got.TargetRegion, want)
	}
	if got.Location.ValueString() != "eastus2" || got.ApplicationID.ValueString() != testAppID || got.Name.ValueString() != "1.2.3" {
		t.Errorf("identity = %v %v %v", got.Location, got.ApplicationID, got.Name)
	}
	if !got.WaitForReplication.ValueBool() || got.AllowDeletionOfReplicatedLocations.ValueBool() {
		t.Errorf("provider-side defaults = %v %v", got.WaitForReplication, got.AllowDeletionOfReplicatedLocations)
	}
}

// A region value drifting away from what the configuration implied shows up.
func TestFlattenShowsDrift(t *testing.T) {
	ctx := context.Background()
	m := configured(t)
	body, _ := expandVersion(ctx, &m)
	served := serve(body)
	for _, tr := range served.Properties.PublishingProfile.TargetRegions {
		if *tr.Name == "East US 2" {
			tr.RegionalReplicaCount = to.Ptr[int32](3) // changed outside Terraform
		}
	}
	got, _ := flattenVersion(ctx, &served, &m)
	want := regionSet(t, region("eastus2", 3), region("West Europe", 2))
	if !got.TargetRegion.Equal(want) {
		t.Errorf("target_region = %v, want %v", got.TargetRegion, want)
	}
}

func TestFlattenCustomActionsRoundTrip(t *testing.T) {
	ctx := context.Background()
	m := configured(t)
	params, _ := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: customActionParameterAttrTypes}, []customActionParameterModel{{
		Name: types.StringValue("level"), Required: types.BoolValue(true), Type: types.StringValue("String"),
		DefaultValue: types.StringValue("info"), Description: types.StringNull(),
	}})
	actions, _ := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: customActionAttrTypes}, []customActionModel{{
		Name: types.StringValue("logs"), Script: types.StringValue("collect.sh"), Description: types.StringValue("collect logs"), Parameter: params,
	}})
	m.CustomAction = actions
	body, d := expandVersion(ctx, &m)
	if d.HasError() {
		t.Fatal(d)
	}
	ca := body.Properties.PublishingProfile.CustomActions
	if len(ca) != 1 || *ca[0].Name != "logs" || len(ca[0].Parameters) != 1 || *ca[0].Parameters[0].Type != armcompute.GalleryApplicationCustomActionParameterTypeString {
		t.Fatalf("expanded custom actions: %+v", ca)
	}
	got, d := flattenVersion(ctx, to.Ptr(serve(body)), &m)
	if d.HasError() {
		t.Fatal(d)
	}
	if !got.CustomAction.Equal(m.CustomAction) {
		t.Errorf("custom_action = %v, want %v", got.CustomAction, m.CustomAction)
	}
}

// Replication details quote the package link when the service cannot read it: the SAS
// signature must not reach state.
func TestFlattenReplicationStatusRedactsDetails(t *testing.T) {
	sig := strings.ToUpper(strconv.FormatInt(time.Now().UnixNano(), 36)) + "xyz%2B%3D"
	for _, details := range []string{
		"Failed to download https://a.blob.core.windows.net/c/app.bin?sv=2022-11-02&sr=b&sig=" + sig + "&sp=r",
		`{"link":"https://a.blob.core.windows.net/c/app.bin?sv=2022-11-02\u0026sig=` + sig + `\u0026sp=r"}`,
		"link=https%3A%2F%2Fa.blob.core.windows.net%2Fc%2Fapp.bin%3Fsv%3D1%26sig%3D" + strings.ReplaceAll(sig, "%", "%25") + "%26sp%3Dr",
	} {
		obj, diags := flattenReplicationStatus(&armcompute.ReplicationStatus{
			AggregatedState: to.Ptr(armcompute.AggregatedReplicationStateFailed),
			Summary: []*armcompute.RegionalReplicationStatus{
				{Region: to.Ptr("East US"), State: to.Ptr(armcompute.ReplicationStateFailed), Details: to.Ptr(details)},
			},
		})
		if diags.HasError() {
			t.Fatal(diags)
		}
		var rs replicationStatusModel
		obj.As(context.Background(), &rs, basetypes.ObjectAsOptions{})
		var regions []regionalReplicationModel
		rs.Regions.ElementsAs(context.Background(), &regions, false)
		got := regions[0].Details.ValueString()
		if strings.Contains(got, sig[:8]) || !strings.Contains(got, "REDACTED") {
			t.Errorf("details not redacted: %q", got)
		}
	}
}
