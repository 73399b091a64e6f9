package assignment

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

// VMApplicationAssignmentResourceModel is the state of one azvmapps_vm_application_assignment.
type VMApplicationAssignmentResourceModel struct {
	ID                              types.String      `tfsdk:"id"`
	TargetID                        customtypes.ARMID `tfsdk:"target_id"`
	VersionID                       customtypes.ARMID `tfsdk:"version_id"`
	ApplicationID                   customtypes.ARMID `tfsdk:"application_id"`
	Order                           types.Int32       `tfsdk:"order"`
	ConfigurationReference          types.String      `tfsdk:"configuration_reference"`
	Tags                            types.String      `tfsdk:"tags"`
	TreatFailureAsDeploymentFailure types.Bool        `tfsdk:"treat_failure_as_deployment_failure"`
	EnableAutomaticUpgrade          types.Bool        `tfsdk:"enable_automatic_upgrade"`
	WaitForInstall                  types.Bool        `tfsdk:"wait_for_install"`
	ReinstallOnFailure              types.Bool        `tfsdk:"reinstall_on_failure"`
	UpgradeInstances                types.String      `tfsdk:"upgrade_instances"`
	MaxBatchInstancePercent         types.Int32       `tfsdk:"max_batch_instance_percent"`
	InstallStatus                   types.String      `tfsdk:"install_status"`
	InstallMessage                  types.String      `tfsdk:"install_message"`
	Timeouts                        timeouts.Value    `tfsdk:"timeouts"`
}

// VMApplicationsDataSourceModel is the state of the azvmapps_vm_applications data source.
type VMApplicationsDataSourceModel struct {
	ID           types.String         `tfsdk:"id"`
	TargetID     customtypes.ARMID    `tfsdk:"target_id"`
	Applications []vmApplicationModel `tfsdk:"applications"`
}

// vmApplicationModel is one application of a target, as the data source lists it.
type vmApplicationModel struct {
	ApplicationID                   types.String `tfsdk:"application_id"`
	VersionID                       types.String `tfsdk:"version_id"`
	Order                           types.Int32  `tfsdk:"order"`
	TreatFailureAsDeploymentFailure types.Bool   `tfsdk:"treat_failure_as_deployment_failure"`
	EnableAutomaticUpgrade          types.Bool   `tfsdk:"enable_automatic_upgrade"`
	InstallStatus                   types.String `tfsdk:"install_status"`
	InstallMessage                  types.String `tfsdk:"install_message"`
}
