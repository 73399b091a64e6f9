package applicationversion

import (
	"strings"
	"testing"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
)

// FuzzApplicationIDOf: any string, however cased or encoded, yields an application ID or
// itself, and never panics.
func FuzzApplicationIDOf(f *testing.F) {
	for _, s := range []string{
		testAppID + "/versions/1.0.0",
		testAppID + "/VERSIONS/1.0.0",
		"/subscriptions/s/resourceGroups/" + strings.Repeat("Ⱥ", 20) + "/providers/Microsoft.Compute/galleries/g/applications/a/versions/1.0.0",
		"/versions/",
		"",
		"\xff/versions/\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got := applicationIDOf(id)
		if _, err := azure.ParseTypedID(id, versionType, versionIDFormat); err != nil {
			if got != id {
				t.Fatalf("not a version ID, want it back unchanged; got %q", got)
			}
			return
		}
		if _, err := azure.ParseTypedID(got, applicationType, applicationIDFormat); err != nil {
			t.Fatalf("applicationIDOf(%q) = %q, not an application ID: %v", id, got, err)
		}
	})
}
