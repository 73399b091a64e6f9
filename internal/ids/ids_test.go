package ids

import (
	"strings"
	"testing"
)

const (
	sub     = "00000000-0000-0000-0000-00000000000b"
	gallery = "/subscriptions/" + sub + "/resourceGroups/RG1/providers/Microsoft.Compute/galleries/gal1"
	app     = gallery + "/applications/App1"
	version = app + "/versions/1.2.3"
	vm      = "/subscriptions/" + sub + "/resourceGroups/rg2/providers/Microsoft.Compute/virtualMachines/vm1"
	vmss    = "/subscriptions/" + sub + "/resourceGroups/rg2/providers/Microsoft.Compute/virtualMachineScaleSets/ss1"
)

// Each parser takes its own type in any keyword casing, keeps the names as written, formats
// the canonical spelling back, and refuses every other shape with the expected format.
func TestParse(t *testing.T) {
	type parser struct {
		name   string
		parse  func(string) (ID, error)
		format string
	}
	galleryP := parser{"gallery", func(s string) (ID, error) { return ParseGallery(s) }, GalleryFormat}
	appP := parser{"application", func(s string) (ID, error) { return ParseApplication(s) }, ApplicationFormat}
	versionP := parser{"version", func(s string) (ID, error) { return ParseVersion(s) }, VersionFormat}
	targetP := parser{"target", func(s string) (ID, error) { return ParseTarget(s) }, TargetFormat}
	all := []parser{galleryP, appP, versionP, targetP}

	for _, tc := range []struct {
		in, canonical string
		accepts       parser
		want          ID
	}{
		{in: gallery, canonical: gallery, accepts: galleryP, want: Gallery{sub, "RG1", "gal1"}},
		{in: gallery + "/", canonical: gallery, accepts: galleryP, want: Gallery{sub, "RG1", "gal1"}},
		{in: strings.ToLower(gallery), canonical: "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Compute/galleries/gal1",
			accepts: galleryP, want: Gallery{sub, "rg1", "gal1"}},
		{in: strings.ToUpper(app), canonical: "/subscriptions/" + strings.ToUpper(sub) + "/resourceGroups/RG1/providers/Microsoft.Compute/galleries/GAL1/applications/APP1",
			accepts: appP, want: Application{strings.ToUpper(sub), "RG1", "GAL1", "APP1"}},
		{in: app, canonical: app, accepts: appP, want: Application{sub, "RG1", "gal1", "App1"}},
		{in: version, canonical: version, accepts: versionP, want: Version{sub, "RG1", "gal1", "App1", "1.2.3"}},
		{in: strings.ReplaceAll(version, "resourceGroups", "resourcegroups"), canonical: version, accepts: versionP, want: Version{sub, "RG1", "gal1", "App1", "1.2.3"}},
		{in: vm, canonical: vm, accepts: targetP, want: Target{VM, sub, "rg2", "vm1"}},
		{in: strings.ReplaceAll(vmss, "virtualMachineScaleSets", "virtualmachinescalesets"), canonical: vmss, accepts: targetP, want: Target{ScaleSet, sub, "rg2", "ss1"}},
		{in: "/subscriptions/s/resourceGroups/İrg/providers/Microsoft.Compute/galleries/g/applications/a", accepts: appP,
			canonical: "/subscriptions/s/resourceGroups/İrg/providers/Microsoft.Compute/galleries/g/applications/a", want: Application{"s", "İrg", "g", "a"}},
	} {
		for _, p := range all {
			got, err := p.parse(tc.in)
			if p.name != tc.accepts.name {
				if err == nil || !strings.Contains(err.Error(), p.format) || !strings.Contains(err.Error(), tc.in) {
					t.Errorf("%s parser took %q (%v, %v); want an error quoting it and showing %s", p.name, tc.in, got, err, p.format)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s parser: %q: %v", p.name, tc.in, err)
				continue
			}
			if got != tc.want || got.String() != tc.canonical {
				t.Errorf("%s parser: %q = %#v (%s), want %#v (%s)", p.name, tc.in, got, got, tc.want, tc.canonical)
			}
			again, err := p.parse(got.String())
			if err != nil || again != got {
				t.Errorf("%s parser: %q does not round-trip: %#v, %v", p.name, got, again, err)
			}
		}
	}
}

func TestParseRefusesMalformed(t *testing.T) {
	for _, bad := range []string{
		"", "/", "gal1", "|",
		strings.TrimPrefix(gallery, "/"),                                            // not rooted
		"/subscriptions//resourceGroups/rg/providers/Microsoft.Compute/galleries/g", // empty subscription
		"/subscriptions/s/resourceGroups//providers/Microsoft.Compute/galleries/g",  // empty group
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/", // empty name
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries//",
		"/subscriptions/s/providers/Microsoft.Compute/galleries/g",                            // no group
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/galleries/g",          // another provider
		"/subscriptions/s/resourceGroups/rg/galleries/g/providers/Microsoft.Compute",          // segments out of order
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g//",        // two trailing slashes
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/x/y",      // a child of another type
		"/tenants/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g",                // not a subscription
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/images/g",             // another type
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i", // image definition
	} {
		if g, err := ParseGallery(bad); err == nil {
			t.Errorf("ParseGallery(%q) = %#v; want an error", bad, g)
		} else if !strings.Contains(err.Error(), GalleryFormat) {
			t.Errorf("ParseGallery(%q): the error does not show the format: %v", bad, err)
		}
	}
	for _, bad := range []string{gallery, gallery + "/applications", version, app + "/versions"} {
		if _, err := ParseApplication(bad); err == nil {
			t.Errorf("ParseApplication(%q) succeeded", bad)
		}
	}
	for _, bad := range []string{app, version + "/x", app + "/versions/"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) succeeded", bad)
		}
	}
	for _, bad := range []string{gallery, vm + "/extensions/e", vmss + "/virtualMachines/0"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) succeeded", bad)
		}
	}
}

