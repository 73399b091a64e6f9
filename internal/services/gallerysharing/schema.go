package gallerysharing

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

var guidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

func guidSet(what string, extra ...validator.Set) []validator.Set {
	return append([]validator.Set{
		setvalidator.SizeAtLeast(1),
		setvalidator.ValueStringsAre(stringvalidator.RegexMatches(guidPattern,
			"must be a "+what+" ID: a GUID such as 00000000-0000-0000-0000-000000000000")),
	}, extra...)
}

func resourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Shares an Azure Compute Gallery with subscriptions and Microsoft Entra tenants (the gallery's `share` action). " +
			"The gallery must have `sharing { permission = \"Groups\" }`. Destroying this resource resets the gallery's sharing, which leaves the gallery `Private`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The ID of the shared gallery (the same as `gallery_id`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"gallery_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the gallery to share; its `sharing.permission` must be `Groups`.",
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				Validators:          []validator.String{validate.GalleryID()},
				PlanModifiers:       []planmodifier.String{framework.RequiresReplaceIfIDChanged()},
			},
			"subscription_ids": schema.SetAttribute{
				MarkdownDescription: "The IDs (GUIDs) of the subscriptions the gallery is shared with.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          guidSet("subscription", setvalidator.AtLeastOneOf(path.MatchRoot("tenant_ids"))),
			},
			"tenant_ids": schema.SetAttribute{
				MarkdownDescription: "The IDs (GUIDs) of the Microsoft Entra tenants the gallery is shared with.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          guidSet("tenant"),
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": framework.TimeoutsBlock(ctx),
		},
	}
}
