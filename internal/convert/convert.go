// Package convert turns SDK values into Terraform values and back where every resource does it
// the same way: string maps (tags), optional strings, times and values Azure spells differently
// from the configuration.
package convert

import (
	"context"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

// ExpandStringMap turns a map of strings (tags, settings) into the SDK's form; null or unknown
// gives nil (nothing sent).
func ExpandStringMap(ctx context.Context, m types.Map) (map[string]*string, diag.Diagnostics) {
	if m.IsNull() || m.IsUnknown() {
		return nil, nil
	}
	var raw map[string]string
	diags := m.ElementsAs(ctx, &raw, false)
	out := make(map[string]*string, len(raw))
	for k, v := range raw {
		out[k] = to.Ptr(v)
	}
	return out, diags
}

// FlattenStringMap returns the service's map. An empty one stays as prior had it: {} when prior
// is a known empty map, null otherwise, so an absent map in the configuration stays null.
func FlattenStringMap(ctx context.Context, m map[string]*string, prior types.Map) (types.Map, diag.Diagnostics) {
	if len(m) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return prior, nil
		}
		return types.MapNull(types.StringType), nil
	}
	raw := make(map[string]string, len(m))
	for k, v := range m {
		if v != nil {
			raw[k] = *v
		}
	}
	return types.MapValueFrom(ctx, types.StringType, raw)
}

// FlattenTime formats t as RFC 3339 in UTC, keeping prior's spelling of the same instant (a
// configured "+01:00" offset stays); nil gives null.
func FlattenTime(t *time.Time, prior types.String) types.String {
	if t == nil {
		return types.StringNull()
	}
	if !prior.IsNull() && !prior.IsUnknown() {
		if p, err := time.Parse(time.RFC3339, prior.ValueString()); err == nil && p.Equal(*t) {
			return prior
		}
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// KeepFold keeps prior when it equals server apart from letter case, else returns server.
func KeepFold(prior types.String, server string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(prior.ValueString(), server) {
		return prior
	}
	return types.StringValue(server)
}

// FlattenLocation keeps the configured spelling of a region when it is the same region as the
// service's answer ("East US 2" = "eastus2"), and otherwise stores the short name.
func FlattenLocation(prior customtypes.Location, server string) customtypes.Location {
	if !prior.IsNull() && !prior.IsUnknown() && azure.LocationsEqual(prior.ValueString(), server) {
		return prior
	}
	return customtypes.NewLocation(azure.NormalizeLocation(server))
}

// Deref returns *s, or "" for nil.
func Deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
