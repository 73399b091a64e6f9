package applicationversion

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// sourceAttributes are the attributes of the source block: each link in its plain and its
// write-only form, exactly one of them for the media link and at most one for the
// configuration link.
func sourceAttributes() map[string]schema.Attribute {
	sibling := func(name string) path.Expression { return path.MatchRelative().AtParent().AtName(name) }
	const (
		media       = "The URL of the application package blob: a SAS URL with read permission, or a plain URL the gallery (and, for plan checks, the provider) may read. A page blob unless `service_limits.allowed_blob_types` allows more, within `service_limits.max_package_size_bytes`."
		config      = "The URL of the default configuration file blob (at most 1 GiB), given to the install script."
		plainNote   = " Kept in plan and state (as a sensitive value). Conflicts with `%s_wo`, which keeps a SAS token out of them."
		woNote      = " Write-only: never kept in plan or state, and needs Terraform 1.11 or OpenTofu 1.11 or later (use `%[1]s` with older versions). Requires `%[1]s_wo_version`. It is checked at plan and sent when the version is created, when `%[1]s_wo_version` changes, and with any other in-place update of the version (the service wants a valid SAS for every update). Changing only this value does nothing: change `%[1]s_wo_version` with it, for example after rotating the SAS. A new SAS for the same blob updates the version in place; another blob forces a new version to be created."
		versionNote = "A number to change (for example, increment) whenever `%[1]s_wo` should be sent again, such as after rotating its SAS token. Only with `%[1]s_wo`. Like a change of `%[1]s`, a new version of the link updates the version in place when it names the same blob, and forces a new version to be created when it names another."
	)
	return map[string]schema.Attribute{
		"media_link": schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: media + " Exactly one of `media_link` and `media_link_wo` is required." + fmt.Sprintf(plainNote, "media_link"),
			Validators:          []validator.String{stringvalidator.ExactlyOneOf(sibling("media_link_wo"))},
			PlanModifiers:       []planmodifier.String{linkMovesReplaceString()},
		},
		"media_link_wo": schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			WriteOnly:           true,
			MarkdownDescription: "The URL of the application package blob, as `media_link`." + fmt.Sprintf(woNote, "media_link"),
			Validators:          []validator.String{stringvalidator.AlsoRequires(sibling("media_link_wo_version"))},
		},
		"media_link_wo_version": schema.Int64Attribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf(versionNote, "media_link"),
			Validators:          []validator.Int64{int64validator.AlsoRequires(sibling("media_link_wo"))},
			PlanModifiers:       []planmodifier.Int64{linkMovesReplaceInt64()},
		},
		"default_configuration_link": schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: config + fmt.Sprintf(plainNote, "default_configuration_link"),
			Validators:          []validator.String{stringvalidator.ConflictsWith(sibling("default_configuration_link_wo"))},
			PlanModifiers:       []planmodifier.String{linkMovesReplaceString()},
		},
		"default_configuration_link_wo": schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			WriteOnly:           true,
			MarkdownDescription: "The URL of the default configuration file blob, as `default_configuration_link`." + fmt.Sprintf(woNote, "default_configuration_link"),
			Validators:          []validator.String{stringvalidator.AlsoRequires(sibling("default_configuration_link_wo_version"))},
		},
		"default_configuration_link_wo_version": schema.Int64Attribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf(versionNote, "default_configuration_link"),
			Validators:          []validator.Int64{int64validator.AlsoRequires(sibling("default_configuration_link_wo"))},
			PlanModifiers:       []planmodifier.Int64{linkMovesReplaceInt64()},
		},
	}
}

const linkMovesDescription = "Pointing at another blob forces a new version to be created; a new SAS token for the same blob updates in place."

// linkMovesReplaceString forces a new version when a plain link is pointed at another blob
// (also when switching between the plain and the write-only form); a new SAS token for the
// same blob is an in-place update, the one change the service allows.
func linkMovesReplaceString() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace, resp.Diagnostics = linkMoves(ctx, req.Path, req.Config, req.Plan, req.State, req.Private)
		}, linkMovesDescription, linkMovesDescription)
}

// linkMovesReplaceInt64 is linkMovesReplaceString for a write-only link's version: the new
// value of the link is read from the configuration.
func linkMovesReplaceInt64() planmodifier.Int64 {
	return int64planmodifier.RequiresReplaceIf(
		func(ctx context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace, resp.Diagnostics = linkMoves(ctx, req.Path, req.Config, req.Plan, req.State, req.Private)
		}, linkMovesDescription, linkMovesDescription)
}

// linkMoves reports whether the link the attribute at p belongs to is pointed at another blob.
func linkMoves(ctx context.Context, p path.Path, cfg tfsdk.Config, plan tfsdk.Plan, state tfsdk.State, private privateGetter) (bool, diag.Diagnostics) {
	var planModel, stateModel ApplicationVersionResourceModel
	diags := plan.Get(ctx, &planModel)
	diags.Append(state.Get(ctx, &stateModel)...)
	if diags.HasError() {
		return false, diags
	}
	next, d := withConfigLinks(ctx, cfg, &planModel)
	diags.Append(d...)
	keys := loadBlobKeys(ctx, private)
	name := linkName(p)
	for i, l := range next.Source.links() {
		if l.name == name {
			return replaces(stateModel.Source.links()[i], keys.of(name), l), diags
		}
	}
	return false, diags
}

// linkName is the link an attribute of the source block belongs to.
func linkName(p path.Path) string {
	steps := p.Steps()
	if len(steps) == 0 {
		return ""
	}
	name, _ := steps[len(steps)-1].(path.PathStepAttributeName)
	switch string(name) {
	case "media_link", "media_link_wo", "media_link_wo_version":
		return "media_link"
	default:
		return "default_configuration_link"
	}
}
