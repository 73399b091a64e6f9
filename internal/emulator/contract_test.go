package emulator

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// example is one REST API example file.
type example struct {
	Parameters map[string]json.RawMessage `json:"parameters"`
	Responses  map[string]struct {
		Body any `json:"body"`
	} `json:"responses"`
}

func loadExample(t *testing.T, name string) example {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rest-api-examples", name))
	if err != nil {
		t.Fatal(err)
	}
	var ex example
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ex
}

func (ex example) param(k string) string {
	var s string
	_ = json.Unmarshal(ex.Parameters[k], &s)
	return s
}

// contractStep is one example request: its file, method, path below Microsoft.Compute and body parameter.
type contractStep struct {
	file, method, path, bodyParam string
}

var contractSteps = []contractStep{
	{"Gallery_Create.json", "PUT", "galleries/{galleryName}", "gallery"},
	{"Gallery_Create_WithSharingProfile.json", "PUT", "galleries/{galleryName}", "gallery"},
	{"Gallery_Get.json", "GET", "galleries/{galleryName}", ""},
	{"Gallery_Update.json", "PATCH", "galleries/{galleryName}", "gallery"},
	{"Gallery_ListByResourceGroup.json", "GET", "galleries", ""},
	{"Gallery_ListBySubscription.json", "GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/galleries", ""},
	{"Gallery_AddToSharingProfile.json", "POST", "galleries/{galleryName}/share", "sharingUpdate"},
	{"Gallery_ResetSharingProfile.json", "POST", "galleries/{galleryName}/share", "sharingUpdate"},
	{"GalleryApplication_Create.json", "PUT", "galleries/{galleryName}/applications/{galleryApplicationName}", "galleryApplication"},
	{"GalleryApplication_Get.json", "GET", "galleries/{galleryName}/applications/{galleryApplicationName}", ""},
	{"GalleryApplication_Update.json", "PATCH", "galleries/{galleryName}/applications/{galleryApplicationName}", "galleryApplication"},
	{"GalleryApplication_ListByGallery.json", "GET", "galleries/{galleryName}/applications", ""},
	{"GalleryApplicationVersion_Create.json", "PUT", "galleries/{galleryName}/applications/{galleryApplicationName}/versions/{galleryApplicationVersionName}", "galleryApplicationVersion"},
	{"GalleryApplicationVersion_Get.json", "GET", "galleries/{galleryName}/applications/{galleryApplicationName}/versions/{galleryApplicationVersionName}", ""},
	{"GalleryApplicationVersion_Get_WithReplicationStatus.json", "GET", "galleries/{galleryName}/applications/{galleryApplicationName}/versions/{galleryApplicationVersionName}", ""},
	{"GalleryApplicationVersion_Update.json", "PATCH", "galleries/{galleryName}/applications/{galleryApplicationName}/versions/{galleryApplicationVersionName}", "galleryApplicationVersion"},
	{"GalleryApplicationVersion_ListByGalleryApplication.json", "GET", "galleries/{galleryName}/applications/{galleryApplicationName}/versions", ""},
	{"GalleryApplicationVersion_Delete.json", "DELETE", "galleries/{galleryName}/applications/{galleryApplicationName}/versions/{galleryApplicationVersionName}", ""},
	{"GalleryApplication_Delete.json", "DELETE", "galleries/{galleryName}/applications/{galleryApplicationName}", ""},
	{"Gallery_Delete.json", "DELETE", "galleries/{galleryName}", ""},
}

// ignoredKeys are example response keys the emulator does not have to return (see PROVENANCE.md).
var ignoredKeys = []string{"settings", "advancedSettings", "sharingStatus", "systemData", "nextLink"}

// comparedKeys are scalar fields whose values must equal the example's.
var comparedKeys = []string{"description", "eula", "privacyStatementUri", "releaseNoteUri", "supportedOSType", "replicaCount",
	"regionalReplicaCount", "storageAccountType", "install", "remove", "excludeFromLatest", "enableHealthCheck", "operationType",
	"allowDeletionOfReplicatedLocations", "script", "required", "defaultValue", "order", "tags", "configurationReference"}

