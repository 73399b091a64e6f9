package framework

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

func TestConfigureClient(t *testing.T) {
	var diags diag.Diagnostics
	if ConfigureClient(nil, &diags) != nil || diags.HasError() {
		t.Fatal("nil provider data means not configured yet, without error")
	}
	c := &clients.Client{SubscriptionID: "s"}
	if ConfigureClient(c, &diags) != c {
		t.Fatal("the client must be returned")
	}
	if ConfigureClient("nope", &diags) != nil || !diags.HasError() {
		t.Fatal("wrong provider data is a bug to report")
	}
}

func TestAlreadyExistsNamesImportCommand(t *testing.T) {
	var diags diag.Diagnostics
	AddAlreadyExists(&diags, "azvmapps_gallery", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g")
	if !strings.Contains(diags[0].Detail(), "terraform import azvmapps_gallery.<name> /subscriptions/s/") {
		t.Fatal(diags[0].Detail())
	}
}

func TestWithTimeout(t *testing.T) {
	var diags diag.Diagnostics
	configured := func(_ context.Context, def time.Duration) (time.Duration, diag.Diagnostics) { return time.Hour, nil }
	ctx, cancel, ok := WithTimeout(context.Background(), configured, time.Minute, &diags)
	defer cancel()
	if dl, has := ctx.Deadline(); !ok || !has || time.Until(dl) < 59*time.Minute {
		t.Fatalf("the configured timeout must bound the context: ok=%v deadline=%v", ok, dl)
	}
	broken := func(context.Context, time.Duration) (time.Duration, diag.Diagnostics) {
		var d diag.Diagnostics
		d.AddError("bad timeout", "x")
		return 0, d
	}
	if _, _, ok := WithTimeout(context.Background(), broken, time.Minute, &diags); ok || !diags.HasError() {
		t.Fatal("a timeouts block that cannot be read must stop the operation with its diagnostics")
	}
}

func TestTimeoutsBlockDocumentsDefaults(t *testing.T) {
	b, ok := TimeoutsBlock(context.Background()).(schema.SingleNestedBlock)
	if !ok {
		t.Fatalf("want a single nested block, got %T", TimeoutsBlock(context.Background()))
	}
	if want := "create 30m, read 5m, update 30m, delete 30m"; !strings.Contains(b.MarkdownDescription, want) {
		t.Errorf("block description %q does not say %q", b.MarkdownDescription, want)
	}
	for name, want := range map[string]string{"create": "`30m`", "read": "`5m`", "update": "`30m`", "delete": "`30m`"} {
		a, ok := b.Attributes[name]
		if !ok {
			t.Fatalf("no %s attribute", name)
		}
		if !strings.Contains(a.GetDescription(), "Defaults to "+want) {
			t.Errorf("%s: description %q does not give the default %s", name, a.GetDescription(), want)
		}
	}
}
