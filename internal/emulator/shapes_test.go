package emulator

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLROShapesAndErrors(t *testing.T) {
	e := startNoStorage(t)
	tok := token(t, e)
	g := e.galleryPath("galShapes")
	gal := map[string]any{"location": "eastus2", "properties": map[string]any{"description": "x"}}

	r := do(t, e, "PUT", withAPI(g, galleryAPI), tok, gal)
	if r.Status != 201 || dig(r.Body, []string{"properties"})["provisioningState"] != "Creating" {
		t.Fatalf("gallery PUT: %d %s", r.Status, r.Raw)
	}
	async := r.Header.Get("Azure-AsyncOperation")
	if !strings.Contains(async, "/capsOperations/") || r.Header.Get("Location") != "" || r.Header.Get("Retry-After") == "" {
		t.Fatalf("gallery PUT headers: %v", r.Header)
	}
	p := do(t, e, "GET", async, tok, nil)
	if p.Status != 200 || p.Body["status"] != "InProgress" || p.Body["startTime"] == nil || p.Body["name"] == nil {
		t.Fatalf("poll: %s", p.Raw)
	}
	time.Sleep(e.cfg.OperationTime)
	p = do(t, e, "GET", async, tok, nil)
	if p.Body["status"] != "Succeeded" || p.Body["endTime"] == nil {
		t.Fatalf("poll done: %s", p.Raw)
	}
	if r = do(t, e, "PUT", withAPI(g, galleryAPI), tok, gal); r.Status != 200 {
		t.Fatalf("second gallery PUT: %d", r.Status)
	}
	// Case-insensitive routing, canonical casing in the answer.
	r = do(t, e, "GET", withAPI(strings.ToUpper(g), galleryAPI), tok, nil)
	if r.Status != 200 || r.Body["id"] != g || r.Body["name"] != "galShapes" {
		t.Fatalf("case-insensitive GET: %d %v", r.Status, r.Body["id"])
	}

	// Applications: synchronous 201 without provisioningState or async headers.
	a := g + "/applications/app-1"
	app := map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}}
	r = do(t, e, "PUT", withAPI(a, galleryAPI), tok, app)
	if r.Status != 201 || r.Header.Get("Azure-AsyncOperation") != "" || r.Header.Get("Location") != "" || strings.Contains(string(r.Raw), "provisioningState") {
		t.Fatalf("app PUT: %d %v %s", r.Status, r.Header, r.Raw)
	}
	if r.Body["type"] != "Microsoft.Compute/galleries/applications" {
		t.Fatalf("app type: %v", r.Body["type"])
	}
	if r = do(t, e, "PUT", withAPI(a, galleryAPI), tok, app); r.Status != 200 {
		t.Fatalf("second app PUT: %d", r.Status)
	}
	r = do(t, e, "PATCH", withAPI(a, galleryAPI), tok, map[string]any{"properties": map[string]any{"description": "new"}})
	if r.Status != 200 || dig(r.Body, []string{"properties"})["description"] != "new" {
		t.Fatalf("app PATCH: %d %s", r.Status, r.Raw)
	}
	r = do(t, e, "PUT", withAPI(a, galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Windows"}})
	if r.Status != 409 || r.errCode() != "PropertyChangeNotAllowed" || r.errField("target") != "galleryApplication.properties.supportedOSType" {
		t.Fatalf("immutable OS type: %d %s", r.Status, r.Raw)
	}

	// Gallery delete with an application → 409 listing nested IDs.
	r = do(t, e, "DELETE", withAPI(g, galleryAPI), tok, nil)
	if r.Status != 409 || r.errCode() != "CannotDeleteResource" || !strings.Contains(r.errField("message"), "Microsoft.Compute/galleries/galShapes/applications/app-1") {
		t.Fatalf("gallery delete with children: %d %s", r.Status, r.Raw)
	}
	// Application delete: synchronous 200, empty body, no operation headers; gone at once.
	r = do(t, e, "DELETE", withAPI(a, galleryAPI), tok, nil)
	if r.Status != 200 || r.Header.Get("Azure-AsyncOperation") != "" || r.Header.Get("Location") != "" || len(r.Raw) != 0 {
		t.Fatalf("app DELETE: %d %v %s", r.Status, r.Header, r.Raw)
	}
	if r := do(t, e, "GET", withAPI(a, galleryAPI), tok, nil); r.Status != 404 || r.errCode() != "ResourceNotFound" {
		t.Fatalf("GET after delete: %d %s", r.Status, r.Raw)
	}
	// The gallery cannot be deleted during the lag, then can.
	if r := do(t, e, "DELETE", withAPI(g, galleryAPI), tok, nil); r.Status != 409 {
		t.Fatalf("gallery delete in lag: %d %s", r.Status, r.Raw)
	}
	time.Sleep(e.cfg.DeleteLag)
	if r := do(t, e, "DELETE", withAPI(g, galleryAPI), tok, nil); r.Status != 202 {
		t.Fatalf("gallery delete: %d %s", r.Status, r.Raw)
	}
	if r := do(t, e, "GET", withAPI(g, galleryAPI), tok, nil); r.Status != 200 || dig(r.Body, []string{"properties"})["provisioningState"] != "Deleting" {
		t.Fatalf("gallery GET while deleting: %d %s", r.Status, r.Raw)
	}
	if r := do(t, e, "DELETE", withAPI(g+"/applications/nope", galleryAPI), tok, nil); r.Status != 204 && r.Status != 404 {
		t.Fatalf("delete missing: %d", r.Status)
	}
}

func TestNameRulesAndNotFound(t *testing.T) {
	e := startNoStorage(t)
	tok := token(t, e)
	for _, bad := range []string{"has-dash", ".start", "end.", strings.Repeat("a", 81), "_under"} {
		r := do(t, e, "PUT", withAPI(e.galleryPath(url.PathEscape(bad)), galleryAPI), tok, map[string]any{"location": "eastus2"})
		if r.Status != 400 || r.errCode() != "InvalidParameter" || r.errField("target") != "galleryName" {
			t.Errorf("gallery name %q: %d %s", bad, r.Status, r.Raw)
		}
	}
	for _, good := range []string{"a", "My.Gallery_1", strings.Repeat("b", 80)} {
		if r := do(t, e, "PUT", withAPI(e.galleryPath(good), galleryAPI), tok, map[string]any{"location": "eastus2"}); r.Status != 201 {
			t.Errorf("gallery name %q: %d %s", good, r.Status, r.Raw)
		}
	}
	g := e.galleryPath("a")
	for _, bad := range []string{"end.", strings.Repeat("x", 118), "sp ace"} {
		r := do(t, e, "PUT", withAPI(g+"/applications/"+url.PathEscape(bad), galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}})
		if r.Status != 400 || r.errField("target") != "galleryApplicationName" {
			t.Errorf("app name %q: %d %s", bad, r.Status, r.Raw)
		}
	}
	do(t, e, "PUT", withAPI(g+"/applications/app", galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}})
	for _, bad := range []string{"1.0", "1.0.0.0", "2147483648.0.0", "a.b.c", "-1.0.0"} {
		r := do(t, e, "PUT", withAPI(g+"/applications/app/versions/"+bad, galleryAPI), tok, map[string]any{"location": "eastus2"})
		if r.Status != 400 || r.errField("target") != "galleryApplicationVersionName" {
			t.Errorf("version name %q: %d %s", bad, r.Status, r.Raw)
		}
	}
	r := do(t, e, "GET", withAPI(e.rgPath("nope")+"/providers/Microsoft.Compute/galleries/a", galleryAPI), tok, nil)
	if r.Status != 404 || r.errCode() != "ResourceGroupNotFound" {
		t.Fatalf("missing rg: %d %s", r.Status, r.Raw)
	}
	r = do(t, e, "PUT", withAPI(e.galleryPath("missing")+"/applications/x", galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}})
	if r.Status != 404 || r.errCode() != "ParentResourceNotFound" {
		t.Fatalf("missing parent: %d %s", r.Status, r.Raw)
	}
	r = do(t, e, "GET", withAPI(e.galleryPath("missing")+"/applications/x", galleryAPI), tok, nil)
	if r.Status != 404 || r.errCode() != "ParentResourceNotFound" {
		t.Fatalf("missing parent GET: %d %s", r.Status, r.Raw)
	}
	r = do(t, e, "GET", withAPI(g+"/applications/nope", galleryAPI), tok, nil)
	if r.Status != 404 || r.errCode() != "ResourceNotFound" {
		t.Fatalf("missing app: %d %s", r.Status, r.Raw)
	}
	// Gallery names are unique per subscription.
	do(t, e, "PUT", withAPI(e.rgPath("rg2"), "2021-04-01"), tok, map[string]any{"location": "westeurope"})
	r = do(t, e, "PUT", withAPI(e.rgPath("rg2")+"/providers/Microsoft.Compute/galleries/A", galleryAPI), tok, map[string]any{"location": "westeurope"})
	if r.Status != 409 {
		t.Fatalf("gallery name taken elsewhere: %d %s", r.Status, r.Raw)
	}
}