// carries checks that got holds every key of want (recursively) and the compared values.
func carries(path string, want, got any) []string {
	var diffs []string
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %T", path, got)}
		}
		for k, wv := range w {
			if slices.Contains(ignoredKeys, k) {
				continue
			}
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			if k == "type" && wv == "Microsoft.Compute/galleries" && gv == "Microsoft.Compute/galleries/applications" {
				continue // known example quirk
			}
			if _, scalar := wv.(map[string]any); !scalar {
				if _, arr := wv.([]any); !arr {
					if slices.Contains(comparedKeys, k) && fmt.Sprint(wv) != fmt.Sprint(gv) {
						diffs = append(diffs, fmt.Sprintf("%s.%s: want %v, got %v", path, k, wv, gv))
					}
					continue
				}
			}
			diffs = append(diffs, carries(path+"."+k, wv, gv)...)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an array, got %T", path, got)}
		}
		for i := 0; i < len(w) && i < len(g); i++ {
			diffs = append(diffs, carries(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		if len(g) < len(w) && !strings.HasSuffix(path, "value") {
			diffs = append(diffs, fmt.Sprintf("%s: want %d items, got %d", path, len(w), len(g)))
		}
	}
	return diffs
}

func (e *Emulator) examplePath(ex example, st contractStep, rg, gallerySuffix string) string {
	p := st.path
	if !strings.HasPrefix(p, "/") {
		p = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/" + p
	}
	for _, k := range []string{"galleryName", "galleryApplicationName", "galleryApplicationVersionName"} {
		v := ex.param(k)
		if k == "galleryName" {
			v += gallerySuffix
		}
		p = strings.ReplaceAll(p, "{"+k+"}", v)
	}
	p = strings.ReplaceAll(p, "{subscriptionId}", e.Identity().SubscriptionID)
	p = strings.ReplaceAll(p, "{resourceGroupName}", rg)
	v := ex.param("api-version")
	if v == "" {
		v = ex.param("version") // example quirk: "version" instead of "api-version"
	}
	if !slices.Contains(GalleryAPIVersions, v) {
		v = galleryAPI
	}
	q := "?api-version=" + v
	if x := ex.param("$expand"); x != "" {
		q += "&$expand=" + x
	}
	return p + q
}

// exampleBody returns the request body with the package link pointing at Azurite.
func exampleBody(t *testing.T, ex example, st contractStep, pageBlob string) []byte {
	t.Helper()
	if st.bodyParam == "" {
		return nil
	}
	var body map[string]any
	if err := json.Unmarshal(ex.Parameters[st.bodyParam], &body); err != nil {
		t.Fatal(err)
	}
	if props, ok := body["properties"].(map[string]any); ok {
		if pp, ok := props["publishingProfile"].(map[string]any); ok {
			if src, ok := pp["source"].(map[string]any); ok {
				src["mediaLink"] = pageBlob
			}
		}
	}
	b, _ := json.Marshal(body)
	return b
}

func TestContractRawHTTP(t *testing.T) {
	e := startStorage(t)
	tok := token(t, e)
	rg := "myResourceGroup"
	do(t, e, "PUT", withAPI(e.rgPath(rg), "2021-04-01"), tok, map[string]any{"location": "westus"})
	for _, st := range contractSteps {
		ex := loadExample(t, st.file)
		path := e.examplePath(ex, st, rg, "")
		r := do(t, e, st.method, path, tok, exampleBody(t, ex, st, e.Env()["TF_VAR_page_blob_url"]))
		if r.Status == 409 && st.method == "DELETE" { // the delete lag after a child delete
			time.Sleep(e.cfg.DeleteLag + 50*time.Millisecond)
			r = do(t, e, st.method, path, tok, nil)
		}
		if _, ok := ex.Responses[fmt.Sprint(r.Status)]; !ok {
			t.Fatalf("%s: status %d not among the example's %v: %s", st.file, r.Status, keys(ex.Responses), r.Raw)
		}
		if async := r.Header.Get("Azure-AsyncOperation"); async != "" {
			waitOperation(t, e, tok, async)
		}
		want := ex.Responses[fmt.Sprint(r.Status)].Body
		if want != nil && len(r.Raw) > 0 {
			var got any
			if err := json.Unmarshal(r.Raw, &got); err != nil {
				t.Fatalf("%s: %v", st.file, err)
			}
			if d := carries("body", want, got); len(d) > 0 {
				t.Errorf("%s (%d): %s", st.file, r.Status, strings.Join(d, "; "))
			}
			if err := decodesAsSDK(st, r.Raw); err != nil {
				t.Errorf("%s: the SDK model does not decode the answer: %v", st.file, err)
			}
		}
	}
}

func keys[V any](m map[string]V) []string { return sortedKeys(m) }

func waitOperation(t *testing.T, e *Emulator, tok, async string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		p := do(t, e, "GET", async, tok, nil)
		if p.Status != 200 {
			t.Fatalf("poll %s: %d %s", async, p.Status, p.Raw)
		}
		switch p.Body["status"] {
		case "Succeeded":
			return
		case "Failed", "Canceled":
			t.Fatalf("operation failed: %s", p.Raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("operation %s did not finish", async)
}

// decodesAsSDK unmarshals an answer into the armcompute model of the step.
func decodesAsSDK(st contractStep, raw []byte) error {
	var v any
	switch {
	case strings.HasSuffix(st.path, "/share"):
		v = &armcompute.SharingUpdate{}
	case strings.HasSuffix(st.path, "/versions"):
		v = &armcompute.GalleryApplicationVersionList{}
	case strings.HasSuffix(st.path, "/applications"):
		v = &armcompute.GalleryApplicationList{}
	case strings.HasSuffix(st.path, "galleries"):
		v = &armcompute.GalleryList{}
	case strings.Contains(st.path, "/versions/"):
		v = &armcompute.GalleryApplicationVersion{}
	case strings.Contains(st.path, "/applications/"):
		v = &armcompute.GalleryApplication{}
	default:
		v = &armcompute.Gallery{}
	}
	return json.Unmarshal(raw, v)
}

func TestContractSDK(t *testing.T) {
	e := startStorage(t)
	f := factory(t, e)
	c := ctx(t)
	tok := token(t, e)
	rg := "myResourceGroup"
	do(t, e, "PUT", withAPI(e.rgPath(rg), "2021-04-01"), tok, map[string]any{"location": "westus"})
	page := e.Env()["TF_VAR_page_blob_url"]
	gc, ac, vc, sc := f.NewGalleriesClient(), f.NewGalleryApplicationsClient(), f.NewGalleryApplicationVersionsClient(), f.NewGallerySharingProfileClient()
	check := func(st contractStep, ex example, status string, got any) {
		t.Helper()
		want := ex.Responses[status].Body
		b, _ := json.Marshal(got)
		var g any
		_ = json.Unmarshal(b, &g)
		if d := carries("body", want, g); len(d) > 0 {
			t.Errorf("%s (SDK): %s", st.file, strings.Join(d, "; "))
		}
	}
	for _, st := range contractSteps {
		ex := loadExample(t, st.file)
		gname, aname, vname := ex.param("galleryName")+"SDK", ex.param("galleryApplicationName"), ex.param("galleryApplicationVersionName")
		body := exampleBody(t, ex, st, page)
		var err error
		var got any
		status := "200"
		switch st.file {
		case "Gallery_Create.json", "Gallery_Create_WithSharingProfile.json":
			var in armcompute.Gallery
			must(t, json.Unmarshal(body, &in))
			p, perr := gc.BeginCreateOrUpdate(c, rg, gname, in, nil)
			if err = perr; err == nil {
				got, err = pollResult(p.PollUntilDone(c, fastPoll))
			}
		case "Gallery_Get.json":
			got, err = unwrap(gc.Get(c, rg, gname, nil))
		case "Gallery_Update.json":
			var in armcompute.GalleryUpdate
			must(t, json.Unmarshal(body, &in))
			p, perr := gc.BeginUpdate(c, rg, gname, in, nil)
			if err = perr; err == nil {
				got, err = pollResult(p.PollUntilDone(c, fastPoll))
			}
		case "Gallery_ListByResourceGroup.json":
			got, err = pageAll(gc.NewListByResourceGroupPager(rg, nil).NextPage(c))
		case "Gallery_ListBySubscription.json":
			got, err = pageAll(gc.NewListPager(nil).NextPage(c))
		case "Gallery_AddToSharingProfile.json", "Gallery_ResetSharingProfile.json":
			var in armcompute.SharingUpdate
			must(t, json.Unmarshal(body, &in))
			p, perr := sc.BeginUpdate(c, rg, gname, in, nil)
			if err = perr; err == nil {
				got, err = pollResult(p.PollUntilDone(c, fastPoll))
			}
		case "GalleryApplication_Create.json":
			var in armcompute.GalleryApplication
			must(t, json.Unmarshal(body, &in))
			p, perr := ac.BeginCreateOrUpdate(c, rg, gname, aname, in, nil)
			if err = perr; err == nil {
				got, err = pollResult(p.PollUntilDone(c, fastPoll))
			}
		case "GalleryApplication_Get.json":
			got, err = unwrap(ac.Get(c, rg, gname, aname, nil))
		case "GalleryApplication_Update.json":
			var in armcompute.GalleryApplicationUpdate
			must(t, json.Unmarshal(body, &in))
			p, perr := ac.BeginUpdate(c, rg, gname, aname, in, nil)
			if err = perr; err == nil {
				got, err = pollResult(p.PollUntilDone(c, fastPoll))
			}
		case "GalleryApplication_ListByGallery.json":
			got, err = pageAll(ac.NewListByGalleryPager(rg, gname, nil).NextPage(c))
		case "GalleryApplicationVersion_Create.json":
			var in armcompute.GalleryApplicationVersion
			must(t, json.Unmarshal(body, &in))
			p, perr := vc.BeginCreateOrUpdate(c, rg, gname, aname, vname, in, nil)
			if err = perr; err == nil {
				got, err = pollResult(p.PollUntilDone(c, fastPoll))
			}
		case "GalleryApplicationVersion_Get.json":
			got, err = unwrap(vc.Get(c, rg, gname, aname, vname, nil))
		case "GalleryApplicationVersion_Get_WithReplicationStatus.json":
			got, err = unwrap(vc.Get(c, rg, gname, aname, vname, &armcompute.GalleryApplicationVersionsClientGetOptions{Expand: to.Ptr(armcompute.ReplicationStatusTypesReplicationStatus)}))
		case "GalleryApplicationVersion_Update.json":
			var in armcompute.GalleryApplicationVersionUpdate
			must(t, json.Unmarshal(body, &in))
			p, perr := vc.BeginUpdate(c, rg, gname, aname, vname, in, nil)
			if err = perr; err == nil {
				got, err = pollResult(p.PollUntilDone(c, fastPoll))
			}
		case "GalleryApplicationVersion_ListByGalleryApplication.json":
			got, err = pageAll(vc.NewListByGalleryApplicationPager(rg, gname, aname, nil).NextPage(c))
		case "GalleryApplicationVersion_Delete.json":
			p, perr := vc.BeginDelete(c, rg, gname, aname, vname, nil)
			if err = perr; err == nil {
				_, err = p.PollUntilDone(c, fastPoll)
			}
		case "GalleryApplication_Delete.json":
			time.Sleep(e.cfg.DeleteLag + 50*time.Millisecond)
			p, perr := ac.BeginDelete(c, rg, gname, aname, nil)
			if err = perr; err == nil {
				_, err = p.PollUntilDone(c, fastPoll)
			}
		case "Gallery_Delete.json":
			time.Sleep(e.cfg.DeleteLag + 50*time.Millisecond)
			p, perr := gc.BeginDelete(c, rg, gname, nil)
			if err = perr; err == nil {
				_, err = p.PollUntilDone(c, fastPoll)
			}
		default:
			t.Fatalf("no SDK call for %s", st.file)
		}
		if err != nil {
			t.Fatalf("%s (SDK): %v", st.file, err)
		}
		if got != nil && ex.Responses[status].Body != nil {
			check(st, ex, status, got)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func unwrap[T any](v T, err error) (any, error) { return v, err }

func pollResult[T any](v T, err error) (any, error) { return v, err }

func pageAll[T any](v T, err error) (any, error) { return v, err }
