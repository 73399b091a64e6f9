package application

import (
	"context"
	"strings"
	"testing"
	"time"

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

const (
	testGalleryID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/galleries/gal1"
	testAppID     = testGalleryID + "/applications/app1"
)

func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}

func planModel() ApplicationResourceModel {
	return ApplicationResourceModel{
		ID:                  types.StringValue(testAppID),
		Name:                types.StringValue("app1"),
		GalleryID:           customtypes.NewARMID(testGalleryID),
		Location:            customtypes.NewLocation("eastus2"),
		SupportedOSType:     types.StringValue("Linux"),
		Description:         types.StringValue("d"),
		Eula:                types.StringValue("e"),
		PrivacyStatementURI: types.StringValue("https://example.com/privacy"),
		ReleaseNoteURI:      types.StringValue("https://example.com/notes"),
		EndOfLifeDate:       types.StringValue("2031-01-01T01:00:00+01:00"),
		CustomActions: []customActionModel{{
			Name:        types.StringValue("reset"),
			Script:      types.StringValue("echo reset"),
			Description: types.StringNull(),
			Parameters: []parameterModel{
				// type and required left out: the schema's defaults plan String and false.
				{Name: types.StringValue("p1"), Type: types.StringValue("String"), Required: types.BoolValue(false), DefaultValue: types.StringValue("x"), Description: types.StringNull()},
				{Name: types.StringValue("p2"), Type: types.StringValue("LogOutputBlob"), Required: types.BoolValue(true), DefaultValue: types.StringNull(), Description: types.StringValue("log")},
			},
		}},
		Tags:     types.MapNull(types.StringType),
		Timeouts: nullTimeouts(),
	}
}

// What the service answers: canonical ID casing, region display name, UTC time, and the
// defaults it fills in for parameters.
func serverAnswer(body armcompute.GalleryApplication) armcompute.GalleryApplication {
	body.ID = to.Ptr(strings.Replace(testAppID, "rg1", "RG1", 1))
	body.Name = to.Ptr("app1")
	body.Location = to.Ptr("East US 2")
	utc := body.Properties.EndOfLifeDate.UTC()
	body.Properties.EndOfLifeDate = &utc
	for _, ca := range body.Properties.CustomActions {
		for _, p := range ca.Parameters {
			if p.Type == nil {
				p.Type = to.Ptr(armcompute.GalleryApplicationCustomActionParameterTypeString)
			}
			if p.Required == nil {
				p.Required = to.Ptr(false)
			}
		}
	}
	return body
}

func TestExpandFlattenRoundTripKeepsConfiguration(t *testing.T) {
	ctx := context.Background()
	plan := planModel()
	body, diags := expandApplication(ctx, plan)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if *body.Properties.SupportedOSType != armcompute.OperatingSystemTypesLinux || body.Properties.EndOfLifeDate == nil {
		t.Fatalf("unexpected body: %+v", body.Properties)
	}
	got, diags := flattenApplication(ctx, serverAnswer(body), plan)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got.ID.ValueString() != testAppID || got.GalleryID.ValueString() != testGalleryID {
		t.Errorf("IDs should keep the configured casing: %q %q", got.ID.ValueString(), got.GalleryID.ValueString())
	}
	if got.Location.ValueString() != "eastus2" {
		t.Errorf("location = %q, want eastus2", got.Location.ValueString())
	}
	if got.EndOfLifeDate.ValueString() != "2031-01-01T01:00:00+01:00" {
		t.Errorf("end_of_life_date = %q, want the configured spelling of the same instant", got.EndOfLifeDate.ValueString())
	}
	p := got.CustomActions[0].Parameters
	if p[0].Type.ValueString() != "String" || p[0].Required.IsNull() || p[0].Required.ValueBool() {
		t.Errorf("parameter fields left out should read back as the planned defaults: %+v", p[0])
	}
	if p[1].Type.ValueString() != "LogOutputBlob" || !p[1].Required.ValueBool() {
		t.Errorf("set parameter fields changed: %+v", p[1])
	}
	for _, s := range []struct{ got, want types.String }{
		{got.Description, plan.Description}, {got.Eula, plan.Eula}, {got.PrivacyStatementURI, plan.PrivacyStatementURI}, {got.ReleaseNoteURI, plan.ReleaseNoteURI}, {got.SupportedOSType, plan.SupportedOSType},
	} {
		if !s.got.Equal(s.want) {
			t.Errorf("got %v, want %v", s.got, s.want)
		}
	}
}

