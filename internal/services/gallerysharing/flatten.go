package gallerysharing

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// flattenSharing writes the gallery's groups into a copy of prior. GUIDs keep the
// configuration's spelling when they differ only in case; a set the configuration leaves out
// stays null while the gallery has no member of that kind.
func flattenSharing(ctx context.Context, s sharing, prior GallerySharingResourceModel) (GallerySharingResourceModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := prior
	subs, d := flattenIDs(ctx, s.subscriptions, prior.SubscriptionIDs)
	diags.Append(d...)
	tenants, d := flattenIDs(ctx, s.tenants, prior.TenantIDs)
	diags.Append(d...)
	m.SubscriptionIDs, m.TenantIDs = subs, tenants
	return m, diags
}

func flattenIDs(ctx context.Context, ids []string, prior types.Set) (types.Set, diag.Diagnostics) {
	if len(ids) == 0 && (prior.IsNull() || prior.IsUnknown()) {
		return types.SetNull(types.StringType), nil
	}
	known, _ := setStrings(ctx, prior)
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		spelled := id
		for _, k := range known {
			if strings.EqualFold(k, id) {
				spelled = k
				break
			}
		}
		out = append(out, spelled)
	}
	sort.Strings(out)
	return types.SetValueFrom(ctx, types.StringType, out)
}
