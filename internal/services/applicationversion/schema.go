package applicationversion

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

const (
	maxScriptLength   = 4096
	maxFileNameLength = 4096
)

var storageAccountTypes = []string{"Standard_LRS", "Standard_ZRS", "Premium_LRS", "PremiumV2_LRS"}

func resourceSchema(ctx context.Context) schema.Schema {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	script := func(desc string, required bool) schema.StringAttribute {
		return schema.StringAttribute{
			Required:            required,
			Optional:            !required,
			MarkdownDescription: desc + " At most 4096 characters. Changing this forces a new version to be created.",
			Validators:          []validator.String{stringvalidator.LengthBetween(1, maxScriptLength)},
			PlanModifiers:       replace,
		}
	}
	fileName := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: desc + " At most 4096 characters. Changing this forces a new version to be created.",
			Validators:          []validator.String{stringvalidator.LengthBetween(1, maxFileNameLength)},
			PlanModifiers:       replace,
		}
	}
	return schema.Schema{
		MarkdownDescription: "Publishes a version of a VM application to an Azure Compute Gallery and replicates it to " +
			"the target regions. Plan checks the version name, scripts, replica counts, target regions and, when the " +
			"links are known, that each package blob is readable, of an allowed type and within the size limits.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The ARM ID of the application version.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The version name, `Major.Minor.Patch`, each part a whole number from 0 to 2147483647 " +
					"(for example `1.0.0`). Changing this forces a new version to be created.",
				Validators:    []validator.String{validate.VersionName()},
				PlanModifiers: replace,
			},
			"application_id": schema.StringAttribute{
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				MarkdownDescription: "The ID of the `azvmapps_application` this version belongs to. Changing this forces a new version to be created.",
				Validators:          []validator.String{validate.ApplicationID()},
				PlanModifiers:       replace,
			},
			"location": schema.StringAttribute{
				Required:   true,
				CustomType: customtypes.LocationType{},
				MarkdownDescription: "The region of the version, normally the gallery's region (`eastus2` or `East US 2`). It " +
					"must be one of the `target_region` blocks. Changing this forces a new version to be created.",
				PlanModifiers: replace,
			},
			"advanced_settings": schema.MapAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Additional settings passed to the VM application manager extension. Changing this forces a new version to be created.",
				PlanModifiers:       []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"enable_health_check": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "Whether the application reports health. Defaults to `false`. Changing this forces a new version to be created.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"replica_count": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Default:  int64default.StaticInt64(1),
				MarkdownDescription: "Replicas per region for target regions without `regional_replica_count`. From 1 to " +
					"`service_limits.max_replicas_per_region` (3 unless raised). Defaults to `1`. Updated in place.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"storage_account_type": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The storage account type of the replicas: `Standard_LRS`, `Standard_ZRS`, `Premium_LRS` or " +
					"`PremiumV2_LRS`. The service chooses when omitted. Changing this forces a new version to be created.",
				Validators:    []validator.String{stringvalidator.OneOf(storageAccountTypes...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"replication_mode": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "`Full` or `Shallow` replication. The service chooses when omitted. Changing this forces a " +
					"new version to be created.",
				Validators:    []validator.String{stringvalidator.OneOf("Full", "Shallow")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"exclude_from_latest": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "Whether VMs asking for the `latest` version skip this one. Defaults to `false`. Updated in place.",
			},
			"end_of_life_date": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The end-of-life date of the version, RFC 3339 (for example `2030-12-31T00:00:00Z`). Updated in " +
					"place. The service cannot clear a date: removing the attribute keeps the date the version has.",
				Validators:    []validator.String{rfc3339()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"allow_deletion_of_replicated_locations": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Whether target regions may be removed from the version once it is replicated there " +
					"(the service's safety profile). Removing a `target_region` requires `true`. Defaults to `false`. Updated in place.",
			},
			"wait_for_replication": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "Whether create and update wait until the version is replicated to every target region, " +
					"logging progress per region. With `false` they return once the service accepted the version. Defaults to `true`.",
			},
			"tags": schema.MapAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Tags of the version. Updated in place.",
			},
			"published_date": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the version was published (RFC 3339).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"provisioning_state": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The provisioning state the service reports (`Creating`, `Updating`, `Succeeded`, `Failed`…).",
			},
			"replication_status": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The replication status of the version, as last read.",
				Attributes: map[string]schema.Attribute{
					"aggregated_state": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The overall state: `InProgress`, `Completed`, `Failed` or `Unknown`.",
					},
					"regions": schema.ListNestedAttribute{
						Computed:            true,
						MarkdownDescription: "The state of each target region.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"region":   schema.StringAttribute{Computed: true, MarkdownDescription: "The region, as the service names it."},
							"state":    schema.StringAttribute{Computed: true, MarkdownDescription: "`Replicating`, `Completed`, `Failed` or `Unknown`."},
							"progress": schema.Int64Attribute{Computed: true, MarkdownDescription: "Replication progress in percent."},
							"details":  schema.StringAttribute{Computed: true, MarkdownDescription: "The service's details, for example why replication failed."},
						}},
					},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"source": schema.SingleNestedBlock{
				MarkdownDescription: "Where the package is. Only the SAS token of a link can change in place; " +
					"pointing at another blob forces a new version to be created. Each link is given either plainly " +
					"(`media_link`, kept in plan and state as a sensitive value, for any Terraform version) or write-only " +
					"(`media_link_wo` with `media_link_wo_version`, never kept in plan or state; needs Terraform 1.11 or " +
					"OpenTofu 1.11 or later): prefer the write-only form when the link carries a SAS token and the CLI supports it.",
				Validators: []validator.Object{objectvalidator.IsRequired()},
				Attributes: sourceAttributes(),
			},
			"manage_actions": schema.SingleNestedBlock{
				MarkdownDescription: "The scripts that install, remove and update the application.",
				Validators:          []validator.Object{objectvalidator.IsRequired()},
				Attributes: map[string]schema.Attribute{
					"install": script("The command that installs the application, run in the download folder.", true),
					"remove":  script("The command that removes the application.", true),
					"update": script("The command that updates a VM from a previous version. Without it the service removes "+
						"the old version and installs this one.", false),
				},
			},
			"settings": schema.SingleNestedBlock{
				MarkdownDescription: "How the package is downloaded and how scripts behave. Changing any of these forces a new version to be created.",
				Attributes: map[string]schema.Attribute{
					"package_file_name": fileName("The file name the package is downloaded as (default: the application name)."),
					"config_file_name":  fileName("The file name the configuration file is downloaded as (default: the application name + `_config`)."),
					"script_behavior_after_reboot": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "What happens to a script interrupted by a reboot: `None` or `Rerun`. Changing this forces a new version to be created.",
						Validators:          []validator.String{stringvalidator.OneOf("None", "Rerun")},
						PlanModifiers:       replace,
					},
				},
			},
			"custom_action": schema.ListNestedBlock{
				MarkdownDescription: "Custom actions users can run on VMs with this version. Changing these forces a new version to be created.",
				PlanModifiers:       []planmodifier.List{listplanmodifier.RequiresReplace()},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"name":        schema.StringAttribute{Required: true, MarkdownDescription: "The action's name, unique within the version."},
						"script":      schema.StringAttribute{Required: true, MarkdownDescription: "The script the action runs.", Validators: []validator.String{stringvalidator.LengthBetween(1, maxScriptLength)}},
						"description": schema.StringAttribute{Optional: true, MarkdownDescription: "A description of the action."},
					},
					Blocks: map[string]schema.Block{
						"parameter": schema.ListNestedBlock{
							MarkdownDescription: "A parameter of the action.",
							NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
								"name":     schema.StringAttribute{Required: true, MarkdownDescription: "The parameter's name."},
								"required": schema.BoolAttribute{Optional: true, MarkdownDescription: "Whether the parameter must be given."},
								"type": schema.StringAttribute{
									Optional:            true,
									MarkdownDescription: "`String`, `ConfigurationDataBlob` or `LogOutputBlob`.",
									Validators:          []validator.String{stringvalidator.OneOf("String", "ConfigurationDataBlob", "LogOutputBlob")},
								},
								"default_value": schema.StringAttribute{Optional: true, MarkdownDescription: "The default value (string parameters only)."},
								"description":   schema.StringAttribute{Optional: true, MarkdownDescription: "A description of the parameter."},
							}},
						},
					},
				},
			},
			"target_region": schema.SetNestedBlock{
				MarkdownDescription: "A region the version is replicated to; at least one, and one of them must be `location`. " +
					"Names are compared normalised (`East US 2` is `eastus2`), so each region may appear once. Regions are " +
					"added and removed in place; removing one requires `allow_deletion_of_replicated_locations = true`.",
				Validators:    []validator.Set{setvalidator.IsRequired(), setvalidator.SizeAtLeast(1)},
				PlanModifiers: []planmodifier.Set{targetRegionDefaults()},
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{
						Required:            true,
						CustomType:          customtypes.LocationType{},
						MarkdownDescription: "The region (`westeurope` or `West Europe`).",
					},
					"regional_replica_count": schema.Int64Attribute{
						Optional: true,
						Computed: true,
						MarkdownDescription: "Replicas in this region, from 1 to `service_limits.max_replicas_per_region` (3 unless " +
							"raised). Defaults to `replica_count` (and follows it when that changes).",
						Validators: []validator.Int64{int64validator.AtLeast(1)},
					},
					"storage_account_type": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The storage account type of the replicas in this region. Defaults to `storage_account_type`.",
						Validators:          []validator.String{stringvalidator.OneOf(storageAccountTypes...)},
					},
					"exclude_from_latest": schema.BoolAttribute{
						Optional:            true,
						MarkdownDescription: "Whether VMs in this region asking for `latest` skip this version.",
					},
				}},
			},
			"timeouts": framework.TimeoutsBlock(ctx),
		},
	}
}

// rfc3339 validates a timestamp such as 2030-12-31T00:00:00Z.
func rfc3339() validator.String { return rfc3339Validator{} }

type rfc3339Validator struct{}

func (rfc3339Validator) Description(context.Context) string {
	return "must be an RFC 3339 timestamp, for example 2030-12-31T00:00:00Z"
}

func (v rfc3339Validator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v rfc3339Validator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(time.RFC3339, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid date", fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}