func TestAPIVersions(t *testing.T) {
	e := startNoStorage(t)
	tok := token(t, e)
	g := e.galleryPath("galApi")
	for _, v := range GalleryAPIVersions {
		if r := do(t, e, "PUT", withAPI(g, v), tok, map[string]any{"location": "eastus2"}); r.Status != 201 && r.Status != 200 {
			t.Errorf("api-version %s: %d %s", v, r.Status, r.Raw)
		}
	}
	r := do(t, e, "GET", withAPI(g, "2099-01-01"), tok, nil)
	if r.Status != 400 || r.errCode() != "NoRegisteredProviderFound" || !strings.Contains(r.errField("message"), "2026-03-03") {
		t.Fatalf("unknown api-version: %d %s", r.Status, r.Raw)
	}
	if r := do(t, e, "GET", withAPI(g, "latest"), tok, nil); r.Status != 400 || r.errCode() != "InvalidApiVersionParameter" {
		t.Fatalf("malformed api-version: %d %s", r.Status, r.Raw)
	}
	if r := do(t, e, "GET", g, tok, nil); r.Status != 400 || r.errCode() != "MissingApiVersionParameter" {
		t.Fatalf("missing api-version: %d %s", r.Status, r.Raw)
	}
}

func TestShare(t *testing.T) {
	e := startNoStorage(t)
	f := factory(t, e)
	tok := token(t, e)
	g := e.galleryPath("galShare")
	do(t, e, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"})
	r := do(t, e, "POST", withAPI(g+"/share", galleryAPI), tok, map[string]any{"operationType": "Add", "groups": []any{map[string]any{"type": "Subscriptions", "ids": []string{"sub-a", "sub-b"}}, map[string]any{"type": "AADTenants", "ids": []string{"t1"}}}})
	if r.Status != 202 || r.Header.Get("Location") == "" || r.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("share: %d %v %s", r.Status, r.Header, r.Raw)
	}
	plain := do(t, e, "GET", withAPI(g, galleryAPI), tok, nil)
	if strings.Contains(string(plain.Raw), "sub-a") || !strings.Contains(string(plain.Raw), `"permissions":"Groups"`) {
		t.Fatalf("GET without expand: %s", plain.Raw)
	}
	exp := do(t, e, "GET", withAPI(g+"?$expand=SharingProfile/Groups", galleryAPI), tok, nil)
	if !strings.Contains(string(exp.Raw), "sub-b") || !strings.Contains(string(exp.Raw), "t1") {
		t.Fatalf("GET with expand: %s", exp.Raw)
	}
	// Through the SDK: Remove, then Reset.
	sc := f.NewGallerySharingProfileClient()
	for _, op := range []string{"Remove", "Reset"} {
		upd := sharingUpdate(op, "sub-a")
		p, err := sc.BeginUpdate(ctx(t), seedResourceGroup, "galShare", upd, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.PollUntilDone(ctx(t), fastPoll)
		if err != nil {
			t.Fatal(err)
		}
		if res.OperationType == nil {
			t.Fatalf("%s result: %+v", op, res)
		}
	}
	exp = do(t, e, "GET", withAPI(g+"?$select=Permissions", galleryAPI), tok, nil)
	if strings.Contains(string(exp.Raw), "sub-b") || !strings.Contains(string(exp.Raw), `"permissions":"Private"`) {
		t.Fatalf("after reset: %s", exp.Raw)
	}
}
