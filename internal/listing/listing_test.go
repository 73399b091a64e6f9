package listing

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

type page struct {
	values []*string
	next   int
}

// pager serves pages of the given values, or fails on the page failAt (1-based; 0: never).
func pager(pages [][]string, failAt int) *runtime.Pager[page] {
	return runtime.NewPager(runtime.PagingHandler[page]{
		More: func(p page) bool { return p.next < len(pages) },
		Fetcher: func(_ context.Context, p *page) (page, error) {
			n := 0
			if p != nil {
				n = p.next
			}
			if n+1 == failAt {
				return page{}, errors.New("page failed")
			}
			var out page
			for _, v := range pages[n] {
				out.values = append(out.values, &v)
			}
			out.next = n + 1
			return out, nil
		},
	})
}

func TestAll(t *testing.T) {
	for name, tc := range map[string]struct {
		pages   [][]string
		failAt  int
		want    []string
		wantErr bool
	}{
		"one page":         {pages: [][]string{{"a", "b"}}, want: []string{"a", "b"}},
		"every page":       {pages: [][]string{{"a"}, {}, {"b", "c"}}, want: []string{"a", "b", "c"}},
		"a page fails":     {pages: [][]string{{"a"}, {"b"}}, failAt: 2, wantErr: true},
		"first page fails": {pages: [][]string{{"a"}}, failAt: 1, wantErr: true},
		"nothing to list":  {pages: [][]string{{}}, want: nil},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := All(context.Background(), pager(tc.pages, tc.failAt), func(p page) []*string { return p.values })
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			var names []string
			for _, s := range got {
				names = append(names, *s)
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("got %v, want %v", names, tc.want)
			}
		})
	}
}

func TestScopeAddError(t *testing.T) {
	notFound := &azcore.ResponseError{StatusCode: http.StatusNotFound, ErrorCode: "ResourceNotFound"}
	forbidden := &azcore.ResponseError{StatusCode: http.StatusForbidden, ErrorCode: "AuthorizationFailed"}
	gallery := Scope{What: "applications", ID: "/g", Attribute: path.Root("gallery_id"), NotFound: "Gallery not found", NotFoundDetail: "No gallery /g exists."}
	subscription := Scope{What: "galleries", ID: "/subscriptions/s"}
	for name, tc := range map[string]struct {
		scope     Scope
		err       error
		summary   string
		attribute bool
		detail    []string
	}{
		"scope missing":       {gallery, notFound, "Gallery not found", true, []string{"No gallery /g exists.", "listing the applications of /g", "ResourceNotFound"}},
		"other failure":       {gallery, forbidden, "Error listing applications", false, []string{"listing the applications of /g", "AuthorizationFailed"}},
		"scope always exists": {subscription, notFound, "Error listing galleries", false, []string{"listing the galleries of /subscriptions/s"}},
	} {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			tc.scope.AddError(&diags, tc.err)
			if len(diags) != 1 {
				t.Fatalf("diags = %v", diags)
			}
			d := diags[0]
			_, onAttribute := d.(diag.DiagnosticWithPath)
			if d.Summary() != tc.summary || onAttribute != tc.attribute {
				t.Errorf("summary %q (on an attribute: %v), want %q (%v)", d.Summary(), onAttribute, tc.summary, tc.attribute)
			}
			for _, s := range tc.detail {
				if !strings.Contains(d.Detail(), s) {
					t.Errorf("detail %q does not contain %q", d.Detail(), s)
				}
			}
		})
	}
}

func TestItemsAndSortFold(t *testing.T) {
	type item struct{ name, group string }
	a, b, c, d := "b", "A", "a", "C"
	items, diags := Items([]*string{&a, nil, &b, &c, &d}, func(s *string) (item, diag.Diagnostics) {
		return item{name: *s, group: map[string]string{"b": "y", "A": "y", "a": "x", "C": "x"}[*s]}, nil
	})
	if diags.HasError() || len(items) != 4 {
		t.Fatalf("items %v, diags %v: want the four non-nil objects", items, diags)
	}
	SortFold(items, func(i item) string { return i.name }, func(i item) string { return i.group })
	var got []string
	for _, i := range items {
		got = append(got, i.name+"/"+i.group)
	}
	if want := []string{"a/x", "A/y", "b/y", "C/x"}; !slices.Equal(got, want) {
		t.Errorf("sorted %v, want %v (names case-insensitive, then group)", got, want)
	}
	if empty, _ := Items[string, item](nil, nil); empty == nil {
		t.Error("Items of nothing is nil; want an empty list, saved as [] and not null")
	}
}
