package assignment

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int32validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

const (
	descID             = "The ID of the assignment: `<target_id>|<application_id>` (one version of an application per target)."
	descTargetID       = "The ID of the virtual machine or VM scale set (uniform or flexible) the application is assigned to. It may be in another subscription than the provider's (a central gallery serving workload subscriptions): the target is read and written in the subscription its ID names. Changing it replaces the assignment."
	descVersionID      = "The ID of the application version to install. Changing to another version of the same application updates in place (the service runs the version's update script, or removes the old version and installs the new one); changing to another application replaces the assignment."
	descApplicationID  = "The ID of the application, derived from `version_id`."
	descOrder          = "The order in which the applications of the target are installed, from 0 to 2147483647; applications without an order are installed last. Put an application whose scripts restart the machine last."
	descConfigRef      = "The URI of a blob (often with a SAS token) that replaces the version's default configuration file on this target. Plan checks it like a version's `default_configuration_link` (readable, an allowed blob type, within the size limit) unless `skip_blob_checks` is set."
	descTags           = "An opaque string passed through to the application (`tags` of the service's VMGalleryApplication)."
	descTreatFailure   = "When true, a failed install, update or removal of the application makes the VMAppExtension, and the VM's provisioning, report failure. Defaults to `false`."
	descAutoUpgrade    = "When true, the application is upgraded automatically when a new version is published to the gallery. Defaults to `false`."
	descWaitForInstall = "Wait after each change until the application reports its install result (on every instance of a scale set), and fail the apply when the install failed. Defaults to `true`."
	descReinstall      = "When the install fails, retry it once the only way the service allows: remove the application from the target, add it back, and wait again. Needs `wait_for_install`. Defaults to `false`."
	descUpgrade        = "How the instances of a scale set with a Manual upgrade policy take the model this assignment writes: " +
		"`auto` (default) upgrades every instance (`updateInstances`) only when all of them ran the scale set's latest model before the " +
		"write, so that nothing but this change reaches them; otherwise it leaves them alone and plan warns how many instances are behind. " +
		"`all` upgrades every instance, rolling out any other model change staged on the scale set (image, extensions) with it. " +
		"`none` never upgrades them: the application reaches an instance when it is upgraded. Instances left on their model report " +
		"`install_status` `Pending`, and `wait_for_install` does not wait for them. The VMs of a Flexible scale set do not report " +
		"whether they run the latest model, so `auto` leaves them alone. Automatic and Rolling upgrade policies roll every model change " +
		"out themselves: no call is made, and the setting has no effect. When one apply writes several assignments of a scale set " +
		"together, the narrowest rollout any of them asks for is used (`none`, then `auto`, then `all`), with the smallest " +
		"`max_batch_instance_percent`. Not a property of the service: changing it alone writes nothing."
	descBatchPercent = "With a Manual upgrade policy, upgrade the instances in batches of this percentage of them (1 to 100, at least one " +
		"instance a batch), one `updateInstances` call after the other, instead of all at once. Has no effect with `upgrade_instances = \"none\"`."
	descInstallStatus = "The install status reported by the target's VMAppExtension: `Succeeded`, `Failed` or `Pending` (not reported yet, or still installing). " +
		"A scale set without instances reports `Succeeded`. With `enable_automatic_upgrade`, a newer version installed by the platform counts. " +
		"When an install has failed (at apply, or later: a new scale-set instance, a reimage), the next plan replaces the assignment, " +
		"which removes the application and adds it back: the service's only way to retry an install."
	descInstallMessage = "The install result the service reports, for example `Install SUCCESS` or `Install FAILED Error executing command ...`; for a scale set, one entry per instance."
)

func resourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Assigns a VM application version to a virtual machine or a VM scale set, by adding it to the target's " +
			"`applicationProfile.galleryApplications` without touching the other applications or extensions on it. " +
			"Scale sets with a Manual upgrade policy have their instances upgraded to the new model as `upgrade_instances` says: by default " +
			"only when no other model change is staged on the scale set.\n\n" +
			"Plan checks each assignment against what the target will have once the whole configuration is applied, not only " +
			"against what Azure has now: galleries, applications and versions created in the same configuration are seen " +
			"(their IDs are known at plan), and every assignment the plan adds or removes is counted. The checks: the version " +
			"is replicated to the target's region, the application is built for the target's OS, one version of an " +
			"application per target, at most `service_limits.max_applications_per_vm` applications per target, the VM agent, " +
			"and the `configuration_reference` blob. What plan cannot see (objects of another configuration or workspace, " +
			"values only known at apply) is checked at apply, before anything is written.\n\n" +
			"At apply, the changes one apply makes to a target are written together, in one update of its application " +
			"profile, and all or nothing: when one of them fails its checks, none of them is written to that target.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: descID,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"target_id": schema.StringAttribute{
				MarkdownDescription: descTargetID,
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				Validators:          []validator.String{validate.TargetID()},
				PlanModifiers:       []planmodifier.String{framework.RequiresReplaceIfIDChanged()},
			},
			"version_id": schema.StringAttribute{
				MarkdownDescription: descVersionID,
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				Validators:          []validator.String{validate.VersionID()},
				PlanModifiers:       []planmodifier.String{requiresReplaceIfApplicationChanged()},
			},
			"application_id": schema.StringAttribute{
				MarkdownDescription: descApplicationID,
				Computed:            true,
				CustomType:          customtypes.ARMIDType{},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"order": schema.Int32Attribute{
				MarkdownDescription: descOrder,
				Optional:            true,
				Validators:          []validator.Int32{int32validator.AtLeast(0)},
			},
			"configuration_reference": schema.StringAttribute{
				MarkdownDescription: descConfigRef,
				Optional:            true,
				Sensitive:           true,
			},
			"tags": schema.StringAttribute{
				MarkdownDescription: descTags,
				Optional:            true,
			},
			"treat_failure_as_deployment_failure": schema.BoolAttribute{
				MarkdownDescription: descTreatFailure,
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"enable_automatic_upgrade": schema.BoolAttribute{
				MarkdownDescription: descAutoUpgrade,
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"wait_for_install": schema.BoolAttribute{
				MarkdownDescription: descWaitForInstall,
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"reinstall_on_failure": schema.BoolAttribute{
				MarkdownDescription: descReinstall,
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"upgrade_instances": schema.StringAttribute{
				MarkdownDescription: descUpgrade,
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(UpgradeAuto),
				Validators:          []validator.String{stringvalidator.OneOf(upgradeModes...)},
			},
			"max_batch_instance_percent": schema.Int32Attribute{
				MarkdownDescription: descBatchPercent,
				Optional:            true,
				Validators:          []validator.Int32{int32validator.Between(1, 100)},
			},
			"install_status": schema.StringAttribute{
				MarkdownDescription: descInstallStatus,
				Computed:            true,
			},
			"install_message": schema.StringAttribute{
				MarkdownDescription: descInstallMessage,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": framework.TimeoutsBlock(ctx),
		},
	}
}

func dataSourceSchema() dsschema.Schema {
	return dsschema.Schema{
		MarkdownDescription: "Lists the VM applications assigned to a virtual machine or VM scale set, with their install status.",
		Attributes: map[string]dsschema.Attribute{
			"id": dsschema.StringAttribute{
				MarkdownDescription: "The ID of the target.",
				Computed:            true,
			},
			"target_id": dsschema.StringAttribute{
				MarkdownDescription: "The ID of the virtual machine or VM scale set.",
				Required:            true,
				CustomType:          customtypes.ARMIDType{},
				Validators:          []validator.String{validate.TargetID()},
			},
			"applications": dsschema.ListNestedAttribute{
				MarkdownDescription: "The applications in the target's application profile, in the profile's order.",
				Computed:            true,
				NestedObject: dsschema.NestedAttributeObject{
					Attributes: map[string]dsschema.Attribute{
						"application_id":                      dsschema.StringAttribute{MarkdownDescription: descApplicationID, Computed: true},
						"version_id":                          dsschema.StringAttribute{MarkdownDescription: "The ID of the assigned application version.", Computed: true},
						"order":                               dsschema.Int32Attribute{MarkdownDescription: descOrder, Computed: true},
						"treat_failure_as_deployment_failure": dsschema.BoolAttribute{MarkdownDescription: descTreatFailure, Computed: true},
						"enable_automatic_upgrade":            dsschema.BoolAttribute{MarkdownDescription: descAutoUpgrade, Computed: true},
						"install_status":                      dsschema.StringAttribute{MarkdownDescription: descInstallStatus, Computed: true},
						"install_message":                     dsschema.StringAttribute{MarkdownDescription: descInstallMessage, Computed: true},
					},
				},
			},
		},
	}
}

// requiresReplaceIfApplicationChanged replaces the assignment only when the new version
// belongs to another application; another version of the same application updates in place.
func requiresReplaceIfApplicationChanged() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		before, err1 := ids.ParseVersion(req.StateValue.ValueString())
		after, err2 := ids.ParseVersion(req.PlanValue.ValueString())
		resp.RequiresReplace = err1 != nil || err2 != nil || !azure.IDsEqual(before.Parent().String(), after.Parent().String())
	}, "Changing to a version of another application replaces the assignment.", "Changing to a version of another application replaces the assignment.")
}
