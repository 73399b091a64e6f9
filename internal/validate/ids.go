package validate

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

// GalleryID checks at plan time that an attribute holds a gallery ID.
func GalleryID() validator.String {
	return idValidator{noun: "gallery", hint: "use azvmapps_gallery.<name>.id", format: ids.GalleryFormat,
		parse: func(s string) error { _, err := ids.ParseGallery(s); return err }}
}

// ApplicationID checks at plan time that an attribute holds a VM application ID.
func ApplicationID() validator.String {
	return idValidator{noun: "application", hint: "use azvmapps_application.<name>.id", format: ids.ApplicationFormat,
		parse: func(s string) error { _, err := ids.ParseApplication(s); return err }}
}

// VersionID checks at plan time that an attribute holds an application version ID.
func VersionID() validator.String {
	return idValidator{noun: "application version", hint: "use azvmapps_application_version.<name>.id", format: ids.VersionFormat,
		parse: func(s string) error { _, err := ids.ParseVersion(s); return err }}
}

// TargetID checks at plan time that an attribute holds the ID of a VM or a VM scale set.
func TargetID() validator.String {
	return idValidator{noun: "target", hint: "use the id of the virtual machine or VM scale set", format: ids.TargetFormat,
		parse: func(s string) error { _, err := ids.ParseTarget(s); return err }}
}

// idValidator reports an ID of the wrong shape or type on its attribute, with the expected
// format (in the parse error) and where to take a valid one from.
type idValidator struct {
	noun, hint, format string
	parse              func(string) error
}

func (v idValidator) Description(context.Context) string {
	article := "a "
	if strings.ContainsRune("aeiou", rune(v.noun[0])) {
		article = "an "
	}
	return "must be " + article + v.noun + " ID: " + v.format
}

func (v idValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v idValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.parse(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.noun+" ID", err.Error()+" ("+v.hint+").")
	}
}
