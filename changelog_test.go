package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/provider"
)

// CHANGELOG.md follows HashiCorp's changelog convention for providers, which the registry and
// users expect (https://developer.hashicorp.com/terraform/plugin/best-practices/versioning):
//
//	## X.Y.Z (Unreleased)        or   ## X.Y.Z (Month D, YYYY), newest first
//
//	BREAKING CHANGES: / NOTES: / FEATURES: / ENHANCEMENTS: / BUG FIXES:   (this order, none empty)
//
//	* **New Resource:** `name`     * **New Data Source:** `name`      (FEATURES only)
//	* resource/name: text          * data-source/name: text           * provider: text
//
// with continuation lines indented by two spaces. Names must be ones the provider serves, and
// every resource and data source it serves must have its "New" entry.

var (
	versionHeading = regexp.MustCompile(`^## (\d+)\.(\d+)\.(\d+) \((Unreleased|(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4})\)$`)
	newEntry       = regexp.MustCompile("^\\* \\*\\*New (Resource|Data Source):\\*\\* `([a-z0-9_]+)`$")
	prefixedEntry  = regexp.MustCompile(`^\* (resource/[a-z0-9_]+|data-source/[a-z0-9_]+|[a-z-]+): \S`)
)

// changelogSections are the allowed section headings, in their order.
var changelogSections = []string{"BREAKING CHANGES:", "NOTES:", "FEATURES:", "ENHANCEMENTS:", "BUG FIXES:"}

// changelogSubsystems are the prefixes allowed besides resource/… and data-source/….
var changelogSubsystems = []string{"provider", "docs", "examples", "development"}

// servedTypes returns the resource and data source type names the provider serves.
func servedTypes(t *testing.T) (resources, dataSources []string) {
	t.Helper()
	ctx := context.Background()
	p := provider.New("test")()
	for _, f := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		f().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "azvmapps"}, &resp)
		resources = append(resources, resp.TypeName)
	}
	for _, f := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		f().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "azvmapps"}, &resp)
		dataSources = append(dataSources, resp.TypeName)
	}
	return resources, dataSources
}

// checkChangelog returns what is wrong with a changelog's text.
func checkChangelog(text string, resources, dataSources []string) []string {
	var errs []string
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
	announced := map[string]bool{}
	var prev []int
	section, bullets, versions := -1, 0, 0
	endSection := func(line int) {
		if section >= 0 && bullets == 0 {
			fail(line, "%s has no entries", changelogSections[section])
		}
	}
	inBullet := false
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		n := i + 1
		switch {
		case strings.HasPrefix(line, "## "):
			m := versionHeading.FindStringSubmatch(line)
			if m == nil {
				fail(n, "%q: want ## X.Y.Z (Unreleased) or ## X.Y.Z (Month D, YYYY)", line)
				continue
			}
			endSection(n)
			v := []int{atoi(m[1]), atoi(m[2]), atoi(m[3])}
			if prev != nil && slices.Compare(v, prev) >= 0 {
				fail(n, "version %s is not lower than the one above it", line[3:])
			}
			if m[4] == "Unreleased" && versions > 0 {
				fail(n, "only the newest version may be Unreleased")
			}
			prev, section, bullets, inBullet = v, -1, 0, false
			versions++
		case versions == 0:
			fail(n, "%q before the first version heading", line)
		case line == "":
			inBullet = false
		case slices.Contains(changelogSections, line):
			endSection(n)
			s := slices.Index(changelogSections, line)
			if s <= section {
				fail(n, "%s comes after a later or the same section (order: %s)", line, strings.Join(changelogSections, " "))
			}
			section, bullets = s, 0
		case strings.HasPrefix(line, "* "):
			if section < 0 {
				fail(n, "entry outside a section")
				continue
			}
			bullets, inBullet = bullets+1, true
			if m := newEntry.FindStringSubmatch(line); m != nil {
				served := resources
				if m[1] == "Data Source" {
					served = dataSources
				}
				if !slices.Contains(served, m[2]) {
					fail(n, "%s %q: the provider serves no such %s", m[1], m[2], strings.ToLower(m[1]))
				}
				if changelogSections[section] != "FEATURES:" {
					fail(n, "New %s entries belong under FEATURES:", m[1])
				}
				announced[m[1]+" "+m[2]] = true
				continue
			}
			m := prefixedEntry.FindStringSubmatch(line)
			if m == nil {
				fail(n, "%q: want \"* resource/<name>: \", \"* data-source/<name>: \", \"* <subsystem>: \" or a New Resource/Data Source entry", line)
				continue
			}
			kind, name, _ := strings.Cut(m[1], "/")
			switch {
			case kind == "resource" && !slices.Contains(resources, name):
				fail(n, "resource %q: the provider serves no such resource", name)
			case kind == "data-source" && !slices.Contains(dataSources, name):
				fail(n, "data source %q: the provider serves no such data source", name)
			case name == "" && !slices.Contains(changelogSubsystems, kind):
				fail(n, "prefix %q: want resource/<name>, data-source/<name> or one of %v", kind, changelogSubsystems)
			}
		case strings.HasPrefix(line, "  ") && inBullet:
		default:
			fail(n, "%q: not a heading, a section, an entry or an entry's indented continuation", line)
		}
	}
	endSection(0)
	if versions == 0 {
		errs = append(errs, "no version heading")
	}
	for _, r := range resources {
		if !announced["Resource "+r] {
			errs = append(errs, fmt.Sprintf("no \"* **New Resource:** `%s`\" entry", r))
		}
	}
	for _, d := range dataSources {
		if !announced["Data Source "+d] {
			errs = append(errs, fmt.Sprintf("no \"* **New Data Source:** `%s`\" entry", d))
		}
	}
	return errs
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestChangelog_format(t *testing.T) {
	b, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	resources, dataSources := servedTypes(t)
	if len(resources) == 0 || len(dataSources) == 0 {
		t.Fatalf("the provider serves %d resources and %d data sources", len(resources), len(dataSources))
	}
	for _, e := range checkChangelog(string(b), resources, dataSources) {
		t.Error("CHANGELOG.md " + e)
	}
}

