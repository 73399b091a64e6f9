package validate

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestParseVersionName(t *testing.T) {
	cases := []struct {
		in      string
		want    Version
		wantErr string
	}{
		{in: "1.0.0", want: Version{1, 0, 0}},
		{in: "0.0.0", want: Version{0, 0, 0}},
		{in: "2147483647.2147483647.2147483647", want: Version{2147483647, 2147483647, 2147483647}},
		{in: "01.002.3", want: Version{1, 2, 3}},
		{in: "2147483648.0.0", wantErr: "larger than 2147483647"},
		{in: "1.0.99999999999999999999", wantErr: "larger than 2147483647"},
		{in: "1.0", wantErr: "Major.Minor.Patch"},
		{in: "1.0.0.0", wantErr: "Major.Minor.Patch"},
		{in: "v1.0.0", wantErr: "not a whole number"},
		{in: "1.-1.0", wantErr: "not a whole number"},
		{in: "1..0", wantErr: "not a whole number"},
		{in: "1.0.0-beta", wantErr: "not a whole number"},
		{in: "", wantErr: "Major.Minor.Patch"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseVersionName(c.in)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("ParseVersionName(%q) error = %v, want one containing %q", c.in, err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("ParseVersionName(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
		})
	}
}

func TestVersionCompare(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.0.0", "1.0.0", 0},
		{"1.0.10", "1.0.9", 1},
		{"1.2.0", "1.10.0", -1},
		{"2.0.0", "1.99.99", 1},
	}
	for _, c := range cases {
		a, _ := ParseVersionName(c.a)
		b, _ := ParseVersionName(c.b)
		if got := a.Compare(b); got != c.want {
			t.Errorf("%s vs %s = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestVersionNameValidator(t *testing.T) {
	cases := []struct {
		value   types.String
		wantErr bool
	}{
		{types.StringValue("1.2.3"), false},
		{types.StringNull(), false},
		{types.StringUnknown(), false},
		{types.StringValue("1.2"), true},
		{types.StringValue("4294967296.0.0"), true},
	}
	for _, c := range cases {
		resp := &validator.StringResponse{}
		VersionName().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("name"), ConfigValue: c.value}, resp)
		if resp.Diagnostics.HasError() != c.wantErr {
			t.Errorf("%s: error = %v, want %v", c.value, resp.Diagnostics, c.wantErr)
		}
	}
}
