package applicationversion

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/convert"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

// flattenVersion turns the service's version into the resource model. prior is the state or
// plan it replaces: where the service spells a value differently ("East US 2" for "eastus2"),
// or fills in a default the configuration left out, prior's form is kept so no diff appears.
func flattenVersion(ctx context.Context, v *armcompute.GalleryApplicationVersion, prior *ApplicationVersionResourceModel) (ApplicationVersionResourceModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if prior == nil {
		prior = &ApplicationVersionResourceModel{}
	}
	m := ApplicationVersionResourceModel{
		ID:                 prior.ID,
		Name:               types.StringPointerValue(v.Name),
		ApplicationID:      prior.ApplicationID,
		Location:           prior.Location,
		WaitForReplication: prior.WaitForReplication,
		Timeouts:           prior.Timeouts,
	}
	if v.ID != nil && (m.ID.IsNull() || m.ID.IsUnknown() || !azure.IDsEqual(m.ID.ValueString(), *v.ID)) {
		m.ID = types.StringValue(*v.ID) // keep the planned spelling of the ID unless Azure names another resource
	}
	if m.WaitForReplication.IsNull() || m.WaitForReplication.IsUnknown() {
		m.WaitForReplication = types.BoolValue(true)
	}
	if v.ID != nil {
		if id, err := ids.ParseVersion(*v.ID); err == nil {
			if app := id.Parent().String(); m.ApplicationID.IsNull() || m.ApplicationID.IsUnknown() || !azure.IDsEqual(m.ApplicationID.ValueString(), app) {
				m.ApplicationID = customtypes.NewARMID(app)
			}
		}
	}
	if v.Location != nil && (m.Location.IsNull() || m.Location.IsUnknown() || !azure.LocationsEqual(m.Location.ValueString(), *v.Location)) {
		m.Location = customtypes.NewLocation(azure.NormalizeLocation(*v.Location))
	}
	tags, d := convert.FlattenStringMap(ctx, v.Tags, prior.Tags)
	diags.Append(d...)
	m.Tags = tags

	props := v.Properties
	if props == nil {
		props = &armcompute.GalleryApplicationVersionProperties{}
	}
	m.ProvisioningState = types.StringNull()
	if props.ProvisioningState != nil {
		m.ProvisioningState = types.StringValue(string(*props.ProvisioningState))
	}
	m.AllowDeletionOfReplicatedLocations = types.BoolValue(false)
	if sp := props.SafetyProfile; sp != nil && sp.AllowDeletionOfReplicatedLocations != nil {
		m.AllowDeletionOfReplicatedLocations = types.BoolValue(*sp.AllowDeletionOfReplicatedLocations)
	} else if b := prior.AllowDeletionOfReplicatedLocations; !b.IsNull() && !b.IsUnknown() {
		m.AllowDeletionOfReplicatedLocations = b
	}
	rs, d := flattenReplicationStatus(props.ReplicationStatus)
	diags.Append(d...)
	m.ReplicationStatus = rs

	pp := props.PublishingProfile
	if pp == nil {
		pp = &armcompute.GalleryApplicationVersionPublishingProfile{}
	}
	m.Source = flattenSource(pp.Source, prior.Source)
	if ma := pp.ManageActions; ma != nil {
		m.ManageActions = &manageActionsModel{
			Install: types.StringPointerValue(ma.Install),
			Remove:  types.StringPointerValue(ma.Remove),
			Update:  emptyAsNull(ma.Update),
		}
	}
	m.Settings = flattenSettings(pp.Settings, prior.Settings)
	adv, d := convert.FlattenStringMap(ctx, pp.AdvancedSettings, prior.AdvancedSettings)
	diags.Append(d...)
	m.AdvancedSettings = adv
	m.EnableHealthCheck = types.BoolValue(pp.EnableHealthCheck != nil && *pp.EnableHealthCheck)
	m.ExcludeFromLatest = types.BoolValue(pp.ExcludeFromLatest != nil && *pp.ExcludeFromLatest)
	m.ReplicaCount = types.Int64Value(1)
	if pp.ReplicaCount != nil {
		m.ReplicaCount = types.Int64Value(int64(*pp.ReplicaCount))
	}
	m.StorageAccountType = keepIfAbsent(enumString(pp.StorageAccountType), prior.StorageAccountType)
	m.ReplicationMode = keepIfAbsent(enumString(pp.ReplicationMode), prior.ReplicationMode)
	m.EndOfLifeDate = convert.FlattenTime(pp.EndOfLifeDate, prior.EndOfLifeDate)
	m.PublishedDate = convert.FlattenTime(pp.PublishedDate, types.StringNull())

	priorRegions, d := targetRegions(ctx, prior.TargetRegion)
	diags.Append(d...)
	regions, d := flattenTargetRegions(pp, priorRegions)
	diags.Append(d...)
	m.TargetRegion = regions

	actions, d := flattenCustomActions(pp.CustomActions)
	diags.Append(d...)
	m.CustomAction = actions
	return m, diags
}

