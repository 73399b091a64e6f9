package azure

import (
	"strings"
	"testing"
	"unicode/utf8"
)

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
