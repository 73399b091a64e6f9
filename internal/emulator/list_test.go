package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// The gallery and application lists page like the service's (REST spec x-ms-pageable,
// nextLinkName "nextLink"): each page holds at most PageSize items and, while more follow, a
// nextLink that repeats the api-version; the SDK pagers walk every page.
func TestListsPageWithNextLink(t *testing.T) {
	e := startNoStorage(t) // PageSize 2
	f := factory(t, e)
	c := ctx(t)
	rg := seedResourceGroup
	tok := token(t, e)

	// A second resource group, so the subscription list has more than the first one's.
	if r := do(t, e, http.MethodPut, withAPI(e.rgPath("rg-other"), "2021-04-01"), tok, map[string]any{"location": "eastus2"}); r.Status != 201 && r.Status != 200 {
		t.Fatalf("creating rg-other: %d %s", r.Status, r.Raw)
	}
	gc := f.NewGalleriesClient()
	create := func(rg, name string) {
		p, err := gc.BeginCreateOrUpdate(c, rg, name, galleryBody(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.PollUntilDone(c, fastPoll); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		create(rg, fmt.Sprintf("galList%d", i))
	}
	create("rg-other", "galListOther")
	ac := f.NewGalleryApplicationsClient()
	for i := range 3 {
		p, err := ac.BeginCreateOrUpdate(c, rg, "galList0", fmt.Sprintf("app%d", i), armcompute.GalleryApplication{
			Location: to.Ptr("eastus2"), Properties: &armcompute.GalleryApplicationProperties{SupportedOSType: to.Ptr(armcompute.OperatingSystemTypesLinux)},
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.PollUntilDone(c, fastPoll); err != nil {
			t.Fatal(err)
		}
	}

	// The first raw page: two items and a nextLink on the same route with the api-version.
	first := do(t, e, http.MethodGet, withAPI(e.rgPath(rg)+"/providers/Microsoft.Compute/galleries", galleryAPI), tok, nil)
	if first.Status != 200 || len(asSlice(t, first.Body["value"])) != 2 {
		t.Fatalf("first page: %d %s", first.Status, first.Raw)
	}
	next, _ := first.Body["nextLink"].(string)
	u, err := url.Parse(next)
	if err != nil || !strings.HasSuffix(u.Path, "/resourceGroups/"+rg+"/providers/Microsoft.Compute/galleries") || u.Query().Get("api-version") != galleryAPI {
		t.Fatalf("nextLink %q", next)
	}

	names := func(pageNames [][]string) []string {
		var all []string
		for _, p := range pageNames {
			all = append(all, p...)
		}
		sort.Strings(all)
		return all
	}
	var byRG [][]string
	rgPager := gc.NewListByResourceGroupPager(rg, nil)
	for rgPager.More() {
		page, err := rgPager.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, g := range page.Value {
			ns = append(ns, *g.Name)
		}
		byRG = append(byRG, ns)
	}
	if got := names(byRG); len(byRG) != 3 || strings.Join(got, ",") != "galList0,galList1,galList2,galList3,galList4" {
		t.Errorf("by resource group: %d pages %v", len(byRG), byRG)
	}

	var bySub [][]string
	subPager := gc.NewListPager(nil)
	for subPager.More() {
		page, err := subPager.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, g := range page.Value {
			ns = append(ns, *g.Name)
		}
		bySub = append(bySub, ns)
	}
	if got := names(bySub); len(bySub) != 3 || len(got) != 6 || got[5] != "galListOther" {
		t.Errorf("by subscription: %d pages %v", len(bySub), bySub)
	}

	var apps [][]string
	appPager := ac.NewListByGalleryPager(rg, "galList0", nil)
	for appPager.More() {
		page, err := appPager.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, a := range page.Value {
			ns = append(ns, *a.Name)
		}
		apps = append(apps, ns)
	}
	if got := names(apps); len(apps) != 2 || strings.Join(got, ",") != "app0,app1,app2" {
		t.Errorf("applications: %d pages %v", len(apps), apps)
	}
	// An empty gallery lists no applications, in one page without nextLink.
	empty := do(t, e, http.MethodGet, withAPI(e.galleryPath("galList1")+"/applications", galleryAPI), tok, nil)
	if empty.Status != 200 || len(asSlice(t, empty.Body["value"])) != 0 || empty.Body["nextLink"] != nil {
		t.Errorf("empty gallery: %d %s", empty.Status, empty.Raw)
	}

	// Listing under what does not exist fails as the service does.
	_, err = ac.NewListByGalleryPager(rg, "galMissing", nil).NextPage(c)
	mustCode(t, err, http.StatusNotFound, "ParentResourceNotFound")
	_, err = gc.NewListByResourceGroupPager("rg-missing", nil).NextPage(c)
	mustCode(t, err, http.StatusNotFound, "ResourceGroupNotFound")
}
