package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// The token Configure fetches to prove the credentials is the one the ARM calls of the same
// provider process use: configuring and then calling ARM asks the token endpoint once.
func TestConfigure_oneTokenPerProcess(t *testing.T) {
	ctx := context.Background()
	emu, err := emulator.Start(ctx, emulator.Config{StateDir: t.TempDir(), NoStorage: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	for k, v := range emu.Env() {
		if k != "SSL_CERT_FILE" { // read once per process: it would outlive this emulator
			t.Setenv(k, v)
		}
	}

	p := &AzvmappsProvider{version: "test", transport: emu.HTTPClient()}
	var sr provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sr)
	typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	nulls := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		nulls[name] = tftypes.NewValue(at, nil)
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nulls)}}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure: %v", resp.Diagnostics)
	}
	c, ok := resp.ResourceData.(*clients.Client)
	if !ok {
		t.Fatalf("Configure handed resources a %T", resp.ResourceData)
	}
	for range 3 {
		_, err := c.Compute.NewGalleriesClient().Get(ctx, "rg-none", "none", nil)
		if !azure.IsStatus(err, 404) {
			t.Fatalf("GET of a missing gallery: want 404, got %v", err)
		}
	}
	tokens := 0
	for _, r := range emu.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/oauth2/v2.0/token") {
			tokens++
		}
	}
	if tokens != 1 {
		t.Errorf("token requests of one configured provider making ARM calls: got %d, want 1", tokens)
	}
}
