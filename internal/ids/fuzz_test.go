package ids

import (
	"strings"
	"testing"
)

// FuzzParse: any string either parses as a given type and formats back to an ID that parses
// to the same value (with its parents consistent), or fails with an error showing the
// expected format. No input panics, whatever its bytes (non-ASCII names included).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		gallery, app, version, vm, vmss, vm + "|" + app, vmss + "|" + strings.ToLower(app),
		"/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/microsoft.compute/GALLERIES/g/APPLICATIONS/a/",
		"/subscriptions/s/resourceGroups/ȺȺȺ/providers/Microsoft.Compute/galleries/g/applications/a/versions/1.0.0",
		"/subscriptions/s/resourceGroups/" + strings.Repeat("İ", 20) + "/providers/Microsoft.Compute/virtualMachines/v",
		"/subscriptions//resourceGroups//providers/Microsoft.Compute/galleries//applications/",
		"", "/", "//", "|", "||", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(kind, format string, id ID, err error, reparse func(string) (ID, error)) {
			if err != nil {
				if !strings.Contains(err.Error(), format) {
					t.Fatalf("%s: the error must show the expected format: %v", kind, err)
				}
				return
			}
			if id.Subscription() == "" {
				t.Fatalf("%s: %q parsed with no subscription", kind, s)
			}
			again, err := reparse(id.String())
			if err != nil || again != id {
				t.Fatalf("%s: %q parsed as %#v, but its formatted form %q gives %#v, %v", kind, s, id, id.String(), again, err)
			}
			if !strings.EqualFold(strings.TrimSuffix(s, "/"), id.String()) && kind != "assignment" {
				t.Fatalf("%s: %q formats as %q, more than a change of letter case", kind, s, id.String())
			}
		}
		g, err := ParseGallery(s)
		check("gallery", GalleryFormat, g, err, func(x string) (ID, error) { return ParseGallery(x) })
		a, err := ParseApplication(s)
		check("application", ApplicationFormat, a, err, func(x string) (ID, error) { return ParseApplication(x) })
		if err == nil && a.Parent().Application(a.Name) != a {
			t.Fatalf("the application of %q is not its gallery's application %q", s, a.Name)
		}
		v, err := ParseVersion(s)
		check("version", VersionFormat, v, err, func(x string) (ID, error) { return ParseVersion(x) })
		if err == nil && v.Parent().Version(v.Name) != v {
			t.Fatalf("the version of %q is not its application's version %q", s, v.Name)
		}
		tg, err := ParseTarget(s)
		check("target", TargetFormat, tg, err, func(x string) (ID, error) { return ParseTarget(x) })
		as, err := ParseAssignment(s)
		check("assignment", AssignmentFormat, as, err, func(x string) (ID, error) { return ParseAssignment(x) })
	})
}
