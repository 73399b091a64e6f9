// Package listing holds what the list data sources (azvmapps_galleries, azvmapps_applications,
// azvmapps_application_versions) share: their schema's skeleton, their Read's, reading every page
// of an Azure list, reporting a list that failed, and turning the listed objects into sorted items.
package listing

import (
	"context"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
)

// Schema is a list data source's schema: a computed `id` (the scope that was listed), the
// attributes that choose the scope, and the computed list attribute named list whose items have
// the given (computed) attributes.
func Schema(description, idDescription string, scope map[string]schema.Attribute,
	list, listDescription string, item map[string]schema.Attribute) schema.Schema {
	attrs := map[string]schema.Attribute{"id": String(idDescription)}
	for k, v := range scope {
		attrs[k] = v
	}
	attrs[list] = schema.ListNestedAttribute{
		MarkdownDescription: listDescription,
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: item},
	}
	return schema.Schema{MarkdownDescription: description, Attributes: attrs}
}

// String is a computed string attribute.
func String(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

// Bool is a computed bool attribute.
func Bool(description string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: description, Computed: true}
}

// Tags is a computed map of strings, for tags.
func Tags(description string) schema.MapAttribute {
	return schema.MapAttribute{MarkdownDescription: description, Computed: true, ElementType: types.StringType}
}

// Read is a list data source's Read: the configuration is read into a model M, list fills it
// in within the default read timeout, and the model is saved unless list reported an error.
func Read[M any](ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse,
	list func(context.Context, *M, *diag.Diagnostics)) {
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, framework.DefaultReadTimeout)
	defer cancel()
	list(ctx, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// All reads every page of pager (following nextLink) and returns the objects of all pages;
// value picks them out of a page.
func All[P, T any](ctx context.Context, pager *runtime.Pager[P], value func(P) []*T) ([]*T, error) {
	var all []*T
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, value(page)...)
	}
	return all, nil
}

// Scope is what a list is of, for its error messages.
type Scope struct {
	// What is listed, plural: "applications".
	What string
	// ID is the listed scope's ID.
	ID string
	// Attribute is the attribute that names the scope.
	Attribute path.Path
	// NotFound is the summary of the error when the scope does not exist: "Gallery not found".
	// Empty when the scope always exists (a subscription): a 404 is then a plain error.
	NotFound string
	// NotFoundDetail says what does not exist and the way out; the service's error follows it.
	NotFoundDetail string
}

// AddError reports err from listing s: a 404 means the scope itself does not exist, an error
// on its attribute; anything else is a plain error. Both carry the service's message.
func (s Scope) AddError(diags *diag.Diagnostics, err error) {
	described := azure.Describe("listing the "+s.What+" of", s.ID, err)
	if s.NotFound != "" && azure.IsNotFound(err) {
		diags.AddAttributeError(s.Attribute, s.NotFound, s.NotFoundDetail+"\n\n"+described)
		return
	}
	diags.AddError("Error listing "+s.What, described)
}

// Items turns the listed objects into items with flatten, skipping nil entries. The result is
// never nil, so an empty list is saved as [] rather than null.
func Items[T, I any](objects []*T, flatten func(*T) (I, diag.Diagnostics)) ([]I, diag.Diagnostics) {
	var diags diag.Diagnostics
	items := []I{}
	for _, o := range objects {
		if o == nil {
			continue
		}
		item, d := flatten(o)
		diags.Append(d...)
		items = append(items, item)
	}
	return items, diags
}

// SortFold sorts items by keys, compared case-insensitively (Azure names are), the first key
// first; the order is stable, so the list and the plans that use it do not churn.
func SortFold[I any](items []I, keys ...func(I) string) {
	sort.SliceStable(items, func(i, j int) bool {
		for _, key := range keys {
			a, b := strings.ToLower(key(items[i])), strings.ToLower(key(items[j]))
			if a != b {
				return a < b
			}
		}
		return false
	})
}
