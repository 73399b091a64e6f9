package framework

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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
