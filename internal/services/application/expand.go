package application

import (
	"context"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/convert"
)

// expandApplication builds the PUT body. A PUT replaces the whole definition, so an optional
// attribute removed from the configuration is cleared in place.
func expandApplication(ctx context.Context, m ApplicationResourceModel) (armcompute.GalleryApplication, diag.Diagnostics) {
	var diags diag.Diagnostics
	p := &armcompute.GalleryApplicationProperties{
		SupportedOSType:     to.Ptr(armcompute.OperatingSystemTypes(m.SupportedOSType.ValueString())),
		Description:         m.Description.ValueStringPointer(),
		Eula:                m.Eula.ValueStringPointer(),
		PrivacyStatementURI: m.PrivacyStatementURI.ValueStringPointer(),
		ReleaseNoteURI:      m.ReleaseNoteURI.ValueStringPointer(),
		CustomActions:       expandCustomActions(m.CustomActions),
	}
	if !m.EndOfLifeDate.IsNull() && !m.EndOfLifeDate.IsUnknown() {
		t, err := time.Parse(time.RFC3339, m.EndOfLifeDate.ValueString())
		if err != nil {
			diags.AddError("Invalid end_of_life_date", fmt.Sprintf("%q is not an RFC 3339 date and time: %s", m.EndOfLifeDate.ValueString(), err))
		} else {
			p.EndOfLifeDate = to.Ptr(t)
		}
	}
	tags, d := convert.ExpandStringMap(ctx, m.Tags)
	diags.Append(d...)
	return armcompute.GalleryApplication{
		Location:   to.Ptr(m.Location.ValueString()),
		Properties: p,
		Tags:       tags,
	}, diags
}

func expandCustomActions(in []customActionModel) []*armcompute.GalleryApplicationCustomAction {
	if len(in) == 0 {
		return nil
	}
	out := make([]*armcompute.GalleryApplicationCustomAction, 0, len(in))
	for _, ca := range in {
		a := &armcompute.GalleryApplicationCustomAction{
			Name:        ca.Name.ValueStringPointer(),
			Script:      ca.Script.ValueStringPointer(),
			Description: ca.Description.ValueStringPointer(),
		}
		for _, p := range ca.Parameters {
			param := &armcompute.GalleryApplicationCustomActionParameter{
				Name:         p.Name.ValueStringPointer(),
				Required:     p.Required.ValueBoolPointer(),
				DefaultValue: p.DefaultValue.ValueStringPointer(),
				Description:  p.Description.ValueStringPointer(),
			}
			if !p.Type.IsNull() && !p.Type.IsUnknown() {
				param.Type = to.Ptr(armcompute.GalleryApplicationCustomActionParameterType(p.Type.ValueString()))
			}
			a.Parameters = append(a.Parameters, param)
		}
		out = append(out, a)
	}
	return out
}
