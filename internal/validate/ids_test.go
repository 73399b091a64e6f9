package validate

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Each ID validator takes its own type, and refuses another with a diagnostic on the
// attribute that names the kind of ID, quotes the value, shows the format and says where a
// valid one comes from.
func TestIDValidators(t *testing.T) {
	const (
		gallery = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g"
		app     = gallery + "/applications/a"
		version = app + "/versions/1.0.0"
		vm      = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
	)
	for _, tc := range []struct {
		v              validator.String
		good, bad      string
		summary, where string
	}{
		{GalleryID(), gallery, app, "Invalid gallery ID", "azvmapps_gallery.<name>.id"},
		{ApplicationID(), app, gallery, "Invalid application ID", "azvmapps_application.<name>.id"},
		{VersionID(), version, app, "Invalid application version ID", "azvmapps_application_version.<name>.id"},
		{TargetID(), vm, version, "Invalid target ID", "virtual machine or VM scale set"},
	} {
		p := path.Root("x")
		for _, v := range []types.String{types.StringValue(tc.good), types.StringNull(), types.StringUnknown()} {
			resp := &validator.StringResponse{}
			tc.v.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: v}, resp)
			if resp.Diagnostics.HasError() {
				t.Errorf("%s: %s refused: %v", tc.summary, v, resp.Diagnostics)
			}
		}
		resp := &validator.StringResponse{}
		tc.v.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: types.StringValue(tc.bad)}, resp)
		errs := resp.Diagnostics.Errors()
		if len(errs) != 1 {
			t.Fatalf("%s: %q: got %v, want one error", tc.summary, tc.bad, resp.Diagnostics)
		}
		d := errs[0]
		if d.Summary() != tc.summary || !strings.Contains(d.Detail(), tc.bad) || !strings.Contains(d.Detail(), "expected /subscriptions/{subscriptionId}") ||
			!strings.Contains(d.Detail(), tc.where) {
			t.Errorf("%s: %q: got %q: %q", tc.summary, tc.bad, d.Summary(), d.Detail())
		}
		if !strings.Contains(tc.v.Description(context.Background()), "{subscriptionId}") {
			t.Errorf("%s: the description must show the format: %q", tc.summary, tc.v.Description(context.Background()))
		}
	}
}