// The checker itself: each rule rejects what it is for.
func TestChangelog_checker(t *testing.T) {
	resources, dataSources := []string{"azvmapps_gallery"}, []string{"azvmapps_galleries"}
	good := "## 1.1.0 (Unreleased)\n\nENHANCEMENTS:\n\n* resource/azvmapps_gallery: a change\n  over two lines.\n" +
		"\n## 1.0.0 (March 3, 2026)\n\nFEATURES:\n\n* **New Resource:** `azvmapps_gallery`\n* **New Data Source:** `azvmapps_galleries`\n" +
		"\nBUG FIXES:\n\n* provider: a fix.\n* data-source/azvmapps_galleries: another.\n"
	if errs := checkChangelog(good, resources, dataSources); len(errs) > 0 {
		t.Fatalf("a well-formed changelog fails: %v", errs)
	}
	for name, tc := range map[string]struct{ from, to, want string }{
		"lower-case unreleased":   {"(Unreleased)", "(unreleased)", "want ## X.Y.Z"},
		"date format":             {"(March 3, 2026)", "(2026-03-03)", "want ## X.Y.Z"},
		"versions not descending": {"## 1.0.0", "## 1.2.0", "not lower"},
		"unknown section":         {"ENHANCEMENTS:", "IMPROVEMENTS:", "not a heading"},
		"section order":           {"BUG FIXES:", "NOTES:", "comes after"},
		"unknown resource":        {"resource/azvmapps_gallery:", "resource/azvmapps_galery:", "no such resource"},
		"unknown data source":     {"data-source/azvmapps_galleries:", "data-source/azvmapps_gallery:", "no such data source"},
		"bare backticked name":    {"* resource/azvmapps_gallery: a change", "* `azvmapps_gallery`: a change", "want \"* resource/<name>: \""},
		"unknown subsystem":       {"* provider: a fix.", "* emulator: a fix.", "prefix \"emulator\""},
		"lower-case New":          {"**New Resource:**", "**New resource:**", "want \"* resource/<name>: \""},
		"missing New entry":       {"* **New Data Source:** `azvmapps_galleries`\n", "", "no \"* **New Data Source:** `azvmapps_galleries`\""},
		"New outside FEATURES":    {"* provider: a fix.", "* **New Data Source:** `azvmapps_galleries`", "belong under FEATURES"},
		"empty section":           {"\nBUG FIXES:\n\n* provider: a fix.\n* data-source/azvmapps_galleries: another.\n", "\nBUG FIXES:\n", "has no entries"},
		"unindented continuation": {"\n  over two lines.", "\nover two lines.", "not a heading"},
	} {
		t.Run(name, func(t *testing.T) {
			bad := strings.Replace(good, tc.from, tc.to, 1)
			if bad == good {
				t.Fatalf("%q is not in the sample", tc.from)
			}
			errs := checkChangelog(bad, resources, dataSources)
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.want) }) {
				t.Errorf("want an error containing %q, got %v", tc.want, errs)
			}
		})
	}
}
