package validate

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestGalleryNameProblem(t *testing.T) {
	cases := []struct {
		name string
		want string // substring of the problem; "" means valid
	}{
		{"gallery1", ""},
		{"My.Gallery_01", ""},
		{"a", ""},
		{"g_", ""},
		{strings.Repeat("a", 80), ""},
		{"", "must not be empty"},
		{strings.Repeat("a", 81), "at most 80 characters"},
		{"my-gallery", "can't contain dashes"},
		{"my gallery", "may contain only letters"},
		{"gallery!", "may contain only letters"},
		{"galérie", "may contain only letters"},
		{".gallery", "must start with a letter or a digit"},
		{"_gallery", "must start with a letter or a digit"},
		{"gallery.", "can't end with a period"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := GalleryNameProblem(tc.name)
			if tc.want == "" && got != "" {
				t.Fatalf("GalleryNameProblem(%q) = %q, want valid", tc.name, got)
			}
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Fatalf("GalleryNameProblem(%q) = %q, want it to mention %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestApplicationNameProblem(t *testing.T) {
	cases := []struct {
		name string
		want string
	}{
		{"app", ""},
		{"my-app.v2_x", ""},
		{"-leading-dash", ""},
		{strings.Repeat("a", 117), ""},
		{"", "must not be empty"},
		{strings.Repeat("a", 118), "at most 117 characters"},
		{"my app", "may contain only letters"},
		{"app/1", "may contain only letters"},
		{"app.", "can't end with a period"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ApplicationNameProblem(tc.name)
			if tc.want == "" && got != "" {
				t.Fatalf("ApplicationNameProblem(%q) = %q, want valid", tc.name, got)
			}
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Fatalf("ApplicationNameProblem(%q) = %q, want it to mention %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestNameValidatorsSkipUnknownAndNull(t *testing.T) {
	for _, v := range []validator.String{GalleryName(), ApplicationName()} {
		for _, val := range []types.String{types.StringNull(), types.StringUnknown()} {
			resp := &validator.StringResponse{}
			v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("name"), ConfigValue: val}, resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("%T on %v: unexpected error %v", v, val, resp.Diagnostics)
			}
		}
	}
}

func TestNameValidatorsReportOnTheAttribute(t *testing.T) {
	resp := &validator.StringResponse{}
	GalleryName().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("name"), ConfigValue: types.StringValue("bad-name")}, resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("want an error for bad-name")
	}
	d := resp.Diagnostics.Errors()[0]
	if !strings.Contains(d.Detail(), "can't contain dashes") || !strings.Contains(d.Detail(), "bad_name") {
		t.Fatalf("detail should say why and suggest a fix: %q", d.Detail())
	}
}
