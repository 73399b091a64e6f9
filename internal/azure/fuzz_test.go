package azure

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const fuzzGalleryType = "Microsoft.Compute/galleries/applications"

// FuzzParseTypedID: any string either parses as the requested type, with a resource group,
// and formats back to an ID that parses the same; or fails with the expected format. It
// never panics.
func FuzzParseTypedID(f *testing.F) {
	for _, s := range []string{
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/applications/a",
		"/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/microsoft.compute/GALLERIES/g/APPLICATIONS/a/",
		"/subscriptions/s/resourceGroups/ȺȺȺ/providers/Microsoft.Compute/galleries/g/applications/a",
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/applications/a/versions/1.0.0",
		"/subscriptions/s/providers/Microsoft.Compute/galleries/g/applications/a",
		"/subscriptions//resourceGroups//providers/Microsoft.Compute/galleries//applications/",
		"", "/", "//", "|", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		parsed, err := ParseTypedID(id, fuzzGalleryType, "<format>")
		if err != nil {
			if !strings.Contains(err.Error(), "<format>") {
				t.Fatalf("the error must show the expected format: %v", err)
			}
			return
		}
		if !strings.EqualFold(parsed.ResourceType.String(), fuzzGalleryType) || parsed.ResourceGroupName == "" {
			t.Fatalf("accepted %q as %s in group %q", id, parsed.ResourceType, parsed.ResourceGroupName)
		}
		again, err := ParseTypedID(parsed.String(), fuzzGalleryType, "<format>")
		if err != nil {
			t.Fatalf("%q parsed, but its formatted form %q does not: %v", id, parsed.String(), err)
		}
		if !IDsEqual(again.String(), parsed.String()) {
			t.Fatalf("formatting is not stable: %q then %q", parsed.String(), again.String())
		}
	})
}

// FuzzNormalizeLocation: normalising is idempotent, has no spaces, and every spelling equals
// its normal form.
func FuzzNormalizeLocation(f *testing.F) {
	for _, s := range []string{"East US 2", "eastus2", " westeurope ", "UK South", "\tnorth europe\n", "", "İstanbul", "Ⱥ Ⱥ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeLocation(s)
		if NormalizeLocation(n) != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, NormalizeLocation(n))
		}
		if strings.Contains(n, " ") {
			t.Fatalf("%q keeps a space: %q", s, n)
		}
		if !LocationsEqual(s, n) || !LocationsEqual(n, s) {
			t.Fatalf("%q and its normal form %q differ", s, n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("valid %q normalised to invalid UTF-8 %q", s, n)
		}
	})
}
