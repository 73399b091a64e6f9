package application

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

// Parameter types of a custom action.
const (
	ParameterTypeString                = "String"
	ParameterTypeConfigurationDataBlob = "ConfigurationDataBlob"
	ParameterTypeLogOutputBlob         = "LogOutputBlob"
)

const (
	descID            = "The Azure Resource Manager ID of the application, `/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/galleries/{gallery}/applications/{name}`."
	descName          = "The name of the application: 1-117 letters, digits, hyphens (`-`), periods (`.`) and underscores (`_`), not ending with a period."
	descGalleryID     = "The ID of the gallery that holds the application."
	descLocation      = "The Azure region of the application, usually the gallery's region (`eastus2`; display names such as `East US 2` are the same region)."
	descOSType        = "The operating system the application is built for: `Linux` or `Windows`. Changing it replaces the application."
	descDescription   = "A description of the application."
	descEula          = "The end-user license agreement of the application."
	descPrivacy       = "The URI of the application's privacy statement."
	descReleaseNote   = "The URI of the application's release notes."
	descEndOfLife     = "The end-of-life date of the application, in RFC 3339 format (`2030-12-31T00:00:00Z`). When the application is created it must not be in the past."
	descCustomAction  = "A custom action that can be run on the VMs where a version of this application is installed."
	descCAName        = "The name of the custom action, unique within the application."
	descCAScript      = "The script the custom action runs."
	descCADescription = "A description of what the custom action does."
	descParameter     = "A parameter of the custom action."
	descParamName     = "The name of the parameter, unique within the custom action."
	descParamType     = "The type of the parameter: `String`, `ConfigurationDataBlob` or `LogOutputBlob`."
	descParamRequired = "Whether the parameter must be given when the custom action runs."
	descParamDefault  = "The default value of the parameter; only for `String` parameters."
	descParamDescr    = "A description of the parameter."
	descTags          = "Tags to assign to the application."
)

func resourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Manages a VM application definition in an Azure Compute Gallery. Its versions are managed by `azvmapps_application_version`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: descID,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: descName,
				Required:            true,
				Validators:          []validator.String{validate.ApplicationName()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"gallery_id": schema.StringAttribute{
				MarkdownDescription: descGalleryID,
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				Validators:          []validator.String{validate.GalleryID()},
				PlanModifiers:       []planmodifier.String{framework.RequiresReplaceIfIDChanged()},
			},
			"location": schema.StringAttribute{
				MarkdownDescription: descLocation,
				Required:            true,
				CustomType:          customtypes.LocationType{},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers:       []planmodifier.String{framework.RequiresReplaceIfRegionChanged()},
			},
			"supported_os_type": schema.StringAttribute{
				MarkdownDescription: descOSType,
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf("Linux", "Windows")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"description":           schema.StringAttribute{MarkdownDescription: descDescription, Optional: true},
			"eula":                  schema.StringAttribute{MarkdownDescription: descEula, Optional: true},
			"privacy_statement_uri": schema.StringAttribute{MarkdownDescription: descPrivacy, Optional: true, Validators: []validator.String{absoluteURI()}},
			"release_note_uri":      schema.StringAttribute{MarkdownDescription: descReleaseNote, Optional: true, Validators: []validator.String{absoluteURI()}},
			"end_of_life_date": schema.StringAttribute{
				MarkdownDescription: descEndOfLife,
				Optional:            true,
				Validators:          []validator.String{rfc3339()},
			},
			"tags": schema.MapAttribute{MarkdownDescription: descTags, Optional: true, ElementType: types.StringType},
		},
		Blocks: map[string]schema.Block{
			"custom_action": schema.ListNestedBlock{
				MarkdownDescription: descCustomAction,
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"name":        schema.StringAttribute{MarkdownDescription: descCAName, Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
						"script":      schema.StringAttribute{MarkdownDescription: descCAScript, Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
						"description": schema.StringAttribute{MarkdownDescription: descCADescription, Optional: true},
					},
					Blocks: map[string]schema.Block{
						"parameter": schema.ListNestedBlock{
							MarkdownDescription: descParameter,
							NestedObject: schema.NestedBlockObject{
								Attributes: map[string]schema.Attribute{
									"name": schema.StringAttribute{MarkdownDescription: descParamName, Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
									"type": schema.StringAttribute{MarkdownDescription: descParamType + " Defaults to `String`.", Optional: true, Computed: true,
										Default:    stringdefault.StaticString(ParameterTypeString),
										Validators: []validator.String{stringvalidator.OneOf(ParameterTypeString, ParameterTypeConfigurationDataBlob, ParameterTypeLogOutputBlob)}},
									"required": schema.BoolAttribute{MarkdownDescription: descParamRequired + " Defaults to `false`.", Optional: true, Computed: true,
										Default: booldefault.StaticBool(false)},
									"default_value": schema.StringAttribute{MarkdownDescription: descParamDefault, Optional: true},
									"description":   schema.StringAttribute{MarkdownDescription: descParamDescr, Optional: true},
								},
							},
						},
					},
				},
			},
			"timeouts": framework.TimeoutsBlock(ctx),
		},
	}
}

