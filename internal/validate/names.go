// Package validate holds the plan-time checks shared by resources: each one fails `terraform
// plan` with a message that says what is wrong and how to fix it, before any call to Azure.
package validate

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// GalleryNameMaxLength is the longest gallery name the service accepts.
const GalleryNameMaxLength = 80

// ApplicationNameMaxLength is the longest application definition name the service accepts.
const ApplicationNameMaxLength = 117

// GalleryNameProblem returns why name is not a valid Azure Compute Gallery name, or "" when it
// is: 1–80 letters, digits, periods and underscores, no dashes, starting with a letter or digit
// and not ending with a period.
func GalleryNameProblem(name string) string {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return "a gallery name must not be empty"
	case n > GalleryNameMaxLength:
		return fmt.Sprintf("a gallery name is at most %d characters long; %q has %d", GalleryNameMaxLength, name, n)
	case strings.Contains(name, "-"):
		return fmt.Sprintf("a gallery name can't contain dashes (%q): use underscores or periods instead, e.g. %q", name, strings.ReplaceAll(name, "-", "_"))
	}
	for _, r := range name {
		if !isASCIILetterOrDigit(r) && r != '.' && r != '_' {
			return fmt.Sprintf("a gallery name may contain only letters, digits, periods (.) and underscores (_); %q contains %q", name, r)
		}
	}
	first, _ := utf8.DecodeRuneInString(name)
	if !isASCIILetterOrDigit(first) {
		return fmt.Sprintf("a gallery name must start with a letter or a digit; %q starts with %q", name, first)
	}
	if strings.HasSuffix(name, ".") {
		return fmt.Sprintf("a gallery name can't end with a period (%q)", name)
	}
	return ""
}

// ApplicationNameProblem returns why name is not a valid VM application definition name, or ""
// when it is: 1–117 letters, digits, hyphens, periods and underscores, not ending with a period.
func ApplicationNameProblem(name string) string {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return "an application name must not be empty"
	case n > ApplicationNameMaxLength:
		return fmt.Sprintf("an application name is at most %d characters long; %q has %d", ApplicationNameMaxLength, name, n)
	}
	for _, r := range name {
		if !isASCIILetterOrDigit(r) && r != '-' && r != '.' && r != '_' {
			return fmt.Sprintf("an application name may contain only letters, digits, hyphens (-), periods (.) and underscores (_); %q contains %q", name, r)
		}
	}
	if strings.HasSuffix(name, ".") {
		return fmt.Sprintf("an application name can't end with a period (%q)", name)
	}
	return ""
}

func isASCIILetterOrDigit(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// GalleryName validates a gallery name at plan time.
func GalleryName() validator.String {
	return nameValidator{kind: "gallery", check: GalleryNameProblem,
		rule: "1-80 letters, digits, periods and underscores, no dashes, starting with a letter or digit and not ending with a period"}
}

// ApplicationName validates a VM application definition name at plan time.
func ApplicationName() validator.String {
	return nameValidator{kind: "application", check: ApplicationNameProblem,
		rule: "1-117 letters, digits, hyphens, periods and underscores, not ending with a period"}
}

type nameValidator struct {
	kind  string
	rule  string
	check func(string) string
}

func (v nameValidator) Description(context.Context) string {
	return fmt.Sprintf("a valid %s name: %s", v.kind, v.rule)
}

func (v nameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v nameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := v.check(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.kind+" name",
			fmt.Sprintf("Azure would reject this %s name: %s.\nA %s name is %s.", v.kind, problem, v.kind, v.rule))
	}
}