func TestParents(t *testing.T) {
	v, err := ParseVersion(version)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Parent(); got.String() != app {
		t.Errorf("Version.Parent() = %s, want %s", got, app)
	}
	if got := v.Parent().Parent(); got.String() != gallery {
		t.Errorf("Application.Parent() = %s, want %s", got, gallery)
	}
	g, _ := ParseGallery(gallery)
	if got := g.Application("App1").Version("1.2.3"); got != v {
		t.Errorf("Gallery.Application().Version() = %#v, want %#v", got, v)
	}
	for _, tc := range []struct {
		id   ID
		want string
	}{{v, sub}, {v.Parent(), sub}, {g, sub}, {Target{ScaleSet, "other", "rg", "ss"}, "other"}} {
		if tc.id.Subscription() != tc.want {
			t.Errorf("%s: Subscription() = %q, want %q", tc.id, tc.id.Subscription(), tc.want)
		}
	}
}

func TestParseAssignment(t *testing.T) {
	for _, tc := range []struct {
		id, want, wantErr string
		scaleSet          bool
	}{
		{id: vm + "|" + app, want: vm + "|" + app},
		{id: vmss + "|" + app, want: vmss + "|" + app, scaleSet: true},
		{id: strings.ToLower(vm) + "|" + app, want: vm + "|" + app},
		{id: vm, wantErr: "is not an assignment ID"},
		{id: vm + "|" + app + "|x", wantErr: "is not an assignment ID"},
		{id: app + "|" + vm, wantErr: "the target part"},
		{id: vm + "|" + version, wantErr: "the application part"},
	} {
		got, err := ParseAssignment(tc.id)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "<target_id>|<application_id>") {
				t.Errorf("ParseAssignment(%q) error = %v, want one containing %q and the format", tc.id, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAssignment(%q): %v", tc.id, err)
			continue
		}
		if got.String() != tc.want || got.Target.IsScaleSet() != tc.scaleSet || got.Subscription() != got.Target.SubscriptionID {
			t.Errorf("ParseAssignment(%q) = %s (scale set %v)", tc.id, got, got.Target.IsScaleSet())
		}
	}
}

// Lower-casing can change a string's length in bytes ("İ" is 2 bytes, "i" 1; "Ⱥ" is 2, "ⱥ"
// 3): the parent comes from the parsed parts, never from an index into a lower-cased copy
// (which cut IDs short, or panicked).
func TestVersionParentNonASCII(t *testing.T) {
	for _, rg := range []string{"İrg", strings.Repeat("İ", 20), strings.Repeat("Ⱥ", 20)} {
		want := "/subscriptions/s/resourceGroups/" + rg + "/providers/Microsoft.Compute/galleries/g/applications/a"
		for _, in := range []string{want + "/versions/1.0.0", strings.Replace(want, "applications", "APPLICATIONS", 1) + "/VERSIONS/1.0.0"} {
			v, err := ParseVersion(in)
			if err != nil || v.Parent().String() != want {
				t.Errorf("ParseVersion(%q).Parent() = %q, %v; want %q", in, v.Parent(), err, want)
			}
		}
	}
	if _, err := ParseVersion("not an id " + strings.Repeat("İ", 20) + "/versions/"); err == nil {
		t.Error("a string that is no version ID parsed as one")
	}
}