// flattenSource reads the links back. A link given write-only (its version set in prior)
// stays null: the service returns the link with its SAS token, which must not reach the state.
func flattenSource(s *armcompute.UserArtifactSource, prior *sourceModel) *sourceModel {
	if s == nil {
		if prior == nil {
			return nil
		}
		kept := *prior
		kept.MediaLinkWO, kept.DefaultConfigurationLinkWO = types.StringNull(), types.StringNull()
		return &kept
	}
	out := &sourceModel{MediaLink: types.StringPointerValue(s.MediaLink), DefaultConfigurationLink: emptyAsNull(s.DefaultConfigurationLink)}
	// The service may leave links out of its answers; keep what was sent then.
	if prior != nil {
		if s.MediaLink == nil {
			out.MediaLink = prior.MediaLink
		}
		if s.DefaultConfigurationLink == nil && !prior.DefaultConfigurationLink.IsUnknown() {
			out.DefaultConfigurationLink = prior.DefaultConfigurationLink
		}
		out.MediaLinkWOVersion, out.DefaultConfigurationLinkWOVersion = prior.MediaLinkWOVersion, prior.DefaultConfigurationLinkWOVersion
		if !prior.MediaLinkWOVersion.IsNull() {
			out.MediaLink = types.StringNull()
		}
		if !prior.DefaultConfigurationLinkWOVersion.IsNull() {
			out.DefaultConfigurationLink = types.StringNull()
		}
	}
	return out
}

func flattenSettings(s *armcompute.UserArtifactSettings, prior *settingsModel) *settingsModel {
	out := &settingsModel{PackageFileName: types.StringNull(), ConfigFileName: types.StringNull(), ScriptBehaviorAfterReboot: types.StringNull()}
	if s != nil {
		out.PackageFileName = emptyAsNull(s.PackageFileName)
		out.ConfigFileName = emptyAsNull(s.ConfigFileName)
		out.ScriptBehaviorAfterReboot = enumString(s.ScriptBehaviorAfterReboot)
	}
	if prior == nil && out.PackageFileName.IsNull() && out.ConfigFileName.IsNull() && out.ScriptBehaviorAfterReboot.IsNull() {
		return nil
	}
	return out
}

// flattenTargetRegions keeps storage_account_type and exclude_from_latest of a region null
// when the configuration left them out and the service only filled in the value inherited
// from the version (storage_account_type, false). regional_replica_count is always the
// region's count (the version's replica_count when the service leaves it out): the plan fills
// it in the same way when the configuration leaves it out (targetRegionDefaults), so import —
// which cannot know whether the user wrote it — reads back what either configuration plans.
// Region names keep their configured spelling; regions new to the state (import) get the
// short name, "eastus2".
func flattenTargetRegions(pp *armcompute.GalleryApplicationVersionPublishingProfile, prior []targetRegionModel) (types.Set, diag.Diagnostics) {
	elemType := types.ObjectType{AttrTypes: targetRegionAttrTypes}
	var topCount int64 = 1
	if pp.ReplicaCount != nil {
		topCount = int64(*pp.ReplicaCount)
	}
	topStorage := ""
	if pp.StorageAccountType != nil {
		topStorage = string(*pp.StorageAccountType)
	}
	var elems []targetRegionModel
	for _, tr := range pp.TargetRegions {
		if tr == nil || tr.Name == nil {
			continue
		}
		var p *targetRegionModel
		for i := range prior {
			if azure.LocationsEqual(prior[i].Name.ValueString(), *tr.Name) {
				p = &prior[i]
				break
			}
		}
		e := targetRegionModel{
			Name:                 customtypes.NewLocation(azure.NormalizeLocation(*tr.Name)),
			RegionalReplicaCount: types.Int64Null(),
			StorageAccountType:   types.StringNull(),
			ExcludeFromLatest:    types.BoolNull(),
		}
		if p != nil {
			e.Name = p.Name
		}
		wasSet := func(v interface{ IsNull() bool }) bool { return p != nil && !v.IsNull() }
		e.RegionalReplicaCount = types.Int64Value(topCount)
		if tr.RegionalReplicaCount != nil {
			e.RegionalReplicaCount = types.Int64Value(int64(*tr.RegionalReplicaCount))
		}
		if tr.StorageAccountType != nil && (string(*tr.StorageAccountType) != topStorage || (p != nil && wasSet(p.StorageAccountType))) {
			e.StorageAccountType = types.StringValue(string(*tr.StorageAccountType))
		}
		if tr.ExcludeFromLatest != nil && (*tr.ExcludeFromLatest || (p != nil && wasSet(p.ExcludeFromLatest))) {
			e.ExcludeFromLatest = types.BoolValue(*tr.ExcludeFromLatest)
		}
		elems = append(elems, e)
	}
	if elems == nil {
		elems = []targetRegionModel{}
	}
	return types.SetValueFrom(context.Background(), elemType, elems)
}