func dataSourceSchema() dsschema.Schema {
	return dsschema.Schema{
		MarkdownDescription: "Reads a VM application definition, by `id` or by `name` and `gallery_id`.",
		Attributes: map[string]dsschema.Attribute{
			"id": dsschema.StringAttribute{
				MarkdownDescription: descID + " Give either `id`, or `name` and `gallery_id`.",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{
					stringvalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
					stringvalidator.ConflictsWith(path.MatchRoot("gallery_id")),
				},
			},
			"name": dsschema.StringAttribute{
				MarkdownDescription: "The name of the application. Needs `gallery_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validate.ApplicationName(), stringvalidator.AlsoRequires(path.MatchRoot("gallery_id"))},
			},
			"gallery_id": dsschema.StringAttribute{
				MarkdownDescription: descGalleryID,
				Optional:            true,
				Computed:            true,
				CustomType:          customtypes.ARMIDType{},
				Validators:          []validator.String{validate.GalleryID(), stringvalidator.AlsoRequires(path.MatchRoot("name"))},
			},
			"location":              dsschema.StringAttribute{MarkdownDescription: descLocation, Computed: true, CustomType: customtypes.LocationType{}},
			"supported_os_type":     dsschema.StringAttribute{MarkdownDescription: descOSType, Computed: true},
			"description":           dsschema.StringAttribute{MarkdownDescription: descDescription, Computed: true},
			"eula":                  dsschema.StringAttribute{MarkdownDescription: descEula, Computed: true},
			"privacy_statement_uri": dsschema.StringAttribute{MarkdownDescription: descPrivacy, Computed: true},
			"release_note_uri":      dsschema.StringAttribute{MarkdownDescription: descReleaseNote, Computed: true},
			"end_of_life_date":      dsschema.StringAttribute{MarkdownDescription: descEndOfLife, Computed: true},
			"tags":                  dsschema.MapAttribute{MarkdownDescription: descTags, Computed: true, ElementType: types.StringType},
			"custom_action": dsschema.ListNestedAttribute{
				MarkdownDescription: "The custom actions of the application.",
				Computed:            true,
				NestedObject: dsschema.NestedAttributeObject{
					Attributes: map[string]dsschema.Attribute{
						"name":        dsschema.StringAttribute{MarkdownDescription: descCAName, Computed: true},
						"script":      dsschema.StringAttribute{MarkdownDescription: descCAScript, Computed: true},
						"description": dsschema.StringAttribute{MarkdownDescription: descCADescription, Computed: true},
						"parameter": dsschema.ListNestedAttribute{
							MarkdownDescription: descParameter,
							Computed:            true,
							NestedObject: dsschema.NestedAttributeObject{
								Attributes: map[string]dsschema.Attribute{
									"name":          dsschema.StringAttribute{MarkdownDescription: descParamName, Computed: true},
									"type":          dsschema.StringAttribute{MarkdownDescription: descParamType, Computed: true},
									"required":      dsschema.BoolAttribute{MarkdownDescription: descParamRequired, Computed: true},
									"default_value": dsschema.StringAttribute{MarkdownDescription: descParamDefault, Computed: true},
									"description":   dsschema.StringAttribute{MarkdownDescription: descParamDescr, Computed: true},
								},
							},
						},
					},
				},
			},
		},
	}
}
