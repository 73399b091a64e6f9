package application

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// rfc3339 validates an RFC 3339 timestamp.
func rfc3339() validator.String { return rfc3339Validator{} }

type rfc3339Validator struct{}

func (rfc3339Validator) Description(context.Context) string {
	return "an RFC 3339 date and time, such as 2030-12-31T00:00:00Z"
}
func (v rfc3339Validator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (rfc3339Validator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(time.RFC3339, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid date",
			fmt.Sprintf("%q is not an RFC 3339 date and time. Write it like 2030-12-31T00:00:00Z (UTC) or 2030-12-31T00:00:00+01:00.", req.ConfigValue.ValueString()))
	}
}

// absoluteURI validates an absolute http(s) URI.
func absoluteURI() validator.String { return absoluteURIValidator{} }

type absoluteURIValidator struct{}

func (absoluteURIValidator) Description(context.Context) string {
	return "an absolute URI, such as https://example.com/privacy"
}
func (v absoluteURIValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (absoluteURIValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	u, err := url.Parse(req.ConfigValue.ValueString())
	if err != nil || !u.IsAbs() || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URI",
			fmt.Sprintf("%q is not an absolute URI: write the full address, such as https://example.com/privacy.", req.ConfigValue.ValueString()))
	}
}