func flattenCustomActions(actions []*armcompute.GalleryApplicationCustomAction) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	paramType := types.ObjectType{AttrTypes: customActionParameterAttrTypes}
	out := []customActionModel{}
	for _, a := range actions {
		if a == nil {
			continue
		}
		params := []customActionParameterModel{}
		for _, p := range a.Parameters {
			if p == nil {
				continue
			}
			params = append(params, customActionParameterModel{
				Name:         types.StringPointerValue(p.Name),
				Required:     types.BoolPointerValue(p.Required),
				Type:         enumString(p.Type),
				DefaultValue: types.StringPointerValue(p.DefaultValue),
				Description:  types.StringPointerValue(p.Description),
			})
		}
		pl, d := types.ListValueFrom(context.Background(), paramType, params)
		diags.Append(d...)
		out = append(out, customActionModel{
			Name:        types.StringPointerValue(a.Name),
			Script:      types.StringPointerValue(a.Script),
			Description: types.StringPointerValue(a.Description),
			Parameter:   pl,
		})
	}
	l, d := types.ListValueFrom(context.Background(), types.ObjectType{AttrTypes: customActionAttrTypes}, out)
	diags.Append(d...)
	return l, diags
}

func flattenReplicationStatus(rs *armcompute.ReplicationStatus) (types.Object, diag.Diagnostics) {
	if rs == nil {
		return types.ObjectNull(replicationStatusAttrTypes), nil
	}
	var diags diag.Diagnostics
	regions := []regionalReplicationModel{}
	for _, s := range rs.Summary {
		if s == nil {
			continue
		}
		r := regionalReplicationModel{
			Region:   types.StringPointerValue(s.Region),
			State:    enumString(s.State),
			Progress: types.Int64Null(),
			Details:  redacted(s.Details),
		}
		if s.Progress != nil {
			r.Progress = types.Int64Value(int64(*s.Progress))
		}
		regions = append(regions, r)
	}
	l, d := types.ListValueFrom(context.Background(), types.ObjectType{AttrTypes: regionalReplicationAttrTypes}, regions)
	diags.Append(d...)
	o, d := types.ObjectValueFrom(context.Background(), replicationStatusAttrTypes, replicationStatusModel{
		AggregatedState: enumString(rs.AggregatedState),
		Regions:         l,
	})
	diags.Append(d...)
	return o, diags
}

func keepIfAbsent(v types.String, prior types.String) types.String {
	if v.IsNull() && !prior.IsUnknown() {
		return prior
	}
	return v
}

func enumString[T ~string](p *T) types.String {
	if p == nil || *p == "" {
		return types.StringNull()
	}
	return types.StringValue(string(*p))
}

func emptyAsNull(p *string) types.String {
	if p == nil || *p == "" {
		return types.StringNull()
	}
	return types.StringValue(*p)
}

// redacted maps the service's free text (replication details can quote a package link with
// its SAS token) to a string without secrets; nil stays null.
func redacted(s *string) types.String {
	if s == nil {
		return types.StringNull()
	}
	return types.StringValue(clients.Redact(*s))
}
