package applicationversion

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

// ApplicationVersionResourceModel is the state of an azvmapps_application_version.
type ApplicationVersionResourceModel struct {
	ID                                 types.String         `tfsdk:"id"`
	Name                               types.String         `tfsdk:"name"`
	ApplicationID                      customtypes.ARMID    `tfsdk:"application_id"`
	Location                           customtypes.Location `tfsdk:"location"`
	Source                             *sourceModel         `tfsdk:"source"`
	ManageActions                      *manageActionsModel  `tfsdk:"manage_actions"`
	Settings                           *settingsModel       `tfsdk:"settings"`
	AdvancedSettings                   types.Map            `tfsdk:"advanced_settings"`
	EnableHealthCheck                  types.Bool           `tfsdk:"enable_health_check"`
	CustomAction                       types.List           `tfsdk:"custom_action"`
	TargetRegion                       types.Set            `tfsdk:"target_region"`
	ReplicaCount                       types.Int64          `tfsdk:"replica_count"`
	StorageAccountType                 types.String         `tfsdk:"storage_account_type"`
	ReplicationMode                    types.String         `tfsdk:"replication_mode"`
	ExcludeFromLatest                  types.Bool           `tfsdk:"exclude_from_latest"`
	EndOfLifeDate                      types.String         `tfsdk:"end_of_life_date"`
	AllowDeletionOfReplicatedLocations types.Bool           `tfsdk:"allow_deletion_of_replicated_locations"`
	WaitForReplication                 types.Bool           `tfsdk:"wait_for_replication"`
	Tags                               types.Map            `tfsdk:"tags"`
	PublishedDate                      types.String         `tfsdk:"published_date"`
	ProvisioningState                  types.String         `tfsdk:"provisioning_state"`
	ReplicationStatus                  types.Object         `tfsdk:"replication_status"`
	Timeouts                           timeouts.Value       `tfsdk:"timeouts"`
}

// sourceModel is the source block. The _wo attributes are write-only: null in plan and state,
// they hold a value only once copied from the configuration (withConfigLinks).
type sourceModel struct {
	MediaLink                         types.String `tfsdk:"media_link"`
	MediaLinkWO                       types.String `tfsdk:"media_link_wo"`
	MediaLinkWOVersion                types.Int64  `tfsdk:"media_link_wo_version"`
	DefaultConfigurationLink          types.String `tfsdk:"default_configuration_link"`
	DefaultConfigurationLinkWO        types.String `tfsdk:"default_configuration_link_wo"`
	DefaultConfigurationLinkWOVersion types.Int64  `tfsdk:"default_configuration_link_wo_version"`
}

type manageActionsModel struct {
	Install types.String `tfsdk:"install"`
	Remove  types.String `tfsdk:"remove"`
	Update  types.String `tfsdk:"update"`
}

type settingsModel struct {
	PackageFileName           types.String `tfsdk:"package_file_name"`
	ConfigFileName            types.String `tfsdk:"config_file_name"`
	ScriptBehaviorAfterReboot types.String `tfsdk:"script_behavior_after_reboot"`
}

type targetRegionModel struct {
	Name                 customtypes.Location `tfsdk:"name"`
	RegionalReplicaCount types.Int64          `tfsdk:"regional_replica_count"`
	StorageAccountType   types.String         `tfsdk:"storage_account_type"`
	ExcludeFromLatest    types.Bool           `tfsdk:"exclude_from_latest"`
}

type customActionModel struct {
	Name        types.String `tfsdk:"name"`
	Script      types.String `tfsdk:"script"`
	Description types.String `tfsdk:"description"`
	Parameter   types.List   `tfsdk:"parameter"`
}

type customActionParameterModel struct {
	Name         types.String `tfsdk:"name"`
	Required     types.Bool   `tfsdk:"required"`
	Type         types.String `tfsdk:"type"`
	DefaultValue types.String `tfsdk:"default_value"`
	Description  types.String `tfsdk:"description"`
}

type replicationStatusModel struct {
	AggregatedState types.String `tfsdk:"aggregated_state"`
	Regions         types.List   `tfsdk:"regions"`
}

type regionalReplicationModel struct {
	Region   types.String `tfsdk:"region"`
	State    types.String `tfsdk:"state"`
	Progress types.Int64  `tfsdk:"progress"`
	Details  types.String `tfsdk:"details"`
}

var targetRegionAttrTypes = map[string]attr.Type{
	"name":                   customtypes.LocationType{},
	"regional_replica_count": types.Int64Type,
	"storage_account_type":   types.StringType,
	"exclude_from_latest":    types.BoolType,
}

var customActionParameterAttrTypes = map[string]attr.Type{
	"name":          types.StringType,
	"required":      types.BoolType,
	"type":          types.StringType,
	"default_value": types.StringType,
	"description":   types.StringType,
}

var customActionAttrTypes = map[string]attr.Type{
	"name":        types.StringType,
	"script":      types.StringType,
	"description": types.StringType,
	"parameter":   types.ListType{ElemType: types.ObjectType{AttrTypes: customActionParameterAttrTypes}},
}

var regionalReplicationAttrTypes = map[string]attr.Type{
	"region":   types.StringType,
	"state":    types.StringType,
	"progress": types.Int64Type,
	"details":  types.StringType,
}

var replicationStatusAttrTypes = map[string]attr.Type{
	"aggregated_state": types.StringType,
	"regions":          types.ListType{ElemType: types.ObjectType{AttrTypes: regionalReplicationAttrTypes}},
}