func TestExpandClearsRemovedAttributes(t *testing.T) {
	m := planModel()
	m.Description, m.Eula, m.PrivacyStatementURI, m.ReleaseNoteURI, m.EndOfLifeDate = types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull()
	m.CustomActions = nil
	body, diags := expandApplication(context.Background(), m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	p := body.Properties
	if p.Description != nil || p.Eula != nil || p.PrivacyStatementURI != nil || p.ReleaseNoteURI != nil || p.EndOfLifeDate != nil || p.CustomActions != nil || body.Tags != nil {
		t.Fatalf("removed attributes must be absent from the PUT body: %+v", p)
	}
}

func TestFlattenImportFillsEverything(t *testing.T) {
	ctx := context.Background()
	body, _ := expandApplication(ctx, planModel())
	got, diags := flattenApplication(ctx, serverAnswer(body), ApplicationResourceModel{ID: types.StringValue(testAppID), Tags: types.MapNull(types.StringType)})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got.Name.ValueString() != "app1" || !strings.EqualFold(got.GalleryID.ValueString(), testGalleryID) || got.Location.ValueString() != "eastus2" {
		t.Errorf("import state: %+v", got)
	}
	if got.EndOfLifeDate.ValueString() != "2031-01-01T00:00:00Z" {
		t.Errorf("end_of_life_date = %q", got.EndOfLifeDate.ValueString())
	}
	if got.CustomActions[0].Parameters[0].Type.ValueString() != "String" {
		t.Errorf("imported parameter type = %v", got.CustomActions[0].Parameters[0].Type)
	}
}

func TestCheckCustomActions(t *testing.T) {
	s := types.StringValue
	cases := []struct {
		name    string
		actions []customActionModel
		want    []string
	}{
		{"valid", []customActionModel{{Name: s("a"), Parameters: []parameterModel{{Name: s("x"), Type: s("String"), DefaultValue: s("d")}}}, {Name: s("b")}}, nil},
		{"duplicate action", []customActionModel{{Name: s("a")}, {Name: s("A")}}, []string{"Duplicate custom action name"}},
		{"duplicate parameter", []customActionModel{{Name: s("a"), Parameters: []parameterModel{{Name: s("x")}, {Name: s("x")}}}}, []string{"Duplicate parameter name"}},
		{"default on blob", []customActionModel{{Name: s("a"), Parameters: []parameterModel{{Name: s("x"), Type: s("LogOutputBlob"), DefaultValue: s("d")}}}}, []string{"Default value on a non-String parameter"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := checkCustomActions(tc.actions)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems %+v, want %v", len(got), got, tc.want)
			}
			for i, w := range tc.want {
				if got[i].summary != w {
					t.Errorf("problem %d = %q, want %q", i, got[i].summary, w)
				}
			}
		})
	}
}

func TestEndOfLifeInThePastIsRefusedOnCreate(t *testing.T) {
	ctx := context.Background()
	r := &ApplicationResource{now: func() time.Time { return time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC) }}
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)
	sch := sresp.Schema
	for _, tc := range []struct {
		eol     string
		create  bool
		wantErr bool
	}{
		{"2030-05-31T23:59:59Z", true, true},
		{"2030-06-02T00:00:00Z", true, false},
		{"2030-05-31T23:59:59Z", false, false}, // an existing application may outlive its date
	} {
		m := planModel()
		m.EndOfLifeDate = types.StringValue(tc.eol)
		plan := tfsdk.Plan{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
		if d := plan.Set(ctx, &m); d.HasError() {
			t.Fatal(d)
		}
		state := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
		if !tc.create {
			if d := state.Set(ctx, &m); d.HasError() {
				t.Fatal(d)
			}
		}
		resp := &resource.ModifyPlanResponse{Plan: plan}
		r.ModifyPlan(ctx, resource.ModifyPlanRequest{Plan: plan, State: state}, resp)
		if resp.Diagnostics.HasError() != tc.wantErr {
			t.Errorf("eol %s create=%v: errors %v, want error %v", tc.eol, tc.create, resp.Diagnostics, tc.wantErr)
		}
	}
}

func TestSchemaModelAgreement(t *testing.T) {
	ctx := context.Background()
	var rresp resource.SchemaResponse
	NewApplicationResource().Schema(ctx, resource.SchemaRequest{}, &rresp)
	if d := rresp.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(d)
	}
	m := planModel()
	st := tfsdk.State{Schema: rresp.Schema, Raw: tftypes.NewValue(rresp.Schema.Type().TerraformType(ctx), nil)}
	if d := st.Set(ctx, &m); d.HasError() {
		t.Fatalf("resource model does not fit the schema: %v", d)
	}
	var back ApplicationResourceModel
	if d := st.Get(ctx, &back); d.HasError() {
		t.Fatalf("resource schema does not fit the model: %v", d)
	}
	var dresp datasource.SchemaResponse
	NewApplicationDataSource().Schema(ctx, datasource.SchemaRequest{}, &dresp)
	if d := dresp.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(d)
	}
	ds := tfsdk.State{Schema: dresp.Schema, Raw: tftypes.NewValue(dresp.Schema.Type().TerraformType(ctx), nil)}
	if d := ds.Set(ctx, m.toDataSourceModel()); d.HasError() {
		t.Fatalf("data source model does not fit the schema: %v", d)
	}
}

// Import has no prior and the service may leave a parameter's defaults out of its answer: the
// read-back holds the defaults the schema plans for a configuration that leaves them out.
func TestFlattenImportFillsParameterDefaults(t *testing.T) {
	app := armcompute.GalleryApplication{
		ID: to.Ptr(testAppID), Name: to.Ptr("app1"), Location: to.Ptr("eastus2"),
		Properties: &armcompute.GalleryApplicationProperties{
			SupportedOSType: to.Ptr(armcompute.OperatingSystemTypesLinux),
			CustomActions: []*armcompute.GalleryApplicationCustomAction{{
				Name: to.Ptr("reset"), Script: to.Ptr("echo reset"),
				Parameters: []*armcompute.GalleryApplicationCustomActionParameter{{Name: to.Ptr("level")}},
			}},
		},
	}
	got, diags := flattenApplication(context.Background(), app, ApplicationResourceModel{Tags: types.MapNull(types.StringType)})
	if diags.HasError() {
		t.Fatal(diags)
	}
	p := got.CustomActions[0].Parameters[0]
	if p.Type.ValueString() != "String" || p.Required.IsNull() || p.Required.ValueBool() {
		t.Errorf("imported parameter = %+v, want type String and required false", p)
	}
}
