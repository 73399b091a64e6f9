package validate

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// FuzzParseVersionName: a version name either parses into three int32 parts that format back
// to the same version, or is rejected by the validator with an attribute error. It never
// panics.
func FuzzParseVersionName(f *testing.F) {
	for _, s := range []string{"1.0.0", "0.0.0", "2147483647.2147483647.2147483647", "2147483648.0.0", "01.002.0003",
		"1.0", "1.0.0.0", "1..0", "-1.0.0", "+1.0.0", " 1.0.0", "1.0.0 ", "１.０.０", "99999999999999999999.0.0", "", ".", "\xff.0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersionName(s)
		resp := &validator.StringResponse{}
		VersionName().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("name"), ConfigValue: types.StringValue(s)}, resp)
		if (err != nil) != resp.Diagnostics.HasError() {
			t.Fatalf("ParseVersionName(%q) error %v, but the validator says error=%v", s, err, resp.Diagnostics.HasError())
		}
		if err != nil {
			return
		}
		for i, p := range v {
			if p < 0 {
				t.Fatalf("%q: part %d is negative: %d", s, i, p)
			}
		}
		canonical := fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2])
		again, err := ParseVersionName(canonical)
		if err != nil || again.Compare(v) != 0 {
			t.Fatalf("%q parsed as %v, but %q parses as %v, %v", s, v, canonical, again, err)
		}
		if strings.Count(s, ".") != 2 {
			t.Fatalf("%q accepted without exactly two dots", s)
		}
	})
}
