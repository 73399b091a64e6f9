package emulator

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// azureTimeRe is the service's date-time form: at most seven fractional digits and +00:00.
var azureTimeRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?\+00:00$`)

// versionFixture creates a gallery, a Linux application and version 1.0.0 (waiting for it) and
// returns the version's path.
func versionFixture(t *testing.T, e *Emulator, tok, gallery string, regions ...string) string {
	t.Helper()
	g := e.galleryPath(gallery)
	if r := do(t, e, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"}); r.Status != 201 {
		t.Fatalf("gallery: %d %s", r.Status, r.Raw)
	}
	a := g + "/applications/app"
	if r := do(t, e, "PUT", withAPI(a, galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}}); r.Status != 201 {
		t.Fatalf("application: %d %s", r.Status, r.Raw)
	}
	var trs []any
	for _, r := range regions {
		trs = append(trs, map[string]any{"name": r})
	}
	extra := map[string]any{}
	if len(trs) > 0 {
		extra["targetRegions"] = trs
	}
	v := a + "/versions/1.0.0"
	r := do(t, e, "PUT", withAPI(v, galleryAPI), tok, versionBody("https://example.blob.core.windows.net/c/pkg?sp=r&sig=x", extra))
	if r.Status != 201 {
		t.Fatalf("version: %d %s", r.Status, r.Raw)
	}
	waitSucceeded(t, e, tok, r.Header.Get("Azure-AsyncOperation"))
	return v
}

// waitSucceeded polls an Azure-AsyncOperation URL until it is terminal and expects Succeeded.
func waitSucceeded(t *testing.T, e *Emulator, tok, async string) rawResp {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		p := do(t, e, "GET", async, tok, nil)
		if p.Body["status"] != "InProgress" {
			if p.Body["status"] != "Succeeded" {
				t.Fatalf("operation: %s", p.Raw)
			}
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("operation still InProgress: %s", p.Raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestVersionUpdateIsLongRunning: a PATCH or PUT that changes anything, tags included, answers
// 200 Updating with Azure-AsyncOperation and reaches Succeeded after UpdateTime.
func TestVersionUpdateIsLongRunning(t *testing.T) {
	e := startNoStorage(t, func(c *Config) { c.UpdateTime = 400 * time.Millisecond })
	tok := token(t, e)
	v := versionFixture(t, e, tok, "galUpd")

	start := time.Now()
	r := do(t, e, "PATCH", withAPI(v, galleryAPI), tok, map[string]any{"tags": map[string]any{"k": "v"}})
	async := r.Header.Get("Azure-AsyncOperation")
	if r.Status != 200 || dig(r.Body, []string{"properties"})["provisioningState"] != "Updating" || !strings.Contains(async, "/capsOperations/") {
		t.Fatalf("tag PATCH: %d %v %s", r.Status, r.Header, r.Raw)
	}
	if g := do(t, e, "GET", withAPI(v, galleryAPI), tok, nil); dig(g.Body, []string{"properties"})["provisioningState"] != "Updating" {
		t.Fatalf("GET while updating: %s", g.Raw)
	}
	p := waitSucceeded(t, e, tok, async)
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Fatalf("update finished after %v, before UpdateTime", took)
	}
	for _, k := range []string{"startTime", "endTime"} {
		if s, _ := p.Body[k].(string); !azureTimeRe.MatchString(s) {
			t.Errorf("operation %s %q is not in the service's form", k, s)
		}
	}
	g := do(t, e, "GET", withAPI(v, galleryAPI), tok, nil)
	if dig(g.Body, []string{"properties"})["provisioningState"] != "Succeeded" || asMap(t, g.Body["tags"])["k"] != "v" {
		t.Fatalf("GET after update: %s", g.Raw)
	}

	// A PUT of the same body changes nothing: answered at once.
	same := versionBody("https://example.blob.core.windows.net/c/pkg?sp=r&sig=x", nil)
	same["tags"] = map[string]any{"k": "v"}
	r = do(t, e, "PUT", withAPI(v, galleryAPI), tok, same)
	if r.Status != 200 || r.Header.Get("Azure-AsyncOperation") != "" || dig(r.Body, []string{"properties"})["provisioningState"] != "Succeeded" {
		t.Fatalf("unchanged PUT: %d %v %s", r.Status, r.Header, r.Raw)
	}
	// A PUT that changes only a tag is long-running too.
	same["tags"] = map[string]any{"k": "w"}
	r = do(t, e, "PUT", withAPI(v, galleryAPI), tok, same)
	if r.Status != 200 || r.Header.Get("Azure-AsyncOperation") == "" || dig(r.Body, []string{"properties"})["provisioningState"] != "Updating" {
		t.Fatalf("tag PUT: %d %v %s", r.Status, r.Header, r.Raw)
	}
	waitSucceeded(t, e, tok, r.Header.Get("Azure-AsyncOperation"))

	// The Go SDK's PATCH (200 only) follows the operation to the end.
	c := factory(t, e).NewGalleryApplicationVersionsClient()
	poller, err := c.BeginUpdate(ctx(t), seedResourceGroup, "galUpd", "app", "1.0.0", armcompute.GalleryApplicationVersionUpdate{Tags: map[string]*string{"k": to.Ptr("sdk")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := poller.PollUntilDone(ctx(t), fastPoll)
	if err != nil {
		t.Fatal(err)
	}
	if *res.Properties.ProvisioningState != armcompute.GalleryProvisioningStateSucceeded || *res.Tags["k"] != "sdk" {
		t.Fatalf("SDK update result: %+v", res.Properties)
	}
}

// TestApplicationDeleteIsSynchronous: 200, empty body, no operation headers, gone at once; the
// SDK's poller accepts it.
func TestApplicationDeleteIsSynchronous(t *testing.T) {
	e := startNoStorage(t)
	tok := token(t, e)
	g := e.galleryPath("galAppDel")
	do(t, e, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"})
	for _, api := range GalleryAPIVersions {
		a := g + "/applications/app" + strings.ReplaceAll(api, "-", "")
		if r := do(t, e, "PUT", withAPI(a, api), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}}); r.Status != 201 {
			t.Fatalf("%s: app PUT %d", api, r.Status)
		}
		r := do(t, e, "DELETE", withAPI(a, api), tok, nil)
		if r.Status != 200 || len(r.Raw) != 0 || r.Header.Get("Azure-AsyncOperation") != "" || r.Header.Get("Location") != "" || r.Header.Get("Retry-After") != "" {
			t.Fatalf("%s: app DELETE %d %v %q", api, r.Status, r.Header, r.Raw)
		}
		if r := do(t, e, "GET", withAPI(a, api), tok, nil); r.Status != 404 {
			t.Fatalf("%s: GET after delete %d", api, r.Status)
		}
	}
	c := factory(t, e).NewGalleryApplicationsClient()
	p, err := c.BeginCreateOrUpdate(ctx(t), seedResourceGroup, "galAppDel", "sdk", armcompute.GalleryApplication{Location: to.Ptr("eastus2"),
		Properties: &armcompute.GalleryApplicationProperties{SupportedOSType: to.Ptr(armcompute.OperatingSystemTypesLinux)}}, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx(t), fastPoll)
	}
	if err != nil {
		t.Fatal(err)
	}
	dp, err := c.BeginDelete(ctx(t), seedResourceGroup, "galAppDel", "sdk", nil)
	if err == nil {
		_, err = dp.PollUntilDone(ctx(t), fastPoll)
	}
	if err != nil {
		t.Fatalf("SDK delete: %v", err)
	}
}

// TestGalleryWithoutSharingProfile: the service adds no sharingProfile the request did not have.
func TestGalleryWithoutSharingProfile(t *testing.T) {
	e := startNoStorage(t)
	tok := token(t, e)
	g := e.galleryPath("galNoShare")
	r := do(t, e, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"})
	if r.Status != 201 || strings.Contains(string(r.Raw), "sharingProfile") {
		t.Fatalf("PUT: %d %s", r.Status, r.Raw)
	}
	for _, q := range []string{"", "?$select=Permissions"} {
		if r := do(t, e, "GET", withAPI(g+q, galleryAPI), tok, nil); strings.Contains(string(r.Raw), "sharingProfile") {
			t.Fatalf("GET%s: %s", q, r.Raw)
		}
	}
	shared := e.galleryPath("galShared")
	r = do(t, e, "PUT", withAPI(shared, galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"sharingProfile": map[string]any{"permissions": "Groups"}}})
	if sp := dig(r.Body, []string{"properties", "sharingProfile"}); sp["permissions"] != "Groups" {
		t.Fatalf("PUT with sharingProfile: %s", r.Raw)
	}
}

// TestTimestampsInServiceForm: publishedDate and operation times use seven digits and +00:00.
func TestTimestampsInServiceForm(t *testing.T) {
	e := startNoStorage(t)
	tok := token(t, e)
	v := versionFixture(t, e, tok, "galTime")
	r := do(t, e, "GET", withAPI(v, galleryAPI), tok, nil)
	pub, _ := dig(r.Body, []string{"properties", "publishingProfile"})["publishedDate"].(string)
	if !azureTimeRe.MatchString(pub) {
		t.Fatalf("publishedDate %q is not in the service's form", pub)
	}
	for _, in := range []time.Time{time.Date(2025, 3, 18, 10, 21, 33, 123456789, time.UTC), time.Date(2025, 3, 18, 10, 21, 33, 0, time.FixedZone("x", 3600))} {
		got := string(azureTimestamps([]byte(`{"t":"` + in.Format(time.RFC3339Nano) + `"}`)))
		want := map[bool]string{true: `{"t":"2025-03-18T10:21:33.1234567+00:00"}`, false: `{"t":"2025-03-18T09:21:33+00:00"}`}[in.Nanosecond() != 0]
		if got != want {
			t.Errorf("azureTimestamps(%v) = %s, want %s", in, got, want)
		}
	}
}
