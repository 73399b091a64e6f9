package gallery

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// IDValidator checks at plan time that an attribute holds a gallery ID, for the resources
// nested in a gallery (applications, sharing).
func IDValidator() validator.String { return galleryIDValidator{} }

type galleryIDValidator struct{}

func (galleryIDValidator) Description(context.Context) string {
	return "a gallery ID: " + idFormat
}

func (v galleryIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (galleryIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := ParseGalleryID(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid gallery ID", err.Error())
	}
}
