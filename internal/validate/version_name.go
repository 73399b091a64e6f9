package validate

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Version is a parsed application version name: Major.Minor.Patch, each an int32 >= 0.
type Version [3]int32

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int {
	for i := range v {
		switch {
		case v[i] < o[i]:
			return -1
		case v[i] > o[i]:
			return 1
		}
	}
	return 0
}

// ParseVersionName parses a gallery application version name. The service requires
// Major(int32).Minor(int32).Patch(int32), each between 0 and 2,147,483,647 inclusive.
func ParseVersionName(s string) (Version, error) {
	var v Version
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return v, fmt.Errorf("%q is not of the form Major.Minor.Patch (for example 1.0.0)", s)
	}
	labels := [3]string{"major", "minor", "patch"}
	for i, p := range parts {
		if p == "" || strings.TrimLeft(p, "0123456789") != "" {
			return v, fmt.Errorf("the %s part %q of %q is not a whole number: use Major.Minor.Patch with digits only (for example 1.0.0)", labels[i], p, s)
		}
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n > math.MaxInt32 {
			return v, fmt.Errorf("the %s part %s of %q is larger than 2147483647: each part of a version name must fit in a 32-bit signed integer", labels[i], p, s)
		}
		v[i] = int32(n)
	}
	return v, nil
}

// VersionName validates an application version name (Major.Minor.Patch, int32 parts).
func VersionName() validator.String { return versionNameValidator{} }

type versionNameValidator struct{}

func (versionNameValidator) Description(context.Context) string {
	return "must be Major.Minor.Patch, each part a whole number from 0 to 2147483647"
}

func (v versionNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (versionNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := ParseVersionName(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid application version name",
			"The application version name "+err.Error()+". Azure requires Major(int32).Minor(int32).Patch(int32).")
	}
}
