package application

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

// ApplicationResourceModel is the Terraform state of an azvmapps_application.
type ApplicationResourceModel struct {
	ID                  types.String         `tfsdk:"id"`
	Name                types.String         `tfsdk:"name"`
	GalleryID           customtypes.ARMID    `tfsdk:"gallery_id"`
	Location            customtypes.Location `tfsdk:"location"`
	SupportedOSType     types.String         `tfsdk:"supported_os_type"`
	Description         types.String         `tfsdk:"description"`
	Eula                types.String         `tfsdk:"eula"`
	PrivacyStatementURI types.String         `tfsdk:"privacy_statement_uri"`
	ReleaseNoteURI      types.String         `tfsdk:"release_note_uri"`
	EndOfLifeDate       types.String         `tfsdk:"end_of_life_date"`
	CustomActions       []customActionModel  `tfsdk:"custom_action"`
	Tags                types.Map            `tfsdk:"tags"`
	Timeouts            timeouts.Value       `tfsdk:"timeouts"`
}

// ApplicationDataSourceModel is the state of the azvmapps_application data source: every
// attribute of the resource, without timeouts.
type ApplicationDataSourceModel struct {
	ID                  types.String         `tfsdk:"id"`
	Name                types.String         `tfsdk:"name"`
	GalleryID           customtypes.ARMID    `tfsdk:"gallery_id"`
	Location            customtypes.Location `tfsdk:"location"`
	SupportedOSType     types.String         `tfsdk:"supported_os_type"`
	Description         types.String         `tfsdk:"description"`
	Eula                types.String         `tfsdk:"eula"`
	PrivacyStatementURI types.String         `tfsdk:"privacy_statement_uri"`
	ReleaseNoteURI      types.String         `tfsdk:"release_note_uri"`
	EndOfLifeDate       types.String         `tfsdk:"end_of_life_date"`
	CustomActions       []customActionModel  `tfsdk:"custom_action"`
	Tags                types.Map            `tfsdk:"tags"`
}

// customActionModel is one custom_action block.
type customActionModel struct {
	Name        types.String     `tfsdk:"name"`
	Script      types.String     `tfsdk:"script"`
	Description types.String     `tfsdk:"description"`
	Parameters  []parameterModel `tfsdk:"parameter"`
}

// parameterModel is one parameter block of a custom action.
type parameterModel struct {
	Name         types.String `tfsdk:"name"`
	Type         types.String `tfsdk:"type"`
	Required     types.Bool   `tfsdk:"required"`
	DefaultValue types.String `tfsdk:"default_value"`
	Description  types.String `tfsdk:"description"`
}

func (m ApplicationResourceModel) toDataSourceModel() ApplicationDataSourceModel {
	return ApplicationDataSourceModel{
		ID:                  m.ID,
		Name:                m.Name,
		GalleryID:           m.GalleryID,
		Location:            m.Location,
		SupportedOSType:     m.SupportedOSType,
		Description:         m.Description,
		Eula:                m.Eula,
		PrivacyStatementURI: m.PrivacyStatementURI,
		ReleaseNoteURI:      m.ReleaseNoteURI,
		EndOfLifeDate:       m.EndOfLifeDate,
		CustomActions:       m.CustomActions,
		Tags:                m.Tags,
	}
}
