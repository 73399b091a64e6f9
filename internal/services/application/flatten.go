package application

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/convert"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

// flattenApplication writes what the service returned into a copy of prior. Values that Azure
// spells differently from the configuration (ID casing, region display names, the same
// instant in another time zone) keep the configuration's spelling.
func flattenApplication(ctx context.Context, a armcompute.GalleryApplication, prior ApplicationResourceModel) (ApplicationResourceModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := prior

	id := convert.Deref(a.ID)
	if prior.ID.IsNull() || prior.ID.IsUnknown() || !azure.IDsEqual(prior.ID.ValueString(), id) {
		m.ID = types.StringValue(id)
	}
	m.Name = convert.KeepFold(prior.Name, convert.Deref(a.Name))
	if parsed, err := ids.ParseApplication(id); err == nil {
		gid := parsed.Parent().String()
		if prior.GalleryID.IsNull() || prior.GalleryID.IsUnknown() || !azure.IDsEqual(prior.GalleryID.ValueString(), gid) {
			m.GalleryID = customtypes.NewARMID(gid)
		}
	}
	m.Location = convert.FlattenLocation(prior.Location, convert.Deref(a.Location))

	p := a.Properties
	if p == nil {
		p = &armcompute.GalleryApplicationProperties{}
	}
	m.SupportedOSType = types.StringNull()
	if p.SupportedOSType != nil {
		m.SupportedOSType = convert.KeepFold(prior.SupportedOSType, string(*p.SupportedOSType))
	}
	m.Description = types.StringPointerValue(p.Description)
	m.Eula = types.StringPointerValue(p.Eula)
	m.PrivacyStatementURI = types.StringPointerValue(p.PrivacyStatementURI)
	m.ReleaseNoteURI = types.StringPointerValue(p.ReleaseNoteURI)
	m.EndOfLifeDate = convert.FlattenTime(p.EndOfLifeDate, prior.EndOfLifeDate)
	m.CustomActions = flattenCustomActions(p.CustomActions, prior.CustomActions)

	tags, d := convert.FlattenStringMap(ctx, a.Tags, prior.Tags)
	diags.Append(d...)
	m.Tags = tags
	return m, diags
}

// flattenCustomActions converts the service's custom actions. A parameter's type and required
// flag are always the effective values (the service's defaults, String and false, when it
// leaves them out): the schema defaults them the same way, so a configuration that leaves them
// out and an import (which cannot know) read back alike.
func flattenCustomActions(in []*armcompute.GalleryApplicationCustomAction, prior []customActionModel) []customActionModel {
	if len(in) == 0 {
		if prior != nil {
			return []customActionModel{}
		}
		return nil
	}
	out := make([]customActionModel, 0, len(in))
	for i, ca := range in {
		if ca == nil {
			continue
		}
		var pa *customActionModel
		if i < len(prior) {
			pa = &prior[i]
		}
		a := customActionModel{
			Name:        types.StringPointerValue(ca.Name),
			Script:      types.StringPointerValue(ca.Script),
			Description: types.StringPointerValue(ca.Description),
		}
		if len(ca.Parameters) == 0 && pa != nil && pa.Parameters != nil {
			a.Parameters = []parameterModel{}
		}
		for _, p := range ca.Parameters {
			if p == nil {
				continue
			}
			param := parameterModel{
				Name:         types.StringPointerValue(p.Name),
				Type:         types.StringValue(ParameterTypeString),
				Required:     types.BoolValue(p.Required != nil && *p.Required),
				DefaultValue: types.StringPointerValue(p.DefaultValue),
				Description:  types.StringPointerValue(p.Description),
			}
			if p.Type != nil && *p.Type != "" {
				param.Type = types.StringValue(string(*p.Type))
			}
			a.Parameters = append(a.Parameters, param)
		}
		out = append(out, a)
	}
	return out
}
