package applicationversion

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// nullObject returns an object of typ whose attributes are all null.
func nullObject(t testing.TB, typ tftypes.Type) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T, want an object", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, t := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
	}
	return tftypes.NewValue(typ, vals)
}

// The models' tfsdk tags must match the schemas exactly: Get fails on any missing or extra field.
func TestResourceSchemaMatchesModel(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	NewApplicationVersionResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	if sresp.Diagnostics.HasError() {
		t.Fatal(sresp.Diagnostics)
	}
	if d := sresp.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatalf("schema: %v", d)
	}
	st := tfsdk.State{Schema: sresp.Schema, Raw: nullObject(t, sresp.Schema.Type().TerraformType(ctx))}
	var m ApplicationVersionResourceModel
	if d := st.Get(ctx, &m); d.HasError() {
		t.Fatalf("model does not match schema: %v", d)
	}
	// And back: a model flattened from a service answer fits the schema.
	v := serviceAnswer()
	fm, d := flattenVersion(ctx, &v, nil)
	if d.HasError() {
		t.Fatal(d)
	}
	fm.Timeouts.Object = nullTimeouts(t, sresp.Schema)
	if d := st.Set(ctx, &fm); d.HasError() {
		t.Fatalf("flattened model does not fit the schema: %v", d)
	}
}

func TestDataSourceSchemaMatchesModel(t *testing.T) {
	ctx := context.Background()
	var sresp datasource.SchemaResponse
	NewApplicationVersionDataSource().Schema(ctx, datasource.SchemaRequest{}, &sresp)
	if d := sresp.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatalf("schema: %v", d)
	}
	st := tfsdk.State{Schema: sresp.Schema, Raw: nullObject(t, sresp.Schema.Type().TerraformType(ctx))}
	var m ApplicationVersionDataSourceModel
	if d := st.Get(ctx, &m); d.HasError() {
		t.Fatalf("model does not match schema: %v", d)
	}
	v := serviceAnswer()
	if d := flattenDataSource(&v, &m); d.HasError() {
		t.Fatal(d)
	}
	if d := st.Set(ctx, &m); d.HasError() {
		t.Fatalf("flattened model does not fit the schema: %v", d)
	}
}

func stateWithResource(t *testing.T) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	var sresp resource.SchemaResponse
	NewApplicationVersionResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	return tfsdk.State{Schema: sresp.Schema, Raw: nullObject(t, sresp.Schema.Type().TerraformType(ctx))}
}

func planWithResource(t *testing.T) tfsdk.Plan {
	st := stateWithResource(t)
	return tfsdk.Plan(st)
}
